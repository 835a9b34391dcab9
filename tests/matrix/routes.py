import datetime as dt

from routes.models import PlanJob, Route
from tests.factories import BookingFactory, make_user
from tests.matrix import HIDDEN, NOT_FOUND, Bad, b, r

# Bodies that need ids are filled in by build() (rows are static, ids are not).
CREATE_BODY = {"date": "2027-03-11"}
ADD_BODY: dict = {}
REMOVE_BODY: dict = {}


def build(ctx: dict) -> None:
    wagon = ctx["wagon_obj"]
    day = dt.date(2027, 3, 10)
    route = Route.objects.create(wagon=wagon, date=day)
    ctx["route"] = route.pk
    school = ctx["school_obj"]
    school.depot = wagon.depot
    school.save()
    ctx["route_booking"] = BookingFactory(school=school, wagon=wagon, date=day).pk
    CREATE_BODY["wagon"] = wagon.pk
    ADD_BODY["booking"] = ctx["route_booking"]
    REMOVE_BODY["booking"] = ctx["route_booking"]
    # Another coordinator's job: only its requester reads it (tests/routes/test_plan_jobs.py).
    planner = make_user("matrix-planner", "coordinator")
    ctx["plan_job"] = PlanJob.objects.create(requested_by=planner, params={}).pk


STAFF_READ = r(200, 200, 403)

ROWS = [
    ("get", "/api/v1/routes/", STAFF_READ),
    ("post", "/api/v1/routes/", r(201, 403, 403), CREATE_BODY),
    ("get", "/api/v1/routes/{route}/", STAFF_READ),
    ("delete", "/api/v1/routes/{route}/", r(204, 403, 403)),
    ("get", "/api/v1/routes/{route}/history/", STAFF_READ),
    ("post", "/api/v1/routes/{route}/reorder/", r(200, 403, 403), {"bookings": []}),
    ("post", "/api/v1/routes/{route}/add-stop/", r(200, 403, 403), ADD_BODY),
    ("post", "/api/v1/routes/{route}/remove-stop/", r(409, 403, 403), REMOVE_BODY),
    (
        "post",
        "/api/v1/routes/plan/",
        r(202, 403, 403),
        {"date_from": "2027-03-08", "date_to": "2027-03-12", "commit": False},
    ),
    ("get", "/api/v1/routes/plan/jobs/{plan_job}/", r(404, 403, 403)),
    ("get", "/api/v1/routes/{route}/day-sheet.pdf", STAFF_READ),
    ("get", "/api/v1/routes/{route}/packing-list/", STAFF_READ),
    ("get", "/api/v1/routes/{route}/packing-list.pdf", STAFF_READ),
    ("get", "/api/v1/wagons/{wagon}/calendar.ics", STAFF_READ),
]


# Programme B against programme A (see tests/matrix/__init__.py).
ONLY_COORD_404 = b(404, 403)

PROGRAMME_ROWS = [
    ("get", "/api/v1/routes/", b(HIDDEN)),
    ("get", "/api/v1/routes/?date=2027-03-10", b(HIDDEN)),
    (
        "post",
        "/api/v1/routes/",
        b(Bad("wagon"), 403),
        lambda ctx: {"wagon": ctx["wagon"], "date": "2027-03-15"},
    ),
    ("get", "/api/v1/routes/{route}/", NOT_FOUND),
    ("delete", "/api/v1/routes/{route}/", ONLY_COORD_404),
    ("get", "/api/v1/routes/{route}/history/", NOT_FOUND),
    ("post", "/api/v1/routes/{route}/reorder/", ONLY_COORD_404, {"bookings": []}),
    (
        "post",
        "/api/v1/routes/{b_route}/reorder/",
        b(400, 403),
        lambda ctx: {"bookings": [ctx["route_booking"]]},
    ),
    (
        "post",
        "/api/v1/routes/{route}/add-stop/",
        ONLY_COORD_404,
        lambda ctx: {"booking": ctx["route_booking"]},
    ),
    (
        "post",
        "/api/v1/routes/{b_route}/add-stop/",
        b(Bad("booking"), 403),
        lambda ctx: {"booking": ctx["route_booking"]},
    ),
    (
        "post",
        "/api/v1/routes/{route}/remove-stop/",
        ONLY_COORD_404,
        lambda ctx: {"booking": ctx["route_booking"]},
    ),
    (
        "post",
        "/api/v1/routes/plan/",
        b(Bad("wagon"), 403),
        lambda ctx: {
            "wagon": ctx["wagon"],
            "date_from": "2027-03-08",
            "date_to": "2027-03-12",
            "commit": False,
        },
    ),
    (
        "post",
        "/api/v1/routes/plan/",
        b(Bad("wagons"), 403),
        lambda ctx: {
            "wagons": [ctx["wagon"]],
            "date_from": "2027-03-08",
            "date_to": "2027-03-12",
            "commit": False,
        },
    ),
    ("get", "/api/v1/routes/plan/jobs/{plan_job}/", ONLY_COORD_404),
    ("get", "/api/v1/routes/{route}/day-sheet.pdf", NOT_FOUND),
    ("get", "/api/v1/routes/{route}/packing-list/", NOT_FOUND),
    ("get", "/api/v1/routes/{route}/packing-list.pdf", NOT_FOUND),
]
