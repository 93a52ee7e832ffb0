"""The child timeline figure and its tables, on hand-made frames (no store)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from paqa_dash.figures import timeline as tl

D = pd.Timestamp


def frames():
    plans = pd.DataFrame({
        "plan_id": ["p1", "p2"], "start_date": [D("2020-01-01"), D("2021-01-01")],
        "end_date": [D("2020-03-01"), pd.NaT], "initial_category": ["NEG", "NEG"], "team": ["North", "North"],
        "end_reason": ["NO_LONGER_AT_RISK", None], "plan_number": [1, 2]})
    events = pd.DataFrame({
        "event_id": ["e1", "e2", "e3", "e4"],
        "event_date": [D("2020-01-01"), D("2020-01-20"), D("2020-02-01"), D("2020-02-02")],
        "event_type": ["ICPC", "CORE_GROUP", "CHALLENGE", "VISIT"],
        "agency": ["CSC", "CSC", "HEALTH", "HOUSING"], "plan_id": ["p1"] * 4,
        "detail": ["icpc", None, "challenged step-down", None]})
    changes = pd.DataFrame({"change_id": ["x1"], "change_date": [D("2020-06-01")],
                            "change_type": ["ADULT_JOINED"], "detail": ["partner"]})
    needs = pd.DataFrame({"need_id": ["n1", "n2"], "plan_id": ["p1", "p1"], "factor": ["4B", "16A"],
                          "identified_date": [D("2019-12-01"), D("2020-01-01")],
                          "resolved_date": [pd.NaT, D("2020-02-01")]})
    return plans, events, changes, needs


def by_name(fig, name):
    return [t for t in fig.data if t.name == name]


def test_lanes_fixed_agencies_plus_used_ones_and_needs():
    plans, events, changes, needs = frames()
    names = tl.lanes(events, needs)
    assert names[0] == "CP plans"
    assert "Adult substance misuse" in names          # shown even when empty: absence is a finding
    assert "Other agencies" in names                  # HOUSING used
    assert names[-2:] == ["Need 4B mental health (parent/carer)", "Need 16A neglect (child)"]
    assert "Other agencies" not in tl.lanes(events[events["agency"] != "HOUSING"], needs)


def test_plans_are_bars_open_plan_runs_to_as_of():
    fig = tl.timeline_figure(*frames(), as_of=date(2021, 1, 11))
    plan = by_name(fig, "CP plan")[0]
    assert plan.orientation == "h"
    assert list(plan.x) == [60 * 86_400_000, 10 * 86_400_000]   # 60 days; open plan: 10 days to as-of
    assert list(plan.text) == ["Plan 1", "Plan 2 (open)"]
    assert list(plan.marker.pattern.shape) == ["", "/"]


def test_events_one_trace_per_kind_in_agency_lane():
    fig = tl.timeline_figure(*frames(), as_of=date(2021, 1, 11))
    lanes = tl.lanes(frames()[1], frames()[3])
    y_health = -lanes.index("Health")
    challenge = by_name(fig, "Challenge / escalation")[0]
    assert len(challenge.x) == 1
    offset = next(k[4] for k in tl.EVENT_KINDS if k[0] == "Challenge / escalation")
    assert challenge.y[0] == pytest.approx(y_health + offset)
    assert "challenged step-down" in challenge.customdata[0][2]
    core = by_name(fig, "Core group")[0]
    assert len(core.x) == 1 and core.marker.symbol != challenge.marker.symbol
    assert fig.layout.xaxis.title.text == "Date"
    assert [t.replace("<br>", " ") for t in fig.layout.yaxis.ticktext] == lanes   # long lanes break before "("


def test_needs_bars_adult_and_child_and_title_counts_open_adult_needs():
    fig = tl.timeline_figure(*frames(), as_of=date(2020, 12, 1))
    adult = by_name(fig, "Adult need")[0]
    assert list(adult.x) == [366 * 86_400_000]   # 2019-12-01 .. 2020-12-01, still open
    child = by_name(fig, "Child / other need")[0]
    assert list(child.x) == [31 * 86_400_000]
    assert fig.layout.title.text.endswith("1 adult need still open")
    assert fig.layout.title.text.replace("<br>", " ").startswith("2 CP plans, 4 events, 1 household change, 1 challenge")


def test_empty_chronology_still_draws_lanes():
    empty = [f.iloc[0:0] for f in frames()]
    fig = tl.timeline_figure(*empty, as_of=date(2021, 1, 1))
    assert len(fig.data) == 0
    assert "0 CP plans" in fig.layout.title.text
    assert tl.timeline_table(*empty).empty


def test_timeline_table_is_sorted_long_format():
    table = tl.timeline_table(*frames())
    assert list(table.columns) == ["date", "until", "lane", "what", "what_code", "detail"]
    assert table["date"].is_monotonic_increasing
    assert len(table) == 2 + 4 + 1 + 2
    assert (table["lane"] == "Other agencies").sum() == 1


def test_timeline_table_says_codes_in_words_and_keeps_them_apart():
    table = tl.timeline_table(*frames())
    said = dict(zip(table["what_code"], table["what"]))
    assert said["CORE_GROUP"] == "Core group meeting"
    assert said["ADULT_JOINED"] == "An adult joined the household"
    assert not table["what"].str.contains(r"\b[A-Z]+_[A-Z_]+\b").any()


def actions():
    return pd.DataFrame({
        "action_id": ["a1", "a2", "a3", "a4"], "plan_id": ["p1", "p1", "p2", "p2"], "plan_number": [1, 1, 2, 2],
        "action_text": ["Attend GP", "Keep home clean", "Attend all GP appointments", "See DA worker"],
        "owner_agency": ["HEALTH", "CSC", "HEALTH", "ADULT_DA"], "status": ["DONE", "DONE", "OPEN", "OPEN"],
        "matches_action_id": [None, None, "a1", "a2"], "matches_plan_number": [pd.NA, pd.NA, 1, 1],
        "score": [None, None, 0.9, 0.3], "matches_text": [None, None, "Attend GP", "Keep home clean"]})


def test_actions_side_by_side_flags_duplicates_at_threshold():
    table = tl.actions_side_by_side(actions(), threshold=0.6)
    later = table[table["action"].notna()]
    assert later["duplicate"].tolist() == [True, False]
    assert later["earlier_action"].iloc[0] == "Attend GP" and pd.isna(later["earlier_action"].iloc[1])  # weak: unpaired
    assert later["similarity"].iloc[0] == 0.9 and pd.isna(later["similarity"].iloc[1])
    # a2 was not duplicated (0.3 < 0.6), so it is listed on the earlier side on its own row.
    alone = table[table["action"].isna()]
    assert alone["earlier_action"].tolist() == ["Keep home clean"]
    # A lower threshold turns the weak match into a duplicate too.
    assert tl.actions_side_by_side(actions(), threshold=0.3)["duplicate"].sum() == 2


def test_actions_side_by_side_single_plan_is_empty():
    assert tl.actions_side_by_side(actions().iloc[:2], 0.6).empty


def test_factor_label():
    assert tl.factor_label("3a") == "3A domestic abuse (child)"
    assert tl.factor_label("21") == "21 no factors"


def test_filter_event_kinds():
    events = frames()[1]
    kept = tl.filter_event_kinds(events, ["Challenge / escalation", "Core group"])
    assert kept["event_id"].tolist() == ["e2", "e3"]
    assert tl.filter_event_kinds(events, []).empty


def test_a_written_agreement_is_its_own_kind_not_other_contact():
    assert tl._kind_of("WRITTEN_AGREEMENT") == "Written agreement"
    assert tl._kind_of("VISIT") == "Visit / other contact"


def test_the_title_counts_written_agreements_when_there_are_any():
    plans, events, changes, needs = frames()
    assert "written agreement" not in tl.timeline_title(plans, events, changes, needs)
    agreed = pd.concat([events, events.head(1).assign(event_type="WRITTEN_AGREEMENT")], ignore_index=True)
    assert "1 challenge, 1 written agreement;" in tl.timeline_title(plans, agreed, changes, needs)


def test_the_title_names_what_is_not_recorded_never_zero():
    """An Annex A child: no household changes, challenges or needs recorded, so the title says so, not "0 household
    changes, 0 challenges; 0 adult needs still open" (coverage.not_recorded of TITLE_MEASURES)."""
    plans, events, _changes, _needs = frames()
    absent = {k: "not recorded in this data: ..." for k in tl.TITLE_MEASURES}
    title = tl.timeline_title(plans, events.head(1), _changes.head(0), _needs.head(0), absent)
    assert title == "2 CP plans, 1 event; not recorded: household changes, challenges, written agreements, adult needs"
    assert " 0 " not in f" {title} "


def test_the_title_as_plain_text_has_no_markup_and_says_one_event():
    plans, events, changes, needs = frames()
    title = tl.timeline_title(plans.head(1), events.head(1), changes, needs, line_break=" ")
    assert "<br>" not in title
    assert title == "1 CP plan, 1 event, 1 household change, 0 challenges; 1 adult need still open"
    assert tl.timeline_title(plans, events, changes, needs) == \
        "2 CP plans, 4 events, 1 household change,<br>1 challenge; 1 adult need still open"


def test_needs_whose_source_records_no_resolution_are_not_called_still_open():
    """A CIN census's assessment factors never carry a resolved date: every one would count as open forever. Where
    the needs' source records no resolution (`resolution_recorded` False), the title says so, not "N still open",
    and the hover says the resolution is not recorded."""
    plans, events, changes, needs = frames()
    census = needs.assign(resolved_date=pd.NaT, resolution_recorded=False)
    title = tl.timeline_title(plans, events, changes, census).replace("<br>", " ")
    assert "still open" not in title
    assert title.endswith("not recorded: whether adult needs were resolved")
    fig = tl.timeline_figure(plans, events, changes, census, as_of=date(2021, 6, 1))
    hovers = " ".join(h for t in fig.data if t.name == "Adult need" for h in t.hovertext)
    assert "still open" not in hovers and "resolution not recorded in this data" in hovers
    # a source that records resolutions: the open one counts as before
    assert "1 adult need still open" in tl.timeline_title(plans, events, changes, needs.assign(resolution_recorded=True))
