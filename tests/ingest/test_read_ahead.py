"""Issue 15: a large census is parsed in a second process (ingest/read_ahead.py) while the import writes.

The batches read ahead must be the batches read in place (the same rows, issues and order), a file failing
in a late batch must fail the import with the same message, and a writer that stops early stops the worker.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from paqa_dash.ingest import cin_xml, read_ahead
from paqa_dash.ingest.frames import FatalImportError
from support.make_cin import write_census
from support.paths import TESTS

MESSY = TESTS / "fixtures" / "cin" / "messy.xml"


@pytest.fixture(scope="module")
def census(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("ahead")
    return [write_census(folder / "a_2023.xml", 12, seed=3, reference_date="2023-03-31"),
            write_census(folder / "a_2024.xml", 12, seed=4, reference_date="2024-03-31"), MESSY]


def test_batches_read_ahead_are_the_batches_read_in_place(census: list[Path]) -> None:
    here = list(cin_xml.batches(census, 5))
    there = list(cin_xml.batches(census, 5, read_ahead_from_mb=0))
    assert len(there) == len(here) > 3
    for a, b in zip(here, there):
        assert (a.kind, a.files, a.returns, a.authorities, a.merge_duplicates) == \
            (b.kind, b.files, b.returns, b.authorities, b.merge_duplicates)
        assert (a.rejects, a.warnings) == (b.rejects, b.warnings)
        assert set(a.tables) == set(b.tables)
        for table in a.tables:
            pd.testing.assert_frame_equal(a.tables[table], b.tables[table], obj=table)


def test_a_file_failing_in_a_late_batch_fails_as_it_does_in_place(census: list[Path], tmp_path: Path) -> None:
    text = write_census(tmp_path / "whole_2025.xml", 20, seed=5, reference_date="2025-03-31").read_text()
    broken = tmp_path / "b_2025.xml"
    broken.write_text(text[: int(len(text) * 0.8)] + "<Child><oops></Child>")
    with pytest.raises(FatalImportError) as in_place:
        list(cin_xml.batches([*census, broken], 4))
    got = []
    with pytest.raises(FatalImportError) as ahead:
        for batch in cin_xml.batches([*census, broken], 4, read_ahead_from_mb=0):
            got.append(batch)
    assert str(ahead.value) == str(in_place.value)
    assert str(ahead.value).startswith("b_2025.xml: not well-formed XML")
    assert len(got) > 3  # the batches before the bad one came first, as in place


def test_items_come_in_order_and_a_failure_after_them_stops_the_import() -> None:
    # The worker is a fresh interpreter: what it runs must be importable there (builtins here).
    assert list(read_ahead.ahead(range, 7)) == list(range(7))
    got = []
    with pytest.raises(ValueError, match="invalid literal"):
        for item in read_ahead.ahead(map, int, ["1", "2", "x", "4"]):
            got.append(item)
    assert got == [1, 2]


def test_a_writer_that_stops_early_stops_the_worker() -> None:
    items = read_ahead.ahead(range, 10_000_000)
    assert next(items) == 0
    items.close()  # the writer failed: the generator is closed, the worker is stopped and waited for
    assert items.gi_frame is None


def test_the_worker_never_runs_the_callers_main_module(tmp_path: Path) -> None:
    """A script without a `__main__` guard (multiprocessing's spawn would run it again in the worker)."""
    script = tmp_path / "unguarded.py"
    script.write_text("from paqa_dash.ingest import read_ahead\nprint(sum(read_ahead.ahead(range, 5)))\n")
    import subprocess
    import sys
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(TESTS.parent), "PATH": "/usr/bin:/bin"})
    assert (done.returncode, done.stdout) == (0, "10\n"), done.stderr
