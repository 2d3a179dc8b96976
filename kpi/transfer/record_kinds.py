"""The kinds of the results chain's records (issue 16): resolutions and their action items, retreat
commitments and their follow-ups, Sector membership, the Accountability Framework's components and their
yearly assessment, operational plan items, and links between records and framework nodes or indicators.

They follow the pattern of :mod:`kpi.transfer.kinds` (which registers them): allowed words from
:mod:`kpi.dimensions`, natural keys, checks that name the column and what was expected. A kind whose rows
name records of another kind (an action its resolution, a follow-up its commitment, a link its record)
``requires`` that kind: its records must be in the store, imported first.
"""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from kpi import dimensions as dims
from kpi.store import models as m
from kpi.transfer.checks import node_exists, owner_column, plain_query, year_in_cycle
from kpi.transfer.schema import CODE, DATE, INT, NUMBER, TEXT, YEAR, Column, Finding, Kind, Lookups
from kpi.transfer.values import format_value


def _status(what: str, choices: tuple[str, ...] = dims.IMPLEMENTATION_STATUSES) -> Column:
    return Column("status", CODE, f"Where {what} stands: {', '.join(choices)}.", required=True, choices=choices)


def _year_from(record: dict, column: str, since: int | None, why: str) -> Iterator[Finding]:
    """A finding on ``column`` (a year or a date) when it comes before the year ``since``."""
    value = record.get(column)
    if value is None or since is None:
        return
    if (value if isinstance(value, int) else value.year) < since:
        noun = "a year" if isinstance(value, int) else "a date"
        yield column, f"{noun} in or after {since} ({why})"


# ---------------------------------------------------------------- resolutions and their action items


RESOLUTIONS = Kind(
    name="resolutions",
    title="Resolutions",
    description="Resolutions (of the Plenipotentiary Conference and others) whose implementation is reported "
                "every year.",
    model=m.Resolution,
    columns=(
        Column("code", TEXT, "The resolution's code, unique, e.g. PP Res. 151 (Rev. Bucharest, 2022).",
               required=True),
        Column("title", TEXT, "Its title.", required=True),
        Column("conference", TEXT, "The conference that adopted or last revised it, e.g. PP-22.", required=True),
        Column("year", YEAR, "Year it was adopted or last revised.", required=True),
    ),
    key=("code",),
    query=lambda: plain_query(m.Resolution, ("code", "title", "conference", "year")),
)


def _actions_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    code = r.get("resolution")
    yield from _year_from(r, "year", lk.resolutions.get(code), f"the year of {code}")
    status, progress = r.get("status"), r.get("progress_pct")
    implied = dims.STATUS_PROGRESS.get(status)
    if implied is not None and progress is not None and progress != implied:
        yield "progress_pct", f"{format_value(implied)} (the action is {status})"


RESOLUTION_ACTIONS = Kind(
    name="resolution_actions",
    title="Resolution action items",
    description="What each resolution resolves or instructs, with its implementation status in a reporting year "
                "(the yearly report to the Council). Import the resolutions first.",
    model=m.ResolutionAction,
    columns=(
        Column("resolution", CODE, "The resolution's code, as in the resolutions file.", required=True,
               codes="resolution", attr="resolution_code"),
        Column("ref", TEXT, "The item's reference within the resolution, e.g. A1 or resolves 2 vi).", required=True),
        Column("year", YEAR, "Reporting year of the status, from the resolution's year onwards.", required=True),
        Column("description", TEXT, "What is to be done.", required=True),
        owner_column(),
        _status("the item"),
        Column("progress_pct", NUMBER, "Progress in per cent (0 when not started, 100 when implemented; "
                                       "default 0).", minimum=0, maximum=100, empty=0.0),
    ),
    key=("resolution", "ref", "year"),
    query=lambda: plain_query(m.ResolutionAction, ("resolution", "ref", "year", "description", "owner", "status",
                                                   "progress_pct"), {"resolution": "resolution_code"}),
    check=_actions_check,
    requires=("resolutions",),
)


# ---------------------------------------------------------------- commitments and their follow-ups


def _commitments_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    yield from _year_from(r, "due_on", r.get("year"), "the year the commitment was made")


COMMITMENTS = Kind(
    name="commitments",
    title="Retreat commitments",
    description="What senior management committed to (e.g. at its yearly retreat), with owner, due date and "
                "status.",
    model=m.Commitment,
    columns=(
        Column("ref", TEXT, "The commitment's reference, unique, e.g. R2024-1 (R, the retreat's year, its number).",
               required=True),
        Column("year", YEAR, "Year the commitment was made.", required=True),
        Column("forum", TEXT, "Where it was made, e.g. Senior Management Retreat 2024.", required=True),
        Column("text", TEXT, "What was committed to.", required=True),
        owner_column(),
        Column("due_on", DATE, "Date it is due, in or after its year; empty if none."),
        _status("the commitment"),
    ),
    key=("ref",),
    query=lambda: plain_query(m.Commitment, ("ref", "year", "forum", "text", "owner", "due_on", "status")),
    check=_commitments_check,
)


def _follow_ups_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    ref = r.get("commitment")
    yield from _year_from(r, "noted_on", lk.commitments.get(ref), f"commitment {ref} was made then")


COMMITMENT_FOLLOW_UPS = Kind(
    name="commitment_follow_ups",
    title="Follow-ups of commitments",
    description="Dated notes on where a commitment stands, each with the status it gave. Import the commitments "
                "first.",
    model=m.CommitmentFollowUp,
    columns=(
        Column("commitment", CODE, "The commitment's ref, as in the commitments file.", required=True,
               codes="commitment", attr="commitment_ref"),
        Column("noted_on", DATE, "Date of the follow-up, in or after the commitment's year.", required=True),
        _status("the commitment"),
        Column("note", TEXT, "What was done, what is left.", empty=""),
    ),
    key=("commitment", "noted_on"),
    query=lambda: plain_query(m.CommitmentFollowUp, ("commitment", "noted_on", "status", "note"),
                              {"commitment": "commitment_ref"}),
    check=_follow_ups_check,
    requires=("commitments",),
)


# ---------------------------------------------------------------- membership


def _membership_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    sector, category = r.get("sector"), r.get("category")
    if sector is None or category is None:
        return
    if category == dims.MEMBER_STATES and sector != dims.ITU_WIDE:
        yield "sector", f"{dims.ITU_WIDE} (Member States are members of the whole Union)"
    elif category != dims.MEMBER_STATES and sector == dims.ITU_WIDE:
        yield "sector", f"a Sector ({', '.join(dims.MEMBERSHIP_SECTORS)}): {category} join a Sector"


MEMBERSHIP = Kind(
    name="membership",
    title="Sector membership",
    description="How many members the Union and each Sector count, by category and year.",
    model=m.Membership,
    columns=(
        Column("sector", CODE, f"{dims.ITU_WIDE} for Member States (members of the whole Union), else the Sector.",
               required=True, choices=(dims.ITU_WIDE, *dims.MEMBERSHIP_SECTORS)),
        Column("category", CODE, "Category of membership.", required=True, choices=dims.MEMBERSHIP_CATEGORIES),
        Column("year", YEAR, "Year of the count.", required=True),
        Column("count", INT, "Number of members.", required=True, minimum=0),
    ),
    key=("sector", "category", "year"),
    query=lambda: plain_query(m.Membership, ("sector", "category", "year", "count")),
    check=_membership_check,
)


# ---------------------------------------------------------------- Accountability Framework


ACCOUNTABILITY_COMPONENTS = Kind(
    name="accountability_components",
    title="Accountability Framework components",
    description="The components of the Accountability Framework under their pillars.",
    model=m.AccountabilityComponent,
    columns=(
        Column("code", TEXT, "The component's code, unique, e.g. AF-1.", required=True),
        Column("pillar", TEXT, "The pillar it belongs to.", required=True),
        Column("name", TEXT, "The component's name.", required=True),
        Column("position", INT, "Its place in the framework's order (default 0).", minimum=0, empty=0),
        Column("source", TEXT, "Where its name comes from (a Council document), or illustrative.", empty=""),
    ),
    key=("code",),
    query=lambda: plain_query(m.AccountabilityComponent, ("code", "pillar", "name", "position", "source")),
)


ACCOUNTABILITY_ASSESSMENTS = Kind(
    name="accountability_assessments",
    title="Accountability Framework assessments",
    description="The status of each component of the Accountability Framework in a year. Import the components "
                "first.",
    model=m.AccountabilityAssessment,
    columns=(
        Column("component", CODE, "The component's code, as in the components file.", required=True,
               codes="component", attr="component_code"),
        Column("year", YEAR, "Year of the assessment.", required=True),
        _status("the component", dims.ACCOUNTABILITY_STATUSES),
        Column("note", TEXT, "What the assessment found.", empty=""),
    ),
    key=("component", "year"),
    query=lambda: plain_query(m.AccountabilityAssessment, ("component", "year", "status", "note"),
                              {"component": "component_code"}),
    requires=("accountability_components",),
)


# ---------------------------------------------------------------- operational plans


def _plan_query():
    item, node, ind = m.OperationalPlanItem, m.FrameworkNode, m.Indicator
    return (
        select(item.id.label("_id"), item.ref.label("ref"), item.year.label("year"), item.unit.label("unit"),
               node.cycle_code.label("cycle"), node.code.label("node"),
               item.expected_result.label("expected_result"), item.kpi.label("kpi"), ind.code.label("indicator"),
               item.risk_factors.label("risk_factors"), item.resources_chf.label("resources_chf"))
        .select_from(item).join(node, item.node_id == node.id).outerjoin(ind, item.indicator_id == ind.id)
    )


def _plan_resolve(record: dict, lk: Lookups, new: bool) -> dict:
    out = {"node_id": lk.nodes[(record["cycle"], record["node"])]}
    if "indicator" in record:
        code = record["indicator"]
        out["indicator_id"] = None if code is None else lk.indicators[code].id
    return out


def _plan_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    yield from node_exists(r, lk)
    yield from year_in_cycle(r, lk)
    info, cycle = lk.indicators.get(r.get("indicator")), r.get("cycle")
    if info is not None and cycle is not None and info.cycle != cycle:
        yield "indicator", f"an indicator of plan cycle {cycle} ({info.code} is of {info.cycle})"


OPERATIONAL_PLAN = Kind(
    name="operational_plan",
    title="Operational plan items",
    description="The lines of each unit's rolling operational plan: the output it delivers, its expected result, "
                "KPI (linked to an indicator), risk factors and resources, by year.",
    model=m.OperationalPlanItem,
    columns=(
        Column("ref", TEXT, "The item's reference, the same every year, e.g. OP-BDT-01.", required=True),
        Column("year", YEAR, "Plan year, within the plan cycle of the node.", required=True),
        Column("unit", CODE, "The Sector or unit (e.g. a General Secretariat department) whose plan it is.",
               required=True, codes="plan_unit"),
        Column("cycle", CODE, "Plan cycle of the node.", required=True, codes="cycle", attr=None),
        Column("node", TEXT, "Code of the framework node (usually an output or the enabler) it delivers.",
               required=True, attr=None, max_length=32),
        Column("expected_result", TEXT, "The result expected.", required=True),
        Column("kpi", TEXT, "The key performance indicator, in words.", empty=""),
        Column("indicator", CODE, "Code of the indicator that measures the KPI, of the same plan cycle; empty if "
                                  "none.", codes="indicator", attr=None),
        Column("risk_factors", TEXT, "What could prevent the result.", empty=""),
        Column("resources_chf", NUMBER, "Resources planned in CHF; empty if not costed.", minimum=0),
    ),
    key=("ref", "year"),
    query=_plan_query,
    resolve=_plan_resolve,
    check=_plan_check,
)


# ---------------------------------------------------------------- links


def _links_query():
    link, node, ind = m.RecordLink, m.FrameworkNode, m.Indicator
    # An empty cell is "" here, not NULL, so that the natural key (which holds these columns) matches.
    return (
        select(link.id.label("_id"), link.record_kind.label("record_kind"), link.record_ref.label("record_ref"),
               func.coalesce(node.cycle_code, "").label("cycle"), func.coalesce(node.code, "").label("node"),
               func.coalesce(ind.code, "").label("indicator"))
        .select_from(link).outerjoin(node, link.node_id == node.id).outerjoin(ind, link.indicator_id == ind.id)
    )


def _links_resolve(record: dict, lk: Lookups, new: bool) -> dict:
    node, indicator = record["node"], record["indicator"]
    return {"node_id": lk.nodes[(record["cycle"], node)] if node else None,
            "indicator_id": lk.indicators[indicator].id if indicator else None}


def _links_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    kind, ref = r.get("record_kind"), r.get("record_ref")
    if kind is not None and ref is not None and ref not in lk.records[kind]:
        yield "record_ref", f"{dims.RECORD_REFS[kind]} of a {kind.replace('_', ' ')} in the store"
    yield from _link_target(r, lk)


def _link_target(r: dict, lk: Lookups) -> Iterator[Finding]:
    """Findings unless the row names exactly one node (with its cycle) or one indicator (without a cycle)."""
    cycle, node, indicator = r.get("cycle"), r.get("node"), r.get("indicator")
    if node is None or indicator is None or cycle is None:
        return
    if node and indicator:
        yield "indicator", "empty when the row names a node (one link per row: to a node or to an indicator)"
    elif not node and not indicator:
        yield "node", "the code of a framework node, or an indicator in the indicator column (the record's link)"
    elif node and not cycle:
        yield "cycle", f"the plan cycle of node {node}"
    elif node:
        yield from node_exists(r, lk)
    elif cycle:
        yield "cycle", "empty for a link to an indicator (an indicator's code names it in every cycle)"


LINKS = Kind(
    name="links",
    title="Links between records and the results framework",
    description="Ties a risk, an oversight recommendation, a resolution action or a commitment to a framework "
                "node or an indicator it bears on: one row per tie. Import the records first.",
    model=m.RecordLink,
    columns=(
        Column("record_kind", CODE, "What the record is.", required=True, choices=dims.RECORD_KINDS),
        Column("record_ref", TEXT, "The record's reference: " + "; ".join(
            f"for a {k.replace('_', ' ')}, {v}" for k, v in dims.RECORD_REFS.items()) + ".", required=True),
        Column("cycle", CODE, "Plan cycle of the node; empty for a link to an indicator.", required=True,
               nullable=True, codes="cycle", attr=None, empty=""),
        Column("node", TEXT, "Code of the framework node; empty for a link to an indicator.", required=True,
               nullable=True, attr=None, max_length=32, empty=""),
        Column("indicator", CODE, "Code of the indicator; empty for a link to a node.", required=True, nullable=True,
               codes="indicator", attr=None, empty=""),
    ),
    key=("record_kind", "record_ref", "cycle", "node", "indicator"),
    key_label="record and node or indicator",
    # A link has no field beyond its key; its identity is the record alone so that the change log of a new
    # link says what it ties the record to (its cycle, node or indicator).
    identity=("record_kind", "record_ref"),
    query=_links_query,
    resolve=_links_resolve,
    check=_links_check,
    requires=("risks", "recommendations", "resolution_actions", "commitments"),
)
