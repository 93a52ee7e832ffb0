"""Relevance of plan actions to the adult needs open during the plan (an audit question).

The audit found plans ending on "first-order" change (attendance, appointments, home conditions)
while the parents' own difficulties -- domestic abuse, mental health, alcohol and drugs, learning
disability -- went unaddressed.  Per plan and adult factor this module says whether the need was
open during the plan, how many of the plan's actions address it (`addresses_factor` = the code,
e.g. 4B, or its number, 4, as in the endings definitions), and flags:

- `unaddressed`: open during the plan and no action addresses it;
- `practical_only`: open, addressed, but every addressing action is themed practical/compliance
  by the theme classifier (e.g. "Mum to attend her GP appointments" tagged 4B).

All actions of the plan count, whatever their status: this is about what the plan set out to
do; whether it was done by the end is the ending reason UNADDRESSED_ADULT_NEED.
"""
from __future__ import annotations

import re
from datetime import date

import duckdb
import pandas as pd

from .. import sql
from ..filters import Filters
from ..reference import tables as reference_tables
from ..settings import DEFAULTS
from ..text import lexicons, themes
from .sqlrun import resolution

PRACTICAL = "practical/compliance"
RELEVANCE_COLUMNS = ["plan_id", "child_id", "factor_number", "factor_label", "open_during_plan",
                     "actions_addressing", "practical_only", "unaddressed"]


def factor_number(code: str) -> str:
    """'4B' -> '4'; '10A' -> '10'."""
    m = re.match(r"\s*(\d+)", str(code))
    return m.group(1) if m else ""


def addressed_codes(value: object) -> set[str]:
    """The factor codes or numbers an action's `addresses_factor` names ('4B', '4', '3B;4B')."""
    if not isinstance(value, str):
        return set()
    return {part.upper() for part in re.split(r"[\s,;/]+", value.strip()) if part}


def addresses(value: object, factor: str) -> bool:
    """True when an action tagged `value` addresses `factor`: the same code, or its number."""
    codes = addressed_codes(value)
    return factor.upper() in codes or factor_number(factor) in codes


def relevance_frame(needs: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """The pure part: needs (plan_id, child_id, factor, open_during_plan) against actions
    (plan_id, action_id, action_text, addresses_factor, and optionally theme: else classified now)."""
    labels = lexicons.factor_labels()
    actions = actions.astype(object)
    theme_of = {}
    if "theme" in actions:  # stored at import (plan_relevance)
        theme_of = dict(zip(actions["action_id"], actions["theme"]))
    elif len(actions):
        classified = themes.classify(list(actions["action_text"]))
        theme_of = dict(zip(actions["action_id"], classified["theme"]))
    by_plan = {pid: g for pid, g in actions.groupby("plan_id", sort=False)} if len(actions) else {}
    rows = []
    for rec in needs.astype(object).to_dict("records"):
        factor = str(rec["factor"]).upper()
        plan_actions = by_plan.get(rec["plan_id"])
        hitting = [] if plan_actions is None else [
            a for a, tag in zip(plan_actions["action_id"], plan_actions["addresses_factor"]) if addresses(tag, factor)]
        is_open = bool(rec["open_during_plan"])
        n = len(hitting)
        rows.append({
            "plan_id": rec["plan_id"],
            "child_id": rec["child_id"],
            "factor": factor,
            "factor_number": factor_number(factor),
            "factor_label": labels.get(factor, factor),
            "open_during_plan": is_open,
            "actions_addressing": n,
            "practical_only": is_open and n > 0 and all(theme_of.get(a) == PRACTICAL for a in hitting),
            "unaddressed": is_open and n == 0,
        })
    out = pd.DataFrame(rows, columns=["plan_id", "child_id", "factor", *RELEVANCE_COLUMNS[2:]])
    out = out[RELEVANCE_COLUMNS + ["factor"]]
    out["actions_addressing"] = out["actions_addressing"].astype("int64")
    for c in ("open_during_plan", "practical_only", "unaddressed"):
        out[c] = out[c].astype(bool)
    return out.reset_index(drop=True)


def plan_relevance(con: duckdb.DuckDBPyConnection, plan_ids: list[str] | None = None,
                   as_of: date | None = None) -> pd.DataFrame:
    """Per plan and adult factor of its child known by the plan's end: plan_id, child_id,
    factor_number, factor_label, open_during_plan, actions_addressing, practical_only,
    unaddressed (+ factor, the full code such as '4B')."""
    params = {"plan_ids": list(plan_ids or []), "as_of": as_of or date.today()}
    reference_tables.register(con, sql.text("quality_plan_needs"), DEFAULTS)   # joins ref_adult_factors
    needs = sql.query(con, "quality_plan_needs", context=params)
    actions = sql.query(con, "quality_plan_actions", context=params)
    if len(actions):
        from ..derive.reviews import reviews_of

        state = resolution(con, Filters(as_of=as_of), DEFAULTS).reviews
        actions["theme"] = reviews_of(con, actions, state)[2]["theme"].to_numpy()
    return relevance_frame(needs, actions)


def plan_flags(relevance: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Per plan with an adult need open: adult_needs_open, unaddressed_needs, practical_only_needs,
    all_actions_practical (every action of the plan is practical/compliance, or it has none),
    and `flag`, a plain sentence for a table or the audit pack."""
    open_needs = relevance[relevance["open_during_plan"]]
    if open_needs.empty:
        return pd.DataFrame(columns=["plan_id", "adult_needs_open", "unaddressed_needs", "practical_only_needs",
                                     "all_actions_practical", "flag"])
    actions = actions.astype(object)
    theme = themes.classify(list(actions["action_text"]))["theme"] if len(actions) else pd.Series(dtype=object)
    practical_plan = (pd.Series(theme.to_numpy() == PRACTICAL, index=actions.index)
                      .groupby(actions["plan_id"]).all().to_dict()) if len(actions) else {}
    rows = []
    for plan_id, g in open_needs.groupby("plan_id", sort=True):
        unaddressed = list(g.loc[g["unaddressed"], "factor_label"])
        practical = list(g.loc[g["practical_only"], "factor_label"])
        all_practical = bool(practical_plan.get(plan_id, True))
        parts = []
        if unaddressed:
            parts.append("no action for " + ", ".join(unaddressed))
        if practical:
            parts.append("only practical/compliance actions for " + ", ".join(practical))
        if all_practical:
            parts.append("every action is practical/compliance" if plan_id in practical_plan else "no actions")
        rows.append({"plan_id": plan_id, "adult_needs_open": len(g), "unaddressed_needs": len(unaddressed),
                     "practical_only_needs": len(practical), "all_actions_practical": all_practical,
                     "flag": "; ".join(parts)})
    return pd.DataFrame(rows)
