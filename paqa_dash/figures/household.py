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
from .style import HUES, ROOM_ABOVE, counted_each, pct_text, share_axis
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
    title = (f"{changed:,} of {counted(n, 'child')} ({100 * changed / n:.0f}%) saw their household change"
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
        text=[("" if pd.isna(p) else f"{pct_text(p)}<br>n={c:,}") for p, c in zip(shares, children)],
        textposition="outside",
        customdata=list(zip(frame["replanned_children"].fillna(0).astype(int), counted_each(children, "child"))),
        hovertemplate="%{x}<br>%{customdata[0]:,} of %{customdata[1]} re-planned"
                      " (%{y:.0%})<extra></extra>"))
    valid = shares.dropna()
    if len(valid) >= 2 and children[valid.index].min() > 0:
        lo, hi = valid.iloc[0], valid.iloc[-1]
        title = (f"{counted(window, 'month')} after a first plan: {pct_text(hi)} of children with {_changes(valid.index[-1], 'household change')} "
                 f"re-planned, against {pct_text(lo)} with {_changes(valid.index[0])}")
    else:
        title = f"Re-planned within {counted(window, 'month')} of a first plan, by household changes in those months"
    share_axis(fig, "y", shares, room=ROOM_ABOVE)   # room above the tallest bar for its two-line label
    fig = _layout(fig, title, f"Household changes in the {counted(window, 'month')} after the first plan ended",
                  f"Children re-planned within {counted(window, 'month')} (%)")
    fig.update_layout(showlegend=False)
    return fig
