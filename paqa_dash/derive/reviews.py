"""Plan-quality reviews of actions, computed once at import and stored: one entry of the derive registry.

The SMART review (`text.smart`), the language review (`text.language`) and the action theme
(`text.themes`) depend only on an action's text (SMART also on whether it has an owner and a due
date), never on the user's filters or thresholds.  They cost milliseconds per distinct text, which
is minutes for an authority's ~15,000 distinct texts, so -- like duplicated actions in
`action_matches` -- they are computed at import for the actions the import wrote, and the plan
quality page, the audit sample and the audit pack read the tables `action_reviews`,
`language_findings` and `plan_reviews`.

The stored rows are the exact output of the `text` functions: `compute` is the one place that calls
them.  Readers fall back to `compute` for actions with no stored review, and for every action when
the reviews' record (paqa_dash/derive/currency.py) names another definition than the running code's
`version()` (a hash of the lexicons, the labelled theme set and the review code version) -- so a store
from before this table existed, a store built by hand in a test, or an edited lexicon all give current
answers (slowly) until the next import or `python -m paqa_dash reviews` brings the store up to date.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd

from .. import sql
from ..settings import DEFAULTS
from ..text import language, lexicons, smart, themes
from . import currency

# Bump when review code (not data) changes what a review says: every stored review is redone.
REVIEW_CODE_VERSION = "1"
ACTION_COLUMNS = ["action_id", "plan_id", *smart.CRITERIA, "smart", "failed", "reasons", "theme",
                  "theme_confidence", "theme_evidence", "deficit_phrases", "jargon_terms"]
THEME_COLUMNS = ["action_id", "theme", "confidence", "evidence"]
PLAN_COLUMNS = ["plan_id", "reading_ease", "deficit_phrases", "jargon_terms"]


@lru_cache(maxsize=1)
def version() -> str:
    """What the reviews were computed with: every lexicon file, the labelled themes, the theme
    method, whether reading ease uses cmudict, and REVIEW_CODE_VERSION."""
    h = hashlib.sha256(f"{REVIEW_CODE_VERSION}|{themes.DEFAULT_METHOD}|{language.has_cmudict()}".encode())
    for path in [*sorted(lexicons.LEXICON_DIR.glob("*")), lexicons.LABELLED_THEMES]:
        if path.is_file():
            h.update(path.name.encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection, snap: currency.Snapshot | None = None) -> bool:
    """True when the stored reviews were written by this code and these lexicons (their record's
    definition is `version()`); `snap`: a snapshot already read for the same question."""
    return currency.is_current(ENTRY, snap or currency.snapshot(con), currency.FAR_FUTURE, DEFAULTS)


# ---------------------------------------------------------------- computing (pure)

def text_reviews(actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(SMART review per action in `smart.REVIEW_COLUMNS`, language findings per action in
    `language.FINDING_COLUMNS` with id = action_id).  Input: action_id, action_text, owner_agency,
    due_date.  Each distinct (text, owner given?, due date given?) is reviewed once: plans repeat
    the same wording a lot, and SMART only asks whether an owner / due date is present."""
    if actions.empty:
        return (pd.DataFrame(columns=smart.REVIEW_COLUMNS), pd.DataFrame(columns=language.FINDING_COLUMNS))
    frame = actions[["action_id", "action_text"]].astype(object).copy()
    frame["has_owner"] = actions["owner_agency"].notna().to_numpy()
    frame["has_due"] = actions["due_date"].notna().to_numpy()
    frame["key"] = frame.groupby(["action_text", "has_owner", "has_due"], dropna=False, sort=False).ngroup()
    unique = frame.drop_duplicates("key")
    reviewed = smart.review_actions(pd.DataFrame({
        "action_id": unique["key"].to_numpy(), "action_text": unique["action_text"].to_numpy(),
        "owner_agency": ["x" if o else None for o in unique["has_owner"]],
        "due_date": ["x" if d else None for d in unique["has_due"]]}))
    reviewed = frame[["action_id", "key"]].merge(reviewed.rename(columns={"action_id": "key"}), on="key")
    reviewed = reviewed.drop(columns="key")[smart.REVIEW_COLUMNS]
    texts = frame.drop_duplicates("action_text")
    found = language.review_texts(pd.DataFrame({"id": texts["action_text"].to_numpy(),
                                                "text": texts["action_text"].to_numpy()}))
    findings = (frame[["action_id", "action_text"]]
                .merge(found.rename(columns={"id": "action_text"}), on="action_text")
                .drop(columns="action_text").rename(columns={"action_id": "id"}))
    return reviewed, findings[language.FINDING_COLUMNS]


def text_themes(actions: pd.DataFrame) -> pd.DataFrame:
    """Theme, confidence and evidence per action (THEME_COLUMNS), classifying each distinct text once."""
    if actions.empty:
        return pd.DataFrame(columns=THEME_COLUMNS)
    texts = actions["action_text"].astype(object)
    unique = texts.drop_duplicates()
    classified = themes.classify(list(unique))
    classified.index = unique.to_numpy()
    out = classified.reindex(texts.to_numpy()).reset_index(drop=True)
    out.insert(0, "action_id", actions["action_id"].astype(object).to_numpy())
    return out[THEME_COLUMNS]


def compute(actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows of `action_reviews` in ACTION_COLUMNS, findings in `language.FINDING_COLUMNS`) for
    actions with action_id, plan_id, action_text, owner_agency, due_date."""
    reviewed, findings = text_reviews(actions[["action_id", "action_text", "owner_agency", "due_date"]])
    theme = text_themes(actions).rename(columns={"confidence": "theme_confidence", "evidence": "theme_evidence"})
    out = actions[["action_id", "plan_id"]].astype(object).reset_index(drop=True)
    out = out.merge(reviewed, on="action_id", how="left").merge(theme, on="action_id", how="left")
    counts = findings.groupby(["id", "kind"]).size().unstack(fill_value=0) if len(findings) else pd.DataFrame()
    for col, kind in (("deficit_phrases", "deficit"), ("jargon_terms", "jargon")):
        per = counts[kind] if kind in counts else pd.Series(dtype="int64")
        out[col] = out["action_id"].map(per).fillna(0).astype("int64")
    return out[ACTION_COLUMNS], findings


def plan_language(actions: pd.DataFrame) -> pd.DataFrame:
    """PLAN_COLUMNS per plan, from all of each plan's actions (plan_id, action_text)."""
    if actions.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    return language.plan_language(actions[["plan_id", "action_text"]])[PLAN_COLUMNS]


# ---------------------------------------------------------------- writing (at import)

def write_reviews(con: duckdb.DuckDBPyConnection, run_id: int | None = None) -> int:
    """Review and store the actions import run `run_id` inserted or changed (None: every action),
    replacing their old rows, and the language of their plans.  Runs inside the caller's
    transaction.  When the stored reviews were made by other lexicons or code, every action is
    redone.  Returns the number of actions reviewed.  The registry records what they were made by."""
    if run_id is not None and not is_current(con):
        run_id = None
    actions = sql.query(con, "reviews_actions_of_run", run_id=run_id)
    plan_ids = sorted(set(sql.query(con, "reviews_plans_of_run", run_id=run_id)["plan_id"].dropna()))
    sql.execute(con, "reviews_delete_run_reviews", run_id=run_id)
    sql.execute(con, "reviews_delete_run_findings", run_id=run_id)
    sql.execute(con, "reviews_delete_plans", plan_ids=plan_ids)
    if len(actions):
        rows, findings = compute(actions)
        _insert(con, "new_reviews", rows, "reviews_insert_actions")
        _insert(con, "new_findings", findings, "reviews_insert_findings")
    if plan_ids:
        plans = plan_language(sql.query(con, "reviews_actions_of_plans", plan_ids=plan_ids))
        _insert(con, "new_plan_reviews", plans, "reviews_insert_plans")
    return len(actions)


def _write(con: duckdb.DuckDBPyConnection, change: Any) -> int:
    """The registry's writer: the actions of the change's run, or every action (`change.reviews`)."""
    return write_reviews(con, change.run_id if change.reviews == "run" else None)


ENTRY = currency.Entry(name=currency.REVIEWS, write=_write, version=lambda: version(), sources=(), as_of="any",
                       wanted=lambda change: change.reviews != "keep", progress=(0.9, "Reviewing plan actions"))


def _insert(con: duckdb.DuckDBPyConnection, view: str, frame: pd.DataFrame, query: str) -> None:
    if frame.empty:
        return
    con.register(view, frame)
    try:
        sql.execute(con, query)
    finally:
        con.unregister(view)


# ---------------------------------------------------------------- reading (pages, audit, pack)

def _ids(values: pd.Series) -> list[str]:
    return sorted(set(values.dropna().astype(str)))


def reviews_of(con: duckdb.DuckDBPyConnection, actions: pd.DataFrame,
               state: currency.ReviewState) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(SMART review in `smart.REVIEW_COLUMNS`, findings in `language.FINDING_COLUMNS` (id =
    action_id), themes in THEME_COLUMNS) for `actions` (action_id, plan_id, action_text,
    owner_agency, due_date), one row per action in `actions` order; read from the store, computed
    for any action the store has no current review of.  `state`: the stored reviews' state as the
    registry's resolver gives it (`Resolution.reviews`; "stale": none is read)."""
    if actions.empty:
        return (pd.DataFrame(columns=smart.REVIEW_COLUMNS), pd.DataFrame(columns=language.FINDING_COLUMNS),
                pd.DataFrame(columns=THEME_COLUMNS))
    ids = _ids(actions["action_id"])
    if state != "stale":
        rows = sql.query(con, "reviews_of_actions", action_ids=ids)
        findings = sql.query(con, "reviews_findings_of_actions", action_ids=ids)
    else:
        rows = pd.DataFrame(columns=ACTION_COLUMNS)
        findings = pd.DataFrame(columns=language.FINDING_COLUMNS)
    stored = set(rows["action_id"].astype(str))
    missing = actions[~actions["action_id"].astype(str).isin(stored)].drop_duplicates("action_id")
    if len(missing):
        missing = missing.assign(plan_id=missing["plan_id"] if "plan_id" in missing else None)
        extra, extra_findings = compute(missing[["action_id", "plan_id", "action_text", "owner_agency", "due_date"]])
        rows, findings = _concat([rows, extra]), _concat([findings, extra_findings])
    return _in_order(actions, rows, findings)


def _as_text(values: pd.Series) -> pd.Series:
    """Ids as plain Python str in an object column (what the text reviews have always returned)."""
    return pd.Series([str(v) for v in values], dtype=object)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if len(f)]
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0] if kept else frames[0]


def _in_order(actions: pd.DataFrame, rows: pd.DataFrame, findings: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Rows per action in the callers' order, with the types `text.smart` / `text.language` give."""
    order = pd.DataFrame({"action_id": _as_text(actions["action_id"])})
    rows = rows.assign(action_id=_as_text(rows["action_id"]))
    merged = order.merge(rows.drop_duplicates("action_id"), on="action_id", how="left")
    reviewed = merged[smart.REVIEW_COLUMNS].copy()
    for c in [*smart.CRITERIA, "smart"]:
        reviewed[c] = reviewed[c].astype(bool)
    for c in ("failed", "reasons"):
        reviewed[c] = reviewed[c].astype(str)
    theme = merged[["action_id", "theme", "theme_confidence", "theme_evidence"]].rename(
        columns={"theme_confidence": "confidence", "theme_evidence": "evidence"})
    theme["confidence"] = theme["confidence"].astype(float)
    if findings.empty:
        found = pd.DataFrame(columns=language.FINDING_COLUMNS)
    else:
        findings = findings.assign(id=_as_text(findings["id"]))
        position = order.reset_index().drop_duplicates("action_id").rename(columns={"index": "_pos",
                                                                                    "action_id": "id"})
        found = (findings.merge(position, on="id").sort_values(["_pos", "start"], kind="stable")
                 .drop(columns="_pos").reset_index(drop=True))
        found = found[language.FINDING_COLUMNS]
    found[["start", "end"]] = found[["start", "end"]].astype("int64")
    return reviewed, found, theme


def plan_language_of(con: duckdb.DuckDBPyConnection, actions: pd.DataFrame,
                     state: currency.ReviewState) -> pd.DataFrame:
    """`language.plan_language` for the plans of `actions` (plan_id, action_text; every action of
    each plan), read from the store where it holds a current row (`state` as in `reviews_of`)."""
    if actions.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    plan_ids = _ids(actions["plan_id"])
    stored = sql.query(con, "reviews_of_plans", plan_ids=plan_ids) if state != "stale" else pd.DataFrame(
        columns=PLAN_COLUMNS)
    stored = stored.astype({"plan_id": object}).assign(plan_id=lambda f: f["plan_id"].astype(str))
    missing = actions[~actions["plan_id"].astype(str).isin(set(stored["plan_id"]))]
    out = _concat([stored, plan_language(missing[["plan_id", "action_text"]])])
    if out.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    out = out.astype({"plan_id": str}).sort_values("plan_id", kind="stable").reset_index(drop=True)
    out["reading_ease"] = out["reading_ease"].astype(float)
    for c in ("deficit_phrases", "jargon_terms"):
        out[c] = out[c].astype("int64")
    return out[PLAN_COLUMNS]
