"""Plan quality for a cohort of plans (the audit's questions on plan quality and relevance): SMART share per
team and period, failed SMART criteria, language findings, reading ease per plan, relevance of
actions to adult needs, and the theme mix of actions.

Why a module: the plan quality page draws these and must hold no logic; the SMART, language,
theme and relevance rules themselves live in `paqa_dash.text` and `metrics.relevance` (one
definition each) and are only aggregated here.  Every function takes a connection, the shared
Filters and Thresholds, and returns tidy DataFrames.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from .. import sql
from ..derive import reviews as action_reviews
from ..derive.registry import ReviewState
from ..settings import DEFAULTS, Thresholds
from ..filters import Filters
from ..scope import CHILD_LEVEL
from ..reference import benchmarks
from ..reference.calendar import quarter_label
from ..reference.codes import RELEVANCE_VERDICTS, SMART_CRITERION_LABELS
from ..reference.words import text_column
from . import by_key
from .sqlrun import cached_sequence, resolution, run, text_and_params


@dataclass
class PlanQuality:
    """Everything the plan quality page shows (all frames may be empty).  Lists are the first
    `limit` rows; the counts beside them say how many there are in all."""

    actions: int                   # plan actions reviewed (of plans started in the filter)
    plans: int                     # plans with at least one action
    smart_actions: int
    deficit_findings: int          # deficit phrases found in those actions
    smart_by_team_period: pd.DataFrame   # team, period_start, period, actions, smart_actions, smart_share
    failed_criteria: pd.DataFrame  # criterion, actions_failing, share
    language: pd.DataFrame         # phrase, kind, suggestion, why, source, findings, actions
    reading_bands: pd.DataFrame    # band (0, 5, ..., 100: lower end of a 5-point band), plans
    reading: dict                  # plans (with a score), median_ease, share_below (plain English)
    plan_language: pd.DataFrame    # the hardest-to-read plans: plan_id, child_id, team, reading_ease,
                                   # deficit_phrases, jargon_terms
    relevance_counts: pd.DataFrame # team, verdict, plans (plans with an adult need open)
    relevance: pd.DataFrame        # listed plans: plan_id, child_id, team, adult_needs_open,
                                   # unaddressed_needs, practical_only_needs, verdict, needs
    themes: pd.DataFrame           # team, theme, actions, share
    failing: pd.DataFrame          # listed non-SMART actions: child_id, team, plan_number, action_text,
                                   # failed, reasons, theme

    @property
    def relevance_plans(self) -> int:
        return int(self.relevance_counts["plans"].sum()) if len(self.relevance_counts) else 0

    @property
    def no_action_plans(self) -> int:
        rc = self.relevance_counts
        return int(rc.loc[rc["verdict"] == VERDICTS[0], "plans"].sum()) if len(rc) else 0


CRITERION_LABELS = SMART_CRITERION_LABELS
VERDICTS = RELEVANCE_VERDICTS
LIST_LIMIT = 1000        # rows of each list the page shows and offers as CSV
PLAIN_ENGLISH = 60.0     # Flesch reading ease: 60-70 is plain English
# The aggregates read the per-plan blocks (each read from its derived table when current), which read
# the reviews block: the derive registry's resolver has the stored reviews read, or those with the reviews
# made on the fly that `_fresh_reviews` registers (when the resolver says the store lacks some).
# Within one `review`, the per-plan facts are read from the temp table filled once for the call.
CACHED_PLANS = {"plan_quality_cte_plan_facts": ("plan_quality_cte_plans_cached",)}


_FRESH = {"pq_fresh_reviews": ["action_id", "plan_id", "specific", "measurable", "achievable", "time_bound",
                               "owner_named", "smart", "failed", "reasons", "theme"],
          "pq_fresh_findings": ["id", "phrase", "kind", "term", "suggestion", "why", "source"],
          "pq_fresh_plans": ["plan_id", "reading_ease", "deficit_phrases", "jargon_terms"]}


def _fresh_reviews(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                   reviews: ReviewState) -> dict[str, pd.DataFrame]:
    """Reviews of the cohort's actions the store lacks (all of them when the resolver says the stored
    reviews are stale), made now by `action_reviews.compute`, the one place the text rules run.  Empty
    frames when the stored reviews are complete: the usual case after an import, and the fast one."""
    frames = {name: pd.DataFrame({c: pd.Series(dtype=object) for c in cols}) for name, cols in _FRESH.items()}
    if reviews == "complete":
        return frames
    missing = run(con, "plan_quality_missing_actions", filters, thresholds, review_all=reviews == "stale")
    if missing.empty:
        return frames
    rows, findings = action_reviews.compute(missing)
    frames["pq_fresh_reviews"] = rows[_FRESH["pq_fresh_reviews"]]
    if len(findings):
        frames["pq_fresh_findings"] = findings[_FRESH["pq_fresh_findings"]]
    plan_ids = sorted(set(missing["plan_id"].astype(str)))
    texts = sql.query(con, "reviews_actions_of_plans", plan_ids=plan_ids)
    frames["pq_fresh_plans"] = action_reviews.plan_language(texts)[_FRESH["pq_fresh_plans"]]
    return frames


def _aggregates(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                limit: int) -> tuple[pd.DataFrame, ...]:
    def q(main: str, **extra: object) -> pd.DataFrame:
        return run(con, main, filters, thresholds, swaps=CACHED_PLANS, **extra)

    return (q("plan_quality_counts"), q("plan_quality_theme_mix"), q("plan_quality_language"),
            q("plan_quality_reading", plain_english=PLAIN_ENGLISH),
            q("plan_quality_reading_hardest", limit=int(limit)), q("plan_quality_relevance_counts"),
            q("plan_quality_relevance_plans", limit=int(limit)),
            _with_texts(con, q("plan_quality_failing_actions", limit=int(limit))))


def _with_texts(con: duckdb.DuckDBPyConnection, failing: pd.DataFrame) -> pd.DataFrame:
    """The listed actions that are not SMART with their words, read by key (`by_key`: a join to `actions` here
    scanned 5.8 million texts at a million plans).  An action the store lacks is not listed, as with the join."""
    texts = by_key.action_texts(con, failing["action_id"])
    listed = failing.assign(action_text=failing["action_id"].map(texts).astype(object)).dropna(subset=["action_text"])
    return listed[["child_id", "team", "plan_number", "action_text", "failed", "reasons", "theme"]].reset_index(drop=True)


def review(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(), thresholds: Thresholds = DEFAULTS,
           limit: int = LIST_LIMIT) -> PlanQuality:
    """Aggregate the SMART, language, theme and relevance reviews over the cohort's plans in SQL
    (queries/metrics/plan_quality.sql): small frames, whatever the number of plans.  The lists naming
    children (hardest plans, relevance, failing actions) are empty for a scope without child-level access."""
    from ..text import lexicons

    if not filters.scope.can(CHILD_LEVEL):
        limit = 0

    fresh: dict[str, pd.DataFrame] = {}
    try:
        # The store's currency is read once for the call; the resolver picks stored or inline blocks and
        # says which reviews the store lacks (made here, read by the reviews block it picks).
        with cached_sequence(con, filters, thresholds):
            fresh = _fresh_reviews(con, filters, thresholds, resolution(con, filters, thresholds).reviews)
            for name, frame in fresh.items():
                con.register(name, frame)
            # The filter's plans joined to their facts once, into a temp table every per-plan aggregate reads.
            text, params = text_and_params(con, "plan_quality_plans_all", filters, thresholds)
            con.execute("CREATE OR REPLACE TEMP TABLE pq_plans_cache AS " + text, params)
            frames = _aggregates(con, filters, thresholds, limit)
    finally:
        for name in fresh:
            con.unregister(name)
        con.execute("DROP TABLE IF EXISTS temp.pq_plans_cache")

    counts, theme_mix, language, reading, hardest, rel_counts, rel_plans, failing = frames
    total = counts[(counts["grp"] == "all") & (counts["plans"] > 0)]
    n_actions = int(total["actions"].iloc[0]) if len(total) else 0
    smart_actions = int(total["smart_actions"].iloc[0]) if len(total) else 0
    plans = int(total["plans"].iloc[0]) if len(total) else 0

    by_tp = _smart_by_period(counts[counts["grp"] == "team_quarter"])

    if n_actions:
        failed = pd.DataFrame({
            "criterion": [CRITERION_LABELS[c] for c in CRITERION_LABELS],
            "actions_failing": [int(total[f"not_{c}"].iloc[0]) for c in CRITERION_LABELS]})
        failed["share"] = failed["actions_failing"] / n_actions
    else:
        failed = pd.DataFrame(columns=["criterion", "actions_failing", "share"])

    themes = theme_mix[["team", "theme", "actions"]].reset_index(drop=True)
    themes["actions"] = themes["actions"].astype("int64")
    themes["share"] = themes["actions"] / themes.groupby("team")["actions"].transform("sum")

    for c in ("findings", "actions"):
        language[c] = language[c].astype("int64")
    deficit = int(language.loc[language["kind"] == "deficit", "findings"].sum()) if len(language) else 0

    bands = reading[reading["band"].notna()][["band", "plans"]].reset_index(drop=True)
    bands["band"] = bands["band"].astype(float)
    bands["plans"] = bands["plans"].astype("int64")
    whole = reading[reading["band"].isna()]
    scored = int(whole["plans"].iloc[0]) if len(whole) else 0
    reading_info = {"plans": scored,
                    "median_ease": float(whole["median_ease"].iloc[0]) if scored else None,
                    "share_below": float(whole["share_below"].iloc[0]) if scored else None}

    rel_counts["verdict"] = text_column((VERDICTS[int(r)] for r in rel_counts["verdict_rank"]), rel_counts.index)
    rel_counts = rel_counts[["team", "verdict", "plans"]]
    rel_counts["plans"] = rel_counts["plans"].astype("int64")
    labels = lexicons.factor_labels()
    rel_plans["verdict"] = text_column((VERDICTS[int(r)] for r in rel_plans["verdict_rank"]), rel_plans.index)
    rel_plans["needs"] = text_column((", ".join(sorted({labels.get(f, f) for f in str(codes).split(",")}))
                                      for codes in rel_plans["factors"]), rel_plans.index)
    rel_plans = rel_plans[["plan_id", "child_id", "team", "adult_needs_open", "unaddressed_needs",
                           "practical_only_needs", "verdict", "needs"]]
    return PlanQuality(n_actions, plans, smart_actions, deficit, by_tp, failed, language, bands, reading_info,
                       hardest, rel_counts, rel_plans, themes, failing)


def _smart_by_period(by_quarter: pd.DataFrame) -> pd.DataFrame:
    """SMART counts per team and period the plan started: quarters when the cohort spans two years or less, else
    reporting years (a few actions per team and quarter make a share that jumps about and reads as noise).
    `period` is the label a reader knows ('Apr-Jun 2024', '2024-25'), `period_start` its first day (the order)."""
    if by_quarter.empty:
        return pd.DataFrame(columns=["team", "period_start", "period", "actions", "smart_actions", "smart_share"])
    starts = pd.to_datetime(by_quarter["quarter"])
    if starts.nunique() > 8:
        years = [benchmarks.reporting_year(d.date()) for d in starts]
        frame = by_quarter.assign(period_start=[date(y - 1, 4, 1) for y in years],
                                  period=[benchmarks.year_label(y) for y in years])
    else:
        frame = by_quarter.assign(period_start=[d.date() for d in starts], period=[quarter_label(d) for d in starts])
    out = (frame.groupby(["team", "period_start", "period"], sort=True)[["actions", "smart_actions"]].sum()
           .reset_index())
    out["actions"] = out["actions"].astype("int64")
    out["smart_actions"] = out["smart_actions"].astype("int64")
    out["smart_share"] = out["smart_actions"] / out["actions"]
    return out
