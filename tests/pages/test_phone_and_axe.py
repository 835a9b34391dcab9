"""Every page of the three roles at a phone (390), tablet (768) and desktop (1280) width: no
sideways scroll, no console error, axe-core (vendored in static/vendor/axe/) without serious or
critical findings, no ISO date in visible text, no code field name in an error."""

import re
from pathlib import Path

import pytest
import time_machine

from backend.pages.planning import board_period
from bookings import services
from routes import jobs
from routes.models import PlanJob
from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.conftest import PASSWORD, login
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"
WIDTHS = (390, 768, 1280)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RAW_FIELD = re.compile(r"\b(pupils|start_time|school_type|group_label|date_from|date_to)\b")


@pytest.fixture
def frozen_day():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def chromium(playwright_on):
    """The process's shared Chromium (tests/conftest.py `PlaywrightDriver`); the contexts a test
    opens in it are closed after the test."""
    return playwright_on.browser()


def world_with_visits():
    world = build_world()
    booking = BookingFactory(
        school=world.school,
        wagon=world.wagon,
        date=OPEN_DAY,
        status="requested",
        alternative_dates=["2027-02-17"],
    )
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=12)
    confirmed = BookingFactory(
        school=world.other_school, wagon=world.wagon, date=OPEN_DAY, status="requested"
    )
    BookingSessionFactory(
        booking=confirmed, workshop=world.robot_workshop, pupils=12, start_time="13:00"
    )
    services.booking_confirm(booking=confirmed, acting_user=world.coordinator, send_email=False)
    return world, booking, confirmed


def check_page(page, url: str, width: int) -> list[str]:
    """What is wrong with the page at `url` (already loaded)."""
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .filter(e => !e.closest('.board-wrap, .table-scroll'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)""",
            width,
        )
        problems.append(f"{url} @{width}: scrolls sideways ({scroll}px) {wide}")
    if width == 390:
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                  'button, .button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]),'
                  + ' select, .subnav a, .topbar a, .pager a, summary')]
                .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden'))
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.height < 44 || r.width < 44)
                .slice(0, 5)
                .map(([e, r]) => e.tagName + '.' + e.className + ' ' + (e.textContent || e.name || '')
                     .trim().slice(0, 20) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))"""
        )
        problems += [f"{url} @{width}: touch target < 44px: {t}" for t in small]
    text = page.evaluate("document.body.innerText")
    for match in ISO_DATE.findall(text):
        problems.append(f"{url} @{width}: ISO date in text: {match}")
    for error in page.locator(".field-error, .errorlist, .error-summary").all_inner_texts():
        if RAW_FIELD.search(error):
            problems.append(f"{url} @{width}: raw field name in error: {error[:80]}")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"
    )
    problems += [f"{url} @{width}: axe {v}" for v in result]
    return problems


def sweep(chromium, live_server, username: str, urls: list[str]) -> list[str]:
    problems = []
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        try:
            login(page, live_server, username, PASSWORD, next_url=urls[0])
            for url in urls:
                errors.clear()
                response = page.goto(f"{live_server.url}{url}")
                page.wait_for_load_state("load")
                problems += check_page(page, url, width)
                # An error page (403, 404, a 400 form) logs its own status; anything else counts.
                own = f"the server responded with a status of {response.status}"
                problems += [
                    f"{url} @{width}: console: {e}"
                    for e in errors
                    if not (response.status >= 400 and own in e)
                ]
        finally:
            context.close()
    return problems


def plan_jobs(world) -> list[str]:
    """The plan page with a proposal made (TW_PLAN_JOBS=inline in tests) and with a job still
    queued (its page polls the job and refreshes itself)."""
    first, last, _previous, _following = board_period(OPEN_DAY, "week")
    period = {"date_from": first, "date_to": last}
    done = jobs.plan_job_start(
        acting_user=world.coordinator,
        wagons=[world.wagon],
        commit=False,
        allow_moves=False,
        **period,
    )
    assert PlanJob.objects.get(pk=done.pk).status == "done"
    params = {
        "wagons": [world.wagon.pk],
        "date_from": first.isoformat(),
        "date_to": last.isoformat(),
        "commit": False,
        "allow_moves": False,
        "today": OPEN_DAY.isoformat(),
    }
    queued = PlanJob.objects.create(requested_by=world.coordinator, params=params)
    page = f"/planning/plan/?wagon={world.wagon.id}&start={first}&span=week"
    return [f"{page}&job={done.pk}", f"{page}&job={queued.pk}"]


def test_coordinator_pages(chromium, live_server, frozen_day):
    world, booking, confirmed = world_with_visits()
    urls = [
        "/planning/",
        f"/planning/board/?start={OPEN_DAY}",
        f"/planning/board/?start={OPEN_DAY}&span=month",
        f"/planning/board/?start={OPEN_DAY}&print=1",
        f"/planning/visits/{booking.id}/",
        f"/planning/visits/{confirmed.id}/",
        f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}",
        *plan_jobs(world),
        "/planning/inventory/",
        "/planning/reach/",
        "/planning/reach/?mode=range&date_from=2027-03-01&date_to=2027-01-01",
        "/planning/nope/",
    ]
    problems = sweep(chromium, live_server, world.coordinator.username, urls)
    assert not problems, "\n".join(problems)


def test_school_pages(chromium, live_server, frozen_day):
    world, booking, _confirmed = world_with_visits()
    urls = [
        "/school/",
        "/school/calendar/?month=2027-02",
        f"/school/book/?date={OPEN_DAY}",
        "/school/bookings/",
        "/planning/",
    ]
    problems = sweep(chromium, live_server, world.teacher.username, urls)
    assert not problems, "\n".join(problems)


def test_crew_pages(chromium, live_server, frozen_day):
    world, _booking, confirmed = world_with_visits()
    urls = [f"/crew/?date={OPEN_DAY}", f"/crew/visits/{confirmed.id}/"]
    problems = sweep(chromium, live_server, world.crew.username, urls)
    assert not problems, "\n".join(problems)
