"""Issue 15: an import read and written in bounded batches gives the store one batch gives.

The same census files are imported whole (one batch) and a few children at a time; every table of the two
stores must hold the same rows, the counts and rejects must be the same (a duplicate or reject met across
batches counted once), and a file that fails in a late batch must leave the store as it was.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.ingest import bundle, cin_xml, detect
from paqa_dash.ingest.frames import FatalImportError
from paqa_dash.pipeline import load_batches, load_extracts, run_import
from support.make_cin import write_census
from support.store_tables import store_tables
from support.paths import TESTS

FIX = TESTS / "fixtures" / "cin"
AUTHORITY = [FIX / "authority_2024.xml", FIX / "authority_2022.xml", FIX / "authority_2023.xml", FIX / "messy.xml"]
KEY = "batch-test-key-0123456789abcdef"
_tables = store_tables


def _import(paths: list[Path], db: Path, batch_children: int | None, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAQA_PSEUDO_KEY", KEY)
    return run_import(paths, db, batch_children=batch_children)


@pytest.fixture(scope="module")
def census(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two census years of 40 children (the same ids, so plans and children repeat and merge across years)
    and the hand-worked authority fixtures, whose rejects and warnings fall in several batches."""
    folder = tmp_path_factory.mktemp("census")
    return [write_census(folder / "a_2023.xml", 20, seed=3, reference_date="2023-03-31"),
            write_census(folder / "a_2024.xml", 20, seed=4, reference_date="2024-03-31")]


@pytest.mark.parametrize("size", [3])
def test_batches_give_the_store_one_batch_gives(census: list[Path], tmp_path: Path, size: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _import(census, tmp_path / "whole.duckdb", 10**6, monkeypatch)
    batched = _import(census, tmp_path / "batched.duckdb", size, monkeypatch)
    assert batched.tables == whole.tables
    assert whole.tables["children"]["duplicates"] > 0   # the same children in both years were met twice
    a, b = _tables(tmp_path / "whole.duckdb"), _tables(tmp_path / "batched.duckdb")
    assert a.keys() == b.keys()
    a["events"], b["events"] = _birth_dates_masked(a["events"], b["events"])
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_stored_rows_found_by_the_key_list_or_by_a_join_give_the_same_store(census: list[Path], tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch's stored rows are looked up through the list of its keys when it has few (load._by_index), else by a
    join with the table: the two ways give the same store, updates and merges across years included."""
    from paqa_dash.ingest import load

    by_index = load._by_index
    asked: list[bool] = []
    monkeypatch.setattr(load, "_by_index", lambda *a: asked.append(by_index(*a)) or asked[-1])
    listed = _import(census, tmp_path / "listed.duckdb", 5, monkeypatch)
    assert True in asked   # the list was taken (then, below, never)
    monkeypatch.setattr(load, "_index_limit", lambda con, table: 0)   # every batch joined with the table
    joined = _import(census, tmp_path / "joined.duckdb", 5, monkeypatch)
    assert listed.tables == joined.tables
    assert listed.tables["children"]["duplicates"] > 0   # stored rows were found, not only inserted
    a, b = _tables(tmp_path / "listed.duckdb"), _tables(tmp_path / "joined.duckdb")
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def _birth_dates_masked(a: pd.DataFrame, b: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The one known difference: a free text is scrubbed of the birth dates (and record ids) of its own batch
    and every earlier one, not of a later batch's children (which one batch knows).  Those texts are masked,
    once it is checked that they are few and that the batched text is the whole text but for such a date."""
    whole = a["detail"].fillna("").str.contains("[date of birth]", regex=False)
    differs = a["detail"].fillna("") != b["detail"].fillna("")
    assert not (differs & ~whole).any(), pd.concat([a.loc[differs & ~whole, "detail"], b.loc[differs & ~whole, "detail"]], axis=1).to_string()
    assert whole.mean() < 0.05
    for frame in (a, b):
        frame.loc[whole, "detail"] = "(masked)"
    return a, b


def test_rejects_and_warnings_across_batches_are_those_of_one_batch(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _import(AUTHORITY, tmp_path / "whole.duckdb", None, monkeypatch)
    batched = _import(AUTHORITY, tmp_path / "batched.duckdb", 1, monkeypatch)
    assert whole.rejects and whole.warnings
    assert batched.tables == whole.tables
    issue = lambda i: (i.table, i.source, i.row, i.field, i.reason, i.fingerprint)  # noqa: E731
    assert sorted(map(issue, batched.rejects)) == sorted(map(issue, whole.rejects))
    assert sorted(map(issue, batched.warnings)) == sorted(map(issue, whole.warnings))
    for name in ("rejects", "warnings", "children", "plans", "events", "needs", "row_returns"):
        pd.testing.assert_frame_equal(_tables(tmp_path / "whole.duckdb")[name],
                                      _tables(tmp_path / "batched.duckdb")[name], obj=name)


def test_each_batch_holds_at_most_the_children_asked_for(census: list[Path]) -> None:
    sizes = [len(b.tables["children"]) for b in cin_xml.batches(census, 7)]
    assert sizes == [7, 7, 7, 7, 7, 5]             # 40 Child elements, 7 at a time
    assert max(len(b.tables["children"]) for b in detect.iter_batches(census, 16)) == 16
    assert sum(len(b.tables["plans"]) for b in cin_xml.batches(census, 7)) == \
        len(cin_xml.read(census).tables["plans"])
    with pytest.raises(ValueError):
        cin_xml.batches(census, 0)


def _children_batch(folder: Path, rows: str) -> list:
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,family_id,birth_date,sex\n" + rows)
    return [bundle.read([folder])]


def test_a_key_met_again_in_a_later_batch_is_a_duplicate_or_a_reject_once(tmp_path: Path) -> None:
    """Children are no merged table: the same row again is a duplicate; the same id with other content is
    rejected, naming its file and row, as within one batch."""
    first = "C1,F1,2015-03-01,M\nC2,F2,2016-04-01,F\n"
    later = "C1,F1,2015-03-01,M\nC2,F2,2016-04-01,M\nC3,F3,2017-05-01,F\n"
    con = store.connect(tmp_path / "batched.duckdb")
    try:
        batched = load_batches(con, [_children_batch(tmp_path / "b1", first), _children_batch(tmp_path / "b2", later)],
                               KEY.encode(), today=date(2025, 6, 30))
        stored = con.execute("SELECT count(*), count(DISTINCT child_id) FROM children").fetchone()
    finally:
        con.close()
    con = store.connect(tmp_path / "whole.duckdb")
    try:
        whole = load_extracts(con, _children_batch(tmp_path / "one", first + later), KEY.encode(),
                              today=date(2025, 6, 30))
    finally:
        con.close()
    assert batched.tables["children"] == {"read": 5, "loaded": 3, "rejected": 1, "duplicates": 1}
    assert batched.tables["children"] == whole.tables["children"]
    assert stored == (3, 3)
    [reject] = batched.rejects
    assert (reject.table, reject.source, reject.row, reject.field) == ("children", "children.csv", 3, "child_id")
    assert reject.reason.startswith("duplicate child_id with different content")
    assert reject.fingerprint == whole.rejects[0].fingerprint


def test_a_reference_to_a_child_of_an_earlier_batch_is_found(tmp_path: Path) -> None:
    children = _children_batch(tmp_path / "c", "C1,F1,2015-03-01,M\n")
    plans_folder = tmp_path / "p"
    plans_folder.mkdir()
    (plans_folder / "plans.csv").write_text("plan_id,child_id,start_date,initial_category,team\n"
                                            "P1,C1,2020-01-01,NEG,North\nP2,C9,2020-01-01,NEG,North\n")
    con = store.connect(tmp_path / "s.duckdb")
    try:
        summary = load_batches(con, [children, [bundle.read([plans_folder])]], KEY.encode(), today=date(2025, 6, 30))
    finally:
        con.close()
    assert summary.tables["plans"] == {"read": 2, "loaded": 1, "rejected": 1, "duplicates": 0}
    assert [(r.row, r.field) for r in summary.rejects] == [(3, "child_id")]


def test_a_file_failing_in_a_late_batch_leaves_the_store_as_it_was(census: list[Path], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.duckdb"
    _import(census[:1], db, None, monkeypatch)
    before = _tables(db)
    broken = tmp_path / "b_2025.xml"
    text = write_census(tmp_path / "whole_2025.xml", 30, seed=5, reference_date="2025-03-31").read_text()
    broken.write_text(text[: int(len(text) * 0.8)] + "<Child><oops></Child>")   # well-formed header, bad end
    with pytest.raises(FatalImportError, match="b_2025.xml: not well-formed XML"):
        _import([census[1], broken], db, 2, monkeypatch)
    after = _tables(db)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def test_the_key_list_only_where_duckdb_reads_it_through_the_index(tmp_path: Path) -> None:
    """One-column keys, no more than the index will fetch (on a small store, DuckDB's 2,048); attendance's key is two
    columns, so it is always joined."""
    from paqa_dash.ingest import load
    from support.store_builder import build_store

    con = build_store(tmp_path / "s.duckdb", plans=[])
    try:
        limit = load._index_limit(con, "events")
        assert limit == 2048
        assert load._by_index(["event_id"], 2048, limit)
        assert not load._by_index(["event_id"], 2049, limit)
        assert not load._by_index(["event_id"], 0, limit)
        assert not load._by_index(["event_id", "agency"], 10, load._index_limit(con, "attendance"))
    finally:
        con.close()



def _spied(monkeypatch: pytest.MonkeyPatch) -> tuple[list[bool], list[str]]:
    """Whether each comparison of a batch with the stored rows read the stored return dates (`dated`), and the
    named blocks run over a batch's rows (the row_returns upserts among them)."""
    from paqa_dash import sql
    from paqa_dash.ingest import load

    against, over = sql.against_stored, load._over_block
    dated: list[bool] = []
    blocks: list[str] = []
    monkeypatch.setattr(sql, "against_stored", lambda *a, **k: dated.append(bool(a[4])) or against(*a, **k))
    monkeypatch.setattr(load, "_over_block", lambda con, name, *a, **k: blocks.append(name) or over(con, name, *a, **k))
    return dated, blocks


WRITTEN = ("children", "plans", "events", "needs", "row_returns", "rejects", "warnings")


def _written(db: Path, batches: list[list]) -> dict[str, pd.DataFrame]:
    """The writer alone over `batches`, as one run (no derivation: quick); the tables it writes."""
    from paqa_dash.ingest.load import ImportWriter

    con = store.connect(db)
    try:
        writer = ImportWriter(con, KEY.encode(), today=date(2025, 6, 30))
        for batch in batches:
            writer.write(batch)
        writer.finish()
    finally:
        con.close()
    return {name: frame for name, frame in _tables(db).items() if name in WRITTEN}


def test_a_first_import_in_census_order_reads_no_stored_return_date(census: list[Path], tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Into an empty store, census batches come in date order, so no row can be older than the return that wrote
    its stored row: the batches are compared with the stored rows without row_returns, whose dates are written
    once at the end (load._RunReturns).  Written again, the store holds their dates: every batch reads them."""
    dated, blocks = _spied(monkeypatch)
    db = tmp_path / "s.duckdb"
    first = _written(db, [[b] for b in cin_xml.batches(census, 20)])
    assert dated and not any(dated)   # stored rows were met (the same children in both years), and compared
    assert blocks.count("load_upsert_row_returns") == 4   # children, plans, events, needs: once each
    assert len(first["row_returns"]) and (first["children"]["run_id"] == "1").all()
    dated.clear()
    _written(db, [[b] for b in cin_xml.batches(census, 20)])
    assert dated and all(dated)


def test_batches_out_of_date_order_are_compared_with_the_stored_return_dates(census: list[Path], tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A run whose batches are not in date order (each year's return read as its own extract, newest first): a
    batch older than one before it reads the return dates written so far, as every batch did before the shortcut,
    so its rows only fill the newer returns' blanks (SYNA001's plan keeps 2023's EMO, not 2022's NEG); the store
    is the one written with every batch compared."""
    from paqa_dash.ingest import load

    newest_first = [[cin_xml.read([FIX / f"authority_{year}.xml"])] for year in (2024, 2023, 2022)]
    dated, _ = _spied(monkeypatch)
    shortcut = _written(tmp_path / "shortcut.duckdb", newest_first)
    assert not dated[0] and dated[-1]   # the newest year's batch meets no stored row; the older are compared
    plan = shortcut["plans"][shortcut["plans"]["start_date"].str.startswith("2021-10-20")]
    assert plan[["end_date", "latest_category"]].values.tolist() == [["2023-05-31", "EMO"]]
    returns = load._RunReturns   # every batch compared with the stored dates and upserted, as before the shortcut
    monkeypatch.setattr(returns, "may_be_older", lambda self, table, as_of: self.flush(table) or True)
    monkeypatch.setattr(returns, "_is_fresh", lambda self, table: False)
    always = _written(tmp_path / "always.duckdb", newest_first)
    assert len(always["row_returns"]) and len(always["plans"])
    for name in WRITTEN:
        pd.testing.assert_frame_equal(shortcut[name], always[name], obj=name)
