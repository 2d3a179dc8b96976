"""Entry point: ``streamlit run app.py``. Navigation, global filters, shared chrome."""
from __future__ import annotations

import streamlit as st

from ui import data as ui_data
from ui.filters import global_filters

st.set_page_config(page_title="ITU results dashboard", page_icon=":material/insights:", layout="wide")

PAGES = {
    "Results": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("pages/scorecard.py", title="Scorecard", icon=":material/checklist:", url_path="scorecard"),
        st.Page("pages/explorer.py", title="Indicator explorer", icon=":material/query_stats:", url_path="explorer"),
    ],
}

navigation = st.navigation(PAGES)
results = ui_data.results()
st.session_state["filters"] = global_filters(results)
navigation.run()
