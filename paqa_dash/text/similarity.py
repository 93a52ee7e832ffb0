"""Similarity of plan-action texts (SPEC 7.4): normalisation and scoring methods.

Why this shape: a duplicated action is the *same act* said again in other words, so the score must ignore
case, punctuation, who in the family does it (mum/mother/dad/carer/[name] are one role) and small rewording,
yet still separate "attend the Incredible Years course" from "attend the Triple P course". The default method
is TF-IDF over normalised word unigrams+bigrams blended with character n-grams:

* word IDF makes the rare, content-bearing words (programme names, services, objects) dominate, while the
  shared frame ("parent attend ... course") carries little weight;
* character n-grams absorb morphology and spelling variants (kept/keep, bathed/bath, bedrooms/bedroom).

Every method maps an aligned list of pairs to scores in 0..1 in one vectorised pass (sparse row products or
rapidfuzz's batch ``cpdist``), so the load step can score millions of candidate pairs without Python loops.
The figures behind the choice are in docs/duplicates.md (run ``python -m paqa_dash.text.evaluate_duplicates``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

METHOD: str = "tfidf_hybrid"
DEFAULT_THRESHOLD: float = 0.5

PAIRS_CSV = Path(__file__).resolve().parents[2] / "data" / "duplicate_pairs.csv"

# --- normalisation -----------------------------------------------------------------------------------------

ROLE = "parent"
CHILD = "child"

# Members of the family who own actions; SPEC 7.4 says their names do not change what an action says.
ROLE_WORDS = frozenset(
    """mum mums mummy mam mams mom mother mothers mother's stepmum stepmother dad dads daddy father fathers
    stepdad stepfather carer carers parent parents grandparent grandparents nan nana gran grandma grandad
    grandfather grandmother partner""".split()
)
CHILD_WORDS = frozenset("children child childs kids kid son sons daughter daughters baby babies".split())

# Multi-word phrases first (order matters: longest first), then single words. Kept deliberately small and
# generic: these are everyday paraphrases in plan writing, not tuned to particular labelled pairs.
PHRASES: tuple[tuple[str, str], ...] = (
    ("will make sure", "ensure"),
    ("make sure", "ensure"),
    ("makes sure", "ensure"),
    ("carry out", "complete"),
    ("take part in", "attend"),
    ("go to", "attend"),
    ("goes to", "attend"),
    ("go on", "attend"),
    ("every day", "daily"),
    ("each day", "daily"),
    ("a day", "daily"),
    ("once a month", "monthly"),
    ("every month", "monthly"),
    ("every week", "weekly"),
    ("each week", "weekly"),
    ("a week", "weekly"),
    ("every two weeks", "fortnightly"),
    ("ex partner", "expartner"),
    ("former partner", "expartner"),
    ("free of", "clear"),
    ("away from", "clear"),
    ("health visitor", "healthvisitor"),
    ("social worker", "socialworker"),
    ("social care", "socialworker"),
    ("school nurse", "schoolnurse"),
    ("education welfare officer", "ewo"),
)
WORD_MAP = {
    "undertake": "complete", "do": "complete", "medicines": "medication",
    "medicine": "medication", "home": "house", "kept": "keep", "ensures": "ensure", "sees": "see", "seen": "see",
    "went": "attend", "bigger": "larger", "tidy": "clear",
}

# Function words that carry no act. Negations (not, no, never, must not) are deliberately NOT here: "Dad to
# have unsupervised contact" and "Dad to not have unsupervised contact" are different acts.
STOPWORDS = frozenset(
    """a an the to will shall should must be is are am was were been being of for in on at by with and or
    that this these those their his her its our your they he she it them him any all also as so from up
    into about regarding re when while has have had can could would may might each every there any who""".split()
) - {"have"}

_BRACKET = re.compile(r"\[[^\]]*\]")
_APOS = re.compile(r"['’]s\b|['’]")
_NONWORD = re.compile(r"[^a-z0-9]+")


def _stem(word: str) -> str:
    """A light suffix stripper: enough to fold plurals and -ing/-ed without a stemming dependency."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower-case, strip punctuation, fold role words and tags to one token, drop function words, light-stem.

    Cached because real stores repeat the same action wording many times (templates, copy-paste).
    """
    t = _BRACKET.sub(f" {ROLE} ", str(text).lower())
    t = _APOS.sub("", t)
    t = " " + _NONWORD.sub(" ", t).strip() + " "
    for phrase, repl in PHRASES:
        if f" {phrase} " in t:
            t = t.replace(f" {phrase} ", f" {repl} ")
    out: list[str] = []
    for w in t.split():
        if w in ROLE_WORDS:
            w = ROLE
        elif w in CHILD_WORDS:
            w = CHILD
        w = WORD_MAP.get(w, w)
        if w in STOPWORDS:
            continue
        out.append(_stem(w))
    return " ".join(out)


def normalise_all(texts: Sequence[str]) -> list[str]:
    return [normalise(t) for t in texts]


# --- background corpus for IDF -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def background_texts() -> tuple[str, ...]:
    """Action wordings shipped with the project, added to every IDF fit.

    Why: IDF learnt only from a handful of texts (one small authority, a unit test) is unstable; a fixed
    background of typical plan actions keeps generic frame words ("attend", "ensure", "course") down-weighted.
    """
    if not PAIRS_CSV.exists():
        return ()
    import csv

    with PAIRS_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(sorted({r["text_a"] for r in rows} | {r["text_b"] for r in rows}))


# --- TF-IDF scorers ---------------------------------------------------------------------------------------------


def _word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                           lowercase=False, dtype=np.float32)


def _char_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False,
                           dtype=np.float32)


class TfidfScorer:
    """Fit once on a corpus (the store's action texts), then score any aligned pairs by row dot products.

    ``word_weight`` blends the two spaces: each block is L2-normalised and scaled by sqrt(weight), so the dot
    product of two hybrid rows is exactly w*cos_word + (1-w)*cos_char, still a 0..1 cosine.
    """

    def __init__(self, word_weight: float = 0.5) -> None:
        self.word_weight = word_weight
        self.word = _word_vectorizer() if word_weight > 0 else None
        self.char = _char_vectorizer() if word_weight < 1 else None

    def fit(self, texts: Sequence[str]) -> "TfidfScorer":
        corpus = sorted(set(normalise_all(texts)) | set(normalise_all(background_texts())))
        corpus = [c if c else "_" for c in corpus]
        if self.word is not None:
            self.word.fit(corpus)
        if self.char is not None:
            self.char.fit(corpus)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        norm = normalise_all(texts)
        blocks = []
        if self.word is not None:
            blocks.append(self.word.transform(norm) * np.float32(np.sqrt(self.word_weight)))
        if self.char is not None:
            blocks.append(self.char.transform(norm) * np.float32(np.sqrt(1 - self.word_weight)))
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0].tocsr()

    @staticmethod
    def row_dots(x: sp.csr_matrix, ia: np.ndarray, ib: np.ndarray, chunk: int = 500_000) -> np.ndarray:
        """Cosine of row ia[k] with row ib[k] for every k, in chunks to bound memory."""
        out = np.empty(len(ia), dtype=np.float64)
        for s in range(0, len(ia), chunk):
            a = x[ia[s:s + chunk]]
            b = x[ib[s:s + chunk]]
            out[s:s + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        return np.clip(out, 0.0, 1.0)


def _unique_index(a: Sequence[str], b: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Unique texts plus the positions of a and b in them, so each distinct wording is vectorised once."""
    arr = np.asarray(list(a) + list(b), dtype=object)
    uniq, inv = np.unique(arr.astype(str), return_inverse=True)
    return list(uniq), inv[: len(a)], inv[len(a):]


def _tfidf_method(word_weight: float) -> Callable[[Sequence[str], Sequence[str]], np.ndarray]:
    def score(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        if len(a) == 0:
            return np.empty(0)
        uniq, ia, ib = _unique_index(a, b)
        scorer = TfidfScorer(word_weight).fit(uniq)
        return TfidfScorer.row_dots(scorer.transform(uniq), ia, ib)

    return score


# --- fuzzy scorers ------------------------------------------------------------------------------------------------


def _fuzzy_method(name: str) -> Callable[[Sequence[str], Sequence[str]], np.ndarray]:
    def score(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        from rapidfuzz import fuzz
        from rapidfuzz.process import cpdist

        if len(a) == 0:
            return np.empty(0)
        scorer = getattr(fuzz, name)
        return np.asarray(cpdist(normalise_all(a), normalise_all(b), scorer=scorer, workers=-1),
                          dtype=np.float64) / 100.0

    return score


TFIDF_WEIGHTS: dict[str, float] = {"tfidf_word": 1.0, "tfidf_char": 0.0, "tfidf_hybrid": 0.5}

METHODS: dict[str, Callable[[Sequence[str], Sequence[str]], np.ndarray]] = {
    **{name: _tfidf_method(w) for name, w in TFIDF_WEIGHTS.items()},
    "fuzzy_token_set": _fuzzy_method("token_set_ratio"),
    "fuzzy_token_sort": _fuzzy_method("token_sort_ratio"),
}


def score_pairs(a: Sequence[str], b: Sequence[str], method: str | None = None) -> np.ndarray:
    """Scores in 0..1 for the aligned pairs (a[k], b[k]) with the chosen default method."""
    if len(a) != len(b):
        raise ValueError(f"score_pairs needs aligned sequences, got {len(a)} and {len(b)}")
    return METHODS[method or METHOD](a, b)
