"""Reading a label PDF back: its text, its fonts, and its Code 128 barcode decoded from the
bars drawn on the page (not from what the code meant to draw)."""

from io import BytesIO

from pypdf import PdfReader
from reportlab.graphics.barcode.code128 import _patterns

from shipments.labels.pdf import BARCODE_HEIGHT

# Code 128's symbol patterns, bar and space widths in modules: "BbBaBb" is 2 1 2 2 2 2 (the
# letter's place in the alphabet is the width; capitals are bars).
WIDTHS = {
    "".join(str(ord(c.lower()) - ord("a") + 1) for c in pattern): value
    for value, pattern in _patterns.items()
    if isinstance(value, int)
}
START_A, START_B, START_C, CODE_C, CODE_B, CODE_A, STOP = 103, 104, 105, 99, 100, 101, 106


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            embedded = "/FontFile2" in font.get("/FontDescriptor", {})
            names.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    return names


def bars(pdf: bytes) -> list[tuple[float, float]]:
    """(x, width) of every filled rectangle exactly as tall as the barcode, left to right."""
    found = []
    for operands, operator in reader(pdf).pages[0].get_contents().operations:
        if operator == b"re" and abs(float(operands[3]) - BARCODE_HEIGHT) < 0.01:
            found.append((float(operands[0]), float(operands[2])))
    return sorted(found)


def decode_code128(found: list[tuple[float, float]]) -> str:
    """The text a Code 128 symbol of these bars carries; checks the checksum and the stop."""
    module = min(width for _, width in found)
    elements: list[int] = []
    for index, (x, width) in enumerate(found):
        if index:
            previous_x, previous_width = found[index - 1]
            elements.append(round((x - previous_x - previous_width) / module))
        elements.append(round(width / module))
    elements.append(0)  # no space after the stop's last bar
    symbols = []
    while len(elements) > 8:
        key = "".join(map(str, elements[:6]))
        symbols.append(WIDTHS[key])
        elements = elements[6:]
    assert elements[:7] == [2, 3, 3, 1, 1, 1, 2], "not a Code 128 stop pattern"
    *data, check = symbols
    assert sum(value * max(position, 1) for position, value in enumerate(data)) % 103 == check
    start, *values = data
    code = {START_A: "A", START_B: "B", START_C: "C"}[start]
    out = ""
    for value in values:
        if code == "C":
            if value in (CODE_A, CODE_B):
                code = "A" if value == CODE_A else "B"
            else:
                out += f"{value:02d}"
        elif value == CODE_C:
            code = "C"
        elif (code, value) in (("B", CODE_A), ("A", CODE_B)):
            code = "A" if value == CODE_A else "B"
        elif code == "B":
            out += chr(value + 32)
        else:
            out += chr(value + 32) if value < 64 else chr(value - 64)
    return out


def qr_matrix(pdf: bytes) -> list[list[int]]:
    """The QR code's modules as drawn: the small rectangles of the most common height (one
    module tall), laid back on their grid from the top-left finder pattern."""
    rects = []
    for operands, operator in reader(pdf).pages[0].get_contents().operations:
        if operator == b"re":
            x, y, width, height = (float(value) for value in operands)
            if height < 10 and abs(height - BARCODE_HEIGHT) > 0.01:
                rects.append((x, y, width, height))
    heights = [round(r[3], 3) for r in rects]
    module = max(set(heights), key=heights.count)
    rects = [r for r in rects if round(r[3], 3) == module]
    left = min(r[0] for r in rects)
    top = max(r[1] for r in rects)
    size = round((max(r[0] + r[2] for r in rects) - left) / module)
    matrix = [[0] * size for _ in range(size)]
    for x, y, width, _height in rects:
        row = round((top - y) / module)
        start = round((x - left) / module)
        for column in range(start, start + round(width / module)):
            matrix[row][column] = 1
    return matrix
