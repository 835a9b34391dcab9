"""Items through the API: history with the acting user, bad input, defects, filters."""

import pytest
from django.db import IntegrityError, transaction

from inventory.models import Item
from tests.factories import CaseFactory, DepotFactory, ItemFactory, KitTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return ItemFactory(asset_tag="VR-001", kit_type=KitTypeFactory(name="VR-bril"))


def _new_item_body(item, **overrides):
    body = {
        "asset_tag": "VR-002",
        "kit_type": item.kit_type_id,
        "depot": item.depot_id,
        "serial_number": "SN-NEW",
        "status": "available",
    }
    body.update(overrides)
    return body


# --- history ---------------------------------------------------------------------------------


def test_status_change_records_history_with_user_and_field(coordinator_client, coordinator, item):
    response = coordinator_client.post(f"/api/v1/items/{item.id}/maintenance/", {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "maintenance"

    record = item.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == coordinator
    assert record.status == "maintenance"

    history = coordinator_client.get(f"/api/v1/items/{item.id}/history/")
    assert history.status_code == 200
    newest = history.data[0]
    assert newest["history_user"] == "coord"
    assert newest["history_type"] == "~"
    assert {"field": "status", "old": "available", "new": "maintenance"} in newest["changes"]
    assert [c["field"] for c in newest["changes"]] == ["status"]
    # The creation record comes last and lists the initial values.
    assert history.data[-1]["history_type"] == "+"


def test_history_through_the_real_middleware_with_token_auth(client, coordinator, item):
    """The acting user also comes through for token (not session) requests."""
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=coordinator)
    response = client.patch(
        f"/api/v1/items/{item.id}/",
        data='{"notes": "kwijt"}',
        content_type="application/json",
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 200
    assert item.history.latest("history_date").history_user == coordinator


def test_history_of_unknown_item_is_404(coordinator_client):
    assert coordinator_client.get("/api/v1/items/999999/history/").status_code == 404


# --- report defect -----------------------------------------------------------------------------


def test_crew_reports_defect(crew_client, crew_user, item):
    response = crew_client.post(
        f"/api/v1/items/{item.id}/report-defect/", {"note": "scherm gebarsten"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "defect"
    item.refresh_from_db()
    assert item.status == Item.Status.DEFECT
    assert "scherm gebarsten" in item.notes
    record = item.history.latest("history_date")
    assert record.history_user == crew_user
    assert "scherm gebarsten" in record.history_change_reason
    history = crew_client.get(f"/api/v1/items/{item.id}/history/").data
    assert {"field": "status", "old": "available", "new": "defect"} in history[0]["changes"]


def test_report_defect_without_note(crew_client, item):
    response = crew_client.post(f"/api/v1/items/{item.id}/report-defect/", {}, format="json")
    assert response.status_code == 200
    assert response.data["status"] == "defect"


def test_report_defect_on_lost_item_is_409(crew_client, item):
    item.status = Item.Status.LOST
    item.save()
    response = crew_client.post(f"/api/v1/items/{item.id}/report-defect/", {}, format="json")
    assert response.status_code == 409
    assert response.data["code"] == "invalid_status"
    item.refresh_from_db()
    assert item.status == Item.Status.LOST


def test_crew_cannot_edit_items(crew_client, item):
    response = crew_client.patch(f"/api/v1/items/{item.id}/", {"status": "lost"}, format="json")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE


def test_school_cannot_report_defect(school_client, item):
    response = school_client.post(f"/api/v1/items/{item.id}/report-defect/", {}, format="json")
    assert response.status_code == 403


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["VR-001", "vr-001", " Vr-001 "])
def test_duplicate_asset_tag_is_400_on_asset_tag(coordinator_client, item, tag):
    before = Item.objects.count()
    response = coordinator_client.post(
        "/api/v1/items/", _new_item_body(item, asset_tag=tag), format="json"
    )
    assert response.status_code == 400
    assert "asset_tag" in response.data
    assert Item.objects.count() == before


def test_renaming_to_a_tag_differing_only_in_case_is_400(coordinator_client, item):
    other = ItemFactory(asset_tag="VR-009", kit_type=item.kit_type, depot=item.depot)
    response = coordinator_client.patch(
        f"/api/v1/items/{other.id}/", {"asset_tag": "vr-001"}, format="json"
    )
    assert response.status_code == 400
    assert "asset_tag" in response.data
    other.refresh_from_db()
    assert other.asset_tag == "VR-009"


def test_an_item_may_keep_its_own_tag_in_other_case(coordinator_client, item):
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", {"asset_tag": "vr-001"}, format="json"
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.asset_tag == "vr-001"


def test_database_constraint_rejects_case_only_duplicate(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(asset_tag="vr-001", kit_type=item.kit_type, depot=item.depot)
    assert Item.objects.filter(asset_tag__iexact="vr-001").count() == 1


def test_unknown_status_is_400(coordinator_client, item):
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", {"status": "stolen"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.data
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
    assert item.history.count() == 1


def test_unknown_status_on_create_is_400(coordinator_client, item):
    response = coordinator_client.post(
        "/api/v1/items/", _new_item_body(item, status="stolen"), format="json"
    )
    assert response.status_code == 400
    assert "status" in response.data
    assert not Item.objects.filter(asset_tag="VR-002").exists()


def test_unknown_status_filter_is_400(coordinator_client, item):
    response = coordinator_client.get("/api/v1/items/?status=stolen")
    assert response.status_code == 400
    assert "status" in response.data


@pytest.mark.parametrize(
    "payload", ['{"asset_tag": "VR-003",', "not json", '["a", "list"]', "\x00\xff"]
)
def test_malformed_json_is_400(coordinator_client, item, payload):
    before = Item.objects.count()
    response = coordinator_client.post(
        "/api/v1/items/", data=payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert Item.objects.count() == before


def test_malformed_json_on_update_changes_nothing(coordinator_client, item):
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", data='{"status": "lost"', content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.data
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE


@pytest.mark.parametrize("kit_type", [999999, "abc", None, -1, 2**63])
def test_unknown_kit_type_is_400(coordinator_client, item, kit_type):
    before = Item.objects.count()
    response = coordinator_client.post(
        "/api/v1/items/", _new_item_body(item, kit_type=kit_type), format="json"
    )
    assert response.status_code == 400
    assert "kit_type" in response.data
    assert Item.objects.count() == before


def test_case_from_another_depot_is_400(coordinator_client, item):
    foreign_case = CaseFactory(depot=DepotFactory(name="Depot Elders"))
    response = coordinator_client.post(
        "/api/v1/items/", _new_item_body(item, case=foreign_case.id), format="json"
    )
    assert response.status_code == 400
    assert "case" in response.data
    assert not Item.objects.filter(asset_tag="VR-002").exists()


def test_blank_asset_tag_is_400(coordinator_client, item):
    response = coordinator_client.post(
        "/api/v1/items/", _new_item_body(item, asset_tag="   "), format="json"
    )
    assert response.status_code == 400
    assert "asset_tag" in response.data


def test_create_item_and_its_history(coordinator_client, coordinator, item):
    response = coordinator_client.post("/api/v1/items/", _new_item_body(item), format="json")
    assert response.status_code == 201, response.data
    created = Item.objects.get(pk=response.data["id"])
    assert created.history.get().history_user == coordinator


def test_deleting_kit_type_in_use_is_409(coordinator_client, item):
    response = coordinator_client.delete(f"/api/v1/kit-types/{item.kit_type_id}/")
    assert response.status_code == 409
    assert Item.objects.filter(pk=item.pk).exists()


# --- filters -----------------------------------------------------------------------------------


def test_item_filters(crew_client, item):
    other_type = KitTypeFactory(name="Blue-Bot")
    ItemFactory(asset_tag="BB-001", kit_type=other_type, status=Item.Status.DEFECT)
    ItemFactory(asset_tag="BB-002", kit_type=other_type, notes="wiel piept")

    def tags(query):
        response = crew_client.get(f"/api/v1/items/{query}")
        assert response.status_code == 200
        return sorted(row["asset_tag"] for row in response.data["results"])

    assert tags("") == ["BB-001", "BB-002", "VR-001"]
    assert tags(f"?kit_type={other_type.id}") == ["BB-001", "BB-002"]
    assert tags("?status=defect") == ["BB-001"]
    assert tags("?asset_tag=vr-001") == ["VR-001"]
    assert tags("?search=piept") == ["BB-002"]
    assert tags("?search=blue") == ["BB-001", "BB-002"]


# --- the hand-written representation -----------------------------------------------------------


@pytest.mark.parametrize("with_case", [True, False])
def test_item_representation_matches_the_model_serializer(with_case):
    """ItemSerializer.to_representation is hand-written for speed; it must say what DRF would."""
    from rest_framework import serializers

    from inventory.serializers import ItemSerializer

    depot = DepotFactory(name="Depot Vorm")
    item = ItemFactory(
        depot=depot,
        case=CaseFactory(depot=depot) if with_case else None,
        notes="kras",
        status=Item.Status.MAINTENANCE,
    )
    generic = serializers.ModelSerializer.to_representation(ItemSerializer(), item)
    fast = ItemSerializer(item).data
    assert fast == generic
    assert list(fast) == ItemSerializer.Meta.fields
