"""The import's warnings for implausible plans (docs/data_contract.md, "Implausible plans"): each rule
names the file and row, the plan is still stored, and nothing else is warned about."""
from __future__ import annotations

from datetime import date

from paqa_dash import store
from paqa_dash.ingest import bundle
from paqa_dash.pipeline import load_extracts

CHILDREN = "child_id,family_id,birth_date\nC1,F1,2015-03-27\nC2,F2,2000-01-10\nC3,F3,2012-05-01\n"
PLANS = ("plan_id,child_id,start_date,end_date,initial_category,team\n"
         "P1,C1,1970-02-17,1971-03-14,NEG,North\n"      # row 2: before 1990
         "P2,C1,2022-02-17,2023-03-14,NEG,North\n"      # row 3: fine
         "P3,C2,2019-01-15,2019-06-01,NEG,North\n"      # row 4: aged 19
         "P4,C3,2013-01-01,2019-01-01,NEG,North\n")     # row 5: six years


def test_each_rule_warns_with_file_and_row(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "children.csv").write_text(CHILDREN)
    (folder / "plans.csv").write_text(PLANS)
    con = store.connect(tmp_path / "s.duckdb")
    try:
        summary = load_extracts(con, [bundle.read([folder])], b"k" * 32, today=date(2025, 6, 30))
        plans_loaded = con.execute("SELECT count(*) FROM plans").fetchone()[0]
    finally:
        con.close()
    warned = sorted((w.source, w.row, w.reason) for w in summary.warnings if "implausible" in w.reason)
    assert warned == [
        ("plans.csv", 2, "plan starts before 1990 (1970-02-17): implausible, left out of every measure"),
        ("plans.csv", 4, "child aged 18 or over at plan start: implausible, left out of every measure"),
        ("plans.csv", 5, "plan lasts over 5 years (2013-01-01 to 2019-01-01): implausible, left out of every measure"),
    ]
    assert plans_loaded == 4   # stored, not rejected
