"""Every operation answers in the shape its OpenAPI schema documents, checked with real rows
(the fuzzing in test_schema_fuzz.py mostly reaches 400/404; this walks the successful paths):
every GET of the schema, and the writes with valid bodies, validated by schemathesis'
`response_schema_conformance`."""

import datetime as dt
import uuid

import pytest
import time_machine
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bookings.packing.models import PackingLine
from tests import factories
from tests.test_schema_fuzz import _openapi, schema, wsgi_in_test_transaction  # noqa: F401

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance]
VISIT_DAY = dt.date(2027, 3, 9)
NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


class World:
    def __init__(self):
        self.depot = factories.DepotFactory()
        self.kit_type = factories.KitTypeFactory()
        self.case = factories.CaseFactory(depot=self.depot)
        self.consumable = factories.ConsumableFactory()
        self.wagon = factories.WagonFactory(depot=self.depot)
        self.item = factories.ItemFactory(kit_type=self.kit_type, depot=self.depot, case=self.case)
        for _ in range(6):
            factories.ItemFactory(kit_type=self.kit_type, depot=self.depot)
        self.standard = factories.StandardEquipmentFactory(kit_type=self.kit_type)
        factories.StandardEquipmentFactory(consumable=self.consumable)
        self.school = factories.SchoolFactory(depot=self.depot)
        self.workshop = factories.WorkshopFactory()
        factories.KitRuleFactory(workshop=self.workshop, kit_type=self.kit_type)
        factories.ConsumableRuleFactory(workshop=self.workshop, consumable=self.consumable)
        self.blackout = factories.BlackoutFactory()
        self.booking = self.visit(confirmed=True)
        self.requested = self.visit(start=dt.time(13, 0))
        from routes.services import route_create

        self.route = route_create(
            wagon=self.wagon, date=VISIT_DAY, booking_ids=[self.booking.pk], acting_user=None
        )
        from bookings.models import WaitingEntry

        self.waiting = WaitingEntry.objects.create(
            school=self.school,
            dates=[VISIT_DAY.isoformat()],
            sessions=[
                {
                    "workshop": self.workshop.pk,
                    "group_label": "groep 6",
                    "school_type": "po",
                    "year": 6,
                    "pupils": 4,
                    "start_time": "10:00",
                }
            ],
            contact_name="J. de Vries",
            contact_email="j.devries@school.nl",
        )
        from onboarding.services import access_request_create

        self.access_request = access_request_create(
            name="J. de Vries", email="leraar@school.nl", brin=self.school.brin
        )
        self.partner, self.participation, self.feedback = _impact_rows(self.school, self.booking)
        _instance, self.token = AuthToken.objects.create(
            user=factories.make_user("conformance", "coordinator")
        )

    def visit(self, *, confirmed=False, start=dt.time(9, 0)):
        from bookings import services

        booking = factories.BookingFactory(school=self.school, wagon=self.wagon, date=VISIT_DAY)
        factories.BookingSessionFactory(
            booking=booking, workshop=self.workshop, pupils=4, start_time=start
        )
        if confirmed:
            services.booking_confirm(booking=booking, acting_user=None, send_email=False)
        return booking

    def ids(self) -> dict:
        return {
            "blackouts": self.blackout.pk,
            "bookings": self.booking.pk,
            "cases": self.case.pk,
            "consumables": self.consumable.pk,
            "depots": self.depot.pk,
            "items": self.item.pk,
            "kit-types": self.kit_type.pk,
            "programmes": self.depot.programme_id,
            "routes": self.route.pk,
            "schools": self.school.pk,
            "standard-equipment": self.standard.pk,
            "wagons": self.wagon.pk,
            "workshops": self.workshop.pk,
            "waiting-list": self.waiting.pk,
            "access-requests": self.access_request.pk,
            "partners": self.partner.pk,
            "participations": self.participation.pk,
            "feedback": self.feedback.pk,
        }


def _impact_rows(school, booking):
    """A partner with a participation and a teacher's response (issue 18)."""
    from feedback.models import FeedbackResponse
    from partners import services

    partner = services.partner_create(
        programme=school.programme, name="Conformance BV", kvk_number="12345678", acting_user=None
    )
    participation = services.participation_add(
        booking=booking, partner=partner, kind="sponsor", hours=2, acting_user=None
    )
    feedback = FeedbackResponse.objects.create(
        booking=booking,
        workshop_rating=4,
        crew_rating=4,
        organisation_rating=4,
        enthusiasm=4,
        book_again=True,
    )
    return partner, participation, feedback


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield World()


def call(
    world, method, path, pid=None, body=None, query=None, headers=None, expect=None, name="id"
):
    operation = schema[path][method]
    kwargs = {"path_parameters": {name: pid}} if pid is not None else {}
    if path in PATH_PARAMETERS:
        kwargs = {"path_parameters": PATH_PARAMETERS[path](world)}
    if body is not None:
        kwargs.update(body=body, media_type="application/json")
    case = operation.Case(query=query, **kwargs)
    response = case.call(headers={"Authorization": f"Token {world.token}", **(headers or {})})
    assert response.status_code == (expect or response.status_code), response.text[:500]
    if expect is None:
        assert response.status_code < 400, (method, path, response.text[:500])
    case.validate_response(response, checks=CHECKS)
    return response


QUERIES = {
    "/api/v1/availability/": lambda w: {
        "school": w.school.pk,
        "date_from": "2027-03-01",
        "date_to": "2027-03-12",
        "workshop": w.workshop.pk,
        "pupils": 10,
    },
    "/api/v1/reports/reach/": lambda w: {"date_from": "2027-01-01", "date_to": "2027-12-31"},
    "/api/v1/items/labels.pdf": lambda w: {"item": w.item.pk},
}
# Paths whose parameters are not one `{id}`.
PATH_PARAMETERS = {
    "/api/v1/wagon-days/{wagon_id}/{date}/": lambda w: {
        "wagon_id": w.wagon.pk,
        "date": VISIT_DAY.isoformat(),
    },
}


@pytest.mark.usefixtures("wsgi_in_test_transaction")
def test_every_get_answers_in_its_documented_shape(world):
    ids = world.ids()
    with time_machine.travel(NOW, tick=False):
        for path, operations in _openapi()["paths"].items():
            if "get" not in operations:
                continue
            if "{job_id}" in path:  # a planning job of this coordinator (inline in tests)
                plan = {"date_from": "2027-03-08", "date_to": "2027-03-12"}
                job = call(world, "POST", "/api/v1/routes/plan/", None, plan).json()["id"]
                call(world, "GET", path, job, name="job_id")
                continue
            pid = ids[path.split("/")[3]] if "{id}" in path else None
            query = QUERIES.get(path, lambda _w: None)(world)
            call(world, "GET", path, pid, query=query)


def _line(booking, kind) -> int:
    return PackingLine.objects.filter(packing_list__booking=booking, kind=kind).first().pk


@pytest.mark.usefixtures("wsgi_in_test_transaction")
def test_writes_answer_in_their_documented_shape(world):
    w = world
    session = {
        "workshop": w.workshop.pk,
        "group_label": "groep 6",
        "school_type": "po",
        "year": 6,
        "pupils": 6,
        "start_time": "13:00",
    }
    with time_machine.travel(NOW, tick=False):
        call(w, "POST", "/api/v1/items/{id}/report-defect/", w.item.pk, {"note": "kapot"})
        call(w, "POST", "/api/v1/items/{id}/maintenance/", w.item.pk, {})
        call(w, "POST", "/api/v1/items/{id}/repair/", w.item.pk, {"note": "ok"})
        call(w, "PATCH", "/api/v1/items/{id}/", w.item.pk, {"notes": "x"})
        call(w, "POST", "/api/v1/consumables/{id}/adjust/", w.consumable.pk, {"delta": "5"})
        invite = {"email": "nieuw@school.nl", "name": "N. Nieuw"}
        call(w, "POST", "/api/v1/schools/{id}/invite/", w.school.pk, invite)
        call(w, "POST", "/api/v1/access-requests/{id}/approve/", w.access_request.pk, {})
        call(w, "PATCH", "/api/v1/consumables/{id}/", w.consumable.pk, {"reorder_level": 3})
        call(w, "PATCH", "/api/v1/schools/{id}/", w.school.pk, {"site_notes": "Hek B"})
        call(w, "PATCH", "/api/v1/wagons/{id}/", w.wagon.pk, {"max_visits_per_day": 3})
        call(
            w,
            "PATCH",
            "/api/v1/workshops/{id}/",
            w.workshop.pk,
            {"kit_rules": [{"kit_type": w.kit_type.pk, "fixed": 1}]},
        )
        call(w, "PUT", "/api/v1/bookings/{id}/sessions/", w.requested.pk, {"sessions": [session]})
        call(w, "POST", "/api/v1/bookings/{id}/confirm/", w.requested.pk)
        call(w, "GET", "/api/v1/bookings/{id}/packing-list/", w.booking.pk)  # builds the list
        for kind in ("item", "consumable", "standard"):
            body = {
                "action": "pack",
                "line": _line(w.booking, kind),
                "client_id": str(uuid.uuid4()),
            }
            call(w, "POST", "/api/v1/bookings/{id}/packing-list/check/", w.booking.pk, body)
        route = w.route.pk
        call(w, "POST", "/api/v1/routes/{id}/add-stop/", route, {"booking": w.requested.pk})
        order = {"bookings": [w.requested.pk, w.booking.pk]}
        call(w, "POST", "/api/v1/routes/{id}/reorder/", route, order)
        call(w, "POST", "/api/v1/routes/{id}/remove-stop/", route, {"booking": w.requested.pk})
        call(w, "POST", "/api/v1/bookings/{id}/arrive/", w.booking.pk)
        body = {
            "action": "return",
            "line": _line(w.booking, "consumable"),
            "condition": "ok",
            "used_quantity": "2.5",
            "client_id": str(uuid.uuid4()),
        }
        call(w, "POST", "/api/v1/bookings/{id}/packing-list/check/", w.booking.pk, body)
        call(w, "GET", "/api/v1/routes/{id}/packing-list/", route)
        plan = {"date_from": "2027-03-08", "date_to": "2027-03-12"}
        call(w, "POST", "/api/v1/routes/plan/", None, plan)
        call(w, "POST", "/api/v1/bookings/{id}/cancel/", w.requested.pk, {"reason": "ziek"})


@pytest.mark.usefixtures("wsgi_in_test_transaction")
def test_a_stale_if_match_answers_the_documented_412(world):
    url = "/api/v1/items/{id}/"
    [etag] = call(world, "PATCH", url, world.item.pk, {"notes": "x"}).headers["etag"]
    call(world, "PATCH", url, world.item.pk, {"notes": "y"})
    stale = {"If-Match": etag}
    refused = call(world, "PATCH", url, world.item.pk, {"notes": "z"}, headers=stale, expect=412)
    assert refused.json()["code"] == "precondition_failed"


def test_etag_if_match_and_412_are_documented():
    paths = _openapi()["paths"]
    patch = paths["/api/v1/items/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert "412" in patch["responses"]
    assert "ETag" in patch["responses"]["200"]["headers"]
    assert "ETag" in paths["/api/v1/bookings/{id}/"]["get"]["responses"]["200"]["headers"]
    assert "412" in paths["/api/v1/bookings/{id}/sessions/"]["put"]["responses"]
    assert "put" not in paths["/api/v1/bookings/{id}/"]  # always 405: not documented
    assert "ETag" not in paths["/api/v1/items/"]["get"]["responses"]["200"].get("headers", {})
