"""PDF, ICS and CSV endpoints answer their errors (401/403/404/409/400) as JSON in the API's
error shape with an application/json content type — never as a "file" holding an error."""

import datetime as dt

import pytest

from tests.factories import BookingFactory, BookingSessionFactory, WagonFactory

pytestmark = pytest.mark.django_db

MISSING = 999999
PDF, ICS = "application/pdf", "text/calendar"
FILE_URLS = [
    (f"/api/v1/bookings/{MISSING}/packing-list.pdf", PDF),
    (f"/api/v1/routes/{MISSING}/day-sheet.pdf", PDF),
    (f"/api/v1/routes/{MISSING}/packing-list.pdf", PDF),
    (f"/api/v1/bookings/{MISSING}/calendar.ics", ICS),
    (f"/api/v1/wagons/{MISSING}/calendar.ics", ICS),
]
CASES = [
    (url, accept)
    for url, media_type in FILE_URLS
    for accept in (media_type, "*/*", "application/json", f"{media_type}, */*;q=0.1")
]


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"].split(";")[0] == "application/json"
    data = response.json()
    assert "detail" in data or all(isinstance(v, list) for v in data.values()), data
    return data


@pytest.mark.parametrize("url,accept", CASES)
def test_unknown_objects_are_a_json_404(coordinator_client, url, accept):
    assert_json_error(coordinator_client.get(url, HTTP_ACCEPT=accept), 404)


@pytest.mark.parametrize("url,accept", CASES)
def test_anonymous_callers_get_a_json_401(anon_client, url, accept):
    assert_json_error(anon_client.get(url, HTTP_ACCEPT=accept), 401)


@pytest.mark.parametrize("url,_media_type", FILE_URLS)
def test_an_unacceptable_accept_header_is_a_json_406(coordinator_client, url, _media_type):
    assert_json_error(coordinator_client.get(url, HTTP_ACCEPT="image/png"), 406)


def test_a_school_gets_a_json_403_for_a_day_sheet(school_client):
    wagon = WagonFactory()
    assert_json_error(
        school_client.get(f"/api/v1/wagons/{wagon.pk}/calendar.ics", HTTP_ACCEPT="text/calendar"),
        403,
    )
    assert_json_error(school_client.get(f"/api/v1/routes/{MISSING}/day-sheet.pdf"), 403)


def test_a_packing_list_pdf_that_cannot_exist_yet_is_a_json_409(coordinator_client, school):
    booking = BookingFactory(school=school, date=dt.date(2027, 3, 9), status="requested")
    BookingSessionFactory(booking=booking)
    response = coordinator_client.get(
        f"/api/v1/bookings/{booking.pk}/packing-list.pdf", HTTP_ACCEPT="application/pdf"
    )
    data = assert_json_error(response, 409)
    assert data["code"] == "not_confirmed"


@pytest.mark.parametrize("accept", ["*/*", "text/csv"])
def test_a_bad_csv_report_query_is_a_json_400(coordinator_client, accept):
    response = coordinator_client.get(
        "/api/v1/reports/reach/?format=csv&year=1", HTTP_ACCEPT=accept
    )
    assert "year" in assert_json_error(response, 400)


def test_a_csv_report_for_a_forbidden_role_is_a_json_403(crew_client):
    assert_json_error(crew_client.get("/api/v1/reports/reach/?format=csv"), 403)
