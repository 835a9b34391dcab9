"""The bookings list's `at_risk` filter in SQL, so the list counts and pages in the database.

A reserving booking from today on is at risk when its stop no longer fits its depot's pool (items
turned defect or lost): the one place the rule lives, as one query. Per
depot, day and kit type, each wagon (or each booking without a wagon) needs the largest of its
stops' reservations; a stop is short of a kit type when its own reservation is more than the
available items minus the other wagon-days' need (`pool.shortage`: `needed` > `available`,
never below 0). tests/bookings/test_list_rows.py holds it equal to the rule in Python on 10,000
bookings; the board and the daily check ask it through `bookings.selectors.at_risk_bookings`.
"""

import datetime as dt

from django.db import connection

from backend.core.sql import ids_in
from bookings.models import Booking, KitReservation
from inventory.models import Item


def _shortages_sql(on: dt.date) -> tuple[str, list]:
    """SELECT of (booking_id, kit_type_id, needed, others' need, total) for every reservation
    from `on` that its depot's pool cannot serve."""
    reservation = KitReservation._meta.db_table
    booking = Booking._meta.db_table
    item = Item._meta.db_table
    reserving = ", ".join(["%s"] * len(Booking.RESERVING))
    sql = f"""
        WITH r AS (
            SELECT kr.depot_id, kr.date, kr.kit_type_id, kr.booking_id, kr.quantity,
                   COALESCE(b.wagon_id, -kr.booking_id) AS wagon_key
            FROM "{reservation}" kr INNER JOIN "{booking}" b ON b.id = kr.booking_id
            WHERE b.status IN ({reserving}) AND kr.date >= %s AND b.date >= %s
        ),
        tops AS (
            SELECT depot_id, date, kit_type_id, wagon_key, MAX(quantity) AS top,
                   SUM(MAX(quantity)) OVER (PARTITION BY depot_id, date, kit_type_id)
                       AS depot_need
            FROM r GROUP BY depot_id, date, kit_type_id, wagon_key
        ),
        stock AS (
            SELECT depot_id, kit_type_id, COUNT(*) AS total
            FROM "{item}" WHERE status = %s GROUP BY depot_id, kit_type_id
        )
        SELECT r.booking_id, r.kit_type_id, r.quantity,
               tops.depot_need - tops.top AS others, COALESCE(stock.total, 0) AS total
        FROM r
        INNER JOIN tops ON tops.depot_id = r.depot_id AND tops.date = r.date
            AND tops.kit_type_id = r.kit_type_id AND tops.wagon_key = r.wagon_key
        LEFT JOIN stock ON stock.depot_id = r.depot_id AND stock.kit_type_id = r.kit_type_id
        WHERE r.quantity > 0
            AND r.quantity > COALESCE(stock.total, 0) - (tops.depot_need - tops.top)
    """
    day = connection.ops.adapt_datefield_value(on)
    params = [*Booking.RESERVING, day, day, Item.Status.AVAILABLE]
    return sql, params


def shortages(*, on: dt.date) -> dict[int, list[dict]]:
    """{booking id: its `shortage` rows (kit_type, needed, available, total), by kit type} for
    every reserving booking from `on` whose stop its depot's pool cannot serve: one query, and
    only the short reservations come back (not every booking)."""
    sql, params = _shortages_sql(on)
    found: dict[int, list[dict]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY r.booking_id, r.kit_type_id", params)
        for booking_id, kit_type_id, needed, others, total in cursor.fetchall():
            found.setdefault(booking_id, []).append(
                {
                    "kit_type": kit_type_id,
                    "needed": needed,
                    "available": max(total - others, 0),
                    "total": total,
                }
            )
    return found


def at_risk_filter(queryset, *, on: dt.date, found: dict[int, list[dict]]):
    """`queryset` narrowed to its confirmed or packed bookings from `on` that are at risk
    (`found`: `shortages(on=on)`), as a queryset: the list counts and pages in the database."""
    return queryset.filter(
        ids_in(Booking, "id", sorted(found), planner_hint=True),
        status__in=(Booking.Status.CONFIRMED, Booking.Status.PACKED),
        date__gte=on,
    )
