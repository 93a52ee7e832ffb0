"""Duplicated actions: how much of each repeat plan repeats actions from the child's earlier plans,
by team and period, with the pairs and their similarity."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.metrics import cohorts, coverage, dup_impact
from paqa_dash.figures import duplicates as dup_fig
from paqa_dash.report import suppression
from paqa_dash.report.suppression import Rule
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.settings import FOLLOW_UP
from paqa_dash.ui.components import Tile, count
from paqa_dash.reference.words import counted, plural

TITLE = "Duplicated actions"
ICON = ":material/content_copy:"
ORDER = 35
URL_PATH = "duplicates"
NEEDS = scope.AGGREGATES
MAX_PAIRS = 1000
FOLLOWED_UP_VIEWS = "did duplication hurt the family's progress"   # the sidebar names its years (state.followed_up)
# Teams and quarters each add up to the headline tiles; duplicated actions are part of actions, plans with
# duplicates part of plans (docs/definitions.md, "Small numbers").  The pairs list is not an aggregate.
_COUNTS = ("plans", "plans_with_duplicates", "actions", "duplicated")
SPLIT_RULE = Rule(counts=_COUNTS, rates={"share": ("duplicated", "actions")},
                  columns_add_up=(("plans", ("plans_with_duplicates",)), ("actions", ("duplicated",))),
                  rows_add_up=_COUNTS)
DIST_RULE = Rule(counts=("plans",), rows_add_up=("plans",))
# The two groups' plans (largely repeated or not) add up to the repeat plans the Regional view's audit measures print
# as an authority's "Of" (with a period chosen, the same plans): with the other group shown, that gave one back.
IMPACT_RULE = Rule(counts=dup_impact.COUNTS, rows_add_up=("plans",),
                   rates={"ended_rate_pct": ("ended", "plans"), "replan_rate_pct": ("replanned", "followed_up"),
                          "addressed_rate_pct": ("adult_needs_addressed", "with_adult_need"),
                          "median_length_days": ("ended", None)},
                   columns_add_up=(("plans", ("ended",)), ("followed_up", ("replanned",)),
                                   ("with_adult_need", ("adult_needs_addressed",))))

DEFINITION = (f"Duplicated action ({components.definition_link(anchors.DUPLICATED_ACTIONS)}): an action of a "
              "repeat plan whose text says the same thing as an action of an earlier plan of the same child, "
              "ignoring case, punctuation, family members' names and small rewording; similarity score (0 to 1) "
              "at least {sim:.2f} (change it under Definitions & thresholds).")


def render() -> None:
    st.title("Duplicated actions")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    definition = DEFINITION.format(sim=thresholds.similarity_threshold)
    st.caption(f"Showing repeat plans that started in the period; {state.described(filters)}.")
    summary = data.cached(cohorts.dup_summary, filters, thresholds)
    total = summary["total"]
    n_plans, actions, duplicated = total["plans"], total["actions"], total["duplicated"]
    if n_plans == 0:
        state.no_plans(noun="repeat plans")
        return
    with_dups = total["plans_with_duplicates"]
    held = data.cached(coverage.coverage, filters, thresholds)
    components.metric_tiles([
        Tile("Repeat plans", count(n_plans), "Second or subsequent plans that started in the period.",
             rests_on=(n_plans,)),
        # where the plans hold no actions, "0% repeating" would read as a finding: "–" and why
        components.recorded_tile(held, "duplicated_actions", Tile(
            "Plans repeating actions", components.share(with_dups, n_plans),   # a longer label is cut at 800 px
            f"{counted(with_dups, 'repeat plan')} {plural('repeats', with_dups, 'repeat')} at least one action of "
            "an earlier plan.",
            rests_on=(with_dups, n_plans, n_plans - with_dups))),
        components.recorded_tile(held, "duplicated_actions", Tile(
            "Actions repeated", components.share(duplicated, actions),
            f"{duplicated:,} of {counted(actions, 'action')} on repeat plans {plural('repeats', duplicated, 'repeat')} "
            "an earlier plan's action.",
            rests_on=(duplicated, actions, actions - duplicated))),
    ])
    if components.unrecorded(held, "duplicated_actions"):
        return
    if actions == 0:
        components.empty_state("The repeat plans here have no actions recorded", "Import the plans' actions to see duplication.")
        return
    dist = dup_fig.distribution_from_bands(summary["band"])
    none = dist["band"] == dup_fig.SHARE_BANDS[0]
    # the finding is all the plans (the table's total, protected) less those repeating none: kept with the note
    # while those are shown, or while the withheld bands lie only among the rest
    told = not suppression.split_gives_back(dist, DIST_RULE, components.suppress_below(), "plans", none)
    some, whole = int(dist.loc[~none, "plans"].sum()), int(dist["plans"].sum())
    components.chart_card(dup_fig.distribution_bars(components.suppressed(dist, DIST_RULE), (some, whole)),
                          f"Repeat plans with at least one action, by the share of their actions duplicated. {definition}",
                          # the chart's first band, "None", in a table cell reads as nothing recorded
                          dist.assign(band=dist["band"].replace({dup_fig.SHARE_BANDS[0]: "None repeated"})),
                          key="dup_distribution", rule=DIST_RULE,
                          finding_rests_on=(some, whole, whole - some) if told else None,
                          headings={"band": "Share of the plan's actions repeated"})
    by_team = summary["team"]
    components.chart_card(dup_fig.team_share_bars(components.suppressed(by_team, SPLIT_RULE),
                                                  overall=(duplicated, actions, n_plans)),
                          f"Duplicated actions as a share of all actions on repeat plans, by the repeat plan's team. {definition}",
                          by_team, key="dup_by_team", rule=SPLIT_RULE,
                          finding_rests_on=(duplicated, actions, actions - duplicated))   # the "Actions repeated" tile's
    by_quarter = summary["quarter"]
    components.chart_card(dup_fig.quarter_trend(components.suppressed(by_quarter, SPLIT_RULE)),
                          f"Duplicated actions as a share of actions on repeat plans, by the quarter the repeat plan started. {definition}",
                          by_quarter, key="dup_by_quarter", rule=SPLIT_RULE,
                          finding_rests_on=_ends_rests_on(by_quarter))

    _impact(filters, thresholds, definition)

    st.subheader("The duplicated actions")
    pairs = data.cached_or_refused(cohorts.dup_pairs, filters, thresholds, limit=MAX_PAIRS)
    if pairs is None:   # a role that sees aggregates only
        return
    st.caption(f"Each duplicated action beside the earlier plan's action it repeats, most similar first"
               f"{f' (the top {MAX_PAIRS:,})' if len(pairs) >= MAX_PAIRS else ''}. Text is scrubbed of identifying "
               "details at import.")
    if pairs.empty:
        components.empty_state("No duplicated actions at this similarity threshold", "Lower the threshold under Definitions & thresholds.")
        return
    pairs = components.as_dates(pairs, ["plan_start", "earlier_plan_start"])
    shown = components.with_timeline_links(pairs)[["score", "action_text", "earlier_action_text", "why", "child_id", "timeline",
                                                   "team", "plan_start", "earlier_plan_start", "plan_number"]]
    config = {
        "score": st.column_config.ProgressColumn("Similarity", min_value=0.0, max_value=1.0, format="%.2f"),
        "action_text": st.column_config.TextColumn("Action on the repeat plan", width="large"),
        "earlier_action_text": st.column_config.TextColumn("Earlier plan's action", width="large"),
        "why": st.column_config.TextColumn("Why judged the same", width="large"),
        "team": "Team", "plan_start": "Repeat plan started", "earlier_plan_start": "Earlier plan started",
        "plan_number": "Plan no.", "child_id": "Child", **components.timeline_link_config(),
    }
    components.data_table(shown, "dup_pairs_list", column_config=config)
    components.csv_download("Download pairs (CSV)", lambda: components.table_csv(pairs, config),
                            "duplicated_actions.csv", "dup_pairs_csv")


# what the impact chart's finding sets side by side: each group's re-planning (the ended and adult-need bars are
# drawn, not said)
REPLANNING = ("followed_up", "replanned", "replan_rate_pct")


def _shown_counts(table: pd.DataFrame, rule: Rule, said: tuple[str, ...]) -> tuple[int, ...] | None:
    """The counts of the columns a finding is worked out from (`said`), where none of their cells is withheld for
    this reader: the finding is then exact and says nothing the table does not; None (it goes) where one is."""
    if not suppression.none_withheld(table, rule, components.suppress_below(), said):
        return None
    return tuple(int(v) for c in said if c in rule.counts for v in table[c].fillna(0))


# what the quarter chart's finding says of a quarter: its repeat plans, actions and those repeated (not the plans
# with a duplicated action, which the table gives beside them)
QUARTER_SAID = ("plans", "actions", "duplicated")


def _ends_rests_on(by_quarter: pd.DataFrame) -> tuple[int, ...] | None:
    """The quarter chart's finding sets the first quarter against the last: it stays while both quarters' cells it
    says are shown (a withheld first quarter would have it name the second as the first)."""
    if len(by_quarter) < 2:
        return None
    ends = by_quarter.iloc[[0, -1]]
    withheld = suppression.suppress(by_quarter, SPLIT_RULE, components.suppress_below()).mask.iloc[[0, -1]]
    if withheld[[*QUARTER_SAID, "share"]].to_numpy().any():
        return None
    return tuple(int(v) for c in QUARTER_SAID for v in ends[c])


def _impact(filters, thresholds, definition: str) -> None:
    """Did duplication hurt the family's progress (audit question 5): the two groups side by side.  It follows the
    plans up for the re-plan window after they end, so with no period chosen it shows the years that could have been
    (state.followed_up), not the latest year, none of whose plans could."""
    st.subheader("Did duplication hurt the family's progress?")
    filters, note = state.followed_up(filters, thresholds)
    if components.unrecorded(data.cached(coverage.coverage, filters, thresholds), "duplication_impact"):
        return
    table = dup_fig.impact_table(data.cached(dup_impact.compare, filters, thresholds))
    if int(table["followed_up"].fillna(0).sum()) == 0:   # whether they were re-planned is not known yet, not 0
        table = table.assign(replanned=float("nan"))
    components.chart_card(dup_fig.impact_bars(components.suppressed(table, IMPACT_RULE)),
                          f"Repeat plans with actions: those where at least "
                          f"{FOLLOW_UP.largely_repeated_share:.0%} of actions are duplicated, beside the rest: ended by "
                          f"the as-of date, re-planned again within {counted(thresholds.replan_window_months, 'month')} (of those "
                          f"followed up), every adult need with a done action (of plans with an adult need); median "
                          f"length in the table ({components.definition_link(anchors.DUPLICATION_IMPACT)}). Two groups "
                          f"side by side, not a cause. {definition} {note}".strip(),
                          table, key="dup_impact", rule=IMPACT_RULE,
                          finding_rests_on=_shown_counts(table, IMPACT_RULE, REPLANNING))


if __name__ == "__main__":
    render()
