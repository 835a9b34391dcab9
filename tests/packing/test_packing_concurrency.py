"""Two tablets scanning the same free item into visits of two wagons on one day: one wins
(PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from bookings.packing.models import PackingLine
from bookings.packing.services import packing_list_ensure
from tests.factories import WagonFactory
from tests.packing.conftest import make_booking

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_item_cannot_be_scanned_into_two_visits_at_once(kit, school, other_school, crew_user):
    # Two wagons: the stops of one wagon share its items (PRODUCT.md rule 1), two wagons never.
    first = make_booking(kit, school, pupils=4)
    first.wagon = WagonFactory(depot=kit.depot)
    first.save()
    second = make_booking(kit, other_school, pupils=4)
    packing_list_ensure(booking=first)
    packing_list_ensure(booking=second)
    taken = set(
        PackingLine.objects.filter(item__isnull=False).values_list("item__asset_tag", flat=True)
    )
    free = next(item for item in kit.tablets if item.asset_tag not in taken)
    barrier = threading.Barrier(2)
    results = []

    def scan(booking):
        client = APIClient()
        client.force_authenticate(crew_user)
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/bookings/{booking.id}/packing-list/check/",
                {"action": "pack", "asset_tag": free.asset_tag, "client_id": str(uuid.uuid4())},
                format="json",
            )
            results.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(b,)) for b in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    assert PackingLine.objects.filter(item=free).count() == 1
