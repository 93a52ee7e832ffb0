"""The deck's tables stay on their slides: rows as high as their text wraps to, a table carried over to the next
slide where it would run past the foot.  Read back from the saved .pptx; each row's text wrapped independently by
fpdf2's line breaker (the PDF's own layout engine), in DejaVu Sans at the table's size."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Emu, Inches

from paqa_dash.report.briefing import pptx_out
from paqa_dash.report.briefing.text_fit import FONT_FILES

LONG = ("Plans ending early with a warning sign recorded (short plan, actions left open, an adult need unaddressed), "
        "counted from the signs this data records")


def wrapped_lines(text: str, width_pt: float, size_pt: float, bold: bool) -> int:
    pdf = FPDF(unit="pt")
    pdf.add_font("body", "", FONT_FILES[0])
    pdf.add_font("body", "B", FONT_FILES[1])
    pdf.add_page()
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
