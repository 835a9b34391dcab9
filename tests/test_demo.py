"""`manage.py load_demo`: loads the demo data of every app, and running it again changes nothing."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest
from rest_framework.test import APIClient

from backend.core.roles import role_of
from backend.management.commands.load_demo import DEMO_PASSWORD
from inventory import demo
from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon
from tests.conftest import DEMO_NOW

pytestmark = pytest.mark.django_db
PROJECT_APPS = ["auth", "knox", "inventory", "bookings", "routes"]
NOW = dt.datetime.fromisoformat(DEMO_NOW)


def _counts() -> dict[str, int]:
    counts = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            counts[model._meta.label] = model._default_manager.count()
    return counts


def _snapshot() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (Depot, Wagon, KitType, Case, Item, Consumable, StandardEquipment)
    }


def _load() -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_twice_gives_identical_data(demo_loaded):
    output = demo_loaded
    first_counts, first_snapshot = _counts(), _snapshot()
    _load()
    assert _counts() == first_counts
    assert _snapshot() == first_snapshot
    assert DEMO_PASSWORD in output


def test_demo_contains_the_product_inventory(demo_loaded):
    assert Depot.objects.count() == 2
    assert Wagon.objects.count() == 2
    assert KitType.objects.filter(name="VR-bril").exists()
    assert Item.objects.count() == sum(row[5] + row[6] for row in demo.KIT_TYPES)
    assert Item.objects.filter(asset_tag="VR-001", case__code="K-VR1").exists()
    assert Consumable.objects.filter(name="PLA-filament").exists()
    assert StandardEquipment.objects.filter(name="EHBO-koffer").exists()
    tags = list(Item.objects.values_list("asset_tag", flat=True))
    assert len({tag.lower() for tag in tags}) == len(tags)


def test_load_demo_keeps_real_stock_changes(demo_loaded):
    pla = Consumable.objects.filter(name="PLA-filament").order_by("pk").first()
    pla.stock = 1234
    pla.save()
    _load()
    pla.refresh_from_db()
    assert pla.stock == 1234


@pytest.mark.parametrize("username", ["coordinator", "crew", "school"])
def test_demo_users_log_in_with_the_documented_password(username, demo_loaded):
    # axes needs the request it counts failures for
    user = authenticate(HttpRequest(), username=username, password=DEMO_PASSWORD)
    assert user is not None
    assert role_of(user) == username
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_load_demo_restores_a_changed_demo_password(demo_loaded):
    from django.contrib.auth.models import User

    user = User.objects.get(username="crew")
    user.set_password("something-else-entirely")
    user.save()
    _load()
    assert authenticate(HttpRequest(), username="crew", password=DEMO_PASSWORD) is not None


def _suits(school, workshop) -> bool:
    return not workshop.school_types or bool(set(school.school_types) & set(workshop.school_types))


def test_every_demo_workshop_is_bookable_at_its_max_pupils_on_an_empty_weekday(demo_loaded):
    """From every depot with a wagon: a school of that depot gets every workshop that suits it
    at the workshop's max_pupils on every open weekday past the demo bookings."""
    from django.contrib.auth.models import User

    from bookings.models import Booking, School, Workshop

    client = APIClient()
    client.force_authenticate(User.objects.get(username="beheer"))  # both programmes
    with time_machine.travel(NOW, tick=False):
        last_booking = max(Booking.objects.values_list("date", flat=True))
        date_from = last_booking + dt.timedelta(days=1)
        date_to = date_from + dt.timedelta(days=27)
        checked = set()
        for depot in Depot.objects.filter(wagons__active=True).distinct():
            schools = list(School.objects.filter(depot=depot))
            for workshop in Workshop.objects.filter(active=True, programme=depot.programme_id):
                school = next((s for s in schools if _suits(s, workshop)), None)
                if school is None:
                    continue
                query = {"school": school.pk, "date_from": date_from, "date_to": date_to}
                url = "/api/v1/availability/"
                empty = client.get(url, query).json()["days"]
                open_days = [d["date"] for d in empty if d["available"]]
                assert open_days, (depot.name, school.name)
                query |= {"workshop": workshop.pk, "pupils": workshop.max_pupils}
                days = client.get(url, query).json()["days"]
                refused = [d for d in days if d["date"] in open_days and not d["available"]]
                assert not refused, (depot.name, workshop.name, refused[0]["reasons"])
                checked.add(workshop.name)
    assert checked == set(Workshop.objects.filter(active=True).values_list("name", flat=True))


def test_the_demo_catalogue_has_no_capacity_warnings(demo_loaded):
    from bookings.catalogue import catalogue_warnings

    assert catalogue_warnings() == []
