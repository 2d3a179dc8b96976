"""The dashboard's own Python sources (kpi/, ui/, pages/, app.py), read for tests that look for a copy of a rule,
a colour or a word outside its one home (issue 18)."""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: Where the dashboard's code lives: the packages and the entry point (tests and tools are not scanned).
SCANNED = ("kpi", "ui", "pages", "app.py")


def sources() -> list[str]:
    """Every Python source of :data:`SCANNED`, as a path relative to the project ("kpi/charts/theme.py")."""
    found = []
    for name in SCANNED:
        path = PROJECT_DIR / name
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        found += [f.relative_to(PROJECT_DIR).as_posix() for f in files]
    return found


def read_sources() -> dict[str, str]:
    """Every source of :func:`sources` with its text."""
    return {p: (PROJECT_DIR / p).read_text(encoding="utf-8") for p in sources()}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string nodes that are docstrings (of the module, a class or a function)."""
    owners = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef,
                                                                    ast.AsyncFunctionDef)))]
    return {id(o.body[0].value) for o in owners
            if o.body and isinstance(o.body[0], ast.Expr) and isinstance(o.body[0].value, ast.Constant)
            and isinstance(o.body[0].value.value, str)}


def string_literals(source: str, *, docstrings: bool = True) -> Iterator[tuple[int, str]]:
    """Each string literal of ``source`` with its line: whole strings, and the literal parts of f-strings
    (comments are never strings); docstrings left out unless ``docstrings``."""
    tree = ast.parse(source)
    skipped = set() if docstrings else _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node.lineno, node.value


def offenders(pattern: re.Pattern, *, homes: tuple[str, ...], texts: dict[str, str] | None = None,
              docstrings: bool = True) -> list[str]:
    """``"path:line: match"`` for each string literal matching ``pattern`` in a source that is not one of
    ``homes``. ``texts`` (path -> source) stands in for the files on disk, so a test can plant an offender."""
    texts = read_sources() if texts is None else texts
    found = []
    for path, text in sorted(texts.items()):
        if path in homes:
            continue
        for line, value in sorted(string_literals(text, docstrings=docstrings)):
            found += [f"{path}:{line}: {m.group(0)}" for m in pattern.finditer(value)]
    return found


def matching_lines(pattern: re.Pattern, *, homes: tuple[str, ...], texts: dict[str, str] | None = None) -> list[str]:
    """``"path:line: text"`` for each source line (code, not only strings) matching ``pattern`` outside
    ``homes``; ``texts`` as in :func:`offenders`."""
    texts = read_sources() if texts is None else texts
    return [f"{path}:{n}: {line.strip()}" for path, text in sorted(texts.items()) if path not in homes
            for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def collection_literals(source: str) -> Iterator[tuple[int, list]]:
    """Each tuple, list and set literal of ``source`` and the keys of each dict literal, with its line: the
    value of each element that is a constant, ``...`` (Ellipsis) for any other expression (a name, a call)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            elements = [k for k in node.keys if k is not None]
        else:
            continue
        yield node.lineno, [e.value if isinstance(e, ast.Constant) else ... for e in elements]
