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

import pytest

from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
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
