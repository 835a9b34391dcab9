"""The day sheet of a route as an A4 PDF (Dutch): stops with times, addresses, contacts, site
notes, driving between them, problems, and the wagon-day's packing summary.

`DaySheetPdf(route=..., data=..., packing=..., generated_at=...).render()` returns bytes and never
writes to the database. `data` is `routes.selectors.route_data`, `packing` the wagon-day packing
list. With `packing_only=True` it prints only the packing summary (the route's paklijst).

Bounded whatever the database holds: free text is cut at the API's limits, long words wrap, at
most `MAX_STOPS` stops, `MAX_PROBLEMS` problems and `MAX_ROWS` packing rows are printed (the rest
is counted), so the largest route renders well under 2 s (bench/bench_worst_pdf.py).
"""

import datetime as dt
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backend.core.limits import NAME_MAX_LENGTH, TEXT_MAX_LENGTH
from bookings.reschedule import dutch_date
from routes.models import MAX_STOPS


def _esc(value, length: int = NAME_MAX_LENGTH) -> str:
    """Escaped for a Paragraph and cut at `length` (rows older than the API's limits can be
    longer); reportlab wraps long words."""
    text = str(value if value is not None else "")
    if len(text) > length:
        text = text[: length - 1] + "…"
    return escape(text)


def _cell(value, length: int) -> str:
    """A table cell (plain text, not wrapped): cut to what fits the column."""
    text = str(value if value is not None else "")
    return text if len(text) <= length else text[: length - 1] + "…"


class DaySheetPdf:
    MARGIN = 15 * mm
    FONT = "Helvetica"
    FONT_BOLD = "Helvetica-Bold"
    COL_TIME = 18 * mm
    MAX_STOPS = MAX_STOPS
    MAX_SESSIONS = 12  # per stop: the API's limit per booking
    MAX_PROBLEMS = 30
    MAX_ROWS = 300  # rows per packing table (kit types, consumables, standard equipment)

    def __init__(self, *, route, data: dict, packing: dict, generated_at: dt.datetime,
                 packing_only: bool = False):  # fmt: skip
        self.route = route
        self.data = data
        self.packing = packing
        self.packing_only = packing_only
        self.generated_at = generated_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        self.small = ParagraphStyle("small", fontName=self.FONT, fontSize=9, leading=11.5)
        self.title = ParagraphStyle("title", fontName=self.FONT_BOLD, fontSize=15, leading=18)
        self.heading = ParagraphStyle(
            "heading", fontName=self.FONT_BOLD, fontSize=11, leading=14, spaceBefore=8
        )
        self.bookings = {stop.booking_id: stop.booking for stop in route.stops.all()}

    def header(self) -> list:
        wagon = self.route.wagon
        kind = "Paklijst wagendag" if self.packing_only else "Dagblad"
        lines = [
            f"<b>Wagen:</b> {_esc(wagon.name)} ({_esc(wagon.plate)})",
            f"<b>Depot:</b> {_esc(wagon.depot_address)}",
        ]
        if not self.packing_only and self.data["stops"]:
            lines.append(
                f"<b>Vertrek depot:</b> {self.data['leave_depot']} — "
                f"<b>terug:</b> {self.data['return_depot']} — "
                f"<b>totaal:</b> {self.data['total_km']:.1f} km, "
                f"{self.data['total_drive_minutes']} min rijden"
            )
        return [
            Paragraph(f"{kind} {_esc(dutch_date(self.route.date))}", self.title),
            Spacer(1, 2 * mm),
            Paragraph("<br/>".join(lines), self.small),
        ]

    def problems(self) -> list:
        if not self.data["problems"]:
            return [Paragraph("Planning klopt: geen knelpunten.", self.small)]
        problems = self.data["problems"]
        items = "<br/>".join(f"• {_esc(p['detail'], 500)}" for p in problems[: self.MAX_PROBLEMS])
        if len(problems) > self.MAX_PROBLEMS:
            items += f"<br/>… en nog {len(problems) - self.MAX_PROBLEMS} knelpunten."
        return [Paragraph("Let op", self.heading), Paragraph(items, self.small)]

    def stops(self) -> list:
        flow = [Paragraph("Stops", self.heading)]
        if not self.data["stops"]:
            return [*flow, Paragraph("Geen stops op deze rit.", self.small)]
        for stop in self.data["stops"][: self.MAX_STOPS]:
            booking = self.bookings.get(stop["booking"])
            lines = [
                f"<b>{stop['position'] + 1}. {_esc(stop['school_name'])}</b> "
                f"({_esc(stop['reference'])})",
                f"Adres: {_esc(stop['address'], 2 * NAME_MAX_LENGTH)}",
                f"Rijden: {stop['drive_minutes_from_previous']} min, "
                f"{stop['km_from_previous']:.1f} km vanaf "
                f"{'het depot' if stop['position'] == 0 else 'de vorige stop'}",
                f"Aankomst {stop['arrive']} · sessies {stop['start']}–{stop['end']} · "
                f"vertrek {stop['depart']}",
            ]
            if booking is not None:
                sessions = list(booking.sessions.all())
                for session in sessions[: self.MAX_SESSIONS]:
                    lines.append(
                        f"&nbsp;&nbsp;{session.start_time:%H:%M} {_esc(session.group_label)} — "
                        f"{_esc(session.workshop.name)} ({session.pupils} lln)"
                    )
                if len(sessions) > self.MAX_SESSIONS:
                    lines.append(
                        f"&nbsp;&nbsp;… en nog {len(sessions) - self.MAX_SESSIONS} sessies"
                    )
                contact = ", ".join(
                    p
                    for p in (booking.contact_name, booking.contact_phone, booking.contact_email)
                    if p
                )
                lines.append(f"Contact: {_esc(contact, 3 * NAME_MAX_LENGTH)}")
                notes = booking.site_notes or booking.school.site_notes
                if notes:
                    lines.append(f"Locatie-info: {_esc(notes, TEXT_MAX_LENGTH)}")
            flow.append(Paragraph("<br/>".join(lines), self.small))
            flow.append(Spacer(1, 2.5 * mm))
        hidden = len(self.data["stops"]) - self.MAX_STOPS
        if hidden > 0:
            flow.append(Paragraph(f"… en nog {hidden} stops: zie de rit in de app.", self.small))
        flow.append(
            Paragraph(
                f"Terug naar het depot: {self.data['drive_minutes_to_depot']} min, "
                f"{self.data['km_to_depot']:.1f} km, aankomst {self.data['return_depot']}.",
                self.small,
            )
        )
        return flow

    def _table(self, head, rows, widths):
        table = Table([head, *rows], colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), self.FONT_BOLD, 8.5),
                    ("FONT", (0, 1), (-1, -1), self.FONT, 9),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)),
                ]
            )
        )
        return table

    def packing_section(self) -> list:
        flow = [Paragraph("Paklijst (hele dag)", self.heading)]
        kit = self.packing.get("kit", [])
        consumables = self.packing.get("consumables", [])
        standard = self.packing.get("standard", [])
        if not (kit or consumables or standard):
            return [
                *flow,
                Paragraph("Nog niets in te pakken (geen bevestigde bezoeken).", self.small),
            ]
        if kit:
            rows = [
                [_cell(k["storage_location"], 10), _cell(k["name"], 60), str(k["quantity"]), "☐"]
                for k in kit[: self.MAX_ROWS]
            ]
            flow.append(
                self._table(
                    ["Plek", "Materiaal", "Aantal", "✓"],
                    rows,
                    [20 * mm, 110 * mm, 25 * mm, 15 * mm],
                )
            )
            flow += self._not_printed(len(kit))
        if consumables:
            flow.append(Spacer(1, 2 * mm))
            rows = [
                [_cell(c["name"], 60), f"{c['quantity']} {_cell(c['unit'], 12)}", "☐"]
                for c in consumables[: self.MAX_ROWS]
            ]
            flow.append(
                self._table(["Verbruik", "Hoeveelheid", "✓"], rows, [110 * mm, 45 * mm, 15 * mm])
            )
            flow += self._not_printed(len(consumables))
        if standard:
            flow.append(Spacer(1, 2 * mm))
            rows = [
                [_cell(s["name"], 60), str(s["quantity"]), "☐"] for s in standard[: self.MAX_ROWS]
            ]
            flow.append(
                self._table(
                    ["Standaarduitrusting", "Aantal", "✓"], rows, [110 * mm, 45 * mm, 15 * mm]
                )
            )
            flow += self._not_printed(len(standard))
        return flow  # fmt: skip

    def _not_printed(self, total: int) -> list:
        hidden = total - self.MAX_ROWS
        if hidden <= 0:
            return []
        return [Paragraph(f"… en nog {hidden} regels: zie de paklijst in de app.", self.small)]

    def _footer(self, canvas, doc) -> None:
        canvas.setFont(self.FONT, 8)
        canvas.drawString(
            self.MARGIN, 8 * mm, f"Gemaakt {self.generated_at:%d-%m-%Y %H:%M} — Techniekwagen"
        )
        canvas.drawRightString(A4[0] - self.MARGIN, 8 * mm, f"pagina {doc.page}")

    def render(self) -> bytes:
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=self.MARGIN,
            rightMargin=self.MARGIN,
            topMargin=self.MARGIN,
            bottomMargin=16 * mm,
            title=f"Dagblad {_cell(self.route.wagon.name, 100)} {self.route.date:%Y-%m-%d}",
            author="Techniekwagen",
        )
        story = self.header()
        if not self.packing_only:
            story += self.problems() + self.stops()
        story += self.packing_section()
        doc.build(story, onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()
