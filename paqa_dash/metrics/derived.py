"""Derived tables: the expensive, filter-free part of a measure, written once at import and read in
place of its inline SQL whenever that gives the same rows.

Why: at national scale (a million plans, tens of millions of events and attendance rows) joining
actions, needs, meetings and household changes to every plan costs seconds per query, yet none of
that work depends on the user's team, period, category or age filter.  So the importer runs each
such CTE block once for the whole store and keeps its rows in a table; `sqlrun.run` swaps the inline
block for a block reading the table (same CTE name, same columns), and the filter still applies
on top, in the same query, through `started` / `ended`.

The stored rows are only read when they are *exactly* what the inline SQL would give:

- meta records, per table, the import run, the row count of every source table, the as-of date
  and thresholds it was written for; a direct INSERT (as tests do) changes a row count, a new
  import changes the run, and either sends queries back to the inline SQL;
- `as_of="after"` blocks are written as of the far future and read for any as-of on or after the
  latest date in the store (then the as-of hides no plan, ending, meeting or change);
- `as_of="equal"` blocks (those that count deadlines still to come, or open plans up to the
  as-of date) are written for the store's default as-of date (`data_date`) and read only for it;
- every threshold the block uses must equal the one it was written with;
- the SQL that defines it must be the SQL it was written by (a digest of its blocks).

Nothing here is a second definition of a measure: the table is filled by the inline block itself.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from .. import sql, store
from ..reference import tables as reference_tables
from ..settings import DEFAULTS, Thresholds
from ..filters import Filters

FAR_FUTURE = date(9999, 12, 31)
# Source tables whose row counts say whether a derived table still reflects the store.
SOURCES = ("children", "plans", "events", "attendance", "family_changes", "needs", "actions", "action_matches")
META_PREFIX = "derived:"


@dataclass(frozen=True)
class Derived:
    """One inline CTE block with a stored stand-in.

    inline: the block's name in queries/*.sql (a list of CTEs ending in the one later blocks read);
    stored: the block that defines the same final CTE from `table`, joined to the filter's plans;
    rows:   a main block selecting the table's rows from the inline block's final CTE;
    needs:  other CTE blocks (besides the plan sequence) the inline block reads;
    as_of:  "after" or "equal" (see the module doc);
    thresholds: the `Thresholds` fields the rows depend on;
    reviews: the block reads the reviews stored at import (action_reviews, language_findings,
             plan_reviews), which `python -m paqa_dash reviews` rewrites without an import run: the
             table is then also current only for the same stored reviews, made by the running code's
             lexicons, and complete (see `_reviews_state`).
    """

    table: str
    inline: str
    stored: str
    rows: str
    needs: tuple[str, ...] = ()
    as_of: str = "after"
    thresholds: tuple[str, ...] = ()
    reviews: bool = False


# In refresh order: a block may read the derived tables refreshed before it.
DERIVED: tuple[Derived, ...] = (
    Derived(table="derived_ending_facts", inline="metrics_cte_ending_facts",
            stored="metrics_cte_ending_facts_stored", rows="metrics_ending_facts_rows"),
    # core groups & agencies, household change (queries/derived_agencies.sql, derived_household.sql)
    Derived(table="derived_core_group_plans", inline="metrics_cte_core_group_facts",
            stored="metrics_cte_core_group_facts_stored", rows="metrics_core_group_facts_rows",
            needs=("metrics_cte_core_group_meetings",), as_of="equal", thresholds=("core_group_interval_weeks",)),
    Derived(table="derived_review_plans", inline="metrics_cte_review_facts",
            stored="metrics_cte_review_facts_stored", rows="metrics_review_facts_rows",
            needs=("metrics_cte_review_meetings",), as_of="equal", thresholds=("later_review_months",)),
    Derived(table="derived_challenge_links", inline="metrics_cte_challenges",
            stored="metrics_cte_challenges_stored", rows="metrics_challenge_links_rows"),
    Derived(table="derived_family_change_links", inline="metrics_cte_family_changes",
            stored="metrics_cte_family_changes_stored", rows="metrics_family_change_links_rows"),
    # the audit sample's per-plan facts and per-plan agency attendance (queries/audit.sql)
    Derived(table="derived_audit_plan_facts", inline="audit_cte_plan_facts", stored="audit_cte_plan_facts_stored",
            rows="audit_plan_facts_rows",
            needs=("metrics_cte_ending_facts", "metrics_cte_endings", "metrics_cte_core_group_meetings",
                   "metrics_cte_core_group_facts", "metrics_cte_core_groups", "metrics_cte_family_changes"),
            as_of="equal", thresholds=("replan_window_months", "short_plan_months", "first_core_group_working_days",
                                       "core_group_interval_weeks", "similarity_threshold"), reviews=True),
    Derived(table="derived_audit_attendance", inline="audit_cte_plan_attendance",
            stored="audit_cte_plan_attendance_stored", rows="audit_plan_attendance_rows",
            needs=("metrics_cte_core_group_attendance",), as_of="equal"),
    # the cohort pages' ending flags (queries/derived_cohort.sql): every ended plan's warning signs and
    # premature / at-risk marks, so the endings queries join `ended` to one table instead of two
    Derived(table="derived_ending_flags", inline="metrics_cte_endings", stored="ui_cte_ending_flags_stored",
            rows="ui_ending_flags_rows", needs=("metrics_cte_ending_facts",),
            thresholds=("short_plan_months", "replan_window_months")),
    # the plan quality page (queries/plan_quality.sql, derived_plan_quality.sql): per plan its action
    # counts, SMART criterion fails, theme mix, reading ease and relevance verdict; per plan and lexicon term
    Derived(table="derived_pq_plans", inline="pq_cte_plan_facts", stored="pq_cte_plan_facts_stored",
            rows="pq_plan_facts_rows", needs=("pq_cte_reviews_stored",), as_of="equal", reviews=True),
    Derived(table="derived_pq_language", inline="pq_cte_plan_language", stored="pq_cte_plan_language_stored",
            rows="pq_plan_language_rows", needs=("pq_cte_reviews_stored",), reviews=True),
    # each repeat plan's actions and duplicated actions (queries/derived_cohort.sql), for the
    # Duplicated actions page: no join of every action and match per filter change
    Derived(table="derived_dup_counts", inline="ui_cte_dup_counts", stored="ui_cte_dup_counts_stored",
            rows="ui_dup_counts_rows", thresholds=("similarity_threshold",)),
)
BY_INLINE = {d.inline: d for d in DERIVED}


def _state(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What a derived table must have been written against: latest run and source row counts."""
    row = sql.query(con, "derived_source_state").iloc[0]
    run = row["latest_run"]
    return {"run": None if pd.isna(run) else int(run),
            "rows": {t: int(row[t]) for t in SOURCES}}


def _reviews_state(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The stored reviews' version (meta) and row counts, for tables with `reviews`."""
    from .. import action_reviews

    row = sql.query(con, "pq_reviews_state").iloc[0]
    return {"version": store.get_meta(con, action_reviews.META_KEY),
            "rows": {name: int(row[name]) for name in ("action_reviews", "language_findings", "plan_reviews")}}


def _reviews_usable(con: duckdb.DuckDBPyConnection, recorded: dict[str, Any]) -> bool:
    """The reviews a table was written from are still the stored ones, made by the running code's
    lexicons (else readers review on the fly) and complete (one per action: else some are made on
    the fly, which the table lacks)."""
    from .. import action_reviews

    try:
        now = _reviews_state(con)
    except duckdb.Error:
        return False
    return (recorded.get("reviews") == now and now["version"] == action_reviews.version()
            and now["rows"]["action_reviews"] == recorded["rows"]["actions"])


def latest_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest date the store records (uncapped, unlike `data_date`)."""
    value = sql.query(con, "metrics_data_date")["data_date"].iloc[0]
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def definition(d: Derived) -> str:
    """A digest of the SQL that defines the table (its blocks, the ones it needs and the plan
    sequence): a store written by an older definition is never read as current."""
    names = ("metrics_cte_seq_base", "metrics_cte_scope", *d.needs, d.inline, d.stored, d.rows)
    return hashlib.sha256("\n".join(sql.text(n) for n in names).encode()).hexdigest()[:16]


def _written_as_of(d: Derived, default_as_of: date | None) -> date:
    return FAR_FUTURE if d.as_of == "after" or default_as_of is None else default_as_of


def refresh_all(con: duckdb.DuckDBPyConnection, run_id: int | None = None,
                only: tuple[str, ...] = ()) -> dict[str, int]:
    """Rewrite every derived table (or those named in `only`) from the store as it now stands; rows
    written per table.  The caller owns the transaction (the importer calls this inside its own)."""
    from .data_date import data_date
    from .sqlrun import SEQ, compose, threshold_params

    state = _state(con)
    if run_id is not None:
        state["run"] = int(run_id)
    default_as_of = data_date(con)
    latest = latest_date(con)
    written: dict[str, int] = {}
    register_tables(con, "metrics_workday_due", DEFAULTS)
    for d in DERIVED:
        if only and d.table not in only:
            continue
        as_of = _written_as_of(d, default_as_of)
        filters = Filters(as_of=as_of)
        ctes = resolve(con, (*d.needs, d.inline), filters, DEFAULTS, skip=d.table)
        text = compose([SEQ, *ctes], d.rows)
        params = {**filters.params(), **threshold_params(DEFAULTS)}
        used = {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", text)}
        # `text` is SQL from queries/*.sql only and the table name is checked; values are parameters.
        con.execute(sql.create_table_as(d.table, text), used)
        record = {**state, "definition": definition(d), "as_of": as_of.isoformat(), "latest": latest.isoformat() if latest else None,
                  "thresholds": {name: getattr(DEFAULTS, name) for name in d.thresholds}}
        if d.reviews:
            record["reviews"] = _reviews_state(con)
        store.set_meta(con, META_PREFIX + d.table, json.dumps(record, sort_keys=True))
        written[d.table] = int(con.execute(sql.count_rows(d.table)).fetchall()[0][0])
    return written


def refresh_reviewed(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rewrite the derived tables made from the stored reviews, after `python -m paqa_dash reviews`
    rewrote them (no import run: the other tables are still current)."""
    return refresh_all(con, only=tuple(d.table for d in DERIVED if d.reviews))


def register_tables(con: duckdb.DuckDBPyConnection, text: str, thresholds: Thresholds) -> None:
    """Register the small pandas tables `text` joins (core groups' working-day deadline table)."""
    reference_tables.register(con, text, thresholds)


def usable(con: duckdb.DuckDBPyConnection, d: Derived, filters: Filters, thresholds: Thresholds,
           state: dict[str, Any] | None = None) -> bool:
    """True when reading `d.table` gives exactly the rows the inline block would (module doc)."""
    try:
        recorded_text = store.get_meta(con, META_PREFIX + d.table)
        if recorded_text is None:
            return False
        recorded = json.loads(recorded_text)
        state = state or _state(con)
    except duckdb.Error:
        return False
    if recorded.get("run") is None or recorded["run"] != state["run"] or recorded["rows"] != state["rows"]:
        return False
    if recorded.get("definition") != definition(d):
        return False
    if any(recorded["thresholds"].get(name) != getattr(thresholds, name) for name in d.thresholds):
        return False
    if d.reviews and not _reviews_usable(con, recorded):
        return False
    as_of = filters.effective_as_of
    if d.as_of == "equal":
        return as_of.isoformat() == recorded["as_of"]
    return recorded["latest"] is None or as_of.isoformat() >= recorded["latest"]


def resolve(con: duckdb.DuckDBPyConnection, ctes: tuple[str, ...], filters: Filters, thresholds: Thresholds,
            skip: str | None = None) -> tuple[str, ...]:
    """`ctes` with each inline block that has a current derived table replaced by its stored block."""
    if not any(c in BY_INLINE for c in ctes):
        return tuple(ctes)
    state = _state(con)
    out = []
    for name in ctes:
        d = BY_INLINE.get(name)
        if d is not None and d.table != skip and usable(con, d, filters, thresholds, state):
            out.append(d.stored)
        else:
            out.append(name)
    return tuple(out)
