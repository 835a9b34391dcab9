"""English (chosen via the language cookie) on the school portal, landing page, login page and the
base navigation; Dutch stays the default and unchanged."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.portal_world import NOW, OPEN_DAY, build_world
from tests.pages.test_school_portal import form_data


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def _client(user=None, english=False) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _booking(world, status="requested"):
    booking = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY, status=status)
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=24)
    return booking


def _check(page: str, present: list[str], absent: list[str]) -> None:
    for text in present:
        assert text in page, text
    for text in absent:
        assert text not in page, text


# ------------------------------------------------------------------------------ school portal


@time_machine.travel(NOW, tick=False)
def test_home_in_english_and_dutch(world):
    _booking(world)
    english = ["Workshops for your school", "Your upcoming visits", "Show available days"]
    english += ["1 Blue-Bot per 3 pupils", "90 minutes", "What we bring:", "holiday region"]
    english += ["Requested (", "My requests</a>", "Request a visit</a>", "Calendar</a>"]
    dutch = ["Workshops voor uw school", "Uw komende bezoeken", "Toon beschikbare dagen"]
    dutch += ["1 Blue-Bot per 3 leerlingen", "90 minuten", "Wat we meenemen:", "vakantieregio"]
    dutch += ["Aangevraagd (", "Mijn aanvragen</a>", "Aanvragen</a>", "Kalender</a>"]
    _check(_page(_client(world.teacher, english=True), "/school/"), english, dutch)
    _check(_page(_client(world.teacher), "/school/"), dutch, english)


@time_machine.travel(NOW, tick=False)
def test_calendar_in_english_and_dutch(world):
    url = f"/school/calendar/?workshop={world.robot_workshop.id}&month=2027-02"
    english = ["Available days: February 2027", "Previous month", "Next month", "school holiday"]
    english += ["with 24 pupils per group.", "days possible.", "<th>Mo</th>"]
    dutch = ["Beschikbare dagen: februari 2027", "Vorige maand", "Volgende maand", "schoolvakantie"]
    dutch += ["met 24 leerlingen per groep.", "dagen mogelijk.", "<th>ma</th>"]
    _check(_page(_client(world.teacher, english=True), url), english, dutch)
    _check(_page(_client(world.teacher), url), dutch, english)
    english = _page(_client(world.teacher, english=True), "/school/calendar/?month=2026-11")
    _check(english, ["too soon", "First choose one or more workshops"], ["te kort dag"])


@time_machine.travel(NOW, tick=False)
def test_booking_form_in_english_and_dutch(world):
    english = [
        "Request a visit</h1>",
        "Send request",
        "Contact person",
        "Parking spot for the wagon",
    ]
    english += ["Start time", "Photos may be taken", "Primary education", "Don&#x27;t know"]
    dutch = ["Bezoek aanvragen</h1>", "Aanvraag versturen", "Contactpersoon", "Parkeerplek voor"]
    dutch += ["Starttijd", "Er mogen foto", "Primair onderwijs", "Weet ik niet"]
    _check(_page(_client(world.teacher, english=True), "/school/book/"), english, dutch)
    _check(_page(_client(world.teacher), "/school/book/"), dutch, english)


@time_machine.travel(NOW, tick=False)
def test_booking_form_errors_and_message_in_english(world):
    client = _client(world.teacher, english=True)
    data = form_data(world, **{"groups-0-start_time": "", "alternative_1": OPEN_DAY.isoformat()})
    page = client.post("/school/book/", data).content.decode()
    _check(page, ["Please fill in this field.", "This is already the chosen date."], ["Vul dit"])
    response = client.post("/school/book/", form_data(world), follow=True)
    _check(response.content.decode(), ["has been received"], ["is ontvangen"])


@time_machine.travel(NOW, tick=False)
def test_my_bookings_in_english_and_dutch(world):
    booking = _booking(world)
    english = ["My requests</h1>", "Reference", "Requested", "Calendar (.ics)", ">Cancel</button>"]
    english += [f"Cancel request {booking.reference}?", "Reason (optional)", "possible until"]
    dutch = ["Mijn aanvragen</h1>", "Referentie", "Aangevraagd", "Agenda (.ics)", ">Annuleren<"]
    dutch += [f"Aanvraag {booking.reference} annuleren?", "Reden (optioneel)", "kan tot"]
    _check(_page(_client(world.teacher, english=True), "/school/bookings/"), english, dutch)
    _check(_page(_client(world.teacher), "/school/bookings/"), dutch, english)
    client = _client(world.teacher, english=True)
    response = client.post(f"/school/bookings/{booking.id}/cancel/", follow=True)
    _check(response.content.decode(), ["has been cancelled", "Cancelled"], ["is geannuleerd"])


def test_empty_bookings_page_in_english(world):
    page = _page(_client(world.teacher, english=True), "/school/bookings/")
    _check(page, ["You have no requests yet.", "Choose a workshop"], ["nog geen aanvragen"])


def test_school_only_refusal_still_works_in_english(world):
    assert _client(world.coordinator, english=True).get("/school/").status_code == 403


# ------------------------------------------------------------------------------ landing, login, nav


def test_landing_page_in_english_and_dutch(db):
    english = ["Bookings, equipment and route planning", "For schools, crew and coordinators."]
    english += ["API documentation", "Log in</h2>", "Django admin for coordinators."]
    dutch = ["Boeken, materiaal en ritplanning", "Voor scholen, crew en coördinatoren."]
    dutch += ["API-documentatie", "Inloggen</h2>", "Django-beheer voor coördinatoren."]
    _check(_page(_client(english=True), "/"), english, dutch)
    _check(_page(_client(), "/"), dutch, english)


def test_landing_page_and_nav_for_a_school_in_english_and_dutch(world):
    english = ["School portal", "Workshops, available days and your requests.", "My school</a>"]
    english += ["Log out (juf)", "Status, cancelling and calendar file per visit."]
    dutch = ["Schoolportaal", "Workshops, beschikbare dagen en uw aanvragen.", "Mijn school</a>"]
    dutch += ["Uitloggen (juf)", "Status, annuleren en agenda-bestand per bezoek."]
    _check(_page(_client(world.teacher, english=True), "/"), english, dutch)
    _check(_page(_client(world.teacher), "/"), dutch, english)


def test_login_page_in_english_and_dutch(db):
    english = ["<h1>Log in</h1>", "Username", "Password", "Log in</button>"]
    dutch = ["<h1>Inloggen</h1>", "Gebruikersnaam", "Wachtwoord", "Inloggen</button>"]
    _check(_page(_client(english=True), "/accounts/login/"), english, dutch)
    _check(_page(_client(), "/accounts/login/"), dutch, english)
    bad = {"username": "nobody", "password": "wrong"}
    page = _client(english=True).post("/accounts/login/", bad).content.decode()
    _check(page, ["Username or password is incorrect."], ["klopt niet"])
    page = _client().post("/accounts/login/", bad).content.decode()
    _check(page, ["Gebruikersnaam of wachtwoord klopt niet."], ["is incorrect"])
