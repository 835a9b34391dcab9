"""Routes plannen from the board: the planner's proposal, made by a planning job that a POST starts,
next to today's routes for one wagon and a week or month; saving it (another job), and moving
(pinning) a visit from the proposal."""

import datetime as dt
import re
from html import escape

import pytest
import time_machine
from django.test import Client

from backend.core.exceptions import DomainError
from bookings import services
from routes import jobs
from routes import services as route_services
from routes.models import PlanJob, Route
from tests.factories import BookingFactory, BookingSessionFactory, make_user
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


def confirmed(world, school=None, start="09:00", day=OPEN_DAY):
    booking = BookingFactory(
        school=school or world.school, wagon=world.wagon, date=day, status="requested"
    )
    BookingSessionFactory(
        booking=booking,
        workshop=world.robot_workshop,
        pupils=12,
        start_time=dt.time.fromisoformat(start),
    )
    services.booking_confirm(booking=booking, acting_user=world.coordinator, send_email=False)
    return booking


def propose(client, world, **extra):
    """POST "Voorstel maken"; returns the job page it redirects to."""
    body = {"wagon": world.wagon.id, "start": OPEN_DAY.isoformat(), "span": "week", **extra}
    response = client.post("/planning/plan/propose/", body)
    assert response.status_code == 302, response.content
    job = PlanJob.objects.latest("pk")
    assert response["Location"].endswith(f"&job={job.pk}")
    return response["Location"], job


@time_machine.travel(NOW, tick=False)
def test_proposal_shows_days_order_and_times_and_writes_nothing(world, coordinator):
    first = confirmed(world)
    second = confirmed(world, school=world.other_school, start="13:00")
    url = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}"
    page = coordinator.get(url).content.decode()
    assert "di 16 februari 2027" in page and "Nog geen voorstel." in page
    assert 'id="plan-propose"' in page and 'id="plan-save"' not in page
    assert 'class="proposal-stops"' not in page and PlanJob.objects.count() == 0
    job_url, job = propose(coordinator, world)
    assert job.params["commit"] is False and job.requested_by == world.coordinator
    page = coordinator.get(job_url).content.decode()
    proposal = page.split('class="proposal-stops"', 1)[1].split("</ol>", 1)[0]
    assert proposal.index(first.reference) < proposal.index(second.reference)
    assert len(re.findall(r"<strong>\d\d:\d\d–\d\d:\d\d</strong>", proposal)) == 2
    assert "Voorstel: 2 bezoeken ingepland" in page and 'id="plan-save"' in page
    assert "Nog geen rit." in page
    assert Route.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_while_the_job_runs_the_page_says_so_and_refreshes_itself(world, coordinator, settings):
    settings.TW_PLAN_JOBS = "manual"
    booking = confirmed(world)
    job_url, job = propose(coordinator, world)
    response = coordinator.get(job_url)
    page = response.content.decode()
    assert "Het voorstel wordt gemaakt…" in page and 'class="proposal-stops"' not in page
    assert 'id="plan-save"' not in page and 'id="plan-propose"' not in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    nonce = response.wsgi_request.csp_nonce
    assert f'<script nonce="{nonce}">' in page and f"/api/v1/routes/plan/jobs/{job.pk}/" in page
    # What the script polls answers the page's session.
    assert coordinator.get(f"/api/v1/routes/plan/jobs/{job.pk}/").json()["status"] == "queued"
    jobs.plan_job_run(job.pk)
    page = coordinator.get(job_url).content.decode()
    assert "Het voorstel wordt gemaakt…" not in page and "http-equiv" not in page
    proposal = page.split('class="proposal-stops"', 1)[1].split("</ol>", 1)[0]
    assert booking.reference in proposal


@time_machine.travel(NOW, tick=False)
def test_saving_while_queued_says_the_routes_are_being_saved(world, coordinator, settings):
    settings.TW_PLAN_JOBS = "manual"
    confirmed(world)
    response = coordinator.post(
        "/planning/plan/save/", {"wagon": world.wagon.id, "start": OPEN_DAY.isoformat()}
    )
    job = PlanJob.objects.get()
    assert job.params["commit"] is True and response["Location"].endswith(f"&job={job.pk}")
    page = coordinator.get(response["Location"]).content.decode()
    assert "De ritten worden opgeslagen…" in page and Route.objects.count() == 0
    jobs.plan_job_run(job.pk)
    page = coordinator.get(response["Location"]).content.decode()
    assert "1 ritten opgeslagen voor" in page and Route.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_showing_a_job_in_any_state_writes_nothing(world, coordinator, settings):
    settings.TW_PLAN_JOBS = "manual"
    confirmed(world)
    urls = [propose(coordinator, world)[0] for _ in range(3)]
    queued, running, done = PlanJob.objects.order_by("pk")
    PlanJob.objects.filter(pk=running.pk).update(status="running")
    jobs.plan_job_run(done.pk)
    before = list(PlanJob.objects.order_by("pk").values())
    for url in urls:
        assert coordinator.get(url).status_code == 200
    assert list(PlanJob.objects.order_by("pk").values()) == before
    assert Route.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_failed_job_shows_its_error_in_dutch(world, coordinator, monkeypatch):
    confirmed(world)

    def refused(**kwargs):
        raise DomainError("Deze wagen heeft geen depot.")

    monkeypatch.setattr(route_services, "plan_propose", refused)
    job_url, job = propose(coordinator, world)
    page = coordinator.get(job_url).content.decode()
    assert "Het plannen is mislukt: Deze wagen heeft geen depot." in page
    assert 'class="msg error"' in page and 'class="proposal-stops"' not in page
    assert 'id="plan-propose"' in page  # try again


@time_machine.travel(NOW, tick=False)
def test_another_coordinators_job_or_a_job_of_another_page_is_404(world, coordinator):
    confirmed(world)
    job_url, job = propose(coordinator, world)
    other = Client()
    other.force_login(make_user("andere-planner", "coordinator"))
    assert other.get(job_url).status_code == 404
    base = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}&span=week"
    assert coordinator.get(f"{base}&job={job.pk}").status_code == 200
    later = f"/planning/plan/?wagon={world.wagon.id}&start=2027-03-01&span=week&job={job.pk}"
    for url in (later, f"{base}&job=999999", f"{base}&job=abc", f"{base}&job={'9' * 30}"):
        assert coordinator.get(url).status_code == 404, url


@time_machine.travel(NOW, tick=False)
def test_saving_commits_the_routes_and_the_board_and_day_sheet_show_them(world, coordinator):
    first = confirmed(world)
    second = confirmed(world, school=world.other_school, start="13:00")
    response = coordinator.post(
        "/planning/plan/save/",
        {"wagon": world.wagon.id, "start": OPEN_DAY.isoformat(), "span": "week"},
        follow=True,
    )
    assert "ritten opgeslagen" in response.content.decode()
    route = Route.objects.get(wagon=world.wagon, date=OPEN_DAY)
    assert [s.booking_id for s in route.stops.order_by("position")] == [first.id, second.id]
    page = coordinator.get(f"/planning/board/?start={OPEN_DAY}").content.decode()
    assert "rit: stop 1" in page and "rit: stop 2" in page
    api = coordinator.get(f"/api/v1/routes/?wagon={world.wagon.id}").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [s["booking"] for s in rows[0]["stops"]] == [first.id, second.id]


@time_machine.travel(NOW, tick=False)
def test_pinning_a_visit_to_another_day_from_the_proposal(world, coordinator):
    booking = confirmed(world)
    url = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}"
    response = coordinator.post(
        f"/planning/visits/{booking.id}/move/",
        {"date": "2027-02-17", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    booking.refresh_from_db()
    assert booking.date == dt.date(2027, 2, 17)
    page = coordinator.get(url).content.decode()
    assert 'data-date="2027-02-17"' in page
    # The move form of a proposal comes back to the page without its (now stale) job.
    job_url, _job = propose(coordinator, world)
    page = coordinator.get(job_url).content.decode()
    week = f"/planning/plan/?wagon={world.wagon.id}&start=2027-02-15&span=week"  # its Monday
    assert f'name="next" value="{escape(week)}"' in page
    # An outside "next" is ignored: back to the visit page.
    response = coordinator.post(
        f"/planning/visits/{booking.id}/move/", {"date": "2027-02-18", "next": "https://evil/"}
    )
    assert response["Location"] == f"/planning/visits/{booking.id}/"


@time_machine.travel(NOW, tick=False)
def test_plan_page_access_and_bad_input(world, coordinator):
    for user in (world.teacher, world.crew):
        client = Client()
        client.force_login(user)
        assert client.get("/planning/plan/").status_code == 403
        assert client.post("/planning/plan/save/", {"wagon": world.wagon.id}).status_code == 403
        assert client.post("/planning/plan/propose/", {"wagon": world.wagon.id}).status_code == 403
        assert client.get("/planning/plan/propose/").status_code == 403
    assert Client().get("/planning/plan/").status_code == 302
    for query in ("", "wagon=abc", "wagon=99999", f"wagon={world.wagon.id}&start=xx&span=year"):
        assert coordinator.get(f"/planning/plan/?{query}").status_code == 200
    response = coordinator.post("/planning/plan/save/", {"wagon": "nope"}, follow=True)
    assert "Kies een wagen om te plannen." in response.content.decode()
    response = coordinator.post("/planning/plan/propose/", {"wagon": "nope"}, follow=True)
    assert "Kies een wagen om te plannen." in response.content.decode()
    assert coordinator.get("/planning/plan/propose/").status_code == 405
    assert Route.objects.count() == 0 and PlanJob.objects.count() == 0
