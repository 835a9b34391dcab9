"""Consumable stock: only through the adjust service, never negative, no lost updates."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from inventory.exceptions import InventoryError
from inventory.models import Consumable
from inventory.services import consumable_adjust_stock
from tests.factories import ConsumableFactory, make_user


@pytest.mark.django_db
def test_adjust_through_api_records_history(coordinator_client, coordinator):
    consumable = ConsumableFactory(stock=Decimal("100"), reorder_level=Decimal("10"))
    response = coordinator_client.post(
        f"/api/v1/consumables/{consumable.id}/adjust/",
        {"delta": "-92.5", "reason": "bezoek TW-2027-0001"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["stock"] == 7.5
    assert response.data["low"] is True
    record = consumable.history.latest("history_date")
    assert record.history_user == coordinator
    assert record.history_change_reason == "bezoek TW-2027-0001"
    history = coordinator_client.get(f"/api/v1/consumables/{consumable.id}/history/").data
    assert {"field": "stock", "old": "100.00", "new": "7.50"} in history[0]["changes"]


@pytest.mark.django_db
def test_taking_more_than_stock_is_409_and_changes_nothing(coordinator_client):
    consumable = ConsumableFactory(stock=Decimal("5"))
    response = coordinator_client.post(
        f"/api/v1/consumables/{consumable.id}/adjust/", {"delta": -6}, format="json"
    )
    assert response.status_code == 409
    assert response.data["code"] == "insufficient_stock"
    assert response.data["stock"] == "5.00"
    consumable.refresh_from_db()
    assert consumable.stock == Decimal("5")
    assert consumable.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("delta", [0, "abc", None, "1e400", 10**7, "0.001"])
def test_bad_delta_is_400(coordinator_client, delta):
    consumable = ConsumableFactory(stock=Decimal("5"))
    response = coordinator_client.post(
        f"/api/v1/consumables/{consumable.id}/adjust/", {"delta": delta}, format="json"
    )
    assert response.status_code == 400
    assert "delta" in response.data
    consumable.refresh_from_db()
    assert consumable.stock == Decimal("5")


@pytest.mark.django_db
def test_stock_cannot_be_patched_directly(coordinator_client):
    consumable = ConsumableFactory(stock=Decimal("5"))
    response = coordinator_client.patch(
        f"/api/v1/consumables/{consumable.id}/", {"stock": 500}, format="json"
    )
    assert response.status_code == 400
    assert "stock" in response.data
    consumable.refresh_from_db()
    assert consumable.stock == Decimal("5")


@pytest.mark.django_db
def test_crew_cannot_adjust(crew_client):
    consumable = ConsumableFactory(stock=Decimal("5"))
    response = crew_client.post(
        f"/api/v1/consumables/{consumable.id}/adjust/", {"delta": -1}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_low_filter(crew_client):
    ConsumableFactory(name="PLA", stock=Decimal("1000"), reorder_level=Decimal("1500"))
    ConsumableFactory(name="Batterijen", stock=Decimal("120"), reorder_level=Decimal("48"))
    low = crew_client.get("/api/v1/consumables/?low=true").data["results"]
    assert [row["name"] for row in low] == ["PLA"]
    fine = crew_client.get("/api/v1/consumables/?low=false").data["results"]
    assert [row["name"] for row in fine] == ["Batterijen"]


@pytest.mark.django_db
def test_service_allow_negative_clamps_at_zero():
    consumable = ConsumableFactory(stock=Decimal("3"))
    with pytest.raises(InventoryError):
        consumable_adjust_stock(consumable=consumable, delta=Decimal("-4"))
    result = consumable_adjust_stock(
        consumable=consumable, delta=Decimal("-4"), allow_negative=True
    )
    assert result.stock == Decimal("0")


# --- concurrency (PostgreSQL: real row locks between connections) ---------------------------

THREADS = 8
ROUNDS = 5
AMOUNT = Decimal("1.5")
START = Decimal("500")


def _run_in_threads(work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def runner(index):
        try:
            barrier.wait()
            for _ in range(ROUNDS):
                work(index)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_service_decrements_lose_nothing():
    consumable = ConsumableFactory(stock=START)

    def work(_index):
        consumable_adjust_stock(consumable=consumable, delta=-AMOUNT, reason="parallel")

    errors = _run_in_threads(work)
    assert not errors, errors
    consumable.refresh_from_db()
    assert consumable.stock == START - THREADS * ROUNDS * AMOUNT
    assert consumable.history.count() == 1 + THREADS * ROUNDS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_api_decrements_lose_nothing():
    consumable = ConsumableFactory(stock=START)
    user = make_user("coord-threads", "coordinator")
    _instance, token = AuthToken.objects.create(user=user)
    statuses: list[int] = []

    def work(_index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(
            f"/api/v1/consumables/{consumable.id}/adjust/",
            {"delta": str(-AMOUNT)},
            format="json",
        )
        statuses.append(response.status_code)

    errors = _run_in_threads(work)
    assert not errors, errors
    assert statuses == [200] * (THREADS * ROUNDS)
    consumable.refresh_from_db()
    assert consumable.stock == START - THREADS * ROUNDS * AMOUNT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_decrements_never_go_below_zero():
    consumable = ConsumableFactory(stock=Decimal("10"))
    outcomes: list[str] = []

    def work(_index):
        try:
            consumable_adjust_stock(consumable=consumable, delta=Decimal("-1"))
            outcomes.append("ok")
        except InventoryError:
            outcomes.append("refused")

    errors = _run_in_threads(work)
    assert not errors, errors
    assert outcomes.count("ok") == 10
    assert outcomes.count("refused") == THREADS * ROUNDS - 10
    assert Consumable.objects.get(pk=consumable.pk).stock == Decimal("0")
