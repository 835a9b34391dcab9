import datetime as dt

from bookings.packing.services import packing_list_ensure
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    ItemFactory,
    KitRuleFactory,
    WorkshopFactory,
)
from tests.matrix import ALLOWED, r


def build(ctx: dict) -> None:
    workshop = WorkshopFactory(name="Matrix paklijst")
    KitRuleFactory(workshop=workshop, kit_type=ctx["kit_type_obj"], per_pupils=None, fixed=1)
    booking = BookingFactory(
        school=ctx["school_obj"],
        wagon=ctx["wagon_obj"],
        date=dt.date(2027, 3, 9),
        status="confirmed",
    )
    BookingSessionFactory(booking=booking, workshop=workshop, pupils=10)
    packing_list = packing_list_ensure(booking=booking)
    # Scanned by the check rows: same kit type, free that day, so it swaps in and packs.
    ItemFactory(asset_tag="MATRIX-PACK-1", kit_type=ctx["kit_type_obj"], depot=ctx["depot_obj"])
    ctx["packing_booking"] = booking.id
    ctx["wagon_day"] = booking.date.isoformat()
    ctx["packing_line"] = packing_list.lines.order_by("position").first().id


STAFF_ONLY = r(200, 200, 403)

ROWS = [
    ("get", "/api/v1/bookings/{packing_booking}/packing-list/", STAFF_ONLY),
    ("get", "/api/v1/bookings/{packing_booking}/packing-list.pdf", STAFF_ONLY),
    (
        "post",
        "/api/v1/bookings/{packing_booking}/packing-list/check/",
        r(200, 200, 403),
        {
            "action": "pack",
            "asset_tag": "MATRIX-PACK-1",
            "client_id": "0b7e2d1c-5a4f-4c3e-9d2b-1a0f9e8d7c6b",
        },
    ),
    ("get", "/api/v1/wagon-days/{wagon}/{wagon_day}/", STAFF_ONLY),
    (
        "post",
        "/api/v1/wagon-days/{wagon}/{wagon_day}/check/",
        r(ALLOWED, ALLOWED, 403),
        {
            "action": "charge",
            "kit_type": 1,
            "charged": True,
            "client_id": "5c1d7e2a-0b3f-4d6e-8a9c-2e4f6a8b0c1d",
        },
    ),
]
