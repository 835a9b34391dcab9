"""Availability over a range reads the kit summary in one grouped query (`pool.need_by_day`): per
day and wagon what a stop reuses of the visit, and the wagons' loads only on the *tight* days
where the visit may not fit everywhere. It must agree with the full per-day pool (`pool.held`),
and availability must answer as when every day is summed from the reservations."""

import datetime as dt

import pytest

from bookings import selectors
from bookings.kit import pool
from bookings.kit.need import KitNeed
from inventory.selectors import available_counts
from tests.bookings.conftest import VISIT_DAY, make_booking
from tests.factories import ItemFactory, KitRuleFactory, KitTypeFactory, WagonFactory

pytestmark = pytest.mark.django_db

DAYS = [VISIT_DAY + dt.timedelta(days=n) for n in range(3)]  # Tuesday to Thursday


@pytest.fixture
def busy_depot(school, workshop, wagon, robot, coordinator):
    """Two wagons; robots (10) and tablets (4): day 1 nearly full, day 2 half, day 3 empty."""
    other = WagonFactory(depot=school.depot, max_visits_per_day=2)
    tablet = KitTypeFactory(name="Tablet", spare_units=0)
    ItemFactory.create_batch(4, kit_type=tablet, depot=school.depot)
    KitRuleFactory(workshop=workshop, kit_type=tablet, per_pupils=None, fixed=1)
    make_booking(school, workshop, coordinator, date=DAYS[0], pupils=8, wagon=wagon, confirm=True)
    make_booking(school, workshop, coordinator, date=DAYS[0], pupils=6, wagon=other, confirm=True)
    make_booking(school, workshop, coordinator, date=DAYS[1], pupils=6, wagon=wagon, confirm=True)
    return [wagon, other], robot, tablet


@pytest.mark.parametrize("robots", [0, 1, 2, 3, 5, 6, 10, 11])
def test_need_by_day_agrees_with_the_full_pool(school, busy_depot, robots):
    _wagons, robot, tablet = busy_depot
    need = KitNeed(kit={robot.pk: robots, tablet.pk: 1} if robots else {tablet.pk: 2})
    available = available_counts(depot_id=school.depot_id)
    by_day = pool.need_by_day(
        depot_id=school.depot_id,
        date_from=DAYS[0],
        date_to=DAYS[-1],
        need=need,
        available=available,
    )
    full = pool.held(depot_ids=[school.depot_id], date_from=DAYS[0], date_to=DAYS[-1])
    for day in DAYS:
        held = full.get((school.depot_id, day), pool.DayHeld())
        depot_need = held.depot_need()
        fits_anywhere = all(
            depot_need.get(kt, 0) + units <= available.get(kt, 0) for kt, units in need.kit.items()
        )
        range_day = by_day.get(day)
        if range_day is None:  # nothing of these kit types reserved that day
            assert not any(depot_need.get(kt) for kt in need.kit)
            continue
        assert range_day.tight == (not fits_anywhere)
        assert range_day.saved == {
            wagon_id: sum(min(load.get(kt, 0), units) for kt, units in need.kit.items())
            for wagon_id, load in held.wagons.items()
            if any(kt in load for kt in need.kit)
        }
        if range_day.tight:
            assert range_day.day_held.wagons == {
                wagon_id: {kt: n for kt, n in load.items() if kt in need.kit and n}
                for wagon_id, load in held.wagons.items()
                if any(load.get(kt) for kt in need.kit)
            }
            assert range_day.day_held.loose == {
                kt: n for kt, n in held.loose.items() if kt in need.kit and n
            }


@pytest.mark.parametrize("pupils", [2, 6, 10, 20, 24])
def test_a_range_answers_as_the_full_count_from_the_reservations(
    school, workshop, busy_depot, pupils, monkeypatch
):
    """The days the summary can't answer (a live offer's or the decided booking's) are summed
    from the reservations: forcing that for every day gives the reference answer."""
    workshops = list(selectors.workshops_with_rules().filter(pk=workshop.pk))

    def ask():
        return [
            {k: day[k] for k in ("date", "available", "wagons", "reasons", "free_wagons")}
            | {"kit_reasons": day["kit_reasons"]}
            for day in selectors.availability_for(
                school=school,
                date_from=DAYS[0],
                date_to=DAYS[-1],
                workshops=workshops,
                pupils=pupils,
            )
        ]

    from_summary = ask()
    monkeypatch.setattr(
        pool, "excluded_days", lambda **kwargs: {(school.depot_id, day) for day in DAYS}
    )
    assert from_summary == ask()
