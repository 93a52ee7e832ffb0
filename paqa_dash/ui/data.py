"""Cached, read-only access to the store for the pages.

Why: every page reruns on each click; the metrics run once per (store version, filters,
thresholds) and are reused.  The store version is the file's mtime and size (and its WAL's), so a
new import invalidates every cache without a restart.  Each call opens its own read-only
connection and closes it, so the running app never holds a lock that would block an import.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import duckdb
import pandas as pd
import streamlit as st

from .. import sql, store
from ..metrics.data_date import data_date
from ..settings import db_path

DEMO_CHILDREN = 2000
DEMO_SEED = 42


def store_path() -> Path:
    return db_path()


def store_version(path: Path | None = None) -> str:
    """Changes whenever the store file changes: the cache key part that says "same data"."""
    path = path or store_path()
    parts = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            st_ = p.stat()
            parts.append(f"{st_.st_mtime_ns}:{st_.st_size}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


@contextmanager
def read_only(path: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection (closed on exit)."""
    con = store.connect(path or store_path(), read_only=True)
    try:
        yield con
    finally:
        con.close()


def ensure_store() -> bool:
    """Make sure a store exists; build the synthetic demo store (with a progress bar) when none does.

    Returns False (after explaining why on screen) when no store could be made.
    """
    path = store_path()
    if path.exists():
        return True
    try:
        from ..synth.generate import build_demo  # written by the synth helper
    except ImportError:
        st.error(f"No data store at `{path}` yet, and the demo generator is not available. "
                 "Import data with `python -m paqa_dash import PATH`.")
        return False
    bar = st.progress(0.0, text="Building the synthetic demo store (first run only)…")

    def progress(fraction: float, message: str | None = None) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message or "Building the synthetic demo store…")

    build_demo(path, children=DEMO_CHILDREN, seed=DEMO_SEED, progress=progress)
    bar.empty()
    st.cache_data.clear()
    return True


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_call(func_path: str, version: str, db: str, args: tuple, kwargs: tuple) -> Any:
    module_name, _, name = func_path.rpartition(".")
    import importlib

    func = getattr(importlib.import_module(module_name), name)
    with read_only(db) as con:
        return func(con, *args, **dict(kwargs))


def cached(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call `func(con, *args, **kwargs)` on a read-only connection, cached by store version and arguments.

    Arguments must be hashable by Streamlit (Filters and Thresholds are frozen dataclasses).
    """
    db = str(store_path())
    return _cached_call(f"{func.__module__}.{func.__qualname__}", store_version(Path(db)), db,
                        tuple(args), tuple(sorted(kwargs.items())))


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    teams = sql.query(con, "ui_meta_teams")["team"].tolist()
    span = sql.query(con, "ui_meta_span").iloc[0]
    return {"synthetic": store.is_synthetic(con), "teams": teams, "plans": int(span["plans"]),
            "first_date": _date_or_none(span["first_date"]), "last_date": _date_or_none(span["last_date"]),
            "data_date": data_date(con),
            "recorded": {k: int(v) for k, v in sql.query(con, "ui_meta_recorded").iloc[0].items()}}


def _date_or_none(value: Any) -> Any:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def store_info() -> dict[str, Any]:
    """Teams, plan count, date span, the data date (latest date recorded, capped at today: the
    default as-of) and whether the store is synthetic (cached)."""
    return cached(_meta)


def run_query(name: str, **params: Any) -> pd.DataFrame:
    """A named query from `queries/*.sql` on the store (cached)."""
    return cached(sql.query, name, **params)

