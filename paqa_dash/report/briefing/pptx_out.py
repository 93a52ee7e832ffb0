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

from . import images, text_fit
from .contents import WARN_ROWS, Briefing
from .charts import Chart

WIDE, HIGH = Inches(13.333), Inches(7.5)            # 16:9
MARGIN = Inches(0.5)
WARN = RGBColor(0xD5, 0x5E, 0x00)                     # figures/style.py HIGHLIGHT (vermillion)


def _text(slide, text: str, top: Emu, height: Emu, size: int, bold: bool = False,
          colour: RGBColor | None = None) -> None:
    frame = slide.shapes.add_textbox(MARGIN, top, WIDE - 2 * MARGIN, height).text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    if colour is not None:
        run.font.color.rgb = colour


FACTS_TOP, FACTS_FOOT = Inches(2.6), Inches(0.3)    # the title slide's facts box: below the title, above the foot
FACTS_NEXT_TOP = Inches(1.3)                          # ... and on a slide carrying the rest over (as a table's)
FACTS_SIZES = (16, 14, 12)   # pt: the facts' font, the largest at which they fit; 12, the floor, still reads in a room
BOX_SIDES, BOX_ENDS = Inches(0.2), Inches(0.1)       # python-pptx's text box insets: 0.1 in left and right, 0.05 top and bottom


def _fact_text(key: str, value: str) -> str:
    return f"{key}: {value}"


def _fact_pages(facts: list[tuple[str, str]]) -> tuple[int, list[list[tuple[str, str]]]]:
    """The facts' font size and the facts of each slide: the largest of FACTS_SIZES at which every fact fits the title
    slide's box, as measured (`text_fit`, as the tables are); past the floor, the facts that fit there and the rest
    carried over to the next slides (a fact taller than a slide alone on one, the best there is).

    Why measured: the size was chosen by the facts' length in characters (12 pt past 900), which said nothing of
    how many lines they wrap to; a regional front (authorities, the uneven-data warning, the follow-up years)
    could pass the slide's foot."""
    inner = (WIDE - 2 * MARGIN - BOX_SIDES) / Emu(12700)   # EMU per point
    rooms = [(HIGH - FACTS_TOP - FACTS_FOOT - BOX_ENDS) / Emu(12700),
             (HIGH - FACTS_NEXT_TOP - FACTS_FOOT - BOX_ENDS) / Emu(12700)]
    for size in FACTS_SIZES:
        heights = [text_fit.height(_fact_text(k, v), inner, size) for k, v in facts]
        if sum(heights) <= rooms[0]:
            return size, [facts]
    pages: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for fact, high in zip(facts, heights):
        if pages[-1] and used + high > rooms[min(len(pages) - 1, 1)]:
            pages.append([])
            used = 0.0
        pages[-1].append(fact)
        used += high
    return FACTS_SIZES[-1], pages


def _facts_box(slide, facts: list[tuple[str, str]], top: Emu, size: int) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, WIDE - 2 * MARGIN, HIGH - top - FACTS_FOOT).text_frame
    box.word_wrap = True
    for i, (key, value) in enumerate(facts):
        run = (box.paragraphs[0] if i == 0 else box.add_paragraph()).add_run()   # the size on the run, as `_text`
        run.text = _fact_text(key, value)
        run.font.size = Pt(size)
        if key in WARN_ROWS:
            run.font.color.rgb = WARN


def _title_slide(deck, b: Briefing) -> None:
    """The title, then the briefing's facts (`Briefing.front`) in the largest font that fits the slide, carried to a
    next slide past the floor (`_fact_pages`)."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    synthetic = "SYNTHETIC DATA: every child, plan and record was generated for a demonstration; none is real."
    if b.synthetic:
        _text(slide, synthetic, Inches(0.3), Inches(0.6), 16, True, WARN)
    _text(slide, b.title, Inches(1.3), Inches(1.2), 36, True)
    size, pages = _fact_pages([(k, v) for k, v in b.front() if k != "SYNTHETIC DATA"])
    _facts_box(slide, pages[0], FACTS_TOP, size)
    for facts in pages[1:]:
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        _text(slide, f"{b.title} (continued)", Inches(0.3), Inches(0.9), 26, True)
        if b.synthetic:
            _text(slide, synthetic, Inches(0.85), Inches(0.4), 12, True, WARN)
        _facts_box(slide, facts, FACTS_NEXT_TOP, size)


def _table_slides(deck, title: str, frame: pd.DataFrame, notes: str) -> None:
    """A table over as many slides as it needs, text as the reader sees it: each slide takes the rows that fit
    above its foot, each row as high as its longest cell wraps to (`_row_heights`); PowerPoint would grow a row of
    one line to its wrapped text and push the table off the slide."""
    shown = frame.astype(object).where(frame.notna(), None)
    texts = [[str(c) for c in shown.columns]] + [["–" if v is None else str(v) for v in row]
                                                  for row in shown.itertuples(index=False)]
    column = (WIDE - 2 * MARGIN) / max(len(shown.columns), 1)
    header, *rows = _row_heights(texts, column)
    for n, (start, stop) in enumerate(_pages(rows, TABLE_ROOM - header)):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        _text(slide, title + (" (continued)" if n else ""), Inches(0.3), Inches(0.9), 26, True)
        part = texts[start + 1:stop + 1]
        shape = slide.shapes.add_table(len(part) + 1, len(shown.columns), MARGIN, TABLE_TOP,
                                       WIDE - 2 * MARGIN, header + sum(rows[start:stop]))
        for i, (values, high) in enumerate(zip([texts[0], *part], [header, *rows[start:stop]])):
            shape.table.rows[i].height = high
            for j, value in enumerate(values):
                cell = shape.table.cell(i, j)
                cell.text = value
                for p in cell.text_frame.paragraphs:
                    p.font.size = Pt(TABLE_PT)
        slide.notes_slide.notes_text_frame.text = notes


TABLE_TOP, TABLE_FOOT = Inches(1.3), Inches(0.3)
TABLE_ROOM = HIGH - TABLE_TOP - TABLE_FOOT
TABLE_PT = 13
ROW_LEAST = Inches(0.4)                   # a row of one line, as the tables always had
CELL_SIDES, CELL_ENDS = Inches(0.2), Inches(0.1)   # python-pptx's cell margins: 0.1 in left and right, 0.05 in top and bottom


def _row_heights(texts: list[list[str]], column: Emu) -> list[Emu]:
    """Each row's height (the first, the header's, in bold): its tallest cell's wrapped text and the cell's margins,
    at least ROW_LEAST."""
    inner = (column - CELL_SIDES) / Emu(12700)   # EMU per point
    heights = []
    for i, values in enumerate(texts):
        tallest = max((text_fit.height(v, inner, TABLE_PT, bold=i == 0) for v in values), default=0.0)
        heights.append(Emu(max(int(ROW_LEAST), int(tallest * 12700 + CELL_ENDS))))
    return heights


def _pages(heights: list[Emu], room: int) -> list[tuple[int, int]]:
    """The rows (start, stop) of each slide: as many as fit in `room` below the header, at least one a slide (a row
    taller than a slide is shown alone, the best there is); one empty page for a table of no rows."""
    pages, start, used = [], 0, 0
    for i, h in enumerate(heights):
        if i > start and used + h > room:
            pages.append((start, i))
            start, used = i, 0
        used += h
    pages.append((start, len(heights)))
    return pages


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
