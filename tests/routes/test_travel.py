import pytest
from django.test import override_settings

from routes.travel import Leg, OfflineTravelModel, TravelModel, get_travel_model, great_circle_km

KRALINGEN = (51.925, 4.498)  # Melanchthon Kralingen
HILLEGERSBERG = (51.960, 4.500)  # Vak College Hillegersberg
DEVENTER = (52.2550, 6.1600)  # Deventer centrum
TWELLO = (52.2365, 6.1027)  # Twello centrum


@pytest.mark.parametrize(
    "a,b,straight_km",
    [(KRALINGEN, HILLEGERSBERG, 3.9), (DEVENTER, TWELLO, 4.4)],
)
def test_known_distances_are_within_the_road_factor(a, b, straight_km):
    model = OfflineTravelModel()
    assert great_circle_km(a, b) == pytest.approx(straight_km, abs=0.15)
    leg = model.leg(a, b)
    assert leg.km == pytest.approx(great_circle_km(a, b) * 1.35, abs=0.01)
    # A few km through town: city speed, so 10–15 minutes, not 5 and not 30.
    assert 10 <= leg.minutes <= 15


def test_it_is_symmetric_and_zero_for_the_same_point():
    model = OfflineTravelModel()
    assert model.leg(KRALINGEN, TWELLO) == model.leg(TWELLO, KRALINGEN)
    assert model.leg(DEVENTER, DEVENTER) == Leg(0.0, 0)


def test_longer_trips_are_faster_per_km_but_never_shorter_in_time():
    model = OfflineTravelModel()
    short = model.leg(KRALINGEN, HILLEGERSBERG)
    long = model.leg(KRALINGEN, DEVENTER)  # Rotterdam → Deventer, ~120 km straight
    assert long.minutes > short.minutes
    assert long.km / long.minutes > short.km / short.minutes
    times = [model.minutes_for_km(km) for km in range(0, 200)]
    assert times == sorted(times)


@override_settings(TW_ROAD_FACTOR=1.0, TW_CITY_KMH=50)
def test_settings_change_the_model():
    leg = OfflineTravelModel().leg(KRALINGEN, HILLEGERSBERG)
    assert leg.km == pytest.approx(great_circle_km(KRALINGEN, HILLEGERSBERG), abs=0.01)
    assert leg.minutes == 5  # 3.9 km at 50 km/h, rounded up


class FixedRouter(TravelModel):
    """Stands in for a routing service (OSRM/Valhalla) plugged in by configuration."""

    def leg(self, a, b):
        return Leg(7.0, 0 if a == b else 17)


@override_settings(TW_ROUTING_BACKEND="tests.routes.test_travel.FixedRouter")
def test_the_backend_is_chosen_by_configuration():
    model = get_travel_model()
    assert isinstance(model, FixedRouter)
    assert model.leg(KRALINGEN, TWELLO).minutes == 17
    assert model.matrix([KRALINGEN, TWELLO])[0][1].minutes == 17
