import datetime as dt

from bookings import services
from tests.factories import (
    BlackoutFactory,
    BookingFactory,
    BookingSessionFactory,
    WorkshopFactory,
    make_user,
)
from tests.matrix import ALLOWED, r

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
