"""A depot with kit, a workshop with rules and a confirmed booking to pack."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from bookings.kit import pool
from bookings.models import Booking, KitReservation
from bookings.packing.services import packing_list_follow
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    CaseFactory,
    ConsumableFactory,
    ConsumableRuleFactory,
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    StandardEquipmentFactory,
    WagonFactory,
    WorkshopFactory,
)

VISIT_DAY = dt.date(2027, 3, 9)  # a Tuesday outside every holiday region's breaks


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def reserve(booking: Booking, need: dict) -> None:
    """What booking confirmation writes: counts per kit type for the day."""
    for kit_type, quantity in need.items():
        KitReservation.objects.create(
            booking=booking,
            kit_type=kit_type,
            depot=booking.wagon.depot,
            date=booking.date,
            quantity=quantity,
        )
    pool.day_needs_refresh([(booking.wagon.depot_id, booking.date)])  # as the service keeps it


@pytest.fixture
def kit(db, school):
    depot = school.depot
    wagon = WagonFactory(depot=depot, name="Techniekwagen Rotterdam-Noord", plate="VZ-123-T")
    robot = KitTypeFactory(name="Robotauto", storage_location="B2", spare_units=1)
    tablet = KitTypeFactory(name="Tablet", storage_location="A1", spare_units=0)
    case = CaseFactory(code="K-ROB-1", depot=depot, storage_location="B1")
    cased = [
        ItemFactory(asset_tag=f"ROB-{n:03d}", kit_type=robot, depot=depot, case=case)
        for n in range(1, 5)
    ]
    loose = [
        ItemFactory(asset_tag=f"ROB-{n:03d}", kit_type=robot, depot=depot) for n in range(5, 11)
    ]
    tablets = [
        ItemFactory(asset_tag=f"TAB-{n:03d}", kit_type=tablet, depot=depot) for n in range(1, 9)
    ]
    pla = ConsumableFactory(name="PLA-filament", unit="g", stock=Decimal("1000"))
    workshop = WorkshopFactory(name="Robotauto coderen")
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=4, fixed=None)
    KitRuleFactory(workshop=workshop, kit_type=tablet, per_pupils=None, fixed=3)
    ConsumableRuleFactory(workshop=workshop, consumable=pla, per_pupil=Decimal("8"))
    aid = StandardEquipmentFactory(name="EHBO-koffer", storage_location="Z9", quantity=1, per="day")
    return SimpleNamespace(
        depot=depot,
        wagon=wagon,
        robot=robot,
        tablet=tablet,
        case=case,
        cased=cased,
        loose=loose,
        tablets=tablets,
        pla=pla,
        workshop=workshop,
        aid=aid,
    )


def make_booking(kit, school, *, pupils=16, status=Booking.Status.CONFIRMED, date=VISIT_DAY, **kw):
    booking = BookingFactory(school=school, wagon=kit.wagon, date=date, status=status, **kw)
    BookingSessionFactory(
        booking=booking, workshop=kit.workshop, pupils=pupils, start_time=dt.time(9, 0)
    )
    # 16 pupils: ceil(16/4) + 1 spare = 5 robots, 3 tablets, 128 g PLA.
    reserve(booking, {kit.robot: -(-pupils // 4) + 1, kit.tablet: 3})
    # What booking_confirm does for a visit it confirms: build its packing list.
    packing_list_follow(booking=booking)
    return booking


@pytest.fixture
def booking(kit, school):
    return make_booking(kit, school)
