"""The demo's challenge notes and written agreements: enough for each section to show something."""
from __future__ import annotations

import pandas as pd

from paqa_dash.synth import challenge
from paqa_dash.synth.generate import generate
from paqa_dash.text import event_detail


def test_demo_carries_topics_resolutions_and_step_down_agreements():
    extract = generate(children=400, seed=3)
    ev, plans = extract.tables["events"], extract.tables["plans"]
    notes = ev.loc[ev["event_type"] == "CHALLENGE", "detail"].astype(str)
    topics = {event_detail.topic(n) for n in notes}
    resolutions = {event_detail.resolution(n) for n in notes}
    assert {"STEP_DOWN", "ENDING", "PLAN_CONTENT", "CATEGORY"} <= topics
    assert {"CHANGED", "UPHELD", "EARLY_REVIEW", "PLAN_AMENDED", "NOT_RECORDED"} <= resolutions
    agreements = ev[ev["event_type"] == "WRITTEN_AGREEMENT"]
    assert agreements["event_id"].is_unique and ev["event_id"].is_unique
    assert (ev["_row"].to_numpy() == range(1, len(ev) + 1)).all()
    step_down_ends = plans.loc[plans["end_reason"].astype(str).str.startswith("STEP_DOWN"), ["child_id", "end_date"]]
    after = agreements.merge(step_down_ends, on="child_id")
    gap = pd.to_datetime(after["event_date"].astype(str)) - pd.to_datetime(after["end_date"].astype(str))
    assert ((gap >= pd.Timedelta(days=1)) & (gap <= pd.Timedelta(days=28))).sum() >= 10


def test_the_step_leaves_every_other_table_and_event_as_drawn(monkeypatch):
    """Its own random stream: without the step, everything but challenge notes and the added agreements is
    the same, so the demo's other figures do not move."""
    from paqa_dash.synth import works

    monkeypatch.setattr(works, "with_work_events", lambda events, *_args: events)   # a later step, left out of both
    with_step = generate(children=150, seed=5)
    monkeypatch.setattr(challenge, "enrich", lambda seed, events, plans, end_date: events)
    without = generate(children=150, seed=5)
    for table in ("plans", "actions", "needs", "attendance", "family_changes"):
        pd.testing.assert_frame_equal(with_step.tables[table], without.tables[table])
    ev, base = with_step.tables["events"], without.tables["events"]
    kept = ev.iloc[:len(base)]
    assert (kept["event_id"].to_numpy() == base["event_id"].to_numpy()).all()
    same = (kept["event_type"] != "CHALLENGE").to_numpy()
    def notes(frame: pd.DataFrame) -> list:
        return [None if pd.isna(v) else str(v) for v in frame["detail"].to_numpy()[same]]

    assert notes(kept) == notes(base)
    assert set(ev.iloc[len(base):]["event_type"].astype(str)) == {"WRITTEN_AGREEMENT"}
