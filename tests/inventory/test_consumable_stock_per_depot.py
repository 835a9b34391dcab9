"""Consumable stock is kept per depot: two depots' same-named consumables are two stocks, and a
coordinator sees and changes only the consumables of their own programmes' depots."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from inventory.services import consumable_adjust_stock
from tests.factories import ConsumableFactory, DepotFactory, ProgrammeFactory, make_user

PLA = "PLA-filament"


@pytest.fixture
def two_depots(db):
    a = ProgrammeFactory()  # the default test programme
    b = ProgrammeFactory(name="Deventer-Twello", project_code="STO18071")
    depot_a = DepotFactory(name="Depot Rotterdam", programme=a)
    depot_b = DepotFactory(name="Depot Deventer", programme=b)
    return {
        "a": a,
        "b": b,
        "pla_a": ConsumableFactory(name=PLA, unit="g", depot=depot_a, stock=Decimal("5000")),
        "pla_b": ConsumableFactory(name=PLA, unit="g", depot=depot_b, stock=Decimal("800")),
    }


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def rows(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def test_adjusting_one_depots_stock_leaves_the_others_alone(two_depots):
    coordinator = make_user("coord_a", "coordinator", programmes=[two_depots["a"]])
    consumable_adjust_stock(
        consumable=two_depots["pla_a"], delta=Decimal("-1250"), acting_user=coordinator
    )
    for consumable in (two_depots["pla_a"], two_depots["pla_b"]):
        consumable.refresh_from_db()
    assert two_depots["pla_a"].stock == Decimal("3750")
    assert two_depots["pla_b"].stock == Decimal("800")
    assert two_depots["pla_b"].history.count() == 1  # only its creation


def test_adjusting_through_the_api_changes_only_that_depot(two_depots):
    client = api(make_user("coord_a", "coordinator", programmes=[two_depots["a"]]))
    response = client.post(
        f"/api/v1/consumables/{two_depots['pla_a'].id}/adjust/", {"delta": "250"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Decimal(str(response.json()["stock"])) == Decimal("5250")
    two_depots["pla_b"].refresh_from_db()
    assert two_depots["pla_b"].stock == Decimal("800")


def test_a_coordinator_lists_only_their_depots_consumables(two_depots):
    client_b = api(make_user("coord_b", "coordinator", programmes=[two_depots["b"]]))
    response = client_b.get("/api/v1/consumables/")
    assert response.status_code == 200
    assert [row["id"] for row in rows(response)] == [two_depots["pla_b"].id]
    client_a = api(make_user("coord_a", "coordinator", programmes=[two_depots["a"]]))
    assert [row["id"] for row in rows(client_a.get("/api/v1/consumables/"))] == [
        two_depots["pla_a"].id
    ]


def test_another_programmes_consumable_is_not_found_and_not_changed(two_depots):
    client_b = api(make_user("coord_b", "coordinator", programmes=[two_depots["b"]]))
    pla_a = two_depots["pla_a"]
    assert client_b.get(f"/api/v1/consumables/{pla_a.id}/").status_code == 404
    response = client_b.post(
        f"/api/v1/consumables/{pla_a.id}/adjust/", {"delta": "-100"}, format="json"
    )
    assert response.status_code == 404
    pla_a.refresh_from_db()
    assert pla_a.stock == Decimal("5000")
