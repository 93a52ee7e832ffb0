"""Spread a synthetic benchmark store's children over N authorities, as a regional store holds them (issue 15).

Why: the settings grid (`benchmark/settings_grid.py`) times every page for one authority of many, and the
Regional view compares them, only on a store of several authorities; the stores `bench` builds name none (the
generator's `demo --authorities` spreads over one region's authorities, at most a dozen or so, and `bench` copies a
100,000-plan store).  The million-plan figures of docs/benchmark.md were taken on `bench`'s store spread over
152 authorities this way.

Each child takes one of the first N LA numbers of the statistical neighbours table (`import_run.authorities`, the
same the census import benchmark writes) by a hash of its id (queries/benchmark/authorities.sql), and the plan
sequence is written again, as an import would: the pages read a plan's authority from it (the `started` CTE), and
no other stored or derived table holds the authority, so none else changes (the derived tables join `started` for
it).  One transaction: the store is never seen half spread.  Only a synthetic store: a real one's authorities come
from its returns.

    python -m paqa_dash.benchmark.authorities --db .bench/bench_1000000.duckdb --count 152
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from .. import sql, store
from ..derive import registry
from .import_run import authorities


def spread(db: Path | str, count: int) -> dict[str, Any]:
    """Give the children of the synthetic store `db` one of `count` authorities each and write the plan sequence
    again; returns the authorities the plans now fall in, the fewest and most plans of one, and the seconds taken."""
    if count < 2:
        raise ValueError("at least 2 authorities (a store of one names none)")
    codes = authorities(count)   # (ValueError beyond the table's authorities)
    if not Path(db).exists():   # (connecting would make an empty store)
        raise FileNotFoundError(f"no store at {db}")
    start = time.perf_counter()
    con = store.connect(db)
    try:
        if not store.is_synthetic(con):
            raise ValueError(f"{db} is not a synthetic store: its authorities are its returns'")
        with store.transaction(con):
            sql.execute(con, "authorities_spread", codes=codes)
            registry.refresh(con, registry.Change(reviews="keep"), only=("plan_sequence",))
        con.execute("CHECKPOINT")
        counted = sql.query(con, "authorities_counted").iloc[0]
    finally:
        con.close()
    return {"authorities": int(counted["authorities"]), "fewest_plans": int(counted["fewest_plans"]),
            "most_plans": int(counted["most_plans"]), "seconds": round(time.perf_counter() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="spread a synthetic store's children over N authorities "
                                            "(docs/benchmark.md, How to reproduce)")
    p.add_argument("--db", required=True, help="the synthetic store to change (e.g. .bench/bench_1000000.duckdb)")
    p.add_argument("--count", type=int, required=True, metavar="N",
                   help="how many authorities (152: every authority of England, as the figures were taken)")
    a = p.parse_args(argv)
    try:
        done = spread(a.db, a.count)
    except (ValueError, FileNotFoundError) as e:
        print(f"authorities refused: {e}", file=sys.stderr)
        return 2
    print(f"{a.db}: {done['authorities']} authorities, {done['fewest_plans']:,} to {done['most_plans']:,} plans each "
          f"({done['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
