"""Export the records of a kind in the columns of its template (CSV or formatted XLSX).

An export is an import file: importing it into the same store changes nothing, and importing
it into another store with the same reference data then exporting again gives the same file.
Rows are sorted by the natural key (in code-point order, the same on every database).
CSV files are UTF-8 with a byte-order mark (so that Excel reads accents right), comma-separated,
and no cell starts a formula: text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` (:mod:`kpi.transfer.formulas`; numbers such as ``-3`` are unchanged).
XLSX files hold every text as a text cell, never a formula or a link, so their text is unchanged.
Observations of computed indicators and observations without a value are not exported
(they cannot be imported); see :data:`kpi.transfer.kinds.OBSERVATIONS`.
"""
from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, select

from kpi import access
from kpi.access import Actor
from kpi.charts.theme import EXCEL_HEADER_FILL, EXCEL_HEADER_TEXT
from kpi.transfer.formulas import XLSX_TEXT_ONLY, neutralise
from kpi.transfer.kinds import get_kind
from kpi.transfer.schema import BOOL, DATE, INT, NUMBER, YEAR, Kind
from kpi.transfer.values import format_value

CSV_ENCODING = "utf-8-sig"
HEADER_FORMAT = {"bold": True, "font_color": EXCEL_HEADER_TEXT, "bg_color": EXCEL_HEADER_FILL, "border": 1,
                 "text_wrap": False}
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMAT = "General"
INTEGER_FORMAT = "0"
#: Widest column of an XLSX export, in characters.
MAX_COLUMN_WIDTH = 60
PIXELS_PER_CHARACTER = 7
#: Column widths are measured on this many first rows.
WIDTH_SAMPLE_ROWS = 2000
_POLARS_TYPES = {INT: pl.Int64, YEAR: pl.Int64, NUMBER: pl.Float64, DATE: pl.Date}


def _sort_key(names: tuple[str, ...]):
    def key(record: dict):
        return tuple((record[n] is None, record[n] if record[n] is not None else "") for n in names)
    return key


def export_records(engine: Engine, kind: str | Kind) -> list[dict]:
    """The stored records of ``kind`` in its columns' terms (typed values), sorted by key."""
    spec = get_kind(kind) if isinstance(kind, str) else kind
    sub = spec.query().subquery()
    stmt = select(*(sub.c[name] for name in spec.column_names), *(sub.c[k] for k in spec.key
                                                                    if k not in spec.column_names))
    if spec.export_filter is not None:
        stmt = stmt.where(spec.export_filter(sub))
    with engine.connect() as connection:
        result = connection.execute(stmt)
        names = list(result.keys())
        records = [dict(zip(names, row)) for row in result]
    records.sort(key=_sort_key(spec.key))
    return records


def require_export(actor: Actor, spec: Kind) -> None:
    """Refuse (kpi.access.AccessDenied) unless ``actor`` may export ``spec``'s records."""
    access.require_export(actor, spec.name, spec.about_individuals)


def export_frame(engine: Engine, kind: str | Kind, *, actor: Actor) -> pl.DataFrame:
    """The export of ``kind`` as a frame: one column per template column, typed for Excel.

    Records about individuals go to HR analysts only, the rest to staff (:mod:`kpi.access`).
    """
    spec = get_kind(kind) if isinstance(kind, str) else kind
    require_export(actor, spec)
    return _frame(export_records(engine, spec), spec)


def _frame(records: list[dict], spec: Kind) -> pl.DataFrame:
    """``records`` as a frame: one column per template column, typed for Excel."""
    columns = {}
    for col in spec.columns:
        values = [r[col.name] for r in records]
        if col.type == BOOL:
            columns[col.name] = pl.Series(col.name, [format_value(v) if v is not None else None for v in values],
                                          dtype=pl.String)
        elif col.type in _POLARS_TYPES:
            columns[col.name] = pl.Series(col.name, values, dtype=_POLARS_TYPES[col.type])
        else:
            columns[col.name] = pl.Series(col.name, [v if v != "" else None for v in values], dtype=pl.String)
    return pl.DataFrame(columns)


def _write_csv(spec: Kind, records: list[dict], out: Path) -> None:
    """Write ``records`` as CSV: formatted values, text that would start a formula neutralised."""
    with out.open("w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(spec.column_names)
        for r in records:
            writer.writerow([neutralise(format_value(r[name])) for name in spec.column_names])


def _widths(spec: Kind, frame: pl.DataFrame) -> dict[str, int]:
    """Column widths in pixels: the longest of the name and the first rows' texts, capped."""
    sample = frame.head(WIDTH_SAMPLE_ROWS)
    return {
        name: PIXELS_PER_CHARACTER * min(MAX_COLUMN_WIDTH, max(
            [len(name) + 3, *(len(format_value(v)) + 2 for v in sample[name].to_list())]))
        for name in spec.column_names
    }


def _write_xlsx(spec: Kind, frame: pl.DataFrame, out: Path) -> None:
    import xlsxwriter

    # Text is text: never turned into formulas or links, whatever it starts with.
    book = xlsxwriter.Workbook(str(out), XLSX_TEXT_ONLY)
    try:
        numbers = [c.name for c in spec.columns if c.type == NUMBER]
        frame.write_excel(
            book, worksheet=spec.name, table_name=spec.name, header_format=HEADER_FORMAT, autofilter=True,
            freeze_panes=(1, 0), dtype_formats={pl.Date: DATE_FORMAT, pl.Int64: INTEGER_FORMAT},
            column_formats={name: NUMBER_FORMAT for name in numbers} or None,
            column_widths=_widths(spec, frame),
        )
    finally:
        book.close()


def run_export(engine: Engine, kind: str, out_path: str | Path, *, actor: Actor) -> int:
    """Write every record of ``kind`` to ``out_path`` (.csv or .xlsx); returns the number of rows."""
    spec = get_kind(kind)
    require_export(actor, spec)
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"cannot export to {out.name}: expected a file name ending in .csv or .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        records = export_records(engine, spec)
        _write_csv(spec, records, out)
        return len(records)
    frame = _frame(export_records(engine, spec), spec)
    _write_xlsx(spec, frame, out)
    return frame.height
