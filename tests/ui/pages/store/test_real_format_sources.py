"""Pages on stores imported from real-format sources (Annex A alone, CIN census alone, both), which carry no
actions, attendance, core groups or household changes, and on the demo, which carries them all: each page
says "not recorded" exactly where the data is absent, never a zero, a rate or a "late" (issue 13)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from paqa_dash.pipeline import run_import
from support.paths import SAMPLE_SOURCES
from support.pages import charts, open_file

SOURCES = SAMPLE_SOURCES


@pytest.fixture(scope="module", params=sorted(SOURCES))
def real_format_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp(f"real_{request.param}") / "r.duckdb"
    run_import(SOURCES[request.param](), db)
    return db


def open_page(path: str) -> AppTest:
    """The page over the whole store (the samples' plans end years before their latest date, so the default
    period, the latest complete reporting year, holds none)."""
    return open_file(path, {"from": "1990-01-01", "to": "2100-12-31"}, timeout=30)


def _infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_agencies_says_attendance_and_core_groups_are_not_recorded(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/agencies.py")
    infos = _infos(at)
    assert "This store records no core group attendance" in infos
    assert "This store records no core group meetings" in infos
    assert "No agency raised a challenge" not in infos   # no challenge recorded at all: not a finding
    assert infos.count("This store records no core group meetings") == 1   # timeliness
    assert infos.count("This store records no challenges or escalations by agencies") == 1   # challenge and escalation
    if real_format_store.parent.name.startswith("real_annex_a"):
        # Annex A lists only each plan's latest review: no review can be judged on time or missed (imported with
        # the census in one run, its rows cannot be told from the census's: none is counted)
        assert "This store records no full review conference histories" in infos
        assert "latest review conference" in infos
        assert at.get("plotly_chart") == [] and "missed" not in " ".join(m.value for m in at.markdown)
        return
    assert "review conference histories" not in infos
    assert len(at.get("plotly_chart")) == 1  # review timeliness is still shown (the census records every review)
    table = at.dataframe[0].value   # the timeliness table: reviews only, no core group row of zeros
    assert not any("core group" in m.lower() for m in table["Measure"]) and len(table)


def test_household_says_changes_are_not_recorded(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/household.py")
    assert "This store records no household changes" in _infos(at)
    assert at.get("plotly_chart") == [] and at.metric == []   # no "0 changes", no "0%"


def test_plan_quality_says_actions_are_not_recorded(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/plan_quality.py")
    assert any("This store records no plan actions" in i.value for i in at.info)
    assert at.get("plotly_chart") == []


def test_audit_sample_counts_no_concern_the_data_cannot_show(real_format_store, use_store):
    """None of the sources records core groups, household changes or plan actions, and each gives its repeat plans'
    earlier plans only as a count (metrics --json: repeat_within_window null): those concerns are "not assessed" with
    why, no tile of 0.  A first plan ended prematurely is assessed from the sign its dates show (a short plan), as
    premature endings are on the Plan endings page, and the page names the signs not checked in the same words."""
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/audit_sample.py")
    if "No children match" in _infos(at):
        pytest.skip("no repeat plan in this source")
    captions = _captions(at)
    assert "Not assessed, not recorded in this data: " in captions
    assert "core groups late or missed (no core group meetings)" in captions
    assert "first plan ended prematurely (no plan actions)" not in captions
    assert ("First plan ended prematurely: warning signs not checked: actions not done and adult need unaddressed, "
            "not recorded in this data: no ") in captions
    assert "counted from the sign recorded (short plan) only." in captions
    tiles = {m.label: m for m in at.metric}
    # named as the table's column: "First plan ended prematurely" beside the help mark was cut in the tile's width
    assert tiles["First plan premature"].value != "–"
    assert "warning signs not checked" in tiles["First plan premature"].help
    (table,) = [d.value for d in at.dataframe if "Which concerns" in d.value.columns]   # headings in words
    assert "First plan premature" in table.columns and "Concerns" in table.columns


def test_the_demo_shows_every_measure(demo_store, use_store):
    use_store(demo_store)
    for page in ("agencies", "household", "plan_quality", "audit_sample"):
        at = open_page(f"paqa_dash/ui/pages/{page}.py")
        assert "records no" not in _infos(at), page
        assert "not recorded in this data" not in _captions(at), page
    at = open_page("paqa_dash/ui/pages/agencies.py")
    assert len(at.get("plotly_chart")) == 4   # heatmap, bars, timeliness (core groups and reviews), challenges
    at = open_page("paqa_dash/ui/pages/audit_sample.py")
    assert "Core groups late or missed" in set(at.dataframe[0].value["Concern"])


def test_child_timeline_says_household_changes_are_not_recorded(real_format_store, use_store):
    from paqa_dash import store
    from support.pages import open_page as open_at

    use_store(real_format_store)
    con = store.connect(real_format_store, read_only=True)
    try:
        child = con.execute("SELECT child_id FROM plans ORDER BY start_date LIMIT 1").fetchone()[0]
    finally:
        con.close()
    at = open_at("child_timeline", {"child": child})
    tiles = {m.label: m.value for m in at.metric}
    # "–" and the sentence as its help: the words were cut to "not recor…" in a tile at 800 px
    helps = {m.label: m.proto.help for m in at.metric}
    assert tiles["Household changes"] == "–" and tiles["Duplicated actions"] == "–"
    assert tiles["CP plans"] != "–"
    assert helps["Household changes"].startswith("Not recorded: ")
    assert helps["Duplicated actions"].startswith("Not recorded: ")
    # Annex A records no needs (assessment factors); the CIN census does, but never when one was resolved, so
    # neither can count needs still open (every census factor would be open for ever)
    annex_only = real_format_store.parent.name.startswith("real_annex_a0")
    assert tiles["Adult needs still open"] == "–"
    assert annex_only or "resolved" in helps["Adult needs still open"]
    # the chart's title agrees with the tiles: "not recorded: ...", never "0 household changes, 0 challenges"
    from support.pages import findings
    title = findings(at)[0]
    assert "not recorded: household changes, challenges" in title
    assert "0 household" not in title and "0 challenges" not in title
    assert "adult need" not in title.split("not recorded:")[0] and "still open" not in title
    assert annex_only or "whether adult needs were resolved" in title
    # between plans: a census's referrals are concerns, but no incident is recorded: no "0 of them impact"
    assert not any("0 of them impact" in t for t in findings(at))


def test_challenge_and_agreements_are_not_recorded(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/challenge.py")
    infos = _infos(at)
    assert infos.count("This store records no challenges or escalations by agencies") == 1
    assert infos.count("This store records no written agreements") == 1
    assert "core group" not in infos   # each is its own kind of record, not read from the meetings
    assert at.get("plotly_chart") == []                                        # no "0 challenges", no rate


def test_duplication_impact_is_not_recorded_or_empty(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/duplicates.py")
    assert not any("largely repeated" in str(c.proto.spec) for c in at.get("plotly_chart"))


def test_premature_endings_count_short_plans_and_name_the_signs_not_checked(real_format_store, use_store):
    """No plan actions: a short plan is still a warning sign (it needs only dates), so the Overview's tiles, the
    Plan endings page's chart and its lists all count from short plans and say which signs were not checked and why
    (one answer on every page); no bar of "Actions not done" or "Adult need unaddressed" is drawn as a 0."""
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/overview.py")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Premature endings"] != "–" and tiles["Endings at risk"] != "–"
    assert "warning signs not checked: actions not done and adult need unaddressed" in _captions(at)
    at = open_page("paqa_dash/ui/pages/endings.py")
    signs = [c for c in charts(at) if "warning sign" in c["layout"]["meta"]["finding"]]
    assert len(signs) == 1
    drawn = {y for trace in signs[0]["data"] for y in trace.get("y", [])}
    assert drawn <= {"Short plan"}, drawn
    assert "not checked" in signs[0]["layout"]["meta"]["finding"]
    captions = _captions(at)
    assert "Warning signs not checked: actions not done and adult need unaddressed" in captions
    assert ", not recorded in this data: no " in captions and "no plan actions (actions.csv)" in captions
    assert "–." not in captions


def test_the_demo_counts_premature_endings(demo_store, use_store):
    use_store(demo_store)
    at = open_page("paqa_dash/ui/pages/overview.py")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Premature endings"] != "–" and int(tiles["Premature endings"].replace(",", "")) >= 0
    at = open_page("paqa_dash/ui/pages/endings.py")
    assert "records no plan actions" not in _infos(at)
    assert any("warning sign" in str(c.proto.spec) for c in at.get("plotly_chart"))


def test_duplicated_actions_tiles_are_not_recorded(real_format_store, use_store):
    """No plan actions: neither tile reads 0% ("–" and why), and the page says the actions are not recorded."""
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/duplicates.py")
    if "No repeat plans match" in _infos(at):
        pytest.skip("no repeat plan in this source")
    tiles = {m.label: m for m in at.metric}
    assert tiles["Plans repeating actions"].value == "–" and tiles["Actions repeated"].value == "–"
    assert "Not recorded in this data: no plan actions" in tiles["Plans repeating actions"].help
    assert _infos(at).count("This store records no plan actions") == 1


def test_a_tiles_not_recorded_help_says_it_once():
    """The help reads "Not recorded: no household changes (...)", not "Not recorded: not recorded in this data: ..."."""
    from paqa_dash.ui import components

    help_text = components.not_recorded_help({"family_changes": "not recorded in this data: no household changes "
                                                                "(family_changes.csv)"}, "family_changes")
    assert help_text == "Not recorded: no household changes (family_changes.csv)"


def test_repeat_within_the_window_is_not_a_zero_when_earlier_plans_are_only_counted(real_format_store, use_store):
    """Annex A gives a child's earlier plans only as a count: whether its repeat plans came within 24 months is not
    known, so the tile reads "–" with why beside "Median gap –", never "0.0%"; the Overview agrees with
    `metrics --json` on every source."""
    from paqa_dash import store
    from paqa_dash.filters import Filters
    from paqa_dash.metrics import summary

    use_store(real_format_store)
    con = store.connect(real_format_store, read_only=True)
    try:
        out = summary.compute(con, Filters(date_from=date(1990, 1, 1), date_to=date(2100, 12, 31)))
    finally:
        con.close()
    at = open_page("paqa_dash/ui/pages/overview.py")
    tiles = {m.label: m for m in at.metric}
    within = tiles["Repeat within 24 months"]
    if real_format_store.parent.name.startswith("real_annex_a0"):
        assert out["repeat_within_window"] is None
    if out["repeat_within_window"] is None:
        assert within.value == "–" and "no dates of the repeat plans' earlier plans" in within.help
        assert tiles["Median gap between plans"].value == "–"
        assert "Repeat within 24 months and the median gap: not recorded in this data" in _captions(at)
    else:
        assert within.value != "–"


def test_audit_sample_offers_the_premature_box_naming_the_signs_not_checked(real_format_store, use_store):
    """None of the sources records plan actions, but a short first plan re-planned shows from its dates: the box is
    offered (as the concern is counted), its help naming the signs not checked."""
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/audit_sample.py")
    boxes = {c.key: c for c in at.checkbox}
    assert {"aud_repeat", "aud_premature", "aud_neglect"} <= set(boxes), set(boxes)
    assert "warning signs not checked: actions not done" in boxes["aud_premature"].help
    assert not any("first plan ended prematurely (no plan actions)" in c.value for c in at.caption)


def test_the_demo_offers_every_scope_box(demo_store, use_store):
    use_store(demo_store)
    at = open_page("paqa_dash/ui/pages/audit_sample.py")
    assert {"aud_repeat", "aud_premature", "aud_neglect"} <= {c.key for c in at.checkbox}
    assert not any(c.value.startswith("Not assessed") for c in at.caption)
    assert not any("not checked" in c.value for c in at.caption)
    assert "not checked" not in (at.checkbox(key="aud_premature").help or "")
