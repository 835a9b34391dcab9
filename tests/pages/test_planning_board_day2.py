"""The planning board, day two: it opens on the coming week with visits, filters by wagon and
status, a readable month (one line per visit, the rest behind "+ n meer"), a print view, and every
visit links to its visit page."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from tests.factories import BookingFactory, BookingSessionFactory, WagonFactory
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


def visit_on(world, day=OPEN_DAY, *, status="confirmed", wagon=None, school=None):
    booking = BookingFactory(
        school=school or world.school, wagon=wagon or world.wagon, date=day, status=status
    )
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=12)
    return booking


@time_machine.travel(NOW, tick=False)
def test_board_opens_on_the_first_week_with_visits(world, coordinator):
    booking = visit_on(world)
    page = coordinator.get("/planning/board/").content.decode()
    assert "week 7" in page  # 16 February 2027, not this week (November 2026)
    assert f'data-reference="{booking.reference}"' in page
    # "Vandaag" still leads to today's week.
    assert "start=2026-11-21" in page


@time_machine.travel(NOW, tick=False)
def test_board_without_visits_opens_on_today(world, coordinator):
    assert "week 47" in coordinator.get("/planning/board/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_every_visit_links_to_its_visit_page(world, coordinator):
    booking = visit_on(world)
    for span in ("week", "month"):
        page = coordinator.get(f"/planning/board/?start={OPEN_DAY}&span={span}").content.decode()
        assert f'href="/planning/visits/{booking.id}/"' in page


@time_machine.travel(NOW, tick=False)
def test_filters_by_wagon_and_status(world, coordinator):
    other_wagon = WagonFactory(depot=world.depot, name="Techniekwagen Twee")
    mine = visit_on(world)
    theirs = visit_on(world, wagon=other_wagon, school=world.other_school)
    asked = visit_on(world, status="requested")
    base = f"/planning/board/?start={OPEN_DAY}"
    page = coordinator.get(f"{base}&wagon={other_wagon.id}").content.decode()
    assert theirs.reference in page and mine.reference not in page
    assert "Techniekwagen Rotterdam-Noord</th>" not in page
    page = coordinator.get(f"{base}&status=requested").content.decode()
    assert asked.reference in page and mine.reference not in page
    for query in ("wagon=abc", "wagon=999999", "status=nope", "status=cancelled"):
        response = coordinator.get(f"{base}&{query}")
        assert response.status_code == 200
        assert mine.reference in response.content.decode()
    # Paging keeps the filter.
    page = coordinator.get(f"{base}&wagon={other_wagon.id}").content.decode()
    assert f"wagon={other_wagon.id}" in re.search(r'href="([^"]*)">← Vorige', page).group(1)


@time_machine.travel(NOW, tick=False)
def test_month_is_one_line_per_visit_and_hides_the_rest_behind_more(world, coordinator):
    schools = [world.school, world.other_school]
    busy = [visit_on(world, school=schools[n % 2]) for n in range(6)]
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}&span=month").content.decode()
    lines = re.findall(r'<li class="visit st-confirmed[^"]*" data-reference="([^"]+)"', page)
    assert sorted(lines) == sorted(b.reference for b in busy)
    assert "+ 2 meer" in page
    assert "board-month calendar" in page


@time_machine.travel(NOW, tick=False)
def test_print_view_has_no_controls(world, coordinator):
    visit_on(world)
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}&print=1").content.decode()
    assert "printing" in page and "← Vorige" not in page and 'class="board-filters"' not in page
    assert "Afdrukversie" in coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_wagon_day_with_a_route_links_to_its_day_sheet(world, coordinator):
    from routes.models import Route, RouteStop

    booking = visit_on(world)
    visit_on(world, OPEN_DAY + dt.timedelta(days=1))  # no route that day
    route = Route.objects.create(wagon=world.wagon, date=OPEN_DAY)
    RouteStop.objects.create(route=route, booking=booking, position=0)
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    assert page.count("day-sheet.pdf") == 1
    assert f'href="/api/v1/routes/{route.id}/day-sheet.pdf"' in page
    visit = coordinator.get(f"/planning/visits/{booking.id}/").content.decode()
    assert f'href="/api/v1/routes/{route.id}/day-sheet.pdf"' in visit


@time_machine.travel(NOW, tick=False)
def test_board_is_for_coordinators_only(world):
    for user in (world.teacher, world.crew):
        client = Client()
        client.force_login(user)
        assert client.get("/planning/board/?span=month").status_code == 403
    assert Client().get("/planning/board/").status_code == 302


@time_machine.travel(NOW, tick=False)
def test_month_query_count_is_constant_with_filters(
    world, coordinator, django_assert_max_num_queries
):
    visit_on(world)
    url = f"/planning/board/?start={OPEN_DAY}&span=month&wagon={world.wagon.id}&status=confirmed"
    with django_assert_max_num_queries(19) as few:
        coordinator.get(url)
    for n in range(12):
        visit_on(world, OPEN_DAY + dt.timedelta(days=n % 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert coordinator.get(url).status_code == 200
