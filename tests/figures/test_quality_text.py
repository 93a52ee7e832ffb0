"""The plan-quality text figures when a reader's small counts are suppressed (missing, not zero)."""
from __future__ import annotations

import math

import pandas as pd

from paqa_dash.figures import quality_text
from support.figure_cases import WORDING   # North 20 actions, South 10: one frame for both tests

LANGUAGE = pd.DataFrame({"phrase": ["failed to engage", "non-compliant"], "kind": ["deficit", "deficit"],
                         "suggestion": ["was not able to attend", "did not yet"], "why": ["", ""],
                         "source": ["", ""], "findings": [9.0, 3.0], "actions": [8, 3]})


def test_the_title_quotes_the_largest_count_shown():
    fig = quality_text.language_figure(LANGUAGE)
    assert "“failed to engage” (9 times" in fig.layout.title.text


def test_a_suppressed_count_is_never_quoted_or_drawn_as_a_number():
    some = LANGUAGE.assign(findings=[9.0, math.nan])
    assert "(9 times" in quality_text.language_figure(some).layout.title.text
    every = LANGUAGE.assign(findings=[math.nan, math.nan])
    fig = quality_text.language_figure(every)
    assert fig.layout.title.text.endswith("some values suppressed")


def test_wording_states_both_sides_and_the_team_with_fewest():
    # South's 10 actions are too few to rank (docs/definitions.md, "Small bases"): named, not compared
    fig = quality_text.wording_figure(WORDING)
    assert fig.layout.title.text == ("40% of plan actions use strengths-based or trauma-informed wording; 20% use "
                                     "deficit wording; too few actions in South to compare (a comparison needs at "
                                     "least 20)")
    deficit = next(t for t in fig.data if t.name == "Deficit wording")
    assert dict(zip(deficit.y, deficit.x)) == {"North": 0.25, "South": 0.1}
    enough = WORDING.assign(actions=[20, 20], with_deficit=[5, 3], with_positive=[5, 11])
    enough = enough.assign(positive_share=enough["with_positive"] / 20, deficit_share=enough["with_deficit"] / 20)
    assert quality_text.wording_figure(enough).layout.title.text == (
        "40% of plan actions use strengths-based or trauma-informed wording; 20% use deficit wording; fewest: North "
        "(25%)")
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_wording_never_draws_a_suppressed_share_as_zero():
    some = WORDING.assign(need_share=[math.nan, 0.2])
    need = next(t for t in quality_text.wording_figure(some).data if t.name.startswith("Behaviour"))
    assert list(need.x) == [0.2, None]   # South first from the top, North's share missing
    assert quality_text.wording_figure(WORDING.iloc[:0]).layout.title.text.startswith("No plan action text")
