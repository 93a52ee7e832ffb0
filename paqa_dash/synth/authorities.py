"""The synthetic demo spread over several real authorities of one region (`demo --authorities N`, issue 15).

Why real LA numbers of one region: the regional views compare authorities with their published figures and
statistical neighbours (data/benchmarks/statistical_neighbours_2021.csv), so the demo names authorities those
files know.  Why by family: a family lives in one authority, so siblings (and the family's household changes)
never straddle two.  One authority (the default) names none, as the demo always did: its pseudonyms, and so
every golden figure, stay as they were.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..reference.benchmarks import load_neighbours
from .columns import codes


def region_authorities(n: int) -> tuple[str, tuple[str, ...]]:
    """The region with the most authorities (ties: by name) and its first `n` LA numbers, in order.

    ValueError when `n` is below 1 or more than the region holds."""
    table = load_neighbours()
    table = table[table["region"].str.strip() != ""]
    sizes = table.groupby("region")["la_number"].count()
    region = sorted(sizes.index, key=lambda r: (-sizes[r], r))[0]
    numbers = tuple(sorted(table.loc[table["region"] == region, "la_number"]))
    if not 1 <= n <= len(numbers):
        raise ValueError(f"authorities must be between 1 and {len(numbers)} (the {region} region's authorities)")
    return region, numbers[:n]


def spread(children: pd.DataFrame, family: np.ndarray, n: int, seed: int) -> pd.DataFrame:
    """`children` with an `authority` column: each family's children in one of `n` authorities, drawn from
    their own random stream (so the rest of the demo is the same whatever `n`).  `n` = 1: no authority."""
    if n == 1:
        return children
    _, numbers = region_authorities(n)
    rng = np.random.default_rng([seed, 15])
    of_family = rng.integers(0, n, size=int(family.max(initial=0)) + 1)
    return children.assign(authority=codes(numbers, of_family[family]))
