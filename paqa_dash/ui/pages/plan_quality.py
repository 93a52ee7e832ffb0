"""Plan quality: are plans SMART, accessible and written with the family in mind, and do their
actions address the adults' own difficulties (the audit's questions 4 and 8)?"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import quality_text as figs
from paqa_dash.metrics import coverage, plan_quality, wording
from paqa_dash.reference.codes import RELEVANCE_VERDICTS, SMART_CRITERION_LABELS
from paqa_dash.report import suppression
from paqa_dash.report.suppression import Rule
from paqa_dash.text import themes
from paqa_dash.ui import access, anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "Plan quality"
ICON = ":material/fact_check:"
ORDER = 65
URL_PATH = "plan_quality"
NEEDS = scope.AGGREGATES

SOURCE = ("Source: the store's actions, plans and needs tables and the reviews stored at import (plans started in "
          "the period).")
# What each aggregate counts and what adds up (docs/definitions.md, "Small numbers").  The lists of plans
# and actions (with their children's timelines) are not aggregates.
SMART_RULE = Rule(counts=("actions", "smart_actions"), rates={"smart_share": ("smart_actions", "actions")},
                  columns_add_up=(("actions", ("smart_actions",)),), rows_add_up=("actions", "smart_actions"))
FAILED_RULE = Rule(counts=("actions_failing",), rates={"share": ("actions_failing", None)})
READING_RULE = Rule(counts=("plans",), rows_add_up=("plans",))
LANGUAGE_RULE = Rule(counts=("findings", "actions"))
# A team's verdicts add up to its plans (its stacked bar), and across the teams the plans with no action, and all the
# plans, add up to the tile's "N of M plans": one team's withheld count was the tile less the other teams.
RELEVANCE_RULE = Rule(counts=("plans",), rows_add_up=("plans",), within=("team",),
                      also_within=((("verdict",), (RELEVANCE_VERDICTS[0],)), ((), None)))
# The teams' actions, and those in strengths-based and in deficit wording, add up to the authority's, which the Regional
# view's audit measures print (Count, Of): one team's withheld count was that total less the other teams.
WORDING_RULE = Rule(counts=wording.COUNT_COLUMNS,
                    rates={share: (count, "actions") for share, count in wording.SHARES.items()},
                    rows_add_up=("actions", "with_strength", "with_deficit"))
THEMES_RULE = Rule(counts=("actions",), rates={"share": ("actions", None)}, rows_add_up=("actions",),
                   within=("team",))

SMART_DEF = ("SMART: specific (says who does what), measurable (something observable), achievable (one owner, one "
             "act, no absolutes), time-bound (a due date or a frequency) and with a named owner; each verdict quotes "
             "the words behind it (rules in data/lexicons/smart_rules.csv). ")


def render() -> None:
    st.title("Plan quality")
    st.markdown("Were plans **SMART**, **accessible** and **written with the family in mind**, and were actions "
                "**relevant to the adults' own difficulties**? Automatic reviews of every plan action; each flag "
                "says why, so a reader can disagree with it.")
    filters = state.current_filters()
    thresholds = state.current_thresholds()
    st.caption(state.described(filters))
    held = data.cached(coverage.coverage, filters, thresholds)
    if components.unrecorded(held, "plan_quality"):
        return
    relevant = not held.absent("relevance")   # actions say which need they address, and needs are recorded
    source = SOURCE + (f" {held.partial('plan_quality')}" if held.partial("plan_quality") else "")
    q = data.cached(plan_quality.review, filters, thresholds)
    if not q.actions:
        state.nothing_matches("No plan actions in these plans")
        return
    components.metric_tiles([
        components.Tile("Plan actions reviewed", components.count(q.actions),
                        help=f"of {counted(q.plans, 'plan')} started in the period", rests_on=(q.actions, q.plans)),
        components.Tile("SMART actions", components.share(q.smart_actions, q.actions), help=SMART_DEF,
                        rests_on=_smart_rests_on(q)),
        components.Tile("Deficit phrases", components.count(q.deficit_findings),
                        help="Phrases that label the family rather than describe what happened (data/lexicons/language.csv)",
                        rests_on=(q.deficit_findings,)),
        components.Tile("Plans: adult need, no action",
                        "not recorded" if not relevant else
                        components.share(q.no_action_plans, q.relevance_plans),
                        help=f"{q.no_action_plans:,} of {counted(q.relevance_plans, 'plan')} with an adult factor "
                             f"({components.definition_link(anchors.ADULT_FACTORS)}) open during the plan had no "
                             "action of the plan addressing it",
                        rests_on=_relevance_rests_on(q)),
    ])

    components.chart_card(figs.smart_share_figure(components.suppressed(q.smart_by_team_period, SMART_RULE),
                                                  (q.smart_actions, q.actions)),
                          "Share of plan actions passing all five SMART criteria, by team and the quarter (or, over more "
                          "than two years, the reporting year, April to March) the plan started. " + SMART_DEF + source, q.smart_by_team_period, key="quality_smart_share",
                          rule=SMART_RULE, finding_rests_on=_smart_rests_on(q))
    # One chart a row: side by side, each had 200 px at 800 px wide and cut its labels and axis titles.
    components.chart_card(figs.failed_criteria_figure(components.suppressed(q.failed_criteria, FAILED_RULE)),
                          "Plan actions failing each SMART criterion; an action can fail several. " + SOURCE,
                          q.failed_criteria, key="quality_failed", rule=FAILED_RULE)
    below_said = _below_said(q)
    components.chart_card(figs.reading_ease_figure(components.suppressed(q.reading_bands, READING_RULE), q.reading,
                                                   below_said),
                          "Flesch reading ease of each plan's actions read together (0-100, higher is easier; "
                          "60-70 is plain English, below 30 is graduate level), plans counted in 5-point bands. "
                          + _listed(len(q.plan_language), q.reading["plans"], "plan", "plans", "hardest to read first") + SOURCE,
                          **_list_or(q.plan_language, q.reading_bands, READING_RULE), key="quality_reading",
                          mark=components.any_suppressed(q.reading_bands, READING_RULE),
                          finding_rests_on=_reading_rests_on(q, below_said))

    st.subheader("Language with the family in mind")
    components.chart_card(figs.language_figure(components.suppressed(q.language, LANGUAGE_RULE)),
                          "Deficit or not trauma-informed phrases and jargon that the text does not explain, with a "
                          "suggested alternative and its source (data/lexicons/language.csv, jargon.csv). Words in "
                          "quotation marks are the family's own voice and are never flagged. " + SOURCE,
                          q.language, key="quality_language", rule=LANGUAGE_RULE,
                          finding_rests_on=_language_rests_on(q))
    if len(q.language):
        st.markdown("**Suggested alternatives**")
        components.data_table(components.shown_table(q.language[["phrase", "kind", "findings", "suggestion", "why",
                                                                 "source"]], LANGUAGE_RULE),
                              "quality_language_alternatives", column_config={
                         "phrase": "Written", "kind": "Kind", "findings": st.column_config.NumberColumn("Times"),
                         "suggestion": st.column_config.TextColumn("Try instead", width="large"),
                         "why": st.column_config.TextColumn("Why", width="large"), "source": "Source"})

    _wording(filters, thresholds, source)

    st.subheader("Relevance to the adults' needs")
    if not components.unrecorded(held, "relevance"):
        _relevance(q, held)
    components.chart_card(figs.theme_figure(components.suppressed(q.themes, THEMES_RULE)),
                          "Theme of each plan action (practical/compliance, adult need, child development, safety, "
                          f"relationship/restorative), by {themes.METHOD_WORDS[themes.DEFAULT_METHOD]}; themes are "
                          "stored at import, so a change shows after the next import or `python -m paqa_dash "
                          "reviews`. "
                          "The audit found early work focused on practical issues and compliance. " + SOURCE,
                          q.themes, key="quality_themes", rule=THEMES_RULE)
    not_smart = q.actions - q.smart_actions
    if not access.current_scope().can(scope.CHILD_LEVEL):
        st.caption(_listed(0, not_smart, "action that is not SMART", "actions that are not SMART"))
        return
    shown = len(q.failing)
    failing = counted(not_smart, "action", shown=components.aggregate_count(not_smart))
    label = (f"Show the {failing} that {'is' if failing == '1 action' else 'are'} not SMART, with reasons"
             if shown == not_smart else
             f"Show the {shown:,} most recent of the {failing} that are not SMART, with reasons")
    components.table_expander(components.with_timeline_links(q.failing), key="quality_actions_failing",
                              column_config=components.timeline_link_config(), label=label,
                              words={"failed": SMART_CRITERION_LABELS})


def _wording(filters, thresholds, source: str) -> None:
    """Strengths-based and trauma-informed wording beside deficit wording, by team."""
    frame = data.cached(wording.by_team, filters, thresholds)
    components.chart_card(figs.wording_figure(components.suppressed(frame, WORDING_RULE)),
                          "Share of each team's plan actions that use deficit wording, strengths-based wording (what "
                          "the family does well), describe the child's behaviour as communication of need, or are "
                          "trauma-informed (data/lexicons/strengths.csv, language.csv); an action can count on both "
                          "sides, and a low share is a prompt to read the plans, not a verdict "
                          f"({components.definition_link(anchors.WORDING)}). " + source,
                          frame, key="quality_wording", rule=WORDING_RULE, finding_rests_on=_wording_rests_on(frame))


# what the wording chart's finding is worked out from: plan actions, those with positive and with deficit wording and
# the positive share (the teams' lowest); the strengths-based, need and trauma-informed kinds are drawn, not said
WORDING_SAID = ("actions", "with_positive", "with_deficit", "positive_share")


def _wording_rests_on(frame: pd.DataFrame) -> tuple[int, ...] | None:
    """The wording finding's totals where every team's cells it is worked out from are shown (the finding then
    stays, with the note, when another kind's cell is withheld); None where one is withheld: a sum over the teams
    left would be short, and the fewest among them might not be the fewest."""
    if frame.empty or not suppression.none_withheld(frame, WORDING_RULE, components.suppress_below(), WORDING_SAID):
        return None
    return tuple(int(frame[c].sum()) for c in WORDING_SAID[:3])


def _relevance(q: plan_quality.PlanQuality, held: coverage.Coverage) -> None:
    """The relevance chart: only where actions say which need they address (else every need reads unaddressed)."""
    components.chart_card(figs.relevance_figure(components.suppressed(q.relevance_counts, RELEVANCE_RULE),
                                                (q.no_action_plans, q.relevance_plans)),
                          "Plans with an adult factor (parental alcohol, drugs, domestic abuse, mental health, "
                          "learning or physical disability; 3A; "
                          f"{components.definition_link(anchors.ADULT_FACTORS)}) open during the plan: whether "
                          "each such "
                          "need had an action that states it addresses it, and whether those actions were only "
                          "practical/compliance (theme classifier). "
                          + _listed(len(q.relevance), q.relevance_plans, "plan", "plans", "those with no action for a need first")
                          + SOURCE + (f" {held.partial('relevance')}" if held.partial("relevance") else ""),
                          **_list_or(q.relevance, q.relevance_counts, RELEVANCE_RULE), key="quality_relevance",
                          mark=components.any_suppressed(q.relevance_counts, RELEVANCE_RULE),
                          finding_rests_on=_relevance_rests_on(q))


def _below_said(q: plan_quality.PlanQuality) -> bool:
    """Whether the reading chart's finding may say how many plans score below plain English: not where that count,
    less the bands shown below the line, would give a withheld band back."""
    if not q.reading.get("plans"):
        return True
    below = q.reading_bands["band"] < figs.PLAIN_ENGLISH
    return not suppression.split_gives_back(q.reading_bands, READING_RULE, components.suppress_below(), "plans", below)


def _reading_rests_on(q: plan_quality.PlanQuality, below_said: bool) -> tuple[int, ...]:
    """What the reading chart's finding is worked out from (not the bands drawn): the plans scored, whose median it
    gives, and those below plain English and not, where it says them."""
    plans = int(q.reading.get("plans") or 0)
    if not below_said or not plans:
        return (plans,)
    below = figs.below_plain_english(q.reading)
    return plans, below, plans - below


def _language_rests_on(q: plan_quality.PlanQuality) -> tuple[int, ...] | None:
    """What the language chart's finding (the most frequent phrase and its count) rests on: that count alone.
    LANGUAGE_RULE adds nothing up, so a count is withheld only where it is small: while the highest is shown, every
    withheld one is below it and the phrase said is the most frequent whatever they are."""
    found = q.language["findings"].dropna() if len(q.language) else None
    return None if found is None or found.empty else (int(found.max()),)


def _smart_rests_on(q: plan_quality.PlanQuality) -> tuple[int, ...]:
    """The counts the "SMART actions" tile and the SMART chart's finding ("N% of plan actions are SMART") are worked
    out from: the tile is withheld with any of them, and the finding stays (with the note) while they are shown."""
    return q.smart_actions, q.actions, q.actions - q.smart_actions


def _relevance_rests_on(q: plan_quality.PlanQuality) -> tuple[int, ...]:
    """The counts the "adult need, no action" tile and the relevance chart's finding are worked out from: both say
    the same "N of M plans", so both are withheld with any of these, and the finding stays while they are shown."""
    return q.no_action_plans, q.relevance_plans, q.relevance_plans - q.no_action_plans


def _list_or(listed: pd.DataFrame, counts: pd.DataFrame, rule: Rule) -> dict[str, Any]:
    """The table behind a chart: the plans it lists, each linked to its child's timeline, or the chart's own
    counts (under their suppression `rule`) for a role that may not see lists naming children."""
    if access.current_scope().can(scope.CHILD_LEVEL):
        return {"table": components.with_timeline_links(listed), "column_config": components.timeline_link_config()}
    return {"table": counts, "column_config": None, "rule": rule}


def _listed(shown: int, total: int, one: str, many: str, order: str = "") -> str:
    """Caption words saying how much of a list the table holds (none for a role without child-level access:
    the metrics layer lists nothing for it); `one`, `many`: what the list holds, said of one and of several;
    `order`: how it is sorted ("hardest to read first"), said after the count.

    Why the order apart from the noun: the reading list is every plan with a score, hardest first, so "all 235
    hardest-to-read plans" said the list was some plans picked for being hard to read, and an order folded into
    the noun read "the list of the 235 plans, hardest to read first names children"."""
    what = counted(total, one, many, shown=components.aggregate_count(total))
    if not access.current_scope().can(scope.CHILD_LEVEL):
        return f"The list of the {what} names children, so it is not open to your role. "
    sorted_by = f", {order}" if order and total > 1 else ""
    if shown >= total:
        return f"The table lists {'the' if total == 1 else 'all'} {what}{sorted_by}. "
    return f"The table lists the first {shown:,} of {what}{sorted_by}; the CSV holds the same rows. "


if __name__ == "__main__":
    render()
