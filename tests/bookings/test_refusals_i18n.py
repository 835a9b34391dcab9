"""Refusals from the booking services in the user's language: Dutch by default, English when the
API client asks for it (Accept-Language) or the user chose English (the language cookie)."""

import datetime as dt

import pytest
from django.conf import settings

from bookings import services
from bookings.models import Booking
from tests.bookings.conftest import booking_payload, make_booking, session_data
from tests.factories import BlackoutFactory

URL = "/api/v1/bookings/"
SATURDAY = dt.date(2027, 3, 6)

pytestmark = pytest.mark.django_db


def refused(client, workshop, **headers):
    payload = booking_payload(workshop, date=SATURDAY, sessions=[session_data(workshop, pupils=32)])
    response = client.post(URL, payload, format="json", **headers)
    assert response.status_code == 409, response.data
    assert not Booking.objects.exists()
    data = response.json()
    return data["detail"], {r["code"]: r["detail"] for r in data["reasons"]}


def test_a_refusal_asked_for_in_english_is_english(school_client, wagon, workshop):
    detail, reasons = refused(school_client, workshop, HTTP_ACCEPT_LANGUAGE="en")
    assert reasons == {
        "weekend": "Sat 6 March 2027 is in the weekend.",
        "kit_shortage": "Robotauto: 16 needed, 10 free (of 10 available).",
    }
    assert detail.startswith("This request cannot be scheduled: ")
    assert "Sat 6 March 2027 is in the weekend." in detail


@pytest.mark.parametrize("headers", [{}, {"HTTP_ACCEPT_LANGUAGE": "nl"},
                                     {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}])  # fmt: skip
def test_the_same_refusal_is_dutch_by_default_or_when_asked(
    school_client, wagon, workshop, headers
):
    detail, reasons = refused(school_client, workshop, **headers)
    assert reasons == {
        "weekend": "za 6 maart 2027 valt in het weekend.",
        "kit_shortage": "Robotauto: 16 nodig, 10 vrij (van 10 beschikbaar).",
    }
    assert detail.startswith("Deze aanvraag kan niet worden ingepland: ")


def test_the_language_cookie_wins_over_the_header(school_client, wagon, workshop):
    school_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    _detail, reasons = refused(school_client, workshop, HTTP_ACCEPT_LANGUAGE="en")
    assert reasons["weekend"] == "za 6 maart 2027 valt in het weekend."


def test_a_closed_day_on_confirming_in_english(
    coordinator_client, coordinator, school, wagon, workshop
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon)
    BlackoutFactory(wagon=None, date_from=booking.date, date_to=booking.date, reason="Studiedag")
    url = f"{URL}{booking.pk}/confirm/"
    english = coordinator_client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert english.json()["detail"] == "This request cannot be scheduled: Closed: Studiedag."
    dutch = coordinator_client.post(url)
    assert dutch.json()["detail"] == "Deze aanvraag kan niet worden ingepland: Gesloten: Studiedag."


def test_a_refused_pin_is_english_when_asked(
    coordinator_client, coordinator, school, wagon, workshop
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon)
    services.booking_set_status(booking=booking, status="declined", acting_user=coordinator)
    url = f"{URL}{booking.pk}/pin/"
    english = coordinator_client.post(
        url, {"pinned": True}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 409
    assert english.json()["detail"] == "A request with status 'declined' cannot be pinned."
    dutch = coordinator_client.post(url, {"pinned": True}, format="json")
    assert (
        dutch.json()["detail"] == "Een aanvraag met status 'afgewezen' kan niet worden vastgezet."
    )
