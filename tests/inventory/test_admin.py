"""The Django admin: every inventory model registered with history, pages render for coordinators."""

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon
from tests.factories import (
    CaseFactory,
    ConsumableFactory,
    ItemFactory,
    StandardEquipmentFactory,
    WagonFactory,
)

MODELS = [Depot, Wagon, KitType, Case, Item, Consumable, StandardEquipment]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_model_is_in_admin_with_history(model):
    assert isinstance(admin.site._registry.get(model), SimpleHistoryAdmin)


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("beheer", "beheer@example.nl", "pw-123456")
    client.force_login(user)
    return client, user


@pytest.mark.django_db
def test_admin_pages_render(admin_client_logged_in):
    client, _user = admin_client_logged_in
    item = ItemFactory(case=CaseFactory())
    objects = [
        item.depot,
        WagonFactory(),
        item.kit_type,
        item.case,
        item,
        ConsumableFactory(),
        StandardEquipmentFactory(kit_type=item.kit_type),
    ]
    for obj in objects:
        meta = obj._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert client.get(base).status_code == 200, base
        assert client.get(f"{base}{obj.pk}/change/").status_code == 200
        assert client.get(f"{base}{obj.pk}/history/").status_code == 200


@pytest.mark.django_db
def test_admin_status_change_goes_through_the_service(admin_client_logged_in):
    client, user = admin_client_logged_in
    item = ItemFactory()
    response = client.post(
        f"/admin/inventory/item/{item.pk}/change/",
        {
            "asset_tag": item.asset_tag,
            "kit_type": item.kit_type_id,
            "depot": item.depot_id,
            "serial_number": item.serial_number,
            "status": "maintenance",
            "case": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    item.refresh_from_db()
    assert item.status == Item.Status.MAINTENANCE
    record = item.history.latest("history_date")
    assert record.history_user == user
    assert record.history_change_reason == "via beheer"


@pytest.mark.django_db
def test_admin_cannot_edit_consumable_stock(admin_client_logged_in):
    client, _user = admin_client_logged_in
    consumable = ConsumableFactory()
    html = client.get(f"/admin/inventory/consumable/{consumable.pk}/change/").content.decode()
    assert 'name="stock"' not in html
    assert 'name="stock"' in client.get("/admin/inventory/consumable/add/").content.decode()
