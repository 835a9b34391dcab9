"""PRODUCT.md rule 1: one load per wagon-day, rotating stations add up, the depot sums its wagons.

The table-driven test runs availability, confirmation and the wagon-day packing list on every
example and checks that they agree with each other and with `bookings.kit.pool.kit_pool`.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from bookings import selectors, services
from bookings.exceptions import BookingError
from bookings.kit.need import need_for
from bookings.kit.pool import kit_pool
from bookings.packing.selectors import packing_list_for_wagon_day
from tests.bookings.conftest import VISIT_DAY, session_data
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    DepotFactory,
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


class Depot:
    """One depot: VR headsets (a VR workshop takes all 8) and tablets (two workshops, 1 per 2),
    schools close to each other, and as many wagons as asked."""

    def __init__(self, *, wagons=1, headsets=8, tablets=16, max_visits=3):
        self.depot = DepotFactory()
        self.wagons = [
            WagonFactory(depot=self.depot, max_visits_per_day=max_visits) for _ in range(wagons)
        ]
        self.vr = KitTypeFactory(name="VR-bril", spare_units=0)
        self.tablet = KitTypeFactory(name="Tablet", spare_units=0)
        ItemFactory.create_batch(headsets, kit_type=self.vr, depot=self.depot)
        ItemFactory.create_batch(tablets, kit_type=self.tablet, depot=self.depot)
        self.vr_workshop = WorkshopFactory(name="VR-beroepenexpeditie", duration_minutes=60)
        KitRuleFactory(workshop=self.vr_workshop, kit_type=self.vr, per_pupils=None, fixed=8)
        self.robots = WorkshopFactory(name="Robotauto coderen", duration_minutes=90)
        KitRuleFactory(workshop=self.robots, kit_type=self.tablet, per_pupils=2)
        self.microbit = WorkshopFactory(name="Micro:bit", duration_minutes=90)
        KitRuleFactory(workshop=self.microbit, kit_type=self.tablet, per_pupils=2)
        self.schools = [
            SchoolFactory(
                depot=self.depot,
                day_start=dt.time(8, 0),
                day_end=dt.time(17, 0),
                lat=f"51.92{i}000",
                lon="4.490000",
            )
            for i in range(4)
        ]

    def visit(self, school, wagon, sessions, *, status="requested"):
        """`sessions`: [(workshop, pupils, "HH:MM")]."""
        booking = BookingFactory(
            school=self.schools[school],
            wagon=self.wagons[wagon] if wagon is not None else None,
            date=VISIT_DAY,
            status=status,
        )
        for workshop, pupils, start in sessions:
            BookingSessionFactory(
                booking=booking,
                workshop=getattr(self, workshop),
                pupils=pupils,
                start_time=dt.time.fromisoformat(start),
            )
        return booking

    def offers(self):
        """Two waiting-list offers of the second wagon on the visit day: one live, one expired."""
        from django.utils import timezone

        from bookings.models import WaitingEntry

        now = timezone.now()
        return [
            WaitingEntry.objects.create(
                school=self.schools[1],
                contact_name="A",
                contact_email="a@school.nl",
                status=WaitingEntry.Status.OFFERED,
                offer_date=VISIT_DAY,
                offer_wagon=self.wagons[1],
                offer_depot=self.depot,
                offer_expires=expires,
            )
            for expires in (now + dt.timedelta(hours=1), now - dt.timedelta(hours=1))
        ]


def _confirm(booking, user):
    return services.booking_confirm(booking=booking, acting_user=user, send_email=False)


def _refusal(error: BookingError) -> list[tuple]:
    return [
        (r["code"], r.get("needed"), r.get("available"), r.get("total"))
        for r in error.extra["reasons"]
    ]


# --- the rule, one behaviour at a time ----------------------------------------------------------


def test_a_morning_and_an_afternoon_visit_share_one_set_of_headsets(coordinator):
    world = Depot(wagons=1, headsets=8)
    morning = world.visit(0, 0, [("vr_workshop", 20, "09:00")])
    afternoon = world.visit(1, 0, [("vr_workshop", 20, "13:00")])
    _confirm(morning, coordinator)
    _confirm(afternoon, coordinator)
    # A third the same day on the same wagon too: the wagon has a slot and the time.
    third = world.visit(2, 0, [("vr_workshop", 20, "15:30")])
    assert _confirm(third, coordinator).status == "confirmed"
    pool = kit_pool(world.depot, [VISIT_DAY])[VISIT_DAY][world.vr.pk]
    assert pool == {"needed": 8, "reserved": 24, "free": 0, "total": 8}


def test_the_same_visits_on_two_wagons_need_two_sets(coordinator):
    world = Depot(wagons=2, headsets=8)
    morning = world.visit(0, 0, [("vr_workshop", 20, "09:00")])
    afternoon = world.visit(1, 1, [("vr_workshop", 20, "13:00")])
    _confirm(morning, coordinator)
    with pytest.raises(BookingError) as refused:
        _confirm(afternoon, coordinator)
    assert _refusal(refused.value) == [("kit_shortage", 8, 0, 8)]
    afternoon.refresh_from_db()
    assert afternoon.status == "requested" and not afternoon.reservations.exists()


def test_groups_rotating_through_stations_at_the_same_time_add_up():
    world = Depot()
    carrousel = world.visit(0, 0, [("robots", 16, "09:00"), ("microbit", 16, "09:00")])
    assert need_for(carrousel.sessions.all()).kit == {world.tablet.pk: 16}


def test_groups_that_follow_one_another_reuse_the_kit():
    world = Depot()
    one_after_other = world.visit(0, 0, [("robots", 16, "09:00"), ("microbit", 16, "10:30")])
    assert need_for(one_after_other.sessions.all()).kit == {world.tablet.pk: 8}


def test_overlap_is_the_peak_over_time_not_the_sum_of_all_that_touch():
    world = Depot()
    # 09:00–10:30 overlaps both others, which do not overlap each other: peak 8 + 8, not 24.
    visit = world.visit(
        0,
        0,
        [("robots", 16, "09:00"), ("microbit", 16, "08:00"), ("robots", 16, "10:00")],
    )
    assert need_for(visit.sessions.all()).kit == {world.tablet.pk: 16}


def test_a_booking_without_a_wagon_counts_as_a_wagon_day_of_its_own(coordinator):
    world = Depot(wagons=1, headsets=8)
    loose = world.visit(0, None, [("vr_workshop", 20, "09:00")], status="confirmed")
    from bookings.kit.pool import reservations_write

    reservations_write(booking=loose, need=need_for(loose.sessions.all()))
    [day] = selectors.availability_for(
        school=world.schools[1],
        date_from=VISIT_DAY,
        date_to=VISIT_DAY,
        workshops=[world.vr_workshop],
        pupils=20,
    )
    assert [(r["code"], r["needed"], r["available"]) for r in day["reasons"]] == [
        ("kit_shortage", 8, 0)
    ]


# --- one table, three readers -------------------------------------------------------------------


@dataclass
class Example:
    name: str
    wagons: int
    stock: dict  # kit attribute -> items
    visits: list  # (school, wagon, sessions)
    confirmed: list  # per visit: True, or the expected refusal [(code, needed, available, total)]
    wagon_day: list = field(default_factory=list)  # per wagon: {kit attribute: units}


EXAMPLES = [
    Example(
        "morning and afternoon on one wagon",
        wagons=1,
        stock={"headsets": 8},
        visits=[(0, 0, [("vr_workshop", 20, "09:00")]), (1, 0, [("vr_workshop", 20, "13:00")])],
        confirmed=[True, True],
        wagon_day=[{"vr": 8}],
    ),
    Example(
        "three visits on one wagon",
        wagons=1,
        stock={"headsets": 8},
        visits=[
            (0, 0, [("vr_workshop", 20, "08:30")]),
            (1, 0, [("vr_workshop", 20, "11:30")]),
            (2, 0, [("vr_workshop", 20, "14:30")]),
        ],
        confirmed=[True, True, True],
        wagon_day=[{"vr": 8}],
    ),
    Example(
        "the same visits on two wagons",
        wagons=2,
        stock={"headsets": 8},
        visits=[(0, 0, [("vr_workshop", 20, "09:00")]), (1, 1, [("vr_workshop", 20, "13:00")])],
        confirmed=[True, [("kit_shortage", 8, 0, 8)]],
        wagon_day=[{"vr": 8}, {}],
    ),
    Example(
        "two wagons with stock for both",
        wagons=2,
        stock={"headsets": 16},
        visits=[(0, 0, [("vr_workshop", 20, "09:00")]), (1, 1, [("vr_workshop", 20, "09:00")])],
        confirmed=[True, True],
        wagon_day=[{"vr": 8}, {"vr": 8}],
    ),
    Example(
        "carrousel: two groups at 09:00 add up",
        wagons=1,
        stock={"tablets": 16},
        visits=[(0, 0, [("robots", 16, "09:00"), ("microbit", 16, "09:00")])],
        confirmed=[True],
        wagon_day=[{"tablet": 16}],
    ),
    Example(
        "carrousel beyond the stock",
        wagons=1,
        stock={"tablets": 15},
        visits=[(0, 0, [("robots", 16, "09:00"), ("microbit", 16, "09:00")])],
        confirmed=[[("kit_shortage", 16, 15, 15)]],
        wagon_day=[{}],
    ),
    Example(
        "09:00 and 10:30 take the maximum",
        wagons=1,
        stock={"tablets": 8},
        visits=[(0, 0, [("robots", 16, "09:00"), ("microbit", 16, "10:30")])],
        confirmed=[True],
        wagon_day=[{"tablet": 8}],
    ),
    Example(
        "a carrousel visit then a small visit on the same wagon",
        wagons=1,
        stock={"tablets": 16},
        visits=[
            (0, 0, [("robots", 16, "09:00"), ("microbit", 16, "09:00")]),
            (1, 0, [("robots", 10, "13:00")]),
        ],
        confirmed=[True, True],
        wagon_day=[{"tablet": 16}],
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_availability_confirm_and_packing_list_agree(example, coordinator):
    world = Depot(wagons=example.wagons, headsets=0, tablets=0)
    stock = {"headsets": world.vr, "tablets": world.tablet}
    for attribute, count in example.stock.items():
        ItemFactory.create_batch(count, kit_type=stock[attribute], depot=world.depot)
    visits = [world.visit(s, w, sessions) for s, w, sessions in example.visits]
    for visit, expected in zip(visits, example.confirmed, strict=True):
        [day] = selectors.availability_for(
            school=visit.school,
            date_from=VISIT_DAY,
            date_to=VISIT_DAY,
            sessions=visit.sessions.select_related("workshop").prefetch_related(
                "workshop__kit_rules__kit_type"
            ),
            wagon=visit.wagon,
            check_lead_time=False,
        )
        shortage = [
            (r["code"], r["needed"], r["available"], r["total"])
            for r in day["reasons"]
            if r["code"] == "kit_shortage"
        ]
        if expected is True:
            assert day["available"], (example.name, day["reasons"])
            assert _confirm(visit, coordinator).status == "confirmed"
        else:
            assert not day["available"] and shortage == expected
            with pytest.raises(BookingError) as refused:
                _confirm(visit, coordinator)
            assert _refusal(refused.value) == expected
    kit_types = {"vr": world.vr.pk, "tablet": world.tablet.pk}
    depot_need = {}
    for wagon, expected in zip(world.wagons, example.wagon_day, strict=True):
        packed = {
            row["kit_type"]: row["quantity"]
            for row in packing_list_for_wagon_day(wagon=wagon, date=VISIT_DAY)["kit"]
        }
        assert packed == {kit_types[k]: n for k, n in expected.items()}, example.name
        for kt, n in packed.items():
            depot_need[kt] = depot_need.get(kt, 0) + n
    pool = kit_pool(world.depot.pk, [VISIT_DAY])[VISIT_DAY]
    assert {kt: row["needed"] for kt, row in pool.items() if row["needed"]} == depot_need


# --- wagon_busy ---------------------------------------------------------------------------------


def test_an_overlapping_visit_cannot_share_the_wagon(coordinator):
    world = Depot(wagons=1, headsets=16)
    first = world.visit(0, 0, [("vr_workshop", 20, "09:00")])
    second = world.visit(1, 0, [("vr_workshop", 20, "10:00")])  # the wagon is still at school 0
    _confirm(first, coordinator)
    with pytest.raises(BookingError) as refused:
        _confirm(second, coordinator)
    assert [r["code"] for r in refused.value.extra["reasons"]] == ["wagon_busy"]


def test_an_overlapping_visit_goes_on_another_free_wagon(coordinator):
    world = Depot(wagons=2, headsets=16)
    first = world.visit(0, 0, [("vr_workshop", 20, "09:00")])
    second = world.visit(1, 0, [("vr_workshop", 20, "09:30")])
    _confirm(first, coordinator)
    second = _confirm(second, coordinator)
    assert second.wagon_id == world.wagons[1].pk
    assert kit_pool(world.depot, [VISIT_DAY])[VISIT_DAY][world.vr.pk]["needed"] == 16


def test_the_drive_between_schools_counts(coordinator):
    world = Depot(wagons=1, headsets=8)
    far = SchoolFactory(depot=world.depot, lat="52.264000", lon="6.188000")  # Deventer
    world.schools.append(far)
    first = world.visit(0, 0, [("vr_workshop", 20, "09:00")])  # on site until 10:30
    # Set-up at Deventer from 11:15: 45 minutes after leaving Rotterdam is not enough.
    second = world.visit(4, 0, [("vr_workshop", 20, "12:00")])
    _confirm(first, coordinator)
    with pytest.raises(BookingError) as refused:
        _confirm(second, coordinator)
    assert [r["code"] for r in refused.value.extra["reasons"]] == ["wagon_busy"]
    # Nearby, the same times fit: 45 minutes cover a short drive.
    near = world.visit(1, 0, [("vr_workshop", 20, "12:00")])
    assert _confirm(near, coordinator).status == "confirmed"


def test_a_request_over_the_api_at_a_busy_time_is_409_wagon_busy(coordinator, coordinator_client):
    world = Depot(wagons=1, headsets=16)
    _confirm(world.visit(0, 0, [("vr_workshop", 20, "09:00")]), coordinator)
    payload = {
        "school": world.schools[1].pk,
        "date": VISIT_DAY.isoformat(),
        "sessions": [session_data(world.vr_workshop, pupils=20, start="09:30")],
        "contact_name": "J. de Vries",
        "contact_email": "j@school.nl",
    }
    response = coordinator_client.post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 409, response.json()
    assert [r["code"] for r in response.json()["reasons"]] == ["wagon_busy"]
    payload["sessions"] = [session_data(world.vr_workshop, pupils=20, start="13:00")]
    response = coordinator_client.post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["wagon"] == world.wagons[0].pk


# --- the depot-day a decision reads (pool.day_rows) ---------------------------------------------


def test_the_day_a_confirmation_reads_holds_what_the_summary_says(coordinator):
    """`day_rows` (the day's reservations and live holds, one query) answers as `held` from the
    summary with the booking left out; its other bookings' rows are the summary's input, and
    the booking's own reservations are found wherever they are."""

    from bookings.kit import pool
    from bookings.kit.need import KitNeed
    from bookings.models import KitReservation

    world = Depot(wagons=2, headsets=16, tablets=30)
    on_first = world.visit(0, 0, [("vr_workshop", 20, "09:00")])
    on_second = world.visit(1, 1, [("robots", 16, "09:00")])
    for booking in (on_first, on_second):
        _confirm(booking, coordinator)
    loose = world.visit(2, None, [("microbit", 10, "09:00")], status="confirmed")
    pool.reservations_write(booking=loose, need=need_for(loose.sessions.all()))
    decided = world.visit(3, 0, [("robots", 8, "13:00")])
    _confirm(decided, coordinator)  # the booking being decided again (as a move would)
    cancelled = world.visit(0, 1, [("vr_workshop", 20, "14:00")])
    _confirm(cancelled, coordinator)
    services.booking_cancel(booking=cancelled, reason="", acting_user=coordinator)
    for entry in world.offers():  # one live, one expired
        pool.holds_write(
            entry=entry, need=KitNeed(kit={world.tablet.pk: 10}), depot_id=world.depot.pk
        )

    day = pool.day_rows(depot_id=world.depot.pk, day=VISIT_DAY, booking_id=decided.pk)

    expected = pool.held(depot_ids=[world.depot.pk], dates=[VISIT_DAY], exclude=[decided.pk])
    assert day.held == expected[(world.depot.pk, VISIT_DAY)]
    assert day.held.wagons[world.wagons[1].pk] == {world.tablet.pk: 10}  # the live offer
    # The other reserving bookings' stop rows (no offer, no cancelled booking), read plainly.
    others = [
        (r.kit_type_id, r.booking.wagon_id, r.quantity)
        for r in KitReservation.objects.filter(booking__in=[on_first, on_second, loose])
    ]
    assert day.own_days == {(world.depot.pk, VISIT_DAY)}
    assert sorted(day.others, key=str) == sorted(others, key=str) and len(others) == 3


def test_one_day_availability_reads_the_slots_and_the_stops_of_its_wagons_as_they_are(
    coordinator,
):
    """A one-day question reads its wagons' visits as rows (one query, a row per session): the
    slots counted from them are `booked_slots` (a booking with two sessions is one visit, a live
    offer takes a slot, an expired one or a cancelled booking doesn't), and the wagons those
    rows make busy are the ones `busy_wagons` finds by reading itself."""

    from bookings.kit import busy

    world = Depot(wagons=2, max_visits=4)
    world.visit(0, 0, [("robots", 16, "09:00"), ("microbit", 10, "11:00")], status="confirmed")
    world.visit(1, 1, [("robots", 8, "13:00")], status="confirmed")
    world.visit(2, 1, [("robots", 8, "09:00")], status="cancelled")
    world.visit(3, 1, [], status="confirmed")  # no sessions: a slot, no time on site
    decided = world.visit(3, 0, [("robots", 8, "10:00")])
    world.offers()  # one live, one expired
    ids = [w.pk for w in world.wagons]
    [day] = selectors.availability_for(
        school=world.schools[3],
        date_from=VISIT_DAY,
        date_to=VISIT_DAY,
        sessions=decided.sessions.all(),
        exclude_booking=decided,
    )
    slots, stops = selectors._day_slots_and_stops(
        wagon_ids=ids, day=VISIT_DAY, exclude_booking=decided
    )
    expected = selectors.booked_slots(
        wagon_ids=ids, date_from=VISIT_DAY, date_to=VISIT_DAY, exclude_booking=decided
    )
    assert slots == expected == {(ids[0], VISIT_DAY): 1, (ids[1], VISIT_DAY): 3}
    assert day["stops"] == stops and len(stops) == 4  # two sessions, one, one without
    found = []
    for start in ("08:00", "12:00", "16:30"):
        decided.sessions.update(start_time=dt.time.fromisoformat(start))
        asked = dict(
            school=world.schools[3],
            day=VISIT_DAY,
            sessions=decided.sessions.select_related("workshop"),
            wagons=world.wagons,
            exclude_booking_id=decided.pk,
        )
        found.append(busy.busy_wagons(**asked, rows=stops))
        assert found[-1] == busy.busy_wagons(**asked)
    assert found[0] == {ids[0]} and ids[1] in found[1] and found[2] == set()
