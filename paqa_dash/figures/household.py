"""Household change (docs/definitions.md, "Household change"): how often a child's household changed
during plans or in the gap before a repeat plan, and whether children whose household changed more
often came back on a plan.

Builders take `paqa_dash.metrics.household` frames; everything is bucketed in SQL (0, 1, 2, 3+ changes),
so the charts read the same for 5 children and for 50,000.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .agencies import _layout
from .style import HUES

BUCKETS = ("0", "1", "2", "3+")


def _bucket_names() -> list[str]:
    return [f"{b} change{'s' if b != '1' else ''}" for b in BUCKETS]


def changes_distribution(buckets: pd.DataFrame) -> go.Figure:
    """Children by number of household changes (0, 1, 2, 3+), split by whether they had a repeat plan.

    `buckets`: bucket, has_repeat_plan, children (`household.change_buckets`, counted in SQL).
    """
    # A combination with no children is 0; a suppressed one (missing) stays missing, never drawn as 0.
    full = pd.MultiIndex.from_product([list(BUCKETS), [False, True]], names=["bucket", "has_repeat_plan"])
    counts = (buckets.groupby(["bucket", "has_repeat_plan"])["children"].sum(min_count=1)
              .reindex(full, fill_value=0).unstack("has_repeat_plan"))
    counts = counts.astype("int64") if counts.notna().all().all() else counts.astype("float64")
    names = _bucket_names()
    total = counts.sum(axis=1, skipna=False)
    fig = go.Figure()
    for flag, label, colour, shape in ((False, "No repeat plan", HUES["sky"], ""),
                                       (True, "Repeat plan", HUES["vermillion"], "/")):
        fig.add_trace(go.Bar(
            name=label, x=names, y=counts[flag], marker_color=colour, marker_pattern_shape=shape,
            customdata=total, hovertemplate="%{x}<br>" + label.lower() + ": %{y:,} of %{customdata:,} children"
                                            "<extra></extra>"))
    fig.update_layout(barmode="stack")
    n = int(total.sum())
    changed = int(total.iloc[1:].sum())
    title = (f"{changed:,} of {n:,} children ({100 * changed / n:.0f}%) saw their household change"
             if n else "No children in these plans")
    return _layout(fig, title, "Household changes during plans or before a repeat plan", "Children (count)")


def repeat_share_bars(share: pd.DataFrame) -> go.Figure:
    """Share of children with a repeat plan, for 0, 1, 2 and 3+ household changes.

    `share`: bucket, children, repeat_children, repeat_share.
    """
    frame = share.set_index("bucket").reindex(list(BUCKETS))
    names = _bucket_names()
    pct = (frame["repeat_share"].astype("float64") * 100).round(1)
    children = frame["children"].fillna(0).astype(int)
    fig = go.Figure(go.Bar(
        x=names, y=pct, marker_color=HUES["blue"], name="Repeat share",
        text=[("" if pd.isna(p) else f"{p:.0f}%<br>n={c:,}") for p, c in zip(pct, children)],
        textposition="outside",
        customdata=list(zip(frame["repeat_children"].fillna(0).astype(int), children)),
        hovertemplate="%{x}<br>%{customdata[0]:,} of %{customdata[1]:,} children had a repeat plan"
                      " (%{y:.0f}%)<extra></extra>"))
    valid = pct.dropna()
    if len(valid) >= 2 and children[valid.index].min() > 0:
        lo, hi = valid.iloc[0], valid.iloc[-1]
        title = (f"Children with {valid.index[-1]} household changes: {hi:.0f}% had a repeat plan, "
                 f"against {lo:.0f}% with {valid.index[0]}")
    else:
        title = "Repeat plans by number of household changes"
    fig.update_yaxes(range=[0, max(100.0, float(valid.max()) + 15 if not valid.empty else 100.0)], ticksuffix="%")
    fig = _layout(fig, title, "Household changes during plans or before a repeat plan",
                  "Children with a repeat plan (%)")
    fig.update_layout(showlegend=False)
    return fig
