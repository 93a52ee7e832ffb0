"""The headline figures of a briefing: the values `metrics --json` prints (metrics/summary.compute, one
computation), flattened to rows a board can read and a later quarter can be compared with.

Each row's `key` is its path in the JSON (`core_groups.first_late`; a list's key counts its items), so a
test and a reader can check a figure against `python -m paqa_dash metrics --json` for the same filters.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...figures.agencies import MEASURES as DEADLINE_KINDS, count_key, timeliness_frame
from ...figures.style import pct_text, share_text
from ...reference.codes import AGENCY_LABELS, DEADLINE_STATUS_LABELS, ENDING_REASONS, REASON_LABELS
from ...reference.recorded import NOT_RECORDED, and_list
from ...settings import Thresholds
from .. import rules, suppression
from ...reference.words import counted, days_text, months_of_days, whole_days

COUNT, RATE, DAYS = "count", "rate", "days"
RATE_DIGITS = 1   # a rate's decimal places, as shown and as its change is worked out (compare.changes)


@dataclass(frozen=True)
class Figure:
    """One headline figure: `value` as computed (None: not recorded), `shown` as the reader gets it."""

    key: str
    label: str
    kind: str
    value: float | int | None
    shown: str

    @property
    def number(self) -> float | int | None:
        """`value` as the workbook's number column holds it, beside `shown`: a gap in days in the whole days shown
        (`whole_days`: a median of 292.5 days is 293, beside "10 months (293 days)", where the column held 292.5);
        any other figure as computed."""
        return whole_days(self.value) if self.kind == DAYS and self.value is not None else self.value


def _rows(result: dict[str, Any], thresholds: Thresholds) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(key, label, kind, keys of the counts it rests on) for every figure in `result`."""
    w = thresholds.replan_window_months
    # counted from the warning signs the data holds (a short plan needs only dates): name the others
    unchecked = result.get("warning_signs_not_checked") or {}
    checked = [REASON_LABELS[c].lower() for c in ENDING_REASONS if c not in unchecked]
    signs = (f"; counted from {and_list(checked)} only: "
             f"{and_list([REASON_LABELS[c].lower() for c in ENDING_REASONS if c in unchecked])} {NOT_RECORDED}"
             if unchecked else "")
    rows = [
        ("plans_started", "Plans started", COUNT, ()),
        ("repeat_plans_started", "Repeat plans started (second or subsequent, DfE)", COUNT, ()),
        ("repeat_rate", "Repeat plans as a share of plans started", RATE, ("repeat_plans_started", "plans_started")),
        ("repeat_within_window", f"Repeat plans started within {counted(w, 'month')} of a previous plan", COUNT, ()),
        ("median_gap_days", "Median gap between plans", DAYS, ("repeat_plans_started",)),
        ("plans_ended", "Plans ended", COUNT, ()),
        ("ended_duration_bands.le_3m", "Plans ended that lasted 3 months or less", COUNT, ()),
        ("premature_endings", f"Premature endings (a warning sign, then another plan{signs})", COUNT, ()),
        ("endings_at_risk", f"Endings at risk (a warning sign, no later plan yet{signs})", COUNT, ()),
        ("duplicate_actions", "Duplicated actions in repeat plans", COUNT, ()),
        ("core_groups.first_on_time", "First core groups on time", COUNT, ()),
        ("core_groups.first_late", "First core groups late", COUNT, ()),
        ("reviews.first_on_time", "First reviews on time", COUNT, ()),
        ("reviews.first_late", "First reviews late", COUNT, ()),
        ("family_changes.during_plans", "Household changes during plans", COUNT, ()),
        ("family_changes.before_repeat_plans", "Household changes before a repeat plan", COUNT, ()),
    ]
    for agency in sorted(result.get("agency_attendance") or {}):
        base = f"agency_attendance.{agency}"
        rows.append((f"{base}.rate", f"Core groups attended: {AGENCY_LABELS.get(agency, agency)}", RATE,
                     (f"{base}.attended", f"{base}.invited")))
    return rows


def lookup(result: dict[str, Any], key: str) -> float | int | None:
    """The value at `key` in a `metrics --json` result: a list counts its items; None when not recorded."""
    value: Any = result
    for part in key.split("."):
        if not isinstance(value, dict) or value.get(part) is None:
            return None
        value = value[part]
    return len(value) if isinstance(value, list) else value


def text(kind: str, value: float | int) -> str:
    """A figure's value as the reader is shown it (a rate in %, a gap in months and days, a count)."""
    if kind == RATE:
        return pct_text(value, RATE_DIGITS)
    if kind == DAYS:   # in months, as the Overview's tile, with the days the workbook's number column holds
        return f"{months_of_days(value)} ({days_text(value)})"
    return f"{int(value):,}"


def withheld_in_tables(result: dict[str, Any], threshold: int) -> set[str]:
    """The keys of `result` whose count a page's table withholds although it is not small itself (secondary
    suppression), so that the figures sheet does not print what the table hides.

    Why: the timeliness table withholds a first core group's late deadlines (37, say) beside 3 not yet due, since
    the three add up to plans started; printed here as 37 it gave the 3 back (235 - 195 - 37).  The table is
    made as the page makes it (figures/agencies.timeliness_frame, rules.TIMELINESS_RULE)."""
    if threshold <= 1:
        return set()
    core, reviews = result.get("core_groups"), result.get("reviews")
    if not core and not reviews:
        return set()
    frame = timeliness_frame(core or {}, reviews or {})
    keys = []
    for which, kind, label in DEADLINE_KINDS:
        part = "core_groups" if which == "core" else "reviews"
        keys += [(label, status_label, f"{part}.{count_key(which, kind, status)}")
                 for status, status_label in DEADLINE_STATUS_LABELS.items()]
    recorded = {label for which, _, label in DEADLINE_KINDS if (core if which == "core" else reviews)}
    frame = frame[frame["measure"].isin(recorded)].reset_index(drop=True)   # as the page: recorded kinds only
    mask = suppression.suppress(frame, rules.TIMELINESS_RULE, threshold).mask["n"]
    hidden = {(m, s) for m, s, h in zip(frame["measure"], frame["status"], mask) if h}
    return {key for label, status_label, key in keys if (label, status_label) in hidden}


def figures(result: dict[str, Any], thresholds: Thresholds, threshold: int) -> list[Figure]:
    """The headline rows of `result` (summary.compute) for a reader with small-number `threshold`."""
    out = []
    withheld = withheld_in_tables(result, threshold)
    for key, label, kind, rests in _rows(result, thresholds):
        value = lookup(result, key)
        if kind == RATE and rests and lookup(result, rests[-1]) == 0:
            # nothing to divide (no plan started): "–", as share_text gives a tile, never "0.0%" nor "not recorded"
            out.append(Figure(key, label, kind, None, share_text(value, 0)))
            continue
        if value is None:
            out.append(Figure(key, label, kind, None, NOT_RECORDED))
            continue
        counts = [lookup(result, k) for k in rests] + ([value] if kind == COUNT else [])
        if key in withheld or suppression.suppressed_value(value, threshold, *counts):
            out.append(Figure(key, label, kind, None, suppression.SYMBOL))
        else:
            out.append(Figure(key, label, kind, value, text(kind, value)))
    return out
