"""Plan quality for a cohort of plans (issue 6; SPEC 1 question 8 and question 4): SMART share per
team and period, failed SMART criteria, language findings, reading ease per plan, relevance of
actions to adult needs, and the theme mix of actions.

Why a module: the plan quality page draws these and must hold no logic; the SMART, language,
theme and relevance rules themselves live in `paqa_dash.text` and `metrics.relevance` (one
definition each) and are only aggregated here.  Every function takes a connection, the shared
Filters and Thresholds, and returns tidy DataFrames.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .. import sql
from ..settings import DEFAULTS, Thresholds
from .filters import Filters
from .sequence import started_plans


@dataclass
class PlanQuality:
    """Everything the plan quality page shows (all frames may be empty)."""

    actions: pd.DataFrame          # action_id, plan_id, child_id, team, period, plan_number, action_text,
                                   # + SMART criteria, smart, failed, reasons, theme
    smart_by_team_period: pd.DataFrame   # team, period, actions, smart_actions, smart_share
    failed_criteria: pd.DataFrame  # criterion, actions_failing, share
    language: pd.DataFrame         # phrase, kind, suggestion, why, source, findings, actions
    plan_language: pd.DataFrame    # plan_id, child_id, team, reading_ease, deficit_phrases, jargon_terms
    relevance: pd.DataFrame        # plan_id, child_id, team, adult_needs_open, unaddressed_needs,
                                   # practical_only_needs, verdict
    themes: pd.DataFrame           # team, theme, actions, share


CRITERION_LABELS = {"specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
                    "time_bound": "Time-bound", "owner_named": "Owner named"}
VERDICTS = ("No action for an adult need", "Only practical/compliance actions", "Every adult need has an action")


def cohort_actions(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds = DEFAULTS) -> pd.DataFrame:
    """Actions of plans started in the filter, with team, period (start quarter) and plan number."""
    plans = started_plans(con, filters, thresholds)
    if plans.empty:
        return pd.DataFrame(columns=["action_id", "plan_id", "child_id", "team", "period", "plan_number",
                                     "action_text", "owner_agency", "due_date", "addresses_factor"])
    actions = sql.query(con, "quality_actions", **filters.params())
    numbers = dict(zip(plans["plan_id"].astype(str), plans["plan_number"]))
    actions = actions[actions["plan_id"].astype(str).isin(numbers)].copy()
    actions["plan_number"] = actions["plan_id"].astype(str).map(numbers).astype("int64")
    actions["team"] = actions["team"].astype(object).fillna("(no team)")
    return actions.reset_index(drop=True)


def review(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(), thresholds: Thresholds = DEFAULTS) -> PlanQuality:
    """Run the SMART, language, theme and relevance reviews over the cohort's plans."""
    from .. import action_reviews
    from ..text import smart
    from . import relevance

    actions = cohort_actions(con, filters, thresholds)
    # Reviewed once at import (action_reviews): reading them is what keeps this page fast.
    reviewed, findings, theme = action_reviews.reviews_of(con, actions)
    acts = actions.merge(reviewed, on="action_id", how="left")
    acts["theme"] = theme["theme"].to_numpy() if len(theme) else pd.Series(dtype=object)

    if acts.empty:
        by_tp = pd.DataFrame(columns=["team", "period", "actions", "smart_actions", "smart_share"])
        failed = pd.DataFrame(columns=["criterion", "actions_failing", "share"])
    else:
        # Quarters when the cohort spans two years or less, else years: a few actions per team and
        # quarter make a share that jumps about and reads as noise.
        by_period = actions.copy()
        if by_period["period"].nunique() > 8:
            by_period["period"] = by_period["period"].astype(str).str.slice(0, 4)
        by_tp = smart.smart_share_by(reviewed, by_period, by=("team", "period"))
        failed = pd.DataFrame({
            "criterion": [CRITERION_LABELS[c] for c in smart.CRITERIA],
            "actions_failing": [int((~acts[c].astype(bool)).sum()) for c in smart.CRITERIA]})
        failed["share"] = failed["actions_failing"] / len(acts)

    if findings.empty:
        lang = pd.DataFrame(columns=["phrase", "kind", "suggestion", "why", "source", "findings", "actions"])
    else:
        f = findings.assign(phrase=findings["term"].fillna(findings["phrase"]).astype(str).str.lower())
        lang = (f.groupby(["phrase", "kind"], sort=False)
                .agg(suggestion=("suggestion", "first"), why=("why", "first"), source=("source", "first"),
                     findings=("id", "size"), actions=("id", "nunique"))
                .reset_index().sort_values(["findings", "phrase"], ascending=[False, True]).reset_index(drop=True))

    if acts.empty:
        plan_lang = pd.DataFrame(columns=["plan_id", "child_id", "team", "reading_ease", "deficit_phrases",
                                          "jargon_terms"])
    else:
        plan_lang = action_reviews.plan_language_of(con, actions[["plan_id", "action_text"]])
        plan_lang = plan_lang.merge(actions[["plan_id", "child_id", "team"]].drop_duplicates("plan_id"), on="plan_id")
        plan_lang = plan_lang[["plan_id", "child_id", "team", "reading_ease", "deficit_phrases", "jargon_terms"]]

    plan_ids = actions["plan_id"].astype(str).drop_duplicates().tolist()
    rel_rows = pd.DataFrame(columns=["plan_id", "child_id", "team", "adult_needs_open", "unaddressed_needs",
                                     "practical_only_needs", "verdict", "needs"])
    if plan_ids:
        rel = relevance.plan_relevance(con, plan_ids, filters.as_of)
        rel = rel[rel["open_during_plan"]]
        if len(rel):
            g = rel.groupby("plan_id")
            rel_rows = pd.DataFrame({
                "adult_needs_open": g.size(),
                "unaddressed_needs": g["unaddressed"].sum().astype("int64"),
                "practical_only_needs": g["practical_only"].sum().astype("int64"),
                "needs": g["factor_label"].agg(lambda s: ", ".join(sorted(set(s)))),
            }).reset_index()
            meta = actions[["plan_id", "child_id", "team"]].drop_duplicates("plan_id")
            rel_rows = rel_rows.merge(meta, on="plan_id", how="left")
            rel_rows["verdict"] = [VERDICTS[0] if u else VERDICTS[1] if p else VERDICTS[2]
                                   for u, p in zip(rel_rows["unaddressed_needs"], rel_rows["practical_only_needs"])]
            rel_rows = rel_rows[["plan_id", "child_id", "team", "adult_needs_open", "unaddressed_needs",
                                 "practical_only_needs", "verdict", "needs"]]

    if acts.empty:
        theme_mix = pd.DataFrame(columns=["team", "theme", "actions", "share"])
    else:
        theme_mix = acts.groupby(["team", "theme"]).size().rename("actions").reset_index()
        theme_mix["share"] = theme_mix["actions"] / theme_mix.groupby("team")["actions"].transform("sum")
    return PlanQuality(acts, by_tp, failed, lang, plan_lang, rel_rows, theme_mix)
