"""Entry point: ``streamlit run app.py``. Navigation, global filters, shared chrome."""
from __future__ import annotations

import streamlit as st

from ui import data as ui_data
from ui.filters import global_filters
from ui.projector import apply_projector_style
from ui.runtime import freeze_after_first_run

st.set_page_config(page_title="ITU results dashboard", page_icon=":material/insights:", layout="wide")

PAGES = {
    "Results": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("pages/scorecard.py", title="Scorecard", icon=":material/checklist:", url_path="scorecard"),
        st.Page("pages/explorer.py", title="Indicator explorer", icon=":material/query_stats:", url_path="explorer"),
        st.Page("pages/present.py", title="Council presentation", icon=":material/slideshow:", url_path="present"),
        st.Page("pages/management.py", title="Budget, risks, oversight", icon=":material/account_balance:",
                url_path="management"),
    ],
    "Workforce": [
        st.Page("pages/workforce_composition.py", title="Composition", icon=":material/groups:",
                url_path="workforce"),
        st.Page("pages/workforce_gender.py", title="Gender balance", icon=":material/balance:",
                url_path="workforce-gender"),
        st.Page("pages/workforce_geography.py", title="Geographical distribution", icon=":material/public:",
                url_path="workforce-geography"),
        st.Page("pages/workforce_field.py", title="Field presence", icon=":material/location_on:",
                url_path="workforce-field"),
        st.Page("pages/workforce_hr.py", title="Recruitment and training", icon=":material/person_add:",
                url_path="workforce-hr"),
    ],
}

PAGES["Data"] = [st.Page("pages/data.py", title="Data management", icon=":material/database:", url_path="data")]

navigation = st.navigation(PAGES)
results = ui_data.results()
filters = global_filters(results)
st.session_state["filters"] = filters
if filters.projector:
    apply_projector_style()
navigation.run()
# The page's modules are now imported: keep the collector after each rerun off them (ui.runtime).
freeze_after_first_run(navigation.url_path)
