"""Asset labels as an A4 PDF: one QR code per label holding the asset tag (or a case's code).

`LabelSheetPdf(labels, layout="3x8", start=1).render()` returns bytes; no database access. A label is
a `Label(code, title, subtitle)`: the code is what any scanner reads (and what the crew pages look
up), printed large beside the QR code with the kit type and depot. `start` skips the first
positions of the first sheet, so a half-used sheet goes through the printer again.
"""

from dataclasses import dataclass
from io import BytesIO

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas

# Labels one request may print: 40 sheets of 3×8, far above a depot's inventory per print run.
MAX_LABELS = 960


class _FixedMaskQr(qrencoder.QRCode):
    """A QR code with one fixed mask pattern. Any of the eight masks is valid for every reader;
    scoring all eight (reportlab's default) costs ten times the encoding, and 500 labels must
    render in well under 2 s (bench/bench_crew_day.py)."""

    def getBestMaskPattern(self):  # noqa: N802 (reportlab's name)
        return 2


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code's dark modules, row by row (error correction M)."""
    code = _FixedMaskQr(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]


@dataclass(frozen=True)
class Label:
    code: str
    title: str
    subtitle: str = ""


@dataclass(frozen=True)
class Layout:
    """An A4 label sheet: columns × rows of labels, margins and gaps in mm."""

    name: str
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    # 70×37 mm, edge to edge (e.g. Avery 3475, Herma 4453): 3 × 70 = 210, 8 × 37 = 296 (+0.5 top).
    "3x8": Layout("3x8", 3, 8, 70.0, 37.0, left=0.0, top=0.5),
    # 99.1×38.1 mm, 2×7 (e.g. Avery L7163): the common "14 per sheet" layout.
    "2x7": Layout("2x7", 2, 7, 99.1, 38.1, left=4.65, top=15.15, gap_x=2.5),
}


def _fit(canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size ≤ size at which text fits width (down to 5 pt; cut after that)."""
    while size > 5 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _clip(canvas, text: str, font: str, size: float, width: float) -> str:
    while text and canvas.stringWidth(text, font, size) > width:
        text = text[:-1]
    return text


class LabelSheetPdf:
    PADDING = 3 * mm
    QR_QUIET = 1 * mm

    def __init__(self, labels: list[Label], *, layout: str = "3x8", start: int = 1):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}")
        self.layout = LAYOUTS[layout]
        if not 1 <= start <= self.layout.per_sheet:
            raise ValueError(f"start must be 1..{self.layout.per_sheet}")
        self.labels = labels[:MAX_LABELS]
        self.start = start

    def position(self, index: int) -> tuple[int, int, int]:
        """(sheet, column, row) of the index-th label (0-based), counting the skipped positions."""
        slot = index + self.start - 1
        sheet, within = divmod(slot, self.layout.per_sheet)
        row, column = divmod(within, self.layout.columns)
        return sheet, column, row

    def origin(self, column: int, row: int) -> tuple[float, float]:
        """Bottom-left corner of a label in points."""
        lay = self.layout
        x = (lay.left + column * (lay.width + lay.gap_x)) * mm
        top = A4[1] - (lay.top + row * (lay.height + lay.gap_y)) * mm
        return x, top - lay.height * mm

    def draw_label(self, canvas, label: Label, x: float, y: float) -> None:
        lay = self.layout
        width, height = lay.width * mm, lay.height * mm
        size = height - 2 * self.PADDING
        self.draw_qr(canvas, label.code, x + self.PADDING, y + self.PADDING, size)
        text_x = x + self.PADDING + size + self.PADDING
        text_width = width - (text_x - x) - self.PADDING
        code_size = _fit(canvas, label.code, "Courier-Bold", 16, text_width)
        canvas.setFont("Courier-Bold", code_size)
        canvas.drawString(
            text_x,
            y + height - self.PADDING - code_size,
            _clip(canvas, label.code, "Courier-Bold", code_size, text_width),
        )
        canvas.setFont("Helvetica", 8)
        canvas.drawString(
            text_x, y + height / 2 - 4, _clip(canvas, label.title, "Helvetica", 8, text_width)
        )
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            text_x, y + self.PADDING + 1, _clip(canvas, label.subtitle, "Helvetica", 7, text_width)
        )

    def draw_qr(self, canvas, text: str, x: float, y: float, size: float) -> None:
        """The code as one filled path of horizontal runs in module units (one transform, integer
        coordinates: exact edges and no float formatting per module), inside the quiet zone the
        padding provides."""
        modules = qr_modules(text)
        count = len(modules)
        unit = size / count
        ops = []
        for row, cells in enumerate(modules):
            col = 0
            while col < count:
                if cells[col]:
                    end = col
                    while end < count and cells[end]:
                        end += 1
                    ops.append(f"{col} {row} {end - col} 1 re")
                    col = end
                else:
                    col += 1
        canvas.saveState()
        # Row 0 at the top: y runs downwards in module space.
        canvas.transform(unit, 0, 0, -unit, x, y + size)
        canvas._code.append(" ".join(ops) + " f")  # noqa: SLF001 (raw path: 50× faster)
        canvas.restoreState()

    def render(self) -> bytes:
        buffer = BytesIO()
        canvas = pdfcanvas.Canvas(buffer, pagesize=A4, pageCompression=1)
        canvas.setTitle("Etiketten")
        canvas.setAuthor("Techniekwagen")
        current_sheet = 0
        for index, label in enumerate(self.labels):
            sheet, column, row = self.position(index)
            while sheet > current_sheet:
                canvas.showPage()
                current_sheet += 1
            x, y = self.origin(column, row)
            self.draw_label(canvas, label, x, y)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()
