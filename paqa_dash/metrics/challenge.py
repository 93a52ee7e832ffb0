"""Challenge and escalation (Q3, "did the network challenge, and with what impact"): what each challenge was
about, how it was resolved where the note says, what the plan did afterwards, and whether endings that drew a
challenge were re-planned more often than endings that drew none.

Why topics and resolutions are read in Python: they come from free-text notes through one rule set
(text/event_detail.py); the SQL gives each event with its plan's dates, and the rules label it here.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..filters import Filters
from ..reference.codes import CHALLENGE_FOLLOWS, CHALLENGE_RESOLUTIONS, CHALLENGE_TOPICS
from ..settings import FOLLOW_UP, Thresholds
from ..text import event_detail
from ..reference.words import text_column
from .sqlrun import run

ENDING_TOPICS = ("STEP_DOWN", "ENDING")
GROUP = ["agency", "event_type", "topic", "resolution", "followed"]


def followed(topic: str, ended_soon: bool, ran_on_known: bool, replanned: bool, window_passed: bool) -> str:
    """What followed a challenge (reference.codes.CHALLENGE_FOLLOWS), from its plan: it ran on past the
    follow-up span (an ending or step-down challenged: the ending was reversed; else the plan was kept), or it
    ended within it and was, or was not, re-planned within the window, or its window is still running (it ended,
    so the ending was not reversed); else (the span not over) too soon to tell."""
    if not ended_soon:
        if not ran_on_known:
            return "TOO_SOON"
        return "ENDING_REVERSED" if topic in ENDING_TOPICS else "PLAN_KEPT"
    if replanned:
        return "REPLANNED"
    return "NO_REPLAN" if window_passed else "ENDED_WAITING"   # ended, so not reversed: known for that much


def classify(events: pd.DataFrame) -> pd.DataFrame:
    """`events` (challenge_events rows, or a chronology's CHALLENGE/ESCALATION events with their outcome
    columns) with topic, resolution and followed added."""
    out = events.copy()
    # the rules read each distinct note once: many events share a note, and the rules are the costly part
    notes = {d: (event_detail.topic(d), event_detail.resolution(d)) for d in out["detail"].drop_duplicates()}
    read = [notes[d] if d in notes else (event_detail.topic(d), event_detail.resolution(d)) for d in out["detail"]]
    out["topic"] = text_column((t for t, _ in read), out.index)
    out["resolution"] = text_column((r for _, r in read), out.index)
    if {"ended_soon", "ran_on_known", "replanned", "window_passed"} <= set(out.columns):
        out["followed"] = text_column((followed(t, bool(e), bool(k), bool(r), bool(w)) for t, e, k, r, w in
                                       zip(out["topic"], out["ended_soon"], out["ran_on_known"], out["replanned"],
                                           out["window_passed"])), out.index)
    return out


def events(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
           thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per challenge or escalation of plans started in the filter, classified (`classify`); names
    children: for the audit pack and the JSON, which count it (pages read `summary`)."""
    frame = run(con, "challenge_events", filters, thresholds, shared=FOLLOW_UP.params())
    return classify(frame)


def summary(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
            thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """agency, event_type, topic, resolution, followed, events: counts of `events` (no child named).

    Why not `counts(events(...))`: that fetched and classified every event; the SQL counts the events by what
    their classification reads (challenge_event_groups), so one row per group is classified and summed."""
    return counts(classify(run(con, "challenge_event_groups", filters, thresholds, shared=FOLLOW_UP.params())))


def counts(classified: pd.DataFrame) -> pd.DataFrame:
    """The classified events counted by agency, kind, topic, resolution and what followed: one row per event, or
    per group of events with their number in `events`."""
    if classified.empty:
        return pd.DataFrame({**{c: pd.Series(dtype=object) for c in GROUP}, "events": pd.Series(dtype="int64")})
    grouped = classified.groupby(GROUP, sort=False)
    sizes = grouped["events"].sum() if "events" in classified.columns else grouped.size()
    frame = sizes.astype("int64").rename("events").reset_index()
    order = {c: {v: i for i, v in enumerate(vals)} for c, vals in
             (("topic", CHALLENGE_TOPICS), ("resolution", CHALLENGE_RESOLUTIONS), ("followed", CHALLENGE_FOLLOWS))}
    key = frame.assign(**{f"_{c}": frame[c].map(o) for c, o in order.items()})
    return (key.sort_values(["agency", "event_type", "_topic", "_resolution", "_followed"])
            .drop(columns=[f"_{c}" for c in order]).reset_index(drop=True))


def endings(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
            thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """challenged (bool), endings, followed_up, replanned, replan_rate (replanned / followed_up; None
    when none followed up): endings in the filter with and without a challenge around them."""
    frame = run(con, "challenge_endings", filters, thresholds, shared=FOLLOW_UP.params())
    both = pd.DataFrame({"challenged": [True, False]})
    frame = both.merge(frame, on="challenged", how="left").fillna({"endings": 0, "followed_up": 0, "replanned": 0})
    for col in ("endings", "followed_up", "replanned"):
        frame[col] = frame[col].astype("int64")
    frame["replan_rate"] = (frame["replanned"] / frame["followed_up"].where(frame["followed_up"] > 0)).astype("float64")
    return frame


def as_json(classified: pd.DataFrame, ends: pd.DataFrame) -> dict:
    """The `metrics --json` block: counts by kind, topic, resolution and what followed, by agency, and the
    re-plan rate after endings with and without a challenge."""
    def tally(col: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in classified[col].value_counts().sort_index().items()} if len(classified) else {}

    def side(challenged: bool) -> dict:
        row = ends[ends["challenged"] == challenged].iloc[0]
        rate = row["replan_rate"]
        return {"endings": int(row["endings"]), "followed_up": int(row["followed_up"]),
                "replanned": int(row["replanned"]), "replan_rate": None if pd.isna(rate) else float(rate)}

    return {"events": int(len(classified)), "by_kind": tally("event_type"), "by_agency": tally("agency"),
            "by_topic": tally("topic"), "by_resolution": tally("resolution"), "followed": tally("followed"),
            "endings_challenged": side(True), "endings_not_challenged": side(False)}


def child_challenges(events: pd.DataFrame) -> pd.DataFrame:
    """event_id, event_date, event_type, agency, plan_id, topic, resolution, detail: one child's challenges and escalations (its
    chronology's events), read as the Challenge page reads them; for the child timeline and the audit pack."""
    cols = ["event_id", "event_date", "event_type", "agency", "plan_id", "topic", "resolution", "detail"]
    found = events[events["event_type"].isin(["CHALLENGE", "ESCALATION"])] if len(events) else events
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return classify(found)[cols].reset_index(drop=True)


def tally(counts: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """`summary`'s counts summed over the other columns, by `by` (e.g. ("agency", "topic")): the table of one
    chart, so that small numbers are judged at the level the chart shows."""
    if counts.empty:
        return counts[[*by, "events"]]
    return counts.groupby(list(by), sort=False)["events"].sum().reset_index()
