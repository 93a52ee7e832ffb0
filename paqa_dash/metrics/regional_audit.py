"""The audit's own measures per authority, for the Regional view (docs/definitions.md, "Regional view"): the
nine questions' rates side by side, beyond the headline measures DfE also publishes.

Why each authority's rates come from the measures' own functions with the filter narrowed to that authority:
they then mean here exactly what they mean on their pages and in `metrics --json`, and a measure whose data an
authority's sources do not hold is "not recorded" for it, never zero.  Each authority costs one run of these
measures, so the view compares at most MAX_AUTHORITIES at a time (a region; England's ~150 authorities would
take minutes): the caller says so when more are in view.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

import duckdb
import pandas as pd

from ..filters import Filters
from ..reference import authorities as la, benchmarks
from ..reference.words import rounded
from ..settings import Thresholds
from . import agreements, challenge, coverage, dup_impact, endings, household, refresh, regional, wording
from .sqlrun import cached_sequence

MAX_AUTHORITIES = 20   # authorities compared on every audit measure at once (about a region)

Parts = dict[str, Any]   # what one authority's measures returned, by name (see `_parts`)


@dataclass(frozen=True)
class AuditRate:
    """One rate of the audit: `count(parts)` -> (numerator, denominator); `needs`: its measure in
    reference/recorded.py MEASURE_NEEDS (None: plans alone answer it); `question`: the audit question.

    Endings re-planned after a warning sign are not a rate here: endings of the period have not all had the
    re-plan window to be re-planned in, so the share would read low, or 0, where the outcome is not known yet
    (the Plan endings and Repeat plans pages follow cohorts for that)."""

    key: str
    label: str
    question: str
    needs: str | None
    count: Callable[[Parts], tuple[float, float]]
    signs: bool = False   # counted from the warning signs at an ending the data holds (coverage.signs_note)
    # Whether the authorities' counts add up to a figure another page prints for the same filter (the Overview's
    # endings at risk and plans ended; the Challenge, Duplicated actions, Plan refresh and Plan quality pages' counts
    # of the authorities in view): one authority's withheld count is then that figure less the others shown
    # (report/rules.py AUDIT_RATES_RULE).  Repeat plans after a household change are counted on no other page.
    pooled_elsewhere: bool = True


def _on_time(parts: Parts, group: str) -> tuple[float, float]:
    rows = [parts["refresh"][t] for t in refresh.TRIGGER_GROUPS[group]]
    on_time = sum(r["on_time"] for r in rows)
    return on_time, on_time + sum(r["late"] for r in rows)


def _split(measure: dict[str, Any], yes: str, no: str, count: str) -> tuple[float, float]:
    """(the `yes` group's `count`, both groups'): a measure's JSON that splits its items in two (challenged or not)."""
    return measure[yes][count], measure[yes][count] + measure[no][count]


def _wording(parts: Parts, column: str) -> tuple[float, float]:
    frame = parts["wording"]
    return float(frame[column].sum()), float(frame["actions"].sum())


RATES: tuple[AuditRate, ...] = (
    AuditRate("endings_at_risk", "Warning sign, not re-planned yet", "Q1",
              None, lambda p: (p["at_risk"], p["plans_ended"]), signs=True),
    AuditRate("challenged_endings", "Endings challenged", "Q3", "challenge_and_escalation",
              lambda p: _split(p["challenge"], "endings_challenged", "endings_not_challenged", "endings")),
    AuditRate("largely_repeated", "Largely repeats the last plan", "Q5", "duplication_impact",
              lambda p: _split(p["duplication"], "largely_repeated", "not_largely_repeated", "plans")),
    AuditRate("refresh_meetings", "Updated in time after a meeting", "Q7", "plan_refresh",
              lambda p: _on_time(p, "meetings")),
    AuditRate("refresh_concerns", "Updated in time after a concern", "Q7", "plan_refresh",
              lambda p: _on_time(p, "new_concerns")),
    AuditRate("household_change", "Repeat after a household change", "Findings", "family_changes",
              lambda p: p["household"], pooled_elsewhere=False),
    AuditRate("step_downs_agreed", "Step-downs with an agreement", "Findings", "written_agreements",
              lambda p: _split(p["agreements"], "step_downs_with_agreement", "step_downs_without_agreement",
                               "step_downs")),
    AuditRate("strength_wording", "Strengths-based wording", "Q9", "wording_balance",
              lambda p: _wording(p, "with_strength")),
    AuditRate("deficit_wording", "Deficit wording", "Q9", "wording_balance",
              lambda p: _wording(p, "with_deficit")),
)


def rates_by_authority(con: duckdb.DuckDBPyConnection, codes: list[str | None], filters: Filters = Filters(),
                       thresholds: Thresholds = Thresholds(),
                       own_dates: tuple[tuple[str, date], ...] = ()) -> pd.DataFrame:
    """authority, name, measure, question, numerator, denominator, percent (0..100; NaN with no denominator or
    not recorded), recorded, not_checked (the warning signs an ending rate could not check, in words; "" for the
    rest and where every sign was checked): one row per authority of `codes` (None: the whole store as one) and AuditRate; an
    authority whose data ends earlier is read as of its own date (`own_dates`, as in regional.by_authority)."""
    rows: list[dict[str, Any]] = []
    for code in codes:
        narrowed = regional.own_date(filters if code is None else filters.with_(authorities=(code,)), code, own_dates)
        parts, held = _parts(con, narrowed, thresholds)
        for rate in RATES:
            recorded = rate.needs is None or held.recorded(rate.needs)
            num, den = rate.count(parts) if recorded else (float("nan"), float("nan"))
            rows.append({"authority": code, "name": la.name(code) if code else "the data", "measure": rate.label,
                         "question": rate.question, "numerator": num, "denominator": den,
                         "percent": rounded(100 * num / den, 1) if recorded and den else float("nan"),
                         "recorded": recorded, "not_checked": held.signs_note() if rate.signs else ""})
    return pd.DataFrame(rows, columns=["authority", "name", "measure", "question", "numerator", "denominator",
                                       "percent", "recorded", "not_checked"])


def _parts(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> tuple[Parts, Any]:
    """Each measure the rates read, worked out only where the authority's data holds what it needs."""
    with cached_sequence(con, filters, thresholds):
        held = coverage.coverage(con, filters, thresholds)
        parts: Parts = endings.reason_counts(con, filters, thresholds)
        if held.recorded("challenge_and_escalation"):
            parts["challenge"] = challenge.as_json(challenge.events(con, filters, thresholds),
                                                   challenge.endings(con, filters, thresholds))
        if held.recorded("duplication_impact"):
            parts["duplication"] = dup_impact.as_json(dup_impact.compare(con, filters, thresholds))
        if held.recorded("plan_refresh"):
            parts["refresh"] = refresh.counts(con, filters, thresholds)
        if held.recorded("family_changes"):
            parts["household"] = household.repeat_plans_after_change(con, filters, thresholds)
        if held.recorded("written_agreements"):
            parts["agreements"] = agreements.as_json(agreements.counts(con, filters, thresholds),
                                                     agreements.step_downs(con, filters, thresholds))
        if held.recorded("wording_balance"):
            parts["wording"] = wording.by_team(con, filters, thresholds)
    return parts, held


def widest_gap(table: pd.DataFrame) -> str | None:
    """The finding of `rates_by_authority`'s table: the measure on which the authorities differ most, in words
    ("Authorities differ most on repeat plans after a change of household: 75% (Knowsley) to 87% (Liverpool)");
    None with fewer than two authorities holding a rate on enough cases to compare (benchmarks.comparable: a rate of
    3 endings is not set against another authority's)."""
    shown = table.dropna(subset=["percent"])
    shown = shown[shown["denominator"].map(benchmarks.comparable).astype(bool)]
    spread = shown.groupby("measure", sort=False)["percent"].agg(lambda v: v.max() - v.min() if len(v) > 1 else None)
    spread = spread.dropna()
    if spread.empty:
        return None
    measure = spread.astype(float).idxmax()
    rows = shown[shown["measure"] == measure].sort_values("percent")
    low, high = rows.iloc[0], rows.iloc[-1]
    return (f"Authorities differ most on {measure[0].lower()}{measure[1:]}: {rounded(low['percent']):.0f}% ({low['name']}) "
            f"to {rounded(high['percent']):.0f}% ({high['name']})")
