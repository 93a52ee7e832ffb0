"""The deck's tables and its title slide's facts stay on their slides: rows as high as their text wraps to, a table
(or the facts, past the smallest font) carried over to the next slide where it would run past the foot.  Read back from the saved .pptx; each row's text wrapped independently by
fpdf2's line breaker (the PDF's own layout engine), in DejaVu Sans at the table's size."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Emu, Inches

from paqa_dash.filters import Filters
from paqa_dash.report.briefing import pptx_out
from paqa_dash.report.briefing.contents import Briefing
from paqa_dash.report.briefing.text_fit import FONT_FILES
from paqa_dash.settings import Thresholds

LONG = ("Plans ending early with a warning sign recorded (short plan, actions left open, an adult need unaddressed), "
        "counted from the signs this data records")


@lru_cache(maxsize=1)
def _line_breaker() -> FPDF:
    """One FPDF with the fonts loaded, for every measurement: loading DejaVu Sans (fontTools parsing the whole
    file) cost 0.13 s a cell, 28 s of the five-column test; a dry run of multi_cell leaves the document as it
    was, so each measurement is the same as in a fresh one."""
    pdf = FPDF(unit="pt")
    pdf.add_font("body", "", FONT_FILES[0])
    pdf.add_font("body", "B", FONT_FILES[1])
    pdf.add_page()
    return pdf


def wrapped_lines(text: str, width_pt: float, size_pt: float, bold: bool) -> int:
    pdf = _line_breaker()
    pdf.set_font("body", "B" if bold else "", size_pt)
    return len(pdf.multi_cell(width_pt, size_pt, text, dry_run=True, output="LINES"))


def saved_deck(frame: pd.DataFrame, tmp_path: Path):
    deck = Presentation()
    deck.slide_width, deck.slide_height = pptx_out.WIDE, pptx_out.HIGH
    pptx_out._table_slides(deck, "Headline figures", frame, "notes")
    path = tmp_path / "t.pptx"
    deck.save(path)
    return Presentation(path)


@pytest.mark.skipif(not Path(FONT_FILES[0]).exists(), reason="needs fonts-dejavu-core, as the browser tests do")
@pytest.mark.parametrize("columns", [2, 5])
def test_a_table_of_long_labels_fits_its_slides_and_loses_no_row(tmp_path, columns):
    frame = pd.DataFrame({"Figure": [f"{i + 1}. {LONG}" if i % 2 else f"Row {i + 1}" for i in range(15)],
                          **{f"Value {j}": [str(100 + i) for i in range(15)] for j in range(1, columns)}})
    deck = saved_deck(frame, tmp_path)
    tables = [(shape, shape.table) for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert len(tables) > 1   # 15 rows, half of them three lines or more, do not fit one slide
    seen = []
    for shape, table in tables:
        rows = list(table.rows)
        assert shape.top + sum(r.height for r in rows) <= pptx_out.HIGH, "the table runs past the slide's foot"
        for i, row in enumerate(rows):
            inner = Emu(table.columns[0].width - Inches(0.2)).pt
            for cell in row.cells:
                need = wrapped_lines(cell.text, inner, pptx_out.TABLE_PT, bold=i == 0) * pptx_out.TABLE_PT * 1.15
                assert Emu(row.height).pt >= need, (cell.text, Emu(row.height).pt, need)
        assert [c.text for c in rows[0].cells] == list(frame.columns)
        seen += [r.cells[0].text for r in rows[1:]]
    assert seen == list(frame["Figure"])


def test_a_missing_value_reads_as_a_dash(tmp_path):
    """None or NaN (a figure not recorded), never "nan"."""
    values = pd.Series(["12", float("nan"), None], dtype=object)
    deck = saved_deck(pd.DataFrame({"Figure": ["Plans started", "Median gap", "Median age"], "Value": values}), tmp_path)
    table = next(s.table for s in deck.slides[0].shapes if s.has_table)
    assert [table.cell(i, 1).text for i in (1, 2, 3)] == ["12", "–", "–"]


# The front of a briefing of the regional store (five authorities, two of whose data ends years early), as
# `Briefing.front` gives it: many rows and a long warning.
REGIONAL = {
    "authorities": "Gateshead (390), Newcastle upon Tyne (391), North Tyneside (392), South Tyneside (393), LA 999",
    "behind": "Data for some authorities ends before 31 Mar 2026, the date this view is read as of: LA 999 on 15 Mar "
              "2021; South Tyneside (393) on 31 Mar 2024. For them the months after their last record are not "
              "recorded in this data: their open plans may look overdue and their later figures low. A briefing of "
              "one authority (the sidebar's Authority, or --authority on the command line) reads it as of its own "
              "last date."}


def regional_briefing(authorities: str = REGIONAL["authorities"], behind: str = REGIONAL["behind"]) -> Briefing:
    filters = Filters(date_from=date(2025, 4, 1), date_to=date(2026, 3, 31), as_of=date(2026, 3, 31))
    return Briefing("Repeat child protection plans: briefing", filters, Thresholds(), date(2026, 3, 31), True, 5,
                    ("overview", "repeat_plans", "endings", "agencies", "household"), ("what_works", "audit"), [],
                    [], compared_with="2025Q4.xlsx", authorities=authorities, behind=behind)


def title_slides(b: Briefing, tmp_path: Path):
    deck = Presentation()
    deck.slide_width, deck.slide_height = pptx_out.WIDE, pptx_out.HIGH
    pptx_out._title_slide(deck, b)
    path = tmp_path / "front.pptx"
    deck.save(path)
    return list(Presentation(path).slides)


def size_of(paragraph) -> float:
    """A paragraph's font size in points: its run's, else the paragraph's own."""
    return (paragraph.runs[0].font.size or paragraph.font.size).pt


def facts_fit(slide) -> list[str]:
    """The facts box of a slide (the shape with a paragraph per fact): each paragraph wrapped by fpdf2 in the box's
    width at its own size; the box's text no taller than the box, the box inside the slide.  Its paragraphs."""
    box = max(slide.shapes, key=lambda s: len(s.text_frame.paragraphs) if s.has_text_frame else 0)
    inner = Emu(box.width - Inches(0.2)).pt
    need = 0.0
    for p in box.text_frame.paragraphs:
        size = size_of(p)
        need += wrapped_lines(p.text, inner, size, bold=False) * size * 1.15
    assert box.top + box.height <= pptx_out.HIGH
    assert need <= Emu(box.height - Inches(0.1)).pt, (need, Emu(box.height).pt)
    return [p.text for p in box.text_frame.paragraphs]


@pytest.mark.skipif(not Path(FONT_FILES[0]).exists(), reason="needs fonts-dejavu-core, as the browser tests do")
def test_the_regional_front_fits_its_title_slide_in_the_largest_size_that_fits(tmp_path):
    """The title slide's font was 12 pt past 900 characters and 16 below, by length alone: the size is now the
    largest of FACTS_SIZES at which the facts, wrapped as measured, fit above the slide's foot."""
    b = regional_briefing()
    slides = title_slides(b, tmp_path)
    assert len(slides) == 1
    facts = facts_fit(slides[0])
    assert facts == [f"{k}: {v}" for k, v in b.front() if k != "SYNTHETIC DATA"]
    box = max(slides[0].shapes, key=lambda s: len(s.text_frame.paragraphs) if s.has_text_frame else 0)
    size = size_of(box.text_frame.paragraphs[0])
    assert size in pptx_out.FACTS_SIZES and size > min(pptx_out.FACTS_SIZES)   # it fits above the floor
    warning = next(p for p in box.text_frame.paragraphs if p.text.startswith("Warning:"))
    assert (warning.runs[0].font.color if warning.runs[0].font.color.type else warning.font.color).rgb == pptx_out.WARN


@pytest.mark.skipif(not Path(FONT_FILES[0]).exists(), reason="needs fonts-dejavu-core, as the browser tests do")
def test_a_front_too_long_for_one_slide_at_the_floor_runs_on_to_the_next_and_loses_no_fact(tmp_path):
    """Thirty authorities, each with its own last date in the warning: at the floor the facts that fit stay on the
    title slide and the rest go to a second, each box inside its slide."""
    many = ", ".join(f"Authority number {n} ({300 + n})" for n in range(30))
    late = "; ".join(f"Authority number {n} ({300 + n}) on 31 Mar {2015 + n % 10}" for n in range(30))
    b = regional_briefing(authorities=many, behind=f"Data for some authorities ends before 31 Mar 2026: {late}. "
                                                    + REGIONAL["behind"])
    slides = title_slides(b, tmp_path)
    assert len(slides) >= 2
    seen = [fact for slide in slides for fact in facts_fit(slide)]
    assert seen == [f"{k}: {v}" for k, v in b.front() if k != "SYNTHETIC DATA"]
    assert all(size_of(p) == min(pptx_out.FACTS_SIZES) for slide in slides for s in slide.shapes
               if s.has_text_frame and len(s.text_frame.paragraphs) > 1 for p in s.text_frame.paragraphs)
    assert any("(continued)" in s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert any("SYNTHETIC DATA" in s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
