"""SQLAlchemy 2.0 models of the whole domain (DESIGN.md, "Domain model").

Reference dimensions use their natural codes as primary keys (a Sector is ``ITU-D``, a country
``KEN``) so that imports, exports and URLs speak the same codes as people do. Records that
are many (observations, staff-years) use integer keys.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kpi import dimensions as dims


class Base(DeclarativeBase):
    """Declarative base of every table in the store."""


def _code(length: int = 32) -> Mapped[str]:
    return mapped_column(String(length), primary_key=True)


# ---------------------------------------------------------------- organisation reference


class Sector(Base):
    """A Sector of the Union or the General Secretariat, with its Bureau (kpi.dimensions.SECTORS)."""

    __tablename__ = "sector"
    code: Mapped[str] = _code(16)
    name: Mapped[str] = mapped_column(String(120))
    bureau_code: Mapped[str] = mapped_column(String(16))
    bureau: Mapped[str] = mapped_column(String(120))


class Unit(Base):
    """A department or unit, in one Sector: the finest organisational grouping of staff and plans."""

    __tablename__ = "unit"
    code: Mapped[str] = _code()
    name: Mapped[str] = mapped_column(String(200))
    sector_code: Mapped[str] = mapped_column(ForeignKey("sector.code"))


class ItuDRegion(Base):
    """An ITU-D statistical region (Africa, Americas...)."""

    __tablename__ = "itu_d_region"
    code: Mapped[str] = _code(8)
    name: Mapped[str] = mapped_column(String(60))


class AdminRegion(Base):
    """An ITU administrative region (A to E), as in Council elections."""

    __tablename__ = "admin_region"
    code: Mapped[str] = _code(1)
    name: Mapped[str] = mapped_column(String(60))


class Country(Base):
    """A country or territory with its ITU-D and administrative regions and whether it is a Member State."""

    __tablename__ = "country"
    iso3: Mapped[str] = _code(3)
    name: Mapped[str] = mapped_column(String(120))
    itu_d_region: Mapped[str] = mapped_column(ForeignKey("itu_d_region.code"))
    admin_region: Mapped[str] = mapped_column(ForeignKey("admin_region.code"))
    un_sdg_region: Mapped[str] = mapped_column(String(80), default="")
    is_member_state: Mapped[bool] = mapped_column(Boolean, default=True)
    ldc: Mapped[bool] = mapped_column(Boolean, default=False)
    income_group: Mapped[str] = mapped_column(String(40), default="")


class DutyStation(Base):
    """A duty station: headquarters, a regional or area office, or a liaison office."""

    __tablename__ = "duty_station"
    code: Mapped[str] = _code(40)
    name: Mapped[str] = mapped_column(String(80))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
    kind: Mapped[str] = mapped_column(String(20))
    itu_d_region: Mapped[str | None] = mapped_column(ForeignKey("itu_d_region.code"), nullable=True)


class Grade(Base):
    """A grade and its category (G1..G7, NOA..NOE, P1..P5, D1, D2, elected)."""

    __tablename__ = "grade"
    code: Mapped[str] = _code(8)
    category: Mapped[str] = mapped_column(String(8))
    rank: Mapped[int] = mapped_column(Integer)


# ---------------------------------------------------------------- strategic framework


class PlanCycle(Base):
    """A Strategic Plan cycle (e.g. 2024-2027) and its years."""

    __tablename__ = "plan_cycle"
    code: Mapped[str] = _code(16)  # "2024-2027"
    name: Mapped[str] = mapped_column(String(120))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    instrument: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")


class FrameworkNode(Base):
    """A goal, target, outcome, output or enabler of a plan cycle's results framework."""

    __tablename__ = "framework_node"
    __table_args__ = (UniqueConstraint("cycle_code", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_code: Mapped[str] = mapped_column(ForeignKey("plan_cycle.code"))
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # kpi.dimensions.NODE_KINDS
    name: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("framework_node.id"), nullable=True)
    owner: Mapped[str] = mapped_column(String(16), default="ITU")  # a Sector code or "ITU"
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    parent: Mapped[FrameworkNode | None] = relationship(remote_side=[id])


class Indicator(Base):
    """An indicator of a framework node: unit, direction, aggregation, limits, owner and source."""

    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("framework_node.id"))
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(16), default="number")
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    aggregation: Mapped[str] = mapped_column(String(8), default="sum")
    lower_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    upper_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(20), default=dims.ANNUAL)
    owner: Mapped[str] = mapped_column(String(16), default="ITU")
    baseline_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    baseline_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    computed_from: Mapped[str] = mapped_column(String(40), default="")  # "" = reported; else the records it is computed from
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=True)
    attribution: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class IndicatorTarget(Base):
    """An indicator's target value for one year."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")


class Observation(Base):
    """A value of an indicator for a year, headline or disaggregated.

    ``disaggregation`` is the canonical key of the optional dimensions ("" for the headline
    value, e.g. ``"region=AFR"`` or ``"gender=F|grade=P4"``) so that uniqueness holds on every
    database, where NULLs in a unique constraint would not.
    """

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "disaggregation"),
        Index("ix_observation_year", "year"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    disaggregation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str | None] = mapped_column(ForeignKey("sector.code"), nullable=True)
    region: Mapped[str | None] = mapped_column(String(8), nullable=True)  # ITU-D region code or "WLD"
    country: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), nullable=True)
    grade: Mapped[str | None] = mapped_column(ForeignKey("grade.code"), nullable=True)
    gender: Mapped[str | None] = mapped_column(String(1), nullable=True)
    duty_station: Mapped[str | None] = mapped_column(ForeignKey("duty_station.code"), nullable=True)
    income_group: Mapped[str | None] = mapped_column(String(8), nullable=True)  # kpi.dimensions.INCOME_GROUPS
    country_group: Mapped[str | None] = mapped_column(String(8), nullable=True)  # kpi.dimensions.COUNTRY_GROUPS
    flag: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    coverage_pct: Mapped[float | None] = mapped_column(Float, nullable=True)  # share of population reporting (aggregates)
    imputed_pct: Mapped[float | None] = mapped_column(Float, nullable=True)  # share of population imputed (aggregates)
    approval: Mapped[str] = mapped_column(String(16), default="provisional")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class ValidatedPeriod(Base):
    """A year whose observations a data steward validated (locked against imports until reopened)."""

    __tablename__ = "validated_period"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"), nullable=True)  # None = all
    validated_by: Mapped[str] = mapped_column(String(255))
    validated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reopened_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


# ---------------------------------------------------------------- workforce


class StaffSnapshot(Base):
    """One anonymised staff member in one year (31 December snapshot)."""

    __tablename__ = "staff_snapshot"
    __table_args__ = (
        UniqueConstraint("year", "staff_key"),
        Index("ix_staff_snapshot_year", "year"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    staff_key: Mapped[str] = mapped_column(String(24))  # anonymised, stable across years
    grade: Mapped[str] = mapped_column(ForeignKey("grade.code"))
    gender: Mapped[str] = mapped_column(String(1))
    nationality: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
    duty_station: Mapped[str] = mapped_column(ForeignKey("duty_station.code"))
    sector: Mapped[str] = mapped_column(ForeignKey("sector.code"))
    unit: Mapped[str] = mapped_column(ForeignKey("unit.code"))
    contract_type: Mapped[str] = mapped_column(String(16))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class Recruitment(Base):
    """One recruitment: the post's grade, Sector and duty station, and when it was posted, closed and filled."""

    __tablename__ = "recruitment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vacancy_ref: Mapped[str] = mapped_column(String(32), unique=True)
    grade: Mapped[str] = mapped_column(ForeignKey("grade.code"))
    sector: Mapped[str] = mapped_column(ForeignKey("sector.code"))
    duty_station: Mapped[str] = mapped_column(ForeignKey("duty_station.code"))
    posted_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    selected_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class TrainingCompletion(Base):
    """Mandatory-training status of one staff member for one year and course."""

    __tablename__ = "training_completion"
    __table_args__ = (UniqueConstraint("year", "staff_key", "course"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    staff_key: Mapped[str] = mapped_column(String(24))
    course: Mapped[str] = mapped_column(String(60))
    completed: Mapped[bool] = mapped_column(Boolean)


# ---------------------------------------------------------------- oversight, money, risk


class OversightRecommendation(Base):
    """A recommendation of an oversight body and where it stands (accepted, implemented)."""

    __tablename__ = "oversight_recommendation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    source: Mapped[str] = mapped_column(String(60))  # External Auditor, Internal Audit, JIU, IMAC, Evaluation
    title: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(16), default=dims.MEDIUM_PRIORITY)
    owner: Mapped[str] = mapped_column(String(16), default="GS")
    issued_on: Mapped[dt.date] = mapped_column(Date)
    accepted: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    implemented_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class Engagement(Base):
    """An audit, investigation or evaluation, with its opinion where it has one."""

    __tablename__ = "engagement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # external audit, internal audit, investigation, evaluation
    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    opinion: Mapped[str] = mapped_column(String(16), default="")  # unqualified / qualified / adverse / ""


class ProcurementSaving(Base):
    """The saving on one procurement: its reference cost and the cost awarded, in CHF."""

    __tablename__ = "procurement_saving"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(60))
    sector: Mapped[str] = mapped_column(ForeignKey("sector.code"))
    reference_cost_chf: Mapped[float] = mapped_column(Float)
    awarded_cost_chf: Mapped[float] = mapped_column(Float)


class BudgetLine(Base):
    """Planned and actual resources of a Sector for a framework node in a year."""

    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("node_id", "year", "sector"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("framework_node.id"))
    year: Mapped[int] = mapped_column(Integer)
    sector: Mapped[str] = mapped_column(ForeignKey("sector.code"))
    planned_chf: Mapped[float] = mapped_column(Float)
    actual_chf: Mapped[float | None] = mapped_column(Float, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class Risk(Base):
    """A risk of the register as assessed in a year: category, owner, inherent and residual likelihood and impact."""

    __tablename__ = "risk"
    __table_args__ = (UniqueConstraint("code", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)  # assessment year
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(16))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("framework_node.id"), nullable=True)
    inherent_likelihood: Mapped[int] = mapped_column(Integer)  # 1-5
    inherent_impact: Mapped[int] = mapped_column(Integer)  # 1-5
    residual_likelihood: Mapped[int] = mapped_column(Integer)
    residual_impact: Mapped[int] = mapped_column(Integer)
    mitigation: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class Resolution(Base):
    """A resolution of a conference (the Plenipotentiary, a WTDC, a WTSA...) whose actions the dashboard follows."""

    __tablename__ = "resolution"
    code: Mapped[str] = _code(40)  # "PP Res. 151 (Rev. Bucharest, 2022)"
    title: Mapped[str] = mapped_column(Text)
    conference: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)


class ResolutionAction(Base):
    """An action of a resolution and its status and progress in a year."""

    __tablename__ = "resolution_action"
    __table_args__ = (UniqueConstraint("resolution_code", "ref", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resolution_code: Mapped[str] = mapped_column(ForeignKey("resolution.code"))
    ref: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)  # reporting year
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # not started / ongoing / implemented
    progress_pct: Mapped[float] = mapped_column(Float, default=0.0)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class Commitment(Base):
    """What senior management committed to (e.g. at a retreat), followed up the next time."""

    __tablename__ = "commitment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The commitment's own reference ("R2024-1"), how imports, follow-ups and links name it.
    ref: Mapped[str | None] = mapped_column(String(24), unique=True, nullable=True)
    year: Mapped[int] = mapped_column(Integer)
    forum: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class CommitmentFollowUp(Base):
    """A dated note on where a commitment stands (the retreat's follow-up), with the status it gave."""

    __tablename__ = "commitment_follow_up"
    __table_args__ = (UniqueConstraint("commitment_ref", "noted_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_ref: Mapped[str] = mapped_column(ForeignKey("commitment.ref"))
    noted_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class AccountabilityComponent(Base):
    """A component of the Accountability Framework, under its pillar."""

    __tablename__ = "accountability_component"
    code: Mapped[str] = _code(24)
    pillar: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: Where the component's name comes from (a Council document), or "illustrative".
    source: Mapped[str] = mapped_column(Text, default="")


class AccountabilityAssessment(Base):
    """A component's status in a year (the yearly report on the framework's components)."""

    __tablename__ = "accountability_assessment"
    __table_args__ = (UniqueConstraint("component_code", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component_code: Mapped[str] = mapped_column(ForeignKey("accountability_component.code"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class OperationalPlanItem(Base):
    """A line of a unit's rolling operational plan: an output's expected result, KPI, risks and resources."""

    __tablename__ = "operational_plan_item"
    __table_args__ = (UniqueConstraint("ref", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16))  # a Sector code or a General Secretariat department
    node_id: Mapped[int] = mapped_column(ForeignKey("framework_node.id"))  # the output it delivers
    expected_result: Mapped[str] = mapped_column(Text)
    kpi: Mapped[str] = mapped_column(Text, default="")
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"), nullable=True)
    risk_factors: Mapped[str] = mapped_column(Text, default="")
    resources_chf: Mapped[float | None] = mapped_column(Float, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class RecordLink(Base):
    """A record (risk, recommendation, resolution action, commitment) tied to a framework node or an indicator.

    ``record_ref`` names the record by its own reference (a risk's code, a recommendation's ref, a
    resolution action's "code|ref", a commitment's ref); the import checks that it exists.
    """

    __tablename__ = "record_link"
    __table_args__ = (UniqueConstraint("record_kind", "record_ref", "node_id", "indicator_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(24))
    record_ref: Mapped[str] = mapped_column(String(80))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("framework_node.id"), nullable=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"), nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class Membership(Base):
    """How many members of a category a Sector has in a year (Member States under the owner code ITU)."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("sector", "category", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sector: Mapped[str] = mapped_column(String(16))  # Sector code or "ITU" for Member States
    category: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


# ---------------------------------------------------------------- provenance


class ImportBatch(Base):
    """One import: the file and its checksum, its kind, who imported it and when, its rows added, changed and
    unchanged."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    user: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ChangeLog(Base):
    """One changed field of a stored record: old and new value, by whom, when, in which batch."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_record", "table_name", "record_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(String(255))
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    user: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Meta(Base):
    """Key-value facts about the store: data version, data as of, demo seed."""

    __tablename__ = "meta"
    key: Mapped[str] = _code(40)
    value: Mapped[str] = mapped_column(Text)


class Presentation(Base):
    """A named sequence of slides for a Council session, prepared by the secretariat."""

    __tablename__ = "presentation"
    name: Mapped[str] = _code(60)
    title: Mapped[str] = mapped_column(String(200))
    cycle_code: Mapped[str] = mapped_column(ForeignKey("plan_cycle.code"))
    year: Mapped[int] = mapped_column(Integer)
    indicator_codes: Mapped[str] = mapped_column(Text)  # comma-separated, in slide order
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Snapshot(Base):
    """What a sequence showed in a Council session, frozen: every slide's figures, statuses and reasons, chart
    data and sources, with the data version and time (kpi.snapshots). Written once, never changed."""

    __tablename__ = "snapshot"
    name: Mapped[str] = _code(80)
    title: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[str] = mapped_column(String(60))
    cycle_code: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    #: Whether it holds provisional values (a public visitor sees only snapshots of validated data).
    provisional: Mapped[bool] = mapped_column(Boolean)
    data_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)  # JSON (kpi.presentation.sequence_content)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class RoleGrant(Base):
    """A role granted to a verified identity (kpi.access); revoked grants are kept as history."""

    __tablename__ = "role_grant"
    __table_args__ = (Index("ix_role_grant_identity", "identity"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(255))  # e-mail (lower case) or the provider's subject
    role: Mapped[str] = mapped_column(String(32))  # kpi.access.GRANTABLE_ROLES
    sector: Mapped[str | None] = mapped_column(String(16), nullable=True)  # a data steward's Sector; None = all
    granted_by: Mapped[str] = mapped_column(String(255))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
