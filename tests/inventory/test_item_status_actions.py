"""An item's status changes only through its actions: report-defect (crew), maintenance, repair
and retire (coordinators), each checked against the stored status and recorded in history."""

import pytest

from inventory.models import Item
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

S = Item.Status


def _post(client, item, action, body=None):
    return client.post(f"/api/v1/items/{item.id}/{action}/", body or {}, format="json")


@pytest.mark.parametrize(
    "action,start,end",
    [
        ("repair", S.DEFECT, S.AVAILABLE),
        ("repair", S.MAINTENANCE, S.AVAILABLE),
        ("maintenance", S.AVAILABLE, S.MAINTENANCE),
        ("maintenance", S.DEFECT, S.MAINTENANCE),
        ("retire", S.AVAILABLE, S.RETIRED),
        ("retire", S.LOST, S.RETIRED),
        ("report-defect", S.MAINTENANCE, S.DEFECT),
    ],
)
def test_coordinator_moves_an_item_along(coordinator_client, coordinator, action, start, end):
    item = ItemFactory(status=start)
    response = _post(coordinator_client, item, action, {"note": "werkplaats"})
    assert response.status_code == 200, response.data
    assert response.data["status"] == end
    item.refresh_from_db()
    assert item.status == end
    assert item.notes.endswith("werkplaats")
    record = item.history.latest("history_date")
    assert record.history_user == coordinator
    assert "werkplaats" in record.history_change_reason


@pytest.mark.parametrize(
    "action,start",
    [
        ("repair", S.AVAILABLE),
        ("repair", S.RETIRED),
        ("repair", S.LOST),
        ("maintenance", S.RETIRED),
        ("retire", S.RETIRED),
        ("report-defect", S.LOST),
        ("report-defect", S.RETIRED),
    ],
)
def test_a_move_the_stored_status_does_not_allow_is_409(coordinator_client, action, start):
    item = ItemFactory(status=start)
    response = _post(coordinator_client, item, action)
    assert response.status_code == 409
    assert response.data["code"] == "invalid_status"
    assert response.data["status"] == start
    item.refresh_from_db()
    assert item.status == start
    assert item.history.count() == 1


@pytest.mark.parametrize("action", ["repair", "retire", "maintenance"])
def test_crew_may_only_report_defects(crew_client, action):
    item = ItemFactory(status=S.DEFECT)
    assert _post(crew_client, item, action).status_code == 403
    assert Item.objects.get(pk=item.pk).status == S.DEFECT


@pytest.mark.parametrize("action", ["repair", "retire", "maintenance", "report-defect"])
def test_schools_cannot_touch_items(school_client, action):
    item = ItemFactory(status=S.DEFECT)
    assert _post(school_client, item, action).status_code == 403


def test_unknown_item_is_404(coordinator_client):
    assert coordinator_client.post("/api/v1/items/999999/repair/", {}).status_code == 404


def test_too_long_note_is_400(coordinator_client):
    item = ItemFactory(status=S.DEFECT)
    response = _post(coordinator_client, item, "repair", {"note": "x" * 1001})
    assert response.status_code == 400
    assert "note" in response.data
    assert Item.objects.get(pk=item.pk).status == S.DEFECT


@pytest.mark.parametrize("status", ["maintenance", "lost", "retired", "available"])
def test_patching_the_status_is_400_naming_the_actions(coordinator_client, status):
    item = ItemFactory(status=S.DEFECT)
    response = coordinator_client.patch(
        f"/api/v1/items/{item.id}/", {"status": status}, format="json"
    )
    assert response.status_code == 400
    message = response.data["status"][0]
    for action in ("/report-defect/", "/maintenance/", "/repair/", "/retire/"):
        assert action in message
    assert Item.objects.get(pk=item.pk).status == S.DEFECT


def test_a_repaired_item_counts_as_available_again(coordinator_client, crew_client):
    item = ItemFactory(status=S.DEFECT)
    kit_type_url = f"/api/v1/kit-types/{item.kit_type_id}/"
    assert crew_client.get(kit_type_url).data["available_count"] == 0
    assert _post(coordinator_client, item, "repair").status_code == 200
    assert crew_client.get(kit_type_url).data["available_count"] == 1
