"""`python -m paqa_dash import` writes its line to the access log beside the store, done or failed."""
from __future__ import annotations

from pathlib import Path

from paqa_dash import access_log, cli

BUNDLE = Path(__file__).resolve().parent / "fixtures" / "bundle_messy"


def test_a_command_line_import_is_logged(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("PAQA_ACCESS_LOG", raising=False)
    db = tmp_path / "real.duckdb"
    assert cli.main(["import", "--db", str(db), str(BUNDLE)]) == 0
    bad = tmp_path / "plans.csv"
    bad.write_text("plan_id,child_id\nP1,C1\n", encoding="utf-8")
    assert cli.main(["import", "--db", str(db), str(bad)]) == 2
    records = access_log.read(path=tmp_path / "real.duckdb.access.jsonl").records
    assert [(r.action, r.role, r.page) for r in records] == [("import", "administrator", "command line")] * 2
    assert records[0].identity.endswith("(command line)")
    assert records[0].detail.startswith("bundle_messy: ") and "rows loaded" in records[0].detail
    assert records[1].detail.startswith("plans.csv: failed, nothing imported")


def test_import_authority_names_the_authority_and_a_conflict_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    """Issue 15: `import --authority CODE` reaches the store; a CIN file stating another LEA stops the import."""
    import duckdb

    from support.paths import FIXTURES
    from support.snapshot import snapshot

    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret-cli-authority")
    db = tmp_path / "real.duckdb"
    assert cli.main(["import", "--db", str(db), "--authority", "202", str(BUNDLE)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT DISTINCT authority FROM children").fetchall() == [("202",)]
    con.close()
    before = snapshot(db)
    capsys.readouterr()
    census = FIXTURES / "cin" / "authority_2022.xml"  # its header's LEA is 999
    assert cli.main(["import", "--db", str(db), "--authority", "202", str(census)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["import failed: authority_2022.xml: Header/Source/LEA is 999 but --authority is 202; import this "
                   "file without --authority, or with its own"]
    assert snapshot(db) == before
