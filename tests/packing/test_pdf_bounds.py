"""The PDFs stay bounded whatever the database holds: long text is cut, long words wrap, tables
stop at MAX_ROWS with a count of what is left out, and an absurd kit need is refused rather than
written. (Timing of the worst case: bench/bench_worst_pdf.py.)"""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bookings.exceptions import BookingError
from bookings.models import Booking, School, Workshop
from bookings.packing.models import PackingLine, PackingList
from bookings.packing.pdf import PackingListPdf
from bookings.packing.selectors import packing_list_for_wagon_day, packing_totals_for_wagon_day
from bookings.packing.services import MAX_ITEM_LINES, packing_list_follow
from inventory.models import Wagon
from routes.models import MAX_STOPS, Route, RouteStop
from tests.factories import BookingSessionFactory, KitRuleFactory, KitTypeFactory, WorkshopFactory
from tests.packing.conftest import VISIT_DAY, make_booking

HUGE = "Parkeren achter de school " * 4000  # 100,000 characters, from before the limits
WORD = "x" * 5000  # one word longer than a page is wide


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def synthetic_context(lines: int) -> dict:
    """A packing list with `lines` item lines, 700 consumables and 60 standard lines, built in
    memory (the renderer reads a context; no database needed for its bounds)."""
    school = School(name="S" * 150, brin="01AB00", address="A" * 200, postcode="3032 AD")
    school.city, school.site_notes = "R" * 100, HUGE
    wagon = Wagon(name="W" * 100, plate="VZ-123-T", setup_minutes=45)
    booking = Booking(id=1, reference="TW-2027-0001", school=school, wagon=wagon, date=VISIT_DAY)
    booking.contact_name, booking.site_notes = "C" * 100, WORD + " " + HUGE
    workshop = Workshop(name="W" * 100, duration_minutes=60)
    sessions = [
        {
            "start_time": dt.time(8, 0),
            "group_label": "G" * 50,
            "pupils": 200,
            "workshop_name": workshop.name,
            "duration_minutes": workshop.duration_minutes,
        }
        for _ in range(20)  # more than the API allows (rows from before the limits)
    ]

    def line(n, kind, **extra):
        return {
            "id": n,
            "kind": kind,
            "name": "N" * 100,
            "storage_location": f"L{n // 7}",
            "case": None,
            "asset_tag": f"TAG-{n:05d}" + "T" * 30,
            "quantity": 1,
            "unit": "stuks",
            "packed": n % 2 == 0,
            "condition": None,
            **extra,
        }

    return {
        "booking_obj": booking,
        "sessions": sessions,
        "lines": [line(n, "item") for n in range(lines)]
        + [line(n, "consumable", quantity=1.5) for n in range(700)]
        + [line(n, "standard") for n in range(60)],
    }


def test_the_packing_list_pdf_stops_at_max_rows_and_counts_the_rest():
    context = synthetic_context(5000)
    content = PackingListPdf(context, generated_at=timezone.now()).render()
    pages = pages_of(content)
    assert len(pages) <= 25
    assert len(content) < 400_000
    text = "\n".join(pages)
    assert "… en nog 4" in text  # items beyond MAX_ROWS are counted, not printed
    assert "… en nog 700 regels" in text and "… en nog 60 regels" in text
    assert "… en nog 8 sessies" in text
    assert text.count("Parkeren achter de school") < 100  # 2,000 characters, not 100,000


def test_a_small_list_prints_every_line():
    context = synthetic_context(40)
    text = "\n".join(pages_of(PackingListPdf(context, generated_at=timezone.now()).render()))
    assert "TAG-00039" in text and "… en nog 8 sessies" in text
    assert "regels: te veel" not in text  # 800 rows: all printed


@pytest.fixture
def oversized(kit, school):
    """A visit and its school with text far beyond today's limits (written before them)."""
    School.objects.filter(pk=school.pk).update(name=("Melanchthon " * 40)[:150], site_notes=HUGE)
    booking = make_booking(kit, school)
    Booking.objects.filter(pk=booking.pk).update(site_notes=WORD + " " + HUGE)
    return booking


def test_oversized_text_in_the_database_still_renders_bounded(crew_client, oversized):
    response = crew_client.get(f"/api/v1/bookings/{oversized.pk}/packing-list.pdf")
    assert response.status_code == 200
    pages = pages_of(response.content)
    assert len(pages) <= 3
    assert "\n".join(pages).count("Parkeren achter de school") < 100


def test_the_day_sheet_is_bounded_too(crew_client, oversized, kit, school):
    route = Route.objects.create(wagon=kit.wagon, date=VISIT_DAY)
    RouteStop.objects.create(route=route, booking=oversized, position=0)
    more = [make_booking(kit, school) for _ in range(MAX_STOPS + 2)]  # more than allowed
    for position, booking in enumerate(more, start=1):
        Booking.objects.filter(pk=booking.pk).update(site_notes=HUGE)
        RouteStop.objects.create(route=route, booking=booking, position=position)
    for url in (
        f"/api/v1/routes/{route.pk}/day-sheet.pdf",
        f"/api/v1/routes/{route.pk}/packing-list.pdf",
    ):
        response = crew_client.get(url)
        assert response.status_code == 200, response.content[:300]
        pages = pages_of(response.content)
        assert len(pages) <= 25
    day_sheet = "\n".join(
        pages_of(crew_client.get(f"/api/v1/routes/{route.pk}/day-sheet.pdf").content)
    )
    assert "… en nog 3 stops" in day_sheet


def test_the_day_sheet_totals_match_the_full_wagon_day_list(kit, school):
    first = make_booking(kit, school, pupils=16)
    second = make_booking(kit, school, pupils=24)
    BookingSessionFactory(booking=second, workshop=kit.workshop, pupils=8, start_time=dt.time(13))
    packing_list_follow(booking=second)  # what booking_update_sessions does after a change
    full = packing_list_for_wagon_day(wagon=kit.wagon, date=VISIT_DAY, bookings=[second, first])
    totals = packing_totals_for_wagon_day(wagon=kit.wagon, date=VISIT_DAY, bookings=[second, first])
    for key in ("kit", "consumables", "standard"):
        assert totals[key] == full[key], key
    assert totals["consumables"][0]["quantity"] == 8 * (16 + 24 + 8)


def test_an_absurd_kit_need_is_refused_not_written(coordinator_client, kit, school):
    workshop = WorkshopFactory(name="Alles mee")
    for _ in range(5):
        KitRuleFactory(workshop=workshop, kit_type=KitTypeFactory(), per_pupils=None, fixed=500)
    booking = make_booking(kit, school)
    before = list(PackingLine.objects.filter(packing_list__booking=booking).values_list("id"))
    booking.sessions.update(workshop=workshop)
    # The sessions service rebuilds the list after a change: refused, the old list stays.
    with pytest.raises(BookingError) as refused:
        packing_list_follow(booking=booking)
    assert refused.value.code == "too_much_kit" and refused.value.extra["max"] == MAX_ITEM_LINES
    assert refused.value.extra["units"] == 2500
    after = list(PackingLine.objects.filter(packing_list__booking=booking).values_list("id"))
    assert after == before
    assert PackingList.objects.filter(booking=booking).count() == 1
