"""factory_boy factories shared by every test module."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from bookings import services as booking_services
from bookings.models import (
    Blackout,
    Booking,
    BookingSession,
    ConsumableRule,
    KitRule,
    School,
    SchoolMembership,
    Workshop,
)
from bookings.reports import facts
from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon
from programmes.models import Programme

# Rows a test makes without naming a programme belong to this one, and so do the users
# `make_user` makes for the staff roles: tests written before programmes keep their meaning.
DEFAULT_PROGRAMME = "Techniekwagen Rotterdam-Noord"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("name",)

    name = DEFAULT_PROGRAMME
    project_code = factory.LazyAttribute(
        lambda o: (
            "STO18065" if o.name == DEFAULT_PROGRAMME else f"STO{abs(hash(o.name)) % 10**5:05d}"
        )
    )


def default_programme() -> Programme:
    return ProgrammeFactory()


class DepotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Depot
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Depot {n}")
    programme = factory.LazyFunction(default_programme)
    address = "Heer Bokelweg 255, 3032 AD Rotterdam"


class WagonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wagon

    name = factory.Sequence(lambda n: f"Techniekwagen {n}")
    plate = factory.Sequence(lambda n: f"VZ-{n:03d}-T")
    depot = factory.SubFactory(DepotFactory)
    depot_address = "Heer Bokelweg 255, 3032 AD Rotterdam"
    depot_lat = Decimal("51.927700")
    depot_lon = Decimal("4.476300")
    max_visits_per_day = 2
    work_start = dt.time(7, 30)
    work_end = dt.time(17, 30)


class KitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KitType

    name = factory.Sequence(lambda n: f"Kit type {n}")
    category = "robotica"
    storage_location = factory.Sequence(lambda n: f"R{n % 9}")
    spare_units = 0


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    code = factory.Sequence(lambda n: f"K-{n:03d}")
    name = "Koffer"
    depot = factory.SubFactory(DepotFactory)
    storage_location = "A1"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    asset_tag = factory.Sequence(lambda n: f"TAG-{n:04d}")
    kit_type = factory.SubFactory(KitTypeFactory)
    depot = factory.SubFactory(DepotFactory)
    serial_number = factory.Sequence(lambda n: f"SN{n:06d}")
    status = Item.Status.AVAILABLE


class ConsumableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consumable

    name = factory.Sequence(lambda n: f"Consumable {n}")
    depot = factory.SubFactory(DepotFactory)
    unit = "stuks"
    stock = Decimal("100")
    reorder_level = Decimal("10")


class StandardEquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardEquipment

    name = factory.Sequence(lambda n: f"Standaard {n}")
    programme = factory.LazyFunction(default_programme)
    quantity = 1


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Basisschool De Techniek {n}")
    brin = factory.Sequence(
        lambda n: f"{10 + n % 90:02d}{chr(65 + n // 90 % 26)}{chr(65 + n % 26)}"
    )
    school_types = factory.LazyFunction(lambda: ["po"])
    address = "Kralingse Plaslaan 1"
    postcode = "3061 AA"
    city = "Rotterdam"
    lat = Decimal("51.925000")
    lon = Decimal("4.498000")
    holiday_region = "midden"
    depot = factory.SubFactory(DepotFactory)
    programme = factory.LazyAttribute(
        lambda o: o.depot.programme if o.depot else default_programme()
    )
    contact_name = "J. de Vries"
    contact_email = "j.devries@school.nl"


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    name = factory.Sequence(lambda n: f"Workshop {n}")
    programme = factory.LazyFunction(default_programme)
    description = "Leerlingen programmeren een robot."
    duration_minutes = 90
    max_pupils = 32
    school_types = factory.LazyFunction(lambda: ["po", "so", "vmbo-bb", "vmbo-kb"])


class KitRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KitRule

    workshop = factory.SubFactory(WorkshopFactory)
    kit_type = factory.SubFactory(KitTypeFactory)
    per_pupils = 2
    fixed = None


class ConsumableRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsumableRule

    workshop = factory.SubFactory(WorkshopFactory)
    consumable = factory.SubFactory(ConsumableFactory)
    per_pupil = Decimal("1")


class BlackoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blackout

    programme = factory.LazyAttribute(
        lambda o: (
            o.wagon.depot.programme
            if o.wagon
            else (o.school.programme if o.school else default_programme())
        )
    )
    wagon = None
    school = None
    date_from = dt.date(2027, 3, 1)
    date_to = dt.date(2027, 3, 1)
    reason = "Onderhoud wagen"


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    # The next free number of the visit's year, as the services give it: a sequence of its own
    # would collide with a reference a service already gave out in the same test.
    reference = factory.LazyAttribute(lambda o: booking_services._next_reference(o.date.year))
    school = factory.SubFactory(SchoolFactory)
    wagon = factory.SubFactory(WagonFactory)
    date = dt.date(2027, 3, 9)
    status = Booking.Status.REQUESTED
    contact_name = "J. de Vries"
    contact_email = "j.devries@school.nl"
    contact_phone = "010-1234567"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Written past the services: the reach report's facts are kept as they would.
        booking = super()._create(model_class, *args, **kwargs)
        facts.refresh([booking.pk])
        return booking


class BookingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingSession

    booking = factory.SubFactory(BookingFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    group_label = "groep 7b"
    school_type = "po"
    year = 7
    pupils = 24
    start_time = dt.time(9, 0)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        session = super()._create(model_class, *args, **kwargs)
        facts.refresh([session.booking_id])
        return session


def make_user(username: str, role: str, school: School | None = None, programmes=None) -> User:
    """A user with `role`; coordinators and crew are members of `programmes` (default: the
    default test programme)."""
    user = User.objects.create_user(username=username, password="pw-test-123")
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if school is not None:
        SchoolMembership.objects.create(user=user, school=school)
    if role in ("coordinator", "crew"):
        for programme in programmes if programmes is not None else [default_programme()]:
            programme.members.add(user)
    return user


def fuzz_world() -> None:
    """Extra rows for tests/test_schema_fuzz.py: a confirmed visit on a route, so the route
    endpoints (detail, packing list, day sheet) answer with real data, not only 404."""
    from routes.models import Route, RouteStop

    booking = Booking.objects.filter(wagon__isnull=False).select_related("wagon").first()
    if booking is None:
        return
    confirmed = BookingFactory(
        school=booking.school, wagon=booking.wagon, date=booking.date, status="confirmed"
    )
    for session in booking.sessions.all():
        BookingSessionFactory(booking=confirmed, workshop=session.workshop, pupils=2)
    route = Route.objects.create(wagon=booking.wagon, date=booking.date)
    RouteStop.objects.create(route=route, booking=confirmed, position=0)
