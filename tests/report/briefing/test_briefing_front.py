"""What a briefing's front (title slide, About sheet, first PDF page) and its follow-up charts say about the years and
authorities they cover, read back from the files `python -m paqa_dash brief` writes."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from pptx import Presentation

from paqa_dash import store
from paqa_dash.cli import main
from paqa_dash.filters import Filters, default_period, followed_up_period, span_words
from paqa_dash.report.briefing.sections import period_words
from paqa_dash.settings import Thresholds


def _follow_up_years(db) -> Filters:
    con = store.connect(db, read_only=True)
    try:
        shown = default_period(store.with_data_date(con, Filters()))
    finally:
        con.close()
    return followed_up_period(shown, Thresholds().replan_window_months)


def _about(path) -> dict[str, str]:
    return {r[0]: r[1] for r in openpyxl.load_workbook(path)["About"].iter_rows(values_only=True) if r[0] and r[1]}


def test_with_no_period_the_follow_up_charts_name_their_years_and_the_front_lists_them(demo_store, tmp_path):
    """The cohort curve, the pathways and household change after a first plan showed 2019-24 and said "started in
    the period" under a title slide of 2025-26; the cohort note sent the reader to a table not on the slide."""
    out = tmp_path / "b.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--role", "administrator",
                 "--section", "repeat_plans", "--section", "household"]) == 0
    years = _follow_up_years(demo_store)
    front = _about(out)
    row = next(k for k in front if k.startswith("Years of the charts that follow first plans up"))
    assert "re-planning after a first plan" in row and "household change after a first plan" in row
    assert front[row].startswith(span_words(years))
    notes = {r[0]: r[2] for r in openpyxl.load_workbook(out)["About"].iter_rows(values_only=True) if r[0]}
    for sheet in ("Repeat cohort", "Repeat pathways", "Household replanned share"):
        assert period_words(years) in notes[sheet] and "in the period" not in notes[sheet], sheet
        assert "not the briefing's period" in notes[sheet]
    assert "The table gives" not in notes["Repeat cohort"]
    assert "in the period" in notes["Repeat gaps"]   # the briefing's own year: said as before


def test_the_slide_of_a_follow_up_chart_names_its_years(demo_store, tmp_path):
    out = tmp_path / "b.pptx"
    assert main(["brief", "--db", str(demo_store), "--format", "pptx", "--out", str(out), "--role", "administrator",
                 "--section", "repeat_plans"]) == 0
    years = period_words(_follow_up_years(demo_store))
    texts = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
             for slide in Presentation(str(out)).slides]
    assert span_words(_follow_up_years(demo_store)) in texts[0]
    assert any(f"First plans started {years}" in t for t in texts)
    assert any(f"First plans ended {years}" in t for t in texts)


def test_a_period_given_is_the_follow_up_charts_period_and_nothing_more_is_said(demo_store, tmp_path):
    out = tmp_path / "p.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--role", "administrator",
                 "--section", "repeat_plans", "--from", "2020-04-01", "--to", "2023-03-31"]) == 0
    assert not any(k.startswith("Years of the charts") for k in _about(out))
    notes = {r[0]: r[2] for r in openpyxl.load_workbook(out)["About"].iter_rows(values_only=True) if r[0]}
    assert "between 1 April 2020 and 31 March 2023" in notes["Repeat cohort"]
    assert "not the briefing's period" not in notes["Repeat cohort"]


def _regional(tmp_path):
    """Two authorities: Camden's data to 2026, South Tyneside's ending 31 Mar 2024 (a return not sent since)."""
    from support.store_builder import build_store

    con = build_store(tmp_path / "r.duckdb",
                      children=[{"child_id": "a", "authority": "202"}, {"child_id": "b", "authority": "393"}],
                      plans=[{"plan_id": "A1", "child_id": "a", "start_date": "2025-05-01", "end_date": "2026-03-31",
                              "initial_category": "NEG"},
                             {"plan_id": "B1", "child_id": "b", "start_date": "2023-05-01", "end_date": "2024-03-31",
                              "initial_category": "NEG"}])
    return con


def test_the_front_names_the_authorities_and_warns_where_some_data_ends_early(tmp_path):
    """A regional briefing named no authority and pooled one whose data ended two years early without the
    dashboard's warning (data_dates.behind_note); every format's front now says both."""
    import subprocess

    from paqa_dash.report.briefing import build

    con = _regional(tmp_path)
    try:
        briefing = build.gather(con, store.with_data_date(con, Filters()), Thresholds(), ())
    finally:
        con.close()
    book = tmp_path / "r.xlsx"
    book.write_bytes(build.write(briefing, "xlsx"))
    front = _about(book)
    assert front["Authorities covered"] == "Camden (202), South Tyneside (393)"
    assert "South Tyneside (393) on 31 Mar 2024" in front["Warning"]
    deck = tmp_path / "r.pptx"
    deck.write_bytes(build.write(briefing, "pptx"))
    title = " ".join(s.text_frame.text for s in Presentation(str(deck)).slides[0].shapes if s.has_text_frame)
    assert "Camden (202), South Tyneside (393)" in title and "on 31 Mar 2024" in title
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(build.write(briefing, "pdf"))
    text = " ".join(subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Authorities covered: Camden (202), South Tyneside (393)" in text and "on 31 Mar 2024" in text


def test_a_store_of_one_authority_names_it_and_one_naming_none_says_so(tmp_path, demo_store):
    from paqa_dash.report.briefing import build

    con = build_store_one(tmp_path)
    try:
        one = build.gather(con, store.with_data_date(con, Filters()), Thresholds(), ())
    finally:
        con.close()
    assert dict(one.front())["Authorities covered"] == "Camden (202)" and "Warning" not in dict(one.front())
    con = store.connect(demo_store, read_only=True)
    try:
        demo = build.gather(con, store.with_data_date(con, Filters()), Thresholds(), ())
    finally:
        con.close()
    assert dict(demo.front())["Authorities covered"].startswith("not named in this data")


def build_store_one(tmp_path):
    from support.store_builder import build_store

    return build_store(tmp_path / "one.duckdb", children=[{"child_id": "a", "authority": "202"}],
                       plans=[{"plan_id": "A1", "child_id": "a", "start_date": "2025-05-01", "initial_category": "NEG"}])


def _pdf_text(path) -> str:
    import subprocess

    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _deck_text(path) -> str:
    return " ".join(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
                    for slide in Presentation(str(path)).slides)


@pytest.mark.parametrize("period", [(), ("--from", "2024-04-01", "--to", "2025-03-31")])
def test_an_as_of_date_after_the_data_date_is_said_to_be_read_as_the_data_date_in_every_format(
        demo_store, tmp_path, period):
    """The page says an as-of date after the data date was read as the data date (data_dates.past_data_note); the
    briefing showed only the date used, so a board could not tell its "as of 31 Dec 2030" was never read.  Each
    format's front now carries the page's note, read back from the files (with and without a period given)."""
    from paqa_dash.metrics import data_dates

    con = store.connect(demo_store, read_only=True)
    try:
        data_date = store.data_date(con)
    finally:
        con.close()
    note = " ".join(data_dates.past_data_note(date(2030, 12, 31), data_date).split())
    assert note
    texts = {}
    for fmt in ("xlsx", "pptx", "pdf"):
        out = tmp_path / f"late.{fmt}"
        assert main(["brief", "--db", str(demo_store), "--format", fmt, "--out", str(out), "--role", "administrator",
                     "--section", "overview", "--as-of", "2030-12-31", *period]) == 0
        texts[fmt] = (" ".join(" ".join(map(str, _about(out).values())).split()) if fmt == "xlsx"
                      else _deck_text(out) if fmt == "pptx" else _pdf_text(out))
    for fmt, text in texts.items():
        assert note in " ".join(text.split()), (fmt, text[:600])
    # as of a date within the data: no such note
    out = tmp_path / "within.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), "--role", "administrator",
                 "--section", "overview", "--as-of", data_date.isoformat(), *period]) == 0
    assert "is after the last date" not in " ".join(map(str, _about(out).values()))


def test_the_command_lines_note_of_a_later_as_of_date_names_the_authority_as_the_file_does(tmp_path, capsys):
    """With an authority named (--authority 202), the briefing's front said "Camden (202)'s data" while the note the
    command printed beside it said "this data": the note is the file's own, and `metrics` words it the same way."""
    import json

    from paqa_dash.metrics import data_dates

    db = tmp_path / "one.duckdb"
    build_store_one(tmp_path).close()
    out = tmp_path / "late.xlsx"
    assert main(["brief", "--db", str(db), "--format", "xlsx", "--out", str(out), "--role", "administrator",
                 "--section", "overview", "--authority", "202", "--as-of", "2030-12-31"]) == 0
    said = capsys.readouterr().err
    front = _about(out)["Note"]
    assert "Camden (202)'s data" in front, front
    assert f"note: {front}" in said, said
    assert main(["metrics", "--db", str(db), "--json", "--authority", "202", "--as-of", "2030-12-31"]) == 0
    out_json, said = capsys.readouterr()
    data_date = date.fromisoformat(json.loads(out_json)["as_of"])
    assert data_dates.past_data_note(date(2030, 12, 31), data_date, "Camden (202)'s data") in said, said
