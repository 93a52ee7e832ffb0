"""Totals another page prints: a table whose rows add up to a figure shown elsewhere withholds a second cell, so the
figure less the cells shown never gives back a withheld one (report/rules.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.report.rules import AGENCY_RULE
from paqa_dash.report.suppression import suppress


def test_one_agencys_withheld_attendance_is_not_the_regional_total_less_the_others():
    # The Regional view prints the authority's agency attendance: 70 attended of 100 invited, the sums of these rows.
    # Health's 3 attended is withheld; with the others shown, 70 - 40 - 27 gave it back.
    by_agency = pd.DataFrame({"agency": ["POLICE", "EDUCATION", "HEALTH"], "invited": [50, 40, 10],
                              "attended": [40, 27, 3], "contributed": [30, 20, 2]})
    by_agency = by_agency.assign(rate=by_agency["attended"] / by_agency["invited"],
                                 contribution_rate=by_agency["contributed"] / by_agency["invited"])
    hidden = suppress(by_agency, AGENCY_RULE, 5).mask
    assert hidden.at[2, "attended"]
    assert hidden["attended"].sum() >= 2                      # another agency's attended goes with it
    assert not hidden["invited"].any()                        # nothing small there, nothing to protect


def test_a_cohorts_share_re_planned_is_withheld_with_its_small_count():
    # Of 47 first plans (sexual abuse) followed up 12 months, 2 were re-planned: the table printed 4.3% beside the
    # 47, and 4.3% of 47 is 2.  The curve withheld that share; the table now holds the count and withholds both.
    from paqa_dash.metrics.cohorts import cohort_table
    from paqa_dash.report.rules import COHORT_RULE
    from paqa_dash.report.suppression import displayed

    curve = pd.DataFrame({"group": ["SAB"] * 4, "months": [0, 6, 12, 24], "followed_up": [60, 50, 47, 42],
                          "replanned": [0, 0, 2, 9]})
    curve["share"] = curve["replanned"] / curve["followed_up"]
    shown = displayed(suppress(cohort_table(curve), COHORT_RULE, 5)).iloc[0]
    assert shown["within_12m"] == "c" and shown["replanned_12m"] == "c"
    assert shown["followed_up_12m"] == 47 and shown["within_24m"] == 9 / 42


def test_one_teams_withheld_plan_refresh_count_is_not_the_tile_less_the_others():
    # Plan refresh, after meetings: the tile says 73 of 108 followed by a plan update in time, the sums of the teams.
    # Team B's 3 on time was withheld, and 73 - 40 - 30 gave it back.
    from paqa_dash.ui.pages.plan_refresh import RATES_RULE

    teams = pd.DataFrame({"team": ["A", "B", "C", "A"], "kind": ["meeting"] * 3 + ["concern"],
                          "on_time": [40, 3, 30, 9], "late": [10, 20, 5, 6], "due": [50, 23, 35, 15]})
    teams["rate"] = teams["on_time"] / teams["due"]
    hidden = suppress(teams, RATES_RULE, 5).mask
    meeting = teams["kind"] == "meeting"
    assert hidden.at[1, "on_time"] and hidden.loc[meeting, "on_time"].sum() >= 2
    for c in ("on_time", "late", "due"):                       # no kind's column has one withheld cell alone
        assert hidden.loc[meeting, c].sum() != 1
    assert not hidden.loc[~meeting].to_numpy().any()           # concerns: nothing small, nothing withheld


def test_one_teams_withheld_deficit_wording_is_not_the_regional_count_less_the_others():
    # The Regional view's audit measures print the authority's actions in deficit wording (Count) of its actions (Of),
    # the sums of the Plan quality page's teams.  Team B's 2 was withheld; 31 - 17 - 12 gave it back.
    from paqa_dash.metrics import wording
    from paqa_dash.ui.pages.plan_quality import WORDING_RULE

    teams = pd.DataFrame({"team": ["A", "B", "C"], "actions": [90, 40, 70], "with_deficit": [17, 2, 12],
                          "with_strength": [30, 15, 25], "with_need": [6, 5, 7], "with_trauma_informed": [8, 9, 6],
                          "with_positive": [40, 20, 30]})
    for share, count in wording.SHARES.items():
        teams[share] = teams[count] / teams["actions"]
    hidden = suppress(teams, WORDING_RULE, 5).mask
    assert hidden.at[1, "with_deficit"] and hidden["with_deficit"].sum() >= 2


def test_one_teams_withheld_relevance_counts_are_not_the_tiles_less_the_other_teams():
    # Plan quality, threshold 5: the tile's help says 90 of 160 plans with an adult factor had no action.  Central's 3
    # (no action) was withheld with its 5 (every need has an action) inside the team; but 90 - (11 + 29 + 38 + 9) = 3
    # and 160 - 152 - 3 = 5 gave both back.
    from paqa_dash.reference.codes import RELEVANCE_VERDICTS as VERDICTS
    from paqa_dash.ui.pages.plan_quality import RELEVANCE_RULE

    none, every = VERDICTS[0], VERDICTS[1]
    counts = pd.DataFrame({"team": [t for t in ("Central", "East", "North", "South", "West") for _ in (0, 1)],
                           "verdict": [none, every] * 5, "plans": [3, 5, 11, 20, 29, 20, 38, 15, 9, 10]})
    assert counts.loc[counts["verdict"] == none, "plans"].sum() == 90 and counts["plans"].sum() == 160
    hidden = suppress(counts, RELEVANCE_RULE, 5).mask["plans"]
    assert hidden.iloc[0]                                               # Central's 3
    no_action = counts["verdict"] == none
    assert hidden[no_action].sum() >= 2                                 # 90 less the others shown is not one cell
    for team, rows in counts.groupby("team").groups.items():            # nor is a team's bar less its other verdict
        assert hidden[rows].sum() != 1, team
    assert hidden.sum() != 1                                            # nor 160 less every cell shown


def test_a_buckets_withheld_children_are_not_the_repeat_plans_total_less_the_other_buckets():
    # Household change, threshold 5: "3+ / False" (1) and "3+ / True" (11) read c beside the tile "Children with 3+
    # changes = 12"; but the True rows 6 + 20 + 16 and the 53 repeat plans started printed on the Overview gave the
    # 11 back, and the tile's 12 less it the 1.
    from paqa_dash.report.rules import BUCKETS_RULE

    buckets = pd.DataFrame({"bucket": [b for b in ("0", "1", "2", "3+") for _ in (0, 1)],
                            "has_repeat_plan": [False, True] * 4, "children": [150, 6, 60, 20, 30, 16, 1, 11]})
    hidden = suppress(buckets, BUCKETS_RULE, 5).mask["children"]
    assert hidden.iloc[6] and hidden.iloc[7]                              # 3+: the 1, and the 11 beside the tile
    for key in ("bucket", "has_repeat_plan"):                            # no bucket, and neither column, has one
        for value, rows in buckets.groupby(key).groups.items():          # withheld cell alone
            assert hidden[rows].sum() != 1, (key, value)


def test_a_withheld_gap_is_not_the_overviews_repeat_within_the_window_less_the_bars_shown():
    # The Overview's "Repeat within 24 months" is the bars within the window added up (35 here); the bars add up to
    # the repeat plans with a gap too (41).  With the 3 withheld and the smallest other bar, beyond the window, taken
    # as its second, 35 - 20 - 12 gave it back.
    from paqa_dash.report.rules import GAPS_RULE

    gaps = pd.DataFrame({"gap_month": [2, 8, 14, 30], "plans": [20, 3, 12, 6]})
    gaps["within_window"] = gaps["gap_month"] < 24
    hidden = suppress(gaps, GAPS_RULE, 5).mask["plans"]
    assert hidden[1]
    assert hidden[gaps["within_window"]].sum() >= 2, hidden.tolist()     # another bar within the window with it
    assert hidden.sum() >= 2


def _audit_rates(measure: str, counts: list[tuple[float, float]]) -> pd.DataFrame:
    """The Regional view's audit measures (metrics/regional_audit.rates_by_authority) for one measure."""
    names = ["Gateshead", "Newcastle upon Tyne", "North Tyneside", "South Tyneside", "LA 999"][:len(counts)]
    frame = pd.DataFrame({"authority": ["390", "391", "392", "393", "999"][:len(counts)], "name": names,
                          "measure": measure, "numerator": [n for n, _ in counts],
                          "denominator": [d for _, d in counts]})
    return frame.assign(percent=(100 * frame["numerator"] / frame["denominator"]).round(1), recorded=True)


def test_one_authoritys_withheld_audit_count_is_not_the_pooled_figure_less_the_others():
    # The regional store, a strategic lead: the Overview for the whole store prints 21 endings at risk of 178 plans
    # ended; the Regional view printed 7 of 55, 10 of 65, c of 58, 0 and 0, and 21 - 7 - 10 gave North Tyneside's 4.
    from paqa_dash.report.rules import AUDIT_RATES_RULE

    at_risk = _audit_rates("Warning sign, not re-planned yet", [(7, 55), (10, 65), (4, 58), (0, 0), (0, 0)])
    hidden = suppress(at_risk, AUDIT_RATES_RULE, 5).mask
    assert hidden.at[2, "numerator"] and hidden["numerator"].sum() >= 2    # another authority's count goes with it
    assert hidden.loc[hidden["numerator"], "percent"].all()                # and the shares that would give it back
    assert not hidden["denominator"].any()                                 # nothing small there


def test_an_audit_count_no_other_page_adds_up_keeps_its_neighbours():
    # Repeat plans after a household change are counted on no other page: a withheld 3 needs no second cell hidden.
    from paqa_dash.report.rules import AUDIT_RATES_RULE

    household = _audit_rates("Repeat after a household change", [(3, 20), (12, 30), (9, 25)])
    assert suppress(household, AUDIT_RATES_RULE, 5).mask["numerator"].tolist() == [True, False, False]


@pytest.mark.parametrize("page, rule, count", [("challenge", "ENDINGS_RULE", "endings"),
                                               ("challenge", "STEP_DOWN_RULE", "step_downs"),
                                               ("duplicates", "IMPACT_RULE", "plans")])
def test_a_withheld_group_of_a_pair_is_not_the_regional_of_less_the_other(page, rule, count):
    # An authority's endings challenged (step-downs with an agreement, repeat plans largely repeated): 3 of 43 on the
    # Regional view, Count withheld, Of shown.  The page's pair printed the other group's 40, and 43 - 40 gave the 3.
    import importlib

    chosen = getattr(importlib.import_module(f"paqa_dash.ui.pages.{page}"), rule)
    pair = pd.DataFrame({"group": ["yes", "no"], count: [3, 40], "followed_up": [0, 30], "replanned": [0, 9]})
    pair["replan_rate_pct"] = 100 * pair["replanned"] / pair["followed_up"]
    if page == "duplicates":
        pair = pair.assign(ended=[0, 30], with_adult_need=[0, 0], adult_needs_addressed=[0, 0],
                           ended_rate_pct=[0.0, 75.0], addressed_rate_pct=[float("nan")] * 2,
                           median_length_days=[float("nan"), 200.0])
    hidden = suppress(pair, chosen, 5).mask[count]
    assert hidden.tolist() == [True, True]
