"""Stacked bar charts built from suppressed tables: a withheld part of a stack draws nothing and the parts after it
go on from where the parts before it end (style.stack), and the chart's mark of it sits at its own bar.

Why these read the figure's JSON: that is what plotly.js draws from.  A value array sent as a typed array (numpy,
a Series) carries a withheld part as NaN, and plotly.js then restarted the stack at 0: the next part covered the
ones before (rendered with kaleido while writing these tests).  Sent as a list, the part is null and the stack goes
on."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from paqa_dash.figures import agencies, between, endings, regional, works
from paqa_dash.figures.style import mark_suppressed
from paqa_dash.metrics import regional as regional_metrics
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import DURATION_BANDS
from paqa_dash.reference.works import ACTION_CLASSES
from paqa_dash.report.rules import REASONS_RULE, TIMELINESS_RULE
from paqa_dash.report.suppression import SYMBOL, Rule, note, suppress

THRESHOLD = 5


def _reasons():
    o = endings.OUTCOME_ORDER
    counts = pd.DataFrame({"reason": ["A"] * 3 + ["B"] * 3, "outcome": list(o) * 2, "plans": [20, 3, 30, 10, 12, 15]})
    return endings.reasons_bars(suppress(counts, REASONS_RULE, THRESHOLD).frame, 200, 90), "A", o[1]


def _classes():
    keys = list(ACTION_CLASSES)
    table = pd.DataFrame({"team": ["T1"] * 3 + ["T2"] * 3, "action_class": keys * 2,
                          "completed": [40, 2, 30, 20, 25, 15], "actions": [50] * 6})
    rule = Rule(counts=("actions", "completed"))   # the What works page's rule for this table
    return works.action_class_bars(suppress(table, rule, THRESHOLD).frame), "T1", ACTION_CLASSES[keys[1]]


def _bands():
    row = dict(zip(DURATION_BANDS, [30, 3, 27, 20, 20]), authority="390", name="Alpha")
    row["plans_ended"] = sum(row[b] for b in DURATION_BANDS)
    bands = regional_metrics.band_table(pd.DataFrame([row]))
    rule = Rule(counts=("plans",), rates={"share": ("plans", None)}, rows_add_up=("plans",), within=("name",))
    fig = regional.bands_by_authority(suppress(bands, rule, THRESHOLD).frame, benchmarks.duration_shares(2024))
    return fig, "Alpha", "Over 3 to 6 months"


def _timeliness():
    frame = agencies.timeliness_frame({"first_on_time": 195, "first_late": 37, "first_not_due": 3},
                                      {"later_on_time": 93, "later_late": 2, "later_not_due": 191})
    return (agencies.timeliness_bars(suppress(frame, TIMELINESS_RULE, THRESHOLD).frame), "Later review conferences",
            "Late")


def _months():
    months = pd.DataFrame({"months_before": [0, 0, 0, 1, 1, 1], "agency": ["POLICE", "HEALTH", "EDUCATION"] * 2,
                           "concerns": [10, 3, 8, 6, 7, 9]})
    return (between.months_before_bars(suppress(months, Rule(counts=("concerns",)), THRESHOLD).frame), "0",
            "Health")


BUILT = {"endings by warning sign": _reasons, "completed actions by kind": _classes,
         "regional duration bands": _bands, "timeliness": _timeliness, "concerns by month before": _months}


def _sent(fig, name: str) -> tuple[list, list]:
    """(categories, values) of the series `name` as the figure's JSON gives them to plotly.js."""
    trace = next(t for t in json.loads(fig.to_json())["data"] if t.get("name") == name)
    across = trace.get("orientation") == "h"
    return (trace["y"], trace["x"]) if across else (trace["x"], trace["y"])


@pytest.mark.parametrize("chart", BUILT)
def test_a_withheld_part_is_sent_as_null_so_the_stack_goes_on_past_it(chart):
    fig, category, withheld = BUILT[chart]()
    assert fig.layout.barmode == "stack"
    categories, values = _sent(fig, withheld)
    assert isinstance(values, list), "a typed array, where the withheld part's NaN restarts the stack at 0"
    assert values[list(categories).index(category)] is None      # withheld: not drawn, never 0
    assert all(trace.base is None for trace in fig.data)         # an explicit base: plotly's hover gives base + value


def test_timeliness_hover_gives_each_part_its_own_count():
    fig, _, _ = _timeliness()
    categories, values = _sent(fig, "Not yet due")
    assert values[categories.index("Later review conferences")] == 191   # not 93 + 191


def test_the_mark_of_a_withheld_month_sits_at_that_month_not_at_the_first():
    # The months are categories that read as numbers ("0"): plotly took an annotation at "0" for the first
    # category's place, so "Health c" of the month just before the plan sat over "12+".
    fig, _, _ = _months()
    marked = mark_suppressed(fig, SYMBOL, note(THRESHOLD))
    mark = next(a for a in marked.layout.annotations if a.text == f"Health {SYMBOL}")
    labels = list(fig.data[0].x)
    assert mark.x == labels.index("0") and labels[0] == "12+"
    assert mark.y == 18.0   # the top of month 0's drawn bars: police 10 and education 8
