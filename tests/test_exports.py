"""Exports (kpi.transfer) on SQLite and PostgreSQL: every kind makes a round trip.

From a demo store: export (CSV and XLSX) then import into the same store changes nothing (0 added,
0 changed, no change-log line); import into a store holding only the reference data then export
again gives the same CSV file byte for byte and an XLSX file with the same cells.
"""
from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy.orm import Session

from kpi.store import models as m
from kpi.store.frames import data_version
from kpi.transfer import KINDS, export_frame, run_export, run_import
from kpi.transfer.exporting import HEADER_FORMAT
from tests.access_support import writer
from tests.test_imports import BACKENDS, USER, count, messages, stores  # noqa: F401 (stores is a fixture)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_store(request, stores):  # noqa: F811
    engine = stores.new(request.param, "demo")
    yield engine
    stores.drop(engine)


def sheet_cells(path) -> tuple[list[str], list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book.sheetnames, [tuple(row) for row in book[book.sheetnames[0]].iter_rows(values_only=True)]
    finally:
        book.close()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_makes_a_round_trip(demo_store, stores, tmp_path, kind):  # noqa: F811
    csv_a, xlsx_a = tmp_path / f"{kind}.csv", tmp_path / f"{kind}.xlsx"
    rows = run_export(demo_store, kind, csv_a, actor=writer(USER))
    assert rows > 0
    assert run_export(demo_store, kind, xlsx_a, actor=writer(USER)) == rows
    assert csv_a.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(KINDS[kind].column_names)

    logged, version = count(demo_store, m.ChangeLog), data_version(demo_store)
    for path in (csv_a, xlsx_a):
        again = run_import(demo_store, kind, path, actor=writer(USER))
        assert (path.name, messages(again), again.added, again.changed, again.unchanged) == (
            path.name, [], 0, 0, rows)
    assert (count(demo_store, m.ChangeLog), data_version(demo_store)) == (logged, version)

    fresh = stores.new(demo_store.dialect.name)
    try:
        loaded = run_import(fresh, kind, csv_a, actor=writer(USER))
        assert (messages(loaded), loaded.added + loaded.changed + loaded.unchanged) == ([], rows)
        csv_b, xlsx_b = tmp_path / f"{kind}_again.csv", tmp_path / f"{kind}_again.xlsx"
        run_export(fresh, kind, csv_b, actor=writer(USER))
        run_export(fresh, kind, xlsx_b, actor=writer(USER))
        assert csv_b.read_bytes() == csv_a.read_bytes()
        assert sheet_cells(xlsx_b) == sheet_cells(xlsx_a)
    finally:
        stores.drop(fresh)


def test_xlsx_export_is_formatted(demo_store, tmp_path):
    path = tmp_path / "recruitments.xlsx"
    rows = run_export(demo_store, "recruitments", path, actor=writer(USER))
    book = openpyxl.load_workbook(path)
    sheet = book["recruitments"]
    assert book.sheetnames == ["recruitments"]
    assert [c.value for c in sheet[1]] == KINDS["recruitments"].column_names
    assert all(c.font.b for c in sheet[1])
    assert sheet["A1"].fill.fgColor.rgb.endswith(HEADER_FORMAT["bg_color"].lstrip("#"))
    assert sheet.freeze_panes == "A2"
    table = sheet.tables["recruitments"]
    assert table.ref == f"A1:G{rows + 1}" and table.autoFilter is not None
    assert all(sheet.column_dimensions[col].width >= len(name) for col, name in zip("ABCDEFG", KINDS["recruitments"]
                                                                                      .column_names))
    assert sheet["E2"].number_format == "yyyy-mm-dd" and sheet["E2"].is_date


def test_export_frame_has_the_template_columns(demo_store):
    frame = export_frame(demo_store, "budget", actor=writer(USER))
    assert frame.columns == KINDS["budget"].column_names
    assert frame.height == count(demo_store, m.BudgetLine)


def test_observation_exports_leave_out_computed_indicators(demo_store, tmp_path):
    path = tmp_path / "observations.csv"
    rows = run_export(demo_store, "observations", path, actor=writer(USER))
    with Session(demo_store) as s:
        reported = s.query(m.Observation).join(m.Indicator).filter(
            m.Indicator.computed_from == "", m.Observation.value.is_not(None)).count()
        computed = s.query(m.Observation).join(m.Indicator).filter(m.Indicator.computed_from != "").count()
    assert computed > 0 and rows == reported
    assert not any(line.startswith("E1.") for line in path.read_text(encoding="utf-8-sig").splitlines())


def test_empty_kind_exports_a_header_and_unknown_suffix_is_refused(stores, tmp_path):  # noqa: F811
    engine = stores.new("sqlite")
    try:
        path = tmp_path / "budget.csv"
        assert run_export(engine, "budget", path, actor=writer(USER)) == 0
        assert path.read_text(encoding="utf-8-sig") == ",".join(KINDS["budget"].column_names) + "\n"
        with pytest.raises(ValueError, match="expected a file name ending in .csv or .xlsx"):
            run_export(engine, "budget", tmp_path / "budget.json", actor=writer(USER))
        with pytest.raises(ValueError, match="unknown kind 'colours'"):
            run_export(engine, "colours", tmp_path / "c.csv", actor=writer(USER))
    finally:
        stores.drop(engine)
