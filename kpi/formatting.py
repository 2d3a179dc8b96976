"""Readable number formats: thousands separators, % with sensible decimals, CHF, days."""
from __future__ import annotations

import math


def format_number(value: float | None, decimals: int | None = None) -> str:
    """``12345.6`` -> ``"12,346"``; small numbers keep one decimal; None -> ``"–"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if abs(value) >= 100 or float(value).is_integer() else 1
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit as a reader expects it: ``73.6 %``, ``CHF 1.2 million``, ``142 days``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "pct":
        return f"{value:,.1f} %"
    if unit == "CHF":
        return format_chf(value)
    if unit == "days":
        return f"{value:,.0f} days"
    if unit == "per100":
        return f"{value:,.1f} per 100"
    return format_number(value)


def format_chf(value: float) -> str:
    """Swiss francs, in millions above one million: ``CHF 12.4 million``, ``CHF 845,000``."""
    if abs(value) >= 1_000_000:
        return f"CHF {value / 1_000_000:,.1f} million"
    return f"CHF {value:,.0f}"
