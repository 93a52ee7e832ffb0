"""National benchmarks (DfE "Characteristics of children in need", OGL v3.0) shipped in `data/benchmarks/`.

Why here: a local repeat-plan share means little alone; the overview shows it beside England, a
region, an authority and its statistical neighbours for the matching reporting year, always with
the source named.  Suppressed cells (`c`, `x`, `z`, `low`) are missing, never zero.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..reference.codes import DURATION_BANDS
from ..settings import DATA_DIR

BENCH_DIR: Path = DATA_DIR / "benchmarks"
SOURCE_D3 = "DfE, Characteristics of children in need, table D3, OGL v3.0"
SOURCE_D7 = "DfE, Characteristics of children in need, table D7, OGL v3.0"
SOURCE_SN = "DfE statistical neighbour groupings (April 2021)"
# A published figure DfE does not publish (a number it does not know, such as LA 999; an authority with no region or
# neighbours grouped; a cell DfE suppressed), as a table cell and its CSV say it: in words, as "not recorded" and
# "c" are, never a blank or a dash a reader could take for zero or for data missing.
NOT_PUBLISHED = "not published"


def published_or_said(values: pd.Series) -> pd.Series:
    """A table's column of published figures with each one DfE does not publish read as NOT_PUBLISHED (for the
    table and its CSV only: charts leave such a comparator out, and sums never see the words)."""
    return values.astype(object).where(values.notna(), NOT_PUBLISHED)
# The small-base rule (docs/definitions.md, "Small bases"), written once here.  A share of fewer cases than this
# is drawn beside England but set against no other share in words (England, a region, another authority or group),
# and a title gives it as its count ("1 of 1 written agreement"), not a bare percentage: ONS marks rates worked out
# from fewer than 20 events as unreliable, and a share of 5 plans moves 20 points with one plan.
COMPARE_FROM = 20
# Shares set against each other in one sentence are given to the same number of decimal places, DfE's one: "15.9%
# here, against 15.9% in England", never "16% ... against 15.9%" (the local share rounded, England's not).
COMPARE_DIGITS = 1
NEEDS = f"a comparison needs at least {COMPARE_FROM}"   # why not, in the words every title uses
FEW_FOR_PERCENT = f"too few for a percentage: fewer than {COMPARE_FROM}"   # why a title gives a count


def comparable(base: float | int | None) -> bool:
    """Whether a share of `base` cases (plans started, plans ended, challenges followed up) may be compared in words
    with another share: at least COMPARE_FROM of them.  An unknown base (None, or hidden as a small number) is too
    few: every title, tile and export that compares asks this, so no page compares where another says too few."""
    return base is not None and not pd.isna(base) and base >= COMPARE_FROM


def too_few(noun: str = "plans", other: str | None = "England", where: str = "") -> str:
    """Why a share is not compared, in plain words: "too few plans to compare with England (a comparison needs at
    least 20)"; `other`: what it would be compared with (None: said without); `where`: whose ("Camden")."""
    within = f" in {where}" if where else ""
    with_other = f" with {other}" if other else ""
    return f"too few {noun}{within} to compare{with_other} ({NEEDS})"


@dataclass(frozen=True)
class Benchmark:
    """One comparator's repeat-plan share for one reporting year."""

    label: str
    year: int
    percent: float | None      # CPP_subsequent_percent (0..100); None when suppressed
    starts: float | None
    subsequent: float | None
    source: str = SOURCE_D3


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(object).where(series.astype(object) != "", None), errors="coerce")


@lru_cache(maxsize=1)
def load_d3() -> pd.DataFrame:
    """Table D3 rows: time_period (int), geographic_level, region_name, old_la_code, la_name, starts, subsequent, percent."""
    raw = pd.read_csv(BENCH_DIR / "d3_subsequent_plans.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "time_period": raw["time_period"].astype(int),
        "geographic_level": raw["geographic_level"].astype(object),
        "region_name": raw["region_name"].astype(object),
        "old_la_code": raw["old_la_code"].astype(object),
        "la_name": raw["la_name"].astype(object),
        "starts": _num(raw["CPP_start"]),
        "subsequent": _num(raw["CPP_subsequent"]),
        "percent": _num(raw["CPP_subsequent_percent"]),
    })


@lru_cache(maxsize=1)
def load_neighbours() -> pd.DataFrame:
    return pd.read_csv(BENCH_DIR / "statistical_neighbours_2021.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def la_numbers() -> frozenset[str]:
    """Every DfE LA number the published figures name: D3's authorities (2025 councils such as 942 Cumberland
    included) and the 2021 statistical neighbours'.  A code outside it has no region, no neighbours, no figures."""
    d3 = load_d3()
    return frozenset(d3["old_la_code"].dropna().astype(str)) - {""} | frozenset(load_neighbours()["la_number"])


def years() -> list[int]:
    return list(_years())


@lru_cache(maxsize=1)
def _years() -> tuple[int, ...]:
    return tuple(sorted(load_d3()["time_period"].unique().tolist()))


@lru_cache(maxsize=64)
def d3_at(year: int, level: str) -> pd.DataFrame:
    """Table D3's rows of one published year at one geographic level ("National", "Regional", "Local authority"),
    kept: the Regional view sets each of up to 152 authorities beside its published figures, and filtering the whole
    table four times an authority took about 0.5 s of a national store's first open (6 December 2026).  Shared: a
    caller filters it into a frame of its own, never changes it.  Like `_years` and `_published_counts` it is read
    from `load_d3`'s table once; clear their caches with load_d3's if the table is ever read again."""
    d3 = load_d3()
    return d3[(d3["time_period"] == year) & (d3["geographic_level"] == level)]


def regions() -> list[str]:
    d3 = load_d3()
    return sorted(d3.loc[d3["geographic_level"] == "Regional", "region_name"].unique().tolist())


def authorities() -> list[str]:
    d3 = load_d3()
    return sorted(d3.loc[d3["geographic_level"] == "Local authority", "la_name"].unique().tolist())


def reporting_year(day: date) -> int:
    """The DfE reporting year (ending 31 March) that contains `day`: 2024-04-01..2025-03-31 -> 2025."""
    return day.year + 1 if day.month >= 4 else day.year


def year_label(year: int) -> str:
    """A reporting year as DfE's tables name it: 2025 -> '2024-25' (the year ending 31 March 2025)."""
    return f"{year - 1}-{str(year)[2:]}"


# A reporting year ending this few days after the data date counts as the data's latest year: an Annex A return or
# an extract is taken a few weeks before 31 March (data to 15 March 2021 is the 2020-21 return), and defaulting to
# the year before showed a board a year of two plans while the return's own year went unread.
YEAR_END_GRACE_DAYS = 31


def latest_complete_year(day: date) -> tuple[date, date]:
    """The last reporting year (1 April to 31 March) ending on or before `day`, or at most YEAR_END_GRACE_DAYS after
    it (a return taken in March is that year's): the default period, so a view compares one year with England's
    figure for that same year.  2025-06-30 -> 2024-04-01..2025-03-31; 2025-03-31 and 2025-03-15 -> the same year;
    2025-02-01 -> 2023-04-01..2024-03-31."""
    year = reporting_year(day)
    if (date(year, 3, 31) - day).days > YEAR_END_GRACE_DAYS:
        year -= 1
    return date(year - 1, 4, 1), date(year, 3, 31)


def nearest_year(year: int) -> int:
    """The closest published year, so a 2026 store still gets the latest figures (2025)."""
    available = years()
    return min(available, key=lambda y: (abs(y - year), -y))


def published_year_for(day: date) -> int:
    """The published year to compare a view ending on `day` with: its reporting year, or the nearest published."""
    return nearest_year(reporting_year(day))


def _row_benchmark(rows: pd.DataFrame, label: str, year: int) -> Benchmark:
    if rows.empty:
        return Benchmark(label, year, None, None, None)
    row = rows.iloc[0]
    pct = None if pd.isna(row["percent"]) else float(row["percent"])
    starts = None if pd.isna(row["starts"]) else float(row["starts"])
    subsequent = None if pd.isna(row["subsequent"]) else float(row["subsequent"])
    return Benchmark(label, year, pct, starts, subsequent)


def england_share(year: int) -> Benchmark:
    year = nearest_year(year)
    return _row_benchmark(d3_at(year, "National"), "England", year)


def region_share(region: str, year: int) -> Benchmark:
    year = nearest_year(year)
    rows = d3_at(year, "Regional")
    return _row_benchmark(rows[rows["region_name"] == region], region, year)


def authority_share(la_name: str, year: int) -> Benchmark:
    year = nearest_year(year)
    rows = d3_at(year, "Local authority")
    return _row_benchmark(rows[rows["la_name"] == la_name], la_name, year)


def statistical_neighbours(la_name: str) -> list[str]:
    """Names of the ten statistical neighbours of an authority (empty when unknown)."""
    sn = load_neighbours()
    row = sn[sn["la_name"] == la_name]
    if row.empty:
        return []
    codes = [row.iloc[0][f"sn{i}"] for i in range(1, 11)]
    names = dict(zip(sn["la_number"], sn["la_name"]))
    d3 = load_d3()
    d3_names = dict(zip(d3["old_la_code"], d3["la_name"]))
    return [d3_names.get(c) or names.get(c) for c in codes if (d3_names.get(c) or names.get(c))]


def neighbours_share(la_name: str, year: int) -> Benchmark:
    """Pooled share of the neighbours: sum(subsequent) / sum(starts) over those not suppressed."""
    sn = load_neighbours()
    row = sn[sn["la_name"] == la_name]
    codes = [row.iloc[0][f"sn{i}"] for i in range(1, 11)] if not row.empty else []
    return pooled_share(codes, f"Statistical neighbours of {la_name}", year)


def pooled_share(codes: list[str], label: str, year: int) -> Benchmark:
    """Sum of subsequent plans over sum of starts of the authorities `codes` (LA numbers) whose figures are
    published for `year` (the nearest published): the statistical neighbours' figure."""
    year = nearest_year(year)
    published = _published_counts(year)
    counts = [published[code] for code in dict.fromkeys(codes) if code in published]
    source = f"{SOURCE_D3}; {SOURCE_SN}"
    starts, subsequent = sum(c[0] for c in counts), sum(c[1] for c in counts)
    if not counts or starts == 0:
        return Benchmark(label, year, None, None, None, source)
    return Benchmark(label, year, round(100 * subsequent / starts, 1), float(starts), float(subsequent), source)


@lru_cache(maxsize=16)
def _published_counts(year: int) -> dict[str, tuple[float, float]]:
    """{LA number: (starts, subsequent plans)} of the authorities D3 publishes both for in `year`: what pooled_share
    adds up, read once a year rather than filtered from the table for each of a national store's authorities."""
    las = d3_at(year, "Local authority").dropna(subset=["starts", "subsequent"])
    sums = las.groupby("old_la_code")[["starts", "subsequent"]].sum()
    return {str(code): (float(starts), float(subsequent))
            for code, starts, subsequent in zip(sums.index, sums["starts"], sums["subsequent"])}


def comparators(year: int, region: str | None = None, authority: str | None = None) -> pd.DataFrame:
    """England, then the chosen region, authority and its statistical neighbours.

    Columns: label, year, percent (0..100, NaN when suppressed), starts, subsequent, source.
    """
    items = [england_share(year)]
    if region:
        items.append(region_share(region, year))
    if authority:
        items.append(authority_share(authority, year))
        items.append(neighbours_share(authority, year))
    return pd.DataFrame([b.__dict__ for b in items], columns=["label", "year", "percent", "starts", "subsequent", "source"])


def duration_shares(year: int = 2025) -> pd.DataFrame:
    """England's ended plans by DfE duration band (table D7): band, share (0..1), year, source."""
    d7 = pd.read_csv(BENCH_DIR / "d7_ended_duration_england.csv")
    available = sorted(d7["time_period"].unique())
    pick = min(available, key=lambda y: (abs(y - year), -y))
    rows = d7[d7["time_period"] == pick].set_index("band").reindex(list(DURATION_BANDS))
    return pd.DataFrame({
        "band": list(DURATION_BANDS),
        "share": (rows["share_percent"].to_numpy() / 100.0),
        "year": int(pick),
        "source": SOURCE_D7,
    })
