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


EN_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def sentence_date(day: dt.date) -> str:
    """A date inside a translated sentence: 'za 16 januari 2027' in Dutch, 'Sat 16 January 2027'
    when the active language is English (refusals made at request time)."""
    from django.utils import translation

    if (translation.get_language() or "nl").startswith("en"):
        return f"{EN_WEEKDAYS[day.weekday()]} {day.day} {EN_MONTHS[day.month - 1]} {day.year}"
    return short_date(day)
