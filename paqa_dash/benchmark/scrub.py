"""`python -m paqa_dash.benchmark.scrub [--budget SECONDS]`: free-text scrubbing on hostile input.

Each case (a 1 MB word of one repeated unit, a 10 MB field of ordinary words and identifiers) runs in a
subprocess killed at the budget, so a pattern that went quadratic shows as TIMEOUT instead of hanging.
The timing target lives here, not in the tests (tests/ingest/test_scrub.py checks the structure).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time

UNITS = ("a", "a.", "1", "a@", "0 ", "A1-", "x@y.", "12 ", "Sarah ", "+44", "(0", "1/", "Flat 1 ", "12 a ", "Mum ")
FIELD = "Mum Sarah Jones on 07700 900123, 12 acacia avenue LS1 4AB; the social worker will visit weekly. "
CASES = {**{f"1 MB word of {u!r}": f"{u!r} * (1_000_000 // {len(u)})" for u in UNITS},
         "10 MB field": f"{FIELD!r} * (10_000_000 // {len(FIELD)})"}


def run(budget: float) -> list[tuple[str, str]]:
    results = []
    for name, expr in CASES.items():
        code = f"from paqa_dash.ingest.scrub import scrub; scrub({expr})"
        start = time.perf_counter()
        try:
            subprocess.run([sys.executable, "-c", code], check=True, timeout=budget, capture_output=True)
            results.append((name, f"{time.perf_counter() - start:.1f} s"))
        except subprocess.TimeoutExpired:
            results.append((name, f"TIMEOUT (> {budget:g} s)"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=30.0, help="seconds allowed per case (default 30)")
    args = parser.parse_args()
    results = run(args.budget)
    for name, outcome in results:
        print(f"{name:32} {outcome}")
    return 1 if any(o.startswith("TIMEOUT") for _, o in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
