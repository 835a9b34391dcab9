"""Issue 14: each programme's calendar policy (Bevrijdingsdag, Goede Vrijdag, the Friday after
Hemelvaart, lead time) and closed days scoped to a programme, a wagon or one school."""

import datetime as dt

import pytest

from bookings import selectors
from bookings.calendar_rules import closed_day_reasons, earliest_bookable, lead_time_days
from programmes.models import Programme
from tests.factories import (
    BlackoutFactory,
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
)

LIBERATION_2027 = dt.date(2027, 5, 5)  # a Wednesday, after the meivakantie
LIBERATION_2025 = dt.date(2025, 5, 5)  # a Monday in a lustrum year
GOOD_FRIDAY_2027 = dt.date(2027, 3, 26)
FRIDAY_AFTER_ASCENSION_2027 = dt.date(2027, 5, 7)  # Hemelvaartsdag is Thursday 6 May
EARLY = dt.date(2024, 1, 1)  # "today" well before: no lead-time reason


def policy(**fields) -> Programme:
    return Programme(name="P", project_code="STO10000", **{"lead_time_days": 10, **fields})


def codes(day: dt.date, programme, region="midden") -> list[str]:
    return [
        r["code"]
        for r in closed_day_reasons(day=day, region=region, today=EARLY, programme=programme)
    ]


def test_liberation_day_2027_is_closed_under_the_default_policy():
    reasons = closed_day_reasons(
        day=LIBERATION_2027, region="midden", today=EARLY, programme=policy()
    )
    assert [r["code"] for r in reasons] == ["public_holiday"]
    assert reasons[0]["detail"] == "Feestdag: Bevrijdingsdag."


def test_liberation_day_2027_is_open_when_only_lustrum_years_are_closed():
    assert codes(LIBERATION_2027, policy(liberation_day="lustrum")) == []


@pytest.mark.parametrize("liberation_day", ["every_year", "lustrum"])
def test_liberation_day_2025_is_closed_under_both_policies(liberation_day):
    assert codes(LIBERATION_2025, policy(liberation_day=liberation_day)) == ["public_holiday"]


def test_without_a_programme_the_defaults_apply():
    assert codes(LIBERATION_2027, None) == ["public_holiday"]
    assert codes(FRIDAY_AFTER_ASCENSION_2027, None) == ["public_holiday"]


def test_good_friday_follows_the_policy():
    reasons = closed_day_reasons(
        day=GOOD_FRIDAY_2027, region="midden", today=EARLY, programme=policy()
    )
    assert [r["detail"] for r in reasons] == ["Feestdag: Goede vrijdag."]
    assert codes(GOOD_FRIDAY_2027, policy(good_friday_closed=False)) == []


def test_the_friday_after_ascension_follows_the_policy():
    reasons = closed_day_reasons(
        day=FRIDAY_AFTER_ASCENSION_2027, region="zuid", today=EARLY, programme=policy()
    )
    assert [r["code"] for r in reasons] == ["public_holiday"]
    assert "vrijdag na Hemelvaartsdag" in reasons[0]["detail"]
    assert codes(FRIDAY_AFTER_ASCENSION_2027, policy(friday_after_ascension_closed=False)) == []
    # Hemelvaartsdag itself is closed whatever the policy.
    ascension = FRIDAY_AFTER_ASCENSION_2027 - dt.timedelta(days=1)
    assert codes(ascension, policy(friday_after_ascension_closed=False)) == ["public_holiday"]


def test_the_friday_after_ascension_is_named_in_english_for_an_english_user():
    from django.utils import translation

    with translation.override("en"):
        reasons = closed_day_reasons(
            day=FRIDAY_AFTER_ASCENSION_2027, region="zuid", today=EARLY, programme=policy()
        )
    assert "Friday after Ascension Day" in reasons[0]["detail"]


def test_the_lead_time_is_the_programmes():
    today = dt.date(2027, 3, 1)
    short, long = policy(lead_time_days=3), policy(lead_time_days=20)
    assert lead_time_days(short) == 3
    assert earliest_bookable(today, short) == dt.date(2027, 3, 4)
    assert earliest_bookable(today, long) == dt.date(2027, 3, 21)
    day = dt.date(2027, 3, 9)
    assert [
        r["code"]
        for r in closed_day_reasons(day=day, region="midden", today=today, programme=short)
    ] == []
    [lead] = closed_day_reasons(day=day, region="midden", today=today, programme=long)
    assert lead["code"] == "lead_time"
    assert "20 dagen" in lead["detail"]


# --- through availability, with closed days per programme, wagon and school ------------------


def _school_with_wagon(programme=None, **fields):
    depot = DepotFactory(programme=programme) if programme else DepotFactory()
    WagonFactory(depot=depot)
    return SchoolFactory(depot=depot, **fields)


def _day(school, day):
    [row] = selectors.availability_for(school=school, date_from=day, date_to=day)
    return row


VISIT_DAY = dt.date(2027, 3, 9)


@pytest.mark.django_db
def test_a_schools_studiedag_closes_that_school_only():
    school = _school_with_wagon()
    neighbour = SchoolFactory(depot=school.depot)  # same programme, same wagon
    BlackoutFactory(school=school, date_from=VISIT_DAY, date_to=VISIT_DAY, reason="studiedag")
    row = _day(school, VISIT_DAY)
    assert row["available"] is False
    assert row["reasons"] == [{"code": "school_closed", "detail": "School gesloten: studiedag."}]
    assert _day(neighbour, VISIT_DAY)["available"] is True


@pytest.mark.django_db
def test_a_carnaval_range_closes_only_its_programmes_schools():
    zuid = ProgrammeFactory(name="Techniek Limburg")
    school_z = _school_with_wagon(zuid, holiday_region="midden")
    school_default = _school_with_wagon(holiday_region="midden")
    monday = dt.date(2027, 2, 8)  # not a school holiday in region midden
    BlackoutFactory(
        programme=zuid, date_from=monday, date_to=monday + dt.timedelta(days=2), reason="carnaval"
    )
    for offset in range(3):
        day = monday + dt.timedelta(days=offset)
        row = _day(school_z, day)
        assert [r["code"] for r in row["reasons"]] == ["blackout"], day
        assert "carnaval" in row["reasons"][0]["detail"]
        assert _day(school_default, day)["available"] is True, day
    assert _day(school_z, monday + dt.timedelta(days=3))["available"] is True


@pytest.mark.django_db
def test_a_wagons_blackout_closes_the_day_only_when_it_is_every_wagon():
    school = _school_with_wagon()
    [wagon] = school.depot.wagons.all()
    BlackoutFactory(wagon=wagon, date_from=VISIT_DAY, date_to=VISIT_DAY)
    assert [r["code"] for r in _day(school, VISIT_DAY)["reasons"]] == ["blackout"]
    second = WagonFactory(depot=school.depot)
    row = _day(school, VISIT_DAY)
    assert row["available"] is True
    assert row["wagons"] == [second.pk]


@pytest.mark.django_db
def test_liberation_day_follows_the_schools_programme_in_availability():
    lustrum = ProgrammeFactory(name="Lustrum", liberation_day="lustrum")
    school = _school_with_wagon(lustrum)
    assert _day(school, LIBERATION_2027)["available"] is True
    default = _school_with_wagon()
    assert [r["code"] for r in _day(default, LIBERATION_2027)["reasons"]] == ["public_holiday"]


@pytest.mark.django_db
def test_availability_uses_the_schools_lead_time():
    quick = ProgrammeFactory(name="Snel", lead_time_days=2)
    school = _school_with_wagon(quick)
    slow = _school_with_wagon()  # default: 10 days
    soon = dt.date(2026, 11, 25)  # a Wednesday, 4 days after the frozen today
    assert _day(school, soon)["available"] is True
    assert [r["code"] for r in _day(slow, soon)["reasons"]] == ["lead_time"]
