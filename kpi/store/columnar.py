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
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

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


def copy_key(engine: Engine, name: str, version: int, sources: Iterable[Path]) -> str:
    """The file-name stem of ``name``'s copy for this store, data version and preparing code."""
    store = _digest(engine.url.render_as_string(hide_password=True).encode())
    code = _digest(*(Path(s).read_bytes() for s in sources))
    return f"{name}-{store}-v{version}-{code}"


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
