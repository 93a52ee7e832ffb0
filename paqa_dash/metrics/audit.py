"""The audit sample (issue 6, item 4): which children match the PAQA audit's scope, and how many
of the audit's concerns apply to each, so the audit group can pick children for a deep dive.

Scope: children on a second or subsequent plan, optionally only those whose first plan
(in the store) ended prematurely, optionally only neglect; the period and team come from the
shared `Filters` (plans *started* in the period, by team).

Concerns are the audit's findings, each a yes/no per child over the child's whole history as of
the filter's as-of date (the audit reads the whole file, not just the plans in the period).
Every concern reuses the one metric that defines it: premature endings and unaddressed
adult needs from `metrics.endings`, repeats from `metrics.sequence`, late core groups from
`metrics.timeliness`, duplicated actions from the stored matches, household changes and
attendance from the shared engagement CTEs, SMART and language from the reviews stored at import
(`paqa_dash.derive.reviews`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from .. import sql
from ..derive import reviews as action_reviews
from ..derive.registry import INLINE_SEQ, ReviewState
from ..derive.sequence import CHOSEN, SEQ
from ..filters import Filters
from ..reference.codes import CONCERN_LABELS
from ..reference.recorded import UNDATED_EARLIER_PLANS
from ..scope import AUDIT
from . import coverage
from .sequence import known_window, started_plans
from .sqlrun import reads_stored, resolution, run, text_and_params
from ..settings import DEFAULTS, Thresholds

# An agency "attended poorly" by settings.LOW_ATTENDANCE (fixed, since a derived table is written with it; the SQL
# reads its values as parameters of the threshold context, registry.threshold_params).
# "Mostly non-SMART": more than this share of the child's plan actions fail a SMART criterion.
NON_SMART_SHARE = 0.5

# Concern key -> label shown in the table and the pack (order = the audit's questions).
CONCERNS: dict[str, str] = CONCERN_LABELS

# The derived tables the stored sample reads (entries of paqa_dash.derive.registry).
AUDIT_TABLES = ("derived_audit_plan_facts", "derived_audit_attendance")
NO_LIMIT = 2 ** 62

SAMPLE_COLUMNS = ["child_id", "team", "plans", "latest_plan_start", "first_plan_ended_prematurely", "neglect",
                  "concerns", "concern_list"]


@dataclass(frozen=True)
class Criteria:
    """The audit's scope checkboxes (hashable, so a page cache can key on it)."""

    repeat: bool = True             # on a second or subsequent plan (DfE repeat)
    premature_first: bool = False   # the child's first plan in the store ended prematurely
    neglect: bool = False           # a plan of the child in scope has initial category neglect


def not_assessed(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                 criteria: Criteria | None = None, held: coverage.Coverage | None = None) -> dict[str, str]:
    """{concern: why} for the CONCERNS the data cannot answer, in the audit's order (the audit sample page, the
    briefing and the pack say "not assessed" for them and count none): those needing a kind of record no plan of
    the filter holds (coverage, reference/recorded.py MEASURE_NEEDS), and a repeat plan within the re-plan window
    when the repeat plans of the children in scope have no previous plan dated in the store (UNDATED_EARLIER_PLANS,
    as the Overview says).  `criteria`: the audit sample's scope boxes, which narrow the children in scope; `held`:
    the filter's coverage when the caller has read it already."""
    absent = (held or coverage.coverage(con, filters, thresholds)).not_recorded(*CONCERNS)
    narrowed = filters if criteria is None else _narrowed(filters, criteria)
    if narrowed is not None:
        row = run(con, "audit_dated_repeat_plans", narrowed, thresholds).iloc[0]
        if not known_window(int(row["repeat_plans"]), int(row["dated"]) > 0):
            absent["repeat_within_window"] = UNDATED_EARLIER_PLANS
    return {k: absent[k] for k in CONCERNS if k in absent}


def premature_signs_note(held: coverage.Coverage) -> str:
    """What the concern "first plan ended prematurely" was counted from where the data cannot show every warning sign
    at an ending (`held`: the filter's coverage): "First plan ended prematurely: warning signs not checked: ...;
    counted from the sign recorded (short plan) only." in the Plan endings page's words (Coverage.signs_note); ""
    when every sign is checked.  One sentence for the audit sample page, its CSV, the briefing and the pack."""
    note = held.signs_note()
    return f"{CONCERNS['first_plan_premature']}: {note}." if note else ""


def first_plan_premature(con: duckdb.DuckDBPyConnection, children: list[str], thresholds: Thresholds,
                         as_of: date | None) -> set[str]:
    """Children whose earliest plan in the store ended prematurely."""
    flags = concern_flags(con, children, thresholds, as_of)
    return set(flags.loc[flags["first_plan_premature"], "child_id"].astype(str))


def child_actions(con: duckdb.DuckDBPyConnection, children: list[str], as_of: date | None) -> pd.DataFrame:
    """action_id, plan_id, child_id, action_text, owner_agency, due_date of the children's plans."""
    return sql.query(con, "audit_child_actions", children=list(children), as_of=as_of or date.today())


def text_reviews(actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(SMART review per action, language findings per action) computed now from paqa_dash.text.
    Pages read the reviews stored at import instead (`action_reviews.reviews_of`)."""
    from ..derive.reviews import text_reviews as compute

    return compute(actions)


def _concern_params(unassessed: Sequence[str] = ()) -> dict[str, object]:
    """The audit's own cut-off for mostly non-SMART actions, and the concerns not counted (`unassessed`:
    not_assessed's keys), as the parameters of audit_cte_child_concerns (the attendance cut-offs come with the
    thresholds: settings.LOW_ATTENDANCE)."""
    return {"non_smart_share": NON_SMART_SHARE, "unassessed": [str(k) for k in unassessed]}


def concern_flags(con: duckdb.DuckDBPyConnection, children: list[str], thresholds: Thresholds = DEFAULTS,
                  as_of: date | None = None) -> pd.DataFrame:
    """One row per child (in the given order): child_id plus one bool column per CONCERNS key.

    Each concern looks at all of the child's plans started by `as_of` (default today).
    """
    return _child_concerns(con, children, thresholds, as_of)[["child_id", *CONCERNS]]


def _child_concerns(con: duckdb.DuckDBPyConnection, children: list[str], thresholds: Thresholds,
                    as_of: date | None, unassessed: Sequence[str] = ()) -> pd.DataFrame:
    """concern_flags plus `plans` (the child's highest plan number as of `as_of`, 0 when none):
    audit_cte_child_concerns over the children's whole history (Filters.child_ids), reading the
    derived tables when they are current; text flags reviewed on the fly where the store lacks reviews."""
    children = [str(c) for c in children]
    out = pd.DataFrame({"child_id": pd.Series(children, dtype=object)})
    if not children:
        for key in CONCERNS:
            out[key] = pd.Series(dtype=bool)
        out["plans"] = pd.Series(dtype="int64")
        return out
    everything = Filters(as_of=as_of, child_ids=tuple(children))
    found = run(con, "audit_concern_rows", everything, thresholds, **_concern_params(unassessed))
    found["child_id"] = found["child_id"].astype(str)
    out = out.merge(found, on="child_id", how="left")
    for key in CONCERNS:
        out[key] = out[key].fillna(False).astype(bool)
    out["plans"] = out["plans"].fillna(0).astype("int64")
    out["unreviewed"] = out["unreviewed"].fillna(0).astype("int64")
    return _reviewed_text_flags(con, out, as_of, resolution(con, everything, thresholds).reviews)


def _reviewed_text_flags(con: duckdb.DuckDBPyConnection, flags: pd.DataFrame, as_of: date | None,
                         reviews: ReviewState) -> pd.DataFrame:
    """`flags` with the SMART and language flags redone on the fly (`action_reviews.reviews_of`) for the
    children whose actions the stored reviews miss, or for all when the resolver says they are stale."""
    redo = flags["child_id"] if reviews == "stale" else flags.loc[flags["unreviewed"] > 0, "child_id"]
    if len(redo):
        non_smart, deficit = _text_flags_on_the_fly(con, redo.astype(str).tolist(), as_of, reviews)
        mask = flags["child_id"].isin(set(redo))
        flags.loc[mask, "non_smart_actions"] = flags.loc[mask, "child_id"].isin(non_smart)
        flags.loc[mask, "deficit_language"] = flags.loc[mask, "child_id"].isin(deficit)
    return flags.drop(columns="unreviewed")


def _text_flags_on_the_fly(con: duckdb.DuckDBPyConnection, children: list[str],
                           as_of: date | None, reviews: ReviewState) -> tuple[set, set]:
    """(children with mostly non-SMART actions, children with deficit language in an action), through
    `action_reviews.reviews_of`, which reviews on the fly what the store lacks."""
    actions = child_actions(con, children, as_of)
    if actions.empty:
        return set(), set()
    reviewed, findings, _ = action_reviews.reviews_of(con, actions, reviews)
    per_action = actions[["action_id", "child_id"]].merge(reviewed[["action_id", "smart"]], on="action_id")
    share = (~per_action["smart"].astype(bool)).groupby(per_action["child_id"].astype(str)).mean()
    deficit_ids = set(findings.loc[findings["kind"] == "deficit", "id"].astype(str))
    return (set(share[share > NON_SMART_SHARE].index),
            set(actions.loc[actions["action_id"].astype(str).isin(deficit_ids), "child_id"].astype(str)))


def scoped_plans(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
                 criteria: Criteria) -> pd.DataFrame:
    """Plans started in the filter that put their child in the audit's scope (before the
    premature-first-plan test, which is about the child).  The scope boxes narrow in SQL, as the
    filter's own plan-number and category choices (intersected with them), so pandas only sees the
    plans in scope."""
    narrowed = _narrowed(filters, criteria)
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


def _empty_sample() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in SAMPLE_COLUMNS + list(CONCERNS)})


@dataclass(frozen=True)
class Sample:
    """What the page shows: the first rows of the ranked sample, and totals over all of it."""

    rows: pd.DataFrame          # SAMPLE_COLUMNS + CONCERNS keys, most concerns first, at most `limit`
    total: int                  # children in scope
    counts: dict[str, int]      # children per CONCERNS key, plus "neglect"
    median_concerns: float | None


def _no_sample() -> Sample:
    """The sample of a scope holding no child."""
    return Sample(_empty_sample(), 0, {k: 0 for k in [*CONCERNS, "neglect"]}, None)


def audit_sample(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(), thresholds: Thresholds = DEFAULTS,
                 criteria: Criteria = Criteria()) -> pd.DataFrame:
    """Children in the audit's scope, most concerns first (every child; `sample_page` for the first N).

    Columns: child_id, team (of the child's latest plan in scope), plans (the child's highest plan
    number as of the as-of date, counting plans recorded before the store), latest_plan_start (of
    the latest plan in scope), first_plan_ended_prematurely, neglect (a plan of the child in scope
    has initial category neglect: what the Neglect scope box keeps), concerns (how many of CONCERNS
    apply), concern_list ('; '-joined labels), then one bool column per CONCERNS key.
    """
    return sample_page(con, filters, thresholds, criteria, limit=None).rows


def sample_page(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(), thresholds: Thresholds = DEFAULTS,
                criteria: Criteria = Criteria(), limit: int | None = 500,
                unassessed: Sequence[str] | None = None) -> Sample:
    """The ranked audit sample cut to `limit` rows (None: all), with the totals the page shows.  A concern the data
    cannot show (`unassessed`, by default `not_assessed`'s) counts for no child: not in its count, its list or the
    ranking.

    Why two paths: when the derived per-plan tables are current for this as-of date and these
    thresholds, one query ranks the children in scope, cuts the list and counts the totals, reading
    the stored facts of each child's whole history.  Otherwise (another as-of date or threshold)
    the same concern block runs inline over the whole history of the children in scope, ranked, cut and counted in
    the same query (`_kept_scope_sample`); only where the stored reviews miss an action of theirs (reviewed on the fly)
    does pandas rank them (`_inline_sample`)."""
    filters.scope.require(AUDIT, "The audit sample")
    narrowed = _narrowed(filters, criteria)
    if narrowed is None:
        return _no_sample()
    skip = tuple(not_assessed(con, filters, thresholds, criteria) if unassessed is None else unassessed)
    if reads_stored(con, Filters(as_of=filters.as_of), thresholds, *AUDIT_TABLES):
        found = _stored_sample(con, narrowed, thresholds, criteria, limit, skip)
        if found is not None:
            return found
    else:
        found = _kept_scope_sample(con, narrowed, thresholds, criteria, limit, skip)
        if found is not None:
            return found
    full = _inline_sample(con, narrowed, thresholds, criteria, skip)
    counts = {k: int(full[k].sum()) for k in CONCERNS}
    counts["neglect"] = int(full["neglect"].sum()) if len(full) else 0
    median = float(full["concerns"].median()) if len(full) else None
    rows = full if limit is None else full.head(limit).reset_index(drop=True)
    return Sample(rows, len(full), counts, median)


def _stored_sample(con: duckdb.DuckDBPyConnection, narrowed: Filters, thresholds: Thresholds, criteria: Criteria,
                   limit: int | None, unassessed: Sequence[str] = ()) -> Sample | None:
    """The sample in one query over the derived tables; None when a child in scope has an action the
    stored reviews miss (then the caller takes the inline path, which reviews it on the fly)."""
    frame = run(con, "audit_sample_rows", narrowed, thresholds, premature_first=bool(criteria.premature_first),
                limit=NO_LIMIT if limit is None else int(limit), **_concern_params(unassessed))
    return _ranked_sample(frame, _no_sample())


# The temp table holding the children in scope (audit_cte_scope) while `_kept_scope_sample` runs, and the block
# that stands for the stored facts' in audit_sample_rows then (reading it, and the concern blocks the resolver picks).
SCOPE_KEPT = "audit_scope_kept"
KEPT_SCOPE = {"audit_cte_sample_stored": ("audit_cte_sample_kept",)}
# ... and, unless the plans are numbered inline, the block that chooses those children's plans from it (they are not
# named in the filter: Filters.child_ids would bind every one as a list)
KEPT_CHOSEN = {CHOSEN: ("audit_cte_chosen_kept",)}


def _kept_scope_sample(con: duckdb.DuckDBPyConnection, narrowed: Filters, thresholds: Thresholds, criteria: Criteria,
                       limit: int | None, unassessed: Sequence[str] = ()) -> Sample | None:
    """The sample in one query where the derived tables are not written for the as-of date: the children in scope
    (audit_cte_scope under the page's filter) kept in a temp table, then the concern blocks over their whole history
    (Filters.child_ids, as `_child_concerns` reads them) ranked, cut and counted by the stored path's query
    (audit_sample_rows, audit_cte_sample_kept standing for the stored facts).  None when the stored reviews are not
    current or miss an action of theirs (then the caller's inline path reviews them on the fly), and when the
    premature-first box leaves none of them.

    Why: the page lists at most `limit` rows, yet the inline path brought every plan in scope and every child's
    concerns into pandas to rank them there (about 0.8 CPU s of the page at a million plans: docs/benchmark_history.md,
    *Agencies and the audit sample as of an older quarter end*)."""
    text, params = text_and_params(con, "audit_scope_rows", narrowed, thresholds)
    # `text` is SQL from queries/*.sql only; every value travels in `params`.
    con.execute(sql.create_temp_table_as(SCOPE_KEPT, text), params)
    try:
        if not con.execute(sql.text("audit_scope_count")).fetchone()[0]:
            return _no_sample()
        # every plan of the kept children, chosen from the temp table (KEPT_CHOSEN); where the resolver would number
        # the plans inline, the children are named instead, so only their plans are numbered (as before)
        everything = Filters(as_of=narrowed.as_of)
        found = resolution(con, everything, thresholds)
        if found.reviews == "stale":
            return None
        swaps = {**KEPT_SCOPE, **KEPT_CHOSEN}
        if found.substitute(SEQ) == INLINE_SEQ:
            children = sql.query(con, "audit_scope_children")["child_id"].astype(str)
            everything, swaps = everything.with_(child_ids=tuple(children)), KEPT_SCOPE
        frame = run(con, "audit_sample_rows", everything, thresholds, swaps=swaps,
                    premature_first=bool(criteria.premature_first), limit=NO_LIMIT if limit is None else int(limit),
                    **_concern_params(unassessed))
    finally:
        con.execute(sql.drop_temp_table(SCOPE_KEPT))
    # children in scope, none left by the premature-first box: the inline ranking gives its empty rows, typed as it
    # types them (the columns' types follow the plans it read), not the no-child sample's
    return _ranked_sample(frame, None)


def _ranked_sample(frame: pd.DataFrame, empty: Sample | None) -> Sample | None:
    """The Sample of an audit_sample_rows result (the first rows and the totals joined on each); None when a
    child in scope has an action the stored reviews miss.  `empty`: what no child in scope gives."""
    first = frame.iloc[0]   # a_totals always gives one row; no child in scope: child_id NULL
    if int(first["total_children"]) == 0:
        return empty
    if int(first["total_unreviewed"]) > 0:
        return None
    counts = {k: int(first[f"n_{k}"]) for k in CONCERNS}
    counts["neglect"] = int(first["n_neglect"])
    rows = frame[SAMPLE_COLUMNS[:-1] + list(CONCERNS)].copy()
    rows["concern_list"] = _concern_lists(rows)
    return Sample(_typed(rows), int(first["total_children"]), counts, float(first["median_concerns"]))


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    """Both paths hand back the same dtypes and column order."""
    out["child_id"] = out["child_id"].astype(str)
    for key in [*CONCERNS, "first_plan_ended_prematurely", "neglect"]:
        out[key] = out[key].fillna(False).astype(bool)
    out["plans"] = out["plans"].astype("int64")
    out["concerns"] = out["concerns"].astype("int64")
    out["latest_plan_start"] = pd.to_datetime(out["latest_plan_start"])
    return out[SAMPLE_COLUMNS + list(CONCERNS)].reset_index(drop=True)


def _narrowed(filters: Filters, criteria: Criteria) -> Filters | None:
    """The filter narrowed by the scope boxes (None: they exclude every plan); see scoped_plans."""
    narrowed = filters
    if criteria.repeat:
        if filters.plan_number == "first":
            return None
        narrowed = narrowed.with_(plan_number="repeat")
    if criteria.neglect:
        if filters.categories and "NEG" not in filters.categories:
            return None
        narrowed = narrowed.with_(categories=("NEG",))
    return narrowed


def _inline_sample(con: duckdb.DuckDBPyConnection, narrowed: Filters, thresholds: Thresholds,
                   criteria: Criteria, unassessed: Sequence[str] = ()) -> pd.DataFrame:
    """The whole ranked sample: plans in scope from SQL, concerns of their children inline, ranked here."""
    plans = started_plans(con, narrowed, thresholds)
    if plans.empty:
        return _empty_sample()
    latest = (plans.sort_values(["child_id", "start_date", "plan_id"])
              .drop_duplicates("child_id", keep="last")[["child_id", "team", "start_date"]]
              .rename(columns={"start_date": "latest_plan_start"}))
    latest["child_id"] = latest["child_id"].astype(str)
    flags = _child_concerns(con, latest["child_id"].tolist(), thresholds, narrowed.as_of, unassessed)
    if criteria.premature_first:
        flags = flags[flags["first_plan_premature"]]
    is_neglect = (plans["initial_category"].astype(object) == "NEG").astype(bool)
    neglect = is_neglect.groupby(plans["child_id"].astype(str)).any().rename("neglect")
    out = latest.merge(flags, on="child_id").merge(neglect, left_on="child_id", right_index=True, how="left")
    keys = list(CONCERNS)
    out["concerns"] = out[keys].sum(axis=1).astype("int64")
    out["concern_list"] = _concern_lists(out)
    out["first_plan_ended_prematurely"] = out["first_plan_premature"].astype(bool)
    out["latest_plan_start"] = pd.to_datetime(out["latest_plan_start"])
    out = out.sort_values(["concerns", "plans", "latest_plan_start", "child_id"],
                          ascending=[False, False, False, True], kind="stable")
    return _typed(out)
