"""Issue 13 end to end in Chromium, on the demo data: a coordinator opens a request from the queue,
moves it to its alternative date, confirms it, plans that wagon's week from the board, saves, and
sees the route on the day sheet; the API shows the new date and the route. And competing requests
are marked in the queue, the marks following a confirmation."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from backend.management.commands.load_demo import DEMO_PASSWORD
from bookings import services
from bookings.models import Booking, School, Workshop
from bookings.selectors import availability_for
from routes import jobs
from routes.models import PlanJob
from tests.factories import BookingFactory, BookingSessionFactory, WagonFactory
from tests.pages.conftest import PASSWORD, login
from tests.pages.portal_world import NOW, OPEN_DAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_day():
    with time_machine.travel(NOW, tick=True):
        yield


def two_open_days(school, workshop, pupils):
    """A day and a later alternative in the same week, both open for this visit."""
    start = dt.date(2027, 1, 11)
    days = availability_for(
        school=school,
        date_from=start,
        date_to=start + dt.timedelta(days=60),
        workshops=[workshop],
        pupils=pupils,
    )
    open_days = [d["date"] for d in days if d["available"]]
    for day in open_days:
        later = [d for d in open_days if d > day and d.isocalendar()[1] == day.isocalendar()[1]]
        if later:
            return day, later[0]
    raise AssertionError("no two open days in one week")


def test_coordinator_moves_confirms_and_plans_a_week(browser_page, live_server, frozen_day):
    call_command("load_demo", verbosity=0)
    coordinator = User.objects.get(username="coordinator")
    school = School.objects.get(brin="20AD00")
    workshop = Workshop.objects.get(name="Blue-Bot programmeren", programme=school.programme_id)
    day, alternative = two_open_days(school, workshop, 24)
    booking = services.booking_create(
        school=school,
        date=day,
        sessions=[
            {
                "workshop": workshop,
                "group_label": "groep 4",
                "school_type": "po",
                "year": 4,  # Blue-Bot is for groep 1–4
                "pupils": 24,
                "start_time": dt.time(9, 0),
            }
        ],
        acting_user=coordinator,
        contact_name="Mevr. Demo",
        contact_email="demo@school.nl",
        alternative_dates=[alternative],
    )
    page = browser_page
    base = live_server.url
    login(page, live_server, "coordinator", DEMO_PASSWORD, next_url="/planning/")

    # --- open the request from the queue
    page.locator(f"#booking-{booking.id} h2 a").click()
    expect(page.locator("h1")).to_contain_text(booking.reference)

    # --- move it to its alternative date
    page.locator(f"button.alternative[data-date='{alternative}']").click()
    expect(page.locator(".msg.success")).to_contain_text("is verplaatst naar")

    # --- the live check: a Saturday is refused before anything is sent
    saturday = alternative + dt.timedelta(days=5 - alternative.weekday())
    page.fill("#move-date", saturday.isoformat())
    page.dispatch_event("#move-date", "change")
    expect(page.locator("#move-check")).to_contain_text("weekend")
    expect(page.locator("#move-button")).to_be_disabled()

    # --- confirm it
    page.locator("button.primary", has_text="Bevestigen").click()
    expect(page.locator(".msg.success")).to_contain_text(f"{booking.reference} is bevestigd.")
    booking.refresh_from_db()
    assert (booking.date, booking.status) == (alternative, "confirmed")
    wagon = booking.wagon

    # --- plan the week of that wagon from the board
    page.locator("a", has_text="Op het planbord").click()
    expect(page.locator(f".visit[data-reference='{booking.reference}']")).to_be_visible()
    page.locator("tr", has=page.locator("th", has_text=wagon.name)).locator(
        "a", has_text="Routes plannen"
    ).click()
    expect(page.locator("h1")).to_contain_text(wagon.name)
    day_section = page.locator(f"section.plan-day[data-date='{alternative}']")
    expect(day_section.locator(".plan-proposal")).to_contain_text("Nog geen voorstel.")
    # The proposal is a planning job (TW_PLAN_JOBS=inline here: done within the POST).
    page.locator("#plan-propose button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]job=\d+"))
    expect(page.locator("#plan-job-busy")).to_have_count(0)
    expect(day_section.locator(".plan-proposal")).to_contain_text(booking.reference)
    page.locator("#plan-save button[type=submit]").click()
    expect(page.locator("#plan-job-busy")).to_have_count(0)
    expect(page.locator(".msg.success")).to_contain_text("ritten opgeslagen")

    # --- the route is on the day sheet: "Nu" shows it, and its day sheet (PDF) names the visit
    day_section = page.locator(f"section.plan-day[data-date='{alternative}']")
    expect(day_section.locator(".plan-current")).to_contain_text(booking.reference)
    sheet = day_section.locator("a.day-sheet-link").get_attribute("href")
    pdf = page.context.request.get(f"{base}{sheet}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert booking.reference in text and school.name in text

    # --- and the API agrees
    api = page.context.request
    data = api.get(f"{base}/api/v1/bookings/{booking.id}/").json()
    assert data["date"] == alternative.isoformat() and data["status"] == "confirmed"
    routes = api.get(f"{base}/api/v1/routes/?wagon={wagon.id}").json()
    rows = routes["results"] if isinstance(routes, dict) else routes
    stops = [s["booking"] for r in rows if r["date"] == alternative.isoformat() for s in r["stops"]]
    assert booking.id in stops


def test_competing_requests_are_marked_and_follow_a_confirmation(
    browser_page, live_server, frozen_day
):
    world = build_world()
    other_wagon = WagonFactory(depot=world.depot, name="Techniekwagen Twee")
    first = BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY)
    BookingSessionFactory(booking=first, workshop=world.robot_workshop, pupils=18)
    second = BookingFactory(school=world.other_school, wagon=other_wagon, date=OPEN_DAY)
    BookingSessionFactory(booking=second, workshop=world.robot_workshop, pupils=18)
    page = browser_page
    login(page, live_server, world.coordinator.username, PASSWORD, next_url="/planning/")
    first_row = page.locator(f"#booking-{first.id}")
    second_row = page.locator(f"#booking-{second.id}")
    expect(first_row.locator(".compete")).to_contain_text(f"Concurreert met {second.reference}")
    expect(second_row.locator(".compete")).to_contain_text(f"Concurreert met {first.reference}")
    first_row.locator("button", has_text="Goedkeuren").click()
    expect(page.locator(".msg.success")).to_contain_text(f"{first.reference} is bevestigd.")
    expect(second_row.locator(".compete")).to_have_count(0)
    expect(second_row.locator(".problems")).to_contain_text("Blue-Bot: 6 nodig, 4 vrij")
    second_row.locator("button", has_text="Goedkeuren").click()
    error = page.locator(".msg.error")
    expect(error).to_have_count(1)
    expect(error).to_have_text(re.compile(r"^[^\n]*6 nodig, 4 vrij[^\n]*$"))
    assert error.inner_text().count("6 nodig, 4 vrij") == 1
    assert Booking.objects.get(pk=second.pk).status == "requested"


def test_dragging_a_visit_to_another_day_moves_it(browser_page, live_server, frozen_day):
    world = build_world()
    booking = BookingFactory(
        school=world.school, wagon=world.wagon, date=OPEN_DAY, status="requested"
    )
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=12)
    page = browser_page
    url = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}"
    login(page, live_server, world.coordinator.username, PASSWORD, next_url="/planning/")
    page.goto(f"{live_server.url}{url}")
    page.locator("#plan-propose button[type=submit]").click()
    stop = page.locator(f".proposal-stops li[data-booking='{booking.id}']")
    expect(stop).to_have_attribute("draggable", "true")
    page.set_viewport_size({"width": 1280, "height": 2400})  # source and target both in view
    with page.expect_navigation():
        stop.drag_to(
            page.locator("section.plan-day[data-date='2027-02-18']"),
            source_position={"x": 8, "y": 8},  # on the time, not on the form
        )
    expect(page.locator(".msg.success")).to_contain_text("is verplaatst naar do 18 februari 2027")
    booking.refresh_from_db()
    assert booking.date == dt.date(2027, 2, 18)
    # Back on the page without the stale proposal; a new one has the visit on its new day.
    expect(page.locator("section.plan-day[data-date='2027-02-18'] .plan-current")).to_contain_text(
        booking.reference
    )
    page.locator("#plan-propose button[type=submit]").click()
    expect(page.locator("section.plan-day[data-date='2027-02-18'] .plan-proposal")).to_contain_text(
        booking.reference
    )


def test_the_page_waits_for_a_queued_job_and_shows_its_proposal(
    browser_page, live_server, frozen_day, settings
):
    settings.TW_PLAN_JOBS = "manual"  # queued until this test runs it, as a worker would
    world = build_world()
    booking = BookingFactory(
        school=world.school, wagon=world.wagon, date=OPEN_DAY, status="requested"
    )
    BookingSessionFactory(booking=booking, workshop=world.robot_workshop, pupils=12)
    page = browser_page
    login(page, live_server, world.coordinator.username, PASSWORD, next_url="/planning/")
    page.goto(f"{live_server.url}/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}")
    page.locator("#plan-propose button[type=submit]").click()
    expect(page.locator("#plan-job-busy")).to_contain_text("Het voorstel wordt gemaakt…")
    job = PlanJob.objects.get()
    with page.expect_response(lambda r: f"/api/v1/routes/plan/jobs/{job.pk}/" in r.url):
        pass  # the page polls the job
    jobs.plan_job_run(job.pk)
    day = page.locator(f"section.plan-day[data-date='{OPEN_DAY}'] .plan-proposal")
    expect(day).to_contain_text(booking.reference)  # the page reloaded itself
    expect(page.locator("#plan-job-busy")).to_have_count(0)
