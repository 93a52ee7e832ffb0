"""Figure for the audit sample page: how many children in scope each audit concern applies to."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.codes import CONCERN_LABELS as CONCERNS
from .style import HIGHLIGHT, LOCAL, apply_layout, counted_each, empty_figure, pct_text, value_range
from ..reference.recorded import NOT_RECORDED
from ..reference.words import counted


def concern_count_table(counts: dict[str, int], children: int) -> pd.DataFrame:
    """The same table from counts made in SQL (`audit.Sample.counts`) over `children` in scope."""
    out = pd.DataFrame([{"concern": label, "children": int(counts.get(key, 0))} for key, label in CONCERNS.items()])
    out["share"] = out["children"] / children if children else float("nan")   # no child in scope: no share, not 0.0
    return out


def concern_bars(counts: pd.DataFrame, children: int, unassessed: int = 0) -> go.Figure:
    """Horizontal bars, the most common concern highlighted.  `unassessed`: how many of the audit's concerns the data
    cannot assess (metrics.audit.not_assessed; left out of `counts`): the title then says the finding is over the
    concerns it could assess, so "none applies" over one concern is not read as none of the audit's nine."""
    if children == 0 or counts.empty:
        return empty_figure("No children in the audit's scope")
    top = counts.sort_values("children", ascending=False).iloc[0]
    others = f"; {counted(unassessed, 'other')} not assessed, {NOT_RECORDED}" if unassessed else ""
    if int(top["children"]) == 0 and unassessed and len(counts) == 1:
        title = (f"The one concern this data can assess ({top['concern'].lower()}) applies to none of the "
                 f"{children:,} children in scope" if children != 1 else f"The one concern this data can assess "
                 f"({top['concern'].lower()}) does not apply to the child in scope") + others
    elif int(top["children"]) == 0:   # no "most common concern (0 of 2 children)"
        these = f"the {counted(len(counts), 'concern')} this data can assess" if unassessed else "these concerns"
        title = ((f"None of {these} applies to any of the {children:,} children in scope" if children != 1
                  else f"None of {these} applies to the child in scope") + others)
    else:
        which = f" of the {counted(len(counts), 'concern')} this data can assess" if unassessed else ""
        title = (f"Most common concern{which}: {top['concern'].lower()} ({int(top['children']):,} of "
                 f"{counted(children, 'child')}){others}")
    c = counts.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=c["children"].tolist(), y=c["concern"].tolist(), orientation="h", text=[pct_text(s) for s in c["share"]],
        textposition="outside", cliponaxis=False,
        marker_color=[HIGHLIGHT if v == top["concern"] and top["children"] else LOCAL for v in c["concern"]],
        customdata=counted_each(c["children"], "child"),
        hovertemplate="%{y}: %{customdata}<extra></extra>"))
    fig.update_xaxes(range=value_range(c["children"], 1))
    return apply_layout(fig, title, x_title="Children in scope with the concern (count)", y_title="Audit concern",
                        legend=False, height=420)
