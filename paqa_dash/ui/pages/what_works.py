"""What works: for plans that ended in the period, the restorative work recorded (audit question 8), whether the
work completed reached the adult difficulty or stopped at first-order change, and how long endings with and
without adult-facing practitioners or a named intervention went without another plan."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import works as works_fig
from paqa_dash.metrics import coverage, works
from paqa_dash.reference.works import (ACTION_CLASSES, ENDING_WORK, GROUP_WORDS, RESTORATIVE_WORDS, WORKS_SPLITS)
from paqa_dash.report.suppression import Rule, survival_steps
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "What works"
ICON = ":material/psychology_alt:"
ORDER = 67
URL_PATH = "what_works"
NEEDS = scope.AGGREGATES
FOLLOWED_UP_VIEWS = state.EVERY_VIEW   # the sidebar names their years (state.sidebar_period_note)

RESTORATIVE_RULE = Rule(counts=("plans", "with_evidence"), rates={"share": ("with_evidence", "plans")})
ENDING_RULE = Rule(counts=("endings", "outcome_known", "replanned"), rates={"replan_rate": ("replanned", "outcome_known")})
CLASS_RULE = Rule(counts=("actions", "completed"))
# A survival table's steps are pooled for a reader with a threshold first (suppression.survival_steps: a "c" in one
# step was the row beside it less its censored endings), and the numbers at risk read from the pooled steps; the
# rule then withholds the last step's small counts: its estimate (its drop is events over at risk) and, as its events
# and censored endings add up to its number at risk, the censored endings with its events.
_CURVE_RATES = {c: ("events", "at_risk") for c in ("survival", "lower", "upper")}
CURVE_RULE = Rule(counts=("at_risk", "events", "censored"), rates=_CURVE_RATES,
                  columns_add_up=(("at_risk", ("events", "censored")),))
AT_RISK_RULE = Rule(counts=("at_risk",), rates={c: (None, "at_risk") for c in ("survival", "lower", "upper")})
SUSTAINED_RULE = Rule(counts=("followed", "sustained"), rates={"share": ("sustained", "followed")})
SPLIT_WORDS = {k: v[0] for k, v in WORKS_SPLITS.items()}


def _restorative(w: works.Works) -> None:
    st.subheader("Restorative practice")
    table = w.restorative
    components.chart_card(
        works_fig.restorative_bars(components.suppressed(table, RESTORATIVE_RULE)),
        "Share of plans that ended in the period whose record shows each sign of restorative work: a family group "
        "conference or network meeting (event note or action), the family's own views recorded (event note), an "
        "action agreed with the family, a relational action (theme classifier). Read from recorded text and event "
        "types only: **absence of a record is not absence of the work** "
        f"({components.definition_link(anchors.RESTORATIVE)}).",
        table, key="works_restorative", rule=RESTORATIVE_RULE, words={"kind": RESTORATIVE_WORDS})


def _first_order(w: works.Works, thresholds) -> None:
    st.subheader("First-order or underlying change")
    window = w.window_months
    if int(w.ending_work["outcome_known"].sum()) == 0:   # every row "outcome known 0": too recent, not no re-plans
        state.not_followed_up("ending in the period", "its re-plan rate by the work completed", thresholds)
    else:
        _ending_work(w, window)
    components.chart_card(
        works_fig.action_class_bars(components.suppressed(w.action_classes, CLASS_RULE)),
        "Completed actions of the plans that ended in the period, by the change they asked for, for each team "
        f"({components.definition_link(anchors.FIRST_ORDER)}). The class comes from the action's theme "
        "(theme classifier) and its owner.",
        w.action_classes, key="works_action_classes", rule=CLASS_RULE, words={"action_class": ACTION_CLASSES})


def _ending_work(w: works.Works, window: int) -> None:
    """The share re-planned by the work completed before the ending, of the endings followed the whole window."""
    components.chart_card(
        works_fig.ending_work_bars(components.suppressed(w.ending_work, ENDING_RULE), window),
        "Ended plans grouped by the actions completed by the end: any work on the adult difficulty behind the "
        "neglect (mental health, domestic abuse, substance misuse: themed so, or owned by an adult-facing "
        "practitioner); else first-order change only (practical or compliance: attendance, appointments, home "
        f"conditions); else other actions only. Bars: the share re-planned within {counted(window, 'month')}, of the endings "
        "followed that long; endings after which no re-plan can follow are left out "
        f"({components.definition_link(anchors.FIRST_ORDER)}).",
        w.ending_work, key="works_ending_work", rule=ENDING_RULE, words={"ending_work": ENDING_WORK})


def _what_works(w: works.Works, thresholds) -> None:
    st.subheader("What works: sustained endings")
    st.info("**Association, not proof.** Families who accept an adult-facing service or complete a programme may "
            "differ from those who do not, so a difference below does not show that the work made the ending "
            "hold. Read it with the numbers at risk under each chart.", icon=":material/info:")
    window = w.window_months
    for split, (with_label, without_label) in WORKS_SPLITS.items():
        curves = survival_steps(w.curves[w.curves["split"] == split], components.suppress_below(), ("group",))
        components.chart_card(
            works_fig.survival_figure(components.suppressed(curves, CURVE_RULE), split, window),
            f"Kaplan-Meier estimate of the share of endings with no other plan yet, by months since the ending, "
            f"with 95% confidence bands: {with_label.lower()} against {without_label.lower()}. Endings not yet "
            "followed for the whole time count while followed (censored). A curve stops where fewer than the "
            f"small-number threshold are still followed ({components.definition_link(anchors.WHAT_WORKS)}).",
            curves, key=f"works_curve_{split}", rule=CURVE_RULE,
            words={"split": SPLIT_WORDS, "group": GROUP_WORDS})
        at_risk = works.at_risk_table(curves.assign(split=split))
        # a row per time after the ending, a column per group: with the times across, the last ("24 months")
        # scrolled out of view at 800 px; two columns fit at any width
        wide = components.shown_table(at_risk, AT_RISK_RULE).pivot(index="month", columns="group", values="at_risk")
        wide.index = [counted(m, "month") for m in wide.index]
        wide.columns = [GROUP_WORDS[g] for g in wide.columns]
        st.caption("Numbers at risk: endings still followed at each time after the ending, with and without.")
        # on the page under its curve, with its CSV as every table has (it was a grid alone)
        components.table_with_csv(wide, f"works_at_risk_{split}", "numbers at risk",
                                  index_heading="Time after the ending")
        sustained = w.sustained[w.sustained["split"] == split]
        if int(sustained["followed"].sum()) == 0:   # no ending followed the whole window: an empty chart said nothing
            state.not_followed_up("ending in the period", f"sustained endings by team and year "
                                  f"({with_label.lower()} against {without_label.lower()})", thresholds)
            continue
        components.chart_card(
            works_fig.sustained_dots(components.suppressed(sustained, SUSTAINED_RULE), split),
            f"Share of endings with no other plan within {counted(window, 'month')}, among endings followed that long: "
            f"{with_label.lower()} (circles) and {without_label.lower()} (diamonds), by team and by year the plan "
            f"ended ({components.definition_link(anchors.WHAT_WORKS)}).",
            sustained, key=f"works_sustained_{split}", rule=SUSTAINED_RULE,
            words={"split": SPLIT_WORDS, "group": GROUP_WORDS})


def render() -> None:
    st.title("What works")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    # every section asks what followed an ending, so with no period chosen: the years that could be followed up
    filters, note = state.followed_up(filters, thresholds)
    st.caption(f"Showing plans that **ended** in the period; {state.described(filters)}. {note}")
    w = data.cached(works.review, filters, thresholds)
    if w.plans_ended == 0:   # the years of the caption above, and plans that ended in them
        state.no_plans(ended=True, followed_up_for=thresholds)
        return
    held = data.cached(coverage.coverage, filters, thresholds)
    # the first two sections need the same kinds of record: say once what is missing
    if not components.unrecorded(held, "restorative_practice"):
        _restorative(w)
        _first_order(w, thresholds)
    if held.recorded("restorative_practice") and components.unrecorded(held, "what_works"):
        return
    if held.recorded("what_works"):
        _what_works(w, thresholds)


if __name__ == "__main__":
    render()
