"""Exports (kpi.transfer) on SQLite and PostgreSQL: every kind makes a round trip.

From a demo store: export (CSV and XLSX) then import into the same store changes nothing (0 added,
0 changed, no change-log line); import into a store holding only the reference data (and the records
the kind requires, copied first) then export again gives the same CSV file byte for byte and an XLSX
file with the same cells.
"""
from __future__ import annotations

import csv

import openpyxl
import pytest
from sqlalchemy.orm import Session

from kpi.store import models as m
from kpi.store.frames import data_version
from kpi.transfer import KINDS, export_frame, run_export, run_import
from kpi.transfer.exporting import HEADER_FORMAT
from tests.access_support import writer
from tests.store_support import BACKENDS, OBSERVATION_HEADER, USER, count, load_required, messages


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


@pytest.mark.slow
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
        load_required(demo_store, fresh, kind, tmp_path)
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


# ---------------------------------------------------------------- formulas (issue 11)

HYPERLINK = '=HYPERLINK("http://127.0.0.1:8729/x","click")'
#: Observation notes and how a CSV export writes them (kpi.transfer.formulas.neutralise).
NOTES = {
    "D1.AFFORD": (HYPERLINK, "'" + HYPERLINK),
    "D1.PROJ": ("@SUM(1+1)", "'@SUM(1+1)"),
    "D2.PROG": ("'=already", "''=already"),
    "D3.REG": ("'quoted", "'quoted"),
    "D4.FUNDS": ("-3", "-3"),  # a number stays a number (no value column may be negative)
}


@pytest.fixture(params=BACKENDS)
def formula_store(request, stores):  # noqa: F811
    """A reference store with one observation per entry of NOTES, holding that note (set in the store)."""
    engine = stores.new(request.param)
    source = stores.directory / f"notes_{request.param}.csv"
    source.write_text(OBSERVATION_HEADER + "".join(f"{code},2024,12.5,,,,,,,,x\n" for code in NOTES),
                      encoding="utf-8")
    loaded = run_import(engine, "observations", source, actor=writer(USER))
    assert (messages(loaded), loaded.added) == ([], len(NOTES))
    with Session(engine) as s:
        for observation, code in s.query(m.Observation, m.Indicator.code).join(m.Indicator).filter(
                m.Observation.batch_id == loaded.batch_id):
            observation.note = NOTES[code][0]
        s.commit()
    yield engine
    stores.drop(engine)


def exported_notes(path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["indicator"]: (r["value"], r["note"]) for r in csv.DictReader(fh) if r["indicator"] in NOTES}


def test_csv_export_neutralises_formulas_and_keeps_numbers(formula_store, tmp_path):
    path = tmp_path / "observations.csv"
    run_export(formula_store, "observations", path, actor=writer(USER))
    assert exported_notes(path) == {code: ("12.5", written) for code, (_, written) in NOTES.items()}
    assert f'"\'=HYPERLINK(""http://127.0.0.1:8729/x"",""click"")"' in path.read_text(encoding="utf-8-sig")


def test_xlsx_export_holds_formulas_as_text_cells(formula_store, tmp_path):
    path = tmp_path / "observations.xlsx"
    run_export(formula_store, "observations", path, actor=writer(USER))
    book = openpyxl.load_workbook(path)
    try:
        sheet = book["observations"]
        header = [c.value for c in sheet[1]]
        at = {name: header.index(name) for name in ("indicator", "value", "note")}
        cells = {row[at["indicator"]].value: (row[at["value"]], row[at["note"]]) for row in sheet.iter_rows(min_row=2)}
    finally:
        book.close()
    assert {code: (value.value, value.data_type, note.value, note.data_type)
            for code, (value, note) in cells.items() if code in NOTES} == {
        code: (12.5, "n", text, "s") for code, (text, _) in NOTES.items()}


@pytest.mark.slow
def test_xlsx_export_then_import_changes_nothing(formula_store, tmp_path):
    path = tmp_path / "observations.xlsx"
    rows = run_export(formula_store, "observations", path, actor=writer(USER))
    again = run_import(formula_store, "observations", path, actor=writer(USER))
    assert (messages(again), again.added, again.changed, again.unchanged) == ([], 0, 0, rows)


@pytest.mark.slow
def test_csv_export_then_import_changes_nothing(formula_store, stores, tmp_path):  # noqa: F811
    path = tmp_path / "observations.csv"
    rows = run_export(formula_store, "observations", path, actor=writer(USER))
    logged, version = count(formula_store, m.ChangeLog), data_version(formula_store)
    again = run_import(formula_store, "observations", path, actor=writer(USER))
    assert (messages(again), again.added, again.changed, again.unchanged) == ([], 0, 0, rows)
    assert (count(formula_store, m.ChangeLog), data_version(formula_store)) == (logged, version)

    fresh = stores.new(formula_store.dialect.name)
    try:
        loaded = run_import(fresh, "observations", path, actor=writer(USER))
        assert (messages(loaded), loaded.added + loaded.changed + loaded.unchanged) == ([], rows)
        path_b = tmp_path / "observations_again.csv"
        run_export(fresh, "observations", path_b, actor=writer(USER))
        assert path_b.read_bytes() == path.read_bytes()
    finally:
        stores.drop(fresh)
