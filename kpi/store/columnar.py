"""A columnar copy of prepared frames per data version: the first visitor after a start does not reread the store.

Reading 820,600 staff-years from SQLite takes about 6 s (``python -m kpi bench --scale 100``), and every
server paid it again after each start and each import. The frames a page needs are written once, as Parquet
files, by whichever process first builds them for a data version; any process (another server, the same
one after a restart) then reads them in a fraction of that. Files are named by

- the store (a digest of its URL, the password left out), so that two stores never share a copy;
- the data version (``meta.data_version``, which every import, validation and reopening increments);
- the code that prepares them (a digest of the source files given), so that a new release rebuilds them;

and only the latest version of each is kept. The copy holds what the store holds (workforce records among
them): it is written readable by its owner only, under ``RBM_FRAME_CACHE_DIR`` (default ``data/frame-cache``,
beside the embedded store); ``RBM_FRAME_CACHE_DIR=off`` turns it off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine

from kpi.config import DATA_DIR
from kpi.store.frames import data_version

CACHE_DIR_ENV = "RBM_FRAME_CACHE_DIR"
DEFAULT_CACHE_DIR = DATA_DIR / "frame-cache"
OFF = "off"


def cache_dir() -> Path | None:
    """Where the copies are kept, or None when turned off."""
    value = os.environ.get(CACHE_DIR_ENV)
    if value == OFF:
        return None
    return Path(value) if value else DEFAULT_CACHE_DIR


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()[:16]


def code_digest(sources: Iterable[Path]) -> str:
    """A digest of the source files of the code that makes a copy: a new release makes new copies."""
    return _digest(*(Path(s).read_bytes() for s in sources))


def copy_key(engine: Engine, name: str, version: int, sources: Iterable[Path]) -> str:
    """The file-name stem of ``name``'s copy for this store, data version and preparing code."""
    store = _digest(engine.url.render_as_string(hide_password=True).encode())
    return f"{name}-{store}-v{version}-{code_digest(sources)}"


def source_files(*modules: Any) -> tuple[Path, ...]:
    """The source files of ``modules`` whose digest keys a copy or a set of kept views: a module's file, or
    every ``.py`` file of a package (its subpackages included), sorted; modules in the order given.

    A package's ``__file__`` is its ``__init__.py`` alone: a digest of it would miss a change to the package's
    other modules, and the caches keyed on it would outlive the code that built them.
    """
    files: list[Path] = []
    for module in modules:
        path = Path(module.__file__)
        files.extend(sorted(path.parent.rglob("*.py")) if hasattr(module, "__path__") else [path])
    return tuple(dict.fromkeys(files))


def cached_frames(engine: Engine, name: str, version: int, build: Callable[[], dict[str, pl.DataFrame]],
                  sources: Iterable[Path]) -> dict[str, pl.DataFrame]:
    """The frames ``build`` returns for data version ``version``, read from their copy if one was written.

    ``sources`` are the files of the code that prepares them (their digest is in the key). A copy is written
    only when the store is still at ``version`` after ``build`` (an import meanwhile would have paired newer
    frames with the older version), atomically (a reader never sees half a file), and older copies of the
    same frames of the same store are removed.
    """
    directory = cache_dir()
    if directory is None:
        return build()
    stem = copy_key(engine, name, version, sources)
    target = directory / stem
    if (target / "_complete").exists():
        try:
            return {path.stem: pl.read_parquet(path) for path in sorted(target.glob("*.parquet"))}
        except (OSError, pl.exceptions.PolarsError):
            _remove(target)  # a damaged copy: built and written again below
    frames = build()
    if data_version(engine) == version:
        _write(directory, stem, frames)
    return frames


def _write(directory: Path, stem: str, frames: dict[str, pl.DataFrame]) -> None:
    """Write the frames under ``directory/stem`` (a fresh folder renamed into place), then drop older copies."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    prefix = stem.split("-v", 1)[0]  # name and store
    staging = Path(tempfile.mkdtemp(prefix=f".{stem}-", dir=directory))
    try:
        for key, frame in frames.items():
            path = staging / f"{key}.parquet"
            frame.write_parquet(path)
            path.chmod(0o600)
        (staging / "_complete").touch(mode=0o600)
        staging.rename(directory / stem)
    except OSError:  # another process wrote it first, or the disk is full: the frames are still returned
        _remove(staging)
        return
    for old in directory.glob(f"{prefix}-v*"):
        if old.name != stem and old.is_dir():
            _remove(old)


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink(missing_ok=True)
    folder.rmdir()


# ---------------------------------------------------------------- protected views kept on disk

#: How many sets of kept views (one per records fingerprint and protecting code) stay on disk.
VIEW_SETS_KEPT = 8


def fingerprint(frames: Iterable[pl.DataFrame], *extra: bytes) -> str:
    """A digest of the frames' contents (columns, types, every row) and of ``extra``: equal for equal
    records whichever store or data version they came from (polars' row hash, with its version in the
    digest: the hash is stable within a release, not across releases)."""
    parts = [pl.__version__.encode(), *extra]
    for frame in frames:
        parts.append(repr(frame.schema).encode())
        parts.append(frame.hash_rows(seed=0).to_numpy().tobytes())
    return _digest(*parts)


class KeptViews:
    """Protected page views kept on disk, shared by every process and kept across restarts.

    Protecting a workforce page-year costs 0.3-2 s at demo size and several seconds at 100 times that, and a
    view is the same for the same records, rule and code. The views are kept in a folder named by that
    fingerprint (:func:`fingerprint`): an import that does not change the workforce records keeps them, one
    that does starts a new set, and the oldest sets beyond :data:`VIEW_SETS_KEPT` are removed. Files are
    pickles written by this user alone (folder 0700, files 0600); a folder another user could write to is
    not read (a pickle runs code when read).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls, fingerprint_: str) -> KeptViews | None:
        """The kept views of ``fingerprint_`` under :func:`cache_dir`; None when the copies are turned off or
        the folder is not this user's alone."""
        directory = cache_dir()
        if directory is None:
            return None
        folder = directory / f"views-{fingerprint_}"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not (_private(directory) and _private(folder)):
                return None
            os.utime(folder)  # the most recently used sets are the ones kept
        except OSError:
            return None
        _drop_old_sets(directory)
        return cls(folder)

    def path(self, key: Hashable) -> Path:
        """The file of the view kept under ``key``."""
        return self.folder / f"{_digest(repr(key).encode())}.pickle"

    def get(self, key: Hashable) -> Any | None:
        """The view kept under ``key`` (its ``repr`` names the file), or None."""
        try:
            with self.path(key).open("rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
                ValueError):
            self.path(key).unlink(missing_ok=True)  # damaged or from other code: computed and kept again
            return None

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``, atomically (write, then rename); a full disk loses only the copy."""
        staging = None
        try:
            handle, staging = tempfile.mkstemp(prefix=".view-", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(staging, self.path(key))
        except OSError:
            if staging is not None:
                Path(staging).unlink(missing_ok=True)


def _private(folder: Path) -> bool:
    """Whether ``folder`` is this user's and nobody else may write to it."""
    status = folder.stat()
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _drop_old_sets(directory: Path) -> None:
    """Remove the least recently used sets of views beyond :data:`VIEW_SETS_KEPT`."""
    sets = sorted(directory.glob("views-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in sets[VIEW_SETS_KEPT:]:
        try:
            _remove(old)
        except OSError:  # another process is removing or filling it: it goes next time
            pass
