"""Vastzetten / Losmaken on the visit page, and the mark "vast" on the board."""

import datetime as dt
import re

import pytest
import time_machine

from tests.pages.portal_world import NOW, OPEN_DAY
from tests.pages.test_planning_visit import client_for, coordinator, request_for, world  # noqa: F401

pytestmark = pytest.mark.django_db


def card(page: str, booking) -> str:
    match = re.search(
        rf'<div class="visit[^"]*" data-reference="{booking.reference}".*?</div>', page, re.S
    )
    assert match, f"{booking.reference} not on the board"
    return match.group(0)


@time_machine.travel(NOW, tick=False)
def test_pin_and_unpin_from_the_visit_page(world, coordinator):  # noqa: F811
    other_day = OPEN_DAY + dt.timedelta(days=1)
    booking = request_for(world, alternative_dates=[other_day])
    url = f"/planning/visits/{booking.id}/"
    page = coordinator.get(url).content.decode()
    assert "Vastzetten" in page and "Losmaken" not in page
    page = coordinator.post(f"{url}pin/", {"pinned": "1"}, follow=True).content.decode()
    assert f"{booking.reference} staat vast op di 16 februari 2027." in page
    booking.refresh_from_db()
    assert booking.pinned is True
    last = booking.history.first()
    assert (last.history_user, last.history_change_reason) == (world.coordinator, "vastgezet")
    # Pinned: no move buttons, a note instead; the board marks the card "vast".
    assert "Losmaken" in page and "Naar wo 17 februari 2027" not in page
    assert 'id="pinned-note"' in page
    board = coordinator.get(f"/planning/board/?start={OPEN_DAY.isoformat()}").content.decode()
    assert 'class="pin-mark"' in card(board, booking) and ">vast<" in card(board, booking)
    # A move posted anyway (an old tab) is refused by the reschedule service.
    page = coordinator.post(f"{url}move/", {"date": other_day.isoformat()}, follow=True)
    assert "staat vast op deze dag" in page.content.decode()
    booking.refresh_from_db()
    assert booking.date == OPEN_DAY
    page = coordinator.post(f"{url}pin/", {"pinned": "0"}, follow=True).content.decode()
    assert f"{booking.reference} is losgemaakt" in page
    booking.refresh_from_db()
    assert booking.pinned is False
    board = coordinator.get(f"/planning/board/?start={OPEN_DAY.isoformat()}").content.decode()
    assert "pin-mark" not in card(board, booking)


@time_machine.travel(NOW, tick=False)
def test_only_coordinators_pin_from_the_pages(world):  # noqa: F811
    booking = request_for(world)
    url = f"/planning/visits/{booking.id}/pin/"
    for user in (world.teacher, world.other_teacher, world.crew):
        assert client_for(user).post(url, {"pinned": "1"}).status_code == 403
    assert client_for(world.coordinator).get(url).status_code == 405
    booking.refresh_from_db()
    assert booking.pinned is False


@time_machine.travel(NOW, tick=False)
def test_a_declined_visit_cannot_be_pinned(world, coordinator):  # noqa: F811
    booking = request_for(world, status="declined")
    page = coordinator.get(f"/planning/visits/{booking.id}/").content.decode()
    assert "Vastzetten" not in page
    page = coordinator.post(
        f"/planning/visits/{booking.id}/pin/", {"pinned": "1"}, follow=True
    ).content.decode()
    assert "kan niet worden vastgezet" in page
    booking.refresh_from_db()
    assert booking.pinned is False


@time_machine.travel(NOW, tick=False)
def test_the_pin_button_and_refusal_in_english(world):  # noqa: F811
    from django.conf import settings

    booking = request_for(world)
    client = client_for(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/planning/visits/{booking.id}/").content.decode()
    assert ">Pin<" in page and "Vastzetten" not in page
    page = client.post(f"/planning/visits/{booking.id}/pin/", {"pinned": "1"}, follow=True)
    assert f"{booking.reference} is pinned to" in page.content.decode()
    move = client.post(
        f"/planning/visits/{booking.id}/move/",
        {"date": (OPEN_DAY + dt.timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert (
        f"{booking.reference} is pinned to this day; unpin the visit first."
        in move.content.decode()
    )
