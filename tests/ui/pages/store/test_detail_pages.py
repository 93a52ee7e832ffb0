"""AppTest of the detail pages (child timeline, agencies, household, data quality, import) on the
session demo store and on an empty store."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from paqa_dash import store

PAGES = "paqa_dash/ui/pages"
from support.paths import ROOT
from support.pages import open_file

APP = str(ROOT / "app.py")


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    return open_file(f"{PAGES}/{page}.py", query, timeout=60)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def titles(at: AppTest) -> list[str]:
    return [c["layout"]["meta"]["finding"] for c in charts(at)]


def infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


@pytest.fixture(scope="module")
def repeat_child(demo_store: Path) -> str:
    con = store.connect(demo_store, read_only=True)
    try:
        row = con.execute("SELECT child_id FROM plans GROUP BY child_id HAVING count(*) >= 2 "
                          "ORDER BY child_id LIMIT 1").fetchone()
    finally:
        con.close()
    assert row, "the demo store should have a child with a repeat plan"
    return row[0]


def test_timeline_shows_the_child_in_the_url(use_store, demo_store, repeat_child):
    use_store(demo_store)
    at = open_page("child_timeline", {"child": repeat_child})
    assert at.text_input(key="child").value == repeat_child
    assert any(h.value == f"Child {repeat_child}" for h in at.subheader)
    fig = charts(at)[0]
    assert "CP plans" in fig["layout"]["meta"]["finding"]
    plan_trace = next(t for t in fig["data"] if t.get("name") == "CP plan")
    assert len(plan_trace["base"]) >= 2                                  # this child has a repeat plan
    assert fig["layout"]["xaxis"]["title"]["text"] == "Date"


def test_timeline_steps_through_the_cohort(use_store, demo_store):
    use_store(demo_store)
    at = open_page("child_timeline")
    first = at.text_input(key="child").value
    assert first                                                         # defaults to the cohort's first child
    at.button[1].click().run()                                           # Next
    second = at.text_input(key="child").value
    assert second and second != first
    assert at.query_params["child"] == second
    at.button[0].click().run()                                           # Previous
    assert at.text_input(key="child").value == first
    # what the order is by: the plans in the filter (the period), not the child's whole history
    assert any(m.value.endswith("in the filtered cohort (most plans in the filter first)") for m in at.markdown)


def test_timeline_unknown_child(use_store, demo_store):
    use_store(demo_store)
    at = open_page("child_timeline", {"child": "ffffffffffffffff"})
    assert any("No child with pseudonym" in w.value for w in at.warning)
    assert not at.get("plotly_chart")


def test_timeline_empty_store(use_store, empty_store):
    use_store(empty_store)
    at = open_page("child_timeline")
    assert "No children match these filters" in infos(at)


@pytest.mark.parametrize("page", ["agencies", "household"])
def test_filtered_pages_on_demo_store(use_store, demo_store, page):
    use_store(demo_store)
    at = open_page(page)
    assert charts(at) or infos(at)
    for fig in charts(at):
        assert fig["layout"]["meta"]["finding"]
        assert fig["layout"]["xaxis"]["title"]["text"]


def test_household_replanned_share_chart_and_its_caption(use_store, demo_store):
    use_store(demo_store)
    # no period chosen: the comparison shows the five reporting years whose first plans could be followed up
    # 24 months (the latest complete year's could not), and says so
    default = open_page("household")
    assert not any("cannot be compared fairly" in str(i.value) for i in [*default.info, *default.warning])
    assert any("the 5 reporting years whose plans could have been followed up that long" in c.value
               for c in default.caption)
    assert any(c["layout"]["yaxis"]["title"]["text"].replace("<br>", " ") == "Children re-planned within 24 months (%)"
               for c in charts(default))
    narrow = open_page("household", {"from": "2025-04-01", "to": "2026-03-31"})   # chosen: used as chosen
    assert any("cannot be compared fairly" in str(i.value) for i in [*narrow.info, *narrow.warning])
    at = open_page("household", {"from": "2016-04-01", "to": "2022-03-31"})
    share = next(c for c in charts(at)
                 if c["layout"]["yaxis"]["title"]["text"].replace("<br>", " ") == "Children re-planned within 24 months (%)")
    assert share["data"][0]["x"] == ["0 changes", "1 change", "2 changes", "3+ changes"]
    captions = " ".join(c.value for c in at.caption)
    assert "Every child is counted over the same 24 months, re-planned or not" in captions


def test_household_lists_top_children_and_counts_match_the_store(use_store, demo_store):
    from paqa_dash.metrics import household
    from paqa_dash.store import data_date
    from paqa_dash.filters import Filters

    from paqa_dash.reference.benchmarks import latest_complete_year

    use_store(demo_store)
    at = open_page("household")
    con = store.connect(demo_store, read_only=True)
    try:
        as_of = data_date(con)
        start, end = latest_complete_year(as_of)    # the page's default period
        f = Filters(as_of=as_of, date_from=start, date_to=end)
        buckets = household.change_buckets(con, f)
        top = household.most_changes(con, f, limit=1)
    finally:
        con.close()
    distribution = next(c for c in charts(at) if c["layout"]["yaxis"]["title"]["text"] == "Children (count)")
    assert f" of {int(buckets['children'].sum()):,} children" in distribution["layout"]["meta"]["finding"]
    total = int(top["children_with_changes"].iloc[0])
    assert not any(e.label.startswith("The ") for e in at.expander)    # the list is asked for only on demand
    at.toggle(key="household_top_on").set_value(True).run()
    labels = [e.label for e in at.expander]
    assert f"The {min(200, total):,} children with most changes (of {total:,})" in labels, labels


def test_agencies_challenges_by_team_table(use_store, demo_store):
    use_store(demo_store)
    at = open_page("agencies")
    assert "Plans with a challenge or escalation, by team" in [e.label for e in at.expander]


@pytest.mark.parametrize("page", ["agencies", "household"])
def test_filtered_pages_empty_store(use_store, empty_store, page):
    use_store(empty_store)
    at = open_page(page)
    assert "No plans match these filters" in infos(at)
    assert not at.get("plotly_chart")


def test_filters_that_match_nothing(use_store, demo_store):
    use_store(demo_store)
    at = open_page("agencies", {"from": "2099-01-01"})
    assert "No plans match these filters" in infos(at)


def test_data_quality_counts_tables(use_store, demo_store):
    use_store(demo_store)
    at = open_page("data_quality")
    con = store.connect(demo_store, read_only=True)
    n_plans = con.execute("SELECT count(*) FROM plans").fetchone()[0]
    con.close()
    assert titles(at)[0].startswith(f"The store holds {n_plans:,} plans")


BUNDLE = [("children.csv", b"child_id,sex\nC1,F\nC2,M\n", "text/csv"),
          ("plans.csv", b"plan_id,child_id,start_date,end_date,initial_category,team\n"
                        b"P1,C1,2023-01-01,2023-06-01,NEG,North\nP2,C2,2023-05-01,2023-02-01,NEG,North\n", "text/csv")]


def _import_bundle(use_store, empty_store, tmp_path):
    """The Import page run on a copy of the empty store with BUNDLE uploaded and imported (the store's path is
    tmp_path / "store.duckdb")."""
    db = use_store(tmp_path / "store.duckdb")
    shutil.copy(empty_store, db)
    at = open_page("import_data")
    at.file_uploader[0].set_value(BUNDLE).run()
    at.button(key="import_go").click().run()
    return at


def test_import_page_loads_a_bundle_and_lists_rejects(use_store, empty_store, tmp_path):
    at = _import_bundle(use_store, empty_store, tmp_path)
    assert not at.exception and not at.error
    assert any("3 rows loaded, 1 rejected, 0 repeats merged (rows repeating a record already read" in s.value
               for s in at.success)
    summary = at.dataframe[0].value
    assert summary.set_index("Table").loc["Child protection plans", "Rejected"] == 1   # tables named in words
    rejects = at.dataframe[1].value
    assert rejects.iloc[0]["Reason"] == "end_date is before start_date"
    con = store.connect(tmp_path / "store.duckdb", read_only=True)
    assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
    con.close()


def test_import_page_fatal_error_changes_nothing(use_store, empty_store, tmp_path):
    db = use_store(tmp_path / "store.duckdb")
    shutil.copy(empty_store, db)
    at = open_page("import_data")
    at.file_uploader[0].set_value([("plans.csv", b"plan_id,child_id\nP1,C1\n", "text/csv")]).run()
    at.button(key="import_go").click().run()
    assert any("Nothing was imported" in e.value for e in at.error)
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == 0
    con.close()


def test_import_into_demo_store_says_it_removes_the_demo(use_store, demo_store, tmp_path):
    db = use_store(tmp_path / "demo_copy.duckdb")
    shutil.copy(demo_store, db)
    at = open_page("import_data")
    assert any("removes all the demo" in w.value for w in at.warning)
    at.file_uploader[0].set_value(BUNDLE).run()
    assert at.button(key="import_go").disabled          # until the word is typed
    at.text_input(key="import_confirm").set_value("REPLACE").run()
    at.button(key="import_go").click().run()
    assert "The synthetic demo data was removed" in infos(at)
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM children").fetchone()[0] == 2
    assert not store.is_synthetic(con)
    con.close()


def test_save_uploads_groups_csvs_into_one_bundle(tmp_path):
    from paqa_dash.ui.pages.import_data import save_uploads

    def up(name: str, body: bytes = b"x"):
        return SimpleNamespace(name=name, getvalue=lambda: body)

    paths = save_uploads([up("children.csv"), up("../plans.csv"), up("cin.xml"), up("Annex_A.xlsx"),
                          up("ssd_person.csv"), up("ssd_cp_plans.csv")], tmp_path)
    assert paths == [tmp_path / "bundle", tmp_path / "cin.xml", tmp_path / "Annex_A.xlsx", tmp_path / "ssd"]
    assert sorted(p.name for p in (tmp_path / "ssd").iterdir()) == ["ssd_cp_plans.csv", "ssd_person.csv"]
    assert sorted(p.name for p in (tmp_path / "bundle").iterdir()) == ["children.csv", "plans.csv"]


def test_new_store_replaces_only_after_success_and_keeps_the_key(tmp_path):
    from paqa_dash.ingest.deidentify import key_file
    from paqa_dash.ingest.frames import FatalImportError
    from paqa_dash.ui.pages.import_data import import_into_new_store, save_uploads

    db = tmp_path / "real.duckdb"
    (tmp_path / "one").mkdir()
    first = save_uploads([SimpleNamespace(name=n, getvalue=lambda b=b: b) for n, b, _ in BUNDLE], tmp_path / "one")
    import_into_new_store(first, db, lambda f, m=None: None)
    key = key_file(db).read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "plans.csv").write_text("plan_id\nP9\n")
    with pytest.raises(FatalImportError):
        import_into_new_store([bad], db, lambda f, m=None: None)
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == 1   # untouched by the failed import
    con.close()
    import_into_new_store(first, db, lambda f, m=None: None)
    assert key_file(db).read_bytes() == key
    assert not list(tmp_path.glob("*.new*"))


def test_repeat_plans_cohort_views_default_to_years_that_could_be_followed_up(use_store, demo_store):
    use_store(demo_store)
    at = open_page("repeat_plans")
    notes = [c.value for c in at.main.caption if "reporting years whose plans could have been followed up" in c.value]
    assert len(notes) == 2                                    # the cohort curve and the pathways (the sidebar says it too)
    curve = next(c for c in charts(at) if "Re-planning after a first plan" in c["layout"]["meta"]["finding"]
                 or c["layout"]["xaxis"]["title"]["text"].startswith("Months since"))
    assert len(curve["data"]) >= 4                            # one line per year started, not one flat year


def test_data_quality_lists_a_reject_by_field_and_reason_first(use_store, empty_store, tmp_path):
    """At 800 px the rejects table showed run, table, file and row, and the field and reason were off its edge."""
    _import_bundle(use_store, empty_store, tmp_path)
    at = open_page("data_quality")
    rejects = next(d.value for d in at.dataframe if "Reason" in d.value.columns and "Row" in d.value.columns)
    assert list(rejects.columns)[:2] == ["Field", "Reason"]
    assert rejects.iloc[0]["Reason"] == "end_date is before start_date"


def test_data_quality_names_summary_tables_to_write_again(use_store, demo_store, tmp_path):
    """After an upgrade (a summary table an earlier version wrote, or none): the page says which, and the command
    that writes them; on a current store it says nothing of the kind."""
    use_store(demo_store)
    at = open_page("data_quality")
    assert not [w for w in at.warning if "derive" in w.value]
    db = use_store(tmp_path / "old.duckdb")
    shutil.copy(demo_store, db)
    con = store.connect(db)
    con.execute("DROP TABLE derived_dup_counts")
    con.close()
    at = open_page("data_quality")
    said = [w.value for w in at.warning if "python -m paqa_dash derive" in w.value]
    assert len(said) == 1 and "`derived_dup_counts`" in said[0] and said[0].startswith("1 of the store's")
