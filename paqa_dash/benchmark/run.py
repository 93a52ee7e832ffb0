"""Time the store build, the `metrics` command and every page's data queries, each beside a plain
scan of the tables and columns it reads, and report peak memory (issue 7).

How an item is timed, for the default filters and for a one-team filter:
1. cold: its first run in this process (first use of each query text, compiled regexes, ...);
2. a discovery run through `scan.Recorder` (untimed; also the warm-up) that learns what it reads;
3. `runs` timed runs, each followed by a timed plain scan of the same columns, so both see the same
   machine load; the item's median, the scan's median and their ratio are reported.
Every data call opens its own read-only connection, as the app's cache does (`ui/data.py`), so
DuckDB's buffer pool is fresh on each call and only the operating system's file cache is warm; the
`shared` column repeats the median with one connection held open for all calls (DuckDB warm).
A slow item gets fewer runs (at least one) so the whole benchmark stays within minutes; an item whose
cold run exceeds ITEM_BUDGET_S is timed once more (the discovery run) and has no `shared` figure.
"""
from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import duckdb

from ..store import data_date
from ..filters import Filters
from ..settings import Thresholds
from . import build as build_mod
from . import pages, scan

TARGETS = {"build_s": 300.0, "metrics_s": 60.0, "page_warm_s": 1.0, "page_cold_s": 3.0, "app_memory_mb": 4096.0}
ITEM_BUDGET_S = 60.0  # per item and filter: fewer runs for slow items


@dataclass
class Item:
    name: str
    filter: str
    cold_s: float = 0.0
    runs_s: list[float] = field(default_factory=list)
    scan_runs_s: list[float] = field(default_factory=list)
    shared_s: float | None = None
    reads: dict[str, list[str]] = field(default_factory=dict)
    rss_after_mb: float = 0.0  # the process's peak so far: the item that raises it is the one to look at

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)

    @property
    def scan_s(self) -> float:
        return statistics.median(self.scan_runs_s)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "filter": self.filter, "cold_s": round(self.cold_s, 4),
                "median_s": round(self.median_s, 4), "runs_s": [round(r, 4) for r in self.runs_s],
                "scan_s": round(self.scan_s, 4), "ratio": round(self.median_s / max(self.scan_s, 1e-6), 2),
                "shared_s": None if self.shared_s is None else round(self.shared_s, 4),
                "meets_target": meets_target(self.name, self.cold_s, self.median_s),
                "peak_rss_after_mb": self.rss_after_mb, "reads": self.reads}


def meets_target(name: str, cold_s: float, median_s: float) -> bool:
    """The issue's targets (stated for 1,000,000 plans on 2 cores)."""
    if name == "metrics":
        return median_s < TARGETS["metrics_s"]
    return median_s < TARGETS["page_warm_s"] and cold_s < TARGETS["page_cold_s"]


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _scan_once(db: str, threads: int, statements: list[str]) -> float:
    """Open, scan, close: the same connection cost the item pays."""
    t = time.perf_counter()
    con = pages.read_only_opener(db, threads)()
    try:
        scan.run_scan(con, statements)
    finally:
        con.close()
    return time.perf_counter() - t


class _Shared:
    """One connection held open; each call gets a cursor (closing it leaves the database open)."""

    def __init__(self, db: str, threads: int) -> None:
        self.con = pages.read_only_opener(db, threads)()

    def opener(self) -> duckdb.DuckDBPyConnection:
        return self.con.cursor()


def time_item(name: str, label: str, db: str, f: Filters, t: Thresholds, runs: int, threads: int) -> Item:
    def page(session: pages.Session, f: Filters, t: Thresholds) -> None:
        pages.run_page(name, session, f, t)

    fresh = pages.Session(pages.read_only_opener(db, threads))
    item = Item(name, label)
    item.cold_s = _timed(lambda: page(fresh, f, t))
    reads: scan.Reads = {}
    recording = pages.Session(lambda: scan.Recorder(pages.read_only_opener(db, threads)(), reads))
    discovery_s = _timed(lambda: page(recording, f, t))
    item.reads = {k: sorted(v) for k, v in sorted(reads.items())}
    statements = scan.scan_statements(reads)
    _scan_once(db, threads, statements)  # warm-up of the scan
    if item.cold_s > ITEM_BUDGET_S:
        # Minutes per run: the discovery run (a warm run plus an EXPLAIN per statement) is the one
        # timed run, and the one-connection repeat is skipped.
        item.runs_s.append(discovery_s)
        item.scan_runs_s.append(_scan_once(db, threads, statements))
        return item
    n = max(1, min(runs, int(ITEM_BUDGET_S // max(item.cold_s, 1e-3))))
    for _ in range(n):
        item.runs_s.append(_timed(lambda: page(fresh, f, t)))
        item.scan_runs_s.append(_scan_once(db, threads, statements))
    # Only now is a connection held open: while one is, DuckDB shares its database (and warm buffer
    # pool) with every new connection to the same file in this process, which the runs above avoid.
    shared = _Shared(db, threads)
    try:
        warm = pages.Session(shared.opener)
        page(warm, f, t)
        item.shared_s = statistics.median(_timed(lambda: page(warm, f, t)) for _ in range(n))
    finally:
        shared.con.close()
    return item


def _data_date(db: str) -> Any:
    con = pages.read_only_opener(db, 1)()
    try:
        return data_date(con)
    finally:
        con.close()


def store_facts(db: str) -> dict[str, Any]:
    con = duckdb.connect(db, read_only=True)
    try:
        teams = [r[0] for r in con.execute(
            "SELECT team FROM plans WHERE team IS NOT NULL GROUP BY team ORDER BY count(*) DESC, team").fetchall()]
        rows = build_mod.table_rows(con)
    finally:
        con.close()
    return {"teams": teams, "rows": rows, "file_mb": round(Path(db).stat().st_size / 2**20, 1)}


def machine() -> dict[str, Any]:
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            mem = round(int(fh.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(l.split(":", 1)[1].strip() for l in fh if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": mem, "platform": platform.platform(),
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}


def run(plans: int, db: Path | None = None, runs: int = 5, seed: int = 42, threads: int = 2,
        items: list[str] | None = None, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The whole benchmark; returns the JSON-ready result."""
    say = log or (lambda m: print(m, file=sys.stderr, flush=True))
    db = Path(db) if db else build_mod.default_db(plans)
    record = build_mod.recorded_build(db, plans, seed)
    reused = record is not None
    if not reused:
        build_mod.refuse_other_store(db)
        say(f"building a synthetic store of about {plans:,} plans at {db} ...")
        record = build_mod.build_in_child(db, plans, seed)
    say(f"store ready ({'reused' if reused else 'built'} in {record['seconds']:.1f} s); timing queries ...")
    facts = store_facts(str(db))
    build_reads = {t: None for t in facts["rows"]}
    con = duckdb.connect(str(db), read_only=True)
    try:
        build_statements = scan.scan_statements(
            {t: {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                           [t]).fetchall()} for t in build_reads})
    finally:
        con.close()
    _scan_once(str(db), threads, build_statements)
    build_scan = statistics.median(_scan_once(str(db), threads, build_statements) for _ in range(max(1, runs)))

    t = Thresholds()
    team = facts["teams"][0] if facts["teams"] else None
    # The app's default filters: as of the store's data date (ui/state.py), not today.
    as_of = _data_date(str(db))
    filter_sets = [("default", Filters(as_of=as_of))] + (
        [(f"team={team}", Filters(teams=(team,), as_of=as_of))] if team else [])
    results: list[Item] = []
    for name in items or list(pages.ITEMS):
        for label, f in filter_sets:
            item = time_item(name, label, str(db), f, t, runs, threads)
            item.rss_after_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            say(f"  {name:<15} {label:<14} cold {item.cold_s:7.3f}s  median {item.median_s:7.3f}s  "
                f"scan {item.scan_s:7.3f}s")
            results.append(item)
    app_peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return {
        "plans_requested": plans, "seed": seed, "runs": runs, "threads": threads, "db": str(db),
        "machine": machine(), "store": facts,
        "build": {"seconds": round(record["seconds"], 2), "reused": reused,
                  "method": record.get("method", "generator and import loader"),
                  "base_seconds": record.get("base_seconds"), "replicate_seconds": record.get("replicate_seconds"),
                  "phases": record.get("phases", {}),
                  "peak_rss_mb": record.get("peak_rss_mb"), "scan_s": round(build_scan, 4),
                  "ratio": round(record["seconds"] / max(build_scan, 1e-6), 1),
                  "meets_target": record["seconds"] < TARGETS["build_s"]},
        "items": [i.as_json() for i in results],
        "app_peak_rss_mb": app_peak,
        "app_meets_memory_target": app_peak < TARGETS["app_memory_mb"],
        "targets": TARGETS,
    }
