"""The list pages show 50 rows a page with "Vorige / Volgende": 2,000 requests do not make a
2,000-row page, and the number of queries does not grow with the rows."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking, BookingSession
from inventory.models import Item
from tests.factories import ItemFactory
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


@pytest.fixture
def teacher(world):
    client = Client()
    client.force_login(world.teacher)
    return client


def many_bookings(world, count, *, status="requested", start=0):
    bookings = Booking.objects.bulk_create(
        Booking(
            reference=f"TW-2027-{start + n + 1:05d}",
            school=world.school,
            wagon=world.wagon,
            date=OPEN_DAY + dt.timedelta(days=n % 60),
            status=status,
            contact_name="Mevr. Jansen",
            contact_email="jansen@school.nl",
        )
        for n in range(count)
    )
    BookingSession.objects.bulk_create(
        BookingSession(
            booking=booking,
            workshop=world.robot_workshop,
            group_label="groep 5",
            school_type="po",
            year=5,
            pupils=12,
            start_time=dt.time(9, 0),
        )
        for booking in bookings
    )


def requests_on(page: str) -> int:
    return len(re.findall(r'<article class="request', page))


def pager(page: str) -> str:
    match = re.search(r'<nav class="pager".*?</nav>', page, re.S)
    assert match, "no pager"
    return match.group(0)


@time_machine.travel(NOW, tick=False)
def test_2000_requests_do_not_render_2000_rows(world, coordinator):
    many_bookings(world, 2000)
    page = coordinator.get("/planning/").content.decode()
    assert requests_on(page) == 50
    nav = pager(page)
    assert "1–50 van 2000" in nav
    assert 'href="?page=2" rel="next">Volgende' in nav
    assert 'rel="prev"' not in nav  # no way back from the first page

    second = coordinator.get("/planning/?page=2").content.decode()
    assert requests_on(second) == 50
    assert "51–100 van 2000" in pager(second)
    assert 'href="/planning/" rel="prev">&larr; Vorige' in pager(second)

    last = coordinator.get("/planning/?page=40").content.decode()
    assert requests_on(last) == 50
    assert 'rel="next"' not in pager(last)
    # Garbage or too-large page numbers give the first or last page, never an error.
    assert "1–50 van 2000" in pager(coordinator.get("/planning/?page=abc").content.decode())
    assert "1951–2000 van 2000" in pager(coordinator.get("/planning/?page=999").content.decode())


@time_machine.travel(NOW, tick=False)
def test_the_queue_query_count_does_not_grow_with_requests(
    world, coordinator, django_assert_max_num_queries
):
    many_bookings(world, 3)
    with django_assert_max_num_queries(24) as few:
        coordinator.get("/planning/")
    many_bookings(world, 2000, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert requests_on(coordinator.get("/planning/?page=7").content.decode()) == 50


@time_machine.travel(NOW, tick=False)
def test_no_pager_when_everything_fits_one_page(world, coordinator):
    many_bookings(world, 50)
    page = coordinator.get("/planning/").content.decode()
    assert requests_on(page) == 50
    assert 'class="pager"' not in page


@time_machine.travel(NOW, tick=False)
def test_my_bookings_are_paged(world, teacher, django_assert_max_num_queries):
    many_bookings(world, 120, status="confirmed")
    with django_assert_max_num_queries(14):
        page = teacher.get("/school/bookings/").content.decode()
    assert page.count("<tr data-reference=") == 50
    assert "1–50 van 120" in pager(page)
    third = teacher.get("/school/bookings/?page=3").content.decode()
    assert third.count("<tr data-reference=") == 20
    assert 'href="?page=2" rel="prev"' in pager(third)


@time_machine.travel(NOW, tick=False)
def test_inventory_lists_are_paged_each_on_its_own(
    world, coordinator, django_assert_max_num_queries
):
    for n in range(60):
        ItemFactory(
            asset_tag=f"DEF-{n:03d}", kit_type=world.bluebot, depot=world.depot, status="defect"
        )
    # 15: the coordinator's groups and programme ids are one query (backend.core.roles).
    with django_assert_max_num_queries(15):
        page = coordinator.get("/planning/inventory/?kit_page=1").content.decode()
    handle = page.split('id="to-handle"', 1)[1]
    assert handle.split("</table>", 1)[0].count("DEF-") == 50
    nav = pager(handle)
    assert "1–50 van 60" in nav
    assert 'href="?kit_page=1&amp;defect_page=2"' in nav  # the other list's page is kept
    # The totals still count every item, not just this page.
    totals = re.search(r"<tfoot>.*?</tfoot>", page, re.S).group(0)
    assert re.findall(r"<th>(\d+)</th>", totals)[2] == str(
        Item.objects.filter(status="defect").count()
    )
    second = coordinator.get("/planning/inventory/?defect_page=2").content.decode()
    assert second.split('id="to-handle"', 1)[1].split("</table>", 1)[0].count("DEF-") == 10


@time_machine.travel(NOW, tick=False)
def test_the_pager_in_english(world, coordinator, settings):
    many_bookings(world, 60)
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    nav = pager(coordinator.get("/planning/?page=2").content.decode())
    assert "Previous" in nav and "51–60 of 60" in nav
