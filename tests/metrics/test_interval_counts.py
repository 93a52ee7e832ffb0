"""Later core groups and later reviews counted by status when read from the stored meeting tables, worked out by hand
for two plans added to a copy of the demo store: at the data date with another core-group interval (the table of the
recent dates, its statuses counted again) and at a date no table is written for (the meeting lists read for any date),
with a short and a long interval, so that the last interval is not due at one and late at the other, for a plan open
and one ended before that date (read as written at its end); the stored paths and the inline one give the hand-worked
counts."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from paqa_dash import store
from paqa_dash.derive import registry
from paqa_dash.filters import Filters
from paqa_dash.metrics import timeliness
from paqa_dash.settings import DEFAULTS
from support.children import add_child_with_plan
from support.derive import current, inline

CX, PX = "f0f0f0f0f0f0f0c2", "f0f0f0f0f0f0f0p2"
START = date(2025, 10, 6)   # an open plan
CORE_GROUPS = [date(2025, 10, 13), date(2025, 11, 3), date(2026, 1, 12), date(2026, 3, 2)]   # gaps 21, 70, 49 days
REVIEWS = [date(2025, 12, 15), date(2026, 3, 16)]
BEFORE = date(2026, 2, 15)   # no table of the recent dates is written for it; its meetings: the first three
# (as-of, core-group interval weeks) -> later core groups (on time, late, not due), worked out from CORE_GROUPS: an
# interval is on time when the next meeting came within 7W days, else late when the cutoff (the as-of: the plan is
# open) is at least 7W days after the meeting, else not yet due.  At the data date (31 Mar 2026) the last interval has
# 29 days of room, as of BEFORE 34.
CORE_GROUP_EXPECTED = {
    ("data", 6): (1, 2, 1),   # 21 on time; 70, 49 late; the last (29 days) not due
    ("data", 8): (2, 1, 1),   # 21, 49 on time; 70 late; the last not due
    ("data", 2): (0, 4, 0),   # every gap over 14 days late, the last too (29 >= 14)
    (BEFORE, 6): (1, 1, 1),   # 21 on time; 70 late; the last (34 days) not due
    (BEFORE, 2): (0, 3, 0),
}
# (as-of, later review months) -> later reviews (on time, late, not due): each review's next is due within the months
# (the last one's by the as-of).
REVIEW_EXPECTED = {
    ("data", 6): (1, 0, 1),   # 16 Mar within 6 months of 15 Dec; the next due 16 Sep 2026, after the as-of
    ("data", 2): (0, 1, 1),   # 16 Mar after 15 Feb: late; the next due 16 May 2026, after the as-of
    (BEFORE, 6): (0, 0, 1),   # one review by then, the next due 15 Jun 2026
    (BEFORE, 2): (0, 1, 0),   # one review by then, the next due 15 Feb 2026: late by the as-of
}


# A second child's plan, ended 29 Sep 2025 (before BEFORE): read as written at its end (its cutoff is its end as of
# any later date).  Its core groups' gaps 28 and 70 days, the last with 14 days of room to the end.
CY, PY = "f0f0f0f0f0f0f0c3", "f0f0f0f0f0f0f0p3"
ENDED_START, ENDED_END = date(2025, 6, 2), date(2025, 9, 29)
ENDED_CORE_GROUPS = [date(2025, 6, 9), date(2025, 7, 7), date(2025, 9, 15)]
ENDED_EXPECTED = {
    ("data", 6): (1, 1, 1),   # 28 on time; 70 late; the last (14 days to the end) not due
    (BEFORE, 6): (1, 1, 1),   # the same at any date after the end
    (BEFORE, 8): (1, 1, 1),
    (BEFORE, 2): (0, 3, 0),   # 28 and 70 late, the last too (14 >= 14)
}
# Its reviews: 15 Jul is 15 Jun plus one month exactly, so on time with 1 month; 16 Aug one day after 15 Jul plus a
# month, so on time with 2, not 1; 29 Aug within the month of 16 Aug; the last (29 Aug) sets a deadline of 29 Sep with
# 1 month (the end itself: late by then) and of 29 Oct with 2 (after the end: never due).  A third child's plan (CZ,
# PZ) has the same dates and reviews and also a review scheduled for 10 Sep and never held, after the last one: that
# deadline is brought forward to 10 Sep, by the end, so it is late at any months.  Both read as written at the end
# (as of BEFORE) and as at the data date.
ENDED_REVIEWS = [date(2025, 6, 15), date(2025, 7, 15), date(2025, 8, 16), date(2025, 8, 29)]
SCHEDULED_DUE = date(2025, 9, 10)
CZ, PZ = "f0f0f0f0f0f0f0c4", "f0f0f0f0f0f0f0p4"
ENDED_REVIEW_EXPECTED = {   # (as-of, later review months) -> (on time, late, not due) of PY, then of PZ
    ("data", 1): ((2, 2, 0), (2, 2, 0)),
    (BEFORE, 1): ((2, 2, 0), (2, 2, 0)),
    (BEFORE, 2): ((3, 0, 1), (3, 1, 0)),
    (BEFORE, 6): ((3, 0, 1), (3, 1, 0)),
    ("data", 6): ((3, 0, 1), (3, 1, 0)),
}


@pytest.fixture
def con(demo_copy: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The demo copy with plan PX of child CX added as an import would leave it (every derived table rewritten)."""
    run = add_child_with_plan(demo_copy, CX, PX, START)
    add_child_with_plan(demo_copy, CY, PY, ENDED_START, ENDED_END, birth_month="2014-05-01", sex="M")
    add_child_with_plan(demo_copy, CZ, PZ, ENDED_START, ENDED_END, birth_month="2013-05-01", sex="M")
    meetings = ([(CX, PX, "CORE_GROUP", day) for day in CORE_GROUPS]
                + [(CX, PX, "REVIEW_CONFERENCE", day) for day in REVIEWS]
                + [(CY, PY, "CORE_GROUP", day) for day in ENDED_CORE_GROUPS]
                + [(child, plan, "REVIEW_CONFERENCE", day) for child, plan in ((CY, PY), (CZ, PZ))
                   for day in ENDED_REVIEWS])
    for i, (child, plan, kind, day) in enumerate(meetings):
        demo_copy.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency, plan_id, run_id) "
                          "VALUES (?, ?, ?, ?, 'CSC', ?, ?)", [f"f0f0f0f0f0f0f1{i:02d}", child, day, kind, plan, run])
    demo_copy.execute("INSERT INTO events (event_id, child_id, event_date, due_date, event_type, agency, plan_id, "
                      "run_id) VALUES ('f0f0f0f0f0f0f199', ?, NULL, ?, 'REVIEW_CONFERENCE', 'CSC', ?, ?)",
                      [CZ, SCHEDULED_DUE, PZ, run])
    registry.refresh(demo_copy, registry.Change(reviews="keep"))
    assert store.data_date(demo_copy) == date(2026, 3, 31)
    return demo_copy


def _later(counts: dict[str, int], prefix: str) -> tuple[int, int, int]:
    return tuple(counts[f"{prefix}_{status}"] for status in timeliness.STATUSES)


def _as_of(con: duckdb.DuckDBPyConnection, when: object) -> date:
    return store.data_date(con) if when == "data" else when


def _check(con: duckdb.DuckDBPyConnection) -> None:
    for (when, weeks), expected in CORE_GROUP_EXPECTED.items():
        counts = timeliness.core_group_counts(con, Filters(as_of=_as_of(con, when), child_ids=(CX,)),
                                              DEFAULTS.with_(core_group_interval_weeks=weeks))
        assert _later(counts, "intervals") == expected, (when, weeks)
    for (when, weeks), expected in ENDED_EXPECTED.items():
        counts = timeliness.core_group_counts(con, Filters(as_of=_as_of(con, when), child_ids=(CY,)),
                                              DEFAULTS.with_(core_group_interval_weeks=weeks))
        assert _later(counts, "intervals") == expected, ("ended", when, weeks)
    for (when, months), expected in REVIEW_EXPECTED.items():
        counts = timeliness.review_counts(con, Filters(as_of=_as_of(con, when), child_ids=(CX,)),
                                          DEFAULTS.with_(later_review_months=months))
        assert _later(counts, "later") == expected, (when, months)
    for (when, months), expected in ENDED_REVIEW_EXPECTED.items():
        for child, want in zip((CY, CZ), expected):
            counts = timeliness.review_counts(con, Filters(as_of=_as_of(con, when), child_ids=(child,)),
                                              DEFAULTS.with_(later_review_months=months))
            assert _later(counts, "later") == want, ("ended", child, when, months)


def test_later_meetings_counted_from_the_stored_tables(con):
    """Read from the stored tables (the recent dates' at the data date, the meeting lists as of BEFORE)."""
    data = Filters(as_of=store.data_date(con))
    assert current(con, "derived_core_group_plans", data)
    assert not current(con, "derived_core_group_plans", Filters(as_of=BEFORE))
    assert current(con, "derived_core_group_meetings", Filters(as_of=BEFORE))
    assert current(con, "derived_review_meetings", Filters(as_of=BEFORE))
    assert not current(con, "derived_review_plans", Filters(as_of=BEFORE))
    _check(con)


def test_later_meetings_counted_inline(con, monkeypatch):
    """The inline path gives the same hand-worked counts."""
    inline(monkeypatch, "derived_core_group_plans", "derived_core_group_meetings", "derived_review_plans",
           "derived_review_meetings")
    assert not current(con, "derived_core_group_meetings", Filters(as_of=BEFORE))
    _check(con)
