"""Programme isolation in the pages (issue 14), beyond the matrix's one row per URL: what a crew
member or coordinator of programme B sees of programme A on the day sheet, the board, the queue
and the inventory page; another programme's id in a page form is refused and not acted on; the
funder reaches only the reach report; a coordinator of no programme gets empty pages."""

import datetime as dt
import io

import pytest
import time_machine
from PIL import Image

from bookings import services
from bookings.models import Booking, WaitingEntry
from inventory.models import DefectReport, Item
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    ConsumableFactory,
    DepotFactory,
    ItemFactory,
    KitTypeFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    default_programme,
    make_user,
)
from tests.pages.portal_world import NOW, build_world
from tests.pages.test_school_portal import form_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)  # a Monday


class Side:
    """One programme's depot, wagon, school, workshop, kit, users and a visit today."""

    def __init__(self, programme, name: str, kit_type):
        self.programme = programme
        self.depot = DepotFactory(name=f"Depot {name}", programme=programme)
        self.wagon = WagonFactory(name=f"Wagen {name}", depot=self.depot)
        self.school = SchoolFactory(name=f"School {name}", depot=self.depot)
        self.workshop = WorkshopFactory(name=f"Workshop {name}", programme=programme)
        self.item = ItemFactory(
            asset_tag=f"{name.upper()}-1",
            kit_type=kit_type,
            depot=self.depot,
        )
        self.defect = ItemFactory(
            asset_tag=f"{name.upper()}-KAPOT",
            kit_type=self.item.kit_type,
            depot=self.depot,
            status=Item.Status.DEFECT,
        )
        ConsumableFactory(name=f"Lijm {name}", depot=self.depot, stock=1, reorder_level=5)
        self.coordinator = make_user(f"coord-{name}", "coordinator", programmes=[programme])
        self.crew = make_user(f"crew-{name}", "crew", programmes=[programme])
        self.visit = self._booking(TODAY + dt.timedelta(days=1), confirm=True)
        self.request = self._booking(TODAY + dt.timedelta(days=2), confirm=False)

    def _booking(self, day, *, confirm: bool) -> Booking:
        booking = BookingFactory(school=self.school, wagon=self.wagon, date=day)
        BookingSessionFactory(booking=booking, workshop=self.workshop, pupils=12)
        if confirm:
            services.booking_set_status(
                booking=booking, status="confirmed", acting_user=self.coordinator
            )
        return booking


@pytest.fixture
def sides(db):
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False):
        kit_type = KitTypeFactory(name="Isolatie-robot")
        a = Side(default_programme(), "Rotterdam", kit_type)
        b = Side(ProgrammeFactory(name="Deventer-Twello"), "Twello", kit_type)
        yield a, b


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_the_day_sheet_shows_only_the_crews_programme(client, sides):
    a, b = sides
    status, body = page(client, b.crew, "/crew/")
    assert status == 200
    assert "School Twello" in body and "School Rotterdam" not in body
    status, body = page(client, a.crew, "/crew/")
    assert "School Rotterdam" in body and "School Twello" not in body


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_board_queue_inventory_and_waiting_list_show_only_the_coordinators_programme(client, sides):
    a, b = sides
    WaitingEntry.objects.create(
        school=a.school,
        dates=[(TODAY + dt.timedelta(days=3)).isoformat()],
        sessions=[],
        contact_name="J. de Vries",
        contact_email="j@school.nl",
    )
    for url in (
        "/planning/",
        "/planning/board/",
        "/planning/board/?span=month",
        "/planning/inventory/",
        "/planning/waiting-list/",
        f"/planning/plan/?wagon={a.wagon.pk}",
    ):
        status, body = page(client, b.coordinator, url)
        assert status == 200, url
        for seen in ("Rotterdam", a.request.reference, a.visit.reference, "ROTTERDAM-KAPOT"):
            assert seen not in body, (url, seen)
    status, body = page(client, b.coordinator, "/planning/")
    assert b.request.reference in body
    status, body = page(client, b.coordinator, "/planning/board/")
    assert b.visit.reference in body and "Wagen Twello" in body
    status, body = page(client, b.coordinator, "/planning/inventory/")
    assert "TWELLO-KAPOT" in body and "Lijm Twello" in body


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_another_programmes_visit_and_request_are_not_found_and_not_acted_on(client, sides):
    a, b = sides
    client.force_login(b.coordinator)
    assert client.get(f"/planning/visits/{a.request.pk}/").status_code == 404
    assert client.post(f"/planning/bookings/{a.request.pk}/confirm/").status_code == 404
    assert client.post(f"/planning/visits/{a.visit.pk}/cancel/", {"reason": "x"}).status_code == 404
    a.request.refresh_from_db()
    a.visit.refresh_from_db()
    assert a.request.status == "requested" and a.visit.status == "confirmed"
    # B's own visit onto A's wagon: "not offered", the visit stays where it is.
    response = client.post(
        f"/planning/visits/{b.visit.pk}/move/",
        {"date": b.visit.date.isoformat(), "wagon": a.wagon.pk},
        follow=True,
    )
    assert "Kies een wagen uit de lijst." in response.content.decode()
    b.visit.refresh_from_db()
    assert b.visit.wagon_id == b.wagon.pk
    client.force_login(b.crew)
    assert client.get(f"/crew/visits/{a.visit.pk}/").status_code == 404
    day = a.visit.date.isoformat()
    assert client.get(f"/crew/days/{a.wagon.pk}/{day}/").status_code == 404
    assert client.get(f"/crew/days/{b.wagon.pk}/{b.visit.date.isoformat()}/").status_code == 200


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "foto.png"
    return buffer


def test_another_depots_crew_cannot_open_or_report_a_defect_with_a_photo(
    client, sides, settings, tmp_path
):
    """Issue 17: another depot's crew → 404 on the photo upload; nothing written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    a, b = sides
    client.force_login(b.crew)
    tag = a.item.asset_tag
    assert client.get(f"/crew/items/{tag}/").status_code == 404
    response = client.post(f"/crew/items/{tag}/", {"note": "Lens gebarsten", "photo": _png()})
    assert response.status_code == 404
    a.item.refresh_from_db()
    assert a.item.status == Item.Status.AVAILABLE
    assert not DefectReport.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))
    # A's own crew reports it; B's crew still cannot see the photo.
    client.force_login(a.crew)
    assert client.post(f"/crew/items/{tag}/", {"note": "x", "photo": _png()}).status_code == 302
    report = DefectReport.objects.get()
    client.force_login(b.crew)
    assert client.get(f"/crew/items/{tag}/photos/{report.pk}/").status_code == 404
    client.force_login(a.crew)
    photo = client.get(f"/crew/items/{tag}/photos/{report.pk}/")
    assert photo.status_code == 200
    b"".join(photo.streaming_content)


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_a_coordinator_of_no_programme_sees_empty_pages_not_errors(client, sides):
    a, _b = sides
    lonely = make_user("lonely", "coordinator", programmes=[])
    for url in (
        "/planning/",
        "/planning/board/",
        "/planning/board/?span=month",
        "/planning/plan/",
        "/planning/inventory/",
        "/planning/waiting-list/",
        "/planning/reach/",
        "/crew/",
    ):
        status, body = page(client, lonely, url)
        assert status == 200, url
        assert "Rotterdam" not in body and "Twello" not in body, url
    assert client.get(f"/planning/visits/{a.visit.pk}/").status_code == 404
    assert client.get(f"/crew/items/{a.item.asset_tag}/").status_code == 404


FUNDER_FORBIDDEN = [
    "/planning/",
    "/planning/board/",
    "/planning/plan/",
    "/planning/inventory/",
    "/planning/waiting-list/",
    "/crew/",
    "/crew/items/X-1/",
    "/school/",
    "/school/bookings/",
]


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_the_funder_reaches_the_reach_page_and_nothing_else(client, sides):
    a, b = sides
    funder = make_user("funder", "funder")
    client.force_login(funder)
    landing = client.get("/")
    assert landing.status_code == 302 and landing["Location"] == "/planning/reach/"
    response = client.get("/planning/reach/?year=2026&planned=true&group_by=school")
    assert response.status_code == 200
    body = response.content.decode()
    # Every programme side by side; the sub-navigation offers only the report.
    assert "School Rotterdam" in body and "School Twello" in body
    assert 'href="/planning/board/"' not in body
    for url in FUNDER_FORBIDDEN:
        assert client.get(url).status_code == 403, url
    for url in (
        f"/planning/bookings/{a.request.pk}/confirm/",
        f"/planning/visits/{a.visit.pk}/cancel/",
        "/planning/plan/propose/",
    ):
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    a.request.refresh_from_db()
    assert a.request.status == "requested"


def test_the_funder_logs_in_onto_the_reach_page(client, db):
    make_user("funder", "funder")
    response = client.post("/accounts/login/", {"username": "funder", "password": "pw-test-123"})
    assert response.status_code == 302 and response["Location"] == "/planning/reach/"


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_the_reach_page_counts_only_the_coordinators_programme(client, sides):
    a, b = sides
    status, body = page(client, b.coordinator, "/planning/reach/?year=2026&planned=true")
    assert status == 200
    status, body = page(
        client, b.coordinator, "/planning/reach/?year=2026&planned=true&group_by=school"
    )
    assert "School Twello" in body and "School Rotterdam" not in body


# ---------------------------------------------------------------- the school portal's forms


@pytest.fixture
def portal(db):
    """The portal world (programme A) and a school of programme B with its own workshop."""
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        programme_b = ProgrammeFactory(name="Deventer-Twello")
        depot = DepotFactory(name="Depot Twello", programme=programme_b)
        WagonFactory(depot=depot)
        school_b = SchoolFactory(name="School Twello", depot=depot, school_types=["po"])
        WorkshopFactory(name="Workshop Twello", programme=programme_b, school_types=["po"])
        teacher_b = make_user("teacher-b", "school", school=school_b)
        yield world, school_b, teacher_b


@time_machine.travel(NOW, tick=False)
def test_a_school_cannot_book_another_programmes_workshop(client, portal):
    world, school_b, teacher_b = portal
    client.force_login(teacher_b)
    page_body = client.get("/school/book/").content.decode()
    assert "Workshop Twello" in page_body and world.robot_workshop.name not in page_body
    response = client.post("/school/book/", form_data(world))
    assert response.status_code == 400
    assert not Booking.objects.filter(school=school_b).exists()
    home = client.get("/school/").content.decode()
    assert world.robot_workshop.name not in home


@time_machine.travel(NOW, tick=False)
def test_a_school_cannot_join_the_waiting_list_with_another_programmes_workshop(client, portal):
    world, school_b, teacher_b = portal
    client.force_login(teacher_b)
    response = client.post(
        "/school/waiting-list/",
        {
            "date": "2026-12-08",
            "workshop": world.robot_workshop.pk,
            "group_label": "groep 7",
            "school_type": "po",
            "year": "7",
            "pupils": "20",
            "start_time": "09:00",
        },
    )
    assert response.status_code == 400
    assert "workshop" in response.context["form"].errors
    assert not WaitingEntry.objects.filter(school=school_b).exists()


@time_machine.travel(dt.datetime(2026, 11, 23, 8, 0), tick=False)
def test_scoped_pages_keep_their_query_count(client, sides):
    """The queue, board, day sheet and inventory ask as many queries for many visits as for a
    few, whichever programme they belong to."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = sides
    client.force_login(b.coordinator)
    urls = ["/planning/", "/planning/board/", "/planning/inventory/", "/crew/"]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    few = counts()
    for side in (a, b):
        for n in range(12):
            side._booking(TODAY + dt.timedelta(days=1 + n % 4), confirm=False)
    assert counts() == few
