"""Challenge & written agreements: what partner agencies challenged, how it was resolved and what followed
(audit question 3), and how written agreements were used, above all at step-down."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import challenge as figs
from paqa_dash.metrics import agreements, challenge, coverage
from paqa_dash.reference.codes import (AGENCY_LABELS, AGREEMENT_TIMING_LABELS, CHALLENGE_FOLLOW_LABELS,
                                       CHALLENGE_RESOLUTION_LABELS, CHALLENGE_TOPIC_LABELS, EVENT_TYPE_LABELS)
from paqa_dash.report import suppression
from paqa_dash.report.suppression import Rule
from paqa_dash.settings import FOLLOW_UP
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "Challenge & written agreements"
ICON = ":material/gavel:"
ORDER = 52
URL_PATH = "challenge"
FOLLOWED = {"followed": "What followed"}
NEEDS = scope.AGGREGATES
FOLLOWED_UP_VIEWS = "endings and step-downs compared by what followed"   # the sidebar names their years

COUNTS_RULE = Rule(counts=("events",))
AGREEMENTS_RULE = Rule(counts=("agreements", "children", "unfinished"),
                       columns_add_up=(("agreements", ("unfinished",)),))
_PAIR = dict(rates={"replan_rate_pct": ("replanned", "followed_up")},
             columns_add_up=(("followed_up", ("replanned",)),))
# The two rows (challenged or not; with an agreement or not) add up to the endings, or step-downs, of the period that
# the Regional view's audit measures print as an authority's "Of" (with a period chosen, the same plans): with
# the other row shown, that total gave a withheld row back.
ENDINGS_RULE = Rule(counts=("endings", "followed_up", "replanned"), rows_add_up=("endings",), **_PAIR)
STEP_DOWN_RULE = Rule(counts=("step_downs", "followed_up", "replanned"), rows_add_up=("step_downs",), **_PAIR)
CHALLENGE_WORDS = {"agency": AGENCY_LABELS, "event_type": EVENT_TYPE_LABELS, "topic": CHALLENGE_TOPIC_LABELS,
                   "resolution": CHALLENGE_RESOLUTION_LABELS, "followed": CHALLENGE_FOLLOW_LABELS}
AGREEMENT_WORDS = {"agency": AGENCY_LABELS, "timing": AGREEMENT_TIMING_LABELS}
SOURCE = "Source: the store's events (their notes, scrubbed at import) and plans, plans started in the filtered period."


def _replanned_pair(rows, split: str, labels: tuple[str, str], noun: tuple[str, str, str], thresholds, caption: str,
                    *, key: str, rule: Rule) -> None:
    """Two groups split by `split` (with, without; `noun`: the count column and its word) and the share of
    each re-planned within the window: one chart card, as both sections compare (`noun`: the count column, its
    word and the word for one)."""
    table = figs.pair_table(rows, split, labels, noun[0])
    if int(table["followed_up"].fillna(0).sum()) == 0:   # nothing small or withheld: too recent to tell
        state.not_followed_up(f"{noun[2]} in the period", "their re-plan rates", thresholds)
        st.caption(caption)
        # how many there were stays; whether they were re-planned is not known yet, not 0
        components.table_expander(table.assign(replanned=float("nan"), replan_rate_pct=float("nan")), key=key,
                                  label=f"Show the {noun[1]} as a table", rule=rule)
        return
    shown = components.suppressed(table, rule).assign(replan_rate=lambda f: f["replan_rate_pct"] / 100)
    if shown["replan_rate"].isna().all():   # no rate to draw: said in words, not as an empty axis read as 0%
        st.info(f"Not enough {noun[1]} followed up to compare their re-plan rates: each is followed up once "
                f"{counted(thresholds.replan_window_months, 'month')} have passed after it, by the data's date, and "
                f"a count too small to publish is hidden. A longer or earlier period may have enough.",
                icon=":material/info:")
        st.caption(caption)
        components.table_expander(table, key=key, label=f"Show the {noun[1]} as a table", rule=rule)
        return
    components.chart_card(figs.rate_pair(shown, labels, noun[1],
                                         f"Re-planned within {counted(thresholds.replan_window_months, 'month')} (%)"),
                          caption, table, key=key, rule=rule)


def _counts(reader, filters, thresholds, none_text: str):
    """A section's counts, or None with `none_text` said in their place when there are none."""
    counts = data.cached(reader, filters, thresholds)
    if counts.empty:
        st.info(none_text, icon=":material/info:")
        return None
    return counts


def _challenge(filters, thresholds, after) -> None:
    """What was challenged, for `filters`; the endings compared by what followed, for `after` (state.followed_up:
    the filter and its caption note, the years that could be followed up when no period is chosen)."""
    counts = _counts(challenge.summary, filters, thresholds,
                     "No agency raised a challenge or escalation during these plans.")
    if counts is None:
        return
    link = components.definition_link(anchors.CHALLENGE)
    topics = challenge.tally(counts, ("agency", "topic"))
    withheld = components.any_suppressed(topics, COUNTS_RULE)
    stated = topics[topics["topic"] != figs.NOT_STATED]   # the finding names the topic most challenged where stated
    components.chart_card(figs.topic_bars(components.suppressed(topics, COUNTS_RULE), counts_said=not withheld),
                          f"What each challenge or escalation was about, read from its note by a few phrase rules "
                          f"({link}); \"not stated\" where the note does not say. By the agency that raised it. {SOURCE}",
                          topics, key="challenge_topics", rule=COUNTS_RULE, words=CHALLENGE_WORDS, headings=FOLLOWED,
                          finding_rests_on=suppression.leader_rests_on(stated, COUNTS_RULE, components.suppress_below(),
                                                                       "topic", "events"))
    resolved = challenge.tally(counts, ("topic", "resolution"))
    components.chart_card(figs.resolution_bars(components.suppressed(resolved, COUNTS_RULE)),
                          f"How each was resolved, where its note says after \"resolved\" or \"outcome\" ({link}). {SOURCE}",
                          resolved, key="challenge_resolutions", rule=COUNTS_RULE, words=CHALLENGE_WORDS, headings=FOLLOWED)
    followed = challenge.tally(counts, ("topic", "followed"))
    components.chart_card(figs.followed_bars(components.suppressed(followed, COUNTS_RULE)),
                          f"What the plan did next: ran on past {counted(FOLLOW_UP.ran_on_months, 'month')} (for a challenged "
                          f"ending or step-down, the ending was reversed), or ended and was, or was not, followed by "
                          f"a new plan within {counted(thresholds.replan_window_months, 'month')} ({link}). {SOURCE}",
                          followed, key="challenge_followed", rule=COUNTS_RULE, words=CHALLENGE_WORDS, headings=FOLLOWED)
    components.table_expander(counts, key="challenge_all", label="Every combination: agency, kind, topic, "
                              "resolution and what followed", rule=COUNTS_RULE, words=CHALLENGE_WORDS, headings=FOLLOWED)
    _replanned_pair(data.cached(challenge.endings, after[0], thresholds), "challenged",
                    ("Endings with a challenge", "Endings without"), ("endings", "endings", "ending"), thresholds,
                    f"Endings in the period after which a re-plan can follow, by whether a challenge or "
                    f"escalation was dated from {counted(FOLLOW_UP.ending_before_months, 'month')} before to "
                    f"{FOLLOW_UP.ending_after_months} month after ({link}). A pattern to look into, not a "
                    f"cause. {SOURCE} {after[1]}".strip(), key="challenge_endings", rule=ENDINGS_RULE)


def _agreements(filters, thresholds, after) -> None:
    """Written agreements for `filters`; the step-downs compared by what followed, for `after` (as `_challenge`)."""
    counts = _counts(agreements.counts, filters, thresholds, "No written agreement is recorded around these plans.")
    if counts is None:
        return
    link = components.definition_link(anchors.WRITTEN_AGREEMENTS)
    components.chart_card(figs.agreement_bars(components.suppressed(counts, AGREEMENTS_RULE)),
                          f"Written agreements by when they were made against the child's plans (during one, up to "
                          f"{counted(FOLLOW_UP.agreement_after_months, 'month')} after an ending, or before the next plan) and "
                          f"the agency that recorded them; in the table, \"unfinished\": made after an ending whose "
                          f"plan left actions not done ({link}). {SOURCE}",
                          counts, key="agreement_timing", rule=AGREEMENTS_RULE, words=AGREEMENT_WORDS)
    _replanned_pair(data.cached(agreements.step_downs, after[0], thresholds), "with_agreement",
                    ("Step-downs with a written agreement", "Step-downs without"), ("step_downs", "step-downs", "step-down"),
                    thresholds, f"Plans ended in the period by stepping down to CIN or early help, by whether a "
                    f"written agreement followed ({link}). A pattern to look into, not a cause. {SOURCE} {after[1]}".strip(),
                    key="agreement_step_downs", rule=STEP_DOWN_RULE)


def render() -> None:
    st.title(TITLE)
    filters, thresholds = state.current_filters(), state.current_thresholds()
    st.caption(state.described(filters))
    held = data.cached(coverage.coverage, filters, thresholds)
    if held.plans == 0:   # no plan started or ended in the filter: "no agency raised a challenge" would be no finding
        state.no_plans()
        return
    # the comparisons by what followed: with no period chosen, the years whose endings could be followed up
    after = state.followed_up(filters, thresholds)
    st.subheader("Challenge and escalation: what, how resolved, what followed")
    if not components.unrecorded(held, "challenge_and_escalation"):
        _challenge(filters, thresholds, after)
    st.subheader("Written agreements")
    if not components.unrecorded(held, "written_agreements"):
        _agreements(filters, thresholds, after)


if __name__ == "__main__":
    render()
