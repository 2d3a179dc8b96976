"""The running app in a real Chromium: pages, filters, shared links, projector sequence, screenshots."""
from __future__ import annotations

import re

import polars as pl
import pytest

from kpi.presentation import build_sequence
from kpi.scorecard import indicator_status
from kpi.store.engine import make_engine
from kpi.store.frames import load_results
from tests.browser_support import SCREENSHOT_DIR, on_localhost, sign_in, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def results(demo_store_url):
    engine = make_engine(demo_store_url)
    data = load_results(engine)
    engine.dispose()
    return data


@pytest.fixture(scope="module")
def statuses(results):
    return indicator_status(results, "2024-2027", 2025)


def shot(page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=False)


def h1(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def test_each_page_opens_with_its_title(server, page):
    # The overview is the default page: its link is the app's root ("/overview" is not a page).
    expected = {"overview": ("", "Strategic Plan 2024-2027"), "scorecard": ("scorecard", "Scorecard"),
                "explorer": ("explorer", "Individuals using the Internet (%)"), "present": ("present", "Scorecard"),
                "management": ("management", "Management: budget, risks and oversight")}
    for name, (path, title) in expected.items():
        page.goto(f"{server}/{path}")
        wait_idle(page)
        assert h1(page) == title
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("Page not found").count() == 0
        shot(page, f"page-{name}")


def test_shared_link_reproduces_the_view(server, page, statuses):
    row = statuses.filter(pl.col("code") == "E1.RECRUIT").row(0, named=True)
    page.goto(f"{server}/explorer?indicator=E1.RECRUIT&year=2025&by=sector")
    wait_idle(page)
    assert h1(page) == row["name"]
    assert row["explanation"] in page.locator("[data-testid='stMarkdownContainer']").all_inner_texts().__str__()
    shot(page, "explorer-shared-link")


def test_changing_a_filter_updates_the_url_and_the_view(server, page):
    page.goto(f"{server}/scorecard")
    wait_idle(page)
    page.get_by_role("button", name="Open goal").first.click()
    # the click starts a rerun: wait for its result (the URL and a single goal), not only for idle
    page.wait_for_url(re.compile(r".*goal=G1.*"), timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('h3').length === 1", timeout=30_000)
    wait_idle(page)
    assert page.locator("h3").all_inner_texts() == ["Goal G1: Universal connectivity"]
    shot(page, "scorecard-goal")


def test_projector_sequence_steps_through_slides(server, page, results):
    # A Council view shows validated data only.
    slides = build_sequence(indicator_status(results, "2024-2027", 2025, validated_only=True))
    page.goto(f"{server}/present?projector=true")
    wait_idle(page)
    assert page.locator("[data-testid='stSidebar']").is_hidden()
    titles = [h1(page)]
    shot(page, "projector-1")
    for i in range(2, len(slides) + 1):
        before = titles[-1]
        page.get_by_role("button", name="Next").click()
        # the click starts a rerun; wait for the new slide's title, then for the run to end
        page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() !== t",
                               arg=before, timeout=30_000)
        wait_idle(page)
        titles.append(h1(page))
        shot(page, f"projector-{i}")
    assert titles == [s.title for s in slides]


def test_projector_at_720p(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/present?projector=true&slide=2")
    wait_idle(page)
    assert h1(page).startswith("Goal G1")
    shot(page, "projector-720p-goal")
    context.close()


def test_the_overview_has_an_address_of_its_own(server, page):
    """`/overview` answered "Page not found" and fell back to `/`, with 404s in the console."""
    failures = []
    page.on("response", lambda r: failures.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("console", lambda m: failures.append((m.type, m.text)) if m.type == "error" else None)
    page.goto(f"{server}/overview?sector=ITU-D")
    wait_idle(page)
    assert page.url == f"{server}/?sector=ITU-D"
    assert h1(page) == "Strategic Plan 2024-2027"
    assert page.get_by_text("Page not found").count() == 0
    assert failures == []


def test_the_sector_and_year_survive_a_page_change(server, page):
    """Moving between pages kept the year but dropped the Sector: the navigation's links carry the filters, also
    through a page that does not apply the Sector (the explorer, where it is not drawn)."""
    page.goto(f"{server}/scorecard?sector=ITU-D&year=2024")
    wait_idle(page)
    for title, path in [("Indicator explorer", "explorer"), ("Budget, risks, oversight", "management")]:
        page.locator(".st-key-navigation a").filter(has_text=title).click()
        page.wait_for_url(re.compile(rf".*/{path}\?.*"), timeout=30_000)
        wait_idle(page)
        assert page.url == f"{server}/{path}?year=2024&sector=ITU-D"
        assert page.get_by_role("combobox", name="Year").input_value() == "2024"
    assert page.get_by_role("combobox", name="Sector").input_value() == "ITU-D · Telecommunication Development Sector"


def test_a_shared_link_keeps_the_chosen_tab(server, browser, page):
    """A shared link reset the chosen tab (Table, Map) to Chart."""
    page.goto(f"{server}/explorer?indicator=G1.INET")
    wait_idle(page)
    page.get_by_role("tab", name="Map").click()
    page.wait_for_url(re.compile(r".*tab=Map.*"), timeout=30_000)
    wait_idle(page)
    other = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    other.goto(page.url)
    wait_idle(other)
    assert other.get_by_role("tab", selected=True).inner_text() == "Map"
    assert other.locator("[data-testid='stPlotlyChart'] .choropleth, [data-testid='stPlotlyChart'] .geo").count() > 0
    other.context.close()


def wait_for_title(page, title: str, url: str) -> None:
    """After a click that opens another page: its address, then its own title (the URL changes before the page
    runs), then the end of its run."""
    page.wait_for_url(re.compile(url), timeout=60_000)
    page.wait_for_function("(t) => document.querySelector('h1') && document.querySelector('h1').innerText.trim() "
                           "=== t", arg=title, timeout=60_000)
    wait_idle(page)


def test_a_goal_card_opens_its_results_chain_then_a_linked_risk_and_a_linked_indicator(server, page):
    """Goal cards could not open their goal: a goal's card opens its results chain, whose risks open the risk
    register on that risk and whose indicators open the explorer (issue 16, part 2)."""
    app = on_localhost(server)
    sign_in(page, app, "staff@demo.invalid")  # risks are staff's
    page.goto(f"{app}/")
    wait_idle(page)
    page.get_by_role("link", name=re.compile(r"Its results chain: indicators, budget, risks of G1$")).click()
    wait_for_title(page, "Goal G1: Universal connectivity", r".*/results-chain.*")  # G1 is the default node
    risk = page.get_by_role("link", name=re.compile(r"^RSK-\d+: ")).first
    code = re.search(r"RSK-\d+", risk.inner_text()).group()  # the link's text starts with its icon's name
    risk.click()
    wait_for_title(page, "Management: budget, risks and oversight", rf".*/management\?.*risk={code}.*")
    card = page.locator(".st-key-risk-card")
    assert card.locator("strong").first.inner_text() == code
    assert page.get_by_role("tab", selected=True).inner_text() == "Risks"
    shot(page, "results-chain-to-risk")
    page.go_back()  # the browser's Back returns to the node page
    wait_for_title(page, "Goal G1: Universal connectivity", r".*/results-chain.*")
    page.locator(".st-key-chain-indicator-G1-INET a").click(timeout=60_000)  # a class name has no dot
    # G1.INET is the explorer's first indicator: its page takes the default out of the link once it runs.
    wait_for_title(page, "Individuals using the Internet (%)", r".*/explorer.*")
    shot(page, "results-chain-to-explorer")
