"""Authorities as a filter and the Regional view's counts, on a tiny hand-worked store with two authorities
(Camden 202, Inner London; Greenwich 203, Outer London).  Until importers fill children.authority the tests
set it with an UPDATE, as the brief for issue 15 says."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import chronology, regional, sequence, store_info
from paqa_dash.reference import authorities as la
from paqa_dash.scope import AUDITOR, SERVICE_MANAGER, STRATEGIC_LEAD, Scope
from paqa_dash.settings import Thresholds

PERIOD = dict(date_from=date(2024, 4, 1), date_to=date(2025, 3, 31), as_of=date(2025, 6, 30))


def plan(pid, child, start, end=None, prev=None, team="North"):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": team, "previous_plans": prev}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = build_store(
        tmp_path_factory.mktemp("regional") / "s.duckdb",
        plans=[
            plan("A1", "A", "2023-01-01", "2023-06-01"),               # before the period
            plan("A2", "A", "2024-05-01", "2024-07-15"),               # repeat, 335 days after A1 ended; under 3 months
            plan("B1", "B", "2024-06-01"),                             # first, open
            plan("C1", "C", "2024-04-10", "2025-01-10", team="South"),  # first, 6 to 12 months
            plan("D1", "D", "2024-09-01", prev=1, team="South"),       # repeat (earlier plan before the store), open
        ])
    con.execute("UPDATE children SET authority = '202' WHERE child_id IN ('A', 'B')")
    con.execute("UPDATE children SET authority = '203' WHERE child_id IN ('C', 'D')")
    yield con
    con.close()


def counts(con, **kw):
    return sequence.start_counts(con, Filters(**PERIOD, **kw), Thresholds())


def test_no_authority_chosen_counts_both(con):
    assert counts(con)["plans_started"] == 4 and counts(con)["repeat_plans_started"] == 2


def test_one_authority_limits_every_figure(con):
    camden = counts(con, authorities=("202",))
    assert (camden["plans_started"], camden["repeat_plans_started"], camden["repeat_within_window"]) == (2, 1, 1)
    assert camden["median_gap_days"] == 335
    greenwich = sequence.end_counts(con, Filters(**PERIOD, authorities=("203",)), Thresholds())
    assert greenwich["plans_ended"] == 1 and greenwich["ended_duration_bands"]["6_12m"] == 1


def test_a_region_expands_to_the_store_authorities_in_it(con):
    held = store_info.store_info(con)["authorities"]
    assert held == ["202", "203"]
    assert la.in_region("London", held) == ("202", "203")
    assert la.in_region("Inner London", held) == ("202",)
    assert counts(con, authorities=la.in_region("Outer London", held))["plans_started"] == 2
    assert la.in_region("North East", held) == ()


def test_teams_follow_authorities(con):
    assert store_info.store_info(con)["team_authorities"] == {"202": ["North"], "203": ["South"]}


def test_scope_still_bounds_an_authority(con):
    north_only = Scope(role=SERVICE_MANAGER, teams=("North",))
    assert counts(con, authorities=("203",), scope=north_only)["plans_started"] == 0
    frame = regional.by_authority(con, Filters(**PERIOD, scope=north_only), Thresholds()).set_index("authority")
    assert frame.loc["203", "plans_started"] == 0 and frame.loc["202", "plans_started"] == 2


def test_by_authority_side_by_side(con):
    frame = regional.by_authority(con, Filters(**PERIOD), Thresholds()).set_index("authority")
    assert frame.loc["202", "name"] == "Camden" and frame.loc["203", "region"] == "London"
    assert frame.loc["202", ["plans_started", "repeat_plans_started", "repeat_within_window", "le_3m"]].tolist() == [2, 1, 1, 1]
    assert frame.loc["203", ["plans_started", "repeat_plans_started", "6_12m"]].tolist() == [2, 1, 1]
    # 203's one repeat plan has its earlier plan only as a count (D1): whether it came within the window is not
    # known, so no count and no rate, never 0 (202's is dated: known)
    assert pd.isna(frame.loc["203", "repeat_within_window"]) and not frame.loc["203", "repeat_within_window_recorded"]
    assert frame.loc["202", "repeat_within_window_recorded"]
    within = regional.rate_table(frame.reset_index(), regional.WITHIN).set_index("authority")
    assert within.loc["202", "percent"] == 50.0 and within.loc["202", "recorded"]
    assert pd.isna(within.loc["203", "percent"]) and pd.isna(within.loc["203", "numerator"])
    assert not within.loc["203", "recorded"]
    assert frame.loc["202", "median_gap_days"] == 335 and pd.isna(frame.loc["203", "median_gap_days"])
    # the tiny store records no core groups, reviews or attendance: not recorded, never zeros
    assert not frame.loc["202", "core_groups_recorded"] and pd.isna(frame.loc["202", "cg_first_on_time"])
    rates = regional.rate_table(frame.reset_index(), regional.REPEAT).set_index("authority")
    assert rates.loc["202", "percent"] == 50.0
    practice = regional.practice_table(frame.reset_index())
    assert not practice["recorded"].any() and practice["percent"].isna().all()


def test_each_authoritys_row_is_picked_from_the_grouped_rows_without_summing_frames(con, monkeypatch):
    """by_authority: the same rows, each authority's counts picked from the grouped query's rows by its code; no frame
    is filtered and summed per authority (152 authorities: a third of the view's time at a million plans)."""
    before = regional.by_authority(con, Filters(**PERIOD), Thresholds())

    def no_sum(*args, **kwargs):
        raise AssertionError("a frame summed per authority")
    monkeypatch.setattr(pd.Series, "sum", no_sum)
    monkeypatch.setattr(pd.DataFrame, "sum", no_sum)
    pd.testing.assert_frame_equal(regional.by_authority(con, Filters(**PERIOD), Thresholds()), before)


def test_chosen_authorities_are_the_groups(con):
    frame = regional.by_authority(con, Filters(**PERIOD, authorities=("203",)), Thresholds())
    assert frame["authority"].tolist() == ["203"]


def test_a_store_without_authorities_is_one_group(tmp_path):
    one = build_store(tmp_path / "one.duckdb", plans=[plan("X1", "X", "2024-05-01", "2024-06-01")])
    try:
        frame = regional.by_authority(one, Filters(**PERIOD), Thresholds())
        assert frame["authority"].tolist() == [None] and frame["plans_started"].tolist() == [1]
        assert regional.as_json(one) == {}
        comps = regional.published_comparators(frame, 2025)
        assert comps["comparator"].tolist() == ["england"]
    finally:
        one.close()


def test_unknown_codes_are_named(con):
    assert regional.unknown_authorities(con, ("202",)) is None
    message = regional.unknown_authorities(con, ("202", "999", "204"))
    assert "999 (no authority DfE publishes)" in message and "204 (Hackney)" in message
    assert "Camden (202)" in message


def test_json_lists_the_authorities(con):
    assert regional.as_json(con) == {"authorities": [
        {"code": "202", "name": "Camden", "region": "London", "data_date": "2024-07-15"},     # A2's end
        {"code": "203", "name": "Greenwich", "region": "London", "data_date": "2025-01-10"}]}  # C1's end


def test_published_comparators_name_their_year(con):
    frame = regional.by_authority(con, Filters(**PERIOD), Thresholds())
    comps = regional.published_comparators(frame, 2025)
    camden = comps[comps["authority"] == "202"].set_index("comparator")
    assert camden.loc["england", "percent"] == 24.5 and camden.loc["region", "label"] == "London"
    assert camden.loc["authority", "percent"] == 21.9 and (camden["year"] == 2025).all()


def test_the_stored_sequence_carries_the_authority(tmp_path):
    """The plan sequence written at import keeps the child's authority, so the filter gives the same figures
    from the stored table as from the inline numbering."""
    from paqa_dash.derive import registry
    from support.derive import current

    db = build_store(tmp_path / "stored.duckdb", plans=[plan("A1", "A", "2024-05-01", prev=1),
                                                      plan("B1", "B", "2024-06-01", team="South")])
    try:
        db.execute("UPDATE children SET authority = CASE child_id WHEN 'A' THEN '202' ELSE '203' END")
        inline = counts(db, authorities=("202",))
        db.execute("INSERT INTO import_runs (run_id, started_at, kind, source, file_hash, rows_read, rows_loaded, "
                   "rows_rejected, rows_duplicate, counts_json) VALUES (1, now(), 'bundle', 't', 'h', 2, 2, 0, 0, '{}')")
        registry.refresh(db, registry.Change(run_id=1, reviews="keep"), only=("plan_sequence",))
        assert current(db, "plan_sequence", Filters(**PERIOD))
        assert db.execute("SELECT authority FROM plan_sequence ORDER BY plan_id").fetchall() == [("202",), ("203",)]
        stored = counts(db, authorities=("202",))
        assert stored == inline and (stored["plans_started"], stored["repeat_plans_started"]) == (1, 1)
    finally:
        db.close()


def test_a_users_authorities_bound_every_figure_whatever_the_filter(con):
    """A regional store shared by several authorities: the access file gives a user their own authority."""
    camden_lead = Scope(role=STRATEGIC_LEAD, authorities=("202",))
    assert counts(con, scope=camden_lead)["plans_started"] == 2
    assert counts(con, authorities=("203",), scope=camden_lead)["plans_started"] == 0   # a pasted URL
    frame = regional.by_authority(con, Filters(**PERIOD, scope=camden_lead), Thresholds()).set_index("authority")
    assert frame.loc["203", "plans_started"] == 0 and frame.loc["202", "plans_started"] == 2


def test_a_child_of_another_authority_is_outside_an_auditors_scope(con):
    camden_audit = Scope(role=AUDITOR, authorities=("202",))
    assert chronology.child_in_scope(con, "A", camden_audit)          # repeat plan, Camden
    assert not chronology.child_in_scope(con, "D", camden_audit)      # repeat plan, Greenwich
    assert chronology.child_in_scope(con, "D", Scope(role=AUDITOR))   # every authority


def test_audit_measures_by_authority_say_not_recorded_where_the_data_holds_none(con):
    from paqa_dash.metrics import regional_audit
    table = regional_audit.rates_by_authority(con, ["202", "203"], Filters(**PERIOD), Thresholds())
    assert len(table) == 2 * len(regional_audit.RATES)
    ended = table[table["measure"] == "Warning sign, not re-planned yet"].set_index("authority")
    # Camden's A2 ended in the period (under 3 months: a warning sign) with no later plan; Greenwich's C1 lasted 9
    assert (ended.loc["202", "numerator"], ended.loc["202", "denominator"]) == (1, 1)
    assert (ended.loc["203", "numerator"], ended.loc["203", "denominator"]) == (0, 1)
    # counted from short plans only (no actions here): the signs not checked are named, as on the other pages
    assert ended["recorded"].all()
    assert ended.loc["202", "not_checked"].startswith("warning signs not checked: actions not done and adult need "
                                                      "unaddressed, not recorded in this data: no ")
    assert "no plan actions (actions.csv)" in ended.loc["202", "not_checked"]
    assert (table.loc[table["measure"] != "Warning sign, not re-planned yet", "not_checked"] == "").all()
    # this store holds plans only: no actions, meetings or household changes, so those are not recorded, never 0
    wording = table[table["measure"] == "Deficit wording"]
    assert not wording["recorded"].any() and wording["percent"].isna().all()
    assert not table.loc[table["measure"] == "Repeat after a household change", "recorded"].any()


def test_the_widest_gap_names_the_measure_and_both_ends():
    from paqa_dash.metrics import regional_audit
    table = pd.DataFrame({"name": ["A", "B", "A", "B", "A"], "measure": ["X", "X", "Y", "Y", "Z"],
                          "percent": [10.0, 30.0, 50.0, 55.0, 99.0], "denominator": 40})
    assert regional_audit.widest_gap(table) == "Authorities differ most on x: 10% (A) to 30% (B)"
    assert regional_audit.widest_gap(table[table["name"] == "A"]) is None   # one authority: no gap
    # a rate on fewer cases than benchmarks.COMPARE_FROM is set against no other authority's: B's 30% of 5 is left out
    few = table.assign(denominator=[40, 5, 40, 40, 40])
    assert regional_audit.widest_gap(few) == "Authorities differ most on y: 50% (A) to 55% (B)"
    assert regional_audit.widest_gap(table.assign(denominator=5)) is None


def test_an_authority_whose_data_ends_earlier_is_read_as_of_its_own_date():
    view = Filters(**PERIOD)     # as of 30 June 2025
    own = (("202", date(2025, 3, 31)), ("203", date(2025, 9, 30)))
    assert regional.own_date(view, "202", own).as_of == date(2025, 3, 31)
    assert regional.own_date(view, "203", own).as_of == date(2025, 6, 30)    # later than the view: the view's
    assert regional.own_date(view, "841", own).as_of == date(2025, 6, 30)    # no date known
    assert regional.own_date(view, None, own).as_of == date(2025, 6, 30)


@pytest.fixture(scope="module")
def three(demo_store, tmp_path_factory):
    import duckdb
    from support.authorities import demo_of_three

    con = duckdb.connect(str(demo_of_three(demo_store, tmp_path_factory.mktemp("three"))), read_only=True)
    yield con
    con.close()


# the derived tables the timeliness measures read (each stands for an inline block that carries the plan's authority)
TIMELINESS_TABLES = ("derived_core_group_plans", "derived_review_plans", "derived_core_group_meetings",
                     "derived_review_meetings")


@pytest.mark.parametrize("path", ["stored", "inline"])
@pytest.mark.parametrize("own_earlier", [(), ("203",)], ids=["one date", "an authority read earlier"])
def test_timeliness_and_attendance_by_authority_are_each_measure_narrowed_to_it(three, own_earlier, path,
                                                                                monkeypatch):
    """The Regional view asks once for every authority (grouped in SQL; asked once per authority, the view took minutes
    at a million plans): each row is what the page of that measure gives with the filter narrowed to the authority,
    read as of its own date, here on the demo's core groups, reviews and attendance; from the timeliness tables
    written at import (as of the data date, and for the earlier date from the tables read for any date) and from the
    inline blocks, each giving the plan's authority its own way."""
    from paqa_dash import store
    from paqa_dash.metrics import coverage, engagement, timeliness
    from support.derive import current, inline

    data_date = store.data_date(three)
    assert all(current(three, name, Filters(as_of=data_date)) for name in TIMELINESS_TABLES[:2])
    assert all(current(three, name, Filters(as_of=date(2024, 12, 31))) for name in TIMELINESS_TABLES[2:])
    if path == "inline":
        inline(monkeypatch, *TIMELINESS_TABLES)
        assert not any(current(three, name, Filters(as_of=data_date)) for name in TIMELINESS_TABLES)
    own = tuple((code, date(2024, 12, 31) if code in own_earlier else data_date) for code in ("202", "203", "841"))
    t = Thresholds(core_group_interval_weeks=8)
    frame = regional.by_authority(three, Filters(as_of=data_date), t, own).set_index("authority")
    assert list(frame.index) == ["202", "203", "841"]
    for code in frame.index:
        f = regional.own_date(Filters(as_of=data_date, authorities=(code,)), code, own)
        assert f.effective_as_of == (date(2024, 12, 31) if code in own_earlier else data_date)
        row, held = frame.loc[code], coverage.coverage(three, f, t)
        assert held.recorded("core_groups") and held.recorded("reviews") and held.recorded("agency_attendance")
        cg, rv = timeliness.core_group_counts(three, f, t), timeliness.review_counts(three, f, t)
        att = engagement.agency_attendance(three, f, t)
        assert (row["cg_first_on_time"], row["cg_first_due"], row["cg_intervals_not_due"]) == (
            cg["first_on_time"], cg["first_on_time"] + cg["first_late"], cg["intervals_not_due"])
        assert (row["reviews_later_on_time"], row["reviews_later_due"], row["reviews_first_not_due"]) == (
            rv["later_on_time"], rv["later_on_time"] + rv["later_late"], rv["first_not_due"])
        assert (row["invited"], row["attended"]) == (att["invited"].sum(), att["attended"].sum()) != (0, 0)


@pytest.mark.parametrize("as_of", ["data date", "2024-12-31"])
def test_timeliness_by_authority_joins_the_plans_no_more_than_the_counts(three, as_of):
    """Core group and review timeliness by authority read each plan's authority from the facts they count (the
    inline blocks and every table's stand-in carry it): joined to the plans again for it, twice a query, they were
    a CPU second of the Regional view at a million plans.  So each query joins what the same counts for the whole
    filter join, no more."""
    from paqa_dash import store
    from paqa_dash.metrics import sqlrun

    f = Filters(as_of=store.data_date(three) if as_of == "data date" else date.fromisoformat(as_of))
    with sqlrun.store_state(three, ("test", "timeliness joins", as_of)):
        for whole in ("timeliness_core_group_counts", "timeliness_review_counts"):
            asked = (sqlrun.text_and_params(three, main, f, Thresholds()) for main in (whole, f"{whole}_by_authority"))
            plans = [three.execute("EXPLAIN " + text, params).fetchall()[0][1] for text, params in asked]
            assert "derived_" in plans[1] and plans[1].count("INNER") == plans[0].count("INNER"), whole


def test_the_stored_attendance_is_summed_per_plan_and_joined_to_the_plans_once(three):
    """The Regional view's attendance by authority, read from the sums stored at import over the agencies, per plan and
    quarter, joined to the filter's plans once (the sums per agency, joined to the plans and again for the authority,
    took 18.7 million rows through two joins at a million plans: half the view's time)."""
    from paqa_dash import store
    from paqa_dash.metrics import sqlrun

    f = Filters(as_of=store.data_date(three))
    with sqlrun.store_state(three, ("test", "attendance joins")):
        assert sqlrun.reads_stored(three, f, Thresholds(), "core_group_attendance")
        text, params = sqlrun.text_and_params(three, "engagement_attendance_by_authority", f, Thresholds())
    plan = three.execute("EXPLAIN " + text, params).fetchall()[0][1]
    assert plan.count("core_group_attendance_by_plan") == 1 and plan.count("INNER") == 1


def test_the_stores_authorities_are_read_once_per_store_version(con, monkeypatch):
    """Which authorities the store holds changes only with the store: read once per store version (a join of every
    child to its plans, 0.1 s of every Regional view at a million plans), again for another version, and every time
    outside a page run."""
    from paqa_dash.metrics import sqlrun

    calls = []
    real = regional.authority_codes
    monkeypatch.setattr(regional, "authority_codes", lambda c: calls.append(1) or real(c))
    with sqlrun.store_state(con, ("test", "store codes", 1)):
        first = regional.by_authority(con, Filters(**PERIOD), Thresholds())
        pd.testing.assert_frame_equal(regional.by_authority(con, Filters(**PERIOD), Thresholds()), first)
        assert regional.store_codes(con) == ["202", "203"]
    assert len(calls) == 1
    with sqlrun.store_state(con, ("test", "store codes", 2)):
        regional.by_authority(con, Filters(**PERIOD), Thresholds())
    assert len(calls) == 2
    assert regional.store_codes(con) == ["202", "203"] and len(calls) == 3


@pytest.mark.parametrize("as_of", ["data date", "2024-12-31"])
def test_the_timeliness_counts_read_each_plans_facts_in_one_pass(three, as_of):
    """Core group and review timeliness, for the whole filter and by authority, count the first deadlines and sum the
    later ones in one pass over the plans' facts: counted and summed apart, the facts were read twice, so DuckDB kept
    a copy of every plan's (with its list of core-group intervals), a third of each count at a million plans.  Only
    the few rows of sums are kept for the rows by kind and status."""
    import re

    from paqa_dash import store
    from paqa_dash.metrics import sqlrun

    f = Filters(as_of=store.data_date(three) if as_of == "data date" else date.fromisoformat(as_of))
    with sqlrun.store_state(three, ("test", "timeliness one pass", as_of)):
        for main in ("timeliness_core_group_counts", "timeliness_core_group_counts_by_authority",
                     "timeliness_review_counts", "timeliness_review_counts_by_authority"):
            text, params = sqlrun.text_and_params(three, main, f, Thresholds())
            plan = three.execute("EXPLAIN " + text, params).fetchall()[0][1]
            kept = {name for name in re.findall(r"CTE Name:\s*(\w+)", plan) if not name.startswith("__duckdb")}
            # (DuckDB's own are its joins'; m_rv_scheduled: the reviews scheduled and not held, a row per plan with one)
            assert "derived_" in plan and kept <= {"m_cg_sums", "m_rv_sums", "m_rv_scheduled"}, (main, kept)
