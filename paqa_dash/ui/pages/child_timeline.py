"""Child timeline: one child's multi-agency chronology in one view, and its plans' actions side by side.

Pick a child by pseudonym (`?child=<pseudonym>`, the text box) or step through the children of the
plans matching the sidebar filters with previous / next.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.metrics import agreements, challenge, chronology, coverage, data_dates
from paqa_dash.figures import timeline
from paqa_dash.filters import Filters
from paqa_dash.reference import words as coded
from paqa_dash.reference.codes import (ACTION_STATUS_LABELS, AGENCY_LABELS, AGREEMENT_TIMING_LABELS,
                                       CHALLENGE_RESOLUTION_LABELS, CHALLENGE_TOPIC_LABELS, ETHNICITY_LABELS,
                                       EVENT_TYPE_LABELS, SEX_LABELS, with_code)
from paqa_dash.reference.recorded import NEED_RESOLUTION, NEED_RESOLUTION_UNRECORDED, NOT_RECORDED, open_needs
from paqa_dash.settings import Thresholds
from paqa_dash.ui import access_trail, anchors, between_sections, components, data, state
from paqa_dash.ui.components import plain
from paqa_dash.ui.pack_button import pack_download_button

TITLE = "Child timeline"
ICON = ":material/timeline:"
ORDER = 40
URL_PATH = "child_timeline"
NEEDS = scope.CHILD_LEVEL

# The actions table's coded columns, in words (the CSV keeps the codes beside them).
ACTION_WORDS = {"status": ACTION_STATUS_LABELS, "owner": AGENCY_LABELS}
CAPTION = ("Plans as bars (hatched = still open at the as-of date, dotted line); events as markers in one lane per "
           "agency, one row per kind of event; household changes of the child or its family; needs are "
           "assessment factors from identified to resolved (hatched = still open; red = adult factors). "
           "Drag the slider under the chart to zoom into a period. Source: the store's plans, events, "
           "household changes and needs (pseudonymised).")


def _go(child_id: str | None) -> None:
    """Callback of previous / next: move the `child` widget (and so the URL) to a neighbour (a child chosen)."""
    if child_id:
        st.session_state["child"] = child_id
        _chosen()


def _chosen() -> None:
    """The user chose the child (typed, pasted, or stepped to): no view from now on is logged as opened by
    default, even of the child the page first opened by itself."""
    st.session_state.pop(access_trail.DEFAULT_CHILD_KEY, None)


def _picker(filters: Filters, thresholds: Thresholds) -> str:
    """The text box bound to `?child=` plus previous / next over the filtered cohort.

    The cohort can hold hundreds of thousands of children, so no list is offered: the page asks the
    store for the current child's place and neighbours only (`chronology.cohort_place`)."""
    place = None
    if "child" not in st.session_state:   # arriving on the page (a link's child is chosen): nothing opened by default
        _chosen()
    if not st.session_state.get("child") and not st.query_params.get("child"):
        place = data.cached(chronology.cohort_place, filters, thresholds, None)
        if place.first_children:  # start at the first child: its place follows from the same answer
            st.session_state["child"] = place.first_children[0]
            # not chosen by the user: the access log says so while it stays open (access_trail.OPENED_BY_DEFAULT)
            st.session_state[access_trail.DEFAULT_CHILD_KEY] = place.first_children[0]
            place = replace(place, position=1, previous_child=None,
                            next_child=place.first_children[1] if len(place.first_children) > 1 else None)
    # The box on its own row and the buttons at their own width, wrapping: fixed columns squeezed the buttons
    # to an arrow and one letter on an 800 px laptop.
    st.text_input("Child pseudonym", key="child", bind="query-params", placeholder="16-character pseudonym",
                  on_change=_chosen,
                  help="Paste a pseudonym, or follow a link from another page.", width=360)
    current = (st.session_state.get("child") or "").strip().lower()
    if place is None or current != (place.first_children[0] if place.first_children else ""):
        place = data.cached(chronology.cohort_place, filters, thresholds, current or None)
    first = place.first_children[0] if place.first_children else None
    previous = place.previous_child
    following = place.next_child if place.position is not None else first
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.button("Previous", icon=":material/arrow_back:", on_click=_go, args=(previous,),
                  disabled=previous is None)
        st.button("Next", icon=":material/arrow_forward:", on_click=_go, args=(following,),
                  disabled=following is None)
        if place.position is not None:
            # (the order is by plans in the filter, not over the child's history: "most plans first" opened on a
            # child with one plan while children with three, one in the period, came later)
            st.markdown(f"Child **{place.position:,}** of **{place.children:,}** in the filtered cohort "
                        "(most plans in the filter first)")
        elif place.children:
            st.markdown(f"Not in the filtered cohort of **{place.children:,}** children; *Next* goes to its first child")
        else:
            st.markdown("No children in the filtered cohort")
    return current


def _facts(chron: chronology.Chronology, threshold: float, absent: dict[str, str], read: data_dates.ChildDate) -> None:
    """The child's headline facts; a count the child's data cannot hold (`absent`: coverage.not_recorded)
    reads "–" with "Not recorded: why" as its help, not 0 (the words "not recorded" were cut to "not recor…"
    in a tile at 800 px).  Under them: the child's authority and when its data ends (`read`), and why its first
    plan here is not plan 1 where the source counted earlier plans (the tile counts the plans in the data)."""
    open_adult = open_needs(chron.needs)   # None: the needs' source records no resolution (a CIN census)
    dup = 0 if chron.actions.empty else int((chron.actions["score"].fillna(0) >= threshold).sum())
    repeats = 0 if chron.plans.empty else int((chron.plans["plan_number"] >= 2).sum())
    numbering = timeline.numbering_note(chron.plans)
    components.metric_tiles([
        components.Tile("CP plans", f"{len(chron.plans):,}",
                        help=f"{repeats} of them repeat plans" + (f". {numbering}" if numbering else "")),
        components.Tile("Events", f"{len(chron.events):,}"),
        components.Tile("Household changes", components.NOT_SHOWN if "family_changes" in absent
                        else f"{len(chron.family_changes):,}", help=components.not_recorded_help(absent, "family_changes")),
        components.Tile("Adult needs still open", components.NOT_SHOWN if "adult_needs_open" in absent
                        or open_adult is None else f"{open_adult:,}",
                        help=components.not_recorded_help(absent, "adult_needs_open") or (
                            f"Not recorded: {NEED_RESOLUTION} ({NEED_RESOLUTION_UNRECORDED.removeprefix(NOT_RECORDED + ': ')})"
                            if open_adult is None else None)),
        components.Tile("Duplicated actions", components.NOT_SHOWN if "duplicate_actions" in absent else f"{dup:,}",
                        help=components.not_recorded_help(absent, "duplicate_actions") or f"Actions scoring at least {threshold:.2f} against an earlier plan's action "
                             f"({components.definition_link(anchors.DUPLICATED_ACTIONS)})"),
    ])
    if not chron.child.empty:
        row = chron.child.iloc[0]
        born = "unknown" if pd.isna(row["birth_month"]) else pd.Timestamp(row["birth_month"]).strftime("%b %Y")
        sex = SEX_LABELS.get(row["sex"], row["sex"]) if row["sex"] else "not known"
        ethnicity = with_code(row["ethnicity"], ETHNICITY_LABELS) if row["ethnicity"] else "not known"
        st.caption(f"Born {born}; sex {plain(sex).lower()}; ethnicity {plain(ethnicity)}; "
                   f"family {row['family_id'] or 'not recorded'}.")
    if read.sentence():
        st.caption(read.sentence())
    if numbering:
        st.caption(numbering)


def _actions(chron: chronology.Chronology, threshold: float, absent: dict[str, str]) -> None:
    """Each later plan's actions beside the earlier plan's they repeat.  Where the child's data records no plan
    actions at all (`absent`: coverage.not_recorded), that is the reason there is nothing to compare, said as the
    Duplicated actions tile says it: "fewer than two plans with actions" would blame the child's plans."""
    st.subheader("Plan actions beside the earlier plan's")
    if "duplicate_actions" in absent:
        st.info(f"Plan actions are {absent['duplicate_actions']}, so there is nothing to compare.",
                icon=":material/database:")
        return
    table = timeline.actions_side_by_side(chron.actions, threshold)
    if table.empty:
        st.info("This child has fewer than two plans with actions in the store, so there is nothing to compare.",
                icon=":material/info:")
        return
    n_dup = int(table["duplicate"].sum())
    n_later = int(table["action"].notna().sum())
    st.markdown(f"**{n_dup} of {coded.counted(n_later, 'action')} of later plans {coded.plural('repeats', n_dup, 'repeat')} "
                "an earlier plan's action** "
                f"(similarity at least {threshold:.2f}; highlighted).")
    for plan_number, part in table.groupby("plan", sort=True):
        st.markdown(f"**Plan {plan_number}** (right) beside earlier plans (left)")
        shown = coded.in_words(part[["earlier_plan", "earlier_action", "similarity", "action", "status", "owner",
                                     "duplicate"]], ACTION_WORDS, keep_codes=False)
        for col in ("earlier_action", "action", "status", "owner"):  # st.table renders Markdown: show text as typed
            shown[col] = shown[col].map(components.plain, na_action="ignore")
        shown = shown.rename(columns={"earlier_plan": "Earlier plan", "earlier_action": "Earlier plan's action",
                                      "similarity": "Similarity", "action": f"Plan {plan_number} action",
                                      "status": "Status", "owner": "Owner", "duplicate": "Duplicate"})
        # st.table wraps long action texts (a grid would cut them off); duplicates highlighted in yellow.
        styled = (shown.style.hide(axis="index")
                  .apply(lambda r: ["background-color: #F0E442" if r["Duplicate"] else "" for _ in r], axis=1)
                  .format({"Similarity": "{:.2f}", "Earlier plan": "{:.0f}",
                           "Duplicate": lambda d: "yes" if d else ""}, na_rep=""))
        st.table(styled)
    file_name = f"actions_{chron.child_id}.csv"
    components.csv_download("Download actions CSV", lambda: components.table_csv(coded.in_words(table, ACTION_WORDS)),
                            file_name, child=chron.child_id)
    st.caption("Each action of a later plan beside the earlier plan's action it repeats (the same thing ignoring "
               "case, punctuation, family names and small rewording; similarity of its best match at least the "
               f"threshold in the sidebar; {components.definition_link(anchors.DUPLICATED_ACTIONS)}); actions that "
               "repeat nothing, and earlier actions no later action "
               "repeats, are listed alone. Source: the store's plan actions and their matches to earlier actions.")


CHALLENGE_WORDS = {"event_type": EVENT_TYPE_LABELS, "agency": AGENCY_LABELS, "topic": CHALLENGE_TOPIC_LABELS,
                   "resolution": CHALLENGE_RESOLUTION_LABELS}
AGREEMENT_WORDS = {"agency": AGENCY_LABELS, "timing": AGREEMENT_TIMING_LABELS}


def _challenges_and_agreements(chron: chronology.Chronology, filters: Filters, thresholds: Thresholds,
                               absent: dict[str, str]) -> None:
    """The child's challenges (what about, how resolved) and written agreements (when), as the Challenge page
    counts them; where the child's data records none of either at all (`absent`: coverage.not_recorded), that is
    said, as the audit pack says it, not "none is recorded in this child's chronology"."""
    st.subheader("Challenges and written agreements")
    found = challenge.child_challenges(chron.events)
    if found.empty and "challenge_and_escalation" in absent:
        st.caption(f"Challenge and escalation are {absent['challenge_and_escalation']}.")
    elif found.empty:
        st.caption("No challenge or escalation is recorded in this child's chronology.")
    else:
        components.table_expander(components.as_dates(found.drop(columns=["event_id"]), ["event_date"]),
                                  key="child_challenges",
                                  label=f"Challenges and escalations ({len(found)}): what about, how resolved",
                                  words=CHALLENGE_WORDS)
    made = data.cached_or_refused(agreements.for_child, chron.child_id, filters, thresholds)
    if made is None:
        return
    if made.empty and "written_agreements" in absent:
        st.caption(f"Written agreements are {absent['written_agreements']}.")
    elif made.empty:
        st.caption("No written agreement is recorded around this child's plans.")
    else:
        components.table_expander(components.as_dates(made.drop(columns=["event_id"]), ["event_date"]),
                                  key="child_agreements", label=f"Written agreements ({len(made)}): when, with whom",
                                  words=AGREEMENT_WORDS)
    st.caption("What a challenge was about and how it was resolved are read from its note "
               f"({components.definition_link(anchors.CHALLENGE)}); a written agreement is placed during a plan, after "
               f"an ending or before a plan ({components.definition_link(anchors.WRITTEN_AGREEMENTS)}).")


def render() -> None:
    st.title("Child timeline")
    filters = state.current_filters()
    thresholds = state.current_thresholds()
    child = _picker(filters, thresholds)
    if not child:
        state.nothing_matches(components.no_match(noun="children"), also="Or paste a child's pseudonym above.")
        return
    # before reading: a view is recorded even when the reading fails; a child the page opened by itself is logged
    # as such (until the user chooses one, by the box, Previous or Next, or a link)
    access_trail.log_view(child=child, by_default=child == st.session_state.get(access_trail.DEFAULT_CHILD_KEY))
    chron = data.cached_or_refused(chronology.chronology, child, attendance=False)
    if chron is None:   # outside the user's teams (or an auditor's: no repeat plan there)
        return
    if not chron.found:
        st.warning(f"No child with pseudonym {components.plain(child)} in the store. Pseudonyms are 16 characters (0-9, a-f); "
                   "they differ between stores built with different keys.", icon=":material/person_search:")
        return
    st.subheader(f"Child {child}")
    # the child is read as of its own authority's data date unless an as-of date was chosen, never past it
    read = data_dates.child_date(chronology.authority_of(chron.child),
                                 data.store_info().get("authority_data_dates") or {}, state.chosen_as_of(),
                                 filters.as_of)
    filters = filters.with_(as_of=read.as_of)
    held = data.cached(coverage.coverage, Filters(as_of=filters.as_of, child_ids=(chron.child_id,)), thresholds)
    absent = held.not_recorded("family_changes", "duplicate_actions", "adult_needs_open")
    _facts(chron, thresholds.similarity_threshold, absent, read)
    pack_download_button(chron.child_id, as_of=read.as_of)

    kinds = [k[0] for k in timeline.EVENT_KINDS]
    shown = st.pills("Events shown", kinds, default=kinds, selection_mode="multi", key="timeline_kinds")
    events = timeline.filter_event_kinds(chron.events, shown or [])
    fig = timeline.timeline_figure(chron.plans, events, chron.family_changes, chron.needs,
                                   as_of=filters.effective_as_of, absent=held.not_recorded(*timeline.TITLE_MEASURES))
    table = timeline.timeline_table(chron.plans, chron.events, chron.family_changes, chron.needs)
    components.chart_card(fig, CAPTION, table, key="timeline", column_config={"what_code": None})  # code: CSV only
    _challenges_and_agreements(chron, filters, thresholds, held.not_recorded("challenge_and_escalation",
                                                                            "written_agreements"))
    _actions(chron, thresholds.similarity_threshold, absent)
    between_sections.child_sections(chron.child_id, filters.as_of, thresholds,   # audit questions 2 and 7
                                    held.not_recorded("between_plans", "plan_refresh", "impact_before_decision",
                                                      "concern_volume", "days_to_strategy"),
                                    earlier_undated=bool(timeline.numbering_note(chron.plans)))


if __name__ == "__main__":
    render()
