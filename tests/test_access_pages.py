"""The pages by role under AppTest, with the UI bypassed: links and session state set by hand.

AppTest's ``user`` stands in for the identity provider's verified claims (the real redirect flow is
in tests/test_browser_access.py); the roles come from the demo store's grants (ui.demo_provider).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from kpi import access, security_log
from kpi.scorecard import indicator_status, status_counts
from kpi.store.engine import make_engine
from kpi.store.frames import load_results
from kpi.text import markdown_text
from tests.access_support import sign_in, signed_in
from ui.widgets import status_counts_markdown

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE_DIR = Path(APP).parent / "pages"
PUBLIC_PAGES = ["overview", "scorecard", "explorer", "results_chain", "present", "management", "membership",
                "workforce_composition", "workforce_gender", "workforce_geography", "workforce_field", "workforce_hr"]


@pytest.fixture(autouse=True)
def quiet_security_log(tmp_path, monkeypatch):
    monkeypatch.setenv(security_log.SECURITY_LOG_ENV, str(tmp_path / "security.log"))
    return tmp_path / "security.log"


def run_as(user: str | None, page: str | None = None, **claims) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=120), user, **claims)
    at.run()
    if page:
        at.switch_page(str(PAGE_DIR / f"{page}.py"))
        at.run()
    assert [e.value for e in at.exception] == []
    return at


def registered_pages(at: AppTest) -> list[str]:
    """The page files the navigation registered in this run (what AppTest.switch_page can reach)."""
    return [Path(str(info["script_path"])).stem for info in at._registered_pages.values() if info.get("script_path")]


@pytest.mark.parametrize(("user", "pages"), [
    (None, PUBLIC_PAGES),
    ("visitor@demo.invalid", PUBLIC_PAGES),
    ("staff@demo.invalid", PUBLIC_PAGES),
    ("steward@demo.invalid", [*PUBLIC_PAGES, "data"]),
    ("hr@demo.invalid", [*PUBLIC_PAGES, "data"]),
    ("admin@demo.invalid", [*PUBLIC_PAGES, "data", "admin"]),
])
def test_each_role_is_offered_its_pages(demo_env, user, pages):
    assert registered_pages(run_as(user)) == pages


def test_a_public_visitor_sees_validated_values_whatever_the_link_says(demo_env):
    engine = make_engine(demo_env)
    data = load_results(engine)
    engine.dispose()
    validated = status_counts(indicator_status(data, "2024-2027", 2025, validated_only=True), ["root_code"])
    provisional = status_counts(indicator_status(data, "2024-2027", 2025, validated_only=False), ["root_code"])
    assert validated.to_dicts() != provisional.to_dicts()  # otherwise this test could not fail
    for user in (None, "visitor@demo.invalid"):
        at = sign_in(AppTest.from_file(APP, default_timeout=120), user)
        at.query_params["provisional"] = "true"
        at.run()
        assert at.session_state["filters"].validated_only is True
        assert [t.label for t in at.sidebar.toggle] == ["Projector mode"]
        shown = [m.value for m in at.markdown if m.value.startswith("**") and "indicators**" in m.value]
        assert shown == [f"**{r['total']} indicators** · " + status_counts_markdown(r) for r in validated.to_dicts()]
    staff = run_as("staff@demo.invalid")
    assert staff.session_state["filters"].validated_only is False
    assert [t.label for t in staff.sidebar.toggle] == ["Projector mode", "Include provisional data"]


def test_session_state_set_by_hand_grants_nothing(demo_env):
    at = sign_in(AppTest.from_file(APP, default_timeout=120), None)
    at.session_state["_actor"] = signed_in("admin@demo.invalid", *access.GRANTABLE_ROLES)
    at.session_state["_signed_in_as"] = "admin@demo.invalid"
    at.run()
    assert at.session_state["_actor"] == access.PUBLIC_ACTOR
    assert registered_pages(at) == PUBLIC_PAGES
    at.session_state["_actor"] = signed_in("admin@demo.invalid", *access.GRANTABLE_ROLES)
    at.switch_page(str(PAGE_DIR / "present.py"))
    at.run()
    # No "Prepare a named sequence" for the public (each chart's table is for everyone).
    assert [e.label for e in at.expander if e.label != "Table of this chart"] == []


def test_an_unverified_email_is_not_the_identity(demo_env):
    at = run_as("steward@demo.invalid", email_verified=False, sub="someone-else")
    assert at.session_state["_actor"].identity == "someone-else"
    assert registered_pages(at) == PUBLIC_PAGES


def test_a_session_older_than_the_limit_is_signed_out(demo_env, monkeypatch, quiet_security_log):
    monkeypatch.setenv("RBM_SESSION_HOURS", "1")
    at = sign_in(AppTest.from_file(APP, default_timeout=120), "admin@demo.invalid")
    at.user["iat"] = int(time.time()) - 2 * 3600
    at.run()
    at.run()  # the next interaction after st.logout
    assert at.session_state["_actor"] == access.PUBLIC_ACTOR
    assert "session_expired" in quiet_security_log.read_text()


def test_public_access_none_shows_only_the_sign_in(demo_env, monkeypatch):
    monkeypatch.setenv("RBM_PUBLIC_ACCESS", "none")
    at = run_as(None)
    assert [t.value for t in at.title] == ["ITU results dashboard"]
    assert [i.value for i in at.info] == ["Sign in to see the dashboard."]
    assert [b.label for b in at.button] == ["Sign in"]
    visitor = run_as("visitor@demo.invalid")
    assert [w.value for w in visitor.warning] == [
        f"{markdown_text('visitor@demo.invalid')} has no role on this dashboard. Ask an administrator for access."]
    assert registered_pages(run_as("staff@demo.invalid")) == PUBLIC_PAGES


def test_internal_management_records_are_for_staff(demo_env):
    public = run_as(None, "management")
    assert [t.label for t in public.tabs] == ["Budget and results", "Resolutions", "Accountability framework",
                                              "Operational plans"]
    staff = run_as("staff@demo.invalid", "management")
    assert [t.label for t in staff.tabs] == ["Budget and results", "Risks", "Oversight", "Resolutions",
                                             "Retreat commitments", "Accountability framework", "Operational plans"]
    assert [e.label for e in run_as(None, "explorer").expander if e.label != "Table of this chart"] == []
    assert "History of a value (who changed it, from what, when)" in [
        e.label for e in run_as("staff@demo.invalid", "explorer").expander]


#: The kinds of record that are not about individuals, beside the results' own (issue 16), in import order.
RECORDS = ["resolutions", "resolution_actions", "commitments", "commitment_follow_ups", "membership",
           "accountability_components", "accountability_assessments", "operational_plan", "links"]
RESULTS = ["nodes", "indicators", "targets", "observations"]
MANAGEMENT = ["recommendations", "engagements", "procurement", "budget", "risks"]


@pytest.mark.parametrize(("user", "imports", "exports"), [
    ("steward@demo.invalid", RESULTS + MANAGEMENT + RECORDS, RESULTS + MANAGEMENT + RECORDS),
    # A Sector's steward writes only its Sector's targets and values: records of the whole organisation are not its.
    ("itu-d.steward@demo.invalid", ["targets", "observations"], RESULTS + MANAGEMENT + RECORDS),
    ("hr@demo.invalid", ["staff", "recruitments", "training"],
     RESULTS + ["staff", "recruitments", "training"] + MANAGEMENT + RECORDS),
])
def test_the_data_page_offers_what_the_role_writes(demo_env, user, imports, exports):
    at = run_as(user, "data")
    assert at.selectbox(key="import-kind").options == imports
    assert at.selectbox(key="export-kind").options == exports
    assert "import-user" not in [t.key for t in at.text_input]  # the verified identity, no typed name
    approval = [b.label for b in at.button]
    assert ("Validate the year" in approval) is (user != "hr@demo.invalid")
    if user == "itu-d.steward@demo.invalid":  # no "All indicators", only ITU-D's
        options = at.selectbox(key="approval-indicator").options
        assert "*" not in options and "D1.PROJ" in options and "R1.BACKLOG" not in options


def test_the_admin_page_grants_and_revokes(demo_store_url, tmp_path, monkeypatch):
    import shutil

    path = tmp_path / "store.sqlite"
    shutil.copyfile(demo_store_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("RBM_DATABASE_URL", url)
    at = run_as("admin@demo.invalid", "admin")
    assert [t.value for t in at.title] == ["Roles and sign-ins"]
    at.text_input[0].input("New.Person@Example.org")
    at.selectbox[0].set_value(access.STAFF)
    at.button[0].click().run()
    assert [s.value for s in at.success] == [f"Granted Staff to {markdown_text('new.person@example.org')}."]
    engine = make_engine(url)
    grants = access.list_grants(engine)
    engine.dispose()
    assert grants.filter(pl.col("identity") == "new.person@example.org").select("role", "granted_by").rows() == [
        ("staff", "admin@demo.invalid")]


def test_provisional_values_reach_no_public_view(demo_env):
    """Scorecard trends, the explorer's table and map hold validated values only for the public, even
    when staff computed the same views first (the caches are keyed by what the role sees)."""
    engine = make_engine(demo_env)
    data = load_results(engine)
    engine.dispose()
    headline = data.observations.filter(pl.col("disaggregation") == "")
    provisional = headline.filter(pl.col("approval") == "provisional")
    indicator_id = provisional["indicator_id"][0]
    code = data.indicators.filter(pl.col("indicator_id") == indicator_id)["code"][0]
    validated = headline.filter((pl.col("indicator_id") == indicator_id) & (pl.col("approval") == "validated")
                                & pl.col("year").is_between(2015, 2027)).sort("year")["value"].drop_nulls().to_list()

    def trend(at: AppTest) -> list[float]:
        shown = pl.concat([pl.from_pandas(df.value) for df in at.dataframe])
        return list(shown.filter(pl.col("Indicator").str.starts_with(f"{code} · "))["Trend"][0])

    staff_trend = trend(run_as("staff@demo.invalid", "scorecard"))
    assert staff_trend != validated  # the staff view includes the provisional values: this test can fail
    assert trend(run_as(None, "scorecard")) == validated

    def approvals(user: str | None) -> set[str]:
        at = sign_in(AppTest.from_file(APP, default_timeout=120), user)
        at.query_params["indicator"] = code
        at.query_params["provisional"] = "true"
        at.run()
        at.switch_page(str(PAGE_DIR / "explorer.py"))
        at.run()
        return set(pl.from_pandas(at.dataframe[0].value)["approval"].drop_nulls().to_list())

    assert approvals("staff@demo.invalid") == {"validated", "provisional"}
    assert approvals(None) == {"validated"}


def test_a_sign_in_is_logged_once_however_many_sessions_it_opens(demo_env, quiet_security_log):
    issued = int(time.time())
    for _ in range(3):  # three page loads (three sessions) of one sign-in
        run_as("hr@demo.invalid", iat=issued)
    run_as("hr@demo.invalid", iat=issued + 1)  # signed in again
    lines = [json.loads(line) for line in quiet_security_log.read_text().splitlines()]
    assert [(e["event"], e["who"], e["roles"]) for e in lines] == [("sign_in", "hr@demo.invalid", "HR analyst")] * 2
