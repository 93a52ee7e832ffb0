"""Challenge notes with their topics and resolutions, and written agreements at step-down, for the demo.

Why apart from events.py: the challenge and written-agreement measures read what a note says (what was
challenged, how it was resolved) and when an agreement was made against the plans; the generic event
generator writes short notes without outcomes and agreements only at a plan's start.  This step rewrites some
challenge notes and adds agreements after step-down endings, on its own random stream (seeded from the demo's
seed), so that every other table of the demo is drawn exactly as before.

The effect built in (plausible, not a finding): a step-down not followed by a re-plan within two years is
more likely to have had a written agreement (0.45 against 0.20).
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

# Challenges made while a plan ran on, at a review that proposed to end or step down (the plan continued).
PROPOSAL = ("Health visitor challenged the proposal to step down to child in need at the review",
            "School challenged the recommendation to end the plan at the review conference",
            "Adult mental health worker challenged the proposal to end the plan before Mum's therapy starts")
CATEGORY = ("Police challenged the category: the plan is made under neglect when domestic abuse is the main "
            "concern",)
# Resolutions, appended to a note after "; resolved: " or "; outcome: ".
KEPT = ("resolved: the chair agreed the plan should continue", "outcome: decision reversed, plan to continue")
ENDING_OUTCOMES = ("resolved: decision upheld, the plan ended", "outcome: early review held",
                   "resolved: the decision to step down was upheld")
CONTENT_OUTCOMES = ("resolved: actions added to the plan", "outcome: plan updated at the core group",
                    "resolved: no change to the plan")
AGREEMENTS = (
    "Written agreement at step-down: Mum to take the children to every health appointment",
    "Written agreement at step-down: no contact with the former partner at the family home",
    "Written agreement at step-down: school attendance to be kept above 90%",
    "Written agreement at step-down: Dad to keep attending the alcohol service",
)
AGREEMENT_AGENCIES = ("CSC", "HEALTH", "EDUCATION")
STEP_DOWNS = ("STEP_DOWN_CIN", "STEP_DOWN_EARLY_HELP")


def _set(column: pd.Series, rows: np.ndarray, values: np.ndarray) -> pd.Series:
    """`column` (categorical) with `values` at positions `rows`, adding new categories."""
    if not len(rows):
        return column
    new = [v for v in pd.unique(values) if v not in column.cat.categories]
    out = column.cat.add_categories(new) if new else column.copy()
    out.iloc[rows] = values
    return out


def enrich(seed: int, events: pd.DataFrame, plans: pd.DataFrame, end_date: date) -> pd.DataFrame:
    """`events` (the canonical events frame) with challenge notes rewritten and step-down agreements added."""
    rng = np.random.default_rng([int(seed), 14])
    plan = plans.assign(start=pd.to_datetime(plans["start_date"].astype(str)),
                        end=pd.to_datetime(plans["end_date"].astype(str), errors="coerce"))
    plan = plan.sort_values(["child_id", "start"])
    plan["next_start"] = plan.groupby("child_id", observed=True)["start"].shift(-1)
    by_id = plan.set_index(plan["plan_id"].astype(str))

    events = _challenges(rng, events, by_id)
    return _append(events, _agreements(rng, plan, end_date, len(events)))


def _append(events: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """Rows added with categorical columns kept categorical (a plain concat turns tens of millions of
    rows into Python strings).  A column the new rows do not set (a scheduled meeting's due_date) is blank."""
    more = more.reindex(columns=events.columns)
    out = {}
    for col in events.columns:
        if isinstance(events[col].dtype, pd.CategoricalDtype):
            kind = events[col].cat.categories.dtype
            added = pd.Categorical(more[col], categories=pd.Index(pd.unique(more[col].dropna()), dtype=kind))
            out[col] = pd.Series(union_categoricals([events[col].array, added], ignore_order=True))
        else:
            out[col] = pd.concat([events[col], more[col]], ignore_index=True)
    return pd.DataFrame(out)


def _challenges(rng: np.random.Generator, events: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    rows = np.flatnonzero((events["event_type"] == "CHALLENGE").to_numpy())
    if not rows.size:
        return events
    when = pd.to_datetime(events["event_date"].iloc[rows].astype(str)).to_numpy()
    pid = events["plan_id"].iloc[rows].astype(str).to_numpy()
    end = plans["end"].reindex(pid).to_numpy()
    ran_on = np.isnat(end) | (end > when + np.timedelta64(120, "D"))
    detail = events["detail"].iloc[rows].astype(str).to_numpy().astype(object)
    at_end = np.array(["challenged the decision to end" in d or "challenged the step down" in d
                       or "challenged the ending" in d for d in detail])
    u = rng.random((rows.size, 4))
    proposal = ran_on & (u[:, 0] < 0.35)
    category = ~proposal & (u[:, 0] > 0.93)
    detail[proposal] = np.asarray(PROPOSAL, object)[rng.integers(0, len(PROPOSAL), int(proposal.sum()))]
    detail[category] = CATEGORY[0]
    recorded = u[:, 1] < np.where(proposal, 0.8, 0.6)
    outcome = np.where(proposal, np.asarray(KEPT, object)[(u[:, 2] * len(KEPT)).astype(int)],
                       np.where(at_end, np.asarray(ENDING_OUTCOMES, object)[(u[:, 2] * len(ENDING_OUTCOMES)).astype(int)],
                                np.asarray(CONTENT_OUTCOMES, object)[(u[:, 3] * len(CONTENT_OUTCOMES)).astype(int)]))
    detail = np.where(recorded, detail + "; " + outcome, detail)
    changed = proposal | category | recorded
    return events.assign(detail=_set(events["detail"], rows[changed], detail[changed]))


def _agreements(rng: np.random.Generator, plans: pd.DataFrame, end_date: date, first_row: int) -> pd.DataFrame:
    last = np.datetime64(end_date, "D")
    sd = plans[plans["end_reason"].astype(str).isin(STEP_DOWNS) & plans["end"].notna()]
    end = sd["end"].to_numpy().astype("datetime64[D]")
    nxt = sd["next_start"].to_numpy().astype("datetime64[D]")
    replanned = ~np.isnat(nxt) & (nxt <= end + np.timedelta64(730, "D"))
    chosen = rng.random(len(sd)) < np.where(replanned, 0.20, 0.45)
    day = end + rng.integers(1, 29, len(sd)).astype("timedelta64[D]")
    chosen &= (day <= last) & (np.isnat(nxt) | (day < nxt))
    sd, day = sd[chosen], day[chosen]
    n = len(sd)
    agency = np.asarray(AGREEMENT_AGENCIES, object)[np.searchsorted([0.7, 0.85], rng.random(n), side="right")]
    return pd.DataFrame({
        "event_id": [f"EWA{i:07d}" for i in range(1, n + 1)],
        "child_id": sd["child_id"].astype(str).to_numpy(), "event_date": np.datetime_as_string(day, unit="D"),
        "event_type": "WRITTEN_AGREEMENT", "agency": agency, "plan_id": None,
        "detail": np.asarray(AGREEMENTS, object)[rng.integers(0, len(AGREEMENTS), n)],
        "_source": "synthetic:events", "_row": np.arange(first_row + 1, first_row + n + 1, dtype=np.int64),
    })
