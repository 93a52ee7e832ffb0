"""Compare duplicate-action scoring methods on the labelled pairs (data/duplicate_pairs.csv).

Run: ``python -m paqa_dash.text.evaluate_duplicates [--csv FILE] [--extra-scores NAME=FILE ...]``

Why two F1 figures: the threshold is chosen on the same pairs it is scored on, which flatters a method.
``f1_cv`` picks the threshold on 4/5 of the pairs and applies it to the held-out fifth (5 stratified folds,
fixed seed), pooling the held-out predictions, so it estimates what a threshold learnt here does on new text.
``--extra-scores`` lets a method run elsewhere (e.g. the sentence-embedding model in a throwaway venv) be
compared on the same table: a file with one score per line, aligned with the CSV rows.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from paqa_dash.text import similarity

GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


@dataclass(frozen=True)
class Result:
    method: str
    threshold: float
    precision: float
    recall: float
    f1: float
    f1_cv: float
    seconds: float


def load_pairs(path: Path = similarity.PAIRS_CSV) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"text_a": object, "text_b": object, "note": object})
    df["label"] = df["label"].astype(int)
    return df


def prf(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum(pred & truth))
    fp = int(np.sum(pred & ~truth))
    fn = int(np.sum(~pred & truth))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The threshold with the best F1; among equal-F1 thresholds, the middle of the widest run (robust)."""
    f1s = np.array([prf(scores >= t, truth)[2] for t in GRID])
    best = np.flatnonzero(np.isclose(f1s, f1s.max()))
    runs = np.split(best, np.flatnonzero(np.diff(best) != 1) + 1)
    widest = max(runs, key=len)
    return float(GRID[widest[len(widest) // 2]])


def cv_f1(scores: np.ndarray, truth: np.ndarray, folds: int = 5, seed: int = 7) -> float:
    rng = np.random.default_rng(seed)
    fold = np.empty(len(truth), dtype=int)
    for cls in (True, False):
        idx = np.flatnonzero(truth == cls)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % folds
    pred = np.zeros(len(truth), dtype=bool)
    for k in range(folds):
        train = fold != k
        t = best_threshold(scores[train], truth[train])
        pred[~train] = scores[~train] >= t
    return prf(pred, truth)[2]


def evaluate(method: str, scores: np.ndarray, truth: np.ndarray, seconds: float) -> Result:
    t = best_threshold(scores, truth)
    p, r, f = prf(scores >= t, truth)
    return Result(method, t, p, r, f, cv_f1(scores, truth), seconds)


def evaluate_at(scores: np.ndarray, truth: np.ndarray, threshold: float) -> tuple[float, float, float]:
    return prf(scores >= threshold, truth)


def run(pairs: pd.DataFrame, extra: dict[str, Path] | None = None) -> list[Result]:
    truth = pairs["label"].to_numpy() == 1
    a, b = pairs["text_a"].tolist(), pairs["text_b"].tolist()
    results = []
    for name in similarity.METHODS:
        similarity.normalise.cache_clear()
        start = time.perf_counter()
        scores = similarity.score_pairs(a, b, method=name)
        results.append(evaluate(name, scores, truth, time.perf_counter() - start))
    for name, path in (extra or {}).items():
        scores = np.loadtxt(path)
        results.append(evaluate(name, scores, truth, float("nan")))
    return results


def format_table(results: list[Result], default: str) -> str:
    head = "| method | threshold | precision | recall | F1 | F1 (5-fold CV threshold) | time (s) |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for r in results:
        mark = " (default)" if r.method == default else ""
        secs = "n/a" if np.isnan(r.seconds) else f"{r.seconds:.3f}"
        lines.append(f"| {r.method}{mark} | {r.threshold:.2f} | {r.precision:.3f} | {r.recall:.3f} | "
                     f"{r.f1:.3f} | {r.f1_cv:.3f} | {secs} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=similarity.PAIRS_CSV)
    ap.add_argument("--extra-scores", nargs="*", default=[], metavar="NAME=FILE")
    ap.add_argument("--errors", action="store_true", help="list the default method's misclassified pairs")
    args = ap.parse_args(argv)
    pairs = load_pairs(args.csv)
    extra = dict((kv.split("=", 1)[0], Path(kv.split("=", 1)[1])) for kv in args.extra_scores)
    results = run(pairs, extra)
    n_pos = int((pairs["label"] == 1).sum())
    print(f"{len(pairs)} labelled pairs ({n_pos} duplicates, {len(pairs) - n_pos} not)")
    print(format_table(results, similarity.METHOD))
    scores = similarity.score_pairs(pairs["text_a"].tolist(), pairs["text_b"].tolist())
    p, r, f = evaluate_at(scores, pairs["label"].to_numpy() == 1, similarity.DEFAULT_THRESHOLD)
    print(f"\ndefault {similarity.METHOD} at DEFAULT_THRESHOLD={similarity.DEFAULT_THRESHOLD}: "
          f"precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    if args.errors:
        pred = scores >= similarity.DEFAULT_THRESHOLD
        wrong = pairs[pred != (pairs["label"].to_numpy() == 1)].assign(score=scores[pred != (pairs["label"] == 1)])
        for row in wrong.itertuples():
            print(f"  label={row.label} score={row.score:.3f}  {row.text_a!r} ~ {row.text_b!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
