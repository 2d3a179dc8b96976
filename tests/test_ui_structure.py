"""Typed access from the UI (issue 18): the sources of ui/ and pages/ read the workforce tables through named
methods that check them (ui.workforce.PageTables), not by a name in a string; the pages run no SQL and keep no
cache of their own; the workforce pages share their header and footer.

Each check scans the sources as they are on disk, and is shown to find an offender planted in a stand-in text
(so that a check that can no longer fail does not pass quietly).
"""
from __future__ import annotations

import ast
import re
from dataclasses import replace

import polars as pl
import pytest

from kpi import workforce as wf
from tests.source_scan import PROJECT_DIR, matching_lines, read_sources

UI = ("ui/", "pages/")
PAGES = ("pages/",)
WORKFORCE_PAGES = ("pages/workforce_",)

#: A page that reads its tables by name: the dictionary of :func:`ui.workforce.page_view` (or the one inside
#: PageTables) indexed by a string.
TABLE_BY_NAME = re.compile(r"\bpage_view\(|\btables\[|\._tables\b")
#: The check a table passes before it is shown, called by hand (PageTables' methods call it).
GUARD = re.compile(r"\b(?:guard|check|assert_no_disclosure)\(")
#: SQL: SQLAlchemy's text(), a connection's execute(), or SQLAlchemy imported at all (Streamlit's st.text is not
#: SQL, hence the look-behind).
SQL = re.compile(r"(?<![\w.])text\(|\.execute\(|\bexec_driver_sql\(|^\s*(?:from|import) sqlalchemy\b")
#: A cache defined in a page (caches live in ui/: ui.cache, ui.data, ui.workforce).
CACHE = re.compile(r"\b(?:cache_data|cache_resource|lru_cache)\b")
#: What ui.workforce.page_header and page_footer draw, written again in a workforce page.
HEADER = re.compile(r"\bst\.title\(|\bPRIVACY_NOTE\b|\bsynthetic_notice\(|\bother_pages\(|\bselection_text\(")


def scope(prefixes: tuple[str, ...], texts: dict[str, str] | None = None) -> dict[str, str]:
    """The sources (path -> text) whose path starts with one of ``prefixes``; ``texts`` stands in for the files
    on disk."""
    texts = read_sources() if texts is None else texts
    return {path: text for path, text in texts.items() if path.startswith(prefixes)}


def _names_an_attribute(call: ast.Call) -> bool:
    """Whether ``getattr(obj, "name", default)`` probes one attribute named in the code (a marker a patch left,
    say): a literal name with a default. A name computed at run time is dispatch, and a literal name without a
    default is only ``obj.name`` hidden from "go to definition"."""
    return (len(call.args) == 3 and isinstance(call.args[1], ast.Constant)
            and isinstance(call.args[1].value, str))


def getattr_dispatch(texts: dict[str, str]) -> list[str]:
    """``"path:line: call"`` for each ``getattr(...)`` in ``texts`` but a probe of a named attribute."""
    found = []
    for path, text in sorted(texts.items()):
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                    and not _names_an_attribute(node)):
                found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
    return sorted(found)


#: Each line check: its pattern and the sources it covers.
LINE_CHECKS = {
    "tables read by name": (TABLE_BY_NAME, PAGES),
    "guard called by a page": (GUARD, WORKFORCE_PAGES),
    "SQL in a page": (SQL, PAGES),
    "cache defined in a page": (CACHE, PAGES),
    "header or footer written again": (HEADER, WORKFORCE_PAGES),
}


def line_offenders(check: str, texts: dict[str, str] | None = None) -> list[str]:
    """The lines of the sources ``check`` covers that match its pattern."""
    pattern, prefixes = LINE_CHECKS[check]
    return matching_lines(pattern, homes=(), texts=scope(prefixes, texts))


def test_no_getattr_dispatch_in_ui_or_pages():
    assert getattr_dispatch(scope(UI)) == []


@pytest.mark.parametrize("check", list(LINE_CHECKS))
def test_no_offender(check):
    assert line_offenders(check) == []


def test_every_workforce_page_reads_its_tables_and_draws_its_header_and_footer_through_ui_workforce():
    pages = scope(WORKFORCE_PAGES)
    assert len(pages) == 5
    for path, text in pages.items():
        assert re.search(r"\buw\.page_header\([^)]*\buw\.\w+Tables\b", text), path
        assert "uw.page_header(" in text and f'PAGE = "{path}"' in text and "uw.page_footer(PAGE)" in text, path


# ---------------------------------------------------------------- each check finds a planted offender


@pytest.mark.parametrize(("planted", "found"), [
    ("table = getattr(wf, name)(staff)\n", "getattr(wf, name)"),
    ('frame = getattr(tables, f"pyramid_{level}")\n', "getattr(tables, f'pyramid_{level}')"),
    ('frame = getattr(tables, "headcount")\n', "getattr(tables, 'headcount')"),
])
def test_the_dispatch_check_finds_a_planted_getattr(planted, found):
    texts = {"ui/new.py": planted, "kpi/elsewhere.py": planted,
             "ui/patch.py": 'if getattr(Session.handle, "_patched", False):\n    pass\n'}
    assert getattr_dispatch(scope(UI, texts)) == [f"ui/new.py:1: {found}"]


@pytest.mark.parametrize(("check", "path", "planted"), [
    ("tables read by name", "pages/workforce_new.py", 'head = tables["headcount"]'),
    ("tables read by name", "pages/new.py", 'tables = uw.page_view("composition", f)'),
    ("tables read by name", "pages/workforce_new.py", 'head = tables._tables["headcount"]'),
    ("guard called by a page", "pages/workforce_new.py", "uw.guard(head)"),
    ("guard called by a page", "pages/workforce_new.py", "frame = wf.check(table)"),
    ("guard called by a page", "pages/workforce_new.py", "assert_no_disclosure(frame, dims, 'count')"),
    ("SQL in a page", "pages/new.py", 'rows = connection.execute(text("select 1")).all()'),
    ("SQL in a page", "pages/new.py", "from sqlalchemy import text"),
    ("cache defined in a page", "pages/new.py", "@st.cache_data(ttl=60)"),
    ("cache defined in a page", "pages/new.py", "@st.cache_resource"),
    ("header or footer written again", "pages/workforce_new.py", 'st.title("Workforce")'),
    ("header or footer written again", "pages/workforce_new.py", 'st.info(uw.PRIVACY_NOTE, icon="x")'),
])
def test_each_line_check_finds_a_planted_offender(check, path, planted):
    texts = {path: f"x = 1\n{planted}\n", "ui/elsewhere.py": f"{planted}\n"}
    assert line_offenders(check, texts) == [f"{path}:2: {planted}"]


def test_the_line_checks_pass_what_is_not_an_offender():
    allowed = ('st.caption(markdown_text(name) + status_text(s))\nst.text("plain")\nst.checkbox("x")\n'
               'head = tables.headcount()\n')
    assert [line_offenders(check, {"pages/workforce_new.py": allowed}) for check in LINE_CHECKS] == [
        [] for _ in LINE_CHECKS]


# ---------------------------------------------------------------- the tables check themselves


def test_a_page_table_is_checked_before_it_is_returned():
    from kpi.disclosure import DisclosureError
    from ui import workforce as uw

    small = wf.Protected(frame=pl.DataFrame({"sector": ["BR", "TSB"], "count": [3, 40]}), dims=("sector",))
    tables = uw.CompositionTables({"sectors": small, "units": replace(small, frame=small.frame.with_columns(
        pl.col("count").replace(3, None)))})
    with pytest.raises(DisclosureError):
        tables.sectors()
    assert tables.units() is tables.units()  # checked, then kept for the rerun


def test_every_page_has_a_tables_class_of_a_protected_page():
    from kpi.workforce_pages import PAGES as PROTECTED_PAGES
    from ui import workforce as uw

    assert sorted(c.PAGE for c in uw.PageTables.__subclasses__()) == sorted(PROTECTED_PAGES)


def test_no_polars_udf_runs_in_polars_pool():
    """Polars' ``map_elements`` runs Python in Polars' thread pool; beside ``st.dataframe``'s ``to_pandas`` in
    another session it deadlocked the whole server (kpi.python_columns). Every such column is computed with
    ``kpi.python_columns.python_column`` instead."""
    pattern = re.compile(r"\.(map_elements|map_batches|apply)\(")
    offenders = [f"{path}:{n}" for path in sorted({*PROJECT_DIR.glob("kpi/**/*.py"), *PROJECT_DIR.glob("ui/*.py"),
                                                  *PROJECT_DIR.glob("pages/*.py"), PROJECT_DIR / "app.py"})
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert [o.replace(str(PROJECT_DIR) + "/", "") for o in offenders] == []
