"""The demo's restorative and adult-facing work (synth/works.py): events that fit their plans, drawn from their own
random stream, and more common on endings that held (the association the What works page shows)."""
from __future__ import annotations

import numpy as np
import pytest

from paqa_dash.synth import generate, works


@pytest.fixture(scope="module")
def extract():
    return generate.generate(children=1500, seed=7)


def test_extra_events_fit_their_plans(extract):
    events, plans = extract.tables["events"], extract.tables["plans"]
    extra = events[events["event_id"].astype(str).str.match(r"EW\d")].astype(object)
    assert len(extra) > 50
    assert events["event_id"].is_unique and events["_row"].tolist() == list(range(1, len(events) + 1))
    span = plans.astype(object).set_index("plan_id")[["child_id", "start_date", "end_date"]]
    joined = extra.merge(span.add_suffix("_plan"), left_on="plan_id", right_index=True, how="left")
    assert (joined["child_id"] == joined["child_id_plan"]).all()
    assert ((joined["event_date"] >= joined["start_date_plan"]) & (joined["event_date"] <= joined["end_date_plan"])).all()
    assert set(extra["event_type"]) == {"OTHER", "INTERVENTION_START"}


def test_more_common_on_endings_that_held(extract):
    plans, events = extract.tables["plans"], extract.tables["events"]
    rows, _, _, held = works._held(plans)
    extra = events[events["event_id"].astype(str).str.match(r"EW\d")]
    with_work = np.isin(plans["plan_id"].astype(object).to_numpy()[rows], extra["plan_id"].astype(object).to_numpy())
    assert with_work[held].mean() > 2 * with_work[~held].mean()


def test_own_stream_leaves_the_rest_of_the_demo_as_it_was(extract, monkeypatch):
    monkeypatch.setattr(works, "with_work_events", lambda events, plans, columns, seed: events)
    without = generate.generate(children=1500, seed=7)
    for name, table in without.tables.items():
        got = extract.tables[name].astype(object).iloc[: len(table)].reset_index(drop=True)
        assert got.equals(table.astype(object).reset_index(drop=True)), name
    assert len(extract.tables["events"]) > len(without.tables["events"])
