"""`python -m paqa_dash bench [--plans N] [--db FILE] [--runs R] [--json]` (issue 7).

Builds (or reuses) a synthetic store of about N plans and times the build, the `metrics` command and
every page's data queries, with the default filters and a one-team filter, each beside a plain
DuckDB scan of the columns it reads; prints a table (or, with --json, the same figures as JSON).
With --import-files it times instead the real import of CIN census files (`benchmark/import_run.py`).
The work is in `paqa_dash.benchmark`; docs/benchmark.md has this machine's figures.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .benchmark import run as bench_run


def main(args: argparse.Namespace) -> int:
    plans = int(getattr(args, "plans", None) or 1_000_000)
    if getattr(args, "import_files", False):
        from .benchmark import import_run

        record = import_run.run(plans, import_run.DEFAULT_DIR)
        print(json.dumps(record, indent=2) if getattr(args, "json", False) else import_run.describe(record))
        return 0
    runs = int(getattr(args, "runs", None) or 5)
    db = getattr(args, "db", None)
    try:
        result = bench_run.run(plans, Path(db) if db else None, runs=runs)
    except FileExistsError as e:   # --db names a store bench did not build: never replaced
        print(f"bench refused: {e}", file=sys.stderr)
        return 2
    if getattr(args, "json", False):
        print(json.dumps(result, indent=2, default=str))
    else:
        print(format_table(result))
    return 0


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def format_table(result: dict[str, Any]) -> str:
    """The benchmark as a Markdown table (pasted into docs/benchmark.md as it is)."""
    m, s, b = result["machine"], result["store"], result["build"]
    rows = s["rows"]
    lines = [
        f"Store: {rows['plans']:,} plans, {rows['children']:,} children, {rows['events']:,} events, "
        f"{rows['attendance']:,} attendance rows, {rows['actions']:,} actions, {rows['needs']:,} needs, "
        f"{rows['family_changes']:,} household changes, {rows['action_matches']:,} action matches; "
        f"{s['file_mb']:,} MB on disk.",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}, DuckDB {m['duckdb']}; "
        f"load average {', '.join(f'{x:.1f}' for x in m['load_average'] or [])} at the end; "
        f"{result['runs']} runs per item, threads={result['threads']}.",
        "",
        "| item | filter | cold s | median s | plain scan s | ratio | one connection s | target |",
        "|---|---|---:|---:|---:|---:|---:|---|",
        f"| build store ({b['method']}{', reused' if b['reused'] else ''}) | - | - | {b['seconds']:.1f} | "
        f"{b['scan_s']:.3f} | {b['ratio']:,.0f} | - | {_mark(b['meets_target'])} (< 300 s) |",
    ]
    for i in result["items"]:
        target = "< 60 s" if i["name"] == "metrics" else "< 1 s warm, < 3 s cold"
        shared = "-" if i["shared_s"] is None else f"{i['shared_s']:.3f}"
        lines.append(f"| {i['name']} | {i['filter']} | {i['cold_s']:.3f} | {i['median_s']:.3f} | {i['scan_s']:.3f} | "
                     f"{i['ratio']:,.1f} | {shared} | {_mark(i['meets_target'])} ({target}) |"
                     + (" 1 run" if len(i["runs_s"]) == 1 else ""))
    lines += [
        "",
        f"Peak memory: build {b['peak_rss_mb']:,} MB (its own process); queries {result['app_peak_rss_mb']:,} MB "
        f"({_mark(result['app_meets_memory_target'])}, target < 4096 MB).",
        "Build phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in b["phases"].items()),
    ] + ([f"Built as {b['method']}: base store {b['base_seconds']:.1f} s + copies {b['replicate_seconds']:.1f} s "
          "(see docs/benchmark.md for why)."] if b.get("replicate_seconds") is not None else [])
    return "\n".join(lines)
