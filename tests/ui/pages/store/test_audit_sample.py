"""AppTest runs of the Audit sample and Plan quality pages on the demo store and on an empty store;
assertions read the figures' data (`plotly_chart` specs), not pixels."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from paqa_dash import store
from paqa_dash.metrics import audit
from paqa_dash.metrics import plan_quality, wording
from paqa_dash.store import with_data_date
from paqa_dash.filters import Filters

from support.pages import open_file
PAGES = {"audit_sample": "paqa_dash/ui/pages/audit_sample.py", "plan_quality": "paqa_dash/ui/pages/plan_quality.py"}


# With no period chosen the app shows the latest complete reporting year; these tests compare the pages with
# the metrics over the whole store, so they choose a period that holds every plan.
WHOLE_STORE = {"from": "2000-01-01", "to": "2100-12-31"}


def open_page(page: str, **params: str | list[str]) -> AppTest:
    return open_file(PAGES[page], {**WHOLE_STORE, **params}, timeout=180)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def sample(demo_store):
    con = store.connect(demo_store, read_only=True)
    try:
        return audit.audit_sample(con, with_data_date(con, Filters()))
    finally:
        con.close()


@pytest.fixture(scope="module")
def quality(demo_store):
    con = store.connect(demo_store, read_only=True)
    try:
        return plan_quality.review(con, with_data_date(con, Filters()))
    finally:
        con.close()


def test_audit_sample_counts_each_concern(demo_store, use_store, sample):
    use_store(demo_store)
    at = open_page("audit_sample")
    assert not at.error
    (fig,) = specs(at)
    bars = fig["data"][0]
    assert list(reversed(bars["y"])) == list(audit.CONCERNS.values())
    expected = [int(sample[k].sum()) for k in audit.CONCERNS]
    assert list(reversed(bars["x"])) == expected
    assert str(len(sample)) in fig["layout"]["meta"]["finding"]
    assert fig["layout"]["xaxis"]["title"]["text"] and fig["layout"]["yaxis"]["title"]["text"]
    assert int(at.metric[0].value.replace(",", "")) == len(sample)
    table = [d.value for d in at.dataframe if "Which concerns" in d.value.columns][0]
    assert table["Child (pseudonym)"].tolist() == sample["child_id"].tolist()
    assert table["Child timeline"].iloc[0] == f"child_timeline?child={sample['child_id'].iloc[0]}"


def test_scope_boxes_narrow_the_sample(demo_store, use_store, sample):
    use_store(demo_store)
    at = open_page("audit_sample")
    at.checkbox(key="aud_neglect").check().run()
    at.checkbox(key="aud_premature").check().run()
    assert not at.exception
    narrowed = int(at.metric[0].value.replace(",", ""))
    assert narrowed == int((sample["neglect"] & sample["first_plan_ended_prematurely"]).sum())
    assert narrowed < len(sample)


def test_picked_child_gets_timeline_link_and_pack_button(demo_store, use_store, sample):
    use_store(demo_store)
    child = sample["child_id"].iloc[0]
    at = open_page("audit_sample")
    assert not at.get("download_button") or all(b.proto.label != "Download audit pack"
                                                 for b in at.get("download_button"))
    at.multiselect(key="aud_pick").select(child).run()
    assert not at.exception
    assert at.session_state["aud_pick"] == [child]
    buttons = at.get("download_button")
    assert any(b.proto.label == "Download audit pack" for b in buttons)
    assert any(child in m.value for m in at.markdown)


def test_plan_quality_figures_carry_the_reviews(demo_store, use_store, quality):
    use_store(demo_store)
    at = open_page("plan_quality")
    assert not at.error
    figs = specs(at)
    assert len(figs) == 7
    for s in figs:
        assert any(ch.isdigit() for ch in s["layout"]["meta"]["finding"]), s["layout"]["meta"]["finding"]
        assert s["layout"]["xaxis"]["title"]["text"] and s["layout"]["yaxis"]["title"]["text"]
    smart_fig = figs[0]
    shares = [y for trace in smart_fig["data"] for y in trace["y"]]
    assert shares and all(0 <= y <= 1 for y in shares)
    failed = figs[1]["data"][0]
    expected = dict(zip(quality.failed_criteria["criterion"], quality.failed_criteria["actions_failing"]))
    assert dict(zip(failed["y"], failed["x"])) == expected
    overall = quality.smart_actions / quality.actions
    assert f"{100 * overall:.0f}%" in smart_fig["layout"]["meta"]["finding"]
    assert at.metric[0].value == f"{quality.actions:,}"
    reading = figs[2]["data"][0]
    assert sum(reading["y"]) == quality.reading["plans"] > 0
    relevance = figs[5]["data"]
    assert sum(sum(t["y"]) for t in relevance) == quality.relevance_plans > 0
    con = store.connect(demo_store, read_only=True)
    try:
        by_team = wording.by_team(con, with_data_date(con, Filters())).set_index("team")
    finally:
        con.close()
    words = {t["name"]: dict(zip(t["y"], t["x"])) for t in figs[4]["data"]}
    assert words["Deficit wording"] == pytest.approx(by_team["deficit_share"].to_dict())
    positive = by_team["with_positive"].sum() / by_team["actions"].sum()
    assert figs[4]["layout"]["meta"]["finding"].startswith(f"{100 * positive:.0f}% of plan actions use strengths")


@pytest.mark.parametrize("page", list(PAGES))
def test_empty_store_shows_the_empty_state(page, empty_store, use_store):
    use_store(empty_store)
    at = open_page(page)
    assert not at.error
    assert not at.get("plotly_chart")
    assert at.info


@pytest.mark.parametrize("page", list(PAGES))
def test_period_with_no_plans_shows_the_empty_state(page, demo_store, use_store):
    use_store(demo_store)
    at = open_page(page, **{"from": "2099-01-01"})
    assert not at.get("plotly_chart") and at.info


def test_an_empty_audit_scope_names_only_the_filters_set(demo_store, use_store):
    """It said "widen the period and teams" to a user who set no team, and not that the data ends before it."""
    use_store(demo_store)
    said = " ".join(i.value for i in open_page("audit_sample", **{"from": "2099-01-01"}).info)
    assert "No children match the audit's scope" in said and "before the period chosen" in said, said
    assert "team" not in said and said.endswith("Or untick a scope box above.")


def test_a_child_with_one_concern_reads_one_concern(demo_store, use_store, sample):
    """The deep dive's line for a picked child says "1 concern", not "1 concerns"."""
    use_store(demo_store)
    at = open_page("audit_sample")
    listed = [d.value for d in at.dataframe if "Which concerns" in d.value.columns][0]
    one = listed.loc[listed["Concerns"] == 1, "Child (pseudonym)"]
    assert len(one), "the demo has a child with one concern"
    at.multiselect(key="aud_pick").select(one.iloc[0]).run()
    line = next(m.value for m in at.markdown if one.iloc[0] in m.value)
    assert " · 1 concern  " in line, line


def test_plan_quality_says_what_its_plan_lists_hold(demo_store, use_store, quality):
    """The reading list is every plan with a reading score, hardest first: "all 235 plans, hardest to read first",
    not "all 235 hardest-to-read plans", which reads as if some plans were picked for being hard to read."""
    use_store(demo_store)
    at = open_page("plan_quality")
    captions = " ".join(c.value for c in at.caption)
    plans = quality.reading["plans"]
    assert len(quality.plan_language) == plans > 1   # the whole list is on screen (fewer plans than the list limit)
    assert f"The table lists all {plans:,} plans, hardest to read first. " in captions, captions
    assert "hardest-to-read plans" not in captions
    assert f"The table lists all {quality.relevance_plans:,} plans, those with no action for a need first. " in captions


def test_the_median_tile_says_its_count_is_of_the_concerns_assessed(demo_store, use_store, sample):
    """"0 of 1" beside "Children in scope 2" read as a share of children; it is the median child's concerns out of
    the concerns this data can assess (all nine in the demo).  Said under the number, with no arrow: in the number,
    "5 of 9 assessed" was cut to "5 of 9 asse..." in the tile's width at 800 px."""
    use_store(demo_store)
    at = open_page("audit_sample")
    tile = next(m for m in at.metric if m.label == "Median concerns per child")
    assert tile.value == f"{sample['concerns'].median():.0f}", tile.value
    assert tile.proto.delta == f"of {len(audit.CONCERNS)} concerns assessed", tile.proto.delta
    assert tile.proto.direction == tile.proto.MetricDirection.NONE   # words, not a change up or down


def test_the_page_reads_the_filter_s_coverage_once(demo_store, use_store, monkeypatch):
    """The page read the filter's coverage itself and again inside audit.not_assessed (0.3 CPU s at a million
    plans, on every first run of a setting)."""
    import functools

    import streamlit as st

    from paqa_dash.metrics import coverage
    calls, real = [], coverage.coverage

    @functools.wraps(real)
    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(coverage, "coverage", counted)
    st.cache_data.clear()
    at = open_page("audit_sample")
    assert not at.exception and len(calls) == 1
