"""Issue 15: de-identification worked out ahead in the census reader's process (ingest/prepare.py).

The store an import writes from batches prepared ahead must be the store it writes working everything out itself,
table by table (counts, rejects and warnings too); the writer must use an answer worked out ahead only where it
is exactly its own (a note scrubbed with other identifiers than the writer's is scrubbed again), and an id the
reader did not foresee is hashed by the writer.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.ingest import cin_xml, prepare
from paqa_dash.ingest.deidentify import pseudonym
from paqa_dash.ingest.frames import Extract
from paqa_dash.pipeline import load_batches
from support.make_cin import write_census
from support.paths import TESTS
from support.store_tables import store_tables

FIX = TESTS / "fixtures" / "cin"
KEY = b"prepare-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def census(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two census years of the same 20 children and the hand-made fixtures (rejects, warnings, bad values)."""
    folder = tmp_path_factory.mktemp("prepare")
    return [write_census(folder / "a_2023.xml", 20, seed=3, reference_date="2023-03-31"),
            write_census(folder / "a_2024.xml", 20, seed=4, reference_date="2024-03-31"),
            FIX / "authority_2022.xml", FIX / "authority_2023.xml", FIX / "messy.xml"]


@pytest.fixture(scope="module")
def alone(census: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The store the writer gives working everything out itself, in batches of 4: what each test compares with."""
    return _store(_in_place(census, 4), tmp_path_factory.mktemp("alone") / "alone.duckdb")


def _in_place(census: list[Path], size: int) -> list[Extract]:
    headers, warnings = cin_xml.census_order(census)
    return list(cin_xml._batches(headers, warnings, size))


def _store(batches: list[Extract], db: Path) -> tuple[dict, dict[str, pd.DataFrame]]:
    con = store.connect(db)
    try:
        summary = load_batches(con, ([b] for b in batches), KEY)
    finally:
        con.close()
    return summary.to_json(), store_tables(db)


def _assert_same(a: tuple[dict, dict[str, pd.DataFrame]], b: tuple[dict, dict[str, pd.DataFrame]]) -> None:
    assert {k: v for k, v in a[0].items() if k != "run_id"} == {k: v for k, v in b[0].items() if k != "run_id"}
    assert a[1].keys() == b[1].keys()
    for name in a[1]:
        pd.testing.assert_frame_equal(a[1][name], b[1][name], obj=name)


def test_batches_prepared_in_the_reader_process_give_the_store_the_writer_gives(census: list[Path], alone,
                                                                              tmp_path: Path) -> None:
    ahead = list(cin_xml.batches(census, 4, read_ahead_from_mb=0, key=KEY))
    assert all(b.prepared is not None and b.prepared.pseudonyms for b in ahead if len(b.tables["children"]))
    assert sum(len(b.prepared.scrubbed) for b in ahead) > 0
    assert any(b.prepared.scoped for b in ahead)   # ids scoped by the files' authority, in the reader
    assert not all(b.prepared.scoped for b in ahead)   # messy.xml names no authority: scoped by the writer
    assert any(":" in str(v) for b in ahead if b.prepared.scoped for v in b.tables["children"]["child_id"])
    assert all(b.prepared is None for b in _in_place(census, 4))
    assert alone[0]["rejects"] and alone[0]["warnings"]   # the fixtures' issues are compared too
    _assert_same(_store(ahead, tmp_path / "ahead.duckdb"), alone)


def test_the_writer_looks_up_what_the_reader_worked_out(census: list[Path], tmp_path: Path) -> None:
    """A marked answer reaches the store: the lookups are the path taken, not a check beside it."""
    batches = list(prepare.prepared_batches(iter(_in_place(census, 100)), KEY))
    (first,) = [b for b in batches if b.prepared.scrubbed][:1]
    note = next(iter(first.prepared.scrubbed))
    first.prepared.scrubbed[note] = "MARKED NOTE"
    child = next(t for t in first.prepared.pseudonyms if t.startswith("999:"))
    first.prepared.pseudonyms[child] = "markedpseudonym0"
    _, tables = _store(batches, tmp_path / "marked.duckdb")
    assert "MARKED NOTE" in set(tables["events"]["detail"])
    assert "markedpseudonym0" in set(tables["children"]["child_id"])
    assert first.prepared.pseudonyms[next(t for t in first.prepared.pseudonyms if t != child)] == pseudonym(
        KEY, next(t for t in first.prepared.pseudonyms if t != child))


def test_notes_scrubbed_with_other_identifiers_are_scrubbed_again(census: list[Path], alone, tmp_path: Path) -> None:
    """The reader scrubbed with identifiers the writer does not hold (here: as if it had met one more birth date
    and id): the writer scrubs those notes itself, and the store is the store it gives alone."""
    batches = list(prepare.prepared_batches(iter(_in_place(census, 4)), KEY))
    for b in batches:
        names, ids, births = b.prepared.seen
        b.prepared = replace(b.prepared, seen=(names, ids + 1, births),
                             scrubbed={t: "STALE" for t in b.prepared.scrubbed})
    _assert_same(_store(batches, tmp_path / "stale.duckdb"), alone)


def test_ids_the_reader_did_not_foresee_are_hashed_by_the_writer(census: list[Path], alone, tmp_path: Path) -> None:
    batches = list(prepare.prepared_batches(iter(_in_place(census, 4)), KEY))
    for b in batches:
        b.prepared.pseudonyms = dict(list(b.prepared.pseudonyms.items())[::2])   # half of them missing
    _assert_same(_store(batches, tmp_path / "half.duckdb"), alone)
