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
from kpi.config import DEMO_SEED
from kpi.demo import management
from kpi.status import STATUS_LABELS
from kpi.workforce import vocabulary as wf_vocabulary
from tests.source_scan import collection_literals, offenders, read_sources, string_literals

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


# ---------------------------------------------------------------- allowed values (one home: kpi/dimensions.py)

DIMENSIONS = ("kpi/dimensions.py",)
#: The lists of allowed values of the record files' columns, by name in kpi.dimensions.
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    name: getattr(dims, name)
    for name in ("FREQUENCIES", "RECOMMENDATION_SOURCES", "PRIORITIES", "RISK_CATEGORIES", "ENGAGEMENT_KINDS",
                 "OPINIONS")
}


def _copied_lists(texts: dict[str, str] | None = None) -> list[str]:
    """``"path:line: LIST"`` for each tuple, list or set literal (or a dict's keys) outside kpi/dimensions.py whose
    elements are two or more values of one of :data:`ALLOWED_VALUES` and nothing else: a copy of a list, or of
    part of one. A row of a file ("JIU-2025-1", "JIU", "high", ...) or a pair ("JIU", .20) mixes in other values
    and is not a list of allowed values; the empty opinion names nothing and is not counted."""
    texts = read_sources() if texts is None else texts
    found = []
    for path, text in sorted(texts.items()):
        if path in DIMENSIONS:
            continue
        for line, values in sorted(collection_literals(text), key=lambda lv: lv[0]):
            words = [v for v in values if v != ""]
            found += [f"{path}:{line}: {name}" for name, allowed in ALLOWED_VALUES.items()
                      if len(words) >= 2 and all(isinstance(v, str) and v in allowed for v in words)]
    return found


def test_the_allowed_values_are_listed_only_in_the_dimensions():
    assert _copied_lists() == []


def test_the_scan_finds_a_copied_list_of_allowed_values():
    planted = ('OPINIONS = ("", "unqualified", "qualified", "adverse")\n'
               'SLOW = ["quadrennial", "biennial"]\n'
               'SHARES = {"JIU": .2, "Internal Audit": .35}\n'
               'PREFIXES = {dims.SOURCE_JIU: ("JIU", .2)}\n'
               'ROW = ["JIU-2025-9002", "JIU", "high"]\n'
               'WIDTH = ("high", "Wide")\n')
    assert _copied_lists({"kpi/demo/new.py": planted}) == [
        "kpi/demo/new.py:1: OPINIONS", "kpi/demo/new.py:2: FREQUENCIES", "kpi/demo/new.py:3: RECOMMENDATION_SOURCES"]


def test_the_demo_draws_only_allowed_values():
    recommendations = management.oversight_rows(1, DEMO_SEED)
    engagements = management.engagement_rows(1, DEMO_SEED)
    assert {r["source"] for r in recommendations} == set(dims.RECOMMENDATION_SOURCES)
    assert {r["priority"] for r in recommendations} == set(dims.PRIORITIES)
    assert {r.category for r in management.RISKS} == set(dims.RISK_CATEGORIES)
    assert {r["kind"] for r in engagements} == set(dims.ENGAGEMENT_KINDS)
    assert {r["opinion"] for r in engagements} == {dims.NO_OPINION, dims.UNQUALIFIED}
    assert set(management.OVERSIGHT_SOURCES) == set(dims.RECOMMENDATION_SOURCES)
    assert set(management.ENGAGEMENT_KINDS) == set(dims.ENGAGEMENT_KINDS) - {dims.EXTERNAL_AUDIT}


# ---------------------------------------------------------------- the names of the dimensions and of their values

#: The words a page shows for a dimension or for a group of its values, each written only in kpi/dimensions.py.
DIMENSION_WORDS: frozenset[str] = frozenset(
    [*dims.DIMENSION_LABELS.values(), *dims.LOCATIONS.values(), *dims.CATEGORY_GROUPS.values()])
def _written_words(words: frozenset[str], texts: dict[str, str] | None = None) -> list[str]:
    """``"path:line: word"`` for each string literal outside kpi/dimensions.py that is one of ``words``, whole
    (a longer text that holds one, "All Sectors", is another word); docstrings are prose and left out."""
    texts = read_sources() if texts is None else texts
    return [f"{path}:{line}: {value}" for path, text in sorted(texts.items()) if path not in DIMENSIONS
            for line, value in sorted(string_literals(text, docstrings=False)) if value in words]


def test_the_names_of_the_dimensions_are_written_only_in_the_dimensions():
    assert _written_words(DIMENSION_WORDS) == []


def test_headquarters_is_named_only_in_the_dimensions():
    assert offenders(re.compile(re.escape(dims.LOCATIONS["headquarters"])), homes=DIMENSIONS) == []


def test_the_scan_finds_a_dimension_name_written_again():
    planted = ('"""Staff at "Headquarters (Geneva)"."""\n'
               'st.metric("Headquarters (Geneva)", n)\n'
               'title = f"Staff, Headquarters (Geneva), {year}"\n'
               'TREND_BY = {"sector": "Sector", "location": "Location"}\n'
               'FILTER = ("All Sectors", "Professional and higher")\n')
    texts = {"pages/new.py": planted}
    assert _written_words(DIMENSION_WORDS, texts) == [
        "pages/new.py:2: Headquarters (Geneva)", "pages/new.py:4: Location", "pages/new.py:4: Sector",
        "pages/new.py:5: Professional and higher"]
    assert offenders(re.compile(re.escape(dims.LOCATIONS["headquarters"])), homes=DIMENSIONS, texts=texts) == [
        'pages/new.py:1: Headquarters (Geneva)', "pages/new.py:2: Headquarters (Geneva)",
        "pages/new.py:3: Headquarters (Geneva)"]


def test_the_workforce_labels_are_assembled_from_the_dimensions():
    labels = wf_vocabulary._labels()
    assert labels["office_region"] == {**dims.ITU_D_REGIONS, dims.NOT_FIELD: "Headquarters and liaison offices"}
    assert labels["training"] == {"completed": "Completed", "not completed": "Not completed"}
    assert labels["contract_type"] == {"continuing": "Continuing", "fixed-term": "Fixed-term",
                                       "temporary": "Temporary"}
    assert labels["sector"] == {"GS": "General Secretariat", "ITU-R": "ITU-R (BR)", "ITU-T": "ITU-T (TSB)",
                                "ITU-D": "ITU-D (BDT)"}
    assert labels["admin_region"]["A"] == "A · The Americas"
    assert (dims.PARITY_TEXT, dims.PARITY_BAND_TEXT, dims.WOMEN_SHARE_LABEL) == ("50 %", "47-53 %", "Women (%)")
