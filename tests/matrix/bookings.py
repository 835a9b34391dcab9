import datetime as dt

from bookings import services
from bookings.models import BookingSession
from tests.factories import (
    BlackoutFactory,
    BookingFactory,
    BookingSessionFactory,
    WorkshopFactory,
    make_user,
)
from tests.matrix import ALLOWED, HIDDEN, NOT_FOUND, Bad, b, r

VISIT = dt.date(2027, 3, 9)


def build(ctx: dict) -> None:
    school = ctx["school_obj"]
    wagon = ctx["wagon_obj"]
    workshop = WorkshopFactory(name="Matrix workshop")
    ctx["workshop"] = workshop.pk
    ctx["blackout"] = BlackoutFactory(date_from=dt.date(2027, 5, 1), date_to=dt.date(2027, 5, 1)).pk
    actor = make_user("matrix-booker", "coordinator")

    def booking(day, status="requested", start=dt.time(9, 0)):
        b = BookingFactory(school=school, wagon=wagon, date=day)
        BookingSessionFactory(booking=b, workshop=workshop, pupils=10, start_time=start)
        path = {
            "confirmed": ["confirmed"],
            "returned": ["confirmed", "packed", "on_site", "returned"],
        }.get(status, [])
        for step in path:
            services.booking_set_status(booking=b, status=step, acting_user=actor)
        return b.pk

    # In the afternoon: the packing rows' confirmed visit has the wagon that morning.
    ctx["bk_requested"] = booking(VISIT, start=dt.time(13, 30))
    ctx["bk_confirmed"] = booking(VISIT + dt.timedelta(days=1), "confirmed")
    ctx["bk_returned"] = booking(VISIT + dt.timedelta(days=2), "returned")


CATALOGUE_READ = r(200, 200, 200)
COORD_WRITE = r(ALLOWED, 403, 403)
OWN_READ = r(200, 200, 200, other_school=404)
# A school's requested booking: crew sees confirmed-and-later only, strangers nothing.
REQUESTED_READ = r(200, 404, 200, other_school=404)

ROWS = [
    # schools
    ("get", "/api/v1/schools/", CATALOGUE_READ),
    ("post", "/api/v1/schools/", COORD_WRITE, {}),
    ("get", "/api/v1/schools/{school}/", OWN_READ),
    ("put", "/api/v1/schools/{school}/", r(ALLOWED, 403, ALLOWED, other_school=404), {}),
    (
        "patch",
        "/api/v1/schools/{school}/",
        r(200, 403, 200, other_school=404),
        {"site_notes": "Stopcontact bij de aula"},
    ),
    ("patch", "/api/v1/schools/{school}/", r(200, 403, 400, other_school=404), {"name": "Nieuw"}),
    ("delete", "/api/v1/schools/{school}/", COORD_WRITE),
    ("get", "/api/v1/schools/{school}/history/", OWN_READ),
    # workshops (catalogue)
    ("get", "/api/v1/workshops/", CATALOGUE_READ),
    ("post", "/api/v1/workshops/", COORD_WRITE, {}),
    ("get", "/api/v1/workshops/{workshop}/", CATALOGUE_READ),
    ("put", "/api/v1/workshops/{workshop}/", COORD_WRITE, {}),
    ("patch", "/api/v1/workshops/{workshop}/", COORD_WRITE, {"max_pupils": 30}),
    ("delete", "/api/v1/workshops/{workshop}/", COORD_WRITE),
    ("get", "/api/v1/workshops/{workshop}/history/", CATALOGUE_READ),
    # blackouts
    ("get", "/api/v1/blackouts/", CATALOGUE_READ),
    # A school may enter its own closed days: an empty body is a 400 for it.
    ("post", "/api/v1/blackouts/", r(ALLOWED, 403, 400), {}),
    ("get", "/api/v1/blackouts/{blackout}/", CATALOGUE_READ),
    ("put", "/api/v1/blackouts/{blackout}/", COORD_WRITE, {}),
    ("patch", "/api/v1/blackouts/{blackout}/", COORD_WRITE, {"reason": "Studiedag"}),
    ("delete", "/api/v1/blackouts/{blackout}/", COORD_WRITE),
    ("get", "/api/v1/blackouts/{blackout}/history/", CATALOGUE_READ),
    # availability: the school user asks for its own school; naming another is 404
    ("get", "/api/v1/availability/", r(400, 400, 400)),
    (
        "get",
        "/api/v1/availability/?school={school}&date_from=2027-03-08&date_to=2027-03-12",
        r(200, 200, 200, other_school=404),
    ),
    # bookings
    ("get", "/api/v1/bookings/", CATALOGUE_READ),
    ("post", "/api/v1/bookings/", r(400, 403, 400), {}),
    ("get", "/api/v1/bookings/{bk_requested}/", REQUESTED_READ),
    ("get", "/api/v1/bookings/{bk_confirmed}/", OWN_READ),
    ("put", "/api/v1/bookings/{bk_requested}/", r(405, 403, 405), {}),
    ("delete", "/api/v1/bookings/{bk_requested}/", r(405, 403, 405)),
    ("post", "/api/v1/bookings/{bk_requested}/confirm/", r(200, 403, 403)),
    ("post", "/api/v1/bookings/{bk_requested}/decline/", r(200, 403, 403), {"reason": "vol"}),
    (
        "post",
        "/api/v1/bookings/{bk_requested}/cancel/",
        r(200, 403, 200, other_school=404),
        {"reason": "ziek"},
    ),
    ("post", "/api/v1/bookings/{bk_requested}/pin/", r(200, 403, 403), {"pinned": True}),
    ("post", "/api/v1/bookings/{bk_requested}/pin/", r(400, 403, 403), {"pinned": "ja"}),
    ("post", "/api/v1/bookings/{bk_confirmed}/arrive/", r(200, 200, 403)),
    ("put", "/api/v1/bookings/{bk_requested}/sessions/", r(400, 403, 400, other_school=404), {}),
    ("post", "/api/v1/bookings/{bk_returned}/complete/", r(200, 403, 403)),
    # Who was there: crew, coordinator and the own school; crew never sees a mere request.
    ("put", "/api/v1/bookings/{bk_returned}/attendance/", r(400, 400, 400, other_school=404), {}),
    ("put", "/api/v1/bookings/{bk_requested}/attendance/", r(400, 404, 400, other_school=404), {}),
    ("get", "/api/v1/bookings/{bk_requested}/history/", REQUESTED_READ),
    ("get", "/api/v1/bookings/{bk_requested}/calendar.ics", REQUESTED_READ),
    ("get", "/api/v1/bookings/{bk_confirmed}/calendar.ics", OWN_READ),
    ("get", "/api/v1/wagons/{wagon}/calendar.ics", r(200, 200, 403)),
]


# Programme B against programme A (see tests/matrix/__init__.py).
ONLY_COORD_404 = b(404, 403)


def _session(workshop):
    return {
        "workshop": workshop,
        "group_label": "groep 7",
        "school_type": "po",
        "year": 7,
        "pupils": 10,
        "start_time": "09:00",
    }


def _school_body(ctx):
    return {
        "name": "Basisschool Twello Noord",
        "brin": "08ZZ00",
        "school_types": ["po"],
        "address": "Dorpsstraat 1",
        "postcode": "7391 AA",
        "city": "Twello",
        "holiday_region": "noord",
        "programme": ctx["programme_a"],
    }


def _session_of(ctx, booking: str) -> int:
    return BookingSession.objects.filter(booking_id=ctx[booking]).values_list("pk", flat=True)[0]


PROGRAMME_ROWS = [
    # schools
    ("get", "/api/v1/schools/", b(HIDDEN)),
    ("post", "/api/v1/schools/", b(Bad("programme"), 403), _school_body),
    ("get", "/api/v1/schools/{school}/", NOT_FOUND),
    ("put", "/api/v1/schools/{school}/", ONLY_COORD_404, _school_body),
    ("patch", "/api/v1/schools/{school}/", ONLY_COORD_404, {"site_notes": "Stopcontact"}),
    ("delete", "/api/v1/schools/{school}/", ONLY_COORD_404),
    ("get", "/api/v1/schools/{school}/history/", NOT_FOUND),
    # workshops
    ("get", "/api/v1/workshops/", b(HIDDEN)),
    (
        "post",
        "/api/v1/workshops/",
        b(Bad("programme"), 403),
        lambda ctx: {
            "name": "Workshop B2",
            "description": "Solderen",
            "duration_minutes": 60,
            "max_pupils": 30,
            "school_types": ["po"],
            "kit_rules": [],
            "consumable_rules": [],
            "programme": ctx["programme_a"],
        },
    ),
    ("get", "/api/v1/workshops/{workshop}/", NOT_FOUND),
    ("put", "/api/v1/workshops/{workshop}/", ONLY_COORD_404, {"name": "X"}),
    ("patch", "/api/v1/workshops/{workshop}/", ONLY_COORD_404, {"max_pupils": 30}),
    ("delete", "/api/v1/workshops/{workshop}/", ONLY_COORD_404),
    ("get", "/api/v1/workshops/{workshop}/history/", NOT_FOUND),
    # blackouts
    ("get", "/api/v1/blackouts/", b(HIDDEN)),
    (
        "post",
        "/api/v1/blackouts/",
        b(Bad("wagon"), 403),
        lambda ctx: {
            "date_from": "2027-05-03",
            "date_to": "2027-05-03",
            "reason": "Onderhoud",
            "wagon": ctx["wagon"],
        },
    ),
    (
        "post",
        "/api/v1/blackouts/",
        b(Bad("school"), 403),
        lambda ctx: {
            "date_from": "2027-05-03",
            "date_to": "2027-05-03",
            "reason": "Studiedag",
            "school": ctx["school"],
        },
    ),
    ("get", "/api/v1/blackouts/{blackout}/", NOT_FOUND),
    ("put", "/api/v1/blackouts/{blackout}/", ONLY_COORD_404, {"reason": "X"}),
    ("patch", "/api/v1/blackouts/{blackout}/", ONLY_COORD_404, {"reason": "Studiedag"}),
    ("delete", "/api/v1/blackouts/{blackout}/", ONLY_COORD_404),
    ("get", "/api/v1/blackouts/{blackout}/history/", NOT_FOUND),
    # availability for A's school: not found
    ("get", "/api/v1/availability/", b(400)),
    (
        "get",
        "/api/v1/availability/?school={school}&date_from=2027-03-08&date_to=2027-03-12",
        NOT_FOUND,
    ),
    # bookings
    ("get", "/api/v1/bookings/", b(HIDDEN)),
    ("get", "/api/v1/bookings/?date_from=2027-01-01&date_to=2027-12-31", b(HIDDEN)),
    (
        "post",
        "/api/v1/bookings/",
        b(Bad("school"), 403),
        lambda ctx: {
            "school": ctx["school"],
            "date": "2027-03-16",
            "sessions": [_session(ctx["b_workshop"])],
            "contact_name": "A. Jansen",
            "contact_email": "a.jansen@school.nl",
        },
    ),
    (
        "post",
        "/api/v1/bookings/",
        b(Bad("wagon"), 403),
        lambda ctx: {
            "school": ctx["b_school"],
            "wagon": ctx["wagon"],
            "date": "2027-03-16",
            "sessions": [_session(ctx["b_workshop"])],
            "contact_name": "A. Jansen",
            "contact_email": "a.jansen@school.nl",
        },
    ),
    (
        "post",
        "/api/v1/bookings/",
        b(Bad("sessions"), 403),
        lambda ctx: {
            "school": ctx["b_school"],
            "date": "2027-03-16",
            "sessions": [_session(ctx["workshop"])],
            "contact_name": "A. Jansen",
            "contact_email": "a.jansen@school.nl",
        },
    ),
    ("get", "/api/v1/bookings/{bk_requested}/", NOT_FOUND),
    ("get", "/api/v1/bookings/{bk_confirmed}/", NOT_FOUND),
    ("put", "/api/v1/bookings/{bk_requested}/", b({404, 405}, 403), {}),
    ("delete", "/api/v1/bookings/{bk_requested}/", b({404, 405}, 403)),
    ("post", "/api/v1/bookings/{bk_requested}/confirm/", ONLY_COORD_404),
    ("post", "/api/v1/bookings/{bk_requested}/decline/", ONLY_COORD_404, {"reason": "vol"}),
    ("post", "/api/v1/bookings/{bk_requested}/cancel/", ONLY_COORD_404, {"reason": "ziek"}),
    ("post", "/api/v1/bookings/{bk_requested}/pin/", ONLY_COORD_404, {"pinned": True}),
    ("post", "/api/v1/bookings/{bk_confirmed}/arrive/", NOT_FOUND),
    (
        "put",
        "/api/v1/bookings/{bk_requested}/sessions/",
        ONLY_COORD_404,
        lambda ctx: {"sessions": [_session(ctx["workshop"])]},
    ),
    (
        "put",
        "/api/v1/bookings/{b_requested}/sessions/",
        b(Bad("sessions"), 403),
        lambda ctx: {"sessions": [_session(ctx["workshop"])]},
    ),
    ("post", "/api/v1/bookings/{bk_returned}/complete/", ONLY_COORD_404),
    # who was there (issue 18): A's visit not found; A's session on B's own visit a 400
    (
        "put",
        "/api/v1/bookings/{bk_returned}/attendance/",
        NOT_FOUND,
        lambda ctx: {"sessions": [{"id": _session_of(ctx, "bk_returned"), "girls": 3}]},
    ),
    (
        "put",
        "/api/v1/bookings/{b_confirmed}/attendance/",
        b(Bad("sessions")),
        lambda ctx: {"sessions": [{"id": _session_of(ctx, "bk_returned"), "girls": 3}]},
    ),
    ("get", "/api/v1/bookings/{bk_requested}/history/", NOT_FOUND),
    ("get", "/api/v1/bookings/{bk_requested}/calendar.ics", NOT_FOUND),
    ("get", "/api/v1/bookings/{bk_confirmed}/calendar.ics", NOT_FOUND),
    ("get", "/api/v1/wagons/{wagon}/calendar.ics", NOT_FOUND),
    ("get", "/api/v1/wagons/{b_wagon}/calendar.ics", b(HIDDEN)),
]
