"""Per-user quota on API writes: reads never count, each user has their own counter, staff get
more room than schools, and over the rate the answer is DRF's 429 with Retry-After."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.models import ThrottleCounter
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"writes_staff": "4/hour", "writes_school": "2/hour"},
    }


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def patch_contact(client, school, name="Juf Anna"):
    return client.patch(f"/api/v1/schools/{school.id}/", {"contact_name": name}, format="json")


def test_a_school_user_is_throttled_after_its_writes_per_hour(
    low_rates, clock, school_client, school
):
    assert [patch_contact(school_client, school).status_code for _ in range(2)] == [200, 200]
    response = patch_contact(school_client, school)
    assert response.status_code == 429
    assert set(response.json()) == {"detail"}  # DRF's shape
    assert int(response["Retry-After"]) > 0
    school.refresh_from_db()

    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert patch_contact(school_client, school).status_code == 200


def test_reads_are_not_counted(low_rates, clock, school_client, school):
    for _ in range(10):
        assert school_client.get(f"/api/v1/schools/{school.id}/").status_code == 200
    assert patch_contact(school_client, school).status_code == 200


def test_each_user_has_their_own_count(low_rates, clock, school_client, school, coordinator_client):
    for _ in range(2):
        patch_contact(school_client, school)
    assert patch_contact(school_client, school).status_code == 429
    assert patch_contact(coordinator_client, school).status_code == 200


def test_staff_get_the_staff_rate(low_rates, clock, crew_client):
    item = ItemFactory()
    url = f"/api/v1/items/{item.id}/report-defect/"
    statuses = [crew_client.post(url, {"note": "wiel los"}, format="json").status_code]
    statuses += [
        crew_client.post(url, {"note": "los"}, format="json").status_code for _ in range(3)
    ]
    assert 429 not in statuses  # more than the school rate of 2
    assert crew_client.post(url, {"note": "los"}, format="json").status_code == 429


def test_the_counter_lives_in_the_database_in_one_statement(
    low_rates, clock, school_client, school
):
    """Shared by every worker (a row, not process memory), and a write costs one statement."""
    user_id = school_client.handler._force_user.pk
    with CaptureQueriesContext(connection) as context:
        patch_contact(school_client, school)
    counting = [q["sql"] for q in context.captured_queries if "tw_throttle" in q["sql"]]
    assert len(counting) == 1
    assert not any("tw_cache" in q["sql"] for q in context.captured_queries)
    row = ThrottleCounter.objects.get(key=f"throttle_writes_{user_id}")
    assert (row.hits, row.window_start) == (1, START.timestamp())
    # A second process sees the same count: the row is the only state.
    ThrottleCounter.objects.filter(pk=row.pk).update(hits=2)
    assert patch_contact(school_client, school).status_code == 429


def test_a_refused_or_failed_write_does_not_count(low_rates, clock, school_client, school):
    assert patch_contact(school_client, school).status_code == 200
    # A 400 is rolled back with the request (AtomicApiWritesMiddleware), its count too.
    for _ in range(3):
        bad = school_client.patch(
            f"/api/v1/schools/{school.id}/", {"contact_email": "geen adres"}, format="json"
        )
        assert bad.status_code == 400
    assert patch_contact(school_client, school).status_code == 200
    assert patch_contact(school_client, school).status_code == 429
    assert patch_contact(school_client, school).status_code == 429
    user_id = school_client.handler._force_user.pk
    assert ThrottleCounter.objects.get(key=f"throttle_writes_{user_id}").hits == 2


def test_the_window_restarts_after_its_period(low_rates, clock, school_client, school):
    patch_contact(school_client, school)
    clock.shift(dt.timedelta(minutes=30))
    patch_contact(school_client, school)
    response = patch_contact(school_client, school)
    assert response.status_code == 429
    # The window started with the first write: 30 minutes left.
    assert int(response["Retry-After"]) == 30 * 60
    clock.shift(dt.timedelta(minutes=30))
    assert [patch_contact(school_client, school).status_code for _ in range(3)] == [200, 200, 429]


def test_the_cache_table_migration_creates_the_table_and_can_run_twice():
    from importlib import import_module

    migration = import_module("backend.migrations.0001_cache_table")
    editor = SimpleNamespace(connection=connection)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE tw_cache")
    assert "tw_cache" not in connection.introspection.table_names()
    migration.create_cache_table(None, editor)
    migration.create_cache_table(None, editor)
    assert "tw_cache" in connection.introspection.table_names()
