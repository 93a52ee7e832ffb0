"""Every row of every table of a store, to prove that a failed import changed nothing."""
from __future__ import annotations

from pathlib import Path

import duckdb


def snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        return {t: sorted(map(str, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    finally:
        con.close()
