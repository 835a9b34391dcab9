"""PRODUCT.md rule 1, as shown on the booking (`kit_need`) and returned by `kit_need_for`."""

from decimal import Decimal

import pytest

from bookings.selectors import kit_need_for
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    ConsumableFactory,
    ConsumableRuleFactory,
    KitRuleFactory,
    KitTypeFactory,
    WorkshopFactory,
)


@pytest.fixture
def kit():
    robot = KitTypeFactory(name="Robotauto", spare_units=1)
    tablet = KitTypeFactory(name="Tablet", spare_units=0)
    vr = KitTypeFactory(name="VR-bril", spare_units=0)
    pla = ConsumableFactory(name="PLA-filament", unit="g")
    robots = WorkshopFactory(name="Robotauto coderen")
    KitRuleFactory(workshop=robots, kit_type=robot, per_pupils=2)
    KitRuleFactory(workshop=robots, kit_type=tablet, per_pupils=3)
    ConsumableRuleFactory(workshop=robots, consumable=pla, per_pupil=Decimal("8"))
    vr_ws = WorkshopFactory(name="VR")
    KitRuleFactory(workshop=vr_ws, kit_type=vr, per_pupils=None, fixed=8)
    KitRuleFactory(workshop=vr_ws, kit_type=tablet, per_pupils=None, fixed=4)
    ConsumableRuleFactory(workshop=vr_ws, consumable=pla, per_pupil=Decimal("0.5"))
    return {
        "robot": robot,
        "tablet": tablet,
        "vr": vr,
        "pla": pla,
        "robots": robots,
        "vr_ws": vr_ws,
    }


@pytest.mark.django_db
def test_ceil_rounding_and_spare_units(kit):
    booking = BookingFactory()
    BookingSessionFactory(booking=booking, workshop=kit["robots"], pupils=25)
    need = kit_need_for(booking)
    assert need.kit[kit["robot"].pk] == 13 + 1  # ceil(25/2) + 1 spare
    assert need.kit[kit["tablet"].pk] == 9  # ceil(25/3), no spare


@pytest.mark.django_db
def test_kit_is_the_maximum_over_sessions_and_consumables_add_up(kit):
    booking = BookingFactory()
    BookingSessionFactory(booking=booking, workshop=kit["robots"], pupils=10)
    BookingSessionFactory(booking=booking, workshop=kit["robots"], pupils=24, start_time="11:00")
    BookingSessionFactory(booking=booking, workshop=kit["vr_ws"], pupils=30, start_time="13:00")
    need = kit_need_for(booking)
    assert need.kit[kit["robot"].pk] == 12 + 1  # max(5, 12) + spare, not 5 + 12
    assert need.kit[kit["tablet"].pk] == 8  # max(4, 8, fixed 4)
    assert need.kit[kit["vr"].pk] == 8  # fixed
    assert need.consumables[kit["pla"].pk] == Decimal("8") * 34 + Decimal("0.5") * 30


@pytest.mark.django_db
def test_the_booking_shows_its_kit_need(coordinator_client, kit):
    booking = BookingFactory()
    BookingSessionFactory(booking=booking, workshop=kit["robots"], pupils=7)
    data = coordinator_client.get(f"/api/v1/bookings/{booking.pk}/").json()
    assert sorted(data["kit_need"], key=lambda x: x["kit_type"]) == sorted(
        [
            {"kit_type": kit["robot"].pk, "quantity": 5},
            {"kit_type": kit["tablet"].pk, "quantity": 3},
        ],
        key=lambda x: x["kit_type"],
    )


def _peak_by_definition(parts):
    """The peak as the rule states it, slowly: at each start, the units of every timed part
    running then (start <= t < end); a part without a time counts on its own."""
    best = 0
    for span, units in parts:
        if span is None:
            best = max(best, units)
        else:
            at = span[0]
            best = max(best, sum(u for s, u in parts if s is not None and s[0] <= at < s[1]))
    return best


def test_peak_units_equals_the_rule_by_definition():
    """`peak_units` takes a short cut for one part and loops over plain tuples for more: the
    same answer as the definition on random parts (empty, zero-length and untimed ones too)."""
    import random

    from bookings.kit.need import peak_units

    rng = random.Random(15)
    for _ in range(20_000):
        parts = []
        for _ in range(rng.randint(0, 5)):
            start = rng.randint(0, 10)
            span = None if rng.random() < 0.2 else (start, start + rng.randint(0, 4))
            parts.append((span, rng.randint(-2, 6)))
        assert peak_units(iter(parts)) == _peak_by_definition(parts), parts
