"""Administration: roles granted to verified identities, Council sequences, the security log."""
from __future__ import annotations

import polars as pl
import streamlit as st

from kpi import access, security_log
from kpi import dimensions as dims
from kpi.access import AccessDenied
from kpi.presentation import delete_sequence, sequence_names
from kpi.text import markdown_text
from ui import data as ui_data
from ui.auth import current_actor

ALL_SECTORS = "All Sectors"


def grant_form() -> None:
    with st.form("grant-role", clear_on_submit=True):
        st.markdown("**Grant a role**")
        left, middle, right = st.columns([3, 2, 2])
        identity = left.text_input("E-mail address (or the provider's subject)")
        role = middle.selectbox("Role", access.GRANTABLE_ROLES, format_func=access.ROLE_LABELS.get)
        sector = right.selectbox("Sector (data stewards)", [ALL_SECTORS, *dims.SECTOR_CODES])
        if st.form_submit_button("Grant", icon=":material/person_add:"):
            try:
                done = access.grant(engine, actor, identity, role,
                                    None if sector == ALL_SECTORS or role not in access.SECTOR_SCOPED_ROLES else sector)
                who = markdown_text(access.normalise_identity(identity))
                st.success(f"Granted {access.ROLE_LABELS[role]} to {who}." if done else f"{who} already has that role.")
            except (ValueError, AccessDenied) as error:
                st.error(str(error))


def revoke_form(grants: pl.DataFrame) -> None:
    if grants.is_empty():
        return
    rows = list(grants.select("identity", "role", "sector").iter_rows())
    with st.form("revoke-role"):
        st.markdown("**Revoke a role**")
        chosen = st.selectbox("Grant", rows, format_func=lambda r: f"{r[0]} · {access.ROLE_LABELS[r[1]]}"
                              + (f" ({r[2]})" if r[2] else ""))
        if st.form_submit_button("Revoke", icon=":material/person_remove:"):
            try:
                n = access.revoke(engine, actor, chosen[0], chosen[1], chosen[2])
                st.success(f"Revoked {n} grant(s); it takes effect at that user's next interaction.")
            except (ValueError, AccessDenied) as error:
                st.error(str(error))


def sequences_section() -> None:
    names = sequence_names(engine)
    if not names:
        st.caption("No named sequence yet: prepare one on the Council presentation page.")
        return
    name = st.selectbox("Named sequence", names, key="admin-sequence")
    if st.button("Delete this sequence", icon=":material/delete:", key="delete-sequence"):
        try:
            delete_sequence(engine, name, actor=actor)
            st.success(f"Deleted {name}.")
        except AccessDenied as error:
            st.error(str(error))


engine = ui_data.engine()
actor = current_actor()
st.title("Roles and sign-ins")
if not actor.has(access.ADMINISTRATOR):
    st.error("This page is for administrators.", icon=":material/lock:")
    st.stop()

roles_tab, sequences_tab, log_tab = st.tabs(["Roles", "Council sequences", "Security log"], key="tab",
                                            bind="query-params", on_change="rerun")
with roles_tab:
    grant_form()
    grants = access.list_grants(engine)
    revoke_form(grants)
    st.markdown(f"**{grants.height} role(s) in force**")
    st.dataframe(grants.with_columns(pl.col("role").replace_strict(access.ROLE_LABELS, default=pl.col("role"))),
                 hide_index=True, column_config={"identity": "Identity", "role": "Role", "sector": dims.DIMENSION_LABELS["sector"],
                                                 "granted_by": "Granted by", "granted_at": "Granted at (UTC)"})
with sequences_tab:
    sequences_section()
with log_tab:
    events = security_log.recent_rows()
    st.caption(f"The last {len(events)} sign-ins, sign-outs, role changes and refused attempts, newest first "
               f"({security_log.log_path().name} on this server).")
    if events:
        st.dataframe(pl.DataFrame(events), hide_index=True, column_config={
            "at": "When (UTC)", "event": "Event", "who": "Who", "channel": "Channel", "details": "Details"})
