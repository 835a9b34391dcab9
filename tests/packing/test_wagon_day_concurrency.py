"""Two tablets (or a tablet's retry racing its first attempt) sending the same wagon-day action:
applied once, both answered alike (PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from bookings.packing.models import CheckAction, PackingLine, WagonDayAction
from tests.factories import SchoolFactory
from tests.packing.conftest import VISIT_DAY, make_booking

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_client_id_twice_at_once_packs_once(kit, school, crew_user):
    make_booking(kit, school, pupils=8)
    make_booking(kit, SchoolFactory(depot=kit.depot), pupils=12)
    client_id = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    results = []

    def send():
        client = APIClient()
        client.force_authenticate(crew_user)
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/wagon-days/{kit.wagon.pk}/{VISIT_DAY.isoformat()}/check/",
                {"action": "pack", "asset_tag": "ROB-007", "client_id": client_id},
                format="json",
            )
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _body in results] == [200, 200]
    assert results[0][1] == results[1][1]
    assert WagonDayAction.objects.count() == 1
    assert PackingLine.objects.filter(item__asset_tag="ROB-007", packed=True).count() == 2
    assert CheckAction.objects.count() == 2
