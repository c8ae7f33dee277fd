"""A label as a PDF: A4 (the label at the top, a cut line, the instructions below) or a
4×6 in page for label printers (the label, then the instructions on a second page). The label
holds the sender's and the warehouse's address, the reference, a Code 128 barcode of the
tracking number with the number printed under it, and a QR code of the reference and tracking
number for the warehouse's scanner. Text in any script goes through shipments.labels.fonts."""

from io import BytesIO
from typing import Literal

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from shipments.labels import fonts
from shipments.labels.addresses import Address
from shipments.labels.models import Label
from shipments.labels.texts import LabelTexts, label_texts

Size = Literal["a4", "4x6"]
SIZES: tuple[Size, ...] = ("a4", "4x6")
LABEL_4X6 = (4 * inch, 6 * inch)
# The barcode's bars are this tall: tall enough for a hand scanner at an angle, and unlike any
# other rectangle on the page (tests find the bars by it).
BARCODE_HEIGHT = 54.0
MARGIN = 12.0
INK = (0.07, 0.07, 0.07)


def qr_value(label: Label) -> str:
    """What the QR code holds: the reference and the tracking number, for the warehouse."""
    return f"REF:{label.reference};TRACKING:{label.shipment.tracking_number}"


def _address(
    canvas: Canvas, x: float, top: float, width: float, address: Address, *, size: float
) -> float:
    """Draw `address` from `top` down; returns the y below it. An address whose name or street
    is written right to left (Arabic, Hebrew) is set flush right, as it is read."""
    y = top
    rtl = bool(fonts.RTL.search(address.name) or fonts.RTL.search(address.line1))
    for index, line in enumerate(address.lines()):
        line_size = size * 1.15 if index == 0 else size
        y -= line_size * 1.3
        fonts.draw(
            canvas,
            x + width if rtl else x,
            y,
            line,
            line_size,
            bold=index == 0,
            max_width=width,
            align_right=rtl,
        )
    return y


def _caption(canvas: Canvas, x: float, y: float, text: str) -> None:
    canvas.setFillColorRGB(0.35, 0.35, 0.35)
    fonts.draw(canvas, x, y, text.upper(), 7)
    canvas.setFillColorRGB(*INK)


def _rule(canvas: Canvas, x: float, y: float, width: float) -> None:
    canvas.setLineWidth(0.6)
    canvas.line(x, y, x + width, y)


def _barcode(canvas: Canvas, x: float, y: float, width: float, value: str) -> None:
    """A Code 128 barcode of `value`, as wide as it may be up to `width`, bottom at `y`."""
    probe = Code128(value, barWidth=1, barHeight=BARCODE_HEIGHT, humanReadable=False)
    bar_width = min(1.6, width / probe.width)
    code = Code128(value, barWidth=bar_width, barHeight=BARCODE_HEIGHT, humanReadable=False)
    code.drawOn(canvas, x + (width - code.width) / 2, y)


def _qr(canvas: Canvas, x: float, y: float, side: float, value: str) -> None:
    """A QR code of `value` (error correction M), `side` points square with its quiet zone,
    drawn as rectangles: each row's dark modules merged into runs."""
    matrix = segno.make(value, error="m", micro=False).matrix
    quiet = 2
    cells = len(matrix) + 2 * quiet
    module = side / cells
    for row_index, row in enumerate(matrix):
        top = y + side - (row_index + quiet + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            canvas.rect(
                x + (start + quiet) * module,
                top,
                (column - start) * module,
                module,
                stroke=0,
                fill=1,
            )


def _label(
    canvas: Canvas, label: Label, texts: LabelTexts, x: float, y: float, w: float, h: float
) -> None:
    """The label itself in the box (x, y, w, h)."""
    shipment = label.shipment
    sender, recipient = Address(**label.from_address), Address(**label.to_address)
    canvas.setStrokeColorRGB(*INK)
    canvas.setFillColorRGB(*INK)
    canvas.setLineWidth(1.2)
    canvas.rect(x, y, w, h)
    inner_x, inner_w = x + 8, w - 16
    top = y + h - 8
    # Carrier and the return mark.
    fonts.draw(
        canvas, inner_x, top - 14, shipment.carrier.name, 12, bold=True, max_width=inner_w * 0.6
    )
    if texts.return_mark:
        fonts.draw(
            canvas, inner_x + inner_w, top - 16, texts.return_mark, 16, bold=True, align_right=True
        )
    top -= 24
    _rule(canvas, x, top, w)
    # From: the customer (a return) or the warehouse.
    _caption(canvas, inner_x, top - 10, texts.from_caption)
    top = _address(canvas, inner_x, top - 12, inner_w, sender, size=8) - 6
    _rule(canvas, x, top, w)
    # To: the big one.
    _caption(canvas, inner_x, top - 10, texts.to_caption)
    top = _address(canvas, inner_x + 10, top - 14, inner_w - 10, recipient, size=12) - 8
    _rule(canvas, x, top, w)
    # Reference and QR code side by side.
    qr_side = min(78.0, top - y - BARCODE_HEIGHT - 48)
    _caption(canvas, inner_x, top - 12, texts.reference_caption)
    fonts.draw(
        canvas, inner_x, top - 32, label.reference, 16, bold=True, max_width=inner_w - qr_side - 8
    )
    fonts.draw(canvas, inner_x, top - 48, texts.valid_until, 8, max_width=inner_w - qr_side - 8)
    _qr(canvas, inner_x + inner_w - qr_side, top - qr_side - 4, qr_side, qr_value(label))
    # The barcode along the bottom, its number under it.
    bottom = y + 8
    _caption(canvas, inner_x, bottom + 16 + BARCODE_HEIGHT + 4, texts.tracking_caption)
    number_width = fonts.text_width(shipment.tracking_number, 11, bold=True)
    fonts.draw(
        canvas,
        inner_x + (inner_w - number_width) / 2,
        bottom + 2,
        shipment.tracking_number,
        11,
        bold=True,
    )
    _barcode(canvas, inner_x, bottom + 16, inner_w, shipment.tracking_number)


def _instructions(
    canvas: Canvas, texts: LabelTexts, x: float, top: float, width: float, *, size: float
) -> None:
    fonts.draw(
        canvas,
        x,
        top - size * 1.6,
        texts.instructions_title,
        size * 1.35,
        bold=True,
        max_width=width,
    )
    y = top - size * 1.6 - size
    for number, step in enumerate(texts.steps, start=1):
        y -= size * 0.6
        fonts.draw(canvas, x, y - size * 1.3, f"{number}.", size, bold=True)
        for line in fonts.wrap(step, size, width - size * 1.8):
            y -= size * 1.4
            fonts.draw(canvas, x + size * 1.8, y, line, size)


def label_pdf(*, label: Label, size: Size, language: str) -> bytes:
    """The PDF of `label` in `size`, its words in `language`. Raises LabelFontsMissing when
    the fonts are not installed, ValueError for a size that is not one of SIZES."""
    if size not in SIZES:
        raise ValueError(f"Unknown label size {size!r}.")
    fonts.faces()
    texts = label_texts(label=label, language=language)
    buffer = BytesIO()
    page = A4 if size == "a4" else LABEL_4X6
    # The page's initial font is one of ours: no text is in a font the PDF does not embed.
    canvas = Canvas(buffer, pagesize=page, pageCompression=1, initialFontName=fonts.FONTS[0].name)
    canvas.setTitle(texts.title)
    canvas.setAuthor("Aftersales")
    canvas.setSubject(label.shipment.tracking_number)
    width, height = page
    if size == "4x6":
        _label(canvas, label, texts, MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN)
        if texts.steps:
            canvas.showPage()
            _instructions(
                canvas, texts, MARGIN + 4, height - MARGIN, width - 2 * MARGIN - 8, size=10
            )
    else:
        box_w, box_h = LABEL_4X6[0] + 36, LABEL_4X6[1] - 24
        box_x, box_y = (width - box_w) / 2, height - 15 * mm - box_h
        _label(canvas, label, texts, box_x, box_y, box_w, box_h)
        cut = box_y - 8 * mm
        canvas.setDash(4, 3)
        canvas.setLineWidth(0.5)
        canvas.line(15 * mm, cut, width - 15 * mm, cut)
        canvas.setDash()
        if texts.steps:
            _instructions(canvas, texts, 20 * mm, cut - 4 * mm, width - 40 * mm, size=11)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
