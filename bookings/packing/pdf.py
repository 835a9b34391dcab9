"""The packing list as a printable A4 PDF (Dutch), for when the tablet dies.

`PackingListPdf(context, generated_at=...).render()` takes the dict from
`bookings.packing.selectors.pdf_context_for_booking` and returns bytes; it never writes to the
database. Black and white, built-in fonts only (nothing to embed), asset tags in Courier. The QR
code opens the visit's crew page — never an item code, so scanning the paper cannot count as
scanning an item. It is encoded and drawn once per document as a form and reused on every page.

Bounded whatever the database holds: free text is cut at the API's limits (rows written before the
limits existed included), long words wrap, and the tables print at most `MAX_ROWS` rows in all
(about 20 pages); what does not fit is counted and left to the tablet. The largest booking the API
accepts renders well under 2 s (bench/bench_worst_pdf.py).
"""

import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

from django.conf import settings
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backend.core.dates import combine_minutes
from backend.core.dutch import long_date
from backend.core.limits import NAME_MAX_LENGTH, TEXT_MAX_LENGTH

CONDITIONS = {"ok": "in orde", "damaged": "beschadigd", "missing": "vermist"}


def dutch_date(value: dt.date) -> str:
    return long_date(value)


def crew_visit_url(booking_id: int) -> str:
    return f"{settings.SITE_URL}/crew/visits/{booking_id}/"


def _qty(value, unit: str | None = None) -> str:
    text = f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
    return f"{text} {unit}" if unit else text


def _clip(text: str | None, length: int) -> str:
    text = text or ""
    return text if len(text) <= length else text[: length - 1] + "…"


class _NumberedCanvas(pdfcanvas.Canvas):
    """Holds pages back until the end so every footer can say "pagina X van Y"."""

    footer_left = ""
    footer_right = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.setFont("Helvetica", 8)
        self.setFillColor(colors.black)
        self.drawString(PackingListPdf.MARGIN, 8 * mm, self.footer_left)
        self.drawRightString(A4[0] - PackingListPdf.MARGIN, 8 * mm, f"pagina {number} van {total}")
        self.drawCentredString(A4[0] / 2, 8 * mm, self.footer_right)


class _Table(Table):
    """A Table that skips empty cells (the checkbox columns) instead of drawing empty text."""

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 (reportlab's name)
        if cellval == "":
            return
        super()._drawCell(cellval, cellstyle, pos, size)


class PackingListPdf:
    """Renderer; sizes in mm, page parts as methods."""

    MARGIN = 15 * mm
    TOP_BAND = 30 * mm  # page header band with the QR code
    QR_SIZE = 24 * mm
    BOTTOM = 15 * mm
    CHECK_COL = 13 * mm
    ROW_HEIGHT = 13  # points: 10.5 pt leading + padding
    FONT = "Helvetica"
    FONT_BOLD = "Helvetica-Bold"
    MONO = "Courier-Bold"
    MAX_ROWS = 1000  # table rows over all sections (≈ 20 pages); the rest is on the tablet
    MAX_SESSIONS = 12  # the API's limit per booking

    def __init__(self, context: dict, *, generated_at: dt.datetime):
        self.context = context
        self.booking = context["booking_obj"]
        self.generated_at = generated_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        self.qr_payload = crew_visit_url(self.booking.id)
        self._form_ready = False
        self.small = ParagraphStyle("small", fontName=self.FONT, fontSize=9, leading=11.5)
        self.title = ParagraphStyle("title", fontName=self.FONT_BOLD, fontSize=15, leading=18)
        self.heading = ParagraphStyle(
            "heading", fontName=self.FONT_BOLD, fontSize=11, leading=14, spaceBefore=8
        )
        self.rows_left = self.MAX_ROWS

    def _budget(self, lines: list) -> tuple[list, int]:
        """The lines that still fit in MAX_ROWS, and how many do not."""
        shown = lines[: max(self.rows_left, 0)]
        self.rows_left -= len(shown)
        return shown, len(lines) - len(shown)

    def _not_printed(self, count: int) -> list:
        if not count:
            return []
        return [
            Paragraph(
                f"… en nog {count} regels: te veel om af te drukken, zie de paklijst op de tablet.",
                self.small,
            )
        ]

    # --- page furniture ---------------------------------------------------------------------

    def _qr_form(self, canvas) -> None:
        """Encode the QR code once and draw it as one filled path in a form that every page
        reuses (reportlab's widget would draw hundreds of separate rectangles per page)."""
        if self._form_ready:
            return
        widget = QrCodeWidget(self.qr_payload, barLevel="M", barBorder=1)
        widget.qr.make()
        modules = widget.qr.modules
        count = len(modules)
        box = self.QR_SIZE / (count + 2 * widget.barBorder)
        path = canvas.beginPath()
        for r, row in enumerate(modules):
            top = self.QR_SIZE - (r + widget.barBorder + 1) * box
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    path.rect((start + widget.barBorder) * box, top, (c - start) * box, box)
                else:
                    c += 1
        canvas.beginForm("crew_qr")
        canvas.setFillColor(colors.black)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
        self._form_ready = True

    def _on_page(self, canvas, doc) -> None:
        self._qr_form(canvas)
        width, height = A4
        x = width - self.MARGIN - self.QR_SIZE
        y = height - self.MARGIN - self.QR_SIZE + 4 * mm
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm("crew_qr")
        canvas.restoreState()
        canvas.linkURL(self.qr_payload, (x, y, x + self.QR_SIZE, y + self.QR_SIZE), relative=0)
        canvas.setFont(self.FONT, 6.5)
        canvas.drawRightString(width - self.MARGIN, y - 2.5 * mm, "scan: bezoekpagina crew")
        canvas.setFont(self.FONT_BOLD, 10)
        canvas.drawString(
            self.MARGIN,
            height - self.MARGIN,
            f"Paklijst {self.booking.reference} — {_clip(self.booking.school.name, 80)}",
        )
        canvas.setFont(self.FONT, 9)
        canvas.drawString(
            self.MARGIN, height - self.MARGIN - 5 * mm, dutch_date(self.booking.date).capitalize()
        )

    # --- content ----------------------------------------------------------------------------

    def header(self) -> list:
        booking, school = self.booking, self.booking.school
        sessions = self.context["sessions"]
        wagon = booking.wagon
        lines = [
            f"<b>School:</b> {_text(school.name)} ({_text(school.brin)})",
            f"<b>Adres:</b> {_text(school.address)}, {_text(school.postcode)} {_text(school.city)}",
            f"<b>Datum:</b> {dutch_date(booking.date)}",
        ]
        if sessions:
            first = min(s["start_time"] for s in sessions)
            setup = wagon.setup_minutes if wagon else 45
            arrive = combine_minutes(booking.date, first, -setup).time()
            lines.append(f"<b>Aankomst uiterlijk:</b> {arrive:%H:%M} (opbouw {setup} min)")
        for session in sessions[: self.MAX_SESSIONS]:
            lines.append(
                f"&nbsp;&nbsp;{session['start_time']:%H:%M} {_text(session['group_label'])} — "
                f"{_text(session['workshop_name'])} ({session['pupils']} lln, "
                f"{session['duration_minutes']} min)"
            )
        if len(sessions) > self.MAX_SESSIONS:
            lines.append(f"&nbsp;&nbsp;… en nog {len(sessions) - self.MAX_SESSIONS} sessies")
        if wagon:
            lines.append(f"<b>Wagen:</b> {_text(wagon.name)} ({_text(wagon.plate)})")
        contact = ", ".join(
            part
            for part in (booking.contact_name, booking.contact_phone, booking.contact_email)
            if part
        )
        lines.append(f"<b>Contact:</b> {_text(contact, 3 * NAME_MAX_LENGTH)}")
        notes = booking.site_notes or school.site_notes
        if notes:
            lines.append(f"<b>Locatie-info:</b> {_text(notes, TEXT_MAX_LENGTH)}")
        return [Paragraph("<br/>".join(lines), self.small), Spacer(1, 3 * mm)]

    def _table(self, head, rows, widths, groups, mono_column: int | None = None) -> Table:
        # Fixed row heights: reportlab then skips measuring every row again at each page split.
        table = _Table([head] + rows, colWidths=widths, rowHeights=self.ROW_HEIGHT, repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, 0), self.FONT_BOLD, 8.5, 10.5),
            ("FONT", (0, 1), (-1, -1), self.FONT, 9, 10.5),
            ("LEADING", (0, 0), (-1, -1), 10.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("ALIGN", (0, 0), (1, -1), "CENTER"),
        ]
        if mono_column is not None:
            style.append(("FONT", (mono_column, 1), (mono_column, -1), self.MONO, 10, 10.5))
        for row in groups:
            style += [
                ("SPAN", (0, row), (-1, row)),
                ("FONT", (0, row), (-1, row), self.FONT_BOLD, 9, 10.5),
                ("BACKGROUND", (0, row), (-1, row), colors.Color(0.93, 0.93, 0.93)),
                ("ALIGN", (0, row), (-1, row), "LEFT"),
            ]
        table.setStyle(TableStyle(style))
        return table

    @staticmethod
    def _marks(line: dict) -> list[str]:
        returned = ""
        if line["condition"]:
            returned = "X" if line["condition"] == "ok" else CONDITIONS[line["condition"]][:5]
        return ["X" if line["packed"] else "", returned]

    def items(self) -> list:
        lines = [line for line in self.context["lines"] if line["kind"] == "item"]
        if not lines:
            return []
        rows, groups, current = [], [], None
        printed = 0
        for line in lines:
            key = (line["storage_location"], line["case"])
            if len(rows) + (key != current) >= self.rows_left:
                break
            if key != current:
                current = key
                label = f"Locatie {_clip(line['storage_location'], 50) or '—'}"
                if line["case"]:
                    label += f" — koffer {_clip(line['case'], 30)}"
                groups.append(len(rows) + 1)
                rows.append([_clip(label, 90), "", "", "", ""])
            tag = _clip(line["asset_tag"], 20) or "(nog scannen)"
            rows.append([*self._marks(line), tag, _clip(line["name"], 48), "1"])
            printed += 1
        self.rows_left -= len(rows)
        if not rows:
            return self._not_printed(len(lines))
        widths = [self.CHECK_COL, self.CHECK_COL, 38 * mm, 100 * mm, 16 * mm]
        head = ["Ingepakt", "Retour", "Inventarisnr.", "Soort materiaal", "Aantal"]
        table = self._table(head, rows, widths, groups, mono_column=2)
        return [
            Paragraph("Materiaal per locatie en koffer", self.heading),
            table,
            *self._not_printed(len(lines) - printed),
        ]

    def consumables(self) -> list:
        lines = [line for line in self.context["lines"] if line["kind"] == "consumable"]
        if not lines:
            return []
        lines, hidden = self._budget(lines)
        if not lines:
            return self._not_printed(hidden)
        rows = [
            [
                *self._marks(line),
                _clip(line["name"], 50),
                _qty(line["quantity"], _clip(line["unit"], 12)),
                "",
            ]
            for line in lines
        ]
        widths = [self.CHECK_COL, self.CHECK_COL, 84 * mm, 35 * mm, 35 * mm]
        return [
            Paragraph("Verbruiksmateriaal", self.heading),
            self._table(["Ingepakt", "Retour", "Materiaal", "Mee", "Verbruikt"], rows, widths, []),
            *self._not_printed(hidden),
        ]

    def standard(self) -> list:
        lines = [line for line in self.context["lines"] if line["kind"] == "standard"]
        if not lines:
            return []
        lines, hidden = self._budget(lines)
        if not lines:
            return self._not_printed(hidden)
        rows = [
            [
                *self._marks(line),
                _clip(line["storage_location"], 16) or "—",
                _clip(line["name"], 55),
                _qty(line["quantity"], _clip(line["unit"], 6)),
            ]
            for line in lines
        ]
        widths = [self.CHECK_COL, self.CHECK_COL, 30 * mm, 100 * mm, 24 * mm]
        return [
            Paragraph("Standaarduitrusting", self.heading),
            self._table(
                ["Ingepakt", "Retour", "Locatie", "Omschrijving", "Aantal"], rows, widths, []
            ),
            *self._not_printed(hidden),
        ]

    def signatures(self) -> list:
        rows = [
            ["Ingepakt door:", "", "Datum en tijd:", ""],
            ["Gecontroleerd door:", "", "Datum en tijd:", ""],
            ["Retour gecontroleerd door:", "", "Datum en tijd:", ""],
        ]
        table = Table(rows, colWidths=[45 * mm, 60 * mm, 28 * mm, 47 * mm], rowHeights=7.5 * mm)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.FONT, 9),
                    ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                    ("LINEBELOW", (3, 0), (3, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        return [Spacer(1, 3 * mm), table]

    # --- assembly ---------------------------------------------------------------------------

    def render(self) -> bytes:
        buffer = BytesIO()
        booking = self.booking
        self.rows_left = self.MAX_ROWS
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=self.MARGIN,
            rightMargin=self.MARGIN,
            topMargin=self.TOP_BAND,
            bottomMargin=self.BOTTOM,
            title=f"Paklijst {booking.reference}",
            author="Techniekwagen",
            subject=f"{_clip(booking.school.name, NAME_MAX_LENGTH)} {booking.date.isoformat()}",
            lang="nl",
        )
        story = self.header() + self.items() + self.consumables() + self.standard()
        story += self.signatures()
        footer_left = f"Paklijst {booking.reference}"
        footer_right = f"gegenereerd op {self.generated_at:%d-%m-%Y %H:%M}"

        class Canvas(_NumberedCanvas):
            pass

        Canvas.footer_left = footer_left
        Canvas.footer_right = footer_right
        doc.build(story, onFirstPage=self._on_page, onLaterPages=self._on_page, canvasmaker=Canvas)
        return buffer.getvalue()


def _esc(text) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(text, length: int = NAME_MAX_LENGTH) -> str:
    """Free text for a Paragraph: cut at `length` (rows older than the API's limits can be
    longer), escaped; reportlab wraps long words (splitLongWords)."""
    return _esc(_clip(str(text or ""), length))
