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
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

METHOD: str = "tfidf_char+terms"
DEFAULT_THRESHOLD: float = 0.42

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
    into about regarding re when while wo ca has have had can could would may might each every there any who""".split()
) - {"have"}

_BRACKET = re.compile(r"\[[^\]]*\]")
_NT = re.compile(r"n['’]t\b")
_APOS = re.compile(r"['’]s\b|['’]")
_NONWORD = re.compile(r"[^a-z0-9]+")


NO_STEM = frozenset({"parenting", "bedding", "clothing", "drinking", "ing"})
NEGATIONS = frozenset({"not", "never", "no", "nt", "mustnt", "cannot", "dont", "wont", "shouldnt"})


def _stem(word: str) -> str:
    """A light suffix stripper: enough to fold plurals and -ing/-ed without a stemming dependency."""
    if len(word) <= 4 or word.isdigit() or word in NO_STEM:
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
    t = _APOS.sub("", _NT.sub(" not", t))
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

    def fit(self, texts: Sequence[str], normalised: bool = False) -> "TfidfScorer":
        norm = texts if normalised else normalise_all(texts)
        corpus = sorted(set(norm) | set(normalise_all(background_texts())))
        corpus = [c if c else "_" for c in corpus]
        if self.word is not None:
            self.word.fit(corpus)
        if self.char is not None:
            self.char.fit(corpus)
        return self

    def fit_transform_normalised(self, norm: Sequence[str]) -> sp.csr_matrix:
        """Fit on distinct normalised texts plus the background and return their rows, in one n-gram pass
        (the char n-gram count is the dominant cost at national scale)."""
        background = sorted(set(normalise_all(background_texts())) - set(norm))
        corpus = [c if c else "_" for c in list(norm) + background]
        blocks = []
        if self.word is not None:
            blocks.append(self.word.fit_transform(corpus)[: len(norm)] * np.float32(np.sqrt(self.word_weight)))
        if self.char is not None:
            blocks.append(self.char.fit_transform(corpus)[: len(norm)]
                          * np.float32(np.sqrt(1 - self.word_weight)))
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0].tocsr()

    def transform(self, texts: Sequence[str], normalised: bool = False) -> sp.csr_matrix:
        norm = texts if normalised else normalise_all(texts)
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


# --- domain-term conflicts -------------------------------------------------------------------------------------

TERMS_CSV = PAIRS_CSV.parent / "action_terms.csv"
CONFLICT_PENALTY = 0.6  # a conflicting pair keeps 40% of its score: below the threshold even if otherwise verbatim


@lru_cache(maxsize=1)
def _term_tables() -> tuple[dict[str, int], np.ndarray]:
    """Normalised term -> canonical id, and each canonical id's class id (data/action_terms.csv)."""
    import csv

    with TERMS_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    canon_ids: dict[str, int] = {}
    class_ids: dict[str, int] = {}
    canon_class: list[int] = []
    vocab: dict[str, int] = {}
    for r in rows:
        if r["canonical"] not in canon_ids:
            canon_ids[r["canonical"]] = len(canon_ids)
            canon_class.append(class_ids.setdefault(r["class"], len(class_ids)))
        term = normalise(r["term"])
        if term and term not in vocab:
            vocab[term] = canon_ids[r["canonical"]]
    return vocab, np.asarray(canon_class)


class TermConflicts:
    """Flags pairs that name *different* things of the same kind: another programme, service, substance,
    condition, item or room ("Incredible Years" vs "Triple P", "GP" vs "dentist", "alcohol" vs "drug" testing).

    Why: bag-of-words similarity cannot see that one swapped noun makes a different act when the rest of the
    sentence is the same plan template; the lexicon supplies that domain knowledge. A class mentioned on only
    one side is an addition, not a conflict ("attend the Freedom Programme" ~ "... for domestic abuse").
    """

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        vocab, canon_class = _term_tables()
        self.terms = list(vocab)
        self.vectorizer = CountVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 4),
                                          lowercase=False, vocabulary=self.terms, binary=True, dtype=np.float32)
        n_canon = int(max(vocab.values())) + 1
        to_canon = sp.csr_matrix((np.ones(len(vocab), dtype=np.float32),
                                  (np.arange(len(vocab)), list(vocab.values()))), shape=(len(vocab), n_canon))
        self.to_class = sp.csr_matrix((np.ones(n_canon, dtype=np.float32),
                                       (np.arange(n_canon), canon_class)), shape=(n_canon, canon_class.max() + 1))
        self.to_canon = to_canon

    def transform(self, norm: Sequence[str]) -> sp.csr_matrix:
        """Canonical-term hits of already normalised texts."""
        hits = self.vectorizer.transform(norm) @ self.to_canon
        hits.data[:] = 1.0
        return hits.tocsr()

    def conflicts(self, t: sp.csr_matrix, negated: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """True where the pair names different things of one class, or only one side is negated."""
        a, b = t[ia], t[ib]
        shared = (a.multiply(b) @ self.to_class).toarray() > 0
        has_a = (a @ self.to_class).toarray() > 0
        has_b = (b @ self.to_class).toarray() > 0
        return np.any(has_a & has_b & ~shared, axis=1) | (negated[ia] != negated[ib])

    @staticmethod
    def negated(norm: Sequence[str]) -> np.ndarray:
        """Whether each (normalised) text is a prohibition ("Dad NOT to have unsupervised contact")."""
        return np.fromiter((not NEGATIONS.isdisjoint(t.split()) for t in norm), dtype=bool, count=len(norm))


# --- methods: fit once on a corpus, then score aligned pairs of text codes --------------------------------------


class PairScorer:
    """A method fitted on the distinct texts of a corpus; ``score(ia, ib)`` scores pairs of positions in
    ``texts``. Fit once per load: IDF comes from the store's own wordings plus the shipped background."""

    def __init__(self, method: str, texts: Sequence[str]) -> None:
        base, _, extra = method.partition("+")
        if base not in BASE_METHODS or extra not in ("", "terms"):
            raise ValueError(f"unknown similarity method {method!r}")
        self.method, self.base = method, base
        # Normalise each text once (the cache would only thrash at scale), then work on distinct normalised
        # texts: wordings that differ only in case, punctuation or role words are vectorised once.
        raw = np.fromiter((normalise.__wrapped__(t) for t in texts), dtype=object, count=len(texts))
        uniq, self.code = np.unique(raw.astype(str), return_inverse=True)
        norm = list(uniq)
        self.terms: TermConflicts | None = TermConflicts() if extra == "terms" else None
        self.term_rows = self.terms.transform(norm) if self.terms else None
        self.negated = TermConflicts.negated(norm) if self.terms else None
        if base in TFIDF_WEIGHTS:
            self.matrix = TfidfScorer(TFIDF_WEIGHTS[base]).fit_transform_normalised(norm)
        else:
            self.normalised = np.asarray(norm, dtype=object)

    def _base_scores(self, ia: np.ndarray, ib: np.ndarray, chunk: int = 500_000) -> np.ndarray:
        if self.base in TFIDF_WEIGHTS:
            return TfidfScorer.row_dots(self.matrix, ia, ib, chunk)
        from rapidfuzz import fuzz
        from rapidfuzz.process import cpdist

        scorer = getattr(fuzz, FUZZY_SCORERS[self.base])
        return np.asarray(cpdist(list(self.normalised[ia]), list(self.normalised[ib]), scorer=scorer,
                                 workers=-1), dtype=np.float64) / 100.0

    def score(self, ia: np.ndarray, ib: np.ndarray, chunk: int = 500_000) -> np.ndarray:
        ia, ib = self.code[np.asarray(ia, dtype=np.int64)], self.code[np.asarray(ib, dtype=np.int64)]
        out = np.empty(len(ia), dtype=np.float64)
        for s in range(0, len(ia), chunk):
            a, b = ia[s:s + chunk], ib[s:s + chunk]
            part = self._base_scores(a, b, chunk)
            if self.terms is not None:
                part = np.where(self.terms.conflicts(self.term_rows, self.negated, a, b), part * (1 - CONFLICT_PENALTY), part)
            part[a == b] = 1.0  # same normalised wording scores exactly 1
            out[s:s + chunk] = part
        return out


TFIDF_WEIGHTS: dict[str, float] = {"tfidf_word": 1.0, "tfidf_char": 0.0, "tfidf_hybrid": 0.5}
FUZZY_SCORERS: dict[str, str] = {"fuzzy_token_set": "token_set_ratio", "fuzzy_token_sort": "token_sort_ratio"}
BASE_METHODS = (*TFIDF_WEIGHTS, *FUZZY_SCORERS)
METHODS: tuple[str, ...] = (*BASE_METHODS, *(f"{m}+terms" for m in BASE_METHODS))


def score_pairs(a: Sequence[str], b: Sequence[str], method: str | None = None) -> np.ndarray:
    """Scores in 0..1 for the aligned pairs (a[k], b[k]) with the chosen default method.

    The IDF (for TF-IDF methods) is learnt from the distinct texts of a and b plus the shipped background.
    """
    if len(a) != len(b):
        raise ValueError(f"score_pairs needs aligned sequences, got {len(a)} and {len(b)}")
    if len(a) == 0:
        return np.empty(0)
    arr = np.asarray([str(x) for x in a] + [str(x) for x in b], dtype=object)
    uniq, inv = np.unique(arr, return_inverse=True)
    return PairScorer(method or METHOD, list(uniq)).score(inv[: len(a)], inv[len(a):])
