"""The import's warnings for implausible plans (docs/data_contract.md, "Implausible plans"): each rule
names the file and row, the plan is still stored, and nothing else is warned about."""
from __future__ import annotations

from datetime import date

from paqa_dash import store
from paqa_dash.ingest import bundle
from paqa_dash.pipeline import load_extracts

CHILDREN = "child_id,family_id,birth_date\nC1,F1,2015-03-27\nC2,F2,2000-01-10\nC3,F3,2012-05-01\n"
PLANS = ("plan_id,child_id,start_date,end_date,initial_category,team\n"
         "P1,C1,1970-02-17,1971-03-14,NEG,North\n"      # row 2: before 1990
         "P2,C1,2022-02-17,2023-03-14,NEG,North\n"      # row 3: fine
         "P3,C2,2019-01-15,2019-06-01,NEG,North\n"      # row 4: aged 19
         "P4,C3,2013-01-01,2019-01-01,NEG,North\n")     # row 5: six years


def test_each_rule_warns_with_file_and_row(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "children.csv").write_text(CHILDREN)
    (folder / "plans.csv").write_text(PLANS)
    con = store.connect(tmp_path / "s.duckdb")
    try:
        summary = load_extracts(con, [bundle.read([folder])], b"k" * 32, today=date(2025, 6, 30))
        plans_loaded = con.execute("SELECT count(*) FROM plans").fetchone()[0]
    finally:
        con.close()
    warned = sorted((w.source, w.row, w.reason) for w in summary.warnings if "implausible" in w.reason)
    assert warned == [
        ("plans.csv", 2, "plan starts before 1990 (1970-02-17): implausible, left out of every measure"),
        ("plans.csv", 4, "child aged 18 or over at plan start: implausible, left out of every measure"),
        ("plans.csv", 5, "plan lasts over 5 years (2013-01-01 to 2019-01-01): implausible, left out of every measure"),
    ]
    assert plans_loaded == 4   # stored, not rejected


# Rows 3 and 5 are rejected (unknown sex codes); row 4 is loaded with a warning (ethnicity).
ISSUE_ROWS = ["C1,F1,2015-03-27,M,WBRI", "C2,F2,2015-10-15,Z,WBRI", "C3,F3,2014-01-01,M,ZZZZ",
              "C4,F4,2013-02-02,Q,WBRI"]
ISSUE_HEADER = "child_id,family_id,birth_date,sex,ethnicity\n"
# Rows 3 and 4 are rejected after de-identification, by reference (a rejected child, an unknown child); row 5
# loads with a warning (its team name holds a phone number).
ISSUE_PLANS = ["P1,C1,2020-01-01,,NEG,North", "P2,C2,2020-01-01,,NEG,North", "P3,C9,2020-01-01,,NEG,North",
               "P4,C3,2020-01-01,,NEG,North 07700 900123"]
PLANS_HEADER = "plan_id,child_id,start_date,end_date,initial_category,team\n"


def _import_children(tmp_path, name: str, rows: list[str], db, plans: list[str] = ISSUE_PLANS) -> int:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "children.csv").write_text(ISSUE_HEADER + "\n".join(rows) + "\n")
    (folder / "plans.csv").write_text(PLANS_HEADER + "\n".join(plans) + "\n")
    con = store.connect(db)
    try:
        return load_extracts(con, [bundle.read([folder])], b"k" * 32, today=date(2025, 6, 30)).run_id
    finally:
        con.close()


def _stored(db, table: str) -> list[tuple]:
    con = store.connect(db, read_only=True)
    try:
        return con.execute(f"SELECT run_id, row_number, field, fingerprint FROM {table} "
                           "ORDER BY table_name, field, fingerprint").fetchall()
    finally:
        con.close()


def test_the_same_rows_again_replace_their_rejects_and_warnings(tmp_path):
    db = tmp_path / "s.duckdb"
    first = _import_children(tmp_path, "first", ISSUE_ROWS, db)
    before = {t: _stored(db, t) for t in ("rejects", "warnings")}
    # Both files reordered: another file hash, so not skipped.
    second = _import_children(tmp_path, "reordered", ISSUE_ROWS[::-1], db, ISSUE_PLANS[::-1])
    after = {t: _stored(db, t) for t in ("rejects", "warnings")}
    assert second != first
    by_row = {t: sorted((r[1], r[2]) for r in before[t]) for t in before}
    assert by_row == {"rejects": [(3, "child_id"), (3, "sex"), (4, "child_id"), (5, "sex")],
                      "warnings": [(4, "ethnicity"), (5, "team")]}
    # The same count, each row now pointing at the latest run and its row number in the reordered files.
    assert {t: sorted((r[0], r[1], r[2]) for r in after[t]) for t in after} == {
        "rejects": [(second, 2, "sex"), (second, 3, "child_id"), (second, 4, "child_id"), (second, 4, "sex")],
        "warnings": [(second, 2, "team"), (second, 3, "ethnicity")]}
    # Fingerprints follow the content, not the place, and are neither blank nor a stored value.
    assert {t: sorted(r[3] for r in after[t]) for t in after} == {t: sorted(r[3] for r in before[t]) for t in before}
    assert all(r[3] and len(r[3]) == 32 and "C2" not in r[3] for r in after["rejects"] + after["warnings"])


def test_a_changed_row_keeps_its_old_reject(tmp_path):
    db = tmp_path / "s.duckdb"
    _import_children(tmp_path, "first", ISSUE_ROWS, db)
    changed = [r.replace("2015-10-15", "2015-10-16") for r in ISSUE_ROWS]   # row 3 is another row now
    _import_children(tmp_path, "changed", changed, db)
    fields = sorted(r[2] for r in _stored(db, "rejects"))
    assert fields == ["child_id", "child_id", "sex", "sex", "sex"]


def test_a_store_without_the_column_gets_it(tmp_path):
    db = tmp_path / "old.duckdb"
    con = store.connect(db)
    con.execute("ALTER TABLE rejects DROP COLUMN fingerprint")
    con.execute("ALTER TABLE warnings DROP COLUMN fingerprint")
    con.close()
    _import_children(tmp_path, "first", ISSUE_ROWS, db)
    assert len(_stored(db, "rejects")) == 4


def test_a_files_own_warning_is_not_stored_again_when_it_is_imported_again(tmp_path):
    """An issue of no one row's values (an unknown column: no fingerprint) replaces itself on a second import of
    the file, as a row's issue does; and the import's record says it finished after it started."""
    db = tmp_path / "s.duckdb"
    header = "child_id,family_id,birth_date,sex,ethnicity,parent_name\n"
    for name, rows in (("first", ISSUE_ROWS), ("again", ISSUE_ROWS[::-1])):   # reordered: another file hash
        folder = tmp_path / name
        folder.mkdir()
        (folder / "children.csv").write_text(header + "\n".join(r + ",X" for r in rows) + "\n")
        con = store.connect(db)
        try:
            load_extracts(con, [bundle.read([folder])], b"k" * 32, today=date(2025, 6, 30))
        finally:
            con.close()
    con = store.connect(db, read_only=True)
    try:
        unknown = con.execute("SELECT run_id, field FROM warnings WHERE message LIKE 'unknown column%'").fetchall()
        runs = con.execute("SELECT started_at <= finished_at, finished_at - started_at FROM import_runs").fetchall()
    finally:
        con.close()
    assert unknown == [(2, "parent_name")]
    assert len(runs) == 2 and all(in_order for in_order, _ in runs)


def test_a_corrected_row_imported_again_clears_its_reject(tmp_path):
    """Run 1 rejects plan P2 (it ends before it starts) and the need that names it; run 2 brings P2 corrected:
    both rejects go, as P2 and its need are now stored.  P3, still wrong, keeps one reject (run 2's)."""
    db = tmp_path / "s.duckdb"
    plans = ["P1,C1,2020-01-01,,NEG,North", "P2,C2,2020-05-01,2020-02-01,NEG,North",
             "P3,C3,2020-05-01,2020-02-01,NEG,North"]
    for name, p2 in (("first", plans[1]), ("corrected", "P2,C2,2020-01-05,2020-02-01,NEG,North")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "children.csv").write_text("child_id\nC1\nC2\nC3\n")
        (folder / "plans.csv").write_text(PLANS_HEADER + "\n".join([plans[0], p2, plans[2]]) + "\n")
        (folder / "needs.csv").write_text("need_id,child_id,plan_id,identified_date,factor\nN1,C2,P2,2020-01-20,2B\n")
        con = store.connect(db)
        try:
            load_extracts(con, [bundle.read([folder])], b"k" * 32, today=date(2025, 6, 30))
        finally:
            con.close()
        if name == "first":
            assert sorted((r[0], r[2]) for r in _stored(db, "rejects")) == [
                (1, "end_date"), (1, "end_date"), (1, "plan_id")]
    con = store.connect(db, read_only=True)
    try:
        held = con.execute("SELECT count(*) FROM plans").fetchone()[0], con.execute("SELECT count(*) FROM needs").fetchone()[0]
        left = con.execute("SELECT run_id, table_name, row_number, field FROM rejects").fetchall()
    finally:
        con.close()
    assert held == (2, 1)
    assert left == [(2, "plans", 4, "end_date")]


def test_a_reject_in_an_earlier_versions_words_is_replaced_by_the_same_rows_reject(tmp_path):
    """An upgrade rewords a reason (an unknown code's now says what to write): the same row imported again
    replaces its reject, by fingerprint and field, instead of listing it twice."""
    db = tmp_path / "s.duckdb"
    _import_children(tmp_path, "first", ISSUE_ROWS, db)
    con = store.connect(db)
    con.execute("UPDATE rejects SET reason = split_part(reason, ':', 1)")   # as an earlier version worded them
    con.close()
    before = len(_stored(db, "rejects"))
    _import_children(tmp_path, "reordered", ISSUE_ROWS[::-1], db, ISSUE_PLANS[::-1])
    assert len(_stored(db, "rejects")) == before == 4
