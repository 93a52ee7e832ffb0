"""Last quarter's figures beside this quarter's: read from the workbook of the last run (its "Figures" sheet)
or from a snapshot (JSON) the last run saved, and marked as up, down or unchanged.

Why both: the partnership keeps the workbook it was sent; a scheduled run can keep a small snapshot beside
it instead.  Only what the reader was shown is compared (a suppressed "c" stays "c": comparing hidden values
would give them away by difference).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .headline import COUNT, RATE, Figure

FIGURES_SHEET = "Figures"
KEY_HEADER, VALUE_HEADER = "Key (metrics --json)", "Value (number)"


@dataclass(frozen=True)
class Previous:
    """{key: value or None (suppressed or not recorded)} and where it came from (a file name and its date)."""

    values: dict[str, float | None]
    source: str


class CompareError(ValueError):
    """The file to compare with cannot be read; the message names it and says why."""


def snapshot(figures: list[Figure], as_of: str) -> bytes:
    """The figures as a small JSON snapshot (no child-level data: aggregates as the reader saw them)."""
    return json.dumps({"as_of": as_of, "figures": {f.key: f.value for f in figures}}, indent=2).encode("utf-8")


def read_previous(path: Path) -> Previous:
    """The previous run's figures, from its workbook (.xlsx) or snapshot (.json)."""
    if not path.exists():
        raise CompareError(f"{path}: no such file to compare with")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Previous({str(k): v for k, v in data["figures"].items()}, f"{path.name} (as of {data['as_of']})")
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
        return Previous(values, path.name)
    raise CompareError(f"{path}: compare with a briefing workbook (.xlsx) or snapshot (.json)")


def changes(figures: list[Figure], previous: Previous) -> pd.DataFrame:
    """Figure, previous, now, change, and a mark (up / down / no change / new / not comparable)."""
    rows = []
    for f in figures:
        before = previous.values.get(f.key)
        if f.key not in previous.values:
            mark, change = "new this time", None
        elif before is None or f.value is None:
            mark, change = "not comparable (suppressed or not recorded)", None
        else:
            change = f.value - before
            mark = "no change" if change == 0 else ("▲ up" if change > 0 else "▼ down")
        rows.append({"Figure": f.label, "Previous": "–" if before is None else _fmt(f.kind, before),
                     "Now": f.shown, "Change": "–" if change is None else _fmt(f.kind, change, signed=True),
                     "Marked": mark, "Key (metrics --json)": f.key})
    return pd.DataFrame(rows)


def _fmt(kind: str, value: float, signed: bool = False) -> str:
    sign = "+" if signed else ""
    if kind == RATE:
        return f"{100 * value:{sign}.1f}" + (" pts" if signed else "%")
    if kind == COUNT:
        return f"{int(round(value)):{sign},}"
    return f"{value:{sign},.0f}"
