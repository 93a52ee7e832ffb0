"""7.6 family change during plans and in the gap before a repeat plan."""
from __future__ import annotations

from datetime import date

from support.store_builder import build_store

from paqa_dash.metrics import household
from paqa_dash.filters import Filters

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


def test_repeat_share_by_changes(tmp_path):
    con = build(tmp_path)
    per_child = household.changes_per_child(con, Filters(as_of=AS_OF)).set_index("child_id")
    assert per_child.loc["A", "changes"] == 5 and bool(per_child.loc["A", "has_repeat_plan"])
    assert per_child.loc["B", "changes"] == 1 and per_child.loc["C", "changes"] == 0
    share = household.repeat_share_by_changes(con, Filters(as_of=AS_OF)).set_index("bucket")
    assert share.loc["3+", "children"] == 1 and share.loc["3+", "repeat_share"] == 1.0
    assert share.loc["0", "repeat_share"] == 0.0 and share.loc["2", "children"] == 0


def test_change_buckets_and_most_changes_counted_in_sql(tmp_path):
    con = build(tmp_path)
    f = Filters(as_of=AS_OF)
    buckets = household.change_buckets(con, f)
    got = {(b, r): n for b, r, n in buckets[["bucket", "has_repeat_plan", "children"]].itertuples(index=False)}
    assert len(got) == 8 and sum(got.values()) == 3
    assert got[("0", False)] == 1 and got[("1", False)] == 1 and got[("3+", True)] == 1
    assert household.repeat_share(buckets).equals(household.repeat_share_by_changes(con, f))
    top = household.most_changes(con, f, limit=1)
    assert top[["child_id", "changes", "has_repeat_plan", "children_with_changes"]].values.tolist() == [["A", 5, True, 2]]
    # one team that has no plans: empty frames, all buckets zero
    none = Filters(as_of=AS_OF, teams=("South",))
    assert household.change_buckets(con, none)["children"].sum() == 0 and household.most_changes(con, none).empty
