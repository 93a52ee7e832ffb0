"""The Annex A reading benchmark runs end to end on a small workbook: both modes read the same rows, and the
workbook it writes imports cleanly (a benchmark of reading rows the import then rejects measures the wrong
thing, and a sample that loads nothing teaches nothing)."""
from __future__ import annotations

from paqa_dash.benchmark import annex_a as bench


def test_both_modes_read_the_same_workbook():
    out = bench.measure(40)
    full, read_only = out["full"], out["read-only"]
    assert full["plans"] == read_only["plans"] == 40  # every child has a List 7 plan
    assert full["events"] == read_only["events"] > 40 * 3  # contacts, referrals, visits, ... from every list
    assert full["cpu_s"] > 0 and read_only["peak_mb"] > 0


def test_the_workbook_imports_every_plan_with_no_reject(tmp_path, monkeypatch):
    """Every List 7 row was rejected ("start_date is not a valid date": the plan's start date held the category)
    and List 10's children were read a column to the left (its Family identifier column before Gender)."""
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    workbook = bench.write_workbook(tmp_path / "annex_a.xlsx", 40)
    summary = run_import([workbook], tmp_path / "s.duckdb")
    assert [(r.table, r.source, r.field, r.reason) for r in summary.rejects] == []
    assert summary.tables["plans"] == {"read": 40, "loaded": 40, "rejected": 0, "duplicates": 0}
    assert summary.tables["children"]["loaded"] == 40 and summary.tables["events"]["rejected"] == 0
