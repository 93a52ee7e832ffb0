"""The Regional view: each authority of the store side by side on the headline measures (docs/definitions.md,
"Regional view"), and the published figures to set beside each.

Why one table of counts per authority: the page, its CSV and any export compare the same numbers, and a rate
is never shown without the counts it rests on (small-number suppression withholds a rate whose counts are
withheld).  Starts, repeats, gaps and duration bands come grouped by authority from one query each; the core
group and review timeliness and agency attendance are their own measures' blocks grouped by authority (one query
for the authorities read as of one date), so they mean here exactly what they mean on their pages with the filter
narrowed to one authority (tests/metrics/test_regional.py checks it).  A store whose children carry no authority
is one group, the whole store (authority None), compared with England only.

Every query goes through `Filters`, so the user's team scope bounds each authority's figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from .. import store
from ..filters import Filters
from ..reference import authorities as la
from ..reference.codes import DURATION_BANDS
from ..reference.words import rounded
from ..settings import Thresholds
from . import coverage, engagement, sequence, timeliness
from .sqlrun import cached_sequence, remembered, run
from .store_info import authority_codes

WHOLE = "the data"   # the name of the one group of a store whose sources named no authority ("in the data")
# Per authority: count columns (suppressed when small) and the measures they are needed for.
COUNT_COLUMNS = ("plans_started", "repeat_plans_started", "repeat_within_window", "gaps", "plans_ended",
                 *DURATION_BANDS, "cg_first_on_time", "cg_first_due", "cg_first_not_due", "cg_intervals_on_time",
                 "cg_intervals_due", "cg_intervals_not_due", "reviews_first_on_time", "reviews_first_due",
                 "reviews_first_not_due", "reviews_later_on_time", "reviews_later_due", "reviews_later_not_due",
                 "invited", "attended")
# Measures whose data a source may lack (reference/recorded.py MEASURE_NEEDS) -> the columns they fill.
RECORDED_COLUMNS = {"core_groups": ("cg_first_on_time", "cg_first_due", "cg_first_not_due", "cg_intervals_on_time",
                                    "cg_intervals_due", "cg_intervals_not_due"),
                    "reviews": ("reviews_first_on_time", "reviews_first_due", "reviews_first_not_due",
                                "reviews_later_on_time", "reviews_later_due", "reviews_later_not_due"),
                    "agency_attendance": ("invited", "attended")}


def store_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The authorities (DfE LA numbers) the store's children belong to: read once per store version
    (`sqlrun.remembered`; only an import changes them)."""
    return list(remembered(con, "authority_codes", authority_codes))


def unknown_authorities(con: duckdb.DuckDBPyConnection, codes: tuple[str, ...]) -> str | None:
    """A sentence naming the codes the store holds no children of (None when every code is held), for the
    command line: an authority the store lacks would otherwise give a silent page of zeros."""
    held = store_codes(con)
    missing = la.unknown(codes, held)
    if not missing:
        return None
    named = ", ".join(f"{c} ({la.name(c)})" if la.is_known(c) else f"{c} (no authority DfE publishes)" for c in missing)
    holds = ", ".join(la.label(c) for c in held) if held else "no authority (its sources named none)"
    return f"authority {named} is not in this store; it holds {holds}"


def groups(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[str | None]:
    """The authorities to compare: those chosen in the filter, else every one of the store; [None] (the whole
    store as one) when the store's children carry no authority."""
    if filters.authorities:
        return list(filters.authorities)
    return store_codes(con) or [None]


def own_date(filters: Filters, code: str | None, own_dates: tuple[tuple[str, date], ...]) -> Filters:
    """`filters` read as of the authority's own data date where that is earlier than the view's (`by_authority`)."""
    own = dict(own_dates).get(code) if code else None
    return filters.with_(as_of=own) if own is not None and own < filters.effective_as_of else filters


def _narrowed(filters: Filters, code: str | None) -> Filters:
    return filters if code is None else filters.with_(authorities=(code,))


def _grouped(con: duckdb.DuckDBPyConnection, block: str, filters: Filters,
             thresholds: Thresholds) -> dict[object, list[dict[str, Any]]]:
    """The rows of a query grouped by authority, as plain dicts by authority (the whole store's rows are every
    value's).  Why dicts: picking 152 authorities' rows out of a frame one by one was a third of the view's time at
    a million plans (docs/benchmark_history.md)."""
    split: dict[object, list[dict[str, Any]]] = {}
    for row in run(con, block, filters, thresholds).to_dict("records"):
        split.setdefault(row["authority"], []).append(row)
    return split


def by_authority(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                 thresholds: Thresholds = Thresholds(), own_dates: tuple[tuple[str, date], ...] = ()) -> pd.DataFrame:
    """One row per authority compared (`groups`): authority (code or None), name, region, the COUNT_COLUMNS,
    median_gap_days, and for each measure a source may lack (RECORDED_COLUMNS) `<measure>_recorded` (False:
    that authority's data holds none; its counts are then NaN, never zeros).

    `own_dates` ((authority, its data date), ...; given when the user chose no as-of date): an authority whose data
    ends earlier has its timeliness and attendance read as of its own date (`own_date`), where a later one would
    count reviews and meetings missing only from its return as late.  Starts, endings and gaps need no such care:
    nothing is recorded after its date."""
    codes = groups(con, filters)
    rows: list[dict[str, Any]] = []
    with cached_sequence(con, filters, thresholds):
        starts = _grouped(con, "regional_start_counts", filters, thresholds)
        ends = _grouped(con, "regional_end_counts", filters, thresholds)
        recorded = _recorded_rows(con, codes, filters, thresholds, own_dates)
        for code in codes:
            rows.append({"authority": code, "name": la.name(code) if code else WHOLE,
                         "region": la.region_of(code) if code else None,
                         **_start_row(_pick(starts, code)), **_end_row(_pick(ends, code)), **recorded[code]})
    return pd.DataFrame(rows)


def _pick(split: dict[object, list[dict[str, Any]]], code: str | None) -> list[dict[str, Any]]:
    """The rows of one authority, or of every authority when the whole store is one group (code None)."""
    if code is None:
        return [row for some in split.values() for row in some]
    return split.get(code, [])


def _start_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {c: int(sum(r[c] for r in rows))
                           for c in ("plans_started", "repeat_plans_started", "repeat_within_window", "gaps")}
    # an authority whose repeat plans have no dated previous plan (an Annex A return counts earlier plans only):
    # how many came within the window is not known, so no count and no rate, never 0
    known = sequence.known_window(out["repeat_plans_started"], out["gaps"] > 0)
    out["repeat_within_window_recorded"] = known
    if not known:
        out["repeat_within_window"] = None
    gap = [r["median_gap_days"] for r in rows if pd.notna(r["median_gap_days"])]
    # grouped medians cannot be pooled; the whole store is one group of one row (the store holds no authority)
    out["median_gap_days"] = float(gap[0]) if len(gap) == 1 else None
    return out


def _end_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {c: int(sum(r[c] for r in rows)) for c in ("plans_ended", *DURATION_BANDS)}


def _recorded_rows(con: duckdb.DuckDBPyConnection, codes: list[str | None], filters: Filters, thresholds: Thresholds,
                   own_dates: tuple[tuple[str, date], ...]) -> dict[str | None, dict[str, Any]]:
    """Core group and review timeliness and agency attendance of each authority, NaN where not recorded: what the
    measures give with the filter narrowed to that authority, as of its own date (`own_date`).  Asked once for the
    authorities that share an as-of date (most often all of them), grouped by authority in SQL: asked once per
    authority, each question read every plan of the store (152 authorities of a million plans: 3 to 6 minutes)."""
    by_date: dict[date, list[str | None]] = {}
    for code in codes:
        by_date.setdefault(own_date(_narrowed(filters, code), code, own_dates).effective_as_of, []).append(code)
    out: dict[str | None, dict[str, Any]] = {}
    for day, some in by_date.items():
        asked = filters if None in some else filters.with_(authorities=tuple(some))
        if day != asked.effective_as_of:
            asked = asked.with_(as_of=day)
        out.update(_recorded_of(con, some, asked, thresholds))
    return out


def _recorded_of(con: duckdb.DuckDBPyConnection, codes: list[str | None], filters: Filters,
                 thresholds: Thresholds) -> dict[str | None, dict[str, Any]]:
    """`_recorded_rows` for authorities read as of one date (`filters` narrowed to them)."""
    held = coverage.by_authority(con, codes, filters, thresholds)
    out: dict[str | None, dict[str, Any]] = {code: {f"{m}_recorded": held[code].recorded(m) for m in RECORDED_COLUMNS}
                                             for code in codes}
    if any(held[c].recorded("core_groups") for c in codes):
        counts = timeliness.core_group_counts_by_authority(con, codes, filters, thresholds)
        for code in (c for c in codes if held[c].recorded("core_groups")):
            cg = counts[code]
            out[code].update(cg_first_on_time=cg["first_on_time"], cg_first_due=cg["first_on_time"] + cg["first_late"],
                             cg_first_not_due=cg["first_not_due"], cg_intervals_on_time=cg["intervals_on_time"],
                             cg_intervals_due=cg["intervals_on_time"] + cg["intervals_late"],
                             cg_intervals_not_due=cg["intervals_not_due"])
    if any(held[c].recorded("reviews") for c in codes):
        counts = timeliness.review_counts_by_authority(con, codes, filters, thresholds)
        for code in (c for c in codes if held[c].recorded("reviews")):
            rv = counts[code]
            out[code].update(reviews_first_on_time=rv["first_on_time"],
                             reviews_first_due=rv["first_on_time"] + rv["first_late"],
                             reviews_first_not_due=rv["first_not_due"], reviews_later_on_time=rv["later_on_time"],
                             reviews_later_due=rv["later_on_time"] + rv["later_late"],
                             reviews_later_not_due=rv["later_not_due"])
    if any(held[c].recorded("agency_attendance") for c in codes):
        # a row per authority; an authority with no meeting in the filter has none (0 invited)
        sums = {a: (int(i), int(t)) for a, i, t in engagement.attendance_by_authority(con, filters, thresholds)
                [["authority", "invited", "attended"]].itertuples(index=False)}
        for code in (c for c in codes if held[c].recorded("agency_attendance")):
            invited, attended = ((sum(i for i, _ in sums.values()), sum(t for _, t in sums.values())) if code is None
                                 else sums.get(code, (0, 0)))
            out[code].update(invited=invited, attended=attended)
    for row in out.values():
        for columns in RECORDED_COLUMNS.values():
            for column in columns:
                row.setdefault(column, float("nan"))
    return out


@dataclass(frozen=True)
class Measure:
    """A headline rate of the view: numerator over denominator (both columns of `by_authority`); `recorded`:
    the measure of reference/recorded.py whose data it needs, when a source may lack it (or "repeat_within_window":
    whether the authority's repeat plans have a dated previous plan), read from `by_authority`'s
    `<recorded>_recorded` column.  For a deadline's timeliness, `deadline`: its (which, kind) on the Core groups &
    agencies page (figures/agencies.MEASURES) and `not_due`: the column of its deadlines not yet due, the third part
    of that page's table: the view withholds what that table withholds (report/rules.practice_suppressed)."""

    key: str
    label: str
    numerator: str
    denominator: str
    recorded: str | None = None
    not_due: str | None = None
    deadline: tuple[str, str] | None = None


REPEAT = Measure("repeat_rate", "Repeat plans", "repeat_plans_started", "plans_started")
WITHIN = Measure("repeat_within_window", "Repeat within the re-plan window", "repeat_within_window", "plans_started",
                 "repeat_within_window")
# Timeliness and attendance: a source without core groups, reviews or attendance leaves them "not recorded".
PRACTICE = (Measure("cg_first", "First core group on time", "cg_first_on_time", "cg_first_due", "core_groups",
                    "cg_first_not_due", ("core", "first")),
            Measure("cg_intervals", "Later core groups on time", "cg_intervals_on_time", "cg_intervals_due",
                    "core_groups", "cg_intervals_not_due", ("core", "interval")),
            Measure("reviews_first", "First review on time", "reviews_first_on_time", "reviews_first_due", "reviews",
                    "reviews_first_not_due", ("review", "first")),
            Measure("reviews_later", "Later reviews on time", "reviews_later_on_time", "reviews_later_due", "reviews",
                    "reviews_later_not_due", ("review", "later")),
            Measure("attendance", "Agency attendance at core groups", "attended", "invited", "agency_attendance"))


def undated(frame: pd.DataFrame) -> list[str]:
    """The authorities of `by_authority`'s frame whose repeat plans' earlier plans have no dates, so that their
    repeats within the window and median gap are not recorded (sequence.known_window)."""
    return frame.loc[~frame["repeat_within_window_recorded"].astype(bool), "name"].tolist()


def partly_dated(frame: pd.DataFrame) -> list[str]:
    """The authorities of `by_authority`'s frame some, not all, of whose repeat plans have a dated previous plan:
    their repeats within the window count only the dated ones, a floor (sequence.undated_repeats, by authority)."""
    some = frame["repeat_within_window_recorded"].astype(bool) & (frame["gaps"] < frame["repeat_plans_started"])
    return frame.loc[some, "name"].tolist()


def rate_table(frame: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """authority, name, numerator, denominator, percent (0..100; NaN with no denominator or not recorded),
    recorded: one measure of `by_authority`'s frame, one row per authority."""
    recorded = frame[f"{measure.recorded}_recorded"] if measure.recorded else pd.Series(True, index=frame.index)
    num = frame[measure.numerator].astype("float64").where(recorded.astype(bool))
    den = frame[measure.denominator].astype("float64")
    return pd.DataFrame({"authority": frame["authority"], "name": frame["name"], "measure": measure.label,
                         "numerator": num, "denominator": den,
                         "percent": rounded(100 * num / den.where(den > 0), 1), "recorded": recorded.astype(bool)})


def practice_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The timeliness and attendance rates of every authority, one row per authority and measure, with `key` (the
    Measure's) and `not_due` (a deadline's not yet due; NaN for attendance, or where the frame has no such column)."""
    def one(m: Measure) -> pd.DataFrame:
        rates = rate_table(frame, m).assign(key=m.key)
        known = m.not_due is not None and m.not_due in frame
        return rates.assign(not_due=frame[m.not_due].astype("float64") if known else float("nan"))
    return pd.concat([one(m) for m in PRACTICE], ignore_index=True)


def band_table(frame: pd.DataFrame) -> pd.DataFrame:
    """authority, name, band, plans, share (0..1 of the authority's ended plans): the DfE D7 duration bands."""
    rows = [{"authority": r["authority"], "name": r["name"], "band": band, "plans": int(r[band]),
             "share": (r[band] / r["plans_ended"]) if r["plans_ended"] else float("nan")}
            for _, r in frame.iterrows() for band in DURATION_BANDS]
    return pd.DataFrame(rows, columns=["authority", "name", "band", "plans", "share"])


def gap_table(frame: pd.DataFrame) -> pd.DataFrame:
    """authority, name, gaps (repeat plans whose previous plan's end is in the store), median_gap_days."""
    return frame[["authority", "name", "gaps", "median_gap_days"]].astype({"median_gap_days": "float64"})


def published_comparators(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """DfE's published repeat-plan shares beside each authority compared (reference/authorities.py): authority,
    name, comparator ('authority' | 'region' | 'neighbours' | 'england'), label, year, percent (NaN: not
    published), source.  For the whole store as one (no authority recorded) England only."""
    kinds = ("authority", "region", "neighbours", "england")
    rows = []
    for code, name in zip(frame["authority"], frame["name"]):
        shares = la.published_repeat_shares(code, year) if code else [la.benchmarks.england_share(year)]
        found = la.get(code) if code else None
        picked = kinds if found and found.region else (("authority", "neighbours", "england") if code else ("england",))
        for kind, share in zip(picked, shares):
            rows.append({"authority": code, "name": name, "comparator": kind, "label": share.label, "year": share.year,
                         "percent": share.percent if share.percent is not None else float("nan"),
                         "source": share.source})
    return pd.DataFrame(rows, columns=["authority", "name", "comparator", "label", "year", "percent", "source"])


def as_json(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The `metrics --json` key `authorities` (the store's authorities: code, name, region and data_date, its own
    latest record), only when the store holds more than one: a one-authority store's JSON stays as it was."""
    held = store_codes(con)
    if len(held) < 2:
        return {}
    dates = store.authority_data_dates(con)
    return {"authorities": [{"code": c, "name": la.name(c), "region": la.region_of(c),
                             "data_date": dates[c].isoformat() if c in dates else None} for c in held]}
