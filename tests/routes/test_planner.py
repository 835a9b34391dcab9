"""POST /api/v1/routes/plan/: feasibility on random instances, optimality against brute force,
commit true/false, priorities, unplanned reasons, validation."""

import datetime as dt
import random

import pytest
from django.core import mail

from bookings.kit import pool
from bookings.models import Booking, KitReservation
from routes import planner
from routes.models import Route
from tests.factories import BlackoutFactory
from tests.routes.checker import brute_force, check_plan
from tests.routes.helpers import MONDAY, World

pytestmark = pytest.mark.django_db

URL = "/api/v1/routes/plan/"
STARTS = [dt.time(8, 45), dt.time(9, 0), dt.time(10, 30), dt.time(11, 0), dt.time(12, 30),
          dt.time(13, 0)]  # fmt: skip


def plan(client, **body):
    body.setdefault("date_from", MONDAY.isoformat())
    body.setdefault("date_to", (MONDAY + dt.timedelta(days=4)).isoformat())
    response = client.post(URL, body, format="json")
    assert response.status_code == 202, response.data
    job = client.get(response.data["job"])  # TW_PLAN_JOBS=inline in tests: already planned
    assert job.status_code == 200 and job.data["status"] == "done", job.data
    return job.data["result"]


def random_instance(seed: int, *, n: int, wagons: int, days: int, max_visits=2, bots=20):
    rng = random.Random(seed)
    world = World(wagons=wagons, max_visits=max_visits, bots=bots)
    week = [MONDAY + dt.timedelta(days=i) for i in range(days)]
    bookings = []
    for _ in range(n):
        date = rng.choice(week)
        alts = rng.sample([d for d in week if d != date], k=rng.randint(0, min(2, days - 1)))
        bookings.append(
            world.booking(
                rng.randrange(len(world.schools)),
                date=date,
                start=rng.choice(STARTS),
                pupils=rng.randint(10, 30),
                wagon=rng.choice(world.wagons),
                alternative_dates=alts,
            )
        )
    return world, bookings, week


@pytest.mark.parametrize("seed", range(6))
def test_every_planned_route_passes_the_independent_checker(coordinator_client, seed):
    world, bookings, week = random_instance(seed, n=16, wagons=2, days=5, bots=16)
    result = plan(coordinator_client)
    assert check_plan(result["routes"]) == []
    served = {s["booking"] for r in result["routes"] for s in r["stops"]}
    unplanned = {u["booking"] for u in result["unplanned"]}
    assert served | unplanned == {b.pk for b in bookings} and not served & unplanned
    assert all(r["feasible"] for r in result["routes"]), [r["problems"] for r in result["routes"]]
    assert result["served"] == len(served) > 0


@pytest.mark.parametrize("seed", range(5))
def test_it_serves_as_many_as_brute_force_with_driving_within_one_percent(
    coordinator_client, monkeypatch, seed
):
    # Equal priorities: the objective is then exactly "most bookings, then least driving".
    monkeypatch.setattr(planner, "_priority", lambda bookings: {b.id: 0 for b in bookings})
    world, bookings, week = random_instance(seed, n=8, wagons=1, days=3, max_visits=3, bots=20)
    result = plan(coordinator_client, date_to=week[-1].isoformat())
    served, drive = brute_force(bookings, world.wagons, week)
    assert result["served"] == served
    assert result["total_drive_minutes"] <= drive * 1.01
    assert check_plan(result["routes"]) == []


def test_commit_false_writes_nothing(coordinator_client, django_capture_on_commit_callbacks):
    world = World()
    booking = world.booking(0, alternative_dates=[MONDAY + dt.timedelta(days=1)])
    BlackoutFactory(wagon=None, date_from=MONDAY, date_to=MONDAY, reason="Studiedag")
    history_before = booking.history.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = plan(coordinator_client, commit=False)
    assert callbacks == []
    assert result["committed"] is False
    assert [r["date"] for r in result["routes"]] == [str(MONDAY + dt.timedelta(days=1))]
    assert result["moved"][0]["booking"] == booking.pk
    assert Route.objects.count() == 0
    booking.refresh_from_db()
    assert booking.date == MONDAY and booking.history.count() == history_before
    assert mail.outbox == []


def test_commit_true_moves_the_date_with_history_and_an_email(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    world = World()
    tuesday = MONDAY + dt.timedelta(days=1)
    booking = world.booking(0, alternative_dates=[tuesday])
    BlackoutFactory(wagon=None, date_from=MONDAY, date_to=MONDAY, reason="Studiedag")
    with django_capture_on_commit_callbacks(execute=True):
        result = plan(coordinator_client, commit=True)
    assert result["committed"] is True
    booking.refresh_from_db()
    assert booking.date == tuesday
    route = Route.objects.get()
    assert (route.wagon, route.date) == (world.wagon, tuesday)
    assert list(route.stops.values_list("booking_id", flat=True)) == [booking.pk]
    assert result["routes"][0]["id"] == route.pk
    last = booking.history.first()
    assert last.history_user == coordinator and last.date == tuesday
    assert "tourplanner" in last.history_change_reason
    assert route.history.first().history_user == coordinator
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [booking.contact_email]
    assert "verplaatst" in message.subject and "dinsdag 9 maart 2027" in message.body


def test_commit_moves_a_confirmed_bookings_reservations_when_moves_are_allowed(
    coordinator_client,
):
    world = World()
    tuesday = MONDAY + dt.timedelta(days=1)
    booking = world.booking(0, status="confirmed", alternative_dates=[tuesday])
    KitReservation.objects.create(
        booking=booking, kit_type=world.bot, depot=world.depot, date=MONDAY, quantity=8
    )
    pool.day_needs_refresh([(world.depot.pk, MONDAY)])  # as booking_confirm keeps it
    BlackoutFactory(wagon=world.wagon, date_from=MONDAY, date_to=MONDAY, reason="APK")
    kept = plan(coordinator_client, commit=True)
    assert kept["served"] == 0 and kept["unplanned"][0]["code"] == "no_open_date"
    booking.refresh_from_db()
    assert booking.date == MONDAY
    moved = plan(coordinator_client, commit=True, allow_moves=True)
    assert moved["served"] == 1
    booking.refresh_from_db()
    assert booking.date == tuesday
    assert list(KitReservation.objects.values_list("date", "quantity")) == [(tuesday, 8)]


def test_a_second_commit_replaces_the_routes_of_the_period(coordinator_client):
    world = World()
    world.booking(0)
    plan(coordinator_client, commit=True)
    plan(coordinator_client, commit=True)
    assert Route.objects.count() == 1
    assert Route.history.filter(history_type="-").count() == 1


def test_primary_schools_and_earlier_requests_come_first(coordinator_client):
    world = World(max_visits=1)
    vmbo = world.booking(1, start=dt.time(9, 0))
    vmbo.school.school_types = ["vmbo-bb"]
    vmbo.school.save()
    late = world.booking(2, start=dt.time(9, 0))
    early = world.booking(0, start=dt.time(9, 0))
    early.created = late.created - dt.timedelta(days=1)
    early.save()
    result = plan(coordinator_client, date_to=MONDAY.isoformat())
    served = [s["booking"] for r in result["routes"] for s in r["stops"]]
    assert served == [early.pk]
    reasons = {u["booking"]: u["code"] for u in result["unplanned"]}
    assert reasons == {vmbo.pk: "no_capacity", late.pk: "no_capacity"}
    assert early.created < late.created


def test_it_fills_the_day_and_orders_stops_by_the_clock(coordinator_client):
    world = World(max_visits=3)
    afternoon = world.booking(1, start=dt.time(13, 0))
    morning = world.booking(0, start=dt.time(8, 45))
    result = plan(coordinator_client, date_to=MONDAY.isoformat())
    [route] = result["routes"]
    assert [s["booking"] for s in route["stops"]] == [morning.pk, afternoon.pk]


def test_unplanned_bookings_say_why(coordinator_client):
    world = World(bots=5)
    too_much_kit = world.booking(0, pupils=30)  # 10 Blue-Bots, the depot has 5
    outside = world.booking(1, date=MONDAY + dt.timedelta(days=14), pupils=12)
    outside.alternative_dates = [MONDAY.isoformat()]
    outside.save()
    # Alternative date inside the lead time: not an option.
    result = plan(coordinator_client, date_to=MONDAY.isoformat())
    reasons = {u["booking"]: u["code"] for u in result["unplanned"]}
    assert reasons == {too_much_kit.pk: "does_not_fit"}
    assert result["routes"][0]["stops"][0]["booking"] == outside.pk  # on its alternative date
    soon = world.booking(
        2, pupils=12, date=dt.date(2026, 12, 21), alternative_dates=[dt.date(2026, 11, 23)]
    )
    result = plan(coordinator_client, date_from="2026-11-23", date_to="2026-11-27")
    [unplanned] = result["unplanned"]
    assert (unplanned["booking"], unplanned["code"]) == (soon.pk, "no_open_date")
    assert "aanvraagtermijn" in unplanned["reason"]


@pytest.mark.parametrize(
    "body",
    [
        {"date_from": "2027-03-12", "date_to": "2027-03-08"},
        {"date_from": "2027-01-01", "date_to": "2027-12-31"},
        {"date_from": "2027-03-08", "date_to": "2027-03-12", "wagon": 999999},
        {"date_from": "not a date", "date_to": "2027-03-12"},
        {"date_from": "2027-03-08", "date_to": "2027-03-12", "commit": "perhaps"},
        {},
    ],
)
def test_bad_input_is_a_400(coordinator_client, body):
    World()
    response = coordinator_client.post(URL, body, format="json")
    assert response.status_code == 400


def test_crew_and_schools_may_not_plan(crew_client, school_client):
    World()
    body = {"date_from": "2027-03-08", "date_to": "2027-03-12"}
    assert crew_client.post(URL, body, format="json").status_code == 403
    assert school_client.post(URL, body, format="json").status_code == 403


def test_packed_visits_stay_where_they_are(coordinator_client):
    world = World(wagons=2)
    packed = world.booking(0, status="packed", wagon=world.wagons[1])
    result = plan(coordinator_client, date_to=MONDAY.isoformat())
    [route] = result["routes"]
    assert route["wagon"] == world.wagons[1].pk and route["stops"][0]["booking"] == packed.pk
    assert Booking.objects.get(pk=packed.pk).status == "packed"
