"""Tidy frames for the cohort pages (overview, repeat plans, endings, duplicated actions).

Why here and not in the pages: each frame is a tested function of (connection, Filters,
Thresholds).  The SQL lives in `queries/metrics/cohorts.sql` and runs behind the metrics' shared
plan-sequence CTEs, so the definitions are the metrics' own; this module only aggregates.
The pure-pandas steps (kaplan_meier, cohort_table, reason_group) sit beside the reads they finish.
"""
from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from ..filters import Filters
from ..reference import benchmarks
from ..reference.codes import BAND_LABELS, DURATION_BANDS, END_REASON_LABELS, REASON_LABELS
from ..scope import CHILD_LEVEL
from ..settings import Thresholds
from . import by_key, endings, sequence
from .sqlrun import run
from ..reference.words import counted

SPLITS = ("cohort", "band", "category")
LIST_ROWS = 500        # plans of each endings list drawn on the page (the most recent; SQL limits)
CSV_ROWS = 50_000      # plans of each endings list in its CSV download (made only when asked for)


def headline(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> dict[str, Any]:
    """The overview's numbers: starts, repeats (DfE), repeats within the window, median gap,
    ended, ended within the short-plan band, premature endings and endings at risk.  Repeats within the window
    and their rate are None when no repeat plan's previous plan is dated in the store (sequence.window_known)."""
    starts = sequence.start_counts(con, filters, thresholds)
    if not sequence.window_known(starts):
        starts = {**starts, "repeat_within_window": None}
    ends = sequence.end_counts(con, filters, thresholds)
    reasons = endings.reason_counts(con, filters, thresholds)
    n, within = starts["plans_started"], starts["repeat_within_window"]
    return {
        **starts,
        "repeat_rate": starts["repeat_plans_started"] / n if n else None,
        "repeat_within_window_rate": within / n if n and within is not None else None,
        "plans_ended": ends["plans_ended"],
        "ended_le_3m": ends["ended_duration_bands"]["le_3m"],
        "ended_le_3m_rate": ends["ended_duration_bands"]["le_3m"] / ends["plans_ended"] if ends["plans_ended"] else None,
        "premature_endings": reasons["premature"],
        "endings_at_risk": reasons["at_risk"],
    }


def cohort_curve(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                 split: str = "cohort", max_months: int = 36) -> pd.DataFrame:
    """First plans re-planned within N months of ending, N = 0..max_months, by group.

    Columns: group, months, followed_up (first plans ended at least N months before as-of),
    replanned (of those, another plan started within N months), share (replanned / followed_up,
    NaN when none followed up: exact, but its denominator shrinks as N grows), cumulative (the
    Kaplan-Meier estimate, which uses every plan for as long as it has been followed up and never
    falls).  The plan-number filter is ignored: the cohort is first plans.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    frame = run(con, "cohorts_cohort_curve", filters.with_(plan_number="all"), thresholds,
                 split=split, max_months=int(max_months))
    frame = frame.rename(columns={"grp": "group"})
    if split == "cohort":   # the reporting year as DfE names it: '2024-25'
        frame["group"] = frame["group"].astype(object).map(lambda y: benchmarks.year_label(int(y)), na_action="ignore")
    frame["group"] = frame["group"].astype(object).fillna("(unknown)")
    frame["followed_up"] = frame["followed_up"].astype("int64")
    frame["replanned"] = frame["replanned"].astype("int64")
    frame["replanned_before"] = frame["replanned_before"].astype("int64")
    frame["share"] = (frame["replanned"] / frame["followed_up"].where(frame["followed_up"] > 0)).astype("float64")
    frame = frame.sort_values(["group", "months"], kind="stable").reset_index(drop=True)
    frame["cumulative"] = kaplan_meier(frame)
    return frame[["group", "months", "followed_up", "replanned", "share", "cumulative"]]


def kaplan_meier(frame: pd.DataFrame) -> pd.Series:
    """Cumulative share re-planned by month N: 1 - prod over months m <= N of (1 - hazard_m), where
    hazard_m = re-planned in month m / still not re-planned after month m-1, among plans followed up
    at least m months.  NaN once no plan is followed up that long."""
    at_risk = frame["followed_up"] - frame["replanned_before"]
    events = frame["replanned"] - frame["replanned_before"]
    hazard = (events / at_risk.where(at_risk > 0)).astype("float64")
    survival = (1 - hazard.fillna(0)).groupby(frame["group"]).cumprod()
    out = 1 - survival
    return out.where(frame["followed_up"] > 0)


def cohort_table(curve: pd.DataFrame, marks: tuple[int, ...] = (6, 12, 24)) -> pd.DataFrame:
    """Per group: first plans ended, and at each mark those followed up that long, how many of them were re-planned
    within it and the share.  Why the count beside its share: the share times those followed up gave a small
    count back; with the count in the table, small-number suppression withholds the share with it
    (report/rules.COHORT_RULE), as it does on the curve."""
    rows = []
    for group, g in curve.groupby("group", sort=True):
        row: dict[str, Any] = {"group": group, "first_plans_ended": int(g.loc[g["months"] == 0, "followed_up"].sum())}
        for m in marks:
            at = g[g["months"] == m]
            row[f"followed_up_{m}m"] = int(at["followed_up"].sum())
            row[f"replanned_{m}m"] = int(at["replanned"].sum())
            row[f"within_{m}m"] = float(at["share"].iloc[0]) if len(at) and pd.notna(at["share"].iloc[0]) else None
        rows.append(row)
    cols = ["group", "first_plans_ended"] + [c for m in marks
                                             for c in (f"followed_up_{m}m", f"replanned_{m}m", f"within_{m}m")]
    return pd.DataFrame(rows, columns=cols)


def gap_months(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """Repeat plans started in the filter by whole months since the previous plan ended (60 = 60+), and whether
    those months lie within the re-plan window (`within_window`): the bars within it add up to the Overview's "Repeat
    within N months", so the small-number rule protects them as a group (report/rules.GAPS_RULE)."""
    frame = run(con, "cohorts_gap_months", filters, thresholds)
    frame["plans"] = frame["plans"].astype("int64")
    frame["within_window"] = (frame["gap_month"] < thresholds.replan_window_months).astype(bool)
    return frame


def repeat_by_team(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """team, plans_started, repeat_plans, repeat_within_window, repeat_share (0..1).  repeat_within_window is
    missing (pd.NA, never 0) for a team whose repeat plans have no dated previous plan (sequence.known_window)."""
    frame = run(con, "cohorts_repeat_by_team", filters, thresholds)
    for col in ("plans_started", "repeat_plans", "repeat_within_window"):
        frame[col] = frame[col].astype("int64")
    known = [sequence.known_window(r, d > 0) for r, d in zip(frame["repeat_plans"], frame["dated_repeats"])]
    frame["repeat_within_window"] = frame["repeat_within_window"].astype("Int64").where(known, pd.NA)
    frame = frame.drop(columns="dated_repeats")
    frame["team"] = frame["team"].astype(object)
    frame["repeat_share"] = frame["repeat_plans"] / frame["plans_started"]
    return frame


NO_TEAM = "(no team)"   # the team of a plan whose source names none (queries/metrics/cohorts.sql)


def teams_recorded(by_team: pd.DataFrame) -> bool:
    """Whether a `repeat_by_team` frame names any team: a CIN census names none, and a chart of one "(no team)" bar
    compares no teams (the page and the briefing then say teams are not recorded)."""
    return bool((by_team["team"] != NO_TEAM).any())


def undated_teams(by_team: pd.DataFrame) -> list[str]:
    """The teams of a `repeat_by_team` frame whose repeats within the window are not recorded (their repeat plans'
    earlier plans have no dates): the teams the page's and the briefing's note names (recorded.undated_for)."""
    return by_team.loc[by_team["repeat_within_window"].isna(), "team"].tolist()


def reason_group(reasons: str | None) -> str:
    """'SHORT,OPEN_ACTIONS' -> 'Several reasons'; '' -> 'No reason found'."""
    items = endings.reasons_list(reasons)
    if not items:
        return "No reason found"
    if len(items) > 1:
        return "Several reasons"
    return REASON_LABELS.get(items[0], items[0])


def pathways(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """First plans ended in the filter: length band -> ending reason -> re-planned within the window or not.

    Columns: band, reason, outcome, plans.  outcome is 'Re-planned within N months',
    'Not re-planned within N months' or 'Too recent to tell' (window not yet over at as-of).
    SQL counts the plans per (band, reason list, outcome); only those few cells reach pandas,
    which gives them the page's words (reason_group) and adds up the cells that share them.
    """
    cols = ["band", "reason", "outcome", "plans"]
    cells = run(con, "cohorts_pathways", filters.with_(plan_number="first"), thresholds)
    if cells.empty:
        return pd.DataFrame(columns=cols)
    window = int(thresholds.replan_window_months)
    words = {"replanned": f"Re-planned within {counted(window, 'month')}", "too_recent": "Too recent to tell",
             "not_replanned": f"Not re-planned within {counted(window, 'month')}"}
    out = pd.DataFrame({
        "band": cells["duration_band"].astype(object).map(BAND_LABELS).fillna("(unknown)"),
        "reason": cells["reasons"].astype(object).map(reason_group),
        "outcome": cells["outcome"].astype(object).map(words),
        "plans": cells["plans"].astype("int64"),
    })
    out = out.groupby(cols[:3], sort=False)["plans"].sum().reset_index()
    order = {label: i for i, label in enumerate([*BAND_LABELS.values(), "(unknown)"])}
    out = out.assign(_b=out["band"].map(order)).sort_values(["_b", "reason", "outcome"], kind="stable")
    return out.drop(columns="_b").reset_index(drop=True)[cols]


def ended_bands(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """band, label, plans, share (0..1) of plans ended in the filter, in DfE D7 order."""
    ends = sequence.end_counts(con, filters, thresholds)
    total = ends["plans_ended"]
    rows = [{"band": b, "label": BAND_LABELS[b], "plans": ends["ended_duration_bands"][b],
             "share": (ends["ended_duration_bands"][b] / total) if total else None} for b in DURATION_BANDS]
    return pd.DataFrame(rows)


def endings_table(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """The metrics' ending reasons per ended plan, with readable reasons and the days to the next plan."""
    frame = endings.ending_reasons(con, filters, thresholds)
    frame["reasons_text"] = frame["reasons"].astype(object).map(
        lambda r: "; ".join(REASON_LABELS.get(x, x) for x in endings.reasons_list(r)))
    nxt, end = pd.to_datetime(frame["next_start"]), pd.to_datetime(frame["end_date"])
    frame["days_to_next_plan"] = (nxt - end).dt.days
    return frame


def ending_outcomes(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """Ended plans in the filter by what followed (premature, at_risk: booleans) with plans and the
    number showing each warning sign (short, open_actions, unaddressed_adult_need, any_reason).
    At most three rows (a plan is never both premature and at risk)."""
    frame = run(con, "cohorts_ending_outcomes", filters, thresholds)
    for col in ("plans", "short", "open_actions", "unaddressed_adult_need", "any_reason"):
        frame[col] = frame[col].astype("int64")
    frame[["premature", "at_risk"]] = frame[["premature", "at_risk"]].astype(bool)
    return frame


def ending_list(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                kind: str = "at_risk", limit: int = 1000) -> pd.DataFrame:
    """The `limit` most recent premature endings (kind='premature'), or the watch list of endings at risk
    (kind='at_risk': endings that could still be re-planned, most warning signs first, then the most
    recent): endings_table's columns for those plans, the warning signs and the recorded end reason in
    words, weeks since the ending and whether the child became looked after (the total is in ending_outcomes)."""
    if kind not in ("premature", "at_risk"):
        raise ValueError("kind must be 'premature' or 'at_risk'")
    filters.scope.require(CHILD_LEVEL, "A list naming children")
    frame = run(con, "cohorts_ending_list", filters, thresholds, kind=kind, limit=int(limit))
    frame["reasons_text"] = frame["reasons"].astype(object).map(
        lambda r: "; ".join(REASON_LABELS.get(x, x) for x in endings.reasons_list(r)))
    frame["end_reason_text"] = frame["end_reason"].astype(object).map(
        lambda r: END_REASON_LABELS.get(r, r) if isinstance(r, str) else "not recorded")
    frame["days_to_next_plan"] = frame["days_to_next_plan"].astype("float64")
    frame["looked_after"] = frame["looked_after"].fillna(False).astype(bool)
    return frame


def dup_plans(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """Each repeat plan started in the filter: plan_id, child_id, team, start_date, plan_number, quarter,
    actions, duplicated (actions scoring >= the similarity threshold against an earlier plan), share."""
    frame = run(con, "cohorts_dup_plans", filters, thresholds)
    frame["actions"] = frame["actions"].astype("int64")
    frame["duplicated"] = frame["duplicated"].astype("int64")
    frame["share"] = (frame["duplicated"] / frame["actions"].where(frame["actions"] > 0)).astype("float64")
    return frame


def dup_pairs(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
              limit: int = 1000) -> pd.DataFrame:
    """The most similar duplicated actions with the earlier action they repeat (at most `limit`): the plans'
    own words, so child-level."""
    filters.scope.require(CHILD_LEVEL, "The text of plans' actions")
    top = run(con, "cohorts_dup_pairs", filters, thresholds, limit=int(limit))
    texts = by_key.action_texts(con, [*top["action_id"], *top["matches_action_id"]])
    starts = by_key.plan_starts(con, top["matches_plan_id"])
    frame = top.assign(action_text=top["action_id"].map(texts).astype(object),
                       earlier_action_text=top["matches_action_id"].map(texts).astype(object),
                       earlier_plan_start=top["matches_plan_id"].map(starts).astype(top["plan_start"].dtype))
    # a pair whose words the store lacks is not listed, as with the join this replaced
    frame = frame.dropna(subset=["action_text", "earlier_action_text"]).reset_index(drop=True)
    frame = frame[["score", "child_id", "team", "plan_start", "plan_number", "action_text", "earlier_action_text",
                   "earlier_plan_start", "action_id", "matches_action_id", "plan_id", "matches_plan_id"]]
    # imported here: the scoring module pulls in scikit-learn and scipy, 3 s of the app's start-up on a busy
    # machine (docs/benchmark_history.md, "Every setting fast"), for the one page that explains pairs
    from ..text import similarity

    frame["why"] = pd.Series(similarity.explain_pairs(list(frame["action_text"]), list(frame["earlier_action_text"])),
                             index=frame.index, dtype=object)
    return frame


DUP_SUMMARY_COLUMNS = ["plans", "plans_with_duplicates", "actions", "duplicated"]


def dup_summary(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> dict[str, Any]:
    """The duplicated-actions page's aggregates, summed in SQL over the repeat plans started in the filter.

    Returns {"total": {plans, plans_with_duplicates, actions, duplicated}, "team": frame, "quarter":
    frame (each as figures.duplicates.dup_by: key, plans, plans_with_duplicates, actions, duplicated,
    share), "band": frame (band index 0..4 into figures.duplicates.SHARE_BANDS, plans; plans with
    at least one action only)}.
    """
    frame = run(con, "cohorts_dup_summary", filters, thresholds)
    for col in DUP_SUMMARY_COLUMNS:
        frame[col] = frame[col].astype("int64")
    level = frame["level"].astype(object)
    total = frame[level == "all"]
    totals = ({c: int(total[c].iloc[0]) for c in DUP_SUMMARY_COLUMNS} if len(total)
              else {c: 0 for c in DUP_SUMMARY_COLUMNS})
    out: dict[str, Any] = {"total": totals}
    for key in ("team", "quarter"):
        part = frame[level == key][[key, *DUP_SUMMARY_COLUMNS]].reset_index(drop=True)
        if key == "team":
            part["team"] = part["team"].astype(object)
        part["share"] = (part["duplicated"] / part["actions"].where(part["actions"] > 0)).astype("float64")
        out[key] = part
    band = frame[(level == "band") & frame["share_band"].notna()]
    out["band"] = pd.DataFrame({"band": band["share_band"].astype("int64").to_numpy(),
                                "plans": band["plans"].to_numpy()})
    return out
