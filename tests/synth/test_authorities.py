"""`demo --authorities N` (issue 15): the demo's children spread over N real authorities of one region, by
family, through the same import; one authority (the default) names none, so the demo is what it was."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash import cli
from paqa_dash.reference.benchmarks import load_neighbours
from paqa_dash.synth.authorities import region_authorities
from paqa_dash.synth.generate import generate


def test_n_authorities_are_real_la_numbers_of_one_region_and_families_stay_in_one() -> None:
    children = generate(children=300, seed=7, authorities=3).tables["children"].astype(object)
    named = set(children["authority"])
    regions = set(load_neighbours().set_index("la_number").loc[sorted(named), "region"])
    assert len(named) == 3 and len(regions) == 1
    assert children.groupby("family_id")["authority"].nunique().max() == 1


def test_one_authority_names_none_and_the_rest_of_the_demo_does_not_move() -> None:
    one = generate(children=200, seed=7)
    three = generate(children=200, seed=7, authorities=3)
    assert one.tables["children"]["authority"].isna().all()
    for table in ("plans", "events", "actions"):
        assert one.tables[table].astype(object).equals(three.tables[table].astype(object))


def test_more_authorities_than_the_region_holds_is_refused() -> None:
    region, everyone = region_authorities(1)
    held = sorted(load_neighbours().query("region == @region")["la_number"])
    assert everyone == tuple(held[:1]) and len(held) == load_neighbours()["region"].value_counts().max()
    assert region_authorities(len(held))[1] == tuple(held)
    with pytest.raises(ValueError, match=rf"between 1 and {len(held)} \(the {region} region"):
        region_authorities(len(held) + 1)


def test_demo_authorities_builds_a_store_of_that_many_authorities(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret-demo-authorities")
    db = tmp_path / "demo.duckdb"
    assert cli.main(["demo", "--db", str(db), "--children", "40", "--authorities", "2"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        per = con.execute("SELECT authority, count(*) FROM children GROUP BY 1 ORDER BY 1").fetchall()
        orphans = con.execute("SELECT count(*) FROM plans LEFT JOIN children USING (child_id) "
                              "WHERE children.child_id IS NULL").fetchone()[0]
    finally:
        con.close()
    assert [a for a, _ in per] == list(region_authorities(2)[1]) and sum(n for _, n in per) == 40
    assert orphans == 0
    assert cli.main(["demo", "--db", str(tmp_path / "x.duckdb"), "--children", "10", "--authorities", "999"]) == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith("demo refused: authorities must be between 1 and ")
    assert not (tmp_path / "x.duckdb").exists()
