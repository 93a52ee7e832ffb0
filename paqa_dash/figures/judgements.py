"""Figure for the audit group's recorded judgements: per question, how many children got each grade."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.judgements import GRADE_LABELS, GRADES, NOT_JUDGED
from .style import GRADE_COLOURS, apply_layout, counted_each, empty_figure, stack
from ..reference.words import counted


def _finding(table: pd.DataFrame, children: int) -> str:
    """The title: the question most often judged inadequate (else requiring improvement), from the data."""
    for code, words in (("INADEQUATE", "inadequate"), ("REQUIRES_IMPROVEMENT", "requiring improvement")):
        rows = table[(table["grade_code"] == code) & table["children"].notna() & (table["children"] > 0)]
        if len(rows):
            top = rows.sort_values(["children", "question"], ascending=[False, True]).iloc[0]
            return f"Most often judged {words}: {top['question_label']} ({int(top['children']):,} of {counted(children, 'child')})"
    judged = table[(table["grade_code"] == "GOOD") & table["children"].notna()]["children"].sum()
    if judged:
        return f"No question judged inadequate or requiring improvement for the {counted(children, 'child')} recorded"
    return f"No question graded yet for the {counted(children, 'child')} recorded"


def judgement_bars(table: pd.DataFrame, children: int) -> go.Figure:
    """Horizontal stacked bars: one bar per question (Q1 at the top), one stack per grade, counts of children
    (their latest saved form).  A suppressed count (missing) draws nothing; the page marks it."""
    if children == 0 or table.empty:
        return empty_figure("No judgements recorded in this audit run yet")
    order = list(dict.fromkeys(table.sort_values("question")["question_label"]))[::-1]
    fig = go.Figure()
    for code in (*GRADES, NOT_JUDGED):
        part = table[table["grade_code"] == code].set_index("question_label").reindex(order)
        label = GRADE_LABELS.get(code, code)
        fig.add_trace(go.Bar(
            x=part["children"].tolist(), y=order, name=label, orientation="h", marker_color=GRADE_COLOURS[code],
            customdata=counted_each(part["children"], "child"),
            hovertemplate=f"%{{y}}: %{{customdata}} {label.lower()}<extra></extra>"))
    stack(fig).update_layout(legend={"traceorder": "normal"})
    return apply_layout(fig, _finding(table, children), x_title="Children with a saved form (count)",
                        y_title="Audit question", height=460)
