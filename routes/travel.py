"""Travel distance and driving time between two points (PRODUCT.md rule 6).

The planner and the route timing only talk to a `TravelModel`: `leg(a, b)` and `matrix(points)`.
Which one is used is configuration (`settings.TW_ROUTING_BACKEND`, a dotted path), so a routing
service (OSRM, Valhalla) can replace the offline model without touching the planner.

The offline model, with its defaults (each overridable in settings):
- road distance = great-circle distance × `TW_ROAD_FACTOR` (1.35: Dutch roads are rarely straight);
- driving time is piecewise by trip length, each band at its own speed, so time grows with distance
  and never jumps: the first `TW_CITY_KM` (5) road-km at `TW_CITY_KMH` (25 km/h, city traffic),
  up to `TW_REGIONAL_KM` (30) at `TW_REGIONAL_KMH` (45 km/h, between towns), beyond at
  `TW_HIGHWAY_KMH` (80 km/h, longer trips are mostly motorway);
- parking: `TW_PARKING_MINUTES` (10) per stop, added by the route timing (not per leg), so
  depot → depot legs and zero-length legs cost nothing.
Because the time function is concave and starts at zero it keeps the triangle inequality, which the
planner relies on when it prunes stop sets.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]  # (lat, lon) in degrees


@dataclass(frozen=True)
class Leg:
    km: float
    minutes: int


def great_circle_km(a: Point, b: Point) -> float:
    """Haversine distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class TravelModel:
    """Interface: distance and driving minutes (without parking) between points."""

    def leg(self, a: Point, b: Point) -> Leg:
        raise NotImplementedError

    def matrix(self, points: list[Point]) -> list[list[Leg]]:
        """All legs between `points`; a routing service would answer this in one request."""
        return [[self.leg(a, b) for b in points] for a in points]

    @property
    def parking_minutes(self) -> int:
        return int(settings.TW_PARKING_MINUTES)


class OfflineTravelModel(TravelModel):
    def __init__(self):
        self.road_factor = float(settings.TW_ROAD_FACTOR)
        self.city_km = float(getattr(settings, "TW_CITY_KM", 5))
        self.city_kmh = float(getattr(settings, "TW_CITY_KMH", 25))
        self.regional_km = float(getattr(settings, "TW_REGIONAL_KM", 30))
        self.regional_kmh = float(getattr(settings, "TW_REGIONAL_KMH", 45))
        self.highway_kmh = float(getattr(settings, "TW_HIGHWAY_KMH", 80))

    def road_km(self, a: Point, b: Point) -> float:
        return great_circle_km(a, b) * self.road_factor

    def minutes_for_km(self, km: float) -> float:
        city = min(km, self.city_km)
        regional = min(max(km - self.city_km, 0.0), self.regional_km - self.city_km)
        highway = max(km - self.regional_km, 0.0)
        hours = city / self.city_kmh + regional / self.regional_kmh + highway / self.highway_kmh
        return hours * 60

    def leg(self, a: Point, b: Point) -> Leg:
        km = self.road_km(a, b)
        if km < 1e-9:
            return Leg(0.0, 0)
        return Leg(round(km, 2), math.ceil(self.minutes_for_km(km) - 1e-9))


@lru_cache(maxsize=8)
def _model_class(path: str):
    return import_string(path)


def get_travel_model() -> TravelModel:
    """The configured travel model (a fresh instance: it reads settings when made)."""
    return _model_class(settings.TW_ROUTING_BACKEND)()


def point(lat, lon) -> Point:
    return (float(lat), float(lon))
