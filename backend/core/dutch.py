"""Dutch names for what users read (PDFs, e-mails, pages), independent of the active locale."""

import datetime as dt

WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def long_date(day: dt.date) -> str:
    """'dinsdag 9 maart 2027'."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'za 16 januari 2027': dates in sentences on the pages."""
    return f"{WEEKDAYS[day.weekday()][:2]} {day.day} {MONTHS[day.month - 1]} {day.year}"
