"""/api/v1/routes/: read, create, reorder, add and remove stops, delete, history; feed and PDFs."""

import datetime as dt
import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from routes.models import Route
from routes.services import route_create
from tests.factories import BookingFactory
from tests.routes.helpers import MONDAY, World

pytestmark = pytest.mark.django_db

URL = "/api/v1/routes/"


@pytest.fixture
def world():
    return World(max_visits=3)


@pytest.fixture
def route(world):
    first = world.booking(0, start=dt.time(9, 0))
    second = world.booking(1, start=dt.time(13, 0))
    return route_create(
        wagon=world.wagon, date=MONDAY, booking_ids=[first.pk, second.pk], acting_user=None
    )


def stop_ids(data):
    return [s["booking"] for s in data["stops"]]


def test_crew_reads_routes_with_times(crew_client, route):
    response = crew_client.get(f"{URL}{route.pk}/")
    assert response.status_code == 200
    data = response.data
    assert data["wagon"] == route.wagon_id and data["date"] == str(MONDAY)
    assert data["feasible"] is True and data["problems"] == []
    first = data["stops"][0]
    assert set(first) >= {
        "booking", "position", "arrive", "start", "end", "depart",
        "drive_minutes_from_previous", "km_from_previous",
    }  # fmt: skip
    assert data["total_km"] > 0 and data["total_drive_minutes"] > 0


def test_school_users_get_403(school_client, route):
    assert school_client.get(URL).status_code == 403
    assert school_client.get(f"{URL}{route.pk}/").status_code == 403


def test_the_list_has_a_fixed_query_count(coordinator_client, world, django_assert_max_num_queries):
    def add_day(offset):
        day = MONDAY + dt.timedelta(days=offset)
        bookings = [
            world.booking(i, date=day, start=dt.time(9 + 4 * j, 0), status="confirmed")
            for j, i in enumerate((offset % 4, offset % 4 + 2))
        ]
        route_create(
            wagon=world.wagon, date=day, booking_ids=[b.pk for b in bookings], acting_user=None
        )

    add_day(0)
    with django_assert_max_num_queries(19) as few:
        assert len(coordinator_client.get(URL).data["results"]) == 1
    for offset in range(1, 5):
        add_day(offset)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(coordinator_client.get(URL).data["results"]) == 5


def test_filters_by_wagon_and_dates(crew_client, route, world):
    assert crew_client.get(URL, {"wagon": route.wagon_id}).data["count"] == 1
    assert crew_client.get(URL, {"date_from": "2027-03-09"}).data["count"] == 0
    assert crew_client.get(URL, {"date": str(MONDAY)}).data["count"] == 1


def test_coordinator_creates_a_route(coordinator_client, world):
    booking = world.booking(2)
    response = coordinator_client.post(
        URL, {"wagon": world.wagon.pk, "date": str(MONDAY), "bookings": [booking.pk]}, format="json"
    )
    assert response.status_code == 201, response.data
    assert stop_ids(response.data) == [booking.pk]
    again = coordinator_client.post(
        URL, {"wagon": world.wagon.pk, "date": str(MONDAY)}, format="json"
    )
    assert again.status_code == 409 and again.data["code"] == "route_exists"


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2027-03-08"},
        {"wagon": 99999, "date": "2027-03-08"},
        {"wagon": "x", "date": "2027-03-08"},
        {"date": "2027-02-30"},
        {"bookings": "1,2"},
        {"bookings": [10**12]},
    ],
)
def test_create_rejects_bad_input(coordinator_client, world, body):
    if "wagon" not in body and body.get("date") != "2027-03-08":
        body = {**body, "wagon": world.wagon.pk}
    assert coordinator_client.post(URL, body, format="json").status_code == 400
    assert Route.objects.count() == 0


def test_a_booking_of_another_date_or_twice_is_refused(coordinator_client, route, world):
    elsewhere = world.booking(3, date=MONDAY + dt.timedelta(days=1))
    response = coordinator_client.post(
        f"{URL}{route.pk}/add-stop/", {"booking": elsewhere.pk}, format="json"
    )
    assert response.status_code == 409 and response.data["code"] == "wrong_date"
    on_route = route.stops.first().booking_id
    response = coordinator_client.post(
        URL,
        {"wagon": world.wagons[0].pk, "date": "2027-03-08", "bookings": [on_route]},
        format="json",
    )
    assert response.status_code == 409  # the wagon already has a route that day
    cancelled = world.booking(4, status="cancelled")
    response = coordinator_client.post(
        f"{URL}{route.pk}/add-stop/", {"booking": cancelled.pk}, format="json"
    )
    assert response.status_code == 409 and response.data["code"] == "booking_inactive"
    assert route.stops.count() == 2


def test_reorder_shows_the_overlap_and_records_history(coordinator_client, coordinator, route):
    first, second = route.stops.order_by("position").values_list("booking_id", flat=True)
    response = coordinator_client.post(
        f"{URL}{route.pk}/reorder/", {"bookings": [second, first]}, format="json"
    )
    assert response.status_code == 200
    assert stop_ids(response.data) == [second, first]
    assert response.data["feasible"] is False
    assert {p["code"] for p in response.data["problems"]} == {"overlap"}
    bad = coordinator_client.post(f"{URL}{route.pk}/reorder/", {"bookings": [first]}, format="json")
    assert bad.status_code == 400
    history = coordinator_client.get(f"{URL}{route.pk}/history/")
    assert history.status_code == 200
    from routes.models import RouteStop

    moved = RouteStop.history.filter(booking_id=second).first()
    assert moved.position == 0 and moved.history_user == coordinator


def test_add_and_remove_a_stop(coordinator_client, route, world):
    middle = world.booking(2, start=dt.time(11, 15), pupils=6)
    response = coordinator_client.post(
        f"{URL}{route.pk}/add-stop/", {"booking": middle.pk, "position": 1}, format="json"
    )
    assert response.status_code == 200, response.data
    assert stop_ids(response.data)[1] == middle.pk
    response = coordinator_client.post(
        f"{URL}{route.pk}/remove-stop/", {"booking": middle.pk}, format="json"
    )
    assert response.status_code == 200 and middle.pk not in stop_ids(response.data)
    again = coordinator_client.post(
        f"{URL}{route.pk}/remove-stop/", {"booking": middle.pk}, format="json"
    )
    assert again.status_code == 409 and again.data["code"] == "not_on_route"


def test_adding_a_booking_of_another_wagon_moves_it_to_this_wagon(coordinator_client):
    two = World(wagons=2)
    booking = two.booking(0, wagon=two.wagons[1])
    route = route_create(wagon=two.wagons[0], date=MONDAY, booking_ids=[], acting_user=None)
    response = coordinator_client.post(
        f"{URL}{route.pk}/add-stop/", {"booking": booking.pk}, format="json"
    )
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.wagon == two.wagons[0]


def test_crew_cannot_edit(crew_client, route):
    assert (
        crew_client.post(f"{URL}{route.pk}/reorder/", {"bookings": []}, format="json").status_code
        == 403
    )
    assert crew_client.delete(f"{URL}{route.pk}/").status_code == 403


def test_delete_keeps_history(coordinator_client, route):
    assert coordinator_client.delete(f"{URL}{route.pk}/").status_code == 204
    assert not Route.objects.exists()
    assert Route.history.filter(id=route.pk, history_type="-").exists()


def test_day_sheet_pdf_is_dutch_with_stops_and_driving(crew_client, route):
    response = crew_client.get(f"{URL}{route.pk}/day-sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Dagblad maandag 8 maart 2027" in text
    assert "Melanchthon Kralingen" in text and "Vak College Hillegersberg" in text
    assert "Vertrek depot" in text and "Rijden:" in text and "Paklijst" in text
    assert "08:15" in text  # arrival at the first stop


def test_packing_list_of_the_route(crew_client, world):
    confirmed = world.booking(0, status="confirmed")
    route = route_create(
        wagon=world.wagon, date=MONDAY, booking_ids=[confirmed.pk], acting_user=None
    )
    response = crew_client.get(f"{URL}{route.pk}/packing-list/")
    assert response.status_code == 200
    assert response.data["route"] == route.pk
    assert {"kit_type": world.bot.pk, "quantity": 8} in [
        {"kit_type": k["kit_type"], "quantity": k["quantity"]} for k in response.data["kit"]
    ]
    pdf = crew_client.get(f"{URL}{route.pk}/packing-list.pdf")
    assert pdf.status_code == 200
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Paklijst wagendag" in text and "Blue-Bot test" in text


def test_unknown_route_is_404(crew_client):
    assert crew_client.get(f"{URL}999999/").status_code == 404
    assert crew_client.get(f"{URL}999999/day-sheet.pdf").status_code == 404


def test_the_wagon_feed_has_one_event_per_stop_and_falls_back_for_other_visits(crew_client, world):
    on_route = world.booking(0, status="confirmed")
    off_route = world.booking(1, status="confirmed", date=MONDAY + dt.timedelta(days=1))
    route_create(wagon=world.wagon, date=MONDAY, booking_ids=[on_route.pk], acting_user=None)
    response = crew_client.get(f"/api/v1/wagons/{world.wagon.pk}/calendar.ics")
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    stop = next(e for e in events if str(e["summary"]).startswith("Stop 1"))
    assert stop.decoded("dtstart").strftime("%H:%M") == "08:15"
    assert stop.decoded("dtend").strftime("%H:%M") == "11:00"
    assert str(stop.decoded("dtstart").tzinfo) == "Europe/Amsterdam"
    assert "Kralingse Plaslaan" in str(stop["location"])
    assert any(off_route.reference in str(e["summary"]) for e in events)


def test_school_users_cannot_read_the_wagon_feed(school_client, world):
    assert school_client.get(f"/api/v1/wagons/{world.wagon.pk}/calendar.ics").status_code == 403


def test_bookings_not_on_the_route_date_show_as_a_problem(coordinator_client, world):
    booking = BookingFactory(school=world.schools[0], wagon=world.wagon, date=MONDAY)
    route = route_create(wagon=world.wagon, date=MONDAY, booking_ids=[booking.pk], acting_user=None)
    booking.date = MONDAY + dt.timedelta(days=1)
    booking.save()
    data = coordinator_client.get(f"{URL}{route.pk}/").data
    assert "wrong_date" in {p["code"] for p in data["problems"]}
