"""Settings read from the environment, with the embedded defaults."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_SQLITE_PATH = DATA_DIR / "rbm.sqlite"
DATABASE_URL_ENV = "RBM_DATABASE_URL"
#: The seed of the synthetic demo data: the same seed gives the same data.
DEMO_SEED = 20241
#: First and last year of the synthetic records.
DEMO_FIRST_YEAR = 2015
DEMO_LAST_YEAR = 2025
#: The plan cycle the dashboard opens on.
CURRENT_CYCLE = "2024-2027"
#: The last year with a complete set of data in the demo store: statuses are "as of" it by default
#: (:func:`reporting_year`; a site sets its own with ``RBM_REPORTING_YEAR``).
LATEST_REPORTING_YEAR = 2025
#: The years a chart shows by default.
YEARS_SHOWN = (2015, 2027)
#: The first and last year a reader may choose to show (the "Years shown" range).
YEAR_RANGE = (2000, 2030)


def database_url() -> str:
    """The store's SQLAlchemy URL: ``RBM_DATABASE_URL`` or the SQLite file under ``data/``."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


#: The environment variable that sets the date the dashboard takes as today (ISO, e.g. 2026-03-15): what an
#: overdue commitment is judged against. For tests and for rehearsing a meeting on its date; unset, the
#: machine's date.
TODAY_ENV = "RBM_TODAY"


def today() -> dt.date:
    """The as-of date of "overdue": ``RBM_TODAY`` if set (a clear error if it is not a date), else today."""
    value = os.environ.get(TODAY_ENV)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_ENV}={value!r} is not a date (expected YYYY-MM-DD)") from None


#: The environment variable that sets the reporting year (e.g. 2026): the year every page opens on, the statuses'
#: "as of" year and the workforce pages' year, until a reader chooses another. Unset, :data:`LATEST_REPORTING_YEAR`.
REPORTING_YEAR_ENV = "RBM_REPORTING_YEAR"


def reporting_year() -> int:
    """The year the pages open on: ``RBM_REPORTING_YEAR`` if set (a clear error if it is not a year of
    :data:`YEAR_RANGE`), else :data:`LATEST_REPORTING_YEAR`."""
    value = os.environ.get(REPORTING_YEAR_ENV)
    if not value:
        return LATEST_REPORTING_YEAR
    if not value.strip().isdigit() or not YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
        raise ValueError(f"{REPORTING_YEAR_ENV}={value!r} is not a year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}")
    return int(value)


def check_settings() -> None:
    """Read every setting that can be wrong (:func:`today`, :func:`reporting_year`), raising the first one's
    ValueError: a server checks them when it starts, instead of each page failing on them."""
    today()
    reporting_year()
