"""Text from the store is text: escape imported values for where they are drawn (issue 11).

Names, definitions, sources, statements, notes, titles... come from imported files, so they may
hold anything. Streamlit renders Markdown (with its own directives such as ``:red[...]`` and
``:material/...:``) in many places, and Plotly renders a subset of HTML in chart texts, so a value
drawn as it is could become red text, a working link, an image fetched by every viewer's browser
or a fake table row. Escape each value where it is drawn, once:

* :func:`markdown_text` for every place Streamlit renders Markdown: ``st.title`` / ``st.header``
  / ``st.subheader``, ``st.markdown``, ``st.caption``, ``st.info`` / ``st.warning`` /
  ``st.success`` / ``st.error``, ``st.metric`` labels, widget and expander labels,
  ``st.page_link`` labels, the options of ``st.segmented_control`` / ``st.pills`` / ``st.radio``
  (their ``format_func``), and the cells of ``st.table`` (which render Markdown too).
* nothing for plain-text places: the cells of ``st.dataframe`` and the options of
  ``st.selectbox`` / ``st.multiselect`` show their text as it is (escaping would show the
  backslashes), and so do file names and download contents.
* :func:`plotly_text` for every Plotly text built from a stored value: trace names (legend),
  category values (tick labels), ``text``, ``customdata`` and anything else a ``hovertemplate``
  shows, titles and annotations. Escape after shortening a label, never before (an entity cut in
  half would show). Keep the raw value for look-ups (colours by label) and escape when drawing.
  Never write a stored value into a ``hovertemplate`` itself (Plotly would read ``%{...}`` in
  it): show it through ``%{fullData.name}``, ``%{y}``, ``%{text}`` or ``%{customdata}``.

Escape once, at the call that draws the text: an escaped value escaped again shows backslashes.

This module imports no Streamlit, so that :mod:`kpi.charts` can use it.
"""
from __future__ import annotations

import html
import re

#: Characters with a meaning in (GitHub-flavoured, Streamlit) Markdown: emphasis, code, links and
#: images, headings, lists, block quotes, tables, strikethrough, maths (``$``), Streamlit's
#: directives (``:red[...]``, ``:material/...:``), entities (``&amp;``), HTML and e-mail autolinks.
MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~:$&@/"
_MARKDOWN_ESCAPE = re.compile("([" + re.escape(MARKDOWN_SPECIALS) + "])")
#: Every line break Python knows (Markdown's \n, \r and \r\n among them).
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
#: An invisible WORD JOINER. Backslashes stop Markdown's syntax, but GitHub-flavoured Markdown
#: also turns bare ``http://…``, ``www.…`` and ``name@example.org`` in the *text* into links, and
#: Streamlit turns ``:smile:`` shortcodes in the text into emoji, after the escapes are read. A
#: word joiner inside ``www.`` and after a ``:`` or ``@`` that touches the next character breaks
#: those patterns without changing what the reader sees (``Goal: text`` is left as it is).
WORD_JOINER = "\u2060"
_LINK_PATTERNS = re.compile(r"(?i:(www)(?=\.))|([:@])(?=\S)")


def _one_line(value: object) -> str:
    """``value`` as a string on one line: line breaks become spaces; None becomes ``""``."""
    return "" if value is None else _LINE_BREAKS.sub(" ", str(value))


def markdown_text(value: object) -> str:
    """``value`` shown as its own text wherever Streamlit renders Markdown.

    Every Markdown-significant character gets a backslash (so ``[x](http://…)``, ``![](…)``,
    ``**x**``, ``:red[x]`` and ``:material/x:`` stay as typed), bare addresses and emoji
    shortcodes are kept from becoming links or emoji, and line breaks become spaces, so that a
    value can never start a heading, a list, a quote or a table row.
    """
    text = " ".join(_one_line(value).split())  # leading spaces would make a code block
    text = _LINK_PATTERNS.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return _MARKDOWN_ESCAPE.sub(r"\\\1", text)


def plotly_text(value: object) -> str:
    """``value`` shown as its own text in a Plotly figure (title, label, hover text, annotation).

    Plotly renders ``<br>``, ``<b>``, ``<a href>``... and entities such as ``&lt;`` in its texts:
    ``&``, ``<`` and ``>`` are escaped as entities, and line breaks (which Plotly turns into
    ``<br>``) become spaces.
    """
    return html.escape(_one_line(value), quote=False)
