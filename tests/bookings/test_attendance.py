"""Who was there (issue 18): girls, boys and teachers per session — optional at request, filled in
by crew, coordinator or the school after (or just before) the visit; girls + boys ≤ pupils."""

import pytest
from rest_framework.test import APIClient

from bookings import services
from bookings.models import Booking, BookingSession
from tests.bookings.conftest import booking_payload, make_booking, session_data
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

pytestmark = pytest.mark.django_db
URL = "/api/v1/bookings/"


def _url(booking) -> str:
    return f"{URL}{booking.pk}/attendance/"


@pytest.fixture
def visit(school, workshop, coordinator, wagon, robot):
    """A confirmed visit with one session of 20 pupils, then on site."""
    booking = make_booking(school, workshop, coordinator, confirm=True, wagon=wagon)
    return services.booking_arrive(booking=booking, acting_user=coordinator)


def _session(booking) -> BookingSession:
    return booking.sessions.get()


# --- parts of pupils at request time --------------------------------------------------------


def test_a_request_may_carry_girls_boys_and_teachers(school_client, workshop, wagon, robot):
    session = {**session_data(workshop, pupils=20), "girls": 9, "boys": 8, "teachers": 2}
    response = school_client.post(URL, booking_payload(workshop, sessions=[session]), format="json")
    assert response.status_code == 201, response.content
    [row] = response.json()["sessions"]
    assert (row["girls"], row["boys"], row["pupils_unspecified"], row["teachers"]) == (9, 8, 3, 2)
    assert row["id"] == BookingSession.objects.get().pk


def test_the_parts_are_optional_and_all_pupils_unspecified_then(school_client, workshop, wagon):
    response = school_client.post(URL, booking_payload(workshop), format="json")
    assert response.status_code == 201, response.content
    [row] = response.json()["sessions"]
    assert (row["girls"], row["boys"], row["teachers"], row["pupils_unspecified"]) == (
        None,
        None,
        None,
        20,
    )


def test_zero_girls_and_all_boys_is_allowed(school_client, workshop, wagon):
    session = {**session_data(workshop, pupils=20), "girls": 0, "boys": 20, "teachers": 0}
    response = school_client.post(URL, booking_payload(workshop, sessions=[session]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["sessions"][0]["pupils_unspecified"] == 0


def test_parts_exceeding_the_pupils_are_refused_naming_the_numbers(school_client, workshop, wagon):
    session = {**session_data(workshop, pupils=20), "girls": 12, "boys": 10}
    response = school_client.post(URL, booking_payload(workshop, sessions=[session]), format="json")
    assert response.status_code == 400
    [message] = response.json()["sessions"]
    assert "girls" in message and "12" in message and "10" in message and "20" in message
    assert not Booking.objects.exists()


@pytest.mark.parametrize("field", ["girls", "boys", "teachers"])
def test_a_negative_count_is_refused(school_client, workshop, wagon, field):
    session = {**session_data(workshop), field: -1}
    response = school_client.post(URL, booking_payload(workshop, sessions=[session]), format="json")
    assert response.status_code == 400
    assert field in str(response.json()["sessions"])
    assert not Booking.objects.exists()


def test_the_service_refuses_negative_parts_itself(school, workshop, coordinator, wagon):
    """The rule lives in validate_sessions, not only in the serializer's bounds."""
    from django.core.exceptions import ValidationError

    from tests.bookings.conftest import service_sessions

    [session] = service_sessions(workshop)
    for bad in ({"girls": -2}, {"girls": 15, "boys": 6}, {"teachers": 51}):
        with pytest.raises(ValidationError):
            services.validate_sessions(school=school, sessions=[{**session, **bad}])


def test_changing_sessions_keeps_the_same_rule(school_client, school, workshop, coordinator, wagon):
    booking = make_booking(school, workshop, coordinator)
    too_many = {**session_data(workshop, pupils=10), "girls": 6, "boys": 5}
    response = school_client.put(
        f"{URL}{booking.pk}/sessions/", {"sessions": [too_many]}, format="json"
    )
    assert response.status_code == 400
    assert "girls" in str(response.json())
    assert _session(booking).pupils == 20


# --- the attendance action --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "crew", "school"])
def test_staff_and_the_own_school_record_who_was_there(client_for, visit, who):
    session = _session(visit)
    response = client_for[who].put(
        _url(visit),
        {"sessions": [{"id": session.pk, "girls": 11, "boys": 7, "teachers": 2}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    [row] = response.json()["sessions"]
    assert (row["girls"], row["boys"], row["pupils_unspecified"], row["teachers"]) == (
        11,
        7,
        2,
        2,
    )
    session.refresh_from_db()
    assert (session.girls, session.boys, session.teachers) == (11, 7, 2)
    last = session.history.first()
    assert last.history_user is not None and last.history_change_reason == "aanwezigen ingevuld"


def test_history_names_who_recorded_it(crew_client, crew_user, visit):
    session = _session(visit)
    crew_client.put(_url(visit), {"sessions": [{"id": session.pk, "girls": 3}]}, format="json")
    assert session.history.first().history_user == crew_user


def test_pupils_may_be_corrected_after_the_visit(coordinator_client, visit):
    session = _session(visit)
    response = coordinator_client.put(
        _url(visit),
        {"sessions": [{"id": session.pk, "pupils": 23, "girls": 12, "boys": 11}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert (session.pupils, session.girls, session.boys) == (23, 12, 11)


def test_pupils_are_not_changed_here_before_the_visit(
    school_client, school, workshop, coordinator, wagon, robot
):
    booking = make_booking(school, workshop, coordinator, confirm=True, wagon=wagon)
    session = _session(booking)
    ahead = {"id": session.pk, "girls": 10, "boys": 10, "teachers": 1}
    response = school_client.put(_url(booking), {"sessions": [ahead]}, format="json")
    assert response.status_code == 200, response.content
    response = school_client.put(
        _url(booking), {"sessions": [{"id": session.pk, "pupils": 30}]}, format="json"
    )
    assert response.status_code == 400
    assert "pupils" in str(response.json())
    assert _session(booking).pupils == 20


def test_parts_over_the_recorded_pupils_are_refused_and_nothing_written(coordinator_client, visit):
    session = _session(visit)
    response = coordinator_client.put(
        _url(visit), {"sessions": [{"id": session.pk, "girls": 15, "boys": 6}]}, format="json"
    )
    assert response.status_code == 400
    message = str(response.json()["sessions"])
    assert "15" in message and "6" in message and "20" in message
    session.refresh_from_db()
    assert (session.girls, session.boys) == (None, None)


def test_lowering_pupils_below_the_parts_is_refused(coordinator_client, visit):
    session = _session(visit)
    coordinator_client.put(
        _url(visit), {"sessions": [{"id": session.pk, "girls": 10, "boys": 10}]}, format="json"
    )
    response = coordinator_client.put(
        _url(visit), {"sessions": [{"id": session.pk, "pupils": 15}]}, format="json"
    )
    assert response.status_code == 400
    assert _session(visit).pupils == 20


def test_one_bad_session_writes_none(coordinator_client, school, workshop, visit):
    second = BookingSessionFactory(booking=visit, workshop=workshop, pupils=10)
    first = visit.sessions.exclude(pk=second.pk).get()
    response = coordinator_client.put(
        _url(visit),
        {
            "sessions": [
                {"id": first.pk, "girls": 5, "boys": 5},
                {"id": second.pk, "girls": 9, "boys": 9},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Sessie 2" in str(response.json())
    first.refresh_from_db()
    assert first.girls is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"sessions": []},
        {"sessions": "veel"},
        {"sessions": [{"girls": 3}]},
        {"sessions": [{"id": "x", "girls": 3}]},
        {"sessions": [{"id": 1, "girls": -1}]},
        {"sessions": [{"id": 1, "girls": 10**9}]},
        {"sessions": [{"id": 1, "teachers": 51}]},
        {"sessions": [{"id": 1, "pupils": 0}]},
        {"sessions": [{"id": 2**40}]},
    ],
)
def test_bad_input_is_a_400(coordinator_client, visit, body):
    response = coordinator_client.put(_url(visit), body, format="json")
    assert response.status_code == 400, response.content


def test_a_session_of_another_visit_is_a_400(coordinator_client, visit, workshop):
    stranger = BookingSessionFactory(
        booking=BookingFactory(reference="TW-2027-9999", school=visit.school), workshop=workshop
    )
    response = coordinator_client.put(
        _url(visit), {"sessions": [{"id": stranger.pk, "girls": 1}]}, format="json"
    )
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.girls is None


def test_the_same_session_twice_is_a_400(coordinator_client, visit):
    session = _session(visit)
    rows = [{"id": session.pk, "girls": 1}, {"id": session.pk, "girls": 2}]
    response = coordinator_client.put(_url(visit), {"sessions": rows}, format="json")
    assert response.status_code == 400


def test_a_request_not_yet_confirmed_is_a_409(
    coordinator_client, school, workshop, coordinator, wagon
):
    booking = make_booking(school, workshop, coordinator)
    session = _session(booking)
    response = coordinator_client.put(
        _url(booking), {"sessions": [{"id": session.pk, "girls": 1}]}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_another_school_gets_a_404(other_school_client, visit):
    session = _session(visit)
    response = other_school_client.put(
        _url(visit), {"sessions": [{"id": session.pk, "girls": 1}]}, format="json"
    )
    assert response.status_code == 404
    assert _session(visit).girls is None


def test_crew_of_another_programme_gets_a_404(visit):
    other = ProgrammeFactory(name="Deventer-Twello")
    client = APIClient()
    client.force_authenticate(make_user("crew_b", "crew", programmes=[other]))
    session = _session(visit)
    response = client.put(
        _url(visit), {"sessions": [{"id": session.pk, "girls": 1}]}, format="json"
    )
    assert response.status_code == 404
    assert "Melanchthon" not in response.content.decode()


def test_crew_of_another_programme_cannot_reach_its_own_visit_through_ours(visit):
    """And the other way round: our coordinator gets a 404 on the other programme's visit."""
    other = ProgrammeFactory(name="Deventer-Twello")
    depot = DepotFactory(programme=other)
    booking = BookingFactory(
        school=SchoolFactory(depot=depot, programme=other),
        wagon=WagonFactory(depot=depot),
        status=Booking.Status.COMPLETED,
    )
    session = BookingSessionFactory(
        booking=booking, workshop=WorkshopFactory(programme=other, name="Elders")
    )
    client = APIClient()
    client.force_authenticate(make_user("coord_a", "coordinator"))
    response = client.put(
        _url(booking), {"sessions": [{"id": session.pk, "girls": 1}]}, format="json"
    )
    assert response.status_code == 404


def test_funder_and_anonymous_are_refused(visit):
    session = _session(visit)
    body = {"sessions": [{"id": session.pk, "girls": 1}]}
    assert APIClient().put(_url(visit), body, format="json").status_code == 401
    funder = APIClient()
    funder.force_authenticate(make_user("funder_x", "funder"))
    assert funder.put(_url(visit), body, format="json").status_code == 403
    assert _session(visit).girls is None


# --- the list carries the parts, same as the serializer, in constant queries ------------------


def _visits_with_parts(n: int, wagon, workshop) -> None:
    for i in range(n):
        booking = BookingFactory(
            school=SchoolFactory(depot=wagon.depot), wagon=wagon, status=Booking.Status.COMPLETED
        )
        BookingSessionFactory(
            booking=booking,
            workshop=workshop,
            pupils=20,
            girls=None if i % 3 == 0 else i % 10,
            boys=None if i % 4 == 0 else 5,
            teachers=None if i % 2 else 2,
            school_type="vmbo-kb" if i % 5 == 0 else "po",
            profile="BWI" if i % 5 == 0 else "",
        )


def test_list_rows_with_parts_equal_the_serializer(coordinator_client, wagon, workshop):
    import json

    from bookings.selectors import bookings_with_details
    from bookings.serializers import BookingSerializer

    _visits_with_parts(12, wagon, workshop)
    listed = coordinator_client.get(URL, {"limit": 100}).json()["results"]
    expected = BookingSerializer(bookings_with_details().order_by("date", "id"), many=True).data
    assert listed == json.loads(json.dumps(expected, default=str))
    sessions = [s for row in listed for s in row["sessions"]]
    assert {s["pupils_unspecified"] for s in sessions} >= {20, 15, 13}
    assert {s["profile"] for s in sessions} == {"BWI", ""}


def test_the_list_query_count_does_not_grow_with_rows(coordinator_client, wagon, workshop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            response = coordinator_client.get(URL, {"limit": 100})
        assert response.status_code == 200
        return len(context.captured_queries), response.json()["count"]

    coordinator_client.get(URL)  # warm per-process caches
    _visits_with_parts(5, wagon, workshop)
    with_5 = count()
    _visits_with_parts(45, wagon, workshop)
    with_50 = count()
    assert (with_5[1], with_50[1]) == (5, 50)
    assert with_5[0] == with_50[0]
