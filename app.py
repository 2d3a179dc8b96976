"""Entry point: ``streamlit run app.py``. Sign-in, navigation by role, global filters, shared chrome."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from kpi import access
from kpi.workforce_pages import PAGE_TITLES
from ui import auth
from ui import data as ui_data
from ui.filters import global_filters
from ui.navigation import DEFAULT_PAGE_PATH, sidebar_links
from ui.style import apply_base_style
from ui.projector import apply_projector_style, presentation_keys, projector_stamp
from ui.widgets import data_stamp
from ui.runtime import freeze_after_first_run

#: Served by Streamlit itself (a material-icon favicon would be fetched from a font CDN).
FAVICON = str(Path(__file__).resolve().parent / "static" / "favicon.png")

st.set_page_config(page_title="ITU results dashboard", page_icon=FAVICON, layout="wide")

RESULTS = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path=DEFAULT_PAGE_PATH, default=True),
    st.Page("pages/scorecard.py", title="Scorecard", icon=":material/checklist:", url_path="scorecard"),
    st.Page("pages/explorer.py", title="Indicator explorer", icon=":material/query_stats:", url_path="explorer"),
    st.Page("pages/results_chain.py", title="Results chain", icon=":material/account_tree:",
            url_path="results-chain"),
    st.Page("pages/present.py", title="Council presentation", icon=":material/slideshow:", url_path="present"),
    st.Page("pages/management.py", title="Budget, risks, oversight", icon=":material/account_balance:",
            url_path="management"),
    st.Page("pages/membership.py", title="Membership", icon=":material/groups_2:", url_path="membership"),
]
WORKFORCE = [
    st.Page("pages/workforce_composition.py", title=PAGE_TITLES["composition"], icon=":material/groups:", url_path="workforce"),
    st.Page("pages/workforce_gender.py", title=PAGE_TITLES["gender"], icon=":material/balance:",
            url_path="workforce-gender"),
    st.Page("pages/workforce_geography.py", title=PAGE_TITLES["geography"], icon=":material/public:",
            url_path="workforce-geography"),
    st.Page("pages/workforce_field.py", title=PAGE_TITLES["field"], icon=":material/location_on:",
            url_path="workforce-field"),
    st.Page("pages/workforce_hr.py", title=PAGE_TITLES["hr"], icon=":material/person_add:",
            url_path="workforce-hr"),
]
DATA_PAGE = st.Page("pages/data.py", title="Data management", icon=":material/database:", url_path="data")
ADMIN_PAGE = st.Page("pages/admin.py", title="Roles and sign-ins", icon=":material/admin_panel_settings:",
                     url_path="admin")
#: Roles that open the data management page (what each may do there is checked in kpi.access).
DATA_ROLES = (access.DATA_STEWARD, access.HR_ANALYST, access.ADMINISTRATOR)


def pages_for(actor: access.Actor) -> dict[str, list]:
    """The navigation this actor sees: pages a role cannot use are not offered (kpi.access enforces)."""
    pages = {"Results": RESULTS, "Workforce": WORKFORCE}
    admin = [p for p, allowed in ((DATA_PAGE, any(actor.has(r) for r in DATA_ROLES)),
                                  (ADMIN_PAGE, actor.has(access.ADMINISTRATOR))) if allowed]
    if admin:
        pages["Data"] = admin
    return pages


actor = auth.resolve_actor()
if auth.public_access() == "none" and not actor.is_staff:
    st.navigation([st.Page(lambda: auth.sign_in_screen(actor), title="Sign in", url_path="sign-in")],
                  position="hidden").run()
    st.stop()

apply_base_style()
sections = pages_for(actor)
navigation = st.navigation(sections, position="hidden")
sidebar_links(sections)
auth.account_box(actor)
results = ui_data.results()
filters = global_filters(results, actor, navigation.url_path)
st.session_state["filters"] = filters
if filters.projector:
    apply_projector_style()
presentation_keys()
if filters.projector and navigation.url_path != "present":  # the presentation stamps each slide itself
    projector_stamp(data_stamp(results.meta))
navigation.run()
# The page's modules are now imported: keep the collector after each rerun off them (ui.runtime).
freeze_after_first_run(navigation.url_path)
