"""Coordinator pages: request queue, planning board, inventory at a glance, reach page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from bookings import services
from inventory.models import Item
from tests.factories import (
    BlackoutFactory,
    BookingFactory,
    BookingSessionFactory,
    ConsumableFactory,
    ItemFactory,
    WagonFactory,
)
from tests.pages.portal_world import NOW, OPEN_DAY, build_world


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


def request_for(world, *, school=None, pupils=24, date=OPEN_DAY, status="requested", wagon=None):
    booking = BookingFactory(
        school=school or world.school, wagon=wagon or world.wagon, date=date, status=status
    )
    BookingSessionFactory(
        booking=booking, workshop=world.robot_workshop, pupils=pupils, school_type="po"
    )
    return booking


def article(page: str, booking) -> str:
    match = re.search(rf'<article[^>]*id="booking-{booking.id}".*?</article>', page, re.S)
    assert match, f"{booking.reference} not in the queue"
    return match.group(0)


# ------------------------------------------------------------------------------ queue


@time_machine.travel(NOW, tick=False)
def test_queue_shows_new_requests_with_kit_need(world, coordinator):
    booking = request_for(world, pupils=24)
    confirmed = request_for(world, school=world.other_school, status="confirmed")
    page = coordinator.get("/planning/").content.decode()
    block = article(page, booking)
    assert "8× Blue-Bot" in block  # 24 pupils, 1 per 3
    assert "Materiaal en wagen zijn vrij." in block
    assert f'id="booking-{confirmed.id}"' not in page  # only new requests


@time_machine.travel(NOW, tick=False)
def test_queue_shows_a_shortage_against_confirmed_visits(world, coordinator):
    # The confirmed visit is on another wagon of the depot: its Blue-Bots can't be reused.
    other_wagon = WagonFactory(depot=world.wagon.depot)
    first = request_for(world, school=world.other_school, pupils=24, wagon=other_wagon)
    services.booking_confirm(booking=first, acting_user=world.coordinator, send_email=False)
    second = request_for(world, pupils=24)  # 8 more, only 2 left
    block = article(coordinator.get("/planning/").content.decode(), second)
    assert "has-problems" in block
    assert "Blue-Bot: 8 nodig, 2 vrij" in block


@time_machine.travel(NOW, tick=False)
def test_approve_confirms_and_reserves(world, coordinator):
    booking = request_for(world)
    response = coordinator.post(f"/planning/bookings/{booking.id}/confirm/", follow=True)
    assert f"{booking.reference} is bevestigd." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.reservations.get().quantity == 8


@time_machine.travel(NOW, tick=False)
def test_approve_refused_shows_the_reasons_and_changes_nothing(world, coordinator):
    other_wagon = WagonFactory(depot=world.wagon.depot)
    first = request_for(world, school=world.other_school, pupils=30, wagon=other_wagon)
    services.booking_confirm(booking=first, acting_user=world.coordinator, send_email=False)
    booking = request_for(world, pupils=24)
    response = coordinator.post(f"/planning/bookings/{booking.id}/confirm/", follow=True)
    assert "Blue-Bot: 8 nodig, 0 vrij" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "requested"
    assert not booking.reservations.exists()


@time_machine.travel(NOW, tick=False)
def test_decline_needs_a_reason(world, coordinator):
    booking = request_for(world)
    response = coordinator.post(
        f"/planning/bookings/{booking.id}/decline/", {"reason": " "}, follow=True
    )
    assert "Geef een reden op" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "requested"
    coordinator.post(f"/planning/bookings/{booking.id}/decline/", {"reason": "Wagen in onderhoud"})
    booking.refresh_from_db()
    assert (booking.status, booking.status_reason) == ("declined", "Wagen in onderhoud")


@time_machine.travel(NOW, tick=False)
def test_acting_twice_is_a_message_not_a_500(world, coordinator):
    booking = request_for(world)
    coordinator.post(f"/planning/bookings/{booking.id}/confirm/")
    response = coordinator.post(f"/planning/bookings/{booking.id}/confirm/", follow=True)
    assert response.status_code == 200
    assert "kan niet naar" in response.content.decode()
    assert coordinator.post("/planning/bookings/999999/confirm/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_queue_query_count_does_not_grow(world, coordinator, django_assert_max_num_queries):
    request_for(world)
    with django_assert_max_num_queries(29) as few:
        coordinator.get("/planning/")
    for n in range(10):
        request_for(world, date=OPEN_DAY + dt.timedelta(days=n % 4))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert coordinator.get("/planning/").status_code == 200


# ------------------------------------------------------------------------------ board


@time_machine.travel(NOW, tick=False)
def test_board_shows_visits_per_wagon_and_day_coloured_by_status(world, coordinator):
    requested = request_for(world)
    confirmed = request_for(world, school=world.other_school, status="confirmed")
    cancelled = request_for(world, status="cancelled")
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    assert world.wagon.name in page
    assert re.search(
        rf'class="visit st-requested"[^>]*data-reference="{requested.reference}"', page
    )
    assert re.search(
        rf'class="visit st-confirmed"[^>]*data-reference="{confirmed.reference}"', page
    )
    assert cancelled.reference not in page
    assert "week 7" in page


@time_machine.travel(NOW, tick=False)
def test_board_shows_the_stop_order_of_a_planned_route(world, coordinator):
    from routes.models import Route, RouteStop

    first = request_for(world, status="confirmed")
    second = request_for(world, school=world.other_school, status="confirmed")
    route = Route.objects.create(wagon=world.wagon, date=OPEN_DAY)
    RouteStop.objects.create(route=route, booking=second, position=0)
    RouteStop.objects.create(route=route, booking=first, position=1)
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    for booking, stop in ((second, 1), (first, 2)):
        block = page.split(f'data-reference="{booking.reference}"', 1)[1].split("</div>", 1)[0]
        assert f"rit: stop {stop}" in block


@time_machine.travel(NOW, tick=False)
def test_board_shows_closed_days(world, coordinator):
    BlackoutFactory(wagon=world.wagon, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="APK")
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    assert "gesloten: APK" in page
    assert "weekend" in page


@time_machine.travel(NOW, tick=False)
def test_board_highlights_at_risk_bookings(world, coordinator):
    booking = request_for(world, pupils=30)  # 10 Blue-Bots: all of them
    services.booking_confirm(booking=booking, acting_user=world.coordinator, send_email=False)
    item = Item.objects.filter(kit_type=world.bluebot).first()
    item.status = Item.Status.DEFECT
    item.save()
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    assert re.search(
        rf'class="visit st-confirmed at-risk"[^>]*data-reference="{booking.reference}"', page
    )
    assert "materiaal tekort" in page


@time_machine.travel(NOW, tick=False)
def test_board_month_view_and_bad_parameters(world, coordinator):
    request_for(world)
    page = coordinator.get(f"/planning/board/?span=month&start={OPEN_DAY}").content.decode()
    assert "februari 2027" in page
    assert page.count("<th class=") >= 28
    for query in ("start=abc", "start=0001-01-01", "span=decade", "start=2027-02-30"):
        assert coordinator.get(f"/planning/board/?{query}").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_board_query_count_does_not_grow(world, coordinator, django_assert_max_num_queries):
    request_for(world)
    request_for(world, status="confirmed")
    with django_assert_max_num_queries(19) as few:
        coordinator.get(f"/planning/board/?start={OPEN_DAY}&span=month")
    for n in range(10):
        request_for(world, date=OPEN_DAY + dt.timedelta(days=n % 4), status="confirmed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator.get(f"/planning/board/?start={OPEN_DAY}&span=month")


# ------------------------------------------------------------------------------ inventory


@time_machine.travel(NOW, tick=False)
def test_inventory_shows_counts_defects_and_low_stock(world, coordinator):
    ItemFactory(asset_tag="BB-DEF", kit_type=world.bluebot, depot=world.depot, status="defect")
    ItemFactory(asset_tag="BB-LOST", kit_type=world.bluebot, depot=world.depot, status="lost")
    ConsumableFactory(
        name="PLA filament", unit="g", stock=Decimal("150"), reorder_level=Decimal("500")
    )
    ConsumableFactory(name="AAA-batterijen", stock=Decimal("80"), reorder_level=Decimal("20"))
    page = coordinator.get("/planning/inventory/").content.decode()
    row = re.search(r"<tr><td>Blue-Bot</td>.*?</tr>", page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["10", "0", "1", "1", "0"]
    handle = page.split('id="to-handle"', 1)[1].split("</table>", 1)[0]
    assert "BB-DEF" in handle and "BB-LOST" in handle and "BB-000" not in handle
    low = page.split('id="low-stock"', 1)[1].split("</table>", 1)[0]
    assert "PLA filament" in low and "AAA-batterijen" not in low


# ------------------------------------------------------------------------------ reach


@time_machine.travel(NOW, tick=False)
def test_reach_page_shows_table_chart_and_csv_link(world, coordinator):
    request_for(world, status="completed", date=dt.date(2026, 10, 5))
    request_for(world, status="completed", date=dt.date(2026, 11, 5), pupils=20)
    request_for(world, status="cancelled", date=dt.date(2026, 11, 6))
    page = coordinator.get("/planning/reach/?mode=school_year&school_year=2026&group_by=school")
    assert page.status_code == 200
    html = page.content.decode()
    totals = re.search(r'<tr class="totals">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<th>(\d+)</th>", totals) == ["2", "1", "2", "44"]
    assert "<svg" in html and html.count('class="chart-bar"') == 1
    assert "/api/v1/reports/reach/?date_from=2026-08-01&amp;date_to=2027-07-31" in html
    assert "format=csv" in html


@time_machine.travel(NOW, tick=False)
def test_reach_page_modes_and_errors(world, coordinator):
    ok = coordinator.get("/planning/reach/?mode=year&year=2026&school_year=2025&date_from=x")
    assert ok.status_code == 200  # the other modes' fields are ignored
    assert "1 januari 2026" in ok.content.decode()
    bad = coordinator.get("/planning/reach/?mode=range&date_from=2027-03-01&date_to=2027-01-01")
    assert bad.status_code == 400
    # In the form's own words (issue 13), not the API's field names.
    assert (
        "tot en met</a>: &#x27;tot en met&#x27; ligt vóór &#x27;Van&#x27;." in bad.content.decode()
    )


@time_machine.travel(NOW, tick=False)
def test_reach_chart_escapes_labels(world, coordinator):
    world.school.name = '<script>alert("x")</script>'
    world.school.save()
    request_for(world, status="completed", date=dt.date(2026, 10, 5))
    html = coordinator.get("/planning/reach/?group_by=school").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_bar_chart_scales_bars_to_the_largest_value():
    from backend.pages.charts import BAR_AREA, bar_chart

    svg = str(bar_chart([("po", 50), ("so", 100), ("vmbo", 0)], title="Leerlingcontacten"))
    widths = [int(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', svg)]
    assert widths == [BAR_AREA // 2, BAR_AREA, 0]
    assert "Geen bezoeken" in str(bar_chart([], title="x"))
