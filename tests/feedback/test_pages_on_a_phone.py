"""The feedback form (what a teacher opens from the e-mail, often on a phone) and the new
planning pages at 390 px: no sideways scroll, and the form can be filled in and sent."""

import datetime as dt

import pytest
import time_machine

from feedback import links
from feedback.models import FeedbackResponse
from partners import services
from tests.factories import make_user
from tests.feedback.conftest import TZ, VISIT, completed_visit
from tests.pages.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_the_feedback_form_on_a_phone(browser_context, live_server, school):
    done = completed_visit(school)
    with time_machine.travel(dt.datetime.combine(VISIT, dt.time(20), tzinfo=TZ), tick=True):
        page = browser_context.new_page()
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/school/feedback/{links.token_for(done)}/")
        _no_sideways_scroll(page)
        for name in ("workshop_rating", "crew_rating", "organisation_rating", "enthusiasm"):
            page.check(f"input[name={name}][value='4']")
        page.check("input[name=book_again][value='ja']")
        page.fill("textarea[name=comments]", "Top!")
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.locator("#feedback-saved").is_visible()
        _no_sideways_scroll(page)
    assert FeedbackResponse.objects.get().comments == "Top!"


def test_the_planning_pages_on_a_phone(browser_context, live_server, school):
    coordinator = make_user("coord", "coordinator")
    done = completed_visit(school)
    partner = services.partner_create(
        programme=school.programme,
        name="Een partner met een heel lange naam Installatietechniek BV",
        kvk_number="12345678",
        sector="Installatietechniek en duurzame energie",
        acting_user=coordinator,
    )
    services.participation_add(
        booking=done, partner=partner, kind="guest_instructor", hours=3, acting_user=coordinator
    )
    FeedbackResponse.objects.create(
        booking=done,
        workshop_rating=5,
        crew_rating=4,
        organisation_rating=4,
        enthusiasm=5,
        book_again=True,
        comments="Een lange opmerking " * 20,
    )
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    login(page, live_server, "coord")
    for path in (
        "/planning/partners/",
        f"/planning/partners/{partner.pk}/",
        f"/planning/visits/{done.pk}/partners/",
        f"/planning/visits/{done.pk}/",
        "/planning/feedback/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        _no_sideways_scroll(page)
