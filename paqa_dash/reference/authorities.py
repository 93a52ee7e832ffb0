"""Local authorities: DfE LA number -> name, region and statistical neighbours; regions -> their authorities.

Why one place: an authority is named in the store by its three-digit DfE LA number as text ("202" is Camden,
the CIN census header's `LEA`), while the published figures name it by number (table D3's `old_la_code`, the
statistical neighbour groupings' `la_number`) and their regions in two spellings ("London (Inner)" in the
groupings, "Inner London" in D3).  The sidebar's Region choice, `metrics --authority`, the Regional view and
the published comparators all ask here, so a number means the same authority everywhere.

Sources (data/benchmarks/README.md, OGL v3.0): the April 2021 statistical neighbour groupings (every authority,
its region and its ten neighbours, including the "Old SNs" of authorities since reorganised) and table D3 (the
names and regions DfE publishes, including authorities newer than the groupings, which have no neighbours).
Regions are the nine English regions as D3 names them; London's authorities also belong to Inner or Outer
London, which D3 publishes too, so either may be chosen.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import pandas as pd

from . import benchmarks

LONDON = "London"
# The groupings' spelling of a region -> (region, sub-region) as D3 names them.
_GROUPING_REGIONS = {"London (Inner)": (LONDON, "Inner London"), "London (Outer)": (LONDON, "Outer London"),
                     "Yorkshire and the Humber": ("Yorkshire and The Humber", None)}
_D3_SUBREGIONS = {"Inner London", "Outer London"}


@dataclass(frozen=True)
class Authority:
    """One local authority as DfE publishes it."""

    code: str                         # DfE LA number, three digits as text
    name: str                         # D3's name (the latest year naming it), else the groupings'
    region: str | None                # one of the nine English regions (D3 spelling)
    subregion: str | None = None      # "Inner London" / "Outer London" for London's authorities
    neighbours: tuple[str, ...] = ()  # LA numbers of its ten statistical neighbours (2021 groupings)

    def in_region(self, region: str) -> bool:
        return region in (self.region, self.subregion)


def _region_of(spelled: str) -> tuple[str | None, str | None]:
    """(region, sub-region) from either source's spelling of a region."""
    spelled = spelled.strip()
    if not spelled:
        return None, None
    if spelled in _GROUPING_REGIONS:
        return _GROUPING_REGIONS[spelled]
    if spelled in _D3_SUBREGIONS:
        return LONDON, spelled
    return spelled, None


@lru_cache(maxsize=1)
def table() -> dict[str, Authority]:
    """Every authority either source names, by LA number."""
    groupings = benchmarks.load_neighbours()
    groupings = groupings[groupings["la_number"].str.fullmatch(r"\d{3}")]
    d3 = benchmarks.load_d3()
    d3 = d3[d3["geographic_level"] == "Local authority"].sort_values("time_period", ascending=False)
    d3 = d3.drop_duplicates("old_la_code")
    found: dict[str, Authority] = {}
    for row in groupings.itertuples(index=False):
        region, sub = _region_of(row.region)
        neighbours = tuple(str(getattr(row, f"sn{i}")) for i in range(1, 11) if str(getattr(row, f"sn{i}")).strip())
        found[row.la_number] = Authority(row.la_number, row.la_name, region, sub, neighbours)
    for row in d3.itertuples(index=False):
        code = str(row.old_la_code)
        region, sub = _region_of(str(row.region_name))
        known = found.get(code)
        found[code] = Authority(code, str(row.la_name), region, sub, known.neighbours if known else ())
    return dict(sorted(found.items()))


def get(code: str) -> Authority | None:
    return table().get(str(code).strip())


def is_known(code: str) -> bool:
    return get(code) is not None


def name(code: str | None) -> str:
    """The authority's name, "LA 999" for a number DfE does not publish, "Authority not recorded" for none."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return "Authority not recorded"
    found = get(code)
    return found.name if found else f"LA {code}"


NAME_COLUMN = "authority_name"   # a list's column naming each child's authority


def with_names(frame: pd.DataFrame, authority_of: Mapping[str, object], child_col: str = "child_id") -> pd.DataFrame:
    """A list of children with each child's authority by name (`NAME_COLUMN`) after `child_col`; `authority_of`:
    pseudonym -> DfE LA number (metrics.by_key.child_authorities).  For a store of several authorities (a store of
    one names none in its lists); the page's list and the briefing's sheet of it both call this."""
    out = frame.copy()
    out.insert(out.columns.get_loc(child_col) + 1, NAME_COLUMN,
               [name(authority_of.get(str(c))) for c in out[child_col]])   # type: ignore[arg-type]
    return out


def label(code: str | None) -> str:
    """Name and number, as the sidebar offers them: "Camden (202)"."""
    return name(code) if code is None or get(code) is None else f"{name(code)} ({code})"


HERE_NAMED = 3   # up to this many authorities are named (on a bar, beside a team name); more are counted


def here_label(codes: Sequence[str]) -> str:
    """What "this data" is called beside published figures: the authorities it is ("Knowsley (340), this data"),
    so nobody reads a filtered view of one authority as another's; "This data (filtered)" when none is known."""
    named = [c for c in codes if c]
    if not named:
        return "This data (filtered)"
    if len(named) > HERE_NAMED:
        return f"This data ({len(named)} authorities)"
    return ", ".join(label(c) for c in named) + ", this data"


def regions() -> list[str]:
    """The regions an authority can be chosen by: the nine English regions, then Inner and Outer London."""
    main = sorted({a.region for a in table().values() if a.region})
    return main + sorted({a.subregion for a in table().values() if a.subregion})


def region_of(code: str) -> str | None:
    found = get(code)
    return found.region if found else None


def in_region(region: str, codes: Iterable[str] | None = None) -> tuple[str, ...]:
    """The authorities of `region` (a region or Inner/Outer London), among `codes` when given, sorted."""
    pool = table() if codes is None else {c: table().get(c) for c in codes}
    return tuple(sorted(c for c, a in pool.items() if a is not None and a.in_region(region)))


def regions_of(codes: Iterable[str]) -> list[str]:
    """The regions (and London's sub-regions) holding any of `codes`, in `regions()` order."""
    held = {r for c in codes if (a := get(c)) for r in (a.region, a.subregion) if r}
    return [r for r in regions() if r in held]


def neighbours(code: str) -> tuple[str, ...]:
    """LA numbers of the authority's ten statistical neighbours (empty when DfE grouped none for it)."""
    found = get(code)
    return found.neighbours if found else ()


def unknown(codes: Iterable[str], known: Iterable[str] | None = None) -> list[str]:
    """The codes that name no authority (of the published list, or of `known` when given), sorted."""
    pool = set(table()) if known is None else set(known)
    return sorted({str(c) for c in codes} - pool)


def published_repeat_shares(code: str, year: int) -> list[benchmarks.Benchmark]:
    """DfE's published repeat-plan shares (table D3) to set beside an authority's own figure for `year` (the
    nearest published year): the authority itself, its region, its statistical neighbours pooled (subsequent
    plans over starts of those not suppressed) and England.  A comparator DfE does not publish (a number it
    does not know, an authority newer than the groupings, a suppressed cell) has percent None."""
    year = benchmarks.nearest_year(year)
    found = get(code)
    las = benchmarks.d3_at(year, "Local authority")
    own = benchmarks._row_benchmark(las[las["old_la_code"] == str(code)], f"{name(code)} (published)", year)
    region = found.region if found else None
    shares = [own]
    if region:
        shares.append(benchmarks.region_share(region, year))
    shares.append(benchmarks.pooled_share(list(neighbours(code)), f"Statistical neighbours of {name(code)}", year))
    shares.append(benchmarks.england_share(year))
    return shares
