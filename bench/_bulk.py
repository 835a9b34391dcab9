"""Fast raw inserts for the big benchmark data sets (hundreds of thousands of rows in seconds):
COPY on PostgreSQL, one executemany on SQLite. Rows are plain tuples in `columns` order with
explicit ids, so the caller knows them without reading them back; the id sequence is moved past
them afterwards (PostgreSQL)."""

import datetime as dt
import json

from django.db import connection
from django.utils import timezone


def insert_rows(model, columns: list[str], rows) -> int:
    table = model._meta.db_table
    rows = list(rows)
    if connection.vendor == "postgresql":
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            if "id" in columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )
    else:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("%s" for _ in columns)
        rows = [tuple(_sqlite_value(v) for v in row) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    return len(rows)


def rebuild_reach_facts() -> None:
    """After bookings or sessions went in here: the reach report's facts, which the services
    keep current row by row, built for every booking (a checkout without them: nothing)."""
    try:
        from bookings.reports import facts
    except ImportError:
        return
    facts.rebuild()


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.time):
        return connection.ops.adapt_timefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


BOOKING_COLUMNS = [
    "id",
    "reference",
    "school_id",
    "wagon_id",
    "date",
    "status",
    "contact_name",
    "contact_email",
    "contact_phone",
    "site_notes",
    "photo_consent",
    "alternative_dates",
    "status_reason",
    "pinned",
    "language",
    "created_by_id",
    "created",
    "updated",
]


def booking_row(id_: int, reference: str, school_id, wagon_id, date: dt.date, status: str):
    now = timezone.now()
    return (
        id_,
        reference,
        school_id,
        wagon_id,
        date,
        status,
        "x",
        "x@example.nl",
        "",
        "",
        False,
        json.dumps([]),
        "",
        False,
        "nl",
        None,
        now,
        now,
    )


SESSION_COLUMNS = [
    "id",
    "booking_id",
    "workshop_id",
    "group_label",
    "school_type",
    "year",
    "pupils",
    "start_time",
    "girls",
    "boys",
    "teachers",
    "profile",
]
