"""The tests' own layout: shared fixtures live in conftest.py and shared helpers in the *_support modules, so that
no test file imports another (importing a test file's fixture runs its module twice and makes a second copy of
every fixture it holds)."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent


def imports_of_test_files(source: str) -> list[str]:
    """The test modules (``tests.test_*``) that ``source`` imports, in order."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            names = [parts[-1]] if parts[0] == "tests" and len(parts) > 1 else [a.name for a in node.names]
            found += [f"tests.{n}" for n in names if n.startswith("test_") and parts[0] == "tests"]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("tests.test_")]
    return found


def test_no_test_file_imports_another():
    offenders = {p.name: imports_of_test_files(p.read_text(encoding="utf-8")) for p in sorted(TESTS_DIR.glob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_scan_finds_each_way_of_importing_a_test_file():
    planted = ("from tests.test_imports import stores\n"
               "from tests import test_exports\n"
               "import tests.test_reference\n"
               "from tests.store_support import fingerprint\n")
    assert imports_of_test_files(planted) == ["tests.test_imports", "tests.test_exports", "tests.test_reference"]
