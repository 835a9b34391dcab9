"""Who was there, on a page (issue 18): the crew's visit page and the school portal link to a small
Dutch form per visit; crew and coordinators of the programme and the school for its own visit fill
it in; another programme or school gets a 404; it works on a phone."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    make_user,
)
from tests.pages import test_phone_and_axe as page_sweep
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

chromium = page_sweep.chromium
frozen_day = page_sweep.frozen_day


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def _visit(world, status="completed"):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY, status=status)
    session = BookingSessionFactory(
        booking=booking,
        workshop=world.robot_workshop,
        pupils=24,
        group_label="groep 7b",
        start_time=dt.time(9, 0),
    )
    return booking, session


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _crew_url(booking) -> str:
    return f"/crew/visits/{booking.pk}/attendance/"


def _school_url(booking) -> str:
    return f"/school/bookings/{booking.pk}/attendance/"


def test_the_crew_visit_page_links_to_the_form(world):
    booking, _session = _visit(world, status="on_site")
    page = _client(world.crew).get(f"/crew/visits/{booking.pk}/").content.decode()
    assert f'href="{_crew_url(booking)}"' in page


def test_the_school_bookings_page_links_to_the_form_of_a_confirmed_visit(world):
    booking, _session = _visit(world)
    requested, _other = _visit(world, status="requested")
    page = _client(world.teacher).get("/school/bookings/").content.decode()
    assert f'href="{_school_url(booking)}"' in page
    assert _school_url(requested) not in page


@pytest.mark.parametrize("who", ["crew", "coordinator"])
def test_crew_and_coordinator_record_who_was_there(world, who):
    booking, session = _visit(world)
    client = _client(getattr(world, who))
    page = client.get(_crew_url(booking))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wie waren er?" in text and "groep 7b" in text and "Meisjes" in text
    prefix = f"s{session.pk}"
    response = client.post(
        _crew_url(booking),
        {
            f"{prefix}-girls": "11",
            f"{prefix}-boys": "12",
            f"{prefix}-teachers": "2",
            f"{prefix}-pupils": "25",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.girls, session.boys, session.teachers, session.pupils) == (11, 12, 2, 25)
    assert session.history.first().history_user == getattr(world, who)
    assert "De aanwezigen zijn opgeslagen." in client.get(response["Location"]).content.decode()


def test_the_school_fills_in_its_own_visit_ahead(world):
    booking, session = _visit(world, status="confirmed")
    client = _client(world.teacher)
    page = client.get(_school_url(booking)).content.decode()
    assert "Leerlingen totaal" not in page  # the group size changes through the request
    prefix = f"s{session.pk}"
    response = client.post(
        _school_url(booking), {f"{prefix}-girls": "10", f"{prefix}-teachers": "1"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.girls, session.boys, session.teachers, session.pupils) == (10, None, 1, 24)


def test_parts_over_the_pupils_are_shown_next_to_the_group_and_nothing_written(world):
    booking, session = _visit(world)
    client = _client(world.teacher)
    prefix = f"s{session.pk}"
    response = client.post(
        _school_url(booking),
        {f"{prefix}-girls": "20", f"{prefix}-boys": "10", f"{prefix}-pupils": "24"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "20 meisjes en 10 jongens is meer dan de 24 leerlingen" in text
    assert "girls:" not in text and "Sessie 1" not in text  # no code names on a page
    session.refresh_from_db()
    assert (session.girls, session.boys) == (None, None)


@pytest.mark.parametrize("value", ["-1", "drie", "100000"])
def test_bad_numbers_are_a_400_and_write_nothing(world, value):
    booking, session = _visit(world)
    response = _client(world.crew).post(
        _crew_url(booking), {f"s{session.pk}-girls": value, f"s{session.pk}-pupils": "24"}
    )
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.girls is None


def test_another_school_gets_a_404(world):
    booking, session = _visit(world)
    client = _client(world.other_teacher)
    assert client.get(_school_url(booking)).status_code == 404
    response = client.post(_school_url(booking), {f"s{session.pk}-girls": "1"})
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.girls is None


def test_crew_of_another_programme_gets_a_404(world):
    booking, session = _visit(world)
    other = ProgrammeFactory(name="Deventer-Twello")
    client = _client(make_user("crew_b", "crew", programmes=[other]))
    response = client.get(_crew_url(booking))
    assert response.status_code == 404
    assert "groep 7b" not in response.content.decode()
    client.post(_crew_url(booking), {f"s{session.pk}-girls": "1"})
    session.refresh_from_db()
    assert session.girls is None


def test_our_crew_gets_a_404_on_another_programmes_visit(world):
    other = ProgrammeFactory(name="Deventer-Twello")
    depot = DepotFactory(programme=other)
    booking = BookingFactory(
        school=SchoolFactory(depot=depot, programme=other),
        wagon=WagonFactory(depot=depot),
        status=Booking.Status.COMPLETED,
    )
    BookingSessionFactory(booking=booking, workshop=WorkshopFactory(programme=other))
    assert _client(world.crew).get(_crew_url(booking)).status_code == 404


def test_other_roles_are_refused(world):
    booking, _session = _visit(world)
    assert _client(world.teacher).get(_crew_url(booking)).status_code == 403
    assert _client(world.crew).get(_school_url(booking)).status_code == 403
    anonymous = Client().get(_crew_url(booking))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_a_request_is_not_open_for_it(world):
    booking, session = _visit(world, status="requested")
    client = _client(world.teacher)
    page = client.get(_school_url(booking)).content.decode()
    assert "zodra het bezoek bevestigd is" in page
    response = client.post(_school_url(booking), {f"s{session.pk}-girls": "1"})
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.girls is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_work_on_a_phone(chromium, live_server, frozen_day):
    world = build_world()
    booking, _session = _visit(world)
    BookingSessionFactory(
        booking=booking,
        workshop=world.robot_workshop,
        pupils=18,
        group_label="groep 8a met een heel lange naam voor de telefoon",
        start_time=dt.time(10, 45),
    )
    problems = page_sweep.sweep(
        chromium, live_server, world.teacher.username, [_school_url(booking)]
    )
    problems += page_sweep.sweep(chromium, live_server, world.crew.username, [_crew_url(booking)])
    assert not problems, "\n".join(problems)
