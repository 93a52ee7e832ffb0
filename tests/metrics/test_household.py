"""7.6 family change during plans and in the gap before a repeat plan."""
from __future__ import annotations

from datetime import date

from support.store_builder import build_store

import pandas as pd

from paqa_dash.metrics import household
from paqa_dash.filters import Filters
from paqa_dash.settings import Thresholds

AS_OF = date(2025, 6, 30)


def plan(pid, child, start, end=None):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": "North"}


def change(cid, day, family=None, child=None):
    return {"change_id": cid, "change_date": day, "change_type": "ADULT_JOINED", "family_id": family, "child_id": child}


def build(tmp_path):
    return build_store(
        tmp_path / "h.duckdb",
        children=[{"child_id": "A", "family_id": "F"}, {"child_id": "B", "family_id": "F"},
                  {"child_id": "C", "family_id": "G"}],
        plans=[plan("A1", "A", "2023-01-01", "2023-06-30"), plan("A2", "A", "2024-01-01", None),
               plan("B1", "B", "2023-01-01", "2023-06-30"), plan("C1", "C", "2023-01-01", "2023-12-31")],
        family_changes=[
            change("f1", "2023-03-01", family="F"),   # during A1 and B1: one change, counted once
            change("f2", "2023-09-01", family="F"),   # gap between A1 and A2 (B has no later plan)
            change("f3", "2023-06-30", child="A"),    # on A1's end day: during the plan, not the gap
            change("f4", "2024-02-01", child="A"),    # during A2 (open)
            change("f5", "2026-01-01", child="A"),    # after as-of
            change("g1", "2022-06-01", family="G"),   # before C's only plan: not a repeat gap
            {**change("f6", "2024-03-01", family="F"), "child_id": "A"},  # linked twice, counted once
        ])


def test_family_change_counts(tmp_path):
    con = build(tmp_path)
    assert household.family_change_counts(con, Filters(as_of=AS_OF)) == {"during_plans": 4, "before_repeat_plans": 1}
    only_2024 = Filters(date_from=date(2024, 1, 1), as_of=AS_OF)
    assert household.family_change_counts(con, only_2024) == {"during_plans": 2, "before_repeat_plans": 1}


def test_repeat_plans_after_a_change_count_plans_not_changes(tmp_path):
    con = build(tmp_path)
    # A2 is the one repeat plan with its previous plan's end in the data; f2 fell in its gap
    assert household.repeat_plans_after_change(con, Filters(as_of=AS_OF)) == (1, 1)
    con.execute("INSERT INTO family_changes (change_id, change_date, change_type, child_id) "
                "VALUES ('f7', DATE '2023-10-01', 'HOUSE_MOVE', 'A')")   # a second change in the same gap
    assert household.repeat_plans_after_change(con, Filters(as_of=AS_OF)) == (1, 1)
    assert household.family_change_counts(con, Filters(as_of=AS_OF))["before_repeat_plans"] == 2
    con.execute("DELETE FROM family_changes WHERE change_id IN ('f2', 'f7')")
    assert household.repeat_plans_after_change(con, Filters(as_of=AS_OF)) == (0, 1)


def test_changes_per_child(tmp_path):
    con = build(tmp_path)
    per_child = household.changes_per_child(con, Filters(as_of=AS_OF)).set_index("child_id")
    assert per_child.loc["A", "changes"] == 5 and bool(per_child.loc["A", "has_repeat_plan"])
    assert per_child.loc["B", "changes"] == 1 and per_child.loc["C", "changes"] == 0


def test_after_first_plan_counts_every_child_over_the_same_months(tmp_path):
    """12-month window.  First plans ended: A1 (2023-06-30), B1 (2023-06-30), C1 (2023-12-31), D1 (2024-09-30).
    Followed up 12 months by 2025-06-30: A1, B1, C1 (D1's window ends 2025-09-30: left out).
    Changes in (end, end + 12 months]: A: f2 (family F, 2023-09-01), f4 (2024-02-01, during A2: still counted,
    same months), f6 (2024-03-01, by child and family: once) -> 3; B (family F): f2, f6 -> 2 (f6 is on B's
    family too) ; C: g2 (2024-12-31, the window's last day) -> 1; g3 (2025-01-01) is after it.
    Re-planned within 12 months: A (A2 2024-01-01); B and C not; C's C2 (2025-02-01) is too late."""
    con = build_store(
        tmp_path / "a.duckdb",
        children=[{"child_id": "A", "family_id": "F"}, {"child_id": "B", "family_id": "F"},
                  {"child_id": "C", "family_id": "G"}, {"child_id": "D", "family_id": "H"}],
        plans=[plan("A1", "A", "2023-01-01", "2023-06-30"), plan("A2", "A", "2024-01-01", None),
               plan("B1", "B", "2023-01-01", "2023-06-30"), plan("C1", "C", "2023-01-01", "2023-12-31"),
               plan("C2", "C", "2025-02-01", None), plan("D1", "D", "2024-01-01", "2024-09-30")],
        family_changes=[
            change("f1", "2023-06-30", family="F"),   # on the end day: not after it
            change("f2", "2023-09-01", family="F"),
            change("f4", "2024-02-01", child="A"),
            {**change("f6", "2024-03-01", family="F"), "child_id": "A"},
            change("g2", "2024-12-31", family="G"),
            change("g3", "2025-01-01", family="G"),
            change("h1", "2024-10-01", family="H"),   # D is not followed up 12 months yet
        ])
    t = Thresholds(replan_window_months=12)
    after = household.after_first_plan(con, Filters(as_of=AS_OF), t)
    got = {(b, r): n for b, r, n in after[["bucket", "replanned", "children"]].itertuples(index=False)}
    assert len(got) == 8 and sum(got.values()) == 3
    assert got[("3+", True)] == 1 and got[("2", False)] == 1 and got[("1", False)] == 1
    share = household.replanned_share(after).set_index("bucket")
    assert share.loc["3+", "replanned_share"] == 1.0 and share.loc["1", "replanned_share"] == 0.0
    assert pd.isna(share.loc["0", "replanned_share"]) and share.loc["0", "children"] == 0
    # the repeat-plan filter does not apply (the cohort is first plans); the period picks the ending
    assert household.after_first_plan(con, Filters(as_of=AS_OF, plan_number="repeat"), t).equals(after)
    late_2023 = Filters(as_of=AS_OF, date_from=date(2023, 12, 1), date_to=date(2023, 12, 31))
    assert int(household.after_first_plan(con, late_2023, t)["children"].sum()) == 1
    # with the default 24-month window only A1 and B1 (ended 2023-06-30) have been followed up 24 months
    wide = household.after_first_plan(con, Filters(as_of=AS_OF))
    assert wide.loc[wide["children"] > 0, ["bucket", "replanned", "children"]].values.tolist() == [
        ["2", False, 1], ["3+", True, 1]]


def test_change_buckets_and_most_changes_counted_in_sql(tmp_path):
    con = build(tmp_path)
    f = Filters(as_of=AS_OF)
    buckets = household.change_buckets(con, f)
    got = {(b, r): n for b, r, n in buckets[["bucket", "has_repeat_plan", "children"]].itertuples(index=False)}
    assert len(got) == 8 and sum(got.values()) == 3
    assert got[("0", False)] == 1 and got[("1", False)] == 1 and got[("3+", True)] == 1
    top = household.most_changes(con, f, limit=1)
    assert top[["child_id", "changes", "has_repeat_plan", "children_with_changes"]].values.tolist() == [["A", 5, True, 2]]
    # one team that has no plans: empty frames, all buckets zero
    none = Filters(as_of=AS_OF, teams=("South",))
    assert household.change_buckets(con, none)["children"].sum() == 0 and household.most_changes(con, none).empty


def test_changes_after_a_first_plan_read_from_the_derived_table_equal_the_inline_ones(demo_store, monkeypatch):
    """derived_after_first_changes (every change after each first plan's end, written at import) gives the inline
    figures of the fair comparison at the data date and as of earlier dates, for another re-plan window too (the
    window is applied when read), with a team and a period."""
    import duckdb

    from paqa_dash import store
    from paqa_dash.settings import DEFAULTS
    from support.derive import current, inline

    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        latest = store.data_date(con)
        questions = [(g, t) for day in (latest, date(2024, 12, 31), date(2023, 5, 17))
                     for g in (Filters(as_of=day), Filters(as_of=day, teams=("North",)),
                               Filters(as_of=day, date_from=date(2021, 1, 1), date_to=date(2022, 12, 31)))
                     for t in (DEFAULTS, DEFAULTS.with_(replan_window_months=6))]
        assert all(current(con, "derived_after_first_changes", f, t) for f, t in questions)
        stored = [household.after_first_plan(con, f, t) for f, t in questions]
        assert any(int(s.loc[s["bucket"] != "0", "children"].sum()) for s in stored)
        inline(monkeypatch, "derived_after_first_changes")
        for got, (f, t) in zip(stored, questions):
            pd.testing.assert_frame_equal(got, household.after_first_plan(con, f, t))
    finally:
        con.close()


def test_after_first_plan_counts_a_change_linked_by_child_and_family_once(tmp_path):
    """A change recorded on the child and on its family is one change: the child is in bucket 1, not 2 (the
    per-plan count is of rows, which the changes' UNION makes one per change)."""
    con = build_store(
        tmp_path / "once.duckdb",
        children=[{"child_id": "A", "family_id": "F"}],
        plans=[plan("A1", "A", "2023-01-01", "2023-06-30")],
        family_changes=[{**change("f1", "2023-09-01", family="F"), "child_id": "A"}])
    after = household.after_first_plan(con, Filters(as_of=AS_OF), Thresholds(replan_window_months=12))
    assert after.loc[after["children"] > 0, ["bucket", "replanned", "children"]].values.tolist() == [["1", False, 1]]


def test_changes_before_repeat_plans_are_not_known_where_no_earlier_plan_is_dated(tmp_path):
    """A repeat plan whose earlier plans are only counted (an Annex A return's previous plans): no gap was searched, so
    the count of changes in it is None (the page, `metrics --json` and the briefing say not known), never 0."""
    con = build_store(tmp_path / "u.duckdb", children=[{"child_id": "D", "family_id": "H"}],
                      plans=[{**plan("D2", "D", "2024-02-01", None), "previous_plans": 1}],
                      family_changes=[change("h1", "2024-03-01", family="H")])   # during D2
    counts = household.family_change_counts(con, Filters(as_of=AS_OF))
    assert counts == {"during_plans": 1, "before_repeat_plans": None}
