"""Between plans (audit question 2: was re-planning proportionate to the impact of neglect on the child to
date?): what was recorded between a child's previous plan and the repeat plan, how long the decision took
from the first renewed concern, and the evidence of impact on the child recorded before it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import between as figs
from paqa_dash.metrics import between, coverage, sequence
from paqa_dash.reference.codes import AGENCY_LABELS
from paqa_dash.reference.concerns import CONCERN_BAND_LABELS, CONCERN_GROUP_LABELS
from paqa_dash.reference.recorded import NOT_RECORDED, recorded_columns, sentence
from paqa_dash.report import suppression
from paqa_dash.report.suppression import Rule
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted, days_text

TITLE = "Between plans"
ICON = ":material/hourglass_top:"
ORDER = 25
URL_PATH = "between_plans"
NEEDS = scope.AGGREGATES

# The bands add up to the repeat plans with a gap (a tile); months and groups are counts of concerns.
BANDS_RULE = Rule(counts=("plans", "with_impact"), rows_add_up=("plans",))
MONTHS_RULE = Rule(counts=("concerns",))
GROUPS_RULE = Rule(counts=("concerns", "plans"))

DEFINITION = ("Between plans ({link}): for each repeat plan started in the period whose previous plan had ended, "
              "the concerns recorded for the child after the previous plan's end and before the repeat plan "
              "started: referrals, contacts, incidents, police call-outs, missed health and school appointments, "
              "agencies' challenges and any other event not part of the plan's own work (assessments, section 47 "
              "enquiries, strategy discussions and conferences are the response, not concerns). Source: the "
              "store's events and plans tables.")
# Said under the charts where the data holds no incidents, police call-outs or missed appointments (a census).
IMPACT_UNRECORDED = ("Impact on the child (incidents, police call-outs, missed appointments): " + NOT_RECORDED
                     + ", so no share of concerns or plans with impact is given.")
LIST_COLUMNS = {"child_id": "Child", "timeline": "Timeline", "plan_number": "Plan no.", "team": "Team",
                "previous_end": "Previous plan ended", "start_date": "Repeat plan started", "gap_days": "Days between",
                "concerns": "Concerns", "impact_events": "Impact before the decision", "band": "Concern before the plan",
                "days_to_strategy": "Days: first concern to strategy", "days_to_icpc": "Days: first concern to ICPC",
                "days_to_plan": "Days: first concern to plan"}


def _days(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else days_text(value)


def _plan_list(filters, thresholds, plans: int, absent: dict[str, str]) -> None:
    """The repeat plans one by one, most concerns first, each linking to the child's timeline (asked of the
    store only when the user opens the list); the columns of a measure in `absent` (recorded.GAP_COLUMN_MEASURES)
    left out: no column of 0s without impact events recorded, no band of "one concern" for every plan from
    referrals alone (a census), no blank strategy column without strategy discussions recorded (a census, an
    Annex A return), as the child timeline's gaps and the audit pack leave them out; the tile above says why."""
    st.subheader("Repeat plans one by one")
    if not st.toggle(f"List the {counted(plans, 'repeat plan', shown=components.aggregate_count(plans))}, most "
                     "concerns first",
                     key="between_list_on"):
        return
    rows = data.cached_or_refused(between.plan_rows, filters, thresholds)
    if rows is None:   # a role that sees aggregates only
        return
    rows = rows.sort_values(["concerns", "start_date"], ascending=[False, False])
    table = components.as_dates(components.with_timeline_links(rows), ["previous_end", "start_date"])
    columns = {c: LIST_COLUMNS[c] for c in recorded_columns(LIST_COLUMNS, absent)}
    config = components.child_list_config(columns)
    components.table_expander(table[list(columns)], key="between_plans_list", column_config=config,
                              label=f"The {counted(len(rows), 'repeat plan')}", words={"band": CONCERN_BAND_LABELS})


def render() -> None:
    st.title("Between plans")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    st.caption(f"Repeat plans **started** in the period; {state.described(filters)}. "
               f"{state.period_note(filters)}".strip())
    held = data.cached(coverage.coverage, filters, thresholds)
    if components.unrecorded(held, "between_plans"):
        return
    counts = data.cached(between.totals, filters, thresholds)
    plans = counts["repeat_plans_with_gap"]
    if plans == 0:
        if not sequence.window_known(data.cached(sequence.start_counts, filters, thresholds)):
            # repeat plans started, but none has its earlier plan dated (Annex A): widening the filter will not help
            components.undated_earlier_plans("The time between plans")
        else:
            state.nothing_matches("No repeat plan started in the period after an earlier plan had ended")
        return
    link = components.definition_link(anchors.BETWEEN_PLANS)
    components.metric_tiles([
        components.Tile("Repeat plans after a gap", components.count(plans), rests_on=(plans,)),
        # a source with no incidents or missed appointments (a census) can show no impact: "–", not 0
        components.recorded_tile(held, "impact_before_decision", components.Tile(
            "Impact before the decision", components.count(counts["with_impact_before_decision"]),
            help=f"of {plans:,}: an incident, police call-out or missed appointment of the child before "
                 "the ICPC (or the plan, where no ICPC is recorded)",
            rests_on=(counts["with_impact_before_decision"], plans))),
        # no strategy discussion in the data (a census, an Annex A return): "–" with why, not a bare dash
        components.recorded_tile(held, "days_to_strategy", components.Tile(
            "First concern to strategy", _days(counts["median_days_to_strategy"]), help="Median")),
        components.Tile("First concern to ICPC", _days(counts["median_days_to_icpc"]), help="Median"),
        components.Tile("First concern to plan", _days(counts["median_days_to_plan"]), help="Median"),
    ])
    components.unrecorded_caption(held, {"impact_before_decision": "Impact before the decision",
                                         "days_to_strategy": "First concern to strategy"})
    definition = DEFINITION.format(link=link)
    # no incident, police call-out or missed appointment recorded (a census): no "0% impact" and no column of 0s
    impact = held.recorded("impact_before_decision")
    no_impact = "" if impact else f" {IMPACT_UNRECORDED}"
    # referrals the only concerns recorded (a census): how many concerns came before each plan, and when, would be
    # read from the referral that opened the plan's episode alone ("0 followed 5 or more concerns"): said, not drawn
    volume = held.recorded("concern_volume")
    if volume:
        _volume_charts(filters, thresholds, definition, link, impact, no_impact)
    else:
        components.unrecorded(held, "concern_volume")
    only_some = "" if volume else f" {sentence(held.absent('concern_volume'))}"
    groups = data.cached(between.by_group, filters, thresholds)
    withheld = components.any_suppressed(groups, GROUPS_RULE)
    components.chart_card(
        figs.groups_bars(components.suppressed(groups, GROUPS_RULE), impact_recorded=impact, impact_said=not withheld),
        (("Concerns in the gap by kind (red: evidence of impact on the child — incidents, police call-outs, missed "
          f"health, school and other appointments; {link})." if impact else f"Concerns in the gap by kind ({link}).")
         if volume else f"{definition} Concerns in the gap by kind, of the kinds this data records.")
        + " The table splits each kind by agency; *plans*: repeat plans with at least one." + no_impact + only_some,
        groups, key="between_groups", rule=GROUPS_RULE, words={"grp": CONCERN_GROUP_LABELS, "agency": AGENCY_LABELS},
        # the kind most recorded, while no withheld count could change it
        finding_rests_on=suppression.leader_rests_on(groups, GROUPS_RULE, components.suppress_below(), "grp",
                                                     "concerns"))
    _plan_list(filters, thresholds, plans, held.not_recorded("impact_before_decision", "concern_volume",
                                                             "days_to_strategy"))


def _volume_charts(filters, thresholds, definition: str, link: str, impact: bool, no_impact: str) -> None:
    """The repeat plans by how many concerns came before them, and the concerns by the months before the plan."""
    bands = data.cached(between.bands, filters, thresholds)
    components.chart_card(
        figs.bands_bars(components.suppressed(bands, BANDS_RULE)),
        f"{definition} Repeat plans by the concerns recorded before them: a quick re-plan after one concern, or a "
        "slow drift after many; each bar with the median days from the first concern to the plan. "
        + ("*With impact*: plans with an incident, police call-out or missed appointment recorded before the "
           "decision." if impact else IMPACT_UNRECORDED),
        bands if impact else bands.drop(columns="with_impact"), key="between_bands", rule=BANDS_RULE,
        words={"band": CONCERN_BAND_LABELS})
    months = data.cached(between.months_before, filters, thresholds)
    components.chart_card(
        figs.months_before_bars(components.suppressed(months, MONTHS_RULE), between.MONTHS_CAP),
        "Concerns in the gap by how long before the repeat plan they were recorded (months of 30.4 days; 12+ = a "
        f"year or more before) and by the agency that recorded them ({link}). Concerns crowding the last months "
        f"show escalation; concerns spread over a year or more show drift.{no_impact}",
        months, key="between_months", rule=MONTHS_RULE, words={"agency": AGENCY_LABELS})


if __name__ == "__main__":
    render()
