"""One home for each colour and each status word (issue 18): the sources of kpi/, ui/, pages/ and app.py write
no colour outside kpi/charts/theme.py and no status word outside its home.

What is scanned: every string literal (f-strings' literal parts included). Comments are not strings, so never
scanned: they put no colour on a screen (and "issue #123" would read as one). Docstrings are scanned for colours,
but not for status words: they show what a function returns ("✔ Achieved").
"""
from __future__ import annotations

import re

import pytest

from kpi import dimensions as dims
from kpi.status import STATUS_LABELS
from tests.source_scan import offenders

THEME = ("kpi/charts/theme.py",)
#: A colour: hex (#RGB, #RGBA, #RRGGBB, #RRGGBBAA) or CSS's rgb()/rgba().
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b|\brgba?\(")
#: Each family of status words and the one module that writes them.
WORDS: dict[str, tuple[tuple[str, ...], str]] = {
    "indicator statuses": (tuple(STATUS_LABELS.values()), "kpi/status.py"),
    "recommendation states": ((dims.ACCEPTED_OPEN, dims.AWAITING_DECISION, dims.NOT_ACCEPTED), "kpi/dimensions.py"),
}


def _words(words: tuple[str, ...]) -> re.Pattern:
    """Any of ``words`` as a whole word, capitalised as a label is (a sentence's "at risk" is not one)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def test_no_colour_is_written_outside_the_theme():
    assert offenders(COLOUR, homes=THEME) == []


@pytest.mark.parametrize("family", list(WORDS))
def test_no_status_word_is_written_outside_its_home(family):
    words, home = WORDS[family]
    assert offenders(_words(words), homes=(home,), docstrings=False) == []


@pytest.mark.parametrize(("planted", "found"), [
    ('CSS = "p { color: #1B1F24; }"', "#1B1F24"),
    ('FILL = "#fff"', "#fff"),
    ('x = f"color: #0B6E4F; width: {w}px"', "#0B6E4F"),
    ('FILL = "rgba(11, 110, 79, 0.12)"', "rgba("),
])
def test_the_scan_finds_a_new_colour(planted, found):
    assert offenders(COLOUR, homes=THEME, texts={"ui/new.py": planted + "\n"}) == [f"ui/new.py:1: {found}"]


def test_the_scan_finds_a_new_status_word_but_not_in_a_comment_or_docstring():
    planted = ('"""Shows "Off track"."""\n'
               'label = {"off_track": "Off track"}  # "At risk" in a comment\n'
               'state = f"{n} Accepted, open"\n')
    words = _words(tuple(STATUS_LABELS.values()) + WORDS["recommendation states"][0])
    assert offenders(words, homes=(), texts={"pages/new.py": planted}, docstrings=False) == [
        "pages/new.py:2: Off track", "pages/new.py:3: Accepted, open"]
