"""Issue 18: what used to crash, or load silently wrong, now stops with one clear line and leaves the store
as it was (the `import` command's contract: exit 2, one line on stderr)."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from paqa_dash.cli import main
from support.holder import store_held
from support.paths import FIXTURES
from support.snapshot import snapshot

MESSY = FIXTURES / "bundle_messy"


KEY = "test-key-not-secret"


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", KEY)


@pytest.fixture(scope="module")
def _imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messy bundle imported once per module (an import costs about a second; 26 tests start from it)."""
    path = tmp_path_factory.mktemp("imported") / "s.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAQA_PSEUDO_KEY", KEY)
        assert main(["import", str(MESSY), "--db", str(path)]) == 0
    return path


@pytest.fixture()
def db(_imported: Path, tmp_path: Path) -> Path:
    """A store holding one import (so "unchanged" means something): the test's own copy of `_imported`."""
    path = tmp_path / "s.duckdb"
    shutil.copy(_imported, path)
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


# --- 4. bounded reading ------------------------------------------------------------------------

def rezip(path: Path, replace: dict[str, bytes | None] = {}, level: int = 6) -> Path:  # noqa: B006 (read only)
    """`path` with some parts' bytes replaced (or added), written again as a zip."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts.update(replace)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def children_workbook(path: Path, n: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "children"
    ws.append(["child_id", "birth_date"])
    for i in range(n):
        ws.append([f"C{i}", "2015-01-01"])
    wb.save(path)
    return path


def sheet_bomb(megabytes: int) -> bytes:
    """Sheet XML of `megabytes` MB that packs to a few hundred kB: what a 2.6 MB workbook unpacking to 2.7 GB is."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = row * (megabytes * 2**20 // len(row))
    return b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + body + \
        b"</sheetData></worksheet>"


def test_a_workbook_whose_stored_size_is_wrong_loses_no_row(tmp_path: Path) -> None:
    import re
    import zipfile

    from paqa_dash.pipeline import run_import

    book = children_workbook(tmp_path / "bundle.xlsx", 100)
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    wrong = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B51"/>', sheet)
    assert wrong != sheet
    rezip(book, {"xl/worksheets/sheet1.xml": wrong})
    summary = run_import([book], tmp_path / "s.duckdb")
    assert (summary.tables["children"]["read"], summary.tables["children"]["loaded"]) == (100, 100)


def test_a_workbook_bomb_is_refused_before_it_is_unpacked(db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    book = rezip(children_workbook(tmp_path / "bomb.xlsx", 1), {"xl/worksheets/sheet1.xml": sheet_bomb(40)}, level=9)
    assert book.stat().st_size < 2**20
    line = refused(capsys, db, book)
    assert line.startswith("import failed: bomb.xlsx: part xl/worksheets/sheet1.xml unpacks to 40 MB from 0.")


def test_a_workbook_larger_than_the_limit_is_refused(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_MAX_UNPACKED_MB", "1")
    book = children_workbook(tmp_path / "big.xlsx", 40_000)
    line = refused(capsys, db, book)
    assert line.startswith("import failed: big.xlsx: unpacks to ") and "more than the 1 MB limit" in line


def test_annex_a_sheet_bomb_fails_fast_and_small(tmp_path: Path) -> None:
    """In a child process: the refusal takes seconds and the process stays far under 500 MB."""
    import subprocess
    import sys
    import time

    from support.make_annex_a import small_annex_a

    book = small_annex_a(tmp_path / "annex.xlsx")
    rezip(book, {"xl/worksheets/sheet4.xml": sheet_bomb(64)}, level=9)  # sheet4: List 7
    # The peak resident size of the child alone (VmHWM: ru_maxrss would carry the parent's peak across exec).
    code = ("import re, sys; from paqa_dash.cli import main; rc = main(['import', sys.argv[1], '--db', sys.argv[2]]);"
            "print(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)); sys.exit(rc)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, str(book), str(tmp_path / "s.duckdb")], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert time.monotonic() - started < 60
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("import failed: annex.xlsx: part xl/worksheets/sheet4.xml unpacks to 64 MB")
    assert int(done.stdout.split()[-1]) < 500 * 1024
    assert not (tmp_path / "s.duckdb").exists()


def test_a_sheet_with_more_rows_than_excel_allows_is_refused(tmp_path: Path) -> None:
    from paqa_dash.ingest import annex_a
    from paqa_dash.ingest.frames import FatalImportError
    from support.make_annex_a import small_annex_a

    book = small_annex_a(tmp_path / "annex.xlsx")
    import zipfile

    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet4.xml")  # List 7
    far = sheet.replace(b"</sheetData>", b'<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>'
                                         b"</sheetData>")
    rezip(book, {"xl/worksheets/sheet4.xml": far})
    with pytest.raises(FatalImportError, match=r"^annex.xlsx: sheet 'List 7': more than 1,048,576 rows"):
        annex_a.read([book])


# --- 5. no silent guesses ----------------------------------------------------------------------

def bundle(folder: Path, children: str) -> Path:
    folder.mkdir()
    (folder / "children.csv").write_bytes(children.encode("utf-8") if isinstance(children, str) else children)
    return folder


def test_month_first_dates_are_read_month_first_with_a_warning(tmp_path: Path) -> None:
    import duckdb

    from paqa_dash.pipeline import run_import

    folder = bundle(tmp_path / "b", "child_id,birth_date\nA,03/04/2015\nB,01/13/2016\nC,02/14/2017\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["children"]["loaded"] == 3
    assert [(w.source, w.reason) for w in summary.warnings] == [
        ("children.csv", "dates in this file are written month-first (US style, e.g. 01/13/2024); "
                         "read as month/day/year")]
    con = duckdb.connect(str(db), read_only=True)
    months = sorted(str(r[0]) for r in con.execute("SELECT birth_month FROM children").fetchall())
    con.close()
    assert months == ["2015-03-01", "2016-01-01", "2017-02-01"]  # 03/04/2015 is 4 March here, not 3 April


def test_one_date_that_only_month_first_reads_does_not_turn_the_file_round(db: Path, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """An English file with one mistyped day (01/13/2016 for 13/01/2016) among dates either order reads: read
    month-first, 03/04/2015 would be stored as 4 March; the import stops and says which date and what to do."""
    folder = bundle(tmp_path / "b", "child_id,birth_date\nA,03/04/2015\nB,01/13/2016\nC,05/06/2017\n")
    assert refused(capsys, db, folder) == (
        "import failed: children.csv: one date, '01/13/2016', can only be read month-first (US style), and the "
        "file's other slashed dates could be read either way, so which way it is written cannot be told: if it is "
        "written day-first, that date is mistyped (correct it); if month-first, export it again with dates as "
        "YYYY-MM-DD")


def test_day_first_dates_stay_day_first_without_a_warning(tmp_path: Path) -> None:
    from paqa_dash.pipeline import run_import

    summary = run_import([bundle(tmp_path / "b", "child_id,birth_date\nA,03/04/2015\nB,13/01/2016\n")],
                         tmp_path / "s.duckdb")
    assert summary.tables["children"]["loaded"] == 2 and not summary.warnings


def test_a_file_mixing_day_first_and_month_first_dates_is_refused(db: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = bundle(tmp_path / "b", "child_id,birth_date\nA,13/01/2015\nB,01/13/2016\n")
    assert refused(capsys, db, folder) == (
        "import failed: children.csv: dates are written both day-first ('13/01/2015') and month-first "
        "('01/13/2016'), so no date in it can be trusted; export it again with one format")


def test_annex_a_month_first_dates_are_read_month_first_with_a_warning(tmp_path: Path) -> None:
    from paqa_dash.ingest import annex_a
    from support.make_annex_a import LIST7_HEADERS, list7_row, write_workbook

    rows = [list7_row("A1", "2020-01-01"), list7_row("A2", "2020-01-01"), list7_row("A3", "2020-01-01")]
    rows[0][6], rows[1][6], rows[2][6] = "03/04/2020", "01/13/2021", "02/14/2022"  # start dates typed as US text
    book = write_workbook(tmp_path / "annex.xlsx", {"List 7": [LIST7_HEADERS, *rows]})
    extract = annex_a.read([book])
    assert sorted(extract.tables["plans"]["start_date"]) == ["2020-03-04", "2021-01-13", "2022-02-14"]
    assert [w.reason for w in extract.warnings] == [
        "dates in this file are written month-first (US style, e.g. 01/13/2024); read as month/day/year"]


def test_a_duplicated_header_is_refused(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = bundle(tmp_path / "b", "child_id,sex,Sex\nA,F,M\n")
    assert refused(capsys, db, folder) == "import failed: children.csv: column 'sex' appears more than once in the header"


def test_annex_a_duplicated_header_is_refused(tmp_path: Path) -> None:
    from paqa_dash.ingest import annex_a
    from paqa_dash.ingest.frames import FatalImportError
    from support.make_annex_a import LIST7_HEADERS, list7_row, write_workbook

    headers = [*LIST7_HEADERS, "Child Protection Plan Start Date"]
    book = write_workbook(tmp_path / "annex.xlsx", {"List 7": [headers, [*list7_row("A1", "2020-01-01"), None]]})
    with pytest.raises(FatalImportError, match="^annex.xlsx: sheet 'List 7' \\(List 7\\): column 'Child Protection "
                                               "Plan Start Date' appears more than once$"):
        annex_a.read([book])


def test_a_nul_byte_after_the_first_4_kb_is_refused(db: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    lines = "".join(f"C{i},2015-01-01\n" for i in range(600))
    folder = bundle(tmp_path / "b", "child_id,birth_date\n" + lines + "X\x00,2015-01-01\n")
    assert refused(capsys, db, folder) == "import failed: children.csv: line 602 holds a NUL byte (a damaged or binary file)"


def test_a_cin_file_in_a_foreign_namespace_is_refused(db: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    xml = tmp_path / "cin.xml"
    xml.write_text('<Message xmlns="urn:other"><Children><Child><ChildIdentifiers><LAchildID>N1</LAchildID>'
                   "</ChildIdentifiers></Child></Children></Message>")
    assert refused(capsys, db, xml).startswith("import failed: cin.xml: <Message> on line 1 is in the namespace 'urn:other'")


def test_a_failed_first_import_leaves_no_store_key_or_log_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PAQA_PSEUDO_KEY")    # the key is then made beside the store, as for a new user
    folder = bundle(tmp_path / "b", "child_id,birth_date\nA,13/01/2015\nB,01/13/2016\n")
    store_folder = tmp_path / "store"
    store_folder.mkdir()
    assert main(["import", str(folder), "--db", str(store_folder / "new.duckdb")]) == 2
    assert "import failed: children.csv" in capsys.readouterr().err
    # no store and no key; the access log keeps the attempt (nothing imported), as for any import
    assert sorted(p.name for p in store_folder.iterdir()) == ["new.duckdb.access.jsonl"]
    assert "failed, nothing imported" in (store_folder / "new.duckdb.access.jsonl").read_text()
    good = bundle(tmp_path / "g", "child_id,birth_date\nA,13/01/2015\n")
    assert main(["import", str(good), "--db", str(store_folder / "new.duckdb")]) == 0   # then one that loads
    kept = sorted(p.name for p in store_folder.iterdir())
    assert "new.duckdb" in kept and "new.duckdb.key" in kept
    assert main(["import", str(folder), "--db", str(store_folder / "new.duckdb")]) == 2   # an existing store keeps all
    assert sorted(p.name for p in store_folder.iterdir()) == kept


def test_one_mistyped_date_in_two_columns_is_one_date(db: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """01/13/2016 written as both the birth date and the birth month's day counts once: still one date asking for
    month-first, so the file is refused, not read month-first; 05/05/2017 reads the same either way."""
    folder = bundle(tmp_path / "b", "child_id,birth_date,birth_month\nA,03/04/2015,\nB,01/13/2016,01/13/2016\n"
                                    "C,05/05/2017,\n")
    assert refused(capsys, db, folder).startswith("import failed: children.csv: one date, '01/13/2016', can only be "
                                                  "read month-first")


def test_a_file_whose_only_other_dates_read_alike_both_ways_is_month_first(tmp_path: Path) -> None:
    from paqa_dash.ingest import dates

    assert dates.order_of(["05/05/2017", "01/13/2016"], "f.csv") == dates.MONTH_FIRST
