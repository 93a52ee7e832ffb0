"""Theme of a plan action (issue 6, item 3): practical/compliance, adult need, child development,
safety or relationship/restorative.

A transparent keyword-weighted classifier: every row of `data/lexicons/themes.csv` that matches
adds its weight to its theme, and the highest total wins.  The matched keywords are returned as
the evidence, so a page can show *why* an action was called "practical/compliance" and a
reviewer can fix the lexicon rather than argue with a black box.  A small scikit-learn model is
kept beside it (`fit_model`) only to compare accuracy in `evaluate_themes`.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from . import lexicons

THEMES = ("practical/compliance", "adult need", "child development", "safety", "relationship/restorative")
UNCLASSIFIED = "unclassified"
# When two themes score the same, the more specific one wins: practical/compliance is what the
# audit warned plans drift into, so it must be earned, not the default.
TIE_ORDER = ("adult need", "safety", "child development", "relationship/restorative", "practical/compliance")


def score(text: object) -> tuple[dict[str, float], list[tuple[str, str, float]]]:
    """Theme totals and the (keyword, theme, weight) rows that matched one text."""
    totals = {t: 0.0 for t in THEMES}
    evidence: list[tuple[str, str, float]] = []
    if not isinstance(text, str) or not text.strip():
        return totals, evidence
    for rx, keyword, weight, theme in lexicons.theme_keywords()[["rx", "keyword", "weight", "theme"]].itertuples(
            index=False):
        if rx.search(text):
            totals[theme] += weight
            evidence.append((keyword, theme, weight))
    return totals, evidence


def classify_one(text: object) -> dict[str, object]:
    totals, evidence = score(text)
    best = max(TIE_ORDER, key=lambda t: (totals[t], -TIE_ORDER.index(t)))
    total = sum(totals.values())
    if total == 0:
        return {"theme": UNCLASSIFIED, "confidence": 0.0, "evidence": ""}
    evidence.sort(key=lambda e: (e[1] != best, -e[2]))
    return {
        "theme": best,
        "confidence": round(totals[best] / total, 3),
        "evidence": "; ".join(f"{k} ({t} +{w:g})" for k, t, w in evidence),
    }


def classify(texts: Sequence[str]) -> pd.DataFrame:
    """One row per text, in order: theme (one of THEMES, or 'unclassified' when no keyword
    matched), confidence (winning theme's share of all matched weight, 0..1) and evidence
    (the matched keywords with their theme and weight, winning theme first)."""
    rows = [classify_one(t) for t in texts]
    return pd.DataFrame(rows, columns=["theme", "confidence", "evidence"])


def make_model():
    """A small TF-IDF + logistic-regression pipeline (unfitted), only as a yardstick for the lexicon."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
                          LogisticRegression(max_iter=2000, C=10.0))
    return model


def fit_model(texts: Sequence[str], labels: Sequence[str]):
    """The yardstick model fitted on labelled actions."""
    return make_model().fit(list(texts), list(labels))
