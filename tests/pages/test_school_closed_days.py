"""The school portal's closed days (studiedagen) at /school/closed-days/: list, add, remove, only
the school's own; in Dutch with English available; usable on a phone."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from bookings import selectors
from bookings.models import Blackout
from tests.factories import BlackoutFactory, ProgrammeFactory
from tests.pages import test_phone_and_axe as page_sweep
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

URL = "/school/closed-days/"

# The page sweep's browser fixtures: Chromium, and the portal world's clock ticking.
chromium = page_sweep.chromium
frozen_day = page_sweep.frozen_day


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def teacher(world):
    client = Client()
    client.force_login(world.teacher)
    return client


def test_the_page_lists_own_and_programme_closed_days_but_not_another_schools(teacher, world):
    BlackoutFactory(
        school=world.school, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Studiedag team"
    )
    BlackoutFactory(
        school=world.other_school, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Geheim"
    )
    BlackoutFactory(
        programme=world.school.programme,
        date_from=dt.date(2027, 2, 8),
        date_to=dt.date(2027, 2, 10),
        reason="Carnaval",
    )
    other = ProgrammeFactory(name="Deventer-Twello")
    BlackoutFactory(programme=other, reason="Kermis Deventer")
    response = teacher.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gesloten dagen" in page
    assert "Studiedag team" in page
    assert "Carnaval" in page
    assert "Geheim" not in page
    assert "Kermis Deventer" not in page
    # The portal's navigation links to it.
    assert 'href="/school/closed-days/"' in teacher.get("/school/").content.decode()


def test_a_teacher_adds_a_studiedag_and_the_wagon_cannot_come(teacher, world):
    response = teacher.post(URL, {"date_from": OPEN_DAY.isoformat(), "reason": "Studiedag"})
    assert response.status_code == 302
    blackout = Blackout.objects.get()
    assert (blackout.school_id, blackout.wagon_id) == (world.school.pk, None)
    assert blackout.programme_id == world.school.programme_id
    assert blackout.date_from == blackout.date_to == OPEN_DAY
    with time_machine.travel(NOW, tick=False):
        [day] = selectors.availability_for(
            school=world.school, date_from=OPEN_DAY, date_to=OPEN_DAY
        )
        [neighbour] = selectors.availability_for(
            school=world.other_school, date_from=OPEN_DAY, date_to=OPEN_DAY
        )
    assert [r["code"] for r in day["reasons"]] == ["school_closed"]
    assert neighbour["available"] is True
    assert "Studiedag" in teacher.get(URL).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"date_from": "", "reason": "Studiedag"},
        {"date_from": "2027-02-17", "date_to": "2027-02-16", "reason": "Studiedag"},
        {"date_from": "2027-02-16", "reason": ""},
        {"date_from": "9999-12-31", "reason": "Studiedag"},
    ],
)
def test_bad_input_is_shown_in_the_form_and_writes_nothing(teacher, world, data):
    response = teacher.post(URL, data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Blackout.objects.exists()


def test_a_teacher_removes_its_own_closed_day(teacher, world):
    own = BlackoutFactory(school=world.school, reason="Studiedag")
    response = teacher.post(f"{URL}{own.pk}/remove/")
    assert response.status_code == 302
    assert not Blackout.objects.filter(pk=own.pk).exists()


def test_another_schools_or_the_programmes_closed_day_cannot_be_removed(teacher, world):
    theirs = BlackoutFactory(school=world.other_school, reason="Studiedag")
    programme_wide = BlackoutFactory(programme=world.school.programme, reason="Carnaval")
    assert teacher.post(f"{URL}{theirs.pk}/remove/").status_code == 404
    assert teacher.post(f"{URL}{programme_wide.pk}/remove/").status_code == 404
    assert teacher.get(f"{URL}{theirs.pk}/remove/").status_code == 405
    assert Blackout.objects.count() == 2


def test_other_roles_are_refused(world):
    client = Client()
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(world.coordinator)
    assert client.get(URL).status_code == 403


def test_the_page_is_available_in_english(teacher, world, settings):
    BlackoutFactory(school=world.school, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Studiedag")
    teacher.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = teacher.get(URL)
    page = response.content.decode()
    assert "Closed days" in page
    assert "Add a closed day" in page
    assert "Verwijderen" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_works_on_a_phone(chromium, live_server, frozen_day):
    world = build_world()
    BlackoutFactory(school=world.school, date_from=OPEN_DAY, date_to=OPEN_DAY, reason="Studiedag")
    BlackoutFactory(programme=world.school.programme, reason="Carnaval in het zuiden")
    problems = page_sweep.sweep(chromium, live_server, world.teacher.username, [URL])
    assert not problems, "\n".join(problems)
