"""The Dutch school calendar (PRODUCT.md rule 2): which days the wagon cannot visit a school.

Holidays come from the `holidays` package: public holidays for the whole country plus the school
holidays of the school's region (Noord / Midden / Zuid). Results per (region, year) are pure data,
so they are cached in-process; nothing request-specific lives there.
"""

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.dates import add_days
from backend.core.dutch import WEEKDAYS, sentence_date

REGION_SUBDIV = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

WEEKDAY_NL = WEEKDAYS


@lru_cache(maxsize=64)
def _public(year: int, language: str = "nl") -> dict[dt.date, str]:
    return dict(holidays.NL(years=year, categories=("public",), language=language))


@lru_cache(maxsize=64)
def _school(region: str, year: int, language: str = "nl") -> dict[dt.date, str]:
    subdiv = REGION_SUBDIV[region]
    return dict(holidays.NL(subdiv=subdiv, years=year, categories=("school",), language=language))


def _holiday_language() -> str:
    """Holiday names in the active language (Dutch unless the user chose English)."""
    return "en_US" if (translation.get_language() or "nl").startswith("en") else "nl"


def public_holiday(day: dt.date) -> str | None:
    return _public(day.year, _holiday_language()).get(day)


def school_holiday(day: dt.date, region: str) -> str | None:
    if region not in REGION_SUBDIV:
        return None
    return _school(region, day.year, _holiday_language()).get(day)


def lead_time_days() -> int:
    return int(settings.TW_LEAD_TIME_DAYS)


def earliest_bookable(today: dt.date) -> dt.date:
    return add_days(today, lead_time_days())


def reason(code: str, detail: str, **extra) -> dict:
    return {"code": code, "detail": detail, **extra}


def closed_day_reasons(
    *, day: dt.date, region: str, today: dt.date, blackouts=(), wagon_ids=None
) -> list[dict]:
    """Every calendar reason why `day` is closed for a school in `region` (empty: open).

    `blackouts`: Blackout rows overlapping the period; one with `wagon_id=None` closes the day for
    all wagons; one for a wagon closes it only when that is every wagon in `wagon_ids`.
    """
    reasons = []
    if day.weekday() >= 5:
        reasons.append(
            reason("weekend", _("%(date)s valt in het weekend.") % {"date": sentence_date(day)})
        )
    name = public_holiday(day)
    if name:
        reasons.append(reason("public_holiday", _("Feestdag: %(name)s.") % {"name": name}))
    name = school_holiday(day, region)
    if name:
        text = _("Schoolvakantie regio %(region)s: %(name)s.")
        reasons.append(
            reason("school_holiday", text % {"region": REGION_SUBDIV[region], "name": name})
        )
    closed_wagons = set()
    for blackout in blackouts:
        if blackout.date_from <= day <= blackout.date_to:
            if blackout.wagon_id is None:
                text = _("Gesloten: %(reason)s.") % {"reason": blackout.reason}
                reasons.append(reason("blackout", text))
                closed_wagons = None
                break
            closed_wagons.add(blackout.wagon_id)
    if closed_wagons and wagon_ids is not None and set(wagon_ids) <= closed_wagons:
        text = _("Geen wagen beschikbaar: alle wagens zijn geblokkeerd.")
        reasons.append(reason("blackout", text))
    earliest = earliest_bookable(today)
    if day < earliest:
        reasons.append(
            reason(
                "lead_time",
                _("Aanvragen moet minstens %(days)s dagen vooraf; vroegst mogelijk is %(date)s.")
                % {"days": lead_time_days(), "date": sentence_date(earliest)},
            )
        )
    return reasons
