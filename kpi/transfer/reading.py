"""Read a CSV or XLSX file into text cells, or say exactly why it cannot be read.

Nothing here knows about kinds' columns or the store: a file becomes a :class:`RawTable` (its
header and its rows of text, numbered as a spreadsheet numbers them) plus the problems found
while reading. Values are converted and checked later (:mod:`kpi.transfer.importing`), so that
every message can quote the raw text.

- CSV: UTF-8 with or without a byte-order mark; anything else is an error giving the byte
  offset of the first byte that is not UTF-8. The delimiter is a comma or a semicolon, whichever
  the header line uses (a semicolon file may write decimals with a comma, as European
  spreadsheets do). Row numbers count records as a spreadsheet shows them: the header is row 1.
  A cell that an export neutralised against formulas (a leading ``'``) is restored
  (:func:`kpi.transfer.formulas.restore`), so that export then import changes nothing.
- XLSX: exactly one sheet, or a sheet named after the kind; formula cells are refused (their
  value depends on the spreadsheet program); cells are turned into text (whole numbers without
  decimals, dates as YYYY-MM-DD, TRUE/FALSE for booleans).

Every file is read within :class:`~kpi.transfer.limits.ImportLimits`: its bytes first, an .xlsx's
unpacked size (declared, then counted while unpacking) before it is parsed, rows and cell lengths
while reading.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kpi.transfer.formulas import QUOTE, restore
from kpi.transfer.limits import DEFAULT_LIMITS, ImportLimits, shortened, size_text
from kpi.transfer.problems import Problem
from kpi.transfer.values import format_value

CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"
#: How many sheet names a message lists before it abbreviates.
MAX_LISTED_SHEETS = 10
#: Entries a workbook's zip may hold (a real one has a few dozen).
MAX_ZIP_ENTRIES = 10_000
#: Bytes unpacked per read while counting an .xlsx's unpacked size.
UNPACK_CHUNK = 1024 * 1024


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


def read_table(content: bytes, file_name: str, kind: str,
               limits: ImportLimits = DEFAULT_LIMITS) -> tuple[RawTable | None, list[Problem]]:
    """Read ``content`` (the bytes of ``file_name``) as a table for ``kind``, within ``limits``.

    Returns the table (None when nothing could be read) and the problems found. A table with
    problems is still returned where its cells can be checked, so that one pass reports all.
    """
    if len(content) > limits.max_bytes:
        return None, [too_large(file_name, len(content), limits)]
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        return None, [Problem(file_name, None, None, None,
                              "a .csv or .xlsx file (this is the old Excel .xls format: save it as .xlsx)")]
    if suffix in XLSX_SUFFIXES or (suffix not in CSV_SUFFIXES and content.startswith(ZIP_MAGIC)):
        return read_xlsx(content, file_name, kind, limits)
    if suffix not in CSV_SUFFIXES and suffix:
        return None, [Problem(file_name, None, None, None, f'a .csv or .xlsx file, not "{suffix}"')]
    return read_csv(content, file_name, limits)


def too_large(file_name: str, size: int, limits: ImportLimits) -> Problem:
    """The problem of a file over ``limits.max_bytes``."""
    return Problem(file_name, None, None, None, f"a file of at most {size_text(limits.max_bytes)} (this one has "
                                                f"{size_text(size)}): split it into several files")


class _Rows:
    """Collects a file's rows within the limits: the header, then data rows and long-cell problems."""

    def __init__(self, file_name: str, limits: ImportLimits):
        self.file, self.limits = file_name, limits
        self.header: list[str] | None = None
        self.header_row = 1
        self.rows: list[tuple[int, list[str]]] = []
        self.problems: list[Problem] = []
        self.skip: set[tuple[int, int]] = set()

    def add(self, row_number: int, cells: list[str]) -> Problem | None:
        """Keep one non-empty row; a Problem that ends the reading when the file has too many rows."""
        limit = self.limits.max_cell_chars
        if max(map(len, cells), default=0) > limit:
            for i, cell in enumerate(cells):
                if len(cell) > limit:
                    column = self.header[i] if self.header is not None and i < len(self.header) else None
                    self.problems.append(Problem(self.file, row_number, column, shortened(cell),
                                                 f"at most {limit:,} characters in a cell"))
                    self.skip.add((row_number, i))
                    cells[i] = ""
        if self.header is None:
            self.header, self.header_row = cells, row_number
        elif len(self.rows) >= self.limits.max_rows:
            return Problem(self.file, row_number, None, None,
                           f"at most {self.limits.max_rows:,} rows of data (this file has more): split it into "
                           "several files")
        else:
            self.rows.append((row_number, cells))
        return None

    def table(self, decimal_comma: bool = False) -> RawTable:
        return RawTable(self.file, self.header or [], self.rows, self.header_row, decimal_comma=decimal_comma,
                        skip=self.skip)


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


def read_csv(content: bytes, file_name: str,
             limits: ImportLimits = DEFAULT_LIMITS) -> tuple[RawTable | None, list[Problem]]:
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
    # The csv module refuses a field over its limit; past ours a cell is reported, not the whole file.
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131_072))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    collected = _Rows(file_name, limits)
    quoted = QUOTE in text  # exports neutralise formulas with a leading quote (kpi.transfer.formulas)
    row_number = 0
    try:
        for row_number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if quoted:
                cells = [restore(cell) for cell in cells]
            if (too_many := collected.add(row_number, cells)) is not None:
                return None, [too_many]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            return None, [Problem(file_name, row_number + 1, None, None,
                                  f"at most {limits.max_cell_chars:,} characters in a cell")]
        return None, [Problem(file_name, row_number + 1, None, None,
                              f"well-formed CSV (a quote is not closed or is misplaced: {error})")]
    return collected.table(decimal_comma=delimiter == ";"), collected.problems


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


def _unpacked_size_problem(content: bytes, file_name: str, limits: ImportLimits,
                           not_a_workbook: Problem) -> Problem | None:
    """Refuse a zip that declares, or really unpacks to, more than the limit (counted while unpacking)."""
    limit = limits.max_unpacked_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return Problem(file_name, None, None, None,
                               f"a workbook of at most {MAX_ZIP_ENTRIES:,} parts (this one has {len(entries):,})")
            declared = sum(e.file_size for e in entries)
            if declared > limit:
                return Problem(file_name, None, None, None, f"a workbook that unpacks to at most {size_text(limit)} "
                                                            f"(this one declares {size_text(declared)})")
            unpacked = 0
            for entry in entries:  # a forged directory must not get a large part through
                with archive.open(entry) as part:
                    while chunk := part.read(UNPACK_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            return Problem(file_name, None, None, None,
                                           f"a workbook that unpacks to at most {size_text(limit)} (this one "
                                           "unpacks to more)")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        return not_a_workbook
    return None


def read_xlsx(content: bytes, file_name: str, kind: str,
              limits: ImportLimits = DEFAULT_LIMITS) -> tuple[RawTable | None, list[Problem]]:
    """Read XLSX bytes: see the module docstring."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    not_a_workbook = Problem(file_name, None, None, None,
                             "an Excel workbook (.xlsx), found a file that is not a spreadsheet")
    if not content.startswith(ZIP_MAGIC):
        return None, [not_a_workbook]
    if (too_big := _unpacked_size_problem(content, file_name, limits, not_a_workbook)) is not None:
        return None, [too_big]
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
        collected = _Rows(file_name, limits)
        problems, skip = collected.problems, collected.skip
        for row_number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = []
            header = collected.header
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    name = header[index] if header is not None and index < len(header) else None
                    coordinate = f"{get_column_letter(index + 1)}{row_number}"
                    problems.append(Problem(file_name, row_number, name, shortened(str(cell.value)),
                                            f"a value, not a formula (cell {coordinate}: paste values only)"))
                    skip.add((row_number, index))
                    texts.append("")
                else:
                    texts.append(_cell_text(cell.value))
            if not any(text.strip() for text in texts) and not any((row_number, i) in skip for i in range(len(texts))):
                continue
            if (too_many := collected.add(row_number, texts)) is not None:
                return None, [too_many]
    except Exception:  # a damaged sheet inside a valid zip
        return None, [not_a_workbook]
    finally:
        book.close()
    return collected.table(), problems
