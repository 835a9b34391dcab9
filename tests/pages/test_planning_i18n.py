"""The coordinator pages in English (language cookie "en"); Dutch stays the default."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.factories import BlackoutFactory, BookingFactory, BookingSessionFactory
from tests.pages.portal_world import NOW, OPEN_DAY, build_world


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def client_for(world, language: str | None) -> Client:
    client = Client()
    client.force_login(world.coordinator)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def request_for(world, *, status="requested", date=OPEN_DAY):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=date, status=status)
    BookingSessionFactory(
        booking=booking, workshop=world.robot_workshop, pupils=24, school_type="po"
    )
    return booking


def page(client: Client, url: str) -> str:
    return client.get(url).content.decode()


@time_machine.travel(NOW, tick=False)
def test_queue_in_english(world):
    request_for(world)
    html = page(client_for(world, "en"), "/planning/")
    for text in ("New requests", "Approve", "Decline", "Reason", "Planning board", "Equipment"):
        assert text in html
    for text in ("Nieuwe aanvragen", "Goedkeuren", "Afwijzen", "Planbord<", "leerlingen"):
        assert text not in html
    assert "24 pupils" in html


@time_machine.travel(NOW, tick=False)
def test_queue_in_dutch_unchanged(world):
    request_for(world)
    html = page(client_for(world, None), "/planning/")
    for text in ("Nieuwe aanvragen", "Goedkeuren", "Afwijzen", "24 leerlingen", "foto's: nee"):
        assert text in html
    assert "New requests" not in html


@time_machine.travel(NOW, tick=False)
def test_confirm_message_in_english(world):
    booking = request_for(world)
    client = client_for(world, "en")
    response = client.post(f"/planning/bookings/{booking.id}/confirm/", follow=True)
    assert f"{booking.reference} has been confirmed." in response.content.decode()
    response = client.post(f"/planning/bookings/{booking.id}/decline/", follow=True)
    assert "Give a reason to decline." in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_board_in_english(world):
    request_for(world)
    BlackoutFactory(wagon=world.wagon, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="APK")
    client = client_for(world, "en")
    html = page(client, f"/planning/board/?start={OPEN_DAY}")
    for text in ("Planning board: week 7", "February", "Previous", "Today", "Next", "Wagon"):
        assert text in html
    assert "closed: APK" in html and ">Tu " in html
    for text in ("Vorige", "Vandaag", "februari", "gesloten: APK", "Wagen<"):
        assert text not in html
    month = page(client, f"/planning/board/?span=month&start={OPEN_DAY}")
    assert "Planning board: February 2027" in month


@time_machine.travel(NOW, tick=False)
def test_board_in_dutch_unchanged(world):
    html = page(client_for(world, None), f"/planning/board/?span=month&start={OPEN_DAY}")
    assert "Planbord: februari 2027" in html and "Vorige" in html and ">di " in html
    assert "February" not in html


@time_machine.travel(NOW, tick=False)
def test_inventory_in_english(world):
    html = page(client_for(world, "en"), "/planning/inventory/")
    for text in ("Equipment at a glance", "Items per status", "Equipment type", "Total"):
        assert text in html
    assert "Materiaal in één oogopslag" not in html and "Totaal" not in html
    dutch = page(client_for(world, None), "/planning/inventory/")
    assert "Materiaal in één oogopslag" in dutch and "Equipment at a glance" not in dutch


@time_machine.travel(NOW, tick=False)
def test_reach_in_english(world):
    request_for(world, status="completed", date=dt.date(2026, 10, 5))
    url = "/planning/reach/?mode=school_year&school_year=2026&group_by=school_type"
    html = page(client_for(world, "en"), url)
    for text in ("Reach for STO funders", "School year", "Group by", "Pupil contacts", "Visits"):
        assert text in html
    assert "1 August 2026" in html and "by school type" in html
    for text in ("Bereik voor STO-financiers", "Schooljaar", "Groeperen op", "Bezoeken<"):
        assert text not in html
    dutch = page(client_for(world, None), url)
    assert "Bereik voor STO-financiers" in dutch and "per schoolsoort" in dutch
    assert "Reach for STO funders" not in dutch


def test_empty_chart_in_english():
    from django.utils import translation

    from backend.pages.charts import bar_chart

    with translation.override("en"):
        assert "No visits in this period." in bar_chart([], title="x")
    with translation.override("nl"):
        assert "Geen bezoeken in deze periode." in bar_chart([], title="x")
