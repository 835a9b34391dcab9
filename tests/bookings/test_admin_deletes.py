"""Deletes in the Django admin go through the same delete services as the API: a booking's kit
reservation is released (its units are free again), a visit whose kit is out is refused with a
message, and a bulk delete with one refusal deletes nothing."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from bookings import services
from bookings.kit import pool
from bookings.models import Booking, KitReservation, School, Workshop
from inventory.models import KitType
from tests.bookings.conftest import VISIT_DAY, make_booking
from tests.bookings.test_admin_versions import admin_client  # noqa: F401
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/bookings/booking/"
NEXT_DAY = VISIT_DAY + dt.timedelta(days=1)  # a Wednesday


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def free_robots(depot, robot):
    return pool.kit_pool(depot, [VISIT_DAY])[VISIT_DAY][robot.pk]["free"]


def test_deleting_a_confirmed_booking_releases_its_kit(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
    coordinator,
    robot,
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    assert free_robots(school.depot, robot) == 0  # all 10 robots are held by the booking
    response = admin_client.post(f"/admin/bookings/booking/{booking.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert not KitReservation.objects.filter(booking_id=booking.pk).exists()
    assert free_robots(school.depot, robot) == 10
    deleted = Booking.history.filter(id=booking.pk, history_type="-").get()
    assert deleted.history_user.username == "beheer"


def test_a_packed_booking_is_refused_with_a_message(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
    coordinator,
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    services.booking_set_status(booking=booking, status="packed", acting_user=coordinator)
    response = admin_client.post(f"/admin/bookings/booking/{booking.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/bookings/booking/{booking.pk}/change/")
    [message] = messages_of(response)
    assert "Niet verwijderd" in message and "annuleer" in message
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert KitReservation.objects.filter(booking_id=booking.pk).count() == 1


def test_a_bulk_delete_with_one_refusal_deletes_nothing(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
    coordinator,
):
    free = make_booking(school, workshop, coordinator, wagon=wagon, pupils=4, confirm=True)
    packed = make_booking(
        school, workshop, coordinator, date=NEXT_DAY, wagon=wagon, pupils=4, confirm=True
    )
    services.booking_set_status(booking=packed, status="packed", acting_user=coordinator)
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [free.pk, packed.pk], "post": "yes"},
    )
    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("Niets verwijderd") and packed.reference in message
    assert Booking.objects.filter(pk__in=[free.pk, packed.pk]).count() == 2
    assert KitReservation.objects.filter(booking__in=[free, packed]).count() == 2


def test_a_bulk_delete_releases_every_reservation(
    admin_client,  # noqa: F811
    school,
    workshop,
    wagon,
    coordinator,
):
    first = make_booking(school, workshop, coordinator, wagon=wagon, pupils=4, confirm=True)
    second = make_booking(
        school, workshop, coordinator, date=NEXT_DAY, wagon=wagon, pupils=4, confirm=True
    )
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Booking.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert not KitReservation.objects.exists()
    users = Booking.history.filter(history_type="-").values_list("history_user__username", flat=1)
    assert sorted(users) == ["beheer", "beheer"]


def test_a_workshop_in_use_is_not_deleted(admin_client, school, workshop, wagon, coordinator):  # noqa: F811
    make_booking(school, workshop, coordinator)
    response = admin_client.post(
        "/admin/bookings/workshop/",
        {"action": "delete_selected", "_selected_action": [workshop.pk], "post": "yes"},
    )
    # Django shows the protected sessions and deletes nothing; the service would refuse too.
    assert Workshop.objects.filter(pk=workshop.pk).exists()
    assert response.status_code == 200
    assert "beschermd" in response.content.decode() or "protected" in response.content.decode()


def test_a_school_delete_goes_through_the_service(admin_client, coordinator):  # noqa: F811
    school = SchoolFactory()
    response = admin_client.post(f"/admin/bookings/school/{school.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not School.objects.filter(pk=school.pk).exists()
    deleted = School.history.filter(id=school.pk, history_type="-").get()
    assert deleted.history_user.username == "beheer"
    assert deleted.history_change_reason == "verwijderd"


def test_a_kit_type_delete_in_the_inventory_admin_uses_the_service(admin_client, robot):  # noqa: F811
    kit_type = KitType.objects.create(name="Losse soort")
    response = admin_client.post(
        "/admin/inventory/kittype/",
        {"action": "delete_selected", "_selected_action": [kit_type.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not KitType.objects.filter(pk=kit_type.pk).exists()
    deleted = KitType.history.filter(id=kit_type.pk, history_type="-").get()
    assert deleted.history_change_reason == "verwijderd"
