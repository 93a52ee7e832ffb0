"""What works (issue 14, items 5, 7 and 8), for plans that ended in the filter's period: the restorative work
their records show (audit question 8), whether their completed actions asked only for first-order change or
reached the adult difficulty behind the neglect, and how long endings with and without adult-facing
practitioners or a named intervention went without another plan (Kaplan-Meier).

Why one set of per-plan facts: the three sections ask of the same endings, so each ending's facts (its event
evidence and its actions counted) are worked out once -- at import, derived_works_plans, or per question where that
table is not current -- and the sections are counts of them, made in SQL (works_counts) so that a million endings
never reach pandas one by one.  The per-plan frame (`facts`) is for the audit pack, `metrics --json` and the tests.
Nothing here proves that a kind of work causes a sustained ending: the page and the definitions say so.
"""
from __future__ import annotations

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Iterator

import duckdb
import numpy as np
import pandas as pd

from .. import scope, sql
from ..derive import registry
from ..filters import Filters
from ..reference import action_classes, works as words
from ..settings import DEFAULTS, Thresholds
from ..reference.words import text_column
from . import change_order, survival
from .sqlrun import cached_sequence, resolution, run, text_and_params

DAYS_PER_MONTH = 365.25 / 12
RELATIONAL_THEME = action_classes.RELATIONAL_THEME
NO_TEAM = "No team recorded"
ALL_TEAMS = "All teams"         # the restorative chart's overall series with no team chosen
CHOSEN_TEAMS = "Teams chosen"   # ... with teams chosen (then it is theirs, not the authority's)
# The `metrics --json` keys of `summary` (each declared in reference/recorded.py's MEASURE_NEEDS).
JSON_KEYS = ("restorative_practice", "first_order_endings", "what_works")


def _matches(texts: pd.Series, pattern: str) -> pd.Series:
    """Whether each text matches `pattern` (ignoring case), reading each distinct text once."""
    rx = re.compile(pattern, re.IGNORECASE)
    texts = texts.fillna("").astype(str)
    found = {t: bool(rx.search(t)) for t in texts.unique()}
    return texts.map(found).astype(bool)


def kind_facts(kinds: pd.DataFrame) -> pd.DataFrame:
    """Per kind of action (action_text, owner_agency, stored theme: one row each, `works_action_kinds`): its theme
    (stored, else classified now), class (reference/action_classes.py) and what its text evidences.  Read per kind,
    not per action: every action of a kind has the same class and evidence, and a million plans have millions of
    actions."""
    out = kinds.copy()
    out["theme"] = change_order.action_themes(list(out["action_text"]), list(out["theme"]))
    out["action_class"] = action_classes.action_class(out["theme"], out["owner_agency"])
    text = out["action_text"]
    out["fgc"] = _matches(text, words.FGC_PATTERN)
    out["co_produced"] = _matches(text, words.CO_PRODUCED_PATTERN)
    out["relational"] = out["theme"] == RELATIONAL_THEME
    out["mi"] = _matches(text, words.MI_PATTERN)
    out["named"] = _matches(text, words.NAMED_INTERVENTION_PATTERN)
    out["adult_owned"] = out["owner_agency"].isin(words.ADULT_AGENCIES)
    # the stored theme the kind was read by (the join key), beside the theme worked out
    return out.assign(theme=kinds["theme"], action_theme=out["theme"])


CACHE = "works_actions_cache"
KINDS = "works_kinds"
FACTS = "works_facts_cache"
TABLE = "derived_works_plans"
FACTS_ROWS = "works_plan_facts_kept"
FACTS_BLOCK = "works_cte_plan_facts"
FACTS_KEPT = ("works_cte_plan_facts_kept",)


@contextmanager
def _kinds_made(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> Iterator[None]:
    """Within the block, the ended plans' actions are in a temp table (CACHE) and their kinds, classified, are
    registered (KINDS), for works_cte_kinded_made: where the stored reviews are not complete (the resolver has that
    block stand in for works_cte_kinded, which reads the stored themes in SQL).

    Why per kind: the actions of a million plans are millions of rows, which read into pandas and classified one by
    one took most of a minute.  Every action of a kind (text, owner, stored theme) has the same class and evidence,
    so each kind is classified here once (`kind_facts`) and the counting is left to SQL."""
    text, params = text_and_params(con, "works_actions_all", filters, thresholds)
    registered = False
    try:
        # `text` is SQL from queries/*.sql only; every value travels in `params`.
        con.execute(sql.create_temp_table_as(CACHE, text), params)
        kinds = kind_facts(con.execute(sql.compose("works_action_kinds")).df())
        con.execute("SELECT 1").fetchall()   # (registering needs no result left open)
        con.register(KINDS, kinds)
        registered = True
        yield
    finally:
        if registered:
            con.unregister(KINDS)
        con.execute(sql.drop_temp_table(CACHE))


@contextmanager
def _facts_kept(con: duckdb.DuckDBPyConnection, filters: Filters,
                thresholds: Thresholds) -> Iterator[dict[str, tuple[str, ...]]]:
    """Within the block, the swaps under which the page's queries read the filter's ended plans' facts
    (works_cte_plan_facts) once for all of them: none where the resolver reads them from derived_works_plans (a
    join of the filter's plans to it, cheaper than keeping its rows), else FACTS_KEPT, reading a temp table (FACTS)
    of the facts worked out inline once here, so that the events and actions are read once, not per query.  The
    kinds of action are classified in Python first only where the blocks the resolver picked read them (the stored
    reviews not complete)."""
    found = resolution(con, filters, thresholds)
    if found.reads_stored(TABLE):
        yield {}
        return
    text, params = text_and_params(con, FACTS_ROWS, filters, thresholds)
    made = registry.KINDS_MADE[0] in sql.expand([FACTS_ROWS], found.substitute)
    try:
        with _kinds_made(con, filters, thresholds) if made else nullcontext():
            # `text` is SQL from queries/*.sql only; every value travels in `params`.
            con.execute(sql.create_temp_table_as(FACTS, text), params)
        yield {FACTS_BLOCK: FACTS_KEPT}
    finally:
        con.execute(sql.drop_temp_table(FACTS))


def ending_work(completed: int, first_order: int, underlying: int) -> str:
    """The group of an ending by its completed actions (reference.works.ENDING_WORK): any completed work on an
    adult difficulty; else first-order change completed (with or without other actions); else other only."""
    if completed == 0:
        return "none_completed"
    if underlying > 0:
        return "underlying"
    return "first_order_only" if first_order > 0 else "other"


def ending_works(completed: pd.Series, first_order: pd.Series, underlying: pd.Series) -> list[str]:
    """`ending_work` of each ending, from its counts: the same rule, read over the distinct triples only."""
    triples = list(zip(completed, first_order, underlying))
    found = {t: ending_work(*t) for t in set(triples)}
    return [found[t] for t in triples]


def plan_facts(plans: pd.DataFrame) -> pd.DataFrame:
    """One row per ended plan (works_plans), or per group of endings alike (works_counts, part 'endings': counted in
    `n`, each count 0 or 1): the evidence of each section (see docs/definitions.md).  Row by row, so the one
    definition serves both.  The comparisons (adult_practitioner, intervention) and the reporting year come from the
    SQL (works_cte_endings)."""
    at = list(plans.columns).index("completed_by_class")
    counted = np.array(plans["completed_by_class"].tolist(), dtype="int64")
    by_class = pd.DataFrame(counted.reshape(len(plans), len(words.ACTION_CLASSES)),
                            columns=[f"completed_{c}" for c in words.ACTION_CLASSES], index=plans.index)
    out = pd.concat([plans.iloc[:, :at], by_class, plans.iloc[:, at + 1:]], axis=1)
    counts = [c for c in ("actions", "completed", *by_class.columns) if c in out.columns]
    out[counts] = out[counts].fillna(0).astype("int64")
    flags = [c for c in plans.columns if c.endswith("_action")] + [
        "fgc_event", "views_event", "intervention_event", "mi_event", "adult_intervention", "adult_attended",
        "replanned_in_window", "window_elapsed", "final_ending", "adult_practitioner", "intervention"]
    for col in [c for c in flags if c in out.columns]:
        out[col] = out[col].astype("boolean").fillna(False).astype(bool)
    out["fgc"] = out["fgc_event"] | out["fgc_action"]
    out["family_views"] = out["views_event"]
    out["co_produced"] = out["co_produced_action"]
    out["relational"] = out["relational_action"]
    out["any_restorative"] = out[list(words.RESTORATIVE_KINDS)].any(axis=1)
    out["ending_work"] = text_column(ending_works(out["completed"], out["completed_first_order"],
                                                  out["completed_underlying"]), out.index)
    # Sustained: no other plan within the window, known only once the window has passed.  Known only then for a
    # re-planned ending too: counting those re-planned inside a window still running would lift the re-plan rate
    # of recent endings towards 100% (their sustained ones are not known yet).
    out["outcome_known"] = out["window_elapsed"]
    out["sustained"] = out["outcome_known"] & ~out["replanned_in_window"]
    if "days_followed" in out.columns:
        out["months_followed"] = out["days_followed"].astype(float) / DAYS_PER_MONTH
    out["team"] = out["team"].fillna(NO_TEAM)
    return out


def follow_up(counted: pd.DataFrame) -> pd.DataFrame:
    """The endings counted by days followed (works_counts, part 'follow_up'), with the months followed."""
    out = counted.copy()
    out["months_followed"] = out["days_followed"].astype(float) / DAYS_PER_MONTH
    return out


def _n(frame: pd.DataFrame) -> pd.Series:
    """How many endings each row is: its count `n` for grouped rows (works_counts), else one."""
    return frame["n"].astype("int64") if "n" in frame.columns else pd.Series(1, index=frame.index, dtype="int64")


@dataclass(frozen=True)
class Works:
    """The page's aggregates (no child named).  Every frame is empty when no plan ended in the filter.

    restorative: team (the overall series first, where there are several teams: `overall_series`), kind, plans,
    with_evidence, share.
    action_classes: team, action_class, actions, completed.
    ending_work: ending_work, endings, outcome_known, replanned, replan_rate.
    curves: split, group ('with'/'without'), time (months), at_risk, events, censored, survival, lower, upper.
    at_risk: split, group, month, at_risk, survival, lower, upper (the numbers under the curves).
    sustained: split, by ('team'/'year'), value, group, followed (outcome known), sustained, share."""

    restorative: pd.DataFrame
    action_classes: pd.DataFrame
    ending_work: pd.DataFrame
    curves: pd.DataFrame
    at_risk: pd.DataFrame
    sustained: pd.DataFrame
    window_months: int = 0
    plans_ended: int = 0
    notes: dict[str, str] = field(default_factory=dict)


def facts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
          thresholds: Thresholds = DEFAULTS) -> pd.DataFrame:
    """The per-plan frame of the plans that ended in the filter (names children: for the pack and tests)."""
    with cached_sequence(con, filters, thresholds), _facts_kept(con, filters, thresholds) as swaps:
        plans = run(con, "works_plans", filters, thresholds, swaps=swaps)
    return plan_facts(plans)


def overall_series(filters: Filters) -> str:
    """The name of the restorative chart's overall series: the plans the filter selects, all together.

    Why not the whole authority's figure beside a chosen team, which a service manager might look for: the filter
    bounds every measure by the user's scope (a service manager reads only their own teams), so for many readers
    "the authority" could not be given and the series would quietly be their teams; and the chart's finding is read
    from its first series, which must be the plans the page says it shows.  So the series is what it is: "All teams"
    with no team chosen, "Teams chosen" with several chosen, and left out with one (`restorative_by_team`)."""
    return CHOSEN_TEAMS if filters.teams else ALL_TEAMS


def restorative_by_team(frame: pd.DataFrame, overall: str = ALL_TEAMS) -> pd.DataFrame:
    """team, kind (a RESTORATIVE_KINDS key or 'any_restorative'), plans, with_evidence, share: the overall series
    (named `overall`, see `overall_series`) first, then each team.  The overall series is left out where the plans
    are of one team (one chosen, or the only one in the data or the reader's scope): it would be that team's bars
    again, drawn as if it were a figure for all teams."""
    kinds = [*words.RESTORATIVE_KINDS, "any_restorative"]
    teams = list(frame.groupby("team"))
    rows = []
    for team, part in ([] if len(teams) == 1 else [(overall, frame)]) + teams:
        n = _n(part)
        plans = int(n.sum())
        for kind in kinds:
            found = int(n[part[kind]].sum())
            rows.append({"team": str(team), "kind": kind, "plans": plans, "with_evidence": found,
                         "share": found / plans if plans else None})
    return pd.DataFrame(rows, columns=["team", "kind", "plans", "with_evidence", "share"]).astype({"share": "float64"})


def action_classes_by_team(counts: pd.DataFrame) -> pd.DataFrame:
    """team (NO_TEAM where none is recorded), action_class, actions, completed: from `actions_by_team`."""
    frame = counts.assign(team=counts["team"].fillna(NO_TEAM))
    out = frame.groupby(["team", "action_class"]).agg(actions=("actions", "sum"), completed=("completed", "sum"))
    # (text columns as text when no action is counted, as they are when some are)
    return out.reset_index().astype({"team": str, "action_class": str, "actions": "int64", "completed": "int64"})


def ending_work_rates(frame: pd.DataFrame) -> pd.DataFrame:
    live = frame[~frame["final_ending"]]
    n = _n(live)
    rows = []
    for key in words.ENDING_WORK:
        mine = live["ending_work"] == key
        known = int(n[mine & live["outcome_known"]].sum())
        replanned = int(n[mine & live["replanned_in_window"] & live["outcome_known"]].sum())
        rows.append({"ending_work": key, "endings": int(n[mine].sum()), "outcome_known": known,
                     "replanned": replanned, "replan_rate": replanned / known if known else None})
    # a rate with no outcome known is missing as a float (blank in the table), not an object column of None
    return pd.DataFrame(rows).astype({"replan_rate": "float64"})


def survival_curves(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kaplan-Meier curves of time from ending to the next plan, with and without each split: `frame` one row per
    ending (plan_facts) or per count of endings alike (`follow_up`, counted in `n`)."""
    live = frame[~frame["final_ending"]]
    curves = []
    for split in words.WORKS_SPLITS:
        for group, part in (("with", live[live[split]]), ("without", live[~live[split]])):
            curve = survival.kaplan_meier(part["months_followed"], part["next_plan"], weights=_n(part))
            curves.append(curve.assign(split=split, group=group))
    cols = ["split", "group", "time", "at_risk", "events", "censored", "survival", "lower", "upper"]
    out = pd.concat(curves, ignore_index=True)[cols] if curves else pd.DataFrame(columns=cols)
    return out, at_risk_table(out)


def at_risk_table(curves: pd.DataFrame) -> pd.DataFrame:
    """The numbers at risk under each curve (split, group, month, at_risk, survival, lower, upper) at
    words.AT_RISK_MONTHS.  Apart from `survival_curves` so that the table under a chart can be read from the curves
    the reader is shown (their steps pooled for a small-number threshold, report/suppression.survival_steps): read
    from the full curves it told how many of a pooled step's events fell before a month, a small count."""
    rows = [{"split": split, "group": group, "month": month, **survival.at(curve, month)}
            for (split, group), curve in curves.groupby(["split", "group"], sort=False)
            for month in words.AT_RISK_MONTHS]
    return pd.DataFrame(rows, columns=["split", "group", "month", "at_risk", "survival", "lower", "upper"])


def sustained_by(frame: pd.DataFrame) -> pd.DataFrame:
    """Sustained endings (outcome known) with and without each split, by team and by year of ending."""
    known = frame[~frame["final_ending"] & frame["outcome_known"]]
    known = known.assign(n=_n(known), kept=_n(known).where(known["sustained"], 0))
    rows = []
    for split in words.WORKS_SPLITS:
        for by in ("team", "year"):
            for (value, flag), part in known.groupby([by, split]):
                followed, kept = int(part["n"].sum()), int(part["kept"].sum())
                rows.append({"split": split, "by": by, "value": str(value), "group": "with" if flag else "without",
                             "followed": followed, "sustained": kept, "share": kept / followed})
    cols = ["split", "by", "value", "group", "followed", "sustained", "share"]
    # typed as when some ending was followed: counts as counts, text as text, even with none (an Annex A return)
    types = {"split": str, "by": str, "value": str, "group": str, "followed": "int64", "sustained": "int64",
             "share": "float64"}
    return pd.DataFrame(rows, columns=cols).astype(types).sort_values(["split", "by", "value", "group"],
                                                                      ignore_index=True)


ENDINGS_COLUMNS = ["team", "year", "final_ending", "window_elapsed", "replanned_in_window", "fgc_event", "views_event",
                   "fgc_action", "co_produced_action", "relational_action", "adult_practitioner", "intervention",
                   "completed", "completed_by_class", "n"]
FOLLOW_UP_COLUMNS = ["final_ending", "adult_practitioner", "intervention", "days_followed", "next_plan", "n"]


def review(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
           thresholds: Thresholds = DEFAULTS) -> Works:
    """The page's aggregates for the plans that ended in the filter: from the endings counted in SQL by what the
    sections read (works_counts), not one row per ending."""
    with cached_sequence(con, filters, thresholds), _facts_kept(con, filters, thresholds) as swaps:
        counted = run(con, "works_counts", filters, thresholds, swaps=swaps)
    frame = plan_facts(counted.loc[counted["part"] == "endings", ENDINGS_COLUMNS].reset_index(drop=True))
    followed = follow_up(counted.loc[counted["part"] == "follow_up", FOLLOW_UP_COLUMNS].reset_index(drop=True))
    curves, at_risk = survival_curves(followed)
    return Works(restorative=restorative_by_team(frame, overall_series(filters)),
                 action_classes=action_classes_by_team(actions_by_team(counted[counted["part"] == "actions"])),
                 ending_work=ending_work_rates(frame), curves=curves, at_risk=at_risk, sustained=sustained_by(frame),
                 window_months=int(thresholds.replan_window_months), plans_ended=int(_n(frame).sum()))


def actions_by_team(counted: pd.DataFrame) -> pd.DataFrame:
    """team, action_class, actions, completed (a class no action of the team has is not a row): from the plans
    counted by team and their counts by class (works_counts, part 'actions': a few thousand rows however many
    plans; each count list in ACTION_CLASSES order)."""
    cols = ["team", "action_class", "actions", "completed"]
    if counted.empty:
        return pd.DataFrame(columns=cols)
    n = counted["n"].to_numpy(dtype="int64")[:, None]
    classes = list(words.ACTION_CLASSES)
    sums = [pd.DataFrame(np.array(counted[col].tolist(), dtype="int64").reshape(len(counted), len(classes)) * n,
                         columns=classes).assign(team=counted["team"].to_numpy()).groupby("team", dropna=False).sum()
            for col in ("class_actions", "class_completed")]
    actions, completed = (s.stack().rename(name) for s, name in zip(sums, ("actions", "completed")))
    out = pd.concat([actions, completed], axis=1).rename_axis(["team", "action_class"]).reset_index()
    return out[out["actions"] > 0][cols].reset_index(drop=True)


def for_children(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds = DEFAULTS) -> pd.DataFrame:
    """Per ended plan of the filter's children, what the three sections read (the audit pack's rows)."""
    filters.scope.require(scope.CHILD_LEVEL, "What works, plan by plan")
    frame = facts(con, filters, thresholds)
    cols = ["plan_id", "child_id", "team", "end_date", *words.RESTORATIVE_KINDS, "ending_work",
            "completed", "completed_first_order", "completed_underlying", "adult_practitioner", "intervention",
            "replanned_in_window", "outcome_known"]
    return frame[cols]


def summary(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(), thresholds: Thresholds = DEFAULTS) -> dict:
    """The `metrics --json` keys: restorative_practice, first_order_endings, what_works (plain numbers)."""
    frame = facts(con, filters, thresholds)
    live = frame[~frame["final_ending"]]
    rates = ending_work_rates(frame).set_index("ending_work")
    window = int(thresholds.replan_window_months)
    works: dict[str, dict] = {}
    for split in words.WORKS_SPLITS:
        known = live[live["outcome_known"]]
        works[split] = {}
        for group, part in (("with", known[known[split]]), ("without", known[~known[split]])):
            kept = int(part["sustained"].sum())
            works[split][group] = {"endings_followed": len(part), "sustained": kept,
                                   "share": kept / len(part) if len(part) else None}
    first = rates.loc["first_order_only"]
    others = rates.drop(index="first_order_only")
    other_known, other_replanned = int(others["outcome_known"].sum()), int(others["replanned"].sum())
    return {
        "restorative_practice": {"plans_ended": len(frame),
                                 **{k: int(frame[k].sum()) for k in words.RESTORATIVE_KINDS},
                                 "any": int(frame["any_restorative"].sum())},
        "first_order_endings": {
            "window_months": window,
            **{k: int(rates.loc[k, "endings"]) for k in words.ENDING_WORK},
            "first_order_only_replan_rate": None if pd.isna(first["replan_rate"]) else float(first["replan_rate"]),
            "others_replan_rate": other_replanned / other_known if other_known else None,
        },
        "what_works": {"window_months": window, **works},
    }
