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


def _from_url(key: str, options: Sequence[Any], default: Any) -> Any:
    raw = st.query_params.get(key)
    by_text = {str(o): o for o in options}
    return by_text.get(raw, default) if raw is not None else default


def _to_url(key: str, value: Any, default: Any) -> None:
    if value is None or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)


def _widget_key(key: str) -> str:
    return f"url:{key}"


def _sync_from_url(key: str, options: Sequence[Any], default: Any) -> None:
    """Let a URL change (a followed link) win over the widget's remembered value."""
    wkey = _widget_key(key)
    wanted = _from_url(key, options, default)
    last_seen = st.session_state.get(f"url-seen:{key}")
    raw = st.query_params.get(key)
    if wkey not in st.session_state or (raw != last_seen):
        st.session_state[wkey] = wanted
    st.session_state[f"url-seen:{key}"] = raw


def url_selectbox(label: str, options: Sequence[Any], *, key: str, default: Any | None = None,
                  format_func: Callable[[Any], str] = str, container=st, **kwargs) -> Any:
    """A selectbox whose value is kept in the URL under ``key`` as ``str(option)``."""
    options = list(options)
    default = options[0] if default is None else default
    _sync_from_url(key, options, default)
    value = container.selectbox(label, options, format_func=format_func, key=_widget_key(key), **kwargs)
    _to_url(key, value, default)
    st.session_state[f"url-seen:{key}"] = st.query_params.get(key)
    return value


def url_segmented(label: str, options: Sequence[Any], *, key: str, default: Any | None = None,
                  format_func: Callable[[Any], str] = str, container=st, **kwargs) -> Any:
    """A single-choice segmented control kept in the URL under ``key``."""
    options = list(options)
    default = options[0] if default is None else default
    _sync_from_url(key, options, default)
    value = container.segmented_control(label, options, format_func=format_func, key=_widget_key(key),
                                        required=True, **kwargs)
    _to_url(key, value, default)
    st.session_state[f"url-seen:{key}"] = st.query_params.get(key)
    return value


def url_multiselect(label: str, options: Sequence[Any], *, key: str, default: Sequence[Any],
                    format_func: Callable[[Any], str] = str, container=st, **kwargs) -> list[Any]:
    """A multiselect kept in the URL under ``key`` as its options' codes joined by commas (``NGA,EGY``);
    codes in the URL that are not options are dropped, and the default is left out of the URL (so that a
    reader who chose nothing follows the default when it changes, e.g. with the Region filter)."""
    options, default = list(options), list(default)
    wkey = _widget_key(key)
    raw = st.query_params.get(key)
    changed_default = raw is None and default != st.session_state.get(f"url-default:{key}")
    if wkey not in st.session_state or raw != st.session_state.get(f"url-seen:{key}") or changed_default:
        by_text = {str(o): o for o in options}
        st.session_state[wkey] = [by_text[c] for c in raw.split(",") if c in by_text] if raw is not None else default
    else:  # the options change with the indicator: keep the chosen ones that are still offered
        st.session_state[wkey] = [v for v in st.session_state[wkey] if v in options]
    st.session_state[f"url-default:{key}"] = default
    value = container.multiselect(label, options, format_func=format_func, key=wkey, **kwargs)
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = ",".join(str(v) for v in value)
    st.session_state[f"url-seen:{key}"] = st.query_params.get(key)
    return value


def set_url_value(key: str, value: Any) -> None:
    """Change a URL-kept widget's value from a callback (e.g. a "drill down" button)."""
    st.session_state[_widget_key(key)] = value
