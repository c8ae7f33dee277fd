"""Text in any script on a PDF page: Debian's Noto fonts (Latin, Greek, Cyrillic, Arabic,
Hebrew) and WenQuanYi Micro Hei (Chinese, Japanese, Korean), embedded as subsets. ReportLab
draws one font at a time and shapes nothing, so a line is cut into runs, each in the first
font that has its characters, and a right-to-left line is shaped (arabic-reshaper) and put in
visual order (python-bidi) first. Noto's CJK fonts are CFF outlines, which ReportLab cannot
embed; WenQuanYi's are TrueType.

`make run` and `make test` install the Debian packages (Makefile, `fonts`)."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from django.utils.translation import gettext as _
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from tickets.errors import ApplicationError

NOTO = Path("/usr/share/fonts/truetype/noto")
WQY = Path("/usr/share/fonts/truetype/wqy")
DEBIAN_PACKAGES = "fonts-noto-core fonts-wqy-microhei"


@dataclass(frozen=True)
class FontFile:
    name: str
    path: Path
    bold_path: Path | None = None
    subfont: int = 0


# In the order they are tried for a character: Latin first, so digits and punctuation inside
# an Arabic or Chinese name stay in the Latin font.
FONTS = (
    FontFile("NotoSans", NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf"),
    FontFile(
        "NotoSansArabic", NOTO / "NotoSansArabic-Regular.ttf", NOTO / "NotoSansArabic-Bold.ttf"
    ),
    FontFile(
        "NotoSansHebrew", NOTO / "NotoSansHebrew-Regular.ttf", NOTO / "NotoSansHebrew-Bold.ttf"
    ),
    FontFile("WenQuanYiMicroHei", WQY / "wqy-microhei.ttc"),
)

RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


class LabelFontsMissing(ApplicationError):
    code = "label_fonts_missing"

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            _("Labels cannot be printed: fonts are missing (%(files)s). Install %(packages)s.")
            % {"files": ", ".join(missing), "packages": DEBIAN_PACKAGES},
        )


@dataclass(frozen=True)
class Face:
    """A registered font: its ReportLab names and the characters it has."""

    regular: str
    bold: str
    chars: frozenset[int]


@cache
def faces() -> tuple[Face, ...]:
    """Every font of FONTS, registered with ReportLab once per process. Raises
    LabelFontsMissing naming the files that are not there."""
    missing = [str(font.path) for font in FONTS if not font.path.exists()]
    if missing:
        raise LabelFontsMissing(missing)
    registered = []
    for font in FONTS:
        regular = TTFont(font.name, str(font.path), subfontIndex=font.subfont)
        pdfmetrics.registerFont(regular)
        bold_name = font.name
        if font.bold_path is not None and font.bold_path.exists():
            bold_name = f"{font.name}-Bold"
            pdfmetrics.registerFont(TTFont(bold_name, str(font.bold_path)))
        registered.append(Face(font.name, bold_name, frozenset(regular.face.charToGlyph)))
    return tuple(registered)


def visual(text: str) -> str:
    """`text` as drawn left to right: a line with Arabic or Hebrew shaped and reordered; any
    other line as it is."""
    text = unicodedata.normalize("NFC", text)
    if not RTL.search(text):
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


def runs(text: str, *, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, piece) runs of the visual `text`, each character in the first font of FONTS
    that has it (so Latin after Chinese is Noto again); anything not a letter stays in the
    run it is in where that font has it.
    A character no font has is drawn in the first font (a box) rather than dropped."""
    found = faces()
    chars = {name: face.chars for face in found for name in (face.regular, face.bold)}
    pieces: list[tuple[str, str]] = []
    for char in visual(text):
        code = ord(char)
        if (
            pieces
            and not unicodedata.category(char).startswith("L")
            and code in chars[pieces[-1][0]]
        ):
            # Spaces, digits and punctuation stay in the run's font: "2026年8月12日" is one
            # run in the Chinese font after its first letter, not nine.
            name = pieces[-1][0]
        else:
            face = next((face for face in found if code in face.chars), found[0])
            name = face.bold if bold else face.regular
        if pieces and pieces[-1][0] == name:
            pieces[-1] = (name, pieces[-1][1] + char)
        else:
            pieces.append((name, char))
    return pieces


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return float(sum(stringWidth(piece, name, size) for name, piece in runs(text, bold=bold)))


def draw(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    max_width: float | None = None,
    align_right: bool = False,
) -> float:
    """Draw `text` with its baseline at `y`, from `x` (or ending at `x` with `align_right`),
    shrunk to fit `max_width`; returns the size used."""
    width = text_width(text, size, bold=bold)
    if max_width and width > max_width:
        size = size * max_width / width
        width = max_width
    left = x - width if align_right else x
    for name, piece in runs(text, bold=bold):
        canvas.setFont(name, size)
        canvas.drawString(left, y, piece)
        left += stringWidth(piece, name, size)
    return size


def wrap(text: str, size: float, max_width: float) -> list[str]:
    """`text` cut into lines no wider than `max_width`: at spaces, or between any two
    characters in a script written without spaces (Chinese)."""
    lines: list[str] = []
    current = ""
    tokens = re.findall(r"\S+\s*|\s+", text) if " " in text else list(text)
    for token in tokens:
        if len(token) > 1 and text_width(token, size) > max_width:
            # A word wider than the line (a long run of Chinese): cut between characters.
            tokens_in = list(token)
        else:
            tokens_in = [token]
        for piece in tokens_in:
            candidate = current + piece
            if current and text_width(candidate.rstrip(), size) > max_width:
                lines.append(current.rstrip())
                current = piece.lstrip()
            else:
                current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines
