"""Last quarter's figures beside this quarter's: read from the workbook of the last run (its "Figures" sheet)
or from a snapshot (JSON) the last run saved, and marked as up, down or unchanged.

Why both: the partnership keeps the workbook it was sent; a scheduled run can keep a small snapshot beside
it instead.  Only what the reader was shown is compared (a suppressed "c" stays "c": comparing hidden values
would give them away by difference).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...reference.words import points_between, whole_days
from .headline import COUNT, DAYS, RATE, RATE_DIGITS, Figure, text

FIGURES_SHEET = "Figures"
KEY_HEADER, VALUE_HEADER, SHOWN_HEADER = "Key (metrics --json)", "Value (number)", "Value"


@dataclass(frozen=True)
class Previous:
    """{key: value or None (suppressed or not recorded)}, where it came from (a file name and its date), and
    {key: the value as the reader was shown it} ("c" where suppressed), so a "c" last quarter stays "c"."""

    values: dict[str, float | None]
    source: str
    shown: dict[str, str] = field(default_factory=dict)


class CompareError(ValueError):
    """The file to compare with cannot be read; the message names it and says why."""


def snapshot(figures: list[Figure], as_of: str) -> bytes:
    """The figures as a small JSON snapshot (no child-level data: aggregates as the reader saw them)."""
    return json.dumps({"as_of": as_of, "figures": {f.key: f.value for f in figures},
                       "shown": {f.key: f.shown for f in figures}}, indent=2).encode("utf-8")


def read_previous(path: Path) -> Previous:
    """The previous run's figures, from its workbook (.xlsx) or snapshot (.json)."""
    if not path.exists():
        raise CompareError(f"{path}: no such file to compare with")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Previous({str(k): v for k, v in data["figures"].items()}, f"{path.name} (as of {data['as_of']})",
                            {str(k): str(v) for k, v in data.get("shown", {}).items()})
        except (ValueError, KeyError, TypeError) as exc:
            raise CompareError(f"{path}: not a briefing snapshot ({exc})") from exc
    if path.suffix.lower() == ".xlsx":
        try:
            sheet = pd.read_excel(path, sheet_name=FIGURES_SHEET, engine="openpyxl")
        except (ValueError, KeyError, OSError) as exc:
            raise CompareError(f"{path}: no '{FIGURES_SHEET}' sheet of a briefing workbook ({exc})") from exc
        if KEY_HEADER not in sheet.columns or VALUE_HEADER not in sheet.columns:
            raise CompareError(f"{path}: the '{FIGURES_SHEET}' sheet has no '{KEY_HEADER}' and '{VALUE_HEADER}' columns")
        values = {str(k): (None if pd.isna(v) else float(v)) for k, v in zip(sheet[KEY_HEADER], sheet[VALUE_HEADER])}
        shown = ({str(k): str(v) for k, v in zip(sheet[KEY_HEADER], sheet[SHOWN_HEADER]) if not pd.isna(v)}
                 if SHOWN_HEADER in sheet.columns else {})
        return Previous(values, path.name, shown)
    raise CompareError(f"{path}: compare with a briefing workbook (.xlsx) or snapshot (.json)")


# The change as a number and its signed Excel format, for the workbook: a text "+9" is neutralised there as any
# text starting with "+" or "-" is ("'+9"), while a number formatted with its sign reads "+9" and still sums.
CHANGE_NUMBER, CHANGE_FORMAT = "_change", "_change_format"
SIGNED_FORMATS = {RATE: '+0.0" pts";-0.0" pts";0.0" pts"', COUNT: "+#,##0;-#,##0;0",
                  DAYS: '+#,##0" days";-#,##0" days";0" days"'}


def changes(figures: list[Figure], previous: Previous) -> pd.DataFrame:
    """Figure, previous, now, change, and a mark (up / down / no change / new / not comparable)."""
    rows = []
    for f in figures:
        before = previous.values.get(f.key)
        if f.key not in previous.values:
            mark, change = "new this time", None
        elif before is None or f.value is None:
            mark, change = "not comparable (suppressed or not recorded)", None
        else:   # as shown: days in whole days (601 -> 608 is +7, never +8 from the unrounded medians), a rate in
            # points between the percentages shown (38.6% -> 36.9% is -1.7 pts; 22.6% both times is no change)
            change = (whole_days(f.value) - whole_days(before) if f.kind == DAYS
                      else points_between(before, f.value, RATE_DIGITS) if f.kind == RATE else f.value - before)
            mark = "no change" if change == 0 else ("▲ up" if change > 0 else "▼ down")
        rows.append({"Figure": f.label,
                     "Previous": previous.shown.get(f.key, "–") if before is None else _fmt(f.kind, before),
                     "Now": f.shown, "Change": "–" if change is None else _fmt(f.kind, change, signed=True),
                     "Marked": mark, "Key (metrics --json)": f.key,
                     CHANGE_NUMBER: change,
                     CHANGE_FORMAT: SIGNED_FORMATS.get(f.kind, SIGNED_FORMATS[COUNT])})
    return pd.DataFrame(rows)


def _fmt(kind: str, value: float, signed: bool = False) -> str:
    """A previous value as the headline figures show it (headline.text: a gap in months and days), or a change with
    its sign and unit."""
    if not signed:
        return text(kind, value)
    if kind == RATE:   # `value`: the change in points (`changes`)
        return f"{value:+.{RATE_DIGITS}f} pts"
    if kind == DAYS:
        return f"{value:+,.0f} days"
    return f"{int(round(value)):+,}"
