"""The `metrics` command's figures as a table a person reads (without `--json`).

Why separate from `summary.py`: the JSON keys are a contract (scripts and the golden tests read them);
this only words them — figure name in words, value, and what it is a share of — and lists become counts
with a pointer to `--json` for the rows.
"""
from __future__ import annotations

from typing import Any

from ..reference.codes import AGENCY_LABELS, BAND_LABELS, REASON_LABELS
from ..reference.recorded import NOT_RECORDED
from ..reference.words import counted, days_text, plural, rounded


def _n(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def _share(part: Any, whole: Any, noun: str = "", then: str = "") -> str:
    """"18.5% (37 of 200 plans started)": `noun` in the number the whole takes ("1 of 1 plan started"), `then`
    after it; a dash for the share when there is no whole."""
    of = f" {plural(noun, whole if whole is not None else 2)}" if noun else ""
    of += f" {then}" if then else ""
    if not whole or part is None:
        return f"– ({_n(part)} of {_n(whole)}{of})"
    return f"{rounded(100 * part / whole, 1):.1f}% ({int(part):,} of {int(whole):,}{of})"


def _timely(counts: dict, first: str, later: str, what: str) -> list[tuple[str, str]]:
    def one(prefix: str) -> str:
        on_time, late = counts.get(f"{prefix}_on_time", 0), counts.get(f"{prefix}_late", 0)
        return (_share(on_time, on_time + late, then="on time")
                + f"; {_n(counts.get(f'{prefix}_not_due'))} not yet due")
    return [(f"First {what} on time", one(first)), (f"Later {what} on time", one(later))]


def rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    """(figure in words, value in words) for every figure of `summary.compute`, in its order."""
    out: list[tuple[str, str]] = [("As of", str(result.get("as_of")))]
    started, ended = result.get("plans_started") or 0, result.get("plans_ended") or 0
    out += [("Plans started", _n(started)),
            ("Repeat plans (DfE)", _share(result.get("repeat_plans_started"), started, "plan", "started")),
            (f"Repeat within {counted(result.get('thresholds', {}).get('replan_window_months', 24), 'month')}",
             NOT_RECORDED if "repeat_within_window" in (result.get("not_recorded") or {})
             else ("at least " if result.get("repeat_plans_undated") else "")
             + _share(result.get("repeat_within_window"), started, "plan", "started")),
            ("Plans ended", _n(ended))]
    for band, n in (result.get("ended_duration_bands") or {}).items():
        out.append((f"  lasted {BAND_LABELS.get(band, band).lower()}", _share(n, ended, "plan", "ended")))
    gap = result.get("median_gap_days")
    out.append(("Median gap between plans", "–" if gap is None else days_text(gap)))
    absent = result.get("not_recorded") or {}
    for key, words in (("premature_endings", "Premature endings"), ("endings_at_risk", "Endings at risk")):
        out.append((words, NOT_RECORDED if key in absent
                    else f"{counted(len(result.get(key) or []), 'plan')} (the list: use --json)"))
    # counted from the signs the data holds: those it could not check, each with why (a count is not "none found")
    for code, why in (result.get("warning_signs_not_checked") or {}).items():
        out.append((f"  warning sign not checked: {REASON_LABELS.get(code, code).lower()}", why))
    dup = result.get("duplicate_actions")
    out.append(("Duplicated actions", NOT_RECORDED if "duplicate_actions" in absent
                else f"{len(dup):,} (the list: use --json)" if isinstance(dup, list) else _n(dup)))
    for key, first, later, what in (("core_groups", "first", "intervals", "core groups"),
                                    ("reviews", "first", "later", "reviews")):
        if key in absent:
            out.append((f"{what.capitalize()} on time", NOT_RECORDED))
        else:
            out += _timely(result.get(key) or {}, first, later, what)
    if "agency_attendance" in absent:
        out.append(("Attended core groups", NOT_RECORDED))
    for agency, c in (result.get("agency_attendance") or {}).items():
        out.append((f"Attended core groups: {AGENCY_LABELS.get(agency, agency)}",
                    _share(c.get("attended"), c.get("invited"), "invitation")))
    if "family_changes" in absent:
        return out + [("Household changes", NOT_RECORDED)]
    fam = result.get("family_changes") or {}
    out += [("Household changes during plans", _n(fam.get("during_plans"))),
            ("Household changes before repeat plans", _n(fam.get("before_repeat_plans")))]
    return out


def as_text(result: dict[str, Any], described_filters: str) -> str:
    """The table, headed by what was counted (the filter in words)."""
    table = rows(result)
    width = max(len(name) for name, _ in table)
    lines = [f"Figures for {described_filters}", ""]
    lines += [f"{name:<{width}}  {value}" for name, value in table]
    absent = result.get("not_recorded") or {}
    if absent:
        lines += ["", "Not shown, as this data does not hold what they need:"]
        lines += [f"  {key}: {why}" for key, why in absent.items()]
    lines += ["", "Thresholds: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in (result.get("thresholds") or {}).items()),
              "Every figure with its rows: add --json. Definitions: docs/definitions.md."]
    return "\n".join(lines)
