"""PRODUCT.md rule 2: every reason a day is closed, each on its own, from the real 2026-27 calendar."""

import datetime as dt

import pytest

from bookings import selectors
from inventory.services import item_set_status
from tests.bookings.conftest import VISIT_DAY, make_booking
from tests.factories import BlackoutFactory, ItemFactory, KitTypeFactory, WagonFactory

URL = "/api/v1/availability/"


def codes(day):
    return [r["code"] for r in day["reasons"]]


def ask(client, school, date_from, date_to=None, **params):
    response = client.get(
        URL,
        {
            "school": school.pk,
            "date_from": date_from.isoformat(),
            "date_to": (date_to or date_from).isoformat(),
            **params,
        },
    )
    assert response.status_code == 200, response.data
    return response.json()["days"]


@pytest.mark.django_db
def test_an_ordinary_tuesday_is_available_with_the_free_wagon(coordinator_client, school, wagon):
    [day] = ask(coordinator_client, school, VISIT_DAY)
    assert day == {"date": "2027-03-09", "available": True, "wagons": [wagon.pk], "reasons": []}


@pytest.mark.django_db
def test_saturday_is_closed_for_the_weekend_only(coordinator_client, school, wagon):
    [day] = ask(coordinator_client, school, dt.date(2027, 3, 6))
    assert day["available"] is False
    assert codes(day) == ["weekend"]
    assert day["wagons"] == []


@pytest.mark.django_db
def test_easter_monday_is_a_public_holiday(coordinator_client, school, wagon):
    [day] = ask(coordinator_client, school, dt.date(2027, 3, 29))
    assert codes(day) == ["public_holiday"]
    assert "Tweede paasdag" in day["reasons"][0]["detail"]


@pytest.mark.django_db
def test_spring_break_midden_is_closed_for_midden_but_open_for_zuid(
    coordinator_client, school, wagon
):
    monday = dt.date(2027, 2, 22)  # voorjaarsvakantie noord + midden 2027, not zuid
    school.holiday_region = "midden"
    school.save()
    [day] = ask(coordinator_client, school, monday)
    assert codes(day) == ["school_holiday"]
    school.holiday_region = "zuid"
    school.save()
    [day] = ask(coordinator_client, school, monday)
    assert day["available"] is True


@pytest.mark.django_db
def test_spring_break_zuid_is_closed_for_zuid_but_open_for_midden(
    coordinator_client, school, wagon
):
    monday = dt.date(2027, 2, 15)  # voorjaarsvakantie zuid 2027
    school.holiday_region = "zuid"
    school.save()
    [day] = ask(coordinator_client, school, monday)
    assert codes(day) == ["school_holiday"]
    school.holiday_region = "midden"
    school.save()
    [day] = ask(coordinator_client, school, monday)
    assert day["available"] is True


@pytest.mark.django_db
def test_a_blackout_for_all_wagons_closes_the_day(coordinator_client, school, wagon):
    BlackoutFactory(date_from=VISIT_DAY, date_to=VISIT_DAY, reason="Studiedag team", wagon=None)
    [day] = ask(coordinator_client, school, VISIT_DAY)
    assert codes(day) == ["blackout"]
    assert "Studiedag team" in day["reasons"][0]["detail"]


@pytest.mark.django_db
def test_a_blackout_of_one_wagon_leaves_the_other(coordinator_client, school, wagon, depot):
    second = WagonFactory(depot=depot)
    BlackoutFactory(date_from=VISIT_DAY, date_to=VISIT_DAY, wagon=wagon, reason="APK")
    [day] = ask(coordinator_client, school, VISIT_DAY)
    assert day["available"] is True
    assert day["wagons"] == [second.pk]
    BlackoutFactory(date_from=VISIT_DAY, date_to=VISIT_DAY, wagon=second, reason="APK")
    [day] = ask(coordinator_client, school, VISIT_DAY)
    assert codes(day) == ["blackout"]


@pytest.mark.django_db
def test_inside_the_lead_time(coordinator_client, school, wagon):
    [day] = ask(coordinator_client, school, dt.date(2026, 11, 25))  # a Wednesday, 4 days ahead
    assert codes(day) == ["lead_time"]
    [day] = ask(coordinator_client, school, dt.date(2026, 12, 1))  # exactly 10 days ahead
    assert day["available"] is True


@pytest.mark.django_db
def test_lead_time_follows_the_programme(coordinator_client, school, wagon):
    school.programme.lead_time_days = 2
    school.programme.save()
    [day] = ask(coordinator_client, school, dt.date(2026, 11, 25))
    assert day["available"] is True


@pytest.mark.django_db
def test_a_full_wagon(coordinator_client, coordinator, school, wagon, workshop):
    wagon.max_visits_per_day = 1
    wagon.save()
    make_booking(school, workshop, coordinator, pupils=2, confirm=True)
    [day] = ask(coordinator_client, school, VISIT_DAY)
    assert codes(day) == ["wagon_full"]


@pytest.mark.django_db
def test_a_requested_booking_does_not_fill_the_wagon(
    coordinator_client, coordinator, school, wagon, workshop
):
    wagon.max_visits_per_day = 1
    wagon.save()
    make_booking(school, workshop, coordinator, pupils=2)
    [day] = ask(coordinator_client, school, VISIT_DAY)
    assert day["available"] is True


@pytest.mark.django_db
def test_kit_shortage_names_needed_and_available(
    coordinator_client, coordinator, school, wagon, workshop, robot
):
    make_booking(school, workshop, coordinator, pupils=12, confirm=True)  # holds 6 of 10 robots
    # The visit joins the wagon's day: the 6 robots on board serve it too, so 15 robots add 9.
    [day] = ask(coordinator_client, school, VISIT_DAY, workshop=workshop.pk, pupils=30)
    assert codes(day) == ["kit_shortage"]
    reason = day["reasons"][0]
    assert (reason["kit_type"], reason["needed"], reason["available"]) == (robot.pk, 9, 4)
    assert reason["total"] == 10  # API.md: kit_shortage names needed, available (free), total
    [day] = ask(coordinator_client, school, VISIT_DAY, workshop=workshop.pk, pupils=20)
    assert day["available"] is True


@pytest.mark.django_db
def test_every_reason_is_named_at_once(coordinator_client, school, wagon, workshop):
    # Saturday, inside the lead time, kit need beyond stock.
    [day] = ask(coordinator_client, school, dt.date(2026, 11, 28), workshop=workshop.pk, pupils=32)
    assert sorted(codes(day)) == ["kit_shortage", "lead_time", "weekend"]


@pytest.mark.django_db
def test_the_kit_pool_is_shared_by_the_wagons_of_a_depot(
    coordinator_client, coordinator, school, wagon, workshop, depot, robot
):
    WagonFactory(depot=depot)
    make_booking(school, workshop, coordinator, pupils=20, confirm=True, wagon=wagon)
    # With a slot left the first wagon would carry its 10 robots on; full, only the second
    # wagon can go, and it needs robots of its own from the shared pool.
    wagon.max_visits_per_day = 1
    wagon.save()
    [day] = ask(coordinator_client, school, VISIT_DAY, workshop=workshop.pk, pupils=2)
    assert codes(day) == ["kit_shortage"]
    assert day["reasons"][0]["available"] == 0


@pytest.mark.django_db
def test_an_item_turned_defect_lowers_availability_at_once(
    coordinator_client, school, wagon, workshop, robot
):
    [day] = ask(coordinator_client, school, VISIT_DAY, workshop=workshop.pk, pupils=20)
    assert day["available"] is True
    item = robot.items.first()
    item_set_status(item=item, status="defect", acting_user=None)
    [day] = ask(coordinator_client, school, VISIT_DAY, workshop=workshop.pk, pupils=20)
    assert day["reasons"][0]["needed"] == 10
    assert day["reasons"][0]["available"] == 9


@pytest.mark.django_db
def test_the_school_user_asks_for_its_own_school(school_client, school, other_school, wagon):
    response = school_client.get(URL, {"date_from": "2027-03-09", "date_to": "2027-03-09"})
    assert response.status_code == 200
    assert response.json()["days"][0]["available"] is True
    response = school_client.get(
        URL, {"school": other_school.pk, "date_from": "2027-03-09", "date_to": "2027-03-09"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,field",
    [
        ({"date_from": "2027-01-01", "date_to": "2028-01-02"}, "date_to"),
        ({"date_from": "2027-01-02", "date_to": "2027-01-01"}, "date_to"),
        ({"date_from": "morgen", "date_to": "2027-01-01"}, "date_from"),
        ({"date_from": "2027-01-01"}, "date_to"),
        (
            {"date_from": "2027-01-01", "date_to": "2027-01-02", "workshop": 99999, "pupils": 3},
            "workshop",
        ),
        ({"date_from": "2027-01-01", "date_to": "2027-01-02", "pupils": 10000}, "pupils"),
        ({"date_from": "2027-01-01", "date_to": "2027-01-02", "school": "x"}, "school"),
        ({"date_from": "9999-12-30", "date_to": "9999-12-31"}, "date_from"),
        ({"date_from": "1900-01-01", "date_to": "1900-01-02"}, "date_from"),
    ],
)
def test_bad_questions_get_field_errors(coordinator_client, school, params, field):
    params.setdefault("school", school.pk)
    response = coordinator_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_days_or_bookings(
    coordinator_client, coordinator, school, wagon, workshop, depot, django_assert_max_num_queries
):
    other = KitTypeFactory(name="Tablet")
    ItemFactory.create_batch(5, kit_type=other, depot=depot)
    params = {"workshop": workshop.pk, "pupils": 10}
    # 12: the kit day summary is read beside the days where a waiting-list offer holds kit, and
    # the user's role and programmes are read in one query to scope the school (its programme,
    # which gives the calendar policy, comes with it); kit type names only when a shortage is
    # named.
    with django_assert_max_num_queries(12) as small:
        ask(coordinator_client, school, VISIT_DAY, VISIT_DAY, **params)
    for offset in range(0, 14):
        day = VISIT_DAY + dt.timedelta(days=offset)
        if day.weekday() < 5:
            make_booking(school, workshop, coordinator, date=day, pupils=2, confirm=True)
    with django_assert_max_num_queries(13) as large:
        days = ask(
            coordinator_client, school, VISIT_DAY, VISIT_DAY + dt.timedelta(days=365), **params
        )
    assert len(days) == 366
    assert len(large.captured_queries) <= len(small.captured_queries)


@pytest.mark.django_db
def test_selector_returns_reason_objects_for_services(school, wagon, workshop):
    days = selectors.availability_for(
        school=school, date_from=VISIT_DAY, date_to=VISIT_DAY, workshops=[workshop], pupils=40
    )
    assert days[0]["reasons"][0]["code"] == "kit_shortage"
