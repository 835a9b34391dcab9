"""The worst PDFs the API allows: the packing list of the largest booking and the day sheet of the
largest route, every text at its limit (issue 11: each under 2 s).

    DEBUG=1 .venv/bin/python bench/bench_worst_pdf.py                     # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_worst DEBUG=1 \\
        .venv/bin/python bench/bench_worst_pdf.py                         # PostgreSQL (created)

The booking: 12 sessions (the maximum) of 12 different workshops, each with 50 kit rules and 50
consumable rules (the maximum), so the visit needs MAX_ITEM_LINES items plus 600 consumables and
50 standard-equipment lines; school, contact, group and workshop texts at their maximum length,
site notes of 2,000 characters with markup characters and a 600-character word. The route: 10 such
visits (MAX_STOPS). Prints the median of the whole request (test client, coordinator) and of the
renderer alone, with the PDF's size and page count.
"""

import datetime as dt
import io
import statistics
import time

from _setup import bootstrap, in_depot, in_programme, join_programmes, of_depot  # noqa: E402  (bench/ is on sys.path when run as a script)

bootstrap("sqlite:////tmp/tw_bench_worst_pdf.sqlite3")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from backend.core.limits import TEXT_MAX_LENGTH  # noqa: E402
from bookings.models import (  # noqa: E402
    Booking,
    BookingSession,
    ConsumableRule,
    KitRule,
    School,
    Workshop,
)
from bookings.packing.models import PackingLine, PackingList  # noqa: E402
from bookings.packing.services import MAX_ITEM_LINES, packing_list_ensure  # noqa: E402
from inventory.models import (  # noqa: E402
    Consumable,
    Depot,
    Item,
    KitType,
    StandardEquipment,
    Wagon,
)
from routes.models import MAX_STOPS, Route, RouteStop  # noqa: E402

SESSIONS = 12
RULES = 50  # kit rules and consumable rules per workshop
KIT_TYPES = 40  # distinct kit types over the visit; MAX_ITEM_LINES units in all
STANDARD = 50
DAY = dt.date.today() + dt.timedelta(days=60)
RUNS = 7


def text(prefix: str, length: int) -> str:
    return (prefix + " " + "Techniekwagen " * (length // 14 + 1))[:length]


def notes() -> str:
    word = "Stopcontact" * 60  # one 660-character word: must wrap, not run off the page
    body = f"<b>Parkeren</b> & 230 V: {word} " + "bij de aula, achter het hek; " * 80
    return body[:TEXT_MAX_LENGTH]


def build():
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        for model in (RouteStop, Route, PackingLine, PackingList, BookingSession, Booking):
            model.objects.all().delete()
        for model in (KitRule, ConsumableRule, Workshop, School, Item, StandardEquipment):
            model.objects.all().delete()
        for model in (Consumable, KitType, Wagon, Depot):
            model.objects.all().delete()
        depot = Depot.objects.create(
            name=text("Depot", 100), address=text("Adres", 200), **in_programme()
        )
        wagon = Wagon.objects.create(
            name=text("Wagen", 100),
            plate="VZ-123-TW",
            depot=depot,
            depot_address=text("Depotweg", 200),
            depot_lat=51.92,
            depot_lon=4.47,
            max_visits_per_day=MAX_STOPS,
            work_start=dt.time(6, 0),
            work_end=dt.time(20, 0),
        )
        kit_types = KitType.objects.bulk_create(
            KitType(name=text(f"K{n:03d}", 100), storage_location=text(f"R{n}", 50))
            for n in range(KIT_TYPES)
        )
        consumables = Consumable.objects.bulk_create(
            Consumable(**in_depot(depot, name=text(f"C{n:03d}", 100), unit="stuks", stock=10**6))
            for n in range(SESSIONS * RULES)
        )
        StandardEquipment.objects.bulk_create(
            StandardEquipment(
                name=text(f"S{n:02d}", 100), storage_location=text("Z", 50), **of_depot(depot)
            )
            for n in range(STANDARD)
        )
        per_type = MAX_ITEM_LINES // KIT_TYPES
        workshops = []
        for w in range(SESSIONS):
            workshop = Workshop.objects.create(
                name=text(f"W{w:02d}", 100),
                description="x" * TEXT_MAX_LENGTH,
                duration_minutes=30,
                max_pupils=200,
                **of_depot(depot),
            )
            # every workshop uses all kit types (max over sessions: per_type each)
            KitRule.objects.bulk_create(
                KitRule(workshop=workshop, kit_type=k, fixed=per_type)
                for k in kit_types[: min(RULES, KIT_TYPES)]
            )
            ConsumableRule.objects.bulk_create(
                ConsumableRule(workshop=workshop, consumable=c, per_pupil=1)
                for c in consumables[w * RULES : (w + 1) * RULES]
            )
            workshops.append(workshop)
        bookings = []
        for stop in range(MAX_STOPS):
            school = School.objects.create(
                name=text(f"School {stop}", 150),
                brin=f"{10 + stop:02d}ZZ",
                address=text("Schoolstraat", 200),
                postcode="3032 AD",
                city=text("Rotterdam", 100),
                lat=51.90 + stop / 100,
                lon=4.45 + stop / 100,
                holiday_region="midden",
                depot=depot,
                **of_depot(depot),
                site_notes=notes(),
                day_start=dt.time(6, 0),
                day_end=dt.time(23, 0),
            )
            booking = Booking.objects.create(
                reference=f"TW-BENCH-{stop:04d}",
                school=school,
                wagon=wagon,
                date=DAY,
                status="confirmed",
                contact_name=text("Contact", 100),
                contact_email=f"{'c' * 60}@{'s' * 60}.nl",
                contact_phone="0" * 30,
                site_notes=notes(),
            )
            BookingSession.objects.bulk_create(
                BookingSession(
                    booking=booking,
                    workshop=workshop,
                    group_label=text("Groep", 50),
                    school_type="po",
                    year=8,
                    pupils=200,
                    start_time=dt.time(6 + s // 2, 30 * (s % 2)),
                )
                for s, workshop in enumerate(workshops)
            )
            # the items this visit takes (each item goes on one list per day)
            Item.objects.bulk_create(
                Item(
                    asset_tag=f"B{stop:02d}-{k:03d}-{n:03d}-" + "T" * 28,
                    kit_type=kit_type,
                    depot=depot,
                    serial_number="S" * 100,
                )
                for k, kit_type in enumerate(kit_types)
                for n in range(per_type)
            )
            bookings.append(booking)
        first = bookings[0]
        started = time.perf_counter()
        packing_list_ensure(booking=first)  # the real builder, once
        print(f"built the largest packing list in {time.perf_counter() - started:.1f} s")
        template = list(PackingLine.objects.filter(packing_list__booking=first))
        for booking in bookings[1:]:  # same need: copy the lines with this visit's own items
            copy = PackingList.objects.create(
                booking=booking,
                need_signature=first.packing_list.need_signature,
                generated_at=timezone.now(),
            )
            own = {
                (i.kit_type_id, n): i
                for n, i in enumerate(
                    Item.objects.filter(asset_tag__startswith=f"B{booking.reference[-2:]}-")
                )
            }
            by_type: dict[int, list[Item]] = {}
            for (kit_type_id, _n), item in own.items():
                by_type.setdefault(kit_type_id, []).append(item)
            lines = []
            for line in template:
                item = by_type[line.kit_type_id].pop() if line.item_id else None
                lines.append(
                    PackingLine(
                        packing_list=copy,
                        kind=line.kind,
                        position=line.position,
                        date=line.date,
                        kit_type_id=line.kit_type_id,
                        item=item,
                        consumable_id=line.consumable_id,
                        standard_id=line.standard_id,
                        name=line.name,
                        storage_location=line.storage_location,
                        quantity=line.quantity,
                    )
                )
            PackingLine.objects.bulk_create(lines)
        route = Route.objects.create(wagon=wagon, date=DAY, notes="x" * TEXT_MAX_LENGTH)
        RouteStop.objects.bulk_create(
            RouteStop(route=route, booking=b, position=n) for n, b in enumerate(bookings)
        )
    user, _ = User.objects.get_or_create(username="bench-coordinator")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    join_programmes(user)
    return user, first, route


def median_ms(fn) -> tuple[float, object]:
    result = fn()  # warm-up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def report(label: str, client: Client, url: str, render) -> None:
    request_ms, response = median_ms(lambda: client.get(url))
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    render_ms, _ = median_ms(render)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    size = len(response.content) / 1024
    print(
        f"{label:<34} request median {request_ms:7.1f} ms   renderer {render_ms:7.1f} ms   "
        f"{size:6.0f} kB   {pages:3d} pages"
    )


def main():
    user, booking, route = build()
    client = Client()
    client.force_login(user)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines = PackingLine.objects.filter(packing_list__booking=booking).count()
    print(
        f"engine={engine}: booking with {SESSIONS} sessions and {lines} packing lines; "
        f"route with {MAX_STOPS} such stops"
    )

    from bookings.packing.pdf import PackingListPdf
    from bookings.packing.selectors import pdf_context_for_booking
    from routes import pdf, selectors
    from routes.selectors import evaluate_plans, route_data

    def packing_pdf():
        context = pdf_context_for_booking(booking=booking)
        return PackingListPdf(context, generated_at=timezone.now()).render()

    def day_sheet(packing_only=False):
        fresh = selectors.routes_with_stops().get(pk=route.pk)
        [plan] = evaluate_plans([selectors.day_plan_of(fresh)])
        return pdf.DaySheetPdf(
            route=fresh,
            data=route_data(plan),
            packing=selectors.packing_totals(fresh),
            generated_at=timezone.now(),
            packing_only=packing_only,
        ).render()

    report(
        "packing-list.pdf (largest booking)",
        client,
        f"/api/v1/bookings/{booking.pk}/packing-list.pdf",
        packing_pdf,
    )
    report(
        "day-sheet.pdf (largest route)",
        client,
        f"/api/v1/routes/{route.pk}/day-sheet.pdf",
        day_sheet,
    )
    report(
        "packing-list.pdf (largest route)",
        client,
        f"/api/v1/routes/{route.pk}/packing-list.pdf",
        lambda: day_sheet(packing_only=True),
    )
    print("target: every request under 2,000 ms")


if __name__ == "__main__":
    settings.ALLOWED_HOSTS = ["*"]
    main()
