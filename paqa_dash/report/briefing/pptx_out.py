"""The briefing as a PowerPoint deck (python-pptx): a title slide, the headline figures, the changes since
last quarter (when compared), then one slide a chart: the finding as its title, the chart as a picture, the
definition and source in the slide's notes (what the presenter reads; the audience sees the finding).

Why python-pptx: the maintained library that writes .pptx without PowerPoint, with notes and tables; the
deck opens in PowerPoint, LibreOffice and Keynote without repair.
"""
from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from . import images
from .contents import BEHIND_ROW, Briefing
from .charts import Chart

WIDE, HIGH = Inches(13.333), Inches(7.5)            # 16:9
MARGIN = Inches(0.5)
WARN = RGBColor(0xD5, 0x5E, 0x00)                     # figures/style.py HIGHLIGHT (vermillion)
ROWS_PER_SLIDE = 14


def _text(slide, text: str, top: Emu, height: Emu, size: int, bold: bool = False,
          colour: RGBColor | None = None) -> None:
    frame = slide.shapes.add_textbox(MARGIN, top, WIDE - 2 * MARGIN, height).text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    if colour is not None:
        run.font.color.rgb = colour


def _title_slide(deck, b: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    if b.synthetic:
        _text(slide, "SYNTHETIC DATA: every child, plan and record was generated for a demonstration; none is "
                     "real.", Inches(0.3), Inches(0.6), 16, True, WARN)
    _text(slide, b.title, Inches(1.3), Inches(1.2), 36, True)
    facts = [(k, v) for k, v in b.front() if k != "SYNTHETIC DATA"]
    box = slide.shapes.add_textbox(MARGIN, Inches(2.6), WIDE - 2 * MARGIN, Inches(4.6)).text_frame
    box.word_wrap = True
    size = 16 if sum(len(k) + len(v) for k, v in facts) < 900 else 12   # a regional or follow-up front is longer
    for i, (key, value) in enumerate(facts):
        p = box.paragraphs[0] if i == 0 else box.add_paragraph()
        p.text = f"{key}: {value}"
        p.font.size = Pt(size)
        if key == BEHIND_ROW:
            p.font.color.rgb = WARN


def _table_slides(deck, title: str, frame: pd.DataFrame, notes: str) -> None:
    """A table over as many slides as it needs (ROWS_PER_SLIDE rows each), text as the reader sees it."""
    for start in range(0, max(len(frame), 1), ROWS_PER_SLIDE):
        part = frame.iloc[start:start + ROWS_PER_SLIDE]
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        _text(slide, title + (" (continued)" if start else ""), Inches(0.3), Inches(0.9), 26, True)
        shape = slide.shapes.add_table(len(part) + 1, len(part.columns), MARGIN, Inches(1.3),
                                       WIDE - 2 * MARGIN, Inches(0.4) * (len(part) + 1))
        for j, col in enumerate(part.columns):
            shape.table.cell(0, j).text = str(col)
            for i, value in enumerate(part[col]):
                shape.table.cell(i + 1, j).text = "–" if value is None else str(value)
        for row in shape.table.rows:
            for cell in row.cells:
                for p in cell.text_frame.paragraphs:
                    p.font.size = Pt(13)
        slide.notes_slide.notes_text_frame.text = notes


def _chart_slide(deck, chart: Chart, picture: bytes | None) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, chart.title, Inches(0.25), Inches(1.0), 24, True)
    _text(slide, chart.section + (f" · {chart.covers}" if chart.covers else ""), Inches(7.05), Inches(0.4), 12,
          colour=RGBColor(0x6E, 0x6E, 0x6E))
    if picture is not None:
        height = HIGH - Inches(1.35) - Inches(0.5)
        width = int(height * images.WIDTH / images.HEIGHT)
        slide.shapes.add_picture(io.BytesIO(picture), int((WIDE - width) / 2), Inches(1.3), width, height)
    else:
        _text(slide, chart.notes, Inches(2.5), Inches(2), 20)
    slide.notes_slide.notes_text_frame.text = chart.notes + (
        " Some values are suppressed (\"c\"): counts below the small-number threshold." if chart.lost else "")


def pptx_bytes(b: Briefing) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    _title_slide(deck, b)
    figures = pd.DataFrame({"Figure": [f.label for f in b.figures], "Value": [f.shown for f in b.figures]})
    _table_slides(deck, "Headline figures", figures,
                  "The figures of `python -m paqa_dash metrics` for these filters; \"c\": suppressed small number.")
    if b.changes is not None:
        _table_slides(deck, f"Changes since {b.compared_with}", b.changes[["Figure", "Previous", "Now", "Change",
                                                                           "Marked"]],
                      "Each headline figure beside the same figure in the previous briefing.")
    drawn = [c for c in b.charts if c.figure is not None]
    pictures = dict(zip((c.key for c in drawn), images.pngs([c.figure for c in drawn])))
    for chart in b.charts:
        _chart_slide(deck, chart, pictures.get(chart.key))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
