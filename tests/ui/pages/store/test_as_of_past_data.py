"""An as-of date chosen after the data date is brought back to it, with a note saying so, in a store of one
authority as in a store of several (docs/definitions.md, "Filters, periods and the as-of date").

Hand-built store of one authority (no authority recorded): child C (ccc...1), plan C1 open from 2020-06-01, a core
group on 2021-03-15, the store's data date.  Read as of 30 Nov 2026 (the address, --as-of, a pack's date), its
plan was drawn open for five years the data says nothing about."""
from __future__ import annotations

import json
from datetime import date

import pytest

from paqa_dash import cli, store
from paqa_dash.metrics import data_dates
from support.pages import open_page
from support.store_builder import build_store

CHILD = "ccccccccccccccc1"
LATE = "2026-11-30"


@pytest.fixture(scope="module")
def one_authority(tmp_path_factory):
    path = tmp_path_factory.mktemp("as_of_past") / "one.duckdb"
    build_store(path, plans=[
        {"plan_id": "C1", "child_id": CHILD, "start_date": "2020-06-01", "initial_category": "NEG", "team": "North"},
    ], events=[
        {"event_id": "c1", "child_id": CHILD, "event_date": "2021-03-15", "event_type": "CORE_GROUP", "agency": "CSC",
         "plan_id": "C1", "detail": "Core group"},
    ]).close()
    return path


def test_the_rule_never_reads_past_the_data_date():
    assert store.read_as_of(date(2026, 11, 30), date(2021, 3, 15)) == date(2021, 3, 15)
    assert store.read_as_of(date(2020, 1, 1), date(2021, 3, 15)) == date(2020, 1, 1)
    assert store.read_as_of(None, date(2021, 3, 15)) == date(2021, 3, 15)
    assert data_dates.past_data_note(date(2020, 1, 1), date(2021, 3, 15)) == ""


def test_the_page_says_a_later_date_is_read_as_the_data_date(one_authority, use_store):
    """On the page above its title, not only in the sidebar (below the fold at 1400 x 900 for a shared link's reader)."""
    use_store(one_authority)
    at = open_page("child_timeline", {"child": CHILD, "as_of": LATE})
    said = [w.value for w in at.main.warning]
    assert any("30 Nov 2026, is after the last date this data records, 15 Mar 2021" in w for w in said), said
    spec = next(s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                if any(t.get("name") == "CP plan" for t in s["data"]))
    line = next(s for s in spec["layout"]["shapes"] if s.get("type") == "line")
    assert str(line["x0"])[:10] == "2021-03-15"   # the as-of line (and the open plan) at the data date, not 2026


def test_the_command_line_reads_a_later_date_as_the_data_date_and_says_so(one_authority, capsys):
    assert cli.main(["metrics", "--db", str(one_authority), "--json", "--as-of", LATE]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["as_of"] == "2021-03-15"
    assert "is after the last date this data records, 15 Mar 2021" in err, err


def test_the_pack_reads_a_later_date_as_the_data_date(one_authority):
    from paqa_dash.report import pack

    con = store.connect(one_authority, read_only=True)
    try:
        html = pack.build_pack(con, CHILD, as_of=date(2026, 11, 30))
    finally:
        con.close()
    assert "as of 15 Mar 2021" in html and "30 Nov 2026" not in html.split('id="chronology"')[0]


def test_the_command_line_says_the_data_ends_before_a_period_chosen_after_it(one_authority, capsys):
    """Every figure of a period after the data's last date is empty because the data stops, not because nothing
    happened: `metrics` says so as the page does (it printed the zeros with no word; a newcomer's review)."""
    assert cli.main(["metrics", "--db", str(one_authority), "--json", "--from", "2023-04-01"]) == 0
    out, err = capsys.readouterr()
    assert "The data ends 15 Mar 2021, before the period chosen." in err, err
    assert cli.main(["metrics", "--db", str(one_authority), "--json", "--from", "2020-04-01"]) == 0
    assert "before the period chosen" not in capsys.readouterr().err


def test_the_data_ended_note_names_the_authorities_whose_data_ends():
    dates = {"390": date(2026, 3, 31), "393": date(2024, 3, 31)}
    assert data_dates.ended_note(("393",), dates, date(2026, 3, 31), date(2025, 4, 1)) == (
        "South Tyneside's data ends 31 Mar 2024, before the period chosen.")
    assert data_dates.ended_note(("390", "393"), dates, date(2026, 3, 31), date(2025, 4, 1)) == ""
    assert data_dates.ended_note((), dates, date(2026, 3, 31), date(2026, 4, 1)) == (
        "The data ends 31 Mar 2026, before the period chosen.")
    assert data_dates.ended_note(("999",), dates, date(2026, 3, 31), date(2026, 4, 1)) == ""   # no date known
