"""Codes said in words for every table and CSV the app offers, with the codes kept beside them in the CSV.

Why one function: a reader should see "Adult mental health", not `ADULT_MH`, "Not done", not `NOT_DONE`,
"Drug misuse: parent/carer", not `2B`; an analyst joining a download to another system needs the codes.
Each page once did this its own way (the endings page's watch list, a label here, a raw code there); now every
table passes its coded columns and their labels (`reference.codes`) through `in_words`, and the components
show the words on screen and put the words and the codes in the CSV.  Here in the base, beside the labels,
so that figures (hover texts), pages, CSVs and the pack can all use it.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Callable, Iterable, Mapping, Union

import numpy as np
import pandas as pd

# The CSV column holding a column's codes: "agency" -> "agency_code".
CODE_SUFFIX = "_code"
# Several codes in one cell ("3B,4C", "SHORT;OPEN_ACTIONS", a list) come out as words joined by this.
JOIN = "; "

Words = Union[Mapping[str, str], Callable[[str], str]]


def code_column(column: str) -> str:
    return f"{column}{CODE_SUFFIX}"


def say(code: object, words: Words, blank: object = None) -> object:
    """One cell in words: a code, several codes (a list, or text split at "," or ";"), or a blank (kept as it
    is, or `blank` when given).  A code without a label is shown as it is: a new code in the data is never hidden."""
    if isinstance(code, (list, tuple, np.ndarray)):
        parts = [str(c) for c in code]
    elif code is None or (not isinstance(code, str) and pd.isna(code)):
        return code if blank is None else blank
    else:
        text = str(code)
        if not text.strip():
            return code if blank is None else blank
        parts = [p for p in text.replace(";", ",").split(",")]
    lookup = words if callable(words) else (lambda c: words.get(c, c))
    return JOIN.join(str(lookup(p.strip())) for p in parts if p.strip())


def in_words(frame: pd.DataFrame, words: Mapping[str, Words], keep_codes: bool = True) -> pd.DataFrame:
    """`frame` with each column of `words` in words; with `keep_codes`, the codes in a `<column>_code` column
    right after it (for the CSV).  Columns of `words` the frame lacks are ignored."""
    out = frame.copy()
    for column, labels in words.items():
        if column not in out.columns:
            continue
        codes = out[column]
        out[column] = [say(c, labels) for c in codes.astype(object)]
        if keep_codes:
            out.insert(out.columns.get_loc(column) + 1, code_column(column), codes.to_numpy())
    return out


def text_column(values: Iterable[object], index: pd.Index) -> pd.Series:
    """A column of text made from `values` (a list, one per row of `index`), typed as text even with no rows.
    Why: pandas types a column made from an empty list float64, so the frame of an empty filter (an Annex A return,
    a team with nothing in the period) held "text" columns of floats that a table or CSV, or a join, read as nan."""
    return pd.Series(list(values), index=index, dtype="str")


def code_columns(frame: pd.DataFrame, words: Mapping[str, Words]) -> list[str]:
    """The code columns `in_words` added to `frame` (hidden on screen, kept in the CSV)."""
    return [code_column(c) for c in words if code_column(c) in frame.columns]


# A count said with its noun: "1 plan", "2 plans", "1 child", "3 children".  One rule for every page, caption,
# chart title, button, CSV label, the audit pack and the briefing: each once wrote "1 plans" its own way, or
# wrote `'s' if n != 1` again.  Words whose plural English makes by no rule (a verb beside a count too):
PLURALS: dict[str, str] = {"child": "children", "person": "people", "is": "are", "was": "were", "has": "have"}


def plural(noun: str, count: float = 2, many: str | None = None) -> str:
    """`noun` as it goes with `count`: "plan" for 1, "plans" for 0, 2 or 1.5 (`many` where it is not made by rule,
    "reviews, core groups and new concerns"); of several words the last is made plural ("new concern" ->
    "new concerns"): by PLURALS, else "-ies" after a consonant and "y" ("authorities"), "-es" after s, x, ch, sh
    ("matches"), else "s"."""
    if count == 1:
        return noun
    if many is not None:
        return many
    head, _, last = noun.rpartition(" ")
    if last in PLURALS:
        made = PLURALS[last]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        made = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        made = last + "es"
    else:
        made = last + "s"
    return f"{head} {made}" if head else made


# A date in a sentence (a note, a warning, a message): "31 Mar 2023", never "2023-03-31" beside "5 Dec 2026" in
# one message.  Tables and CSVs keep dates as dates (ui/headings.py), which a spreadsheet sorts.
DATE_WORDS = "%-d %b %Y"


def date_text(day: date) -> str:
    """`day` as every message says a date: "31 Mar 2023" (`DATE_WORDS`); a date given as text ("2023-03-31",
    a census return's reference date) is read first."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return format(day, DATE_WORDS)


DAYS_PER_MONTH = 30.4375   # an average month (365.25 / 12), for a gap in days said in months


# The places a figure shown is worked to before a half is rounded: a share's float carries noise past these (100 *
# 0.145 is 14.499999999999998), which would take a true half down.
_NOISE_DIGITS = 9


def rounded(value: float | pd.Series, digits: int = 0) -> float | pd.Series:
    """A figure as a reader is shown it, to `digits` places, **a half up**: 607.5 days is 608 and 608.5 is 609, 12.5%
    is 13%, 14.45% to one place 14.5%.  The one rounding rule for display (docs/definitions.md, "Rounding"): days
    (`whole_days`), percentages (`percent_points`, figures/style.pct_text) and the cells of tables and CSVs
    (ui/headings.py).  Why one: percentages were rounded half to even (Python's and pandas' round(): 12.5% read
    "12%") while days were rounded half up, so one page's rules differed.  The figure is first taken to
    _NOISE_DIGITS places, so a float's noise does not move a true half.  A column is rounded at once (float, blanks
    kept)."""
    scale = 10.0 ** digits
    if isinstance(value, pd.Series):
        return np.floor((value.astype("float64") * scale).round(_NOISE_DIGITS) + 0.5) / scale
    return math.floor(round(float(value) * scale, _NOISE_DIGITS) + 0.5) / scale


def whole_days(days: float | pd.Series) -> int | pd.Series:
    """A figure of days in whole days, a half day up (`rounded`: a median of an even count can fall on one: 607.5 ->
    608, 608.5 -> 609).  For every chart label, title, tile, table and CSV cell of days, so a chart's "608 days"
    never sits beside its table's "607.5".  A column of numbers is rounded at once (float, its blanks kept), for a
    table of many rows."""
    if isinstance(days, pd.Series):
        return rounded(days)
    return int(rounded(days))


def days_text(days: float) -> str:
    """A figure of days in words, as every page and export says it: "608 days", "1 day" (`whole_days`)."""
    return counted(whole_days(days), "day")


def percent_points(share: float, digits: int = 0) -> float:
    """A share (0..1) in percentage points to `digits` places, the number every percentage a reader is shown prints
    (`figures.style.pct_text`: 0.2256 -> 22.6 to one place).  Why here, once: a change between two shares is the
    change between the two numbers shown, as a change of days is between the whole days shown (`whole_days`);
    worked out from the unrounded shares, 22.6% then and 22.6% now read "-0.0 pts" marked down, and 38.6% then
    and 36.9% now read "-1.6 pts".  Rounded a half up (`rounded`), as days are."""
    return rounded(100 * float(share), digits)


def points_between(before: float, after: float, digits: int = 0) -> float:
    """The change in percentage points from share `before` to share `after` (0..1) as a reader can check it from
    the two percentages shown (`percent_points`): 38.6% then, 36.9% now is -1.7 points."""
    return rounded(percent_points(after, digits) - percent_points(before, digits), digits)


def months_of_days(days: float) -> str:
    """A gap in days in months, as the Overview's tile says it ("11 months"), for the tile and the briefing alike:
    whole months, a half month up, as `whole_days` rounds days (`rounded`)."""
    return counted(whole_days(days / DAYS_PER_MONTH), "month")


def counted(count: float, noun: str, many: str | None = None, shown: str | None = None) -> str:
    """"1 plan", "1,234 plans", "1 child", "2 children": the count (thousands separated), then `noun` in the number
    it takes (`plural`, `many` its plural where not made by rule).  `shown`: the count as the reader sees it ("c"
    for a suppressed count, or the count itself); where it is not the count, the noun is plural, as the hidden
    count may be anything."""
    number = f"{int(count):,}" if float(count).is_integer() else f"{count:,.1f}"
    if shown is not None and shown != number:
        return f"{shown} {plural(noun, 2, many)}"
    return f"{number} {plural(noun, count, many)}"
