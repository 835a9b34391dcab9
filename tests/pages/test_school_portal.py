"""School portal: workshops for the school, month calendar with reasons, booking form, my bookings."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking
from tests.factories import BlackoutFactory, BookingFactory, BookingSessionFactory
from tests.pages.portal_world import HOLIDAY, NOW, OPEN_DAY, build_world


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def teacher(world):
    client = Client()
    client.force_login(world.teacher)
    return client


def cell(page: str, day: dt.date) -> str:
    match = re.search(rf'<td class="(\w+)" data-date="{day:%Y-%m-%d}">(.*?)</td>', page, re.S)
    assert match, f"no cell for {day}"
    return match.group(1) + " " + match.group(2)


def calendar(client, world, pupils=24, month="2027-02"):
    url = f"/school/calendar/?workshop={world.robot_workshop.id}&pupils={pupils}&month={month}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def form_data(world, **overrides):
    data = {
        "date": OPEN_DAY.isoformat(),
        "contact_name": "Mevr. Jansen",
        "contact_email": "jansen@school.nl",
        "contact_phone": "010-1234567",
        "parking": "Schoolplein, hek aan de Kralingse Plaslaan",
        "socket": "ja",
        "room": "Aula",
        "photo_consent": "on",
        "alternative_1": "2027-02-17",
        "alternative_2": "",
        "alternative_3": "",
        "groups-TOTAL_FORMS": "4",
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "4",
    }
    for i in range(4):
        data[f"groups-{i}-workshop"] = str(world.robot_workshop.id)
        data[f"groups-{i}-school_type"] = "po"
    data.update(
        {
            "groups-0-group_label": "groep 5a",
            "groups-0-year": "5",
            "groups-0-pupils": "24",
            "groups-0-start_time": "09:00",
        }
    )
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------ workshops


def test_home_lists_only_workshops_that_suit_the_school(world, teacher):
    page = teacher.get("/school/").content.decode()
    assert "Blue-Bot programmeren" in page
    assert "1 Blue-Bot per 3 leerlingen" in page
    assert "90 minuten" in page
    assert "VR-beroepenexpeditie" not in page  # vmbo only; this is a po school


# ------------------------------------------------------------------------------ calendar


@time_machine.travel(NOW, tick=False)
def test_calendar_shows_each_closed_day_with_its_reason(world, teacher):
    BlackoutFactory(
        wagon=None,
        date_from=dt.date(2027, 2, 10),
        date_to=dt.date(2027, 2, 10),
        reason="Studiedag crew",
    )
    page = calendar(teacher, world)
    assert cell(page, OPEN_DAY).startswith("open")
    assert "/school/book/?" in cell(page, OPEN_DAY)
    holiday = cell(page, HOLIDAY)
    assert holiday.startswith("closed") and "Voorjaarsvakantie" in holiday
    weekend = cell(page, dt.date(2027, 2, 13))
    assert weekend.startswith("closed") and "weekend" in weekend
    assert "Studiedag crew" in cell(page, dt.date(2027, 2, 10))


@time_machine.travel(NOW, tick=False)
def test_calendar_shows_public_holiday_and_lead_time(world, teacher):
    page = calendar(teacher, world, month="2026-12")
    christmas = cell(page, dt.date(2026, 12, 25))
    assert "reason-public_holiday" in christmas and "Feestdag: " in christmas
    # today is 21 November with 10 days lead time: 1 December is the first bookable day
    november = calendar(teacher, world, month="2026-11")
    assert "te kort dag" in cell(november, dt.date(2026, 11, 24))
    assert "te kort dag" in cell(november, dt.date(2026, 11, 30))
    assert cell(page, dt.date(2026, 12, 1)).startswith("open")


@time_machine.travel(NOW, tick=False)
def test_calendar_shows_kit_shortage_as_materiaal_op(world, teacher):
    page = calendar(teacher, world, pupils=31)  # 11 Blue-Bots needed, 10 exist
    assert "Blue-Bot" in cell(page, OPEN_DAY)
    assert cell(page, OPEN_DAY).startswith("closed")


@time_machine.travel(NOW, tick=False)
def test_calendar_shows_wagon_full(world, teacher):
    for _ in range(2):
        BookingFactory(
            school=world.other_school, wagon=world.wagon, date=OPEN_DAY, status="confirmed"
        )
    page = calendar(teacher, world)
    assert "wagen vol" in cell(page, OPEN_DAY)


@time_machine.travel(NOW, tick=False)
def test_calendar_survives_nonsense_parameters(world, teacher):
    for query in ("month=abc", "month=2027-13", "month=99999-01", "pupils=-4", "workshop=x"):
        assert teacher.get(f"/school/calendar/?{query}").status_code == 200


# ------------------------------------------------------------------------------ booking form


@time_machine.travel(NOW, tick=False)
def test_booking_form_creates_a_request_with_everything_filled_in(world, teacher):
    response = teacher.post("/school/book/", form_data(world))
    assert response.status_code == 302
    assert response["Location"] == "/school/bookings/"
    booking = Booking.objects.get()
    assert booking.school == world.school
    assert booking.status == "requested"
    assert booking.date == OPEN_DAY
    assert booking.photo_consent is True
    assert booking.alternative_dates == ["2027-02-17"]
    assert "Parkeerplek: Schoolplein" in booking.site_notes
    assert "230 V-stopcontact: ja" in booking.site_notes
    assert "Lokaal: Aula" in booking.site_notes
    [session] = booking.sessions.all()
    assert (session.group_label, session.pupils, session.year) == ("groep 5a", 24, 5)
    assert booking.created_by == world.teacher


@time_machine.travel(NOW, tick=False)
def test_two_groups_become_two_sessions(world, teacher):
    data = form_data(
        world,
        **{
            "groups-1-group_label": "groep 6b",
            "groups-1-year": "6",
            "groups-1-pupils": "20",
            "groups-1-start_time": "11:00",
        },
    )
    assert teacher.post("/school/book/", data).status_code == 302
    assert sorted(s.group_label for s in Booking.objects.get().sessions.all()) == [
        "groep 5a",
        "groep 6b",
    ]


@time_machine.travel(NOW, tick=False)
def test_field_errors_are_shown_next_to_the_field_and_nothing_is_lost(world, teacher):
    data = form_data(world, contact_email="geen-email", **{"groups-0-pupils": ""})
    response = teacher.post("/school/book/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="contact_email-error"' in page
    assert 'id="groups-0-pupils-error"' in page
    # what was typed is still there
    assert 'value="geen-email"' in page
    assert 'value="groep 5a"' in page
    assert "Schoolplein, hek aan de Kralingse Plaslaan" in page
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_closed_day_is_refused_with_its_reason_next_to_the_date(world, teacher):
    response = teacher.post("/school/book/", form_data(world, date=HOLIDAY.isoformat()))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="date-error"' in page and "Voorjaarsvakantie" in page
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_too_many_open_requests_is_said_above_the_form_in_dutch(world, teacher, settings):
    settings.TW_MAX_OPEN_REQUESTS_PER_SCHOOL = 3
    for _ in range(3):
        BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY, status="requested")
    response = teacher.post("/school/book/", form_data(world))
    assert response.status_code == 400
    page = response.content.decode()
    errors = page.split('id="form-errors"', 1)[1].split("</ul>", 1)[0]
    assert "Uw school heeft al 3 openstaande aanvragen; het maximum is 3." in errors
    assert 'value="groep 5a"' in page  # nothing typed is lost
    assert Booking.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_a_group_too_big_for_the_workshop_is_shown_on_that_group(world, teacher):
    response = teacher.post("/school/book/", form_data(world, **{"groups-0-pupils": "40"}))
    assert response.status_code == 400
    page = response.content.decode()
    group = page.split('id="group-0"', 1)[1].split('id="group-1"', 1)[0]
    assert "hoogstens 32 leerlingen" in group
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_no_group_filled_in_is_refused(world, teacher):
    data = form_data(world)
    for name in ("group_label", "year", "pupils", "start_time"):
        data[f"groups-0-{name}"] = ""
    response = teacher.post("/school/book/", data)
    assert response.status_code == 400
    assert "Vul minstens één groep in." in response.content.decode()
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_duplicate_alternative_date_is_refused(world, teacher):
    data = form_data(world, alternative_1=OPEN_DAY.isoformat())
    response = teacher.post("/school/book/", data)
    assert response.status_code == 400
    assert 'id="alternative_1-error"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_workshop_of_another_audience_cannot_be_posted(world, teacher):
    data = form_data(world, **{"groups-0-workshop": str(world.vr_workshop.id)})
    assert teacher.post("/school/book/", data).status_code == 400
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_tampered_management_form_is_not_a_500(world, teacher):
    data = form_data(world, **{"groups-TOTAL_FORMS": "9999"})
    assert teacher.post("/school/book/", data).status_code in (302, 400)
    data = form_data(world)
    del data["groups-TOTAL_FORMS"]
    assert teacher.post("/school/book/", data).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_book_page_prefills_date_and_workshop_from_the_calendar(world, teacher):
    url = f"/school/book/?workshop={world.robot_workshop.id}&date={OPEN_DAY}&pupils=21"
    page = teacher.get(url).content.decode()
    assert f'value="{OPEN_DAY}"' in page
    assert 'value="21"' in page
    assert 'value="jansen@school.nl"' in page


# ------------------------------------------------------------------------------ my bookings


def _booking(world, status="requested", date=OPEN_DAY):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=date, status=status)
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=24)
    return booking


@time_machine.travel(NOW, tick=False)
def test_my_bookings_shows_status_and_cancels_before_the_deadline(world, teacher):
    booking = _booking(world)
    page = teacher.get("/school/bookings/").content.decode()
    assert booking.reference in page and "Aangevraagd" in page and "Annuleren" in page
    response = teacher.post(f"/school/bookings/{booking.id}/cancel/", {"reason": "Toetsweek"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert booking.status_reason == "Toetsweek"
    page = teacher.get("/school/bookings/").content.decode()
    assert "Geannuleerd" in page


@time_machine.travel(NOW, tick=False)
def test_cancel_after_the_deadline_is_refused_with_a_message(world, teacher):
    booking = _booking(world, status="confirmed", date=dt.date(2026, 11, 26))
    page = teacher.get("/school/bookings/").content.decode()
    assert "Annuleren kan niet meer" in page
    response = teacher.post(f"/school/bookings/{booking.id}/cancel/", follow=True)
    assert "Annuleren kan tot 10 dagen" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


@time_machine.travel(NOW, tick=False)
def test_ics_download(world, teacher):
    booking = _booking(world, status="confirmed")
    response = teacher.get(f"/school/bookings/{booking.id}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and booking.reference in body
    assert "DTSTART;TZID=Europe/Amsterdam:20270216T090000" in body


@time_machine.travel(NOW, tick=False)
def test_no_ics_for_a_cancelled_booking(world, teacher):
    booking = _booking(world, status="cancelled")
    assert teacher.get(f"/school/bookings/{booking.id}/calendar.ics").status_code == 404
    assert "Agenda (.ics)" not in teacher.get("/school/bookings/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_my_bookings_query_count_does_not_grow(world, teacher, django_assert_max_num_queries):
    _booking(world)
    with django_assert_max_num_queries(11) as few:
        teacher.get("/school/bookings/")
    for n in range(8):
        _booking(world, date=OPEN_DAY + dt.timedelta(days=n % 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert teacher.get("/school/bookings/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_calendar_query_count_is_fixed(world, teacher, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        calendar(teacher, world)
