"""Sign-in and roles in a real Chromium: each demo account through the real OpenID Connect redirect.

The app is browsed at ``http://localhost:PORT`` (the demonstration's redirect_uri and auth cookie are
for ``localhost``). Each role gets a fresh browser context; the tests check what the role is offered
(account line, navigation, provisional toggle, internal tabs, import and export kinds), that a data
steward's import is recorded under the verified sign-in, and that no page contacts another host.
"""
from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from kpi.text import WORD_JOINER
from kpi.transfer import KINDS
from tests.browser_support import SCREENSHOT_DIR, import_file, on_localhost, sign_in, wait_idle

pytestmark = pytest.mark.browser

INDIVIDUAL_KINDS = [k for k, spec in KINDS.items() if spec.about_individuals]
OTHER_KINDS = [k for k, spec in KINDS.items() if not spec.about_individuals]
RESULTS_LINKS = [("Overview", "/"), ("Scorecard", "/scorecard"), ("Indicator explorer", "/explorer"),
                 ("Results chain", "/results-chain"), ("Council presentation", "/present"),
                 ("Budget, risks, oversight", "/management"), ("Membership", "/membership"),
                 ("Composition", "/workforce"), ("Gender balance", "/workforce-gender"),
                 ("Geographical distribution", "/workforce-geography"), ("Field presence", "/workforce-field"),
                 ("Recruitment and training", "/workforce-hr")]
DATA_LINK, ADMIN_LINK = ("Data management", "/data"), ("Roles and sign-ins", "/admin")
PUBLIC_TABS = ["Budget and results", "Resolutions", "Accountability framework", "Operational plans"]
STAFF_TABS = ["Budget and results", "Risks", "Oversight", "Resolutions", "Retreat commitments",
              "Accountability framework", "Operational plans"]
#: (e-mail or None, screenshot name, role label, extra nav links, kinds to import, kinds to export or None)
ROLES = [
    (None, "not-signed-in", None, [], None, None),
    ("visitor@demo.invalid", "visitor", "Public", [], None, None),
    ("staff@demo.invalid", "staff", "Staff", [], None, None),
    ("steward@demo.invalid", "data-steward", "Data steward", [DATA_LINK], OTHER_KINDS, OTHER_KINDS),
    ("itu-d.steward@demo.invalid", "itu-d-steward", "Data steward (ITU-D)", [DATA_LINK],
     ["targets", "observations"], OTHER_KINDS),
    ("hr@demo.invalid", "hr-analyst", "HR analyst", [DATA_LINK], INDIVIDUAL_KINDS, list(KINDS)),
    ("admin@demo.invalid", "administrator", "Administrator", [DATA_LINK, ADMIN_LINK], [], OTHER_KINDS),
]
TOUR = [path for _, path in RESULTS_LINKS]
OBSERVATIONS_CSV = (b"indicator,year,value,sector,region,country,grade,gender,duty_station,flag,note\n"
                    b"D1.PROJ,2026,77.5,,,,,,,estimate,browser test\n")


@pytest.fixture
def app(server) -> str:
    """The app's base URL on ``localhost``, the host of the redirect_uri and of the auth cookie."""
    return on_localhost(server)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def account_line(page) -> str | None:
    """The sidebar's account line as read (the escaping's invisible word joiners taken out)."""
    box = page.locator("[data-testid='stSidebarUserContent'] [data-testid='stMarkdownContainer']")
    lines = box.filter(has_text="Signed in as").all_inner_texts()
    return lines[0].replace(WORD_JOINER, "") if lines else None


def nav_links(page, app: str) -> list[tuple[str, str]]:
    """(label, page path) of the sidebar's navigation links (ui.navigation; the filters ride in the query)."""
    links = page.locator("[data-testid='stSidebar'] .st-key-navigation a[data-testid='stPageLink-NavLink']")
    return [(a.inner_text().split("\n")[-1], "/" + a.get_attribute("href").removeprefix(app).lstrip("/").split("?")[0])
            for a in links.all()]


def has_provisional_toggle(page) -> bool:
    return page.get_by_label("Include provisional data").count() > 0


def options(page, label: str) -> list[str]:
    """The options a selectbox offers (its dropdown opened, read, closed)."""
    page.get_by_role("combobox", name=label).click()
    page.locator("[role=option]").first.wait_for()
    found = page.locator("[role=option]").all_inner_texts()
    page.keyboard.press("Escape")
    page.locator("[role=option]").first.wait_for(state="detached")
    return found


def assert_refused(page, app: str, path: str, title: str) -> None:
    """A page the role is not offered shows none of its content."""
    open_page(page, app + path)
    assert title not in page.locator("h1").all_inner_texts()
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    assert page.get_by_role("button", name="Import now").count() == 0
    assert page.get_by_role("button", name="Grant").count() == 0


@pytest.mark.parametrize("email, name, label, extra_links, imports, exports", ROLES, ids=[r[1] for r in ROLES])
def test_each_role_sees_what_it_may_use(app, page, email, name, label, extra_links, imports, exports):
    if email is None:
        open_page(page, app + "/")
        assert page.get_by_role("button", name="Sign in").count() == 1
        assert account_line(page) is None
    else:
        sign_in(page, app, email)
        assert account_line(page) == f"Signed in as {email}\n{label}"
        assert page.get_by_role("button", name="Sign out").count() == 1
    staff = label not in (None, "Public")
    assert nav_links(page, app) == RESULTS_LINKS + extra_links
    assert has_provisional_toggle(page) is staff
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"signed-in-{name}.png"))

    open_page(page, app + "/management")
    assert page.get_by_role("tab").all_inner_texts() == (STAFF_TABS if staff else PUBLIC_TABS)
    # A link asking for provisional data gives a public visitor validated data, and no toggle.
    open_page(page, app + "/present?provisional=true")
    assert has_provisional_toggle(page) is staff
    stamp = page.locator("[data-testid='stCaptionContainer']").filter(has_text="Sources:").inner_text()
    assert (" · includes provisional data · " if staff else " · validated data only · ") in stamp
    expander = page.get_by_text("Prepare a named sequence for a Council session")
    assert expander.count() == (1 if label == "Administrator" else 0)

    if ADMIN_LINK not in extra_links:
        assert_refused(page, app, "/admin", "Roles and sign-ins")
    if DATA_LINK not in extra_links:
        assert_refused(page, app, "/data", "Data management")
        return
    open_page(page, app + "/data")
    assert page.get_by_role("tab").all_inner_texts() == ["Import", "Approval", "Export", "Audit trail"]
    if imports:
        assert options(page, "What to import") == imports
    else:
        assert page.get_by_text("Your role imports nothing.").count() == 1
    page.get_by_role("tab", name="Approval").click()
    validate = page.get_by_role("button", name="Validate the year")
    refusal = page.get_by_text("Validating and reopening years is for data stewards.")
    steward = label.startswith("Data steward")
    assert (validate.count(), refusal.count()) == ((1, 0) if steward else (0, 1))
    page.get_by_role("tab", name="Export").click()
    assert options(page, "What to export") == exports


def test_a_steward_import_is_recorded_under_the_verified_sign_in(app, page, demo_store_url):
    sign_in(page, app, "steward@demo.invalid")
    message = import_file(page, app, "observations", "browser-observations.csv", OBSERVATIONS_CSV)
    batch = newest_batch(demo_store_url)
    assert tuple(batch[1:]) == ("observations", "browser-observations.csv", 1, "steward@demo.invalid")
    assert message.startswith("browser-observations.csv: ") and message.endswith(f" (batch {batch[0]}).")


def newest_batch(url: str) -> tuple:
    """The newest import batch (id, kind, file, rows, user), read by a separate process as any other reader.

    (Seen here: after many AppTest runs in this process, a new connection of this process to the same SQLite
    file kept reading the state from before the server's import; another process read it at once.)
    """
    query = "SELECT id, kind, file_name, rows, user FROM import_batch ORDER BY id DESC LIMIT 1"
    path = url.removeprefix("sqlite:///")
    code = f"import json, sqlite3; print(json.dumps(sqlite3.connect({path!r}).execute({query!r}).fetchone()))"
    return tuple(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True, timeout=60).stdout))


def record_hosts(page) -> set[str]:
    """Start recording the host of every request and web socket of ``page``; return the live set.

    A URL without a host (``data:``, ``blob:``) is recorded by its scheme, so that it shows in the set too.
    """
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc or r.url.split(":", 1)[0]))
    page.on("websocket", lambda ws: hosts.add(urlsplit(ws.url).netloc))
    return hosts


def test_no_page_contacts_another_host(app, page):
    """Every page, as the administrator sees it (the public's pages are the same code, showing less; the run
    with the public's view took half a minute and found nothing the administrator's did not), after a sign-in
    whose only other host is the identity provider on loopback."""
    here = urlsplit(app).netloc
    hosts = record_hosts(page)
    provider = sign_in(page, app, "admin@demo.invalid")
    assert provider.startswith("127.0.0.1:") and provider != here
    assert hosts == {here, provider}
    tour = TOUR + ["/data", "/admin"]
    hosts.clear()
    titles = []
    for path in tour:
        open_page(page, app + path)
        titles.append(page.locator("h1").first.inner_text())
        assert page.locator("[data-testid='stException']").count() == 0, path
    assert hosts == {here}
    assert titles[-2:] == ["Data management", "Roles and sign-ins"]
