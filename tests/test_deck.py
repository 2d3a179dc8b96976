"""What a Council session keeps and takes away: snapshots frozen once (kpi.snapshots), the PowerPoint deck and
the PDF progress report (kpi.deck), read back with python-pptx, pdftotext and LibreOffice, and the command line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from kpi.access import ADMINISTRATOR, AccessDenied
from kpi.deck import stamp_text, status_word, write_pdf, write_pptx
from kpi.presentation import build_sequence, sequence_content
from kpi.scorecard import indicator_status
from kpi.snapshots import changes, freeze, load_snapshot, snapshot_names
from kpi.store.engine import make_engine
from kpi.store.frames import load_results
from kpi.transfer import run_import
from tests.access_support import signed_in, writer
from tests.browser_support import PROJECT_DIR, SCREENSHOT_DIR

CYCLE, YEAR, YEARS = "2024-2027", 2025, (2015, 2027)
ADMIN = signed_in("admin@example.org", ADMINISTRATOR)


@pytest.fixture
def store(demo_store_url, tmp_path):
    """A copy of the demo store, for a test that freezes and imports."""
    path = tmp_path / "deck.sqlite"
    shutil.copy(demo_store_url.removeprefix("sqlite:///"), path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def content_of(engine, *, validated_only: bool = True, codes: list[str] | None = None) -> dict:
    data = load_results(engine)
    statuses = indicator_status(data, CYCLE, YEAR, validated_only=validated_only)
    return sequence_content(data, statuses, build_sequence(statuses, codes), as_of_year=YEAR, years=YEARS,
                            validated_only=validated_only)


@pytest.fixture(scope="module")
def demo_content(demo_store_url) -> dict:
    engine = make_engine(demo_store_url)
    try:
        return content_of(engine)
    finally:
        engine.dispose()


def test_the_deck_has_a_slide_per_view_with_native_charts_notes_and_the_stamp(demo_content, tmp_path):
    out = tmp_path / "council.pptx"
    stamp = stamp_text(demo_content)
    write_pptx(demo_content, out, stamp=stamp)
    deck = Presentation(str(out))
    slides = demo_content["slides"]
    assert len(deck.slides) == len(slides)
    for number, (slide, shown) in enumerate(zip(deck.slides, slides, strict=True), start=1):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert texts[0] == shown["title"]
        assert f"{stamp} · Sources: {demo_content['sources']}" in texts
        assert f"Slide {number} of {len(slides)}" in texts
        charts = [shape.chart.chart_type for shape in slide.shapes if shape.has_chart]
        notes = slide.notes_slide.notes_text_frame.text
        assert f"Sources: {demo_content['sources']}." in notes
        if shown["kind"] == "scorecard":
            assert charts == [XL_CHART_TYPE.BAR_STACKED]
        elif shown["kind"] == "indicator":
            assert charts == [XL_CHART_TYPE.LINE_MARKERS]
            assert notes.startswith(shown["explanation"])  # the status reason, for the speaker
            chart = next(s.chart for s in slide.shapes if s.has_chart)
            actual = dict(zip(chart.plots[0].categories, chart.series[0].values, strict=True))
            assert {str(r["year"]): r["value"] for r in shown["headline"]}.items() <= actual.items()
        else:
            table = next(s.table for s in slide.shapes if s.has_table)
            assert [table.cell(i + 1, 0).text for i in range(len(shown["rows"]))] == [
                status_word(r["status"]) for r in shown["rows"]]
            assert all(f"{r['code']}: {r['explanation']}" in notes for r in shown["rows"])


def test_the_report_names_every_indicator_with_its_status_and_reason(demo_content, tmp_path):
    out = tmp_path / "report.pdf"
    write_pdf(demo_content, out, stamp=stamp_text(demo_content), title="Strategic Plan 2024-2027: progress report")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Contents" in flat and "Strategic Plan 2024-2027: progress report" in flat
    indicators = [i for goal in demo_content["goals"] for i in goal["indicators"]]
    assert len(indicators) == 23
    for shown in indicators:
        # The status word beside the reason, which (wrapped over lines in the PDF) reads the same.
        assert f"{status_word(shown['status'])} {' '.join(shown['explanation'].split())}" in flat, shown["code"]
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    assert pages >= 1 + len(demo_content["goals"])
    assert flat.count(f"{stamp_text(demo_content)} · page ") == pages  # the stamp on every page


@pytest.mark.slow
def test_libreoffice_opens_the_deck_with_every_slide_and_title(demo_content, tmp_path):
    """The deck converted by LibreOffice Impress (headless) to PDF, then to PNG with pdftoppm: one page per
    slide, each slide's title in its text; the images are kept under artifacts/ to be looked at."""
    deck = tmp_path / "council.pptx"
    write_pptx(demo_content, deck, stamp=stamp_text(demo_content))
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "council.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {len(demo_content['slides'])}" in info
    for number, shown in enumerate(demo_content["slides"], start=1):
        page = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert " ".join(shown["title"].split()) in " ".join(page.split()), number
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SCREENSHOT_DIR / "deck-libreoffice")], check=True)
    assert len(list(SCREENSHOT_DIR.glob("deck-libreoffice-*.png"))) >= len(demo_content["slides"])


def test_a_snapshot_never_changes_after_an_import_and_lists_what_changed(store, tmp_path):
    live_before = content_of(store, validated_only=False)
    frozen = freeze(store, "Council 2026 (C26)", title="Council 2026", sequence="default", cycle=CYCLE, year=YEAR,
                    content=live_before, actor=ADMIN)
    assert frozen.provisional  # it holds provisional values: staff only
    assert load_snapshot(store, frozen.name, validated_only=True) is None
    assert snapshot_names(store, validated_only=True) == []
    deck_before = tmp_path / "before.pptx"
    write_pptx(load_snapshot(store, frozen.name).content, deck_before, stamp="s")

    # A new value arrives: D1.PROJ for 2025.
    values = tmp_path / "values.csv"
    values.write_text("indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\n"
                      "D1.PROJ,2025,95,,,,,,,,new figure\n")
    result = run_import(store, "observations", values, actor=writer("steward@example.org"))
    assert result.problems == []

    again = load_snapshot(store, frozen.name)
    assert again.content == json.loads(json.dumps(live_before))  # unchanged, to the last figure
    deck_after = tmp_path / "after.pptx"
    write_pptx(again.content, deck_after, stamp="s")
    assert len(Presentation(str(deck_after)).slides) == len(Presentation(str(deck_before)).slides)
    live_after = content_of(store, validated_only=False)
    changed = changes(again.content, live_after)
    # D1.PROJ's 2025 value was 74.3 % (flagged provisional, at risk; the flag is said beside the value); 95 % now
    # reaches its 2027 target of 80.7 %.
    assert changed.rows() == [("D1.PROJ", "Status", "At risk", "Achieved"),
                              ("D1.PROJ", "Latest value", "74.3 % (2025, provisional)", "95.0 % (2025)")]


def test_a_snapshot_is_frozen_once_by_an_administrator_under_a_usable_name(store):
    content = content_of(store)
    kept = freeze(store, "C26", title="", sequence="default", cycle=CYCLE, year=YEAR, content=content, actor=ADMIN)
    assert not kept.provisional and kept.title == "C26"
    assert snapshot_names(store, validated_only=True) == ["C26"]
    with pytest.raises(ValueError, match="exists and is never replaced"):
        freeze(store, " C26 ", title="again", sequence="default", cycle=CYCLE, year=YEAR, content=content,
               actor=ADMIN)
    with pytest.raises(AccessDenied):
        freeze(store, "C27", title="", sequence="default", cycle=CYCLE, year=YEAR, content=content,
               actor=signed_in("steward@example.org", "data_steward", sector="ITU-D"))
    for bad in ("", "   ", "x" * 81, "<script>", "a/b"):
        with pytest.raises(ValueError):
            freeze(store, bad, title="", sequence="default", cycle=CYCLE, year=YEAR, content=content, actor=ADMIN)
    assert snapshot_names(store) == ["C26"]


def test_the_command_line_writes_a_deck_and_a_report_of_a_snapshot(store, tmp_path):
    freeze(store, "Council 2026 (C26)", title="Council 2026", sequence="default", cycle=CYCLE, year=YEAR,
           content=content_of(store, codes=["E1.RECRUIT"]), actor=ADMIN)
    env = {**os.environ, "RBM_DATABASE_URL": store.url.render_as_string(hide_password=False)}
    deck, report = tmp_path / "c26.pptx", tmp_path / "c26.pdf"
    for out in (deck, report):
        done = subprocess.run([sys.executable, "-m", "kpi", "export-deck", "--snapshot", "Council 2026 (C26)",
                               "--out", str(out)], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
        # scorecard, G1 in two parts, G2, E1 in two parts, E1.RECRUIT
        assert (done.returncode, done.stdout.strip()) == (0, f"wrote {out}: 7 slides of snapshot “Council 2026 (C26)”")
    titles = [s.shapes[0].text_frame.text for s in Presentation(str(deck)).slides]
    assert titles[0] == "Scorecard" and titles[-1] == "Average recruitment timeline (days)"
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
    assert "As presented on" in text
    refused = subprocess.run([sys.executable, "-m", "kpi", "export-deck", "--snapshot", "nope", "--out",
                              str(tmp_path / "x.pptx")], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert (refused.returncode, refused.stderr.strip()) == (2, "error: no snapshot named “nope”")
    wrong = subprocess.run([sys.executable, "-m", "kpi", "export-deck", "--out", str(tmp_path / "x.docx")],
                           cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert (wrong.returncode, wrong.stderr.strip()) == (
        2, "error: cannot write x.docx: the file name must end in .pptx or .pdf")
