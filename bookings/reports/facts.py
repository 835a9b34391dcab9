"""The reach report's fact table (`ReachFact`), kept current with the bookings and sessions.

Every write that changes what they hold calls this module in its transaction, after the write:
- `refresh([booking.pk])` (two statements: the visit's facts deleted and inserted again from
  its booking and sessions) where its sessions changed: `booking_update_sessions`,
  `booking_record_attendance` (pupils corrected), and the admin's save of a booking;
- `visit_changed(booking)` (one statement) where only the booking's own columns did: status
  changes (`booking_set_status`: lifecycle, packing list check actions, crew, admin) and
  `bookings.reschedule.booking_reschedule` (moves by hand, by routes and the tour planner);
- `refresh(..., had_facts=False)` (one statement) in `booking_confirm`: a requested visit has
  none.
A booking's facts go with it (cascade). A new booking (and a waiting-list acceptance) is
`requested`, which never counts: it has no facts to write.
Bulk loads (benchmarks, data migrations, demo data) call `rebuild()`.

Only the visits that may count are kept (`counted_statuses(planned=True)`); the school type's
sector is `selectors.SECTOR_OF`.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from bookings.models import Booking, BookingSession, ReachFact
from bookings.reports.selectors import SECTOR_OF, counted_statuses

COLUMNS = (
    "booking_id",
    "kind",
    "key",
    "workshop_id",
    "date",
    "status",
    "school_id",
    "wagon_id",
    "sessions",
    "pupils",
)


def _insert_sql(booking_ids: list[int] | None) -> tuple[str, list]:
    """One INSERT … SELECT of the facts of `booking_ids` (None: of every booking)."""
    quote = connection.ops.quote_name
    booking = quote(Booking._meta.db_table)
    session = quote(BookingSession._meta.db_table)
    statuses = counted_statuses(planned=True)
    where = f"b.status IN ({', '.join(['%s'] * len(statuses))})"
    where_params: list = list(statuses)
    if booking_ids is not None:
        where += f" AND b.id IN ({', '.join(['%s'] * len(booking_ids))})"
        where_params += booking_ids
    sector_cases = " ".join("WHEN %s THEN %s" for _ in SECTOR_OF)
    sector_params = [value for pair in SECTOR_OF.items() for value in pair]
    # (kind, key, workshop, the key's params) of the visit's row, then per session key.
    none = "CAST(NULL AS BIGINT)"  # typed: PostgreSQL matches the UNION's columns pairwise
    passes = (
        ("'visit'", "''", none, []),
        ("'school_type'", "s.school_type", none, []),
        ("'workshop'", "''", "s.workshop_id", []),
        ("'sector'", f"CASE s.school_type {sector_cases} ELSE '' END", none, sector_params),
    )
    selects, params = [], []
    for kind, key, workshop, key_params in passes:
        join = "LEFT JOIN" if kind == "'visit'" else "JOIN"
        selects.append(
            f"SELECT b.id, {kind}, {key}, {workshop}, b.date, b.status, b.school_id, b.wagon_id, "
            "COUNT(s.id), COALESCE(SUM(s.pupils), 0) "
            f"FROM {booking} b {join} {session} s ON s.booking_id = b.id "
            # By position: the visit's columns and the key (the same expression, once).
            f"WHERE {where} GROUP BY 1, 3, 4, 5, 6, 7, 8"
        )
        params += key_params + where_params
    columns = ", ".join(quote(c) for c in COLUMNS)
    sql = f"INSERT INTO {quote(ReachFact._meta.db_table)} ({columns}) " + " UNION ALL ".join(
        selects
    )
    return sql, params


def refresh(booking_ids: Iterable[int], *, had_facts: bool = True) -> None:
    """Write the facts of these bookings again from their rows (call it inside the write's
    transaction, after the write). `had_facts=False`: the bookings have none yet (a visit just
    confirmed from requested), so nothing is deleted first."""
    ids = sorted(set(booking_ids))
    if not ids:
        return
    if had_facts:
        ReachFact.objects.filter(booking_id__in=ids).delete()
    sql, params = _insert_sql(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def visit_changed(booking: Booking) -> None:
    """The visit's own columns (status, date, wagon, school) were saved, not its sessions: its
    facts follow in one statement — updated, or deleted once it no longer counts (a counted
    visit always has its "visit" row, so none updated means it had none: they are written)."""
    rows = ReachFact.objects.filter(booking_id=booking.pk)
    if booking.status not in counted_statuses(planned=True):
        rows.delete()
    elif not rows.update(
        date=booking.date,
        status=booking.status,
        school_id=booking.school_id,
        wagon_id=booking.wagon_id,
    ):
        refresh([booking.pk], had_facts=False)


@transaction.atomic
def rebuild() -> int:
    """Every booking's facts from scratch (after bulk loads); the number of fact rows."""
    ReachFact.objects.all().delete()
    sql, params = _insert_sql(None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return ReachFact.objects.count()
