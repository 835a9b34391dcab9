"""Reuse is only honest if the stops really follow one another (PRODUCT.md rule 1): a visit whose
time on site — first session minus the wagon's set-up to last session plus teardown, plus the drive
from or to the wagon's other stops that day — overlaps a confirmed stop of that wagon can't go on
that wagon (`wagon_busy`).

The drive is a plain straight-line estimate (great-circle km × road factor at a town speed, plus
parking): bookings may not import the routes app, whose travel model plans the real route.
"""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext as _

from bookings.calendar_rules import reason
from bookings.kit.need import session_span
from bookings.models import Booking

EARTH_RADIUS_KM = 6371.0088
ESTIMATE_KMH = 45  # between the city and the regional speed of the routes travel model


def drive_minutes(a, b) -> int:
    """Minutes from school `a` to school `b` (objects with lat/lon), parking included; 0 when a
    point is unknown or they are the same place."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return 0
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.lat, a.lon, b.lat, b.lon)))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h))) * float(settings.TW_ROAD_FACTOR)
    if km < 1e-6:
        return 0
    return math.ceil(km / ESTIMATE_KMH * 60) + int(settings.TW_PARKING_MINUTES)


def time_on_site(sessions, wagon) -> tuple[int, int] | None:
    """(arrive, leave) in minutes: first session minus set-up to last session plus teardown."""
    spans = [s for s in map(session_span, sessions) if s is not None]
    if not spans:
        return None
    return (
        min(s for s, _e in spans) - wagon.setup_minutes,
        max(e for _s, e in spans) + wagon.teardown_minutes,
    )


@dataclass
class _Stop:
    """Another stop of the wagon, as far as its time on site and its drive go: its school's
    place and its sessions (look-alikes with `start_time` and `workshop.duration_minutes`)."""

    wagon_id: int
    lat: object
    lon: object
    sessions: list = field(default_factory=list)


# What `busy_wagons` judges a wagon's other stops by: per booking and session (one row with
# no session for a booking without any), its wagon, status and school's place, the session's start
# and length. `bookings.selectors.availability_for` reads the same rows for a day it decides.
STOP_COLUMNS = (
    "pk",
    "wagon_id",
    "status",
    "school__lat",
    "school__lon",
    "sessions__start_time",
    "sessions__workshop__duration_minutes",
)


def busy_wagons(
    *,
    school,
    day: dt.date,
    sessions,
    wagons: Iterable,
    exclude_booking_id: int | None = None,
    rows=None,
) -> set[int]:
    """Ids of `wagons` on which a visit to `school` with `sessions` overlaps (drive included) a
    confirmed stop of that wagon on `day`. One query: the sessions of those stops, with their
    school's place (a stop without sessions has no time on site and overlaps nothing) — none
    when `rows` (`STOP_COLUMNS` of the bookings on `day` without the one decided, at least
    those of `wagons`) were read already."""
    wagons = {w.pk: w for w in wagons}
    sessions = list(sessions)
    if not wagons or not sessions:
        return set()
    if rows is None:
        rows = (
            Booking.objects.filter(
                wagon_id__in=list(wagons), date=day, status__in=Booking.RESERVING
            )
            .exclude(pk=exclude_booking_id)
            .values_list(*STOP_COLUMNS)
        )
    stops: dict[int, _Stop] = {}
    for booking_id, wagon_id, status, lat, lon, start_time, duration in rows:
        if wagon_id not in wagons or status not in Booking.RESERVING or start_time is None:
            continue
        stop = stops.get(booking_id)
        if stop is None:
            stop = stops[booking_id] = _Stop(wagon_id, lat, lon)
        stop.sessions.append(
            SimpleNamespace(
                start_time=start_time, workshop=SimpleNamespace(duration_minutes=duration)
            )
        )
    busy = set()
    for stop in stops.values():
        wagon = wagons[stop.wagon_id]
        mine = time_on_site(sessions, wagon)
        theirs = time_on_site(stop.sessions, wagon)
        if mine is None or theirs is None:
            continue
        gap = drive_minutes(school, stop)
        # Free only if one visit is over (and the wagon has driven on) before the other starts.
        if mine[0] < theirs[1] + gap and theirs[0] < mine[1] + gap:
            busy.add(wagon.pk)
    return busy


def busy_reason(wagon) -> dict:
    return reason(
        "wagon_busy",
        _(
            "%(wagon)s is op die tijd al bij een andere school (inclusief op- en afbouw en de "
            "rit ertussen)."
        )
        % {"wagon": wagon.name},
    )
