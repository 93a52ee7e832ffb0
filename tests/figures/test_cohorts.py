"""Cohort-page frames and figures on a hand-worked store of three children.

A: A1 2020-01-01..2020-03-15 (North, NEG, 74 days: le_3m, SHORT), A2 2020-09-01..2021-06-01 (North)
   gap 170 days = 5 full months; A1 re-planned in month 6 (end + 6 months = 2020-09-15).
B: B1 2020-02-01..2021-01-15 (South, EMO, 6_12m), nothing after.
C: C1 2021-01-01..2021-02-01 (North, le_3m, SHORT), C2 from 2023-06-01 (open): re-planned in month 28.
As of 2024-01-01.
"""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.metrics import cohorts as cd
from paqa_dash.figures import cohorts, duplicates, endings, trends
from paqa_dash.reference import benchmarks
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS

AS_OF = date(2024, 1, 1)
F = Filters(as_of=AS_OF)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("hand") / "hand.duckdb"
    c = store.connect(path)
    c.executemany("INSERT INTO children (child_id, family_id, birth_month, sex, ethnicity, disability, run_id) "
                  "VALUES (?,?,?,?,?,?,NULL)", [
        ("A", "FA", date(2015, 5, 1), "F", None, False),
        ("B", "FB", date(2010, 1, 1), "M", None, False),
        ("C", "FC", date(2019, 1, 1), "M", None, False)])
    c.executemany("INSERT INTO plans VALUES (?,?,?,?,?,?,?,?,?,NULL)", [
        ("A1", "A", date(2020, 1, 1), date(2020, 3, 15), "NEG", None, "North", "NO_LONGER_AT_RISK", 0),
        ("A2", "A", date(2020, 9, 1), date(2021, 6, 1), "NEG", None, "North", "STEP_DOWN_CIN", None),
        ("B1", "B", date(2020, 2, 1), date(2021, 1, 15), "EMO", None, "South", "NO_LONGER_AT_RISK", 0),
        ("C1", "C", date(2021, 1, 1), date(2021, 2, 1), "NEG", None, "North", "NO_LONGER_AT_RISK", None),
        ("C2", "C", date(2023, 6, 1), None, "NEG", None, "North", None, None)])
    c.executemany("INSERT INTO actions VALUES (?,?,?,?,?,?,?,?,?,NULL)", [
        ("a1", "A1", "Mum to attend GP", "HEALTH", None, None, "DONE", date(2020, 3, 1), None),
        ("a2", "A2", "Mum to attend the GP", "HEALTH", None, None, "OPEN", None, None),
        ("a3", "A2", "New action", "CSC", None, None, "OPEN", None, None)])
    c.execute("INSERT INTO action_matches VALUES ('a2', 'A2', 'a1', 'A1', 0.9, 'test')")
    c.close()
    ro = store.connect(path, read_only=True)
    yield ro
    ro.close()


def at(curve: pd.DataFrame, group: str, months: int) -> pd.Series:
    return curve[(curve["group"] == group) & (curve["months"] == months)].iloc[0]


def test_cohort_curve_counts_and_kaplan_meier(con):
    curve = cd.cohort_curve(con, F, DEFAULTS, split="cohort", max_months=36)
    # by the DfE reporting year the first plan started in (A1 and B1 in Jan/Feb 2020: 2019-20; C1 January 2021)
    assert set(curve["group"]) == {"2019-20", "2020-21"}
    assert at(curve, "2019-20", 5)["replanned"] == 0
    row = at(curve, "2019-20", 6)
    assert (row["followed_up"], row["replanned"], row["share"]) == (2, 1, 0.5)
    # month 36: only A1 followed up that long (B1 ends 2021-01-15 + 36m > as-of): exact share 1.0,
    # but Kaplan-Meier keeps B1's evidence of 24+ months without a plan: 0.5
    row = at(curve, "2019-20", 36)
    assert (row["followed_up"], row["replanned"], row["share"], row["cumulative"]) == (1, 1, 1.0, 0.5)
    assert at(curve, "2020-21", 27)["cumulative"] == 0
    assert at(curve, "2020-21", 28)["cumulative"] == 1.0
    assert pd.isna(at(curve, "2020-21", 36)["cumulative"])   # 2021-02-01 + 36m is after the as-of date


def test_cohort_curve_never_falls(con):
    curve = cd.cohort_curve(con, F, DEFAULTS, split="band")
    for _, g in curve.dropna(subset=["cumulative"]).groupby("group"):
        assert g["cumulative"].is_monotonic_increasing


def test_cohort_curve_ignores_plan_number_filter_and_rejects_bad_split(con):
    a = cd.cohort_curve(con, F, DEFAULTS)
    b = cd.cohort_curve(con, F.with_(plan_number="repeat"), DEFAULTS)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError):
        cd.cohort_curve(con, F, DEFAULTS, split="team")


def test_cohort_table(con):
    table = cd.cohort_table(cd.cohort_curve(con, F, DEFAULTS)).set_index("group")
    assert table.loc["2019-20", "first_plans_ended"] == 2
    assert table.loc["2019-20", "within_6m"] == 0.5
    assert table.loc["2019-20", "followed_up_24m"] == 2
    assert table.loc["2020-21", "within_24m"] == 0.0


def test_gap_months_and_team(con):
    gaps = cd.gap_months(con, F, DEFAULTS)
    assert gaps.set_index("gap_month")["plans"].to_dict() == {5: 1, 27: 1}
    team = cd.repeat_by_team(con, F, DEFAULTS).set_index("team")
    assert team.loc["North", ["plans_started", "repeat_plans", "repeat_within_window"]].tolist() == [4, 2, 1]
    assert team.loc["South", "repeat_share"] == 0


def test_pathways(con):
    paths = cd.pathways(con, F, DEFAULTS)
    assert paths["plans"].sum() == 3       # A1, B1, C1
    rows = {(r.band, r.reason, r.outcome): r.plans for r in paths.itertuples()}
    assert rows[("3 months or less", "Short plan", "Re-planned within 24 months")] == 1
    assert rows[("3 months or less", "Short plan", "Not re-planned within 24 months")] == 1
    assert rows[("Over 6 to under 12 months", "No reason found", "Not re-planned within 24 months")] == 1
    recent = cd.pathways(con, Filters(as_of=date(2021, 6, 1)), DEFAULTS)
    assert "Too recent to tell" in set(recent["outcome"])


def test_reason_group():
    assert cd.reason_group("") == "No reason found"
    assert cd.reason_group("SHORT") == "Short plan"
    assert cd.reason_group("SHORT,OPEN_ACTIONS") == "Several reasons"


def test_duplicates_frames(con):
    plans = cd.dup_plans(con, F, DEFAULTS).set_index("plan_id")
    assert plans.loc["A2", ["actions", "duplicated"]].tolist() == [2, 1]
    assert plans.loc["A2", "share"] == 0.5
    assert plans.loc["C2", "actions"] == 0 and pd.isna(plans.loc["C2", "share"])
    strict = cd.dup_plans(con, F, DEFAULTS.with_(similarity_threshold=0.95))
    assert strict["duplicated"].sum() == 0
    pairs = cd.dup_pairs(con, F, DEFAULTS)
    assert pairs[["action_text", "earlier_action_text", "score"]].values.tolist() == [["Mum to attend the GP", "Mum to attend GP", 0.9]]


def test_headline_and_empty(con):
    head = cd.headline(con, F, DEFAULTS)
    assert head["plans_started"] == 5 and head["repeat_plans_started"] == 2
    assert head["repeat_rate"] == 0.4
    assert head["ended_le_3m"] == 2 and head["plans_ended"] == 4
    none = cd.headline(con, F.with_(teams=("Nowhere",)), DEFAULTS)
    assert none["plans_started"] == 0 and none["repeat_rate"] is None


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_cohort_figure_title_states_the_finding(con):
    curve = cd.cohort_curve(con, F, DEFAULTS)
    fig = spec(cohorts.cohort_curves(curve, "cohort", 24, min_followed=1))
    # at 24 months: 2019-20 has 1 of 2 re-planned, 2020-21 has 0 of 1 -> 33%
    assert fig["layout"]["title"]["text"].startswith("33% of first plans were followed by another plan within 24 months")
    assert [t["name"] for t in fig["data"]] == ["2019-20", "2020-21"]
    assert fig["layout"]["xaxis"]["title"]["text"] == "Months since the first plan ended"
    few = spec(cohorts.cohort_curves(curve, "cohort", 24, min_followed=3))
    assert few["data"] == []


def test_sankey_and_gap_and_team_figures(con):
    sankey = spec(cohorts.pathway_sankey(cd.pathways(con, F, DEFAULTS)))
    # on 2 and 1 first plans: counts, and no comparison (docs/definitions.md, "Small bases")
    assert sankey["layout"]["title"]["text"] == (
        "Too few first plans followed up to compare<br>endings with and without a warning sign<br><sup>re-planned: "
        "with a warning sign 1 of 2, without 0 of 1; a comparison needs at least 20 in each</sup>")
    assert sum(sankey["data"][0]["link"]["value"]) == 6    # 3 plans, two hops each
    gap = spec(cohorts.gap_histogram(cd.gap_months(con, F, DEFAULTS), 510.0, 24))
    assert "Half of repeat plans started within 17 months" in gap["layout"]["title"]["text"]
    assert "1 of 2 within 24 months" in gap["layout"]["title"]["text"]   # too few for a share
    team = spec(cohorts.team_bars(cd.repeat_by_team(con, F, DEFAULTS), 0.245))
    # a handful of plans a team: no range, each named as too few (docs/definitions.md, "Small bases")
    assert team["layout"]["title"]["text"] == ("Repeat share: too few plans started in South and North to compare "
                                               "(a comparison needs at least 20)")


def test_endings_figures(con):
    bands = cd.ended_bands(con, F, DEFAULTS)
    assert bands.set_index("band")["plans"].to_dict() == {"le_3m": 2, "3_6m": 0, "6_12m": 2, "1_2y": 0, "ge_2y": 0}
    # on these 4 plans the page does not set the share against England's (benchmarks.comparable), and gives the count
    few = spec(endings.bands_vs_england(bands, benchmarks.duration_shares(2025), base=4))
    assert few["layout"]["title"]["text"] == ("2 of 4 plans ended within 3 months: too few plans to compare with "
                                              "England (a comparison needs at least 20)")
    enough = spec(endings.bands_vs_england(bands, benchmarks.duration_shares(2025), base=benchmarks.COMPARE_FROM))
    assert enough["layout"]["title"]["text"] == "50.0% of plans ended within 3 months, against 15.9% in England"
    table = cd.endings_table(con, F, DEFAULTS)
    counts = endings.reason_counts(table)
    short = counts[counts["reason"] == "Short plan"].set_index("outcome")["plans"]
    assert short[endings.OUTCOME_ORDER[0]] == 1     # A1: re-planned within 24 months
    assert short[endings.OUTCOME_ORDER[2]] == 1     # C1: later plan after the window
    actions = counts[counts["reason"] == "Actions not done"]["plans"].sum()
    assert actions == 1                              # A2 ended with actions open


def test_duplicates_figures(con):
    plans = cd.dup_plans(con, F, DEFAULTS)
    dist = duplicates.plan_share_distribution(plans)
    assert dist.set_index("band")["plans"].to_dict()["A quarter to a half"] == 1
    assert dist["plans"].sum() == 1                  # C2 has no actions
    fig = spec(duplicates.distribution_bars(dist))
    assert fig["layout"]["title"]["text"] == "1 of 1 repeat plan repeats at least one action from an earlier plan"
    by_team = duplicates.dup_by(plans, "team")
    assert by_team.set_index("team").loc["North", ["plans", "actions", "duplicated", "share"]].tolist() == [2, 2, 1, 0.5]
    assert duplicates.dup_by(plans.iloc[0:0], "team").empty
    assert [duplicates.share_band(x) for x in (0, 0.25, 0.26, 0.5, 0.75, 1.0)] == [
        "None", "Up to a quarter", "A quarter to a half", "A quarter to a half", "Half to three quarters",
        "Over three quarters"]


def test_trend_figures():
    q = pd.DataFrame({"quarter": pd.to_datetime(["2024-01-01", "2024-04-01"]), "label": ["2024 Q1", "2024 Q2"],
                      "plans_started": [10, 20], "repeat_plans_started": [2, 6], "repeat_rate": [0.2, 0.3],
                      "plans_ended": [5, 10], "ended_le_3m": [1, 2]})
    assert trends.rolling_rate(q, 2).tolist()[1] == pytest.approx(8 / 30)
    assert pd.isna(trends.rolling_rate(q, 2).tolist()[0])
    eng = trends.england_by_quarter(q)
    assert eng.tolist() == pytest.approx([0.247, 0.245])   # D3 England 2024 and 2025
    fig = spec(trends.starts_endings_trend(q))
    assert fig["layout"]["title"]["text"] == "30 plans started and 15 ended; 3 of 15 endings came within 3 months"
    comps = benchmarks.comparators(2025)
    # a share of 20 plans or more is compared in words; of fewer, the title gives the count and says there are too few
    assert (spec(trends.benchmark_bars("Here", 0.3, comps, base=benchmarks.COMPARE_FROM))["layout"]["title"]["text"]
            == "Repeat plans: 30.0% here, 5.5 points above England")
    few = spec(trends.benchmark_bars("Here", 1.0, comps, base=5))
    assert few["layout"]["title"]["text"] == ("Repeat plans: 5 of 5 plans started here: too few plans to compare with "
                                              "England (a comparison needs at least 20)")
    assert [b for b in few["data"][0]["x"]][0] == 1.0   # the bar is still drawn
    table = trends.benchmark_table("Here", 3, 10, comps)
    assert table["repeat_percent"].tolist() == [30.0, 24.5]


# --- the SQL aggregates the pages draw from (issue 7): same numbers as the per-plan frames above ---

def test_ending_outcomes_and_lists(con):
    # A1 short, re-planned 5 months later: premature; A2 actions open, no later plan, but ended 31 months
    # before the as-of date (the re-plan window has closed): not at risk any more; B1 no warning sign;
    # C1 short, next plan 28 months later: neither
    out = cd.ending_outcomes(con, F, DEFAULTS).set_index(["premature", "at_risk"])
    assert out.loc[(True, False), ["plans", "short", "open_actions", "any_reason"]].tolist() == [1, 1, 0, 1]
    assert (False, True) not in out.index
    assert out.loc[(False, False), ["plans", "short", "open_actions", "any_reason"]].tolist() == [3, 1, 1, 2]
    pd.testing.assert_frame_equal(endings.reason_counts_from_outcomes(out.reset_index()),
                                  endings.reason_counts(cd.endings_table(con, F, DEFAULTS)))
    premature = cd.ending_list(con, F, DEFAULTS, kind="premature")
    assert premature[["plan_id", "reasons_text", "days_to_next_plan"]].values.tolist() == [["A1", "Short plan", 170.0]]
    assert cd.ending_list(con, F, DEFAULTS, kind="at_risk").empty
    # seven months after A2 ended it could still be re-planned: on the watch list, as is C1, whose next plan
    # had not started yet on that date
    at_risk = cd.ending_list(con, F.with_(as_of=date(2022, 1, 1)), DEFAULTS, kind="at_risk")
    assert at_risk["plan_id"].tolist() == ["A2", "C1"] and pd.isna(at_risk["days_to_next_plan"].iloc[0])
    assert at_risk["reasons_text"].iloc[0] == "Actions not done"
    assert at_risk["end_reason_text"].iloc[0] == "step down to CIN" and at_risk["weeks_since_end"].iloc[0] == 30
    with pytest.raises(ValueError):
        cd.ending_list(con, F, DEFAULTS, kind="all")


def test_ending_outcomes_on_no_plans(con):
    none = F.with_(teams=("Nowhere",))
    out = cd.ending_outcomes(con, none, DEFAULTS)
    assert out.empty
    assert endings.reason_counts_from_outcomes(out)["plans"].tolist() == [0] * 9
    assert cd.ending_list(con, none, DEFAULTS, kind="at_risk").empty


def test_ending_list_is_most_recent_first_and_limited(tmp_path):
    from support.store_builder import build_store

    plans = [{"plan_id": p, "child_id": c, "start_date": "2024-01-01", "end_date": e, "initial_category": "NEG",
              "team": "North"} for p, c, e in (("P1", "a", "2024-02-01"), ("P3", "b", "2024-03-01"),
                                                ("P2", "c", "2024-03-01"), ("P4", "d", "2024-01-20"))]
    c = build_store(tmp_path / "l.duckdb", plans=plans)     # all short, none re-planned: all at risk
    try:
        f = Filters(as_of=date(2025, 1, 1))
        assert cd.ending_list(c, f, DEFAULTS, kind="at_risk")["plan_id"].tolist() == ["P2", "P3", "P1", "P4"]
        assert cd.ending_list(c, f, DEFAULTS, kind="at_risk", limit=2)["plan_id"].tolist() == ["P2", "P3"]
        assert cd.ending_outcomes(c, f, DEFAULTS)["plans"].tolist() == [4]
    finally:
        c.close()


def test_cohort_curve_counts_whole_months_at_month_ends(tmp_path):
    """end + N months is clamped to the month's end (31 Jan + 1 month = 29 Feb 2020)."""
    from support.store_builder import build_store

    def plan(pid, child, start, end=None):
        return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG"}

    c = build_store(tmp_path / "m.duckdb", plans=[
        plan("A1", "a", "2019-11-01", "2020-01-31"), plan("A2", "a", "2020-02-29"),   # re-planned in month 1
        plan("B1", "b", "2019-11-01", "2020-01-31"), plan("B2", "b", "2020-03-01"),   # in month 2
        plan("C1", "c", "2019-11-01", "2020-01-31"), plan("C2", "c", "2020-01-15"),   # overlapping: month 0
        plan("D1", "d", "2019-11-01", "2020-01-31")])                                 # never
    try:
        curve = cd.cohort_curve(c, Filters(as_of=date(2020, 3, 31)), DEFAULTS, max_months=3)
        got = curve.set_index("months")[["followed_up", "replanned"]]
        # followed up: 0..2 months all four (31 Jan + 2 months = 31 Mar <= as-of); 3 months none
        assert got["followed_up"].tolist() == [4, 4, 4, 0]
        assert got["replanned"].tolist() == [1, 2, 3, 0]
        short = cd.cohort_curve(c, Filters(as_of=date(2020, 2, 28)), DEFAULTS, max_months=2)
        assert short["followed_up"].tolist() == [4, 0, 0]      # 31 Jan + 1 month = 29 Feb > 28 Feb
        assert short["replanned"].tolist() == [1, 0, 0]        # C2 only (A2 starts after the as-of date)
    finally:
        c.close()


def test_dup_summary_matches_the_per_plan_frame(con):
    summary = cd.dup_summary(con, F, DEFAULTS)
    assert summary["total"] == {"plans": 2, "plans_with_duplicates": 1, "actions": 2, "duplicated": 1}
    plans = cd.dup_plans(con, F, DEFAULTS)
    for key in ("team", "quarter"):
        pd.testing.assert_frame_equal(summary[key], duplicates.dup_by(plans, key), check_dtype=False)
    pd.testing.assert_frame_equal(duplicates.distribution_from_bands(summary["band"]),
                                  duplicates.plan_share_distribution(plans))
    none = cd.dup_summary(con, F.with_(teams=("Nowhere",)), DEFAULTS)
    assert none["total"]["plans"] == 0 and none["team"].empty
    assert duplicates.distribution_from_bands(none["band"])["plans"].sum() == 0


def test_dup_summary_share_bands_at_their_edges(tmp_path):
    from support.store_builder import build_store

    plans, actions, matches = [], [], []
    # repeat plans with 4 actions of which k repeat the child's first plan's action: k/4 = 0, .25, .5, .75, 1
    for k in range(5):
        plans += [{"plan_id": f"F{k}", "child_id": f"c{k}", "start_date": "2020-01-01", "end_date": "2020-06-01",
                   "initial_category": "NEG"},
                  {"plan_id": f"R{k}", "child_id": f"c{k}", "start_date": "2021-01-01", "initial_category": "NEG"}]
        actions.append({"action_id": f"f{k}", "plan_id": f"F{k}", "action_text": "x"})
        for i in range(4):
            actions.append({"action_id": f"r{k}{i}", "plan_id": f"R{k}", "action_text": "x"})
            if i < k:
                matches.append({"action_id": f"r{k}{i}", "plan_id": f"R{k}", "matches_action_id": f"f{k}",
                                "matches_plan_id": f"F{k}", "score": 0.9, "method": "test"})
    c = build_store(tmp_path / "d.duckdb", plans=plans, actions=actions, action_matches=matches)
    try:
        summary = cd.dup_summary(c, Filters(as_of=date(2022, 1, 1)), DEFAULTS)
        dist = duplicates.distribution_from_bands(summary["band"])
        assert dist["plans"].tolist() == [1, 1, 1, 1, 1]
        pd.testing.assert_frame_equal(dist, duplicates.plan_share_distribution(
            cd.dup_plans(c, Filters(as_of=date(2022, 1, 1)), DEFAULTS)))
    finally:
        c.close()


def test_first_plans_are_grouped_by_the_reporting_year_they_started_in(tmp_path):
    """31 March and 1 April 2020 fall in different reporting years (2019-20, 2020-21), 1 April and 31 December 2020
    in the same one: a calendar year would put the first two together and the last two apart."""
    from support.store_builder import build_store

    def first(pid, child, start, end):
        return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
                "team": "North", "end_reason": "NO_LONGER_AT_RISK"}

    con = build_store(tmp_path / "y.duckdb", plans=[first("M", "m", "2020-03-31", "2020-06-30"),
                                                    first("A", "a", "2020-04-01", "2020-07-01"),
                                                    first("D", "d", "2020-12-31", "2021-03-31")])
    try:
        curve = cd.cohort_curve(con, F, DEFAULTS, max_months=1)
    finally:
        con.close()
    at_0 = curve[curve["months"] == 0].set_index("group")["followed_up"].to_dict()
    assert at_0 == {"2019-20": 1, "2020-21": 2}


def test_sankey_labels_are_short_lines_and_the_hovers_keep_the_words():
    """At 800 px the middle column's labels and the last column's share the space between them: "Not re-planned
    within 24 months" ran over "No reason found".  Each label is in lines of at most SANKEY_LABEL_CHARS, the
    outcomes without their window (the caption says it); the hovers keep the whole words."""
    paths = pd.DataFrame({
        "band": ["Over 6 to under 12 months", "1 to under 2 years", "3 months or less"],
        "reason": ["No reason found", "Adult need unaddressed", "Several reasons"],
        "outcome": ["Not re-planned within 24 months", "Re-planned within 24 months", "Too recent to tell"],
        "plans": [5, 3, 2]})
    node = spec(cohorts.pathway_sankey(paths))["data"][0]["node"]
    lines = [line for label in node["label"] for line in label.split("<br>")]
    assert max(len(line) for line in lines) <= cohorts.SANKEY_LABEL_CHARS, node["label"]
    assert {"Not re-planned<br>(5)", "Re-planned<br>(3)"} <= set(node["label"]), node["label"]
    assert ["Not re-planned within 24 months", "5 first plans"] in node["customdata"]   # the hover's words
    link = spec(cohorts.pathway_sankey(paths))["data"][0]["link"]
    assert ["No reason found → Not re-planned within 24 months", "5 first plans"] in link["customdata"]


def test_the_printed_sankey_reads_on_paper_labels_whole_with_counts_and_columns_named():
    """On the briefing's PDF page the labels were the page's 12 px in lines of 14 characters ("3 months or / less"),
    with no counts and nothing saying what a column was.  Printed: each label whole on one line with its first plans,
    in SANKEY_PRINT_SIZE; each column named above it (the window in the last one's name); the bands in their order
    from the top; a node a suppressed path ran through says "+" (at least), its hover "at least"."""
    paths = pd.DataFrame({
        "band": ["Over 6 to under 12 months", "3 months or less", "3 months or less", "1 to under 2 years"],
        "reason": ["No reason found", "Short plan", "Short plan", "Adult need unaddressed"],
        "outcome": ["Not re-planned within 24 months", "Re-planned within 24 months",
                    "Not re-planned within 24 months", "Re-planned within 24 months"],
        "plans": [40.0, 12.0, None, 7.0]})
    sankey = spec(cohorts.pathway_sankey(paths, printed=True))
    trace = sankey["data"][0]
    labels = trace["node"]["label"]
    assert labels[:3] == ["3 months or less (12+)", "Over 6 to under 12 months (40)", "1 to under 2 years (7)"]
    assert "Short plan (12+)" in labels and "No reason found (40)" in labels
    assert "Re-planned (19)" in labels and "Not re-planned (40+)" in labels
    assert not any("<br>" in label for label in labels)
    assert trace["textfont"]["size"] == cohorts.SANKEY_PRINT_SIZE >= 18
    assert ["3 months or less", "at least 12 first plans"] in trace["node"]["customdata"]
    ys = trace["node"]["y"][:3]
    assert ys == sorted(ys)                     # the bands shortest first, from the top
    headings = [a["text"] for a in sankey["layout"]["annotations"]]
    assert headings == ["<b>First plans, by how long they lasted</b>", "<b>Warning signs at the end</b>",
                        "<b>What followed within 24 months</b>"]
    screen = spec(cohorts.pathway_sankey(paths))
    assert "3 months or<br>less<br>(12+)" in screen["data"][0]["node"]["label"]
    assert screen["layout"]["annotations"][2]["text"] == "<b>What followed<br>within 24 months</b>"


def test_cohort_curves_with_every_point_on_too_few_plans_say_so_instead_of_empty_axes():
    # 3 first plans followed up: every point rests on fewer than 10, so no line is drawn; the chart says why
    # (it had drawn bare axes, a percentage axis up to 400%, and a title from 3 plans)
    curve = pd.DataFrame({"group": ["2019-20"] * 3, "months": [0, 6, 24], "followed_up": [3, 3, 2],
                          "replanned": [0, 1, 1], "cumulative": [0.0, 1 / 3, 0.5]})
    fig = cohorts.cohort_curves(curve, "cohort", 24)
    assert not [t for t in fig.data if t.type == "scatter"]
    assert "Too few first plans followed up" in fig.layout.annotations[0].text.replace("<br>", " ")
    assert not fig.layout.yaxis.visible
    assert "%" not in fig.layout.title.text


def test_the_sankey_compares_no_re_plan_rates_while_some_first_plans_are_too_recent_to_tell():
    """A recent period (West, January to March 2025): the 24 months have not passed, so only the re-planned outcomes
    are known and the shares read 100% ("with a warning sign 1 of 1, without 2 of 2").  The title says it is too
    recent to compare instead."""
    paths = pd.DataFrame({
        "band": ["3 months or less", "1 to under 2 years", "1 to under 2 years", "3 months or less"],
        "reason": ["Short plan", "No reason found", "No reason found", "Short plan"],
        "outcome": ["Re-planned within 24 months", "Re-planned within 24 months", "Too recent to tell",
                    "Too recent to tell"],
        "plans": [1, 2, 9, 4]})
    title = spec(cohorts.pathway_sankey(paths))["layout"]["title"]["text"]
    assert "1 of 1" not in title and "2 of 2" not in title, title
    assert "too recent" in title.lower(), title
    assert "24 months" in title, title
    # every outcome known: compared as before
    known = paths.assign(outcome=["Re-planned within 24 months", "Re-planned within 24 months",
                                  "Not re-planned within 24 months", "Not re-planned within 24 months"])
    assert "too recent" not in spec(cohorts.pathway_sankey(known))["layout"]["title"]["text"].lower()
