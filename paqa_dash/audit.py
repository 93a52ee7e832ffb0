"""The audit sample (issue 6, item 4): which children match the PAQA audit's scope, and how many
of the audit's concerns apply to each, so the audit group can pick children for a deep dive.

Scope (SPEC 1): children on a second or subsequent plan, optionally only those whose first plan
(in the store) ended prematurely, optionally only neglect; the period and team come from the
shared `Filters` (plans *started* in the period, by team).

Concerns are the audit's findings, each a yes/no per child over the child's whole history as of
the filter's as-of date (the audit reads the whole file, not just the plans in the period).
Every concern reuses the one metric that defines it (SPEC 7): premature endings and unaddressed
adult needs from `metrics.endings`, repeats from `metrics.sequence`, late core groups from
`metrics.timeliness`, duplicated actions from the stored matches, household changes and
attendance from the shared SPEC 7.6 CTEs, SMART and language from the reviews stored at import
(`paqa_dash.action_reviews`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from . import action_reviews, sql
from .metrics.endings import ending_reasons
from .metrics.filters import Filters
from .metrics.sequence import started_plans
from .metrics.sqlrun import cached_sequence, run
from .metrics.summary import duplicate_actions
from .metrics.timeliness import core_group_timeliness
from .settings import DEFAULTS, Thresholds

# An agency "attended poorly" when invited to at least MIN_INVITES core groups of the child and
# present at fewer than LOW_ATTENDANCE_RATE of them.
LOW_ATTENDANCE_RATE = 0.5
MIN_INVITES = 2
# "Mostly non-SMART": more than this share of the child's plan actions fail a SMART criterion.
NON_SMART_SHARE = 0.5

# Concern key -> label shown in the table and the pack (order = the audit's questions).
CONCERNS: dict[str, str] = {
    "first_plan_premature": "First plan ended prematurely",
    "repeat_within_window": "Re-planned within the window",
    "adult_need_unaddressed": "Adult need open at an ending with no action",
    "duplicated_actions": "Duplicated actions",
    "core_groups_late": "Core groups late or missed",
    "low_agency_attendance": "Low agency attendance",
    "household_change_before_replan": "Household change before a re-plan",
    "non_smart_actions": "Mostly non-SMART actions",
    "deficit_language": "Deficit language in the plan",
}

SAMPLE_COLUMNS = ["child_id", "team", "plans", "latest_plan_start", "first_plan_ended_prematurely", "neglect",
                  "concerns", "concern_list"]


@dataclass(frozen=True)
class Scope:
    """The audit's scope checkboxes (hashable, so a page cache can key on it)."""

    repeat: bool = True             # on a second or subsequent plan (DfE repeat, SPEC 7.1)
    premature_first: bool = False   # the child's first plan in the store ended prematurely (SPEC 7.3)
    neglect: bool = False           # a plan of the child in scope has initial category neglect


def _all_plans(filters: Filters) -> Filters:
    """The whole history as of the filter's date: concerns are about the child, not the period."""
    return Filters(as_of=filters.as_of)


def _by_child(children: list[str], ids: pd.Series | set) -> pd.Series:
    """A bool per child (in `children` order): is the child among `ids`?"""
    wanted = set(pd.Series(list(ids), dtype=object).dropna().astype(str))
    return pd.Series([c in wanted for c in children], dtype=bool)


def first_plan_premature(con: duckdb.DuckDBPyConnection, children: list[str], thresholds: Thresholds,
                         as_of: date | None) -> set[str]:
    """Children whose earliest plan in the store ended prematurely (SPEC 7.3)."""
    everything = Filters(as_of=as_of, child_ids=tuple(str(c) for c in children))
    if not everything.child_ids:
        return set()
    return _first_premature(_sequence(con, everything, thresholds), ending_reasons(con, everything, thresholds))


def _sequence(con: duckdb.DuckDBPyConnection, everything: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """The plan sequence of `everything.child_ids` only (numbering is per child, so narrowing first
    leaves plan numbers unchanged, and a national store is not renumbered for a handful of children)."""
    return run_block(con, "audit_plan_sequence", everything, thresholds)


def _first_premature(seq: pd.DataFrame, endings: pd.DataFrame) -> set[str]:
    """Children of `seq` whose earliest plan is among the premature `endings`."""
    first = seq.sort_values(["child_id", "start_date", "plan_id"]).drop_duplicates("child_id")
    premature = set(endings.loc[endings["premature"], "plan_id"].astype(str))
    return set(first.loc[first["plan_id"].astype(str).isin(premature), "child_id"].astype(str))


def child_actions(con: duckdb.DuckDBPyConnection, children: list[str], as_of: date | None) -> pd.DataFrame:
    """action_id, plan_id, child_id, action_text, owner_agency, due_date of the children's plans."""
    return sql.query(con, "audit_child_actions", children=list(children), as_of=as_of or date.today())


def text_reviews(actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(SMART review per action, language findings per action) computed now from paqa_dash.text.
    Pages read the reviews stored at import instead (`action_reviews.reviews_of`)."""
    from .action_reviews import text_reviews as compute

    return compute(actions)


def concern_flags(con: duckdb.DuckDBPyConnection, children: list[str], thresholds: Thresholds = DEFAULTS,
                  as_of: date | None = None) -> pd.DataFrame:
    """One row per child (in the given order): child_id plus one bool column per CONCERNS key.

    Each concern looks at all of the child's plans started by `as_of` (default today).
    """
    return _concern_flags(con, children, thresholds, as_of)[0]


def _concern_flags(con: duckdb.DuckDBPyConnection, children: list[str], thresholds: Thresholds,
                   as_of: date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(concern_flags, the children's plan sequence): every metric is asked about these children
    only (`Filters.child_ids`), and the sequence is read once for both."""
    children = [str(c) for c in children]
    out = pd.DataFrame({"child_id": pd.Series(children, dtype=object)})
    if not children:
        for key in CONCERNS:
            out[key] = pd.Series(dtype=bool)
        return out, pd.DataFrame(columns=["plan_id", "child_id", "start_date", "plan_number"])
    everything = Filters(as_of=as_of, child_ids=tuple(children))
    seq = _sequence(con, everything, thresholds)
    plan_child = dict(zip(seq["plan_id"].astype(str), seq["child_id"].astype(str)))
    endings = ending_reasons(con, everything, thresholds)

    out["first_plan_premature"] = _by_child(children, _first_premature(seq, endings))
    out["repeat_within_window"] = _by_child(children, seq.loc[seq["repeat_within_window"].fillna(False).astype(bool),
                                                              "child_id"])
    out["adult_need_unaddressed"] = _by_child(children, endings.loc[endings["unaddressed_adult_need"], "child_id"])
    dups = duplicate_actions(con, everything, thresholds)
    out["duplicated_actions"] = _by_child(children, dups["child_id"])
    cg = core_group_timeliness(con, everything, thresholds)
    late = cg.loc[cg["status"] == "late", "plan_id"].astype(str).map(plan_child)
    out["core_groups_late"] = _by_child(children, late)

    att = _attendance(con, children, everything, thresholds)
    low = att[(att["invited"] >= MIN_INVITES) & (att["attended"] < LOW_ATTENDANCE_RATE * att["invited"])]
    out["low_agency_attendance"] = _by_child(children, low["child_id"])
    fc = run_block(con, "audit_changes_before_replan", everything, thresholds, ("metrics_cte_family_changes",),
                   children=children)
    out["household_change_before_replan"] = _by_child(children, fc.loc[fc["changes_before_replan"] > 0, "child_id"])

    non_smart, deficit = _text_flags(con, children, as_of)
    out["non_smart_actions"] = _by_child(children, non_smart)
    out["deficit_language"] = _by_child(children, deficit)
    return out, seq


def _text_flags(con: duckdb.DuckDBPyConnection, children: list[str], as_of: date | None) -> tuple[set, set]:
    """(children with mostly non-SMART actions, children with deficit language in an action), from
    the reviews stored at import, counted in SQL; through `action_reviews.reviews_of` (which reviews
    on the fly what the store lacks) when the stored reviews are stale or miss an action."""
    if action_reviews.is_current(con):
        counts = sql.query(con, "audit_stored_text_flags", children=list(children), as_of=as_of or date.today())
        if not (counts["unreviewed"] > 0).any():
            non_smart = counts.loc[counts["non_smart"] > NON_SMART_SHARE * counts["actions"], "child_id"]
            deficit = counts.loc[counts["deficit_actions"] > 0, "child_id"]
            return set(non_smart.astype(str)), set(deficit.astype(str))
    actions = child_actions(con, children, as_of)
    if actions.empty:
        return set(), set()
    reviewed, findings, _ = action_reviews.reviews_of(con, actions)
    per_action = actions[["action_id", "child_id"]].merge(reviewed[["action_id", "smart"]], on="action_id")
    share = (~per_action["smart"].astype(bool)).groupby(per_action["child_id"].astype(str)).mean()
    deficit_ids = set(findings.loc[findings["kind"] == "deficit", "id"].astype(str))
    return (set(share[share > NON_SMART_SHARE].index),
            set(actions.loc[actions["action_id"].astype(str).isin(deficit_ids), "child_id"].astype(str)))


def run_block(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds,
              ctes: tuple[str, ...] = (), **extra: object) -> pd.DataFrame:
    """An `audit_*` main block behind the shared metrics CTEs (plus `ctes`), with extra parameters
    ($children, $child)."""
    return run(con, main, filters, thresholds, ctes, **extra)


def _attendance(con: duckdb.DuckDBPyConnection, children: list[str], filters: Filters,
                thresholds: Thresholds) -> pd.DataFrame:
    frame = run_block(con, "audit_attendance_by_child", filters, thresholds,
                      ("metrics_cte_core_group_attendance",), children=children)
    for col in ("invited", "attended", "contributed"):
        frame[col] = frame[col].astype("int64")
    return frame


def scoped_plans(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                 scope: Scope) -> pd.DataFrame:
    """Plans started in the filter that put their child in the audit's scope (before the
    premature-first-plan test, which is about the child).  The scope boxes narrow in SQL, as the
    filter's own plan-number and category choices (intersected with them), so pandas only sees the
    plans in scope."""
    narrowed = filters
    if scope.repeat:
        if filters.plan_number == "first":
            narrowed = None
        else:
            narrowed = narrowed.with_(plan_number="repeat")
    if scope.neglect and narrowed is not None:
        if filters.categories and "NEG" not in filters.categories:
            narrowed = None
        else:
            narrowed = narrowed.with_(categories=("NEG",))
    plans = started_plans(con, narrowed or filters, thresholds)
    return plans.iloc[0:0] if narrowed is None else plans.reset_index(drop=True)


def _concern_lists(flags: pd.DataFrame) -> pd.Series:
    """'; '-joined labels of the concerns that apply, per row: one label per distinct combination
    of flags (at most 2**9) rather than one Python join per child."""
    keys = list(CONCERNS)
    codes = pd.Series(0, index=flags.index, dtype="int64")
    for bit, key in enumerate(keys):
        codes = codes + flags[key].astype(bool).astype("int64") * (1 << bit)
    labels = {code: "; ".join(CONCERNS[k] for bit, k in enumerate(keys) if code >> bit & 1)
              for code in codes.unique()}
    return pd.Series(codes.map(labels).tolist(), index=flags.index, dtype="str")


def audit_sample(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(), thresholds: Thresholds = DEFAULTS,
                 scope: Scope = Scope()) -> pd.DataFrame:
    """Children in the audit's scope, most concerns first.

    Columns: child_id, team (of the child's latest plan in scope), plans (the child's highest plan
    number as of the as-of date, counting plans recorded before the store), latest_plan_start (of
    the latest plan in scope), first_plan_ended_prematurely, neglect (a plan of the child in scope
    has initial category neglect: what the Neglect scope box keeps), concerns (how many of CONCERNS apply), concern_list ('; '-joined
    labels), then one bool column per CONCERNS key.

    Why one cached sequence: every metric reused below reads the plan numbering; numbering a
    national store once per call (a temp table) instead of once per metric is most of the cost.
    """
    with cached_sequence(con, Filters(as_of=filters.as_of), thresholds):
        plans = scoped_plans(con, filters, thresholds, scope)
        if plans.empty:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in SAMPLE_COLUMNS + list(CONCERNS)})
        latest = (plans.sort_values(["child_id", "start_date", "plan_id"])
                  .drop_duplicates("child_id", keep="last")[["child_id", "team", "start_date"]]
                  .rename(columns={"start_date": "latest_plan_start"}))
        latest["child_id"] = latest["child_id"].astype(str)
        children = latest["child_id"].tolist()
        flags, seq = _concern_flags(con, children, thresholds, filters.as_of)
    if scope.premature_first:
        flags = flags[flags["first_plan_premature"]]
    seq = seq[seq["child_id"].astype(str).isin(set(flags["child_id"]))]
    per_child = seq.groupby(seq["child_id"].astype(str)).agg(plans=("plan_number", "max"))
    is_neglect = (plans["initial_category"].astype(object) == "NEG").astype(bool)
    per_child["neglect"] = is_neglect.groupby(plans["child_id"].astype(str)).any().reindex(per_child.index)
    out = latest.merge(flags, on="child_id").merge(per_child, left_on="child_id", right_index=True, how="left")
    keys = list(CONCERNS)
    out["concerns"] = out[keys].sum(axis=1).astype("int64")
    out["concern_list"] = _concern_lists(out)
    out["first_plan_ended_prematurely"] = out["first_plan_premature"].astype(bool)
    out["plans"] = out["plans"].astype("int64")
    out["neglect"] = out["neglect"].fillna(False).astype(bool)
    out["latest_plan_start"] = pd.to_datetime(out["latest_plan_start"])
    out = out.sort_values(["concerns", "plans", "latest_plan_start", "child_id"],
                          ascending=[False, False, False, True], kind="stable")
    return out[SAMPLE_COLUMNS + keys].reset_index(drop=True)
