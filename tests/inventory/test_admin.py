"""The Django admin: every inventory model registered with history, pages render for coordinators."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inventory import services
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


def _change_form(item, **overrides) -> dict:
    data = {
        "asset_tag": item.asset_tag,
        "kit_type": item.kit_type_id,
        "depot": item.depot_id,
        "serial_number": item.serial_number,
        "case": "",
        "notes": item.notes,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_shows_status_read_only_on_change_and_editable_on_add(admin_client_logged_in):
    client, _user = admin_client_logged_in
    item = ItemFactory()
    html = client.get(f"/admin/inventory/item/{item.pk}/change/").content.decode()
    assert 'name="status"' not in html
    assert 'name="status"' in client.get("/admin/inventory/item/add/").content.decode()


@pytest.mark.django_db
def test_admin_status_change_goes_through_the_service(admin_client_logged_in):
    client, user = admin_client_logged_in
    item = ItemFactory()
    response = client.post(
        "/admin/inventory/item/",
        {"action": "item_send_to_maintenance", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302, response.content[:2000]
    item.refresh_from_db()
    assert item.status == Item.Status.MAINTENANCE
    record = item.history.latest("history_date")
    assert record.history_user == user
    assert record.history_change_reason == "in onderhoud"


@pytest.mark.django_db
def test_admin_action_refuses_a_transition_the_service_refuses(admin_client_logged_in):
    client, _user = admin_client_logged_in
    item = ItemFactory(status=Item.Status.RETIRED)
    response = client.post(
        "/admin/inventory/item/",
        {"action": "item_repair", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "cannot become" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.RETIRED


def _loaded_version(client, item) -> str:
    html = client.get(f"/admin/inventory/item/{item.pk}/change/").content.decode()
    match = re.search(r'name="loaded_version" value="([^"]*)"', html)
    assert match, "the change form carries the version it was loaded with"
    return unescape(match.group(1))


@pytest.mark.django_db
def test_admin_form_loaded_before_a_defect_report_is_refused(admin_client_logged_in):
    """The form was loaded while the item was available; someone reports it defect; saving the
    old form says so (in Dutch) and writes nothing."""
    client, _user = admin_client_logged_in
    item = ItemFactory()
    loaded = _change_form(item, loaded_version=_loaded_version(client, item))
    services.item_report_defect(item=item, note="scherm kapot")
    response = client.post(
        f"/admin/inventory/item/{item.pk}/change/", {**loaded, "serial_number": "SN-NIEUW"}
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.DEFECT
    assert item.serial_number != "SN-NIEUW"
    assert "scherm kapot" in item.notes


@pytest.mark.django_db
def test_admin_form_saves_only_the_changed_fields(admin_client_logged_in):
    client, _user = admin_client_logged_in
    item = ItemFactory(notes="oud")
    loaded = _change_form(item, loaded_version=_loaded_version(client, item))
    response = client.post(
        f"/admin/inventory/item/{item.pk}/change/", {**loaded, "serial_number": "SN-NIEUW"}
    )
    assert response.status_code == 302, response.content[:2000]
    item.refresh_from_db()
    assert item.serial_number == "SN-NIEUW"
    record = item.history.latest("history_date")
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["serial_number"]


@pytest.mark.django_db
def test_admin_form_without_a_version_does_not_undo_a_defect(admin_client_logged_in):
    """Even an old form (no version) cannot put the status back: it is read-only there."""
    client, _user = admin_client_logged_in
    item = ItemFactory()
    loaded = _change_form(item, status="available")
    services.item_report_defect(item=item)
    response = client.post(
        f"/admin/inventory/item/{item.pk}/change/", {**loaded, "serial_number": "SN-NIEUW"}
    )
    assert response.status_code == 302, response.content[:2000]
    item.refresh_from_db()
    assert item.status == Item.Status.DEFECT
    assert item.serial_number == "SN-NIEUW"


@pytest.mark.django_db
def test_admin_consumable_form_does_not_undo_an_adjustment(admin_client_logged_in):
    client, _user = admin_client_logged_in
    consumable = ConsumableFactory(stock=Decimal("100"), reorder_level=Decimal("10"))
    services.consumable_adjust_stock(consumable=consumable, delta=Decimal("-7"))
    response = client.post(
        f"/admin/inventory/consumable/{consumable.pk}/change/",
        {"name": consumable.name, "unit": consumable.unit, "reorder_level": "20"},
    )
    assert response.status_code == 302, response.content[:2000]
    consumable.refresh_from_db()
    assert consumable.stock == Decimal("93")
    assert consumable.reorder_level == Decimal("20")


@pytest.mark.django_db
def test_admin_cannot_edit_consumable_stock(admin_client_logged_in):
    client, _user = admin_client_logged_in
    consumable = ConsumableFactory()
    html = client.get(f"/admin/inventory/consumable/{consumable.pk}/change/").content.decode()
    assert 'name="stock"' not in html
    assert 'name="stock"' in client.get("/admin/inventory/consumable/add/").content.decode()
