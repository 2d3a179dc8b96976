"""Hostile files: each import is refused within bounded time and memory, says why, and changes nothing.

Every file is generated here (the large ones in a temporary folder, never committed) and imported by
the command line in a subprocess under a memory limit (RLIMIT_AS) and a time limit: the test fails when
either is hit. The peak resident memory of each run is printed (``-s`` shows it) for the notes.
"""
from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from kpi import access
from kpi.store.bulk import StoreBusy
from kpi.transfer import run_import, validate_period
from tests.access_support import signed_in, writer
from tests.store_support import PROJECT_DIR, fingerprint, staff_csv

#: The address space a hostile import may use (a plain import of a small file needs about 0.5 GB).
MEMORY_LIMIT = int(1.5 * 1024**3)
TIME_LIMIT_S = 90
OBS_HEADER = "indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\n"
CHUNK = b"A" * (1024 * 1024)


def _real_workbook() -> dict[str, bytes]:
    """The parts of a real one-sheet workbook ("observations", a header row) written by XlsxWriter."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    book.add_worksheet("observations").write_row(0, 0, ["indicator", "year", "value"])
    book.close()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _workbook(replace: dict[str, bytes], big: tuple[str, int] | None = None) -> bytes:
    """A real workbook with the parts ``replace`` swapped in; ``big`` = (name, size): a shared string of ``size`` bytes."""
    parts = {**_real_workbook(), **replace}
    if big is not None:
        parts.pop(big[0], None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        if big is not None:
            name, size = big
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                           b'main" count="1" uniqueCount="1"><si><t>')
                for _ in range(size // len(CHUNK)):
                    part.write(CHUNK)
                part.write(b"</t></si></sst>")
    return out.getvalue()


def _sheet_xml(rows: int) -> bytes:
    body = b"".join(b'<row r="%d"><c t="inlineStr"><is><t>D1.PROJ</t></is></c><c><v>%d</v></c><c><v>50</v></c></row>'
                    % (r, 1995 + r % 30) for r in range(2, rows + 2))
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c t="inlineStr"><is><t>indicator</t></is></c><c t="inlineStr"><is><t>year</t>'
            b'</is></c><c t="inlineStr"><is><t>value</t></is></c></row>' + body + b"</sheetData></worksheet>")


SHEET = "xl/worksheets/sheet1.xml"


def _forge_sizes(data: bytes, name: str, declared: int) -> bytes:
    """``data`` with the zip headers of part ``name`` declaring ``declared`` unpacked bytes (a forged directory)."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            length = struct.unpack_from("<H", raw, start + name_len_at)[0]
            if bytes(raw[start + name_at:start + name_at + length]) == encoded:
                struct.pack_into("<I", raw, start + size_at, declared)
            start += 4
    return bytes(raw)


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each hostile file with the last line the command line must print for it."""
    files: dict[str, tuple[Path, str]] = {}

    def add(name: str, data: bytes, last: str) -> None:
        path = folder / name
        path.write_bytes(data)
        files[name] = (path, last)

    bomb = _workbook({}, ("xl/sharedStrings.xml", 1024**3))
    add("bomb.xlsx", bomb, "bomb.xlsx: expected a workbook that unpacks to at most 200.0 MB (this one declares "
                           "1,024.0 MB)")
    add("forged.xlsx", _forge_sizes(bomb, "xl/sharedStrings.xml", 1000),
        "forged.xlsx: expected an Excel workbook (.xlsx), found a file that is not a spreadsheet")
    add("rows.xlsx", _workbook({SHEET: _sheet_xml(3_000_000)}),
        "rows.xlsx: expected a workbook that unpacks to at most 200.0 MB (this one declares 287.9 MB)")
    add("rows2.xlsx", _workbook({SHEET: _sheet_xml(400_000)}),
        "rows2.xlsx, row 250002: expected at most 250,000 rows of data (this file has more): split it into "
        "several files")
    with (folder / "huge.csv").open("wb") as handle:  # 144 MB of invalid rows
        handle.write(OBS_HEADER.encode())
        for _ in range(144):
            handle.write(b"D1.PROJ,2024,not a number,,,,,,,,\n" * 29_000)
    files["huge.csv"] = (folder / "huge.csv", "huge.csv: expected a file of at most 20.0 MB (this one has 135.4 MB): "
                                              "split it into several files")
    add("rows.csv", OBS_HEADER.encode() + b"X,1,a\n" * 3_000_000,
        "rows.csv, row 250002: expected at most 250,000 rows of data (this file has more): split it into several "
        "files")
    add("problems.csv", OBS_HEADER.encode() + b"D1.PROJ,2024,abc,,,,,,,,\n" * 200_000,
        'problems.csv, row 2, column "value": found "abc", expected a number')
    add("cell.csv", OBS_HEADER.encode() + b"D1.PROJ,2024,50,,,,,,,," + b"x" * 5_000_000 + b"\n",
        "cell.csv, row 2: expected at most 10,000 characters in a cell")
    add("long_note.csv", OBS_HEADER.encode() + b"D1.PROJ,2024,50,,,,,,,," + b"x" * 20_000 + b"\n",
        'long_note.csv, row 2, column "note": found "' + "x" * 60 + '… (20,000 characters)", expected at most '
        "10,000 characters in a cell")
    return files


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _peak_rss_mb(pid: int, peak: list[float], done: threading.Event) -> None:
    """Follow ``VmHWM`` of a running process (its own peak since exec; rusage would count the forked parent)."""
    while not done.is_set():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak[0] = max(peak[0], int(line.split()[1]) / 1024)
        time.sleep(0.02)


def run_limited(args: list[str], env: dict, folder: Path) -> tuple[int, str, float, float]:
    """Run ``args`` under the memory and time limits: exit code, stderr, seconds, the process's peak RSS (MB)."""
    err_path = folder / "stderr.txt"
    started = time.monotonic()
    peak, done = [0.0], threading.Event()
    with err_path.open("wb") as err:
        process = subprocess.Popen(args, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=err,
                                   preexec_fn=_limited)
        timer = threading.Timer(TIME_LIMIT_S, process.kill)
        timer.start()
        time.sleep(0.2)  # past the exec: the status file then describes the import, not this process
        watcher = threading.Thread(target=_peak_rss_mb, args=(process.pid, peak, done))
        watcher.start()
        status = process.wait()
        done.set()
        watcher.join()
        timer.cancel()
    took = time.monotonic() - started
    if took >= TIME_LIMIT_S:
        pytest.fail(f"{args[-3]}: still running after {TIME_LIMIT_S} s")
    assert "MemoryError" not in err_path.read_text(encoding="utf-8"), f"{args[-3]} hit the memory limit"
    return status, err_path.read_text(encoding="utf-8"), took, peak[0]


@pytest.mark.slow
def test_hostile_files_are_refused_within_bounds(tmp_path, stores):
    engine = stores.new("sqlite")
    url = engine.url.render_as_string(hide_password=False)
    before = fingerprint(engine)
    env = {**os.environ, "RBM_DATABASE_URL": url, "RBM_SECURITY_LOG": str(tmp_path / "security.log")}
    report = []
    for name, (path, first) in hostile_files(tmp_path).items():
        size = path.stat().st_size
        code, err, took, peak_mb = run_limited(
            [sys.executable, "-m", "kpi", "import", "observations", str(path), "--user", "t"], env, tmp_path)
        report.append(f"{name}: {size / 1024**2:,.1f} MB refused in {took:.1f} s, peak RSS {peak_mb:,.0f} MB")
        lines = err.splitlines()
        assert (code, lines[0]) == (1, first), (name, err[-2000:])
        if name != "problems.csv":
            assert lines[1:] == [f"{name} (observations, {1 if name == 'long_note.csv' else 0} rows): 1 problem "
                                 "found: nothing was imported"]
        path.unlink()
    print("\n[hostile files]\n" + "\n".join(report))
    assert fingerprint(engine) == before
    stores.drop(engine)


def test_a_record_import_cannot_change_a_validated_computed_value(store, tmp_path):
    """The finding: with 2024 validated, 40 staff rows changed E1.WOMEN_P for 2024 with no change-log line."""
    people = tmp_path / "staff.csv"
    people.write_bytes(staff_csv(400, per_year=100))
    assert run_import(store, "staff", people, actor=writer("hr")).ok
    with store.connect() as c:
        years = sorted(r[0] for r in c.execute(text(
            "SELECT DISTINCT o.year FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "WHERE i.code = 'E1.WOMEN_P' AND o.disaggregation = ''")))
    year = years[-1]
    validate_period(store, year, actor=writer("steward"))
    more = tmp_path / "more.csv"
    rows = staff_csv(40, per_year=40).decode().splitlines()  # 40 new people in the validated year
    more.write_text("\n".join([rows[0], *[f"{year}," + r.split(",", 1)[1].replace("T", "N", 1) for r in rows[1:]]])
                    + "\n")
    before = fingerprint(store)
    for dry_run in (True, False):
        result = run_import(store, "staff", more, actor=writer("hr"), dry_run=dry_run)
        messages = [str(p) for p in result.problems]
        assert messages and all(m.startswith(f"more.csv: expected no change to the validated values of {year}: "
                                             "this file changes E1.") for m in messages), messages
        assert any(f"E1.WOMEN_P for {year} from " in m for m in messages)
        assert all(f"a data steward must reopen {year} first" in m for m in messages)
    assert fingerprint(store) == before


@pytest.mark.slow
def test_a_second_writer_is_told_the_store_is_busy(store, tmp_path):
    values = tmp_path / "values.csv"
    values.write_bytes((OBS_HEADER + "D1.PROJ,2024,50,,,,,,,,\n").encode())
    holder = store.connect()
    if store.dialect.name == "sqlite":
        holder.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": 0x6B70_6974})
    try:
        preview = run_import(store, "observations", values, actor=writer("w"), dry_run=True)
        assert preview.summary() == "would add 1, change 0, leave 0 unchanged"  # a preview needs no lock
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="^an import is running, try again in a moment$"):
            run_import(store, "observations", values, actor=writer("w"))
        with pytest.raises(StoreBusy):
            validate_period(store, 2024, actor=writer("w"))
        assert time.monotonic() - started < 30
        url = store.url.render_as_string(hide_password=False)
        cli = subprocess.run([sys.executable, "-m", "kpi", "import", "observations", str(values), "--user", "t"],
                             cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "RBM_DATABASE_URL": url})
        assert (cli.returncode, cli.stdout, cli.stderr) == (3, "", "error: an import is running, try again in a "
                                                                   "moment\n")
    finally:
        if store.dialect.name == "sqlite":
            holder.exec_driver_sql("ROLLBACK")
        else:
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": 0x6B70_6974})
        holder.close()
    assert run_import(store, "observations", values, actor=signed_in("s", access.DATA_STEWARD)).ok
