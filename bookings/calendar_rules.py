"""The Dutch school calendar (PRODUCT.md rule 2): which days the wagon cannot visit a school.

Holidays come from the `holidays` package: public holidays for the whole country plus the school
holidays of the school's region (Noord / Midden / Zuid). Each programme sets its own calendar policy
(issue 14): its lead time, Bevrijdingsdag (5 May) every year or only in lustrum years, Goede Vrijdag
and the Friday after Hemelvaart closed or open. Closed days per programme, wagon and school come from
`Blackout` rows. Results per (policy, year) and (region, year) are pure data, so they are cached
in-process; nothing request-specific lives there.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.easter import easter
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backend.core.dates import add_days
from backend.core.dutch import WEEKDAYS, sentence_date
from programmes.models import Programme

REGION_SUBDIV = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

WEEKDAY_NL = WEEKDAYS

EVERY_YEAR = "every_year"
LUSTRUM = "lustrum"

# Not a public holiday in `holidays`; translated when looked up (the cache holds the source).
FRIDAY_AFTER_ASCENSION = gettext_noop("vrijdag na Hemelvaartsdag")


@dataclass(frozen=True)
class CalendarPolicy:
    """A programme's calendar policy; hashable, so it can key the holiday cache."""

    lead_time_days: int
    liberation_day: str = EVERY_YEAR
    good_friday_closed: bool = True
    friday_after_ascension_closed: bool = True

    @property
    def holiday_key(self) -> tuple:
        # The lead time does not change which days are holidays: leave it out of the cache key.
        return (self.liberation_day, self.good_friday_closed, self.friday_after_ascension_closed)


def policy_of(programme=None) -> CalendarPolicy:
    """The calendar policy of `programme` (a Programme, a CalendarPolicy, or None).

    None (no programme known, e.g. a script) is the programme defaults with the deployment's
    `TW_LEAD_TIME_DAYS`, the lead time before programmes existed.
    """
    if isinstance(programme, CalendarPolicy):
        return programme
    if programme is None:
        return CalendarPolicy(lead_time_days=int(settings.TW_LEAD_TIME_DAYS))
    return CalendarPolicy(
        lead_time_days=int(programme.lead_time_days),
        liberation_day=programme.liberation_day,
        good_friday_closed=bool(programme.good_friday_closed),
        friday_after_ascension_closed=bool(programme.friday_after_ascension_closed),
    )


@lru_cache(maxsize=256)
def _public(key: tuple, year: int, language: str = "nl") -> dict[dt.date, str]:
    """Closed public holidays of `year` under the policy `key` (`CalendarPolicy.holiday_key`)."""
    liberation_day, good_friday_closed, friday_after_ascension_closed = key
    days = dict(holidays.NL(years=year, categories=("public",), language=language))
    liberation = dt.date(year, 5, 5)
    if liberation_day == EVERY_YEAR and liberation not in days:
        # `holidays` lists 5 May as public only in lustrum years (2025, 2030) and as "optional"
        # otherwise; most school calendars give it off every year.
        optional = holidays.NL(years=year, categories=("optional",), language=language)
        if liberation in optional:
            days[liberation] = optional[liberation]
    elif liberation_day == LUSTRUM and year % 5 != 0:
        days.pop(liberation, None)
    easter_sunday = easter(year)
    if not good_friday_closed:
        days.pop(easter_sunday - dt.timedelta(days=2), None)
    if friday_after_ascension_closed:
        ascension = easter_sunday + dt.timedelta(days=39)
        days.setdefault(ascension + dt.timedelta(days=1), FRIDAY_AFTER_ASCENSION)
    return days


@lru_cache(maxsize=64)
def _school(region: str, year: int, language: str = "nl") -> dict[dt.date, str]:
    subdiv = REGION_SUBDIV[region]
    return dict(holidays.NL(subdiv=subdiv, years=year, categories=("school",), language=language))


def holiday_language() -> str:
    """Holiday names in the active language (Dutch unless the user chose English). A caller
    asking about many days looks it up once and passes it on as `language`."""
    return "en_US" if (translation.get_language() or "nl").startswith("en") else "nl"


def public_holiday(day: dt.date, programme=None, language: str | None = None) -> str | None:
    """The name of the public holiday closing `day` under the programme's policy (None: none)."""
    language = language or holiday_language()
    name = _public(policy_of(programme).holiday_key, day.year, language).get(day)
    return _(name) if name is FRIDAY_AFTER_ASCENSION else name


def school_holiday(day: dt.date, region: str, language: str | None = None) -> str | None:
    if region not in REGION_SUBDIV:
        return None
    return _school(region, day.year, language or holiday_language()).get(day)


def lead_time_days(programme=None) -> int:
    return policy_of(programme).lead_time_days


def earliest_bookable(today: dt.date, programme=None) -> dt.date:
    return add_days(today, lead_time_days(programme))


def reason(code: str, detail: str, **extra) -> dict:
    return {"code": code, "detail": detail, **extra}


def blackout_reasons(
    *, day: dt.date, blackouts=(), wagon_ids=None, school_id=None, programme_id=None
) -> list[dict]:
    """The closed-day reasons from `Blackout` rows (see `closed_day_reasons`)."""
    reasons = []
    closed_wagons = set()
    for blackout in blackouts:
        if not blackout.date_from <= day <= blackout.date_to:
            continue
        if blackout.school_id is not None:
            # A school's closed day (studiedag) closes only that school.
            if school_id is not None and blackout.school_id == school_id:
                text = _("School gesloten: %(reason)s.") % {"reason": blackout.reason}
                reasons.append(reason("school_closed", text))
            continue
        if blackout.wagon_id is not None:
            closed_wagons.add(blackout.wagon_id)
            continue
        # Programme-wide (e.g. carnaval in the south): only that programme's schools.
        if programme_id is None or blackout.programme_id == programme_id:
            text = _("Gesloten: %(reason)s.") % {"reason": blackout.reason}
            reasons.append(reason("blackout", text))
            closed_wagons = None
            break
    if closed_wagons and wagon_ids is not None and set(wagon_ids) <= closed_wagons:
        text = _("Geen wagen beschikbaar: alle wagens zijn geblokkeerd.")
        reasons.append(reason("blackout", text))
    return reasons


def closed_day_reasons(
    *,
    day: dt.date,
    region: str,
    today: dt.date,
    blackouts=(),
    wagon_ids=None,
    programme=None,
    school_id=None,
    language: str | None = None,
) -> list[dict]:
    """Every calendar reason why `day` is closed for a school in `region` (empty: open).

    `programme`: the school's programme (or its `CalendarPolicy`; None: the defaults) — its
    holidays policy and lead time. `blackouts`: Blackout rows overlapping the period. A
    programme-wide one (no wagon, no school) closes the day for that programme's schools; a
    school's (a studiedag) closes it only for `school_id`, as `school_closed`; a wagon's closes it
    only when that is every wagon in `wagon_ids`. `language`: `holiday_language()` (default: looked
    up here).
    """
    policy = policy_of(programme)
    language = language or holiday_language()
    reasons = []
    if day.weekday() >= 5:
        reasons.append(
            reason("weekend", _("%(date)s valt in het weekend.") % {"date": sentence_date(day)})
        )
    name = public_holiday(day, policy, language)
    if name:
        reasons.append(reason("public_holiday", _("Feestdag: %(name)s.") % {"name": name}))
    name = school_holiday(day, region, language)
    if name:
        text = _("Schoolvakantie regio %(region)s: %(name)s.")
        reasons.append(
            reason("school_holiday", text % {"region": REGION_SUBDIV[region], "name": name})
        )
    reasons.extend(
        blackout_reasons(
            day=day,
            blackouts=blackouts,
            wagon_ids=wagon_ids,
            school_id=school_id,
            programme_id=getattr(programme, "pk", None),
        )
    )
    earliest = earliest_bookable(today, policy)
    if day < earliest:
        reasons.append(
            reason(
                "lead_time",
                _("Aanvragen moet minstens %(days)s dagen vooraf; vroegst mogelijk is %(date)s.")
                % {"days": policy.lead_time_days, "date": sentence_date(earliest)},
            )
        )
    return reasons


def blackouts_filter(*, programme_ids, wagon_ids=(), school_ids=()):
    """The Q of the blackouts that can close a day for these programmes' schools and wagons: the
    programmes' own (programme-wide), these wagons' and these schools' closed days."""
    return (
        Q(programme_id__in=list(programme_ids), wagon__isnull=True, school__isnull=True)
        | Q(wagon_id__in=list(wagon_ids))
        | Q(school_id__in=list(school_ids))
    )


def programmes_by_id(programme_ids) -> dict:
    """{id: Programme} for the calendar policies of many schools or wagons, in one query."""
    ids = {pk for pk in programme_ids if pk is not None}
    return Programme.objects.in_bulk(ids) if ids else {}
