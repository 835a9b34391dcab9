"""Partners, a visit's partner participations and teacher feedback (issue 18): coordinators
manage, crew read the partner register, schools nothing."""

from bookings.models import Booking
from feedback.models import FeedbackResponse
from partners import services
from programmes.models import Programme
from tests.matrix import ALLOWED, r

COORDINATOR_ONLY = r(ALLOWED, 403, 403)
COORDINATOR_READ = r(200, 403, 403)


def build(ctx: dict) -> None:
    booking = Booking.objects.get(pk=ctx["bk_returned"])
    partner = services.partner_create(
        programme=Programme.objects.get(pk=booking.school.programme_id),
        name="Matrix partner",
        kvk_number="12345678",
        acting_user=None,
    )
    ctx["partner"] = partner.pk
    ctx["participation"] = services.participation_add(
        booking=booking, partner=partner, kind="sponsor", acting_user=None
    ).pk
    # Written directly: the signed link's window is not what the matrix is about.
    ctx["feedback"] = FeedbackResponse.objects.create(
        booking=booking,
        workshop_rating=4,
        crew_rating=4,
        organisation_rating=4,
        enthusiasm=4,
        book_again=True,
    ).pk


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
]
