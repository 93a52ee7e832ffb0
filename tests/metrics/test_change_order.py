"""First-order or underlying: the one mapping from themes (and owners) to the kind of change an action asks for."""
from __future__ import annotations

import pandas as pd

from paqa_dash.metrics import change_order
from paqa_dash.reference import action_classes
from paqa_dash.text import themes


def test_the_mapping_names_only_themes_the_classifier_gives():
    assert set(action_classes.THEME_CLASS) <= set(themes.THEMES)


def test_classes_from_theme_and_owner():
    theme = pd.Series(["practical/compliance", "adult need", "safety", "practical/compliance", "unclassified"])
    owner = pd.Series(["FAMILY", "FAMILY", "CSC", "PROBATION", None])
    assert action_classes.action_class(theme, owner).tolist() == ["first_order", "underlying", "other", "underlying",
                                                                 "other"]


def test_stored_themes_kept_and_the_rest_classified_once(monkeypatch):
    asked = []

    def classify(texts):
        asked.append(list(texts))
        return pd.DataFrame({"theme": ["adult need"] * len(texts)})

    monkeypatch.setattr(themes, "classify", classify)
    got = change_order.action_themes(["a", "b", "b", None], ["safety", None, None, None])
    assert got == ["safety", "adult need", "adult need", "adult need"]
    assert asked == [["", "b"]]          # distinct missing texts, once
