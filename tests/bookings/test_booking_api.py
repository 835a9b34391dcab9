"""Bookings through the API: create, the lifecycle, roles and ownership, bad input."""

import datetime as dt

import pytest

from bookings.models import Booking, BookingSession, KitReservation
from tests.bookings.conftest import VISIT_DAY, booking_payload, make_booking, session_data
from tests.factories import SchoolFactory, WagonFactory

URL = "/api/v1/bookings/"


@pytest.mark.django_db
def test_a_school_requests_a_visit_for_its_own_school(school_client, school, wagon, workshop):
    response = school_client.post(URL, booking_payload(workshop), format="json")
    assert response.status_code == 201, response.data
    data = response.json()
    assert data["school"] == school.pk
    assert data["status"] == "requested"
    assert data["wagon"] == wagon.pk  # picked: the free wagon of the school's depot
    assert data["reference"] == "TW-2027-0001"
    assert data["sessions"][0]["start_time"] == "09:00"
    assert data["kit_need"] == [{"kit_type": workshop.kit_rules.get().kit_type_id, "quantity": 10}]
    assert not KitReservation.objects.exists()  # a request holds nothing yet


@pytest.mark.django_db
def test_references_count_up_per_year(school_client, wagon, workshop):
    refs = [
        school_client.post(URL, booking_payload(workshop, date=day), format="json").json()[
            "reference"
        ]
        for day in (VISIT_DAY, VISIT_DAY + dt.timedelta(days=1))
    ]
    assert refs == ["TW-2027-0001", "TW-2027-0002"]


@pytest.mark.django_db
def test_a_school_cannot_book_for_another_school(school_client, other_school, wagon, workshop):
    payload = booking_payload(workshop, school=other_school.pk)
    response = school_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert "school" in response.json()
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_names_the_school(coordinator_client, school, wagon, workshop):
    response = coordinator_client.post(URL, booking_payload(workshop), format="json")
    assert response.status_code == 400
    assert "school" in response.json()
    response = coordinator_client.post(
        URL, booking_payload(workshop, school=school.pk), format="json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_crew_cannot_request(crew_client, school, wagon, workshop):
    response = crew_client.post(URL, booking_payload(workshop, school=school.pk), format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_request_that_cannot_be_served_is_409_with_reasons(school_client, wagon, workshop):
    payload = booking_payload(
        workshop, date=dt.date(2027, 3, 6), sessions=[session_data(workshop, pupils=32)]
    )
    response = school_client.post(URL, payload, format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "unavailable"
    assert sorted(r["code"] for r in data["reasons"]) == ["kit_shortage", "weekend"]
    shortage = next(r for r in data["reasons"] if r["code"] == "kit_shortage")
    assert (shortage["needed"], shortage["available"]) == (16, 10)
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_school_respects_the_lead_time_a_coordinator_may_not(
    school_client, coordinator_client, school, wagon, workshop
):
    soon = dt.date(2026, 11, 25)
    response = school_client.post(URL, booking_payload(workshop, date=soon), format="json")
    assert response.status_code == 409
    assert [r["code"] for r in response.json()["reasons"]] == ["lead_time"]
    response = coordinator_client.post(
        URL, booking_payload(workshop, date=soon, school=school.pk), format="json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,field",
    [
        ({"sessions": []}, "sessions"),
        (
            {
                "sessions": [
                    {
                        "workshop": 99999,
                        "group_label": "g",
                        "school_type": "po",
                        "year": 7,
                        "pupils": 3,
                        "start_time": "09:00",
                    }
                ]
            },
            "sessions",
        ),
        ({"date": "1900-01-01"}, "date"),
        ({"date": "9999-12-31"}, "date"),
        ({"date": "gisteren"}, "date"),
        (
            {"alternative_dates": ["2027-03-10", "2027-03-11", "2027-03-12", "2027-03-15"]},
            "alternative_dates",
        ),
        ({"alternative_dates": ["1900-01-01"]}, "alternative_dates"),
        ({"contact_email": "geen-adres"}, "contact_email"),
        ({"wagon": 99999}, "wagon"),
    ],
)
def test_bad_input_is_400_with_field_errors(school_client, wagon, workshop, change, field):
    payload = {**booking_payload(workshop), **change}
    response = school_client.post(URL, payload, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()
    assert not Booking.objects.exists()
    assert not BookingSession.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "session,message",
    [
        ({"pupils": 0}, "pupils"),
        ({"pupils": 10000}, "pupils"),
        ({"pupils": 40}, "hoogstens 32"),
        ({"start_time": "07:00"}, "buiten de schooldag"),
        ({"start_time": "15:00"}, "buiten de schooldag"),
        ({"school_type": "havo"}, "niet bedoeld"),
        ({"school_type": "vwo-x"}, "school_type"),
        ({"start_time": "25:00"}, "start_time"),
    ],
)
def test_bad_sessions_are_400(school_client, wagon, workshop, session, message):
    payload = booking_payload(workshop, sessions=[{**session_data(workshop), **session}])
    response = school_client.post(URL, payload, format="json")
    assert response.status_code == 400, response.data
    assert message in str(response.json()["sessions"])
    assert not Booking.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    ['{"date": ', "[]", '"x"', '{"sessions": "veel"}', '{"sessions": [1, 2]}'],
)
def test_malformed_json_is_400(school_client, wagon, workshop, body):
    response = school_client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_alternative_dates_are_kept(school_client, wagon, workshop):
    payload = booking_payload(workshop, alternative_dates=["2027-03-11", "2027-03-10"])
    data = school_client.post(URL, payload, format="json").json()
    assert data["alternative_dates"] == ["2027-03-10", "2027-03-11"]


# --- lifecycle -----------------------------------------------------------------------------------


@pytest.fixture
def requested(school, workshop, coordinator, wagon):
    return make_booking(school, workshop, coordinator, pupils=20)


def post(client, booking, action, body=None):
    return client.post(f"{URL}{booking.pk}/{action}/", body or {}, format="json")


@pytest.mark.django_db
def test_confirm_reserves_the_kit(coordinator_client, requested, robot):
    response = post(coordinator_client, requested, "confirm")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    reservation = KitReservation.objects.get(booking=requested)
    assert (reservation.kit_type_id, reservation.quantity, reservation.date) == (
        robot.pk,
        10,
        VISIT_DAY,
    )


@pytest.mark.django_db
def test_confirming_twice_is_an_invalid_transition(coordinator_client, requested):
    assert post(coordinator_client, requested, "confirm").status_code == 200
    response = post(coordinator_client, requested, "confirm")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert KitReservation.objects.count() == 1


@pytest.mark.django_db
def test_confirm_refuses_the_last_robots_twice(
    coordinator_client, school, workshop, coordinator, wagon
):
    # One visit a day per wagon: the second goes on another wagon, which needs robots of its
    # own (on one wagon at the same time it would be wagon_busy, later the same day it would
    # reuse the first visit's robots).
    wagon.max_visits_per_day = 1
    wagon.save()
    WagonFactory(depot=wagon.depot)
    first = make_booking(school, workshop, coordinator, pupils=20)
    second = make_booking(school, workshop, coordinator, pupils=20)
    assert post(coordinator_client, first, "confirm").status_code == 200
    response = post(coordinator_client, second, "confirm")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "unavailable"
    assert [(r["code"], r["needed"], r["available"]) for r in data["reasons"]] == [
        ("kit_shortage", 10, 0)
    ]
    second.refresh_from_db()
    assert second.status == "requested"


@pytest.mark.django_db
def test_crew_cannot_confirm_and_school_cannot_confirm(crew_client, school_client, requested):
    assert post(crew_client, requested, "confirm").status_code == 403
    assert post(school_client, requested, "confirm").status_code == 403


@pytest.mark.django_db
def test_decline_with_reason(coordinator_client, requested):
    response = post(coordinator_client, requested, "decline", {"reason": "Wagen in onderhoud"})
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["status_reason"] == "Wagen in onderhoud"
    assert post(coordinator_client, requested, "confirm").json()["code"] == "invalid_transition"


@pytest.mark.django_db
def test_cancel_releases_the_kit(coordinator_client, requested):
    post(coordinator_client, requested, "confirm")
    response = post(coordinator_client, requested, "cancel", {"reason": "Toetsweek"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert not KitReservation.objects.exists()


@pytest.mark.django_db
def test_a_school_cancels_its_own_until_the_lead_time(
    school_client, school, workshop, coordinator, wagon
):
    booking = make_booking(school, workshop, coordinator, date=dt.date(2026, 12, 1))
    assert post(school_client, booking, "cancel").status_code == 200
    late = make_booking(school, workshop, coordinator, date=dt.date(2026, 11, 30))
    response = post(school_client, late, "cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "too_late"


@pytest.mark.django_db
def test_another_school_cannot_see_cancel_or_guess(other_school_client, requested):
    assert other_school_client.get(f"{URL}{requested.pk}/").status_code == 404
    assert post(other_school_client, requested, "cancel").status_code == 404
    assert other_school_client.get(f"{URL}{requested.pk}/history/").status_code == 404
    assert other_school_client.get(f"{URL}{requested.pk}/calendar.ics").status_code == 404
    assert other_school_client.get(f"{URL}99999/").status_code == 404
    assert other_school_client.get(URL).json()["count"] == 0


@pytest.mark.django_db
def test_crew_sees_confirmed_and_later_only(crew_client, coordinator_client, requested):
    assert crew_client.get(f"{URL}{requested.pk}/").status_code == 404
    post(coordinator_client, requested, "confirm")
    assert crew_client.get(f"{URL}{requested.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_whole_lifecycle(coordinator_client, crew_client, requested, coordinator):
    from bookings import services

    assert post(coordinator_client, requested, "confirm").status_code == 200
    assert post(coordinator_client, requested, "complete").json()["code"] == "invalid_transition"
    services.booking_set_status(booking=requested, status="packed", acting_user=coordinator)
    assert post(crew_client, requested, "arrive").json()["status"] == "on_site"
    assert post(crew_client, requested, "complete").status_code == 403
    assert post(coordinator_client, requested, "cancel").json()["code"] == "invalid_transition"
    services.booking_set_status(booking=requested, status="returned", acting_user=coordinator)
    assert post(coordinator_client, requested, "complete").json()["status"] == "completed"
    history = coordinator_client.get(f"{URL}{requested.pk}/history/").json()
    statuses = [c["new"] for entry in history for c in entry["changes"] if c["field"] == "status"]
    assert statuses[:5] == ["completed", "returned", "on_site", "packed", "confirmed"]
    assert history[0]["history_user"] == coordinator.username


@pytest.mark.django_db
def test_set_status_refuses_unknown_jumps(requested, coordinator):
    from bookings import services
    from bookings.exceptions import BookingError

    with pytest.raises(BookingError) as err:
        services.booking_set_status(booking=requested, status="returned", acting_user=coordinator)
    assert err.value.code == "invalid_transition"


@pytest.mark.django_db
def test_filters(coordinator_client, school, other_school, workshop, coordinator, wagon, requested):
    other = make_booking(school, workshop, coordinator, date=VISIT_DAY + dt.timedelta(days=1))
    post(coordinator_client, other, "confirm")
    ids = lambda q: [b["id"] for b in coordinator_client.get(URL, q).json()["results"]]  # noqa: E731
    assert ids({"status": "confirmed"}) == [other.pk]
    assert ids({"date_from": "2027-03-10"}) == [other.pk]
    assert ids({"date_to": "2027-03-09"}) == [requested.pk]
    assert ids({"school": other_school.pk}) == []
    assert ids({"wagon": wagon.pk}) == [requested.pk, other.pk]
    assert coordinator_client.get(URL, {"status": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_list_query_count_does_not_grow(
    coordinator_client,
    school_client,
    school,
    workshop,
    coordinator,
    wagon,
    django_assert_max_num_queries,
):
    make_booking(school, workshop, coordinator, pupils=2)
    with django_assert_max_num_queries(9) as few:
        coordinator_client.get(URL)
    for offset in range(1, 15):
        day = VISIT_DAY + dt.timedelta(days=offset)
        if day.weekday() < 5:
            make_booking(school, workshop, coordinator, pupils=2, date=day, confirm=True)
    with django_assert_max_num_queries(10) as many:
        data = coordinator_client.get(URL).json()
    assert data["count"] == 11
    assert len(many.captured_queries) <= len(few.captured_queries)
    with django_assert_max_num_queries(10):
        assert school_client.get(URL).json()["count"] == 11


@pytest.mark.django_db
def test_wagon_auto_pick_takes_a_free_wagon(
    school_client, school, workshop, coordinator, wagon, depot
):
    from tests.factories import WagonFactory

    wagon.max_visits_per_day = 1
    wagon.save()
    second = WagonFactory(depot=depot)
    make_booking(school, workshop, coordinator, pupils=2, confirm=True, wagon=wagon)
    data = school_client.post(
        URL, booking_payload(workshop, sessions=[session_data(workshop, pupils=2)]), format="json"
    ).json()
    assert data["wagon"] == second.pk


@pytest.mark.django_db
def test_a_wagon_of_another_depot_is_refused(school_client, workshop, wagon):
    from tests.factories import WagonFactory

    elsewhere = WagonFactory()
    response = school_client.post(URL, booking_payload(workshop, wagon=elsewhere.pk), format="json")
    assert response.status_code == 400
    assert "wagon" in response.json()


@pytest.mark.django_db
def test_a_school_without_wagons_gets_a_reason(coordinator_client, workshop):
    lonely = SchoolFactory()
    response = coordinator_client.post(
        URL, booking_payload(workshop, school=lonely.pk), format="json"
    )
    assert response.status_code == 409
    assert "no_wagon" in [r["code"] for r in response.json()["reasons"]]


# --- changing sessions ---------------------------------------------------------------------------


def put_sessions(client, booking, sessions):
    return client.put(f"{URL}{booking.pk}/sessions/", {"sessions": sessions}, format="json")


@pytest.mark.django_db
def test_a_school_changes_group_sizes_of_a_confirmed_visit(
    school_client, coordinator_client, requested, workshop, robot
):
    post(coordinator_client, requested, "confirm")
    response = put_sessions(school_client, requested, [session_data(workshop, pupils=12)])
    assert response.status_code == 200, response.data
    assert response.json()["sessions"][0]["pupils"] == 12
    assert KitReservation.objects.get(booking=requested).quantity == 6


@pytest.mark.django_db
def test_growing_beyond_the_kit_is_409_and_changes_nothing(
    school_client, coordinator_client, school, workshop, coordinator, requested
):
    post(coordinator_client, requested, "confirm")  # 10 of 10 robots
    response = put_sessions(school_client, requested, [session_data(workshop, pupils=32)])
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "kit_shortage"
    assert KitReservation.objects.get(booking=requested).quantity == 10
    assert requested.sessions.get().pupils == 20


@pytest.mark.django_db
def test_changing_sessions_rules(
    school_client, other_school_client, crew_client, requested, workshop
):
    assert put_sessions(school_client, requested, []).status_code == 400
    assert put_sessions(other_school_client, requested, [session_data(workshop)]).status_code == 404
    assert put_sessions(crew_client, requested, [session_data(workshop)]).status_code == 403
    too_late_in_the_day = [session_data(workshop), session_data(workshop, start="14:30")]
    assert put_sessions(school_client, requested, too_late_in_the_day).status_code == 400
    # Rotating stations: overlapping sessions are fine (kit of 4 + 4 robots fits the 10).
    overlapping = [
        session_data(workshop, pupils=8),
        session_data(workshop, pupils=8, start="09:30"),
    ]
    assert put_sessions(school_client, requested, overlapping).status_code == 200
    assert school_client.put(f"{URL}{requested.pk}/", {}, format="json").status_code == 405


@pytest.mark.django_db
def test_a_school_cannot_change_sessions_inside_the_lead_time(
    school_client, school, workshop, coordinator, wagon
):
    late = make_booking(school, workshop, coordinator, date=dt.date(2026, 11, 30))
    response = put_sessions(school_client, late, [session_data(workshop, pupils=4)])
    assert response.status_code == 409
    assert response.json()["code"] == "too_late"
