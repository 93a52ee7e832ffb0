"""Every page under the settings users change (issue 15, part 3): the page items of `benchmark/pages.py` timed
for the default settings, another short-plan length, another core-group interval, as of the last quarter end
before the data date and as of two years before that, each with no filter, with one team, and with the period a
user's page opens on (the latest complete reporting year before the as-of date: `ui/state.current_filters`).

Why apart from `bench`: `bench` times the default settings only; a user who moves the as-of date or a threshold
reads other rows (or none) of the derived tables, and this grid is what says whether those are fast too.  A page's
data calls share one read-only connection, as a page run does in the app; the load average is printed with each
figure, since the machine is shared.  "all" (no period: every plan) is the worst case; "year" is what a user sees
first.  The store is held open between page runs, as the app holds it for a few seconds after each
(`ui/keep_warm.py`); `--no-keep-warm` opens it anew for each run, as after the app sat idle.

    python -m paqa_dash.benchmark.settings_grid --db .bench/bench_100000.duckdb [--runs 2] [--items agencies,...]

On a store of several authorities it times each page for one authority too (`authority_timed`); the million-plan
figures of docs/benchmark.md are on `bench`'s store spread over 152 (`python -m paqa_dash.benchmark.authorities`).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from typing import Any

from paqa_dash.benchmark import pages
from paqa_dash.filters import Filters
from paqa_dash.reference import benchmarks
from paqa_dash.settings import Thresholds

# The page items the grid does not time, and why: every other item of `benchmark/pages.py` (the 13 pages that read the
# store under the sidebar's filters and settings) is timed by default, so the 260 figures of docs/benchmark.md come from
# the command as documented (`--items` chooses fewer).
NOT_TIMED = {"metrics": "the CLI command, not a page (`bench` times it)",
             "child_timeline": "one child's record: its cost does not grow with the filter's plans",
             "data_quality": "takes no sidebar filter or setting"}
ITEMS = tuple(name for name in pages.ITEMS if name not in NOT_TIMED)


def last_quarter_end_before(day: date) -> date:
    """The latest 31 Mar / 30 Jun / 30 Sep / 31 Dec strictly before `day`."""
    quarter_start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date.fromordinal(quarter_start.toordinal() - 1)


def settings(data_date: date) -> list[tuple[str, Filters, Thresholds]]:
    """(label, filters, thresholds) for each setting of the grid; no period (every plan, the worst case)."""
    quarter = last_quarter_end_before(data_date)
    two_years = quarter.replace(year=quarter.year - 2)
    t = Thresholds()
    return [("default", Filters(as_of=data_date), t),
            ("short_plan_months=4", Filters(as_of=data_date), t.with_(short_plan_months=4)),
            ("core_group_interval_weeks=8", Filters(as_of=data_date), t.with_(core_group_interval_weeks=8)),
            (f"as_of={quarter}", Filters(as_of=quarter), t),
            (f"as_of={two_years}", Filters(as_of=two_years), t)]


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _cpu(fn: Any) -> tuple[float, float]:
    """(wall, CPU) seconds of one call: the CPU seconds of this process (DuckDB's threads run in it), which a
    shared machine's load inflates far less than the wall time, so runs at different loads can be compared."""
    start = time.process_time()
    wall = _timed(fn)
    return wall, time.process_time() - start


def authority_timed(con: Any) -> str | None:
    """On a store of several authorities, the one whose view the grid times too (the one with most plans), as a
    regional user opens it; None on a store of one authority or none (`benchmark/authorities.py` spreads a
    synthetic store's children over several)."""
    from paqa_dash import sql, store

    if len(store.authority_data_dates(con)) < 2:
        return None
    return str(sql.query(con, "authorities_largest")["authority"].iloc[0])


def grid(db: str, items: tuple[str, ...] = ITEMS, runs: int = 2, threads: int = 2,
         team: str | None = None, keep_warm: bool = True) -> list[dict[str, Any]]:
    """One row per item, setting and filter: the first run's seconds (`cold_s`), median of `runs` (wall, and the
    process's CPU seconds), load average at the end.  `keep_warm`: the store held open between page runs, as the app
    holds it; the first run is then on a warm instance, only its own data unread (without it, a new instance)."""
    con = pages.read_only_opener(db, 1)()
    try:
        from paqa_dash import store

        data_date = store.data_date(con)
        team = team or con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        authority = authority_timed(con)
    finally:
        con.close()
    session = pages.Session(pages.read_only_opener(db, threads))
    # The app keeps the store open for a few seconds after each page run (ui/keep_warm.py), so a page opened soon
    # after another starts on a warm DuckDB instance: held here likewise, as a user going from page to page.  A
    # page's first run after the app sat idle opens a new instance; `bench`'s "median s" times that.
    kept = pages.read_only_opener(db, threads)() if keep_warm else None
    try:
        return _rows(session, data_date, team, items, runs, authority)
    finally:
        if kept is not None:
            kept.close()


def _rows(session: pages.Session, data_date: Any, team: str, items: tuple[str, ...], runs: int,
          authority: str | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for label, f, t in settings(data_date):
        year_from, year_to = benchmarks.latest_complete_year(f.effective_as_of)
        choices = [("all", f), (f"team={team}", f.with_(teams=(team,))),
                   ("year", f.with_(date_from=year_from, date_to=year_to))]
        if authority is not None:
            choices.append((f"authority={authority}", f.with_(authorities=(authority,))))
        for filt, filters in choices:
            for name in items:
                def page(session: pages.Session, filters: Filters, t: Thresholds, name: str = name) -> None:
                    pages.run_page(name, session, filters, t)

                cold = _timed(lambda: page(session, filters, t))
                warm = [_cpu(lambda: page(session, filters, t)) for _ in range(runs)]
                row = {"item": name, "setting": label, "filter": filt, "cold_s": round(cold, 3),
                       "median_s": round(statistics.median(w for w, _ in warm), 3),
                       "cpu_s": round(statistics.median(c for _, c in warm), 3), "load": round(os.getloadavg()[0], 1)}
                print(json.dumps(row), file=sys.stderr, flush=True)
                out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="time every page under other settings (docs/benchmark.md)")
    p.add_argument("--db", required=True)
    p.add_argument("--runs", type=int, default=2,
                   help="warm runs of each page and setting; the median is kept (default: 2)")
    p.add_argument("--items", default=",".join(ITEMS),
                   help="comma-separated page items of benchmark/pages.py (default: the 13 pages that read the store)")
    p.add_argument("--no-keep-warm", action="store_true",
                   help="open the store anew for each page run (the app with PAQA_KEEP_WARM=0, or after it sat idle)")
    a = p.parse_args(argv)
    rows = grid(a.db, tuple(a.items.split(",")), a.runs, keep_warm=not a.no_keep_warm)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
