"""Build (or reuse) the benchmark's synthetic store of about N plans.

The store is built the one way the product builds any store: the seeded generator's extract through
the importers' loader (`synth.generate.build_demo`), so the benchmark times the real import path,
validation, de-identification and duplicate scoring included.  The build runs in a child process
(`python -m paqa_dash.benchmark.build`), so its peak memory is reported apart from the app's.

A store is reused when its meta says it was built for the same plan count and seed; the time its
build took is kept in the store's meta (`bench_build_json`) so a reused store still reports it.

Above REPLICATE_ABOVE plans (unless PAQA_BENCH_DIRECT=1) the store is the REPLICA_BASE-plan store
copied in SQL under fresh pseudonyms until it holds N plans (`replicate`): the import path costs
about linear time and memory in N (docs/benchmark_history.md measures it at 10,000 and 100,000 plans), so
a million plans through it takes far longer than the page queries this benchmark is for.  The
record says which way the store was made (`method`).  The copy fills every table without its primary
key and adds the key afterwards: DuckDB maintains a key's index row by row on insert, which made the
copy of 27M events and 40M attendance rows (and the refresh of 18.7M core group sums) take minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from .. import sql
from ..ingest import validate

DEFAULT_DIR = Path(".bench")
REPLICATE_ABOVE = 200_000
REPLICA_BASE = 100_000
REPLICA_MEMORY = "6GB"
# Identifier columns per stored table: renamed in each copy so copies never meet.
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    **validate.ID_COLUMNS,
    "action_matches": ("action_id", "plan_id", "matches_action_id", "matches_plan_id"),
    "action_reviews": ("action_id", "plan_id"),
    "language_findings": ("action_id",),
    "plan_reviews": ("plan_id",),
    "row_returns": ("row_id",),  # the pseudonymised key of a row from a dated return
}


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table of the store (the data quality page's own count query)."""
    counts = sql.query(con, "data_quality_table_counts")
    return {str(t): int(n) for t, n in zip(counts["table_name"], counts["rows"]) if t not in ("rejects", "warnings")}


def _copied_id(column: str, digits: int) -> str:
    """SQL for copy $copy of a 16-hex id: its first `digits` hex digits plus $copy (mod 16**digits), the rest
    kept.  Why not a hash: no hashing or formatting per value, and it cannot collide: copies of one id
    differ in those digits, and copies of two ids can only meet if the two already share every other
    digit (about 1 in 10**12 for a million-plan store; the primary keys would then refuse the copy)."""
    c = f't."{sql.ident(column)}"'
    return (f"CASE WHEN {c} IS NULL THEN NULL ELSE lpad(format('{{:x}}', (('0x' || {c}[1:{digits}])::BIGINT + $copy)"
            f" % {16 ** digits}), {digits}, '0') || {c}[{digits + 1}:] END")


def _copy_statement(table: str, cols: list[str], ids: tuple[str, ...], digits: int) -> str:
    """INSERT copy $copy of every row of `base`.`table` (copy 0 = the rows as they are).  Names come from the
    store's own schema and are checked; the copy number is a parameter."""
    t = sql.ident(table)
    names = [f'"{sql.ident(c)}"' for c in cols]
    select = ", ".join(_copied_id(c, digits) if c in ids else f"t.{n}" for c, n in zip(cols, names))
    return f"INSERT INTO main.{t} ({', '.join(names)}) SELECT {select} FROM base.{t} t"


def default_db(plans: int) -> Path:
    return DEFAULT_DIR / f"bench_{plans}.duckdb"


def recorded_build(db: Path, plans: int, seed: int) -> dict[str, Any] | None:
    """The build record of a store built for (plans, seed), or None when it must be (re)built."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'bench_build_json'").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if not row:
        return None
    record = json.loads(row[0])
    same = record.get("plans") == plans and record.get("seed") == seed and record.get("schema") == schema_digest()
    return record if same else None


def refuse_other_store(db: Path) -> None:
    """Raise FileExistsError when `db` is a file `bench` did not build (no `bench_build_json` in its meta): building
    replaces the file, and `--db` pointed at an authority's store (data/paqa.duckdb) or the demo would delete it."""
    if not db.exists():
        return
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as e:
        raise FileExistsError(f"{db} is not a store bench can open ({e}); choose another file with --db") from e
    from .. import store

    try:
        built = store.get_meta(con, "bench_build_json")
    except duckdb.Error:   # (no meta table: not a store of this product)
        built = None
    finally:
        con.close()
    if built is None:
        raise FileExistsError(f"{db} was not built by bench: building would replace it; choose another file with "
                              "--db, or remove it")


def schema_digest() -> str:
    """A store built with another schema, or with derived tables of another definition (which pages
    would ignore, timing the inline fallback instead), is rebuilt, not reused."""
    import hashlib

    from ..derive import registry

    text = sql.text("schema") + registry.definitions()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def build(db: Path, plans: int, seed: int) -> dict[str, Any]:
    """Build the store in this process; return seconds per phase and rows per table.

    DuckDB uses one thread per core (2 on the reference machine), its default."""
    from .. import store
    from ..synth.generate import build_demo, children_for_plans

    os.environ.setdefault("PAQA_PSEUDO_KEY", "paqa-bench-synthetic")  # synthetic data: a fixed key is fine
    db = Path(db)
    if db.exists():
        db.unlink()
    marks: list[tuple[float, str]] = []
    start = time.perf_counter()

    def progress(fraction: float, message: str) -> None:
        marks.append((time.perf_counter() - start, message))
        print(f"{time.perf_counter() - start:8.1f}s {fraction:4.0%} {message}", file=sys.stderr, flush=True)

    build_demo(db, children=children_for_plans(plans), seed=seed, progress=progress)
    seconds = time.perf_counter() - start
    con = store.connect(db)
    try:
        rows = table_rows(con)
        record = {"plans": plans, "seed": seed, "schema": schema_digest(), "method": "generator and import loader",
                  "seconds": seconds, "phases": _phases(marks, seconds),
                  "rows": rows, "peak_rss_mb": _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}
        store.set_meta(con, "bench_build_json", json.dumps(record))
    finally:
        con.close()
    return record


# Tables the importer writes besides the copied ones: copied once as they are.  Every other table of the base
# store is derived from the rest (plan_sequence, core_group_attendance, ...) and is refreshed after the copy.
BOOKKEEPING = ("meta", "import_runs", "census_returns", "rejects", "warnings")


def replicate(base_db: Path, db: Path, copies: int) -> dict[str, float]:
    """A new store at `db` holding the base store's rows `copies` times over (copy 0 as they are), each
    copy's identifiers changed by `_copied_id`; seconds per step.

    Every table is created from the base store's own CREATE statement without its primary key, filled,
    and only then given the key back (`ALTER TABLE ... ADD PRIMARY KEY`, one pass per table), so the
    copy's schema, constraints and indexes are the base store's.  The derived tables are refreshed for
    the copied rows before their keys are added, for the same reason."""
    from .. import store

    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    digits = max(1, len(f"{max(copies - 1, 1):x}"))
    # A primary key's index is built in memory: 40 million attendance keys peak at 9.7 GB with DuckDB's
    # default limit (80% of RAM) and 7.6 GB under this one (3 GB fails); the build then spills its sorts.
    con = duckdb.connect(str(db), config={"memory_limit": REPLICA_MEMORY})
    took: dict[str, float] = {}
    try:
        con.execute("ATTACH ? AS base (READ_ONLY)", [str(base_db)])
        tables = con.execute("SELECT table_name, sql FROM duckdb_tables() WHERE database_name = 'base' "
                             "ORDER BY table_oid").fetchall()
        keys = {t: list(c) for t, c in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE database_name = 'base' AND constraint_type = 'PRIMARY KEY'").fetchall()}
        for table, ddl in tables:
            t = time.perf_counter()
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'base' AND table_name = ? "
                "ORDER BY column_index", [table]).fetchall()]
            con.execute(sql.without_primary_key(ddl))
            ids = ID_COLUMNS.get(table, ())
            con.execute(_copy_statement(table, cols, (), digits))
            for copy in range(1, copies if ids else 1):
                con.execute(_copy_statement(table, cols, ids, digits), {"copy": copy})
            took[f"replicate {table}"] = round(time.perf_counter() - t, 3)
        con.execute("DETACH base")
        copied = [t for t in keys if t in ID_COLUMNS or t in BOOKKEEPING]
        took.update(_add_primary_keys(con, {t: keys[t] for t in copied}))
        t = time.perf_counter()
        # What an import derives is worked out again for the copied store, as an import would (copied
        # derived rows carry the base's records); the matches and reviews were copied with their actions.
        from ..derive import registry

        with store.transaction(con):
            registry.refresh(con, registry.Change(reviews="keep"))
        took["refresh stored sequence, attendance and derived tables"] = round(time.perf_counter() - t, 3)
        took.update(_add_primary_keys(con, {t: k for t, k in keys.items() if t not in copied}))
        store.apply_schema(con)  # tables the running schema has and the base store lacked
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return took


def _add_primary_keys(con: duckdb.DuckDBPyConnection, keys: dict[str, list[str]]) -> dict[str, float]:
    """Give each table its primary key back (one bulk index build each); seconds per table."""
    took: dict[str, float] = {}
    for table, key in keys.items():
        t = time.perf_counter()
        con.execute(sql.add_primary_key(table, key))
        con.execute("CHECKPOINT")  # the index goes to disk before the next one is built
        took[f"primary key {table}"] = round(time.perf_counter() - t, 3)
    return took


def build_replicated(db: Path, plans: int, seed: int) -> dict[str, Any]:
    """The REPLICA_BASE-plan store (built or reused), copied until it holds about `plans` plans."""
    copies = max(1, round(plans / REPLICA_BASE))
    base = db.with_name(f"bench_{REPLICA_BASE}.duckdb")
    base_record = recorded_build(base, REPLICA_BASE, seed) or build_in_child(base, REPLICA_BASE, seed)
    start = time.perf_counter()
    phases = replicate(base, db, copies)
    seconds = time.perf_counter() - start
    from .. import store

    con = store.connect(db)
    try:
        rows = table_rows(con)
        record = {"plans": plans, "seed": seed, "schema": schema_digest(),
                  "method": f"replicated x{copies} from {REPLICA_BASE:,} plans (SQL copy, keys added after)",
                  "seconds": base_record["seconds"] + seconds, "replicate_seconds": round(seconds, 2),
                  "base_seconds": base_record["seconds"], "phases": {**base_record.get("phases", {}), **phases},
                  "rows": rows, "peak_rss_mb": max(base_record.get("peak_rss_mb") or 0,
                                                   _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))}
        store.set_meta(con, "bench_build_json", json.dumps(record))
    finally:
        con.close()
    return record


def _phases(marks: list[tuple[float, str]], total: float) -> dict[str, float]:
    """Seconds between progress messages, summed by the message's first words ("Generating", "Checking", ...)."""
    out: dict[str, float] = {}
    for (t0, msg), (t1, _) in zip(marks, marks[1:] + [(total, "")]):
        phase = msg.split(":")[0].strip() if msg.startswith("Generating") else msg.split(" ")[0]
        out[phase] = round(out.get(phase, 0.0) + (t1 - t0), 3)
    return out


def _rss_mb(maxrss_kb: int) -> float:
    return round(maxrss_kb / 1024, 1)


def build_in_child(db: Path, plans: int, seed: int) -> dict[str, Any]:
    """Run `build` in a child process (its own peak memory); returns its record."""
    cmd = [sys.executable, "-m", "paqa_dash.benchmark.build", "--db", str(db), "--plans", str(plans),
           "--seed", str(seed)]
    root = Path(__file__).resolve().parent.parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"building the benchmark store failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="build a benchmark store (used by `paqa_dash bench`)")
    p.add_argument("--db", required=True)
    p.add_argument("--plans", type=int, required=True)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args(argv)
    direct = a.plans <= REPLICATE_ABOVE or os.environ.get("PAQA_BENCH_DIRECT") == "1"
    record = build(Path(a.db), a.plans, a.seed) if direct else build_replicated(Path(a.db), a.plans, a.seed)
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
