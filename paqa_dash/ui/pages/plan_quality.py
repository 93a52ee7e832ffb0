"""Plan quality: are plans SMART, accessible and written with the family in mind, and do their
actions address the adults' own difficulties (SPEC 1 questions 4 and 8)?"""
from __future__ import annotations

import streamlit as st

from paqa_dash.figures import quality_text as figs
from paqa_dash.metrics import plan_quality
from paqa_dash.ui import components, data, state

TITLE = "Plan quality"
ICON = ":material/fact_check:"
ORDER = 65
URL_PATH = "plan_quality"

SOURCE = "Source: the store's actions, plans and needs tables (plans started in the period)."
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
    st.caption(filters.describe())
    if not data.store_info()["recorded"]["actions"]:
        components.not_recorded("plan actions", "actions.csv")
        return
    q = data.cached(plan_quality.review, filters, thresholds)
    if q.actions.empty:
        components.empty_state("No plan actions in these plans")
        return
    acts = q.actions
    smart_share = acts["smart"].astype(bool).mean()
    plans_with_need = len(q.relevance)
    no_action = int((q.relevance["verdict"] == plan_quality.VERDICTS[0]).sum()) if plans_with_need else 0
    deficit = int(q.language.loc[q.language["kind"] == "deficit", "findings"].sum()) if len(q.language) else 0
    components.metric_tiles([
        components.Tile("Plan actions reviewed", components.count(len(acts)),
                        help=f"of {acts['plan_id'].nunique():,} plans started in the period"),
        components.Tile("SMART actions", components.pct(smart_share), help=SMART_DEF),
        components.Tile("Deficit phrases", components.count(deficit),
                        help="Phrases that label the family rather than describe what happened (data/lexicons/language.csv)"),
        components.Tile("Plans: adult need, no action",
                        components.pct(no_action / plans_with_need) if plans_with_need else "–",
                        help=f"{no_action:,} of {plans_with_need:,} plans with an adult factor (SPEC 4) open during "
                             "the plan had no action of the plan addressing it"),
    ])

    components.chart_card(figs.smart_share_figure(q.smart_by_team_period),
                          "Share of plan actions passing all five SMART criteria, by team and the quarter (or, over more "
                          "than two years, the year) the plan started. " + SMART_DEF + SOURCE, q.smart_by_team_period, key="quality_smart_share")
    c1, c2 = st.columns(2)
    with c1:
        components.chart_card(figs.failed_criteria_figure(q.failed_criteria),
                              "Plan actions failing each SMART criterion; an action can fail several. " + SOURCE,
                              q.failed_criteria, key="quality_failed")
    with c2:
        components.chart_card(figs.reading_ease_figure(q.plan_language),
                              "Flesch reading ease of each plan's actions read together (0-100, higher is easier; "
                              "60-70 is plain English, below 30 is graduate level). " + SOURCE,
                              components.with_timeline_links(q.plan_language), key="quality_reading",
                              column_config=components.timeline_link_config())

    st.subheader("Language with the family in mind")
    components.chart_card(figs.language_figure(q.language),
                          "Deficit or not trauma-informed phrases and jargon that the text does not explain, with a "
                          "suggested alternative and its source (data/lexicons/language.csv, jargon.csv). Words in "
                          "quotation marks are the family's own voice and are never flagged. " + SOURCE,
                          q.language, key="quality_language")
    if len(q.language):
        st.markdown("**Suggested alternatives**")
        st.dataframe(q.language[["phrase", "kind", "findings", "suggestion", "why", "source"]], hide_index=True,
                     key="quality_language_alternatives", column_config={
                         "phrase": "Written", "kind": "Kind", "findings": st.column_config.NumberColumn("Times"),
                         "suggestion": st.column_config.TextColumn("Try instead", width="large"),
                         "why": st.column_config.TextColumn("Why", width="large"), "source": "Source"})

    st.subheader("Relevance to the adults' needs")
    components.chart_card(figs.relevance_figure(q.relevance),
                          "Plans with an adult factor (SPEC 4: parental alcohol, drugs, domestic abuse, mental "
                          "health, learning or physical disability; 3A) open during the plan: whether each such "
                          "need had an action that states it addresses it, and whether those actions were only "
                          "practical/compliance (theme classifier). " + SOURCE,
                          components.with_timeline_links(q.relevance), key="quality_relevance",
                          column_config=components.timeline_link_config())
    components.chart_card(figs.theme_figure(q.themes),
                          "Theme of each plan action by keyword classifier (data/lexicons/themes.csv): "
                          "practical/compliance, adult need, child development, safety, relationship/restorative. "
                          "The audit found early work focused on practical issues and compliance. " + SOURCE,
                          q.themes, key="quality_themes")
    worst = acts[~acts["smart"].astype(bool)][["child_id", "team", "plan_number", "action_text", "failed", "reasons",
                                               "theme"]]
    components.table_expander(components.with_timeline_links(worst), key="quality_actions_failing",
                              column_config=components.timeline_link_config(),
                              label=f"Show the {len(worst):,} actions that are not SMART, with reasons")


if __name__ == "__main__":
    render()
