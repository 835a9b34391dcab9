"""The booking form's "na elkaar" / "tegelijk (carrousel)" choice: which start times the groups
get, and errors shown at the start time they are about (in Dutch, no field names of the code)."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking
from tests.factories import WorkshopFactory
from tests.pages.portal_world import NOW, build_world
from tests.pages.test_school_portal import form_data


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        # A station without kit, so rotating groups never run short of Blue-Bots.
        world.quiz = WorkshopFactory(name="Techniekquiz", school_types=["po"], duration_minutes=60)
        yield world


@pytest.fixture
def teacher(world):
    client = Client()
    client.force_login(world.teacher)
    return client


def three_groups(world, schedule, **times):
    """Blue-Bot (90 min) at 09:00, then the quiz (60 min), then Blue-Bot again."""
    data = form_data(world, **{"groups-0-pupils": "9"})
    if schedule is not None:
        data["schedule"] = schedule
    for row, workshop, label in (
        (1, world.quiz, "groep 5b"),
        (2, world.robot_workshop, "groep 5c"),
    ):
        data |= {
            f"groups-{row}-workshop": str(workshop.id),
            f"groups-{row}-group_label": label,
            f"groups-{row}-year": "5",
            f"groups-{row}-pupils": "9",
            f"groups-{row}-start_time": "",
        }
    data |= {f"groups-{row}-start_time": value for row, value in times.items()}
    return data


def start_times() -> list[str]:
    sessions = Booking.objects.get().sessions.order_by("group_label")
    return [f"{s.start_time:%H:%M}" for s in sessions]


@time_machine.travel(NOW, tick=False)
def test_the_form_offers_both_schedules_in_dutch(teacher):
    page = teacher.get("/school/book/").content.decode()
    assert "Na elkaar" in page and "Tegelijk (carrousel)" in page
    assert re.search(r'<input type="radio" name="schedule" value="na_elkaar"[^>]* checked', page)
    assert 'id="workshop-durations" type="application/json"' in page
    assert "/static/school/book.js" in page


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("schedule", ["na_elkaar", None])  # the default without the field
def test_na_elkaar_starts_each_group_when_the_one_before_ends(world, teacher, schedule):
    response = teacher.post("/school/book/", three_groups(world, schedule))
    assert response.status_code == 302, response.content.decode()
    assert start_times() == ["09:00", "10:30", "11:30"]


@time_machine.travel(NOW, tick=False)
def test_na_elkaar_keeps_a_later_typed_time(world, teacher):
    response = teacher.post("/school/book/", three_groups(world, "na_elkaar", **{"1": "11:00"}))
    assert response.status_code == 302
    assert start_times() == ["09:00", "11:00", "12:00"]


@time_machine.travel(NOW, tick=False)
def test_tegelijk_starts_every_group_with_the_first(world, teacher):
    response = teacher.post("/school/book/", three_groups(world, "tegelijk"))
    assert response.status_code == 302, response.content.decode()
    assert start_times() == ["09:00", "09:00", "09:00"]


def error_at(page: str, name: str) -> str:
    marker = f'id="{name}-error">'
    assert marker in page, name
    return page.split(marker, 1)[1].split("</span>", 1)[0]


@time_machine.travel(NOW, tick=False)
def test_tegelijk_with_another_typed_time_is_refused_at_that_time(world, teacher):
    response = teacher.post("/school/book/", three_groups(world, "tegelijk", **{"2": "10:00"}))
    assert response.status_code == 400
    message = error_at(response.content.decode(), "groups-2-start_time")
    assert message == "Bij tegelijk (carrousel) beginnen alle groepen om 09:00."
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_na_elkaar_with_an_overlapping_typed_time_is_refused_at_that_time(world, teacher):
    response = teacher.post("/school/book/", three_groups(world, "na_elkaar", **{"1": "10:00"}))
    assert response.status_code == 400
    message = error_at(response.content.decode(), "groups-1-start_time")
    assert "om 10:30 of later" in message
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_first_group_needs_a_start_time(world, teacher):
    response = teacher.post("/school/book/", three_groups(world, "tegelijk", **{"0": ""}))
    assert response.status_code == 400
    assert error_at(response.content.decode(), "groups-0-start_time") == "Vul dit veld in."


@time_machine.travel(NOW, tick=False)
def test_a_group_past_the_school_day_is_refused_at_its_start_time(world, teacher):
    # 13:00 + 90 min Blue-Bot = 14:30 quiz until 15:30, then Blue-Bot 15:30–17:00: too late.
    response = teacher.post("/school/book/", three_groups(world, "na_elkaar", **{"0": "13:00"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "valt buiten de schooldag" in error_at(page, "groups-2-start_time")
    assert "start_time:" not in page and "Sessie 3" not in page  # no code names
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_rotating_groups_are_accepted_and_overlap(world, teacher):
    data = three_groups(world, "tegelijk")
    assert teacher.post("/school/book/", data).status_code == 302
    sessions = list(Booking.objects.get().sessions.all())
    assert {s.start_time for s in sessions} == {dt.time(9, 0)}


@time_machine.travel(NOW, tick=False)
def test_the_schedule_choice_in_english(world, teacher):
    from django.conf import settings

    teacher.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = teacher.get("/school/book/").content.decode()
    assert "One after another" in page and "At the same time (carousel)" in page
    assert "Tegelijk (carrousel)" not in page
    response = teacher.post("/school/book/", three_groups(world, "tegelijk", **{"2": "10:00"}))
    assert "At the same time (carousel): every group starts at 09:00." in response.content.decode()
