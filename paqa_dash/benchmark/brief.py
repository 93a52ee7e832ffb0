"""How long a board briefing takes: a 20-slide PowerPoint deck (and the same briefing as PDF and Excel) of
the demo store, against the target of under 60 seconds (docs/benchmark_history.md, "Briefing export").

`python -m paqa_dash.benchmark.brief [--db STORE | --children 2000] [--runs 3] [--json]`

The briefing is every section (`--preset all`) compared with a snapshot of itself, as a partnership's
quarterly run does, for a strategic lead (small numbers suppressed).  Timed apart: gathering (every query and
figure), drawing the charts (kaleido with the system Chromium, one browser session) and writing each format.
Why not a test: timings depend on the machine and its load; a test would be flaky or meaningless.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .. import store
from ..filters import Filters
from ..report.briefing import build, compare, images, presets
from ..scope import DEFAULT_SUPPRESS_BELOW, STRATEGIC_LEAD, Scope
from ..settings import Thresholds
from ..synth.generate import build_demo


def _slides(content: bytes) -> int:
    from pptx import Presentation
    return len(Presentation(io.BytesIO(content)).slides)


def measure(db: Path, runs: int = 3) -> dict:
    """Median seconds of each step over `runs`, and the deck's slide count."""
    filters = Filters(scope=Scope(role=STRATEGIC_LEAD, suppress_below=DEFAULT_SUPPRESS_BELOW))
    thresholds, sections = Thresholds(), presets.PRESETS["all"]
    times: dict[str, list[float]] = {k: [] for k in ("gather", "draw charts", "pptx", "pdf", "xlsx", "pptx total")}
    slides = 0
    for _ in range(runs):
        con = store.connect(db, read_only=True)
        try:
            first = build.gather(con, filters, thresholds, sections)
            previous = compare.Previous({f.key: f.value for f in first.figures}, "the last run")
            t1 = time.perf_counter()
            briefing = build.gather(con, filters, thresholds, sections, previous=previous)
            t2 = time.perf_counter()
        finally:
            con.close()
        times["gather"].append(t2 - t1)
        images.pngs([c.figure for c in briefing.charts if c.figure is not None])
        times["draw charts"].append(time.perf_counter() - t2)
        for fmt in ("pptx", "pdf", "xlsx"):
            t = time.perf_counter()
            content = build.write(briefing, fmt)
            times[fmt].append(time.perf_counter() - t)
            if fmt == "pptx":
                slides = _slides(content)
        times["pptx total"].append(times["gather"][-1] + times["pptx"][-1])
    return {"slides": slides, "charts": sum(c.figure is not None for c in briefing.charts), "runs": runs,
            "median_seconds": {k: round(statistics.median(v), 2) for k, v in times.items()},
            "target_seconds": 60}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m paqa_dash.benchmark.brief",
                                description="Time a 20-slide briefing (PowerPoint, PDF, Excel) of the demo store.")
    p.add_argument("--db", help="a store to use (default: a demo store built in a temporary folder)")
    p.add_argument("--children", type=int, default=2000, help="children in the demo store built (default: 2000)")
    p.add_argument("--runs", type=int, default=3, help="runs; the median is shown (default: 3)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="paqa_brief_bench_") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "demo.duckdb"
        if not args.db:
            build_demo(db, children=args.children, seed=42)
        result = measure(db, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['slides']} slides, {result['charts']} charts; median of {result['runs']} runs (target: the "
          f"deck in under {result['target_seconds']} s)")
    for step, seconds in result["median_seconds"].items():
        print(f"  {step:<12}{seconds:>8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
