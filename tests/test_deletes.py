"""API deletes go through the apps' delete services: the history row names the acting user, and
a row still in use is refused (409 in_use), not a 500."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

DELETES = [
    ("schools", lambda: factories.SchoolFactory()),
    ("workshops", lambda: factories.KitRuleFactory().workshop),
    ("blackouts", lambda: factories.BlackoutFactory()),
    ("depots", lambda: factories.DepotFactory()),
    ("wagons", lambda: factories.WagonFactory()),
    ("kit-types", lambda: factories.KitTypeFactory()),
    ("cases", lambda: factories.CaseFactory()),
    ("items", lambda: factories.ItemFactory()),
    ("consumables", lambda: factories.ConsumableFactory()),
    ("standard-equipment", lambda: factories.StandardEquipmentFactory()),
]


@pytest.mark.parametrize(("path", "make"), DELETES, ids=[p for p, _ in DELETES])
def test_a_delete_records_the_acting_user(coordinator_client, coordinator, path, make):
    obj = make()
    response = coordinator_client.delete(f"/api/v1/{path}/{obj.pk}/")
    assert response.status_code == 204, response.content
    gone = type(obj).history.filter(id=obj.pk, history_type="-").get()
    assert gone.history_user == coordinator


def test_a_workshop_delete_records_the_user_on_its_rules(coordinator_client, coordinator):
    rule = factories.KitRuleFactory()
    response = coordinator_client.delete(f"/api/v1/workshops/{rule.workshop_id}/")
    assert response.status_code == 204
    assert type(rule).history.get(id=rule.pk, history_type="-").history_user == coordinator


def test_a_depot_in_use_is_refused(coordinator_client):
    wagon = factories.WagonFactory()
    response = coordinator_client.delete(f"/api/v1/depots/{wagon.depot_id}/")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"


def test_a_route_delete_records_the_acting_user(coordinator_client, coordinator):
    from routes.models import Route

    route = Route.objects.create(wagon=factories.WagonFactory(), date="2027-03-09")
    response = coordinator_client.delete(f"/api/v1/routes/{route.pk}/")
    assert response.status_code == 204
    assert Route.history.get(id=route.pk, history_type="-").history_user == coordinator


def test_a_delete_service_records_the_user_without_a_request(coordinator):
    from inventory import services

    item = factories.ItemFactory()
    pk = item.pk
    services.item_delete(item=item, acting_user=coordinator)
    assert type(item).history.get(id=pk, history_type="-").history_user == coordinator
