"""The access log: append-only JSON lines beside the store, read back with the administrator's filters."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from paqa_dash import access_log
from paqa_dash.access_log import EXPORT, IMPORT, VIEW, Query, Record


def _rec(**kw) -> Record:
    base = {"identity": "ana@council.gov.uk", "role": "administrator", "action": VIEW, "page": "overview",
            "filters": "team=North", "time": "2025-03-01T10:00:00+00:00"}
    return Record(**{**base, **kw})


def test_the_log_sits_beside_the_store_unless_told_otherwise(tmp_path: Path) -> None:
    db = tmp_path / "paqa.duckdb"
    assert access_log.log_path(db, env={}) == tmp_path / "paqa.duckdb.access.jsonl"
    assert access_log.log_path(db, env={"PAQA_ACCESS_LOG": str(tmp_path / "x.jsonl")}) == tmp_path / "x.jsonl"


def test_records_come_back_in_order_with_every_field(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    first = _rec(child="abcdef0123456789")
    second = _rec(action=EXPORT, detail="audit_sample.csv", filters="", time="2025-03-02T09:00:00+00:00")
    access_log.append(first, path)
    access_log.append(second, path)
    assert access_log.read(path=path).records == (first, second)
    assert set(json.loads(path.read_text(encoding="utf-8").splitlines()[0])) == set(access_log.COLUMNS)


def test_a_new_record_is_stamped_in_utc() -> None:
    assert Record(identity="x", role="auditor", action=VIEW).when.utcoffset().total_seconds() == 0


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown access-log action"):
        _rec(action="delete")


def test_a_value_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    access_log.append(_rec(detail="a\nb\r\nc"), path)
    assert len(path.read_bytes().splitlines()) == 1
    assert access_log.read(path=path).records[0].detail == "a\nb\r\nc"


def test_the_module_offers_no_way_to_change_what_is_written() -> None:
    public = {n for n in dir(access_log) if not n.startswith("_") and callable(getattr(access_log, n))}
    assert not {n for n in public if any(w in n.lower() for w in ("delete", "remove", "clear", "rewrite",
                                                                  "truncate", "update", "write"))}


def test_filters_by_identity_page_child_action_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    rows = [_rec(), _rec(identity="bo@council.gov.uk", page="child_timeline", child="abcdef0123456789"),
            _rec(action=IMPORT, page="import", time="2025-03-05T23:59:59+00:00"),
            _rec(action=EXPORT, time="2025-04-01T00:00:00+00:00")]
    for r in rows:
        access_log.append(r, path)

    def got(**kw) -> list[Record]:
        return list(access_log.read(Query(**kw), path).records)

    assert got(identity="BO@") == [rows[1]]
    assert got(page="child_timeline") == [rows[1]]
    assert got(child="ABCDEF0123456789") == [rows[1]]
    assert got(action=IMPORT) == [rows[2]]
    assert got(since=date(2025, 3, 2), until=date(2025, 3, 5)) == [rows[2]]   # both ends inclusive
    assert got(since=date(2025, 4, 1)) == [rows[3]]
    assert got() == rows


def test_a_damaged_line_is_counted_not_read(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    access_log.append(_rec(), path)
    with open(path, "ab") as f:
        f.write(b'{"identity": "half')   # a write cut short
    reading = access_log.read(path=path)
    assert len(reading.records) == 1 and reading.damaged == 1


def test_a_missing_log_is_empty(tmp_path: Path) -> None:
    assert access_log.read(path=tmp_path / "none.jsonl") == access_log.Reading(())


LONG = "x" * 20000   # longer than a pipe buffer: interleaving would show as broken lines
ROOT = Path(__file__).resolve().parents[1]
WRITER = """
import sys
from pathlib import Path
from paqa_dash import access_log
for i in range(int(sys.argv[3])):
    access_log.append(access_log.Record(identity=sys.argv[2], role="auditor", action="view",
                                        detail=f"{i}:" + "x" * 20000), Path(sys.argv[1]))
"""


def _write_many(path: str, who: str, n: int) -> None:
    for i in range(n):
        access_log.append(_rec(identity=who, detail=f"{i}:{LONG}"), Path(path))


def test_threads_and_processes_never_interleave_lines(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"p{i}", "30"], cwd=ROOT)
             for i in range(2)]
    threads = [threading.Thread(target=_write_many, args=(str(path), f"t{i}", 30)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(p.wait(timeout=120) == 0 for p in procs)
    reading = access_log.read(path=path)
    assert reading.damaged == 0 and len(reading.records) == 6 * 30
    for who in ("t0", "t3", "p0", "p1"):   # each writer's records whole and in its own order
        mine = [r.detail.split(":")[0] for r in reading.records if r.identity == who]
        assert mine == [str(i) for i in range(30)]


def test_as_frame_puts_time_first_and_the_newest_on_top() -> None:
    older, newer = _rec(), _rec(time="2025-03-09T10:00:00+00:00", child="c")
    frame = access_log.as_frame([older, newer])
    assert list(frame.columns)[0] == "time" and set(frame.columns) == set(access_log.COLUMNS)
    assert list(frame["time"]) == [newer.time, older.time]
    assert list(access_log.as_frame([older, newer], newest_first=False)["time"]) == [older.time, newer.time]
