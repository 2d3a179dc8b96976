"""Widgets whose value lives in the URL as a short code, with readable labels on screen.

Streamlit's ``bind="query-params"`` writes the *formatted label* of a select widget to the URL,
so a link like ``?indicator=G1.INET`` would not select "G1.INET · Individuals using the
Internet". These helpers keep the code in the URL and the label on screen: the URL gives the
initial value, and every change writes the code back (the default value is left out of the URL).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def _widget_key(key: str) -> str:
    return f"url:{key}"


def _bound(key: str, default: Any, decode: Callable[[str], Any], encode: Callable[[Any], str],
           draw: Callable[[str], Any], keep: Callable[[Any], Any] | None = None) -> Any:
    """Draw a widget (``draw(widget_key)``) whose value is kept in the URL under ``key``.

    The URL wins when it changed since the last run (a followed link) or when the reader chose nothing and the
    default moved; otherwise the widget keeps its value (``keep`` may drop what is no longer offered). The
    value goes back to the URL as ``encode(value)``, or leaves it when it is the default.
    """
    wkey = _widget_key(key)
    raw = st.query_params.get(key)
    default_moved = raw is None and default != st.session_state.get(f"url-default:{key}")
    if wkey not in st.session_state or raw != st.session_state.get(f"url-seen:{key}") or default_moved:
        st.session_state[wkey] = decode(raw) if raw is not None else default
    elif keep is not None:
        st.session_state[wkey] = keep(st.session_state[wkey])
    st.session_state[f"url-default:{key}"] = default
    value = draw(wkey)
    if value is None or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = encode(value)
    st.session_state[f"url-seen:{key}"] = st.query_params.get(key)
    return value


def _single(options: list[Any], default: Any) -> Callable[[str], Any]:
    """A URL code -> the option it names; an unknown code gives the default."""
    by_text = {str(o): o for o in options}
    return lambda raw: by_text.get(raw, default)


def url_selectbox(label: str, options: Sequence[Any], *, key: str, default: Any | None = None,
                  format_func: Callable[[Any], str] = str, container=st, **kwargs) -> Any:
    """A selectbox whose value is kept in the URL under ``key`` as ``str(option)``."""
    options = list(options)
    default = options[0] if default is None else default
    return _bound(key, default, _single(options, default), str, lambda wkey: container.selectbox(
        label, options, format_func=format_func, key=wkey, **kwargs))


def url_segmented(label: str, options: Sequence[Any], *, key: str, default: Any | None = None,
                  format_func: Callable[[Any], str] = str, container=st, **kwargs) -> Any:
    """A single-choice segmented control kept in the URL under ``key``."""
    options = list(options)
    default = options[0] if default is None else default
    return _bound(key, default, _single(options, default), str, lambda wkey: container.segmented_control(
        label, options, format_func=format_func, key=wkey, required=True, **kwargs))


def url_multiselect(label: str, options: Sequence[Any], *, key: str, default: Sequence[Any],
                    format_func: Callable[[Any], str] = str, container=st, **kwargs) -> list[Any]:
    """A multiselect kept in the URL under ``key`` as its options' codes joined by commas (``NGA,EGY``);
    codes in the URL that are not options are dropped, and the default is left out of the URL (so that a
    reader who chose nothing follows the default when it changes, e.g. with the Region filter)."""
    options, default = list(options), list(default)
    by_text = {str(o): o for o in options}
    return _bound(
        key, default,
        decode=lambda raw: [by_text[c] for c in raw.split(",") if c in by_text],
        encode=lambda value: ",".join(str(v) for v in value),
        draw=lambda wkey: container.multiselect(label, options, format_func=format_func, key=wkey, **kwargs),
        # the options change with the indicator: keep the chosen ones that are still offered
        keep=lambda chosen: [v for v in chosen if v in options])


def set_url_value(key: str, value: Any) -> None:
    """Change a URL-kept widget's value from a callback (e.g. a "drill down" button)."""
    st.session_state[_widget_key(key)] = value
