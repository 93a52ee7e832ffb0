"""The product stands alone: no file of the package, the app or the tests names the private design
document or a path outside the repository."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [ROOT / "paqa_dash", ROOT / "app.py", ROOT / "tests"]
FORBIDDEN = re.compile(r"\bSPEC\b|\.\./shared")


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for top in SCANNED:
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        files += [p for p in paths if "__pycache__" not in p.parts and p.resolve() != Path(__file__).resolve()]
    return files


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
