"""Catalogue check: a workshop whose max_pupils cannot be served from a depot's available stock
(plus spare units) carries `capacity_warnings` in the API and on the coordinator's inventory page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.models import Item
from tests.factories import (
    DepotFactory,
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    WagonFactory,
    WorkshopFactory,
)

WORKSHOPS = "/api/v1/workshops/"


@pytest.fixture
def stock(db):
    """Rotterdam: 10 robot cars (and 2 defect), 8 VR headsets; Deventer: 16 robot cars, 8
    headsets; a store without a wagon: nothing."""
    robot = KitTypeFactory(name="Robotauto", spare_units=1)
    vr = KitTypeFactory(name="VR-bril", spare_units=0)
    rotterdam = DepotFactory(name="Depot Rotterdam")
    deventer = DepotFactory(name="Depot Deventer")
    DepotFactory(name="Opslag zonder wagen")
    WagonFactory(depot=rotterdam)
    WagonFactory(depot=rotterdam)  # two wagons: the depot is still checked once
    WagonFactory(depot=deventer)
    for depot, robots in ((rotterdam, 10), (deventer, 16)):
        for _ in range(robots):
            ItemFactory(kit_type=robot, depot=depot)
        for _ in range(8):
            ItemFactory(kit_type=vr, depot=depot)
    for _ in range(2):
        ItemFactory(kit_type=robot, depot=rotterdam, status=Item.Status.DEFECT)
    return {"robot": robot, "vr": vr, "rotterdam": rotterdam, "deventer": deventer}


@pytest.fixture
def robot_workshop(stock):
    workshop = WorkshopFactory(name="Robotauto coderen", max_pupils=30)
    KitRuleFactory(workshop=workshop, kit_type=stock["robot"], per_pupils=2)
    KitRuleFactory(workshop=workshop, kit_type=stock["vr"], per_pupils=None, fixed=8)
    return workshop


@pytest.mark.django_db
def test_a_depot_short_of_kit_for_max_pupils_is_warned(coordinator_client, stock, robot_workshop):
    data = coordinator_client.get(f"{WORKSHOPS}{robot_workshop.pk}/").json()
    # 30 pupils / 2 = 15 + 1 spare = 16 robot cars: Deventer has 16, Rotterdam 10 available
    # (the 2 defect ones do not count); the 8 headsets are there in both.
    assert data["capacity_warnings"] == [
        {
            "kit_type": stock["robot"].pk,
            "kit_type_name": "Robotauto",
            "depot": stock["rotterdam"].pk,
            "depot_name": "Depot Rotterdam",
            "needed": 16,
            "total": 10,
            "detail": "Workshop Robotauto coderen: bij maximaal 30 leerlingen zijn 16 × Robotauto "
            "nodig, er zijn er 10 beschikbaar in Depot Rotterdam.",
        }
    ]
    listed = coordinator_client.get(WORKSHOPS).json()["results"]
    assert listed[0]["capacity_warnings"] == data["capacity_warnings"]


@pytest.mark.django_db
def test_lowering_max_pupils_clears_the_warning(coordinator_client, stock, robot_workshop):
    response = coordinator_client.patch(
        f"{WORKSHOPS}{robot_workshop.pk}/", {"max_pupils": 18}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["capacity_warnings"] == []  # 18 / 2 = 9 + 1 spare = 10


@pytest.mark.django_db
def test_a_fixed_rule_counts_the_fixed_units_plus_spares(coordinator_client, stock):
    stock["vr"].spare_units = 1
    stock["vr"].save()
    workshop = WorkshopFactory(name="VR-beroepenexpeditie", max_pupils=5)
    KitRuleFactory(workshop=workshop, kit_type=stock["vr"], per_pupils=None, fixed=8)
    warnings = coordinator_client.get(f"{WORKSHOPS}{workshop.pk}/").json()["capacity_warnings"]
    assert [(w["depot_name"], w["needed"], w["total"]) for w in warnings] == [
        ("Depot Deventer", 9, 8),
        ("Depot Rotterdam", 9, 8),
    ]


@pytest.mark.django_db
def test_workshops_everyone_reads_carry_the_warnings(school_client, crew_client, robot_workshop):
    for client in (school_client, crew_client):
        listed = client.get(WORKSHOPS).json()["results"]
        assert [w["needed"] for w in listed[0]["capacity_warnings"]] == [16]


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_workshops(coordinator_client, stock):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(WORKSHOPS).status_code == 200
        return len(captured)

    workshop = WorkshopFactory(max_pupils=30)
    KitRuleFactory(workshop=workshop, kit_type=stock["robot"], per_pupils=2)
    queries()  # the first request fills per-process caches
    few = queries()
    for _ in range(6):
        workshop = WorkshopFactory(max_pupils=30)
        KitRuleFactory(workshop=workshop, kit_type=stock["robot"], per_pupils=2)
        KitRuleFactory(workshop=workshop, kit_type=stock["vr"], per_pupils=None, fixed=8)
    assert queries() == few


@pytest.mark.django_db
def test_the_inventory_page_shows_the_warning(client, coordinator, robot_workshop):
    client.force_login(coordinator)
    page = client.get("/planning/inventory/").content.decode()
    assert (
        "Workshop Robotauto coderen: bij maximaal 30 leerlingen zijn 16 × Robotauto nodig, "
        "er zijn er 10 beschikbaar in Depot Rotterdam." in page
    )
    robot_workshop.max_pupils = 18
    robot_workshop.save()
    page = client.get("/planning/inventory/").content.decode()
    assert "bij maximaal" not in page
    assert "Elke workshop kan vol worden geboekt" in page
