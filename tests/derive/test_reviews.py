"""Plan-quality reviews are made once at import and stored (paqa_dash/derive/reviews.py): one row
per loaded action, equal to the paqa_dash.text functions, untouched by a re-import, redone for an
action whose text changed."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.derive import registry
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS
from paqa_dash.derive import reviews as action_reviews
from paqa_dash.pipeline import run_import
from paqa_dash.text import language, smart, themes
from support.reviews import review_store

ACTIONS = [
    ("A1", "P1", "Mum is non-compliant and must engage with the ICPC plan", "", ""),
    ("A2", "P1", "Health visitor to weigh the baby every two weeks", "HEALTH", "2024-03-01"),
    ("A3", "P2", "Dad to attend the Freedom Programme by 1 June", "ADULT_DA", ""),
    ("A4", "P2", "Mum is non-compliant and must engage with the ICPC plan", "CSC", ""),  # same text, owner
]


def write_bundle(folder: Path, actions: list[tuple[str, ...]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "children.csv").write_text("child_id\nC1\nC2\n")
    (folder / "plans.csv").write_text("plan_id,child_id,start_date,initial_category,team\n"
                                      "P1,C1,2024-01-08,NEG,North\nP2,C2,2024-02-05,NEG,South\n")
    rows = "\n".join(",".join(f'"{v}"' for v in a) for a in actions)
    (folder / "actions.csv").write_text("action_id,plan_id,action_text,owner_agency,due_date\n" + rows + "\n")
    return folder


def table(db: Path, name: str, order: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {name} ORDER BY {order}").df()
    finally:
        con.close()


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    db = tmp_path / "s.duckdb"
    run_import([write_bundle(tmp_path / "b1", ACTIONS)], db)
    return db


def test_one_review_row_per_loaded_action_and_plan(imported: Path) -> None:
    actions = table(imported, "actions", "action_id")
    reviews = table(imported, "action_reviews", "action_id")
    assert len(actions) == 4
    assert reviews["action_id"].tolist() == actions["action_id"].tolist()
    assert reviews["plan_id"].tolist() == actions["plan_id"].tolist()
    assert sorted(table(imported, "plan_reviews", "plan_id")["plan_id"]) == sorted(set(actions["plan_id"]))


def test_stored_values_equal_the_text_reviews(imported: Path) -> None:
    actions = table(imported, "actions", "action_id")
    reviews = table(imported, "action_reviews", "action_id")
    direct = smart.review_actions(actions[["action_id", "action_text", "owner_agency", "due_date"]])
    cols = ["action_id", *smart.CRITERIA, "smart", "failed", "reasons"]
    pd.testing.assert_frame_equal(reviews[cols].astype(object), direct[cols].astype(object))
    # the same text with and without an owner reviews differently, as the SMART rules say
    assert reviews.set_index("action_id").loc[actions["action_id"], "owner_named"].tolist() == \
        direct["owner_named"].tolist()
    classified = themes.classify(list(actions["action_text"]))
    assert reviews["theme"].tolist() == classified["theme"].tolist()
    assert reviews["theme_confidence"].tolist() == classified["confidence"].tolist()
    assert reviews["theme_evidence"].tolist() == classified["evidence"].tolist()

    found = language.review_texts(actions.rename(columns={"action_id": "id", "action_text": "text"}))
    stored = table(imported, "language_findings", "action_id, start_pos")
    assert len(found) >= 4  # non-compliant and ICPC, in A1 and A4
    assert list(zip(stored["action_id"], stored["start_pos"], stored["end_pos"], stored["phrase"], stored["kind"],
                    stored["term"], stored["suggestion"], stored["why"], stored["source"])) == \
        list(zip(found["id"], found["start"], found["end"], found["phrase"], found["kind"], found["term"],
                 found["suggestion"], found["why"], found["source"]))
    kinds = found.groupby(["id", "kind"]).size()
    for r in reviews.itertuples():
        assert r.deficit_phrases == kinds.get((r.action_id, "deficit"), 0)
        assert r.jargon_terms == kinds.get((r.action_id, "jargon"), 0)

    plans = table(imported, "plan_reviews", "plan_id")
    direct_plans = language.plan_language(actions[["plan_id", "action_text"]])
    pd.testing.assert_frame_equal(plans[["plan_id", "reading_ease", "deficit_phrases", "jargon_terms"]],
                                  direct_plans, check_dtype=False)


def test_reimport_changes_nothing(tmp_path: Path, imported: Path) -> None:
    before = {t: table(imported, t, "1, 2") for t in ("action_reviews", "language_findings", "plan_reviews")}
    summary = run_import([write_bundle(tmp_path / "b1", ACTIONS)], imported)
    assert summary.unchanged
    for t, frame in before.items():
        pd.testing.assert_frame_equal(table(imported, t, "1, 2"), frame)


def test_updated_action_text_is_reviewed_again(tmp_path: Path, imported: Path) -> None:
    before = table(imported, "action_reviews", "action_id").set_index("action_id")
    ease_before = table(imported, "plan_reviews", "plan_id").set_index("plan_id")["reading_ease"]
    changed = [a if a[0] != "A1" else ("A1", "P1", "Social worker to visit Mum every week until the review",
                                       "CSC", "2024-04-01") for a in ACTIONS]
    run_import([write_bundle(tmp_path / "b2", changed)], imported)
    after = table(imported, "action_reviews", "action_id").set_index("action_id")
    actions = table(imported, "actions", "action_id").set_index("action_id")
    a1 = actions.index[actions["action_text"].str.startswith("Social worker")][0]
    assert len(after) == 4
    direct = smart.review_action(actions.loc[a1, "action_text"], "CSC", "2024-04-01")
    assert after.loc[a1, "smart"] == (not direct.failed) and bool(after.loc[a1, "smart"])
    assert before.loc[a1, "smart"] == False  # noqa: E712 (numpy bool)
    assert after.loc[a1, "deficit_phrases"] == 0 and before.loc[a1, "deficit_phrases"] == 1
    findings = table(imported, "language_findings", "action_id, start_pos")
    assert a1 not in set(findings["action_id"])
    others = [i for i in before.index if i != a1]
    pd.testing.assert_frame_equal(after.loc[others], before.loc[others])
    ease_after = table(imported, "plan_reviews", "plan_id").set_index("plan_id")["reading_ease"]
    p1 = actions.loc[a1, "plan_id"]
    assert ease_after[p1] != ease_before[p1]
    assert ease_after.drop(p1).equals(ease_before.drop(p1))


def test_readers_use_the_store_and_compute_what_it_lacks(tmp_path: Path, imported: Path) -> None:
    con = store.connect(imported, read_only=True)
    actions = con.execute("SELECT action_id, plan_id, action_text, owner_agency, due_date FROM actions "
                          "ORDER BY action_id DESC").df()
    state = registry.resolve(con, Filters(), DEFAULTS).reviews
    assert state == "complete"
    stored = action_reviews.reviews_of(con, actions, state)
    stored_plans = action_reviews.plan_language_of(con, actions, state)
    con.close()
    bare = tmp_path / "bare.duckdb"  # the same rows with no reviews stored (as a store from before them)
    con = store.connect(bare)
    con.execute(f"ATTACH '{imported}' AS src (READ_ONLY)")
    con.execute("INSERT INTO plans SELECT * FROM src.plans; INSERT INTO actions SELECT * FROM src.actions")
    assert not action_reviews.is_current(con)
    state = registry.resolve(con, Filters(), DEFAULTS).reviews
    assert state == "stale"
    computed = action_reviews.reviews_of(con, actions, state)
    for a, b in zip(stored, computed):
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(stored_plans, action_reviews.plan_language_of(con, actions, state))
    assert stored[0]["action_id"].tolist() == actions["action_id"].tolist()  # callers' order
    assert review_store(con) == 4 and action_reviews.is_current(con)
    pd.testing.assert_frame_equal(table_of(con), table(imported, "action_reviews", "action_id"))
    con.close()


def table_of(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM action_reviews ORDER BY action_id").df()


def test_changed_lexicons_review_every_action_at_the_next_import(tmp_path: Path, imported: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    con = store.connect(imported)
    con.execute("UPDATE action_reviews SET reasons = 'stale'")
    monkeypatch.setattr(action_reviews, "version", lambda: "other-lexicons")
    assert not action_reviews.is_current(con)
    con.execute("INSERT INTO plans (plan_id, child_id, start_date, initial_category, team, run_id) "
                "VALUES ('p9', 'c9', DATE '2024-05-01', 'NEG', 'North', 9)")
    action_reviews.write_reviews(con, run_id=9)  # an import run that wrote no action
    assert "stale" not in set(table_of(con)["reasons"]) and len(table_of(con)) == 4
    assert not action_reviews.is_current(con)   # rows written; the registry records them (registry.refresh)
    con.close()


def test_reviews_command_redoes_every_action(tmp_path, capsys):
    from paqa_dash.cli import main
    from paqa_dash.synth.generate import build_demo

    db = tmp_path / "d.duckdb"
    build_demo(db, children=40, seed=3)
    assert main(["reviews", "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    actions, reviewed = con.execute("SELECT (SELECT count(*) FROM actions), (SELECT count(*) FROM action_reviews)").fetchone()
    con.close()
    assert actions == reviewed > 0
    assert f"Reviewed {actions:,} actions" in capsys.readouterr().out


def test_reviews_command_keeps_review_based_derived_tables_current(tmp_path):
    """After the command the tables made from reviews are rewritten, so pages do not fall back to
    reviewing a national store on the fly until the next import."""
    from paqa_dash.cli import main
    from paqa_dash.derive import registry
    from support.derive import current
    from paqa_dash.store import data_date
    from paqa_dash.filters import Filters
    from paqa_dash.settings import DEFAULTS
    from paqa_dash.synth.generate import build_demo

    db = tmp_path / "d.duckdb"
    build_demo(db, children=40, seed=3)
    con = store.connect(db)
    con.execute("DELETE FROM language_findings WHERE rowid IN (SELECT min(rowid) FROM language_findings)")
    reviewed = [d.name for d in registry.ENTRIES if d.reviews]
    f = Filters(as_of=data_date(con))
    assert reviewed and not any(current(con, d, f, DEFAULTS) for d in reviewed)
    con.close()
    assert main(["reviews", "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert all(current(con, d, f, DEFAULTS) for d in reviewed)
    con.close()
