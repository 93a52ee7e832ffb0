"""The demo's material for audit questions 2 and 7: what happened between a child's plans (concerns in the gap
before each repeat plan) and plan updates after reviews, core groups and incidents.

Why a module of its own, run after the other events: it draws from its own random stream (seeded from the
demo's seed) and appends rows under its own id prefix, so every figure the demo showed before (events,
attendance, their ids) stays as it was.  Patterns, as the audit found them: some repeat plans follow one
incident quickly, others a slow drift of missed appointments, school and health worries and police call-outs
over many months, thickening before the plan; plans are updated after most reviews, some core groups and
about half of the incidents, with teams differing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..ingest.frames import COLUMNS
from ..reference.codes import AGENCIES, EVENT_TYPES
from .cohort import Cohort, _choice
from .columns import codes, frame, ids, iso_dates, refs, width_for
from .dates import DAY
from .facts import Facts

STREAM = 2014   # this module's random stream: np.random.default_rng([seed, STREAM])
A = {a: i for i, a in enumerate(AGENCIES)}
T = {t: i for i, t in enumerate(EVENT_TYPES)}

# (event type, agency, note) of a concern in the gap, with its weight in a slow drift.  No challenge or
# escalation: those are the challenge measures' own material, and their demo figures stay as they were.
GAP_CONCERNS: tuple[tuple[str, str, str, float], ...] = (
    ("MISSED_APPOINTMENT", "HEALTH", "Child not brought to a health appointment", 0.24),
    ("MISSED_APPOINTMENT", "EDUCATION", "School absence unexplained for several days", 0.20),
    ("INCIDENT", "POLICE", "Police called to the home; children present", 0.14),
    ("REFERRAL", "EDUCATION", "School contacted children's services: child arriving hungry", 0.12),
    ("REFERRAL", "HEALTH", "Health visitor contacted children's services about the home conditions", 0.10),
    ("INCIDENT", "FAMILY", "Neighbour reported the children left alone", 0.06),
    ("REFERRAL", "HEALTH", "GP shared renewed worries about the children after the plan ended", 0.07),
    ("REFERRAL", "EDUCATION", "School made a second contact about the same worries", 0.07),
)
UPDATE_NOTES = ("Plan updated after the review conference", "Plan updated by the core group",
                "Plan updated after the incident: new actions added", "Plan reviewed; actions re-dated")
NOTES = tuple(n for _t, _a, n, _w in GAP_CONCERNS) + UPDATE_NOTES


def _decoded(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plan row, event type index, date) of every event of the generated frame (categoricals decoded)."""
    plan = events["plan_id"].cat.codes.to_numpy()
    types = pd.Index(EVENT_TYPES).get_indexer(events["event_type"].cat.categories)[events["event_type"].cat.codes]
    days = np.array(events["event_date"].cat.categories, dtype="datetime64[D]")[events["event_date"].cat.codes]
    return plan, types, days


def _gap_concerns(rng: np.random.Generator, c: Cohort) -> tuple[np.ndarray, ...]:
    """(plan row of the repeat plan, date, concern index) of the concerns in each gap: 30% of repeat plans
    none beyond their referral (a quick re-plan), 30% one to three in the four months before the plan, 40% a
    drift of four to twelve across the gap, crowding toward the plan."""
    prev = c.prev
    rows = np.flatnonzero((prev >= 0) & ~np.isnat(np.where(prev >= 0, c.end[np.maximum(prev, 0)], np.datetime64("NaT"))))
    gap_start = c.end[prev[rows]] + DAY
    gap_end = c.start[rows] - 20 * DAY               # before the strategy discussion of the plan (events.py)
    ok = gap_end > gap_start
    rows, gap_start, gap_end = rows[ok], gap_start[ok], gap_end[ok]
    pattern = _choice(rng.random(rows.size), np.array([0.3, 0.3, 0.4]))
    n = np.where(pattern == 0, 0, np.where(pattern == 1, rng.integers(1, 4, rows.size), rng.integers(4, 13, rows.size)))
    owner = np.repeat(np.arange(rows.size), n)
    span = (gap_end - gap_start) // DAY
    recent = np.maximum(gap_end - 120 * DAY, gap_start)
    u = rng.random(owner.size)
    drift = pattern[owner] == 2
    # a drift spreads over the gap, more of it late (u ** 0.5); a few concerns sit in the last four months
    offset = np.where(drift, (np.sqrt(u) * span[owner]).astype(np.int64),
                      ((gap_end[owner] - recent[owner]) // DAY * u).astype(np.int64))
    date = np.where(drift, gap_start[owner], recent[owner]) + offset * DAY
    kind = _choice(rng.random(owner.size), np.array([w for *_x, w in GAP_CONCERNS]))
    return rows[owner], date, kind


def _updates(rng: np.random.Generator, c: Cohort, f: Facts, events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plan row, date, note index) of plan updates after reviews (most within four weeks), core groups
    (some) and incidents (about half), each team with its own habit; none after the plan's last day."""
    plan, types, days = _decoded(events)
    sel = np.flatnonzero(np.isin(types, [T["REVIEW_CONFERENCE"], T["CORE_GROUP"], T["INCIDENT"]]) & (plan >= 0))
    plan, types, days = plan[sel], types[sel], days[sel]
    team_shift = rng.normal(0.0, 0.12, int(c.team.max(initial=0)) + 1)
    base = np.select([types == T["REVIEW_CONFERENCE"], types == T["CORE_GROUP"]], [0.8, 0.3], 0.5)
    updated = rng.random(plan.size) < np.clip(base + team_shift[c.team[plan]], 0.05, 0.97)
    late = rng.random(plan.size) < 0.2
    lag = np.where(late, rng.integers(29, 70, plan.size), rng.integers(0, 22, plan.size))
    when = days + lag * DAY
    keep = updated & (when <= f.last_day[plan])
    note = np.select([types == T["REVIEW_CONFERENCE"], types == T["CORE_GROUP"]], [0, 1], 2)
    note = np.where(late, 3, note)
    return plan[keep], when[keep], note[keep] + len(GAP_CONCERNS)


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of one table, categoricals kept categorical (their categories unioned)."""
    out = {}
    for col in parts[0].columns:
        series = [p[col] for p in parts]
        if all(isinstance(s.dtype, pd.CategoricalDtype) for s in series):
            out[col] = pd.Series(pd.api.types.union_categoricals(series, ignore_order=True))
        else:
            out[col] = pd.concat(series, ignore_index=True)
    return pd.DataFrame(out)


def add_events(events: pd.DataFrame, c: Cohort, f: Facts, child_keys: pd.Series, plan_keys: pd.Series,
               seed: int) -> pd.DataFrame:
    """`events` (the generated events frame) with the gap concerns (no plan) and the plan updates appended."""
    rng = np.random.default_rng([seed, STREAM])
    gap_plan, gap_date, gap_kind = _gap_concerns(rng, c)
    up_plan, up_date, up_note = _updates(rng, c, f, events)
    n = gap_plan.size + up_plan.size
    if n == 0:
        return events
    types = [EVENT_TYPES.index(t) for t, *_x in GAP_CONCERNS]
    agencies = [A[a] for _t, a, *_x in GAP_CONCERNS]
    new = frame("events", {
        "event_id": ids("G", np.arange(1, n + 1), width_for(n)),
        "child_id": refs(child_keys, c.child[np.concatenate([gap_plan, up_plan])]),
        "event_date": iso_dates(np.concatenate([gap_date, up_date])),
        "event_type": codes(EVENT_TYPES, np.concatenate([np.array(types)[gap_kind],
                                                          np.full(up_plan.size, T["PLAN_UPDATE"])])),
        "agency": codes(AGENCIES, np.concatenate([np.array(agencies)[gap_kind], np.full(up_plan.size, A["CSC"])])),
        "plan_id": refs(plan_keys, np.concatenate([np.full(gap_plan.size, -1), up_plan])),
        "detail": codes(NOTES, np.concatenate([gap_kind, up_note])),
    }, COLUMNS["events"])
    new["_row"] = new["_row"] + len(events)
    return _concat([events, new])
