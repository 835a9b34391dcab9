"""`/api/v1/blackouts/` (API.md): closed days of a programme, a wagon or a school, scoped per
programme; a school user manages its own school's studiedagen only."""

import pytest

from bookings.models import Blackout
from tests.factories import (
    BlackoutFactory,
    DepotFactory,
    ProgrammeFactory,
    WagonFactory,
    default_programme,
    make_user,
)

URL = "/api/v1/blackouts/"
DAY = "2027-03-09"


def detail(blackout) -> str:
    return f"{URL}{blackout.pk}/"


@pytest.fixture
def other_programme(db):
    return ProgrammeFactory(name="Deventer-Twello")


@pytest.fixture
def other_wagon(other_programme):
    return WagonFactory(depot=DepotFactory(programme=other_programme))


@pytest.fixture
def other_coordinator_client(other_programme):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("coord_b", "coordinator", programmes=[other_programme]))
    return client


@pytest.fixture
def closed_days(school, other_school, other_programme):
    """The programme's (carnaval), own school's, another school's and another programme's."""
    return {
        "programme": BlackoutFactory(reason="carnaval"),
        "own": BlackoutFactory(school=school, reason="studiedag"),
        "other_school": BlackoutFactory(school=other_school, reason="studiedag andere school"),
        "other_programme": BlackoutFactory(programme=other_programme, reason="kermis"),
    }


def ids(response) -> set[int]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_lists_only_its_programmes_closed_days(coordinator_client, closed_days):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert ids(response) == {closed_days[k].pk for k in ("programme", "own", "other_school")}
    row = coordinator_client.get(detail(closed_days["own"])).json()
    assert row == {
        "id": closed_days["own"].pk,
        "wagon": None,
        "school": closed_days["own"].school_id,
        "programme": default_programme().pk,
        "date_from": "2027-03-01",
        "date_to": "2027-03-01",
        "reason": "studiedag",
    }


@pytest.mark.django_db
def test_another_programmes_blackout_is_not_found_for_a_coordinator(
    coordinator_client, closed_days
):
    theirs = closed_days["other_programme"]
    assert coordinator_client.get(detail(theirs)).status_code == 404
    assert (
        coordinator_client.patch(detail(theirs), {"reason": "x"}, format="json").status_code == 404
    )
    assert coordinator_client.delete(detail(theirs)).status_code == 404
    assert Blackout.objects.filter(pk=theirs.pk, reason="kermis").exists()


@pytest.mark.django_db
def test_a_school_user_sees_its_programmes_and_its_own_closed_days(school_client, closed_days):
    assert ids(school_client.get(URL)) == {closed_days["programme"].pk, closed_days["own"].pk}
    assert school_client.get(detail(closed_days["other_school"])).status_code == 404
    assert school_client.get(detail(closed_days["other_programme"])).status_code == 404


@pytest.mark.django_db
def test_crew_reads_but_does_not_write(crew_client, closed_days):
    assert crew_client.get(URL).status_code == 200
    assert (
        crew_client.post(URL, {"date_from": DAY, "date_to": DAY, "reason": "x"}).status_code == 403
    )
    assert crew_client.delete(detail(closed_days["programme"])).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_refused(anon_client, closed_days):
    assert anon_client.get(URL).status_code == 401


@pytest.mark.django_db
def test_the_list_has_a_fixed_query_count(
    coordinator_client, school, django_assert_max_num_queries
):
    wagon = WagonFactory(depot=school.depot)
    BlackoutFactory.create_batch(2, reason="carnaval")
    BlackoutFactory.create_batch(2, wagon=wagon)
    BlackoutFactory(school=school)
    with django_assert_max_num_queries(9) as few:
        assert len(ids(coordinator_client.get(URL, {"page_size": 100}))) == 5
    BlackoutFactory.create_batch(15, reason="carnaval")
    BlackoutFactory.create_batch(15, wagon=wagon)
    BlackoutFactory.create_batch(15, school=school)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(URL, {"page_size": 100})
    assert response.status_code == 200


# --- writing as a coordinator ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_adds_a_programme_wide_range_in_its_only_programme(coordinator_client):
    response = coordinator_client.post(
        URL, {"date_from": "2027-02-08", "date_to": "2027-02-10", "reason": "carnaval"}
    )
    assert response.status_code == 201, response.data
    assert response.data["programme"] == default_programme().pk
    assert response.data["wagon"] is None and response.data["school"] is None


@pytest.mark.django_db
def test_the_programme_follows_the_wagon(coordinator, other_programme):
    from rest_framework.test import APIClient

    # A coordinator of two programmes: the wagon says which one.
    other_programme.members.add(coordinator)
    wagon = WagonFactory(depot=DepotFactory(programme=other_programme))
    client = APIClient()
    client.force_authenticate(coordinator)
    response = client.post(
        URL, {"wagon": wagon.pk, "date_from": DAY, "date_to": DAY, "reason": "APK"}
    )
    assert response.status_code == 201, response.data
    assert response.data["programme"] == other_programme.pk
    # Without wagon or school the programme must be named...
    response = client.post(URL, {"date_from": DAY, "date_to": DAY, "reason": "x"})
    assert response.status_code == 400
    assert "programme" in response.data
    # ...and a wagon of one programme with another programme named is refused.
    response = client.post(
        URL,
        {
            "wagon": wagon.pk,
            "programme": default_programme().pk,
            "date_from": DAY,
            "date_to": DAY,
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "wagon" in response.data
    assert Blackout.objects.count() == 1


@pytest.mark.django_db
def test_another_programmes_wagon_in_the_body_is_refused(coordinator_client, other_wagon):
    response = coordinator_client.post(
        URL, {"wagon": other_wagon.pk, "date_from": DAY, "date_to": DAY, "reason": "x"}
    )
    assert response.status_code == 400
    assert "wagon" in response.data
    response = coordinator_client.post(
        URL,
        {
            "programme": other_wagon.depot.programme_id,
            "date_from": DAY,
            "date_to": DAY,
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "programme" in response.data
    assert not Blackout.objects.exists()


@pytest.mark.django_db
def test_the_other_coordinator_cannot_touch_this_programmes_closed_days(
    other_coordinator_client, closed_days
):
    assert other_coordinator_client.get(detail(closed_days["own"])).status_code == 404
    assert ids(other_coordinator_client.get(URL)) == {closed_days["other_programme"].pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"date_from": "2027-03-10", "date_to": "2027-03-09", "reason": "x"},
        {"date_from": "2027-03-09", "date_to": "2028-06-09", "reason": "x"},
        {"date_from": "gisteren", "date_to": DAY, "reason": "x"},
        {"date_from": DAY, "date_to": DAY},
        {"date_from": DAY, "date_to": DAY, "reason": "x", "wagon": 10**30},
        {"date_from": DAY, "date_to": DAY, "reason": "x", "school": "abc"},
        {"date_from": "9999-01-01", "date_to": "9999-01-01", "reason": "x"},
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(coordinator_client, body):
    response = coordinator_client.post(URL, body, format="json")
    assert response.status_code == 400, response.data
    assert not Blackout.objects.exists()


@pytest.mark.django_db
def test_wagon_and_school_together_are_refused(coordinator_client, school):
    wagon = WagonFactory(depot=school.depot)
    response = coordinator_client.post(
        URL,
        {"wagon": wagon.pk, "school": school.pk, "date_from": DAY, "date_to": DAY, "reason": "x"},
    )
    assert response.status_code == 400
    assert "school" in response.data


# --- writing as a school -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_school_enters_its_own_studiedag(school_client, school):
    response = school_client.post(URL, {"date_from": DAY, "date_to": DAY, "reason": "studiedag"})
    assert response.status_code == 201, response.data
    assert response.data["school"] == school.pk
    assert response.data["programme"] == school.programme_id
    assert response.data["wagon"] is None
    blackout = Blackout.objects.get()
    response = school_client.patch(detail(blackout), {"reason": "studiemiddag"}, format="json")
    assert response.status_code == 200
    assert school_client.delete(detail(blackout)).status_code == 204
    assert not Blackout.objects.exists()


@pytest.mark.django_db
def test_a_school_cannot_close_another_school_or_a_wagon(school_client, other_school, school):
    response = school_client.post(
        URL, {"school": other_school.pk, "date_from": DAY, "date_to": DAY, "reason": "x"}
    )
    assert response.status_code == 400
    assert "school" in response.data
    wagon = WagonFactory(depot=school.depot)
    response = school_client.post(
        URL, {"wagon": wagon.pk, "date_from": DAY, "date_to": DAY, "reason": "x"}
    )
    assert response.status_code == 400
    assert "wagon" in response.data
    assert not Blackout.objects.exists()


@pytest.mark.django_db
def test_a_school_cannot_change_the_programmes_closed_days(school_client, closed_days):
    carnaval = closed_days["programme"]
    assert school_client.patch(detail(carnaval), {"reason": "x"}, format="json").status_code == 403
    assert school_client.delete(detail(carnaval)).status_code == 403
    # Nor turn its own studiedag into a programme-wide closure.
    own = closed_days["own"]
    response = school_client.patch(detail(own), {"school": None}, format="json")
    assert response.status_code == 403
    carnaval.refresh_from_db()
    own.refresh_from_db()
    assert carnaval.reason == "carnaval"
    assert own.school_id is not None


@pytest.mark.django_db
def test_another_schools_closed_day_is_not_found_for_a_school(school_client, closed_days):
    theirs = closed_days["other_school"]
    assert school_client.patch(detail(theirs), {"reason": "x"}, format="json").status_code == 404
    assert school_client.delete(detail(theirs)).status_code == 404
    assert Blackout.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_the_filters_are_scoped(coordinator_client, closed_days, school, other_wagon):
    response = coordinator_client.get(URL, {"school": school.pk})
    assert ids(response) == {closed_days["own"].pk}
    assert coordinator_client.get(URL, {"wagon": other_wagon.pk}).status_code == 400
