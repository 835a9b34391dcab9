"""Booking, workshop and school lists at scale (issue 15): the rows built from values() equal the
serializer's, every filter pages in the database, and the query count does not grow with rows."""

import datetime as dt
import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from bookings.models import Booking, KitReservation
from bookings.selectors import at_risk_bookings, bookings_with_details, today
from bookings.serializers import BookingSerializer
from inventory.models import Item
from inventory.services import item_set_status
from tests.bookings.conftest import VISIT_DAY, make_booking
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    SchoolFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/bookings/"


def _queries(client, url, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries), response.json()


def _varied_bookings(n: int, wagon, robot) -> None:
    """Bookings with 0–3 sessions of workshops with several kit rules, spare units, overlapping
    and following sessions, alternative dates and every status."""
    rng = random.Random(n)
    tablet = KitTypeFactory(name=f"Tablet {n}", spare_units=2)
    with_rules = WorkshopFactory(name=f"Drones {n}", duration_minutes=60)
    KitRuleFactory(workshop=with_rules, kit_type=robot, per_pupils=3)
    KitRuleFactory(workshop=with_rules, kit_type=tablet, per_pupils=None, fixed=4)
    plain = WorkshopFactory(name=f"Zonder materiaal {n}")
    statuses = [c for c, _ in Booking.Status.choices]
    for i in range(n):
        booking = BookingFactory(
            school=SchoolFactory(depot=wagon.depot),
            wagon=wagon if i % 3 else None,
            date=VISIT_DAY + dt.timedelta(days=i % 5),
            status=statuses[i % len(statuses)],
            alternative_dates=[str(VISIT_DAY + dt.timedelta(days=7))] if i % 4 == 0 else [],
        )
        for _ in range(rng.randint(0, 3)):
            BookingSessionFactory(
                booking=booking,
                workshop=rng.choice([with_rules, plain]),
                pupils=rng.randint(5, 30),
                start_time=dt.time(rng.choice([9, 10, 13]), rng.choice([0, 30])),
            )


def test_list_rows_equal_the_booking_serializer(coordinator_client, wagon, robot):
    _varied_bookings(30, wagon, robot)
    listed = coordinator_client.get(URL, {"limit": 1000}).json()["results"]
    expected = BookingSerializer(bookings_with_details().order_by("date", "id"), many=True).data
    assert listed == json.loads(json.dumps(expected, default=str))
    assert any(row["kit_need"] for row in listed) and any(not row["sessions"] for row in listed)


@pytest.mark.parametrize(
    "params",
    [{}, {"at_risk": "true"}, {"status": "confirmed"}, {"date_from": "2027-03-10"}],
)
def test_booking_list_queries_do_not_grow_with_rows(coordinator_client, wagon, robot, params):
    def grow_to(n):
        while Booking.objects.count() < n:
            booking = BookingFactory(
                school=SchoolFactory(depot=wagon.depot),
                wagon=wagon,
                date=VISIT_DAY + dt.timedelta(days=1 + Booking.objects.count() % 3),
                status="confirmed",
            )
            BookingSessionFactory(booking=booking)
            KitReservation.objects.create(
                booking=booking, kit_type=robot, depot=wagon.depot, date=booking.date, quantity=11
            )

    coordinator_client.get(URL, params)  # warm per-process caches
    grow_to(5)
    with_5, first = _queries(coordinator_client, URL, params)
    grow_to(50)
    with_50, second = _queries(coordinator_client, URL, params)
    assert second["count"] == 50 and len(second["results"]) == 50
    assert first["count"] == 5
    assert with_5 == with_50
    if params.get("at_risk"):
        assert all(row["at_risk"] and row["shortage"] for row in second["results"])


def _slow_at_risk(on: dt.date) -> dict[int, list[dict]]:
    """The at-risk rule worked out row by row in Python (the reference for bookings/at_risk.py):
    per depot, day and kit type each wagon — or each booking without a wagon — needs its largest
    reservation; a confirmed or packed stop from `on` is short of a kit type when its own
    reservation is more than the available items minus the other wagons' need."""
    stock: dict[tuple, int] = {}
    for item in Item.objects.filter(status="available"):
        key = (item.depot_id, item.kit_type_id)
        stock[key] = stock.get(key, 0) + 1
    tops: dict[tuple, dict] = {}
    rows = []
    for r in KitReservation.objects.select_related("booking"):
        if r.booking.status not in Booking.RESERVING or r.date < on or r.booking.date < on:
            continue
        wagon = r.booking.wagon_id or ("loose", r.booking_id)
        day = tops.setdefault((r.depot_id, r.date, r.kit_type_id), {})
        day[wagon] = max(day.get(wagon, 0), r.quantity)
        rows.append((r, wagon))
    found: dict[int, list[dict]] = {}
    for r, wagon in sorted(rows, key=lambda rw: (rw[0].booking_id, rw[0].kit_type_id)):
        if r.booking.status not in ("confirmed", "packed"):
            continue
        day = tops[(r.depot_id, r.date, r.kit_type_id)]
        total = stock.get((r.depot_id, r.kit_type_id), 0)
        free = max(total - (sum(day.values()) - day[wagon]), 0)
        if r.quantity > free:
            found.setdefault(r.booking_id, []).append(
                {"kit_type": r.kit_type_id, "needed": r.quantity, "available": free, "total": total}
            )
    return found


def test_at_risk_with_10000_bookings_pages_like_the_slow_reference(
    coordinator_client, coordinator, school, workshop, wagon, robot
):
    # One real booking through the services, then 10,000 more written in bulk: 1–11 robots each
    # on 40 days; some days ask more robots than the depot has.
    make_booking(school, workshop, coordinator, pupils=20, confirm=True)
    rng = random.Random(15)
    days = [VISIT_DAY + dt.timedelta(days=i) for i in range(40)]
    schools = [SchoolFactory(depot=wagon.depot) for _ in range(20)]
    bookings = Booking.objects.bulk_create(
        Booking(
            reference=f"TW-BULK-{i:05d}",
            school=rng.choice(schools),
            wagon=wagon if i % 2 else None,
            date=rng.choice(days),
            status=rng.choice(["confirmed", "packed", "requested", "cancelled"]),
            contact_name="x",
            contact_email="x@school.nl",
        )
        for i in range(10_000)
    )
    KitReservation.objects.bulk_create(
        KitReservation(
            booking=b, kit_type=robot, depot=wagon.depot, date=b.date, quantity=rng.randint(1, 11)
        )
        for b in bookings
        if b.status in ("confirmed", "packed") and rng.random() < 0.02
    )
    item_set_status(item=robot.items.first(), status="lost", acting_user=coordinator)
    slow = _slow_at_risk(today())
    # The list's order (bookings_with_details) over the bookings the slow reference finds.
    reference = [b.pk for b in bookings_with_details() if b.pk in slow]
    assert 60 < len(reference) < 2000
    data = coordinator_client.get(URL, {"at_risk": "true", "limit": 50, "offset": 50}).json()
    assert data["count"] == len(reference)
    assert [row["id"] for row in data["results"]] == reference[50:100]
    expected = {pk: slow[pk] for pk in reference[50:100]}
    assert {row["id"]: row["shortage"] for row in data["results"]} == expected
    # The board and the daily check ask the same rule.
    board = at_risk_bookings()
    assert [b.pk for b in board] == reference
    assert {b.pk: b.shortage for b in board} == slow


def test_workshops_filtered_by_school_type_in_the_database(coordinator_client):
    WorkshopFactory(name="Alleen po", school_types=["po"])
    WorkshopFactory(name="vso en vo", school_types=["vso", "vo"])
    WorkshopFactory(name="Geen types", school_types=[])

    def names(value):
        rows = coordinator_client.get("/api/v1/workshops/", {"school_type": value}).json()
        return sorted(w["name"] for w in rows["results"])

    assert names("po") == ["Alleen po"]
    assert names("vo") == ["vso en vo"]
    assert names("PO") == [] and names("o") == [] and names('"po"') == []


@pytest.mark.parametrize(
    "url,params",
    [
        ("/api/v1/workshops/", {}),
        ("/api/v1/workshops/", {"school_type": "po"}),
        ("/api/v1/schools/", {}),
        ("/api/v1/items/", {}),
    ],
)
def test_catalogue_lists_queries_do_not_grow_with_rows(coordinator_client, url, params):
    def grow_to(n):
        while WorkshopFactory._meta.model.objects.count() < n:
            workshop = WorkshopFactory(school_types=["po", "vo"])
            KitRuleFactory(workshop=workshop, kit_type=KitTypeFactory())
            ItemFactory(kit_type=KitTypeFactory())
            SchoolFactory()

    coordinator_client.get(url, params)
    grow_to(5)
    with_5, _ = _queries(coordinator_client, url, params)
    grow_to(50)
    with_50, data = _queries(coordinator_client, url, params)
    assert data["count"] >= 50
    assert with_5 == with_50


def test_school_and_workshop_rows_equal_the_model_serializer(coordinator_client, wagon, robot):
    from rest_framework import serializers as drf

    from bookings.models import School, Workshop
    from bookings.selectors import workshops_with_rules
    from bookings.serializers import SchoolSerializer, WorkshopSerializer
    from tests.factories import ConsumableRuleFactory

    _varied_bookings(5, wagon, robot)
    workshop = WorkshopFactory(name="Met verbruik", school_types=["po", "so"])
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=None, fixed=2)
    ConsumableRuleFactory(workshop=workshop)
    for serializer_class, queryset in (
        (SchoolSerializer, School.objects.order_by("id")),
        (WorkshopSerializer, workshops_with_rules().order_by("id")),
    ):
        serializer = serializer_class(context={})
        for row in queryset:
            fast = serializer.to_representation(row)
            slow = drf.ModelSerializer.to_representation(serializer, row)
            assert fast == slow, serializer_class.__name__
    assert Workshop.objects.count() > 2


def test_workshop_list_rows_equal_the_workshop_serializer(coordinator_client, wagon, robot):
    from bookings.selectors import workshops_with_rules
    from bookings.serializers import WorkshopSerializer
    from tests.factories import ConsumableRuleFactory

    _varied_bookings(5, wagon, robot)
    workshop = WorkshopFactory(name="Met verbruik", school_types=["po", "so"], max_pupils=200)
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=None, fixed=2)
    KitRuleFactory(workshop=workshop, kit_type=KitTypeFactory(name="Aaa", spare_units=1))
    ConsumableRuleFactory(workshop=workshop)
    listed = coordinator_client.get("/api/v1/workshops/", {"limit": 1000}).json()["results"]
    expected = WorkshopSerializer(workshops_with_rules(), many=True, context={}).data
    assert listed == json.loads(JSONRenderer().render(expected))
    assert any(row["capacity_warnings"] for row in listed)
    assert any(row["consumable_rules"] for row in listed)


def test_school_and_item_lists_equal_their_model_serializers(coordinator_client, wagon, robot):
    # The lists build their pages from values_list() (issue 15); the detail views still use the
    # serializers. The two must print the same rows, field for field and in the same order.
    from rest_framework import serializers as drf

    from bookings.models import School
    from bookings.serializers import SchoolSerializer
    from inventory.models import Item
    from inventory.serializers import ItemSerializer
    from tests.factories import CaseFactory

    _varied_bookings(5, wagon, robot)
    SchoolFactory(depot=None, school_types=["po", "so"], contact_phone="010 123 4567")
    ItemFactory(kit_type=robot, depot=wagon.depot, case=CaseFactory(depot=wagon.depot))
    ItemFactory(kit_type=robot, depot=wagon.depot, serial_number="SN-1", notes="Kras")
    for url, serializer_class, queryset in (
        ("/api/v1/schools/", SchoolSerializer, School.objects.all()),
        ("/api/v1/items/", ItemSerializer, Item.objects.all()),
    ):
        listed = coordinator_client.get(url, {"limit": 1000}).json()["results"]
        serializer = serializer_class(context={})
        expected = [drf.ModelSerializer.to_representation(serializer, row) for row in queryset]
        expected = json.loads(JSONRenderer().render(expected))
        assert [list(row) for row in listed] == [list(row) for row in expected]
        by_id = sorted(listed, key=lambda row: row["id"])
        assert by_id == sorted(expected, key=lambda row: row["id"]), url
        assert len(listed) == queryset.count() > 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"limit": 3},
        {"limit": 3, "offset": 3},
        {"limit": 3, "offset": 6},
        {"limit": 3, "offset": 7},
    ]
    + [{"limit": 3, "offset": 50}, {"limit": 7}, {"limit": 8}, {"limit": 3, "offset": 5}],
)
def test_a_short_page_is_counted_without_count_and_answers_the_same(
    coordinator_client, monkeypatch, params
):
    # 7 workshops: pages that end the list (no COUNT query), full pages and pages past the end
    # answer exactly as DRF's pagination, which counts first, does.
    from backend.core.pagination import Pagination
    from bookings.models import Workshop
    from bookings.views import WorkshopViewSet

    while Workshop.objects.count() < 7:
        WorkshopFactory()
    url = "/api/v1/workshops/"
    coordinator_client.get(url, params)  # the first request of a test also warms caches
    queries, fast = _queries(coordinator_client, url, params)
    monkeypatch.setattr(WorkshopViewSet, "pagination_class", Pagination)
    counted_queries, counted = _queries(coordinator_client, url, params)
    assert fast == counted
    assert counted["count"] == 7
    limit, offset = params.get("limit", 100), params.get("offset", 0)
    ends_the_list = 0 < 7 - offset < limit or (offset == 0 and limit > 7)
    past_the_end = offset > 7  # the (empty) page is read before the count
    assert queries == counted_queries - ends_the_list + past_the_end
