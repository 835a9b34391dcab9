"""List endpoints do a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.models import Item
from tests.factories import CaseFactory, DepotFactory, ItemFactory, KitTypeFactory

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/items/", "/api/v1/kit-types/"]


def _grow_to(rows: int) -> None:
    """Items (each with kit type, depot and case) and kit types until there are `rows` of each."""
    depot = DepotFactory(name="Depot Tellen")
    while Item.objects.count() < rows:
        kit_type = KitTypeFactory()
        ItemFactory(kit_type=kit_type, depot=depot, case=CaseFactory(depot=depot))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_rows(coordinator_client, url):
    coordinator_client.get(url)  # warm per-process caches (content types, ...)
    _grow_to(5)
    with_5 = _queries(coordinator_client, url)
    _grow_to(50)
    with_50 = _queries(coordinator_client, url)
    assert coordinator_client.get(url).data["count"] == 50
    assert with_5 == with_50


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_is_pinned(crew_client, django_assert_max_num_queries, url):
    _grow_to(50)
    crew_client.get(url)
    # role lookup (groups), count, page
    with django_assert_max_num_queries(3):
        response = crew_client.get(url)
    assert len(response.data["results"]) == 50


def test_available_count_counts_only_available_items(crew_client):
    kit_type = KitTypeFactory(name="Tablet")
    ItemFactory.create_batch(3, kit_type=kit_type)
    ItemFactory(kit_type=kit_type, status=Item.Status.DEFECT)
    ItemFactory(kit_type=kit_type, status=Item.Status.MAINTENANCE)
    KitTypeFactory(name="Drone")
    rows = {row["name"]: row for row in crew_client.get("/api/v1/kit-types/").data["results"]}
    assert rows["Tablet"]["available_count"] == 3
    assert rows["Drone"]["available_count"] == 0
    detail = crew_client.get(f"/api/v1/kit-types/{kit_type.id}/").data
    assert detail["available_count"] == 3


def test_created_kit_type_reports_available_count(coordinator_client):
    response = coordinator_client.post(
        "/api/v1/kit-types/", {"name": "Drone", "spare_units": 1}, format="json"
    )
    assert response.status_code == 201
    assert response.data["available_count"] == 0
