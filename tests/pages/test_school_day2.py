"""School side, day two: a school lands on /school/ after login, its calendar marks its own visits
(reference and status, never another school's), and the .ics status follows the booking."""

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from bookings import services
from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.conftest import PASSWORD
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def visit_for(world, school=None, status="requested"):
    booking = BookingFactory(
        school=school or world.school, wagon=world.wagon, date=OPEN_DAY, status=status
    )
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=12)
    return booking


def test_a_school_lands_on_its_portal_after_login(world):
    response = Client().post(
        "/accounts/login/", {"username": world.teacher.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/school/"
    response = Client().post(
        "/accounts/login/?next=/school/bookings/",
        {"username": world.teacher.username, "password": PASSWORD},
    )
    assert response["Location"] == "/school/bookings/"  # ?next= still wins
    response = Client().post(
        "/accounts/login/", {"username": world.coordinator.username, "password": PASSWORD}
    )
    assert response["Location"] == "/"


@time_machine.travel(NOW, tick=False)
def test_calendar_marks_the_schools_own_visits_only(world):
    mine = visit_for(world)
    theirs = visit_for(world, school=world.other_school, status="confirmed")
    declined = visit_for(world, status="declined")
    page = client_for(world.teacher).get("/school/calendar/?month=2027-02").content.decode()
    assert f'data-reference="{mine.reference}"' in page
    assert "Aangevraagd" in page or "aangevraagd" in page
    assert theirs.reference not in page and declined.reference not in page
    other = client_for(world.other_teacher).get("/school/calendar/?month=2027-02").content.decode()
    assert theirs.reference in other and mine.reference not in other


@time_machine.travel(NOW, tick=False)
def test_calendar_queries_do_not_grow_with_own_visits(world, django_assert_max_num_queries):
    client = client_for(world.teacher)
    visit_for(world)
    with django_assert_max_num_queries(39) as few:
        client.get("/school/calendar/?month=2027-02")
    for _ in range(5):
        visit_for(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/school/calendar/?month=2027-02").status_code == 200


def _status(content: bytes) -> str:
    [event] = Calendar.from_ical(content).walk("VEVENT")
    return str(event["STATUS"])


@time_machine.travel(NOW, tick=False)
def test_ics_is_tentative_until_confirmed_then_confirmed_then_cancelled(world):
    booking = visit_for(world)
    teacher = client_for(world.teacher)
    url = f"/school/bookings/{booking.id}/calendar.ics"
    api = f"/api/v1/bookings/{booking.id}/calendar.ics"
    assert _status(teacher.get(url).content) == "TENTATIVE"
    assert _status(teacher.get(api).content) == "TENTATIVE"
    services.booking_confirm(booking=booking, acting_user=world.coordinator, send_email=False)
    assert _status(teacher.get(url).content) == "CONFIRMED"
    services.booking_cancel(booking=booking, reason="ziek", acting_user=world.coordinator)
    assert _status(teacher.get(api).content) == "CANCELLED"
