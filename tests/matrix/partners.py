"""Partners, a visit's partner participations and teacher feedback (issue 18): coordinators
manage, crew read the partner register, schools nothing. The pages: the partner register and a
visit's partners (/planning/), the feedback overview (/planning/feedback/), the school's own
visit's response (/school/bookings/<id>/feedback/) and the public form behind the signed link
(/school/feedback/<token>/: the token is the only key, no login)."""

import datetime as dt

from bookings.models import Booking
from bookings.selectors import today
from feedback import links
from feedback.models import FeedbackResponse
from partners import services
from partners.models import Participation, Partner
from programmes.models import Programme
from tests.factories import BookingFactory, BookingSessionFactory
from tests.matrix import ALLOWED, HIDDEN, NOT_FOUND, Bad, Check, b, r

COORDINATOR_ONLY = r(ALLOWED, 403, 403)
COORDINATOR_READ = r(200, 403, 403)


def build(ctx: dict) -> None:
    booking = Booking.objects.get(pk=ctx["bk_returned"])
    programme = Programme.objects.get(pk=booking.school.programme_id)
    partner = services.partner_create(
        programme=programme, name="Matrix partner", kvk_number="12345678", acting_user=None
    )
    ctx["partner"] = partner.pk
    ctx["participation"] = services.participation_add(
        booking=booking, partner=partner, kind="sponsor", acting_user=None
    ).pk
    # A completed visit of the school, a few days ago: the signed feedback link is open for it
    # whatever day the suite runs. Made directly: the status walk is not what the matrix is about.
    completed = BookingFactory(
        school=ctx["school_obj"],
        wagon=ctx["wagon_obj"],
        date=today() - dt.timedelta(days=3),
        status=Booking.Status.COMPLETED,
    )
    BookingSessionFactory(booking=completed, workshop_id=ctx["workshop"], pupils=10)
    ctx["bk_completed"] = completed.pk
    guest = services.partner_create(
        programme=programme, name="Matrix gastdocent", kvk_number="87654321", acting_user=None
    )
    ctx["guest_partner"] = guest.pk
    ctx["completed_participation"] = services.participation_add(
        booking=completed, partner=guest, kind="guest_instructor", hours="3", acting_user=None
    ).pk
    # Written directly: the signed link's window is not what the matrix is about.
    ctx["feedback"] = FeedbackResponse.objects.create(
        booking=completed,
        workshop_rating=4,
        crew_rating=4,
        organisation_rating=4,
        enthusiasm=4,
        book_again=True,
        comments="Matrix: de leerlingen wilden niet meer stoppen",
    ).pk
    ctx["feedback_token"] = links.token_for(completed)
    # A validly signed token of a visit that is not completed: the form stays closed (404).
    ctx["closed_feedback_token"] = links.token_for(booking)
    # The same token with its signature's last characters changed.
    token = ctx["feedback_token"]
    ctx["bad_feedback_token"] = token[:-2] + ("yy" if token.endswith("xx") else "xx")


PLANNING_PAGE = r(200, 403, 403, anon=302)
PLANNING_POST = r(302, 403, 403, anon=302)
# The public form: the same for everyone, logged in or not.
PUBLIC = r(200, 200, 200, anon=200)
PUBLIC_404 = r(404, 404, 404, anon=404)
FEEDBACK_FORM = {
    "workshop_rating": "5",
    "crew_rating": "4",
    "organisation_rating": "3",
    "enthusiasm": "5",
    "book_again": "ja",
}

ROWS = [
    ("get", "/api/v1/partners/", r(200, 200, 403)),
    ("post", "/api/v1/partners/", COORDINATOR_ONLY, {"name": "Matrix nieuw"}),
    ("get", "/api/v1/partners/{partner}/", r(200, 200, 403)),
    ("put", "/api/v1/partners/{partner}/", COORDINATOR_ONLY, {"name": "Matrix partner"}),
    ("patch", "/api/v1/partners/{partner}/", r(200, 403, 403), {"sector": "Bouw"}),
    ("delete", "/api/v1/partners/{partner}/", COORDINATOR_ONLY),
    ("get", "/api/v1/bookings/{bk_returned}/participations/", COORDINATOR_READ),
    ("post", "/api/v1/bookings/{bk_returned}/participations/", COORDINATOR_ONLY, {}),
    ("get", "/api/v1/participations/{participation}/", COORDINATOR_READ),
    ("put", "/api/v1/participations/{participation}/", COORDINATOR_ONLY, {}),
    ("patch", "/api/v1/participations/{participation}/", r(200, 403, 403), {"hours": "2"}),
    ("delete", "/api/v1/participations/{participation}/", COORDINATOR_ONLY),
    ("get", "/api/v1/feedback/", COORDINATOR_READ),
    ("get", "/api/v1/feedback/{feedback}/", COORDINATOR_READ),
    # pages: the partner register and a visit's partners are the coordinator's
    ("get", "/planning/partners/", PLANNING_PAGE),
    ("get", "/planning/partners/?show=all", PLANNING_PAGE),
    ("post", "/planning/partners/", PLANNING_POST, {"name": "Matrix pagina", "active": "on"}),
    ("get", "/planning/partners/{partner}/", PLANNING_PAGE),
    (
        "post",
        "/planning/partners/{partner}/",
        PLANNING_POST,
        {"name": "Matrix partner", "sector": "Bouw", "active": "on"},
    ),
    ("get", "/planning/visits/{bk_returned}/partners/", PLANNING_PAGE),
    (
        "post",
        "/planning/visits/{bk_returned}/partners/",
        PLANNING_POST,
        lambda ctx: {"partner": ctx["guest_partner"], "kind": "materials", "hours": "1"},
    ),
    ("post", "/planning/participations/{participation}/remove/", PLANNING_POST),
    ("get", "/planning/feedback/", PLANNING_PAGE),
    # the school reads its own visit's response; another school's visit is not found
    (
        "get",
        "/school/bookings/{bk_completed}/feedback/",
        r(403, 403, 200, other_school=404, anon=302),
    ),
    # the signed link: no login needed; a tampered token or a visit not completed is a 404
    ("get", "/school/feedback/{feedback_token}/", PUBLIC),
    # (an empty post shows the form again, as a GET does: the view binds a non-empty post only)
    (
        "post",
        "/school/feedback/{feedback_token}/",
        r(400, 400, 400, anon=400),
        {"comments": "Zonder cijfers"},
    ),
    ("post", "/school/feedback/{feedback_token}/", PUBLIC, FEEDBACK_FORM),
    ("get", "/school/feedback/{bad_feedback_token}/", PUBLIC_404),
    ("post", "/school/feedback/{bad_feedback_token}/", PUBLIC_404, FEEDBACK_FORM),
    ("get", "/school/feedback/{closed_feedback_token}/", PUBLIC_404),
]


# Programme B against programme A (see tests/matrix/__init__.py).
ONLY_COORD_404 = b(404, 403)


def _no_new_partner(ctx, user) -> bool:
    return not Partner.objects.filter(name="Matrix Twello partner").exists()


def _b_visit_without_partners(ctx, user) -> bool:
    return not Participation.objects.filter(booking_id=ctx["b_confirmed"]).exists()


PROGRAMME_ROWS = [
    # the partner register: crew of B read B's, coordinators of B manage B's; A's not found
    ("get", "/api/v1/partners/", b(HIDDEN)),
    ("get", "/api/v1/partners/?active=true", b(HIDDEN)),
    (
        "post",
        "/api/v1/partners/",
        b(Bad("programme"), 403),
        lambda ctx: {"name": "Matrix Twello partner", "programme": ctx["programme_a"]},
    ),
    ("get", "/api/v1/partners/{partner}/", NOT_FOUND),
    ("put", "/api/v1/partners/{partner}/", ONLY_COORD_404, {"name": "Matrix partner"}),
    ("patch", "/api/v1/partners/{partner}/", ONLY_COORD_404, {"sector": "Bouw"}),
    ("delete", "/api/v1/partners/{partner}/", ONLY_COORD_404),
    # a visit's participations: coordinators only; A's visit not found, A's partner on B's
    # visit a 400 on `partner`
    ("get", "/api/v1/bookings/{bk_returned}/participations/", ONLY_COORD_404),
    (
        "post",
        "/api/v1/bookings/{bk_returned}/participations/",
        ONLY_COORD_404,
        lambda ctx: {"partner": ctx["partner"], "kind": "materials"},
    ),
    (
        "post",
        "/api/v1/bookings/{b_confirmed}/participations/",
        b(Bad("partner"), 403),
        lambda ctx: {"partner": ctx["guest_partner"], "kind": "materials"},
    ),
    ("get", "/api/v1/participations/{participation}/", ONLY_COORD_404),
    ("put", "/api/v1/participations/{participation}/", ONLY_COORD_404, {}),
    ("patch", "/api/v1/participations/{participation}/", ONLY_COORD_404, {"hours": "2"}),
    ("delete", "/api/v1/participations/{participation}/", ONLY_COORD_404),
    # teacher feedback: coordinators only
    ("get", "/api/v1/feedback/", b(HIDDEN, 403)),
    ("get", "/api/v1/feedback/{feedback}/", ONLY_COORD_404),
    # pages
    ("get", "/planning/partners/", b(HIDDEN, 403)),
    ("get", "/planning/partners/?show=all", b(HIDDEN, 403)),
    (
        "post",
        "/planning/partners/",
        b(Check(400, _no_new_partner, "no partner made in programme A"), 403),
        lambda ctx: {"name": "Matrix Twello partner", "programme": ctx["programme_a"]},
    ),
    ("get", "/planning/partners/{partner}/", ONLY_COORD_404),
    ("post", "/planning/partners/{partner}/", ONLY_COORD_404, {"name": "Matrix overname"}),
    ("get", "/planning/visits/{bk_returned}/partners/", ONLY_COORD_404),
    (
        "post",
        "/planning/visits/{bk_returned}/partners/",
        ONLY_COORD_404,
        lambda ctx: {"partner": ctx["partner"], "kind": "materials", "hours": "1"},
    ),
    # B's own visit offers B's partners only: A's is refused, nothing recorded
    (
        "post",
        "/planning/visits/{b_confirmed}/partners/",
        b(Check(400, _b_visit_without_partners, "no participation of A's partner"), 403),
        lambda ctx: {"partner": ctx["guest_partner"], "kind": "materials", "hours": "1"},
    ),
    ("post", "/planning/participations/{participation}/remove/", ONLY_COORD_404),
    ("get", "/planning/feedback/", b(HIDDEN, 403)),
    ("get", "/school/bookings/{bk_completed}/feedback/", b(403)),
    # The signed link is the key to that one visit's form, whoever holds it (logged in or not):
    # a B user with A's link sees that form, as the teacher it was mailed to would.
    ("get", "/school/feedback/{feedback_token}/", b(200)),
    ("get", "/school/feedback/{bad_feedback_token}/", b(404)),
    ("get", "/school/feedback/{closed_feedback_token}/", b(404)),
]
