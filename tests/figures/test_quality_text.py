"""The plan-quality text figures when a reader's small counts are suppressed (missing, not zero)."""
from __future__ import annotations

import math

import pandas as pd

from paqa_dash.figures import quality_text

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
