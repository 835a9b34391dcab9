"""Crew pages on the server side: who may open them, what the day sheet shows, the service worker."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
)

TODAY = dt.date(2027, 3, 8)  # a Monday in the school year
NOW = dt.datetime(2027, 3, 8, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _visit(status=Booking.Status.CONFIRMED, day=TODAY, **kwargs):
    booking = BookingFactory(status=status, date=day, **kwargs)
    workshop = WorkshopFactory(duration_minutes=90)
    BookingSessionFactory(booking=booking, workshop=workshop, start_time=dt.time(9, 0))
    BookingSessionFactory(
        booking=booking, workshop=workshop, start_time=dt.time(10, 45), group_label="groep 8"
    )
    return booking


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/crew/", "/crew/visits/{id}/"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(url, frozen):
    booking = _visit()
    response = _client().get(url.format(id=booking.id))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/crew/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/crew/", "/crew/visits/{id}/"])
def test_a_school_user_may_not_open_crew_pages(url, school_user, frozen):
    booking = _visit(school=school_user.school_membership.school)
    response = _client(school_user).get(url.format(id=booking.id))
    assert response.status_code == 403
    assert b"Melanchthon" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["crew_user", "coordinator"])
def test_crew_and_coordinators_open_the_day_sheet_and_visit(who, request, frozen):
    user = request.getfixturevalue(who)
    booking = _visit()
    assert _client(user).get("/crew/").status_code == 200
    assert _client(user).get(f"/crew/visits/{booking.id}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["requested", "declined", "cancelled"])
def test_a_visit_that_is_not_confirmed_is_not_shown_to_the_crew(status, crew_user, frozen):
    booking = _visit(status=status)
    client = _client(crew_user)
    assert client.get(f"/crew/visits/{booking.id}/").status_code == 404
    assert booking.reference not in client.get("/crew/").content.decode()


@pytest.mark.django_db
def test_an_unknown_visit_is_404(crew_user, frozen):
    assert _client(crew_user).get("/crew/visits/999999/").status_code == 404


@pytest.mark.django_db
def test_the_day_sheet_shows_times_from_the_sessions_contact_and_site_notes(crew_user, frozen):
    school = SchoolFactory(
        name="Vak College Hillegersberg",
        address="Melanchthonweg 1",
        lat="51.960000",
        lon="4.500000",
        site_notes="Parkeren bij de fietsenstalling.",
    )
    wagon = WagonFactory(name="Techniekwagen Noord", setup_minutes=45, teardown_minutes=30)
    booking = _visit(
        school=school,
        wagon=wagon,
        contact_name="Mevr. Jansen",
        contact_phone="06-12345678",
        site_notes="Lokaal 12",
    )
    html = _client(crew_user).get("/crew/").content.decode()
    assert "Vak College Hillegersberg" in html
    assert "Techniekwagen Noord" in html
    # setup 45 min before 09:00; last session 10:45 + 90 min = 12:15; teardown 30 min.
    assert "08:15" in html and "09:00–12:15" in html and "12:45" in html
    assert "volgens sessies" in html
    assert 'href="tel:0612345678"' in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=51.960000,4.500000" in html
    assert 'href="geo:51.960000,4.500000' in html
    assert "Parkeren bij de fietsenstalling." in html and "Lokaal 12" in html
    assert "Vandaag" in html
    assert f'href="/crew/visits/{booking.id}/"' in html


@pytest.mark.django_db
def test_the_day_sheet_covers_today_and_the_next_days_only(crew_user, frozen):
    yesterday = _visit(day=TODAY - dt.timedelta(days=1))
    later = _visit(day=TODAY + dt.timedelta(days=6), status=Booking.Status.PACKED)
    too_far = _visit(day=TODAY + dt.timedelta(days=7))
    html = _client(crew_user).get("/crew/").content.decode()
    assert later.reference in html
    assert yesterday.reference not in html and too_far.reference not in html
    html_today = _client(crew_user).get("/crew/?days=1").content.decode()
    assert "Geen bezoeken gepland" in html_today
    # An empty window points at the next visit days instead of a dead end.
    upcoming = html_today.split("Eerstvolgende bezoeken", 1)[1]
    assert later.reference in upcoming
    # A bad `days` falls back to the default, never a 500.
    assert _client(crew_user).get("/crew/?days=abc").status_code == 200
    assert _client(crew_user).get("/crew/?days=-5").status_code == 200
    assert _client(crew_user).get("/crew/?days=99999999999999999999").status_code == 200


@pytest.mark.django_db
def test_the_day_sheet_prefers_the_route_stop_times(crew_user, frozen):
    from routes.models import Route, RouteStop

    wagon = WagonFactory(setup_minutes=45)
    booking = _visit(wagon=wagon)
    route = Route.objects.create(wagon=wagon, date=TODAY)
    RouteStop.objects.create(route=route, booking=booking, position=1)
    html = _client(crew_user).get("/crew/").content.decode()
    assert "volgens rit" in html
    assert "08:15" in html  # arrival: setup before the first session, as the route computes it


@pytest.mark.django_db
def test_the_day_sheet_query_count_does_not_grow_with_visits(
    crew_user, frozen, django_assert_max_num_queries
):
    client = _client(crew_user)
    for _ in range(2):
        _visit()
    client.get("/crew/")  # warm the session and content types
    with django_assert_max_num_queries(9) as few:
        client.get("/crew/")
    for offset in range(12):
        _visit(day=TODAY + dt.timedelta(days=offset % 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/crew/")
    assert response.content.decode().count('class="visit-card"') == 14


@pytest.mark.django_db
def test_the_visit_page_hands_the_api_urls_to_the_script(crew_user, frozen):
    booking = _visit()
    response = _client(crew_user).get(f"/crew/visits/{booking.id}/")
    html = response.content.decode()
    assert f"/api/v1/bookings/{booking.id}/packing-list/check/" in html
    assert f"/api/v1/bookings/{booking.id}/packing-list.pdf" in html
    assert "crew/visit.js" in html and "crew/queue.js" in html
    assert "csrftoken" in response.cookies  # the script posts with session auth + CSRF


@pytest.mark.django_db
def test_the_service_worker_is_served_for_the_crew_scope(crew_user):
    response = _client().get("/crew/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/crew/"
    assert b'addEventListener("fetch"' in response.content


@pytest.mark.django_db
def test_a_quiet_week_shows_the_next_visits(crew_user, frozen):
    far = _visit(day=TODAY + dt.timedelta(days=20))
    html = _client(crew_user).get("/crew/").content.decode()
    assert "Geen bezoeken gepland" in html
    assert far.reference in html.split("Eerstvolgende bezoeken", 1)[1]


@pytest.mark.django_db
def test_an_empty_day_sheet_says_so(crew_user, frozen):
    html = _client(crew_user).get("/crew/").content.decode()
    assert "Geen bezoeken gepland" in html
    assert "Eerstvolgende bezoeken" not in html


@pytest.mark.django_db
def test_site_notes_shown_once_when_booking_repeats_the_school_notes(crew_user, frozen):
    notes = "Parkeren op het schoolplein; 230 V bij de gymzaal."
    school = SchoolFactory(site_notes=notes)
    _visit(school=school, site_notes=notes)
    other = _visit(
        school=SchoolFactory(site_notes=notes), site_notes="Lokaal 12, eerste verdieping."
    )
    body = _client(crew_user).get("/crew/").content.decode()
    assert body.count(notes) == 2  # once per visit, not twice for the first
    assert other.site_notes in body
