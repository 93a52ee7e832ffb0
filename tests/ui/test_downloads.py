"""Every CSV the app offers goes through paqa_dash.report.safe_csv (safe to open in a spreadsheet)."""
from __future__ import annotations

from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "paqa_dash" / "ui"


def test_no_page_writes_a_csv_itself() -> None:
    offenders = [p.relative_to(UI).as_posix() for p in UI.rglob("*.py") if ".to_csv(" in p.read_text(encoding="utf-8")]
    assert offenders == [], "use paqa_dash.report.safe_csv.csv_bytes for downloads"
