"""The product stands alone: no file of the repository (package, app, SQL, docs, data, scripts, tests)
names the private design document or a path outside the repository, so a clone with nothing beside it
has every definition and sample it refers to."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".git", ".venv", "__pycache__", ".bench", ".pytest_cache", "node_modules"}
FORBIDDEN = re.compile(r"\bSPEC\b|\.\./shared")


def scanned_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*")
                  if p.is_file() and not SKIPPED & set(p.relative_to(ROOT).parts)
                  and p.suffix not in {".duckdb", ".wal", ".key"} and p.resolve() != Path(__file__).resolve())


def test_no_reference_to_the_design_document_or_outside_paths():
    found = []
    for path in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue   # binary files (workbooks, stores) hold no prose
        for number, line in enumerate(text.splitlines(), 1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)
