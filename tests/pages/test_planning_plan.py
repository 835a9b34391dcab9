"""Routes plannen from the board: the planner's proposal next to today's routes for one wagon and
a week or month, saving it, and moving (pinning) a visit from the proposal."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from bookings import services
from routes.models import Route
from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


def confirmed(world, school=None, start="09:00", day=OPEN_DAY):
    booking = BookingFactory(
        school=school or world.school, wagon=world.wagon, date=day, status="requested"
    )
    BookingSessionFactory(
        booking=booking,
        workshop=world.robot_workshop,
        pupils=12,
        start_time=dt.time.fromisoformat(start),
    )
    services.booking_confirm(booking=booking, acting_user=world.coordinator, send_email=False)
    return booking


@time_machine.travel(NOW, tick=False)
def test_proposal_shows_days_order_and_times_and_writes_nothing(world, coordinator):
    first = confirmed(world)
    second = confirmed(world, school=world.other_school, start="13:00")
    url = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}"
    page = coordinator.get(url).content.decode()
    assert "di 16 februari 2027" in page
    proposal = page.split('class="proposal-stops"', 1)[1].split("</ol>", 1)[0]
    assert proposal.index(first.reference) < proposal.index(second.reference)
    assert "Nog geen rit." in page
    assert Route.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_saving_commits_the_routes_and_the_board_and_day_sheet_show_them(world, coordinator):
    first = confirmed(world)
    second = confirmed(world, school=world.other_school, start="13:00")
    response = coordinator.post(
        "/planning/plan/save/",
        {"wagon": world.wagon.id, "start": OPEN_DAY.isoformat(), "span": "week"},
        follow=True,
    )
    assert "ritten opgeslagen" in response.content.decode()
    route = Route.objects.get(wagon=world.wagon, date=OPEN_DAY)
    assert [s.booking_id for s in route.stops.order_by("position")] == [first.id, second.id]
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    assert "rit: stop 1" in page and "rit: stop 2" in page
    api = coordinator.get(f"/api/v1/routes/?wagon={world.wagon.id}").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [s["booking"] for s in rows[0]["stops"]] == [first.id, second.id]


@time_machine.travel(NOW, tick=False)
def test_pinning_a_visit_to_another_day_from_the_proposal(world, coordinator):
    booking = confirmed(world)
    url = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}"
    response = coordinator.post(
        f"/planning/visits/{booking.id}/move/",
        {"date": "2027-02-17", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    booking.refresh_from_db()
    assert booking.date == dt.date(2027, 2, 17)
    page = coordinator.get(url).content.decode()
    assert 'data-date="2027-02-17"' in page
    # An outside "next" is ignored: back to the visit page.
    response = coordinator.post(
        f"/planning/visits/{booking.id}/move/", {"date": "2027-02-18", "next": "https://evil/"}
    )
    assert response["Location"] == f"/planning/visits/{booking.id}/"


@time_machine.travel(NOW, tick=False)
def test_plan_page_access_and_bad_input(world, coordinator):
    for user in (world.teacher, world.crew):
        client = Client()
        client.force_login(user)
        assert client.get("/planning/plan/").status_code == 403
        assert client.post("/planning/plan/save/", {"wagon": world.wagon.id}).status_code == 403
    assert Client().get("/planning/plan/").status_code == 302
    for query in ("", "wagon=abc", "wagon=99999", f"wagon={world.wagon.id}&start=xx&span=year"):
        assert coordinator.get(f"/planning/plan/?{query}").status_code == 200
    response = coordinator.post("/planning/plan/save/", {"wagon": "nope"}, follow=True)
    assert "Kies een wagen om te plannen." in response.content.decode()
    assert Route.objects.count() == 0
