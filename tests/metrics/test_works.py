"""What works (restorative evidence, first-order endings, sustained endings) on a hand-worked chronology.

as_of 2026-01-01, re-plan window 24 months.  Five ended plans:
- P1 (c1, North): FGC event, the family's views recorded, "We will..." action; only practical actions done;
  re-planned 6 months later (P1B, still open).
- P2 (c2, North): an action owned by adult mental health done, adult domestic abuse at a core group, an
  intervention started with motivational interviewing; no other plan: sustained.
- P3 (c3, South): ended 2025-09-01 (window not passed, outcome unknown); an unlinked FGC event of the child during
  the plan counts, one after the end does not; its only action is still open.
- P4 (c4, South): the child died: left out of re-plan rates and curves.
- P5 (c5, South): re-planned 30 months later (after the window): sustained, but a re-plan on the curve.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.metrics import works
from paqa_dash.reference.works import ACTION_CLASSES
from paqa_dash.scope import STRATEGIC_LEAD, OutOfScope, Scope
from paqa_dash.settings import Thresholds

AS_OF = date(2026, 1, 1)


def plan(pid, child, team, start="2021-01-01", end="2021-07-01", reason=None):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": team, "end_reason": reason}


def event(eid, child, pid, day, kind, agency="CSC", detail=None):
    return {"event_id": eid, "child_id": child, "plan_id": pid, "event_date": day, "event_type": kind,
            "agency": agency, "detail": detail}


def action(aid, pid, text, owner="FAMILY", status="DONE", completed="2021-06-01"):
    return {"action_id": aid, "plan_id": pid, "action_text": text, "owner_agency": owner, "status": status,
            "completed_date": completed}


THEMES = {"a1": "practical/compliance", "a2": "practical/compliance", "b1": "practical/compliance",
          "c1": "adult need"}


PATHS = ["made", "inline", "stored"]


def on_path(con, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Have `con` answered on one path: "made" (the stored reviews not recorded as this code's: the kinds of action
    classified in Python), "inline" (the reviews current, the plans' facts worked out in SQL per question) or
    "stored" (read from derived_works_plans, written as an import writes it).  Every action must be reviewed for the
    last two (the stored reviews complete)."""
    if path == "made":
        return
    from paqa_dash.derive import currency, registry, reviews
    from paqa_dash.settings import DEFAULTS
    from support.derive import current, inline

    # the reviews as inserted (fixed themes, not the model's), recorded as this code's, as an import records them
    snap = currency.snapshot(con)
    currency.record(con, reviews.ENTRY, snap, None, currency.FAR_FUTURE, snap.rows["action_reviews"], DEFAULTS)
    con.execute("INSERT INTO import_runs VALUES (1, now(), now(), 'synthetic', 'test', 'x', 0, 0, 0, 0, '{}', NULL)")
    registry.refresh(con, registry.Change(reviews="keep"))
    for as_of in (AS_OF, date(2022, 6, 1), date(2023, 6, 29)):
        assert current(con, "derived_works_plans", Filters(as_of=as_of), DEFAULTS)
    if path == "inline":
        inline(monkeypatch, "derived_works_plans")


@pytest.fixture(scope="module")
def chronology(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The chronology above, built once for the module on each path (`on_path`), where it was built for each test
    and path (45 builds, 73 s of the module's time); each test opens a copy of its own (`con`)."""
    built = {}
    for path in PATHS:
        built[path] = tmp_path_factory.mktemp(f"works_{path}") / "w.duckdb"
        con = _chronology(built[path])
        with pytest.MonkeyPatch.context() as mp:   # the inline path's patch is made again for each test (`con`)
            on_path(con, path, mp)
        con.close()
    return built


@pytest.fixture(params=PATHS)
def con(request, chronology, tmp_path, monkeypatch):
    """The chronology above, on each path (`on_path`): every hand-worked figure holds on all three."""
    shutil.copy(chronology[request.param], tmp_path / "w.duckdb")
    con = store.connect(tmp_path / "w.duckdb")
    if request.param == "inline":
        from support.derive import inline

        inline(monkeypatch, "derived_works_plans")
    yield con
    con.close()


def _chronology(db: Path) -> duckdb.DuckDBPyConnection:
    con = build_store(
        db,
        plans=[plan("P1", "c1", "North"), plan("P1B", "c1", "North", "2022-01-01", None),
               plan("P2", "c2", "North"), plan("P3", "c3", "South", "2025-06-01", "2025-09-01"),
               plan("P4", "c4", "South", reason="DIED"), plan("P5", "c5", "South"),
               plan("P5B", "c5", "South", "2024-01-01", None)],
        events=[
            event("E1", "c1", "P1", "2021-02-01", "OTHER", detail="Family group conference held with the wider family"),
            event("E2", "c1", "P1", "2021-03-01", "REVIEW_CONFERENCE", detail="Parents shared their views"),
            event("E3", "c2", "P2", "2021-02-01", "CORE_GROUP"),
            event("E4", "c2", "P2", "2021-03-01", "INTERVENTION_START", "ADULT_SUBSTANCE",
                  "Key worker started motivational interviewing with Dad"),
            event("E5", "c3", None, "2025-07-01", "OTHER", detail="FGC held"),
            event("E6", "c3", None, "2025-10-01", "OTHER", detail="Family network meeting"),   # after the end
            event("E7", "c5", "P5B", "2024-02-01", "OTHER", detail="Family group conference"),  # another plan's
        ],
        attendance=[{"event_id": "E3", "agency": "ADULT_DA", "invited": True, "attended": True},
                    {"event_id": "E3", "agency": "HEALTH", "invited": True, "attended": True}],
        actions=[action("a1", "P1", "Mum to take the children to every GP appointment"),
                 action("a2", "P1", "We will keep the kitchen clean and tidy"),
                 action("b1", "P2", "Dad to attend his appointments", owner="ADULT_MH"),
                 action("c1", "P3", "Mum to see the mental health team", status="OPEN", completed=None)])
    for aid, theme in THEMES.items():   # the themes as stored at import, so the test does not depend on the model
        con.execute("INSERT INTO action_reviews VALUES (?, (SELECT plan_id FROM actions WHERE action_id = ?), "
                    "TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, '', '', ?, 1.0, '', 0, 0)", [aid, aid, theme])
    return con


@pytest.fixture
def facts(con):
    return works.facts(con, Filters(as_of=AS_OF), Thresholds()).set_index("plan_id")


def test_restorative_evidence_per_plan(facts):
    assert facts.loc["P1", ["fgc", "family_views", "co_produced"]].tolist() == [True, True, True]
    assert not facts.loc["P2", "fgc"] and not facts.loc["P2", "co_produced"]
    assert facts.loc["P3", "fgc"]                    # the child's unlinked event during the plan
    assert not facts.loc["P5", "fgc"]                # the FGC was on the next plan, not this one
    assert not facts.loc["P1", "relational"]


def test_endings_grouped_by_the_work_completed(facts):
    assert facts.loc["P1", "ending_work"] == "first_order_only"
    assert facts.loc["P2", "ending_work"] == "underlying"      # owned by an adult-facing practitioner
    assert facts.loc["P3", "ending_work"] == "none_completed"  # its only action still open
    assert facts.loc["P5", "ending_work"] == "none_completed"


def test_adult_practitioner_and_intervention(facts):
    assert facts.loc["P2", "adult_practitioner"] and facts.loc["P2", "intervention"]
    assert facts.loc["P2", "adult_attended"] and facts.loc["P2", "mi_event"]
    assert not facts.loc["P1", "adult_practitioner"] and not facts.loc["P1", "intervention"]


def test_outcomes_and_follow_up(facts):
    assert facts.loc["P1", "replanned_in_window"] and not facts.loc["P1", "sustained"]
    assert facts.loc["P2", "sustained"]
    assert not facts.loc["P3", "outcome_known"] and not facts.loc["P3", "sustained"]
    assert facts.loc["P3", "days_followed"] == (AS_OF - date(2025, 9, 1)).days   # censored at the as-of date
    assert facts.loc["P5", "sustained"] and not facts.loc["P5", "replanned_in_window"]
    assert facts.loc["P5", "days_followed"] == (date(2024, 1, 1) - date(2021, 7, 1)).days
    assert facts.loc["P4", "final_ending"]


def test_a_re_plan_inside_a_window_still_running_leaves_the_outcome_unknown(con):
    """As of 1 June 2022 P1 (ended July 2021) has been re-planned (P1B, January 2022) and P2 has not, but both
    windows run to July 2023: counting P1 as known would read first-order endings 100% re-planned."""
    early = works.facts(con, Filters(as_of=date(2022, 6, 1)), Thresholds()).set_index("plan_id")
    assert early.loc["P1", "replanned_in_window"] and not early.loc["P1", "outcome_known"]
    rates = works.summary(con, Filters(as_of=date(2022, 6, 1)), Thresholds())["first_order_endings"]
    assert rates["first_order_only_replan_rate"] is None and rates["others_replan_rate"] is None


def test_summary_keys(con):
    out = works.summary(con, Filters(as_of=AS_OF), Thresholds())
    assert out["restorative_practice"] == {"plans_ended": 5, "fgc": 2, "family_views": 1, "co_produced": 1,
                                           "relational": 0, "any": 2}   # P1 and P3
    first = out["first_order_endings"]
    assert (first["first_order_only"], first["underlying"], first["other"], first["none_completed"]) == (1, 1, 0, 2)
    assert first["first_order_only_replan_rate"] == 1.0       # P1, re-planned
    assert first["others_replan_rate"] == 0.0                  # P2 and P5 known, neither re-planned; P3 unknown
    adult = out["what_works"]["adult_practitioner"]
    assert adult["with"] == {"endings_followed": 1, "sustained": 1, "share": 1.0}
    assert adult["without"] == {"endings_followed": 2, "sustained": 1, "share": 0.5}


def test_review_curves_leave_out_final_endings(con):
    w = works.review(con, Filters(as_of=AS_OF), Thresholds())
    start = w.curves[(w.curves["split"] == "adult_practitioner") & (w.curves["time"] == 0)]
    assert dict(zip(start["group"], start["at_risk"])) == {"with": 1, "without": 3}   # P1, P3, P5 (not P4)
    without = w.curves[(w.curves["split"] == "adult_practitioner") & (w.curves["group"] == "without")]
    assert without["events"].sum() == 2                     # P1 at 6 months, P5 at 30 months
    assert w.plans_ended == 5
    north = w.restorative[(w.restorative["team"] == "North") & (w.restorative["kind"] == "fgc")].iloc[0]
    assert (north["plans"], north["with_evidence"], north["share"]) == (2, 1, 0.5)


def test_plan_rows_name_children_only_for_child_level_roles(con):
    rows = works.for_children(con, Filters(as_of=AS_OF, child_ids=("c2",)), Thresholds())
    assert rows["plan_id"].tolist() == ["P2"]
    with pytest.raises(OutOfScope):
        works.for_children(con, Filters(as_of=AS_OF, scope=Scope(STRATEGIC_LEAD)), Thresholds())


def test_metrics_json_carries_the_keys(con):
    import json

    from paqa_dash.metrics import summary

    out = summary.compute(con, Filters(as_of=AS_OF), Thresholds())
    assert out["restorative_practice"]["fgc"] == 2
    assert out["what_works"]["intervention"]["with"]["endings_followed"] == 1
    assert json.loads(json.dumps(out)) == out


def test_metrics_json_says_not_recorded_without_actions(tmp_path):
    from paqa_dash.metrics import summary

    bare = build_store(tmp_path / "bare.duckdb", plans=[plan("P1", "c1", "North")])
    try:
        out = summary.compute(bare, Filters(as_of=AS_OF), Thresholds())
    finally:
        bare.close()
    for key in works.JSON_KEYS:
        assert out[key] is None
        assert out["not_recorded"][key].startswith("not recorded in this data")


def test_sustained_endings_by_year_are_by_reporting_year(facts):
    # P1, P2, P5 ended 1 July 2021: the reporting year 2021-22 (April to March), as the period is chosen
    table = works.sustained_by(facts.reset_index())
    assert set(table.loc[table["by"] == "year", "value"]) == {"2021-22"}


def test_the_overall_restorative_series_is_the_plans_the_filter_selects(con):
    """With one team chosen an "All teams" series was that team's figures again, named as if for every team: it is
    left out; with several chosen it is "Teams chosen" (theirs, not the authority's); with none, "All teams"."""
    def series(**chosen):
        w = works.review(con, Filters(as_of=AS_OF, **chosen), Thresholds())
        return list(dict.fromkeys(w.restorative["team"])), w.restorative

    assert series()[0] == ["All teams", "North", "South"]
    assert series(teams=("North",))[0] == ["North"]
    names, table = series(teams=("North", "South"))
    assert names == ["Teams chosen", "North", "South"]
    fgc = table[(table["team"] == "Teams chosen") & (table["kind"] == "fgc")].iloc[0]
    assert (fgc["plans"], fgc["with_evidence"]) == (5, 2)
    # a service manager of North alone, no team chosen: their one team, not an "All teams" copy of it
    from paqa_dash.scope import SERVICE_MANAGER
    assert series(scope=Scope(SERVICE_MANAGER, teams=("North",)))[0] == ["North"]


def test_evidence_read_once_per_kind_and_only_up_to_the_as_of(tmp_path):
    """Hand-worked: the cases where counting by kind of action and by evidencing event could go wrong.

    Q1 (d1): one event is all three kinds of evidence at once (an FGC in its detail, an intervention started by adult
    mental health, adult domestic abuse there); an unlinked event of the child on the plan's last day with the
    family's views.  Two actions of one text with no owner: one reviewed at import as relational, one never reviewed
    (no stored theme); both done, so 2 actions, 2 completed, the relational one found.
    Q2 (d2): adult mental health attended a core group linked to it on 1 March 2025: after the as-of date of
    1 January 2025, so not yet there; an action still open.  As of 1 January 2026 it is there."""
    con = build_store(
        tmp_path / "k.duckdb",
        plans=[plan("Q1", "d1", "North"), plan("Q2", "d2", "South")],
        events=[event("F1", "d1", "Q1", "2021-02-01", "INTERVENTION_START", "ADULT_MH", "Family group conference"),
                event("F2", "d1", None, "2021-07-01", "OTHER", detail="Mum shared her views"),
                event("F3", "d2", "Q2", "2025-03-01", "CORE_GROUP")],
        attendance=[{"event_id": "F1", "agency": "ADULT_DA", "invited": True, "attended": True},
                    {"event_id": "F3", "agency": "ADULT_MH", "invited": True, "attended": True}],
        actions=[action("k1", "Q1", "Dad to attend the parenting group", owner=None),
                 action("k2", "Q1", "Dad to attend the parenting group", owner=None),
                 action("k3", "Q2", "Mum to keep the home warm", status="OPEN", completed=None)])
    con.execute("INSERT INTO action_reviews VALUES (?, 'Q1', TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, '', '', ?, 1.0, "
                "'', 0, 0)", ["k1", works.RELATIONAL_THEME])
    early = works.facts(con, Filters(as_of=date(2025, 1, 1)), Thresholds()).set_index("plan_id")
    q1 = early.loc["Q1"]
    assert q1[["fgc_event", "intervention_event", "adult_intervention", "adult_attended", "views_event"]].all()
    assert (q1["actions"], q1["completed"], q1["relational"]) == (2, 2, True)
    assert q1[[f"completed_{c}" for c in ACTION_CLASSES]].sum() == 2
    assert (early.loc["Q2", "actions"], early.loc["Q2", "completed"]) == (1, 0)
    assert not early.loc["Q2", "adult_attended"]
    later = works.facts(con, Filters(as_of=date(2026, 1, 1)), Thresholds()).set_index("plan_id")
    assert later.loc["Q2", "adult_attended"]
    classes = works.review(con, Filters(as_of=date(2025, 1, 1)), Thresholds()).action_classes
    assert int(classes["actions"].sum()) == 3 and int(classes["completed"].sum()) == 2
    con.close()


def test_a_group_with_no_ending_has_no_share_and_empty_frames_keep_their_types():
    """What works with nothing in a group or nothing at all (an Annex A return: no actions; a team with no ended
    plans): a group of no ending read "No other plan yet (%) 100.0" with 0 still followed (a share of nothing), and the
    empty frames came back as `object` where they hold counts and shares, so a table and its CSV could read "nan",
    "None" or "0.0" where nothing was counted."""
    from paqa_dash.metrics import survival, works

    empty = survival.kaplan_meier(pd.Series([], dtype="float64"), pd.Series([], dtype=bool))
    assert len(empty) == 1 and int(empty["at_risk"].iloc[0]) == 0
    assert empty[["survival", "lower", "upper"]].isna().all().all()
    assert survival.kaplan_meier([1.0, 2.0], [True, False])["survival"].iloc[0] == 1.0   # time 0 of a group: all
    frame = pd.DataFrame({"final_ending": pd.Series([], dtype=bool), "outcome_known": pd.Series([], dtype=bool),
                          "sustained": pd.Series([], dtype=bool), "team": pd.Series([], dtype=str),
                          "year": pd.Series([], dtype=str), "replanned_in_window": pd.Series([], dtype=bool),
                          "ending_work": pd.Series([], dtype=str),
                          **{s: pd.Series([], dtype=bool) for s in works.words.WORKS_SPLITS},
                          **{k: pd.Series([], dtype=bool) for k in (*works.words.RESTORATIVE_KINDS, "any_restorative")}})
    sustained = works.sustained_by(frame)
    assert str(sustained["followed"].dtype) == "int64" and str(sustained["sustained"].dtype) == "int64"
    assert str(sustained["share"].dtype) == "float64"
    assert str(works.ending_work_rates(frame)["replan_rate"].dtype) == "float64"
    assert str(works.restorative_by_team(frame)["share"].dtype) == "float64"


@pytest.mark.parametrize("path", PATHS)
def test_evidence_dated_on_the_as_of_counts_and_a_day_later_does_not(tmp_path, monkeypatch, path):
    """Hand-worked: R1 (e1, North) ended 1 July 2021; an event linked to it on 30 June 2023 records a family group
    conference, and adult mental health attended it.  As of 29 June 2023 neither is there; as of 30 June 2023 (the
    event's own day) both are.  Its one action, reviewed, is done.  On every path: the stored table holds the date
    each kind is first there and the as-of is applied when read, so reading it one day out either way would show."""
    con = build_store(
        tmp_path / "d.duckdb", plans=[plan("R1", "e1", "North")],
        events=[event("G1", "e1", "R1", "2023-06-30", "CORE_GROUP", detail="Family group conference held")],
        attendance=[{"event_id": "G1", "agency": "ADULT_MH", "invited": True, "attended": True}],
        actions=[action("m1", "R1", "Mum to keep the kitchen clean")])
    con.execute("INSERT INTO action_reviews VALUES ('m1', 'R1', TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, '', '', "
                "'practical/compliance', 1.0, '', 0, 0)")
    on_path(con, path, monkeypatch)
    before = works.facts(con, Filters(as_of=date(2023, 6, 29)), Thresholds()).set_index("plan_id").loc["R1"]
    on = works.facts(con, Filters(as_of=date(2023, 6, 30)), Thresholds()).set_index("plan_id").loc["R1"]
    assert not before[["fgc_event", "fgc", "adult_attended", "adult_practitioner"]].any()
    assert on[["fgc_event", "fgc", "adult_attended", "adult_practitioner"]].all()
    assert (on["actions"], on["completed"], on["completed_first_order"], on["ending_work"]) == (
        1, 1, 1, "first_order_only")
    for day, with_fgc in ((date(2023, 6, 29), 0), (date(2023, 6, 30), 1)):
        table = works.review(con, Filters(as_of=day), Thresholds()).restorative
        assert table.loc[table["kind"] == "fgc", "with_evidence"].tolist() == [with_fgc]
    con.close()
