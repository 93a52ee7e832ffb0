"""Bar charts that print their numbers past the bars leave room for them on the value axis (plotly sizes the axis to
the bars and cuts a label beyond the longest: "93,739" read "93," at 800 px); a chart with a value suppressed is
titled by its value axis, whichever way its bars run."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import audit, between, duplicates, quality, regional, works
from paqa_dash.figures.style import ROOM_ABOVE, ROOM_BESIDE, SHARE_END, mark_suppressed
from paqa_dash.reference.concerns import CONCERN_BANDS
from paqa_dash.reference.works import RESTORATIVE_WORDS


def _end(fig, axis: str) -> float:
    return float(getattr(fig.layout, f"{axis}axis").range[1])


CASES = {
    "reject reasons": (lambda: quality.reject_reasons_bars(pd.DataFrame(
        {"table_name": ["plans", "events"], "reason": ["end before start", "unknown code"], "n": [93_739, 12]})),
        "x", 93_739, ROOM_BESIDE),
    "audit concerns": (lambda: audit.concern_bars(pd.DataFrame(
        {"concern": ["Neglect", "Domestic abuse"], "children": [40, 10], "share": [0.8, 0.2]}), 50),
        "x", 40, ROOM_BESIDE),
    "concern bands": (lambda: between.bands_bars(pd.DataFrame(
        {"band": list(CONCERN_BANDS), "plans": [3, 20, 7, 1][:len(CONCERN_BANDS)],
         "with_impact": [0] * len(CONCERN_BANDS), "median_days_to_plan": [50.0] * len(CONCERN_BANDS)})),
        "y", 20, ROOM_ABOVE),
    "duplication impact": (lambda: duplicates.impact_bars(pd.DataFrame(
        [{"group": g, **{f"{r}_pct": v for r, _ in duplicates.IMPACT_MEASURES}}
         for g, v in zip(duplicates.IMPACT_GROUPS, (90.0, 40.0))])),
        "y", 0.9, ROOM_ABOVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_value_axis_ends_past_the_longest_bar_by_the_room_for_its_label(name):
    build, axis, top, room = CASES[name]
    assert _end(build(), axis) == pytest.approx(top * room)


def test_a_gap_label_in_days_gets_more_room_and_a_share_axis_stops_at_its_end():
    gaps = regional.gap_bars(pd.DataFrame({"name": ["A", "B"], "gaps": [10, 12], "median_gap_days": [1878.0, 300.0]}))
    assert _end(gaps, "x") >= 1878 * 1.4
    rates = pd.DataFrame({"name": ["A"], "numerator": [99], "denominator": [100], "percent": [99.0]})
    published = pd.DataFrame({"name": ["A"], "comparator": ["england"], "label": ["England"], "year": [2025],
                              "percent": [100.0]})
    assert _end(regional.repeat_vs_published(rates, published), "x") == SHARE_END

def test_a_suppressed_chart_of_bars_across_is_titled_by_its_value_axis():
    table = pd.DataFrame([{"team": t, "kind": k, "share": None if t == "North" else 0.5, "with_evidence": 5,
                           "plans": 10} for t in ("All teams", "North") for k in RESTORATIVE_WORDS])
    fig = mark_suppressed(works.restorative_bars(table), "c", "suppressed: fewer than 5")
    assert fig.layout.title.text.startswith("Ended plans with it (%): some values suppressed")
    assert fig.layout.legend.yref == "container"      # the key at the figure's foot, however tall the chart
