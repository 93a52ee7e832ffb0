"""Plan refresh (audit question 7: did the core group refresh the plan in time?): after each review conference,
core group meeting and new concern during a plan, was the plan updated within the threshold's days."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import refresh as figs
from paqa_dash.metrics import coverage, refresh
from paqa_dash.reference.concerns import TRIGGER_LABELS
from paqa_dash.reference import benchmarks
from paqa_dash.report import suppression
from paqa_dash.report.suppression import Rule
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "Plan refresh"
ICON = ":material/update:"
ORDER = 55
URL_PATH = "plan_refresh"
RATE = {"rate": "On time (%)"}
NEEDS = scope.AGGREGATES

# A team's (or quarter's) deadlines on time and late add up to those due; the teams of a kind, and its quarters, add up
# to the kind's tile ("412 of 530 followed by a plan update"): one withheld count was the tile less the others.
RATES_RULE = Rule(counts=("on_time", "late", "due"), rates={"rate": ("on_time", "due")},
                  columns_add_up=(("due", ("on_time", "late")),), rows_add_up=("on_time", "late", "due"),
                  within=("kind",))
LIST_ROWS = 500
LIST_COLUMNS = {"child_id": "Child", "timeline": "Timeline", "team": "Team", "late_concerns": "New concerns not followed in time",
                "triggers": "Kinds of concern", "first_late": "First such concern", "last_late": "Latest such concern"}

DEFINITION = ("Plan refresh ({link}): for plans started in the period, each review conference and core group "
              "meeting during the plan, and each new concern during it — an incident or police call-out, a household "
              "change of the child or its family, a need identified after the plan started — and whether a plan "
              "update of the child followed within {days} (the same day counts; the threshold is "
              "under *Definitions & thresholds*). Only deadlines already passed count: one after the plan's end or "
              "the as-of date is not yet due. Source: the store's events, household changes and needs.")


def _late_list(filters, thresholds) -> None:
    st.subheader("Plans where a new concern had no timely update")
    late = data.cached_or_refused(refresh.late_plans, filters, thresholds, limit=LIST_ROWS)
    if late is None:   # a role that sees aggregates only
        return
    if late.empty:
        components.empty_state("Every new concern whose deadline has passed was followed by a plan update in time", "")
        return
    total = int(late["plans_listed"].iloc[0])
    st.caption(f"{counted(total, 'plan', shown=components.aggregate_count(total))}, most such concerns first"
               + (f" (the first {LIST_ROWS:,} listed)" if total > LIST_ROWS else "") + ". Open a child's timeline to "
               "read what followed.")
    table = components.as_dates(components.with_timeline_links(late), ["first_late", "last_late"])
    config = components.child_list_config(LIST_COLUMNS)
    components.table_expander(table[list(LIST_COLUMNS)], key="refresh_late_plans", column_config=config,
                              label=f"The {counted(len(late), 'plan')}", words={"triggers": TRIGGER_LABELS})


def _totals(teams: pd.DataFrame, kind: str) -> tuple[int, int]:
    """(on time, due) of one kind over the teams: a tile's figures."""
    part = teams[teams["kind"] == kind]
    return int(part["on_time"].sum()), int(part["due"].sum())


def _ends_rests_on(quarters: pd.DataFrame) -> tuple[int, ...] | None:
    """The quarter chart's finding sets the first quarter's new concerns against the last's (or says they are too
    few to): it stays while those two quarters' concerns due, and where compared their rates, are shown; a withheld
    first quarter would have it take the second for the first."""
    concern = quarters[(quarters["kind"] == "concern") & (quarters["due"] > 0)].sort_values("quarter")
    if len(concern) < 2:
        return None
    ends = concern.index[[0, -1]]
    said = ["due"] + (["on_time", "rate"] if all(benchmarks.comparable(d) for d in concern.loc[ends, "due"]) else [])
    withheld = suppression.suppress(quarters.reset_index(drop=True), RATES_RULE, components.suppress_below()).mask
    if withheld.loc[[quarters.index.get_loc(i) for i in ends], said].to_numpy().any():
        return None
    return tuple(int(concern.at[i, c]) for i in ends for c in said if c != "rate")


def render() -> None:
    st.title("Plan refresh")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    days = thresholds.plan_update_days
    st.caption(f"Plans **started** in the period; {state.described(filters)}. {state.period_note(filters)}".strip())
    held = data.cached(coverage.coverage, filters, thresholds)
    if components.unrecorded(held, "plan_refresh"):
        return
    if held.plans == 0:   # no plan in the filter: "no review ... of these plans had its deadline" would be no finding
        state.no_plans()
        return
    grid = data.cached(refresh.team_quarters, filters, thresholds)
    teams = refresh.by_team(grid)
    if int(teams["due"].sum()) == 0:
        # (not "yet": one is not due when its deadline falls after its plan ended, as with the child timeline's line)
        state.nothing_matches("No review, core group or new concern of these plans had its deadline before its plan "
                              "ended or before the data's date")
        return
    definition = DEFINITION.format(link=components.definition_link(anchors.PLAN_REFRESH), days=counted(days, "day"))
    tiles = []
    for kind, label in (("meeting", "After meetings"), ("concern", "After new concerns")):
        on_time, due = _totals(teams, kind)
        tiles.append(components.Tile(label, components.share(on_time, due),
                                     help=f"{on_time:,} of {due:,} followed by a plan update within {counted(days, 'day')}",
                                     rests_on=(on_time, due)))
    components.metric_tiles(tiles)
    concerns = _totals(teams, "concern")   # the "After new concerns" tile's, which the team chart's finding says
    components.chart_card(figs.team_rates(components.suppressed(teams, RATES_RULE), days, concerns), definition, teams,
                          key="refresh_by_team", rule=RATES_RULE, headings=RATE, finding_rests_on=concerns)
    quarters = refresh.by_quarter(grid)
    components.chart_card(figs.quarter_rates(components.suppressed(quarters, RATES_RULE), days),
                          f"The same by the quarter of the meeting or concern ({components.definition_link(anchors.PLAN_REFRESH)}).",
                          quarters, key="refresh_by_quarter", rule=RATES_RULE, headings=RATE,
                          finding_rests_on=_ends_rests_on(quarters))
    _late_list(filters, thresholds)


if __name__ == "__main__":
    render()
