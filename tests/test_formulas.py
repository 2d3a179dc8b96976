"""CSV injection (issue 11): kpi.transfer.formulas neutralises formula text, restore undoes it exactly,
and the explorer's and data page's downloads (ui.downloads) carry no formula: CSV text is
neutralised, XLSX text is written as text cells (read back with openpyxl).
"""
from __future__ import annotations

import csv
import io
import itertools

import openpyxl
import polars as pl
import pytest

from kpi.transfer.formulas import (
    DANGEROUS, XLSX_TEXT_ONLY, is_plain_number, needs_quote, neutralise, neutralise_frame, restore,
)
from ui.downloads import csv_bytes, excel_bytes

HYPERLINK = '=HYPERLINK("http://127.0.0.1:8729/x","click")'
#: (text, as a CSV export writes it): the issue's payloads, then legitimate texts.
CASES = [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    (HYPERLINK, "'" + HYPERLINK),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("-12.5", "-12.5"),
    ("-3", "-3"),
    ("+4", "+4"),
    ("-1e-05", "-1e-05"),
    ("-", "'-"),
    ("-inf", "'-inf"),
    ("- 3", "'- 3"),
    ("-3\n", "'-3\n"),
    ("'quoted", "'quoted"),
    ("'=already", "''=already"),
    ("''=twice", "'''=twice"),
    ("'-3", "''-3"),
    ("''", "''"),
    ("'", "'"),
    ("", ""),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    (" =1+1", " =1+1"),
    ("12", "12"),
]


@pytest.mark.parametrize(("text", "written"), CASES)
def test_neutralise_and_restore_each_case(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


@pytest.mark.parametrize(("written", "restored"), [
    ("'quoted", "'quoted"),      # a quote before a harmless character is the text's own
    ("'-3", "'-3"),              # neutralise never writes a quote before a number
    ("'12", "'12"),
    ("''=x", "'=x"),
    ("'=x", "=x"),
    ("=x", "=x"),                # a formula text written by hand is read as it is
])
def test_restore_of_texts_neutralise_does_not_write(written, restored):
    assert restore(written) == restored


def test_plain_numbers():
    assert [t for t in ("-12.5", "-3", "+4", "1e6", "-.5", "5.", "-1E+05") if not is_plain_number(t)] == []
    assert [t for t in ("-", "+", "-e5", "1-1", "-1,5", "-3 ", " -3", "-nan", "-٣", "") if is_plain_number(t)] == []


def test_round_trip_over_generated_strings():
    alphabet = ["'", *DANGEROUS, "1", ".", "e", "a", " ", "\n", '"', ","]
    texts = ["".join(p) for n in range(6) for p in itertools.product(alphabet, repeat=n)]
    assert len(alphabet) == 15 and len(texts) == sum(15 ** n for n in range(6))  # 813,616 strings
    broken = [t for t in texts if restore(neutralise(t)) != t]
    assert broken == []
    # and what is written never starts a formula, unless it is a plain number
    unsafe = [t for t in texts if neutralise(t)[:1] in tuple(DANGEROUS) and not is_plain_number(neutralise(t))]
    assert unsafe == []


def test_neutralise_frame_matches_neutralise_and_keeps_other_columns():
    texts = [text for text, _ in CASES] + [None]
    frame = pl.DataFrame({
        "text": texts,
        "value": [-12.5, -3.0, *range(len(texts) - 2)],
        "count": pl.Series([-3, *range(len(texts) - 1)], dtype=pl.Int32),
        "flag": [True, *([False] * (len(texts) - 1))],
        "label": pl.Series(["@SUM(1+1)", *(["a"] * (len(texts) - 1))], dtype=pl.Categorical),
    })
    out = neutralise_frame(frame)
    assert out["text"].to_list() == [neutralise(t) for t in texts[:-1]] + [None]
    assert out.schema == {"text": pl.String, "value": pl.Float64, "count": pl.Int32, "flag": pl.Boolean,
                          "label": pl.String}
    assert out.select("value", "count", "flag").equals(frame.select("value", "count", "flag"))
    assert out["label"].to_list()[:2] == ["'@SUM(1+1)", "a"]
    assert neutralise_frame(pl.DataFrame({"n": [-1, 2]})).equals(pl.DataFrame({"n": [-1, 2]}))


def test_neutralise_frame_agrees_with_neutralise_on_generated_strings():
    alphabet = ["'", "=", "-", "\t", "1", ".", "a"]
    texts = ["".join(p) for n in range(6) for p in itertools.product(alphabet, repeat=n)]
    assert neutralise_frame(pl.DataFrame({"t": texts}))["t"].to_list() == [neutralise(t) for t in texts]


def test_csv_download_neutralises_text_and_leaves_numbers():
    frame = pl.DataFrame({"label": [HYPERLINK, "-3", "'=already", "Africa"], "value": [-12.5, -3.0, 1.0, 2.5]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"))))
    assert rows == [["label", "value"], ["'" + HYPERLINK, "-12.5"], ["-3", "-3.0"], ["''=already", "1.0"],
                    ["Africa", "2.5"]]
    assert [[restore(cell) for cell in row] for row in rows[1:]] == [
        [HYPERLINK, "-12.5"], ["-3", "-3.0"], ["'=already", "1.0"], ["Africa", "2.5"]]


def test_excel_download_writes_text_as_text():
    texts = [HYPERLINK, "=1+1", "+1+1", "@SUM(1+1)", "-1+1", "http://127.0.0.1:8729/x", "123", "'=already"]
    frame = pl.DataFrame({"label": texts, "value": [-12.5, *range(len(texts) - 1)]})
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(frame, "sheet", "Title")))
    sheet = book["sheet"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "label")
    cells = list(sheet.iter_rows(min_row=header[0].row + 1))
    assert [(c[0].value, c[0].data_type, c[0].hyperlink) for c in cells] == [(t, "s", None) for t in texts]
    assert (cells[0][1].value, cells[0][1].data_type) == (-12.5, "n")


def test_xlsx_options_turn_nothing_into_formulas_links_or_numbers():
    assert XLSX_TEXT_ONLY == {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    assert needs_quote("=1") and not needs_quote("-1") and not needs_quote("'a")
