"""Programme B, built after every other module: everything those built is programme A's (the
default test programme). B has its own depot, wagon, school, workshop, kit, route and visits, and
a coordinator and a crew member (`ctx["user_coordinator_b"]`, `ctx["user_crew_b"]`).

A's objects are renamed to carry a marker ("Alfamark") so a programme row can check that a B
user's list, feed, board or report shows none of them (HIDDEN); asset tags, school names and
booking references are markers too.
"""

import datetime as dt

from django.db.models import Value
from django.db.models.functions import Concat

from bookings import services
from bookings.models import Blackout, Booking, School, Workshop
from feedback.models import FeedbackResponse
from inventory.models import Case, Consumable, Depot, Item, StandardEquipment, Wagon
from partners.models import Partner
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    CaseFactory,
    ConsumableFactory,
    DepotFactory,
    ItemFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    default_programme,
    make_user,
)

MARKER = "Alfamark"
B_DAY = dt.date(2027, 3, 11)


def _mark_programme_a(ctx: dict, programme_a) -> None:
    """Give A's named objects the marker, and add a defect item and a low consumable so the
    inventory page has A rows to hide."""
    depots = Depot.objects.filter(programme=programme_a)
    for depot in depots:
        Depot.objects.filter(pk=depot.pk).update(name=f"Depot {MARKER} {depot.pk}")
    for wagon in Wagon.objects.filter(depot__in=depots):
        Wagon.objects.filter(pk=wagon.pk).update(name=f"Wagen {MARKER} {wagon.pk}")
    for workshop in Workshop.objects.filter(programme=programme_a):
        Workshop.objects.filter(pk=workshop.pk).update(name=f"{workshop.name} {MARKER}")
    for model in (Case, Consumable):
        for row in model.objects.filter(depot__in=depots):
            model.objects.filter(pk=row.pk).update(name=f"{MARKER} {row.name}")
    for row in StandardEquipment.objects.filter(programme=programme_a):
        StandardEquipment.objects.filter(pk=row.pk).update(name=f"{MARKER} {row.name}")
    Blackout.objects.filter(programme=programme_a).update(reason=f"{MARKER} gesloten")
    # Issue 18: partner names and what teachers wrote show in the register and feedback lists.
    for partner in Partner.objects.filter(programme=programme_a):
        Partner.objects.filter(pk=partner.pk).update(name=f"{MARKER} {partner.name}")
    FeedbackResponse.objects.filter(booking__school__programme=programme_a).update(
        comments=Concat(Value(f"{MARKER} "), "comments")
    )
    depot = ctx["depot_obj"]
    ItemFactory(
        asset_tag="ALFAMARK-DEFECT",
        kit_type=ctx["kit_type_obj"],
        depot=depot,
        status=Item.Status.DEFECT,
    )
    ConsumableFactory(name=f"{MARKER} tape", depot=depot, stock=1, reorder_level=5)
    markers = [MARKER]
    markers += list(School.objects.filter(programme=programme_a).values_list("name", flat=True))
    markers += list(Item.objects.filter(depot__in=depots).values_list("asset_tag", flat=True))
    markers += list(
        Booking.objects.filter(school__programme=programme_a).values_list("reference", flat=True)
    )
    ctx["a_markers"] = [m.lower() for m in markers if m]


def build(ctx: dict) -> None:
    programme_a = default_programme()
    _mark_programme_a(ctx, programme_a)
    programme_b = ProgrammeFactory(name="Deventer-Twello")
    ctx["programme_a"] = programme_a.pk
    ctx["programme_b"] = programme_b.pk
    depot = DepotFactory(name="Depot Twello", programme=programme_b)
    wagon = WagonFactory(name="Wagen Twello", plate="TW-001-B", depot=depot)
    school = SchoolFactory(name="Basisschool Twello", brin="09ZZ00", depot=depot)
    workshop = WorkshopFactory(name="Workshop Twello", programme=programme_b)
    case = CaseFactory(depot=depot, name="Koffer Twello")
    item = ItemFactory(asset_tag="TWELLO-1", kit_type=ctx["kit_type_obj"], depot=depot, case=case)
    consumable = ConsumableFactory(name="Lijm Twello", depot=depot)
    ctx.update(
        {
            "b_depot": depot.pk,
            "b_wagon_obj": wagon,
            "b_wagon": wagon.pk,
            "b_school": school.pk,
            "b_workshop": workshop.pk,
            "b_case": case.pk,
            "b_item": item.pk,
            "b_consumable": consumable.pk,
        }
    )
    coordinator = make_user("coord_b", "coordinator", programmes=[programme_b])
    crew = make_user("crew_b", "crew", programmes=[programme_b])
    ctx["user_coordinator_b"] = coordinator
    ctx["user_crew_b"] = crew
    # A requested and a confirmed visit of B's own, on B's wagon; and a route that day.
    requested = BookingFactory(school=school, wagon=wagon, date=B_DAY)
    BookingSessionFactory(booking=requested, workshop=workshop, pupils=10)
    confirmed = BookingFactory(school=school, wagon=wagon, date=B_DAY + dt.timedelta(days=1))
    BookingSessionFactory(booking=confirmed, workshop=workshop, pupils=10)
    services.booking_set_status(booking=confirmed, status="confirmed", acting_user=coordinator)
    ctx["b_requested"] = requested.pk
    ctx["b_confirmed"] = confirmed.pk
    from routes.models import Route

    ctx["b_route"] = Route.objects.create(wagon=wagon, date=B_DAY).pk


ROWS: list = []
PROGRAMME_ROWS: list = []
