"""In Chromium: the booking form fills in the start times of "na elkaar" and "tegelijk
(carrousel)" as the teacher types (static/school/book.js, allowed by the CSP)."""

import pytest
import time_machine
from playwright.sync_api import expect

from bookings.models import Booking
from tests.pages.conftest import PASSWORD, login, screenshot
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_day():
    with time_machine.travel(NOW, tick=True):
        yield


def test_start_times_follow_the_chosen_schedule(browser_page, live_server, frozen_day):
    world = build_world()
    page = browser_page
    problems = []
    # A Content-Security-Policy refusal shows as a console error; the favicon is not ours.
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "favicon" not in (msg.location or {}).get("url", "")
            else None
        ),
    )
    page.on("response", lambda r: problems.append(r.url) if r.status == 404 else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    login(page, live_server, world.teacher.username, PASSWORD, next_url="/school/")
    page.goto(f"{live_server.url}/school/book/?date={OPEN_DAY}")
    expect(page.locator("input[name=schedule][value=na_elkaar]")).to_be_checked()
    for row, label in ((0, "groep 5a"), (1, "groep 5b")):
        page.fill(f"input[name='groups-{row}-group_label']", label)
        page.fill(f"input[name='groups-{row}-year']", "5")
        page.fill(f"input[name='groups-{row}-pupils']", "9")
    page.fill("input[name='groups-0-start_time']", "09:00")
    second = page.locator("input[name='groups-1-start_time']")
    expect(second).to_have_value("10:30")  # Blue-Bot takes 90 minutes
    page.check("input[name=schedule][value=tegelijk]")
    expect(second).to_have_value("09:00")
    screenshot(page, "school-schedule-carrousel")
    with page.expect_navigation():
        page.click("form.booking-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Mijn aanvragen")
    starts = sorted(f"{s.start_time:%H:%M}" for s in Booking.objects.get().sessions.all())
    assert starts == ["09:00", "09:00"]
    assert not problems, problems
