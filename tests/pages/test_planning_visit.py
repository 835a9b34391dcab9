"""The coordinator's visit page (/planning/visits/<id>/) and its actions, and the competing
requests marked in the queue."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client

from bookings import services
from bookings.models import Booking
from tests.factories import BookingFactory, BookingSessionFactory, WagonFactory
from tests.pages.portal_world import HOLIDAY, NOW, OPEN_DAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(world):
    return client_for(world.coordinator)


def request_for(world, *, school=None, pupils=24, date=OPEN_DAY, status="requested", wagon=None,
                start="09:00", alternative_dates=()):  # fmt: skip
    booking = BookingFactory(
        school=school or world.school,
        wagon=wagon or world.wagon,
        date=date,
        status=status,
        alternative_dates=[d.isoformat() for d in alternative_dates],
    )
    BookingSessionFactory(
        booking=booking,
        workshop=world.robot_workshop,
        pupils=pupils,
        school_type="po",
        start_time=dt.time.fromisoformat(start),
    )
    return booking


def article(page: str, booking) -> str:
    match = re.search(rf'<article[^>]*id="booking-{booking.id}".*?</article>', page, re.S)
    assert match, f"{booking.reference} not in the queue"
    return match.group(0)


# ------------------------------------------------------------------------------ the page


@time_machine.travel(NOW, tick=False)
def test_visit_page_shows_school_sessions_kit_against_the_pool_and_history(world, coordinator):
    booking = request_for(world, pupils=24)
    page = coordinator.get(f"/planning/visits/{booking.id}/").content.decode()
    assert world.school.name in page and booking.reference in page
    assert "di 16 februari 2027" in page
    assert "2027-02-16</" not in page
    assert booking.contact_email in page
    kit = re.search(r'<table class="compact numbers" id="kit-table">.*?</table>', page, re.S)
    assert kit and re.search(r"Blue-Bot</td><td>8</td><td>10</td><td>10</td>", kit.group(0))
    assert "Nog geen paklijst" in page
    assert "Nog niet in een rit gepland." in page
    for action in ("Bevestigen", "Afwijzen", "Verplaatsen", "Annuleren"):
        assert f">{action}</button>" in page
    assert 'class="history"' in page


@time_machine.travel(NOW, tick=False)
def test_visit_page_is_for_coordinators_only(world):
    booking = request_for(world)
    url = f"/planning/visits/{booking.id}/"
    assert client_for(world.teacher).get(url).status_code == 403
    assert client_for(world.other_teacher).get(url).status_code == 403
    assert client_for(world.crew).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert client_for(world.coordinator).get("/planning/visits/999999/").status_code == 404
    for path in ("move", "cancel"):
        assert client_for(world.teacher).post(f"{url}{path}/", {"reason": "x"}).status_code == 403
    booking.refresh_from_db()
    assert booking.status == "requested"


@time_machine.travel(NOW, tick=False)
def test_visit_page_queries_do_not_grow_with_sessions(
    world, coordinator, django_assert_max_num_queries
):
    booking = request_for(world)
    with django_assert_max_num_queries(39) as few:
        coordinator.get(f"/planning/visits/{booking.id}/")
    for n in range(5):
        BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=6 + n,
                              school_type="po", start_time=dt.time(10 + n, 0))  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert coordinator.get(f"/planning/visits/{booking.id}/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_confirm_from_the_visit_page_returns_to_it(world, coordinator):
    booking = request_for(world)
    response = coordinator.post(
        f"/planning/bookings/{booking.id}/confirm/", {"back": "visit"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/planning/visits/{booking.id}/"
    assert f"{booking.reference} is bevestigd." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    page = coordinator.get(f"/planning/visits/{booking.id}/").content.decode()
    assert "regels ingepakt" in page  # the packing list exists now


@time_machine.travel(NOW, tick=False)
def test_cancel_needs_a_reason_and_goes_through_the_service(world, coordinator):
    booking = request_for(world, status="requested")
    services.booking_confirm(booking=booking, acting_user=world.coordinator, send_email=False)
    url = f"/planning/visits/{booking.id}/cancel/"
    page = coordinator.post(url, {"reason": " "}, follow=True).content.decode()
    assert "Geef een reden op om te annuleren." in page
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    page = coordinator.post(url, {"reason": "School dicht"}, follow=True).content.decode()
    assert f"{booking.reference} is geannuleerd." in page
    booking.refresh_from_db()
    assert (booking.status, booking.status_reason) == ("cancelled", "School dicht")
    assert not booking.reservations.exists()
    page = coordinator.post(url, {"reason": "nogmaals"}, follow=True).content.decode()
    assert "kan niet naar" in page  # a message, never a 500


# ------------------------------------------------------------------------------ moving


@time_machine.travel(NOW, tick=False)
def test_move_to_an_alternative_date(world, coordinator):
    other_day = OPEN_DAY + dt.timedelta(days=1)
    booking = request_for(world, alternative_dates=[other_day])
    page = coordinator.get(f"/planning/visits/{booking.id}/").content.decode()
    assert "Naar wo 17 februari 2027" in page
    response = coordinator.post(
        f"/planning/visits/{booking.id}/move/", {"date": other_day.isoformat()}, follow=True
    )
    assert "is verplaatst naar wo 17 februari 2027" in response.content.decode()
    booking.refresh_from_db()
    assert booking.date == other_day
    assert booking.history.first().history_user == world.coordinator


@time_machine.travel(NOW, tick=False)
def test_move_to_another_wagon_keeps_the_date(world, coordinator):
    other_wagon = WagonFactory(depot=world.wagon.depot, name="Techniekwagen Twee")
    booking = request_for(world)
    coordinator.post(f"/planning/visits/{booking.id}/move/", {"wagon": str(other_wagon.id)})
    booking.refresh_from_db()
    assert (booking.date, booking.wagon_id) == (OPEN_DAY, other_wagon.id)


@time_machine.travel(NOW, tick=False)
def test_move_to_a_closed_day_is_refused_with_its_reason_once(world, coordinator):
    booking = request_for(world)
    response = coordinator.post(
        f"/planning/visits/{booking.id}/move/", {"date": HOLIDAY.isoformat()}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    messages = re.findall(r'<li class="msg error">(.*?)</li>', page, re.S)
    assert len(messages) == 1 and "vakantie" in messages[0].lower()
    booking.refresh_from_db()
    assert booking.date == OPEN_DAY


@time_machine.travel(NOW, tick=False)
def test_live_check_names_the_reasons_and_writes_nothing(world, coordinator):
    booking = request_for(world)
    url = f"/planning/visits/{booking.id}/check/"
    ok = json.loads(coordinator.get(url, {"date": "2027-02-17"}).content)
    assert ok == {"available": True, "reasons": []}
    bad = json.loads(coordinator.get(url, {"date": HOLIDAY.isoformat()}).content)
    assert bad["available"] is False and bad["reasons"]
    past = json.loads(coordinator.get(url, {"date": "2020-01-06"}).content)
    assert past["reasons"] == ["Deze datum ligt in het verleden."]
    for query in ({"date": "abc"}, {"date": "2027-02-30"}, {"date": "2027-02-17", "wagon": "x"},
                  {"date": "99999-01-01"}, {}):  # fmt: skip
        response = coordinator.get(url, query)
        assert response.status_code == 200 and json.loads(response.content)["available"] is False
    page = coordinator.get(f"/planning/visits/{booking.id}/", {"date": HOLIDAY}).content.decode()
    assert 'class="problems"' in page
    assert client_for(world.teacher).get(url, {"date": "2027-02-17"}).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_bad_move_input_is_a_message_not_a_500(world, coordinator):
    booking = request_for(world)
    url = f"/planning/visits/{booking.id}/move/"
    for data in ({}, {"date": "x"}, {"date": "2027-02-17", "wagon": "999"}, {"date": "1-1-1"}):
        response = coordinator.post(url, data, follow=True)
        assert response.status_code == 200
        assert 'class="msg error"' in response.content.decode()
    assert (
        coordinator.post("/planning/visits/999999/move/", {"date": "2027-02-17"}).status_code == 404
    )
    booking.refresh_from_db()
    assert booking.date == OPEN_DAY
    declined = request_for(world, status="declined")
    page = coordinator.post(
        f"/planning/visits/{declined.id}/move/", {"date": "2027-02-17"}, follow=True
    ).content.decode()
    assert "kan niet meer worden verplaatst" in page


# ------------------------------------------------------------------------------ competing requests


@time_machine.travel(NOW, tick=False)
def test_competing_requests_are_marked_and_the_marks_follow_a_confirmation(world, coordinator):
    # 10 Blue-Bots; three requests on two wagons of the depot, each wanting 6 — only one fits.
    other_wagon = WagonFactory(depot=world.wagon.depot)
    first = request_for(world, pupils=18)
    second = request_for(world, school=world.other_school, pupils=18, wagon=other_wagon)
    page = coordinator.get("/planning/").content.decode()
    block = article(page, first)
    assert f"Concurreert met {second.reference}" in block
    assert "Blue-Bot: 6 nodig, 4 vrij" in block
    assert "Materiaal en wagen zijn vrij." not in block
    assert f"Concurreert met {first.reference}" in article(page, second)
    assert f'href="/planning/visits/{first.id}/"' in block

    coordinator.post(f"/planning/bookings/{first.id}/confirm/")
    page = coordinator.get("/planning/").content.decode()
    block = article(page, second)
    assert "Concurreert met" not in block  # the competitor is decided: now a plain shortage
    assert block.count("Blue-Bot: 6 nodig, 4 vrij") == 1
    response = coordinator.post(f"/planning/bookings/{second.id}/confirm/", follow=True)
    message = re.findall(r'<li class="msg error">(.*?)</li>', response.content.decode(), re.S)
    assert len(message) == 1 and message[0].count("6 nodig, 4 vrij") == 1


@time_machine.travel(NOW, tick=False)
def test_requests_overlapping_on_one_wagon_compete(world, coordinator):
    first = request_for(world, pupils=6, start="09:00")
    second = request_for(world, school=world.other_school, pupils=6, start="09:30")
    later = request_for(world, pupils=6, date=OPEN_DAY + dt.timedelta(days=1))
    page = coordinator.get("/planning/").content.decode()
    assert f"Concurreert met {second.reference}" in article(page, first)
    assert "al bij een andere school" in article(page, first)
    assert "Concurreert met" not in article(page, later)


@time_machine.travel(NOW, tick=False)
def test_queue_with_competitors_keeps_its_query_count(
    world, coordinator, django_assert_max_num_queries
):
    request_for(world)
    with django_assert_max_num_queries(39) as few:
        coordinator.get("/planning/")
    for n in range(8):
        request_for(world, school=world.other_school, date=OPEN_DAY + dt.timedelta(days=n % 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert coordinator.get("/planning/").status_code == 200
    assert Booking.objects.count() == 9
