"""A GET writes nothing: every GET URL of the permission matrix (tests/matrix/) for every role,
and the crew, school and planning pages. Row counts of every table (history tables included) are
the same before and after, and no request sends an INSERT, UPDATE or DELETE — except to the
tables below, which hold request bookkeeping, not data."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.packing.models import PackingLine
from inventory.models import Item
from routes.models import RouteStop
from tests.factories import BookingFactory, BookingSessionFactory, WorkshopFactory
from tests.matrix import ROLES, all_rows

# table → why a GET may write it
EXEMPT = {
    "django_session": "Django's session middleware saves a logged-in page user's session",
    "tw_cache": "the database cache: the public forms' counters, not domain data",
    "knox_authtoken": "knox moves a token's expiry forward on use (AUTO_REFRESH, at most hourly)",
    "axes_accessattempt": "django-axes counts failed logins (login lockout)",
    "axes_accesslog": "django-axes logs logins",
    "axes_accessfailurelog": "django-axes logs failed logins",
}
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

GET_ROWS = [row for row in all_rows() if row[1] == "get"]

PAGES = {
    "crew": [
        "/crew/",
        "/crew/?date=2027-03-09",
        "/crew/?date=2027-03-10",
        "/crew/visits/{packing_booking}/",
        "/crew/days/{wagon}/2027-03-09/",
        "/crew/items/{item_tag}/",
        "/crew/sw.js",
    ],
    "coordinator": [
        "/planning/",
        "/planning/board/",
        "/planning/board/?date=2027-03-09",
        "/planning/inventory/",
        "/planning/reach/",
        "/planning/waiting-list/",
        "/planning/bookings/{packing_booking}/confirm/",
        "/planning/board/?span=month&start=2027-03-01",
        "/planning/board/?start=2027-03-08&print=1",
        "/planning/visits/{packing_booking}/",
        "/planning/visits/{packing_booking}/?date=2027-03-11",
        "/planning/visits/{packing_booking}/check/?date=2027-03-11",
        "/planning/visits/{packing_booking}/move/",
        "/planning/plan/?wagon={wagon}&start=2027-03-08",
        "/planning/plan/?wagon={wagon}&start=2027-03-01&span=month&allow_moves=1",
        "/crew/visits/{packing_booking}/",
    ],
    "school": [
        "/school/",
        "/school/calendar/",
        "/school/book/",
        "/school/bookings/",
        "/school/waiting-list/",
        "/school/waiting-list/{waiting}/accept/",
        "/school/bookings/{packing_booking}/cancel/",
        "/school/bookings/{packing_booking}/calendar.ics",
    ],
}


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def writes_in(queries) -> list[str]:
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(2) not in EXEMPT:
            found.append(query["sql"][:200])
    return found


@pytest.fixture
def ctx(matrix_context):
    """The matrix's objects (built once for this module: tests/conftest.py `matrix_world`)."""
    ctx = matrix_context
    school = ctx["school_obj"]
    # State a read used to "fix" by writing: a visit on the route's wagon-day confirmed before
    # lists were built at confirmation, and an item on a list gone defect behind the services.
    legacy = BookingFactory(
        school=school, wagon=ctx["wagon_obj"], date=dt.date(2027, 3, 10), status="confirmed"
    )
    BookingSessionFactory(booking=legacy, workshop=WorkshopFactory(), pupils=10)
    RouteStop.objects.create(route_id=ctx["route"], booking=legacy, position=5)
    held = PackingLine.objects.filter(
        packing_list__booking_id=ctx["packing_booking"], item__isnull=False
    ).values("item_id")
    Item.objects.filter(pk__in=held).update(status=Item.Status.DEFECT)
    return ctx


def test_no_get_of_the_api_writes(ctx, client_for):
    assert len(GET_ROWS) > 30  # the matrix is there
    before = row_counts()
    for role in ROLES:
        client = client_for[role]
        for _module, _method, path, _expected, _body in GET_ROWS:
            url = path.format(**ctx)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            assert writes_in(captured.captured_queries) == [], (role, url)
    after = row_counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert {t: c for t, c in changed.items() if t not in EXEMPT} == {}


def test_no_page_view_writes(ctx, client, coordinator, crew_user, school_user):
    users = {"coordinator": coordinator, "crew": crew_user, "school": school_user}
    before = row_counts()
    for role, urls in PAGES.items():
        client.force_login(users[role])
        for path in urls:
            url = path.format(**ctx)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code < 500, (role, url)
            assert writes_in(captured.captured_queries) == [], (role, url)
    after = row_counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert {t: c for t, c in changed.items() if t not in EXEMPT} == {}


def test_the_check_sees_a_write(ctx):
    from bookings.models import Booking

    with CaptureQueriesContext(connection) as captured:
        Booking.objects.filter(pk=ctx["packing_booking"]).update(site_notes="x")
    assert writes_in(captured.captured_queries)


def test_the_plan_page_showing_its_jobs_writes_nothing(ctx, client, coordinator, settings):
    """The plan page starts jobs on POST only; showing a job (queued, running, done) only reads."""
    from backend.pages.planning import board_period
    from routes import jobs
    from routes.models import PlanJob

    settings.TW_PLAN_JOBS = "manual"
    first, last, _previous, _following = board_period(dt.date(2027, 3, 8), "week")
    started = [
        jobs.plan_job_start(
            acting_user=coordinator,
            wagons=[ctx["wagon_obj"]],
            date_from=first,
            date_to=last,
            commit=commit,
            allow_moves=False,
        )
        for commit in (False, False, True)
    ]
    jobs.plan_job_run(started[1].pk)
    client.force_login(coordinator)
    before = row_counts()
    for job in started:
        url = f"/planning/plan/?wagon={ctx['wagon']}&start={first}&job={job.pk}"
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        assert writes_in(captured.captured_queries) == [], url
    after = row_counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert {t: c for t, c in changed.items() if t not in EXEMPT} == {}
    shown = PlanJob.objects.filter(pk__in=[j.pk for j in started]).order_by("pk")
    assert [j.status for j in shown] == ["queued", "done", "queued"]
