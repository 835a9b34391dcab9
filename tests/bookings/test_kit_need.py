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
