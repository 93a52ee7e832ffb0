"""A native bundle folder written from CSV texts, for the tests that import a few hand-made rows."""
from __future__ import annotations

from pathlib import Path


def write_bundle(folder: Path, **tables: str) -> Path:
    """`folder` (made) holding one `<table>.csv` per keyword, its text as given: write_bundle(p, plans="...")."""
    folder.mkdir(parents=True)
    for table, text in tables.items():
        (folder / f"{table}.csv").write_text(text)
    return folder
