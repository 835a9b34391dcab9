"""Small builders for route tests: a depot with a wagon and kit, schools at real coordinates,
bookings with sessions."""

import datetime as dt
from decimal import Decimal

from bookings.packing.selectors import PACKABLE
from bookings.packing.services import packing_list_follow
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    DepotFactory,
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
)

MONDAY = dt.date(2027, 3, 8)  # a normal school week in every region

ROTTERDAM_SCHOOLS = [
    ("Melanchthon Kralingen", "51.925000", "4.498000"),
    ("Vak College Hillegersberg", "51.960000", "4.500000"),
    ("Grafisch Lyceum Rotterdam", "51.927000", "4.478000"),
    ("OBS De Bloemhof", "51.897000", "4.509000"),
    ("CBS Het Kompas Schiebroek", "51.958000", "4.474000"),
    ("Montessori Oost", "51.922000", "4.512000"),
    ("Basisschool Prins Alexander", "51.953000", "4.553000"),
    ("IKC Delfshaven", "51.910000", "4.447000"),
]


class World:
    """A depot with one wagon (and optionally a second), a Blue-Bot pool and a workshop."""

    def __init__(self, *, bots: int = 20, wagons: int = 1, max_visits: int = 2):
        self.depot = DepotFactory(name="Depot Test Rotterdam")
        self.wagons = [
            WagonFactory(depot=self.depot, max_visits_per_day=max_visits) for _ in range(wagons)
        ]
        self.wagon = self.wagons[0]
        self.bot = KitTypeFactory(name="Blue-Bot test", spare_units=0)
        for _ in range(bots):
            ItemFactory(kit_type=self.bot, depot=self.depot)
        self.workshop = WorkshopFactory(name="Blue-Bots programmeren", duration_minutes=90)
        KitRuleFactory(workshop=self.workshop, kit_type=self.bot, per_pupils=3)
        self.schools = []
        for i, (name, lat, lon) in enumerate(ROTTERDAM_SCHOOLS):
            self.schools.append(
                SchoolFactory(
                    name=name,
                    brin=f"9{i}ZZ",
                    lat=Decimal(lat),
                    lon=Decimal(lon),
                    depot=self.depot,
                    school_types=["po"],
                )
            )

    def booking(self, school_index=0, *, date=MONDAY, start=dt.time(9, 0), pupils=24,
                status="requested", wagon=None, alternative_dates=(), sessions=1):  # fmt: skip
        booking = BookingFactory(
            school=self.schools[school_index],
            wagon=wagon or self.wagon,
            date=date,
            status=status,
            alternative_dates=[d.isoformat() for d in alternative_dates],
        )
        current = dt.datetime.combine(date, start)
        for i in range(sessions):
            BookingSessionFactory(
                booking=booking,
                workshop=self.workshop,
                pupils=pupils,
                start_time=current.time(),
                group_label=f"groep {5 + i}",
            )
            current += dt.timedelta(minutes=self.workshop.duration_minutes)
        if status in PACKABLE:  # booking_confirm builds the list; factories skip the service
            packing_list_follow(booking=booking)
        return booking
