"""Every results page renders on demo data, and shows what kpi/ computes."""
from __future__ import annotations

import json

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

from kpi.formatting import format_value
from kpi.presentation import build_sequence
from kpi.scorecard import indicator_status, status_counts
from kpi.store.engine import make_engine
from kpi.store.frames import load_results
from kpi.text import markdown_text
from tests.access_support import APP, open_page, sign_in
from ui.widgets import status_counts_markdown, status_text

YEAR = 2025
CYCLE = "2024-2027"


@pytest.fixture
def kpi_statuses(demo_env):
    engine = make_engine(demo_env)
    data = load_results(engine)
    engine.dispose()
    return data, indicator_status(data, CYCLE, YEAR, validated_only=False)


def test_overview_shows_each_goal_with_the_status_counts_kpi_computes(kpi_statuses):
    _, statuses = kpi_statuses
    at = open_page("pages/overview.py")
    expected = status_counts(statuses, ["root_code", "root_name", "root_kind"])
    assert [s.value for s in at.subheader] == ["Needs attention"] + [
        f"{'Goal' if r['root_kind'] == 'goal' else 'Enabler'} {r['root_code']}: {r['root_name']}"
        for r in expected.iter_rows(named=True)
    ]
    attention = statuses.filter(pl.col("status").is_in(["off_track", "at_risk"]))
    links = [e.proto.label for e in at.main.get("page_link")]  # the sidebar's are the navigation
    # Each goal card opens its goal in the scorecard and its results chain.
    goal_links = [link for r in expected.iter_rows(named=True) for link in (
        f"Open {'goal' if r['root_kind'] == 'goal' else 'enabler'} {r['root_code']} in the scorecard",
        f"Its results chain: indicators, budget, risks of {markdown_text(r['root_code'])}")]
    assert links[-len(goal_links):] == goal_links
    assert sorted(links[:-len(goal_links)]) == sorted(
        f"{status_text(r['status'])} · {markdown_text(r['code'])} {markdown_text(r['name'])}"
        for r in attention.iter_rows(named=True))
    captions = [c.value for c in at.caption]
    assert all(markdown_text(r["explanation"]) in captions for r in attention.iter_rows(named=True))  # why, beside
    shown = [m.value for m in at.markdown if m.value.startswith("**") and "indicators**" in m.value]
    assert shown == [f"**{r['total']} indicators** · " + status_counts_markdown(r) for r in expected.iter_rows(named=True)]
    assert any("synthetic" in i.value for i in at.info)


def test_scorecard_tables_show_kpi_statuses(kpi_statuses):
    _, statuses = kpi_statuses
    at = open_page("pages/scorecard.py")
    shown = pl.concat([pl.from_pandas(df.value) for df in at.dataframe]) if at.dataframe else pl.DataFrame()
    assert shown["Indicator"].to_list() == (statuses["code"] + " · " + statuses["name"]).to_list()
    assert shown["Status"].to_list() == [status_text(s) for s in statuses["status"].to_list()]
    reasons = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert "\n".join(reasons).split("\n") == [f"- **{markdown_text(c)}** {e}"
                                               for c, e in statuses.select("code", "explanation").iter_rows()]


def test_scorecard_drills_into_a_goal_and_back(kpi_statuses):
    _, statuses = kpi_statuses
    at = open_page("pages/scorecard.py")
    at.button(key="open-E1").click().run()
    assert [s.value for s in at.subheader] == [
        "Enabler E1: An efficiently managed ITU with strong and transparent oversight and accountability to "
        "deliver the Strategic Plan"]
    rows = sum(len(df.value) for df in at.dataframe)
    assert rows == statuses.filter(pl.col("root_code") == "E1").height == 8
    # The goal's results chain: its money, risks, oversight and commitments.
    assert [(e.proto.label, e.proto.page) for e in at.main.get("page_link")] == [
        ("Results chain of enabler E1: budget, risks, oversight, resolutions, commitments", "results-chain")]
    at.button(key="back").click().run()
    assert len(at.subheader) == statuses["root_code"].n_unique()


@pytest.mark.parametrize("code", ["G1.INET", "E1.WOMEN_P", "R1.BACKLOG"])
def test_explorer_shows_the_status_and_values_kpi_computes(kpi_statuses, code):
    _, statuses = kpi_statuses
    row = statuses.filter(pl.col("code") == code).row(0, named=True)
    at = open_page("pages/explorer.py")
    at.selectbox(key="url:indicator").set_value(code).run()
    assert [e.value for e in at.exception] == []
    assert at.title[0].value == markdown_text(row["name"])
    assert any(m.value.endswith(f"**Why this status:** {row['explanation']}") for m in at.markdown)
    # The node it measures opens in the results chain.
    assert [e.proto.label for e in at.main.get("page_link")][0] == (
        f"Results chain of {markdown_text(row['kind'].capitalize() + ' ' + row['node_code'])}: budget, risks, "
        "oversight, resolutions, commitments")
    metrics = {m.label: m.value for m in at.metric}
    flag = f", {row['latest_flag']}" if row["latest_flag"] else ""  # the value's flag beside its year
    assert metrics[f"Latest ({row['latest_year']}{flag})"] == format_value(row["latest_value"], row["unit"])
    assert metrics[f"Target ({row['target_year'] or '–'})"] == format_value(row["target_value"], row["unit"])


def test_explorer_breakdown_by_region_lists_the_regions(kpi_statuses):
    at = open_page("pages/explorer.py")
    at.selectbox(key="url:indicator").set_value("G1.INET").run()
    at.segmented_control(key="url:by").set_value("region").run()
    assert [e.value for e in at.exception] == []
    table = at.dataframe[0].value
    assert sorted(set(table["ITU-D region"])) == ["Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe"]


def test_presentation_steps_through_the_sequence(kpi_statuses):
    _, statuses = kpi_statuses
    slides = build_sequence(statuses)
    at = open_page("pages/present.py")
    titles = [at.title[0].value]
    for _ in range(len(slides) - 1):
        at.button(key="next").click().run()
        assert [e.value for e in at.exception] == []
        titles.append(at.title[0].value)
    assert titles == [markdown_text(s.title) for s in slides]
    assert at.button(key="next").disabled


def test_projector_mode_switches_to_validated_data(demo_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.toggle(key="projector").set_value(True).run()
    assert [e.value for e in at.exception] == []
    # Council views show validated data only; the hidden chrome itself is checked in the browser test.
    assert at.session_state["filters"].projector is True
    assert at.session_state["filters"].validated_only is True


def test_management_page_shows_the_budget_kpi_computes(kpi_statuses):
    from kpi.formatting import format_chf
    from kpi.management import budget_by_output
    from kpi.store.frames import load_management

    data, statuses = kpi_statuses
    engine = make_engine(data_url := __import__("os").environ["RBM_DATABASE_URL"])
    management = load_management(engine)
    engine.dispose()
    nodes = data.nodes.filter(pl.col("cycle_code") == CYCLE)
    table = budget_by_output(management.budget, statuses, nodes, YEAR)
    at = open_page("pages/management.py")
    metrics = {m.label: m.value for m in at.metric if m.label in ("Planned", "Actual", "Execution")}
    assert data_url.startswith("sqlite")
    assert metrics == {
        "Planned": format_chf(table["planned_chf"].sum()),
        "Actual": format_chf(table["actual_chf"].sum()),
        "Execution": f"{table['actual_chf'].sum() / table['planned_chf'].sum() * 100:.1f} %",
    }


def test_the_retreat_view_says_what_was_committed_last_time_and_what_is_overdue(demo_env):
    """Commitments due 2025-03-31 still read "ongoing", with no overdue flag (issue 16, part 8)."""
    import datetime as dt

    from kpi.management import DONE_STATUS, commitment_standing, last_retreat, open_commitments
    from kpi.store.frames import load_management

    engine = make_engine(demo_env)
    standing = commitment_standing(load_management(engine).commitments, dt.date.today())
    engine.dispose()
    year, forum = last_retreat(standing)
    latest = standing.filter((pl.col("year") == year) & (pl.col("forum") == forum))
    at = open_page("pages/management.py")
    assert [e.value for e in at.exception] == []
    metrics = {m.label: m.value for m in at.metric if m.label in ("Commitments", "Implemented", "Overdue")}
    assert metrics == {"Commitments": str(latest.height), "Implemented": str((latest["status"] == DONE_STATUS).sum()),
                       "Overdue": str(latest["overdue"].sum())}
    shown = next(pl.from_pandas(t.value) for t in at.dataframe if "standing" in t.value.columns)
    assert shown["standing"].to_list() == latest["standing"].to_list()
    earlier = open_commitments(standing.filter(pl.col("year") < year))
    assert f"**Still open from earlier meetings:** {earlier.height}, of which {earlier['overdue'].sum()} overdue." in [
        m.value for m in at.markdown]


def test_the_oversight_tab_follows_recommendations_by_source_and_age(demo_env):
    """Oversight: by source from received to implemented, the open ones by age, the overdue ones with their owner."""
    import datetime as dt

    from kpi.management import open_by_age, outstanding_recommendations, oversight_pipeline
    from kpi.store.frames import load_management

    engine = make_engine(demo_env)
    recommendations = load_management(engine).recommendations
    engine.dispose()
    at = open_page("pages/management.py")
    tables = [pl.from_pandas(t.value) for t in at.dataframe]
    as_of = dt.date(YEAR, 12, 31)
    for expected in (oversight_pipeline(recommendations, "source"), open_by_age(recommendations, as_of),
                     outstanding_recommendations(recommendations, as_of)):
        assert any(t.columns == expected.columns and t.rows() == expected.rows() for t in tables), expected


def test_the_resolutions_tab_reports_each_resolutions_items_as_to_the_council(demo_env):
    from kpi.management import resolution_items
    from kpi.store.frames import load_management

    engine = make_engine(demo_env)
    items = resolution_items(load_management(engine).actions, YEAR)
    engine.dispose()
    at = open_page("pages/management.py", user=None)  # public: resolutions are for everyone
    shown = [pl.from_pandas(t.value) for t in at.dataframe if "previous_status" in t.value.columns]
    expected = [part.drop("resolution_code", "resolution_title")
                for _, part in items.group_by("resolution_code", "resolution_title", maintain_order=True)]
    assert [t.rows() for t in shown] == [e.rows() for e in expected] and len(expected) > 1
    titles = [m.value for m in at.markdown if m.value.startswith("**PP")]
    assert titles == [f"**{markdown_text(c)}**: {markdown_text(t)}"
                      for c, t in items.select("resolution_code", "resolution_title").unique(maintain_order=True).rows()]


def test_management_risks_tab_shows_the_register_kpi_computes(demo_env):
    """The Risks tab's headline, top risks and register are kpi's, for all risks and for one owner and category
    chosen on the tab (kept in the link), and its heat map is drawn from the same selection."""
    from kpi.management import (HIGH_RISK_SCORE, MOVEMENTS, filter_risks, risk_matrix, risk_register, risk_summary,
                                risk_table, top_risks)
    from kpi.store.frames import load_management

    engine = make_engine(demo_env)
    register = risk_register(load_management(engine).risks, YEAR)
    engine.dispose()
    at = open_page("pages/management.py")
    labels = ("Risks assessed", f"High after mitigation (score {HIGH_RISK_SCORE} or more)",
              f"{MOVEMENTS['up']}: worse since the last review", f"{MOVEMENTS['down']}: better since the last review")

    def shown_as(selection: pl.DataFrame) -> None:
        summary = risk_summary(selection)
        metrics = {m.label: m.value for m in at.metric if m.label in labels}
        assert metrics == dict(zip(labels, map(str, (summary["risks"], summary["high"], summary["up"],
                                                     summary["down"])), strict=True))
        tables = [t.value for t in at.dataframe if "movement" in t.value.columns]
        assert len(tables) == 1
        assert_frame_equal(pl.from_pandas(tables[0]), risk_table(selection), check_dtypes=False)
        top = [m.value.split("**")[1] for m in at.markdown if m.value.startswith("**") and "Mitigation" in m.value]
        assert top == [markdown_text(c) for c in top_risks(selection)["code"]]
        heatmap = next(t for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"]
                       if t["type"] == "heatmap")
        drawn = risk_matrix(selection)
        assert heatmap["z"] == [[r["score"] for r in drawn.filter(pl.col("likelihood") == lik).iter_rows(named=True)]
                                for lik in range(1, 6)]
        assert sorted(code for row in heatmap["text"] for cell in row if "(" in cell
                      for code in cell.split("(")[1].rstrip(")").split(", ")) == sorted(selection["code"])

    assert register["movement"].is_in(["up", "down"]).any()  # the demo's risks move between reviews
    shown_as(register)
    owner, category = "GS", "operational"
    at.selectbox(key="url:risk_owner").set_value(owner).run()
    at.selectbox(key="url:risk_category").set_value(category).run()
    assert [e.value for e in at.exception] == []
    assert (at.query_params["risk_owner"], at.query_params["risk_category"]) == (owner, category)
    selection = filter_risks(register, owner=owner, category=category)
    assert 0 < selection.height < register.height
    shown_as(selection)


@pytest.mark.slow
@pytest.mark.parametrize("code,by", [("E1.WOMEN_P", "sector"), ("E1.RECRUIT", "grade")])
def test_explorer_breaks_a_workforce_indicator_down_as_its_workforce_page_shows_it(kpi_statuses, demo_protector, code,
                                                                                  by):
    """The explorer's breakdowns of the computed workforce indicators are the pages' own figures, protected
    with the pages (E1.WOMEN_P by grade once showed D1 at 33 % beside a gender page that hid D1's counts)."""
    from kpi.explorer import DIMENSION_LABELS
    from kpi.workforce_pages import INDICATOR_BREAKDOWNS, indicator_breakdown

    at = open_page("pages/explorer.py")
    at.selectbox(key="url:indicator").set_value(code).run()
    assert at.segmented_control(key="url:by").options == ["Headline only", *map(
        DIMENSION_LABELS.get, INDICATOR_BREAKDOWNS[code])]
    at.segmented_control(key="url:by").set_value(by).run()
    assert [e.value for e in at.exception] == []
    years = list(range(*at.session_state["filters"].years))
    years.append(at.session_state["filters"].years[1])
    everything = indicator_breakdown(demo_protector, code, by, years)
    expected = everything.drop_nulls("value")
    table = pl.from_pandas(at.dataframe[0].value)
    # What the chart shows is the page's figures, every group the page shows.
    assert set(zip(table["year"], table["value"])) == set(zip(expected["year"], expected["value"]))
    assert table[DIMENSION_LABELS[by]].n_unique() == expected["group"].n_unique() > 0
    # ... and a sentence accounts for the groups the page hides in the latest year.
    latest_year = everything["year"].max()
    latest = everything.filter(pl.col("year") == latest_year)
    hidden = latest.filter(pl.col("value").is_null())["group"].sort().to_list()
    account = [c.value for c in at.caption if "protected with that page" in c.value]
    plural = {"sector": "Sectors", "grade": "grades"}[by]
    if hidden:
        assert f"; {len(hidden)} hidden in {latest_year} to protect individuals" in account[0]
    else:
        assert account[0].endswith(f"All {latest.height} {plural} with values shown.")
    where = INDICATOR_BREAKDOWNS[code][by]
    for year in sorted(set(years) & {2023, 2024, 2025}):
        page = demo_protector.page_year(where.page, year, where.selection).tables[where.table].frame
        shown = page.filter(pl.col(by).is_not_null() & pl.col(where.column).is_not_null() & (pl.col("year") == year))
        others = [d for d in demo_protector.page_year(where.page, year, where.selection).tables[where.table].row_dims
                  if d != by]
        shown = shown.filter(pl.all_horizontal(*(pl.col(d).is_null() for d in others), pl.lit(True)))
        assert sorted(expected.filter(pl.col("year") == year)["value"].to_list()) == sorted(
            shown[where.column].to_list())


def test_the_explorer_picks_countries_by_name_most_populous_first_and_the_regions_members(kpi_statuses):
    """The Country breakdown showed six countries as ISO codes (ARE, BHR, DNK, ...) with no way to choose others."""
    from kpi.explorer import country_choices, country_table

    data, statuses = kpi_statuses
    indicator_id = statuses.filter(pl.col("code") == "G1.INET")["indicator_id"][0]
    at = open_page("pages/explorer.py")
    at.selectbox(key="url:indicator").set_value("G1.INET").run()
    at.segmented_control(key="url:by").set_value("country").run()
    assert [e.value for e in at.exception] == []
    picker = at.multiselect(key="url:countries")
    choices = country_choices(data, indicator_id, year_range=(2015, 2027))
    # Names, not codes, and every country with values offered.
    assert picker.options == choices["name"].to_list()
    largest = country_table().filter(pl.col("country").is_in(choices["country"].implode())).sort(
        "population", descending=True, nulls_last=True).head(6).sort("name")
    assert picker.value == largest["country"].to_list()
    assert sorted(pl.from_pandas(at.dataframe[0].value)["Country"].unique().to_list()) == sorted(largest["name"])
    assert f"6 of {choices.height} countries with values shown: choose others above." in [c.value for c in at.caption]
    # With a region chosen, the region's most populous members; a reader's own choice is kept in the link.
    at.sidebar.selectbox(key="url:region").set_value("AFR").run()
    african = choices.filter(pl.col("region") == "AFR").sort("population", descending=True, nulls_last=True).head(6).sort(
        "name")
    assert at.multiselect(key="url:countries").value == african["country"].to_list()
    at.multiselect(key="url:countries").set_value(["KEN", "CIV"]).run()
    assert at.query_params["countries"] == "KEN,CIV"
    assert sorted(pl.from_pandas(at.dataframe[0].value)["Country"].unique().to_list()) == ["Cote d'Ivoire", "Kenya"]


def test_the_explorer_says_when_the_latest_value_is_an_estimate_and_what_it_rests_on(kpi_statuses):
    """No flag said "estimate" and no page said how much of the population a figure covers (issue 15)."""
    from kpi.charts.indicator import coverage_words
    from kpi.explorer import indicator_view

    data, statuses = kpi_statuses
    at = open_page("pages/explorer.py")
    at.selectbox(key="url:indicator").set_value("G1.INET").run()
    view = indicator_view(data, "G1.INET", at.session_state["filters"].year)
    latest = view.headline.filter(pl.col("year") == view.assessment.latest_year).row(0, named=True)
    assert latest["flag"] == "estimate"  # the world's 2023 rests on a fifth of the population imputed
    shown = {m.label: m for m in at.metric}[f"Latest ({latest['year']}, estimate)"]
    assert shown.value == format_value(latest["value"], "pct")
    assert shown.proto.help == coverage_words(latest["coverage_pct"], latest["imputed_pct"]).capitalize()
    assert statuses.filter(pl.col("code") == "G1.INET")["latest_flag"][0] == "estimate"


@pytest.fixture
def own_store(demo_store_url, tmp_path, monkeypatch) -> str:
    """A copy of the demo store that a test may change, as the app's store."""
    import shutil

    path = tmp_path / "own.sqlite"
    shutil.copy(demo_store_url.removeprefix("sqlite:///"), path)
    monkeypatch.setenv("RBM_DATABASE_URL", f"sqlite:///{path}")
    return f"sqlite:///{path}"


def test_an_administrator_freezes_the_sequence_and_a_visitor_sees_it_as_presented(own_store):
    from kpi.snapshots import load_snapshot

    at = open_page("pages/present.py", user="admin@demo.invalid")
    assert [b.label for b in at.get("download_button")] == ["PowerPoint deck (.pptx)", "Progress report (PDF)"]
    at.text_input[0].input("Council 2026 (C26)")
    at.text_input[1].input("Council 2026")
    next(b for b in at.button if b.label == "Freeze").click().run()
    assert [e.value for e in at.exception] == []
    assert [s.value for s in at.success] == [
        "Frozen. Link: ?snapshot=Council%202026%20%28C26%29&projector=true · holds provisional values: staff only"]
    engine = make_engine(own_store)
    frozen = load_snapshot(engine, "Council 2026 (C26)")
    engine.dispose()
    assert frozen.provisional and frozen.created_by == "admin@demo.invalid"
    # Staff see it and what changed since; a visitor does not (it holds provisional values) and is told so.
    staff = open_page("pages/present.py", user="hr@demo.invalid")
    assert staff.selectbox(key="url:snapshot").options == ["Live data", "Snapshot: Council 2026 (C26)"]
    visitor = AppTest.from_file(APP, default_timeout=120)
    visitor.query_params["snapshot"] = "Council 2026 (C26)"
    visitor = sign_in(visitor, None)
    visitor.run()
    visitor.switch_page("pages/present.py").run()
    assert [w.value for w in visitor.warning] == [  # the name is shown as text (escaped Markdown)
        f"There is no snapshot named “{markdown_text('Council 2026 (C26)')}” that you may see: showing live data."]
    assert visitor.selectbox(key="url:snapshot").options == ["Live data"]
    # No one but an administrator is offered the freezing form.
    assert not any(b.label == "Freeze" for b in staff.button)


def test_the_overview_follows_the_sector_filter(kpi_statuses):
    """The overview ignored the Sector filter: its counts are now those of the Sector's own indicators."""
    _, statuses = kpi_statuses
    at = open_page("pages/overview.py")
    at.sidebar.selectbox(key="url:sector").set_value("ITU-D").run()
    assert [e.value for e in at.exception] == []
    owned = statuses.filter(pl.col("owner") == "ITU-D")
    expected = status_counts(owned, ["root_code", "root_name", "root_kind"])
    shown = [m.value for m in at.markdown if m.value.startswith("**") and "indicators**" in m.value]
    assert shown == [f"**{r['total']} indicators** · " + status_counts_markdown(r) for r in expected.iter_rows(named=True)]
    assert sum(r["total"] for r in expected.iter_rows(named=True)) < statuses.height
    assert "ITU\\-D only" in at.caption[0].value


def test_the_scorecard_has_one_table_per_goal_with_the_gap_still_open(kpi_statuses):
    """15 mostly one-row tables, and 141 days against 140 read as "Off track" as 43.2 % against 46 % did: one table
    per goal now, with the share of the baseline-to-target gap still open beside each status."""
    _, statuses = kpi_statuses
    at = open_page("pages/scorecard.py")
    roots = statuses["root_code"].unique(maintain_order=True).to_list()
    assert len(at.dataframe) == len(roots)
    tables = {root: pl.from_pandas(df.value) for root, df in zip(roots, at.dataframe, strict=True)}
    e1 = tables["E1"]
    gap = dict(zip(e1["Indicator"].str.split(" · ").list.first(), e1["Gap still open"], strict=True))
    assert round(gap["E1.RECRUIT"], 1) == 4.8 and round(gap["E1.WOMEN_P"], 1) == 57.4
    assert gap["E1.TRAIN"] == 0.0
    assert tables["G1"]["Under"].to_list()[:4] == ["Goal", "Goal", "Goal", "Outcome D1"]


def test_the_region_filter_shows_the_indicators_regional_series_on_the_explorer(kpi_statuses):
    """Region (ITU-D) changed nothing: on the explorer it now gives the region's latest value and line."""
    from kpi.explorer import region_series

    data, statuses = kpi_statuses
    at = open_page("pages/explorer.py")
    at.selectbox(key="url:indicator").set_value("G1.INET").run()
    at.sidebar.selectbox(key="url:region").set_value("AFR").run()
    assert [e.value for e in at.exception] == []
    indicator_id = statuses.filter(pl.col("code") == "G1.INET")["indicator_id"][0]
    africa = region_series(data, indicator_id, "AFR", year_range=(2015, 2027)).sort("year").row(-1, named=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Africa ({africa['year']})"] == format_value(africa["value"], "pct")
    # On a page where it does nothing, the Region filter is not shown.
    at.switch_page("pages/scorecard.py").run()
    assert [s.label for s in at.sidebar.selectbox] == ["Plan cycle", "Year", "Sector"]
