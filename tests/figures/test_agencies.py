"""Core groups & agencies figures on small hand-made frames."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import agencies as ag


def by_quarter():
    return pd.DataFrame({
        "quarter": pd.to_datetime(["2021-01-01", "2021-01-01", "2021-04-01", "2021-04-01"]),
        "agency": ["HEALTH", "ADULT_MH", "HEALTH", "ADULT_MH"],
        "invited": [10, 4, 10, 0], "attended": [9, 1, 8, 0], "contributed": [5, 1, 4, 0],
        "rate": [0.9, 0.25, 0.8, None], "contribution_rate": [0.5, 0.25, 0.4, None]})


def test_heatmap_cells_are_percent_with_counts_in_hover():
    fig = ag.attendance_heatmap(by_quarter())
    hm = fig.data[0]
    assert list(hm.x) == ["Jan-Mar 2021", "Apr-Jun 2021"]
    assert list(hm.y) == ["Adult mental health", "Health"]          # fewest invitations at the bottom
    assert hm.z[1][0] == pytest.approx(90.0) and hm.z[0][0] == pytest.approx(25.0)
    assert pd.isna(hm.z[0][1])                                      # nobody invited: blank, not 0
    assert hm.customdata[1][1] == ["8", "10", " (80%)"]   # the share in the hover as the cell says it
    assert fig.layout.xaxis.title.text == "Quarter (meeting date)"
    assert fig.layout.yaxis.title.text == "Agency"
    assert fig.layout.title.text == ("Core group invitations attended: too few invitations in Adult mental health to "
                                     "compare (a comparison needs at least 20)")   # 4 invitations: not ranked


def test_heatmap_contribution_measure():
    fig = ag.attendance_heatmap(by_quarter(), measure="contribution_rate")
    assert fig.data[0].z[1][0] == pytest.approx(50.0)
    assert "contributed" in fig.layout.title.text


def test_attendance_bars_sorted_lowest_first_and_skip_uninvited():
    by_agency = pd.DataFrame({"agency": ["CSC", "POLICE", "FAMILY"], "invited": [20, 10, 0],
                              "attended": [19, 3, 0], "contributed": [18, 1, 0],
                              "rate": [0.95, 0.3, None], "contribution_rate": [0.9, 0.1, None]})
    fig = ag.attendance_bars(by_agency)
    attended = fig.data[0]
    assert list(attended.y) == ["Police", "Children's social care"]
    assert list(attended.x) == [0.3, 0.95]                          # shares, on the share axis
    assert fig.layout.title.text == ("Core group attendance by agency: too few invitations in Police to compare "
                                     "(a comparison needs at least 20)")   # 10 invitations: not ranked
    assert fig.layout.xaxis.title.text == "Share of core group invitations (%)"


def test_timeliness_frame_and_bars():
    core = {"first_on_time": 6, "first_late": 4, "first_not_due": 1,
            "intervals_on_time": 20, "intervals_late": 5, "intervals_not_due": 2}
    reviews = {"first_on_time": 9, "first_late": 1, "later_on_time": 0, "later_late": 0, "later_not_due": 3}
    frame = ag.timeliness_frame(core, reviews)
    late_first = frame[(frame["measure"] == "First core group") & (frame["status"] == "Late")].iloc[0]
    assert late_first["n"] == 4 and late_first["share_of_due"] == pytest.approx(0.4)
    later = frame[frame["measure"] == "Later review conferences"]
    assert later["share_of_due"].isna().all()                      # none fell due: no share
    fig = ag.timeliness_bars(frame)
    assert [t.name for t in fig.data] == ["On time", "Late", "Not yet due"]
    late = fig.data[1]
    assert list(late.y)[-1] == "First core group" and list(late.x)[-1] == 4
    assert fig.layout.title.text == "20% of later core group deadlines that fell due were missed"   # 10 first: too few
    assert fig.layout.xaxis.title.text == "Deadlines (count)"


def test_challenges_top_n_and_title():
    ch = pd.DataFrame({"agency": ["HEALTH", "HEALTH", "EDUCATION", "POLICE"],
                       "event_type": ["CHALLENGE", "ESCALATION", "CHALLENGE", "CHALLENGE"],
                       "events": [6, 2, 1, 1], "plans": [4, 2, 1, 1]})
    fig = ag.challenges_bars(ch, top_n=2)
    assert list(fig.data[0].y) == ["Education", "Health"]           # top 2 by events, largest at top
    assert list(fig.data[1].x) == [0, 2]
    assert fig.layout.title.text == "Health raised 80% of challenges and escalations"
    assert ag.challenges_bars(ch.iloc[0:0]).layout.title.text.startswith("No agency")


def test_heatmap_many_quarters_short_ticks_no_cell_text():
    quarters = pd.date_range("2018-01-01", periods=20, freq="QS")
    frame = pd.DataFrame({"quarter": quarters, "agency": "CSC", "invited": 2, "attended": 1, "contributed": 1,
                          "rate": 0.5, "contribution_rate": 0.5})
    hm = ag.attendance_heatmap(frame).data[0]
    assert hm.x[0] == "Jan-Mar 18" and hm.x[-1] == "Oct-Dec 22"   # months, never an ambiguous "Q1"
    assert hm.text is None


def test_challenges_by_team_table_shares_and_order():
    by_team = pd.DataFrame({"team": ["North", "South", None], "plans": [10, 4, 0],
                            "plans_with_challenge": [1, 2, 0], "plans_with_escalation": [0, 1, 0],
                            "challenges": [3, 2, 0], "escalations": [0, 1, 0]})
    table = ag.challenges_by_team_table(by_team)
    assert table["Team"].tolist() == ["South", "North", "(no team)"]
    assert table["Share with a challenge (%)"].tolist()[:2] == [50.0, 10.0]
    assert pd.isna(table["Share with a challenge (%)"].iloc[2])      # no plans: no share, not 0%
    assert table["Share with an escalation (%)"].tolist()[:2] == [25.0, 0.0]


def test_challenges_with_a_suppressed_count_state_no_share():
    """A count shown as "c" (missing here) leaves no total to take a share of: no "nan%" in the title."""
    ch = pd.DataFrame({"agency": ["HEALTH", "EDUCATION"], "event_type": ["CHALLENGE", "CHALLENGE"],
                       "events": [6.0, float("nan")], "plans": [4.0, float("nan")]})
    title = ag.challenges_bars(ch).layout.title.text
    assert "nan" not in title and "%" not in title and "suppressed" in title


def test_timeliness_draws_no_row_for_a_kind_not_in_its_frame():
    """Reviews recorded, core groups not (a CIN census): the page passes only the review rows; the chart draws no
    empty "First core group" and "Later core groups" rows beside the box saying they are not recorded."""
    from paqa_dash.figures import agencies as figs
    reviews = {"first_on_time": 5, "first_late": 2, "first_not_due": 1, "later_on_time": 3, "later_late": 1,
               "later_not_due": 0}
    frame = figs.timeliness_frame({}, reviews)
    kept = {label for which, _, label in figs.MEASURES if which == "review"}
    fig = figs.timeliness_bars(frame[frame["measure"].isin(kept)].reset_index(drop=True))
    drawn = {y for trace in fig.data for y in trace.y}
    assert drawn == kept and not any("core group" in str(y).lower() for y in drawn)


def _marks(fig) -> dict[str, object]:
    """Each suppression mark's text -> where it sits on the value axis (bars across: x)."""
    return {a.text: a.x for a in fig.layout.annotations}


def test_a_withheld_part_of_a_stack_is_marked_by_name_where_the_stack_ends():
    # First core group: 195 on time, late and not yet due withheld.  Drawn as 0 the bar read "all on time" and
    # nothing marked it; now the two stay missing and "Late c, Not yet due c" follows the drawn bar.
    from paqa_dash.figures.style import mark_suppressed
    from paqa_dash.report.rules import TIMELINESS_RULE
    from paqa_dash.report.suppression import SYMBOL, note, suppress

    frame = ag.timeliness_frame({"first_on_time": 195, "first_late": 37, "first_not_due": 3},
                                {"later_on_time": 93, "later_late": 2, "later_not_due": 191})
    frame = frame[frame["measure"].isin(["First core group", "Later review conferences"])].reset_index(drop=True)
    fig = mark_suppressed(ag.timeliness_bars(suppress(frame, TIMELINESS_RULE, 5).frame), SYMBOL, note(5))
    marks = {a.text: (a.y, a.x, a.hovertext) for a in fig.layout.annotations}
    assert marks == {"Late c, Not yet due c": ("First core group", 195.0, note(5)),
                     "Late c": ("Later review conferences", 93.0 + 191.0, note(5))}
    late = next(t for t in fig.data if t.name == "Late")
    assert all(pd.isna(v) for v in late.x)                        # not drawn as a late bar of 0
    assert list(late.x) == [None] * len(late.x)   # sent as null: the stack goes on past it (test_stacked_withheld.py)


def test_a_withheld_escalation_is_marked_after_the_bars_not_over_the_challenge_bar():
    from paqa_dash.figures.style import mark_suppressed

    ch = pd.DataFrame({"agency": ["HEALTH", "HEALTH", "EDUCATION"], "event_type": ["CHALLENGE", "ESCALATION", "CHALLENGE"],
                       "events": [20, None, 12], "plans": [15, None, 9]})
    fig = mark_suppressed(ag.challenges_bars(ch), "c", "suppressed: fewer than 5")
    assert _marks(fig) == {"Escalation c": 20.0}                  # past Health's 20 challenges, naming the series


def test_a_withheld_heatmap_cell_reads_c_and_its_counts_never_0():
    from paqa_dash.figures.style import mark_suppressed

    table = by_quarter()
    table.loc[1, ["attended", "rate"]] = None                     # 1 of 4 attended: withheld
    fig = mark_suppressed(ag.attendance_heatmap(table), "c", "suppressed: fewer than 5")
    hm = fig.data[0]
    assert hm.text[0][0] == "c"                                   # Adult mental health, Jan-Mar
    assert hm.text[0][1] == ""                                    # nobody invited: blank, as the note says
    assert hm.customdata[0][0] == ["–", "4", ""]                     # the hover: "– of 4", not "0 of 4"


def test_a_heatmap_with_a_withheld_cell_is_titled_by_what_it_measures_not_by_its_agency_axis():
    """The finding goes (it was worked out from the cells left); "Agency: some values suppressed" named an axis of
    categories as the measure (a newcomer's review of the briefing)."""
    from paqa_dash.figures.style import mark_suppressed

    table = by_quarter()
    table.loc[1, ["attended", "rate"]] = None
    title = mark_suppressed(ag.attendance_heatmap(table), "c", "suppressed: fewer than 5").layout.title.text
    assert title.startswith("% attended, by agency and quarter (meeting date): some values suppressed"), title
