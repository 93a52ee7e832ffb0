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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from paqa_dash.text import similarity

HOLDOUT_CSV = similarity.PAIRS_CSV.with_name("duplicate_pairs_holdout.csv")
HOLDOUT2_CSV = similarity.PAIRS_CSV.with_name("duplicate_pairs_holdout2.csv")
HOLDOUT3_CSV = similarity.PAIRS_CSV.with_name("duplicate_pairs_holdout3.csv")
HOLDOUT4_CSV = similarity.PAIRS_CSV.with_name("duplicate_pairs_holdout4.csv")
HOLDOUT5_CSV = similarity.PAIRS_CSV.with_name("duplicate_pairs_holdout5.csv")
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
    holdout: tuple[float, float, float] | None = None
    holdout2: tuple[float, float, float] | None = None
    holdout3: tuple[float, float, float] | None = None
    holdout4: tuple[float, float, float] | None = None
    holdout5: tuple[float, float, float] | None = None
    union_cv: float | None = None


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


def stratified_folds(truth: np.ndarray, folds: int = 5, seed: int = 7) -> np.ndarray:
    """Fold number of each pair: duplicates and non-duplicates dealt evenly over the folds (seeded)."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(truth), dtype=int)
    for cls in (True, False):
        idx = np.flatnonzero(truth == cls)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % folds
    return fold


def cv_f1(scores: np.ndarray, truth: np.ndarray, folds: int = 5, seed: int = 7) -> float:
    fold = stratified_folds(truth, folds, seed)
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


def run(pairs: pd.DataFrame, extra: dict[str, Path] | None = None,
        holdout: pd.DataFrame | None = None, extra_holdout: dict[str, Path] | None = None,
        holdout2: pd.DataFrame | None = None, holdout3: pd.DataFrame | None = None,
        holdout4: pd.DataFrame | None = None, holdout5: pd.DataFrame | None = None,
        methods: tuple[str, ...] = similarity.METHODS) -> list[Result]:
    """Per method: threshold and P/R/F1 on the development pairs, CV F1, and P/R/F1 on the held-out pairs
    at the development threshold (the holdout never influences a threshold or the lexicon)."""
    truth = pairs["label"].to_numpy() == 1
    a, b = pairs["text_a"].tolist(), pairs["text_b"].tolist()
    results = []
    for name in methods:
        similarity.normalise.cache_clear()
        start = time.perf_counter()
        scores = similarity.score_pairs(a, b, method=name)
        res = evaluate(name, scores, truth, time.perf_counter() - start)
        if holdout is not None:
            hs = similarity.score_pairs(holdout["text_a"].tolist(), holdout["text_b"].tolist(), method=name)
            res = replace(res, holdout=evaluate_at(hs, holdout["label"].to_numpy() == 1, res.threshold))
        if holdout2 is not None:
            h2 = similarity.score_pairs(holdout2["text_a"].tolist(), holdout2["text_b"].tolist(), method=name)
            res = replace(res, holdout2=evaluate_at(h2, holdout2["label"].to_numpy() == 1, res.threshold))
        if holdout3 is not None:
            h3 = similarity.score_pairs(holdout3["text_a"].tolist(), holdout3["text_b"].tolist(), method=name)
            res = replace(res, holdout3=evaluate_at(h3, holdout3["label"].to_numpy() == 1, res.threshold))
        if holdout4 is not None:
            h4 = similarity.score_pairs(holdout4["text_a"].tolist(), holdout4["text_b"].tolist(), method=name)
            res = replace(res, holdout4=evaluate_at(h4, holdout4["label"].to_numpy() == 1, res.threshold))
        if holdout5 is not None:
            h5 = similarity.score_pairs(holdout5["text_a"].tolist(), holdout5["text_b"].tolist(), method=name)
            res = replace(res, holdout5=evaluate_at(h5, holdout5["label"].to_numpy() == 1, res.threshold))
        if holdout2 is not None:
            union = pd.concat([f for f in (pairs, holdout, holdout2) if f is not None], ignore_index=True)
            us = similarity.score_pairs(union["text_a"].tolist(), union["text_b"].tolist(), method=name)
            res = replace(res, union_cv=cv_f1(us, union["label"].to_numpy() == 1))
        results.append(res)
    for name, path in (extra or {}).items():
        res = evaluate(name, np.loadtxt(path), truth, float("nan"))
        if holdout is not None and extra_holdout and name in extra_holdout:
            hs = np.loadtxt(extra_holdout[name])
            res = replace(res, holdout=evaluate_at(hs, holdout["label"].to_numpy() == 1, res.threshold))
        results.append(res)
    return results


def format_table(results: list[Result], default: str) -> str:
    head = ("| method | threshold | precision | recall | F1 | F1 (5-fold CV threshold) | "
            "holdout P / R / F1 | holdout2 P / R / F1 | holdout3 P / R / F1 | holdout4 P / R / F1 | holdout5 P / R / F1 | union F1 (5-fold CV threshold) | time (s) |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        mark = " (default)" if r.method == default else ""
        secs = "n/a" if np.isnan(r.seconds) else f"{r.seconds:.3f}"
        hold = "n/a" if r.holdout is None else " / ".join(f"{v:.3f}" for v in r.holdout)
        hold2 = "n/a" if r.holdout2 is None else " / ".join(f"{v:.3f}" for v in r.holdout2)
        hold3 = "n/a" if r.holdout3 is None else " / ".join(f"{v:.3f}" for v in r.holdout3)
        hold4 = "n/a" if r.holdout4 is None else " / ".join(f"{v:.3f}" for v in r.holdout4)
        hold5 = "n/a" if r.holdout5 is None else " / ".join(f"{v:.3f}" for v in r.holdout5)
        ucv = "n/a" if r.union_cv is None else f"{r.union_cv:.3f}"
        lines.append(f"| {r.method}{mark} | {r.threshold:.2f} | {r.precision:.3f} | {r.recall:.3f} | "
                     f"{r.f1:.3f} | {r.f1_cv:.3f} | {hold} | {hold2} | {hold3} | {hold4} | {hold5} | {ucv} | {secs} |")
    return "\n".join(lines)


def synthetic_actions(n_actions: int, n_children: int, seed: int = 1) -> pd.DataFrame:
    """Actions for the scale benchmark: children with 2-4 plans, wording drawn from the labelled texts with a
    random suffix so most texts are distinct (the worst case for vectorising: no copy-paste to exploit)."""
    rng = np.random.default_rng(seed)
    base = np.asarray(similarity.background_texts(), dtype=object)
    plans_per_child = rng.integers(2, 5, n_children)
    plan_child = np.repeat(np.arange(n_children), plans_per_child)
    plan_no = np.concatenate([np.arange(k) for k in plans_per_child])
    first_start = np.datetime64("2014-01-01") + rng.integers(0, 3000, n_children).astype("timedelta64[D]")
    plan_start = first_start[plan_child] + (plan_no * 400).astype("timedelta64[D]")
    act_plan = np.sort(rng.integers(0, len(plan_child), n_actions))
    suffix = rng.integers(0, 2000, n_actions).astype(str)
    text = base[rng.integers(0, len(base), n_actions)] + " ref " + suffix
    return pd.DataFrame({
        "action_id": np.char.add("a", np.arange(n_actions).astype(str)).astype(object),
        "plan_id": np.char.add("p", act_plan.astype(str)).astype(object),
        "child_id": np.char.add("c", plan_child[act_plan].astype(str)).astype(object),
        "plan_start": plan_start[act_plan],
        "action_text": text,
    })


def bench(n_actions: int, n_children: int) -> None:
    from paqa_dash.text.duplicates import match_actions

    actions = synthetic_actions(n_actions, n_children)
    similarity.normalise.cache_clear()
    start = time.perf_counter()
    out = match_actions(actions)
    secs = time.perf_counter() - start
    print(f"match_actions: {n_actions:,} actions, {n_children:,} children, "
          f"{actions['action_text'].nunique():,} distinct texts -> {len(out):,} matched rows, "
          f"{int((out['score'] >= similarity.DEFAULT_THRESHOLD).sum()):,} flagged, {secs:.1f} s ({similarity.METHOD})")


def bench_methods(n_pairs: int, n_texts: int = 100_000,
                  methods: tuple[str, ...] = ("tfidf_char+terms", "tfidf_char+terms+swap", "fuzzy_token_set+terms",
                                              "combined_lr", "meaning_lr+terms+swap")) -> None:
    """Per method: seconds to fit on n_texts distinct wordings, and to score n_pairs random pairs of them."""
    actions = synthetic_actions(n_texts, max(1, n_texts // 3))
    texts = list(pd.unique(actions["action_text"]))
    rng = np.random.default_rng(3)
    ia, ib = rng.integers(0, len(texts), n_pairs), rng.integers(0, len(texts), n_pairs)
    for name in methods:
        start = time.perf_counter()
        scorer = similarity.PairScorer(name, texts)
        fitted = time.perf_counter()
        scorer.score(ia, ib)
        done = time.perf_counter()
        print(f"{name}: fit {len(texts):,} wordings {fitted - start:.1f} s, score {n_pairs:,} pairs "
              f"{done - fitted:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=similarity.PAIRS_CSV)
    ap.add_argument("--holdout", type=Path, default=HOLDOUT_CSV)
    ap.add_argument("--holdout2", type=Path, default=HOLDOUT2_CSV)
    ap.add_argument("--holdout3", type=Path, default=HOLDOUT3_CSV)
    ap.add_argument("--holdout4", type=Path, default=HOLDOUT4_CSV)
    ap.add_argument("--holdout5", type=Path, default=HOLDOUT5_CSV)
    ap.add_argument("--methods", nargs="*", default=list(similarity.METHODS))
    ap.add_argument("--extra-scores", nargs="*", default=[], metavar="NAME=FILE")
    ap.add_argument("--extra-holdout-scores", nargs="*", default=[], metavar="NAME=FILE")
    ap.add_argument("--errors", action="store_true", help="list the default method's misclassified pairs")
    ap.add_argument("--bench", nargs=2, type=int, metavar=("ACTIONS", "CHILDREN"),
                    help="time match_actions on synthetic actions instead (e.g. 1000000 300000)")
    ap.add_argument("--bench-methods", type=int, metavar="PAIRS",
                    help="time fitting and scoring PAIRS random pairs per method (e.g. 1000000)")
    args = ap.parse_args(argv)
    if args.bench_methods:
        bench_methods(args.bench_methods)
        return 0
    if args.bench:
        bench(*args.bench)
        return 0
    pairs = load_pairs(args.csv)
    extra = dict((kv.split("=", 1)[0], Path(kv.split("=", 1)[1])) for kv in args.extra_scores)
    extra_h = dict((kv.split("=", 1)[0], Path(kv.split("=", 1)[1])) for kv in args.extra_holdout_scores)
    holdout = load_pairs(args.holdout) if args.holdout and args.holdout.exists() else None
    holdout2 = load_pairs(args.holdout2) if args.holdout2 and args.holdout2.exists() else None
    holdout3 = load_pairs(args.holdout3) if args.holdout3 and args.holdout3.exists() else None
    holdout4 = load_pairs(args.holdout4) if args.holdout4 and args.holdout4.exists() else None
    holdout5 = load_pairs(args.holdout5) if args.holdout5 and args.holdout5.exists() else None
    results = run(pairs, extra, holdout, extra_h, holdout2, holdout3, holdout4, holdout5,
                  tuple(args.methods))
    held = (("holdout", holdout), ("holdout2", holdout2), ("holdout3", holdout3), ("holdout4", holdout4),
            ("holdout5", holdout5))
    for label, frame in (("development", pairs), *held):
        if frame is not None:
            n_pos = int((frame["label"] == 1).sum())
            print(f"{label}: {len(frame)} labelled pairs ({n_pos} duplicates, {len(frame) - n_pos} not)")
    print(format_table(results, similarity.METHOD))
    scores = similarity.score_pairs(pairs["text_a"].tolist(), pairs["text_b"].tolist())
    p, r, f = evaluate_at(scores, pairs["label"].to_numpy() == 1, similarity.DEFAULT_THRESHOLD)
    print(f"\ndefault {similarity.METHOD} at DEFAULT_THRESHOLD={similarity.DEFAULT_THRESHOLD}: "
          f"precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    for label, frame in held:
        if frame is not None:
            hs = similarity.score_pairs(frame["text_a"].tolist(), frame["text_b"].tolist())
            p, r, f = evaluate_at(hs, frame["label"].to_numpy() == 1, similarity.DEFAULT_THRESHOLD)
            print(f"{label} at DEFAULT_THRESHOLD: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    if args.errors:
        for frame in (pairs, holdout, holdout2, holdout3, holdout4, holdout5):
            if frame is None:
                continue
            sc = similarity.score_pairs(frame["text_a"].tolist(), frame["text_b"].tolist())
            wrong = (sc >= similarity.DEFAULT_THRESHOLD) != (frame["label"].to_numpy() == 1)
            for row, s_ in zip(frame[wrong].itertuples(), sc[wrong]):
                print(f"  label={row.label} score={s_:.3f}  {row.text_a!r} ~ {row.text_b!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
