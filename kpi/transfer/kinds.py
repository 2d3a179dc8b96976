"""The registry of kinds: for each kind of record, its file columns, natural key and model.

A file of a kind has the kind's columns in any order (the optional ones may be left out: an
existing record then keeps its value, a new one gets the default). A row whose natural key
matches a stored record updates that record; any other row adds one. Imports never delete.
``data/templates/KIND.csv`` is an example file of each kind and ``data/templates/README.md``
documents every column; both are generated from this registry (:mod:`kpi.transfer.templates`).
"""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, aliased

from kpi import dimensions as dims
from kpi.store import models as m
from kpi.transfer import record_kinds as rk
from kpi.transfer.checks import node_exists, not_before, owner_column, plain_query, year_in_cycle
from kpi.transfer.schema import (
    BOOL,
    CODE,
    DATE,
    INT,
    NUMBER,
    TEXT,
    YEAR,
    Column,
    Finding,
    IndicatorInfo,
    Kind,
    Lookups,
)
from kpi.transfer.values import format_value

PERCENT_UNIT = "pct"


def _value_range(info: IndicatorInfo, value: float) -> str | None:
    """Why ``value`` is out of the indicator's range, or None when it is in it."""
    if info.unit == PERCENT_UNIT:
        if not 0 <= value <= 100:
            return f"a percentage between 0 and 100 ({info.code} is in %)"
        return None
    lo, hi = info.lower_limit, info.upper_limit
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo is not None and hi is not None:
            bounds = f"between {format_value(lo)} and {format_value(hi)}"
        elif lo is not None:
            bounds = f"of at least {format_value(lo)}"
        else:
            bounds = f"of at most {format_value(hi)}"
        return f"a number {bounds} (the limits of {info.code})"
    return None


# ---------------------------------------------------------------- nodes


def _nodes_query():
    node, parent = m.FrameworkNode, aliased(m.FrameworkNode)
    return (
        select(node.id.label("_id"), node.cycle_code.label("cycle"), node.code.label("code"),
               node.kind.label("kind"), parent.code.label("parent"), node.owner.label("owner"),
               node.name.label("name"), node.statement.label("statement"),
               node.is_illustrative.label("is_illustrative"), node.source.label("source"))
        .select_from(node).outerjoin(parent, node.parent_id == parent.id)
    )


def _nodes_resolve(record: dict, lk: Lookups, new: bool) -> dict:
    return {"sort_order": lk.take_sort_order("framework_node")} if new else {}


def _nodes_after_write(session: Session, records: list[dict]) -> None:
    """Point every written node at its parent (parents may be new in the same file)."""
    if not records or "parent" not in records[0]:
        return
    node = m.FrameworkNode
    ids = {(c, code): i for i, c, code in session.execute(select(node.id, node.cycle_code, node.code))}
    session.execute(update(node), [
        {"id": ids[(r["cycle"], r["code"])],
         "parent_id": None if r["parent"] is None else ids[(r["cycle"], r["parent"])]}
        for r in records
    ])


def _nodes_check_file(records: list[tuple[int, dict]], lk: Lookups):
    parents = dict(lk.node_parents)
    for _, r in records:
        if "parent" in r and "cycle" in r and "code" in r:
            parents[(r["cycle"], r["code"])] = r["parent"]
    for row, r in records:
        parent, cycle, code = r.get("parent"), r.get("cycle"), r.get("code")
        if parent is None or cycle is None or code is None:
            continue
        if parent == code:
            yield row, "parent", "the code of another node (a node cannot be its own parent)"
        elif (cycle, parent) not in parents:
            yield row, "parent", f"the code of a node of plan cycle {cycle}, in the store or in this file"
        else:
            seen, current = {code}, parent
            while current is not None and current not in seen:
                seen.add(current)
                current = parents.get((cycle, current))
            if current == code:
                yield row, "parent", "a parent that does not lead back to this node (the parents form a loop)"


NODES = Kind(
    name="nodes",
    title="Framework nodes",
    description="Goals, targets, outcomes, outputs and enablers of a plan cycle, each under its parent.",
    model=m.FrameworkNode,
    columns=(
        Column("cycle", CODE, "Plan cycle code, e.g. 2024-2027.", required=True, codes="cycle", attr="cycle_code"),
        Column("code", TEXT, "The node's code, unique within its cycle, e.g. D1.O2.", required=True),
        Column("kind", CODE, "What the node is.", required=True, choices=dims.NODE_KINDS),
        Column("parent", TEXT, "Code of the parent node in the same cycle (in the store or in this file); "
                               "empty for a node at the top.", attr=None, max_length=32),
        owner_column(),
        Column("name", TEXT, "Short name.", required=True),
        Column("statement", TEXT, "The full wording.", empty=""),
        Column("is_illustrative", BOOL, "yes for a placeholder that is not official wording (default no).",
               empty=False),
        Column("source", TEXT, "Where the wording comes from.", empty=""),
    ),
    key=("cycle", "code"),
    query=_nodes_query,
    resolve=_nodes_resolve,
    check_file=_nodes_check_file,
    after_write=_nodes_after_write,
)


# ---------------------------------------------------------------- indicators


def _indicators_query():
    ind, node = m.Indicator, m.FrameworkNode
    return (
        select(ind.id.label("_id"), ind.code.label("code"), node.cycle_code.label("cycle"), node.code.label("node"),
               ind.name.label("name"), ind.definition.label("definition"), ind.unit.label("unit"),
               ind.direction.label("direction"), ind.aggregation.label("aggregation"),
               ind.lower_limit.label("lower_limit"), ind.upper_limit.label("upper_limit"),
               ind.source.label("source"), ind.frequency.label("frequency"), ind.owner.label("owner"),
               ind.baseline_year.label("baseline_year"), ind.baseline_value.label("baseline_value"),
               ind.computed_from.label("computed_from"), ind.is_synthetic.label("is_synthetic"))
        .select_from(ind).join(node, ind.node_id == node.id)
    )


def _indicators_resolve(record: dict, lk: Lookups, new: bool) -> dict:
    out = {}
    if "node" in record:
        out["node_id"] = lk.nodes[(record["cycle"], record["node"])]
    if new:
        out["sort_order"] = lk.take_sort_order("indicator")
    return out


def _indicators_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    yield from node_exists(r, lk)
    lo, hi = r.get("lower_limit"), r.get("upper_limit")
    if lo is not None and hi is not None and hi < lo:
        yield "upper_limit", f"a number of at least the lower limit ({format_value(lo)})"
    value = r.get("baseline_value")
    if value is not None:
        if r.get("unit") == PERCENT_UNIT and not 0 <= value <= 100:
            yield "baseline_value", "a percentage between 0 and 100 (the unit is pct)"
        elif (lo is not None and value < lo) or (hi is not None and value > hi):
            yield "baseline_value", "a number within the lower and upper limits"


INDICATORS = Kind(
    name="indicators",
    title="Indicators (reference sheets)",
    description="What each indicator measures and how: the columns of data/framework/indicators.csv.",
    model=m.Indicator,
    columns=(
        Column("code", TEXT, "The indicator's code, unique across cycles, e.g. D1.PROJ.", required=True),
        Column("cycle", CODE, "Plan cycle of the node it measures.", required=True, codes="cycle", attr=None),
        Column("node", TEXT, "Code of the framework node it measures, in that cycle.", required=True, attr=None,
               max_length=32),
        Column("name", TEXT, "Short name, as shown on the dashboard.", required=True),
        Column("definition", TEXT, "Exact definition (numerator, denominator, scope).", empty=""),
        Column("unit", CODE, "Unit: pct (per cent, 0-100), number, days, CHF or per100 (per 100 inhabitants).",
               required=True, choices=tuple(dims.UNITS)),
        Column("direction", CODE, "Whether higher or lower values are better.", required=True,
               choices=dims.DIRECTIONS),
        Column("aggregation", CODE, "How values add up across Sectors or regions: sum, mean or ratio.",
               required=True, choices=dims.AGGREGATIONS),
        Column("lower_limit", NUMBER, "Smallest possible value (e.g. 0), empty if none."),
        Column("upper_limit", NUMBER, "Largest possible value (e.g. 100 for a percentage), empty if none."),
        Column("source", TEXT, "Data source.", empty=""),
        Column("frequency", CODE, f"How often it is measured (default {dims.ANNUAL}).",
               choices=dims.FREQUENCIES, empty=dims.ANNUAL),
        owner_column(),
        Column("baseline_year", YEAR, "Year of the baseline value."),
        Column("baseline_value", NUMBER, "Baseline value, in the indicator's unit."),
        Column("computed_from", TEXT, "Empty for a reported indicator; else the records it is computed from "
                                      "(workforce, recruitment, training, oversight, engagement, procurement): "
                                      "its values are then computed, never imported.", empty=""),
        Column("is_synthetic", BOOL, "yes when its values are invented demo data (default no).", empty=False),
    ),
    key=("code",),
    query=_indicators_query,
    resolve=_indicators_resolve,
    check=_indicators_check,
)


# ---------------------------------------------------------------- targets


def _targets_query():
    t, ind = m.IndicatorTarget, m.Indicator
    return (
        select(t.id.label("_id"), ind.code.label("indicator"), t.year.label("year"), t.value.label("value"),
               t.source.label("source"))
        .select_from(t).join(ind, t.indicator_id == ind.id)
    )


def _targets_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    info = lk.indicators.get(r.get("indicator"))
    if info is None:
        return
    if r.get("year") is not None and r["year"] < info.cycle_start:
        yield "year", (f"a year from {info.cycle_start} onwards (the start of {info.code}'s plan cycle "
                       f"{info.cycle})")
    if r.get("value") is not None and (why := _value_range(info, r["value"])):
        yield "value", why


TARGETS = Kind(
    name="targets",
    title="Indicator targets",
    description="The value an indicator should reach by a year.",
    model=m.IndicatorTarget,
    columns=(
        Column("indicator", CODE, "Indicator code.", required=True, codes="indicator", attr=None),
        Column("year", YEAR, "Year the target is for: within or after the indicator's plan cycle.", required=True),
        Column("value", NUMBER, "Target value, in the indicator's unit (0-100 for a percentage).", required=True),
        Column("source", TEXT, "Where the target was set (decision, document).", empty=""),
    ),
    key=("indicator", "year"),
    query=_targets_query,
    resolve=lambda r, lk, new: {"indicator_id": lk.indicators[r["indicator"]].id},
    check=_targets_check,
)


# ---------------------------------------------------------------- observations


def disaggregation_key(record: dict) -> str:
    """The canonical key of an observation's dimensions ("" for the headline value).

    ``name=value`` pairs of the dimensions that have a value, joined by ``|`` in the order of
    :data:`kpi.dimensions.DISAGGREGATIONS`, e.g. ``"region=AFR"``, ``"grade=P4|gender=F"``.
    """
    return "|".join(f"{d}={record[d]}" for d in dims.DISAGGREGATIONS if record.get(d) is not None)


def _observations_query():
    o, ind = m.Observation, m.Indicator
    return (
        select(o.id.label("_id"), ind.code.label("indicator"), o.year.label("year"), o.value.label("value"),
               *(getattr(o, d).label(d) for d in dims.DISAGGREGATIONS),
               o.flag.label("flag"), o.note.label("note"), o.disaggregation.label("disaggregation"),
               o.approval.label("_approval"), ind.computed_from.label("_computed_from"))
        .select_from(o).join(ind, o.indicator_id == ind.id)
    )


def _observations_derive(record: dict) -> None:
    record["disaggregation"] = disaggregation_key(record)


def _observations_resolve(record: dict, lk: Lookups, new: bool) -> dict:
    return {"indicator_id": lk.indicators[record["indicator"]].id, "disaggregation": record["disaggregation"],
            "approval": "provisional"}


def _observations_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    info = lk.indicators.get(r.get("indicator"))
    if info is not None:
        if info.computed_from:
            yield "indicator", (f"an indicator that is reported, not computed ({info.code} is computed from "
                                f"{info.computed_from} records: import those instead)")
        elif r.get("value") is not None and (why := _value_range(info, r["value"])):
            yield "value", why
    country, region = r.get("country"), r.get("region")
    if country is not None and region is not None and lk.country_region.get(country) != region:
        yield "region", f"{lk.country_region.get(country)} (the ITU-D region of {country}) or empty"


def _observations_guard(r: dict, existing: dict | None, changes, lk: Lookups) -> Finding | None:
    lock = lk.lock_for(lk.indicators[r["indicator"]].id, r["year"])
    if lock is None:
        return None
    if existing is None:
        return "year", f"a year that is not validated ({lock.describe()}: reopen it to add values)"
    field, old, _ = changes[0]
    return field, f'the validated value "{format_value(old)}" ({lock.describe()}: reopen it to change values)'


def _observations_side_changes(existing: dict) -> list:
    if existing["_approval"] != "provisional":
        return [("approval", existing["_approval"], "provisional")]
    return []


def _observations_export_filter(q):
    return and_(or_(q.c._computed_from == "", q.c._computed_from.is_(None)), q.c.value.is_not(None))


OBSERVATIONS = Kind(
    name="observations",
    title="Indicator values (observations)",
    description=("Values of reported indicators by year, for the headline (all dimension columns empty) or "
                 "for a cell of the dimensions. Values of computed indicators (E1.*) come from the records "
                 "and cannot be imported. Imported values are provisional until their year is validated; "
                 "a validated year refuses new or changed values until it is reopened."),
    model=m.Observation,
    columns=(
        Column("indicator", CODE, "Indicator code (a reported indicator).", required=True, codes="indicator",
               attr=None),
        Column("year", YEAR, "Year the value is for.", required=True),
        Column("value", NUMBER, "The value, in the indicator's unit (0-100 for a percentage).", required=True),
        Column("sector", CODE, "Sector of the cell; empty unless disaggregated by Sector.", codes="sector"),
        Column("region", CODE, f"ITU-D region of the cell ({', '.join(dims.ITU_D_REGIONS)} or {dims.WORLD}); "
                               "empty unless disaggregated by region.", codes="region"),
        Column("country", CODE, "ISO 3166-1 alpha-3 code of the cell's country; empty unless by country.",
               codes="country"),
        Column("grade", CODE, "Grade of the cell; empty unless by grade.", codes="grade"),
        Column("gender", CODE, "F or M; empty unless by gender.", choices=tuple(dims.GENDERS)),
        Column("duty_station", CODE, "Duty station of the cell; empty unless by duty station.",
               codes="duty_station"),
        Column("income_group", CODE, "Income group of the cell (World Bank classification); empty unless "
                                     "by income group.", choices=tuple(dims.INCOME_GROUPS)),
        Column("country_group", CODE, "Country group of the cell (LDC: least developed countries); empty "
                                      "unless by country group.", choices=tuple(dims.COUNTRY_GROUPS)),
        Column("flag", CODE, "estimate, provisional or break (break in series); empty for none.",
               choices=("", *dims.FLAGS), empty=""),
        Column("note", TEXT, "What a reader needs to know beside the value.", empty=""),
    ),
    key=("indicator", "year", "disaggregation"),
    key_label="indicator, year and disaggregation",
    identity=("indicator", "year", *dims.DISAGGREGATIONS),
    query=_observations_query,
    derive=_observations_derive,
    resolve=_observations_resolve,
    check=_observations_check,
    guard=_observations_guard,
    side_changes=_observations_side_changes,
    export_filter=_observations_export_filter,
)


# ---------------------------------------------------------------- workforce


_STAFF_COLUMNS = ("year", "staff_key", "grade", "gender", "nationality", "duty_station", "sector", "unit",
                  "contract_type")


def _staff_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    unit, sector = r.get("unit"), r.get("sector")
    if unit is not None and sector is not None and lk.unit_sector.get(unit) != sector:
        units = sorted(u for u, s in lk.unit_sector.items() if s == sector)
        yield "unit", f"a unit of {sector} ({', '.join(units)})"


STAFF = Kind(
    name="staff",
    title="Workforce snapshots",
    description="One row per staff member and year (situation on 31 December), anonymised: no names.",
    model=m.StaffSnapshot,
    columns=(
        Column("year", YEAR, "Year of the snapshot (31 December).", required=True),
        Column("staff_key", TEXT, "Anonymised key of the person, the same every year (never a name or an "
                                  "index number).", required=True),
        Column("grade", CODE, "Grade (G1-G7, NOA-NOE, P1-P5, D1, D2, ELECTED).", required=True, codes="grade"),
        Column("gender", CODE, "F or M.", required=True, choices=tuple(dims.GENDERS)),
        Column("nationality", CODE, "ISO 3166-1 alpha-3 code of the nationality.", required=True, codes="country"),
        Column("duty_station", CODE, "Duty station.", required=True, codes="duty_station"),
        Column("sector", CODE, "Sector (or GS, the General Secretariat).", required=True, codes="sector"),
        Column("unit", CODE, "Organisational unit, one of the Sector's.", required=True, codes="unit"),
        Column("contract_type", CODE, "Type of appointment.", required=True, choices=dims.CONTRACT_TYPES),
    ),
    key=("year", "staff_key"),
    query=lambda: plain_query(m.StaffSnapshot, _STAFF_COLUMNS),
    check=_staff_check,
    feeds_enablers=True,
    about_individuals=True,
)


def _recruitments_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    yield from not_before("closed_on", "posted_on", r, "posted_on")
    if r.get("closed_on") is not None and r.get("posted_on") is not None and r["closed_on"] >= r["posted_on"]:
        yield from not_before("selected_on", "closed_on", r, "closed_on")
    else:
        yield from not_before("selected_on", "posted_on", r, "posted_on")


RECRUITMENTS = Kind(
    name="recruitments",
    title="Recruitments",
    description="One row per vacancy: posted, closed, selected (E1.RECRUIT is computed from them).",
    model=m.Recruitment,
    columns=(
        Column("vacancy_ref", TEXT, "Vacancy notice reference, unique.", required=True),
        Column("grade", CODE, "Grade of the post.", required=True, codes="grade"),
        Column("sector", CODE, "Sector of the post.", required=True, codes="sector"),
        Column("duty_station", CODE, "Duty station of the post.", required=True, codes="duty_station"),
        Column("posted_on", DATE, "Date the vacancy was posted.", required=True),
        Column("closed_on", DATE, "Closing date; empty while open."),
        Column("selected_on", DATE, "Date a candidate was selected; empty until then."),
    ),
    key=("vacancy_ref",),
    query=lambda: plain_query(m.Recruitment, ("vacancy_ref", "grade", "sector", "duty_station", "posted_on",
                                               "closed_on", "selected_on")),
    check=_recruitments_check,
    feeds_enablers=True,
    about_individuals=True,
)


TRAINING = Kind(
    name="training",
    title="Mandatory training",
    description="Whether a staff member completed a mandatory course in a year (E1.TRAIN).",
    model=m.TrainingCompletion,
    columns=(
        Column("year", YEAR, "Year.", required=True),
        Column("staff_key", TEXT, "Anonymised key of the person, as in the staff file.", required=True),
        Column("course", TEXT, "Name of the mandatory course.", required=True),
        Column("completed", BOOL, "yes or no.", required=True),
    ),
    key=("year", "staff_key", "course"),
    query=lambda: plain_query(m.TrainingCompletion, ("year", "staff_key", "course", "completed")),
    feeds_enablers=True,
    about_individuals=True,
)


# ---------------------------------------------------------------- oversight and money


def _recommendations_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    yield from not_before("implemented_on", "issued_on", r, "issued_on")
    if r.get("implemented_on") is not None and r.get("accepted") is False:
        yield "implemented_on", "empty (the recommendation was not accepted)"


RECOMMENDATIONS = Kind(
    name="recommendations",
    title="Oversight recommendations",
    description="Recommendations of the oversight bodies, their acceptance and implementation (E1.OVERSIGHT).",
    model=m.OversightRecommendation,
    columns=(
        Column("ref", TEXT, "Reference of the recommendation, unique.", required=True),
        Column("source", CODE, "Oversight body that issued it.", required=True, choices=dims.RECOMMENDATION_SOURCES),
        Column("title", TEXT, "What it recommends.", required=True),
        Column("priority", CODE, f"{dims.HIGH_PRIORITY}, {dims.MEDIUM_PRIORITY} or {dims.LOW_PRIORITY}.",
               required=True, choices=dims.PRIORITIES),
        owner_column(),
        Column("issued_on", DATE, "Date issued.", required=True),
        Column("accepted", BOOL, "yes, no, or empty while awaiting a decision."),
        Column("implemented_on", DATE, "Date implemented; empty until then."),
    ),
    key=("ref",),
    query=lambda: plain_query(m.OversightRecommendation, ("ref", "source", "title", "priority", "owner",
                                                           "issued_on", "accepted", "implemented_on")),
    check=_recommendations_check,
    feeds_enablers=True,
)


ENGAGEMENTS = Kind(
    name="engagements",
    title="Audits, investigations and evaluations",
    description="Oversight engagements with their dates and opinion (E1.AUDIT, E1.ENGAGE).",
    model=m.Engagement,
    columns=(
        Column("ref", TEXT, "Reference, unique.", required=True),
        Column("kind", CODE, "What the engagement is.", required=True, choices=dims.ENGAGEMENT_KINDS),
        Column("title", TEXT, "Subject.", empty=""),
        Column("year", YEAR, "Year it belongs to (for an external audit: the financial year audited).",
               required=True),
        Column("started_on", DATE, "Start date.", required=True),
        Column("ended_on", DATE, "Date of the final report; empty while under way."),
        Column("opinion", CODE, f"Audit opinion ({', '.join(o for o in dims.OPINIONS if o)}); empty if none.",
               choices=dims.OPINIONS, empty=dims.NO_OPINION),
    ),
    key=("ref",),
    query=lambda: plain_query(m.Engagement, ("ref", "kind", "title", "year", "started_on", "ended_on",
                                              "opinion")),
    check=lambda r, lk: not_before("ended_on", "started_on", r, "started_on"),
    feeds_enablers=True,
)


PROCUREMENT = Kind(
    name="procurement",
    title="Procurement savings",
    description="Procurement actions with their reference and awarded costs (E1.SAVINGS).",
    model=m.ProcurementSaving,
    columns=(
        Column("ref", TEXT, "Reference of the procurement action, unique.", required=True),
        Column("year", YEAR, "Year of the award.", required=True),
        Column("category", TEXT, "What was bought.", required=True),
        Column("sector", CODE, "Sector that bought it.", required=True, codes="sector"),
        Column("reference_cost_chf", NUMBER, "Reference (estimated) cost in CHF.", required=True, minimum=0),
        Column("awarded_cost_chf", NUMBER, "Awarded cost in CHF.", required=True, minimum=0),
    ),
    key=("ref",),
    query=lambda: plain_query(m.ProcurementSaving, ("ref", "year", "category", "sector", "reference_cost_chf",
                                                     "awarded_cost_chf")),
    feeds_enablers=True,
)


def _budget_query():
    b, node = m.BudgetLine, m.FrameworkNode
    return (
        select(b.id.label("_id"), node.cycle_code.label("cycle"), node.code.label("node"), b.year.label("year"),
               b.sector.label("sector"), b.planned_chf.label("planned_chf"), b.actual_chf.label("actual_chf"))
        .select_from(b).join(node, b.node_id == node.id)
    )


def _budget_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    yield from node_exists(r, lk)
    yield from year_in_cycle(r, lk)


BUDGET = Kind(
    name="budget",
    title="Budget lines",
    description="Planned and actual budget (CHF) by framework node, year and Sector (results-based budgeting).",
    model=m.BudgetLine,
    columns=(
        Column("cycle", CODE, "Plan cycle of the node.", required=True, codes="cycle", attr=None),
        Column("node", TEXT, "Code of the framework node (usually an output or the enabler).", required=True,
               attr=None, max_length=32),
        Column("year", YEAR, "Budget year, within the plan cycle.", required=True),
        Column("sector", CODE, "Sector whose budget it is.", required=True, codes="sector"),
        Column("planned_chf", NUMBER, "Planned amount in CHF.", required=True, minimum=0),
        Column("actual_chf", NUMBER, "Actual expenditure in CHF; empty until known.", minimum=0),
    ),
    key=("cycle", "node", "year", "sector"),
    query=_budget_query,
    resolve=lambda r, lk, new: {"node_id": lk.nodes[(r["cycle"], r["node"])]},
    check=_budget_check,
)


# ---------------------------------------------------------------- risks


def _risks_query():
    r, node = m.Risk, m.FrameworkNode
    return (
        select(r.id.label("_id"), r.code.label("code"), r.year.label("year"), r.title.label("title"),
               r.category.label("category"), r.owner.label("owner"), node.cycle_code.label("cycle"),
               node.code.label("node"), r.inherent_likelihood.label("inherent_likelihood"),
               r.inherent_impact.label("inherent_impact"), r.residual_likelihood.label("residual_likelihood"),
               r.residual_impact.label("residual_impact"), r.mitigation.label("mitigation"))
        .select_from(r).outerjoin(node, r.node_id == node.id)
    )


def _risks_resolve(record: dict, lk: Lookups, new: bool) -> dict:
    if "node" not in record:
        return {}
    node = record["node"]
    return {"node_id": None if node is None else lk.nodes[(record["cycle"], node)]}


def _risks_check(r: dict, lk: Lookups) -> Iterator[Finding]:
    if r.get("node") is not None and "cycle" in r and r["cycle"] is None:
        yield "cycle", f"the plan cycle of node {r['node']}"
    yield from node_exists(r, lk)


def _scale(name: str, what: str) -> Column:
    lowest, highest = dims.RISK_SCALE
    return Column(name, INT, f"{what}, {lowest} (lowest) to {highest} (highest).", required=True,
                  minimum=lowest, maximum=highest)


RISKS = Kind(
    name="risks",
    title="Risk register",
    description="Risks assessed each year: inherent and residual likelihood and impact, owner, mitigation.",
    model=m.Risk,
    columns=(
        Column("code", TEXT, "Risk code, the same every year, e.g. RSK-01.", required=True),
        Column("year", YEAR, "Year of the assessment.", required=True),
        Column("title", TEXT, "The risk.", required=True),
        Column("category", CODE, "Category.", required=True, choices=dims.RISK_CATEGORIES),
        owner_column(),
        Column("cycle", CODE, "Plan cycle of the linked node; empty if none.", required=True, nullable=True,
               codes="cycle", attr=None),
        Column("node", TEXT, "Code of the framework node the risk threatens; empty if none.", required=True,
               nullable=True, attr=None, max_length=32),
        _scale("inherent_likelihood", "Likelihood before mitigation"),
        _scale("inherent_impact", "Impact before mitigation"),
        _scale("residual_likelihood", "Likelihood after mitigation"),
        _scale("residual_impact", "Impact after mitigation"),
        Column("mitigation", TEXT, "What is done about it.", empty=""),
    ),
    key=("code", "year"),
    query=_risks_query,
    resolve=_risks_resolve,
    check=_risks_check,
)


#: Every kind, by name, in the order of the documentation (a kind comes after the kinds it requires).
KINDS: dict[str, Kind] = {k.name: k for k in (
    NODES, INDICATORS, TARGETS, OBSERVATIONS, STAFF, RECRUITMENTS, TRAINING, RECOMMENDATIONS, ENGAGEMENTS,
    PROCUREMENT, BUDGET, RISKS, rk.RESOLUTIONS, rk.RESOLUTION_ACTIONS, rk.COMMITMENTS, rk.COMMITMENT_FOLLOW_UPS,
    rk.MEMBERSHIP, rk.ACCOUNTABILITY_COMPONENTS, rk.ACCOUNTABILITY_ASSESSMENTS, rk.OPERATIONAL_PLAN, rk.LINKS,
)}


def get_kind(name: str) -> Kind:
    """The kind called ``name``; a ValueError listing the kinds otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind {name!r}: expected one of {', '.join(KINDS)}") from None
