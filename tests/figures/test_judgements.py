"""figures.judgements on hand-made counts: the title states the finding, one stack per grade in grade order, Q1 at
the top, a suppressed count draws nothing."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures.judgements import judgement_bars
from paqa_dash.reference.judgements import GRADE_LABELS, GRADES, NOT_JUDGED, QUESTION_NUMBERS, question_label


def _table(counts: dict[tuple[int, str], float]) -> pd.DataFrame:
    return pd.DataFrame([{"question": q, "question_label": question_label(q), "grade_code": g,
                          "children": counts.get((q, g), 0)} for q in QUESTION_NUMBERS for g in (*GRADES, NOT_JUDGED)])


def test_the_title_names_the_question_most_often_inadequate():
    fig = judgement_bars(_table({(4, "INADEQUATE"): 3, (2, "INADEQUATE"): 1, (1, "GOOD"): 4}), 4)
    assert fig.layout.title.text == "Most often judged inadequate: Q4 Actions relevant (3 of 4 children)"
    assert [t.name for t in fig.data] == [*GRADE_LABELS.values(), NOT_JUDGED]
    assert fig.data[0].y[-1] == question_label(1) and fig.data[0].y[0] == question_label(9)
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_the_titles_counts_are_written_alike():
    fig = judgement_bars(_table({(4, "INADEQUATE"): 1200}), 4500)
    assert fig.layout.title.text == "Most often judged inadequate: Q4 Actions relevant (1,200 of 4,500 children)"


def test_without_inadequate_the_title_falls_to_requires_improvement_then_good():
    assert "requiring improvement: Q8" in judgement_bars(_table({(8, "REQUIRES_IMPROVEMENT"): 2}), 2).layout.title.text
    assert judgement_bars(_table({(9, "GOOD"): 1}), 1).layout.title.text.startswith("No question judged inadequate")
    assert judgement_bars(_table({}), 0).layout.title.text == "No judgements recorded in this audit run yet"


def test_a_suppressed_count_draws_nothing():
    fig = judgement_bars(_table({(1, "INADEQUATE"): float("nan"), (2, "INADEQUATE"): 6}), 9)
    inadequate = next(t for t in fig.data if t.name == "Inadequate")
    shown = dict(zip(inadequate.y, inadequate.x))
    assert pd.isna(shown[question_label(1)]) and shown[question_label(2)] == 6
    assert "Q2" in fig.layout.title.text
