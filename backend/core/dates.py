"""The one window every date the system accepts must lie in, and date arithmetic that cannot
overflow.

A date like 9999-12-31 is valid ISO 8601 but no visit, route or closed day is planned there; let
one in and every computation that adds a day to it (lead time, the next morning, a calendar feed)
raises `OverflowError` for everyone who reads the list afterwards. So bookings, routes, blackouts,
availability queries and list filters all check against this window, and the readers clamp
instead of crashing on rows that got in before the window existed.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

# Before the programme existed: nothing is planned (or reported) earlier.
EARLIEST_DATE = dt.date(2000, 1, 1)
# Nobody plans a visit, route or closed day further ahead than this.
YEARS_AHEAD = 3


def latest_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def window_message(today: dt.date | None = None) -> str:
    return (
        f"Kies een datum tussen {EARLIEST_DATE:%Y-%m-%d} en {latest_date(today):%Y-%m-%d} "
        f"(hoogstens {YEARS_AHEAD} jaar vooruit)."
    )


def in_window(value: dt.date, today: dt.date | None = None) -> bool:
    return EARLIEST_DATE <= value <= latest_date(today)


def validate_date_window(value: dt.date) -> None:
    """A field validator (models, serializers, forms, filters): the caller names the field."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and not in_window(value):
        raise ValidationError(window_message(), code="date_out_of_window")


def check_date_window(value: dt.date, *, field: str) -> None:
    """For services: the same check as a `{field: [message]}` error (400 through the API)."""
    try:
        validate_date_window(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def add_days(day: dt.date, days: int) -> dt.date:
    """`day + days`, clamped to the calendar's ends instead of raising OverflowError."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def combine_minutes(day: dt.date, time: dt.time, minutes: int, tzinfo=None) -> dt.datetime:
    """`datetime.combine(day, time) + minutes`, clamped to the same day's ends (so rows with a
    date at the calendar's ends still render)."""
    start = dt.datetime.combine(day, time, tzinfo=tzinfo)
    try:
        result = start + dt.timedelta(minutes=minutes)
    except OverflowError:
        result = None
    if result is None or result.date() != day:
        edge = dt.time.max if minutes > 0 else dt.time.min
        return dt.datetime.combine(day, edge.replace(microsecond=0), tzinfo=tzinfo)
    return result
