"""7.3 ending reasons, premature endings and endings at risk on hand-worked plans."""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash.metrics import endings
from paqa_dash.filters import Filters
from paqa_dash.reference.codes import END_REASON_LABELS
from paqa_dash.settings import Thresholds

AS_OF = date(2025, 6, 30)
END = "2024-06-30"   # every plan below runs 2024-01-01 .. 2024-06-30 (6 months: not SHORT)


def plan(pid, child, start="2024-01-01", end=END):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": "North"}


def action(aid, pid, status, completed=None, factor=None):
    return {"action_id": aid, "plan_id": pid, "action_text": "x", "status": status, "completed_date": completed,
            "addresses_factor": factor}


def need(nid, child, factor, identified="2024-01-01", resolved=None):
    return {"need_id": nid, "child_id": child, "identified_date": identified, "factor": factor,
            "resolved_date": resolved}


@pytest.fixture
def reasons(tmp_path):
    con = build_store(
        tmp_path / "e.duckdb",
        plans=[
            plan("DROP", "c1"), plan("LATE", "c2"), plan("NOTD", "c3"), plan("OK", "c4"),
            plan("CHILD16A", "c5"), plan("ADULT", "c6"), plan("ADDR", "c7"), plan("ADDRLATE", "c8"),
            plan("RESOLVED", "c9"), plan("DA3A", "c10"),
            plan("SHORT", "c11", "2024-01-31", "2024-04-30"),
            plan("SHORT2", "c11", "2025-03-01", None),            # re-planned within 24 months: premature
            plan("FAR", "c12", "2021-01-01", "2021-03-01"),
            plan("FAR2", "c12", "2023-03-02", "2023-09-01"),      # 24 months + 1 day later: not premature
            plan("FUT", "c13", "2024-01-31", "2024-04-30"),
            plan("FUT2", "c13", "2025-09-01", None),              # after as-of: not known yet -> at risk
        ],
        actions=[
            action("a1", "DROP", "DROPPED"),
            action("a2", "LATE", "DONE", completed="2024-07-01"),  # done the day after the end
            action("a3", "NOTD", "NOT_DONE"),
            action("a4", "OK", "DONE", completed=END),             # done on the end day counts
            action("a7", "ADDR", "DONE", completed="2024-05-01", factor="4"),
            action("a8", "ADDRLATE", "DONE", completed="2024-07-15", factor="4B"),
            action("a10", "DA3A", "DONE", completed="2024-03-01", factor="2"),  # wrong factor number
        ],
        needs=[
            need("n5", "c5", "16A"),                                # child-level neglect: not an adult need
            need("n6", "c6", "4B"),
            need("n7", "c7", "4B"),
            need("n8", "c8", "4B"),
            need("n9", "c9", "1B", resolved="2024-05-01"),          # resolved before the end
            need("n10", "c10", "3A"),                               # domestic abuse counts as adult
            need("n11", "c6", "2C", identified="2024-07-01"),       # identified after the end: ignored
        ])
    frame = endings.ending_reasons(con, Filters(as_of=AS_OF), Thresholds()).set_index("plan_id")
    con.close()
    return frame


def test_open_actions(reasons):
    assert not reasons.loc["DROP", "open_actions"]          # DROPPED does not count
    assert reasons.loc["LATE", "open_actions"]              # DONE after the plan ended
    assert reasons.loc["NOTD", "open_actions"]
    assert not reasons.loc["OK", "open_actions"]
    assert reasons.loc["OK", "reasons"] == ""


def test_unaddressed_adult_need(reasons):
    assert not reasons.loc["CHILD16A", "unaddressed_adult_need"]
    assert reasons.loc["ADULT", "unaddressed_adult_need"] and reasons.loc["ADULT", "open_adult_factors"] == "4B"
    assert not reasons.loc["ADDR", "unaddressed_adult_need"]       # '4' covers 4B, done by the end
    assert reasons.loc["ADDRLATE", "unaddressed_adult_need"]       # done only after the end
    assert not reasons.loc["RESOLVED", "unaddressed_adult_need"]
    assert reasons.loc["DA3A", "unaddressed_adult_need"]


def test_short_and_reason_list(reasons):
    assert reasons.loc["SHORT", "short"]                     # 31 Jan -> 30 Apr is exactly 3 months
    assert not reasons.loc["OK", "short"]
    assert reasons.loc["LATE", "reasons"] == "OPEN_ACTIONS"
    assert endings.reasons_list(reasons.loc["SHORT", "reasons"]) == ["SHORT"]


def test_premature_and_at_risk(reasons):
    assert reasons.loc["SHORT", "premature"] and not reasons.loc["SHORT", "at_risk"]
    assert reasons.loc["SHORT", "next_plan_id"] == "SHORT2"
    assert not reasons.loc["FAR", "premature"] and not reasons.loc["FAR", "at_risk"]
    assert reasons.loc["FUT", "at_risk"] and not reasons.loc["FUT", "premature"]
    assert reasons.loc["ADULT", "at_risk"]
    assert not reasons.loc["OK", "at_risk"]                  # no reason: not on the watch list
    assert "SHORT2" not in reasons.index                     # still open


def test_period_selects_plans_by_end_date(tmp_path):
    con = build_store(tmp_path / "p.duckdb", plans=[plan("A", "a"), plan("B", "b", "2024-01-01", "2024-08-01")])
    f = Filters(date_from=date(2024, 7, 1), date_to=date(2024, 12, 31), as_of=AS_OF)
    assert endings.ending_reasons(con, f)["plan_id"].tolist() == ["B"]


def test_short_threshold_is_a_parameter(tmp_path):
    con = build_store(tmp_path / "t.duckdb", plans=[plan("A", "a", "2024-01-31", "2024-05-31")])
    assert not endings.ending_reasons(con, Filters(as_of=AS_OF)).loc[0, "short"]
    assert endings.ending_reasons(con, Filters(as_of=AS_OF), Thresholds(short_plan_months=4)).loc[0, "short"]


def test_lists_and_counts_agree_with_the_frame(tmp_path):
    con = build_store(tmp_path / "c.duckdb", plans=[
        plan("S1", "s", "2024-01-31", "2024-04-30"), plan("S2", "s", "2024-06-01", None),
        plan("R1", "r", "2024-01-31", "2024-03-30"), plan("OK", "o")])
    f = Filters(as_of=AS_OF)
    lists = endings.ending_lists(con, f).set_index("plan_id")
    assert lists.index.tolist() == ["R1", "S1"]
    assert lists.loc["S1", "premature"] and lists.loc["R1", "at_risk"]
    assert endings.reason_counts(con, f) == {"plans_ended": 3, "short": 2, "open_actions": 0,
                                             "unaddressed_adult_need": 0, "any_reason": 2, "premature": 1, "at_risk": 1}


def _short(pid: str, child: str, end: str, reason: str | None) -> dict:
    """A short plan (a warning sign) of `child` that ended on `end` for `reason`, with no later plan."""
    start = date.fromisoformat(end).replace(day=1)
    return {**plan(pid, child, start.isoformat(), end), "end_reason": reason}


@pytest.mark.parametrize("reason,watched,looked_after", [
    ("NO_LONGER_AT_RISK", True, False), ("STEP_DOWN_CIN", True, False), ("STEP_DOWN_EARLY_HELP", True, False),
    ("OTHER", True, False), (None, True, False),
    ("LOOKED_AFTER", True, True),                     # kept, and flagged apart
    ("DIED", False, False), ("AGE_18", False, False), ("TRANSFERRED_OUT", False, False),   # cannot be re-planned
])
def test_the_watch_list_holds_only_endings_that_could_still_be_re_planned(tmp_path, reason, watched, looked_after):
    from paqa_dash.metrics import cohorts

    con = build_store(tmp_path / "w.duckdb", plans=[_short("W", "w", "2025-05-31", reason)])
    f = Filters(as_of=AS_OF)
    listed = cohorts.ending_list(con, f, Thresholds(), kind="at_risk")
    assert listed["plan_id"].tolist() == (["W"] if watched else [])
    if watched:
        row = listed.iloc[0]
        assert bool(row["looked_after"]) is looked_after
        assert row["weeks_since_end"] == 4                                  # 31 May -> 30 June
        assert row["end_reason_text"] == ("not recorded" if reason is None else END_REASON_LABELS[reason])
    assert endings.reason_counts(con, f)["at_risk"] == int(watched)


def test_the_watch_list_ends_with_the_re_plan_window_and_puts_most_signs_first(tmp_path):
    from paqa_dash.metrics import cohorts

    con = build_store(tmp_path / "win.duckdb",
                      plans=[_short("OLD", "o", "2023-06-30", None),          # 24 months before as-of: window closed
                             _short("EDGE", "e", "2023-07-31", None),         # 23 months: still open
                             _short("RECENT", "r", "2025-06-30", None),
                             _short("TWO", "t", "2024-12-31", None)],
                      actions=[action("x", "TWO", "NOT_DONE")])               # short + actions not done
    listed = cohorts.ending_list(con, Filters(as_of=AS_OF), Thresholds(), kind="at_risk")
    assert listed["plan_id"].tolist() == ["TWO", "RECENT", "EDGE"]
    narrower = cohorts.ending_list(con, Filters(as_of=AS_OF), Thresholds(replan_window_months=12), kind="at_risk")
    assert narrower["plan_id"].tolist() == ["TWO", "RECENT"]
