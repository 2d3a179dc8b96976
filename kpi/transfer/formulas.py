"""Text that a spreadsheet would run as a formula: neutralised in CSV files, restored on import.

A CSV file has no cell types: Excel and LibreOffice run a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)``), and a leading tab or
carriage return can hide such a start. The OWASP guidance on "CSV Injection"
(https://owasp.org/www-community/attacks/CSV_Injection) is to make sure no cell begins with
``=``, ``+``, ``-``, ``@``, tab (0x09) or carriage return (0x0D), by prefixing such cells with a
single quote ``'`` so that the spreadsheet shows them as text. (The ``csv`` module and Polars
already quote cells holding the separator or a double quote, the other half of that guidance.)

The rule, exactly (:func:`neutralise`): a text gets one more leading ``'`` when

1. it starts with any number of ``'`` (zero or more) followed by one of the
   :data:`DANGEROUS` characters, and
2. it is not a plain number (:data:`PLAIN_NUMBER`: ``-12.5``, ``-3``, ``+4``, ``-1e-05``), so
   that negative numbers stay numbers.

:func:`restore` undoes it: a text that starts with ``'``, then any number of ``'``, then a
dangerous character loses its first ``'``, unless what remains is a plain number. So
``=1+1`` is written ``'=1+1``, a note that really is ``'=1+1`` is written ``''=1+1``, and
``'quoted`` (a quote followed by a harmless character) is written as it is. Counting the
quotes, not only one of them, is what makes :func:`restore` the exact inverse of
:func:`neutralise` for every text: ``restore(neutralise(s)) == s``. So an export read back
by an import that calls :func:`restore` on every CSV cell changes nothing.

XLSX files are different: their cells are typed, and the product writes every text as a text
cell (:data:`XLSX_TEXT_ONLY`, never a formula, a link or a number), which Excel shows without
running it. XLSX text is therefore written as it is, without a neutralising quote (the quote
would be shown, and would be read back as part of the value), and :func:`restore` is for CSV
cells only.
"""
from __future__ import annotations

import re

import polars as pl

#: The characters a spreadsheet treats as the start of a formula (OWASP "CSV Injection").
DANGEROUS = "=+-@\t\r"
#: The prefix that makes a spreadsheet show a cell as text.
QUOTE = "'"
#: A plain decimal number (as :func:`kpi.transfer.values.parse_number` reads it, ASCII digits).
PLAIN_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
#: Texts :func:`neutralise` prefixes (when they are not plain numbers): quotes, then a dangerous character.
NEEDS_QUOTE = r"'*[=+\-@\t\r]"
#: Workbook options (XlsxWriter) under which text is written as text: never a formula
#: (``strings_to_formulas`` is True by default for ``worksheet.write``), a link or a number.
XLSX_TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)
_NEEDS_QUOTE = re.compile(NEEDS_QUOTE)


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is exactly a decimal number (``-12.5``, ``-3``, ``1e6``), nothing around it."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def needs_quote(text: str) -> bool:
    """Whether :func:`neutralise` prefixes ``text``: quotes then a dangerous character, not a number."""
    return _NEEDS_QUOTE.match(text) is not None and not is_plain_number(text)


def neutralise(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula (see the module docstring for the rule)."""
    return QUOTE + text if needs_quote(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`: a CSV cell's text as it was before export."""
    return text[1:] if text.startswith(QUOTE) and needs_quote(text[1:]) else text


def neutralise_expr(column: pl.Expr) -> pl.Expr:
    """:func:`neutralise` as a Polars expression on a String column (nulls stay null)."""
    is_number = column.str.contains(f"^{PLAIN_NUMBER}$")
    return pl.when(column.str.contains(f"^{NEEDS_QUOTE}") & ~is_number).then(pl.lit(QUOTE) + column).otherwise(column)


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with :func:`neutralise` applied to every text column, ready for ``write_csv``.

    String columns are neutralised in place; Categorical and Enum columns (text too, for a CSV
    file) become String columns first. Other columns (numbers, dates, booleans) are unchanged.
    """
    texts = [name for name, dtype in frame.schema.items() if dtype in (pl.String, pl.Categorical, pl.Enum)]
    if not texts:
        return frame
    return frame.with_columns(neutralise_expr(pl.col(name).cast(pl.String)).alias(name) for name in texts)
