"""Household change (docs/definitions.md, "Household change"): how often a child's household changed
during plans or in the gap before a repeat plan, and whether children whose household changed more
often after a first plan ended were re-planned, over the same months for every child.

Builders take `paqa_dash.metrics.household` frames; everything is bucketed in SQL (0, 1, 2, 3+ changes),
so the charts read the same for 5 children and for 50,000.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .agencies import _layout
from ..reference import benchmarks
from ..reference.recorded import and_list
from .challenge import two_lines
from .style import HUES, ROOM_ABOVE, counted_each, pct_labels, pct_text, share_axis, share_text, too_few_each
from ..reference.words import counted, plural

BUCKETS = ("0", "1", "2", "3+")


def _changes(bucket: str, noun: str = "change") -> str:
    """A bucket ("0", "1", "2", "3+") in words: "1 change", "3+ household changes"."""
    return f"{bucket} {plural(noun, 1 if bucket == '1' else 2)}"


def _bucket_names() -> list[str]:
    return [_changes(b) for b in BUCKETS]


def changes_distribution(buckets: pd.DataFrame) -> go.Figure:
    """Children by number of household changes (0, 1, 2, 3+) during their plans or before a repeat plan.

    Not split by repeat plan: a child with more plans has more months in which to count changes, so the
    split would compare unequal exposures (`replanned_share_bars` compares fairly).
    `buckets`: bucket, has_repeat_plan, children (`household.change_buckets`, counted in SQL).
    """
    # A bucket with no children is 0; a suppressed one (missing) stays missing, never drawn as 0.
    counts = (buckets.groupby("bucket")["children"].sum(min_count=1)
              .reindex(list(BUCKETS), fill_value=0))
    counts = counts.astype("int64") if counts.notna().all() else counts.astype("float64")
    names = _bucket_names()
    fig = go.Figure(go.Bar(name="Children", x=names, y=counts.to_numpy(), marker_color=HUES["sky"],
                           customdata=counted_each(counts, "child"),
                           hovertemplate="%{x}<br>%{customdata}<extra></extra>"))
    n = int(counts.fillna(0).sum())
    changed = int(counts.iloc[1:].fillna(0).sum())
    # no percentage on fewer than 20 children (docs/definitions.md, "Small bases"): the count says it
    share = f" ({pct_text(changed / n)})" if benchmarks.comparable(n) else ""
    title = (f"{changed:,} of {counted(n, 'child')}{share} saw their household change"
             if n else "No children in these plans")
    fig = _layout(fig, title, "Household changes during plans or before a repeat plan", "Children (count)")
    fig.update_layout(showlegend=False)
    return fig


def replanned_share_bars(share: pd.DataFrame, window: int) -> go.Figure:
    """Of the children with 0, 1, 2 and 3+ household changes in the `window` months after their first
    plan ended (all followed up that long), the share re-planned within those months.

    `share`: bucket, children, replanned_children, replanned_share (`household.replanned_share`).
    """
    frame = share.set_index("bucket").reindex(list(BUCKETS))
    names = _bucket_names()
    shares = frame["replanned_share"].astype("float64")
    children = frame["children"].fillna(0).astype(int)
    fig = go.Figure(go.Bar(
        x=names, y=shares, marker_color=HUES["blue"], name="Re-planned",
        # a bucket of fewer than 20 children gives its count, "1 of 2" (docs/definitions.md, "Small bases")
        text=[("" if pd.isna(p) else f"{pct_text(p)}<br>n={c:,}" if benchmarks.comparable(c) else share_text(r, c))
              for p, r, c in zip(shares, frame["replanned_children"], children)],
        textposition="outside",
        customdata=list(zip(frame["replanned_children"].fillna(0).astype(int), counted_each(children, "child"))),
        hovertext=pct_labels(shares),
        hovertemplate="%{x}<br>%{customdata[0]:,} of %{customdata[1]} re-planned"
                      " (%{hovertext})<extra></extra>"))
    valid = shares.dropna()
    # the fewest and most changes among the buckets of enough children are compared; a bucket of fewer than 20 is
    # named and left out (docs/definitions.md, "Small bases")
    enough = [b for b in valid.index if benchmarks.comparable(children[b])]
    few = [_changes(b, "household change") for b in valid.index if b not in enough]
    if len(enough) >= 2:
        lo, hi = valid[enough[0]], valid[enough[-1]]
        title = (f"{counted(window, 'month')} after a first plan: {pct_text(hi)} of children with {_changes(enough[-1], 'household change')} "
                 f"re-planned, against {pct_text(lo)} with {_changes(enough[0])}")
        if few:
            title += f"; too few children with {and_list(few)} to compare ({benchmarks.NEEDS})"
    elif len(valid) >= 2:
        title = two_lines(f"Too few children to compare re-planning within {counted(window, 'month')} of a first "
                          "plan by household changes",
                          too_few_each(((f"with {_changes(b)}", frame.loc[b, "replanned_children"], children[b])
                                        for b in valid.index), "re-planned"))
    else:
        title = f"Re-planned within {counted(window, 'month')} of a first plan, by household changes in those months"
    share_axis(fig, "y", shares, room=ROOM_ABOVE)   # room above the tallest bar for its two-line label
    fig = _layout(fig, title, f"Household changes in the {counted(window, 'month')} after the first plan ended",
                  f"Children re-planned within {counted(window, 'month')} (%)")
    fig.update_layout(showlegend=False)
    return fig
