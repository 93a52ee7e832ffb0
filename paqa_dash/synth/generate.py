"""The seeded, calibrated synthetic generator: an `Extract` like any real import.

Why an Extract: the demo store, the tests' fixtures and the benchmark must go through the same
validation, de-identification and loading as real files (there is no second way into the store),
so the generator stops where an importer stops: canonical tables of strings (as the native bundle names them) with
`_source` = "synthetic:<table>" and `_row` = 1..n.

How it scales: every table is drawn as numpy arrays for all plans at once (counts per plan expanded
with np.repeat, texts chosen by integer index into template arrays), and turned into Arrow strings
and categoricals at the end; the only loops run over plan *order* (at most six) and over kinds of
event, never over children or plans.  Measured (one core): 2,000 children in under a second;
1,000,000 plans (850,000 children, 27M events, 40M attendance rows, 5.8M actions) in about 50 s of
CPU with a peak of about 5 GB.  Foreign keys, codes, dates and template texts are categoricals, so
the frames of a million plans take about 2.4 GB.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .. import sql, store
from ..ingest.frames import COLUMNS, TABLES, Extract
from ..reference.codes import CATEGORIES, END_REASONS
from . import calibration as cal
from . import between, casework, challenge, cohort, columns, events, facts, works
from .authorities import region_authorities, spread as spread_authorities
from .columns import codes, ids, iso_dates, refs, take, width_for, yes_no
from .texts import action_bank, change_bank, event_bank

DEFAULT_TEAMS: tuple[str, ...] = ("North", "South", "East", "West", "Central")
Progress = Callable[[float, str], None]


def build_demo(db: Path | str, children: int = 2000, seed: int = 42, progress: Progress | None = None,
               end_date: date = date(2026, 3, 31), authorities: int = 1):
    """Build the synthetic demo store at `db` through the importers' loader (the `demo` command).

    The store is built beside `db` and moved into place when complete, so a running app never sees
    half a store and a failed build leaves the old one.  A store holding imported (real) data is
    never replaced.  Pseudonyms use the key of `db` (PAQA_PSEUDO_KEY or the key file beside it).
    Returns the loader's ImportSummary; the loader marks the store synthetic (meta synthetic=true).
    """
    from ..ingest.deidentify import load_key
    from ..pipeline import load_extracts

    db = Path(db)
    say = progress or (lambda _f, _m: None)
    if db.exists():
        con = store.connect(db, read_only=True)
        try:
            holds_real = not store.is_synthetic(con) and int(sql.query(con, "synth_store_plans").iloc[0, 0]) > 0
        finally:
            con.close()
        if holds_real:
            raise FileExistsError(f"{db.name} holds imported data; build the demo into another store (--db)")
    extract = generate(children=children, seed=seed, end_date=end_date, authorities=authorities,
                       progress=lambda f, m: say(0.4 * f, f"Generating: {m}"))
    building = db.with_name(db.name + ".building")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    key = load_key(db)
    con = store.connect(building)
    try:
        summary = load_extracts(con, [extract], key, progress=lambda f, m: say(0.4 + 0.6 * f, m))
        store.set_meta(con, "synthetic_seed", str(seed))
        store.set_meta(con, "synthetic_children", str(children))
    finally:
        con.close()
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    os.replace(building, db)
    return summary


def children_for_plans(plans: int) -> int:
    """Children that yield about `plans` plans under the calibrated model."""
    return max(1, int(round(plans / cal.PLANS_PER_CHILD)))


def generate(children: int | None = None, plans: int | None = None, seed: int = 42,
             end_date: date = date(2026, 3, 31), years: int = 10, teams: Sequence[str] = DEFAULT_TEAMS,
             progress: Progress | None = None, authorities: int = 1) -> Extract:
    """A synthetic extract of `children` children (or about `plans` plans) over `years` years, spread over
    `authorities` authorities of one region (synth/authorities.py; one: none named)."""
    return generate_with_labels(children, plans, seed, end_date, years, teams, progress, authorities)[0]


def generate_with_labels(children: int | None = None, plans: int | None = None, seed: int = 42,
                         end_date: date = date(2026, 3, 31), years: int = 10,
                         teams: Sequence[str] = DEFAULT_TEAMS,
                         progress: Progress | None = None, authorities: int = 1) -> tuple[Extract, pd.DataFrame]:
    """The extract and the true reworded-action pairs (`action_id`, `earlier_action_id`, `exact`),
    in source ids, for measuring the duplicate matcher."""
    if (children is None) == (plans is None):
        raise ValueError("give either children or plans")
    n_children = int(children) if children is not None else children_for_plans(int(plans))
    if n_children < 1:
        raise ValueError("children must be at least 1")
    if not teams:
        raise ValueError("give at least one team")
    region_authorities(authorities)  # refuses more than one region holds, before anything is drawn
    say = progress or (lambda _f, _m: None)
    rng = np.random.default_rng(seed)
    end = np.datetime64(end_date, "D")

    say(0.0, "children and plans")
    c = cohort.build(rng, n_children, end, years, len(teams), progress)
    f = facts.decide(rng, c, end)
    key = _Keys(c)
    tables: dict[str, pd.DataFrame] = {}
    tables["children"], tables["plans"] = _children(c, key), _plans(c, key, teams)
    tables["children"] = spread_authorities(tables["children"], c.family, authorities, seed)   # issue 15
    say(0.22, "needs, actions and household changes")
    tables["needs"] = _needs(casework.needs(rng, c, f, end), c, key)
    actions, pairs = casework.actions(rng, c, f, end)
    tables["actions"], labels = _actions(actions, pairs, key)
    del actions
    tables["family_changes"] = _changes(casework.changes(rng, c, f), c, key)
    say(0.35, "events")
    ev = events.generate(rng, c, f, end)
    say(0.6, "core group attendance")
    att = events.attendance(rng, c, f, ev, len(teams))
    say(0.7, "writing events and attendance")
    event_id = ids("E", np.arange(1, len(ev.plan) + 1), width_for(len(ev.plan)))
    tables["attendance"] = _attendance(att, event_id)
    del att
    tables["events"] = _events(ev, event_id, c, key)
    del ev
    tables["events"] = between.add_events(tables["events"], c, f, key.child, key.plan, seed)   # audit Q2, Q7
    tables["events"] = challenge.enrich(seed, tables["events"], tables["plans"], end_date)   # notes, agreements
    tables["events"] = works.with_work_events(tables["events"], tables["plans"], COLUMNS["events"], seed)
    extract = Extract(kind="synthetic", files=[], tables={t: tables[t] for t in TABLES}, synthetic=True)
    say(1.0, "done")
    return extract, labels


class _Keys:
    """Source ids of children, families and plans (C0000001, F0000001, P0000001)."""

    def __init__(self, c: cohort.Cohort) -> None:
        width = width_for(max(c.n_children, c.n_plans))
        self.child = ids("C", np.arange(1, c.n_children + 1), width)
        self.family = ids("F", np.arange(1, c.family.max(initial=0) + 2), width)
        self.plan = ids("P", np.arange(1, c.n_plans + 1), width)


def _children(c: cohort.Cohort, key: _Keys) -> pd.DataFrame:
    birth_month = np.datetime_as_string(c.birth.astype("datetime64[M]"), unit="M")
    months, month_index = np.unique(birth_month, return_inverse=True)
    return columns.frame("children", {
        "child_id": key.child, "family_id": refs(key.family, c.family),
        "birth_month": codes(months.astype(object), month_index),
        "sex": codes(cohort.SEXES, c.sex), "ethnicity": codes(cal.ETHNICITY[0], c.ethnicity),
        "disability": yes_no(c.disability),
    }, COLUMNS["children"])


def _plans(c: cohort.Cohort, key: _Keys, teams: Sequence[str]) -> pd.DataFrame:
    previous = np.where(c.previous_blank, -1, c.prior[c.child] + c.ordinal)
    return columns.frame("plans", {
        "plan_id": key.plan, "child_id": refs(key.child, c.child), "start_date": iso_dates(c.start),
        "end_date": iso_dates(c.end), "initial_category": codes(CATEGORIES, c.category),
        "latest_category": codes(CATEGORIES, c.latest), "team": codes(list(teams), c.team),
        "end_reason": codes(END_REASONS, c.reason),
        "previous_plans": codes([str(i) for i in range(int(previous.max(initial=0)) + 1)], previous),
    }, COLUMNS["plans"])


def _needs(nd: casework.Needs, c: cohort.Cohort, key: _Keys) -> pd.DataFrame:
    return columns.frame("needs", {
        "need_id": ids("N", np.arange(1, len(nd.plan) + 1), width_for(len(nd.plan))),
        "child_id": refs(key.child, c.child[nd.plan]), "plan_id": refs(key.plan, nd.plan),
        "identified_date": iso_dates(nd.identified), "factor": codes(casework.NEED_FACTORS, nd.factor),
        "resolved_date": iso_dates(nd.resolved),
    }, COLUMNS["needs"])


def _actions(ac: casework.Actions, pairs: np.ndarray, key: _Keys) -> tuple[pd.DataFrame, pd.DataFrame]:
    action_id = ids("A", np.arange(1, len(ac.plan) + 1), width_for(len(ac.plan)))
    frame = columns.frame("actions", {
        "action_id": action_id, "plan_id": refs(key.plan, ac.plan), "action_text": codes(action_bank().texts, ac.text),
        "owner_agency": codes(events.AGENCIES, ac.owner), "set_date": iso_dates(ac.set_date),
        "due_date": iso_dates(ac.due), "status": codes(casework.STATUSES, ac.status),
        "completed_date": iso_dates(ac.completed), "addresses_factor": codes(casework.ADDRESSES, ac.factor),
    }, COLUMNS["actions"])
    labels = pd.DataFrame({
        "action_id": take(action_id, pairs[:, 0]), "earlier_action_id": take(action_id, pairs[:, 1]),
        "exact": ac.text[pairs[:, 0]] == ac.text[pairs[:, 1]],
    })
    return frame, labels


def _changes(ch: casework.Changes, c: cohort.Cohort, key: _Keys) -> pd.DataFrame:
    child_change = np.isin(ch.type, [casework.CHANGE_TYPES.index(t) for t in ("CHILD_LEFT", "CHILD_RETURNED")])
    return columns.frame("family_changes", {
        "change_id": ids("H", np.arange(1, len(ch.plan) + 1), width_for(len(ch.plan))),
        "family_id": refs(key.family, c.family[c.child[ch.plan]]),
        "child_id": refs(key.child, np.where(child_change, c.child[ch.plan], -1)),
        "change_date": iso_dates(ch.date), "change_type": codes(casework.CHANGE_TYPES, ch.type),
        "detail": codes(change_bank().texts, ch.detail),
    }, COLUMNS["family_changes"])


def _attendance(att: events.Attendance, event_id: pd.Series) -> pd.DataFrame:
    meetings, which = np.unique(att.event, return_inverse=True)
    return columns.frame("attendance", {
        "event_id": refs(take(event_id, meetings), which), "agency": codes(events.AGENCIES, att.agency),
        "invited": yes_no(att.invited), "attended": yes_no(att.attended),
        "contributed": yes_no(att.contributed, att.contributed_blank),
    }, COLUMNS["attendance"])


def _events(ev: events.Events, event_id: pd.Series, c: cohort.Cohort, key: _Keys) -> pd.DataFrame:
    return columns.frame("events", {
        "event_id": event_id, "child_id": refs(key.child, c.child[ev.plan]), "event_date": iso_dates(ev.date),
        "event_type": codes(events.EVENT_TYPES, ev.type), "agency": codes(events.AGENCIES, ev.agency),
        "plan_id": refs(key.plan, ev.plan), "detail": codes(event_bank().texts, ev.detail),
    }, COLUMNS["events"])
