"""kpi.workforce_pages as a package of one module per job: each says its job, none is long, the package still
gives every name its callers import, and the kept views' digest covers every file of it."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import kpi.workforce_pages as wp

PACKAGE = Path(wp.__file__).resolve().parent
MODULES = sorted(PACKAGE.glob("*.py"))

#: The names the callers import from kpi.workforce_pages (app.py, pages/, ui/, kpi/cli.py, tools/, scripts/,
#: tests/), and the other public names it has always had.
CALLERS_NAMES = (
    "GAP_BY", "GROUPING_NAMES", "INDICATOR_BREAKDOWNS", "PAGES", "PAGE_TITLES", "PROTECTING_CODE", "PYRAMID_LEVELS",
    "RECRUITMENT_LEVELS", "TREND_BY", "PageProtector", "Records", "audit_command", "audit_space",
    "audited_selections", "indicator_breakdown", "kept_views", "load_records", "page_tables",
)
OTHER_PUBLIC_NAMES = (
    "FAMILY_COLUMNS", "RANGED_FROM", "RANGED_TABLES", "TREND_TABLES", "Breakdown", "PageYear", "Predicate",
    "families", "grouping", "narrower", "wider",
)


def test_the_package_has_one_module_per_job():
    assert {m.stem for m in MODULES} >= {"__init__", "records", "pages", "selections", "numbers", "program",
                                         "hiding", "protector", "breakdown", "auditing"}
    assert not (PACKAGE.parent / "workforce_pages.py").exists()


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_every_module_says_its_job_and_is_short(module):
    text = module.read_text()
    assert ast.get_docstring(ast.parse(text)), f"{module.name} has no docstring"
    assert len(text.splitlines()) <= 350, f"{module.name} has {len(text.splitlines())} lines"


@pytest.mark.parametrize("module", [m for m in MODULES if m.stem != "__init__"], ids=lambda m: m.name)
def test_every_module_imports_on_its_own(module):
    assert importlib.import_module(f"kpi.workforce_pages.{module.stem}").__doc__


def test_the_package_still_gives_every_name_its_callers_import():
    missing = [name for name in (*CALLERS_NAMES, *OTHER_PUBLIC_NAMES) if not hasattr(wp, name)]
    assert not missing
    assert set(wp.__all__) == {*CALLERS_NAMES, *OTHER_PUBLIC_NAMES}


def test_the_kept_views_digest_covers_every_file_of_the_package():
    """A change to any module of kpi.workforce_pages starts a new set of kept views (as for kpi.workforce:
    tests/test_columnar.py): a later split cannot silently drop a file from the digest."""
    digested = {Path(p).resolve() for p in wp.PROTECTING_CODE}
    assert len(MODULES) > 1
    assert digested >= {m.resolve() for m in MODULES}
