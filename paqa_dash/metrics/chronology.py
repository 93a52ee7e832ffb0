"""One child's multi-agency chronology, read from the store.

The child timeline page and the audit pack both show a child's plans, events, needs, household
changes and plan actions side by side; reading them here, once, keeps the two views in step.
Every function takes the child's pseudonym and returns plain DataFrames (dates as datetime64).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from .. import sql, store
from ..filters import Filters
from ..scope import CHILD_LEVEL, EVERYTHING, OutOfScope, Scope
from ..settings import DEFAULTS
from . import by_key, data_dates, sqlrun, store_info

if TYPE_CHECKING:
    from ..settings import Thresholds

_DATES = ("birth_month", "start_date", "end_date", "event_date", "identified_date", "resolved_date",
          "change_date", "set_date", "due_date", "completed_date")


def _read(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    df = sql.query(con, name, **params)
    for c in df.columns:
        if c in _DATES:
            df[c] = pd.to_datetime(df[c])
    return df


def child_record(con: duckdb.DuckDBPyConnection, child_id: str) -> pd.DataFrame:
    """The child's row (0 or 1 rows): family_id, birth_month, sex, ethnicity, disability, authority."""
    return _read(con, "chronology_timeline_child", child=child_id)


def child_plans(con: duckdb.DuckDBPyConnection, child_id: str) -> pd.DataFrame:
    """The child's plans in start order with `plan_number`, from the one plan-numbering definition."""
    df = sqlrun.run(con, "chronology_timeline_plans", Filters(child_ids=(child_id,)), DEFAULTS)
    for c in ("start_date", "end_date"):
        df[c] = pd.to_datetime(df[c])
    return df


def child_events(con: duckdb.DuckDBPyConnection, child_id: str) -> pd.DataFrame:
    """Every event of the child: event_id, event_date, event_type, agency, plan_id, detail."""
    return _read(con, "chronology_timeline_events", child=child_id)


def child_attendance(con: duckdb.DuckDBPyConnection, child_id: str) -> pd.DataFrame:
    """Who was invited to / attended / contributed to each of the child's meetings."""
    return _read(con, "chronology_timeline_attendance", child=child_id)


_NO_ATTENDANCE = pd.DataFrame(columns=["event_id", "agency", "invited", "attended", "contributed"])


def child_needs(con: duckdb.DuckDBPyConnection, child_id: str) -> pd.DataFrame:
    """Assessment factors of the child: need_id, plan_id, factor, identified_date, resolved_date."""
    return _read(con, "chronology_timeline_needs", child=child_id)


def child_family_changes(con: duckdb.DuckDBPyConnection, child_id: str) -> pd.DataFrame:
    """Household changes of the child or its family: change_id, change_date, change_type, detail."""
    return _read(con, "chronology_timeline_family_changes", child=child_id)


def child_actions(con: duckdb.DuckDBPyConnection, child_id: str, plans: pd.DataFrame | None = None) -> pd.DataFrame:
    """Actions of the child's plans with `plan_number` and their best earlier match.

    Columns: action_id, plan_id, plan_number, action_text, owner_agency, set_date, due_date, status,
    completed_date, addresses_factor, matches_action_id, matches_plan_id, matches_plan_number,
    score, method, matches_text.
    """
    actions = _read(con, "chronology_timeline_actions", child=child_id)
    texts = by_key.action_texts(con, actions["matches_action_id"])
    actions["matches_text"] = actions["matches_action_id"].map(texts).astype(object) if texts else None
    plans = child_plans(con, child_id) if plans is None else plans  # `plans`: the child's, already read
    numbers = plans.set_index("plan_id")["plan_number"]
    actions.insert(2, "plan_number", actions["plan_id"].map(numbers).astype("Int64"))
    actions.insert(actions.columns.get_loc("matches_plan_id") + 1, "matches_plan_number",
                   actions["matches_plan_id"].map(numbers).astype("Int64"))
    return actions


def authority_of(child: pd.DataFrame) -> str | None:
    """The authority (DfE LA number) of a child's row (`child_record`), None when its source named none."""
    if child.empty or "authority" not in child or pd.isna(child["authority"].iloc[0]):
        return None
    return str(child["authority"].iloc[0])


def child_as_of(con: duckdb.DuckDBPyConnection, child_id: str, chosen: date | None,
                dates: Mapping[str, date] | None = None) -> data_dates.ChildDate:
    """The date the child is read as of (`data_dates.child_date`): its authority's own data date when the user
    chose none, a chosen one never past it.  `dates`: the authorities' data dates where the caller holds them
    (store_info's), else read here."""
    if dates is None:
        dates = store_info.authorities(con)["authority_data_dates"]
    authority = authority_of(child_record(con, child_id.strip().lower()))
    return data_dates.child_date(authority, dates, chosen, store.read_as_of(chosen, store.data_date(con)))


def find_children(con: duckdb.DuckDBPyConnection, prefix: str, limit: int = 20) -> list[str]:
    """Pseudonyms starting with `prefix` (children with most plans first): the picker's suggestions."""
    df = sql.query(con, "chronology_timeline_find_children", prefix=prefix.strip().lower(), limit=limit)
    return df["child_id"].tolist()


@dataclass
class Chronology:
    """Everything the timeline shows for one child."""

    child_id: str
    child: pd.DataFrame
    plans: pd.DataFrame
    events: pd.DataFrame
    attendance: pd.DataFrame
    needs: pd.DataFrame
    family_changes: pd.DataFrame
    actions: pd.DataFrame

    @property
    def found(self) -> bool:
        """False when the store knows nothing about this pseudonym."""
        return not (self.child.empty and self.plans.empty and self.events.empty)


def child_in_scope(con: duckdb.DuckDBPyConnection, child_id: str, scope: Scope) -> bool:
    """True when `scope` holds a plan of this child: one in the user's teams (an auditor's: and the child
    has a second or subsequent plan there), by the same filter CTE every measure applies."""
    if scope.reads_every_child:
        return True
    frame = sqlrun.run(con, "chronology_timeline_in_scope", Filters(child_ids=(child_id,), scope=scope), DEFAULTS)
    return bool(frame.iloc[0, 0])


def require_child(con: duckdb.DuckDBPyConnection, child_id: str, scope: Scope) -> None:
    """Raise OutOfScope unless `scope` may read this child's records.  The message does not say whether
    the pseudonym exists elsewhere in the store: that too is outside the scope."""
    scope.require(CHILD_LEVEL, "A child's records")
    if not child_in_scope(con, child_id, scope):
        raise OutOfScope(f"Nothing to show for pseudonym {child_id!r} within your scope ({scope.label}): "
                         "no child with a plan in your teams has it.")


def chronology(con: duckdb.DuckDBPyConnection, child_id: str, attendance: bool = True,
               scope: Scope = EVERYTHING) -> Chronology:
    """Read one child's whole chronology, if `scope` may (else OutOfScope).  `attendance=False` leaves
    `attendance` empty: the timeline page does not show it, and finding a child's meetings among tens of
    millions of attendance rows is the slowest part at national scale (the audit pack reads it)."""
    child_id = child_id.strip().lower()
    require_child(con, child_id, scope)
    plans = child_plans(con, child_id)
    return Chronology(
        child_id=child_id,
        child=child_record(con, child_id),
        plans=plans,
        events=child_events(con, child_id),
        attendance=child_attendance(con, child_id) if attendance else _NO_ATTENDANCE.copy(),
        needs=child_needs(con, child_id),
        family_changes=child_family_changes(con, child_id),
        actions=child_actions(con, child_id, plans),
    )


@dataclass(frozen=True)
class CohortPlace:
    """Where one child stands in the filtered cohort the timeline steps through.

    At national scale the cohort is ~850,000 children: the page needs its size, the child's
    neighbours and a few children to start from, never the whole list."""

    children: int                     # children of the plans matching the filters
    position: int | None              # 1-based place of the child, None when not in the cohort
    previous_child: str | None
    next_child: str | None
    first_children: tuple[str, ...]   # the first few, in stepping order


def cohort_place(con: duckdb.DuckDBPyConnection, filters: "Filters", thresholds: "Thresholds",
                 child_id: str | None = None, first: int = 20) -> CohortPlace:
    """Children of the plans that match the filters (plans started in the period, teams, ...), ordered
    most such plans first, then the most recent start, then pseudonym (the order previous / next step
    through): the cohort's size, `child_id`'s place and neighbours, and the first `first` children."""
    filters.scope.require(CHILD_LEVEL, "Stepping through children")
    child = (child_id or "").strip().lower()
    row = sqlrun.run(con, "chronology_timeline_cohort", filters, thresholds, child=child, first=int(first)).iloc[0]

    def _id(value: object) -> str | None:
        return None if value is None or pd.isna(value) else str(value)

    position = row["position"]
    return CohortPlace(
        children=int(row["children"]),
        position=None if position is None or pd.isna(position) else int(position),
        previous_child=_id(row["previous_child"]),
        next_child=_id(row["next_child"]),
        first_children=tuple(str(c) for c in row["first_children"]),
    )
