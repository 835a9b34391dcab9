"""The request queue sends back the version of the request the coordinator saw: if the school
changed it meanwhile (other group sizes), approving or declining says so and decides nothing."""

import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from bookings.models import Booking
from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


@pytest.fixture
def booking(world):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY)
    BookingSessionFactory(
        booking=booking, workshop=world.robot_workshop, pupils=24, school_type="po"
    )
    return booking


def loaded_versions(coordinator, booking) -> list[str]:
    page = coordinator.get("/planning/").content.decode()
    article = re.search(rf'<article[^>]*id="booking-{booking.id}".*?</article>', page, re.S)
    assert article, "the request is in the queue"
    return [unescape(v) for v in re.findall(r'name="version" value="([^"]+)"', article.group(0))]


def the_school_changes_the_groups(booking):
    session = booking.sessions.get()
    session.pupils = 30
    session.save()


@time_machine.travel(NOW, tick=False)
def test_both_forms_carry_the_version_the_api_calls_etag(world, coordinator, booking):
    api = APIClient()
    api.force_authenticate(user=world.coordinator)
    etag = api.get(f"/api/v1/bookings/{booking.id}/")["ETag"]
    assert loaded_versions(coordinator, booking) == [etag, etag]


@time_machine.travel(NOW, tick=False)
def test_approving_a_request_changed_meanwhile_is_refused(coordinator, booking):
    [version, _] = loaded_versions(coordinator, booking)
    the_school_changes_the_groups(booking)
    response = coordinator.post(
        f"/planning/bookings/{booking.id}/confirm/", {"version": version}, follow=True
    )
    assert CONFLICT in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert not booking.reservations.exists()
    # Reloaded, the queue shows the new groups and the approval goes through.
    [fresh, _] = loaded_versions(coordinator, booking)
    assert fresh != version
    response = coordinator.post(
        f"/planning/bookings/{booking.id}/confirm/", {"version": fresh}, follow=True
    )
    assert CONFLICT not in response.content.decode()
    assert Booking.objects.get(pk=booking.id).status == Booking.Status.CONFIRMED


@time_machine.travel(NOW, tick=False)
def test_declining_a_request_changed_meanwhile_is_refused(coordinator, booking):
    [_, version] = loaded_versions(coordinator, booking)
    the_school_changes_the_groups(booking)
    response = coordinator.post(
        f"/planning/bookings/{booking.id}/decline/",
        {"version": version, "reason": "wagen vol"},
        follow=True,
    )
    assert CONFLICT in response.content.decode()
    assert Booking.objects.get(pk=booking.id).status == Booking.Status.REQUESTED


@time_machine.travel(NOW, tick=False)
def test_a_form_without_a_version_works_as_before(coordinator, booking):
    coordinator.post(f"/planning/bookings/{booking.id}/confirm/")
    assert Booking.objects.get(pk=booking.id).status == Booking.Status.CONFIRMED


@time_machine.travel(NOW, tick=False)
def test_the_message_is_english_for_an_english_coordinator(coordinator, booking):
    from django.conf import settings

    [version, _] = loaded_versions(coordinator, booking)
    the_school_changes_the_groups(booking)
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator.post(
        f"/planning/bookings/{booking.id}/confirm/", {"version": version}, follow=True
    )
    assert "Someone else has changed this in the meantime" in response.content.decode()
