"""Text from the store is text (issue 11): imported names, definitions, sources, statements, notes...
never render as Markdown (no formatting, links, images or table rows) nor as HTML in a chart.

A copy of the demo store gets hostile texts written straight into it, as a careless or malicious
import could; every page is then opened under AppTest and every text Streamlit renders as Markdown,
every Plotly figure, and the plain-text places (tables, selectbox options) are checked.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from kpi.bootstrap import bump_data_version
from kpi.text import MARKDOWN_SPECIALS, WORD_JOINER, markdown_text, plotly_text
from tests.access_support import sign_in

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE_DIR = Path(APP).parent / "pages"
CYCLE = "2024-2027"

PHISH = ":red[**SESSION EXPIRED**] [sign in again](http://127.0.0.1:8729/phish)"
TABLE_ROW = "line one\n| Owner | Approved by the Secretary-General |"
PIXEL = "![](http://127.0.0.1:8729/pixel.png)"
LINK = '<a href="http://127.0.0.1:8729/x">click</a>'
BOLD = "<b>bold</b>"
PAYLOADS = {"phish": PHISH, "table row": TABLE_ROW, "pixel": PIXEL, "link": LINK, "bold": BOLD}
#: Where each payload goes: (table, column, condition). Every one of them is drawn on some page.
WRITES = [
    ("plan_cycle", "name", BOLD, f"code = '{CYCLE}'"),
    ("plan_cycle", "instrument", PIXEL, f"code = '{CYCLE}'"),
    ("framework_node", "name", PHISH, f"cycle_code = '{CYCLE}' AND code = 'G1'"),
    ("framework_node", "statement", TABLE_ROW, f"cycle_code = '{CYCLE}' AND code = 'G1'"),
    ("framework_node", "name", LINK, f"cycle_code = '{CYCLE}' AND code IN ('E1', 'D1.O1')"),
    ("framework_node", "statement", PIXEL, f"cycle_code = '{CYCLE}' AND code = 'E1'"),
    ("indicator", "name", PHISH, "code = 'G1.INET'"),
    ("indicator", "definition", TABLE_ROW, "code = 'G1.INET'"),
    ("indicator", "source", PIXEL, "code = 'G1.INET'"),
    ("indicator", "attribution", LINK, "code = 'G1.INET'"),
    ("indicator", "name", LINK, "code = 'E1.WOMEN_P'"),
    ("indicator", "definition", PIXEL, "code = 'E1.WOMEN_P'"),
    ("indicator", "source", TABLE_ROW, "code = 'E1.WOMEN_P'"),
    ("indicator", "attribution", BOLD, "code = 'E1.WOMEN_P'"),
    ("indicator", "name", PIXEL, "code = 'D1.PROJ'"),
    ("observation", "note", LINK,
     "disaggregation = '' AND indicator_id = (SELECT id FROM indicator WHERE code = 'G1.INET')"),
    ("risk", "title", PHISH, "year = 2025"),
    ("risk", "mitigation", TABLE_ROW, "year = 2025"),
    ("risk", "code", BOLD, "code = 'RSK-01' AND year = 2025"),
    ("oversight_recommendation", "title", LINK, "1 = 1"),
    ("resolution", "title", PIXEL, "1 = 1"),
    ("commitment", "text", PHISH, "1 = 1"),
    ("unit", "name", TABLE_ROW, "code = 'CCD'"),
    ("duty_station", "name", PHISH, "code = 'Addis Ababa'"),
    ("country", "name", BOLD, "iso3 = 'FRA'"),
]
HOSTILE_STATION = "Addis Ababa"


@pytest.fixture(scope="module")
def hostile_store(demo_store_url, tmp_path_factory) -> Iterator[str]:
    """A copy of the demo store with hostile texts in it; RBM_DATABASE_URL points at it.

    The session-wide demo store is shared by other tests: it is copied, never modified.
    """
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
    shutil.copyfile(demo_store_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, column, value, where in WRITES:
            changed = conn.execute(text(f"UPDATE {table} SET {column} = :value WHERE {where}"), {"value": value})
            assert changed.rowcount > 0, (table, column, where)
    with Session(engine) as session, session.begin():
        bump_data_version(session)  # as an import does: every cache keyed by the data version is rebuilt
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RBM_DATABASE_URL", url)
        yield url


# ---------------------------------------------------------------- the helpers


def test_markdown_text_escapes_every_markdown_character_and_keeps_one_line():
    assert markdown_text(MARKDOWN_SPECIALS) == "".join(f"\\{c}" for c in MARKDOWN_SPECIALS).replace(
        ":", ":" + WORD_JOINER).replace("@", "@" + WORD_JOINER)
    assert markdown_text(TABLE_ROW) == r"line one \| Owner \| Approved by the Secretary\-General \|"
    assert markdown_text("  # a\r\n\n- b\t1. c  ") == r"\# a \- b 1\. c"
    assert markdown_text(None) == "" and markdown_text(12.5) == r"12\.5"
    assert markdown_text("Goal 1: plain words, kept") == r"Goal 1\: plain words, kept"  # no word joiner


def test_markdown_text_keeps_bare_addresses_and_shortcodes_from_becoming_links_or_emoji():
    value = "see http://x.org, www.x.org, a@x.org and :smile: or :material/home:"
    shown = markdown_text(value)
    for pattern in ("http://", "http\\://", "www.", "www\\.", "@x", "\\@x", ":smile", "\\:smile", ":material/"):
        assert pattern not in shown, pattern
    assert shown.replace(WORD_JOINER, "").replace("\\", "") == value  # what the reader sees


def test_plotly_text_escapes_html_and_newlines():
    assert plotly_text(LINK) == '&lt;a href="http://127.0.0.1:8729/x"&gt;click&lt;/a&gt;'
    assert plotly_text("a & b\n<br>c") == "a &amp; b &lt;br&gt;c"
    assert plotly_text(None) == ""


# ---------------------------------------------------------------- what is drawn


def markdown_surfaces(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of every text on the page that Streamlit renders as Markdown."""
    found = [(kind, e.value) for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                          "error", "success", "toast") for e in getattr(at, kind)]
    found += [("metric label", m.label) for m in at.metric]
    found += [("metric help", m.proto.help) for m in at.metric]
    found += [("page link", e.proto.label) for e in at.page_link]
    found += [("expander", e.label) for e in at.expander]
    found += [("tab", e.label) for e in at.tabs]
    found += [("segmented option", o) for b in at.button_group for o in b.options]
    for kind in ("button", "button_group", "selectbox", "multiselect", "select_slider", "slider", "toggle",
                 "checkbox", "radio", "text_input", "download_button", "form_submit_button"):
        for widget in getattr(at, kind):
            found += [(f"{kind} label", widget.label), (f"{kind} help", getattr(widget, "help", None) or "")]
    for radio in at.radio:
        found += [("radio option", str(o)) for o in radio.options]
    for table in at.table:  # st.table renders Markdown in every cell and header
        frame = table.value
        found += [("table header", str(c)) for c in frame.columns]
        found += [("table cell", str(v)) for v in frame.to_numpy().ravel()]
    return found


def plain_texts(at: AppTest) -> list[str]:
    """Texts Streamlit shows as they are: dataframe cells and selectbox / multiselect options."""
    texts = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    texts += [str(o) for widget in [*at.selectbox, *at.multiselect] for o in widget.options]
    return texts


def figure_strings(at: AppTest) -> list[str]:
    """Every string in every Plotly figure of the page (titles, labels, texts, hover texts...)."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                found.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def assert_markdown_is_text(where: str, value: str) -> None:
    """No Markdown from the payloads: no link, image, directive, HTML, table row or intact address."""
    shown = f"{where}: {value!r}"
    assert "](" not in value, shown
    assert "![" not in value, shown
    assert ":red[" not in value and f":{WORD_JOINER}red[" not in value, shown
    assert "**SESSION" not in value, shown
    assert re.search(r"(?<!\\)<(a|b|/a|/b)[\s>]", value) is None, shown
    assert re.search(r"\n\s*\|", value) is None and "line one\n" not in value, shown
    assert "127.0.0.1:8729" not in value and "://127" not in value, shown


def assert_figure_is_text(value: str) -> None:
    """No HTML from the payloads in a chart: no link, no bold, no line break from a newline."""
    assert re.search(r"<a[\s>]|</a>|<b>|</b>", value, re.IGNORECASE) is None, repr(value)
    assert "\n" not in value, repr(value)


def check_page(at: AppTest) -> None:
    """Every Markdown surface and every chart of the page shows the payloads as text."""
    assert [e.value for e in at.exception] == []
    for where, value in markdown_surfaces(at):
        assert_markdown_is_text(where, value)
    for value in figure_strings(at):
        assert_figure_is_text(value)


def open_page(page: str, user: str = "staff@demo.invalid", **params: str) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=180), user)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(str(PAGE_DIR / page))
    at.run()
    assert [e.value for e in at.exception] == []
    return at


# ---------------------------------------------------------------- the pages


def test_overview_shows_the_plan_and_goals_as_text(hostile_store):
    at = open_page("overview.py")
    check_page(at)
    assert at.title[0].value == markdown_text(BOLD)
    assert f"Goal G1: {markdown_text(PHISH)}" in [s.value for s in at.subheader]
    assert markdown_text(TABLE_ROW) in [c.value for c in at.caption]
    assert any(markdown_text(PIXEL) in link.proto.label for link in at.page_link)  # D1.PROJ needs attention


def test_scorecard_shows_goals_and_outputs_as_text(hostile_store):
    at = open_page("scorecard.py")
    check_page(at)
    assert f"Goal G1: {markdown_text(PHISH)}" in [s.value for s in at.subheader]
    assert f"**Output {markdown_text('D1.O1')}: {markdown_text(LINK)}**" in [m.value for m in at.markdown]
    assert any(f"G1.INET · {PHISH}" in value for value in plain_texts(at))  # a table cell keeps the text as is


def reference_sheet(at):
    """The explorer's reference sheet (the table whose first column holds "Definition"; charts' tables come first)."""
    return next(t.value for t in at.table if "Definition" in t.value.iloc[:, 0].tolist())


def test_explorer_shows_the_indicator_as_text(hostile_store):
    at = open_page("explorer.py", indicator="G1.INET", by="region")
    check_page(at)
    assert at.title[0].value == markdown_text(PHISH)
    assert f"G1.INET · {PHISH}" in at.selectbox(key="url:indicator").options  # a selectbox shows plain text
    sheet = reference_sheet(at)
    assert len(sheet) == 10  # the newline and the | of the definition add no row
    assert dict(zip(sheet.iloc[:, 0], sheet.iloc[:, 1], strict=True))["Definition"] == markdown_text(TABLE_ROW)
    assert f"Source: {markdown_text(PIXEL)} · {markdown_text(LINK)}" in [c.value for c in at.caption]
    assert any(plotly_text(LINK) in s for s in figure_strings(at))  # the values' notes, in the hover texts


@pytest.mark.parametrize("code", ["E1.WOMEN_P", "D1.PROJ"])
def test_explorer_shows_other_indicators_as_text(hostile_store, code):
    at = open_page("explorer.py", indicator=code)
    check_page(at)
    name = {"E1.WOMEN_P": LINK, "D1.PROJ": PIXEL}[code]
    assert at.title[0].value == markdown_text(name)
    if code == "E1.WOMEN_P":  # synthetic: its source line says so
        assert f"Source: {markdown_text(TABLE_ROW)} · **synthetic demo data**" in [c.value for c in at.caption]
        assert markdown_text(PIXEL) in reference_sheet(at).to_numpy().ravel().tolist()


def test_presentation_slides_show_names_as_text(hostile_store):
    at = open_page("present.py")
    check_page(at)
    titles = [at.title[0].value]
    while not at.button(key="next").disabled:
        at.button(key="next").click().run()
        check_page(at)
        titles.append(at.title[0].value)
    assert markdown_text(f"Goal G1: {PHISH} (1 of 2)") in titles  # kpi.presentation composes the title
    assert markdown_text(LINK) in titles  # E1.WOMEN_P, needing attention, has a slide


def test_management_shows_risks_and_records_as_text(hostile_store):
    at = open_page("management.py")
    check_page(at)
    plain = plain_texts(at)
    for payload in (PHISH, TABLE_ROW, BOLD, LINK, PIXEL):  # tables show the texts exactly as imported
        assert any(payload in value for value in plain), payload
    figures = figure_strings(at)
    assert any(plotly_text(BOLD) in s for s in figures)  # the risk code in the risk matrix
    assert any(plotly_text(LINK) in s for s in figures)  # the output's name in the budget chart


@pytest.mark.parametrize(("page", "params"), [
    ("workforce_composition.py", {}),
    ("workforce_composition.py", {"wf_station": HOSTILE_STATION}),
    ("workforce_gender.py", {}),
    ("workforce_geography.py", {}),
    ("workforce_field.py", {"wf_station": HOSTILE_STATION}),
    ("workforce_hr.py", {}),
])
@pytest.mark.slow
def test_workforce_pages_show_names_as_text(hostile_store, page, params):
    at = open_page(page, **params)
    check_page(at)
    figures = figure_strings(at)
    if params:
        assert any(markdown_text(PHISH) in c.value for c in at.caption)  # the duty station in the selection line
        assert any(PHISH in o for o in at.selectbox(key="url:wf_station").options)  # plain text
    elif page == "workforce_composition.py":
        assert any(plotly_text(TABLE_ROW) in s for s in figures)  # the unit's name, on one line
    elif page == "workforce_geography.py":
        assert any(plotly_text(BOLD) in s for s in figures)  # the country's name on the map
