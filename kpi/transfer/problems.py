"""What is wrong with an input file, said so that the person who made it can fix it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem of an input file, located as its author sees it.

    ``row`` counts rows as a spreadsheet shows them (the header is row 1; None for the whole
    file); ``column`` is the column's name in the header (None for a whole row or file);
    ``value`` is the raw text found (None where there is no single raw value); ``expected``
    says what would have been right. ``str(problem)`` gives the one-line message, e.g.
    ``observations.csv, row 7, column "value": found "abc", expected a number``.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        what = f"expected {self.expected}" if self.value is None else f'found "{self.value}", expected {self.expected}'
        return f"{', '.join(where)}: {what}"
