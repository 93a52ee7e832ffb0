"""Match each action of a repeat plan to its best-matching action on the same child's earlier plans
(docs/definitions.md, "Duplicated actions").

Why at load time and vectorised: a national store holds ~4,000,000 actions. Scoring happens once, when data is
loaded, into the ``action_matches`` table; pages then only filter that table by score. Candidate pairs come
from a self-merge on the child (integer codes, no Python loop per child), processed in chunks of children so
memory stays bounded, and every chunk is scored with one sparse row-product pass (``TfidfScorer.row_dots``).
Every distinct wording is vectorised once, however many plans copy it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from paqa_dash.text import similarity

INPUT_COLUMNS = ["action_id", "plan_id", "child_id", "plan_start", "action_text"]
OUTPUT_COLUMNS = ["action_id", "plan_id", "matches_action_id", "matches_plan_id", "score", "method"]

# Upper bound of candidate pairs per chunk; ~40 bytes a pair in the merge plus the sparse products.
MAX_PAIRS_PER_CHUNK = 2_000_000
_SCORE_DECIMALS = 9  # scores equal to this precision count as ties (float noise must not break tie rules)


def empty_matches() -> pd.DataFrame:
    return pd.DataFrame({
        "action_id": pd.Series(dtype=object), "plan_id": pd.Series(dtype=object),
        "matches_action_id": pd.Series(dtype=object), "matches_plan_id": pd.Series(dtype=object),
        "score": pd.Series(dtype="float64"), "method": pd.Series(dtype=object),
    })


def _prepare(actions: pd.DataFrame) -> pd.DataFrame:
    """Integer codes for child and text, plan start as int days; sorted by child so chunks are slices."""
    missing = [c for c in INPUT_COLUMNS if c not in actions.columns]
    if missing:
        raise ValueError(f"match_actions: missing columns {missing}")
    df = actions[INPUT_COLUMNS].copy()
    df["start"] = pd.to_datetime(df["plan_start"], errors="coerce")
    df = df[df["start"].notna() & df["child_id"].notna() & df["action_text"].notna()]
    df["start"] = df["start"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    df["child"] = pd.factorize(df["child_id"])[0]
    df["text"] = pd.factorize(df["action_text"].astype(str))[0]
    df = df.sort_values(["child", "start"], kind="stable").reset_index(drop=True)
    return df


def _chunks(child: np.ndarray, max_pairs: int) -> list[tuple[int, int]]:
    """Row slices of whole children, each with at most ~max_pairs self-merge rows (a child above it alone)."""
    _, first, counts = np.unique(child, return_index=True, return_counts=True)
    cost = np.cumsum(counts.astype(np.int64) ** 2)
    bounds: list[tuple[int, int]] = []
    start_child, base = 0, 0
    while start_child < len(first):
        end_child = int(np.searchsorted(cost, base + max_pairs, side="right"))
        end_child = max(end_child, start_child + 1)
        lo = int(first[start_child])
        hi = int(first[end_child]) if end_child < len(first) else len(child)
        bounds.append((lo, hi))
        base = int(cost[end_child - 1])
        start_child = end_child
    return bounds


def _candidate_pairs(part: pd.DataFrame, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (later, earlier) of every action pair of one child with the earlier plan strictly first."""
    left = pd.DataFrame({"child": part["child"].to_numpy(), "start": part["start"].to_numpy(),
                         "row": np.arange(offset, offset + len(part))})
    m = left.merge(left, on="child", suffixes=("_a", "_b"))
    m = m[m["start_a"] > m["start_b"]]
    return m["row_a"].to_numpy(), m["row_b"].to_numpy()


def _best(ra: np.ndarray, rb: np.ndarray, score: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Index into the pairs of each later action's best match: highest score, ties -> most recent earlier plan
    (then the lowest row, so the result is deterministic)."""
    rounded = np.round(score, _SCORE_DECIMALS)
    order = np.lexsort((rb, -start[rb], -rounded, ra))
    first = np.ones(len(order), dtype=bool)
    first[1:] = ra[order][1:] != ra[order][:-1]
    return order[first]


def match_actions(actions: pd.DataFrame, method: str | None = None,
                  max_pairs_per_chunk: int = MAX_PAIRS_PER_CHUNK) -> pd.DataFrame:
    """One row per action that has any action on an earlier plan of the same child, with its best match.

    Input columns: action_id, plan_id, child_id, plan_start (date), action_text.
    Output columns: action_id, plan_id, matches_action_id, matches_plan_id, score (0..1), method.
    All scores are returned (not only duplicates) so the threshold stays a setting applied at query time.
    """
    method = method or similarity.METHOD
    if actions is None or len(actions) == 0:
        return empty_matches()
    df = _prepare(actions)
    if df.empty:
        return empty_matches()
    texts = pd.unique(df["action_text"].astype(str))  # same order as the factorize codes
    scorer = _pair_scorer(method, list(texts))
    text = df["text"].to_numpy()
    start = df["start"].to_numpy()
    picked_a, picked_b, picked_s = [], [], []
    for lo, hi in _chunks(df["child"].to_numpy(), max_pairs_per_chunk):
        ra, rb = _candidate_pairs(df.iloc[lo:hi], lo)
        if len(ra) == 0:
            continue
        s = scorer(text[ra], text[rb])
        keep = _best(ra, rb, s, start)
        picked_a.append(ra[keep])
        picked_b.append(rb[keep])
        picked_s.append(s[keep])
    if not picked_a:
        return empty_matches()
    ra, rb, s = np.concatenate(picked_a), np.concatenate(picked_b), np.concatenate(picked_s)
    out = pd.DataFrame({
        "action_id": df["action_id"].to_numpy()[ra],
        "plan_id": df["plan_id"].to_numpy()[ra],
        "matches_action_id": df["action_id"].to_numpy()[rb],
        "matches_plan_id": df["plan_id"].to_numpy()[rb],
        "score": np.round(s, 4).astype("float64"),
        "method": method,
    })
    return out.astype({c: object for c in OUTPUT_COLUMNS if c != "score"}).reset_index(drop=True)


def _pair_scorer(method: str, texts: list[str]):
    """A function (text codes a, text codes b) -> scores, fitted once on the store's distinct wordings."""
    return similarity.PairScorer(method, texts).score
