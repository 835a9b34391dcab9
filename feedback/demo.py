"""Demo teacher feedback: a response on some completed demo visits (every other one, so the
response rate is not 100%). Idempotent."""

from bookings.models import Booking
from feedback import links, services
from feedback.models import FeedbackResponse

ANSWERS = [
    (5, 4, 4, 5, True, "De leerlingen praten er nog steeds over. Graag volgend jaar weer!"),
    (4, 5, 3, 4, True, "Fijne crew; de planning liep via de mail wat stroef."),
    (3, 4, 4, 3, False, ""),
]


def load() -> dict:
    completed = Booking.objects.filter(status=Booking.Status.COMPLETED).order_by("date", "pk")
    for index, visit in enumerate(completed[::2]):
        if FeedbackResponse.objects.filter(booking=visit).exists() or not links.is_open(visit):
            continue
        workshop, crew, organisation, enthusiasm, again, comments = ANSWERS[index % len(ANSWERS)]
        services.feedback_submit(
            booking=visit,
            workshop_rating=workshop,
            crew_rating=crew,
            organisation_rating=organisation,
            enthusiasm=enthusiasm,
            book_again=again,
            comments=comments,
        )
    return {"feedback": FeedbackResponse.objects.count()}
