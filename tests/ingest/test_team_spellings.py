"""Team names that differ only in case or in runs of spaces are one team, stored in one spelling (the store's,
else the one most plans use, a tie going to the first seen), with a warning naming the file and the spellings
merged (docs/data_contract.md, "Values")."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash.pipeline import run_import
from paqa_dash.ingest.teams import team_key
from support.bundles import write_bundle
from support.make_annex_a import LIST7_HEADERS, list7_row, write_workbook


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def _teams(db: Path) -> list[tuple[str, int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT team, count(*) FROM plans GROUP BY team ORDER BY team").fetchall()
    finally:
        con.close()


def _team_warnings(summary) -> list[tuple]:
    return [(w.source, w.row, w.field, w.reason) for w in summary.warnings if w.field == "team"]


def _workbook(path: Path, teams: list[str]) -> Path:
    rows = [list7_row(f"T{i}", "2022-01-10", team=team) for i, team in enumerate(teams)]
    return write_workbook(path, {"List 7": [LIST7_HEADERS, *rows]})


def test_team_key_ignores_case_and_runs_of_spaces() -> None:
    assert team_key("Locality  4\u00a0Unit 1") == team_key("locality 4 unit 1") != team_key("Locality 4 Unit 2")


def test_case_variants_are_one_team_in_the_spelling_most_plans_use(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx", ["locality 4 unit 1", "Locality 4 Unit 1", "Locality  4 Unit 1 ",
                                           "Locality 4 Unit 2"])
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert _teams(tmp_path / "s.duckdb") == [("Locality 4 Unit 1", 3), ("Locality 4 Unit 2", 1)]
    assert _team_warnings(summary) == [(
        "a.xlsx:List 7", 2, "team",
        "team names that differ only in case or spacing are one team: 'locality 4 unit 1' (1 plan) stored as "
        "'Locality 4 Unit 1' (2 plans), the spelling most of its plans use")]


def test_a_tie_goes_to_the_first_spelling_seen(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx", ["café team", "Café Team"])
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert _teams(tmp_path / "s.duckdb") == [("café team", 2)]
    assert [w[1] for w in _team_warnings(summary)] == [3]
    assert "the first seen of a tie" in _team_warnings(summary)[0][3]


def test_a_later_import_keeps_the_stored_spelling(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    run_import([_workbook(tmp_path / "a.xlsx", ["North Team"])], db, authority="202")
    later = write_workbook(tmp_path / "b.xlsx", {"List 7": [
        LIST7_HEADERS, *(list7_row(f"U{i}", "2022-02-10", team="NORTH TEAM") for i in range(3))]})
    summary = run_import([later], db, authority="202")
    assert _teams(db) == [("North Team", 4)]
    assert "the spelling already in the store" in _team_warnings(summary)[0][3]


def test_every_batch_of_an_import_stores_one_spelling(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "bundle", children="child_id\nK1\nK2\nK3\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n"
                                "P1,K1,2022-01-10,NEG,east team\nP2,K2,2022-01-10,NEG,East Team\n"
                                "P3,K3,2022-01-10,NEG,East Team\n")
    summary = run_import([folder], tmp_path / "s.duckdb", authority="202", batch_children=1)
    assert _teams(tmp_path / "s.duckdb") == [("east team", 3)]  # the first batch saw one spelling only
    assert {(w[0], w[1]) for w in _team_warnings(summary)} == {("plans.csv", 3), ("plans.csv", 4)}


def test_a_rejected_plans_spelling_is_no_teams(tmp_path: Path) -> None:
    """The plan written 'north team' is rejected (it ends before it starts): no warning names its row, and the
    plans that load keep their one spelling."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\nC3\n",
                          plans="plan_id,child_id,start_date,end_date,initial_category,team\n"
                                "P1,C1,2023-01-01,,NEG,North Team\n"
                                "P2,C2,2023-05-01,2023-02-01,NEG,north team\n"
                                "P3,C3,2023-01-01,,NEG,North Team\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert [(r.row, r.field) for r in summary.rejects] == [(3, "end_date")]
    assert _team_warnings(summary) == []
    assert _teams(tmp_path / "s.duckdb") == [("North Team", 2)]
