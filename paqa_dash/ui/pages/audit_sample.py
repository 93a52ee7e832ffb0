"""Audit sample: children in the PAQA audit's scope, ranked by how many of the audit's concerns
apply, so the audit group can pick children for a deep dive and download each one's audit pack."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.metrics import audit, coverage
from paqa_dash.figures import audit as figs
from paqa_dash.reference.recorded import DATA_KINDS, NOT_RECORDED
from paqa_dash.ui import anchors, components, data, judgement_form, state
from paqa_dash.ui.pack_button import pack_download_button
from paqa_dash.reference.words import counted
from paqa_dash.settings import LOW_ATTENDANCE

TITLE = "Audit sample"
ICON = ":material/checklist:"
ORDER = 70
URL_PATH = "audit_sample"
NEEDS = scope.AUDIT
LIST_ROWS = 500        # children listed (and offered for the deep dive), most concerns first
CSV_ROWS = 100_000     # children in the CSV download

CONCERN_HELP = (
    "Concerns (the audit's findings, over the child's whole history as of the as-of date): first plan in the store "
    "ended prematurely; a repeat plan within the re-plan window; an adult need open at an ending with no action "
    "done; duplicated actions; a core group late or missed; an agency "
    f"{LOW_ATTENDANCE.words()}; a "
    "household change in the gap before a repeat plan; more than "
    f"{100 * audit.NON_SMART_SHARE:.0f}% of the child's actions not SMART; deficit language in an action "
    f"({components.definition_link(anchors.AUDIT_SAMPLE)}).")


NOT_ASSESSED = f"Not assessed, {NOT_RECORDED}: "   # as the pack says it
PREMATURE_HEADING = "First plan premature"   # the tile's and the table's name of the concern (short: a tile's width)
# The scope boxes that narrow the sample to the children of one concern: a box is offered only where the data can
# assess its concern (a box ticked for a concern counted for no child would empty the sample, or rest on nothing).
SCOPE_CONCERNS = {"aud_premature": "first_plan_premature"}


def _criteria(held: coverage.Coverage, signs: str) -> audit.Criteria:
    """The scope boxes; in place of a box whose concern the data cannot assess (`held`: the filter's coverage, as
    audit.not_assessed reads it), why, in the page's not-assessed words.  `signs`: the warning signs at an ending
    not checked (audit.premature_signs_note), said in the premature box's help."""
    # One under another: side by side at 800 px each label was cut to "Second or sub…"
    c1 = c2 = c3 = st.container()
    repeat = c1.checkbox("Second or subsequent plan", value=True, key="aud_repeat", bind="query-params",
                         help="A plan numbered 2 or more started in the period")
    absent = held.not_recorded(*SCOPE_CONCERNS.values())
    concern, premature = SCOPE_CONCERNS["aud_premature"], False
    if concern in absent:
        c2.caption(_not_assessed(held, {concern: absent[concern]}))
    else:
        premature = c2.checkbox("First plan ended prematurely", value=False, key="aud_premature",
                                bind="query-params",
                                help="The child's first plan in the store ended with a reason and was followed by "
                                     "another plan within the re-plan window" + (f". {signs}" if signs else ""))
    neglect = c3.checkbox("Neglect", value=False, key="aud_neglect", bind="query-params",
                          help="The plan in scope has initial category neglect")
    return audit.Criteria(repeat=repeat, premature_first=premature, neglect=neglect)


def _without(held, concern: str, why: str) -> str:
    """What the data lacks for `concern`: "no core group meetings", from coverage's kinds where it needs one, else
    the reason's own words ("no dates of the repeat plans' earlier plans")."""
    kinds = held.absent(concern)
    if kinds:
        return "no " + ", no ".join(DATA_KINDS[d].what for d in kinds)
    return why.removeprefix(NOT_RECORDED + ": ").split(" (")[0]


def _not_assessed(held: coverage.Coverage, absent: dict[str, str]) -> str:
    """ "Not assessed, not recorded in this data: first plan ended prematurely (no plan actions); ..." for the
    concerns of `absent` (audit.not_assessed's {concern: why}); empty when there are none."""
    if not absent:
        return ""
    return (NOT_ASSESSED + "; ".join(f"{audit.CONCERNS[k].lower()} ({_without(held, k, why)})"
                                     for k, why in absent.items()) + ".")


def csv_rows(rows, hidden: set[str], signs: str):
    """The CSV's rows: `rows` without the `hidden` columns, and where the data cannot show every warning sign at an
    ending (`signs`: audit.premature_signs_note), a column saying so beside "first plan ended prematurely"."""
    out = rows.drop(columns=[c for c in hidden if c in rows.columns])
    return out.assign(warning_signs_not_checked=signs) if signs else out


def render() -> None:
    st.title("Audit sample")
    st.markdown("Children matching the audit's scope, **most audit concerns first**. Pick children for the deep "
                "dive; each has a printable **audit pack** with the multi-agency chronology.")
    filters = state.current_filters()
    thresholds = state.current_thresholds()
    held = data.cached(coverage.coverage, filters, thresholds)
    # a first plan ended prematurely is counted from the warning signs the data records, as premature endings are on
    # the Plan endings page; the signs not checked are named in its words ("" when every sign is checked)
    signs = audit.premature_signs_note(held)
    criteria = _criteria(held, signs)
    st.caption(state.described(filters) + ". The sidebar's filters select the plans that put a child in scope.")
    # concerns this data cannot show are counted for no child (nor rank one) and are said to be not recorded
    # given the coverage read above: not_assessed read it again for itself (0.3 CPU s at a million plans)
    absent = data.cached(audit.not_assessed, filters, thresholds, criteria, held=held)
    page = data.cached(audit.sample_page, filters, thresholds, criteria, limit=LIST_ROWS, unassessed=tuple(absent))
    sample, total = page.rows, page.total
    if total == 0:
        state.nothing_matches("No children match the audit's scope", also="Or untick a scope box above.")
        return
    assessed = len(audit.CONCERNS) - len(absent)
    median = "–" if page.median_concerns is None or not assessed else f"{page.median_concerns:.0f}"
    components.metric_tiles([
        components.Tile("Children in scope", components.count(total)),
        # named as the table's column below: "First plan ended prematurely" beside the help mark (a store whose signs
        # are not all checked) was cut to "First plan ended prematur..." in the tile's width, at 800 and 1400 px
        components.recorded_tile(held, "first_plan_premature", components.Tile(
            PREMATURE_HEADING, components.count(page.counts["first_plan_premature"]), help=signs or None)),
        components.Tile("Neglect", components.count(page.counts["neglect"])),
        # "of 9 concerns assessed" under the number, not in it: "5 of 9 assessed" was cut to "5 of 9 asse..." in
        # the tile's width (a newcomer's screenshot at 800 px); said, since "0 of 1" beside "Children in scope 2"
        # alone read as a share of children
        components.Tile("Median concerns per child", median, help=CONCERN_HELP,
                        delta=f"of {counted(assessed, 'concern')} assessed" if assessed else None, delta_arrow="off"),
    ])
    if signs:
        st.caption(signs)
    counts = figs.concern_count_table(page.counts, total)
    counts = counts[~counts["concern"].isin([audit.CONCERNS[k] for k in absent])].reset_index(drop=True)
    unassessed = f" {_not_assessed(held, absent)}" if absent else ""
    if counts.empty:   # nothing this data can show: no chart of nothing, and not "no children in scope"
        st.caption("None of the audit's concerns can be assessed with this data." + unassessed)
    else:
        components.chart_card(figs.concern_bars(counts, total, len(absent)), CONCERN_HELP + " Source: the store's plans, "
                              "events, core group attendance, household changes, needs, plan actions and their "
                              "matches to earlier actions." + unassessed,
                              counts, key="audit_concerns")

    st.subheader("Children ranked by concerns")
    if total > len(sample):
        st.caption(f"Showing the {counted(len(sample), 'child')} with most concerns of {total:,} in scope. The CSV holds "
                   + (f"all {total:,}." if total <= CSV_ROWS else f"the first {CSV_ROWS:,} (at most {CSV_ROWS:,} rows)."))
    # no column of unticked boxes for a concern the data cannot show, nor counts of 0 when it can show none
    hidden = {"first_plan_ended_prematurely"} if "first_plan_premature" in absent else set()
    if not assessed:
        hidden |= {"concerns", "concern_list"}
    hidden |= set(absent)   # the CSV's column of each concern (all False) where the data cannot show it
    # in a store of several authorities each child's authority is named beside it (state.with_authority)
    table = components.with_timeline_links(state.with_authority(
        sample[[c for c in audit.SAMPLE_COLUMNS if c not in hidden]]))
    config = {
        "child_id": st.column_config.TextColumn("Child (pseudonym)"),
        "team": "Team", "plans": st.column_config.NumberColumn("Plans", help="Highest plan number"),
        "latest_plan_start": st.column_config.DateColumn("Latest plan start", format="YYYY-MM-DD"),
        "first_plan_ended_prematurely": st.column_config.CheckboxColumn(PREMATURE_HEADING),
        "neglect": st.column_config.CheckboxColumn("Neglect"),
        "concerns": st.column_config.ProgressColumn("Concerns", format="%d", min_value=0,
                                                    max_value=len(audit.CONCERNS), help=CONCERN_HELP),
        "concern_list": st.column_config.TextColumn("Which concerns", width="large"),
        **components.timeline_link_config()}
    components.data_table(table, "audit_table", column_config=config)

    def csv() -> bytes:
        rows = data.cached(audit.sample_page, filters, thresholds, criteria, limit=CSV_ROWS,
                           unassessed=tuple(absent)).rows
        return components.table_csv(state.with_authority(csv_rows(rows, hidden, signs)), config)

    components.csv_download(f"Download the sample as CSV ({counted(min(total, CSV_ROWS), 'row')})", csv,
                            "audit_sample.csv", "audit_sample_csv")

    st.subheader("Deep dive")
    # The options are the pseudonyms themselves, with no format_func: a bound widget writes what it shows into
    # the URL, and a count shown beside a pseudonym would break a shared link as soon as the count changed.
    picked = st.multiselect("Children picked for the deep dive (pseudonyms, most concerns first)",
                            options=list(sample["child_id"]), key="aud_pick",
                            bind="query-params", placeholder="Choose children (most concerns first)",
                            help=f"The {counted(len(sample), 'child')} listed above, in the same order; open any other "
                                 "child from the Child timeline page.")
    if not picked:
        st.caption("Pick one or more children to get their timeline links and audit packs.")
    for child in picked:
        row = sample[sample["child_id"] == child]
        with st.container(border=True):
            c1, c2, c3 = st.columns([3, 2, 2], vertical_alignment="center")
            concerns = row["concern_list"].iloc[0] if len(row) else ""
            c1.markdown(f"**{child}** · {counted(int(row['concerns'].iloc[0]) if len(row) else 0, 'concern')}  \n"
                        f"<small>{concerns or 'no concern applies'}</small>", unsafe_allow_html=True)
            with c2:
                components.child_link(child, "Open timeline")
            with c3:
                pack_download_button(child, key=f"aud_pack_{child}")

    judgement_form.render([*picked, *(c for c in sample["child_id"] if c not in set(picked))])


if __name__ == "__main__":
    render()
