"""Issue 15: a native bundle or an SSD extract imported in batches of children gives the store one batch gives.

Each file's rows are shuffled, so one child's rows are spread over the file; a bad row falls in a late
batch and must be rejected naming its file, its line in that file and its field; a file failing late must
leave the store as it was.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from paqa_dash.ingest import bundle, limits, partition, ssd
from paqa_dash.ingest.frames import FatalImportError
from paqa_dash.pipeline import run_import
from support.make_tables import rows_of, set_value, write_bundle, write_ssd
from support.store_tables import store_tables

KEY = "batch-test-key-0123456789abcdef"
CHILDREN = 24


def _import(paths: list[Path], db: Path, batch_children: int | None, monkeypatch: pytest.MonkeyPatch,
            authority: str | None = None):
    monkeypatch.setenv("PAQA_PSEUDO_KEY", KEY)
    return run_import(paths, db, batch_children=batch_children, authority=authority)


def _late_row(path: Path, column: str, owner: str, owners: list[str]) -> int:
    """The line of the first row of `path` whose `owner` column names a child in the last third of `owners`."""
    late = set(owners[-len(owners) // 3:])
    return next(line for line, row in rows_of(path) if row[owner] in late and row[column])


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, int, str]]:
    """Each source with one bad value in a row of a late child: (folder, file, line, field)."""
    folder = tmp_path_factory.mktemp("sources")
    made = write_bundle(folder / "bundle", CHILDREN, seed=11)
    children = [row["child_id"] for _, row in rows_of(made / "children.csv")]
    line = _late_row(made / "plans.csv", "start_date", "child_id", children)
    set_value(made / "plans.csv", line, "start_date", "31/02/2020")
    out = {"bundle": (made, "plans.csv", line, "start_date")}
    made = write_ssd(folder / "ssd", CHILDREN, seed=12)
    people = [row["pers_person_id"] for _, row in rows_of(made / "ssd_person.csv")]
    line = _late_row(made / "ssd_cin_assessments.csv", "cina_assessment_start_date", "cina_person_id", people)
    set_value(made / "ssd_cin_assessments.csv", line, "cina_assessment_start_date", "2020-13-45")
    set_value(made / "ssd_cin_assessments.csv", line, "cina_assessment_auth_date", "")
    out["ssd"] = (made, "ssd_cin_assessments.csv", line,   # named by the extract's columns, then the stored field
                  "cina_assessment_start_date/cina_assessment_auth_date (event_date)")
    return out


@pytest.fixture(scope="module")
def whole(sources, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    """Each source imported as one batch: the store and the summary."""
    folder = tmp_path_factory.mktemp("whole")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        for name, (source, *_) in sources.items():
            out[name] = (folder / f"{name}.duckdb", _import([source], folder / f"{name}.duckdb", 10**6, mp))
    return out


def _issue(i) -> tuple:  # type: ignore[no-untyped-def]
    return (i.table, i.source, i.row, i.field, i.reason, i.fingerprint)


@pytest.mark.parametrize("kind", ["bundle", "ssd"])
@pytest.mark.parametrize("size", [1, 3, 7])
def test_batches_give_the_store_one_batch_gives(kind: str, size: int, sources, whole, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    source, file, line, field = sources[kind]
    whole_db, one = whole[kind]
    batched = _import([source], tmp_path / "batched.duckdb", size, monkeypatch)
    assert batched.tables == one.tables
    assert sorted(map(_issue, batched.rejects)) == sorted(map(_issue, one.rejects))
    assert sorted(map(_issue, batched.warnings)) == sorted(map(_issue, one.warnings))
    # The bad row of a late child: rejected, named by its file, its line in that file and the field.
    assert (file, line, field) in {(r.source, r.row, r.field) for r in batched.rejects}
    a, b = store_tables(whole_db), store_tables(tmp_path / "batched.duckdb")
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_the_late_bad_row_is_named_by_its_line_in_the_file(sources, whole) -> None:
    """The line counts the file's physical lines (an action above runs over two), not rows of a batch."""
    source, file, line, field = sources["bundle"]
    [reject] = [r for r in whole["bundle"][1].rejects if r.source == file and r.field == field]
    assert reject.row == line
    assert reject.where() == f"plans.csv row {line}"
    assert "second line of the same action" in (source / "actions.csv").read_text()


@pytest.mark.parametrize("reader", [bundle, ssd])
def test_each_batch_holds_its_children_and_every_row_of_them(reader, sources) -> None:
    source = sources["bundle" if reader is bundle else "ssd"][0]
    one = reader.read([source])
    batches = list(reader.batches([source], 7))
    assert [len(b.tables["children"]) for b in batches] == [7, 7, 7, 3]
    for batch in batches:
        children = set(batch.tables["children"]["child_id"])
        assert set(batch.tables["plans"]["child_id"]) <= children
        assert set(batch.tables["events"]["child_id"].dropna()) <= children
    for table, frame in one.tables.items():
        assert sum(len(b.tables[table]) for b in batches) == len(frame), table
    assert batches[0].warnings == one.warnings and all(not b.warnings for b in batches[1:])
    with pytest.raises(ValueError):
        list(reader.batches([source], 0))


def _conflicting_authority(source: Path, folder: Path) -> Path:
    """The bundle with an authority column that names another authority for one late child only."""
    made = folder / "bundle"
    made.mkdir()
    for f in source.iterdir():
        (made / f.name).write_bytes(f.read_bytes())
    children = pd.read_csv(made / "children.csv", dtype=str, keep_default_na=False)
    children["authority"] = ""
    children.loc[len(children) - 2, "authority"] = "999"
    children.to_csv(made / "children.csv", index=False)
    return made


def _broken_last_line(source: Path, folder: Path) -> Path:
    """The SSD extract with visits whose last line holds a cell too long to be a CSV field (over the limit the
    test sets: `_LIMIT`)."""
    made = folder / "ssd"
    made.mkdir()
    for f in source.iterdir():
        (made / f.name).write_bytes(f.read_bytes())
    with (made / "ssd_cp_visits.csv").open("a") as f:
        f.write(f"V9,P001,CP1_0,{'x' * 200_000}\n")
    return made


_LIMIT = 100_000


@pytest.mark.parametrize("kind, breaks, message", [
    ("bundle", _conflicting_authority, r"children.csv row \d+: authority is 999 but --authority is 201"),
    ("ssd", _broken_last_line, r"ssd_cp_visits.csv: line \d+: a value longer than 100,000 characters"),
])
def test_a_source_failing_late_leaves_the_store_as_it_was(kind, breaks, message, sources, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CSV_FIELD_CHARS", _LIMIT)  # a value over the real limit takes 10 MB to write
    db = tmp_path / "s.duckdb"
    other = write_ssd(tmp_path / "earlier", 5, seed=3) if kind == "bundle" else write_bundle(tmp_path / "earlier", 5, 3)
    _import([other], db, None, monkeypatch, authority="201")
    before = store_tables(db)
    with pytest.raises(FatalImportError, match=message):
        _import([breaks(sources[kind][0], tmp_path)], db, 3, monkeypatch, authority="201")
    after = store_tables(db)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def test_rows_waiting_on_disk_come_back_as_rows_waiting_in_memory(sources, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large source waits in a database file, a small one in memory: the batches are the same."""
    source = sources["bundle"][0]
    in_memory = list(bundle.batches([source], 5))
    monkeypatch.setattr(partition, "IN_MEMORY_BELOW", 0)
    on_disk = list(bundle.batches([source], 5))
    assert len(on_disk) == len(in_memory)
    for a, b in zip(in_memory, on_disk):
        for table in a.tables:
            pd.testing.assert_frame_equal(a.tables[table], b.tables[table], obj=table)


def test_a_cell_holding_the_separator_or_blank_marker_comes_back_as_written(tmp_path: Path) -> None:
    """Cells travel joined by a control character; a chunk whose cells hold it travels as lists instead."""
    folder = tmp_path / "b"
    folder.mkdir()
    odd = f"a{partition.SEPARATOR}b"
    (folder / "children.csv").write_text(f"child_id,family_id,sex\nC1,{odd},M\nC2,{partition.NULL},\nC3,,F\n")
    [batch] = list(bundle.batches([folder], 10))
    assert batch.tables["children"][["child_id", "family_id", "sex"]].values.tolist() == \
        [["C1", odd, "M"], ["C2", partition.NULL, ""], ["C3", "", "F"]]
