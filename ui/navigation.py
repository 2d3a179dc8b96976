"""The sidebar's navigation: a link per page under its section heading, each carrying the global filters.

Streamlit's own sidebar navigation marks its entries up as list items outside a proper list (axe-core's
``list`` and ``listitem`` rules, WCAG 1.3.1) and drops the query parameters when the page changes, so the
Sector chosen on one page was lost on the next. The navigation runs hidden (``st.navigation(...,
position="hidden")``) and these links, ``st.page_link`` with the filters as ``query_params``, take its place.
"""
from __future__ import annotations

import html

import streamlit as st

from ui.filters import BOUND_KEYS, link_params

#: The default page's address: Streamlit serves it at the root, and ui.serve sends this address there.
DEFAULT_PAGE_PATH = "overview"


def sidebar_links(sections: dict[str, list]) -> None:
    """A heading per section and a link per page (``st.Page``), in the sidebar, the filters kept in each link."""
    # Streamlit keeps the bound widgets' parameters itself: carried twice, they would be duplicated.
    params = {k: v for k, v in link_params().items() if k not in BOUND_KEYS}
    with st.sidebar.container(key="navigation"):
        for section, pages in sections.items():
            st.html(f'<p class="nav-section">{html.escape(section)}</p>')
            for page in pages:
                st.page_link(page, query_params=params, width="stretch")
