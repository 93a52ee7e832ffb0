"""How many lines a text takes in a box of a given width: the deck's tables are laid out by it.

Why: python-pptx writes a table's row heights as given, and PowerPoint (or LibreOffice) then grows each row to the
lines its text wraps to, so a table of long labels, laid out at one line a row, ran off the foot of the slide
(a 154-character headline label takes three lines in half a slide's width; the comparison table's five narrow
columns, more).  The width of a text is measured with the font's own metrics (Pillow's FreeType reader, a
dependency of fpdf2 already), in DejaVu Sans, which the PDF uses: wider than the decks' Calibri, so the estimate
errs on the side of room.  Without the font file, an average character width of 0.6 em stands in.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
MEASURE_SIZE = 100     # px: the font is read once at this size and widths scaled, so sizes share one cache
AVERAGE_EM = 0.6       # a character's width in em where the font file is missing (DejaVu's letters average ~0.55)
LINE_SPACING = 1.2     # a line's height in em (PowerPoint's single spacing)


@lru_cache(maxsize=2)
def _font(bold: bool):
    path = FONT_FILES[1 if bold else 0]
    if not Path(path).exists():
        return None
    from PIL import ImageFont

    return ImageFont.truetype(path, MEASURE_SIZE)


def width(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of `text` on one line, in points, at `size_pt`."""
    font = _font(bold)
    if font is None:
        return len(text) * AVERAGE_EM * size_pt
    return font.getlength(text) * size_pt / MEASURE_SIZE


def lines(text: str, width_pt: float, size_pt: float, bold: bool = False) -> int:
    """The lines `text` wraps to in `width_pt` points (word by word, as PowerPoint wraps; a word longer than a line
    is broken across lines); at least 1.  Each of the text's own line breaks starts a line."""
    count = 0
    space = width(" ", size_pt, bold)
    for paragraph in str(text).split("\n"):
        count += 1
        used: float | None = None   # the width taken on the current line; None: nothing on it yet
        for word in paragraph.split():
            w = width(word, size_pt, bold)
            if used is not None and used + space + w <= width_pt:
                used += space + w
                continue
            if used is not None:
                count += 1
            over = math.ceil(w / width_pt) - 1 if w > width_pt else 0   # the full lines of a word too wide for one
            count += over
            used = w - over * width_pt
    return max(count, 1)


def height(text: str, width_pt: float, size_pt: float, bold: bool = False) -> float:
    """The height in points of `text` wrapped to `width_pt`: its lines at LINE_SPACING."""
    return lines(text, width_pt, size_pt, bold) * size_pt * LINE_SPACING
