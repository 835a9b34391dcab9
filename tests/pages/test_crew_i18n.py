"""Crew pages in English (language cookie "en") and unchanged in Dutch (the default)."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from bookings.models import Booking
from tests.factories import BookingFactory, BookingSessionFactory, WorkshopFactory

TODAY = dt.date(2027, 3, 8)  # a Monday
NOW = dt.datetime(2027, 3, 8, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _client(user, language=None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _visit(status=Booking.Status.PACKED, day=TODAY):
    booking = BookingFactory(status=status, date=day)
    workshop = WorkshopFactory(duration_minutes=90)
    BookingSessionFactory(booking=booking, workshop=workshop, start_time=dt.time(9, 0))
    return booking


def _strings(html: str) -> dict:
    match = re.search(r'<script id="crew-strings" type="application/json">(.*?)</script>', html)
    assert match, "crew-strings missing"
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_the_day_sheet_in_english(crew_user, frozen):
    _visit()
    html = _client(crew_user, "en").get("/crew/").content.decode()
    for text in ("<h1>Day sheet</h1>", "Today", "7 days", "Arrival", "Departure", "per sessions"):
        assert text in html
    assert "Packing list &amp; check-in" in html
    assert "Monday 8 March 2027 to Sunday 14 March" in html
    for dutch in ("<h1>Dagplanning</h1>", ">Vandaag<", "7 dagen", "Aankomst", "Vertrek", "volgens"):
        assert dutch not in html
    assert "Paklijst &amp; check-in" not in html
    strings = _strings(html)
    assert strings["queueMany"] == "%(count)s actions not sent yet"
    assert strings["locale"] == "en-GB"


@pytest.mark.django_db
def test_the_empty_day_sheet_in_english(crew_user, frozen):
    _visit(day=TODAY + dt.timedelta(days=3))
    html = _client(crew_user, "en").get("/crew/?days=1").content.decode()
    assert "No visits planned from 8 March to 8 March." in html
    assert "Next visits" in html
    assert "Geen bezoeken gepland" not in html and "Eerstvolgende bezoeken" not in html


@pytest.mark.django_db
def test_the_visit_page_in_english(crew_user, frozen):
    booking = _visit()
    html = _client(crew_user, "en").get(f"/crew/visits/{booking.id}/").content.decode()
    for text in (
        "← Day sheet",
        "Packing list as PDF",
        "Arrived on site",
        ">Pack</button>",
        "Check-in after visit",
        "Scan or type an asset tag and press Enter",
        "Loading packing list…",
        "Still outstanding",
        "arrival 08:",
    ):
        assert text in html
    for dutch in (
        "Paklijst als PDF",
        "Aangekomen op locatie",
        "Check-in na bezoek",
        "Nog openstaand",
    ):
        assert dutch not in html
    strings = _strings(html)
    assert strings["progressPacked"] == "%(done)s of %(total)s packed"
    assert strings["buttonReturn"] == "Return"
    assert strings["statusReturned"] == "Returned"
    assert strings["condMissing"] == "Missing"


@pytest.mark.django_db
def test_dutch_stays_the_default(crew_user, frozen):
    booking = _visit()
    client = _client(crew_user)
    day = client.get("/crew/").content.decode()
    assert "<h1>Dagplanning</h1>" in day and "Paklijst &amp; check-in" in day
    assert "maandag 8 maart 2027 t/m zondag 14 maart" in day
    assert "Day sheet" not in day
    visit = client.get(f"/crew/visits/{booking.id}/").content.decode()
    assert "Paklijst als PDF" in visit and "Check-in na bezoek" in visit
    assert "Packing list as PDF" not in visit
    strings = _strings(visit)
    assert strings["progressPacked"] == "%(done)s van %(total)s ingepakt"
    assert strings["buttonReturn"] == "Retour"
    assert strings["locale"] == "nl-NL"


@pytest.mark.django_db
def test_dutch_cookie_gives_dutch(crew_user, frozen):
    html = _client(crew_user, "nl").get("/crew/?days=1").content.decode()
    assert "Geen bezoeken gepland van 8 maart t/m 8 maart." in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_visit_script_speaks_english(
    browser_context, browser_page, live_server, crew_user, crew_visit
):
    from playwright.sync_api import expect

    from tests.pages.conftest import login

    page = browser_page
    login(page, live_server, crew_user.username, next_url="/crew/")
    browser_context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/crew/visits/{crew_visit.id}/")
    expect(page.locator("#progress-text")).to_have_text(re.compile(r"^0 of 6 packed$"))
    expect(page.locator("#lines")).to_contain_text("Consumables")
    expect(page.locator("#lines")).not_to_contain_text("Verbruiksmateriaal")
    page.locator("button.tick[aria-checked=false]").nth(0).click()
    expect(page.locator("#progress-text")).to_have_text(re.compile(r"^1 of 6 packed$"))
    expect(page.locator("#loaded-at")).to_contain_text("Updated")
    page.click("#tab-return")
    expect(page.locator("label[for=scan-input]")).to_have_text(
        "Scan a returned item (OK) and press Enter"
    )
    expect(page.locator("#scan-form button")).to_have_text("Return")
    expect(page.locator("#progress-text")).to_have_text(re.compile(r"^0 of 1 checked$"))
    expect(page.locator("#outstanding")).to_contain_text("Not checked yet (1)")
