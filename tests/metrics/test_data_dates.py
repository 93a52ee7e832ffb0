"""Each authority's own data date (issue 15): hand-worked dates, and the store's per-authority dates read from a
tiny store of two authorities whose data end a year apart."""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.metrics import data_dates, store_info

DATES = {"202": date(2025, 3, 31), "203": date(2026, 3, 31), "841": date(2026, 3, 10)}


def test_default_as_of_is_the_chosen_authorities_latest_date():
    latest = date(2026, 3, 31)
    assert store.default_as_of(("202",), DATES, latest) == date(2025, 3, 31)
    assert store.default_as_of(("202", "841"), DATES, latest) == date(2026, 3, 10)
    assert store.default_as_of((), DATES, latest) == latest         # none chosen: the store's
    assert store.default_as_of(("999",), DATES, latest) == latest   # an authority with no dates: the store's
    assert store.default_as_of((), {}, None) is None


def test_behind_names_authorities_a_month_or_more_behind_oldest_first():
    as_of = date(2026, 3, 31)
    assert data_dates.behind(("203", "841", "202"), DATES, as_of) == [("202", date(2025, 3, 31))]   # 21 days: same
    assert data_dates.behind(("203",), DATES, as_of) == []
    assert data_dates.behind(("202", "841"), DATES, date(2026, 5, 1)) == [("202", date(2025, 3, 31)),
                                                                        ("841", date(2026, 3, 10))]
    assert data_dates.behind(("202",), DATES, None) == []


def test_behind_note_names_the_authority_and_its_date():
    note = data_dates.behind_note(("202", "203"), DATES, date(2026, 3, 31))
    assert "Camden (202) on 31 Mar 2025" in note and "not recorded" in note
    assert data_dates.behind_note(("203",), DATES, date(2026, 3, 31)) == ""


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = build_store(tmp_path_factory.mktemp("dates") / "s.duckdb", plans=[
        {"plan_id": "A1", "child_id": "A", "start_date": "2024-05-01", "end_date": "2025-01-15", "team": "North", "initial_category": "NEG"},
        {"plan_id": "B1", "child_id": "B", "start_date": "2025-02-01", "end_date": None, "team": "North", "initial_category": "NEG"},
        {"plan_id": "C1", "child_id": "C", "start_date": "2026-02-20", "end_date": None, "team": "South", "initial_category": "NEG"},
    ])
    con.execute("UPDATE children SET authority = '202' WHERE child_id IN ('A', 'B')")
    con.execute("UPDATE children SET authority = '203' WHERE child_id = 'C'")
    yield con
    con.close()


def test_store_reads_each_authoritys_latest_record(con):
    # Camden's latest record is B1's start (A1's end is earlier); Greenwich's is C1's start
    assert store.authority_data_dates(con) == {"202": date(2025, 2, 1), "203": date(2026, 2, 20)}
    assert store_info.store_info(con)["authority_data_dates"] == {"202": date(2025, 2, 1), "203": date(2026, 2, 20)}
    con.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency) "
                "VALUES ('E1', 'A', DATE '2025-03-20', 'REVIEW_CONFERENCE', 'CSC')")
    try:
        assert store.authority_data_dates(con)["202"] == date(2025, 3, 20)   # an event counts too
    finally:
        con.execute("DELETE FROM events WHERE event_id = 'E1'")


def test_each_authority_s_plans_span_their_own_years(con):
    # Camden: A1 from May 2024, B1 open (its start is its latest date); Greenwich: C1 alone
    assert store_info.store_info(con)["authority_spans"] == {"202": (date(2024, 5, 1), date(2025, 2, 1)),
                                                              "203": (date(2026, 2, 20), date(2026, 2, 20))}


def test_one_authority_store_lists_no_dates(con):
    con.execute("UPDATE children SET authority = '202'")
    try:
        assert store_info.store_info(con)["authority_data_dates"] == {}
    finally:
        con.execute("UPDATE children SET authority = '203' WHERE child_id = 'C'")


def test_the_command_line_reads_a_chosen_authority_as_of_its_own_date(con):
    assert store.with_data_date(con, Filters(authorities=("202",))).as_of == date(2025, 2, 1)
    assert store.with_data_date(con, Filters()).as_of == date(2026, 2, 20)
    assert store.with_data_date(con, Filters(authorities=("202",), as_of=date(2024, 1, 1))).as_of == date(2024, 1, 1)


def test_metrics_names_an_authority_whose_data_ends_early_and_lists_each_date(tmp_path, capsys, monkeypatch):
    import json

    from paqa_dash.cli import main
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    path = tmp_path / "two.duckdb"
    con = build_store(path, plans=[
        {"plan_id": "A1", "child_id": "A", "start_date": "2024-05-01", "team": "North", "initial_category": "NEG"},
        {"plan_id": "C1", "child_id": "C", "start_date": "2026-02-20", "team": "South", "initial_category": "NEG"}])
    con.execute("UPDATE children SET authority = '202' WHERE child_id = 'A'")
    con.execute("UPDATE children SET authority = '203' WHERE child_id = 'C'")
    con.close()
    assert main(["metrics", "--db", str(path), "--json"]) == 0
    out = capsys.readouterr()
    assert "Camden (202) on 1 May 2024" in out.err and "--authority" in out.err
    held = {a["code"]: a["data_date"] for a in json.loads(out.out)["authorities"]}
    assert held == {"202": "2024-05-01", "203": "2026-02-20"}
    assert main(["metrics", "--db", str(path), "--json", "--authority", "202"]) == 0
    out = capsys.readouterr()
    assert out.err == "" and json.loads(out.out)["as_of"] == "2024-05-01"


def test_a_census_return_runs_to_its_reference_date(tmp_path, monkeypatch):
    """The 2024 return's last record is 1 Feb 2024; the return speaks for the year to 31 March, so the view is
    read as of then (read as of 1 Feb, the default period would be the reporting year before the return's)."""
    from support.paths import FIXTURES

    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    path = tmp_path / "cin.duckdb"
    run_import([FIXTURES / "cin" / "authority_2024.xml"], path)
    con = store.connect(path)
    try:
        assert store.latest_date(con) == date(2024, 3, 31)
        assert store.authority_data_dates(con) == {"999": date(2024, 3, 31)}   # the header LEA 999, its own date too
        assert sql_max_record(con) < date(2024, 3, 31)
    finally:
        con.close()


def sql_max_record(con):
    return con.execute("SELECT max(d) FROM (SELECT max(event_date) d FROM events UNION ALL "
                       "SELECT max(coalesce(end_date, start_date)) FROM plans)").fetchone()[0]


def test_the_authorities_with_plans_in_a_period():
    spans = {"390": (date(2021, 4, 4), date(2026, 3, 31)), "393": (date(2020, 4, 2), date(2024, 3, 18)),
             "999": (date(2019, 6, 25), date(2021, 2, 16))}
    codes = ["390", "393", "999", "202"]   # 202: no span known, kept
    assert data_dates.with_plans_in(codes, spans, date(2025, 4, 1), date(2026, 3, 31)) == ["390", "202"]
    assert data_dates.with_plans_in(codes, spans, date(2020, 4, 1), date(2021, 3, 31)) == ["393", "999", "202"]
    assert data_dates.with_plans_in(codes, spans, None, date(2019, 12, 31)) == ["999", "202"]
    assert data_dates.with_plans_in(codes, spans, None, None) == codes


# One child is read as of its own authority's data date (docs/definitions.md, "Regional view").
CHILD_DATES = {"202": date(2026, 3, 31), "999": date(2021, 3, 15)}


def test_a_child_is_read_as_of_its_authoritys_date_when_none_is_chosen():
    read = data_dates.child_date("999", CHILD_DATES, None, date(2026, 3, 31))
    assert (read.as_of, read.data_date, read.authority) == (date(2021, 3, 15), date(2021, 3, 15), "999")
    said = read.sentence()
    assert said.startswith("LA 999, data to 15 Mar 2021") and "31 Mar 2026" in said
    same = data_dates.child_date("202", CHILD_DATES, None, date(2026, 3, 31))
    assert same.as_of == date(2026, 3, 31) and same.sentence() == "Camden (202)."   # no "data to": not behind


def test_a_chosen_as_of_applies_but_never_past_the_authoritys_data():
    earlier = data_dates.child_date("999", CHILD_DATES, date(2021, 1, 1), date(2021, 1, 1))
    assert earlier.as_of == date(2021, 1, 1) and "data to" not in earlier.sentence()
    later = data_dates.child_date("999", CHILD_DATES, date(2026, 1, 1), date(2026, 1, 1))
    assert later.as_of == date(2021, 3, 15)
    assert "this authority's data ends 15 Mar 2021" in later.sentence() and "1 Jan 2026" in later.sentence()


def test_a_child_with_no_authority_or_date_is_read_as_the_view_is():
    none = data_dates.child_date(None, CHILD_DATES, None, date(2026, 3, 31))
    assert none.as_of == date(2026, 3, 31) and none.sentence() == ""
    single = data_dates.child_date("202", {}, date(2027, 1, 1), date(2027, 1, 1))   # a store of one authority
    assert single.as_of == date(2027, 1, 1) and single.sentence() == "Camden (202)."
