"""The server-rendered pages: crew (/crew/), school portal (/school/), planning (/planning/).

Anonymous users are sent to the login page (302); a logged-in user without the page's role gets
403; another school's or programme's object 404. Form posts answer with a redirect (302) and a
message, as the pages do."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from PIL import Image

from bookings.models import Booking
from inventory.models import DefectReport
from routes.models import PlanJob
from tests.factories import BlackoutFactory, ItemFactory
from tests.matrix import ALLOWED, HIDDEN, NOT_FOUND, Check, b, r


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def build(ctx: dict) -> None:
    # A defect report with a photo, on an item of its own (ctx["item"] stays available).
    item = ItemFactory(
        asset_tag="ALFAMARK-FOTO", kit_type=ctx["kit_type_obj"], depot=ctx["depot_obj"]
    )
    report = DefectReport(item=item, note="Lens gebarsten", photo_format="PNG")
    report.photo.save("photo.png", ContentFile(_png()), save=False)
    report.save()
    ctx["photo_item_tag"] = item.asset_tag
    ctx["defect_photo"] = report.pk
    ctx["bad_invite_token"] = "geen-geldige-uitnodiging"
    # A studiedag of the school: the school removes it, another school cannot.
    ctx["school_blackout"] = BlackoutFactory(
        school=ctx["school_obj"], date_from=dt.date(2027, 4, 6), date_to=dt.date(2027, 4, 6)
    ).pk


def page(coordinator, crew, school, other_school=None, anon=302):
    return r(coordinator, crew, school, other_school=other_school, anon=anon)


CREW_PAGE = page(200, 200, 403)
SCHOOL_PAGE = page(403, 403, 200)
PLANNING_PAGE = page(200, 403, 403)
PLANNING_POST = page(302, 403, 403)
SCHOOL_ONLY = b(403)
COORDINATOR_ONLY_404 = b(404, 403)


def _no_plan_job(ctx, user) -> bool:
    return not PlanJob.objects.filter(requested_by=user).exists()


def _b_visit_unmoved(ctx, user) -> bool:
    booking = Booking.objects.get(pk=ctx["b_confirmed"])
    return booking.wagon_id == ctx["b_wagon"] and booking.date.isoformat() == "2027-03-12"


ROWS = [
    # crew
    ("get", "/crew/", CREW_PAGE),
    ("get", "/crew/visits/{packing_booking}/", CREW_PAGE),
    ("get", "/crew/days/{wagon}/{wagon_day}/", CREW_PAGE),
    ("get", "/crew/items/?tag={item_tag}", page(302, 302, 403)),
    ("get", "/crew/items/{item_tag}/", CREW_PAGE),
    ("post", "/crew/items/{item_tag}/", page(302, 302, 403), {"note": "wiel los"}),
    ("get", "/crew/items/{photo_item_tag}/photos/{defect_photo}/", CREW_PAGE),
    ("get", "/crew/sw.js", r(200, 200, 200, anon=200)),
    # school portal
    ("get", "/school/", SCHOOL_PAGE),
    ("get", "/school/calendar/", SCHOOL_PAGE),
    ("get", "/school/book/", SCHOOL_PAGE),
    ("get", "/school/bookings/", SCHOOL_PAGE),
    (
        "post",
        "/school/bookings/{bk_requested}/cancel/",
        page(403, 403, 302, other_school=404),
        {"reason": "ziek"},
    ),
    ("get", "/school/bookings/{bk_confirmed}/calendar.ics", page(403, 403, 200, other_school=404)),
    # who was there (issue 18): crew and coordinators on the crew side, the school its own visit
    ("get", "/crew/visits/{packing_booking}/attendance/", CREW_PAGE),
    ("get", "/school/bookings/{bk_confirmed}/attendance/", page(403, 403, 200, other_school=404)),
    ("get", "/school/waiting-list/", SCHOOL_PAGE),
    ("post", "/school/waiting-list/{waiting}/accept/", page(403, 403, 302, other_school=404)),
    ("post", "/school/waiting-list/{waiting}/decline/", page(403, 403, 302, other_school=404)),
    # planning
    ("get", "/planning/", PLANNING_PAGE),
    ("post", "/planning/bookings/{bk_requested}/confirm/", PLANNING_POST),
    ("post", "/planning/bookings/{bk_requested}/decline/", PLANNING_POST, {"reason": "vol"}),
    ("get", "/planning/visits/{bk_requested}/", PLANNING_PAGE),
    ("get", "/planning/visits/{bk_requested}/check/?date=2027-03-10", PLANNING_PAGE),
    ("post", "/planning/visits/{bk_requested}/move/", PLANNING_POST, {"date": "2027-03-10"}),
    ("post", "/planning/visits/{bk_requested}/cancel/", PLANNING_POST, {"reason": "ziek"}),
    ("post", "/planning/visits/{bk_requested}/pin/", PLANNING_POST, {"pinned": "1"}),
    ("get", "/planning/board/?start=2027-03-08", PLANNING_PAGE),
    ("get", "/planning/plan/?wagon={wagon}&start=2027-03-08", PLANNING_PAGE),
    (
        "post",
        "/planning/plan/propose/",
        PLANNING_POST,
        lambda ctx: {"wagon": ctx["wagon"], "start": "2027-03-08"},
    ),
    (
        "post",
        "/planning/plan/save/",
        PLANNING_POST,
        lambda ctx: {"wagon": ctx["wagon"], "start": "2027-03-08"},
    ),
    ("get", "/planning/inventory/", PLANNING_PAGE),
    ("get", "/planning/reach/?year=2027&planned=true&group_by=school", PLANNING_PAGE),
    ("get", "/planning/reports/impact/?school_year=2026&group_by=workshop", PLANNING_PAGE),
    ("get", "/planning/waiting-list/", PLANNING_PAGE),
    # onboarding and closed days
    ("get", "/school/access/", r(ALLOWED, ALLOWED, ALLOWED, anon=ALLOWED)),
    ("get", "/school/invite/{bad_invite_token}/", r(404, 404, 404, anon=404)),
    ("get", "/school/closed-days/", SCHOOL_PAGE),
    (
        "post",
        "/school/closed-days/{school_blackout}/remove/",
        page(403, 403, 302, other_school=404),
    ),
    ("get", "/planning/access-requests/", PLANNING_PAGE),
    ("post", "/planning/access-requests/{access_request}/decline/", PLANNING_POST),
    ("post", "/planning/access-requests/{access_request}/approve/", PLANNING_POST),
    ("get", "/planning/schools/invite/?school={school}", PLANNING_POST),
    ("get", "/planning/schools/{school}/invite/", PLANNING_PAGE),
]

PROGRAMME_ROWS = [
    # crew: A's visit, wagon-day, item and photo are not found; lists show none of A
    ("get", "/crew/", b(HIDDEN)),
    ("get", "/crew/?days=31", b(HIDDEN)),
    ("get", "/crew/visits/{packing_booking}/", NOT_FOUND),
    ("get", "/crew/days/{wagon}/{wagon_day}/", NOT_FOUND),
    ("get", "/crew/items/?tag={item_tag}", b(302)),
    ("get", "/crew/items/{item_tag}/", NOT_FOUND),
    # issue 17: another depot's crew cannot report a defect (or upload a photo) on A's item
    ("post", "/crew/items/{item_tag}/", NOT_FOUND, {"note": "wiel los"}),
    ("get", "/crew/items/{photo_item_tag}/photos/{defect_photo}/", NOT_FOUND),
    ("get", "/crew/sw.js", b(200)),
    # school portal: not for staff at all
    ("get", "/school/", SCHOOL_ONLY),
    ("get", "/school/calendar/", SCHOOL_ONLY),
    ("get", "/school/book/", SCHOOL_ONLY),
    ("get", "/school/bookings/", SCHOOL_ONLY),
    ("post", "/school/bookings/{bk_requested}/cancel/", SCHOOL_ONLY, {"reason": "ziek"}),
    ("get", "/school/bookings/{bk_confirmed}/calendar.ics", SCHOOL_ONLY),
    ("get", "/crew/visits/{packing_booking}/attendance/", NOT_FOUND),
    ("get", "/school/bookings/{bk_confirmed}/attendance/", SCHOOL_ONLY),
    ("get", "/school/waiting-list/", SCHOOL_ONLY),
    ("post", "/school/waiting-list/{waiting}/accept/", SCHOOL_ONLY),
    ("post", "/school/waiting-list/{waiting}/decline/", SCHOOL_ONLY),
    # planning
    ("get", "/planning/", b(HIDDEN, 403)),
    ("post", "/planning/bookings/{bk_requested}/confirm/", COORDINATOR_ONLY_404),
    ("post", "/planning/bookings/{bk_requested}/decline/", COORDINATOR_ONLY_404, {"reason": "x"}),
    ("get", "/planning/visits/{bk_requested}/", COORDINATOR_ONLY_404),
    ("get", "/planning/visits/{bk_requested}/check/?date=2027-03-10", COORDINATOR_ONLY_404),
    ("post", "/planning/visits/{bk_requested}/move/", COORDINATOR_ONLY_404, {"date": "2027-03-10"}),
    # B's own visit, moved onto A's wagon: refused as "not offered", never moved
    (
        "post",
        "/planning/visits/{b_confirmed}/move/",
        b(Check(302, _b_visit_unmoved, "B's visit stays put"), 403),
        lambda ctx: {"date": "2027-03-12", "wagon": ctx["wagon"]},
    ),
    ("post", "/planning/visits/{bk_requested}/cancel/", COORDINATOR_ONLY_404, {"reason": "x"}),
    ("post", "/planning/visits/{bk_requested}/pin/", COORDINATOR_ONLY_404, {"pinned": "1"}),
    ("get", "/planning/board/?start=2027-03-08", b(HIDDEN, 403)),
    ("get", "/planning/board/?start=2027-03-01&span=month", b(HIDDEN, 403)),
    ("get", "/planning/board/?start=2027-03-08&wagon={wagon}", b(HIDDEN, 403)),
    ("get", "/planning/plan/?wagon={wagon}&start=2027-03-08", b(HIDDEN, 403)),
    (
        "post",
        "/planning/plan/propose/",
        b(Check(302, _no_plan_job, "no plan job for A's wagon"), 403),
        lambda ctx: {"wagon": ctx["wagon"], "start": "2027-03-08"},
    ),
    (
        "post",
        "/planning/plan/save/",
        b(Check(302, _no_plan_job, "no plan job for A's wagon"), 403),
        lambda ctx: {"wagon": ctx["wagon"], "start": "2027-03-08"},
    ),
    ("get", "/planning/inventory/", b(HIDDEN, 403)),
    ("get", "/planning/reach/?year=2027&planned=true&group_by=school", b(HIDDEN, 403)),
    ("get", "/planning/reach/?year=2027&planned=true&group_by=workshop", b(HIDDEN, 403)),
    ("get", "/planning/reports/impact/?school_year=2026&group_by=workshop", b(HIDDEN, 403)),
    ("get", "/planning/reports/impact/?school_year=2026&group_by=programme", b(HIDDEN, 403)),
    ("get", "/planning/waiting-list/", b(HIDDEN, 403)),
    # onboarding and closed days
    ("get", "/school/access/", b(ALLOWED)),
    ("get", "/school/invite/{bad_invite_token}/", b(404)),
    ("get", "/school/closed-days/", SCHOOL_ONLY),
    ("post", "/school/closed-days/{school_blackout}/remove/", SCHOOL_ONLY),
    ("get", "/planning/access-requests/", b(HIDDEN, 403)),
    ("post", "/planning/access-requests/{access_request}/approve/", COORDINATOR_ONLY_404),
    ("post", "/planning/access-requests/{access_request}/decline/", COORDINATOR_ONLY_404),
    ("get", "/planning/schools/invite/?school={school}", COORDINATOR_ONLY_404),
    ("get", "/planning/schools/{school}/invite/", COORDINATOR_ONLY_404),
    ("post", "/planning/schools/{school}/invite/", COORDINATOR_ONLY_404, {"email": "x@school.nl"}),
]
