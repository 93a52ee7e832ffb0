"""Thresholds with their defaults (as docs/definitions.md states them), and where the store lives.

One frozen dataclass so the CLI, the app's settings panel, the audit pack and the benchmark all
pass the same object to the metrics, and a cache can key on it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
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
    similarity_threshold: float = 0.42   # 7.4 duplicated action when score >= this (docs/duplicates.md)

    def with_(self, **changes: object) -> "Thresholds":
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


DEFAULTS = Thresholds()


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db FILE, else $PAQA_DB, else data/paqa.duckdb (the CLI's and the app's shared default)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PAQA_DB")
    return Path(env) if env else DEFAULT_DB
