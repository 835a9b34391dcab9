"""The signed feedback link: no login, no stored token.

The token is `django.core.signing` of the booking id with its own salt, so a token of another
feature (or a guessed booking id) does not open the form, and any change to it fails the
signature. The link works while the visit is completed and for 30 days from the visit's date
(the thank-you e-mail goes out the day after); the expiry follows from the booking, not from the
moment the link was signed, so every link for one visit ends on the same day."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from bookings.models import Booking
from bookings.selectors import today

SALT = "techniekwagen.feedback.link"
VALID_DAYS = 30
MAX_TOKEN_LENGTH = 200


def token_for(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk}, salt=SALT, compress=False)


def link_for(booking: Booking) -> str:
    """The absolute URL of the feedback form for `booking` (for e-mails)."""
    return f"{settings.SITE_URL}{reverse('school:feedback', args=[token_for(booking)])}"


def valid_until(booking: Booking) -> dt.date:
    return booking.date + dt.timedelta(days=VALID_DAYS)


def is_open(booking: Booking, *, on: dt.date | None = None) -> bool:
    """True while the form of this completed visit may be filled in or changed."""
    current = on or today()
    return booking.status == Booking.Status.COMPLETED and current <= valid_until(booking)


def booking_id_from(token: str) -> int | None:
    """The booking id a token was signed for, or None for a tampered or foreign token."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    booking_id = data.get("b") if isinstance(data, dict) else None
    return booking_id if isinstance(booking_id, int) else None


def open_booking(token: str) -> Booking | None:
    """The completed visit whose form this token opens today, or None (tampered, unknown,
    not completed, or expired: the visitor sees the same 404 for each)."""
    booking_id = booking_id_from(token)
    if booking_id is None:
        return None
    booking = Booking.objects.select_related("school").filter(pk=booking_id).first()
    if booking is None or not is_open(booking):
        return None
    return booking
