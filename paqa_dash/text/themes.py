"""Theme of a plan action (issue 6, item 3): practical/compliance, adult need, child development,
safety or relationship/restorative.

Two explainable classifiers, both driven by data a practice lead can edit:

- "model" (the default): TF-IDF words and word pairs + logistic regression, trained on the
  labelled actions in `data/action_themes_labelled.csv`.  Evidence = the words of the action that
  pushed it most towards its theme, with their weight, so a page can show *why*; adding a
  labelled example is how a reviewer corrects it.
- "lexicon": every row of `data/lexicons/themes.csv` that matches adds its weight to its theme;
  the highest total wins; evidence = the matched keywords.

Why the model is the default: on actions written after each version was frozen, the lexicon
scored 57% and 52%, the model 70% and 82% (docs/plan_quality.md; `python -m
paqa_dash.text.evaluate_themes`).  A keyword list only knows the words its author thought of; the
misses were mostly actions with no listed keyword at all (18 of 29 on fresh2).  Flip DEFAULT_METHOD to use the lexicon.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import pandas as pd

from . import lexicons

THEMES = ("practical/compliance", "adult need", "child development", "safety", "relationship/restorative")
UNCLASSIFIED = "unclassified"
# When two themes score the same, the more specific one wins: practical/compliance is what the
# audit warned plans drift into, so it must be earned, not the default.
TIE_ORDER = ("adult need", "safety", "child development", "relationship/restorative", "practical/compliance")
DEFAULT_METHOD = "model"
# What classifies the themes, for a caption that must say it truthfully: each method in words, with what a
# reader edits to change its answers (the stored themes change at the next import or `paqa_dash reviews`).
METHOD_WORDS: dict[str, str] = {
    "model": ("a trained text model (words and word pairs weighted by logistic regression), trained on the "
              "hand-labelled actions in data/action_themes_labelled.csv; to correct it, add or relabel examples "
              "there (the keyword list data/lexicons/themes.csv is not used)"),
    "lexicon": ("a keyword list (data/lexicons/themes.csv): each matching keyword adds its weight to its theme and "
                "the highest total wins; to correct it, edit the list"),
}
EVIDENCE_WORDS = 4
# Words too common to explain anything on their own (kept in the model, left out of the evidence).
_FUNCTION_WORDS = frozenset("a an and are as at be by for from her his in is it of on or the their them to "
                            "will with name".split())


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


def lexicon_classify_one(text: object) -> dict[str, object]:
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


def _clean(texts: Sequence[object]) -> list[str]:
    return [t if isinstance(t, str) else "" for t in texts]


@lru_cache(maxsize=1)
def trained_model():
    """The default model, trained once per process on every labelled action."""
    data = lexicons.labelled_themes()
    return fit_model(list(data["action_text"]), list(data["theme"]))


def model_classify(texts: Sequence[object], model=None) -> list[dict[str, object]]:
    """Theme, probability and the words that pushed hardest towards it, per text."""
    texts = _clean(texts)
    model = model or trained_model()
    vectoriser, regression = model.steps[0][1], model.steps[-1][1]
    features = vectoriser.get_feature_names_out()
    x = vectoriser.transform(texts)
    proba = regression.predict_proba(x)
    classes = list(regression.classes_)
    rows = []
    for i in range(len(texts)):
        row = x.getrow(i)
        if row.nnz == 0:
            rows.append({"theme": UNCLASSIFIED, "confidence": 0.0, "evidence": ""})
            continue
        k = int(proba[i].argmax())
        coef = regression.coef_[k] if regression.coef_.shape[0] > 1 else regression.coef_[0]
        contrib = sorted(((row.data[j] * coef[row.indices[j]], features[row.indices[j]]) for j in range(row.nnz)),
                         reverse=True)
        words = [(w, c) for c, w in contrib if c > 0 and not set(w.split()) <= _FUNCTION_WORDS][:EVIDENCE_WORDS]
        rows.append({
            "theme": classes[k],
            "confidence": round(float(proba[i][k]), 3),
            "evidence": ", ".join(f"'{w}' (+{c:.2f})" for w, c in words),
        })
    return rows


def classify(texts: Sequence[str], method: str = DEFAULT_METHOD) -> pd.DataFrame:
    """One row per text, in order: theme (one of THEMES, or 'unclassified' for empty text or
    text with no known word), confidence (0..1: the model's probability, or the lexicon theme's
    share of matched weight) and evidence (the words that decided it, strongest first)."""
    if method == "model":
        rows = model_classify(list(texts))
    elif method == "lexicon":
        rows = [lexicon_classify_one(t) for t in texts]
    else:
        raise ValueError(f"method must be 'model' or 'lexicon', not {method!r}")
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
    """The model fitted on labelled actions.  One BLAS thread: the fit takes a tenth of a second,
    and on a busy 2-core machine a thread pool only makes it wait (10 s seen under load)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return make_model().fit(list(texts), list(labels))
