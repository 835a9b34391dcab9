"""Who may open the school portal and the planning pages; a school sees only its own bookings."""

import pytest
import time_machine
from django.test import Client

from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

PLANNING_URLS = ["/planning/", "/planning/board/", "/planning/inventory/", "/planning/reach/"]
SCHOOL_URLS = ["/school/", "/school/calendar/", "/school/book/", "/school/bookings/"]


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", PLANNING_URLS + SCHOOL_URLS)
def test_anonymous_is_sent_to_login(world, url):
    response = client_of().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PLANNING_URLS)
def test_school_users_cannot_open_planning(world, url):
    assert client_of(world.teacher).get(url).status_code == 403


@pytest.mark.parametrize("url", PLANNING_URLS)
def test_crew_cannot_open_planning(world, url):
    assert client_of(world.crew).get(url).status_code == 403


@pytest.mark.parametrize("url", PLANNING_URLS)
def test_coordinators_open_planning(world, url):
    assert client_of(world.coordinator).get(url).status_code == 200


@pytest.mark.parametrize("url", SCHOOL_URLS)
@pytest.mark.parametrize("who", ["crew", "coordinator"])
def test_staff_do_not_use_the_school_portal(world, url, who):
    assert client_of(getattr(world, who)).get(url).status_code == 403


def test_a_school_user_without_a_school_gets_403(world):
    from tests.factories import make_user

    orphan = make_user("zonder-school", "school")
    assert client_of(orphan).get("/school/").status_code == 403


def test_planning_actions_are_coordinator_only(world):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY)
    for user in (world.teacher, world.crew):
        client = client_of(user)
        assert client.post(f"/planning/bookings/{booking.id}/confirm/").status_code == 403
        assert (
            client.post(f"/planning/bookings/{booking.id}/decline/", {"reason": "x"}).status_code
            == 403
        )
    booking.refresh_from_db()
    assert booking.status == "requested"


@time_machine.travel(NOW, tick=False)
def test_a_school_sees_only_its_own_bookings(world):
    mine = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY)
    BookingSessionFactory(booking=mine, workshop=world.robot_workshop, group_label="groep 5a")
    theirs = BookingFactory(school=world.other_school, wagon=world.wagon, date=OPEN_DAY)
    BookingSessionFactory(booking=theirs, workshop=world.vr_workshop, group_label="klas 2b")

    page = client_of(world.teacher).get("/school/bookings/").content.decode()
    assert mine.reference in page and "groep 5a" in page
    assert theirs.reference not in page and "klas 2b" not in page

    home = client_of(world.teacher).get("/school/").content.decode()
    assert theirs.reference not in home


@time_machine.travel(NOW, tick=False)
def test_another_schools_booking_is_404_for_cancel_and_ics(world):
    theirs = BookingFactory(school=world.other_school, wagon=world.wagon, date=OPEN_DAY)
    client = client_of(world.teacher)
    assert client.post(f"/school/bookings/{theirs.id}/cancel/").status_code == 404
    assert client.get(f"/school/bookings/{theirs.id}/calendar.ics").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "requested"


def test_get_on_post_only_actions_is_405(world):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY)
    assert client_of(world.teacher).get(f"/school/bookings/{booking.id}/cancel/").status_code == 405
    coordinator = client_of(world.coordinator)
    assert coordinator.get(f"/planning/bookings/{booking.id}/confirm/").status_code == 405


def test_language_switch_is_on_every_page_and_switches_to_english(world):
    client = client_of(world.teacher)
    page = client.get("/school/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/school/"})
    assert response.status_code == 302
    page = client.get("/school/").content.decode()
    assert '<html lang="en">' in page
    assert "Nederlands</button>" in page


@pytest.mark.parametrize(
    "who,links,absent",
    [
        ("teacher", ["/school/", "/school/bookings/"], ["/planning/board/", "/planning/reach/"]),
        ("coordinator", ["/planning/", "/planning/board/", "/planning/reach/"], ["/school/"]),
        ("crew", ["/crew/"], ["/planning/board/", "/school/bookings/"]),
    ],
)
def test_landing_leads_each_role_to_its_pages(world, who, links, absent):
    html = client_of(getattr(world, who)).get("/").content.decode()
    for link in links:
        assert f'href="{link}"' in html
    for link in absent:
        assert f'href="{link}"' not in html
