"""Programmes through the API: who reads which programme, `programme` on the rows it owns, and
ids of another programme in a request body (400) — issue 14. The full URL-by-URL isolation
matrix is tests/test_programme_isolation.py."""

import pytest

from bookings.models import Booking, School, Workshop
from inventory.models import Depot
from programmes.models import Programme
from routes.models import Route
from tests.bookings.conftest import VISIT_DAY, booking_payload
from tests.conftest import _client_for
from tests.factories import (
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


@pytest.fixture
def other(db):
    """Programme B with a depot, wagon, school and workshop of its own, and its coordinator."""
    programme = ProgrammeFactory(name="Deventer-Twello", project_code="STO18071")
    depot = DepotFactory(name="Depot Deventer", programme=programme)
    return {
        "programme": programme,
        "depot": depot,
        "wagon": WagonFactory(depot=depot),
        "school": SchoolFactory(depot=depot, brin="30AA00", city="Deventer"),
        "workshop": WorkshopFactory(programme=programme, name="VR in Deventer"),
        "coordinator": _client_for(make_user("coord_b", "coordinator", programmes=[programme])),
    }


@pytest.mark.django_db
def test_members_read_their_own_programme_only(
    coordinator_client, crew_client, school_client, other
):
    mine = default_programme()
    for client in (coordinator_client, crew_client, school_client):
        response = client.get("/api/v1/programmes/")
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [row["id"] for row in rows] == [mine.pk]
        assert rows[0]["project_code"] == "STO18065"
        assert rows[0]["liberation_day"] == "every_year"
        assert client.get(f"/api/v1/programmes/{other['programme'].pk}/").status_code == 404
    response = other["coordinator"].get("/api/v1/programmes/")
    assert [row["id"] for row in response.json()["results"]] == [other["programme"].pk]


@pytest.mark.django_db
def test_the_funder_reads_every_programme_without_contact_details(other):
    mine = default_programme()
    mine.contact_name, mine.contact_email = "Jan Jansen", "jan@sto.example"
    mine.save()
    funder = _client_for(make_user("fonds", "funder"))
    response = funder.get("/api/v1/programmes/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["id"] for row in rows} == {mine.pk, other["programme"].pk}
    assert "Jan Jansen" not in response.content.decode()
    assert all("contact_email" not in row for row in rows)
    assert funder.post("/api/v1/programmes/", {"name": "x"}, format="json").status_code == 403
    me = funder.get("/api/v1/me/").json()
    assert me["role"] == "funder"
    assert sorted(me["programmes"]) == sorted([mine.pk, other["programme"].pk])


@pytest.mark.django_db
def test_programmes_are_read_only_and_strangers_get_401(coordinator_client, anon_client):
    programme = default_programme()
    # Superusers manage programmes in the admin: a write through the API is not allowed.
    assert coordinator_client.post("/api/v1/programmes/", {}, format="json").status_code == 403
    url = f"/api/v1/programmes/{programme.pk}/"
    assert coordinator_client.patch(url, {"name": "x"}, format="json").status_code == 403
    assert anon_client.get("/api/v1/programmes/").status_code == 401


@pytest.mark.django_db
def test_me_names_the_programmes(coordinator_client, school_client, school, other):
    assert coordinator_client.get("/api/v1/me/").json()["programmes"] == [default_programme().pk]
    assert school_client.get("/api/v1/me/").json()["programmes"] == [school.programme_id]
    lonely = _client_for(make_user("nobody", "coordinator", programmes=[]))
    assert lonely.get("/api/v1/me/").json()["programmes"] == []
    assert lonely.get("/api/v1/schools/").json()["results"] == []


@pytest.mark.django_db
def test_rows_carry_their_programme(coordinator_client, school, other):
    mine = default_programme().pk
    assert coordinator_client.get(f"/api/v1/schools/{school.pk}/").json()["programme"] == mine
    workshop = WorkshopFactory()
    assert coordinator_client.get(f"/api/v1/workshops/{workshop.pk}/").json()["programme"] == mine
    rows = coordinator_client.get("/api/v1/workshops/").json()["results"]
    assert [row["programme"] for row in rows] == [mine]
    depot = coordinator_client.get(f"/api/v1/depots/{school.depot_id}/").json()
    assert depot["programme"] == mine


@pytest.mark.django_db
def test_a_new_school_goes_to_the_coordinators_only_programme(coordinator_client):
    body = {
        "name": "OBS De Vlieger",
        "brin": "40AB00",
        "address": "Schoolstraat 1",
        "postcode": "3061 AA",
        "city": "Rotterdam",
        "lat": 51.9,
        "lon": 4.5,
        "holiday_region": "midden",
    }
    response = coordinator_client.post("/api/v1/schools/", body, format="json")
    assert response.status_code == 201, response.json()
    assert School.objects.get(brin="40AB00").programme == default_programme()


@pytest.mark.django_db
def test_a_coordinator_of_two_programmes_names_one(other):
    both = _client_for(
        make_user("coord_ab", "coordinator", programmes=[default_programme(), other["programme"]])
    )
    body = {"name": "Depot Twello", "address": "Dorpsstraat 1, Twello"}
    response = both.post("/api/v1/depots/", body, format="json")
    assert response.status_code == 400
    assert "programme" in response.json()
    body["programme"] = other["programme"].pk
    response = both.post("/api/v1/depots/", body, format="json")
    assert response.status_code == 201
    assert Depot.objects.get(name="Depot Twello").programme == other["programme"]


@pytest.mark.django_db
def test_another_programmes_ids_in_a_body_are_400_and_nothing_is_written(
    coordinator_client, school, other
):
    # A depot, programme or consumable of programme B named by A's coordinator.
    before = School.objects.count(), Workshop.objects.count(), Depot.objects.count()
    body = {"name": "Depot X", "programme": other["programme"].pk}
    response = coordinator_client.post("/api/v1/depots/", body, format="json")
    assert response.status_code == 400 and "programme" in response.json()
    response = coordinator_client.patch(
        f"/api/v1/schools/{school.pk}/", {"depot": other["depot"].pk}, format="json"
    )
    assert response.status_code == 400 and "depot" in response.json()
    foreign = ConsumableFactory(depot=other["depot"])
    body = {
        "name": "Solderen",
        "duration_minutes": 60,
        "max_pupils": 20,
        "consumable_rules": [{"consumable": foreign.pk, "per_pupil": "1"}],
    }
    response = coordinator_client.post("/api/v1/workshops/", body, format="json")
    assert response.status_code == 400, response.json()
    wagon_body = {
        "name": "Wagen X",
        "plate": "XX-999-X",
        "depot": other["depot"].pk,
        "depot_address": "x",
        "depot_lat": 52,
        "depot_lon": 6,
    }
    response = coordinator_client.post("/api/v1/wagons/", wagon_body, format="json")
    assert response.status_code == 400 and "depot" in response.json()
    assert (School.objects.count(), Workshop.objects.count(), Depot.objects.count()) == before
    school.refresh_from_db()
    assert school.depot != other["depot"]


@pytest.mark.django_db
def test_a_booking_cannot_mix_programmes(coordinator_client, school, other):
    both = _client_for(
        make_user("coord_ab", "coordinator", programmes=[default_programme(), other["programme"]])
    )
    WagonFactory(depot=school.depot)
    # A's coordinator: B's workshop, wagon and school are unknown ids.
    for payload in (
        booking_payload(other["workshop"], school=school.pk),
        booking_payload(WorkshopFactory(), school=other["school"].pk),
        {**booking_payload(WorkshopFactory(), school=school.pk), "wagon": other["wagon"].pk},
    ):
        response = coordinator_client.post("/api/v1/bookings/", payload, format="json")
        assert response.status_code == 400, response.json()
    # A coordinator of both may see every id, yet a visit stays inside one programme.
    payload = booking_payload(other["workshop"], school=school.pk)
    response = both.post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400
    assert "workshop" in str(response.json())
    payload = {**booking_payload(WorkshopFactory(), school=school.pk), "wagon": other["wagon"].pk}
    response = both.post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400
    assert "wagon" in response.json()
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_route_cannot_take_another_programmes_visit(coordinator_client, other):
    from tests.factories import BookingFactory

    theirs = BookingFactory(school=other["school"], wagon=other["wagon"], status="confirmed")
    mine = WagonFactory()
    body = {"wagon": mine.pk, "date": str(theirs.date), "bookings": [theirs.pk]}
    response = coordinator_client.post("/api/v1/routes/", body, format="json")
    assert response.status_code == 400
    assert "bookings" in response.json()
    body = {"wagon": other["wagon"].pk, "date": str(theirs.date), "bookings": []}
    assert coordinator_client.post("/api/v1/routes/", body, format="json").status_code == 400
    assert not Route.objects.exists()


@pytest.mark.django_db
def test_kit_type_counts_are_of_the_users_programmes(coordinator_client, school, other):
    robot = KitTypeFactory(name="Robot")
    ItemFactory.create_batch(3, kit_type=robot, depot=school.depot)
    ItemFactory.create_batch(5, kit_type=robot, depot=other["depot"])
    row = coordinator_client.get(f"/api/v1/kit-types/{robot.pk}/").json()
    assert row["available_count"] == 3
    row = other["coordinator"].get(f"/api/v1/kit-types/{robot.pk}/").json()
    assert row["available_count"] == 5


@pytest.mark.django_db
def test_availability_of_another_programmes_school_is_404(coordinator_client, other):
    params = {"school": other["school"].pk, "date_from": VISIT_DAY, "date_to": VISIT_DAY}
    assert coordinator_client.get("/api/v1/availability/", params).status_code == 404
    assert other["coordinator"].get("/api/v1/availability/", params).status_code == 200


@pytest.mark.django_db
def test_a_programme_is_found_by_project_code(coordinator_client):
    Programme.objects.create(name="Elders", project_code="STO99999")
    # Another programme's code finds nothing; the own one finds the own programme.
    rows = coordinator_client.get("/api/v1/programmes/", {"project_code": "STO99999"}).json()
    assert rows["results"] == []
    rows = coordinator_client.get("/api/v1/programmes/", {"project_code": "STO18065"}).json()
    assert [row["name"] for row in rows["results"]] == [default_programme().name]
