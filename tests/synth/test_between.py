"""The demo's concerns between plans and plan updates (synth/between.py)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.synth.generate import generate


def test_gap_concerns_fall_between_plans_and_updates_within_them():
    extract = generate(children=300, seed=5)
    events, plans = extract.tables["events"].astype(object), extract.tables["plans"].astype(object)
    plans = plans.assign(start=pd.to_datetime(plans["start_date"]), end=pd.to_datetime(plans["end_date"]))
    added = events[events["event_id"].str.startswith("G")].assign(day=lambda e: pd.to_datetime(e["event_date"]))
    gap, updates = added[added["plan_id"].isna()], added[added["event_type"] == "PLAN_UPDATE"]
    assert len(gap) > 50 and len(updates) > 200 and len(gap) + len(updates) == len(added)
    assert set(gap["event_type"]) <= {"MISSED_APPOINTMENT", "INCIDENT", "REFERRAL"}
    by_child = {c: g.sort_values("start") for c, g in plans.groupby("child_id")}
    for row in gap.itertuples(index=False):
        mine = by_child[row.child_id]
        before, after = mine[mine["end"] < row.day], mine[mine["start"] > row.day]
        assert len(before) and len(after), row            # after an ended plan, before a later one
    joined = updates.merge(plans[["plan_id", "start", "end"]], on="plan_id")
    assert (joined["day"] >= joined["start"]).all() and (joined["end"].isna() | (joined["day"] <= joined["end"])).all()


def test_the_events_generated_before_are_unchanged(monkeypatch):
    """Appending draws its own random stream: the other events (ids E...) are exactly as without it (the later
    steps that rewrite challenge notes and add work events are left out of both runs: they read or number after
    the events this step adds)."""
    from paqa_dash.synth import between, challenge, works

    monkeypatch.setattr(challenge, "enrich", lambda seed, events, plans, end_date: events)
    monkeypatch.setattr(works, "with_work_events", lambda events, *_args: events)
    a = generate(children=120, seed=9).tables["events"]
    original = between.add_events
    try:
        between.add_events = lambda events, *_args, **_kw: events
        b = generate(children=120, seed=9).tables["events"]
    finally:
        between.add_events = original
    kept = a[a["event_id"].astype(str).str.startswith("E")].astype(object).reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, b.astype(object).reset_index(drop=True))
