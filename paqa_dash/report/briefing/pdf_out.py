"""The briefing as a print-ready PDF (A4 landscape, fpdf2): the slides' content, page by page, with each
chart's definition and source printed under it (paper has no speaker notes).

Why fpdf2: a maintained pure-Python library (no system libraries, no second browser run) that embeds the
PNGs kaleido drew and a Unicode TrueType font; the PDF is the same pages as the deck, not a second layout
engine's reading of HTML.  Debian's DejaVu Sans is used where installed (fonts-dejavu-core, as the browser
tests need); otherwise the built-in Helvetica with text limited to Latin-1.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from fpdf import FPDF

from . import images
from .text_fit import FONT_FILES
from .contents import WARN_ROWS, Briefing

PAGE_W, PAGE_H, MARGIN = 297, 210, 12   # mm, A4 landscape
WARN = (0xD5, 0x5E, 0x00)


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.footer_text = footer_text
        self.unicode = all(Path(f).exists() for f in FONT_FILES)
        if self.unicode:
            self.add_font("body", "", FONT_FILES[0])
            self.add_font("body", "B", FONT_FILES[1])
        self.family = "body" if self.unicode else "helvetica"
        self.set_auto_page_break(True, margin=14)
        self.set_margins(MARGIN, MARGIN, MARGIN)

    def clean(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def para(self, text: str, size: float = 11, bold: bool = False, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.family, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.clean(f"{self.footer_text}   page {self.page_no()}"), align="R")
        self.set_text_color(0, 0, 0)


def _table(pdf: _Pdf, frame: pd.DataFrame) -> None:
    pdf.set_font(pdf.family, "", 10)
    with pdf.table(text_align="LEFT", line_height=5.5, first_row_as_headings=True) as table:
        table.row([pdf.clean(str(c)) for c in frame.columns])
        for values in frame.itertuples(index=False):
            table.row([pdf.clean("–" if v is None else str(v)) for v in values])


def pdf_bytes(b: Briefing) -> bytes:
    pdf = _Pdf(("SYNTHETIC DATA. " if b.synthetic else "") + "OFFICIAL-SENSITIVE. " + b.title)
    pdf.add_page()
    if b.synthetic:
        pdf.para("SYNTHETIC DATA: every child, plan and record was generated for a demonstration; none is real.",
                 12, True, WARN)
    pdf.ln(4)
    pdf.para(b.title, 24, True)
    pdf.ln(4)
    for key, value in b.front():
        if key != "SYNTHETIC DATA":
            pdf.para(f"{key}: {value}", 12, colour=WARN if key in WARN_ROWS else (0, 0, 0))
    pdf.add_page()
    pdf.para("Headline figures", 18, True)
    _table(pdf, pd.DataFrame({"Figure": [f.label for f in b.figures], "Value": [f.shown for f in b.figures]}))
    if b.changes is not None:
        pdf.add_page()
        pdf.para(f"Changes since {b.compared_with}", 18, True)
        _table(pdf, b.changes[["Figure", "Previous", "Now", "Change", "Marked"]])
    drawn = [c for c in b.charts if c.figure is not None]
    pictures = dict(zip((c.key for c in drawn), images.pngs([c.figure for c in drawn])))
    for chart in b.charts:
        pdf.add_page()
        pdf.para(chart.section + (f" · {chart.covers}" if chart.covers else ""), 9, colour=(110, 110, 110))
        pdf.para(chart.title, 16, True)
        if chart.key in pictures:
            import io
            width = PAGE_W - 2 * MARGIN - 30
            pdf.image(io.BytesIO(pictures[chart.key]), x=MARGIN + 15, w=width, h=width * images.HEIGHT / images.WIDTH)
        pdf.ln(2)
        pdf.para(chart.notes, 9)
    return bytes(pdf.output())
