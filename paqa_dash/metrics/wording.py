"""Strengths-based and trauma-informed wording beside deficit wording, per team (the audit's question 9 and
the findings on plans written with the family in mind).

Why a measure of its own: the plan quality page counted only deficit phrases, so a team whose plans avoid
every flagged phrase but never say what the family does well looked as good as one that does. Per team: how
many plan actions use deficit wording, and how many use strengths-based wording (what the family does well),
describe the child's behaviour as communication of need, or are trauma-informed (data/lexicons/strengths.csv,
language.csv). An action can count on both sides.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..filters import Filters
from ..settings import DEFAULTS, Thresholds
from ..text import language
from .sqlrun import run

COUNT_COLUMNS = ("actions", "with_deficit", "with_strength", "with_need", "with_trauma_informed", "with_positive")
SHARES = {"deficit_share": "with_deficit", "positive_share": "with_positive", "strength_share": "with_strength",
          "need_share": "with_need", "trauma_informed_share": "with_trauma_informed"}
COLUMNS = ["team", *COUNT_COLUMNS, *SHARES]


def by_team(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
            thresholds: Thresholds = DEFAULTS) -> pd.DataFrame:
    """Per team (COLUMNS): plan actions of plans started in the filter, those using each kind of wording
    (`with_positive`: any of strengths-based, need as communication, trauma-informed) and their shares of the
    team's actions. Empty when the plans hold no action text."""
    texts = run(con, "wording_texts", filters, thresholds)
    return weigh(texts)


def weigh(texts: pd.DataFrame, by: str = "team") -> pd.DataFrame:
    """COLUMNS (with `by` for team) from (`by`, action_text, actions): each distinct wording weighed once,
    groups in the order they first appear (the audit pack weighs one child's actions by plan)."""
    columns = [by, *COLUMNS[1:]]
    if texts.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if c == by else "int64") for c in columns})
    kinds = texts["action_text"].map(language.wording_kinds)
    n = texts["actions"].astype("int64")
    frame = pd.DataFrame({by: texts[by].astype(str), "actions": n})
    for column, kind in (("with_deficit", "deficit"), ("with_strength", "strength"), ("with_need", "need"),
                         ("with_trauma_informed", "trauma_informed")):
        frame[column] = n.where(kinds.map(lambda ks, k=kind: k in ks), 0)
    frame["with_positive"] = n.where(kinds.map(lambda ks: bool(ks - {"deficit"})), 0)
    out = frame.groupby(by, sort=False)[list(COUNT_COLUMNS)].sum().reset_index()
    for share, count in SHARES.items():
        out[share] = out[count] / out["actions"]
    return out[columns]


def as_json(frame: pd.DataFrame) -> dict:
    """The `metrics --json` value: totals over the teams and each team's counts (shares in 0..1; None
    when there are no actions to weigh)."""
    totals = {c: int(frame[c].sum()) for c in COUNT_COLUMNS}
    n = totals["actions"]
    shares = {share: (round(totals[count] / n, 4) if n else None) for share, count in SHARES.items()}
    teams = {str(r["team"]): {c: int(r[c]) for c in COUNT_COLUMNS} for r in frame.to_dict("records")}
    return {**totals, **shares, "by_team": teams}
