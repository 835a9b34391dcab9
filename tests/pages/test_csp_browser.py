"""The Content-Security-Policy in a real browser: every main page renders in Chromium without a
single CSP violation or console error, including the admin and the API docs (served locally)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from bookings.models import Booking
from tests.factories import BookingFactory, BookingSessionFactory, make_user
from tests.pages.conftest import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Swagger UI and Redoc parse a megabyte of script and the whole schema before they show anything:
# on a busy two-core machine that takes longer than Playwright's default 5 s.
DOCS_RENDER = 30_000

# Reports every securitypolicyviolation event to the test, also the ones after the page loaded.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__twCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
                          `at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
});
"""


@pytest.fixture
def problems(browser_context, browser_page):
    """Everything the browser complained about: CSP violations, console errors, page errors."""
    found = []
    browser_context.expose_binding(
        "__twCspViolation", lambda source, text: found.append(f"{source['page'].url}: CSP {text}")
    )
    browser_context.add_init_script(REPORT_VIOLATIONS)

    def watch(page):
        def console(message):
            # The browser asks every site for /favicon.ico; ours has none (a 404, not a problem).
            favicon = message.location.get("url", "").endswith("/favicon.ico")
            if message.type == "error" and not favicon:
                found.append(f"{page.url}: console {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: found.append(f"{page.url}: page error {error}"))

    watch(browser_page)
    browser_context.on("page", watch)
    return found


def _visit(page, live_server, path, ready, timeout=5_000):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{path}")
    expect(page.locator(ready).first).to_be_visible(timeout=timeout)


def test_crew_pages_run_under_the_csp(browser_page, live_server, crew_user, crew_visit, problems):
    page = browser_page
    login(page, live_server, crew_user.username)
    _visit(page, live_server, "/", "main")
    _visit(page, live_server, "/crew/", f".visit-card[data-booking='{crew_visit.id}']")
    _visit(page, live_server, f"/crew/visits/{crew_visit.id}/", "button.tick")
    page.locator("button.tick").first.click()
    from playwright.sync_api import expect

    expect(page.locator("#progress-text")).to_have_text("1 van 6 ingepakt")
    expect(page.locator("#tw-queue-banner")).to_be_hidden()
    assert problems == []


def test_school_portal_runs_under_the_csp(browser_page, live_server, crew_visit, problems):
    from playwright.sync_api import expect

    school = crew_visit.school
    teacher = make_user("juf", "school", school=school)
    later = BookingFactory(
        school=school,
        wagon=crew_visit.wagon,
        date=timezone.localdate() + dt.timedelta(days=60),
        status=Booking.Status.REQUESTED,
    )
    BookingSessionFactory(booking=later, pupils=20)
    page = browser_page
    login(page, live_server, teacher.username, next_url="/school/")
    _visit(page, live_server, "/school/", "h1")
    _visit(page, live_server, "/school/calendar/", "h1")
    _visit(page, live_server, "/school/bookings/", "#my-bookings")

    # Cancelling asks first (a script from our origin, no inline handler); saying no keeps it.
    row = page.locator(f"tr[data-reference='{later.reference}']")
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Annuleren").click()
    expect(row.locator(".status")).to_have_text("Aangevraagd")
    later.refresh_from_db()
    assert later.status == Booking.Status.REQUESTED
    with page.expect_navigation():
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Annuleren").click()
    later.refresh_from_db()
    assert later.status == Booking.Status.CANCELLED
    assert problems == []


def test_planning_pages_and_login_run_under_the_csp(
    browser_page, live_server, coordinator, crew_visit, problems
):
    page = browser_page
    _visit(page, live_server, "/accounts/login/", "input[name=username]")
    login(page, live_server, coordinator.username, next_url="/planning/")
    for path in ("/planning/", "/planning/board/", "/planning/inventory/", "/planning/reach/"):
        _visit(page, live_server, path, "h1")
    _visit(
        page,
        live_server,
        f"/planning/reach/?mode=year&year={crew_visit.date.year}&group_by=school&planned=true",
        "svg.chart",
    )
    assert problems == []


def test_admin_runs_under_the_csp(browser_page, live_server, crew_visit, problems):
    User.objects.create_superuser("beheer", "beheer@example.nl", PASSWORD)
    page = browser_page
    login(page, live_server, "beheer", next_url="/admin/")
    _visit(page, live_server, "/admin/", "#content-main")
    _visit(page, live_server, "/admin/bookings/booking/", "#result_list")
    _visit(page, live_server, f"/admin/bookings/booking/{crew_visit.id}/change/", "#content-main")
    _visit(page, live_server, f"/admin/bookings/booking/{crew_visit.id}/history/", "#content-main")
    _visit(page, live_server, "/admin/inventory/item/add/", "#content-main")
    assert problems == []


def _finished_elsewhere(page, live_server):
    """URLs of responses the page got from anywhere but the site itself."""
    elsewhere = []

    def check(request):
        if request.url.startswith(("http:", "https:")) and not request.url.startswith(
            live_server.url
        ):
            elsewhere.append(request.url)

    page.on("requestfinished", check)
    return elsewhere


def test_swagger_ui_renders_under_the_csp_from_local_files(browser_page, live_server, problems):
    from playwright.sync_api import expect

    page = browser_page
    elsewhere = _finished_elsewhere(page, live_server)
    _visit(page, live_server, "/api/v1/docs/", ".swagger-ui .info .title", timeout=DOCS_RENDER)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Techniekwagen API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=DOCS_RENDER)
    # Opening an operation renders its parameters and the "try it out" button.
    page.locator(".swagger-ui .opblock-summary").first.click()
    expect(page.locator(".swagger-ui .try-out__btn").first).to_be_visible()
    assert elsewhere == []
    assert problems == []


def test_redoc_renders_under_the_csp_from_local_files(browser_page, live_server, problems):
    from playwright.sync_api import expect

    page = browser_page
    elsewhere = _finished_elsewhere(page, live_server)
    _visit(page, live_server, "/api/v1/redoc/", "h1", timeout=DOCS_RENDER)
    expect(page.locator("h1").first).to_contain_text("Techniekwagen API")
    expect(page.locator("[data-section-id^='tag/']").first).to_be_attached()
    assert elsewhere == []
    # Redoc's bundle always shows a "by Redocly" logo from its CDN: the policy blocks that image,
    # and nothing else.
    assert [p for p in problems if "cdn.redoc.ly/redoc/logo-mini.svg" not in p] == []
