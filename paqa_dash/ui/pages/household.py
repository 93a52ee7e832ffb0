"""Household change: how often the household changed during plans or before a repeat plan, and
whether children whose household changed more often after a first plan ended were re-planned, each
child counted over the same months."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import household as figs
from paqa_dash.metrics import coverage, household
from paqa_dash.report.rules import BUCKETS_RULE, SHARE_RULE  # noqa: F401  (shared with the briefing export)
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.recorded import NO_GAP_MEASURED
from paqa_dash.reference.words import counted

TITLE = "Household change"
ICON = ":material/family_restroom:"
ORDER = 60
URL_PATH = "household"
NEEDS = scope.AGGREGATES
FOLLOWED_UP_VIEWS = "household change after a first plan"   # the sidebar names its years (state.sidebar_period_note)

DEFINITION = (f"Household change ({components.definition_link(anchors.HOUSEHOLD)}): household changes (a move, "
              "a change of carer, someone joining or leaving) recorded against the child or its family, dated within one "
              "of the child's plans started in the period, or in the gap before a repeat plan; a change shared "
              "by siblings counts once. Source: the store's household changes and plans.")


AFTER_DEFINITION = ("Household change after a first plan ({link}): children whose first child protection plan "
                    "ended in the period and who have been followed up at least {months} since. For each, "
                    "the household changes of the child or its family in the {months} after the plan "
                    "ended (a change shared by siblings counts once), and whether another plan started within "
                    "those same {months} (the re-plan window under *Definitions & thresholds*). Every "
                    "child is counted over the same {months}, re-planned or not, so the bars compare. "
                    "An association, not a cause: a change may follow the new plan. Source: the store's "
                    "household changes and plans.")


TOP_N = 200   # children listed (and in the CSV) by number of changes; the store counts the rest


def _top_children(filters, thresholds, changed: int) -> None:
    """The children with most changes, asked of the store only when the user opens the list (it costs
    a per-child count over every plan in the filter; the buckets above already gave `changed`)."""
    if changed == 0:
        return
    st.subheader("Children whose household changed most")
    changed_text = components.aggregate_count(changed)
    label = (f"List the {counted(changed, 'child', shown=changed_text)} whose household changed" if changed <= TOP_N
             else f"List the {TOP_N:,} children with most changes (of {changed_text} with any change)")
    if not st.toggle(label, key="household_top_on"):
        return
    top = data.cached_or_refused(household.most_changes, filters, thresholds, limit=TOP_N)
    if top is None:   # a role that sees aggregates only
        return
    components.table_expander(components.with_timeline_links(top[["child_id", "changes", "has_repeat_plan"]]),
                              key="household_top", column_config=components.timeline_link_config(),
                              label=f"The {counted(len(top), 'child')} with most changes (of {changed_text})")


def render() -> None:
    st.title("Household change")
    filters = state.current_filters()
    thresholds = state.current_thresholds()
    st.caption(f"{state.described(filters)}. {state.period_note(filters)}".strip())
    buckets = data.cached(household.change_buckets, filters, thresholds)
    children = int(buckets["children"].sum())
    if children == 0:
        state.no_plans()
        return
    held = data.cached(coverage.coverage, filters, thresholds)
    if components.unrecorded(held, "family_changes"):   # every child would read "0 changes"
        return
    definition = DEFINITION + (f" {held.partial('family_changes')}" if held.partial("family_changes") else "")
    counts = data.cached(household.family_change_counts, filters, thresholds)
    # no repeat plan with a dated previous plan: no gap was searched, so its count of changes is not known, not 0
    _, with_gap = data.cached(household.repeat_plans_after_change, filters, thresholds)
    window = thresholds.replan_window_months
    after_filters, after_note = state.followed_up(filters, thresholds)
    share = household.replanned_share(data.cached(household.after_first_plan, after_filters, thresholds))
    many = int(buckets.loc[buckets["bucket"] == "3+", "children"].sum())
    components.metric_tiles([
        components.Tile("Changes during plans", components.count(counts["during_plans"]),
                        rests_on=(counts["during_plans"],)),
        components.Tile("Changes before repeat plans", components.NOT_SHOWN, help=f"{NO_GAP_MEASURED}.")
        if with_gap == 0 else
        components.Tile("Changes before repeat plans", components.count(counts["before_repeat_plans"]),
                        help="In the gap between a plan's end and the child's next plan",
                        rests_on=(counts["before_repeat_plans"],)),
        components.Tile("Children with 3+ changes", components.count(many),
                        help=f"of {counted(children, 'child')} with a plan started in the period",
                        rests_on=(many, children)),
    ])
    components.chart_card(figs.changes_distribution(components.suppressed(buckets, BUCKETS_RULE)), definition,
                          buckets, key="household_distribution", rule=BUCKETS_RULE)
    after = AFTER_DEFINITION.format(link=components.definition_link(anchors.HOUSEHOLD_AFTER),
                                    months=counted(window, "month"))
    if int(share["children"].sum()) == 0:
        state.not_followed_up("first plan that ended in the period", "household change after a first plan", thresholds)
    else:
        components.chart_card(figs.replanned_share_bars(components.suppressed(share, SHARE_RULE), window),
                              f"{after} {after_note}".strip(), share, key="household_replanned_share",
                              rule=SHARE_RULE)
    changed = int(buckets.loc[buckets["bucket"] != "0", "children"].sum())
    _top_children(filters, thresholds, changed)


if __name__ == "__main__":
    render()
