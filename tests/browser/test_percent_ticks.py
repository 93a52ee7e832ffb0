"""Percent axes as plotly.js draws them (kaleido with the system Chromium, as the briefing does): a narrow axis
of shares is ticked every half percent, and its labels must not round two ticks to one label."""
from __future__ import annotations

import os
import re

import pandas as pd
import pytest

from paqa_dash.figures.cohorts import cohort_curves
from paqa_dash.report.briefing import images


def tick_labels(fig, axis: str = "y") -> list[str]:
    import plotly.io as pio

    os.environ["BROWSER_PATH"] = images.browser()
    for attempt in range(images.ATTEMPTS):   # a session may fail as its page loads on a busy machine (images.pngs)
        try:
            svg = pio.to_image(fig, format="svg", width=800, height=430).decode()
            break
        except Exception:
            if attempt == images.ATTEMPTS - 1:
                raise
    return re.findall(rf'<g class="{axis}tick">.*?>([^<>]+)</text>', svg)


@pytest.mark.parametrize("top", [0.02, 0.035, 0.08])
def test_each_tick_of_a_narrow_share_axis_has_its_own_label(top):
    curve = pd.DataFrame({"group": ["2019"] * 5, "months": [0, 6, 12, 18, 24],
                          "cumulative": [0, top / 4, top / 2, top * 3 / 4, top],
                          "followed_up": [50] * 5, "replanned": [0, 1, 1, 1, 2]})
    labels = tick_labels(cohort_curves(curve))
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels), labels   # "0%, 1%, 1%, 2%, 2%" at half-percent ticks before


def test_a_share_axis_ticked_at_quarters_reads_whole_percents():
    """Past 100% (room for the labels) the axis is ticked at 0, 25, ... 100%: given values, no tick step, which the
    one-decimal stop matched ("0.0% 25.0% 50.0% 75.0%100.0%" at 800 px)."""
    import plotly.graph_objects as go

    from paqa_dash.figures.style import share_axis

    fig = share_axis(go.Figure(go.Bar(x=[0.4, 0.95], y=["A", "B"], orientation="h")), "x", [0.4, 0.95])
    assert tick_labels(fig, "x") == ["0%", "25%", "50%", "75%", "100%"]
