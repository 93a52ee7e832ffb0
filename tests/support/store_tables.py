"""Every table of a store, for tests that two imports must leave the same store."""
from __future__ import annotations

from pathlib import Path

import duckdb
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
