"""Cell values: the text of a file to a Python value (or a reason why not), and back.

Every file is read as text; these functions turn one cell into its value and say, when they
cannot, what was expected. :func:`format_value` is their inverse: formatting then parsing gives
the same value back, which is what makes export-then-import a round trip.
"""
from __future__ import annotations

import datetime as dt
import math
import re

#: The first and last year any record may have.
YEAR_MIN = 1990
YEAR_MAX = 2100
#: Accepted spellings of true and false (case does not matter); exports write yes and no.
TRUE_WORDS = frozenset({"yes", "true"})
FALSE_WORDS = frozenset({"no", "false"})
#: Floats are equal when they differ by less than this relative amount (spreadsheets keep
#: 15-17 significant digits, so a value that went through Excel may differ in the last one).
FLOAT_REL_TOLERANCE = 1e-12

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_INTEGER = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Invalid(ValueError):
    """A cell's text is not a value of its column; ``expected`` says what would be."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


def parse_number(text: str, *, decimal_comma: bool = False) -> float:
    """A finite decimal number (``12.5``, ``-3``, ``1e6``; ``12,5`` where ``decimal_comma``)."""
    text = text.strip()
    if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise Invalid("a number")
    value = float(text)
    if not math.isfinite(value):
        raise Invalid("a number")
    return value


def parse_int(text: str) -> int:
    """A whole number written without decimals."""
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        raise Invalid("a whole number")
    return int(text)


def parse_year(text: str) -> int:
    """A year between :data:`YEAR_MIN` and :data:`YEAR_MAX`."""
    expected = f"a year between {YEAR_MIN} and {YEAR_MAX}"
    try:
        year = parse_int(text)
    except Invalid:
        raise Invalid(expected) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Invalid(expected)
    return year


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, in the years :data:`YEAR_MIN` to :data:`YEAR_MAX`."""
    text = text.strip()
    expected = "a date written YYYY-MM-DD"
    if not _DATE.fullmatch(text):
        raise Invalid(expected)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(expected + " (this day does not exist)") from None
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise Invalid(f"a date between {YEAR_MIN}-01-01 and {YEAR_MAX}-12-31")
    return day


def parse_bool(text: str) -> bool:
    """``yes`` or ``no`` (``true`` and ``false`` are accepted too, in any case)."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Invalid("yes or no")


def format_value(value) -> str:
    """The text of ``value`` in a file: the inverse of the parsers above.

    None is an empty cell, booleans are yes/no, dates YYYY-MM-DD, whole floats have no
    decimals (``60``) and other floats the shortest text that reads back as the same float.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def same_value(a, b) -> bool:
    """Whether a stored value and a file's value are the same (floats within a tolerance)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=FLOAT_REL_TOLERANCE, abs_tol=0.0)
    if isinstance(a, float) and isinstance(b, int) and not isinstance(b, bool):
        return a == b
    if isinstance(b, float) and isinstance(a, int) and not isinstance(a, bool):
        return a == b
    return a == b
