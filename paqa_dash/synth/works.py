"""Restorative and adult-facing work in the demo (the "What works" page): family group conferences and
network meetings, and motivational interviewing by adult-facing practitioners, recorded as events.

Why its own step, after the rest of the chronology: its story is told about outcomes the cohort already
decided.  An ending that holds (no other plan within 24 months) more often had a family group conference and
an adult-facing practitioner working with the parent by motivational interviewing; one that was followed by
another plan less often.  That gives the page a plausible association to show, and the page says it is an
association, not proof.  Its own random stream (seed + STREAM), so the rest of the demo is drawn as before.
Vectorised over plans, like the rest of the generator; nothing loops over children.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import frame, ids, width_for

STREAM = 14_005
HELD_DAYS = 730     # "held": no other plan within 24 months of the ending
# (chance when the ending held, chance when it did not)
FGC_CHANCE = (0.22, 0.07)
MI_CHANCE = (0.30, 0.08)
FGC_NOTES = (
    "Family group conference held; Mum, Dad and the wider family agreed their own plan for the children",
    "Family network meeting: grandparents and an aunt agreed who will help with school runs and tea times",
    "FGC held; the family's plan was accepted by the core group",
)
# Adult-facing agency -> what its practitioner recorded starting.
MI_NOTES = {
    "ADULT_MH": "Adult mental health practitioner started motivational interviewing sessions with Mum",
    "ADULT_DA": "Domestic abuse worker started motivational work with Dad on the effect of abuse on the children",
    "ADULT_SUBSTANCE": "Drug and alcohol worker began motivational interviewing with Mum; she set her own goals",
    "PROBATION": "Probation officer began motivational interviewing with Dad about his drinking and the children",
}


def _held(plans: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ended plans: (row, start, end, held) with held = no later plan of the child within HELD_DAYS."""
    start = pd.to_datetime(plans["start_date"].astype(object), errors="coerce").to_numpy("datetime64[D]")
    end = pd.to_datetime(plans["end_date"].astype(object), errors="coerce").to_numpy("datetime64[D]")
    child = plans["child_id"].astype(object).to_numpy()
    order = np.lexsort((start, child))
    same_next = np.zeros(len(order), bool)
    same_next[:-1] = child[order][1:] == child[order][:-1]
    next_start = np.full(len(order), np.datetime64("NaT"), "datetime64[D]")
    next_start[:-1] = np.where(same_next[:-1], start[order][1:], np.datetime64("NaT"))
    nxt = np.empty_like(next_start)
    nxt[order] = next_start
    ended = ~np.isnat(end) & ~np.isnat(start)
    gap = (nxt - end).astype("timedelta64[D]").astype("float64")
    held = np.isnat(nxt) | (np.nan_to_num(gap, nan=np.inf) > HELD_DAYS)
    rows = np.flatnonzero(ended)
    return rows, start[rows], end[rows], held[rows]


def events(plans: pd.DataFrame, columns_order: tuple[str, ...], seed: int) -> pd.DataFrame:
    """The extra events (FGCs, motivational interviewing) as an events frame with ids EW...."""
    rng = np.random.default_rng(seed + STREAM)
    rows, start, end, held = _held(plans)
    parts = []
    for chance, kind in ((FGC_CHANCE, "fgc"), (MI_CHANCE, "mi")):
        pick = rng.random(rows.size) < np.where(held, chance[0], chance[1])
        span = np.maximum((end[pick] - start[pick]).astype("int64"), 1)
        day = start[pick] + (rng.random(int(pick.sum())) * span).astype("int64").astype("timedelta64[D]")
        if kind == "fgc":
            agency = np.full(day.size, "CSC", object)
            note = np.array(FGC_NOTES, object)[rng.integers(0, len(FGC_NOTES), day.size)]
            kind_code = np.full(day.size, "OTHER", object)
        else:
            agencies = np.array(list(MI_NOTES), object)
            agency = agencies[rng.integers(0, len(agencies), day.size)]
            note = np.array([MI_NOTES[a] for a in agency], object)
            kind_code = np.full(day.size, "INTERVENTION_START", object)
        parts.append(pd.DataFrame({"plan": rows[pick], "event_date": day, "event_type": kind_code,
                                   "agency": agency, "detail": note}))
    extra = pd.concat(parts, ignore_index=True)
    n = len(extra)
    plan_ids = plans["plan_id"].astype(object).to_numpy()
    child_ids = plans["child_id"].astype(object).to_numpy()
    return frame("events", {
        "event_id": ids("EW", np.arange(1, n + 1), width_for(max(n, 1))),
        "child_id": pd.Series(child_ids[extra["plan"]], dtype="category"),
        "event_date": pd.Series(np.datetime_as_string(extra["event_date"].to_numpy("datetime64[D]")), dtype="category"),
        "event_type": pd.Series(extra["event_type"], dtype="category"),
        "agency": pd.Series(extra["agency"], dtype="category"),
        "plan_id": pd.Series(plan_ids[extra["plan"]], dtype="category"),
        "detail": pd.Series(extra["detail"], dtype="category"),
    }, columns_order)


def with_work_events(events_frame: pd.DataFrame, plans: pd.DataFrame, columns_order: tuple[str, ...],
                     seed: int) -> pd.DataFrame:
    """`events_frame` with the extra events appended (row numbers continued, categoricals kept)."""
    extra = events(plans, columns_order, seed)
    extra["_row"] = extra["_row"] + len(events_frame)
    out = {}
    for col in events_frame.columns:
        a, b = events_frame[col], extra[col]
        if isinstance(a.dtype, pd.CategoricalDtype):
            known = a.cat.categories
            new = pd.Index(sorted(set(b.astype(object).dropna()) - set(known)), dtype=known.dtype)
            cats = known.append(new)
            out[col] = pd.concat([a.cat.set_categories(cats),
                                  pd.Series(pd.Categorical(b.astype(object), categories=cats))], ignore_index=True)
        else:
            out[col] = pd.concat([a, b.astype(a.dtype) if a.dtype != object else b], ignore_index=True)
    return pd.DataFrame(out)
