"""Crew see bookings from confirmation on; on the packing-list endpoints a booking they cannot
see is a 404 like everywhere else, never a 409 that names its reference and status."""

import uuid

import pytest

from bookings.models import Booking
from bookings.packing.models import PackingList
from tests.packing.conftest import make_booking


@pytest.fixture
def hidden(kit, school):
    return make_booking(kit, school, status=Booking.Status.REQUESTED)


def urls(booking):
    base = f"/api/v1/bookings/{booking.pk}/packing-list"
    return [("get", f"{base}/"), ("get", f"{base}.pdf"), ("post", f"{base}/check/")]


def body():
    return {"action": "pack", "line": 1, "client_id": str(uuid.uuid4())}


@pytest.mark.parametrize("index", range(3))
def test_crew_get_a_404_for_a_requested_booking(crew_client, hidden, index):
    method, url = urls(hidden)[index]
    response = getattr(crew_client, method)(url, body() if method == "post" else None, "json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    text = response.content.decode()
    assert hidden.reference not in text and "requested" not in text
    assert not PackingList.objects.filter(booking=hidden).exists()


@pytest.mark.parametrize("status", ["declined", "cancelled"])
def test_crew_get_a_404_for_declined_and_cancelled_bookings(crew_client, kit, school, status):
    booking = make_booking(kit, school, status=status)
    for method, url in urls(booking):
        response = getattr(crew_client, method)(url, body() if method == "post" else None, "json")
        assert response.status_code == 404, url


def test_a_coordinator_still_learns_why_there_is_no_list(coordinator_client, hidden):
    response = coordinator_client.get(f"/api/v1/bookings/{hidden.pk}/packing-list/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_confirmed"


def test_crew_still_pack_confirmed_bookings(crew_client, booking):
    for method, url in urls(booking)[:2]:
        assert getattr(crew_client, method)(url).status_code == 200
