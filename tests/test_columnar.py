"""The columnar copy of prepared frames per data version (kpi.store.columnar): built once, read after, never
stale, never shared between stores, readable by its owner only."""
from __future__ import annotations

import os
import stat

import polars as pl
import pytest
from sqlalchemy import text

from kpi.bootstrap import initialise
from kpi.store import columnar
from kpi.store.engine import make_engine
from kpi.store.frames import data_version

FRAMES = {"staff": pl.DataFrame({"year": [2024, 2025], "grade": ["P3", "P4"]}),
          "units": pl.DataFrame({"code": ["HRMD"], "name": ["Human resources"]})}


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    initialise(engine, demo=False)
    yield engine
    engine.dispose()


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "prepare.py"
    path.write_text("# the code that prepares the frames\n")
    return path


class Builds:
    """A build function that counts its calls."""

    def __init__(self, frames=FRAMES):
        self.calls, self.frames = 0, frames

    def __call__(self):
        self.calls += 1
        return self.frames


def bump(engine) -> int:
    with engine.begin() as c:
        c.execute(text("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'"))
    return data_version(engine)


def copies(tmp_path) -> list[str]:
    return sorted(p.name.split("-")[0] + "-v" + p.name.split("-v")[1].split("-")[0]
                  for p in (tmp_path / "cache").iterdir())


def test_built_once_then_read_by_any_later_call(engine, source, tmp_path):
    version, build = data_version(engine), Builds()
    first = columnar.cached_frames(engine, "workforce", version, build, [source])
    again = columnar.cached_frames(engine, "workforce", version, build, [source])
    assert build.calls == 1
    for frames in (first, again):
        assert set(frames) == set(FRAMES) and all(frames[k].equals(FRAMES[k]) for k in FRAMES)
    (folder,) = (tmp_path / "cache").iterdir()
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {
        "staff.parquet": 0o600, "units.parquet": 0o600, "_complete": 0o600}
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def test_a_new_data_version_builds_again_and_removes_the_older_copy(engine, source, tmp_path):
    build = Builds()
    columnar.cached_frames(engine, "workforce", data_version(engine), build, [source])
    version = bump(engine)
    columnar.cached_frames(engine, "workforce", version, build, [source])
    assert build.calls == 2 and copies(tmp_path) == [f"workforce-v{version}"]


def test_no_copy_is_written_when_the_store_changed_during_the_build(engine, source, tmp_path):
    version = data_version(engine)

    def build_during_an_import():
        bump(engine)  # an import lands while the frames are read: they may be of the newer version
        return FRAMES

    columnar.cached_frames(engine, "workforce", version, build_during_an_import, [source])
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []


def test_another_store_or_other_code_never_reads_this_copy(engine, source, tmp_path):
    version, build = data_version(engine), Builds()
    columnar.cached_frames(engine, "workforce", version, build, [source])
    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    initialise(other, demo=False)
    columnar.cached_frames(other, "workforce", data_version(other), build, [source])
    source.write_text("# a new release prepares them differently\n")
    columnar.cached_frames(engine, "workforce", version, build, [source])
    other.dispose()
    assert build.calls == 3


def test_a_damaged_copy_is_built_again(engine, source, tmp_path):
    version, build = data_version(engine), Builds()
    columnar.cached_frames(engine, "workforce", version, build, [source])
    (folder,) = (tmp_path / "cache").iterdir()
    (folder / "staff.parquet").write_bytes(b"not parquet")
    frames = columnar.cached_frames(engine, "workforce", version, build, [source])
    assert build.calls == 2 and frames["staff"].equals(FRAMES["staff"])
    columnar.cached_frames(engine, "workforce", version, build, [source])  # the copy was written again
    assert build.calls == 2


def test_off_builds_every_time_and_writes_nothing(engine, source, tmp_path, monkeypatch):
    monkeypatch.setenv(columnar.CACHE_DIR_ENV, columnar.OFF)
    build = Builds()
    for _ in range(2):
        columnar.cached_frames(engine, "workforce", data_version(engine), build, [source])
    assert build.calls == 2 and not (tmp_path / "cache").exists()


def test_the_workforce_pages_frames_come_back_from_their_copy_exactly(demo_store_url, tmp_path, monkeypatch):
    """The frames the workforce pages use (prepared, with their types) are the same read from the copy."""
    from ui import workforce as ui_workforce

    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    engine = make_engine(demo_store_url)
    version = data_version(engine)
    built = columnar.cached_frames(engine, "workforce", version, lambda: ui_workforce._prepared(demo_store_url),
                                   ui_workforce.PREPARING_CODE)
    read = columnar.cached_frames(engine, "workforce", version, lambda: pytest.fail("built again"),
                                  ui_workforce.PREPARING_CODE)
    engine.dispose()
    assert set(read) == set(built) == {"staff", "recruitment", "countries", "duty_stations", "units"}
    for key, frame in built.items():
        assert read[key].schema == frame.schema and read[key].equals(frame), key
    assert built["staff"].height > 8000


# ---------------------------------------------------------------- protected views kept on disk


class CountingProtector:
    """A real page protector that counts the page-years it computes (not those it reads from kept views)."""

    def __new__(cls, records, kept):
        from kpi.workforce_pages import PageProtector

        class Counting(PageProtector):
            computed = 0

            def _compute(self, page, year, selection):
                Counting.computed += 1
                return super()._compute(page, year, selection)

        return Counting(records, kept=kept)


def _gender_itu_d(protector):
    from kpi import workforce as wf

    return protector.page_year("gender", 2025, wf.Selection(sector="ITU-D"))


def test_a_protected_view_is_computed_once_then_read_by_any_protector_of_the_same_records(demo_records, tmp_path,
                                                                                          monkeypatch):
    """A server's second start, or a second server, reads the first's protected page-years instead of
    protecting the page again; the tables and published numbers are the same, value for value."""
    from kpi.workforce_pages import kept_views

    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    first = CountingProtector(demo_records, kept_views(demo_records))
    computed = _gender_itu_d(first)
    assert first.computed == 2  # ITU-D, and all Sectors (its wider view)
    second = CountingProtector(demo_records, kept_views(demo_records))
    read = _gender_itu_d(second)
    assert second.computed == 0
    assert read.numbers == computed.numbers and read.added == computed.added
    assert set(read.tables) == set(computed.tables)
    for name, table in computed.tables.items():
        assert read.tables[name].frame.equals(table.frame), name
    (folder,) = (tmp_path / "cache").iterdir()
    assert folder.name.startswith("views-") and len(list(folder.glob("*.pickle"))) == 2
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_other_records_or_another_rule_never_read_these_views(demo_records, tmp_path, monkeypatch):
    """One staff-year fewer (an import), or another disclosure rule, is another set of views."""
    from dataclasses import replace

    from kpi.disclosure import DEFAULT_RULE
    from kpi.workforce_pages import kept_views

    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    _gender_itu_d(CountingProtector(demo_records, kept_views(demo_records)))
    changed = replace(demo_records, staff=demo_records.staff.filter(
        pl.int_range(pl.len()) != demo_records.staff["year"].arg_max()))  # one staff-year of 2025 fewer
    assert changed.staff.height == demo_records.staff.height - 1
    other = CountingProtector(changed, kept_views(changed))
    _gender_itu_d(other)
    assert other.computed == 2
    rule = replace(DEFAULT_RULE, min_count=DEFAULT_RULE.min_count + 1)
    assert kept_views(demo_records, rule).folder != kept_views(demo_records).folder
    assert len(list((tmp_path / "cache").glob("views-*"))) == 3


def test_a_damaged_view_is_computed_again_and_a_folder_others_may_write_is_not_read(demo_records, tmp_path,
                                                                                     monkeypatch):
    """A truncated file is computed again (and kept again); a folder another user could write to is never read,
    as a pickle runs code when loaded; with the copies off nothing is kept."""
    from kpi.workforce_pages import kept_views

    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    expected = _gender_itu_d(CountingProtector(demo_records, kept_views(demo_records)))
    (folder,) = (tmp_path / "cache").iterdir()
    for path in folder.glob("*.pickle"):
        path.write_bytes(path.read_bytes()[:100])
    again = CountingProtector(demo_records, kept_views(demo_records))
    assert _gender_itu_d(again).numbers == expected.numbers and again.computed == 2
    third = CountingProtector(demo_records, kept_views(demo_records))
    assert _gender_itu_d(third).numbers == expected.numbers and third.computed == 0
    folder.chmod(0o777)
    assert kept_views(demo_records) is None
    folder.chmod(0o700)
    (tmp_path / "cache").chmod(0o757)
    assert kept_views(demo_records) is None
    (tmp_path / "cache").chmod(0o700)
    monkeypatch.setenv(columnar.CACHE_DIR_ENV, columnar.OFF)
    assert kept_views(demo_records) is None


def test_only_the_latest_sets_of_views_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv(columnar.CACHE_DIR_ENV, str(tmp_path / "cache"))
    opened = []
    for n in range(columnar.VIEW_SETS_KEPT + 3):
        kept = columnar.KeptViews.open(f"{n:016x}")
        kept.put(("page", n), {"n": n})
        os.utime(kept.folder, (1_000_000 + n, 1_000_000 + n))  # opened in this order, a second apart
        opened.append(kept.folder.name)
    columnar.KeptViews.open("f" * 16)
    left = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert left == sorted([*opened[-(columnar.VIEW_SETS_KEPT - 1):], "views-" + "f" * 16])
    assert columnar.KeptViews.open(f"{columnar.VIEW_SETS_KEPT + 2:016x}").get(("page", columnar.VIEW_SETS_KEPT + 2)) \
        == {"n": columnar.VIEW_SETS_KEPT + 2}


# ---------------------------------------------------------------- the code the digests cover


def test_source_files_are_a_modules_file_or_every_file_of_a_package_sorted():
    from pathlib import Path

    from kpi import dimensions
    from kpi import workforce as wf

    files = columnar.source_files(wf)
    assert columnar.source_files(dimensions) == (Path(dimensions.__file__),)
    assert list(files) == sorted(Path(wf.__file__).parent.rglob("*.py")) and len(files) > 1
    assert columnar.source_files(dimensions, wf, dimensions) == (Path(dimensions.__file__), *files)


def test_a_change_to_any_module_of_a_package_changes_the_copy_key(engine, tmp_path):
    """A package's ``__file__`` is its ``__init__.py`` alone: the key must see its other modules too."""
    from types import SimpleNamespace

    folder = tmp_path / "made_up_package"
    folder.mkdir()
    (folder / "__init__.py").write_text("from made_up_package.part import VALUE\n")
    (folder / "part.py").write_text("VALUE = 1\n")
    package = SimpleNamespace(__file__=str(folder / "__init__.py"), __path__=[str(folder)])
    before = columnar.copy_key(engine, "workforce", 1, columnar.source_files(package))
    (folder / "part.py").write_text("VALUE = 2\n")
    assert columnar.copy_key(engine, "workforce", 1, columnar.source_files(package)) != before


def test_the_code_digests_cover_every_file_of_the_workforce_package():
    """A change to any module of kpi.workforce rebuilds the prepared frames' copy and starts a new set of kept
    views: a later split of the package cannot silently drop a file from either digest."""
    from pathlib import Path

    from kpi.workforce_pages import PROTECTING_CODE
    from ui.workforce import PREPARING_CODE

    package = {p.resolve() for p in (Path(__file__).resolve().parents[1] / "kpi" / "workforce").glob("*.py")}
    assert len(package) > 1
    for digested in (PROTECTING_CODE, PREPARING_CODE):
        assert {Path(p).resolve() for p in digested} >= package
