"""End to end in Chromium against a live server: a school books a visit, the coordinator approves
it and it appears on the planning board. Screenshots go to test-artifacts/."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from bookings.models import Booking
from tests.pages.conftest import PASSWORD, login, screenshot
from tests.pages.portal_world import HOLIDAY, NOW, OPEN_DAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_day():
    # tick=True: the clock runs (Playwright and the live server need it), starting on 21 Nov 2026.
    with time_machine.travel(NOW, tick=True):
        yield


def logout(page):
    with page.expect_navigation():
        page.click("header form[action='/accounts/logout/'] button")


def test_school_books_and_coordinator_approves(browser_page, live_server, frozen_day):
    world = build_world()
    page = browser_page
    base = live_server.url

    # --- the school picks a workshop
    login(page, live_server, world.teacher.username, PASSWORD, next_url="/school/")
    expect(page.locator("h1")).to_have_text("Melanchthon Kralingen")
    expect(page.locator("[data-workshop='VR-beroepenexpeditie']")).to_have_count(0)
    card = page.locator("[data-workshop='Blue-Bot programmeren']")
    expect(card).to_contain_text("1 Blue-Bot per 3 leerlingen")
    card.locator("input[type=checkbox]").check()
    page.fill("input[name=pupils]", "24")
    screenshot(page, "portal-01-school-workshops")
    with page.expect_navigation():
        page.click("#workshop-picker button[type=submit]")

    # --- the month calendar: December first (lead time), then on to February
    expect(page.locator("h1")).to_contain_text("december 2026")
    for month in ("januari 2027", "februari 2027"):
        with page.expect_navigation():
            page.click("text=Volgende maand")
        expect(page.locator("h1")).to_contain_text(month)
    holiday = page.locator(f"td[data-date='{HOLIDAY}']")
    expect(holiday).to_have_class(re.compile("closed"))
    expect(holiday).to_contain_text("Voorjaarsvakantie")
    weekend = page.locator("td[data-date='2027-02-13']")
    expect(weekend).to_contain_text("weekend")
    open_day = page.locator(f"td[data-date='{OPEN_DAY}']")
    expect(open_day).to_have_class(re.compile("open"))
    screenshot(page, "portal-02-school-calendar")

    # --- book the open day
    with page.expect_navigation():
        open_day.locator("a").click()
    expect(page.locator("input[name=date]")).to_have_value(OPEN_DAY.isoformat())
    expect(page.locator("input[name='groups-0-pupils']")).to_have_value("24")
    page.fill("input[name='groups-0-group_label']", "groep 5a")
    page.fill("input[name='groups-0-year']", "5")
    page.fill("input[name='groups-0-start_time']", "09:00")
    page.fill("input[name=parking]", "Schoolplein")
    page.select_option("select[name=socket]", "ja")
    page.fill("input[name=room]", "Aula")
    page.check("input[name=photo_consent]")
    page.fill("input[name=alternative_1]", "2027-02-17")
    screenshot(page, "portal-03-school-booking-form")
    with page.expect_navigation():
        page.click("form.booking-form button[type=submit]")

    # --- mijn aanvragen
    booking = Booking.objects.get()
    expect(page.locator("h1")).to_have_text("Mijn aanvragen")
    row = page.locator(f"tr[data-reference='{booking.reference}']")
    expect(row).to_contain_text("Aangevraagd")
    expect(row).to_contain_text("groep 5a")
    expect(row.locator("a", has_text="Agenda (.ics)")).to_be_visible()
    screenshot(page, "portal-04-school-my-bookings")
    logout(page)

    # --- the coordinator sees it in the queue and approves it
    login(page, live_server, world.coordinator.username, PASSWORD, next_url="/planning/")
    request = page.locator(f"article[data-reference='{booking.reference}']")
    expect(request).to_contain_text("Melanchthon Kralingen")
    expect(request).to_contain_text("8× Blue-Bot")
    screenshot(page, "portal-05-planning-queue")
    with page.expect_navigation():
        request.locator("button", has_text="Goedkeuren").click()
    expect(page.locator(".msg.success")).to_contain_text(f"{booking.reference} is bevestigd.")
    booking.refresh_from_db()
    assert booking.status == "confirmed"

    # --- it appears on the planning board
    page.goto(f"{base}/planning/board/?start={OPEN_DAY}")
    visit = page.locator(f".visit[data-reference='{booking.reference}']")
    expect(visit).to_have_class(re.compile("st-confirmed"))
    expect(visit).to_contain_text("Melanchthon Kralingen")
    screenshot(page, "portal-06-planning-board")

    page.goto(f"{base}/planning/inventory/")
    expect(page.locator("h1")).to_contain_text("Materiaal")
    screenshot(page, "portal-07-planning-inventory")
    page.goto(f"{base}/planning/reach/?mode=school_year&school_year=2026&planned=true")
    expect(page.locator("#reach-table tr.totals")).to_contain_text("24")
    expect(page.locator("svg.chart rect.chart-bar")).to_have_count(1)
    screenshot(page, "portal-08-planning-reach")


def test_school_user_gets_403_on_planning_in_the_browser(browser_page, live_server, frozen_day):
    world = build_world()
    login(browser_page, live_server, world.teacher.username, PASSWORD, next_url="/school/")
    response = browser_page.goto(f"{live_server.url}/planning/")
    assert response.status == 403
