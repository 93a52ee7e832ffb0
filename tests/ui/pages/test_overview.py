"""Overview page, fast tier: headline tiles from a hand-made headline (see conftest.py)."""
from __future__ import annotations

import re
from datetime import date

from support.overview_data import HEADLINE, HELD, QUARTERLY, held
from support.pages import open_page


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_headline_tiles_show_the_figures_given(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    shown = tiles(at)
    assert shown["Plans started"] == "1,234"
    assert shown["Repeat plans (DfE)"] == "20.0%"
    assert shown["Premature endings"] == "37"
    assert len(at.get("plotly_chart")) == 3


def test_no_plans_in_the_filter_shows_the_empty_state_and_no_chart(fake_metrics) -> None:
    empty = {**HEADLINE, "plans_started": 0, "plans_ended": 0}
    asked = fake_metrics({"headline": empty, "quarterly": QUARTERLY.iloc[0:0], "coverage": HELD})
    at = open_page("overview", {"team": "South"})
    assert at.get("plotly_chart") == []
    assert at.info or at.warning
    assert set(asked) == {"headline"}


def _headline_for(seen: list) -> object:
    def headline(filters, thresholds):
        seen.append(filters)
        return HEADLINE
    return headline


def test_no_period_chosen_shows_the_latest_complete_reporting_year_and_says_so(fake_metrics) -> None:
    seen: list = []
    fake_metrics({"headline": _headline_for(seen), "quarterly": QUARTERLY, "coverage": HELD}, info={"data_date": date(2025, 6, 30)})
    at = open_page("overview")
    assert (seen[-1].date_from, seen[-1].date_to) == (date(2024, 4, 1), date(2025, 3, 31))
    captions = " ".join(c.value for c in at.caption)
    assert "No period chosen: the latest complete reporting year of the data, 1 April 2024 to 31 March 2025" in captions
    # England's figure is for that same year (2024-25)
    assert "ending 31 March 2025" in captions


def test_no_period_chosen_says_where_the_plans_are_when_most_lie_outside_the_year_shown(fake_metrics) -> None:
    """A return of June 2019 to January 2021: the year shown, 2019-20, holds a few of its plans; the caption says
    where the rest are, so "2 plans started" is not read as the store's finding.  (A return to 15 March 2021 now
    opens on its own year, 2020-21: test_a_return_taken_weeks_before_31_march_defaults_to_its_own_year.)"""
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD},
                 info={"first_date": date(2019, 6, 3), "last_date": date(2021, 1, 15), "data_date": date(2021, 1, 15)})
    captions = " ".join(c.value for c in open_page("overview").caption)
    assert ("the latest complete reporting year of the data, 1 April 2019 to 31 March 2020. The store also holds plans "
            "after it, up to Jan 2021: choose *Period from* and *Period to* to include them.") in captions


def test_an_annex_a_return_of_mid_march_opens_on_its_own_year(fake_metrics) -> None:
    """The sidebar's default and the briefing's are one definition (filters.default_period): data to 15 Mar 2021
    opens on 2020-21, not 2019-20 with two plans."""
    seen: list = []
    fake_metrics({"headline": _headline_for(seen), "quarterly": QUARTERLY, "coverage": HELD},
                 info={"first_date": date(2019, 6, 3), "last_date": date(2021, 3, 15), "data_date": date(2021, 3, 15)})
    captions = " ".join(c.value for c in open_page("overview").caption)
    assert (seen[-1].date_from, seen[-1].date_to) == (date(2020, 4, 1), date(2021, 3, 31))
    assert "the latest complete reporting year of the data, 1 April 2020 to 31 March 2021" in captions


def test_no_period_chosen_and_plans_only_before_the_year_shown_says_only_the_year(fake_metrics) -> None:
    """Ten years of census returns to 31 March 2025: plans before the year shown are the usual case."""
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD},
                 info={"first_date": date(2015, 4, 1), "last_date": date(2025, 3, 31), "data_date": date(2025, 6, 30)})
    captions = " ".join(c.value for c in open_page("overview").caption)
    assert "1 April 2024 to 31 March 2025 (choose *Period from* for more years)" in captions
    assert "after it" not in captions


def test_a_chosen_period_is_used_as_given_and_not_called_a_default(fake_metrics) -> None:
    seen: list = []
    fake_metrics({"headline": _headline_for(seen), "quarterly": QUARTERLY, "coverage": HELD}, info={"data_date": date(2025, 6, 30)})
    at = open_page("overview", {"from": "2016-04-01"})
    assert (seen[-1].date_from, seen[-1].date_to) == (date(2016, 4, 1), None)
    assert "No period chosen" not in " ".join(c.value for c in at.caption)


def test_the_started_within_window_tile_names_its_denominator(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    tile = next(m for m in at.metric if m.label == "Repeat within 24 months")
    assert tile.value == "8.1%"
    assert "100 of 1,234 plans started in the period" in tile.help
    assert "Not the Repeat plans page's share of first plans re-planned within 24 months" in tile.help


def _bars(at) -> list[str]:
    import json
    return json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]


def test_a_store_of_one_named_authority_is_named_and_compared_with_its_own_figures(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD}, {"authorities": ["340"],
                                                                   "team_authorities": {"340": ["North"]}})
    at = open_page("overview")
    assert next(w for w in at.sidebar.selectbox if w.key == "la").value == "Knowsley"
    assert next(w for w in at.sidebar.selectbox if w.key == "region").value == "North West"
    bars = _bars(at)
    assert bars[0] == "Knowsley (340), this data"
    assert any(b.startswith("Knowsley") and "this data" not in b for b in bars)    # its published figure
    at = open_page("overview", {"la": "Camden"})     # another comparator chosen is kept
    assert next(w for w in at.sidebar.selectbox if w.key == "la").value == "Camden"


def test_a_store_naming_no_authority_has_no_default_comparator(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    assert next(w for w in at.sidebar.selectbox if w.key == "la").value is None
    assert _bars(at)[0] == "This data (filtered)"


def test_one_authority_chosen_in_a_regional_store_is_compared_with_its_own_figures(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD},
                 {"authorities": ["340", "341", "342"],
                  "team_authorities": {"340": ["North"], "341": ["South"], "342": ["East"]}})
    bars = _bars(open_page("overview", {"authority": "340"}))
    assert bars[0] == "Knowsley (340), this data"
    assert any(b.startswith("Knowsley (") for b in bars[1:]) and any(b.startswith("North West") for b in bars)
    bars = _bars(open_page("overview", {"authority": ["341", "342"]}))
    assert bars[0] == "Liverpool (341), St. Helens (342), this data"
    assert not any(b.startswith("Liverpool (") for b in bars[1:])   # two chosen: no one authority's figure


def _chart_captions(at) -> str:
    return " ".join(c.value for c in at.caption).replace("*", "")   # the words, not their markdown


def test_the_comparison_caption_says_where_to_choose_as_this_store_draws_it(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    said = _chart_captions(open_page("overview"))
    assert "Choose a region or an authority under Definitions & thresholds to add theirs" in said
    said = _chart_captions(open_page("overview", {"region": "London", "la": "Camden"}))
    assert "Choose a" not in said    # both chosen: nothing to ask
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD},
                 {"authorities": ["340", "341"], "team_authorities": {"340": ["North"], "341": ["South"]}})
    said = _chart_captions(open_page("overview"))
    # several authorities: Region is a filter, a box of the sidebar (which has no "Filters" heading to name)
    assert "Choose a Region in the sidebar, or an authority under Definitions & thresholds" in said
    assert "Filters" not in said


def test_premature_endings_count_short_plans_and_name_the_signs_not_checked_without_plan_actions(fake_metrics) -> None:
    """Without plan actions a short plan is still a warning sign (it needs only dates): the tiles give the count, as
    the Plan endings page's lists and the Regional view do, and say which signs could not be checked and why
    (Annex A, CIN census); where actions are recorded nothing is said to be unchecked."""
    fake_metrics({"headline": {**HEADLINE, "premature_endings": 3, "endings_at_risk": 21}, "quarterly": QUARTERLY,
                  "coverage": held(actions=0, action_links=0)})
    at = open_page("overview")
    shown = {m.label: m for m in at.metric}
    assert shown["Premature endings"].value == "3" and shown["Endings at risk"].value == "21"
    assert "not checked" in shown["Endings at risk"].help and "no plan actions" in shown["Endings at risk"].help
    captions = " ".join(c.value for c in at.caption)
    assert ("Premature endings and endings at risk: warning signs not checked: actions not done and adult need "
            "unaddressed, not recorded in this data: no plan actions") in captions
    assert "counted from the sign recorded (short plan) only" in captions
    assert shown["Plans ended"].value == "1,100"   # plans alone answer it

    fake_metrics({"headline": {**HEADLINE, "premature_endings": 0, "endings_at_risk": 0}, "quarterly": QUARTERLY,
                  "coverage": HELD})
    at = open_page("overview")
    assert tiles(at)["Premature endings"] == "0" and tiles(at)["Endings at risk"] == "0"
    assert "not checked" not in " ".join(c.value for c in at.caption)


def test_the_repeat_tile_compares_with_england_only_on_enough_plans(fake_metrics) -> None:
    # 100% of 5 plans is not "+76 pts vs England": under benchmarks.COMPARE_FROM plans the tile gives no difference
    few = {**HEADLINE, "plans_started": 5, "repeat_plans_started": 5, "repeat_rate": 1.0}
    fake_metrics({"headline": few, "quarterly": QUARTERLY, "coverage": HELD})
    tile = next(m for m in open_page("overview").metric if m.label == "Repeat plans (DfE)")
    assert tile.value == "5 of 5" and not tile.delta   # on too few plans for a percentage, the count
    assert "Not compared: too few plans to compare with England (a comparison needs at least 20)" in tile.help
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    tile = next(m for m in open_page("overview").metric if m.label == "Repeat plans (DfE)")
    assert tile.delta.endswith("pts vs England")



def test_a_difference_from_england_under_the_digit_shown_is_no_difference(fake_metrics) -> None:
    """24.5% here against England's 24.5% read "-0.0 pts vs England" with a down arrow (a million-plan store)."""
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    tile = next(m for m in open_page("overview").metric if m.label == "Repeat plans (DfE)")
    england = float(re.search(r"England \d{4}-\d{2}: ([\d.]+)%", tile.help).group(1))
    near = {**HEADLINE, "repeat_rate": england / 100 - 0.00004}
    fake_metrics({"headline": near, "quarterly": QUARTERLY, "coverage": HELD})
    tile = next(m for m in open_page("overview").metric if m.label == "Repeat plans (DfE)")
    assert tile.delta == "0.0 pts vs England" and tile.proto.direction == tile.proto.MetricDirection.NONE   # no arrow
    half = {**HEADLINE, "repeat_rate": england / 100 - 0.0005}    # shown "24.5%" (a half up), as England's
    fake_metrics({"headline": half, "quarterly": QUARTERLY, "coverage": HELD})
    tile = next(m for m in open_page("overview").metric if m.label == "Repeat plans (DfE)")
    assert tile.delta == "0.0 pts vs England"


def test_a_one_month_window_is_said_in_the_singular(fake_metrics) -> None:
    """The re-plan window is a threshold a user may set to 1 (Definitions & thresholds): the tile reads
    "Repeat within 1 month", not "1 months", and its help says the same."""
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview", {"window_months": "1"})
    tile = next(m for m in at.metric if m.label.startswith("Repeat within"))
    assert tile.label == "Repeat within 1 month", tile.label
    assert "1 months" not in (tile.help or "") and "ended at most 1 month before" in tile.help, tile.help


def test_the_sidebar_s_period_note_is_of_the_as_of_date_in_the_address(fake_metrics) -> None:
    """The note was written before the As of box was drawn, so on opening a link it spoke of the data's date."""
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD}, info={"data_date": date(2025, 6, 30)})
    at = open_page("overview", {"as_of": "2024-06-30"})
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "1 April 2023 to 31 March 2024" in notes, notes
    assert "1 April 2024 to 31 March 2025" not in notes


def test_a_median_gap_not_recorded_reads_not_recorded_before_small_number_suppression(fake_metrics, threshold) -> None:
    """An Annex A return gives the earlier plans only as a count: the gap between plans is not recorded, so a
    reader with a threshold sees "–" with why, not "c" ("fewer than 5"), which would say it is small."""
    threshold(5)
    undated = {**HEADLINE, "repeat_plans_started": 3, "repeat_within_window": None, "median_gap_days": None}
    fake_metrics({"headline": undated, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    shown = {m.label: m for m in at.metric}
    assert shown["Median gap between plans"].value == "–"
    assert "Not recorded in this data" in shown["Median gap between plans"].help
    assert shown["Repeat within 24 months"].value == "–"
    assert shown["Repeat plans (DfE)"].value == "c"   # the threshold is in force: 3 repeat plans are withheld


def test_repeat_plans_partly_dated_give_a_floor_said_as_one(fake_metrics) -> None:
    """A CIN census's first years: some repeat plans' earlier plans come before the data, so only the dated ones can
    be placed within the window.  The tile reads "≥" (at least), and the page says how many were not dated, not a bare
    share that reads as the whole."""
    partly = {**HEADLINE, "repeat_plans_started": 32, "repeat_within_window": 3, "repeat_plans_dated": 3}
    fake_metrics({"headline": partly, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    shown = {m.label: m for m in at.metric}
    assert shown["Repeat within 24 months"].value.startswith("≥ "), shown["Repeat within 24 months"].value
    assert "29 of the 32 repeat plans have no dated earlier plan" in shown["Repeat within 24 months"].help
    captions = " ".join(c.value for c in at.caption)
    assert "29 of the 32 repeat plans have no dated earlier plan" in captions
    assert "median of the 3 repeat plans whose previous plan is dated" in captions
    # every repeat plan dated: the share as it is
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    assert not {m.label: m for m in at.metric}["Repeat within 24 months"].value.startswith("≥")
    assert "no dated earlier plan" not in " ".join(c.value for c in at.caption)
