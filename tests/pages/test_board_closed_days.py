"""The planning board shows closed days per scope: a school's studiedag where that school has a
visit, its programme's closed days on its wagons, never another programme's."""

import pytest
import time_machine
from django.test import Client

from tests.factories import (
    BlackoutFactory,
    BookingFactory,
    DepotFactory,
    ProgrammeFactory,
    WagonFactory,
)
from tests.pages.portal_world import NOW, OPEN_DAY, build_world


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def board(world) -> str:
    client = Client()
    client.force_login(world.coordinator)
    response = client.get(f"/planning/board/?start={OPEN_DAY}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_studiedag_shows_where_the_school_has_a_visit(world):
    BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY)
    BlackoutFactory(school=world.school, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Studiedag")
    BlackoutFactory(
        school=world.other_school, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Teamdag"
    )
    page = board(world)
    assert f"{world.school.name} dicht: Studiedag" in page
    # The other school has no visit: its closed day does not close the wagon's day.
    assert "Teamdag" not in page


def test_only_the_wagons_own_programmes_closed_days_show(world):
    BlackoutFactory(
        programme=world.school.programme, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Carnaval"
    )
    other = ProgrammeFactory(name="Deventer-Twello")
    WagonFactory(depot=DepotFactory(programme=other))
    BlackoutFactory(programme=other, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Kermis")
    page = board(world)
    assert "gesloten: Carnaval" in page
    assert "Kermis" not in page
