"""The Django admin writes bookings through the booking services: a date change of a confirmed
booking moves its kit reservation or is refused with a visible error — it never double-books."""

import datetime as dt

import pytest

from bookings.models import Booking, BookingSession, KitReservation
from tests.bookings.conftest import VISIT_DAY, make_booking
from tests.bookings.test_admin_versions import admin_client, form_data  # noqa: F401
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

NEW_DAY = VISIT_DAY + dt.timedelta(days=1)  # a Wednesday


def reserved(booking):
    return sorted(booking.reservations.values_list("date", "quantity"))


def test_a_date_change_moves_the_reservation(admin_client, school, workshop, wagon, coordinator):  # noqa: F811
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    assert reserved(booking) == [(VISIT_DAY, 10)]
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    response = admin_client.post(url, {**form_data(admin_client, url), "date": NEW_DAY.isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    booking.refresh_from_db()
    assert booking.date == NEW_DAY
    assert reserved(booking) == [(NEW_DAY, 10)]
    assert booking.history.latest("history_date").history_user.username == "beheer"


def test_a_date_change_onto_a_full_day_is_refused(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
    coordinator,
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    other = SchoolFactory(depot=school.depot)
    # The other visit takes the last robots of the new day.
    make_booking(other, workshop, coordinator, date=NEW_DAY, wagon=wagon, confirm=True)
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    response = admin_client.post(url, {**form_data(admin_client, url), "date": NEW_DAY.isoformat()})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert "Robotauto" in response.content.decode()
    booking.refresh_from_db()
    assert booking.date == VISIT_DAY
    assert reserved(booking) == [(VISIT_DAY, 10)]
    on_new_day = KitReservation.objects.filter(date=NEW_DAY).values_list("quantity", flat=True)
    assert sum(on_new_day) == 10


def test_a_status_change_confirms_through_the_service(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
    coordinator,
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon)
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    response = admin_client.post(url, {**form_data(admin_client, url), "status": "confirmed"})
    assert response.status_code == 302, response.content.decode()[:3000]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert reserved(booking) == [(VISIT_DAY, 10)]


def test_a_session_change_re_reserves_the_kit(admin_client, school, workshop, wagon, coordinator):  # noqa: F811
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    data = form_data(admin_client, url)
    [key] = [k for k in data if k.startswith("sessions-0-pupils")]
    response = admin_client.post(url, {**data, key: "12"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(
        BookingSession.objects.filter(booking=booking).values_list("pupils", flat=True)
    ) == [12]
    assert reserved(booking) == [(VISIT_DAY, 6)]


def test_an_added_booking_is_a_request_made_by_booking_create(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
):
    url = "/admin/bookings/booking/add/"
    data = form_data(admin_client, url)
    data.update(
        {
            "school": str(school.pk),
            "wagon": str(wagon.pk),
            "date": VISIT_DAY.isoformat(),
            "contact_name": "J. de Vries",
            "contact_email": "j.devries@school.nl",
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-workshop": str(workshop.pk),
            "sessions-0-group_label": "groep 7",
            "sessions-0-school_type": "po",
            "sessions-0-year": "7",
            "sessions-0-pupils": "20",
            "sessions-0-start_time": "09:00",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.REQUESTED
    assert booking.reference.startswith("TW-2027-")
    assert booking.sessions.get().pupils == 20


def test_an_added_booking_without_sessions_is_refused_on_the_form(
    admin_client,  # noqa: F811
    school,
    wagon,
):
    url = "/admin/bookings/booking/add/"
    data = form_data(admin_client, url)
    data.update(
        {
            "school": str(school.pk),
            "wagon": str(wagon.pk),
            "date": VISIT_DAY.isoformat(),
            "contact_name": "J. de Vries",
            "contact_email": "j.devries@school.nl",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not Booking.objects.exists()
