"""The store kept open a few seconds after a page run (ui/keep_warm.py), and let go for a writer: idle time over,
another process waiting to import, a write in this process, or a new store file in place."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from paqa_dash import store
from paqa_dash.ui import keep_warm
from support.holder import store_held

# Another process opening the store to write with plain DuckDB: it fails while any connection holds the file.
_WRITE_NOW = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"
# Another process opening it as the import and derive commands do (store.connect: waits, says it is waiting).
_WRITE_WAITING = ("import sys, time; from paqa_dash import store; t = time.monotonic(); "
                  "c = store.connect(sys.argv[1], wait=20); c.execute('CREATE TABLE imported_by_test (x INTEGER)'); "
                  "c.close(); print(round(time.monotonic() - t, 2))")
ROOT = Path(__file__).resolve().parents[2]


def _other_process(code: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _can_write(db: Path) -> bool:
    done = _other_process(_WRITE_NOW, db)
    assert done.returncode == 0 or "lock" in done.stderr, done.stderr
    return done.returncode == 0


def _keeper(keep_s: float, poll_s: float = 0.05) -> keep_warm.Keeper:
    return keep_warm.Keeper(lambda db: duckdb.connect(db, read_only=True, config=store.reader_config()),
                            keep_s=lambda: keep_s, poll_s=poll_s)


def _wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def db(demo_store, tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copy(demo_store, path)
    return path


def test_held_after_a_page_run_and_let_go_once_idle(db):
    keeper = _keeper(keep_s=3.0)
    keeper.touch(str(db), "v1")
    assert keeper.held == (str(db), "v1")
    assert not _can_write(db)                    # held: DuckDB keeps other processes' writers out
    assert _wait_until(lambda: keeper.held is None, timeout=10)
    assert _can_write(db)


def test_another_process_waiting_to_write_is_let_in_at_once(db):
    """The import and derive commands wait up to a minute for the store: the app lets go when it sees them wait,
    not at the end of its idle time (here a minute), and does not take the store again while they wait."""
    keeper = _keeper(keep_s=60.0)
    keeper.touch(str(db), "v1")
    writer = threading.Thread(target=lambda: result.append(_other_process(_WRITE_WAITING, db)))
    result: list[subprocess.CompletedProcess] = []
    writer.start()
    assert _wait_until(lambda: keeper.held is None, timeout=15)
    writer.join(60)
    done = result[0]
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 10               # let in well before its wait (20 s) ran out
    assert not store.waiting_file(db).exists()   # the writer's signal is gone with it


def test_nothing_is_taken_while_a_writer_waits(db):
    """A page run while an import waits reads on its own connection, closed with the run: the keeper holds none."""
    store.waiting_file(db).touch()
    keeper = _keeper(keep_s=60.0)
    keeper.touch(str(db), "v1")
    assert keeper.held is None


def test_a_write_in_this_process_finds_the_store_let_go(db):
    keeper = _keeper(keep_s=60.0)
    keeper.touch(str(db), "v1")
    with keeper.paused():
        assert keeper.held is None
        keeper.touch(str(db), "v1")              # a page run during the write holds nothing
        assert keeper.held is None
        con = store.connect(db)                  # DuckDB refuses this beside a held read-only connection
        con.execute("CREATE TABLE saved_by_test (x INTEGER)")
        con.close()
    keeper.touch(str(db), "v2")
    assert keeper.held == (str(db), "v2")
    keeper.release()


def test_a_new_store_file_is_read_not_the_held_one(db, tmp_path):
    """An import puts a new file in place (os.replace).  DuckDB hands a new connection the instance of a file
    still open under that name: the old store.  The keeper lets the old one go before the run opens the new."""
    new = tmp_path / "new.duckdb"
    shutil.copy(db, new)
    with duckdb.connect(str(new)) as con:
        con.execute("DELETE FROM plans WHERE team = (SELECT min(team) FROM plans)")
        expected = con.execute("SELECT count(*) FROM plans").fetchone()[0]
    keeper = _keeper(keep_s=60.0)
    keeper.touch(str(db), "old")
    os.replace(new, db)
    keeper.touch(str(db), "new")
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == expected
    keeper.release()


def test_zero_seconds_holds_nothing(db, monkeypatch):
    monkeypatch.setenv(keep_warm.KEEP_ENV, "0")
    keeper = keep_warm.Keeper(lambda d: duckdb.connect(d, read_only=True, config=store.reader_config()))
    keeper.touch(str(db), "v1")
    assert keeper.held is None and _can_write(db)


@pytest.mark.parametrize("value, seconds", [("", 20.0), ("5", 5.0), ("soon", 20.0), ("0", 0.0)])
def test_the_keep_setting_reads_seconds(monkeypatch, value, seconds):
    monkeypatch.setenv(keep_warm.KEEP_ENV, value)
    assert keep_warm.keep_seconds() == seconds


def test_a_writer_signals_while_it_waits_and_clears_its_signal(db):
    seen: list[bool] = []
    with store_held(db):
        watcher = threading.Thread(target=lambda: seen.append(_wait_until(lambda: store.writer_waiting(db), 5)))
        watcher.start()
        with pytest.raises(store.StoreBusy):
            store.connect(db, wait=1.5)
        watcher.join(10)
    assert seen == [True]
    assert not store.waiting_file(db).exists() and not store.writer_waiting(db)


def test_a_reader_waiting_sends_no_signal(db):
    with store_held(db):
        with pytest.raises(store.StoreBusy):
            store.connect(db, read_only=True, wait=1.0)
        assert not store.waiting_file(db).exists()


def test_a_signal_left_by_a_stopped_writer_is_ignored(db):
    left = store.waiting_file(db)
    left.touch()
    assert store.writer_waiting(db)
    old = time.time() - store.WAITING_FRESH_S - 1
    os.utime(left, (old, old))
    assert not store.writer_waiting(db)


def test_a_signal_that_cannot_be_written_does_not_stop_the_wait(db, tmp_path, monkeypatch):
    """A folder the writer may not create files in: it still waits, and says busy in the usual words at the end."""
    monkeypatch.setattr(store, "waiting_file", lambda path: tmp_path / "no such folder" / "store.waiting")
    with store_held(db):
        with pytest.raises(store.StoreBusy, match="in use by another process"):
            store.connect(db, wait=1.0)


def test_a_signal_left_by_another_account_is_put_aside_not_a_crash(db, monkeypatch):
    """A killed writer of another account leaves a file this one may not touch (0600, not its own): this writer
    puts it aside and waits as usual, to the usual busy message (a PermissionError once crashed the import)."""
    left = store.waiting_file(db)
    left.write_text("another account's")
    real_touch = Path.touch

    def touch(self, *args, **kwargs):
        if self == left and self.exists() and self.read_text():
            raise PermissionError(13, "Permission denied", str(self))
        return real_touch(self, *args, **kwargs)

    monkeypatch.setattr(Path, "touch", touch)
    with store_held(db):
        with pytest.raises(store.StoreBusy, match="in use by another process"):
            store.connect(db, wait=1.5)
    assert not left.exists()


# ---------------------------------------------------------------- the app's page runs (ui/data.py) around a new file

def _read_x(run, db: Path) -> str:
    from paqa_dash.ui import data

    return run.get(str(db), data.store_version(db)).execute("SELECT x FROM t").fetchone()[0]


@pytest.fixture
def two_files(tmp_path):
    """`db` holding 'old' and a file holding 'new' to put in its place."""
    db, new = tmp_path / "s.duckdb", tmp_path / "s.duckdb.new"
    for path, value in ((db, "old"), (new, "new")):
        with duckdb.connect(str(path)) as con:
            con.execute("CREATE TABLE t AS SELECT ? AS x", [value])
    return db, new


def test_the_page_run_after_a_new_file_is_put_in_place_reads_it(two_files):
    """The keeper holds the old file after a run; the next run, on the new file's version, must not join it."""
    from paqa_dash.ui import data

    db, new = two_files
    first = data._RunConnection()
    assert _read_x(first, db) == "old"
    first.end()
    assert data.KEEPER.held is not None
    os.replace(new, db)
    second = data._RunConnection()
    assert _read_x(second, db) == "new"
    second.end()


def test_a_run_still_reading_the_old_file_leaves_nothing_held_under_the_new_version(two_files):
    """Two sessions' runs on the old file, a new file put in place, one of them reading again: while the other
    still has the old file open, a connection opened would be the old file's.  The keeper takes none then, so
    the later runs read the new file (and the keeper never holds the old one under the new version)."""
    from paqa_dash.ui import data

    db, new = two_files
    a, b = data._RunConnection(), data._RunConnection()
    assert _read_x(a, db) == _read_x(b, db) == "old"
    os.replace(new, db)
    _read_x(a, db)        # may still read the old file: b has it open (DuckDB's one instance per name)
    a.end()
    assert _read_x(b, db) == "new"
    b.end()
    for _ in range(2):    # later page runs, other users, within the keeper's time
        later = data._RunConnection()
        assert _read_x(later, db) == "new"
        later.end()


def test_a_connection_that_fails_to_close_is_let_go_and_the_keeper_goes_on():
    """A watcher that stopped with the connection held would keep the store from every import until a restart."""
    class Stubborn:
        closed = 0

        def close(self):
            Stubborn.closed += 1
            raise duckdb.IOException("cannot close")

    keeper = keep_warm.Keeper(lambda db: Stubborn(), keep_s=lambda: 0.2, poll_s=0.05)
    keeper.touch("a.duckdb", "v1")
    assert _wait_until(lambda: keeper.held is None, timeout=5) and Stubborn.closed == 1
    keeper.touch("a.duckdb", "v2")               # a new watcher: held, and let go again
    assert keeper.held == ("a.duckdb", "v2")
    assert _wait_until(lambda: keeper.held is None, timeout=5) and Stubborn.closed == 2


def test_the_schema_upgrade_runs_while_the_store_is_held(db):
    """After "Clear caches" the app upgrades the store's schema again, read-write in its own process: DuckDB refuses
    that beside a held read-only connection, and the upgrade said False (cached) instead of running."""
    from paqa_dash.ui import data

    data.KEEPER.touch(str(db), data.store_version(db))
    assert data.KEEPER.held is not None
    data._bring_up_to_date.clear()
    try:
        assert data._bring_up_to_date(str(db)) is True
    finally:
        data._bring_up_to_date.clear()
