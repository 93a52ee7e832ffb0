"""The Annex A reading benchmark runs end to end on a small workbook: both modes read the same rows."""
from __future__ import annotations

from paqa_dash.benchmark import annex_a as bench


def test_both_modes_read_the_same_workbook():
    out = bench.measure(40)
    full, read_only = out["full"], out["read-only"]
    assert full["plans"] == read_only["plans"] == 40  # every child has a List 7 plan
    assert full["events"] == read_only["events"] > 40 * 3  # contacts, referrals, visits, ... from every list
    assert full["cpu_s"] > 0 and read_only["peak_mb"] > 0
