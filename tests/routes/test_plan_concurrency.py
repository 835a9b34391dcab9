"""Two coordinators committing a plan for the same weeks at once: the depot-day locks serialise
them, so the result is one set of routes and no error (PostgreSQL, real threads)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from routes.models import PlanJob, Route, RouteStop
from tests.factories import make_user
from tests.routes.helpers import MONDAY, World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_commits_leave_one_consistent_plan():
    world = World(max_visits=2)
    for i in range(4):
        world.booking(
            i,
            date=MONDAY + dt.timedelta(days=i % 2),
            start=dt.time(9 if i < 2 else 13, 0),
            alternative_dates=[MONDAY + dt.timedelta(days=2)],
        )
    user = make_user("planner", "coordinator")
    body = {
        "date_from": MONDAY.isoformat(),
        "date_to": (MONDAY + dt.timedelta(days=4)).isoformat(),
        "commit": True,
    }
    statuses = []
    barrier = threading.Barrier(2)

    def run():
        client = APIClient()
        client.force_authenticate(user=user)
        try:
            barrier.wait()
            statuses.append(client.post("/api/v1/routes/plan/", body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # TW_PLAN_JOBS=inline: each job plans in its request. Serialised by the locks: the second
    # re-plans, no conflict.
    assert statuses == [202, 202]
    assert sorted(PlanJob.objects.values_list("status", flat=True)) == ["done", "done"]
    assert RouteStop.objects.count() == 4
    assert Route.objects.count() == len({(r.wagon_id, r.date) for r in Route.objects.all()})
