"""Thresholds with their defaults (as docs/definitions.md states them), and where the store lives.

One frozen dataclass so the CLI, the app's settings panel, the audit pack and the benchmark all
pass the same object to the metrics, and a cache can key on it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "paqa.duckdb"


@dataclass(frozen=True)
class Thresholds:
    """Every adjustable definition parameter, at the defaults docs/definitions.md states."""

    short_plan_months: int = 3           # 7.3 SHORT: ended at or before start + N months
    replan_window_months: int = 24       # 7.1 repeat within N months; 7.3 premature = re-planned within N months
    first_core_group_working_days: int = 10   # 7.5
    core_group_interval_weeks: int = 6   # 7.5 local standard
    first_review_months: int = 3         # 7.5
    later_review_months: int = 6         # 7.5
    similarity_threshold: float = 0.49   # 7.4 duplicated action when score >= this (docs/duplicates.md)
    plan_update_days: int = 28           # Q7 plan refresh: a plan update within N days of a meeting or new concern

    def with_(self, **changes: object) -> "Thresholds":
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


DEFAULTS = Thresholds()


@dataclass(frozen=True)
class Plausibility:
    """When a plan's recorded dates cannot be right (docs/data_contract.md, "Implausible plans").  Not
    adjustable: a plan failing one is warned about at import and left out of every measure, whatever the
    view, so two pages never disagree about which plans count.  Dates after the day of import are
    already rejected (ingest/validate.py, NOT_FUTURE)."""

    earliest_start: date = date(1990, 1, 1)   # a plan starting before this is a test record or a typing slip
    adult_years: int = 18                      # a child protection plan is for a child: aged 18 or more is an error
    longest_plan_years: int = 5                # an ended plan longer than this: a missed end or a wrong start

    def params(self) -> dict[str, object]:
        """The named parameters of `store_cte_implausible_plans`."""
        return {"plausible_from": self.earliest_start, "adult_years": int(self.adult_years),
                "longest_plan_years": int(self.longest_plan_years)}


PLAUSIBILITY = Plausibility()


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db FILE, else $PAQA_DB, else data/paqa.duckdb (the CLI's and the app's shared default)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PAQA_DB")
    return Path(env) if env else DEFAULT_DB


@dataclass(frozen=True)
class FollowUp:
    """Fixed spans of the challenge, written-agreement and duplication-impact measures (docs/definitions.md,
    "Challenge and escalation", "Written agreements", "Impact of duplication").  Not adjustable: the
    re-plan window they are read with is (Thresholds.replan_window_months)."""

    ran_on_months: int = 3          # a challenged plan "ran on" when it did not end within N months of the challenge
    ending_before_months: int = 3   # an ending "drew a challenge" dated up to N months before it ...
    ending_after_months: int = 1    # ... or up to N months after it
    agreement_after_months: int = 6  # a written agreement up to N months after an ending follows that ending
    largely_repeated_share: float = 0.5   # a repeat plan "largely repeats" the last when this share of its actions is duplicated

    def params(self) -> dict[str, object]:
        """The named parameters of the blocks that use them."""
        return {"ran_on_months": self.ran_on_months, "ending_before_months": self.ending_before_months,
                "ending_after_months": self.ending_after_months,
                "agreement_after_months": self.agreement_after_months,
                "largely_repeated_share": float(self.largely_repeated_share)}


FOLLOW_UP = FollowUp()


@dataclass(frozen=True)
class LowAttendance:
    """When an agency "attended poorly" in the audit sample (docs/definitions.md, "The audit sample"): invited to at least
    `min_invites` of the child's core groups and present at fewer than `rate` of them.  Not adjustable: table
    derived_audit_low_attendance is written with them, so the pages, the pack and that table share these values."""

    min_invites: int = 2
    rate: float = 0.5

    def params(self) -> dict[str, object]:
        """The named parameters of the blocks that use them (audit_cte_low_attendance and the table's rows)."""
        return {"min_invites": int(self.min_invites), "low_attendance_rate": float(self.rate)}

    def words(self) -> str:
        """The rule in words, as the audit sample page's help and the audit pack say it."""
        return f"invited to at least {self.min_invites} core groups and present at fewer than {100 * self.rate:.0f}%"

    def low(self, invited: int, attended: int) -> bool:
        """The rule for one agency's count, in Python: the audit pack tags a plan's attendance with it.  The SQL
        writes the same test with the bound values (audit_cte_low_attendance, audit_low_attendance_rows)."""
        return invited >= self.min_invites and attended < self.rate * invited


LOW_ATTENDANCE = LowAttendance()


def fixed_params() -> dict[str, object]:
    """Every fixed value the SQL binds by name (the plausibility limits, the follow-up spans, the audit's
    low-attendance cut-offs), read when asked so a test may change one.  Why one place: derived tables are written with
    them, so a table's definition counts the values its blocks, or the blocks they need, bind
    (derive/currency.definition), and a value changed in code makes the rows written with the old one out of date, as
    a changed SQL block does."""
    return {**PLAUSIBILITY.params(), **FOLLOW_UP.params(), **LOW_ATTENDANCE.params()}
