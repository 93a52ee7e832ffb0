"""Imports never wipe the audit group's judgements (issue 14, item 9): adding data keeps them; only replacing the
synthetic demo with real data removes the demo's (about children who do not exist)."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash import store
from paqa_dash.cli import main
from paqa_dash.metrics import judgements as jm
from paqa_dash.metrics import record_judgement as rec
from paqa_dash.metrics.judgements import Answer, Form
from paqa_dash.scope import EVERYTHING
from paqa_dash.synth.generate import build_demo
from support.paths import ANNEX_A_SAMPLE, FIXTURES

RUN = "Audit run 1"


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def _judge_first_child(db: Path) -> str:
    con = store.connect(db, read_only=True)
    try:
        child = str(con.execute("SELECT min(child_id) FROM children").fetchone()[0])
    finally:
        con.close()
    form = Form(RUN, child, (Answer(1, "GOOD", "ended well"),), (("CSC", "team manager"),))
    assert rec.save_to_store(db, form, EVERYTHING, "admin@example.org", log=db.with_name("log.jsonl")).changed
    return child


def _versions(db: Path, child: str) -> list[int]:
    con = store.connect(db, read_only=True)
    try:
        return [v.version for v in jm.history(con, RUN, child).versions]
    finally:
        con.close()


def test_importing_more_data_keeps_the_judgements(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    assert main(["import", str(FIXTURES / "bundle_messy"), "--db", str(db)]) == 0
    child = _judge_first_child(db)
    assert main(["import", str(ANNEX_A_SAMPLE), "--db", str(db)]) == 0
    assert _versions(db, child) == [1]


def test_replacing_the_demo_with_real_data_removes_the_demos_judgements(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    build_demo(db, children=40, seed=3)
    child = _judge_first_child(db)
    assert main(["import", str(FIXTURES / "bundle_messy"), "--db", str(db)]) == 0
    assert _versions(db, child) == []


def test_starting_a_new_store_from_the_import_page_carries_the_judgements_over(tmp_path: Path) -> None:
    from paqa_dash.ui.pages.import_data import import_into_new_store

    db = tmp_path / "real.duckdb"
    assert main(["import", str(FIXTURES / "bundle_messy"), "--db", str(db)]) == 0
    child = _judge_first_child(db)
    import_into_new_store([FIXTURES / "bundle_messy"], db, lambda f, m=None: None)
    assert _versions(db, child) == [1]
