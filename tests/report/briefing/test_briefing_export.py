"""The briefing on the demo store, through `python -m paqa_dash brief`: each format opens without repair
(python-pptx, openpyxl, and the PDF rendered to PNG by poppler's pdftoppm), the figures equal `metrics --json`
for the same filters, small numbers and child-level lists follow the role, and each export is logged."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import openpyxl
import pytest
from pptx import Presentation

from paqa_dash import access_log
from paqa_dash.cli import main
from paqa_dash.report.briefing import headline

FILTERS = ["--from", "2021-04-01", "--to", "2025-03-31"]


def _metrics_json(db, capsys) -> dict:
    capsys.readouterr()
    assert main(["metrics", "--db", str(db), "--json", *FILTERS]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_workbook_figures_equal_metrics_json_and_changes_are_marked(demo_store, tmp_path, capsys):
    out = tmp_path / "q.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--role", "administrator",
                 "--preset", "partnership", "--save-figures", str(tmp_path / "q.json"), *FILTERS]) == 0
    expected = _metrics_json(demo_store, capsys)
    book = openpyxl.load_workbook(out)
    rows = list(book["Figures"].iter_rows(min_row=2, values_only=True))
    assert len(rows) >= 16
    for _label, _shown, value, key in rows:
        want = headline.lookup(expected, key)
        assert value == pytest.approx(want), key
    assert {"About", "Figures", "Overview benchmark", "Repeat by team", "Endings bands"} <= set(book.sheetnames)
    again = tmp_path / "q2.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(again), "--role",
                 "administrator", "--preset", "partnership", "--compare-with", str(out), "--team", "North",
                 *FILTERS]) == 0
    changes = list(openpyxl.load_workbook(again)["Changes"].iter_rows(min_row=2, values_only=True))
    assert any(r[4] == "▼ down" for r in changes)   # one team has fewer plans than all teams
    log = access_log.read(path=access_log.log_path(demo_store)).records
    assert sum(r.action == access_log.EXPORT and "q2.xlsx" in r.detail for r in log) == 1


def test_a_strategic_lead_gets_c_for_small_numbers_and_no_list_naming_children(demo_store, tmp_path, capsys):
    out = tmp_path / "lead.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--team", "West",
                 "--from", "2024-04-01", "--to", "2025-03-31"]) == 0
    cells = [c for ws in openpyxl.load_workbook(out) for row in ws.iter_rows(values_only=True) for c in row]
    assert "c" in cells
    assert not any(isinstance(c, str) and c.lower() in ("child_id", "child id", "child") for c in cells)
    capsys.readouterr()
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"),
                 "--child-lists", *FILTERS]) == 2
    assert "not open to your role" in capsys.readouterr().err
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(tmp_path / "sm.xlsx"),
                 "--role", "service_manager", "--child-lists", *FILTERS]) == 0
    assert "Endings at risk" in openpyxl.load_workbook(tmp_path / "sm.xlsx").sheetnames


def test_the_audit_summary_is_for_roles_with_audit_and_left_out_for_others(demo_store, tmp_path):
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(tmp_path / "a.xlsx"),
                 "--role", "administrator", "--section", "audit", *FILTERS]) == 0
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    rows = list(book["Audit concerns"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Concern", "Children", "Share") and len(rows) > 3
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(tmp_path / "l.xlsx"),
                 "--section", "audit", *FILTERS]) == 0
    front = [r for r in openpyxl.load_workbook(tmp_path / "l.xlsx")["About"].iter_rows(values_only=True)]
    assert any(r[0] and r[0].startswith("Not included") and "audit" in r[1] for r in front)
    assert "Audit concerns" not in openpyxl.load_workbook(tmp_path / "l.xlsx").sheetnames


def test_the_deck_opens_with_a_slide_a_chart_its_finding_and_notes(demo_store, tmp_path):
    out = tmp_path / "overview.pptx"
    assert main(["brief", "--db", str(demo_store), "--format", "pptx", "--out", str(out), "--section", "overview",
                 *FILTERS]) == 0
    deck = Presentation(str(out))
    slides = list(deck.slides)
    texts = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides]
    assert "SYNTHETIC DATA" in texts[0] and "2021-04-01" in texts[0]
    charts = [s for s in slides if any(sh.shape_type == 13 for sh in s.shapes)]   # 13: a picture
    assert len(charts) == 3
    assert "England" in texts[slides.index(charts[0])]                 # the finding, computed from the data
    assert "Source" in charts[0].notes_slide.notes_text_frame.text


def test_the_pdf_is_a4_landscape_pages_that_render(demo_store, tmp_path):
    if shutil.which("pdftoppm") is None:   # scripts/test.sh installs Debian's poppler-utils for CI
        if os.environ.get("PAQA_REQUIRE_BROWSER"):
            pytest.fail("pdftoppm (Debian's poppler-utils) is needed to render the briefing PDF")
        pytest.skip("poppler-utils (pdftoppm) not installed")
    out = tmp_path / "endings.pdf"
    assert main(["brief", "--db", str(demo_store), "--format", "pdf", "--out", str(out), "--section", "endings",
                 *FILTERS]) == 0
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 4   # title, figures, two charts
    from PIL import Image
    width, height = Image.open(pages[0]).size
    assert width > height and abs(width / height - 297 / 210) < 0.02
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.28" in info or "842 x 595" in info


def test_with_no_period_the_briefing_is_the_dashboard_s_latest_complete_year(demo_store, tmp_path, capsys):
    """A board briefing written without --from/--to pooled every year against one England year, and said the
    opposite of the dashboard; it now shows the year the dashboard opens on."""
    out = tmp_path / "default.xlsx"
    capsys.readouterr()
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--role", "administrator",
                 "--section", "overview"]) == 0
    said = capsys.readouterr().out
    assert "No period given: the latest complete reporting year, " in said
    start, end = said.split("latest complete reporting year, ")[1].split(",")[0].split(" to ")
    assert start.endswith("-04-01") and end.endswith("-03-31") and int(end[:4]) == int(start[:4]) + 1
    assert main(["metrics", "--db", str(demo_store), "--json", "--from", start, "--to", end]) == 0
    year = json.loads(capsys.readouterr().out)
    rows = {key: value for _label, _shown, value, key in
            openpyxl.load_workbook(out)["Figures"].iter_rows(min_row=2, values_only=True)}
    assert rows and all(value == pytest.approx(headline.lookup(year, key)) for key, value in rows.items())
    assert main(["metrics", "--db", str(demo_store), "--json"]) == 0
    pooled = json.loads(capsys.readouterr().out)
    assert any(value != pytest.approx(headline.lookup(pooled, key)) for key, value in rows.items())


def test_a_workbook_listing_children_says_so_on_its_about_sheet_and_in_the_access_log(demo_store, tmp_path):
    """A workbook with the endings-at-risk list holds child-level rows: its About sheet's handling line says so
    and names the sheet, the sheet is listed with the others, and the access log's line says a list of children
    left and how many; a workbook without lists still reads as aggregates."""
    log = access_log.log_path(demo_store)
    out = tmp_path / "sm_lists.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--role",
                 "service_manager", "--child-lists", "--section", "endings", *FILTERS]) == 0
    book = openpyxl.load_workbook(out)
    listed = list(book["Endings at risk"].iter_rows(values_only=True))
    children = len({row[listed[0].index("Child")] for row in listed[1:]})
    assert children > 0
    about = list(book["About"].iter_rows(values_only=True))
    handling = next(r[1] for r in about if r[0] == "Handling")
    assert "aggregates" in handling and "child-level rows" in handling
    assert f"'Endings at risk' ({children} children)" in handling
    assert any(r[0] == "Endings at risk" and "naming children" in r[1] for r in about)
    record = [r for r in access_log.read(path=log).records if "sm_lists.xlsx" in r.detail][-1]
    assert record.action == access_log.EXPORT
    assert record.detail.endswith(f"child-level lists included: Endings at risk ({len(listed) - 1} rows, "
                                  f"{children} children)")
    plain = tmp_path / "sm_plain.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(plain), "--role",
                 "service_manager", "--section", "endings", *FILTERS]) == 0
    about = list(openpyxl.load_workbook(plain)["About"].iter_rows(values_only=True))
    assert next(r[1] for r in about if r[0] == "Handling") == "OFFICIAL-SENSITIVE; pseudonymised aggregates"
    record = [r for r in access_log.read(path=log).records if "sm_plain.xlsx" in r.detail][-1]
    assert record.detail == "briefing sm_plain.xlsx (endings)"


def test_a_change_of_rate_is_the_change_between_the_percentages_shown(demo_store, tmp_path, capsys):
    """A rate's change was worked out from the unrounded shares beside the percentages rounded to one place: 22.6%
    then and 22.6% now read "-0.0 pts" marked down, 38.6% then and 36.9% now read "-1.6 pts".  Last quarter's
    snapshot is this run's with two shares moved within their rounding; the deck and the workbook are read back."""
    now = tmp_path / "now.json"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(tmp_path / "now.xlsx"),
                 "--role", "administrator", "--preset", "partnership", "--save-figures", str(now), *FILTERS]) == 0
    snap = json.loads(now.read_text(encoding="utf-8"))
    rate, police = snap["figures"]["repeat_rate"], snap["figures"]["agency_attendance.POLICE.rate"]
    shown = round(100 * rate, 1)
    # the same percentage, a share a little off this run's (within its rounding): no change, as the reader sees it
    same = (shown + (0.04 if 100 * rate < shown else -0.04)) / 100
    # a share whose percentage is 1.7 points from this run's shown one, but whose unrounded gap is not 1.7 rounded
    police_shown = round(100 * police, 1)
    apart = next(p for p in (police_shown + 1.7 + d for d in (-0.049, 0.049))
                 if round(p, 1) == round(police_shown + 1.7, 1) and round(p - 100 * police, 1) != 1.7) / 100
    snap["figures"].update({"repeat_rate": same, "agency_attendance.POLICE.rate": apart})
    last = tmp_path / "last.json"
    last.write_text(json.dumps(snap), encoding="utf-8")
    for fmt in ("pptx", "xlsx"):
        assert main(["brief", "--db", str(demo_store), "--format", fmt, "--out", str(tmp_path / f"q.{fmt}"),
                     "--role", "administrator", "--preset", "partnership", "--compare-with", str(last), *FILTERS]) == 0
    rows = {}
    for slide in Presentation(tmp_path / "q.pptx").slides:
        for shape in slide.shapes:
            if shape.has_table and [c.text for c in shape.table.rows[0].cells][3:4] == ["Change"]:
                rows.update({r.cells[0].text: [c.text for c in r.cells] for r in list(shape.table.rows)[1:]})
    repeat, agency = rows["Repeat plans as a share of plans started"], rows["Core groups attended: Police"]
    assert repeat[1] == repeat[2] and repeat[3:] == ["+0.0 pts", "no change"], repeat
    before, after = (float(t.rstrip("%")) for t in agency[1:3])
    assert agency[3] == f"{after - before:+.1f} pts" == "-1.7 pts" and agency[4] == "▼ down", agency
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx")["Changes"]
    book = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    change = book["Core groups attended: Police"][3]
    assert change.value == -1.7 and change.number_format.startswith("+0.0")
    assert book["Repeat plans as a share of plans started"][3].value == 0
