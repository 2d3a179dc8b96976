"""kpi.demo is a package of modules with one job each (issue 18), and still answers to the names its callers used
when it was one module. The data it writes is tested in tests/test_demo.py."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import kpi.demo
from kpi.demo import common

#: The longest function or method a module of the package may have (the issue asks for small pieces).
MAX_FUNCTION_LINES = 50


def _modules() -> list[str]:
    """The modules of the package, the package itself first."""
    return ["kpi.demo", *(f"kpi.demo.{m.name}" for m in pkgutil.iter_modules(kpi.demo.__path__))]


def test_the_names_callers_use_are_still_there():
    from kpi.demo import (  # noqa: F401 - the import is the test
        DEMO_SEED, INDICATOR_DESIGNS, MANDATORY_COURSES, action_status, ceb_headcount, generate, headcount_targets,
    )

    assert all(hasattr(kpi.demo, name) for name in kpi.demo.__all__)


def test_every_module_says_what_it_is_for():
    assert len(_modules()) > 5
    assert [name for name in _modules() if not (importlib.import_module(name).__doc__ or "").strip()] == []


def test_no_long_functions():
    long = []
    for path in sorted(Path(kpi.demo.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


def test_each_section_has_its_own_random_stream():
    """The stream numbers seed every section's draws: two sections sharing one would shift each other's rows."""
    assert len(set(common.STREAMS.values())) == len(common.STREAMS)
    first = common.stream(1, "workforce").random(3)
    assert (first == common.stream(1, "workforce").random(3)).all()
    assert not (first == common.stream(1, "training").random(3)).all()
