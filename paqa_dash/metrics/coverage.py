"""Which kinds of record the plans of a filter hold, and so which measures the store can answer
(queries/metrics/coverage.sql; the kinds and each measure's needs: paqa_dash/reference/recorded.py).

Why: a measure over data the source never supplied reads as a finding (every first core group late,
no household ever changed).  Every caller -- `metrics --json`, the pages, the audit sample and pack --
asks `coverage` which measures are not recorded and says so, rather than showing a zero or a rate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import duckdb
import pandas as pd

from ..filters import Filters
from ..reference.recorded import DATA_KINDS, MEASURE_NEEDS, SIGN_MEASURES, reason, signs_not_checked
from ..settings import DEFAULTS, Thresholds
from .sqlrun import run


@dataclass(frozen=True)
class Coverage:
    """What the plans of one filter hold.

    `by_year_team`: year (of plan start), team, plans, and per kind the plans that hold it (plans started
    or ended in the filter).  `store`: the same counts over the whole store, for a filter with no plans."""

    by_year_team: pd.DataFrame
    store: dict[str, int]
    # by_year_team's counts summed (plans and each kind), when the caller summed them already (`by_authority`)
    totals: dict[str, int] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def _totals(self) -> dict[str, int]:
        """The frame's counts summed once: a page asks `recorded` of several measures, and the Regional view of each
        of 152 authorities (summing each authority's frame at every question was a tenth of that view's time)."""
        if self.totals is not None:
            return self.totals
        return _summed(self.by_year_team)

    @property
    def plans(self) -> int:
        """The plans started or ended in the filter: 0 when it matched none (the kinds are then the store's, so a
        page can still say what the store never records, and says for the rest that no plan matches)."""
        return self._totals.get("plans", 0)

    def _held(self, kind: str) -> int:
        if self.plans == 0:
            return self.store.get(kind, 0)
        return self._totals[kind]

    def absent(self, measure: str) -> tuple[str, ...]:
        """The kinds `measure` needs that no plan of the filter holds (empty: the measure can be shown)."""
        return tuple(k for k in MEASURE_NEEDS.get(measure, ()) if self._held(k) == 0)

    def recorded(self, measure: str) -> bool:
        return not self.absent(measure)

    def not_recorded(self, *measures: str) -> dict[str, str]:
        """{measure: why} for each of `measures` (default: every declared one) the data cannot answer."""
        return {m: reason(self.absent(m)) for m in (measures or tuple(MEASURE_NEEDS)) if self.absent(m)}

    def unchecked_signs(self) -> dict[str, tuple[str, ...]]:
        """{warning sign code: the kinds it lacks} for each sign at an ending the data cannot show
        (reference/recorded.py SIGN_MEASURES); empty when every sign can be checked."""
        return {code: self.absent(m) for code, m in SIGN_MEASURES.items() if m and self.absent(m)}

    def signs_note(self) -> str:
        """The signs not checked, in words (recorded.signs_not_checked); "" when every sign is checked."""
        return signs_not_checked(self.unchecked_signs())

    def partial(self, measure: str) -> str | None:
        """Where the measure's data covers only some start years or teams of the filter, in words for a
        caption ("core group meetings are recorded for plans started in 2021-2023 only"); None when it
        covers every year and team with plans, or none of them."""
        frame = self.by_year_team
        if frame.empty or not self.recorded(measure):
            return None
        notes = []
        for kind in MEASURE_NEEDS.get(measure, ()):
            what = DATA_KINDS[kind].what
            years = frame.groupby("year")[[kind, "plans"]].sum()
            with_data = [int(y) for y in years.index[years[kind] > 0]]
            if len(with_data) < len(years):
                notes.append(f"{what} are recorded for plans started in {_span(with_data)} only")
                continue
            teams = frame.assign(team=frame["team"].fillna("no team")).groupby("team")[[kind, "plans"]].sum()
            lacking = [str(t) for t in teams.index[teams[kind] == 0]]
            if lacking:
                notes.append(f"{what} are not recorded for the plans of {', '.join(lacking)}")
        text = "; ".join(notes)
        return (text[0].upper() + text[1:] + ".") if notes else None


def _span(years: list[int]) -> str:
    """[2019, 2020, 2021, 2023] -> '2019-2021 and 2023'."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    words = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
             thresholds: Thresholds = DEFAULTS) -> Coverage:
    """What the plans started or ended in `filters` hold, by start year and team (see `Coverage`)."""
    frame, store_counts = _counts(con, filters, thresholds)
    return Coverage(_by_year_team(frame.drop(columns="authority")), store_counts)


def by_authority(con: duckdb.DuckDBPyConnection, codes: Sequence[str | None], filters: Filters = Filters(),
                 thresholds: Thresholds = DEFAULTS) -> dict[str | None, Coverage]:
    """`coverage` of each authority of `codes` (None: the whole filter, for a store whose children carry none), from
    one query: what `coverage` gives with the filter narrowed to that authority.  Why: the Regional view asked once
    per authority, and each question reads every plan of the store (152 authorities: minutes; docs/benchmark_history.md)."""
    frame, store_counts = _counts(con, filters, thresholds)
    # one row per authority, year and team, in year and team order: an authority's rows are its frame as they are
    body = frame.drop(columns="authority")
    grouped = frame.groupby("authority", sort=False)
    parts = {code: body.take(rows).reset_index(drop=True) for code, rows in grouped.indices.items()}
    # each authority's counts summed in one pass, not frame by frame (Coverage.totals)
    sums = grouped[[c for c in _COUNTED if c in frame]].sum()
    totals = {code: {c: int(v) for c, v in row.items()} for code, row in zip(sums.index, sums.to_dict("records"))}
    empty = body.iloc[0:0]
    return {code: Coverage(_by_year_team(body), store_counts) if code is None
            else Coverage(parts.get(code, empty), store_counts, totals.get(code, {}))
            for code in codes}


_COUNTED = ("plans", *DATA_KINDS)   # the count columns of coverage_by_year_team


def _summed(frame: pd.DataFrame) -> dict[str, int]:
    """plans and each kind's count over `frame`'s rows ({} for no rows: no plan matched)."""
    if frame.empty:
        return {}
    return {c: int(v) for c, v in frame[[c for c in _COUNTED if c in frame]].sum().items()}


def _counts(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> tuple[pd.DataFrame, dict[str, int]]:
    """The filter's plans by authority, start year and team with their kinds; the whole store's counts."""
    frame = run(con, "coverage_by_year_team", filters, thresholds)
    for col in _COUNTED:
        frame[col] = frame[col].astype("int64")
    # through the resolver too: the stored plan data (derived_plan_data) when current, not every attendance row
    # joined to its event again
    store_row = run(con, "coverage_store", filters, thresholds).iloc[0]
    return frame, {k: int(v) for k, v in store_row.items()}


def _by_year_team(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`'s rows summed over authorities, by start year and team (no team kept as its own row), in that order."""
    if frame.empty:
        return frame.reset_index(drop=True)
    summed = frame.groupby(["year", "team"], dropna=False, sort=True).sum().reset_index()
    # the types the query gave (a team column of no team at all is text, not the float a grouping makes of it)
    return summed.astype({"year": frame["year"].dtype, "team": frame["team"].dtype,
                          **{c: "int64" for c in ("plans", *DATA_KINDS)}})
