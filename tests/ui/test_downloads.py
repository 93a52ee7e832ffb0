"""Every CSV the app offers goes through paqa_dash.report.safe_csv (safe to open in a spreadsheet)."""
from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "paqa_dash" / "ui"


def test_no_page_writes_a_csv_itself() -> None:
    offenders = [p.relative_to(UI).as_posix() for p in UI.rglob("*.py") if ".to_csv(" in p.read_text(encoding="utf-8")]
    assert offenders == [], "use paqa_dash.report.safe_csv.csv_bytes for downloads"


def _download_data(call: ast.Call) -> ast.expr | None:
    """The `data` argument of a download_button call (second positional, or by name)."""
    if len(call.args) > 1:
        return call.args[1]
    return next((k.value for k in call.keywords if k.arg == "data"), None)


def test_every_download_is_written_to_the_access_log() -> None:
    """Each st.download_button takes its file from `access_trail.logged`, which records the export when the
    file is produced (paqa_dash/ui/access_trail.py); a button that skipped it would leave no trace.  A page's CSV
    button (`components.csv_download`) is one of them, counted where it is offered."""
    unlogged, found = [], 0
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "csv_download":
                found += 1
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
                found += 1
                given = _download_data(node)
                if not (isinstance(given, ast.Call) and ast.unparse(given.func) == "access_trail.logged"):
                    unlogged.append(f"{path.relative_to(UI).as_posix()}:{node.lineno}")
    assert found >= 7 and unlogged == []
