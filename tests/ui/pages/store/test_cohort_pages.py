"""AppTest runs of the Overview, Repeat plans, Plan endings and Duplicated actions pages, on the
demo store and on an empty store, with filters set through the URL and through the widgets."""
from __future__ import annotations

import json

import duckdb
import pytest
from streamlit.testing.v1 import AppTest


from support.paths import ROOT
from support.pages import open_file

PAGES = {
    "overview": "paqa_dash/ui/pages/overview.py",
    "repeat_plans": "paqa_dash/ui/pages/repeat_plans.py",
    "endings": "paqa_dash/ui/pages/endings.py",
    "duplicates": "paqa_dash/ui/pages/duplicates.py",
}


def open_page(page: str, **params: str | list[str]) -> AppTest:
    if page != "overview":
        return open_file(PAGES[page], params, timeout=60)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)   # the default page, at "/"
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def titles(at: AppTest) -> list[str]:
    return [s["layout"]["meta"]["finding"] for s in specs(at)]


@pytest.fixture(scope="module")
def teams(demo_store) -> list[str]:
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC").fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("page", list(PAGES))
def test_page_draws_charts_with_findings_captions_and_tables(page, demo_store, use_store):
    use_store(demo_store)
    # years of first plans, so the cohort views have plans followed up 24 months (the default period, the
    # latest complete reporting year, has none yet: its curves are drawn without a 24-month finding)
    at = open_page(page, **{"from": "2015-04-01"})
    assert not at.error
    found = titles(at)
    assert found, "no chart"
    assert all(t and any(ch.isdigit() for ch in t) for t in found), found   # each title states a number
    for s in specs(at):
        axes = [v.get("title", {}).get("text") for k, v in s["layout"].items() if k.startswith(("xaxis", "yaxis"))]
        assert s["data"][0]["type"] == "sankey" or any(axes), s["layout"]["meta"]["finding"]
    assert len(at.expander) >= len(found)            # "Show as table" under each chart (+ the settings expander)
    assert len(at.get("download_button")) >= len(found)
    assert any("Synthetic data" in w.value for w in at.warning)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_on_empty_store_says_so(page, empty_store, use_store):
    use_store(empty_store)
    at = open_page(page)
    assert not at.error
    assert not at.get("plotly_chart")
    assert any("match these filters" in i.value for i in at.info)


@pytest.mark.parametrize("page", list(PAGES))
def test_filters_that_match_nothing_show_the_empty_state(page, demo_store, use_store):
    use_store(demo_store)
    at = open_page(page, **{"from": "2099-01-01"})
    assert any("match these filters" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_team_in_url_filters_the_team_chart(demo_store, use_store, teams):
    use_store(demo_store)
    everyone = open_page("repeat_plans")
    # "Repeat share ranged from ...", or on this small store's teams "Repeat share: too few plans started in ..."
    team_chart = [s for s in specs(everyone) if s["layout"]["meta"]["finding"].startswith("Repeat share")][0]
    assert set(team_chart["data"][0]["y"]) == set(teams)
    at = open_page("repeat_plans", team=teams[0])
    assert at.session_state["team"] == [teams[0]]
    one = [s for s in specs(at) if teams[0] in s["layout"]["meta"]["finding"] and "plans started in" in s["layout"]["meta"]["finding"]]
    assert one and one[0]["data"][0]["y"] == [teams[0]]


def test_overview_headline_follows_filters_and_compares_with_england(demo_store, use_store, teams):
    use_store(demo_store)
    at = open_page("overview")
    started_all = int(at.metric[0].value.replace(",", ""))
    bars = specs(at)[0]
    assert bars["data"][0]["y"][:2] == ["This data (filtered)", bars["data"][0]["y"][1]]
    assert bars["data"][0]["y"][1].startswith("England (")
    at = open_page("overview", team=teams[0], region="London", la="Camden")
    started_team = int(at.metric[0].value.replace(",", ""))
    assert 0 < started_team < started_all
    labels = specs(at)[0]["data"][0]["y"]
    assert [l.split(" (")[0] for l in labels] == ["This data", "England", "London", "Camden", "Statistical neighbours of Camden"]


def test_filter_set_by_widget_persists_across_pages(demo_store, use_store, teams):
    # (the browser updates the URL of a bound widget; AppTest does not: see test_browser_cohort)
    use_store(demo_store)
    at = open_page("overview")
    at.multiselect(key="team").select(teams[1]).run()
    at.switch_page(PAGES["endings"]).run()
    assert not at.exception
    assert at.session_state["team"] == [teams[1]]
    # captions show the filter as typed (Markdown escaped; the browser shows it without the backslashes)
    assert any(f"teams: {teams[1]}" in c.value.replace("\\", "") for c in at.caption)


def test_similarity_threshold_from_settings_changes_duplicates(demo_store, use_store):
    use_store(demo_store)
    loose = open_page("duplicates")
    strict = open_page("duplicates", sim="1.0")
    assert strict.session_state["sim"] == 1.0
    share = lambda at: at.metric[2].value
    assert share(loose) != share(strict)


def test_endings_watch_list_links_to_child_timeline(demo_store, use_store):
    use_store(demo_store)
    at = open_page("endings")
    frames = [d.value for d in at.dataframe]
    lists = [f for f in frames if "Child timeline" in f.columns]
    assert lists, "no list with timeline links"
    link = lists[-1]["Child timeline"].iloc[0]
    child = lists[-1]["Child"].iloc[0]
    assert link == f"child_timeline?child={child}"


def test_reversed_period_is_swapped_not_an_error(demo_store, use_store):
    use_store(demo_store)
    at = open_page("overview", **{"from": "2024-12-31", "to": "2021-01-01"})
    assert any("other way round" in w.value for w in at.sidebar.warning)
    assert at.get("plotly_chart")


def url(at: AppTest, key: str) -> list[str]:
    """A URL parameter's values (AppTest gives one value as a string, several as a list)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_url_carries_codes_for_coded_choices(demo_store, use_store):
    use_store(demo_store)
    at = open_page("repeat_plans", split="band", plan="repeat", category=["NEG", "EMO"], age="0-4")
    assert (at.session_state["split"], at.session_state["plan"]) == ("band", "repeat")
    assert at.session_state["category"] == ["NEG", "EMO"]
    assert url(at, "plan") == ["repeat"] and url(at, "category") == ["NEG", "EMO"]
    assert url(at, "split") == ["band"] and url(at, "age") == ["0-4"]
    names = [t["name"] for t in specs(at)[0]["data"]]
    assert set(names) <= {"3 months or less", "Over 3 to 6 months", "Over 6 to under 12 months",
                          "1 to under 2 years", "2 years or more"}


def test_links_made_with_words_still_open_the_view_and_the_url_becomes_codes(demo_store, use_store):
    use_store(demo_store)
    at = open_page("repeat_plans", split="Length", plan="Repeat", category="neglect,Nonsense")
    assert at.session_state["split"] == "band"
    assert at.session_state["plan"] == "repeat"
    assert at.session_state["category"] == ["NEG"]
    assert url(at, "category") == ["NEG"] and url(at, "plan") == ["repeat"]


def test_default_choices_leave_the_url_clean(demo_store, use_store):
    use_store(demo_store)
    at = open_page("repeat_plans")
    assert not {"plan", "category", "age", "split"} & set(at.query_params)
    at.sidebar.selectbox(key="plan").set_value("first").run()
    assert url(at, "plan") == ["first"]


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory):
    """Five plans of three children: every page must still read sensibly."""
    from datetime import date

    from paqa_dash import store
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    con = store.connect(path)
    con.executemany("INSERT INTO children (child_id, family_id, birth_month, sex, ethnicity, disability, run_id) "
                    "VALUES (?,?,?,?,?,?,NULL)", [
        ("A", None, date(2015, 5, 1), "F", None, False), ("B", None, None, "M", None, False),
        ("C", None, date(2019, 1, 1), "M", None, False)])
    con.executemany("INSERT INTO plans VALUES (?,?,?,?,?,?,?,?,?,NULL)", [
        ("A1", "A", date(2020, 1, 1), date(2020, 3, 15), "NEG", None, "North", None, 0),
        ("A2", "A", date(2020, 9, 1), date(2021, 6, 1), "NEG", None, "North", None, None),
        ("B1", "B", date(2020, 2, 1), date(2021, 1, 15), "EMO", None, None, None, 0),
        ("C1", "C", date(2021, 1, 1), date(2021, 2, 1), "NEG", None, "North", None, None),
        ("C2", "C", date(2023, 6, 1), None, "NEG", None, "North", None, None)])
    con.close()
    return path


@pytest.mark.parametrize("page", list(PAGES))
def test_five_plans_read_sensibly(page, tiny_store, use_store):
    use_store(tiny_store)
    at = open_page(page)
    assert not at.error
    # a chart, or the empty state: for the filter, or (no period chosen) naming the default year and where the plans are
    assert at.get("plotly_chart") or any(("match these filters" in i.value or "no actions" in i.value
                                          or ("the latest complete reporting year" in i.value and "Period from" in i.value))
                                         for i in at.info)


def test_endings_says_when_england_is_another_year_than_the_period(demo_store, use_store):
    # England's duration bands are published for fewer years than a store spans: the nearest year stands in,
    # and the caption says so (a 2021-22 period set beside England 2024-25 with only the legend to tell)
    use_store(demo_store)
    earlier = " ".join(c.value for c in open_page("endings", **{"from": "2021-04-01", "to": "2022-03-31"}).caption)
    assert "the nearest year published: the period ends in 2021-22" in earlier
    same = " ".join(c.value for c in open_page("endings", **{"from": "2024-04-01", "to": "2025-03-31"}).caption)
    assert "ending 31 March 2025." in same and "nearest year published" not in same
