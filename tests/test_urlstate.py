"""Widgets kept in the URL (ui.urlstate): one rule for the selectbox, the segmented control and the multiselect."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _app():
    import streamlit as st

    from ui.urlstate import url_multiselect, url_selectbox

    default_year = st.session_state.get("default_year", 2023)
    st.session_state["year"] = url_selectbox("Year", [2022, 2023, 2024], key="year", default=default_year)
    offered = st.session_state.get("offered", ["AFR", "AMS", "EUR"])
    st.session_state["regions"] = url_multiselect("Regions", offered, key="regions", default=["AFR"])


def _run(query: dict[str, str] | None = None, **state) -> AppTest:
    at = AppTest.from_function(_app)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    for name, value in state.items():
        at.session_state[name] = value
    return at.run()


def test_a_link_sets_the_widgets_and_unknown_codes_are_dropped():
    at = _run({"year": "2024", "regions": "EUR,XXX,AMS"})
    assert (at.session_state["year"], at.session_state["regions"]) == (2024, ["EUR", "AMS"])
    assert dict(at.query_params) == {"year": "2024", "regions": "EUR,AMS"}


def test_an_unknown_single_code_gives_the_default_and_leaves_the_url():
    at = _run({"year": "1999"})
    assert at.session_state["year"] == 2023
    assert "year" not in at.query_params


def test_a_choice_goes_to_the_url_and_the_default_leaves_it():
    at = _run()
    assert dict(at.query_params) == {}
    at.selectbox[0].set_value(2022).run()
    at.multiselect[0].set_value(["AMS"]).run()
    assert dict(at.query_params) == {"year": "2022", "regions": "AMS"}
    at.selectbox[0].set_value(2023).run()
    assert dict(at.query_params) == {"regions": "AMS"}


def test_a_reader_who_chose_nothing_follows_the_default_and_a_choice_stays():
    at = _run()
    at.session_state["default_year"] = 2024
    at.run()
    assert at.session_state["year"] == 2024  # nothing chosen: the new default
    at.selectbox[0].set_value(2022).run()
    at.session_state["default_year"] = 2023
    at.run()
    assert at.session_state["year"] == 2022  # chosen: kept when the default moves again


def test_chosen_values_no_longer_offered_are_dropped():
    at = _run()
    at.multiselect[0].set_value(["AMS", "EUR"]).run()
    at.session_state["offered"] = ["AFR", "EUR"]
    at.run()
    assert at.session_state["regions"] == ["EUR"]
