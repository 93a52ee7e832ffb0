"""7.5 core group and review timeliness: working days with bank holidays, chained deadlines,
missed meetings late, not-yet-due deadlines neither."""
from __future__ import annotations

from datetime import date

import pandas as pd
from support.store_builder import build_store

from paqa_dash.metrics import coverage, timeliness
from paqa_dash.filters import Filters
from paqa_dash.settings import Thresholds


def plan(pid, start, end=None):
    return {"plan_id": pid, "child_id": "c-" + pid, "start_date": start, "end_date": end,
            "initial_category": "NEG", "team": "North"}


def meeting(eid, pid, day, kind="CORE_GROUP"):
    return {"event_id": eid, "child_id": "c-" + pid, "event_date": day, "event_type": kind, "agency": "CSC",
            "plan_id": pid}


def rows(frame, pid):
    out = frame[frame["plan_id"] == pid].sort_values("due")
    return [(k, pd.Timestamp(d).date(), s) for k, d, s in out[["kind", "due", "status"]].itertuples(index=False)]


def test_core_groups_across_easter_and_intervals(tmp_path):
    con = build_store(
        tmp_path / "t.duckdb",
        plans=[plan("E", "2024-03-22"), plan("L", "2024-03-22")],
        events=[
            meeting("e1", "E", "2024-04-09"),   # 10th working day after Fri 22 Mar (Easter in between)
            meeting("e2", "E", "2024-05-21"),   # exactly 6 weeks later: on time
            meeting("e3", "E", "2024-07-03"),   # 43 days later: late
            meeting("e3b", "E", "2024-07-03"),  # a second record of the same meeting counts once
            meeting("l1", "L", "2024-04-10"),   # one day after the deadline: late
        ])
    got = timeliness.core_group_timeliness(con, Filters(as_of=date(2024, 7, 20)))
    assert rows(got, "E") == [
        ("first", date(2024, 4, 9), "on_time"),
        ("interval", date(2024, 5, 21), "on_time"),
        ("interval", date(2024, 7, 2), "late"),
        ("interval", date(2024, 8, 14), "not_due"),   # after the as-of date
    ]
    assert rows(got, "L")[0] == ("first", date(2024, 4, 9), "late")
    counts = timeliness.core_group_counts(con, Filters(as_of=date(2024, 7, 20)))
    assert counts["first_on_time"] == 1 and counts["first_late"] == 1
    # L's next core group was due 6 weeks after 10 Apr and never held: late too
    assert rows(got, "L")[1] == ("interval", date(2024, 5, 22), "late")
    assert counts["intervals_on_time"] == 1 and counts["intervals_late"] == 2 and counts["intervals_not_due"] == 1
    # the interval is a threshold: 7 weeks makes E's 43-day gap on time
    wide = timeliness.core_group_counts(con, Filters(as_of=date(2024, 7, 20)), Thresholds(core_group_interval_weeks=7))
    assert (wide["intervals_on_time"], wide["intervals_late"]) == (2, 1)


def test_missed_meetings_and_not_due(tmp_path):
    con = build_store(
        tmp_path / "m.duckdb",
        plans=[
            plan("MISSED", "2024-01-08", "2024-06-30"),    # never met: first deadline passed -> late
            plan("ENDED", "2024-01-08", "2024-01-15"),     # ended before the deadline -> not due
            plan("OPEN", "2024-06-24"),                    # deadline after as-of -> not due
            plan("AFTEREND", "2024-01-08", "2024-03-31"),  # meeting after the end does not count
        ],
        events=[meeting("x1", "AFTEREND", "2024-04-02")])
    got = timeliness.core_group_timeliness(con, Filters(as_of=date(2024, 6, 30)))
    assert rows(got, "MISSED") == [("first", date(2024, 1, 22), "late")]
    assert rows(got, "ENDED") == [("first", date(2024, 1, 22), "not_due")]
    assert rows(got, "OPEN") == [("first", date(2024, 7, 8), "not_due")]
    assert rows(got, "AFTEREND") == [("first", date(2024, 1, 22), "late")]


# A store that records core groups (one meeting of another plan), so that a plan without one missed it.
RECORDS_CORE_GROUPS = dict(plans=[plan("OTHER", "2020-01-06")], events=[meeting("o1", "OTHER", "2020-01-08")])


def test_deadline_on_the_end_day_is_due(tmp_path):
    con = build_store(tmp_path / "d.duckdb", plans=[plan("P", "2024-01-08", "2024-01-22"), *RECORDS_CORE_GROUPS["plans"]],
                      events=RECORDS_CORE_GROUPS["events"])
    got = timeliness.core_group_timeliness(con, Filters(as_of=date(2024, 6, 30)))
    assert rows(got, "P") == [("first", date(2024, 1, 22), "late")]


def test_no_deadline_is_late_where_no_core_group_is_recorded(tmp_path):
    """A store whose source carries no core groups (Annex A, CIN census) has no deadline, met or missed."""
    con = build_store(tmp_path / "n.duckdb", plans=[plan("P", "2024-01-08", "2024-03-22")],
                      events=[meeting("r1", "P", "2024-03-01", "REVIEW_CONFERENCE")])
    assert timeliness.core_group_timeliness(con, Filters(as_of=date(2024, 6, 30))).empty
    assert sum(timeliness.core_group_counts(con, Filters(as_of=date(2024, 6, 30))).values()) == 0
    assert rows(timeliness.review_timeliness(con, Filters(as_of=date(2024, 6, 30))), "P")[0][0] == "first"


def test_reviews_first_three_months_then_six(tmp_path):
    con = build_store(
        tmp_path / "r.duckdb",
        plans=[plan("R", "2023-01-31"), plan("S", "2023-01-31", "2023-12-31")],
        events=[
            meeting("r1", "R", "2023-04-30", "REVIEW_CONFERENCE"),   # 31 Jan + 3m = 30 Apr: on time
            meeting("r2", "R", "2023-10-31", "REVIEW_CONFERENCE"),   # due 30 Oct: a day late
            meeting("s1", "S", "2023-05-01", "REVIEW_CONFERENCE"),   # late first review
        ])
    got = timeliness.review_timeliness(con, Filters(as_of=date(2024, 3, 31)))
    assert rows(got, "R") == [
        ("first", date(2023, 4, 30), "on_time"),
        ("later", date(2023, 10, 30), "late"),
        ("later", date(2024, 4, 30), "not_due"),
    ]
    # S: first late; the next review was due 2023-11-01, before the end, and never held: late
    assert rows(got, "S") == [("first", date(2023, 4, 30), "late"), ("later", date(2023, 11, 1), "late")]
    counts = timeliness.review_counts(con, Filters(as_of=date(2024, 3, 31)))
    assert (counts["first_on_time"], counts["first_late"], counts["later_on_time"], counts["later_late"]) == (1, 1, 0, 2)


def test_filter_period_selects_plans_by_start(tmp_path):
    con = build_store(tmp_path / "f.duckdb", plans=[plan("A", "2023-01-09"), plan("B", "2024-01-08")],
                      events=[meeting("a1", "A", "2023-01-10")])
    got = timeliness.core_group_timeliness(con, Filters(date_from=date(2024, 1, 1), as_of=date(2024, 6, 30)))
    assert set(got["plan_id"]) == {"B"}


def scheduled(eid, pid, due, held=None, held_due=None):
    """A review conference as the SSD gives it: due `due`; held on `held` (None: not yet held)."""
    return {**meeting(eid, pid, held, "REVIEW_CONFERENCE"), "due_date": held_due or due}


def test_scheduled_reviews_count_as_due_dates(tmp_path):
    """A review scheduled and not held is a deadline on its due date: late once the as-of date is past it, not
    due before; a later deadline than the statutory one does not move it back."""
    con = build_store(
        tmp_path / "s.duckdb",
        plans=[plan("A", "2023-01-05"), plan("B", "2023-01-05"), plan("C", "2023-01-05"), plan("D", "2023-01-05")],
        events=[
            scheduled("a1", "A", "2023-04-05", held="2023-04-01"),
            scheduled("a2", "A", "2023-09-01"),                      # scheduled before the 6-month deadline
            scheduled("b1", "B", "2023-03-20"),                      # first review scheduled, never held
            scheduled("c1", "C", "2023-04-05", held="2023-04-01"),
            scheduled("c2", "C", "2023-12-01"),                      # scheduled after the deadline (1 Oct)
            scheduled("d1", "D", "2023-04-05", held="2023-04-01"),
            scheduled("d2", "D", "2023-09-01"),                      # an old extract's row: ...
            scheduled("d3", "D", "2023-09-01", held="2023-08-30"),   # ... since held, with the same due date
        ])
    before = timeliness.review_timeliness(con, Filters(as_of=date(2023, 8, 15)))
    after = timeliness.review_timeliness(con, Filters(as_of=date(2023, 9, 15)))
    assert rows(before, "A") == [("first", date(2023, 4, 5), "on_time"), ("later", date(2023, 9, 1), "not_due")]
    assert rows(after, "A") == [("first", date(2023, 4, 5), "on_time"), ("later", date(2023, 9, 1), "late")]
    assert rows(after, "B") == [("first", date(2023, 3, 20), "late")]
    assert rows(after, "C")[-1] == ("later", date(2023, 10, 1), "not_due")  # the statutory deadline stands
    assert rows(after, "D")[-1] == ("later", date(2024, 2, 29), "not_due")  # the stale row counts no more
    counts = timeliness.review_counts(con, Filters(as_of=date(2023, 9, 15)))
    assert (counts["first_late"], counts["later_late"]) == (1, 1)


def test_a_store_with_only_scheduled_reviews_records_reviews(tmp_path):
    """Scheduled reviews show the data records reviews: an open plan with none held is late, not unrecorded."""
    con = build_store(tmp_path / "o.duckdb", plans=[plan("P", "2023-01-05")],
                      events=[scheduled("p1", "P", "2023-04-05")])
    assert rows(timeliness.review_timeliness(con, Filters(as_of=date(2023, 6, 1))), "P") == [
        ("first", date(2023, 4, 5), "late")]


def _runs(con, *kinds: str) -> None:
    """Import runs 1, 2, ... of these kinds (import_runs.kind), as an import records them."""
    for run_id, kind in enumerate(kinds, start=1):
        con.execute("INSERT INTO import_runs (run_id, started_at, kind, source, file_hash, rows_read, rows_loaded, "
                    "rows_rejected, rows_duplicate, counts_json) VALUES (?, now(), ?, 'f', 'h', 0, 0, 0, 0, '{}')",
                    [run_id, kind])


def test_a_latest_review_only_source_misses_no_review(tmp_path):
    """Annex A lists only each plan's latest review conference: its plans' first and later reviews can be neither
    on time nor missed, and the review measure is not recorded; in a store mixing sources only the plans whose
    source records every review are counted."""
    annex = [{**plan("A", "2023-01-09", "2023-12-01"), "run_id": 1}]
    latest = [{**meeting("a1", "A", "2023-10-02", "REVIEW_CONFERENCE"), "run_id": 1}]
    as_of = Filters(as_of=date(2024, 3, 31))
    con = build_store(tmp_path / "a.duckdb", plans=annex, events=latest)
    _runs(con, "annex_a")
    assert timeliness.review_timeliness(con, as_of).empty
    assert sum(timeliness.review_counts(con, as_of).values()) == 0
    held = coverage.coverage(con, as_of)
    assert held.absent("reviews") == ("reviews",) and "reviews" in held.not_recorded()

    mixed = build_store(tmp_path / "m.duckdb", plans=[*annex, {**plan("B", "2023-01-09"), "run_id": 2}],
                        events=[*latest, {**meeting("b1", "B", "2023-04-03", "REVIEW_CONFERENCE"), "run_id": 2}])
    _runs(mixed, "annex_a", "bundle")
    assert set(timeliness.review_timeliness(mixed, as_of)["plan_id"]) == {"B"}
    counts = timeliness.review_counts(mixed, as_of)
    assert (counts["first_on_time"], counts["first_late"], counts["later_late"]) == (1, 0, 1)
    assert coverage.coverage(mixed, as_of).recorded("reviews")

    # one import of both sources at once: its rows do not say which file they came from, so none is counted
    together = build_store(tmp_path / "t.duckdb", plans=[{**p, "run_id": 1} for p in mixed.execute(
        "SELECT plan_id, child_id, start_date, end_date, initial_category FROM plans").df().to_dict("records")],
        events=[*latest, {**meeting("b1", "B", "2023-04-03", "REVIEW_CONFERENCE"), "run_id": 1}])
    _runs(together, "cin_xml+annex_a")
    assert timeliness.review_timeliness(together, as_of).empty
    assert coverage.coverage(together, as_of).absent("reviews") == ("reviews",)
