import datetime as dt

from bookings.packing.services import packing_list_ensure
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    ItemFactory,
    KitRuleFactory,
    WorkshopFactory,
)
from tests.matrix import ALLOWED, NOT_FOUND, r


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


# Programme B against programme A (see tests/matrix/__init__.py).
PROGRAMME_ROWS = [
    ("get", "/api/v1/bookings/{packing_booking}/packing-list/", NOT_FOUND),
    ("get", "/api/v1/bookings/{packing_booking}/packing-list.pdf", NOT_FOUND),
    (
        "post",
        "/api/v1/bookings/{packing_booking}/packing-list/check/",
        NOT_FOUND,
        {
            "action": "pack",
            "asset_tag": "MATRIX-PACK-1",
            "client_id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        },
    ),
    ("get", "/api/v1/wagon-days/{wagon}/{wagon_day}/", NOT_FOUND),
    (
        "post",
        "/api/v1/wagon-days/{wagon}/{wagon_day}/check/",
        NOT_FOUND,
        lambda ctx: {
            "action": "charge",
            "kit_type": ctx["kit_type"],
            "charged": True,
            "client_id": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b",
        },
    ),
]
