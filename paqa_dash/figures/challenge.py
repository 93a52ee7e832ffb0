"""Challenge and escalation, written agreements, and a pair of re-plan rates: what was challenged, by whom,
what followed, and whether endings with a challenge (step-downs with a written agreement) were re-planned
less often than those without.

Builders take the frames of `metrics.challenge` / `metrics.agreements` (already counted; no child named)
and return figures whose titles state the finding.  A suppressed count arrives missing and is not drawn.
"""
from __future__ import annotations

import textwrap
from typing import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..reference import benchmarks
from ..reference.codes import (AGENCY_LABELS, AGREEMENT_TIMING_LABELS, CHALLENGE_FOLLOW_LABELS,
                               CHALLENGE_RESOLUTION_LABELS, CHALLENGE_TOPIC_LABELS)
from . import style
from .style import HUES, LOCAL
from ..reference.words import counted


def two_lines(head: str, tail: str, width: int = 46) -> str:
    """A finding title that fits an 800 px screen (plotly never wraps a title): the finding in lines of
    `width` characters at most, and its numbers under it in smaller type (`tail`; none where it is empty)."""
    return "<br>".join(textwrap.wrap(head, width, break_on_hyphens=False)) + (f"<br><sup>{tail}</sup>" if tail else "")

ENDING_TOPICS = ("STEP_DOWN", "ENDING")
CHALLENGES_AND_ESCALATIONS = ("challenge or escalation", "challenges and escalations")   # noun, plural
CHALLENGED_ENDINGS = ("challenge to an ending or step-down", "challenges to an ending or step-down")   # noun, plural
FOLLOW_COLOURS = {"ENDING_REVERSED": HUES["green"], "PLAN_KEPT": HUES["sky"], "REPLANNED": HUES["vermillion"],
                  "NO_REPLAN": HUES["blue"], "ENDED_WAITING": HUES["purple"], "TOO_SOON": HUES["grey"]}


def stacked(frame: pd.DataFrame, y: str, colour: str, y_labels: Mapping[str, str],
            colour_labels: Mapping[str, str], value: str, title: str, x_title: str, y_title: str,
            colours: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of `value` summed by `y` (`y_title`: what those are), stacked by `colour`; codes shown in
    words, in the labels' order."""
    sums = frame.groupby([y, colour], sort=False)[value].sum(min_count=1).reset_index()
    ys = [c for c in y_labels if c in set(sums[y])] + sorted(set(sums[y]) - set(y_labels))
    fig = go.Figure()
    for i, code in enumerate([c for c in colour_labels if c in set(sums[colour])]):
        sub = sums[sums[colour] == code].set_index(y)
        # a combination not in the data is 0; a suppressed count stays missing (None: not drawn)
        x = [0 if v not in sub.index else None if pd.isna(sub.at[v, value]) else float(sub.at[v, value]) for v in ys]
        fig.add_trace(go.Bar(name=colour_labels[code], orientation="h", y=[y_labels.get(v, v) for v in ys],
                             x=x, marker=style.bar_marker(i, (colours or {}).get(code)),
                             hovertemplate="%{y}: %{x:,}<extra>" + colour_labels[code] + "</extra>"))
    legend_px = 16 + 21 * len(fig.data)   # one kind a row on a narrow screen
    style.stack(fig)   # before apply_layout: a count axis' ticks follow the stacks' totals
    style.apply_layout(fig, title, x_title, y_title, height=max(340, 140 + 42 * len(ys)) + legend_px)
    fig.update_layout(legend={"traceorder": "normal"}, margin={"b": legend_px + 10, "t": 110})
    style.legend_at_foot(fig)   # below the axis title: five kinds in words above it would run into the title
    fig.update_yaxes(autorange="reversed")
    return fig


NOT_STATED = "NOT_STATED"   # the topic of a challenge whose note does not say: never "most often challenged"


def topic_bars(counts: pd.DataFrame, counts_said: bool = True) -> go.Figure:
    """What was challenged, by the agency that raised it.  `counts`: metrics.challenge.summary.  `counts_said`:
    False where counts are withheld: the topic's and all challenges' counts would rest on them, and the title
    names the topic alone."""
    topics = counts.groupby("topic")["events"].sum()
    stated = topics.drop(NOT_STATED, errors="ignore")
    if stated.empty or not stated.sum():
        title = "No challenge note says what was challenged"
    else:
        top = stated.idxmax()
        title = f"Most often challenged: {CHALLENGE_TOPIC_LABELS[top].lower()}"
        if counts_said:
            title = two_lines(title, f"{int(stated[top]):,} of {counted(int(topics.sum()), *CHALLENGES_AND_ESCALATIONS)}")
    return stacked(counts, "agency", "topic", AGENCY_LABELS, CHALLENGE_TOPIC_LABELS, "events", title,
                   "Challenges and escalations (count)", style.AGENCY)


def followed_bars(counts: pd.DataFrame) -> go.Figure:
    """What followed each challenge, by what it was about."""
    ending = counts[counts["topic"].isin(ENDING_TOPICS)]
    known = ending[ending["followed"] != "TOO_SOON"]["events"].sum()
    reversed_ = ending[ending["followed"] == "ENDING_REVERSED"]["events"].sum()
    if not known:
        title = "No challenge to an ending or step-down can be followed up yet"
    else:
        # (what the counts are of said in the title: "0 of 10 followed up" read as if 10 were something else); the
        # line under it gives the counts only where the finding is a percentage: under 20 the finding is the count
        # and the line says which challenges it counts, not the same count again
        counts_said = (f"the plan ran on after {int(reversed_):,} of the {int(known):,} old enough to follow up"
                       if benchmarks.comparable(known)
                       else f"those old enough to follow up; {benchmarks.FEW_FOR_PERCENT}")
        title = two_lines(f"The ending was reversed after {style.portion(reversed_, known, *CHALLENGED_ENDINGS)}",
                          counts_said)
    return stacked(counts, "topic", "followed", CHALLENGE_TOPIC_LABELS, CHALLENGE_FOLLOW_LABELS, "events", title,
                   "Challenges and escalations (count)", style.CHALLENGE_TOPIC, FOLLOW_COLOURS)


def resolution_bars(counts: pd.DataFrame) -> go.Figure:
    """How challenges were resolved, where the note says, by what they were about."""
    res = counts.groupby("resolution")["events"].sum()
    total = res.sum()
    recorded = total - res.get("NOT_RECORDED", 0)
    # the share and its count of the same things (challenges and escalations); the count under it only where the
    # finding is a percentage (under 20 the finding is the count, and the line says why)
    title = (two_lines(f"The resolution is recorded for {style.portion(recorded, total, *CHALLENGES_AND_ESCALATIONS)}",
                       f"{int(recorded):,} of {counted(int(total), *CHALLENGES_AND_ESCALATIONS)}"
                       if benchmarks.comparable(total) else benchmarks.FEW_FOR_PERCENT)
             if total else "No challenge or escalation")
    return stacked(counts, "topic", "resolution", CHALLENGE_TOPIC_LABELS, CHALLENGE_RESOLUTION_LABELS, "events",
                   title, "Challenges and escalations (count)", style.CHALLENGE_TOPIC)


def agreement_bars(counts: pd.DataFrame) -> go.Figure:
    """Written agreements by when they were made, stacked by the agency.  `counts`: metrics.agreements.counts."""
    total = counts["agreements"].sum()
    if not total:
        title = "No written agreement is recorded for these plans"
    else:
        timing = counts.groupby("timing")["agreements"].sum()
        top = timing.idxmax()
        few = not benchmarks.comparable(total)
        made = style.verb_of(timing[top], total)   # 1 of 3 was; 40% were
        title = two_lines(f"{style.portion(timing[top], total, 'written agreement')} {made} made "
                          f"{AGREEMENT_TIMING_LABELS[top].lower()}",
                          benchmarks.FEW_FOR_PERCENT if few else f"of {counted(int(total), 'written agreement')}")
    return stacked(counts, "timing", "agency", AGREEMENT_TIMING_LABELS, AGENCY_LABELS, "agreements", title,
                   "Written agreements (count)", "When the agreement was made")


NONE_FOLLOWED_UP = "none followed up through the window yet"   # a group none of which can be told re-planned or not


def one_rate_title(shown: str, rate: str, what: str, other: str, other_followed_up: object,
                   as_count: bool = False) -> str:
    """The title of a pair of re-plan rates of which only `shown`'s is drawn (`rate`, e.g. "30%"; `what`: "re-planned"):
    whose bar it is, and why `other` has none: none of it followed up through the window yet, or (its count hidden by
    the small-numbers rule, `ui/components.suppressed`) too few to show.  `as_count`: `rate` is a count ("1 of 1", on
    too few followed up for a percentage: style.share_text)."""
    why = (NONE_FOLLOWED_UP if not pd.isna(other_followed_up) and other_followed_up == 0
           else "too few followed up to show")
    head = f"{shown}: {rate} followed up {what}" if as_count else f"{shown}: {rate} {what} of those followed up"
    return two_lines(head, f"{other}: {why}, so no comparison")


def rate_pair(frame: pd.DataFrame, labels: tuple[str, str], title_of: str, x_title: str) -> go.Figure:
    """Two bars of a re-plan rate (`replan_rate`, with `replanned` of `followed_up` on hover), the first row
    for the group `labels[0]`, the second for `labels[1]`; the title compares them (`title_of`: what the rate
    is of, e.g. "endings")."""
    rates = frame["replan_rate"].tolist()
    # each bar's number: its percentage, or on fewer than benchmarks.COMPARE_FROM followed up its count ("1 of 1")
    shares = [style.MISSING if pd.isna(r) else style.share_text(n, d) for r, n, d in
              zip(rates, frame["replanned"], frame["followed_up"])]
    fig = go.Figure(go.Bar(
        orientation="h", y=list(labels), x=rates, marker_color=[HUES["vermillion"], LOCAL],
        customdata=frame[["replanned", "followed_up"]].to_numpy(),
        text=shares, textposition="outside", cliponaxis=False,
        hovertext=style.pct_labels(rates),
        hovertemplate="%{y}: %{hovertext} (%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>"))
    known = [not pd.isna(r) for r in rates]
    if not any(known):
        title = f"Not enough {title_of} followed up to compare their re-plan rates"
    elif not all(known):   # one group's bar alone: say whose it is, and why the other has none
        i = known.index(True)
        title = one_rate_title(labels[i], shares[i], "re-planned", labels[1 - i], frame["followed_up"].iloc[1 - i],
                               as_count=not benchmarks.comparable(frame["followed_up"].iloc[i]))
    elif not all(benchmarks.comparable(d) for d in frame["followed_up"]):   # the small-base rule: no comparison
        counts = [f"{int(n):,} of {int(d):,}" for n, d in zip(frame["replanned"], frame["followed_up"])]
        title = two_lines(f"Too few {title_of} followed up to compare their re-plan rates",
                          f"re-planned: {labels[0].lower()} {counts[0]}, {labels[1].lower()} {counts[1]}; "
                          f"{benchmarks.NEEDS} in each")
    else:
        word = "less" if rates[0] < rates[1] else "more" if rates[0] > rates[1] else "as"
        title = two_lines(f"{labels[0]} were re-planned {word} often" if word != "as" else
                          f"{labels[0]} were re-planned as often as the rest",
                          f"{shares[0]} against {shares[1]} of those followed up")
    style.apply_layout(fig, title, x_title, title_of.capitalize(), height=300, x_percent=True, legend=False)
    fig.update_layout(margin={"t": 110})
    style.share_axis(fig, "x", rates)
    return fig


def pair_table(frame: pd.DataFrame, flag: str, labels: tuple[str, str], count: str) -> pd.DataFrame:
    """A rate pair's frame to read: `flag` (True / False rows) as the group's words, its count column
    (`count`: "endings", "step_downs", "plans"), followed up, re-planned and the rate (%)."""
    out = frame.copy()
    out.insert(0, "group", out[flag].map({True: labels[0], False: labels[1]}))
    return out.drop(columns=[flag]).rename(columns={"replan_rate": "replan_rate_pct"}).assign(
        replan_rate_pct=lambda f: (100 * f["replan_rate_pct"]).round(1))[
        ["group", count, "followed_up", "replanned", "replan_rate_pct"]]
