"""Annex A cells holding a formula with no calculated value (a workbook written by openpyxl or a script, never
opened in Excel): said, never read as blank without a word; formulas Excel calculated load as before."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from paqa_dash.ingest import annex_a, formulas
from support.make_annex_a import LIST7_HEADERS, LIST10_HEADERS, d, list7_row, write_workbook

END = LIST7_HEADERS.index("Child Protection Plan End Date")  # column M
LIST10 = [*LIST10_HEADERS, "Date the Child Entered Care", "Date of Placement Order"]


def _rewrite(path: Path, sheet_title: str, edit) -> None:
    """Edit one sheet's XML in place, as another program would have saved it."""
    part = formulas.sheet_parts(path)[sheet_title]
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    new = edit(parts[part])
    assert new != parts[part]
    parts[part] = new
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _plan_with_formula_end(tmp_path: Path) -> Path:
    """Row 2: an end date `=G2+120` (openpyxl stores no result); row 3: an open plan, no formula."""
    ended = list7_row("F1", "2022-01-10")
    ended[END] = "=G2+120"
    return write_workbook(tmp_path / "formula.xlsx", {"List 7": [LIST7_HEADERS, ended, list7_row("F2", "2022-02-01")]})


def test_an_end_date_formula_with_no_value_rejects_the_plan(tmp_path):
    extract = annex_a.read([_plan_with_formula_end(tmp_path)])
    assert list(extract.tables["plans"]["child_id"]) == ["F2"]  # F1 is not loaded as an open plan
    [reject] = extract.rejects
    assert (reject.table, reject.source, reject.row, reject.field) == (
        "plans", "formula.xlsx:List 7", 2, "Child Protection Plan End Date")
    assert reject.reason.startswith("formula with no calculated value: the row was not loaded")
    assert "open it in Excel (or LibreOffice) and save it" in reject.reason
    assert not extract.warnings


def test_an_end_date_formula_excel_calculated_loads_as_before(tmp_path):
    """The normal case: Excel stores the result (<v>44691</v>, 2022-05-10) beside the formula."""
    path = _plan_with_formula_end(tmp_path)
    _rewrite(path, "List 7", lambda xml: re.sub(rb"(<f>G2\+120</f>)<v\s*>\s*</v>|(<f>G2\+120</f>)<v\s*/>",
                                                rb"\1\2<v>44691</v>", xml))
    extract = annex_a.read([path])
    plans = extract.tables["plans"].set_index("child_id")
    assert plans.loc["F1", "end_date"] == "2022-05-10"
    assert plans.loc["F2", "end_date"] is None
    assert not extract.rejects and not extract.warnings


def test_a_formula_whose_result_is_empty_text_is_a_blank(tmp_path):
    """`=IF(...,"",...)` saved by Excel: t="str" and an empty <v>, a calculated blank (an open plan)."""
    path = _plan_with_formula_end(tmp_path)
    _rewrite(path, "List 7", lambda xml: re.sub(rb'<c r="M2"([^>]*)><f>G2\+120</f>(?:<v\s*>\s*</v>|<v\s*/>)',
                                                rb'<c r="M2"\1 t="str"><f>IF(1,"",G2)</f><v></v>', xml))
    extract = annex_a.read([path])
    assert sorted(extract.tables["plans"]["child_id"]) == ["F1", "F2"]
    assert extract.tables["plans"]["end_date"].isna().all()
    assert not extract.rejects and not extract.warnings


def test_an_optional_date_formula_with_no_value_is_a_warning(tmp_path):
    """List 10: the placement order `=H2+5` never calculated; the child's entry to care still loads."""
    path = write_workbook(tmp_path / "adopt.xlsx", {
        "List 7": [LIST7_HEADERS, list7_row("F1", "2022-01-10")],
        "List 10": [LIST10, ["F1", "FAM1", "b) Female", "a) WBRI", d("2015-01-01"), d("2022-03-01"), "=F2+5"]]})
    extract = annex_a.read([path])
    events = extract.tables["events"]
    assert list(events["event_type"]) == ["LOOKED_AFTER_START"]
    [warning] = extract.warnings
    assert (warning.table, warning.source, warning.row, warning.field) == (
        "events", "adopt.xlsx:List 10", 2, "Date of Placement Order")
    assert warning.reason.startswith("formula with no calculated value: the row was loaded without it;")
    assert not extract.rejects


def test_a_required_column_formula_rejects_and_formula_only_rows_are_said_once(tmp_path):
    """A child id `=...` with no value rejects its row; template rows below the data holding only such formulas
    are one warning, not a reject each."""
    copied = list7_row("F3", "2022-03-01")
    copied[0] = '=CONCATENATE("F","3")'
    template = [None] * len(LIST7_HEADERS)
    template[END] = '=IF(G5="","",G5+120)'
    path = write_workbook(tmp_path / "req.xlsx", {"List 7": [LIST7_HEADERS, list7_row("F1", "2022-01-10"), copied,
                                                             template, template]})
    extract = annex_a.read([path])
    assert list(extract.tables["plans"]["child_id"]) == ["F1"]
    [reject] = extract.rejects
    assert (reject.row, reject.field) == (3, "Child Unique ID")
    [warning] = extract.warnings
    assert (warning.row, warning.field) == (4, None)
    assert warning.reason.startswith("2 row(s) from row 4 to 5 read as blank")


SHEET = (b'<?xml version="1.0"?><x:worksheet xmlns:x="urn:s"><x:sheetData>'
         b'<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c><x:c r="B2"><x:f>A2+1</x:f></x:c>'
         b'<x:c r="C2" s="3"><x:f t="shared" si="0" ref="C2:C3"/><x:v/></x:c></x:row>'
         b'<x:row r="3"><x:c r="AA3"><x:f t="shared" si="0"/><x:v>5</x:v></x:c>'
         b'<x:c r="AB3" t="str"><x:f>""</x:f><x:v></x:v></x:c><x:c r="AC3" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'
         b'<x:c><x:f>1+1</x:f></x:c></x:row></x:sheetData></x:worksheet>')


@pytest.mark.parametrize("chunk", [4 * 2**20, 40])
def test_uncalculated_cells_found_in_the_sheet_xml(tmp_path, monkeypatch, chunk):
    """Namespace prefixes, shared formulas, <v/>, text and error results, a cell with no reference; the sheet
    streamed in chunks as small as a few cells gives the same answer."""
    monkeypatch.setattr(formulas, "_CHUNK", chunk)
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", SHEET)
    assert formulas.uncalculated(path, "/xl/worksheets/sheet1.xml") == {2: {1, 2}, 0: {-1}}
