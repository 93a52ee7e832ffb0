"""`python -m paqa_dash import | demo | metrics | pack | bench`.

Each command is a thin wrapper: it parses arguments, calls one package function and prints.
Exit codes: 0 done (rejects included), 2 fatal error (one line on stderr, store unchanged).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .settings import db_path


def _import(args: argparse.Namespace) -> int:
    from .ingest.frames import FatalImportError
    from .pipeline import run_import

    db = db_path(args.db)
    try:
        summary = run_import([Path(p) for p in args.paths], db)
    except FatalImportError as e:
        print(f"import failed: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.to_json(), indent=2, default=str))
        return 0
    if summary.replaced_synthetic:
        print("The store held the synthetic demo: it was replaced by your data.")
    if summary.unchanged:
        print("Nothing new: these files were imported before and the store is unchanged.")
    print(f"{'table':<16}{'read':>9}{'loaded':>9}{'rejected':>10}{'duplicates':>12}")
    for table, c in summary.tables.items():
        if c["read"]:
            print(f"{table:<16}{c['read']:>9}{c['loaded']:>9}{c['rejected']:>10}{c['duplicates']:>12}")
    for r in summary.rejects[:50]:
        where = f"{r.source} row {r.row}" if r.row is not None else r.source
        print(f"rejected: {where}: {r.field or ''}: {r.reason}")
    if len(summary.rejects) > 50:
        print(f"... and {len(summary.rejects) - 50} more rejects (use --json, or the Data quality page)")
    for w in summary.warnings[:20]:
        print(f"warning: {w.source}{f' row {w.row}' if w.row else ''}: {w.reason}")
    print(f"Store: {db}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .synth.generate import build_demo

    db = db_path(args.db)
    try:
        summary = build_demo(db, children=args.children, seed=args.seed,
                             progress=lambda f, m: print(f"{f:4.0%} {m}", file=sys.stderr))
    except FileExistsError:
        print(f"demo refused: {db} holds imported data; choose another file with --db", file=sys.stderr)
        return 2
    loaded = {t: c["loaded"] for t, c in summary.tables.items()}
    print(f"Synthetic demo store built at {db}: " + ", ".join(f"{n} {t}" for t, n in loaded.items()))
    return 0


def _existing_store(args: argparse.Namespace) -> Path | None:
    """The store a reading command works on, or None (after one line on stderr) when there is none."""
    db = db_path(args.db)
    if db.exists():
        return db
    print(f"{args.command} failed: no store at {db} (run `python -m paqa_dash demo` or `import` first)",
          file=sys.stderr)
    return None


def _metrics(args: argparse.Namespace) -> int:
    from . import store
    from .metrics import cli_args, summary
    from .store import with_data_date

    db = _existing_store(args)
    if db is None:
        return 2
    filters, thresholds = cli_args.from_args(args)
    con = store.connect(db, read_only=True)
    try:
        result = summary.compute(con, with_data_date(con, filters), thresholds)
    finally:
        con.close()
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        for k, v in result.items():
            if isinstance(v, list):
                print(f"{k}: {len(v)}")
            else:
                print(f"{k}: {v}")
    return 0


def _pack(args: argparse.Namespace) -> int:
    from . import store
    from .report.pack import build_pack

    db = _existing_store(args)
    if db is None:
        return 2
    con = store.connect(db, read_only=True)
    try:
        html = build_pack(con, args.child)
    except KeyError as e:
        print(f"pack failed: {e.args[0]}", file=sys.stderr)
        return 2
    finally:
        con.close()
    out = Path(args.out or f"audit_pack_{args.child}.html")
    out.write_text(html, encoding="utf-8")
    print(f"Audit pack written to {out}")
    return 0


def _reviews(args: argparse.Namespace) -> int:
    from . import store
    from .derive import registry

    db = _existing_store(args)
    if db is None:
        return 2
    con = store.connect(db)
    try:
        with store.transaction(con):
            n = registry.refresh_reviews(con)[registry.currency.REVIEWS]
    finally:
        con.close()
    print(f"Reviewed {n:,} actions again with the current lexicons ({db})")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import main as bench_main

    return bench_main(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="paqa-dash", description="paqa_dash: repeat child protection plan analytics")
    sub = p.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="import bundle folders/workbooks, CIN census XML, Annex A or SSD extracts")
    imp.add_argument("paths", nargs="+")
    imp.add_argument("--db")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=_import)

    demo = sub.add_parser("demo", help="build the synthetic demo store")
    demo.add_argument("--children", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--db")
    demo.set_defaults(func=_demo)

    met = sub.add_parser("metrics", help="the headline figures (repeat plans, endings, timeliness, engagement, household change)")
    met.add_argument("--db")
    met.add_argument("--json", action="store_true")
    try:
        from .metrics import cli_args
        cli_args.add_arguments(met)
    except ImportError:  # metrics package not installed yet
        pass
    met.set_defaults(func=_metrics)

    pack = sub.add_parser("pack", help="write one child's audit pack (HTML)")
    pack.add_argument("child")
    pack.add_argument("--db")
    pack.add_argument("--out")
    pack.set_defaults(func=_pack)

    rev = sub.add_parser("reviews", help="redo the SMART, language and theme reviews (after editing data/lexicons)")
    rev.add_argument("--db")
    rev.set_defaults(func=_reviews)

    bench = sub.add_parser("bench", help="time every page's queries on a large synthetic store")
    bench.add_argument("--plans", type=int, default=1_000_000)
    bench.add_argument("--db")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--runs", type=int, default=5)
    bench.set_defaults(func=_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))
