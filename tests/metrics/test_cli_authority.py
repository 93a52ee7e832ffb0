"""`python -m paqa_dash metrics --authority CODE`: every figure limited to the authority; unknown codes named."""
from __future__ import annotations

import json

from support.store_builder import build_store

from paqa_dash import cli


def test_metrics_authority_flag(tmp_path, capsys) -> None:
    db = tmp_path / "two.duckdb"
    con = build_store(db, plans=[
        {"plan_id": "A1", "child_id": "A", "start_date": "2024-05-01", "initial_category": "NEG", "previous_plans": 1},
        {"plan_id": "B1", "child_id": "B", "start_date": "2024-06-01", "initial_category": "NEG"},
        {"plan_id": "C1", "child_id": "C", "start_date": "2024-07-01", "initial_category": "NEG"}])
    con.execute("UPDATE children SET authority = CASE WHEN child_id = 'C' THEN '203' ELSE '202' END")
    con.close()
    base = ["metrics", "--db", str(db), "--json", "--as-of", "2025-03-31"]
    assert cli.main(base) == 0
    everything = json.loads(capsys.readouterr().out)
    assert everything["plans_started"] == 3
    assert [a["code"] for a in everything["authorities"]] == ["202", "203"]
    assert cli.main([*base, "--authority", "202"]) == 0
    camden = json.loads(capsys.readouterr().out)
    assert (camden["plans_started"], camden["repeat_plans_started"]) == (2, 1)
    assert camden["filters"]["authorities"] == ["202"]
    assert cli.main([*base, "--authority", "202", "--authority", "203"]) == 0
    assert json.loads(capsys.readouterr().out)["plans_started"] == 3
    assert cli.main([*base, "--authority", "999"]) == 2
    err = capsys.readouterr().err
    assert "authority 999 (no authority DfE publishes) is not in this store" in err
    assert "Camden (202), Greenwich (203)" in err
