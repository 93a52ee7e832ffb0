"""Issue 18: what used to crash, or load silently wrong, now stops with one clear line and leaves the store
as it was (the `import` command's contract: exit 2, one line on stderr)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from paqa_dash.cli import main
from support.holder import store_held
from support.paths import FIXTURES
from support.snapshot import snapshot

MESSY = FIXTURES / "bundle_messy"


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A store holding one import (so "unchanged" means something)."""
    path = tmp_path / "s.duckdb"
    assert main(["import", str(MESSY), "--db", str(path)]) == 0
    return path


def refused(capsys: pytest.CaptureFixture[str], db: Path, *paths: Path) -> str:
    """Import `paths` into `db`: it must fail with exit 2, leave the store alone, and say why in one line."""
    capsys.readouterr()
    before = snapshot(db)
    assert main(["import", *map(str, paths), "--db", str(db)]) == 2
    out = capsys.readouterr()
    assert snapshot(db) == before
    lines = out.err.strip().splitlines()
    assert lines[-1].startswith("import failed: ") and "Traceback" not in out.err, out.err
    return lines[-1]


# --- 3. one writer at a time -------------------------------------------------------------------

def test_an_import_while_another_holds_the_store_waits_then_stops_in_one_line(
        db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_LOCK_WAIT", "1")
    with store_held(db):
        capsys.readouterr()
        assert main(["import", str(MESSY), "--db", str(db)]) == 2
        err = capsys.readouterr().err
    assert err.splitlines() == [
        "The store s.duckdb is in use by another process; waiting for it to finish...",
        "import failed: the store s.duckdb is in use by another process (an import, or the app importing); "
        "try again when it has finished"]
    assert main(["import", str(MESSY), "--db", str(db)]) == 0  # the same import runs once the other is done


def test_a_reading_command_while_the_store_is_written_says_so_in_one_line(
        db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_LOCK_WAIT", "0")
    with store_held(db):
        capsys.readouterr()
        assert main(["metrics", "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith("metrics failed: the store s.duckdb is in use")


# --- 6. hygiene --------------------------------------------------------------------------------

def test_a_one_character_key_is_refused_before_anything_is_read(
        db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k")
    line = refused(capsys, db, MESSY)
    assert line.startswith("import failed: PAQA_PSEUDO_KEY is 1 characters; a key needs at least 16")


def test_a_key_file_others_may_read_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAQA_PSEUDO_KEY")
    db = tmp_path / "s.duckdb"
    assert main(["import", str(MESSY), "--db", str(db)]) == 0
    key = tmp_path / "s.duckdb.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    os.chmod(key, 0o644)
    line = refused(capsys, db, MESSY)
    assert line == (f"import failed: the key file s.duckdb.key has mode 0644: others may read it; make it readable "
                    f"by its owner only (chmod 600 {key}) and keep it secret")


def test_a_pack_is_written_readable_by_its_owner_only(db: Path, tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    child = con.execute("SELECT child_id FROM plans LIMIT 1").fetchone()[0]
    con.close()
    out = tmp_path / "pack.html"
    assert main(["pack", child, "--db", str(db), "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
