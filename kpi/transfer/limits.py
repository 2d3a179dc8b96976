"""Bounds on what one import may cost: bytes, unpacked size, rows, cell length, problems, time.

An upload is untrusted: a 1 MB workbook can unpack to gigabytes, a CSV can hold millions of rows
of problems. Each bound is checked as early as it can be (bytes before reading, the zip's declared
and then its actually unpacked sizes before parsing, rows and cells while reading, problems and
time while checking), and each refusal is a :class:`~kpi.transfer.problems.Problem` that says
which bound, so that the import stays all or nothing and the message tells what to do.

The pages use :data:`DEFAULT_LIMITS`; an operator may raise them on the command line
(``python -m kpi import --max-rows N --max-bytes N ...``).
"""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """The bounds of one import (see the module docstring)."""

    #: Bytes of the file as uploaded (Streamlit's ``server.maxUploadSize`` is the same 20 MB).
    max_bytes: int = 20 * MB
    #: Bytes an .xlsx may unpack to, counted while unpacking (not only as its zip directory says).
    max_unpacked_bytes: int = 200 * MB
    #: Data rows below the header.
    max_rows: int = 250_000
    #: Characters in one cell (a definition or a note is a few hundred).
    max_cell_chars: int = 10_000
    #: Problems reported; checking stops there ("and more").
    max_problems: int = 500
    #: Seconds that checking a file may take before it stops with a problem.
    max_seconds: float = 120.0


DEFAULT_LIMITS = ImportLimits()


def size_text(n: int) -> str:
    """``n`` bytes in words: "1.5 MB", "820 bytes"."""
    return f"{n / MB:,.1f} MB" if n >= MB / 10 else f"{n:,} bytes"


def shortened(text: str, keep: int = 60) -> str:
    """``text`` cut to ``keep`` characters for a message, saying how long it was."""
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text):,} characters)"
