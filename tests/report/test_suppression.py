"""Small-number suppression on small hand-worked tables (docs/definitions.md, "Small numbers")."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.report.suppression import SYMBOL, Rule, displayed, suppress, suppressed_value

TEAMS = Rule(counts=("plans", "repeat_plans"), rates={"repeat_rate": ("repeat_plans", "plans")},
             columns_add_up=(("plans", ("repeat_plans",)),))


def hidden(result, column: str) -> list[bool]:
    return result.mask[column].tolist()


def teams(plans: list[int], repeats: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"team": [f"T{i}" for i in range(len(plans))], "plans": plans, "repeat_plans": repeats,
                         "repeat_rate": [r / p if p else None for r, p in zip(repeats, plans)]})


def test_counts_of_one_to_four_are_suppressed_and_zero_is_shown() -> None:
    frame = pd.DataFrame({"n": [0, 1, 4, 5, 12]})
    result = suppress(frame, Rule(counts=("n",)), 5)
    assert hidden(result, "n") == [False, True, True, False, False]
    assert displayed(result)["n"].tolist() == [0, SYMBOL, SYMBOL, 5, 12]


@pytest.mark.parametrize("threshold", [0, 1])
def test_threshold_zero_or_one_suppresses_nothing(threshold: int) -> None:
    frame = teams([3, 1, 2], [1, 0, 2])
    result = suppress(frame, TEAMS, threshold)
    assert not result.mask.to_numpy().any()
    pd.testing.assert_frame_equal(result.frame, frame)
    pd.testing.assert_frame_equal(displayed(result), frame)


def test_all_cells_small_are_all_suppressed_with_their_rates() -> None:
    result = suppress(teams([3, 2], [1, 2]), TEAMS, 5)
    assert result.mask[["plans", "repeat_plans", "repeat_rate"]].to_numpy().all()
    assert not result.mask["team"].any()


def test_a_rate_on_a_small_denominator_is_withheld_even_when_its_numerator_is_zero() -> None:
    result = suppress(teams([3, 40], [0, 8]), TEAMS, 5)
    assert hidden(result, "repeat_plans") == [False, False]   # 0 is shown
    assert hidden(result, "plans") == [True, False]
    assert hidden(result, "repeat_rate") == [True, False]


def test_a_small_complement_suppresses_the_part_that_would_reveal_it() -> None:
    # 20 plans, 18 repeat: the 2 first plans are not shown but 20 - 18 would give them away.
    result = suppress(teams([20, 30], [18, 10]), TEAMS, 5)
    assert hidden(result, "repeat_plans") == [True, False]
    assert hidden(result, "plans") == [False, False]
    assert hidden(result, "repeat_rate") == [True, False]


def test_one_suppressed_cell_and_a_shown_total_row_suppress_the_next_smallest() -> None:
    frame = pd.DataFrame({"team": ["North", "South", "East", "All"], "plans": [3, 9, 20, 32]})
    rule = Rule(counts=("plans",), rows_add_up=("plans",), total_row=("team", "All"))
    result = suppress(frame, rule, 5)
    # North (3) is primary; 32 - 9 - 20 would give it back, so South (9, the next smallest) goes too.
    assert hidden(result, "plans") == [True, True, False, False]
    assert displayed(result)["plans"].tolist() == [SYMBOL, SYMBOL, 20, 32]


def test_a_total_shown_elsewhere_protects_the_rows_the_same_way() -> None:
    frame = pd.DataFrame({"team": ["North", "South", "East"], "plans": [3, 9, 20]})
    result = suppress(frame, Rule(counts=("plans",), rows_add_up=("plans",)), 5)
    assert hidden(result, "plans") == [True, True, False]


def test_secondary_suppression_skips_zero_cells_and_two_small_cells_need_no_more() -> None:
    frame = pd.DataFrame({"band": ["a", "b", "c", "d"], "plans": [0, 2, 3, 40]})
    result = suppress(frame, Rule(counts=("plans",), rows_add_up=("plans",)), 5)
    assert hidden(result, "plans") == [False, True, True, False]
    one_small = pd.DataFrame({"band": ["a", "b", "c"], "plans": [0, 2, 40]})
    result = suppress(one_small, Rule(counts=("plans",), rows_add_up=("plans",)), 5)
    assert hidden(result, "plans") == [False, True, True]   # the zero is not a protection


def test_rows_add_up_within_each_group() -> None:
    frame = pd.DataFrame({"quarter": ["Q1", "Q1", "Q2", "Q2"], "team": ["N", "S", "N", "S"],
                          "actions": [2, 30, 10, 30]})
    result = suppress(frame, Rule(counts=("actions",), rows_add_up=("actions",), within=("quarter",)), 5)
    assert hidden(result, "actions") == [True, True, False, False]


def test_a_secondary_cell_is_protected_in_every_addition_it_is_in() -> None:
    # North's 2 repeat plans go; North's plans total (10) shows, so first plans (8) go too; and the
    # repeat column adds up to a total shown elsewhere, so South's repeat plans must go as well.
    frame = pd.DataFrame({"team": ["North", "South", "East"], "plans": [10, 30, 40],
                          "first_plans": [8, 24, 30], "repeat_plans": [2, 6, 10]})
    rule = Rule(counts=("plans", "first_plans", "repeat_plans"),
                columns_add_up=(("plans", ("first_plans", "repeat_plans")),), rows_add_up=("repeat_plans",))
    result = suppress(frame, rule, 5)
    assert hidden(result, "repeat_plans") == [True, True, False]
    assert hidden(result, "first_plans")[0]
    for i in range(3):   # no row or column has exactly one suppressed cell left
        assert sum(result.mask.loc[i, ["plans", "first_plans", "repeat_plans"]]) != 1
    assert result.mask["repeat_plans"].sum() != 1


def test_suppressed_cells_are_missing_for_charts_and_c_in_the_csv() -> None:
    result = suppress(teams([3, 40], [1, 8]), TEAMS, 5)
    assert result.frame["plans"].isna().tolist() == [True, False]
    text = csv_bytes(displayed(result)).decode()
    assert text.splitlines()[1] == "T0,c,c,c"
    assert text.splitlines()[2] == "T1,40,8,0.2"


def test_a_median_resting_on_a_small_count_is_withheld() -> None:
    frame = pd.DataFrame({"team": ["N", "S"], "plans": [4, 50], "median_days": [120.0, 300.0]})
    result = suppress(frame, Rule(counts=("plans",), rates={"median_days": (None, "plans")}), 5)
    assert hidden(result, "median_days") == [True, False]


def test_a_headline_value_is_withheld_when_a_count_it_rests_on_is_small() -> None:
    assert suppressed_value(0.25, 5, 1, 4)
    assert not suppressed_value(0.25, 5, 10, 40)
    assert not suppressed_value(0, 5, 0)
    assert not suppressed_value(0.25, 0, 1, 4)


def test_a_chart_marks_each_missing_point_once_and_not_a_reference_line() -> None:
    import plotly.graph_objects as go

    from paqa_dash.figures.style import mark_suppressed

    fig = go.Figure()
    fig.add_bar(x=["Q1", "Q2", "Q3"], y=[10, None, 7])
    fig.add_scatter(x=["Q1", "Q2", "Q3"], y=[None, 0.2, 0.3], mode="lines")   # England: no Q1 figure
    fig.update_yaxes(title_text="Plans (count)")
    marked = mark_suppressed(fig, SYMBOL, "suppressed: fewer than 5")
    marks = [(a.x, a.text, a.hovertext) for a in marked.layout.annotations]
    assert marks == [("Q2", "c", "suppressed: fewer than 5")]
    assert marked.layout.title.text.startswith("Plans (count): some values suppressed")


def test_a_blank_for_nothing_recorded_is_never_withheld() -> None:
    # Team T0: 3 repeat plans (small, withheld) whose earlier plans have no dates, so its repeats within the window
    # are not recorded (blank).  The blank is not a count to protect: it stays blank, never "c".
    frame = pd.DataFrame({"team": ["T0", "T1"], "plans_started": [40, 50], "repeat_plans": [3, 20],
                          "repeat_within_window": pd.array([pd.NA, 12], dtype="Int64")})
    rule = Rule(counts=("plans_started", "repeat_plans", "repeat_within_window"),
                columns_add_up=(("repeat_plans", ("repeat_within_window",)),))
    result = suppress(frame, rule, 5)
    assert hidden(result, "repeat_plans") == [True, False]
    assert hidden(result, "repeat_within_window") == [False, False]
    shown = displayed(result)
    assert pd.isna(shown["repeat_within_window"].iloc[0])
    assert shown["repeat_plans"].iloc[0] == SYMBOL


def test_a_blank_team_adds_nothing_so_a_withheld_team_is_still_protected_against_the_total() -> None:
    # Teams' repeats within the window add up to the headline (15, shown): T0 blank (its earlier plans undated: it
    # adds nothing), T1 3 (withheld), T2 12.  15 - 12 would give T1 away, so T2 is withheld too.
    frame = pd.DataFrame({"team": ["T0", "T1", "T2"], "within": pd.array([pd.NA, 3, 12], dtype="Int64")})
    result = suppress(frame, Rule(counts=("within",), rows_add_up=("within",)), 5)
    assert hidden(result, "within") == [False, True, True]
    assert pd.isna(displayed(result)["within"].iloc[0])


def test_a_blank_beside_large_counts_withholds_nothing() -> None:
    # An authority of Annex A data: 900 plans started, 300 repeat plans, repeats within the window not recorded.
    frame = pd.DataFrame({"name": ["Camden", "Greenwich"], "plans_started": [900, 800], "repeat_plans": [300, 200],
                          "repeat_within_window": pd.array([pd.NA, 60], dtype="Int64")})
    rule = Rule(counts=("plans_started", "repeat_plans", "repeat_within_window"),
                columns_add_up=(("plans_started", ("repeat_within_window",)), ("repeat_plans", ("repeat_within_window",))),
                rows_add_up=("plans_started", "repeat_plans", "repeat_within_window"))
    assert not suppress(frame, rule, 5).mask.to_numpy().any()


def deadlines(counts: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """The Core groups & agencies timeliness table (figures/agencies.timeliness_frame) for hand-worked counts:
    measure -> (on time, late, not yet due)."""
    from paqa_dash.figures.agencies import timeliness_frame

    keys = {"First core group": "first", "Later core groups": "intervals", "First review conference": "first",
            "Later review conferences": "later"}
    core = {f"{keys[m]}_{s}": n for m, ns in counts.items() if "core" in m
            for s, n in zip(("on_time", "late", "not_due"), ns)}
    reviews = {f"{keys[m]}_{s}": n for m, ns in counts.items() if "review" in m
               for s, n in zip(("on_time", "late", "not_due"), ns)}
    return timeliness_frame(core, reviews)


def test_a_share_of_a_part_goes_with_a_withheld_count_of_that_part() -> None:
    # First core group: 195 on time, 37 late, 3 not yet due, 235 in all (one per plan started, a headline).  The 3
    # goes, and the 37 with it (else 235 - 195 - 37); and the on-time share (195 / 232 = 84.05%) goes too, or
    # 195 / 0.8405 - 195 gives the 37 back.
    from paqa_dash.report.rules import TIMELINESS_RULE

    frame = deadlines({"First core group": (195, 37, 3), "Later core groups": (665, 149, 209),
                       "First review conference": (161, 34, 40), "Later review conferences": (93, 2, 191)})
    shown = displayed(suppress(frame, TIMELINESS_RULE, 5)).set_index(["measure", "status"])
    first = shown.loc["First core group"]
    assert first["n"].tolist() == [195, SYMBOL, SYMBOL]
    assert first["share_of_due"].tolist()[:2] == [SYMBOL, SYMBOL]
    # nothing small in the later core groups: all shown
    assert shown.loc["Later core groups"]["n"].tolist() == [665, 149, 209]
    assert shown.loc["Later core groups"]["share_of_due"].tolist()[:2] == pytest.approx([665 / 814, 149 / 814])


def test_a_small_count_whose_total_is_shown_nowhere_withholds_no_large_count() -> None:
    # Later review conferences: 93 on time, 2 late, 191 not yet due.  No page shows their total, so only the 2 goes
    # (and the shares of those due, which would give it back); the 93 stays, as a chart bar and in the table.
    from paqa_dash.report.rules import TIMELINESS_RULE

    frame = deadlines({"First core group": (195, 37, 30), "Later review conferences": (93, 2, 191)})
    shown = displayed(suppress(frame, TIMELINESS_RULE, 5)).set_index(["measure", "status"])
    later = shown.loc["Later review conferences"]
    assert later["n"].tolist() == [93, SYMBOL, 191]
    assert later["share_of_due"].tolist()[:2] == [SYMBOL, SYMBOL]


def test_rows_add_up_only_in_the_groups_whose_totals_are_shown() -> None:
    frame = pd.DataFrame({"quarter": ["Q1", "Q1", "Q2", "Q2"], "actions": [2, 30, 2, 30]})
    rule = Rule(counts=("actions",), rows_add_up=("actions",), within=("quarter",), totals_for=("Q1",))
    assert hidden(suppress(frame, rule, 5), "actions") == [True, True, True, False]


def test_a_survival_tables_steps_are_pooled_until_no_count_is_small() -> None:
    from paqa_dash.metrics.survival import kaplan_meier
    from paqa_dash.report.suppression import survival_steps

    durations = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] + [30] * 40   # one re-plan a month, then 40 followed 30 months
    curve = kaplan_meier(durations, [True] * 10 + [False] * 40)
    pooled = survival_steps(curve, 5)
    assert pooled["time"].tolist() == [0.0, 5.0, 10.0, 30.0]
    assert pooled["events"].tolist() == [0, 5, 5, 0] and pooled["censored"].tolist() == [0, 0, 0, 40]
    # each row's at risk less its events and censored is the next row's: nothing is hidden, nothing is small
    assert (pooled["at_risk"] - pooled["events"] - pooled["censored"]).iloc[:-1].tolist() == pooled["at_risk"].iloc[1:].tolist()
    true = curve.set_index("time")["survival"]
    assert pooled.set_index("time")["survival"].iloc[1:].tolist() == true.loc[[5.0, 10.0, 30.0]].tolist()
    pd.testing.assert_frame_equal(survival_steps(curve, 0), curve)


def test_a_survival_tables_last_steps_short_of_the_threshold_are_one_step_the_rule_withholds() -> None:
    from paqa_dash.metrics.survival import kaplan_meier
    from paqa_dash.report.suppression import displayed, survival_steps
    from paqa_dash.ui.pages.what_works import CURVE_RULE

    durations = [1, 2, 3, 4, 5] + [20] * 30 + [25, 26] + [27] * 3   # 5 early re-plans, then 2 late ones
    curve = kaplan_meier(durations, [True] * 5 + [False] * 30 + [True, True] + [False] * 3)
    pooled = survival_steps(curve, 5)
    assert pooled["time"].tolist() == [0.0, 5.0, 20.0, 27.0]
    last = displayed(suppress(pooled, CURVE_RULE, 5)).iloc[-1]
    assert last["at_risk"] == 5 and last["events"] == "c" and last["censored"] == "c"   # 2 + 3: both withheld
    assert last["survival"] == "c"                                                      # its drop says the 2
