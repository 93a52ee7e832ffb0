"""merges.Filler against the rule it keeps, worked out the plain way: every row given, every range asked (the
Filler keeps only the ranges over the rows it is at, so that thousands of ranges cost no more per row)."""
from __future__ import annotations

import random

from paqa_dash.ingest import merges


def _plain(ranges: list[merges.Merged], rows: list[tuple[int, tuple]]) -> tuple[list[tuple], list[merges.Merged]]:
    """Each row as the rule fills it, and the ranges that filled a cell, in the order they first did."""
    tops: dict[tuple[merges.Merged, int], object] = {}
    used: list[merges.Merged] = []
    out = []
    for number, row in rows:
        cells = list(row)
        for r in (r for r in ranges if r.bottom > r.top and r.top <= number <= r.bottom):
            for col in range(r.first_col, r.last_col + 1):
                if number == r.top:
                    tops[(r, col)] = cells[col] if col < len(cells) else None
                elif tops.get((r, col)) is not None:
                    cells.extend([None] * (col + 1 - len(cells)))
                    cells[col] = tops[(r, col)]
                    if r not in used:
                        used.append(r)
        out.append(tuple(cells))
    return out, used


def test_the_filler_fills_as_the_plain_rule_over_many_overlapping_ranges_and_skipped_rows():
    rng = random.Random(7)
    for _ in range(40):
        ranges = []
        for _ in range(rng.randint(0, 30)):
            top, first = rng.randint(1, 40), rng.randint(0, 4)
            ranges.append(merges.Merged(first, first + rng.randint(0, 2), top, top + rng.randint(0, 6)))
        numbers = sorted(rng.sample(range(1, 50), 30))   # rows left out, as blank rows are, the range tops among them
        rows = [(n, tuple(rng.choice([None, f"v{n}.{c}"]) for c in range(rng.randint(2, 6)))) for n in numbers]
        filler = merges.Filler(ranges)
        assert [filler(n, row) for n, row in rows] == _plain(ranges, rows)[0]
        assert filler.used == _plain(ranges, rows)[1]
