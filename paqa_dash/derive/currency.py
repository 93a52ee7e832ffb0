"""Is the data worked out at import still current?  One record format, one snapshot, one check.

Why: the plan sequence, the core group attendance sums, the derived_* tables, the action reviews and
the action matches are all worked out from the store once, so a page on a million plans reads them
instead of recomputing per query.  Reading them is only right when they give exactly what the
inline SQL (or the text rules) would give now.  Each used to keep its own record and its own check;
here every one is an `Entry` with the same record (meta key `derived:<name>`, JSON) and the same
check, run against a `Snapshot` of the store read once per question (two queries), not once per
entry per query.

The record says what the rows were built from:

- `definition`: a digest of the SQL blocks that define them (or, for the reviews, of the lexicons
  and review code): rows written by another definition are never read as current;
- `run` and `rows`: the import run and the row count of each source table; a direct INSERT (as tests
  do) changes a count, a new import changes the run, and either sends readers back to the inline SQL;
- `written`: the rows the entry wrote, where the snapshot counts its table (a direct write to it);
- `as_of`: "after" entries are written as of the far future and read for any as-of on or after the
  latest date they depend on (then the as-of hides nothing); "equal" entries (deadlines still to
  come, plans open up to the as-of date) are written for the store's data date and the
  RECENT_QUARTER_ENDS quarter ends before it (`as_ofs`, one block of rows each, keyed by an `as_of`
  column) and read only for one of those dates: the dates users pick, as the app opens and for the
  quarters a partnership reports on; "quarter_end" entries (per quarter sums) are written as of the far future and
  read for any as-of date that is a quarter end;
- `thresholds`: every threshold the rows depend on must equal the one they were written with;
- `reviews`: rows made from the stored reviews are current only for the same, complete reviews.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date, timedelta
from typing import Any, Callable, Literal

import duckdb
import pandas as pd

from .. import settings, sql, store
from ..reference import tables as reference_tables
from ..settings import Thresholds

FAR_FUTURE = date(9999, 12, 31)
# How many quarter ends before the data date "equal" entries are also written for: a year of quarters (the
# reporting year a partnership looks back on; each authority's own 31 March in a regional store).  Why not more:
# each date is another block of every as-of-bound table, rewritten at every import; with 8 the derived step of a
# 1,000,000-plan store took 573 s against 40 s with none (docs/benchmark_history.md), which an incremental import pays too.
RECENT_QUARTER_ENDS = 4
META_PREFIX = "derived:"
# Source tables whose row counts say whether rows worked out from the whole store still reflect it.
SOURCES = ("children", "plans", "events", "attendance", "family_changes", "needs", "actions", "action_matches")
REVIEW_TABLES = ("action_reviews", "language_findings", "plan_reviews")
REVIEWS = "action_reviews"   # the entry name of the stored reviews
# Temp tables of a refresh child by child (registry.refresh): the children an import changed, and their plans (in
# the store now or in the plan sequence as last written), whose rows a `by_child` entry deletes and writes again.
SCOPE_CHILDREN = "registry_scope_children"
SCOPE_PLANS = "registry_scope_plans"
# The stored reviews for one question (the resolver's `Resolution.reviews`): current and covering every
# action; current but missing some actions (those are reviewed on the fly); or made by other lexicons
# or code (every action is reviewed on the fly).
ReviewState = Literal["complete", "partial", "stale"]


@dataclass(frozen=True)
class Entry:
    """One stored derived thing.

    name:   its record's name (meta `derived:<name>`) and, for a table, the table written;
    write:  writes the rows (con, change) -> rows written; the caller owns the transaction;
    swaps:  query blocks and the blocks that stand for them when the entry is current (the resolver);
    blocks: the SQL blocks that define the rows (their digest is the definition);
    version: instead of `blocks`, the definition as code says it (the reviews' lexicon digest);
    sources: source tables whose row counts the rows reflect; empty: not bound to an import run;
    as_of:  "after" (read on or after `latest`), "equal" (read for the data date only), "any", or "quarter_end" (read
            for any as-of date that is a quarter end: rows kept per quarter);
    latest: the snapshot date an "after" entry must be read on or after;
    earlier: swaps that read an "after" entry's rows as of an earlier date (the registry's resolver uses them when
            the entry is current but for the as-of date);
    thresholds: the `Thresholds` fields the rows depend on;
    reviews: the rows are made from the stored reviews;
    wanted: whether a refresh for this change writes it (the incremental entries skip some changes);
    progress: (fraction, message) shown while an import writes it;
    by_child: its rows are per plan (each with a `plan_id`), and a plan's rows are worked out from its child's
            rows only (and its family's household changes): so when an import changed some children, `write`
            may be given them (the change's `scope`) and rewrite the rows of their plans only (registry.refresh
            says when it may);
    leading: columns its rows are written ordered by before their plan (sql.in_plan_order);
    written_from: blocks of an earlier entry its rows may be written from (registry._table's `written_from`): part of
            its definition, beside `blocks`;
    whole_history: its rows are facts of each child over all the child's plans, so they stand for the inline block
            only for a question that keeps every plan of each child it chooses (`Filters.whole_histories`; the
            resolver reads them for no other).
    """

    name: str
    write: Callable[[duckdb.DuckDBPyConnection, Any], int]
    swaps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    blocks: tuple[str, ...] = ()
    version: Callable[[], str] | None = None
    sources: tuple[str, ...] = SOURCES
    as_of: Literal["after", "equal", "any", "quarter_end"] = "after"
    latest: str = "latest_date"
    thresholds: tuple[str, ...] = ()
    reviews: bool = False
    earlier: dict[str, tuple[str, ...]] = field(default_factory=dict)
    wanted: Callable[[Any], bool] = lambda change: True
    progress: tuple[float, str] | None = None
    by_child: bool = False
    leading: tuple[str, ...] = ()
    table: bool = False   # it writes the table `name`: current only while the store holds that table
    written_from: tuple[str, ...] = ()
    whole_history: bool = False


@dataclass(frozen=True)
class Snapshot:
    """The store as the currency check sees it: read once, then every entry is judged on it."""

    run: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    dates: dict[str, date | None] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    readable: bool = False   # False: an old or partial store (a table is missing); nothing is current
    tables: frozenset[str] | None = None   # the store's tables (None: not read; a table entry is then not checked)


def snapshot(con: duckdb.DuckDBPyConnection) -> Snapshot:
    """Read the store state every currency check needs (two small queries and the data date)."""
    try:
        row = sql.query(con, "currency_store_state").iloc[0]
        records = sql.query(con, "currency_records", prefix=META_PREFIX)
        latest = store.latest_date(con)
        tables = frozenset(sql.query(con, "currency_tables")["table_name"])
    except duckdb.Error:
        return Snapshot()
    counts = {name: int(row[name]) for name in (*SOURCES, "plan_sequence", "core_group_attendance", *REVIEW_TABLES)}
    dates = {"latest_plan_date": store.as_date(row["latest_plan_date"]),
             "latest_meeting": store.as_date(row["latest_meeting"]),
             "latest_date": latest}
    run = row["latest_run"]
    return Snapshot(None if pd.isna(run) else int(run), counts, dates, _parsed(records), True, tables)


def with_records(snap: Snapshot, con: duckdb.DuckDBPyConnection) -> Snapshot:
    """`snap` with the records and tables as they are now (entries written since it was taken), its counts and dates
    kept."""
    return replace(snap, records=_parsed(sql.query(con, "currency_records", prefix=META_PREFIX)),
                   tables=frozenset(sql.query(con, "currency_tables")["table_name"]))


def _parsed(records: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {key[len(META_PREFIX):]: json.loads(value) for key, value in zip(records["key"], records["value"])}


def definition(entry: Entry) -> str:
    """What the entry's rows are defined by: the code's version, or a digest of its SQL blocks, of the reference
    tables they join (the concern groups, the adult factors, the working-day calendar...) and of the fixed values
    (settings.fixed_params) that they or any block they need bind.  Why the tables and values: a block's SQL can stay
    the same while the list it joins or a value it binds changes (an event type moved to another group of concern, a
    plausibility limit), and the rows written with the old one would still be read as current until the next import."""
    if entry.version is not None:
        return entry.version()
    return _digest((*entry.blocks, *entry.written_from))


@lru_cache(maxsize=256)
def _digest(blocks: tuple[str, ...]) -> str:
    text = "\n".join(sql.text(n) for n in blocks)
    return hashlib.sha256((text + reference_tables.digest(text) + _fixed_values(blocks)).encode()).hexdigest()[:16]


def _fixed_values(blocks: tuple[str, ...]) -> str:
    """The fixed values bound by `blocks` and every block they need (`-- needs:`, followed to the end): a derived
    table reads the plausibility limits through the plan sequence's blocks, never naming them in its own, and its rows
    change with them all the same."""
    bound = sql.parameters("\n".join(sql.text(n) for n in sql.expand(blocks)))
    fixed = settings.fixed_params()
    return "".join(f"${name}:{fixed[name]!r}\n" for name in sorted(bound & fixed.keys()))


def reviews_state(snap: Snapshot) -> dict[str, Any]:
    """The stored reviews a table made from them is recorded against: their definition and row counts."""
    return {"version": snap.records.get(REVIEWS, {}).get("definition"),
            "rows": {name: snap.rows.get(name) for name in REVIEW_TABLES}}


def reviews_complete(snap: Snapshot) -> bool:
    """Whether every action has a stored review: an import reviews every action it writes, so equal row
    counts (free to read) mean complete.  The one completeness check of the stored reviews."""
    return snap.rows.get("action_reviews") == snap.rows.get("actions")


def written_as_of(entry: Entry, data_date: date | None) -> date:
    """The as-of date an entry is written for (far future unless it is read for the data date only)."""
    return data_date if entry.as_of == "equal" and data_date is not None else FAR_FUTURE


def quarter_ends_before(day: date, n: int) -> tuple[date, ...]:
    """The `n` quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) strictly before `day`, latest first."""
    out: list[date] = []
    # the first day of day's quarter; the day before it is the latest quarter end before `day`
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    while len(out) < n:
        end = start - timedelta(days=1)
        out.append(end)
        start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return tuple(out)


def is_quarter_end(day: date) -> bool:
    """True for 31 Mar, 30 Jun, 30 Sep and 31 Dec: everything dated by then is in a whole quarter.  (Read off the
    date, not the day after it: the far future, 31 Dec 9999, has none.)"""
    return (day.month, day.day) in ((3, 31), (6, 30), (9, 30), (12, 31))


def written_as_ofs(entry: Entry, data_date: date | None) -> tuple[date, ...]:
    """Every as-of date an entry's rows are written for: its `written_as_of`, and for an "equal" entry also
    the RECENT_QUARTER_ENDS quarter ends before the data date (the dates a user moves the as-of to)."""
    first = written_as_of(entry, data_date)
    if entry.as_of != "equal" or data_date is None:
        return (first,)
    return (first, *(d for d in quarter_ends_before(data_date, RECENT_QUARTER_ENDS) if d != first))


def record(con: duckdb.DuckDBPyConnection, entry: Entry, snap: Snapshot, run_id: int | None, as_of: date,
           written: int, thresholds: Thresholds, as_ofs: tuple[date, ...] = ()) -> None:
    """Write the one record of what `entry`'s rows were built from (`snap`: the store after writing them;
    `as_ofs`: every as-of date an "equal" entry holds rows for, `as_of` among them)."""
    body: dict[str, Any] = {
        "definition": definition(entry), "run": snap.run if run_id is None else int(run_id),
        "rows": {t: snap.rows[t] for t in entry.sources}, "written": int(written), "as_of": as_of.isoformat(),
        "as_ofs": sorted({d.isoformat() for d in (as_of, *as_ofs)}),
        "thresholds": {name: getattr(thresholds, name) for name in entry.thresholds}}
    if entry.reviews:
        body["reviews"] = reviews_state(snap)
    store.set_meta(con, META_PREFIX + entry.name, json.dumps(body, sort_keys=True, default=str))


def is_current(entry: Entry, snap: Snapshot, as_of: date, thresholds: Thresholds,
               reviews_version: Callable[[], str] | None = None) -> bool:
    """True when reading `entry`'s stored rows gives exactly what working them out now would (module doc).
    `reviews_version`: the running code's review definition, for entries made from the reviews."""
    recorded = snap.records.get(entry.name)
    if not snap.readable or recorded is None or recorded.get("definition") != definition(entry):
        return False
    if entry.table and snap.tables is not None and entry.name not in snap.tables:
        return False   # dropped while its record stayed: out of date, like a table written by another definition
    if entry.sources:
        if recorded.get("run") is None or recorded["run"] != snap.run:
            return False
        if recorded.get("rows") != {t: snap.rows[t] for t in entry.sources}:
            return False
        if entry.name in snap.rows and recorded.get("written") != snap.rows[entry.name]:
            return False
    if any(recorded.get("thresholds", {}).get(name) != getattr(thresholds, name) for name in entry.thresholds):
        return False
    if entry.reviews:
        now = reviews_state(snap)
        if (recorded.get("reviews") != now or reviews_version is None or now["version"] != reviews_version()
                or not reviews_complete(snap)):
            return False
    if entry.as_of == "equal":
        return as_of.isoformat() in recorded.get("as_ofs", [recorded.get("as_of")])
    if entry.as_of == "after":
        latest = snap.dates.get(entry.latest)
        return latest is None or as_of >= latest
    if entry.as_of == "quarter_end":
        return is_quarter_end(as_of)
    return True
