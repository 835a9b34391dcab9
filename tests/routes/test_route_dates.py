"""Dates outside the window (2000-01-01 … three years ahead) are refused before anything is
written, and rows that got in before the window existed never break a list, a feed or a PDF."""

import datetime as dt

import pytest

from bookings.models import Blackout
from bookings.packing.services import packing_list_follow
from routes.models import Route, RouteStop
from tests.factories import BookingFactory, BookingSessionFactory
from tests.routes.helpers import MONDAY, World

pytestmark = pytest.mark.django_db

URL = "/api/v1/routes/"


@pytest.fixture
def world():
    return World(max_visits=3)


def test_a_route_on_9999_12_31_is_refused_and_nothing_is_saved(coordinator_client, world):
    response = coordinator_client.post(
        URL, {"wagon": world.wagon.pk, "date": "9999-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert Route.objects.count() == 0
    assert coordinator_client.get(URL).status_code == 200
    feed = coordinator_client.get(f"/api/v1/wagons/{world.wagon.pk}/calendar.ics")
    assert feed.status_code == 200


@pytest.mark.parametrize(
    "day,status",
    [
        ("2029-11-21", 201),  # today (2026-11-21) + 3 years: still planned
        ("2029-11-22", 400),
        ("2000-01-01", 201),
        ("1999-12-31", 400),
        ("0001-01-01", 400),
    ],
)
def test_the_window_is_three_years_ahead(coordinator_client, world, day, status):
    response = coordinator_client.post(URL, {"wagon": world.wagon.pk, "date": day}, format="json")
    assert response.status_code == status, response.content
    assert Route.objects.count() == (1 if status == 201 else 0)


def test_planning_outside_the_window_is_refused(coordinator_client, world):
    response = coordinator_client.post(
        f"{URL}plan/",
        {"date_from": "9999-12-25", "date_to": "9999-12-31", "commit": True},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"date_from", "date_to"}


def test_route_filters_outside_the_window_are_a_400_on_the_parameter(coordinator_client, world):
    response = coordinator_client.get(f"{URL}?date_from=9999-12-31")
    assert response.status_code == 400
    assert "date_from" in response.json()


@pytest.fixture
def bad_rows(world):
    """Rows written before the window existed, at both ends of the calendar."""

    def booking(school, day, start):
        booking = BookingFactory(school=school, wagon=world.wagon, date=day, status="confirmed")
        BookingSessionFactory(booking=booking, workshop=world.workshop, start_time=start)
        packing_list_follow(booking=booking)  # built at confirmation
        return booking

    # sessions that end after midnight / set-up that starts before it
    late = booking(world.schools[0], dt.date.max, dt.time(23, 30))
    early = booking(world.schools[1], dt.date.min, dt.time(0, 10))
    routes = []
    for booking in (late, early):
        route = Route.objects.create(wagon=world.wagon, date=booking.date)
        RouteStop.objects.create(route=route, booking=booking, position=0)
        routes.append(route)
    Blackout.objects.create(
        programme=world.wagon.depot.programme,
        date_from=dt.date.min,
        date_to=dt.date.max,
        reason="altijd dicht",
    )
    normal = world.booking(2, date=MONDAY)
    return {"late": late, "early": early, "routes": routes, "normal": normal}


def test_lists_feeds_and_pdfs_survive_rows_at_the_ends_of_the_calendar(
    coordinator_client, crew_client, world, bad_rows
):
    urls = [
        URL,
        f"/api/v1/wagons/{world.wagon.pk}/calendar.ics",
        "/api/v1/bookings/",
        "/api/v1/blackouts/",
        f"/api/v1/availability/?school={world.schools[0].pk}&date_from=2027-03-08"
        "&date_to=2027-03-12",
    ]
    for booking in (bad_rows["late"], bad_rows["early"]):
        urls += [
            f"/api/v1/bookings/{booking.pk}/",
            f"/api/v1/bookings/{booking.pk}/calendar.ics",
            f"/api/v1/bookings/{booking.pk}/packing-list/",
            f"/api/v1/bookings/{booking.pk}/packing-list.pdf",
        ]
    for route in bad_rows["routes"]:
        urls += [
            f"{URL}{route.pk}/",
            f"{URL}{route.pk}/day-sheet.pdf",
            f"{URL}{route.pk}/packing-list/",
            f"{URL}{route.pk}/packing-list.pdf",
        ]
    for client in (coordinator_client, crew_client):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
