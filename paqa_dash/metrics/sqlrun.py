"""Run a main block of `queries/metrics/` behind the plan sequence and the blocks it declares it needs.

Why: the plan sequence and the filter selection (`seq`, `started`, `ended`) must be one
definition that every measure reads, and DuckDB plans a CTE chain as one query (no temp tables,
so a read-only app connection works).  A call site names only the block it wants: the CTE blocks
that block reads are its `-- needs:` line (paqa_dash/sql.py), and the plan sequence is put first
here for every query.  Which blocks stand for the ones a query names -- the inline SQL, or the rows
worked out at import -- is decided by the derive registry's one resolver
(paqa_dash/derive/registry.py), never here or at a call site.  Only SQL text from `queries/` is
joined; values always travel as named parameters, bound by `sql.bind`.
"""
from __future__ import annotations

from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Hashable, Iterator, Mapping, TypeVar

import threading

import duckdb
import pandas as pd

from .. import sql
from ..derive import currency, registry
from ..derive.sequence import CACHED_SEQ, SCOPE, SEQ
from ..filters import Filters
from ..reference import tables as reference_tables
from ..settings import Thresholds

threshold_params = registry.threshold_params
# Inside `cached_sequence`: the store snapshot read once for the batch, and the temp table standing for
# `seq` when the stored sequence is not current.  ContextVars, so Streamlit's script threads never see
# each other's.
_SNAPSHOT: ContextVar[currency.Snapshot | None] = ContextVar("metrics_snapshot", default=None)
_SEQ_STANDIN: ContextVar[tuple[str, ...] | None] = ContextVar("metrics_seq_standin", default=None)
# What was read once per store version, by version (a few: one store, now and just before), then by name: the
# snapshot `store_state` took (`_SNAPSHOT_NAME`) and what `remembered` kept.
_KEPT: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
_STATES_LOCK = threading.Lock()
STATES_KEPT = 4
_SNAPSHOT_NAME = "store snapshot"
_MISSING = object()
# Inside `store_state`: the version the questions are judged at.
_VERSION: ContextVar[Hashable | None] = ContextVar("metrics_store_version", default=None)

T = TypeVar("T")


def context(filters: Filters, thresholds: Thresholds) -> dict[str, Any]:
    """The shared parameter context of every measure: the filter's and the thresholds' values."""
    return {**filters.params(), **threshold_params(thresholds)}


Swaps = Mapping[str, tuple[str, ...]]


def resolution(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds,
               swaps: Swaps | None = None) -> registry.Resolution:
    """The registry's answer for this question (from the batch's snapshot inside `cached_sequence`),
    with the caller's own `swaps` on top (see `text_and_params`)."""
    found = registry.resolve(con, filters, thresholds, snap=_SNAPSHOT.get())
    standin = _SEQ_STANDIN.get()
    if standin is not None:
        found = found.with_swap(SEQ, standin)
    for name, blocks in (swaps or {}).items():
        found = found.with_swap(name, blocks)
    return found


def reads_stored(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds, *entries: str) -> bool:
    """True when the named registry entries are current for this question: for a caller whose stored
    and inline paths differ in more than blocks (the audit sample ranks in one query over its tables)."""
    return resolution(con, filters, thresholds).reads_stored(*entries)


def text_and_params(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds,
                    ctes: tuple[str, ...] = (), shared: dict[str, Any] | None = None,
                    swaps: Swaps | None = None, **extra: Any) -> tuple[str, dict[str, Any]]:
    """The query `run` runs for these arguments and its parameters, without running it: for a caller
    that keeps the rows in a temp table (CREATE TEMP TABLE x AS <text>) which several queries then
    read.  Registers the small pandas tables the text joins, as `run` does.

    `swaps`: blocks only the caller can choose, each mapped to the blocks that stand for it (reviews
    made on the fly for the stored ones, a temp table the caller filled), over the resolver's."""
    text = sql.compose(main, (SEQ, *ctes), resolution(con, filters, thresholds, swaps).substitute)
    used = sql.bind(text, extra, context={**context(filters, thresholds), **(shared or {})}, block=main)
    reference_tables.register(con, text, thresholds)
    return text, used


def run(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds,
        ctes: tuple[str, ...] = (), shared: dict[str, Any] | None = None, swaps: Swaps | None = None,
        **extra: Any) -> pd.DataFrame:
    """Run `main` after the plan-sequence and filter CTEs and the blocks `main` declares it needs
    (`ctes`: further blocks, rarely wanted: a block's needs are declared beside it), with the filter
    and threshold parameters the text mentions, the `shared` ones it mentions (a context several
    queries of one caller share) and every `extra` one (e.g. $children, $limit), which the text must
    use; `swaps` as in `text_and_params`."""
    text, used = text_and_params(con, main, filters, thresholds, ctes, shared, swaps, **extra)
    return con.execute(text, used).df()


@contextmanager
def store_state(con: duckdb.DuckDBPyConnection, version: Hashable) -> Iterator[None]:
    """Within the block, every question on this thread is judged on the snapshot of the store taken at
    `version` (the caller's name for "the store as it is now": ui/data.store_version), taken now on `con`
    only the first time that version is seen.

    Why: the snapshot scans the plans and events for their latest dates and counts every table (0.1 to 0.2 s
    at a million plans), and each question a page asks took it again (four to six a page).  A store's state
    changes only when its file does, and then its version does too."""
    snap = _kept(version, _SNAPSHOT_NAME)
    if snap is _MISSING:
        snap = currency.snapshot(con)
        if snap.readable:   # an unreadable one (an error, e.g. out of memory) is not kept: the next question tries again
            _keep(version, _SNAPSHOT_NAME, snap)
    token, version_token = _SNAPSHOT.set(snap), _VERSION.set(version)
    try:
        yield
    finally:
        _VERSION.reset(version_token)
        _SNAPSHOT.reset(token)


def remembered(con: duckdb.DuckDBPyConnection, name: str, read: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """`read(con)`, read once per store version inside `store_state` (outside it, read every time): for what only an
    import or a derive changes, which a page would otherwise read again at every question.  Why: the Regional view
    read the store's authorities (a join of every child to its plans, 0.1 s at a million plans) on every view."""
    version = _VERSION.get()
    if version is None:
        return read(con)
    value = _kept(version, name)
    if value is _MISSING:
        value = read(con)
        _keep(version, name, value)
    return value


def _kept(version: Hashable, name: str) -> Any:
    """What was kept under `name` for the store `version`, else _MISSING."""
    with _STATES_LOCK:
        return _KEPT.get(version, {}).get(name, _MISSING)


def _keep(version: Hashable, name: str, value: Any) -> None:
    """Keep `value` under `name` for the store `version`; the versions used least lately beyond STATES_KEPT go."""
    with _STATES_LOCK:
        _KEPT.setdefault(version, {})[name] = value
        _KEPT.move_to_end(version)
        while len(_KEPT) > STATES_KEPT:
            _KEPT.popitem(last=False)


def snapshot(con: duckdb.DuckDBPyConnection) -> currency.Snapshot:
    """The store's state this question is judged on: the one `store_state` or `cached_sequence` holds, else read now."""
    return _SNAPSHOT.get() or currency.snapshot(con)


@contextmanager
def cached_sequence(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> Iterator[None]:
    """Within the block, every `run` on this thread judges currency on one snapshot of the store, and
    reads the plan sequence from the stored table when current, else from a temp table built once (for
    this as-of date and re-plan window) instead of renumbering a million plans per query.  Temp tables
    are allowed on read-only connections and vanish with the connection."""
    snap = snapshot(con)
    snap_token = _SNAPSHOT.set(snap)
    standin_token = None
    try:
        # only when the resolver would number every plan inline (not when it reads the stored sequence, as it is
        # or as of an earlier date)
        if registry.resolve(con, filters, thresholds, snap=snap).substitute(SEQ) == registry.INLINE_SEQ:
            text = sql.compose("metrics_sequence_seq_all")
            used = sql.bind(text, context=context(filters, thresholds), block="metrics_sequence_seq_all")
            # `text` is SQL from queries/*.sql only; every value travels in `used` as a parameter.
            con.execute("CREATE OR REPLACE TEMP TABLE metrics_seq_cache AS " + text, used)
            standin_token = _SEQ_STANDIN.set((CACHED_SEQ, SCOPE))
        yield
    finally:
        if standin_token is not None:
            _SEQ_STANDIN.reset(standin_token)
            con.execute("DROP TABLE IF EXISTS temp.metrics_seq_cache")
        _SNAPSHOT.reset(snap_token)
