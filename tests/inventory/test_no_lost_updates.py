"""An edit of an item or consumable never undoes a defect report or a stock adjustment that
happened meanwhile: the status and the stock are not editable, and an update writes only the
fields it changes (against the row as stored at the moment of writing)."""

from decimal import Decimal

import pytest
from django.db import connection

from inventory import services
from inventory.models import Consumable, Item
from inventory.serializers import ConsumableSerializer, ItemSerializer
from tests.factories import ConsumableFactory, ItemFactory

pytestmark = pytest.mark.django_db


def _meanwhile(monkeypatch, serializer_class, change):
    """Run `change` after the view has read the object and before it writes (what a concurrent
    request does in a race), deterministically."""
    original = serializer_class.validate

    def validate(self, attrs):
        change(self.instance)
        return original(self, attrs)

    monkeypatch.setattr(serializer_class, "validate", validate)


def test_a_patch_racing_a_defect_report_keeps_the_defect(monkeypatch, coordinator_client):
    item = ItemFactory(notes="")
    _meanwhile(
        monkeypatch,
        ItemSerializer,
        lambda instance: services.item_report_defect(item=instance, note="scherm kapot"),
    )
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", {"serial_number": "SN-NIEUW"}, format="json"
    )
    assert response.status_code == 200, response.data
    item.refresh_from_db()
    assert item.status == Item.Status.DEFECT
    assert item.serial_number == "SN-NIEUW"
    assert item.notes == "scherm kapot"
    assert response.data["status"] == "defect"  # the answer shows what is stored


def test_a_patch_with_a_stale_copy_cannot_undo_a_defect_report(coordinator_client, crew_client):
    item = ItemFactory()
    copy = coordinator_client.get(f"/api/v1/items/{item.id}/").data
    assert crew_client.post(f"/api/v1/items/{item.id}/report-defect/", {}).status_code == 200
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", {**copy, "serial_number": "SN-NIEUW"}, format="json"
    )
    assert response.status_code == 400
    assert "/report-defect/" in response.data["status"][0]
    assert "/repair/" in response.data["status"][0]
    item.refresh_from_db()
    assert item.status == Item.Status.DEFECT
    assert item.serial_number != "SN-NIEUW"


def test_a_put_with_a_stale_copy_cannot_undo_a_defect_report(coordinator_client, crew_client):
    item = ItemFactory()
    copy = coordinator_client.get(f"/api/v1/items/{item.id}/").data
    crew_client.post(f"/api/v1/items/{item.id}/report-defect/", {})
    response = coordinator_client.put(f"/api/v1/items/{item.id}/", copy, format="json")
    assert response.status_code == 400
    assert "status" in response.data
    assert Item.objects.get(pk=item.pk).status == Item.Status.DEFECT


def test_sending_the_current_status_along_is_fine(coordinator_client):
    item = ItemFactory(status=Item.Status.DEFECT)
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", {"status": "defect", "notes": "bij leverancier"}, format="json"
    )
    assert response.status_code == 200, response.data
    item.refresh_from_db()
    assert (item.status, item.notes) == (Item.Status.DEFECT, "bij leverancier")


def test_a_new_item_may_start_in_any_status(coordinator_client):
    template = ItemFactory()
    response = coordinator_client.post(
        "/api/v1/items/",
        {
            "asset_tag": "VR-NIEUW",
            "kit_type": template.kit_type_id,
            "depot": template.depot_id,
            "status": "maintenance",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Item.objects.get(asset_tag="VR-NIEUW").status == Item.Status.MAINTENANCE


def test_a_patch_racing_an_adjustment_keeps_the_stock(monkeypatch, coordinator_client):
    consumable = ConsumableFactory(stock=Decimal("5900"), reorder_level=Decimal("100"))
    _meanwhile(
        monkeypatch,
        ConsumableSerializer,
        lambda instance: services.consumable_adjust_stock(consumable=instance, delta=Decimal("19")),
    )
    response = coordinator_client.patch(
        f"/api/v1/consumables/{consumable.id}/", {"reorder_level": 200}, format="json"
    )
    assert response.status_code == 200, response.data
    consumable.refresh_from_db()
    assert consumable.stock == Decimal("5919")
    assert consumable.reorder_level == Decimal("200")
    assert response.data["stock"] == 5919


def test_patching_stock_names_the_adjust_action(coordinator_client):
    consumable = ConsumableFactory(stock=Decimal("5"))
    response = coordinator_client.patch(
        f"/api/v1/consumables/{consumable.id}/", {"stock": 6}, format="json"
    )
    assert response.status_code == 400
    assert "/adjust/" in response.data["stock"][0]
    assert Consumable.objects.get(pk=consumable.pk).stock == Decimal("5")


def test_an_update_writes_only_the_fields_it_changes(coordinator_client):
    item = ItemFactory(notes="oud")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = coordinator_client.patch(
            f"/api/v1/items/{item.id}/", {"notes": "nieuw", "serial_number": item.serial_number}
        )
    assert response.status_code == 200, response.data
    [update] = [sql for sql in statements if sql.startswith('UPDATE "inventory_item"')]
    assert '"notes"' in update
    for column in ("status", "serial_number", "asset_tag", "kit_type_id", "case_id"):
        assert f'"{column}"' not in update
    latest = item.history.latest("history_date")
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["notes"]


def test_an_update_that_changes_nothing_writes_nothing(coordinator_client):
    item = ItemFactory(notes="zelfde")
    response = coordinator_client.patch(f"/api/v1/items/{item.id}/", {"notes": "zelfde"})
    assert response.status_code == 200
    assert item.history.count() == 1
