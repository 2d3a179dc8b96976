"""Read a CSV or XLSX file into text cells, or say exactly why it cannot be read.

Nothing here knows about kinds' columns or the store: a file becomes a :class:`RawTable` (its
header and its rows of text, numbered as a spreadsheet numbers them) plus the problems found
while reading. Values are converted and checked later (:mod:`kpi.transfer.importing`), so that
every message can quote the raw text.

- CSV: UTF-8 with or without a byte-order mark; anything else is an error giving the byte
  offset of the first byte that is not UTF-8. The delimiter is a comma or a semicolon, whichever
  the header line uses (a semicolon file may write decimals with a comma, as European
  spreadsheets do). Row numbers count records as a spreadsheet shows them: the header is row 1.
- XLSX: exactly one sheet, or a sheet named after the kind; formula cells are refused (their
  value depends on the spreadsheet program); cells are turned into text (whole numbers without
  decimals, dates as YYYY-MM-DD, TRUE/FALSE for booleans).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from kpi.transfer.problems import Problem
from kpi.transfer.values import format_value

CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"
#: How many sheet names a message lists before it abbreviates.
MAX_LISTED_SHEETS = 10


@dataclass
class RawTable:
    """A file's cells as text: the header, then every non-empty row with its row number."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    header_row: int = 1
    #: Whether numbers may use a decimal comma (semicolon-separated files).
    decimal_comma: bool = False
    #: Cells (row number, column index) already reported (formulas): not checked again.
    skip: set[tuple[int, int]] = field(default_factory=set)


def read_table(content: bytes, file_name: str, kind: str) -> tuple[RawTable | None, list[Problem]]:
    """Read ``content`` (the bytes of ``file_name``) as a table for ``kind``.

    Returns the table (None when nothing could be read) and the problems found. A table with
    problems is still returned where its cells can be checked, so that one pass reports all.
    """
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        return None, [Problem(file_name, None, None, None,
                              "a .csv or .xlsx file (this is the old Excel .xls format: save it as .xlsx)")]
    if suffix in XLSX_SUFFIXES or (suffix not in CSV_SUFFIXES and content.startswith(ZIP_MAGIC)):
        return read_xlsx(content, file_name, kind)
    if suffix not in CSV_SUFFIXES and suffix:
        return None, [Problem(file_name, None, None, None, f'a .csv or .xlsx file, not "{suffix}"')]
    return read_csv(content, file_name)


# ---------------------------------------------------------------- CSV


def _decode(content: bytes, file_name: str) -> tuple[str | None, list[Problem]]:
    if content.startswith(ZIP_MAGIC):
        return None, [Problem(file_name, None, None, None,
                              "CSV text (this file is a zip archive, probably an Excel workbook: name it .xlsx)")]
    if content.startswith(UTF16_BOMS):
        return None, [Problem(file_name, None, None, None,
                              'UTF-8 text, found UTF-16 (save the file as "CSV UTF-8")')]
    offset = len(UTF8_BOM) if content.startswith(UTF8_BOM) else 0
    try:
        return content[offset:].decode("utf-8"), []
    except UnicodeDecodeError as error:
        at = offset + error.start
        row = content[:at].count(b"\n") + 1
        return None, [Problem(
            file_name, row, None, None,
            f"UTF-8 text, found byte 0x{content[at]:02X} at byte offset {at}, which is not UTF-8 "
            '(save the file as "CSV UTF-8")',
        )]


def _delimiter(header_line: str) -> str | None:
    commas, semicolons = header_line.count(","), header_line.count(";")
    if commas == semicolons == 0 and "\t" in header_line:
        return None
    return ";" if semicolons > commas else ","


def read_csv(content: bytes, file_name: str) -> tuple[RawTable | None, list[Problem]]:
    """Read CSV bytes: see the module docstring."""
    text, problems = _decode(content, file_name)
    if text is None:
        return None, problems
    if not text.strip():
        return RawTable(file_name, [], []), []
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    if delimiter is None:
        header_row = text[: text.index(first_line)].count("\n") + 1
        return None, [Problem(file_name, header_row, None, None,
                              "columns separated by commas or semicolons, found tabs")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, list[str]]] = []
    row_number = 0
    try:
        for row_number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_row = cells, row_number
            else:
                rows.append((row_number, cells))
    except csv.Error as error:
        return None, [Problem(file_name, row_number + 1, None, None,
                              f"well-formed CSV (a quote is not closed or is misplaced: {error})")]
    return RawTable(file_name, header or [], rows, header_row, decimal_comma=delimiter == ";"), []


# ---------------------------------------------------------------- XLSX


def _cell_text(value) -> str:
    """A cell's value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) else value.isoformat(sep=" ")
    if isinstance(value, (int, float, dt.date)):
        return format_value(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _sheet_names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_LISTED_SHEETS])
    return shown + (f" and {len(names) - MAX_LISTED_SHEETS} more" if len(names) > MAX_LISTED_SHEETS else "")


def read_xlsx(content: bytes, file_name: str, kind: str) -> tuple[RawTable | None, list[Problem]]:
    """Read XLSX bytes: see the module docstring."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    not_a_workbook = Problem(file_name, None, None, None,
                             "an Excel workbook (.xlsx), found a file that is not a spreadsheet")
    if not content.startswith(ZIP_MAGIC):
        return None, [not_a_workbook]
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # zipfile, KeyError, openpyxl's own errors: a zip that is no workbook
        return None, [not_a_workbook]
    try:
        names = book.sheetnames
        if len(names) == 1:
            sheet = book[names[0]]
        else:
            by_name = {name.strip().lower(): name for name in names}
            if kind.lower() not in by_name:
                return None, [Problem(file_name, None, None, _sheet_names(names),
                                      f'a single sheet, or a sheet named "{kind}"')]
            sheet = book[by_name[kind.lower()]]
        sheet.reset_dimensions()  # some writers record a wrong size: read every row there is
        problems: list[Problem] = []
        header: list[str] | None = None
        header_row = 1
        rows: list[tuple[int, list[str]]] = []
        skip: set[tuple[int, int]] = set()
        for row_number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = []
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    name = header[index] if header is not None and index < len(header) else None
                    coordinate = f"{get_column_letter(index + 1)}{row_number}"
                    problems.append(Problem(file_name, row_number, name, str(cell.value),
                                            f"a value, not a formula (cell {coordinate}: paste values only)"))
                    skip.add((row_number, index))
                    texts.append("")
                else:
                    texts.append(_cell_text(cell.value))
            if not any(text.strip() for text in texts) and not any((row_number, i) in skip for i in range(len(texts))):
                continue
            if header is None:
                header, header_row = texts, row_number
            else:
                rows.append((row_number, texts))
    except Exception:  # a damaged sheet inside a valid zip
        return None, [not_a_workbook]
    finally:
        book.close()
    return RawTable(file_name, header or [], rows, header_row, skip=skip), problems
