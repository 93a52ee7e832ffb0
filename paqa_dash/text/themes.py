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

import numpy as np
import pandas as pd

from ..reference.action_classes import THEMES, UNCLASSIFIED
from . import lexicons

# THEMES and UNCLASSIFIED: the labels, kept with the mapping of themes to kinds of change (reference/action_classes.py)
# When two themes score the same, the more specific one wins: practical/compliance is what the
# audit warned plans drift into, so it must be earned, not the default.
TIE_ORDER = ("adult need", "safety", "child development", "relationship/restorative", "practical/compliance")
DEFAULT_METHOD = "meaning"
# The audit's split (docs/plan_quality.md): first-order actions change the conditions or check compliance;
# underlying ones work on what causes the neglect (the adult's difficulty, the child's needs, relationships).
LEVELS: dict[str, str] = {"practical/compliance": "first-order", "safety": "first-order",
                          "adult need": "underlying", "child development": "underlying",
                          "relationship/restorative": "underlying"}
# What classifies the themes, for a caption that must say it truthfully: each method in words, with what a
# reader edits to change its answers (the stored themes change at the next import or `paqa_dash reviews`).
METHOD_WORDS: dict[str, str] = {
    "meaning": ("a trained text model that reads meaning as well as words (a sentence-meaning model, "
                "all-MiniLM-L6-v2 distilled to run offline, plus words and word pairs, weighted by logistic "
                "regression), trained on the hand-labelled actions in data/action_themes_labelled.csv; to correct "
                "it, add or relabel examples there"),
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


def level_of(theme: str) -> str:
    """'first-order' or 'underlying' for a theme (the audit's split), '' for 'unclassified'."""
    return LEVELS.get(theme, "")


class MeaningThemeModel:
    """Words and word pairs (TF-IDF) side by side with the sentence-meaning vector, one logistic regression.

    Why both: the words explain a decision in terms a reader can check; the meaning vector places actions
    that share no listed word ("tummy time every day") near labelled actions that mean the same. Chosen by
    5-fold CV on the older batches (83.7% against 74.5% for words alone); fresh3 is its held-out test.
    """

    C = 10.0

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
        self.regression = None
        self.examples: list[str] = []
        self.example_labels: list[str] = []
        self.example_vectors = None

    def _matrix(self, texts: list[str], vectors):
        import scipy.sparse as sp

        return sp.hstack([self.vectoriser.transform(texts), sp.csr_matrix(vectors)]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "MeaningThemeModel":
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        from . import meaning

        texts = _clean(texts)
        self.vectoriser.fit(texts)
        self.example_vectors = meaning.embed(texts)
        self.examples, self.example_labels = list(texts), list(labels)
        with threadpool_limits(limits=1):
            self.regression = LogisticRegression(C=self.C, max_iter=3000).fit(
                self._matrix(texts, self.example_vectors), list(labels))
        return self

    def predict(self, texts: Sequence[object]) -> list[str]:
        return [r["theme"] for r in self.explain(texts)]

    def explain(self, texts: Sequence[object]) -> list[dict[str, object]]:
        """Theme, probability and why: the words that pushed hardest towards it, the share the meaning
        vector added, and the closest labelled example of that theme."""
        from . import meaning

        texts = _clean(texts)
        vectors = meaning.embed(texts)
        x = self._matrix(texts, vectors)
        proba = self.regression.predict_proba(x)
        classes = list(self.regression.classes_)
        n_words = len(self.vectoriser.vocabulary_)
        features = self.vectoriser.get_feature_names_out()
        similar = vectors @ self.example_vectors.T
        labels = np.asarray(self.example_labels)
        rows = []
        for i, text in enumerate(texts):
            if not text.strip() or not vectors[i].any():
                rows.append({"theme": UNCLASSIFIED, "confidence": 0.0, "evidence": ""})
                continue
            k = int(proba[i].argmax())
            coef = self.regression.coef_[k]
            row = x.getrow(i)
            words, meaning_push = [], 0.0
            for j, v in zip(row.indices, row.data):
                if j < n_words:
                    words.append((v * coef[j], features[j]))
                else:
                    meaning_push += v * coef[j]
            words = [(w, c) for c, w in sorted(words, reverse=True)
                     if c > 0 and not set(w.split()) <= _FUNCTION_WORDS][:EVIDENCE_WORDS]
            same = np.flatnonzero(labels == classes[k])
            best = same[int(similar[i, same].argmax())] if len(same) else None
            parts = [", ".join(f"'{w}' (+{c:.2f})" for w, c in words)] if words else []
            parts.append(f"meaning {meaning_push:+.2f}")
            if best is not None:
                parts.append(f"closest labelled example: '{self.examples[best]}' "
                             f"(similarity {float(similar[i, best]):.2f})")
            rows.append({"theme": classes[k], "confidence": round(float(proba[i][k]), 3),
                         "evidence": "; ".join(parts)})
        return rows


@lru_cache(maxsize=1)
def trained_meaning_model() -> MeaningThemeModel:
    """The default model, trained once per process on every labelled action (~1 s)."""
    data = lexicons.labelled_themes()
    return MeaningThemeModel().fit(list(data["action_text"]), list(data["theme"]))


def classify(texts: Sequence[str], method: str = DEFAULT_METHOD) -> pd.DataFrame:
    """One row per text, in order: theme (one of THEMES, or 'unclassified' for empty text or
    text with no known word), confidence (0..1: the model's probability, or the lexicon theme's
    share of matched weight) and evidence (the words that decided it, strongest first)."""
    if method == "meaning":
        rows = trained_meaning_model().explain(list(texts))
    elif method == "model":
        rows = model_classify(list(texts))
    elif method == "lexicon":
        rows = [lexicon_classify_one(t) for t in texts]
    else:
        raise ValueError(f"method must be 'meaning', 'model' or 'lexicon', not {method!r}")
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
