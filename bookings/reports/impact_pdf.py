"""The impact report as a printable A4 year report for a funder (Dutch).

`ImpactPdf(report, generated_at=...).render()` takes the dict from
`bookings.reports.impact.impact_report` and returns bytes; it never touches the database.
Built-in fonts only (nothing to embed), black and white. The report holds nothing personal (no
contact names, e-mails or phones), so neither does the PDF. Bounded: the rows table prints at most
`MAX_ROWS` rows (programmes, workshops or school types: far fewer in practice), the rest counted.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backend.core.dutch import long_date

GROUP_LABELS = {"programme": "programma", "workshop": "workshop", "school_type": "schooltype"}


def percent(value: float | None) -> str:
    """0.4268 → "42,7%"; None (nothing to divide by) → "–"."""
    return "–" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def decimal(value, places: int = 1) -> str:
    if value is None:
        return "–"
    return f"{float(value):.{places}f}".replace(".", ",")


def whole(value: int) -> str:
    """Thousands with a dot, as Dutch readers expect: 12345 → "12.345"."""
    return f"{value:,}".replace(",", ".")


def hours(value: Decimal) -> str:
    return decimal(value, 2)


def period_label(report: dict) -> str:
    if report["school_year"] is not None:
        return f"schooljaar {report['school_year']}-{report['school_year'] + 1}"
    return f"{long_date(report['date_from'])} – {long_date(report['date_to'])}"


def key_figures(figures: dict) -> list[tuple[str, str]]:
    """(Dutch label, formatted value) of a row's figures: the PDF's and the page's wording."""
    return [
        ("Bezoeken", whole(figures["visits"])),
        ("Unieke scholen (BRIN + vestiging)", whole(figures["schools"])),
        ("Leerlingcontacten", whole(figures["pupils"])),
        (
            "Aandeel meisjes",
            f"{percent(figures['girls_share'])} "
            f"(bekend voor {percent(figures['gender_coverage'])} van de leerlingen)",
        ),
        ("Docenten bereikt", whole(figures["teachers"])),
        ("Partnerdeelnames", whole(figures["partner_participations"])),
        ("Partneruren", hours(figures["partner_hours"])),
        (
            "Respons feedback",
            f"{percent(figures['response_rate'])} "
            f"({figures['responses']} van {figures['completed_visits']} afgeronde bezoeken)",
        ),
        ("Waardering workshop (1–5)", decimal(figures["workshop_rating"])),
        ("Waardering crew (1–5)", decimal(figures["crew_rating"])),
        ("Waardering organisatie (1–5)", decimal(figures["organisation_rating"])),
        ("Leerlingen enthousiaster over techniek (1–5)", decimal(figures["enthusiasm"])),
        ("Zou opnieuw boeken", percent(figures["book_again_share"])),
    ]


class _NumberedCanvas(pdfcanvas.Canvas):
    """Holds pages back until the end so every footer can say "pagina X van Y"."""

    footer_left = ""
    footer_right = ""
    margin = 15 * mm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        width = self._pagesize[0]
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.black)
            self.drawString(self.margin, 8 * mm, self.footer_left)
            self.drawCentredString(width / 2, 8 * mm, self.footer_right)
            self.drawRightString(width - self.margin, 8 * mm, f"pagina {number} van {total}")
            super().showPage()
        super().save()


class ImpactPdf:
    """Renderer; sizes in mm, page parts as methods. Portrait A4: the rows table keeps to nine
    compact columns so it fits without landscape pages."""

    MARGIN = 15 * mm
    TOP = 18 * mm
    BOTTOM = 16 * mm
    LABEL_COL = 95 * mm
    NAME_COL = 40 * mm
    FONT = "Helvetica"
    FONT_BOLD = "Helvetica-Bold"
    MAX_ROWS = 500

    def __init__(self, report: dict, *, generated_at: dt.datetime):
        self.report = report
        self.generated_at = generated_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        self.small = ParagraphStyle("small", fontName=self.FONT, fontSize=8.5, leading=11)
        self.body = ParagraphStyle("body", fontName=self.FONT, fontSize=10, leading=13)
        self.title = ParagraphStyle("title", fontName=self.FONT_BOLD, fontSize=16, leading=20)
        self.heading = ParagraphStyle(
            "heading", fontName=self.FONT_BOLD, fontSize=12, leading=15, spaceBefore=10
        )
        self.cell = ParagraphStyle("cell", fontName=self.FONT, fontSize=8, leading=10)
        self.cell_head = ParagraphStyle(
            "cell_head", fontName=self.FONT_BOLD, fontSize=7.5, leading=9, alignment=2
        )

    def header(self) -> list:
        report = self.report
        programmes = report["programmes"]
        if len(programmes) == 1:
            who = f"Programma {programmes[0]['name']}, projectcode {programmes[0]['project_code']}"
        else:
            codes = ", ".join(f"{p['name']} ({p['project_code']})" for p in programmes)
            who = f"{len(programmes)} programma's: {codes}" if programmes else "Geen programma's"
        filters = []
        if report["filters"]["workshop"] is not None:
            filters.append("één workshop")
        if report["filters"]["school_type"]:
            filters.append(f"schooltype {report['filters']['school_type']}")
        narrowed = f" Alleen {' en '.join(filters)}." if filters else ""
        return [
            Paragraph(escape(f"Impactrapportage {period_label(report)}"), self.title),
            Spacer(1, 2 * mm),
            Paragraph(escape(who + "." + narrowed), self.body),
            Paragraph(
                escape(
                    f"{long_date(report['date_from'])} tot en met {long_date(report['date_to'])}. "
                    "Geteld: bezoeken die hebben plaatsgevonden (op locatie, teruggekeerd, "
                    "afgerond), zoals in de bereikrapportage."
                ),
                self.small,
            ),
        ]

    def totals(self) -> list:
        data = [[label, value] for label, value in key_figures(self.report["totals"])]
        table = Table(data, colWidths=[self.LABEL_COL, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.FONT, 10),
                    ("FONT", (1, 0), (1, -1), self.FONT_BOLD, 10),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return [Paragraph("Kerncijfers", self.heading), table]

    def rows(self) -> list:
        rows = self.report["rows"]
        group = GROUP_LABELS.get(self.report["group_by"], self.report["group_by"])
        header = [
            group.capitalize(),
            "Bezoeken",
            "Scholen",
            "Leerlingen",
            "Meisjes",
            "Bekend",
            "Docenten",
            "Partners",
            "Uren",
            "Respons",
            "Workshop",
        ]
        shown = rows[: self.MAX_ROWS]
        data = [[header[0]] + [Paragraph(escape(text), self.cell_head) for text in header[1:]]]
        for row in shown:
            data.append(
                [
                    Paragraph(escape(row["label"]), self.cell),
                    whole(row["visits"]),
                    whole(row["schools"]),
                    whole(row["pupils"]),
                    percent(row["girls_share"]),
                    percent(row["gender_coverage"]),
                    whole(row["teachers"]),
                    whole(row["partner_participations"]),
                    hours(row["partner_hours"]),
                    percent(row["response_rate"]),
                    decimal(row["workshop_rating"]),
                ]
            )
        # Fixed widths: ten narrow figure columns always fit the portrait page next to the name.
        figure_col = (A4[0] - 2 * self.MARGIN - self.NAME_COL) / (len(header) - 1)
        widths = [self.NAME_COL] + [figure_col] * (len(header) - 1)
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.FONT, 8),
                    ("FONT", (0, 0), (0, 0), self.FONT_BOLD, 7.5),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story = [Paragraph(escape(f"Per {group}"), self.heading)]
        if not rows:
            return story + [Paragraph("Geen bezoeken in deze periode.", self.body)]
        story.append(table)
        if len(rows) > len(shown):
            story.append(
                Paragraph(
                    f"Nog {len(rows) - len(shown)} rijen niet afgedrukt: zie de CSV.", self.small
                )
            )
        return story

    def notes(self) -> list:
        lines = [
            "Scholen zijn unieke BRIN + vestiging. Een bezoek telt bij elke workshop en elk "
            "schooltype waarvan het een groep had.",
            "Aandeel meisjes = meisjes / (meisjes + jongens) over de sessies waarvan beide bekend "
            "zijn; tussen haakjes het deel van de leerlingen waarvoor dat bekend is.",
            "Docenten bereikt = het aantal aanwezige docenten, opgeteld over de sessies.",
            "Feedback: reacties van docenten op afgeronde bezoeken; respons = reacties / afgeronde "
            "bezoeken. Waarderingen zijn gemiddelden op een schaal van 1 tot 5.",
        ]
        return [Paragraph("Toelichting", self.heading)] + [
            Paragraph(escape(line), self.small) for line in lines
        ]

    def render(self) -> bytes:
        buffer = BytesIO()
        report = self.report
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=self.MARGIN,
            rightMargin=self.MARGIN,
            topMargin=self.TOP,
            bottomMargin=self.BOTTOM,
            title=f"Impactrapportage {period_label(report)}",
            author="Techniekwagen",
            subject=report["project_code"] or "STO",
            lang="nl",
        )
        story = self.header() + self.totals() + self.rows() + self.notes()

        class Canvas(_NumberedCanvas):
            footer_left = f"Impactrapportage {period_label(report)}"
            footer_right = f"gegenereerd op {self.generated_at:%d-%m-%Y %H:%M}"
            margin = self.MARGIN

        doc.build(story, canvasmaker=Canvas)
        return buffer.getvalue()
