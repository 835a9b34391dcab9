"""The waiting list in the pages: the school joins, sees its offer and accepts or declines it;
coordinators see every waiting school per date; other roles and strangers are kept out."""

import pytest
from django.test import Client

from bookings import services
from bookings.models import WaitingEntry
from tests.bookings.conftest import VISIT_DAY
from tests.factories import make_user
from tests.lifecycle.conftest import book

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def full_day(school, workshop, wagon, coordinator):
    wagon.max_visits_per_day = 1
    wagon.save()
    return book(school, workshop, coordinator, date=VISIT_DAY, confirm=True)


@pytest.fixture
def waiter(full_day, other_school):
    other_school.depot = full_day.school.depot
    other_school.save()
    return make_user("wachter", "school", school=other_school)


def form(workshop, **extra):
    return {
        "date": VISIT_DAY.isoformat(),
        "alternative_1": "",
        "alternative_2": "",
        "workshop": workshop.pk,
        "group_label": "groep 8",
        "school_type": "po",
        "year": 8,
        "pupils": 20,
        "start_time": "09:00",
        **extra,
    }


def test_a_school_joins_gets_an_offer_and_accepts_it(
    waiter, workshop, full_day, coordinator, django_capture_on_commit_callbacks
):
    page = client_of(waiter)
    response = page.post("/school/waiting-list/", form(workshop))
    assert response.status_code == 302
    listing = page.get("/school/waiting-list/").content.decode()
    assert "groep 8 (20)" in listing and "Wacht" in listing
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    entry = WaitingEntry.objects.get()
    listing = page.get("/school/waiting-list/").content.decode()
    assert "vastgehouden tot" in listing and "Aannemen" in listing
    response = page.post(f"/school/waiting-list/{entry.pk}/accept/", follow=True)
    assert "staat klaar voor de coördinator" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "accepted" and entry.booking.status == "requested"


def test_the_join_form_shows_errors_at_the_field(waiter, workshop):
    page = client_of(waiter)
    response = page.post("/school/waiting-list/", form(workshop, date="2027-03-13", pupils="x"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vul een geheel getal in." in html or "geheel getal" in html
    response = page.post("/school/waiting-list/", form(workshop, date="2027-03-13"))
    assert response.status_code == 400
    assert "zaterdag" in response.content.decode() or "weekend" in response.content.decode()
    assert not WaitingEntry.objects.exists()


def test_a_stranger_cannot_answer_anothers_offer(waiter, workshop, school_user):
    client_of(waiter).post("/school/waiting-list/", form(workshop))
    entry = WaitingEntry.objects.get()
    stranger = client_of(school_user)
    assert stranger.post(f"/school/waiting-list/{entry.pk}/accept/").status_code == 404
    assert stranger.post(f"/school/waiting-list/{entry.pk}/decline/").status_code == 404
    assert "groep 8" not in stranger.get("/school/waiting-list/").content.decode()
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_coordinators_see_the_waiting_list_per_date(waiter, workshop, coordinator, crew_user):
    client_of(waiter).post("/school/waiting-list/", form(workshop, alternative_1="2027-03-10"))
    html = client_of(coordinator).get("/planning/waiting-list/").content.decode()
    assert 'data-date="2027-03-09"' in html and 'data-date="2027-03-10"' in html
    assert html.count("Vak College Hillegersberg") == 2
    assert client_of(crew_user).get("/planning/waiting-list/").status_code == 403
    assert client_of(crew_user).get("/school/waiting-list/").status_code == 403
    assert client_of(waiter).get("/planning/waiting-list/").status_code == 403
    assert Client().get("/school/waiting-list/").status_code == 302


def test_the_planning_list_query_count_does_not_grow(
    coordinator, other_school, django_assert_max_num_queries
):
    page = client_of(coordinator)

    def add(n):
        for _ in range(n):
            WaitingEntry.objects.create(
                school=other_school, dates=["2027-03-09"], contact_name="x", contact_email="x@x.nl"
            )

    add(2)
    with django_assert_max_num_queries(19) as small:
        page.get("/planning/waiting-list/")
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page.get("/planning/waiting-list/")
