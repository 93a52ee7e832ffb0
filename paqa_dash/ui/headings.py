"""Every table a reader sees, and every CSV they download, in words: headings, dates, percentages and blanks.

Why one place: the numbers behind a chart come out of metrics with the names the code uses ("repeat_rate",
"ended_le_3m", a quarter as a timestamp, a share as 0.25, a missing value as None).  An analyst reads
"Repeat rate (%)", "2025-04-01", 25.0 and an empty cell.  `readable` is applied by the components to every
table and CSV (chart cards, table expanders, lists), so a page cannot forget it; a page names only what is
its own (`headings=`: column -> heading, or None to leave a column out).

The order a column's heading is chosen in: the page's own (`headings=`), the label of its `column_config`
(already the heading the page shows), `HEADINGS` below, and last the name itself made readable
("repeat_within_window" -> "Repeat within window"), so a new column never fails and never shows "_".
"""
from __future__ import annotations

import math
import re
from typing import Any, Mapping

import numpy as np
import pandas as pd

from paqa_dash.reference import words as coded
from paqa_dash.reference.codes import (AGENCY_LABELS, BAND_LABELS, CATEGORY_LABELS, END_REASON_LABELS,
                                       EVENT_TYPE_LABELS, REASON_LABELS)

# Column -> heading.  A share (0 to 1) is shown as a percentage: its heading says "(%)" (see PERCENT_OF_ONE).
HEADINGS: dict[str, str] = {
    # who and where
    "child_id": "Child (pseudonym)", "plan_id": "Plan (pseudonym)", "team": "Team", "agency": "Agency",
    "authority": "LA number", "name": "Authority", "authority_name": "Authority", "timeline": "Child timeline",
    # when
    "quarter": "Quarter starting", "label": "Period", "year": "Year", "period": "Period",
    "period_start": "Period starting", "date": "Date", "until": "Until", "event_date": "Date",
    "start_date": "Plan started", "end_date": "Plan ended", "previous_end": "Previous plan ended",
    "first_concern": "First concern", "strategy_date": "Strategy discussion",
    "icpc_date": "Initial child protection conference", "trigger_date": "Date of the trigger",
    "updated_on": "Plan updated on", "due": "Due", "month": "Months after the ending",
    "time": "Months since the ending",
    # plans and counts
    "plans": "Plans", "plans_started": "Plans started", "starts": "Plans started", "plans_ended": "Plans ended",
    "repeat_plans_started": "Repeat plans started", "subsequent": "Repeat plans started",
    "repeat_plans": "Repeat plans", "repeat_within_window": "Repeat plans within the window",
    "within_window": "Within the re-plan window",
    "first_plans_ended": "First plans ended", "ended_le_3m": "Ended within 3 months",
    "plan_number": "Plan no.", "children": "Children", "events": "Events", "actions": "Actions",
    "concerns": "Concerns", "endings": "Endings", "ended": "Ended", "replanned": "Re-planned",
    "followed_up": "Followed up", "outcome_known": "Outcome known", "completed": "Completed",
    "n": "Number", "count": "Count", "rows": "Rows", "numerator": "Count", "denominator": "Of",
    "on_time": "On time", "late": "Late", "invited": "Invited", "attended": "Attended",
    "contributed": "Contributed", "agreements": "Agreements", "unfinished": "Unfinished",
    "step_downs": "Step-downs", "followed": "Followed up", "sustained": "Sustained",
    "with_evidence": "Plans with evidence", "with_impact": "Plans with an impact concern",
    "replanned_children": "Children re-planned", "plans_with_duplicates": "Plans with duplicated actions",
    "duplicated": "Duplicated actions", "with_adult_need": "Plans with an adult need",
    "adult_needs_addressed": "Adult needs addressed", "smart_actions": "SMART actions",
    "actions_failing": "Actions failing", "impact_events": "Impact events", "late_concerns": "Late concerns",
    "at_risk": "Still followed (at risk)", "censored": "Censored (followed no longer)",
    "deficit_phrases": "Deficit phrases", "jargon_terms": "Jargon terms", "findings": "Times found",
    "adult_needs_open": "Open adult needs", "unaddressed_needs": "Unaddressed adult needs",
    "practical_only_needs": "Adult needs with practical actions only",
    "with_deficit": "Actions with deficit language", "with_strength": "Actions with strengths language",
    "with_need": "Actions with need language", "with_trauma_informed": "Actions with trauma-informed language",
    "with_positive": "Actions with positive language",
    # days and months
    "gap_full_months": "Gap (full months)", "gap_days": "Gap (days)", "months_before": "Months before the plan",
    "median_days_to_plan": "Median days to the plan", "median_length_days": "Median length (days)",
    "days_to_strategy": "Days to the strategy discussion", "days_to_icpc": "Days to the conference",
    "days_to_plan": "Days to the plan", "weeks_since_end": "Weeks since it ended", "reading_ease": "Reading ease",
    # what kind
    "group": "Group", "kind": "Kind", "band": "Band", "bucket": "Household changes", "reason": "Warning sign",
    "reasons": "Why", "outcome": "Outcome", "end_reason": "Why it ended (recorded)", "category": "Category",
    "grp": "Kind of event", "event_type": "Event type", "measure": "Measure", "status": "Status",
    "ending_work": "Work at the ending", "action_class": "Kind of action", "split": "Compared by",
    "by": "Broken down by", "value": "Team or year", "criterion": "Criterion", "theme": "Theme",
    "topic": "Topic", "resolution": "Resolution", "timing": "Timing", "concern": "Concern", "lane": "Record",
    "what": "What", "detail": "Detail", "impact": "Impact event", "trigger": "Trigger",
    "verdict": "Verdict", "needs": "Adult needs", "failed": "Criteria failed", "action_text": "Action",
    "phrase": "Written", "suggestion": "Try instead", "why": "Why", "source": "Source",
    "has_repeat_plan": "Had a repeat plan", "duration_band": "Lasted", "table_name": "Table",
    # shares (0 to 1, shown as %) and percentages
    "share": "Share (%)", "england_share": "England (%)", "repeat_rate": "Repeat rate (%)",
    "repeat_share": "Repeat plans (%)", "within_6m": "Re-planned within 6 months (%)",
    "within_12m": "Re-planned within 12 months (%)", "within_24m": "Re-planned within 24 months (%)",
    "followed_up_6m": "Followed up 6 months", "followed_up_12m": "Followed up 12 months",
    "followed_up_24m": "Followed up 24 months", "replanned_6m": "Re-planned within 6 months",
    "replanned_12m": "Re-planned within 12 months", "replanned_24m": "Re-planned within 24 months", "rate": "Rate (%)", "contribution_rate": "Contributed (%)",
    "share_of_due": "Share of those due (%)", "replan_rate": "Re-planned (%)", "replanned_share": "Re-planned (%)",
    "smart_share": "SMART (%)", "survival": "No other plan yet (%)", "lower": "Lower 95% limit (%)",
    "upper": "Upper 95% limit (%)", "deficit_share": "Deficit language (%)",
    "positive_share": "Positive language (%)", "strength_share": "Strengths language (%)",
    "need_share": "Need language (%)", "trauma_informed_share": "Trauma-informed language (%)",
    "repeat_percent": "Repeat plans (%)", "percent": "Share (%)", "ended_rate_pct": "Ended (%)",
    "replan_rate_pct": "Re-planned (%)", "addressed_rate_pct": "Adult needs addressed (%)",
}

# Columns holding a share from 0 to 1, shown as a percentage (0.25 -> 25.0).  Columns ending "_share" and
# "_rate" are shares too; "_pct"/"percent" columns are already percentages and are only rounded.
PERCENT_OF_ONE: frozenset[str] = frozenset({
    "share", "england_share", "rate", "within_6m", "within_12m", "within_24m", "survival", "lower", "upper",
    "share_of_due"})
PERCENT_DIGITS = 1
DIGITS = 2   # other numbers with a fraction (months, a reading-ease score)

# Columns whose codes have labels in reference/codes.py: shown in words (a value without a label is kept).
VALUE_WORDS: dict[str, Mapping[str, str]] = {
    "band": BAND_LABELS, "duration_band": BAND_LABELS, "reason": REASON_LABELS, "category": CATEGORY_LABELS,
    "end_reason": END_REASON_LABELS, "agency": AGENCY_LABELS, "event_type": EVENT_TYPE_LABELS}

BLANK = ""


def readable_name(column: object) -> str:
    """A name with no heading, readable: "repeat_within_window" -> "Repeat within window"."""
    text = str(column)
    if text.endswith(coded.CODE_SUFFIX) and len(text) > len(coded.CODE_SUFFIX):
        return f"{heading(text[: -len(coded.CODE_SUFFIX)])} (code)"
    text = " ".join(text.replace("_", " ").split())
    return text[:1].upper() + text[1:] if text else text


def heading(column: object) -> str:
    """The heading of one column (`HEADINGS`, else its name made readable)."""
    return HEADINGS[column] if isinstance(column, str) and column in HEADINGS else readable_name(column)


def _is_percent_of_one(column: object) -> bool:
    name = str(column)
    return name in PERCENT_OF_ONE or name.endswith(("_share", "_rate"))


def _is_percent(column: object) -> bool:
    name = str(column)
    return name.endswith(("_pct", "_percent")) or name == "percent"


def _is_days(column: object) -> bool:
    """A figure of days ("gap_days", "median_days_to_plan", "days_to_icpc", a page's own "Median gap, days"): shown
    in whole days by the rule its chart's label uses (reference/words.whole_days), not "607.5" beside the chart's
    "608 days"."""
    name = str(column)
    if "%" in name or _is_percent(column) or _is_percent_of_one(column):   # "Updated within 10 days (%)": a share
        return False
    return re.search(r"\bdays\b", name.replace("_", " ").lower()) is not None


def _whole_days(series: pd.Series) -> pd.Series:
    """Each number of `series` in whole days; text ("c") and blanks kept."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return coded.whole_days(series)   # blanks stay NaN (an empty cell), whole floats read as counts (_blanks)
    values = [v if _number(v) is None else coded.whole_days(v) for v in series.astype(object)]
    numbers = all(isinstance(v, int) for v in values)
    return pd.Series(values, index=series.index, dtype="int64" if numbers and values else object)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, (list, tuple, np.ndarray)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value: Any) -> float | None:
    """A numeric cell as a float; None for text ("c"), booleans and blanks."""
    if isinstance(value, (bool, np.bool_)) or _missing(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return None


def _as_percent(series: pd.Series, times: float) -> pd.Series:
    def one(value: Any) -> Any:
        number = _number(value)
        return value if number is None else coded.rounded(number * times, PERCENT_DIGITS)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return coded.rounded(series.astype(float) * times, PERCENT_DIGITS)
    return series.map(one)


def _date_text(value: Any, with_time: bool) -> Any:
    if _missing(value):
        return value
    stamp = pd.Timestamp(value)
    return stamp.strftime("%Y-%m-%d %H:%M") if with_time else stamp.date()


def _dates(series: pd.Series) -> pd.Series:
    """Timestamps as dates (DuckDB's DATE arrives as one at midnight); a time of day kept where there is one,
    to the minute.  Never "2025-04-01 00:00:00"."""
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = series
    elif series.dtype == object and series.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64))).any():
        stamps = series.map(lambda v: pd.Timestamp(v) if isinstance(v, (pd.Timestamp, np.datetime64)) else v)
        with_time = any(isinstance(v, pd.Timestamp) and v != v.normalize() for v in stamps)
        return stamps.map(lambda v: _date_text(v, with_time) if isinstance(v, pd.Timestamp) else v)
    else:
        return series
    present = stamps.dropna()
    if getattr(present.dt, "tz", None) is not None:
        present = present.dt.tz_localize(None)
    with_time = bool(len(present)) and bool((present != present.dt.normalize()).any())
    return pd.Series([_date_text(v, with_time) for v in stamps], index=series.index, dtype=object)


def _whole(value: Any) -> Any:
    """A float with nothing after the point as a whole number (81.0 -> 81), as a count reads."""
    number = _number(value)
    if number is not None and isinstance(value, (float, np.floating)) and math.isfinite(number) \
            and number == int(number):
        return int(number)
    return value


def _blanks(series: pd.Series, whole: bool = True) -> pd.Series:
    """Nothing recorded reads as an empty cell, not "None", "nan" or "NaT"; `whole`: a count held as a float
    (81.0) reads as a whole number (a percentage keeps its point: 24.0)."""
    if pd.api.types.is_bool_dtype(series):
        return series
    missing = series.map(_missing)
    if not missing.any():
        if whole and pd.api.types.is_float_dtype(series) and series.map(lambda v: float(v).is_integer()).all():
            return series.astype("int64")
        return series
    # built as a list: Series.map would infer the type again and bring back NaN and NaT
    return pd.Series([BLANK if gone else (_whole(v) if whole else v) for v, gone in zip(series.astype(object), missing)],
                     index=series.index, dtype=object)


def _words(series: pd.Series, labels: Mapping[str, str]) -> pd.Series:
    return pd.Series([coded.say(v, labels, blank=BLANK) for v in series.astype(object)], index=series.index,
                     dtype=object)


def _config_label(config: Any) -> str | None:
    """The heading a page gave a column in its `column_config` (a text, or a column config with a label)."""
    if isinstance(config, str):
        return config
    if isinstance(config, Mapping):
        label = config.get("label")
        return label if isinstance(label, str) and label else None
    return None


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _with_index(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with a named index as a column (shown, as the grid shows it), row numbers dropped."""
    if not isinstance(table.index, pd.RangeIndex) and any(n is not None for n in table.index.names):
        return table.reset_index()
    return table


def headings_of(table: pd.DataFrame, headings: Mapping[str, str | None] | None = None,
                column_config: Mapping[str, Any] | None = None) -> dict[object, str]:
    """Each kept column -> its heading (a page's own, its column_config label, HEADINGS, or readable)."""
    headings, column_config = headings or {}, column_config or {}
    names = {}
    for column in table.columns:
        base = column[: -len(coded.CODE_SUFFIX)] if isinstance(column, str) \
            and column.endswith(coded.CODE_SUFFIX) else None
        if column in headings:
            if headings[column] is None:
                continue
            names[column] = headings[column]
        elif base is not None and headings.get(base):
            names[column] = f"{headings[base]} (code)"   # the codes beside a column the page named
        else:
            names[column] = _config_label(column_config.get(column)) or heading(column)
    return dict(zip(names, _unique(list(names.values()))))


def readable(table: pd.DataFrame, headings: Mapping[str, str | None] | None = None,
             column_config: Mapping[str, Any] | None = None, words: bool = True) -> pd.DataFrame:
    """`table` as a reader sees it and an analyst downloads it: headings in words, dates as dates, shares as
    percentages, codes in words (`words`), nothing recorded as an empty cell.

    `headings`: a page's own headings (column -> heading; None leaves the column out); `column_config`: the
    page's st.column_config, keyed by the table's columns (its labels are the headings; re-key it with
    `readable_config`).  The index is dropped when it is only row numbers, kept as a column when named."""
    out = _with_index(table.copy())
    names = headings_of(out, headings, column_config)
    out = out[list(names)]
    out.columns = range(len(out.columns))   # positions while formatting: names may repeat or be numbers
    for position, column in enumerate(names):
        series = _dates(out[position])
        if words and isinstance(column, str) and column in VALUE_WORDS:
            series = _words(series, VALUE_WORDS[column])
        if _is_percent_of_one(column) and _fits_one(series):
            series = _as_percent(series, 100)
        elif _is_percent(column) or _is_percent_of_one(column):
            series = _as_percent(series, 1)
        elif _is_days(column):
            series = _whole_days(series)
        elif pd.api.types.is_float_dtype(series):
            series = coded.rounded(series, DIGITS)
        # a percentage keeps its point (32.0 beside 26.2), also in a column a page named itself ("Share, %")
        percent = _is_percent(column) or _is_percent_of_one(column) or "%" in str(column)
        out[position] = _blanks(series, whole=not percent)
    out.columns = list(names.values())
    return out


def _fits_one(series: pd.Series) -> bool:
    """A share from 0 to 1 (a column already in percent is left as it is)."""
    numbers = [n for n in (_number(v) for v in series) if n is not None and math.isfinite(n)]
    return all(-1e-9 <= n <= 1 + 1e-9 for n in numbers)


def readable_config(table: pd.DataFrame, column_config: Mapping[str, Any] | None,
                    headings: Mapping[str, str | None] | None = None) -> dict[str, Any] | None:
    """A page's `column_config` (keyed by `table`'s columns) keyed by the headings `readable` gives them."""
    if not column_config:
        return None
    names = headings_of(_with_index(table), headings, column_config)
    return {names.get(column, column): config for column, config in column_config.items()}
