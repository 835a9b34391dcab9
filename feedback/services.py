"""The one write of feedback: the school contact's answer for a completed visit."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.core.history import with_acting_user
from backend.core.limits import TEXT_MAX_LENGTH
from backend.core.updates import apply_changes, save_changed
from bookings.models import Booking
from feedback import links
from feedback.exceptions import FeedbackError
from feedback.models import FeedbackResponse

RATINGS = ("workshop_rating", "crew_rating", "organisation_rating", "enthusiasm")


def _check(values: dict) -> None:
    errors = {}
    for name in RATINGS:
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = [_("Kies een cijfer van 1 tot en met 5.")]
    if not isinstance(values["book_again"], bool):
        errors["book_again"] = [_("Kies ja of nee.")]
    if len(values["comments"]) > TEXT_MAX_LENGTH:
        errors["comments"] = [_("Deze tekst is te lang.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feedback_submit(
    *,
    booking: Booking,
    workshop_rating: int,
    crew_rating: int,
    organisation_rating: int,
    enthusiasm: int,
    book_again: bool,
    comments: str = "",
    acting_user=None,
) -> FeedbackResponse:
    """Store the answer for `booking`, or change the one given before: one response per visit,
    editable while the link is open (completed, up to 30 days after the visit). `acting_user` is
    None for the anonymous visitor of the signed link."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if not links.is_open(locked):
        raise FeedbackError(_("Deze link is verlopen."), code="feedback_closed", status_code=404)
    values = {
        "workshop_rating": workshop_rating,
        "crew_rating": crew_rating,
        "organisation_rating": organisation_rating,
        "enthusiasm": enthusiasm,
        "book_again": book_again,
        "comments": (comments or "").strip(),
    }
    _check(values)
    existing = FeedbackResponse.objects.select_for_update().filter(booking=locked).first()
    if existing is not None:
        save_changed(existing, apply_changes(existing, values), acting_user=acting_user)
        return existing
    response = FeedbackResponse(booking=locked, **values)
    with_acting_user(response, acting_user)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Two submits at once: the booking lock makes this unreachable on PostgreSQL, but
        # SQLite has no row locks.
        raise FeedbackError(_("Uw reactie is zojuist al opgeslagen."), code="duplicate") from None
    return response
