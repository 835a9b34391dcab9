"""A hand-computed reach fixture (school year 2026-2027 unless noted).

| booking | school | region | date | status | sessions (workshop, type, pupils) |
| a1 | A 11AA00 | midden | 2027-02-10 | completed | (Robot, po, 24), (Print, po, 20) |
| a2 | A 11AA00 | midden | 2027-03-10 | returned  | (Robot, so, 10) |
| b1 | B 11AA01 | noord  | 2027-02-11 | on_site   | (Print, vmbo-bb, 16) |
| c1 | C 12BB00 | midden | 2027-02-12 | cancelled | (Robot, po, 30) |
| c2 | C 12BB00 | midden | 2027-02-15 | confirmed | (Robot, po, 22) |
| c3 | C 12BB00 | midden | 2027-02-16 | requested | (Robot, po, 25) |
| c4 | C 12BB00 | midden | 2027-01-20 | declined  | (Robot, po, 28) |
| c5 | C 12BB00 | midden | 2026-07-20 | completed | (Print, po, 12)  (previous school year) |

B is another vestiging of A's BRIN, so it is a different school.
"""

import datetime as dt
import random

import pytest

from bookings.models import Booking, SchoolType
from bookings.reports.selectors import school_year
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    default_programme,
)


@pytest.fixture
def reach_data(db):
    wagon = WagonFactory()
    robot = WorkshopFactory(name="Robotauto coderen")
    printing = WorkshopFactory(name="3D-ontwerpen & printen")
    a = SchoolFactory(name="Basisschool A", brin="11AA00", holiday_region="midden")
    b = SchoolFactory(name="Vestiging B", brin="11AA01", holiday_region="noord")
    c = SchoolFactory(name="School C", brin="12BB00", holiday_region="midden")

    def visit(school, date, status, *sessions):
        booking = BookingFactory(school=school, wagon=wagon, date=date, status=status)
        for workshop, school_type, pupils in sessions:
            BookingSessionFactory(
                booking=booking, workshop=workshop, school_type=school_type, pupils=pupils
            )
        return booking

    visit(a, dt.date(2027, 2, 10), "completed", (robot, "po", 24), (printing, "po", 20))
    visit(a, dt.date(2027, 3, 10), "returned", (robot, "so", 10))
    visit(b, dt.date(2027, 2, 11), "on_site", (printing, "vmbo-bb", 16))
    visit(c, dt.date(2027, 2, 12), "cancelled", (robot, "po", 30))
    visit(c, dt.date(2027, 2, 15), "confirmed", (robot, "po", 22))
    visit(c, dt.date(2027, 2, 16), "requested", (robot, "po", 25))
    visit(c, dt.date(2027, 1, 20), "declined", (robot, "po", 28))
    visit(c, dt.date(2026, 7, 20), "completed", (printing, "po", 12))
    return {"robot": robot, "printing": printing, "a": a, "b": b, "c": c, "wagon": wagon}


# ------------------------------------------------------------------ two programmes side by side
PERSONAL = []


def _personal(tag: str) -> dict:
    values = {
        "contact_name": f"Contact {tag} Geheimnaam",
        "contact_email": f"geheim.{tag.lower()}@voorbeeld.nl",
        "contact_phone": f"06-55{len(PERSONAL):06d}",
    }
    PERSONAL.extend(values.values())
    return values


@pytest.fixture
def two_programmes(db):
    """Two programmes, school year 2026-2027, every visit completed:

    | programme | depot | wagon | visit | school (BRIN) | sessions (type, pupils) |
    | A STO18065 | A-1 | wa1 | v1 2027-02-01 | Kralingen 20AA00 | (po, 20), (so, 8) |
    | A | A-2 | wa2 | v2 2027-03-01 | Kralingen 20AA00 | (po, 22) |
    | A | A-1 | wa1 | v3 2027-02-02 | Zuid 20BB00 (vmbo + havo) | (vmbo-kb, 25), (havo, 28) |
    | A | A-1 | wa1 | v4 2027-02-09 | Zuid 20BB00 | (havo, 30) |
    | A | A-2 | wa2 | v5 2027-04-01 | ROC 20CC00 | (mbo-2, 15) |
    | B STO18071 | B-1 | wb | w1 2027-02-03 | Twello 30AA00 | (po, 25) |
    | B | B-1 | wb | w2 2027-02-04 | De Boog 30BB00 | (vso, 12) |

    Every booking, school and programme carries its own contact name, e-mail and phone: PERSONAL lists
    them, and the funder must never see one.
    """
    PERSONAL.clear()
    a = default_programme()
    b = ProgrammeFactory(name="Deventer-Twello", project_code="STO18071")
    for tag, programme in (("ProgA", a), ("ProgB", b)):
        for field, value in _personal(tag).items():
            setattr(programme, field, value)
        programme.save()
    depot_a1 = DepotFactory(name="Depot Rotterdam", programme=a)
    depot_a2 = DepotFactory(name="Depot Schiedam", programme=a)
    depot_b = DepotFactory(name="Depot Deventer", programme=b)
    wa1 = WagonFactory(name="Wagen Rotterdam 1", depot=depot_a1)
    wa2 = WagonFactory(name="Wagen Schiedam", depot=depot_a2)
    wb = WagonFactory(name="Wagen Twello", depot=depot_b)
    workshop_a = WorkshopFactory(name="Robotauto coderen", programme=a)
    workshop_b = WorkshopFactory(name="Robotauto coderen", programme=b)

    def school(name, brin, depot, types, tag):
        return SchoolFactory(
            name=name,
            brin=brin,
            depot=depot,
            programme=depot.programme,
            school_types=types,
            **_personal(tag),
        )

    kralingen = school("Basisschool Kralingen", "20AA00", depot_a1, ["po", "so"], "SchoolK")
    zuid = school("Scholengemeenschap Zuid", "20BB00", depot_a1, ["vmbo-kb", "havo"], "SchoolZ")
    roc = school("ROC Maasstad", "20CC00", depot_a2, ["mbo-2"], "SchoolR")
    twello = school("Basisschool Twello", "30AA00", depot_b, ["po"], "SchoolT")
    boog = school("De Boog", "30BB00", depot_b, ["vso"], "SchoolB")

    def visit(tag, school_, wagon, date, *sessions):
        booking = BookingFactory(
            school=school_, wagon=wagon, date=date, status="completed", **_personal(tag)
        )
        workshop = workshop_a if school_.programme_id == a.id else workshop_b
        for school_type, pupils in sessions:
            BookingSessionFactory(
                booking=booking, workshop=workshop, school_type=school_type, pupils=pupils
            )
        return booking

    visit("V1", kralingen, wa1, dt.date(2027, 2, 1), ("po", 20), ("so", 8))
    visit("V2", kralingen, wa2, dt.date(2027, 3, 1), ("po", 22))
    visit("V3", zuid, wa1, dt.date(2027, 2, 2), ("vmbo-kb", 25), ("havo", 28))
    visit("V4", zuid, wa1, dt.date(2027, 2, 9), ("havo", 30))
    visit("V5", roc, wa2, dt.date(2027, 4, 1), ("mbo-2", 15))
    visit("W1", twello, wb, dt.date(2027, 2, 3), ("po", 25))
    visit("W2", boog, wb, dt.date(2027, 2, 4), ("vso", 12))
    return {
        "a": a,
        "b": b,
        "depot_a1": depot_a1,
        "depot_a2": depot_a2,
        "depot_b": depot_b,
        "wa1": wa1,
        "wa2": wa2,
        "wb": wb,
        "personal": list(PERSONAL),
        # What a coordinator of B must never see of A.
        "a_strings": [
            "Basisschool Kralingen",
            "20AA00",
            "Scholengemeenschap Zuid",
            "ROC Maasstad",
            "20CC00",
            "STO18065",
            "Depot Rotterdam",
            "Wagen Schiedam",
        ],
    }


# ------------------------------------------------------------------ a randomised data set
RANDOM_STATUSES = [value for value, _ in Booking.Status.choices]


@pytest.fixture
def random_reach(db):
    """Two programmes, 9 schools, 4 wagons, 5 workshops (names shared across programmes) and 70
    visits of every status around school year 2026-2027 with 0–4 random sessions each."""
    rng = random.Random(15)
    programmes = [default_programme(), ProgrammeFactory(name="Tweede", project_code="STO15002")]
    depots = [DepotFactory(programme=programmes[n % 2]) for n in range(3)]
    wagons = [WagonFactory(depot=depots[n % 3]) for n in range(4)]
    workshops = [
        WorkshopFactory(name=f"Workshop {n % 3}", programme=programmes[n % 2]) for n in range(5)
    ]
    schools = [
        SchoolFactory(
            depot=depots[n % 3],
            programme=depots[n % 3].programme,
            holiday_region=rng.choice(["noord", "midden", "zuid"]),
        )
        for n in range(9)
    ]
    for _ in range(70):
        school = rng.choice(schools)
        in_programme = [w for w in wagons if w.depot.programme_id == school.programme_id]
        booking = BookingFactory(
            school=school,
            wagon=rng.choice([None, *in_programme]),
            # Mostly in the school year, some just outside it.
            date=school_year(2026).date_from + dt.timedelta(days=rng.randint(-20, 385)),
            status=rng.choice(RANDOM_STATUSES),
        )
        own = [w for w in workshops if w.programme_id == school.programme_id]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            pupils = rng.randint(1, 40)
            girls = rng.choice([None, rng.randint(0, pupils)])
            BookingSessionFactory(
                booking=booking,
                workshop=rng.choice(own),
                school_type=rng.choice(SchoolType.values[:6]),
                pupils=pupils,
                girls=girls,
                # Sometimes only one of the two is known (then neither counts).
                boys=rng.choice([None, pupils - girls]) if girls is not None else None,
                teachers=rng.choice([None, 1, 2]),
            )
    return {"programmes": programmes, "depots": depots, "wagons": wagons, "workshops": workshops}
