"""Benchmark: packing-list PDF and wagon-day JSON (issue 4).

Run: DEBUG=1 .venv/bin/python bench/bench_packing_pdf.py
Uses its own throw-away SQLite file; prints medians and ratios:
- PDF for an 80-line list vs a bare reportlab document with the same table and QR code
  (target: median < 80 ms and <= 1.3x bare);
- a 400-line list vs the 80-line one (target <= 3x, same number of queries);
- packing-list JSON for a wagon-day with 1 and 3 stops (constant query count);
- the PDF request (signed in, through Django's test client) against rendering the same document
  from data read beforehand, timed in turns (issue 15: target <= 1.2x).
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DEBUG", "1")
DB = Path(tempfile.gettempdir()) / f"tw_bench_packing_{os.getpid()}.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle  # noqa: E402

RUNS = 15


def median_ms(fn, runs=RUNS) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build_data():
    from bookings.packing.services import packing_list_ensure
    from tests.factories import (
        BookingFactory,
        BookingSessionFactory,
        ConsumableRuleFactory,
        DepotFactory,
        ItemFactory,
        KitRuleFactory,
        KitTypeFactory,
        SchoolFactory,
        StandardEquipmentFactory,
        WagonFactory,
        WorkshopFactory,
    )

    depot = DepotFactory(name="Depot Bench")
    wagon = WagonFactory(depot=depot)
    StandardEquipmentFactory(name="EHBO-koffer", storage_location="Z9")
    date = dt.date(2027, 3, 9)

    def booking_with(lines: int, name: str, day=date):
        kit_type = KitTypeFactory(name=f"Kit {name}", storage_location=f"L{name}")
        for n in range(lines):
            ItemFactory(asset_tag=f"{name}-{n:04d}", kit_type=kit_type, depot=depot)
        workshop = WorkshopFactory(name=f"Workshop {name}")
        KitRuleFactory(workshop=workshop, kit_type=kit_type, per_pupils=None, fixed=lines - 2)
        ConsumableRuleFactory(workshop=workshop)
        school = SchoolFactory(depot=depot)
        booking = BookingFactory(school=school, wagon=wagon, date=day, status="confirmed")
        BookingSessionFactory(booking=booking, workshop=workshop, pupils=20)
        packing_list_ensure(booking=booking)
        return booking

    return {
        "b80": booking_with(80, "A", dt.date(2027, 3, 10)),
        "b400": booking_with(400, "B", dt.date(2027, 3, 11)),
        "wagon": wagon,
        "day": [booking_with(20, name) for name in ("C", "D", "E")],
        "date": date,
    }


def our_pdf(booking) -> bytes:
    from bookings.packing.pdf import PackingListPdf
    from bookings.packing.selectors import pdf_context_for_booking

    return PackingListPdf(
        pdf_context_for_booking(booking=booking), generated_at=timezone.now()
    ).render()


def bare_pdf(rows: list[list[str]], payload: str) -> bytes:
    """The reference: same table (header repeated) and one QR code, nothing else."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    table = Table([["Ingepakt", "Retour", "Inventarisnr.", "Soort", "Aantal"]] + rows, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))

    def first_page(canvas, _doc):
        size = 24 * mm
        drawing = Drawing(size, size)
        drawing.add(QrCodeWidget(payload, barWidth=size, barHeight=size))  # encoded once
        renderPDF.draw(drawing, canvas, 160 * mm, 265 * mm)

    doc.build([table], onFirstPage=first_page)
    return buffer.getvalue()


def rows_of(booking):
    from bookings.packing.selectors import packing_list_for_booking

    return [
        ["", "", line["asset_tag"] or "", line["name"], str(line["quantity"])]
        for line in packing_list_for_booking(booking=booking)["lines"]
    ]


def request_vs_render(booking) -> tuple[float, float, int]:
    """Medians of the PDF request and of the bare render of the same document (its context read
    once, outside the clock), timed in turns; and the request's query count."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from bookings.packing.pdf import PackingListPdf
    from bookings.packing.selectors import pdf_context_for_booking

    user, _ = User.objects.get_or_create(username="bench-pdf-coordinator")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    from programmes.models import Programme

    for programme in Programme.objects.all():
        programme.members.add(user)
    client = Client()
    client.force_login(user)
    url = f"/api/v1/bookings/{booking.pk}/packing-list.pdf"
    assert client.get(url).status_code == 200
    context = pdf_context_for_booking(booking=booking)
    sides = {
        "request": lambda: client.get(url),
        "render": lambda: PackingListPdf(context, generated_at=timezone.now()).render(),
    }
    times = {name: [] for name in sides}
    for _ in range(RUNS * 2):
        for name, fn in sides.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return medians["request"], medians["render"], queries(lambda: client.get(url))


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context)


def main():
    call_command("migrate", verbosity=0)
    data = build_data()
    from bookings.packing.pdf import crew_visit_url
    from bookings.packing.selectors import packing_list_for_wagon_day

    b80, b400 = data["b80"], data["b400"]
    rows80 = rows_of(b80)
    ours80 = median_ms(lambda: our_pdf(b80))
    bare80 = median_ms(lambda: bare_pdf(rows80, crew_visit_url(b80.id)))
    ours400 = median_ms(lambda: our_pdf(b400), runs=7)
    q80, q400 = queries(lambda: our_pdf(b80)), queries(lambda: our_pdf(b400))
    print(f"PDF 80 lines ({len(rows80)} rows): median {ours80:.1f} ms (target < 80 ms)")
    print(f"bare reportlab, same table + QR: median {bare80:.1f} ms")
    print(f"ratio ours/bare: {ours80 / bare80:.2f}x (target <= 1.3x)")
    print(
        f"PDF 400 lines: median {ours400:.1f} ms = {ours400 / ours80:.2f}x the 80-line one "
        "(target <= 3x)"
    )
    print(f"queries: 80 lines {q80}, 400 lines {q400}")
    request, render, q = request_vs_render(b80)
    print(
        f"PDF request, 80 lines: median {request:.1f} ms vs {render:.1f} ms for the bare render "
        f"of the same document = {request / render:.2f}x (target <= 1.2x); {q} queries"
    )

    wagon, date = data["wagon"], data["date"]
    packing_list_for_wagon_day(wagon=wagon, date=date)
    q3 = queries(lambda: packing_list_for_wagon_day(wagon=wagon, date=date))
    t3 = median_ms(lambda: packing_list_for_wagon_day(wagon=wagon, date=date))
    q1 = queries(lambda: packing_list_for_wagon_day(wagon=wagon, date=dt.date(2027, 3, 10)))
    print(f"wagon-day JSON, 3 stops: {q3} queries, median {t3:.1f} ms; 1 stop: {q1} queries")


if __name__ == "__main__":
    try:
        main()
    finally:
        DB.unlink(missing_ok=True)
