"""paqa_dash.metrics.audit on the hand-worked store of tests/support/audit_store.py (as of 30 June 2023)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.metrics import audit
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS as DEFAULTS_T
from paqa_dash.text import smart
from support.audit_store import AS_OF, CA, CB, CC, build_audit_store


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = store.connect(build_audit_store(tmp_path_factory.mktemp("audit") / "audit.duckdb"), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def empty_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit_empty") / "empty.duckdb"
    store.connect(path).close()
    c = store.connect(path, read_only=True)
    yield c
    c.close()


def test_every_concern_applies_to_child_a_and_none_to_child_c(con):
    flags = audit.concern_flags(con, [CA, CB, CC], as_of=AS_OF).set_index("child_id")
    assert list(flags.columns) == list(audit.CONCERNS)
    assert flags.loc[CA].all(), flags.loc[CA][~flags.loc[CA]].index.tolist()
    assert not flags.loc[CC].any(), flags.loc[CC][flags.loc[CC]].index.tolist()
    # B's open plan never had a core group: the only concern that applies to it.
    assert flags.loc[CB][flags.loc[CB]].index.tolist() == ["core_groups_late"]


def test_sample_default_scope_is_repeat_plans_ranked_by_concerns(con):
    df = audit.audit_sample(con, Filters(as_of=AS_OF))
    assert df.columns[:len(audit.SAMPLE_COLUMNS)].tolist() == audit.SAMPLE_COLUMNS
    assert df["child_id"].tolist() == [CA, CC]          # B has no repeat plan; A has most concerns
    a = df.iloc[0]
    assert a["concerns"] == len(audit.CONCERNS) == 9
    assert a["team"] == "North" and a["plans"] == 2 and a["neglect"]
    assert a["first_plan_ended_prematurely"]
    assert a["latest_plan_start"] == pd.Timestamp("2021-01-04")
    assert a["concern_list"].split("; ")[0] == "First plan ended prematurely"
    c = df.iloc[1]
    assert c["concerns"] == 0 and c["concern_list"] == "" and not c["neglect"]


def test_scope_checkboxes(con):
    f = Filters(as_of=AS_OF)
    assert audit.audit_sample(con, f, criteria=audit.Criteria(neglect=True))["child_id"].tolist() == [CA]
    assert audit.audit_sample(con, f, criteria=audit.Criteria(premature_first=True))["child_id"].tolist() == [CA]
    everyone = audit.audit_sample(con, f, criteria=audit.Criteria(repeat=False))
    assert set(everyone["child_id"]) == {CA, CB, CC}


def test_period_and_team_filters_pick_plans_started_in_them(con):
    south = audit.audit_sample(con, Filters(as_of=AS_OF, teams=("South",)))
    assert south["child_id"].tolist() == [CC]
    after = audit.audit_sample(con, Filters(as_of=AS_OF, date_from=date(2020, 1, 1)))
    assert after["child_id"].tolist() == [CA]   # C's repeat plan started in 2019
    nobody = audit.audit_sample(con, Filters(as_of=AS_OF, date_from=date(2022, 1, 1)))
    assert nobody.empty and audit.SAMPLE_COLUMNS == nobody.columns[:len(audit.SAMPLE_COLUMNS)].tolist()


def test_as_of_before_the_re_plan_drops_the_repeat(con):
    # On 1 Dec 2020 child A's second plan had not started: no repeat, nothing premature yet.
    df = audit.audit_sample(con, Filters(as_of=date(2020, 12, 1)))
    assert CA not in set(df["child_id"])
    flags = audit.concern_flags(con, [CA], as_of=date(2020, 12, 1)).iloc[0]
    assert not flags["first_plan_premature"] and not flags["repeat_within_window"]
    assert flags["adult_need_unaddressed"]      # plan 1 still ended with 4B open


def test_empty_store_gives_empty_sample(empty_con):
    df = audit.audit_sample(empty_con, Filters(as_of=AS_OF))
    assert df.empty
    assert audit.concern_flags(empty_con, [], as_of=AS_OF).empty


def test_text_reviews_deduplicated_match_the_reviews_of_each_action():
    actions = pd.DataFrame({
        "action_id": ["x1", "x2", "x3", "x4"],
        "action_text": ["Mum to engage with services", "Mum to engage with services",
                        "Mum to engage with services", "Mum is non-compliant"],
        "owner_agency": [None, "HEALTH", None, None],
        "due_date": [None, None, date(2021, 1, 1), None],
    })
    reviewed, findings = audit.text_reviews(actions)
    direct = smart.review_actions(actions)
    pd.testing.assert_frame_equal(reviewed.sort_values("action_id").reset_index(drop=True),
                                  direct.sort_values("action_id").reset_index(drop=True), check_dtype=False)
    assert findings["id"].tolist() == ["x4"] and findings["phrase"].tolist() == ["non-compliant"]


def test_scope_boxes_intersect_the_filters_own_plan_number_and_category(con):
    """The scope boxes narrow in SQL as plan-number / category filters: a filter that already
    excludes repeats (or neglect) leaves nobody, one that includes them keeps the same children."""
    f = Filters(as_of=AS_OF)
    assert audit.scoped_plans(con, f.with_(plan_number="first"), audit.DEFAULTS, audit.Criteria()).empty
    assert audit.audit_sample(con, f.with_(plan_number="first")).empty
    assert audit.scoped_plans(con, f.with_(categories=("PHY",)), audit.DEFAULTS,
                              audit.Criteria(repeat=False, neglect=True)).empty
    both = f.with_(categories=("NEG", "PHY"), plan_number="repeat")
    assert audit.audit_sample(con, both, criteria=audit.Criteria(neglect=True))["child_id"].tolist() == [CA]
    first_only = audit.scoped_plans(con, f.with_(plan_number="first"), audit.DEFAULTS, audit.Criteria(repeat=False))
    assert not first_only.empty and not first_only["is_repeat"].any()


def test_concern_list_joins_labels_in_concern_order_per_row():
    keys = list(audit.CONCERNS)
    flags = pd.DataFrame({k: [False, k in (keys[0], keys[-1]), True] for k in keys}, index=[5, 6, 7])
    got = audit._concern_lists(flags)
    assert got.index.tolist() == [5, 6, 7]
    assert got.tolist() == ["", f"{audit.CONCERNS[keys[0]]}; {audit.CONCERNS[keys[-1]]}",
                            "; ".join(audit.CONCERNS.values())]


def test_text_flags_from_stored_reviews_match_the_on_the_fly_reviews(con, monkeypatch):
    """The SQL count over the stored reviews and the reviews_of path give the same children."""
    from paqa_dash.derive import reviews as action_reviews

    assert action_reviews.is_current(con)
    text = ["non_smart_actions", "deficit_language"]
    stored = audit.concern_flags(con, [CA, CB, CC], as_of=AS_OF).set_index("child_id")[text]
    assert stored.loc[CA].all() and not stored.loc[CC].any()
    from support.derive import inline

    inline(monkeypatch, action_reviews.ENTRY.name)   # the resolver says the stored reviews are stale
    pd.testing.assert_frame_equal(audit.concern_flags(con, [CA, CB, CC], as_of=AS_OF).set_index("child_id")[text],
                                  stored)


def registry_tables() -> list[str]:
    """Every derived table of the registry (the inline path reads none of them)."""
    from paqa_dash.derive import registry

    return [e.name for e in registry.TABLES]


def _both_paths(con, monkeypatch, f, criteria=audit.Criteria(), limit=None):
    """(sample from the derived tables, the same sample computed inline)."""
    from support.derive import current, inline as run_inline

    assert all(current(con, t, Filters(as_of=f.as_of)) for t in audit.AUDIT_TABLES), \
        "the import wrote no current audit tables"
    stored = audit.sample_page(con, f, criteria=criteria, limit=limit)
    with monkeypatch.context() as m:
        run_inline(m, *registry_tables())
        inline = audit.sample_page(con, f, criteria=criteria, limit=limit)
    return stored, inline


@pytest.mark.parametrize("criteria", [audit.Criteria(), audit.Criteria(repeat=False), audit.Criteria(premature_first=True),
                                   audit.Criteria(repeat=False, neglect=True)])
def test_stored_sample_equals_the_inline_sample(demo_store, monkeypatch, criteria):
    """The one-query sample over the derived tables ranks, cuts and counts exactly as the inline path."""
    from paqa_dash.store import with_data_date

    con = store.connect(demo_store, read_only=True)
    try:
        f = with_data_date(con, Filters())
        team = con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC LIMIT 1").fetchall()[0][0]
        for filters in (f, f.with_(teams=(team,)), f.with_(date_from=date(2023, 1, 1))):
            stored, inline = _both_paths(con, monkeypatch, filters, criteria)
            assert stored.total == inline.total > 0
            assert stored.counts == inline.counts and stored.median_concerns == inline.median_concerns
            pd.testing.assert_frame_equal(stored.rows, inline.rows)
            top, _ = _both_paths(con, monkeypatch, filters, criteria, limit=7)
            assert len(top.rows) == min(7, stored.total) and top.total == stored.total
            pd.testing.assert_frame_equal(top.rows, stored.rows.head(7))
    finally:
        con.close()


def test_stored_sample_equals_the_inline_sample_at_recent_quarter_ends(demo_store, monkeypatch):
    """As of the quarter ends the audit tables are written for too, the stored sample is read and equals the inline."""
    from paqa_dash.derive import currency
    from paqa_dash.store import data_date

    con = store.connect(demo_store, read_only=True)
    try:
        ends = currency.quarter_ends_before(data_date(con), currency.RECENT_QUARTER_ENDS)
        for f in (Filters(as_of=ends[0]), Filters(as_of=ends[-1], teams=("North",))):
            stored, inline = _both_paths(con, monkeypatch, f)
            assert stored.total == inline.total > 0
            assert stored.counts == inline.counts and stored.median_concerns == inline.median_concerns
            pd.testing.assert_frame_equal(stored.rows, inline.rows)
    finally:
        con.close()


def test_sample_page_counts_every_child_in_scope_but_lists_the_first(con):
    page = audit.sample_page(con, Filters(as_of=AS_OF), limit=1)
    assert page.total == 2 and page.rows["child_id"].tolist() == [CA]
    assert page.counts["first_plan_premature"] == 1 and page.counts["neglect"] == 1
    assert page.median_concerns == 4.5


def test_not_assessed_names_what_the_data_cannot_answer(con, tmp_path):
    """The hand-worked store records everything, and its repeat plans' previous plans are dated: every concern is
    assessed.  A store of plans alone whose repeat plan's earlier plan is only a count (Annex A's List 7): the
    concerns needing actions, core groups, ... are not recorded, and whether the repeat came within the window is
    not known (UNDATED_EARLIER_PLANS), as metrics --json says."""
    from paqa_dash.reference.recorded import UNDATED_EARLIER_PLANS
    from paqa_dash.settings import DEFAULTS
    from support.store_builder import build_store

    assert audit.not_assessed(con, Filters(as_of=AS_OF), DEFAULTS, audit.Criteria()) == {}
    plans = build_store(tmp_path / "plans.duckdb", plans=[
        {"plan_id": "B1", "child_id": "B", "start_date": "2024-02-01", "end_date": None, "initial_category": "NEG",
         "team": "North", "previous_plans": 1},
        {"plan_id": "C1", "child_id": "C", "start_date": "2022-01-01", "end_date": "2022-06-01",
         "initial_category": "NEG", "team": "North", "previous_plans": None},
        {"plan_id": "C2", "child_id": "C", "start_date": "2023-01-01", "end_date": None, "initial_category": "NEG",
         "team": "North", "previous_plans": None}])
    try:
        f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=date(2025, 6, 30))
        absent = audit.not_assessed(plans, f, DEFAULTS, audit.Criteria())
        assert absent["repeat_within_window"] == UNDATED_EARLIER_PLANS
        assert {"core_groups_late", "duplicated_actions"} <= set(absent)
        assert "first_plan_premature" not in absent   # a short plan needs only dates: assessed from the signs recorded
        assert list(absent) == [k for k in audit.CONCERNS if k in absent]
        # C's repeat plan (2023) has its first plan dated in the store: the window can be told
        dated = audit.not_assessed(plans, f.with_(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)), DEFAULTS,
                                   audit.Criteria())
        assert "repeat_within_window" not in dated
    finally:
        plans.close()


def test_a_first_plan_ended_prematurely_is_assessed_from_the_signs_recorded(tmp_path):
    """Plans alone (no actions, as a CIN census or Annex A gives them): a short plan needs only dates, so the audit's
    "first plan ended prematurely" is assessed from that sign, as premature endings are on the Plan endings page
    (k: a first plan of 6 weeks re-planned 3.5 months later); a long first plan re-planned shows no sign checked
    (m).  The signs not checked are named in the Plan endings page's words, under the concern's label."""
    from paqa_dash.metrics import coverage
    from support.store_builder import build_store

    def plan(pid, child, start, end=None):
        return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
                "team": "North", "end_reason": "NO_LONGER_AT_RISK" if end else None}

    c = build_store(tmp_path / "p.duckdb", plans=[plan("K1", "k", "2023-01-01", "2023-02-15"), plan("K2", "k", "2023-06-01"),
                                                  plan("M1", "m", "2021-01-01", "2022-01-01"), plan("M2", "m", "2022-06-01")])
    try:
        f = Filters(as_of=date(2024, 1, 1))
        absent = audit.not_assessed(c, f, DEFAULTS_T)
        page = audit.sample_page(c, f, DEFAULTS_T)
        narrowed = audit.sample_page(c, f, DEFAULTS_T, audit.Criteria(premature_first=True))
        held = coverage.coverage(c, f, DEFAULTS_T)
        note = audit.premature_signs_note(held)
    finally:
        c.close()
    assert "first_plan_premature" not in absent and "duplicated_actions" in absent
    rows = page.rows.set_index("child_id")
    assert bool(rows.loc["k", "first_plan_premature"]) and bool(rows.loc["k", "first_plan_ended_prematurely"])
    assert rows.loc["k", "concern_list"] == "First plan ended prematurely; Re-planned within the window"
    assert int(rows.loc["k", "concerns"]) == 2 and int(rows.loc["m", "concerns"]) == 1
    assert not bool(rows.loc["m", "first_plan_premature"])
    assert page.counts["first_plan_premature"] == 1
    assert narrowed.rows["child_id"].tolist() == ["k"] and narrowed.total == 1
    assert note == "First plan ended prematurely: " + held.signs_note() + "."
    assert "warning signs not checked: actions not done and adult need unaddressed" in note
    assert note.endswith("counted from the sign recorded (short plan) only.")


def test_the_signs_note_is_empty_where_every_sign_is_recorded(con):
    from paqa_dash.metrics import coverage

    assert audit.premature_signs_note(coverage.coverage(con, Filters(as_of=AS_OF), DEFAULTS_T)) == ""


def test_a_census_store_gives_the_same_sample_stored_and_inline(tmp_path_factory, monkeypatch):
    """A CIN census store (no plan actions) imported as usual, so its derived audit tables are written: the stored
    sample and the inline one agree, the first plan ended prematurely counted from short plans in both."""
    from paqa_dash.pipeline import run_import
    from support.paths import SAMPLE_SOURCES

    db = tmp_path_factory.mktemp("census") / "c.duckdb"
    run_import(SAMPLE_SOURCES["cin"](), db)
    con = store.connect(db, read_only=True)
    try:
        f = Filters(date_from=date(1990, 1, 1), date_to=date(2100, 12, 31), as_of=store.data_date(con))
        for criteria in (audit.Criteria(), audit.Criteria(repeat=False), audit.Criteria(premature_first=True)):
            stored, inline = _both_paths(con, monkeypatch, f, criteria)
            assert "first_plan_premature" not in audit.not_assessed(con, f, DEFAULTS_T, criteria)
            assert stored.total == inline.total and stored.counts == inline.counts
            if stored.total:   # (an empty sample's columns are typed differently by the two paths: no rows to compare)
                pd.testing.assert_frame_equal(stored.rows, inline.rows)
            else:
                assert stored.rows.empty and inline.rows.empty
    finally:
        con.close()


def test_a_scope_the_premature_first_box_empties_gives_the_rows_the_inline_ranking_gives(con, monkeypatch):
    """Child C is in scope in South but its first plan did not end prematurely: the one-query sample then lists no
    child, its empty rows typed as the inline ranking types them (a page or export reading the columns sees the same)."""
    f, criteria = Filters(as_of=AS_OF, teams=("South",)), audit.Criteria(premature_first=True)
    page = audit.sample_page(con, f, criteria=criteria)
    inline = audit._inline_sample(con, audit._narrowed(f, criteria), DEFAULTS_T, criteria,
                                  tuple(audit.not_assessed(con, f, DEFAULTS_T, criteria)))
    assert page.total == 0 and page.median_concerns is None
    pd.testing.assert_frame_equal(page.rows, inline)


@pytest.mark.parametrize("block", ["audit_cte_low_attendance", "audit_low_attendance_rows"])
def test_the_packs_low_attendance_rule_is_the_sqls(block):
    """The audit pack tags an agency's attendance LOW in Python (settings.LowAttendance.low); the sample's concern
    reads the same rule in SQL.  Each block's WHERE test, run with the bound cut-offs over every count up to 12
    invitations, gives what `low` gives, at and around the cut-offs (2 invitations, exactly half present)."""
    import re

    import duckdb

    from paqa_dash import sql
    from paqa_dash.settings import LOW_ATTENDANCE

    test = re.search(r"WHERE ((?:s\.)?invited >= \$min_invites AND (?:s\.)?attended < \$low_attendance_rate \* "
                     r"(?:s\.)?invited)", sql.text(block))
    assert test, f"{block} no longer says its rule as the test expects"
    condition = test.group(1).replace("s.", "")
    counts = [(i, a) for i in range(13) for a in range(i + 1)]
    con = duckdb.connect()
    try:
        con.register("counts", pd.DataFrame(counts, columns=["invited", "attended"]))
        flagged = set(con.execute(f"SELECT invited, attended FROM counts WHERE {condition}",   # text from our SQL file
                                  LOW_ATTENDANCE.params()).fetchall())
    finally:
        con.close()
    assert flagged == {(i, a) for i, a in counts if LOW_ATTENDANCE.low(i, a)}
    assert (2, 0) in flagged and (1, 0) not in flagged and (4, 1) in flagged and (4, 2) not in flagged
