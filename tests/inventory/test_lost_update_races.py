"""No lost updates under real concurrency (PostgreSQL, threads): a PATCH of an item or consumable
racing a defect report or a stock adjustment, 100 rounds each, with a stale If-Match and without
one. The defect always stays, every accepted PATCH stays, the stock is the exact sum."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from inventory import services
from inventory.models import Consumable, Item
from tests.factories import ConsumableFactory, ItemFactory, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 100


def _client(user_id: int) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=user_id))
    return client


def _race_rounds(rounds: int, prepare, workers, check) -> None:
    """`rounds` times: `prepare(round)` on the test's connection, then every worker at the same
    moment (each a long-lived thread with its own connection), then `check(round, results)`."""
    start = threading.Barrier(len(workers) + 1, timeout=60)
    done = threading.Barrier(len(workers) + 1, timeout=60)
    shared: dict = {}
    results: list = [None] * len(workers)

    def run(index):
        try:
            for _ in range(rounds):
                start.wait()
                try:
                    results[index] = workers[index](shared)
                except Exception as exc:  # surfaced by check()
                    results[index] = exc
                done.wait()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    finished = False
    try:
        for round_ in range(rounds):
            shared.clear()
            shared.update(prepare(round_), round=round_)
            start.wait()
            done.wait()
            for result in results:
                assert not isinstance(result, Exception), (round_, result)
            check(round_, list(results))
        finished = True
    finally:
        # Abort only to free the workers after a failure: after the last round a worker may not
        # yet have left done.wait(), and an abort then raises BrokenBarrierError in it.
        if not finished:
            start.abort()
            done.abort()
        for thread in threads:
            thread.join(timeout=60)


@pytest.fixture
def users(db):
    return make_user("coord-race", "coordinator").pk, make_user("crew-race", "crew").pk


@pytest.mark.parametrize("mode", ["no_if_match", "stale_if_match", "stale_copy"])
def test_patching_an_item_never_undoes_a_racing_defect_report(users, mode):
    coordinator_id, crew_id = users
    item = ItemFactory()
    url = f"/api/v1/items/{item.pk}/"
    coordinator = _client(coordinator_id)
    patcher, reporter = _client(coordinator_id), _client(crew_id)
    allowed = {"no_if_match": {200}, "stale_if_match": {200, 412}, "stale_copy": {200, 400}}
    serials = {}  # round → serial number as read before the race

    def prepare(round_):
        current = Item.objects.get(pk=item.pk)
        if current.status != Item.Status.AVAILABLE:
            services.item_repair(item=current)
        read = coordinator.get(url)
        body = {"serial_number": f"SN-{round_}"}
        if mode == "stale_copy":
            body = {**read.data, **body}  # includes the status as read: available
        headers = {"If-Match": read["ETag"]} if mode == "stale_if_match" else {}
        serials[round_] = read.data["serial_number"]
        return {"body": body, "headers": headers}

    def patch(shared):
        return patcher.patch(url, shared["body"], format="json", headers=shared["headers"])

    def report(shared):
        return reporter.post(f"{url}report-defect/", {"note": f"ronde {shared['round']}"})

    def check(round_, results):
        patched, reported = results
        assert reported.status_code == 200, reported.data
        assert patched.status_code in allowed[mode], (round_, patched.data)
        stored = Item.objects.get(pk=item.pk)
        assert stored.status == Item.Status.DEFECT, f"round {round_}: the defect was undone"
        assert f"ronde {round_}" in stored.notes
        serial = f"SN-{round_}" if patched.status_code == 200 else serials[round_]
        assert stored.serial_number == serial, f"round {round_}: the PATCH was lost"

    _race_rounds(ROUNDS, prepare, [patch, report], check)


@pytest.mark.parametrize("mode", ["no_if_match", "stale_if_match"])
def test_patching_a_consumable_never_undoes_a_racing_adjustment(users, mode):
    coordinator_id, _crew_id = users
    consumable = ConsumableFactory(stock=Decimal("5900"), reorder_level=Decimal("100"))
    url = f"/api/v1/consumables/{consumable.pk}/"
    reader, patcher, adjuster = (_client(coordinator_id) for _ in range(3))
    accepted = []

    def prepare(round_):
        read = reader.get(url)
        headers = {"If-Match": read["ETag"]} if mode == "stale_if_match" else {}
        return {"headers": headers, "level": 101 + round_}

    def patch(shared):
        body = {"reorder_level": shared["level"]}
        return patcher.patch(url, body, format="json", headers=shared["headers"])

    def adjust(shared):
        return adjuster.post(f"{url}adjust/", {"delta": "0.25"}, format="json")

    def check(round_, results):
        patched, adjusted = results
        assert adjusted.status_code == 200, adjusted.data
        assert patched.status_code in ({200} if mode == "no_if_match" else {200, 412})
        if patched.status_code == 200:
            accepted.append(101 + round_)
        stored = Consumable.objects.get(pk=consumable.pk)
        assert stored.stock == Decimal("5900") + Decimal("0.25") * (round_ + 1), round_
        assert stored.reorder_level == Decimal(accepted[-1] if accepted else 100)

    _race_rounds(ROUNDS, prepare, [patch, adjust], check)
    assert Consumable.objects.get(pk=consumable.pk).stock == Decimal("5925")
