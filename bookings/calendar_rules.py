"""The Dutch school calendar (PRODUCT.md rule 2): which days the wagon cannot visit a school.

Holidays come from the `holidays` package: public holidays for the whole country plus the school
holidays of the school's region (Noord / Midden / Zuid). Results per (region, year) are pure data,
so they are cached in-process; nothing request-specific lives there.
"""

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings

from backend.core.dates import add_days
from backend.core.dutch import WEEKDAYS, short_date

REGION_SUBDIV = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

WEEKDAY_NL = WEEKDAYS


@lru_cache(maxsize=64)
def _public(year: int) -> dict[dt.date, str]:
    return dict(holidays.NL(years=year, categories=("public",), language="nl"))


@lru_cache(maxsize=64)
def _school(region: str, year: int) -> dict[dt.date, str]:
    subdiv = REGION_SUBDIV[region]
    return dict(holidays.NL(subdiv=subdiv, years=year, categories=("school",), language="nl"))


def public_holiday(day: dt.date) -> str | None:
    return _public(day.year).get(day)


def school_holiday(day: dt.date, region: str) -> str | None:
    if region not in REGION_SUBDIV:
        return None
    return _school(region, day.year).get(day)


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
        reasons.append(reason("weekend", f"{short_date(day)} valt in het weekend."))
    name = public_holiday(day)
    if name:
        reasons.append(reason("public_holiday", f"Feestdag: {name}."))
    name = school_holiday(day, region)
    if name:
        reasons.append(
            reason("school_holiday", f"Schoolvakantie regio {REGION_SUBDIV[region]}: {name}.")
        )
    closed_wagons = set()
    for blackout in blackouts:
        if blackout.date_from <= day <= blackout.date_to:
            if blackout.wagon_id is None:
                reasons.append(reason("blackout", f"Gesloten: {blackout.reason}."))
                closed_wagons = None
                break
            closed_wagons.add(blackout.wagon_id)
    if closed_wagons and wagon_ids is not None and set(wagon_ids) <= closed_wagons:
        reasons.append(reason("blackout", "Geen wagen beschikbaar: alle wagens zijn geblokkeerd."))
    earliest = earliest_bookable(today)
    if day < earliest:
        reasons.append(
            reason(
                "lead_time",
                f"Aanvragen moet minstens {lead_time_days()} dagen vooraf; vroegst mogelijk is "
                f"{short_date(earliest)}.",
            )
        )
    return reasons
