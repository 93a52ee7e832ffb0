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


def test_a_reader_that_stops_reading_ends_the_command_without_a_traceback(demo_store):
    """`python -m paqa_dash metrics --json | head`: head closes the pipe after its lines; the command ends with
    status 1 and nothing on stderr (it was a Python traceback)."""
    import subprocess
    import sys

    # the reader closes its end before the command writes a line (as `head` does after its lines)
    run = subprocess.Popen([sys.executable, "-m", "paqa_dash", "metrics", "--json", "--db", str(demo_store)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    run.stdout.close()
    err = run.stderr.read()
    assert run.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_files_imported_before_say_so_and_nothing_else(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,sex\nC1,F\nC2,Z\n")
    db = tmp_path / "s.duckdb"
    assert cli.main(["import", str(folder), "--db", str(db)]) == 0
    assert "rejected: children.csv row 3" in capsys.readouterr().out
    assert cli.main(["import", str(folder), "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Nothing new: these files were imported before and the store is unchanged. Their rejects and warnings are "
        "on the Data quality page."]


def test_import_lists_rejects_by_file_and_row(tmp_path, capsys, monkeypatch):
    """The checks find a row's bad value, then a reference to a rejected row: the list reads down each file."""
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id\nC1\nC2\n")
    (folder / "plans.csv").write_text("plan_id,child_id,start_date,initial_category,team\n"
                                      "P1,C9,2023-01-01,NEG,North\nP2,C1,2023-13-01,NEG,North\n")
    assert cli.main(["import", str(folder), "--db", str(tmp_path / "s.duckdb")]) == 0
    rows = [line.split(":")[1] for line in capsys.readouterr().out.splitlines() if line.startswith("rejected:")]
    assert rows == [" plans.csv row 2", " plans.csv row 3"]


def test_warnings_past_the_twenty_shown_are_counted(tmp_path, capsys, monkeypatch):
    """A census of 40,000 children gave 80,000 warnings and the command showed 20 with no word of the rest, so the
    user read 20 warnings; rejects past the 50 shown were counted, warnings were not."""
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,ethnicity\n" + "".join(f"C{i},ZZZZ\n" for i in range(23)))
    assert cli.main(["import", str(folder), "--db", str(tmp_path / "s.duckdb")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("warning:") for line in out) == 20
    assert "... and 3 more warnings (use --json, or the Data quality page)" in out
