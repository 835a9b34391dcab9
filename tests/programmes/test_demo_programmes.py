"""The demo is two programmes, each with its own people and data, that do not see each other."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.test import APIClient

from bookings.models import Booking, School, Workshop
from inventory.models import Consumable, Depot, Wagon
from programmes.models import Programme
from tests.conftest import DEMO_NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_loaded):
    """The demo, loaded once for this module (tests/conftest.py `demo_world`), at its clock."""
    with time_machine.travel(dt.datetime.fromisoformat(DEMO_NOW), tick=False):
        yield


def _client(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_two_programmes_each_with_depot_wagon_schools_kit_and_requests(demo):
    for name, coordinator, crew in (
        ("Rotterdam-Noord", "coordinator", "crew"),
        ("Deventer-Twello", "coordinator2", "crew2"),
    ):
        programme = Programme.objects.get(name=name)
        assert Depot.objects.filter(programme=programme).count() == 1
        assert Wagon.objects.filter(depot__programme=programme).exists()
        assert School.objects.filter(programme=programme).count() >= 4
        assert Workshop.objects.filter(programme=programme).count() == 6
        assert Consumable.objects.filter(depot__programme=programme).count() == 4
        assert Booking.objects.filter(school__programme=programme, status="requested").exists()
        members = set(programme.members.values_list("username", flat=True))
        assert members == {coordinator, crew}
    assert not User.objects.get(username="coordinator").is_superuser
    assert User.objects.get(username="beheer").is_superuser


def test_each_coordinator_sees_only_their_programme(demo):
    rotterdam = Programme.objects.get(name="Rotterdam-Noord")
    for username, programme in (("coordinator", rotterdam), ("crew", rotterdam)):
        rows = _client(username).get("/api/v1/schools/", {"page_size": 200}).json()["results"]
        assert rows and {row["programme"] for row in rows} == {programme.pk}
    deventer = Programme.objects.get(name="Deventer-Twello")
    rows = _client("coordinator2").get("/api/v1/bookings/", {"page_size": 200}).json()["results"]
    theirs = set(Booking.objects.filter(school__programme=deventer).values_list("pk", flat=True))
    assert {row["id"] for row in rows} == theirs
    rotterdam_booking = Booking.objects.filter(school__programme=rotterdam).first()
    response = _client("coordinator2").post(f"/api/v1/bookings/{rotterdam_booking.pk}/confirm/")
    assert response.status_code == 404  # the bug the issue names: B confirming A's requests


def test_loading_twice_changes_nothing(demo):
    counts = [m.objects.count() for m in (Programme, Depot, School, Workshop, Booking)]
    with time_machine.travel(dt.datetime.fromisoformat(DEMO_NOW), tick=False):
        call_command("load_demo", stdout=StringIO())
    assert [m.objects.count() for m in (Programme, Depot, School, Workshop, Booking)] == counts
