"""Every table of a store, for tests that two imports must leave the same store."""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# import_runs' clock columns differ between any two imports; everything else must not.
CLOCK = {"import_runs": ("started_at", "finished_at")}


def store_tables(db: Path) -> dict[str, pd.DataFrame]:
    """Every table of the store, its rows sorted, clock columns left out."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            frame = con.execute(f'SELECT * FROM "{name}"').df().drop(columns=list(CLOCK.get(name, ())))
            out[name] = frame.astype(str).sort_values(list(frame.columns)).reset_index(drop=True)
        return out
    finally:
        con.close()


def cell_text(value: object) -> str:
    """A stored value as text for comparing rows: a blank is '', and a list or struct column (a derived table's
    meeting dates, a plan's adult factors) its items one by one (pd.isna of a list is a list, not a truth)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(cell_text(v) for v in value) + "]"
    return "" if pd.isna(value) else str(value)


def row_texts(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """Every row of `frame` as text (cell_text), sorted: two stores' tables compared whatever their row order."""
    return sorted(tuple(cell_text(v) for v in row) for row in frame.itertuples(index=False))
