"""The plan sequence (`plan_sequence`) and core group attendance sums (`core_group_attendance`),
written once at import: two entries of the derive registry.

Why: numbering every plan per child is a window over all plans, and the agencies page joined tens of
millions of attendance rows to events; at a national million plans each costs seconds per query, yet
neither depends on the user's filters.  So they are written once, for as_of = far future and the
default re-plan window, and the resolver reads them instead of the inline SQL while their record
(paqa_dash/derive/currency.py) says they give the same rows: the sequence for an as-of on or after
every plan date and the same re-plan window, the sums for an as-of on or after the latest core group.
"""
from __future__ import annotations

from typing import Any

import duckdb

from .. import sql
from ..settings import DEFAULTS, PLAUSIBILITY
from . import currency

# The plan-sequence blocks of queries/metrics/sequence.sql.  SEQ is an alias every measure starts from; the
# resolver expands it to the inline numbering, the stored table, or a temp table (sqlrun.cached_sequence).
SEQ = "metrics_sequence_cte_seq"
SEQ_BASE = "metrics_sequence_cte_seq_base"
SCOPE = "metrics_sequence_cte_scope"
CACHED_SEQ = "metrics_sequence_cte_seq_cached"
STORED_SEQ = "derive_sequence_cte_seq_stored"
STORED_SEQ_AS_OF = "derive_sequence_cte_seq_stored_as_of"   # the stored sequence seen as of an earlier date
INLINE_SEQ = (SEQ_BASE, SCOPE)
# The children a question chooses (SCOPE and the stored sequences read them), and what stands for them when it names
# none and the scope is not an auditor's: every plan, with no test of each plan's child (registry.resolve)
CHOSEN = "metrics_sequence_cte_chosen"
SEQ_ROWS = "derive_sequence_cte_seq_rows"
EVERY_CHILD = {CHOSEN: ("metrics_sequence_cte_every_child",), SEQ_ROWS: ("derive_sequence_cte_seq_rows_every_child",)}


def write_sequence(con: duckdb.DuckDBPyConnection, change: Any = None) -> int:
    """Rewrite `plan_sequence` from the plans now in the store (or, given a change's `scope`, the rows of those
    children's plans only: plans are numbered per child); rows in the table."""
    scope = _scope(change)
    text = "INSERT INTO plan_sequence BY NAME " + sql.in_plan_order(sql.compose("metrics_sequence_seq_all"))
    params = sql.bind(text, context={"as_of": currency.FAR_FUTURE, "child_ids": sorted(scope or ()),
                                     "replan_months": int(DEFAULTS.replan_window_months),
                                     **PLAUSIBILITY.params()},
                      block="metrics_sequence_seq_all")
    if scope is None:
        sql.execute(con, "derive_sequence_clear")
    else:
        con.execute(sql.delete_of_plans("plan_sequence", currency.SCOPE_PLANS))
    if scope is None or scope:   # (no child at all: `child_ids` [] would number every plan)
        # `text` is SQL from queries/*.sql only; values travel as parameters.
        con.execute(text, params)
    return int(con.execute(sql.count_rows("plan_sequence")).fetchall()[0][0])


def write_attendance(con: duckdb.DuckDBPyConnection, change: Any = None) -> int:
    """Rewrite the per plan, quarter and agency sums from the events and attendance now in the store (or, given a
    change's `scope`, those of the scope's plans only: each sum is of one plan's meetings), in plan order
    (sql.in_plan_order: the pages join them to their plans); then the same sums over the agencies per plan and
    quarter (core_group_attendance_by_plan), which the Regional view reads for its sums by authority."""
    scope = _scope(change)
    if scope is None:
        sql.execute(con, "derive_sequence_attendance_clear")
        con.execute(sql.insert_into("core_group_attendance", sql.in_plan_order(sql.compose(ATTENDANCE_ROWS))))
        sql.execute(con, "derive_sequence_attendance_by_plan_clear")
        con.execute(sql.insert_into(ATTENDANCE_BY_PLAN, sql.in_plan_order(sql.compose(ATTENDANCE_BY_PLAN_ROWS))))
    else:
        con.execute(sql.delete_of_plans("core_group_attendance", currency.SCOPE_PLANS))
        text = sql.compose(ATTENDANCE_ROWS, substitute=lambda n: (CORE_GROUP_EVENTS_OF_SCOPE,) if n == CORE_GROUP_EVENTS
                           else (n,))
        con.execute(sql.insert_into("core_group_attendance", sql.in_plan_order(text)))
        con.execute(sql.delete_of_plans(ATTENDANCE_BY_PLAN, currency.SCOPE_PLANS))
        text = sql.compose(ATTENDANCE_BY_PLAN_ROWS, substitute=lambda n: (ROWS_OF_SCOPE,) if n == ROWS_OF_PLANS else (n,))
        con.execute(sql.insert_into(ATTENDANCE_BY_PLAN, sql.in_plan_order(text)))
    return int(con.execute(sql.count_rows("core_group_attendance")).fetchall()[0][0])


def _scope(change: Any) -> frozenset[str] | None:
    """The children a refresh rewrites this entry for (None: every plan of the store)."""
    return getattr(change, "scope", None)


SEQUENCE = currency.Entry(
    name="plan_sequence", write=write_sequence, swaps={SEQ: (STORED_SEQ, SCOPE)},
    blocks=(SEQ_BASE, "store_cte_implausible_plans", "metrics_sequence_seq_all", SEQ_ROWS, STORED_SEQ), sources=("plans",), latest="latest_plan_date",
    thresholds=("replan_window_months",), progress=(0.95, "Numbering plans"), by_child=True)

ATTENDANCE_ROWS = "derive_sequence_attendance_rows"
CORE_GROUP_EVENTS = "derive_sequence_cte_core_group_events"
CORE_GROUP_EVENTS_OF_SCOPE = "derive_sequence_cte_core_group_events_of_scope"   # stands for it, an import's plans only
ATTENDANCE_STORED = "derive_sequence_cte_core_group_attendance_stored"
# The stored sums seen as of an earlier quarter end (registry.stored_attendance_readable): stands for ATTENDANCE_STORED.
ATTENDANCE_AS_OF = "derive_sequence_cte_core_group_attendance_stored_as_of"
# The same sums over the agencies, per plan and quarter (a fifth of the rows), written with them under their record.
ATTENDANCE_BY_PLAN = "core_group_attendance_by_plan"
ATTENDANCE_BY_PLAN_ROWS = "derive_sequence_attendance_by_plan_rows"
ROWS_OF_PLANS = "derive_sequence_cte_attendance_of_plans"
ROWS_OF_SCOPE = "derive_sequence_cte_attendance_of_plans_of_scope"   # stands for it, an import's plans only
PLAN_ATTENDANCE_STORED = "derive_sequence_cte_plan_attendance_stored"
PLAN_ATTENDANCE_AS_OF = "derive_sequence_cte_plan_attendance_stored_as_of"
# What stands for the stored sums' blocks when they are read as of an earlier quarter end
# (registry.stored_attendance_readable).
ATTENDANCE_EARLIER = {ATTENDANCE_STORED: (ATTENDANCE_AS_OF,), PLAN_ATTENDANCE_STORED: (PLAN_ATTENDANCE_AS_OF,)}
ATTENDANCE = currency.Entry(
    name="core_group_attendance", write=write_attendance,
    swaps={"engagement_agency_attendance": ("derive_sequence_agency_attendance_stored",),
           "engagement_attendance_by_quarter": ("derive_sequence_attendance_by_quarter_stored",),
           "engagement_attendance_by_authority": ("derive_sequence_attendance_by_authority_stored",),
           # the audit's attendance (per plan, quarter and agency), when its own table is not current for the as-of date
           "audit_cte_plan_attendance": ("audit_cte_plan_attendance_summed",)},
    blocks=(ATTENDANCE_ROWS, CORE_GROUP_EVENTS, CORE_GROUP_EVENTS_OF_SCOPE, ATTENDANCE_STORED, ATTENDANCE_AS_OF,
            ROWS_OF_PLANS, ROWS_OF_SCOPE, ATTENDANCE_BY_PLAN_ROWS, PLAN_ATTENDANCE_STORED, PLAN_ATTENDANCE_AS_OF,
            "derive_sequence_agency_attendance_stored", "derive_sequence_attendance_by_quarter_stored",
            "derive_sequence_attendance_by_authority_stored",
            "audit_cte_plan_attendance_summed"),
    sources=("events", "attendance"), latest="latest_meeting", by_child=True)
