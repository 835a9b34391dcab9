"""Optimistic concurrency: GET of one object answers an `ETag` (a hash of what is stored); a
write with a stale `If-Match` is refused with 412 and writes nothing; a matching one goes through
and answers the new ETag; a write without If-Match works as before."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from bookings.models import Booking
from inventory import services
from inventory.models import Consumable, Item
from routes.services import route_create
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    ConsumableFactory,
    ItemFactory,
    WagonFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

VISIT_DAY = dt.date(2027, 3, 9)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def etag_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.data
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    return etag


@pytest.fixture
def booking(school):
    booking = BookingFactory(school=school, wagon=WagonFactory(depot=school.depot), date=VISIT_DAY)
    BookingSessionFactory(booking=booking, workshop=WorkshopFactory(max_pupils=32), pupils=20)
    return booking


@pytest.fixture
def route(booking):
    return route_create(
        wagon=booking.wagon, date=booking.date, booking_ids=[booking.pk], acting_user=None
    )


# --- ETag on reads ------------------------------------------------------------------------------


def test_every_detail_read_carries_an_etag(coordinator_client, booking, route, school):
    item = ItemFactory()
    consumable = ConsumableFactory()
    urls = [
        f"/api/v1/items/{item.pk}/",
        f"/api/v1/consumables/{consumable.pk}/",
        f"/api/v1/bookings/{booking.pk}/",
        f"/api/v1/routes/{route.pk}/",
        f"/api/v1/schools/{school.pk}/",
        f"/api/v1/workshops/{booking.sessions.get().workshop_id}/",
        f"/api/v1/wagons/{booking.wagon_id}/",
        f"/api/v1/kit-types/{item.kit_type_id}/",
        f"/api/v1/depots/{item.depot_id}/",
    ]
    etags = [etag_of(coordinator_client, url) for url in urls]
    assert len(set(etags)) == len(urls)
    # Stable while nothing changes; lists and history carry none.
    assert etag_of(coordinator_client, urls[0]) == etags[0]
    assert "ETag" not in coordinator_client.get("/api/v1/items/")
    assert "ETag" not in coordinator_client.get(f"/api/v1/items/{item.pk}/history/")


def test_the_etag_follows_the_stored_state(coordinator_client, crew_client):
    item = ItemFactory()
    url = f"/api/v1/items/{item.pk}/"
    before = etag_of(coordinator_client, url)
    response = crew_client.post(f"{url}report-defect/", {})
    assert response["ETag"] != before
    assert response["ETag"] == etag_of(coordinator_client, url)


def test_a_booking_etag_changes_with_its_sessions(coordinator_client, booking):
    url = f"/api/v1/bookings/{booking.pk}/"
    before = etag_of(coordinator_client, url)
    session = booking.sessions.get()
    session.pupils = 12
    session.save()
    assert etag_of(coordinator_client, url) != before


def test_a_route_etag_changes_with_its_stops(coordinator_client, route, booking):
    url = f"/api/v1/routes/{route.pk}/"
    before = etag_of(coordinator_client, url)
    other = BookingFactory(school=booking.school, wagon=booking.wagon, date=booking.date)
    BookingSessionFactory(booking=other, start_time=dt.time(13, 0))
    response = coordinator_client.post(f"{url}add-stop/", {"booking": other.pk}, format="json")
    assert response.status_code == 200, response.data
    assert response["ETag"] != before
    assert response["ETag"] == etag_of(coordinator_client, url)


# --- If-Match on writes -------------------------------------------------------------------------


def test_a_stale_if_match_is_412_and_writes_nothing(coordinator_client, crew_client):
    item = ItemFactory(notes="")
    url = f"/api/v1/items/{item.pk}/"
    etag = etag_of(coordinator_client, url)
    crew_client.post(f"{url}report-defect/", {"note": "kapot"})
    response = coordinator_client.patch(
        url, {"serial_number": "SN-NIEUW"}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 412
    assert response.data["code"] == "precondition_failed"
    assert "If-Match" in response.data["detail"]
    item.refresh_from_db()
    assert item.serial_number != "SN-NIEUW"
    assert item.status == Item.Status.DEFECT
    assert item.history.count() == 2  # created, defect — nothing from the refused PATCH


def test_a_matching_if_match_writes_and_answers_the_new_etag(coordinator_client):
    item = ItemFactory()
    url = f"/api/v1/items/{item.pk}/"
    etag = etag_of(coordinator_client, url)
    response = coordinator_client.patch(
        url, {"serial_number": "SN-NIEUW"}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.data
    assert response["ETag"] not in (None, etag)
    assert response["ETag"] == etag_of(coordinator_client, url)
    # The new ETag allows the next write; the old one no longer does.
    again = coordinator_client.patch(
        url, {"notes": "x"}, format="json", headers={"If-Match": response["ETag"]}
    )
    assert again.status_code == 200
    stale = coordinator_client.patch(url, {"notes": "y"}, format="json", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert Item.objects.get(pk=item.pk).notes == "x"


def test_without_if_match_a_write_goes_through_as_before(coordinator_client, crew_client):
    item = ItemFactory()
    url = f"/api/v1/items/{item.pk}/"
    crew_client.post(f"{url}report-defect/", {})
    response = coordinator_client.patch(url, {"serial_number": "SN-NIEUW"}, format="json")
    assert response.status_code == 200
    assert response["ETag"] == etag_of(coordinator_client, url)


@pytest.mark.parametrize(
    "header,expected",
    [("*", 200), ('W/"{etag}"', 412), ('"nonsense", "{etag}"', 200), ("garbage", 412)],
)
def test_if_match_forms(coordinator_client, header, expected):
    item = ItemFactory()
    url = f"/api/v1/items/{item.pk}/"
    etag = etag_of(coordinator_client, url).strip('"')
    response = coordinator_client.patch(
        url, {"notes": "x"}, format="json", headers={"If-Match": header.format(etag=etag)}
    )
    assert response.status_code == expected


def test_put_and_delete_honour_if_match(coordinator_client):
    consumable = ConsumableFactory(stock=Decimal("10"))
    url = f"/api/v1/consumables/{consumable.pk}/"
    etag = etag_of(coordinator_client, url)
    services.consumable_adjust_stock(consumable=consumable, delta=Decimal("5"))
    body = {"name": "Batterijen", "unit": "stuks", "reorder_level": 2}
    put = coordinator_client.put(url, body, format="json", headers={"If-Match": etag})
    assert put.status_code == 412
    delete = coordinator_client.delete(url, headers={"If-Match": etag})
    assert delete.status_code == 412
    consumable.refresh_from_db()
    assert (consumable.name, consumable.stock) != ("Batterijen", Decimal("10"))
    fresh = etag_of(coordinator_client, url)
    assert coordinator_client.delete(url, headers={"If-Match": fresh}).status_code == 204
    assert not Consumable.objects.filter(pk=consumable.pk).exists()


def test_actions_honour_if_match(coordinator_client, crew_client):
    item = ItemFactory()
    url = f"/api/v1/items/{item.pk}/"
    etag = etag_of(crew_client, url)
    coordinator_client.patch(url, {"notes": "nagekeken"}, format="json")
    response = crew_client.post(f"{url}report-defect/", {}, headers={"If-Match": etag})
    assert response.status_code == 412
    assert Item.objects.get(pk=item.pk).status == Item.Status.AVAILABLE


def test_booking_sessions_put_honours_if_match(school_client, booking):
    url = f"/api/v1/bookings/{booking.pk}/"
    etag = etag_of(school_client, url)
    session = booking.sessions.get()
    body = {
        "sessions": [
            {
                "workshop": session.workshop_id,
                "group_label": "groep 8",
                "school_type": "po",
                "year": 8,
                "pupils": 25,
                "start_time": "09:00",
            }
        ]
    }
    # Someone else changes the group size first.
    session.pupils = 22
    session.save()
    stale = school_client.put(f"{url}sessions/", body, format="json", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert booking.sessions.get().pupils == 22
    fresh = etag_of(school_client, url)
    ok = school_client.put(f"{url}sessions/", body, format="json", headers={"If-Match": fresh})
    assert ok.status_code == 200, ok.data
    assert [s["pupils"] for s in ok.data["sessions"]] == [25]
    assert ok["ETag"] == etag_of(school_client, url)


def test_route_actions_honour_if_match(coordinator_client, route):
    url = f"/api/v1/routes/{route.pk}/"
    etag = etag_of(coordinator_client, url)
    booking_id = route.stops.get().booking_id
    response = coordinator_client.post(
        f"{url}reorder/", {"bookings": [booking_id]}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.data
    booking = Booking.objects.get(pk=booking_id)
    coordinator_client.post(f"{url}remove-stop/", {"booking": booking.pk}, format="json")
    stale = coordinator_client.post(
        f"{url}add-stop/", {"booking": booking.pk}, format="json", headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert not route.stops.exists()


def test_a_stranger_gets_404_not_412(other_school_client, school_client, booking):
    url = f"/api/v1/bookings/{booking.pk}/"
    response = other_school_client.put(
        f"{url}sessions/", {"sessions": []}, format="json", headers={"If-Match": '"x"'}
    )
    assert response.status_code == 404
    assert "ETag" not in other_school_client.get(url)


def test_a_refused_write_with_a_matching_etag_writes_nothing(coordinator_client):
    item = ItemFactory(status=Item.Status.RETIRED)
    url = f"/api/v1/items/{item.pk}/"
    etag = etag_of(coordinator_client, url)
    response = coordinator_client.post(f"{url}repair/", {}, headers={"If-Match": etag})
    assert response.status_code == 409
    assert "ETag" not in response
    assert etag_of(coordinator_client, url) == etag
