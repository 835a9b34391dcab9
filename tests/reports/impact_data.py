"""A hand-computed impact fixture, school year 2026-2027 (1 Aug 2026 – 31 Jul 2027).

Programme A (the default test programme), workshops Robot and Print; schools S1 (50AA00) and S2
(50AA01, another vestiging of the same BRIN: a different school):

| visit | school | date | status | sessions (workshop, type, pupils, girls, boys, teachers) | partners | feedback (w, c, o, e, again) |
| v1 | S1 | 2027-02-01 | completed | (Robot, po, 24, 10, 14, 2), (Print, po, 20, -, -, 1) | P1 guest 3.50 h, P2 materials 0 h | 5, 4, 3, 4, yes |
| v2 | S1 | 2027-03-01 | completed | (Robot, po, 26, 12, 12, -) | P1 sponsor 2.00 h | — |
| v3 | S2 | 2027-04-01 | returned  | (Robot, vmbo-bb, 16, 4, 12, 1) | — | — |
| v6 | S2 | 2027-05-10 | completed | (Print, po, 18, 9, 9, 2), (Print, po, 12, -, -, -) | — | 3, 3, 4, 2, no |
| v4 | S2 | 2026-07-01 | completed | (Robot, po, 30, 30, 0, 5) previous school year | P1 guest 9 h | 1, 1, 1, 1, no |
| v5 | S1 | 2027-05-01 | cancelled | (Robot, po, 28, 14, 14, 2) | P2 sponsor 7 h | — |

Programme A, 2026-2027 (EXPECTED_A): visits 4 (v1 v2 v3 v6), schools 2, sessions 6, pupils 116;
girls 35 / boys 47 over the sessions where both are known (84 pupils) → girls share 35/82 = 0.4268,
coverage 84/116 = 0.7241; teachers 6; partner participations 3, hours 5.50; completed visits 3
(v1 v2 v6), responses 2 → response rate 0.6667; ratings 4.0 / 3.5 / 3.5 / 3.0; book again 0.5.

Per workshop: Robot (v1 v2 v3): visits 3, schools 2, pupils 66, girls 26 / boys 38 → 0.4063,
coverage 1.0, teachers 3, participations 3 (5.50 h), completed 2, responses 1 → 0.5.
Print (v1 v6, v6 with two Print groups — counted once): visits 2, schools 2, pupils 50, girls 9 /
boys 9 → 0.5, coverage 18/50 = 0.36, teachers 3, participations 2 (3.50 h), completed 2,
responses 2 → 1.0.

Programme B "Deventer-Twello": v8 at S3 (60AA00) 2027-02-03 completed (RobotB, po, 25, 13, 12, 1),
partner PB guest 4 h, feedback 1, 1, 1, 1, no.

Every booking, school and partner carries contact names, e-mails and phones (PERSONAL): no
report may show one.
"""

import datetime as dt
from decimal import Decimal

from feedback.models import FeedbackResponse
from partners.models import Participation, Partner
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    default_programme,
    make_user,
)

PERSONAL = [
    "Geheime Contactpersoon",
    "geheim@voorbeeld.nl",
    "06-99887766",
    "Partner Contactnaam",
    "partner.contact@bedrijf.nl",
    "010-5550123",
]
CONTACT = {
    "contact_name": PERSONAL[0],
    "contact_email": PERSONAL[1],
    "contact_phone": PERSONAL[2],
}
PARTNER_CONTACT = {
    "contact_name": PERSONAL[3],
    "contact_email": PERSONAL[4],
    "contact_phone": PERSONAL[5],
}

EXPECTED_A = {
    "visits": 4,
    "schools": 2,
    "sessions": 6,
    "pupils": 116,
    "girls": 35,
    "boys": 47,
    "gender_known_pupils": 84,
    "girls_share": 0.4268,
    "gender_coverage": 0.7241,
    "teachers": 6,
    "partner_participations": 3,
    "partner_hours": "5.50",
    "completed_visits": 3,
    "responses": 2,
    "response_rate": 0.6667,
    "workshop_rating": 4.0,
    "crew_rating": 3.5,
    "organisation_rating": 3.5,
    "enthusiasm": 3.0,
    "book_again_share": 0.5,
}
EXPECTED_ROBOT = {
    "visits": 3,
    "schools": 2,
    "sessions": 3,
    "pupils": 66,
    "girls": 26,
    "boys": 38,
    "girls_share": 0.4062,
    "gender_coverage": 1.0,
    "teachers": 3,
    "partner_participations": 3,
    "partner_hours": "5.50",
    "completed_visits": 2,
    "responses": 1,
    "response_rate": 0.5,
    "workshop_rating": 5.0,
}
EXPECTED_PRINT = {
    "visits": 2,
    "schools": 2,
    "sessions": 3,
    "pupils": 50,
    "girls": 9,
    "boys": 9,
    "girls_share": 0.5,
    "gender_coverage": 0.36,
    "teachers": 3,
    "partner_participations": 2,
    "partner_hours": "3.50",
    "completed_visits": 2,
    "responses": 2,
    "response_rate": 1.0,
    "workshop_rating": 4.0,
    "book_again_share": 0.5,
}
EXPECTED_B = {
    "visits": 1,
    "schools": 1,
    "pupils": 25,
    "girls": 13,
    "boys": 12,
    "partner_participations": 1,
    "partner_hours": "4.00",
    "responses": 1,
    "workshop_rating": 1.0,
}


def session(booking, workshop, school_type, pupils, girls=None, boys=None, teachers=None):
    return BookingSessionFactory(
        booking=booking,
        workshop=workshop,
        group_label="groep 7",
        school_type=school_type,
        year=1 if school_type.startswith("vmbo") else 7,
        pupils=pupils,
        girls=girls,
        boys=boys,
        teachers=teachers,
        start_time=dt.time(9, 0),
    )


def feedback(booking, workshop, crew, organisation, enthusiasm, again):
    return FeedbackResponse.objects.create(
        booking=booking,
        workshop_rating=workshop,
        crew_rating=crew,
        organisation_rating=organisation,
        enthusiasm=enthusiasm,
        book_again=again,
        comments="Geheime opmerking van juf",
    )


def take_part(booking, partner, kind, hours):
    return Participation.objects.create(
        booking=booking, partner=partner, kind=kind, hours=Decimal(hours)
    )


def build() -> dict:
    """The fixture's objects (test modules wrap it in an `impact_data` fixture)."""
    a = default_programme()
    b = ProgrammeFactory(name="Deventer-Twello", project_code="STO18071")
    wagon = WagonFactory()
    robot = WorkshopFactory(name="Robot bouwen", programme=a)
    printing = WorkshopFactory(name="3D-printen", programme=a)
    s1 = SchoolFactory(name="Basisschool Een", brin="50AA00", programme=a, **CONTACT)
    s2 = SchoolFactory(name="Vestiging Twee", brin="50AA01", programme=a, **CONTACT)
    p1 = Partner.objects.create(
        programme=a, name="Techniekbedrijf Eén", kvk_number="12345678", **PARTNER_CONTACT
    )
    p2 = Partner.objects.create(programme=a, name="Materiaalhuis", **PARTNER_CONTACT)

    def visit(school, date, status, **kwargs):
        return BookingFactory(school=school, wagon=wagon, date=date, status=status, **CONTACT)

    v1 = visit(s1, dt.date(2027, 2, 1), "completed")
    session(v1, robot, "po", 24, 10, 14, 2)
    session(v1, printing, "po", 20, teachers=1)
    take_part(v1, p1, "guest_instructor", "3.50")
    take_part(v1, p2, "materials", "0")
    feedback(v1, 5, 4, 3, 4, True)

    v2 = visit(s1, dt.date(2027, 3, 1), "completed")
    session(v2, robot, "po", 26, 12, 12)
    take_part(v2, p1, "sponsor", "2")

    v3 = visit(s2, dt.date(2027, 4, 1), "returned")
    session(v3, robot, "vmbo-bb", 16, 4, 12, 1)

    v6 = visit(s2, dt.date(2027, 5, 10), "completed")
    session(v6, printing, "po", 18, 9, 9, 2)
    session(v6, printing, "po", 12)
    feedback(v6, 3, 3, 4, 2, False)

    v4 = visit(s2, dt.date(2026, 7, 1), "completed")
    session(v4, robot, "po", 30, 30, 0, 5)
    take_part(v4, p1, "guest_instructor", "9")
    feedback(v4, 1, 1, 1, 1, False)

    v5 = visit(s1, dt.date(2027, 5, 1), "cancelled")
    session(v5, robot, "po", 28, 14, 14, 2)
    take_part(v5, p2, "sponsor", "7")

    depot_b = DepotFactory(name="Depot Deventer", programme=b)
    wagon_b = WagonFactory(name="Wagen Twello", depot=depot_b)
    robot_b = WorkshopFactory(name="Robot Twello", programme=b)
    s3 = SchoolFactory(name="Basisschool Twello", brin="60AA00", programme=b, **CONTACT)
    pb = Partner.objects.create(programme=b, name="Twellose Werf", **PARTNER_CONTACT)
    v8 = BookingFactory(
        school=s3, wagon=wagon_b, date=dt.date(2027, 2, 3), status="completed", **CONTACT
    )
    session(v8, robot_b, "po", 25, 13, 12, 1)
    take_part(v8, pb, "guest_instructor", "4")
    feedback(v8, 1, 1, 1, 1, False)

    return {
        "a": a,
        "b": b,
        "robot": robot,
        "printing": printing,
        "robot_b": robot_b,
        "coord_b": make_user("coord_b", "coordinator", programmes=[b]),
        "funder": make_user("funder_x", "funder"),
    }


def subset(actual: dict, expected: dict) -> dict:
    """`actual` narrowed to `expected`'s keys, to compare with `==` (a readable diff)."""
    return {key: actual.get(key) for key in expected}
