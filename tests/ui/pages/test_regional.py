"""Regional view, fast tier: the metrics layer answers with a small hand-made frame (see conftest.py); the
authority and region URL parameters reach the filter, the teams offered follow the authorities, published
figures are named with their year, small numbers are suppressed and missing data is "not recorded"."""
from __future__ import annotations

import base64
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from paqa_dash.metrics import regional
from paqa_dash.reference.recorded import floor_for
from paqa_dash.scope import Scope
from paqa_dash.ui import access

from support.pages import charts, findings, open_page

THREE = {"authorities": ["202", "203", "841"],
         "team_authorities": {"202": ["North"], "203": ["South"], "841": ["East"]},
         "teams": ["East", "North", "South"]}


def row(code, name, started, repeats, within=2, recorded=True, region="London", dated=True):
    """`dated`: the authority's repeat plans have their earlier plans' dates (not, as from an Annex A return, only
    how many there were), so how many came within the re-plan window is known."""
    out = {"authority": code, "name": name, "region": region, "plans_started": started,
           "repeat_plans_started": repeats, "repeat_within_window": within if dated else None,
           "repeat_within_window_recorded": dated, "gaps": repeats if dated else 0,
           "median_gap_days": 300.0 if dated else None, "plans_ended": 20, "le_3m": 4, "3_6m": 2, "6_12m": 8,
           "1_2y": 4, "ge_2y": 2,
           "core_groups_recorded": recorded, "reviews_recorded": recorded, "agency_attendance_recorded": recorded}
    nums = dict(cg_first_on_time=8, cg_first_due=10, cg_intervals_on_time=30, cg_intervals_due=40,
                reviews_first_on_time=9, reviews_first_due=10, reviews_later_on_time=12, reviews_later_due=15,
                invited=100, attended=70)
    out.update({k: (v if recorded else float("nan")) for k, v in nums.items()})
    return out


ROWS = {"202": row("202", "Camden", 40, 12), "203": row("203", "Greenwich", 50, 10, recorded=False),
        "841": row("841", "Darlington", 30, 3, within=1, region="North East")}


class Seen(list):
    own_dates: list


@pytest.fixture
def asked_filters(fake_metrics):
    """Install the fake metrics with `info`; returns the filters the page asked for."""
    seen = Seen()
    dates: list = []

    def by_authority(filters, thresholds, own_dates=()):
        seen.append(filters)
        dates.append(own_dates)
        codes = filters.authorities or ("202", "203", "841")
        return pd.DataFrame([ROWS[c] for c in codes])

    def install(info=THREE):
        fake_metrics({"by_authority": by_authority}, info)
        seen.own_dates = dates    # what the page passed as each authority's own data date
        return seen
    return install


def sidebar_teams(at) -> list[str]:
    return next(w for w in at.sidebar.multiselect if w.label == "Team").options


def test_authorities_in_the_url_limit_the_filter_and_teams_follow(asked_filters):
    seen = asked_filters()
    at = open_page("regional", {"authority": ["202", "203"]})
    assert seen[-1].authorities == ("202", "203")
    assert sidebar_teams(at) == ["North", "South"]
    # Team (the filter most used) is shown first, its choices following the Authority below it
    assert [w.label for w in at.sidebar.multiselect][:2] == ["Team", "Authority"]
    assert "Camden" in findings(at)[0] and "Darlington" not in " ".join(findings(at))


def test_a_region_in_the_url_expands_to_its_authorities(asked_filters):
    seen = asked_filters()
    open_page("regional", {"region": "London"})
    assert seen[-1].authorities == ("202", "203")
    open_page("regional", {"region": "Inner London", "authority": "203"})   # Greenwich is Outer London
    assert seen[-1].authorities == ("202",)
    open_page("regional", {"region": "North East"})
    assert seen[-1].authorities == ("841",)


def test_one_authority_offers_no_authority_choice(asked_filters):
    seen = asked_filters({"authorities": ["202"], "team_authorities": {"202": ["North", "South"]}})
    at = open_page("regional", {"authority": "203", "region": "London"})
    assert seen[-1].authorities == ()
    assert "Authority" not in [w.label for w in at.sidebar.multiselect]


def test_published_figures_are_named_with_their_year(asked_filters):
    asked_filters()
    at = open_page("regional")
    first = findings(at)[0]
    assert first.startswith("Repeat plans ranged from 10.0% (Darlington) to 30.0% (Camden)") and "England 24.5%" in first
    spec = charts(at)[0]
    names = [t["name"] for t in spec["data"]]
    assert names[0] == "This data" and "England (published)" in names and "Its region (published)" in names
    assert spec["layout"]["xaxis"]["title"]["text"].startswith("Repeat plans, % of plans started")
    captions = " ".join(c.value for c in at.caption)
    assert "Characteristics of children in need" in captions and "ending 31 March 2025" in captions
    table = at.dataframe[0].value.set_index("Authority")
    assert table.loc["Camden", "Repeat plans, % (England, published 2024-25)"] == 24.5
    assert table.loc["Camden", "Repeat plans, % (published 2024-25)"] == 21.9


def test_not_recorded_for_the_authority_whose_source_lacks_it(asked_filters):
    asked_filters()
    at = open_page("regional")
    captions = " ".join(c.value for c in at.caption)
    assert "Core groups: not recorded in this data for Greenwich" in captions
    practice = charts(at)[-1]
    assert {t["name"] for t in practice["data"]} == {"Camden", "Darlington"}   # Greenwich is not drawn as 0


def test_repeats_within_the_window_not_recorded_for_an_authority_whose_earlier_plans_are_undated(fake_metrics):
    annex_a = row("203", "Greenwich", 50, 10, dated=False)
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], annex_a])}, THREE)
    at = open_page("regional")
    captions = " ".join(c.value for c in at.caption)
    assert "Repeat plans within 24 months, for Greenwich: not recorded in this data: no dates" in captions
    within = next(c for c in charts(at) if "within 24" in c["layout"]["xaxis"]["title"]["text"])
    (bars,) = within["data"]
    xs = bars["x"]
    if isinstance(xs, dict):   # plotly's typed array: base64 of float64
        xs = np.frombuffer(base64.b64decode(xs["bdata"]), dtype=xs["dtype"]).tolist()
    drawn = [y for y, x in zip(bars["y"], xs) if x is not None and not math.isnan(x)]
    assert drawn == ["Camden"] and bars["y"] == ["Camden", "Greenwich"]   # Greenwich is not drawn as 0
    table = next(d.value for d in at.dataframe if "Repeat within 24 months" in d.value.columns)
    greenwich = table[table["Authority"] == "Greenwich"].iloc[0]
    # blank (nothing recorded), never 0
    assert [greenwich[c] for c in ("Repeat within 24 months", "Share, %")] == ["", ""]
    # the median gap needs the same dates: Greenwich is named for it too, and drawn as no bar
    assert "The median gap between plans, for Greenwich: not recorded in this data" in captions
    gap = next(c for c in charts(at) if c["layout"]["xaxis"]["title"]["text"].startswith("Median gap"))
    assert gap["data"][0]["y"] == ["Camden", "Greenwich"]


def test_an_authority_whose_repeat_plans_are_partly_dated_is_named_as_a_floor(fake_metrics):
    """Darlington's census begins after some of its repeat plans' earlier plans: 1 within the window counts only its
    2 dated repeat plans of 3, so the page names it as at least its figure; Camden, every repeat plan dated, is not."""
    partly = {**ROWS["841"], "gaps": 2}
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], partly])}, THREE)
    captions = " ".join(c.value for c in open_page("regional").caption)
    assert "Repeat plans within 24 months, for Darlington: some repeat plans have no dated earlier plan" in captions
    assert "Camden: some" not in captions and "Camden, Darlington" not in captions
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], ROWS["841"]])}, THREE)
    assert "no dated earlier plan" not in " ".join(c.value for c in open_page("regional").caption)


def test_repeats_within_the_window_not_recorded_for_any_authority_draws_no_chart(fake_metrics):
    rows = [row("202", "Camden", 40, 12, dated=False), row("203", "Greenwich", 50, 10, dated=False)]
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame(rows)}, THREE)
    at = open_page("regional")
    assert any("Repeat plans within 24 months: not recorded in this data" in i.value for i in at.info)
    assert not [c for c in charts(at) if "within 24" in c["layout"]["xaxis"]["title"]["text"]]
    # nor the median gap: said not recorded, not a chart of empty axes titled "No repeat plan ..."
    assert any("The median gap between plans: not recorded in this data" in i.value for i in at.info)
    assert not [c for c in charts(at) if c["layout"]["xaxis"]["title"]["text"].startswith("Median gap")]


def test_the_authorities_without_a_gap_are_named_even_when_no_other_has_one(fake_metrics):
    """Camden's repeat plans are dated but none started (no gap); Greenwich's are undated: the page names Greenwich
    as not recorded for the gap and says no repeat plan has its previous plan in the data."""
    rows = [row("202", "Camden", 40, 0), row("203", "Greenwich", 50, 10, dated=False)]
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame(rows)}, THREE)
    at = open_page("regional")
    assert "The median gap between plans, for Greenwich: not recorded" in " ".join(c.value for c in at.caption)
    assert any("No repeat plan started in the period has its previous plan in the data" in i.value for i in at.info)


def test_small_numbers_are_suppressed(asked_filters, threshold):
    threshold(5)
    asked_filters()
    at = open_page("regional")
    table = at.dataframe[0].value
    darlington = table[table["Authority"] == "Darlington"].iloc[0]
    assert darlington["Repeat plans started"] == "c" and darlington["Repeat plans, % (this data)"] == "c"
    assert "suppressed" in findings(at)[0]


def test_rate_table_keeps_unrecorded_as_missing():
    frame = pd.DataFrame([ROWS["203"]])
    practice = regional.practice_table(frame)
    assert practice["percent"].isna().all() and not practice["recorded"].any()


def test_a_team_of_another_authority_is_dropped(asked_filters):
    seen = asked_filters()
    open_page("regional", {"authority": "202", "team": ["North", "South"]})   # South is Greenwich's
    assert seen[-1].teams == ("North",) and seen[-1].authorities == ("202",)


def test_a_store_naming_no_authority_is_shown_against_england(fake_metrics):
    whole = {**ROWS["202"], "authority": None, "name": regional.WHOLE, "region": None}
    fake_metrics({"by_authority": pd.DataFrame([whole])}, {"authorities": [], "team_authorities": {}})
    at = open_page("regional")
    assert "does not say which local authority" in " ".join(i.value for i in at.info)
    first = findings(at)[0]
    assert first == "30.0% of plans started in the data were repeat plans, against England 24.5% (DfE 2024-25)"
    assert [t["name"] for t in charts(at)[0]["data"]] == ["This data", "England (published)"]


def test_a_users_authorities_are_all_it_offers_and_a_foreign_one_is_named(asked_filters, monkeypatch):
    seen = asked_filters()
    monkeypatch.setattr(access, "current_scope", lambda: Scope(role="strategic_lead", authorities=("202", "203")))
    at = open_page("regional", {"authority": ["202", "841"]})
    assert any("Authority 841 is outside your scope" in w.value for w in at.warning)
    authority = next(w for w in at.sidebar.multiselect if w.label == "Authority")
    assert len(authority.options) == 2 and not any("841" in o for o in authority.options)
    assert seen[-1].authorities == ("202",)   # the store's data is bounded by the scope in SQL besides


UNEVEN = {**THREE, "data_date": date(2026, 3, 31),
          "authority_data_dates": {"202": date(2025, 3, 31), "203": date(2026, 3, 31), "841": date(2026, 3, 20)}}


def test_an_authority_is_read_as_of_its_own_data_date(asked_filters):
    seen = asked_filters(UNEVEN)
    open_page("regional", {"authority": "202"})
    assert seen[-1].as_of == date(2025, 3, 31)     # not Greenwich's later date
    open_page("regional", {"authority": ["202", "841"]})
    assert seen[-1].as_of == date(2026, 3, 20)
    open_page("regional", {"authority": "202", "as_of": "2024-12-31"})
    assert seen[-1].as_of == date(2024, 12, 31)    # a chosen date is kept


def _late_notes(at) -> tuple[list[str], list[str]]:
    """The late-data warnings of the sidebar and of the page."""
    return ([w.value for w in at.sidebar.warning if "ends before" in w.value],
            [w.value for w in at.main.warning if "ends before" in w.value])


def test_an_authority_whose_data_ends_early_is_named_once_for_how_the_page_reads_it(asked_filters):
    seen = asked_filters(UNEVEN)
    at = open_page("regional")
    assert seen[-1].as_of == date(2026, 3, 31)
    side, page = _late_notes(at)
    assert side == [] and len(page) == 1    # said once, by the page, for its own reading
    assert "Camden (202) on 31 Mar 2025" in page[0] and "Darlington" not in page[0]   # 11 days behind: same return
    assert "read as of their own last date" in page[0] and "look overdue" not in page[0]
    side, page = _late_notes(open_page("regional", {"as_of": "2026-03-31"}))
    assert side == [] and "look overdue" in page[0]    # a chosen date reads every authority as of it
    at = open_page("regional", {"authority": "203"})
    assert _late_notes(at) == ([], [])


def test_other_pages_say_it_in_the_sidebar(fake_metrics):
    fake_metrics({"headline": {"plans_started": 0, "plans_ended": 0}}, UNEVEN)
    side, page = _late_notes(open_page("overview"))
    assert len(side) == 1 and "look overdue" in side[0] and page == []


def test_a_team_name_two_authorities_use_names_them(asked_filters):
    asked_filters({**THREE, "team_authorities": {"202": ["North"], "203": ["North", "South"], "841": ["East"]}})
    at = open_page("regional")
    assert sidebar_teams(at) == ["East", "North (Camden, Greenwich)", "South"]
    at = open_page("regional", {"authority": "203"})
    assert sidebar_teams(at) == ["North", "South"]    # one authority: its own team, no names needed


def test_a_team_name_many_authorities_use_counts_them(asked_filters):
    """A regional store: every authority has a "North"; the choice counts them rather than listing 152 names."""
    codes = ["202", "203", "204", "841"]
    asked_filters({**THREE, "authorities": codes, "teams": ["North"], "team_authorities": {c: ["North"] for c in codes}})
    assert sidebar_teams(open_page("regional")) == ["North (4 LAs)"]
    at = open_page("regional", {"authority": ["202", "203", "841"]})
    assert sidebar_teams(at) == ["North (Camden, Greenwich, Darlington)"]    # three in view: still named


def test_a_scoped_user_is_limited_to_and_read_as_of_their_own_authority(asked_filters, monkeypatch):
    seen = asked_filters(UNEVEN)
    monkeypatch.setattr(access, "current_scope", lambda: Scope(role="service_manager", authorities=("202",)))
    at = open_page("regional")
    assert seen[-1].authorities == ("202",) and seen[-1].as_of == date(2025, 3, 31)
    assert "Authority" not in [w.label for w in at.sidebar.multiselect]    # one authority: nothing to choose
    assert not [w.value for w in at.sidebar.warning if "ends before" in w.value]
    open_page("regional", {"region": "London"})     # a region chosen by link: still only theirs
    assert seen[-1].authorities == ("202",) and seen[-1].as_of == date(2025, 3, 31)


def _audit_rates(codes, filters, thresholds, own_dates=()):
    rows = []
    for code in codes:
        challenged = {"202": 3, "203": 10, "841": 20}[code]
        for measure, num, den, recorded in (("Endings challenged", challenged, 40, True),
                                            ("Deficit wording", 20, 200, code != "203")):
            rows.append({"authority": code, "name": ROWS[code]["name"], "measure": measure, "question": "Q3",
                         "numerator": num if recorded else float("nan"), "denominator": den if recorded else float("nan"),
                         "percent": round(100 * num / den, 1) if recorded else float("nan"), "recorded": recorded,
                         "not_checked": ""})
    return pd.DataFrame(rows)


def test_the_endings_at_risk_rate_names_the_signs_not_checked(fake_metrics):
    """Authorities whose data holds no plan actions: the rate is counted from short plans, and the page says which
    warning signs were not checked for which authorities (as the Overview and Plan endings pages say)."""
    note = ("warning signs not checked: actions not done and adult need unaddressed, not recorded in this data: no "
            "plan actions (actions.csv); counted from the sign recorded (short plan) only")

    def rates(codes, filters, thresholds, own_dates=()):
        return pd.DataFrame([{"authority": c, "name": ROWS[c]["name"], "measure": "Warning sign, not re-planned yet",
                              "question": "Q1", "numerator": 2, "denominator": 20, "percent": 10.0, "recorded": True,
                              "not_checked": note if c != "841" else ""} for c in codes])
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS[c] for c in ("202", "203", "841")]),
                  "rates_by_authority": rates}, THREE)
    at = open_page("regional", {"audit_measures": "true"})
    said = " ".join(c.value for c in at.caption)
    assert ("Warning sign, not re-planned yet, for Camden, Greenwich: warning signs not checked: actions not done "
            "and adult need unaddressed") in said
    assert "Darlington:" not in said


def test_the_audit_measures_are_worked_out_only_when_asked(fake_metrics, threshold):
    asked = fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS[c] for c in ("202", "203", "841")]),
                          "rates_by_authority": _audit_rates}, THREE)
    at = open_page("regional")
    assert "rates_by_authority" not in asked
    before = len(charts(at))
    at = open_page("regional", {"audit_measures": "true"})
    assert "rates_by_authority" in asked and len(charts(at)) == before + 1
    assert "Authorities differ most on endings challenged: 8% (Camden) to 50% (Darlington)" in findings(at)
    assert any("Deficit wording: not recorded in this data for Greenwich" in c.value for c in at.caption)
    greenwich = next(t for t in charts(at)[-1]["data"] if t["name"] == "Greenwich")
    assert list(greenwich["y"]) == ["Endings challenged"]    # not recorded: no bar, never a 0
    threshold(5)
    at = open_page("regional", {"audit_measures": "true"})
    assert "Share, %: some values suppressed (c, suppressed: fewer than 5)" in findings(at)   # Camden's 3 of 40
    camden = next(t for t in charts(at)[-1]["data"] if t["name"] == "Camden")
    assert list(camden["y"]) == ["Deficit wording"]


def test_a_withheld_audit_count_takes_a_second_in_the_table_and_the_chart(fake_metrics, threshold):
    """Endings challenged: Camden 3, Greenwich 10, Darlington 20 of 40 each.  The Challenge page prints the three
    authorities' 33 endings challenged, so with Camden's 3 withheld, 33 - 10 - 20 gave it back: Greenwich's 10 goes
    too, from the table and from the chart (whose hover said "10 of 40")."""
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS[c] for c in ("202", "203", "841")]),
                  "rates_by_authority": _audit_rates}, THREE)
    threshold(5)
    at = open_page("regional", {"audit_measures": "true"})
    table = at.dataframe[-1].value
    challenged = table[table["Measure"] == "Endings challenged"].set_index("Authority")
    assert challenged.loc["Camden", "Count"] == "c" and challenged.loc["Greenwich", "Count"] == "c"
    assert str(challenged.loc["Darlington", "Count"]) == "20"
    drawn = {t["name"]: list(t["y"]) for t in charts(at)[-1]["data"]}
    assert "Endings challenged" not in drawn.get("Greenwich", []) and "Endings challenged" in drawn["Darlington"]


def test_an_authority_with_no_plans_in_the_period_is_blank_in_the_audit_measures(fake_metrics):
    """The page says an authority with no plan started or ended in the period is "blank in the tables, and left out
    of the rates below"; the audit measures' table printed its endings at risk as 0 of 0 (South Tyneside and LA 999
    on the regional store, whose data ends before the period)."""
    quiet = {**ROWS["841"], "plans_started": 0, "repeat_plans_started": 0, "repeat_within_window": 0, "gaps": 0,
             "plans_ended": 0, **{b: 0 for b in ("le_3m", "3_6m", "6_12m", "1_2y", "ge_2y")}}

    def rates(codes, filters, thresholds, own_dates=()):
        return pd.DataFrame([{"authority": c, "name": ROWS[c]["name"], "measure": "Warning sign, not re-planned yet",
                              "question": "Q1", "numerator": 0 if c == "841" else 6,
                              "denominator": 0 if c == "841" else 40, "percent": None if c == "841" else 15.0,
                              "recorded": True, "not_checked": ""} for c in codes])
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], ROWS["203"], quiet]),
                  "rates_by_authority": rates}, THREE)
    at = open_page("regional", {"audit_measures": "true"})
    assert any("No plan started or ended in the period for Darlington" in c.value for c in at.caption)
    row = at.dataframe[-1].value.set_index("Authority").loc["Darlington"]
    assert all(pd.isna(row[c]) or str(row[c]) == "" for c in ("Count", "Of", "Share, %")), row.to_dict()
    assert str(at.dataframe[-1].value.set_index("Authority").loc["Camden", "Count"]) == "6"


def test_an_authority_the_data_does_not_hold_is_named_in_a_link(asked_filters):
    seen = asked_filters()
    at = open_page("regional", {"authority": ["999", "202"]})
    assert any("Authority 999 is not in this data" in w.value and "Camden (202)" in w.value for w in at.warning)
    assert seen[-1].authorities == ("202",)


def test_an_authority_with_no_plans_in_the_period_is_said(fake_metrics):
    quiet = {**ROWS["841"], "plans_started": 0, "repeat_plans_started": 0, "repeat_within_window": 0, "gaps": 0,
             "plans_ended": 0, **{b: 0 for b in ("le_3m", "3_6m", "6_12m", "1_2y", "ge_2y")}}
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], ROWS["203"], quiet])}, THREE)
    at = open_page("regional")
    assert any("No plan started or ended in the period for Darlington" in c.value for c in at.caption)



def test_each_authority_is_read_as_of_its_own_date_unless_one_is_chosen(asked_filters):
    seen = asked_filters(UNEVEN)
    open_page("regional")
    assert dict(seen.own_dates[-1]) == UNEVEN["authority_data_dates"]
    open_page("regional", {"as_of": "2025-12-31"})
    assert seen.own_dates[-1] == ()     # a date chosen: every authority as of it


def test_a_date_chosen_after_the_data_date_reads_each_authority_as_none_chosen(asked_filters):
    # The sidebar says a date after the data date is read as the data date; the view then asked the same filters as
    # with none chosen but dropped each authority's own date, so an authority whose data ends early (South Tyneside's
    # later reviews on the regional store: 196 of 207 on time, 196 of 240 with As of 1 Jan 2030) read differently.
    seen = asked_filters(UNEVEN)
    open_page("regional")
    none_chosen = (seen[-1], seen.own_dates[-1])
    for later in ("2030-01-01", "2026-04-01"):
        open_page("regional", {"as_of": later})
        assert (seen[-1], seen.own_dates[-1]) == none_chosen, later


def test_a_deadline_row_withholds_what_the_timeliness_table_withholds(fake_metrics, threshold):
    # Camden's later reviews: 93 on time, 2 late, 191 not yet due.  The Core groups & agencies page shows the 93 and
    # withholds the 2; the view printed 'on time c, due 95', and 95 - 93 gave the 2 back.  Its first core groups:
    # 195 on time, 37 late, 3 not yet due; that page withholds the 3 and, as they add up to plans started, the 37;
    # the view's due of 232 gave back both (plans started - 232, 232 - 195).
    threshold(5)
    camden = row("202", "Camden", 235, 12)
    camden.update(cg_first_on_time=195, cg_first_due=232, cg_first_not_due=3,
                  reviews_later_on_time=93, reviews_later_due=95, reviews_later_not_due=191)
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([camden])}, THREE)
    at = open_page("regional")
    table = next(d.value for d in at.dataframe if "Due or invited" in d.value.columns).set_index("Measure")
    for measure, on_time in (("Later reviews on time", "93"), ("First core group on time", "195")):
        assert table.loc[measure, "Due or invited"] == "c" and table.loc[measure, "Share, %"] == "c"
        assert str(table.loc[measure, "On time or attended"]) == on_time   # shown on that page too
    assert str(table.loc["Agency attendance at core groups", "Due or invited"]) == "100"
    marks = [a["text"] for c in charts(at) for a in c.get("layout", {}).get("annotations", [])]
    assert any("c" == m or m.endswith(" c") for m in marks)


def test_an_authority_with_no_plans_in_the_period_has_blank_counts_not_zeros(fake_metrics):
    """South Tyneside's data ends in 2024, before the period: its tables read blank (nothing known), not "Repeat plans
    started 0, Plans started 0" or "Repeat plans with a gap 0", as the page's caption promises."""
    quiet = {**ROWS["841"], "plans_started": 0, "repeat_plans_started": 0, "repeat_within_window": 0, "gaps": 0,
             "median_gap_days": None, "plans_ended": 0, **{b: 0 for b in ("le_3m", "3_6m", "6_12m", "1_2y", "ge_2y")}}
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], ROWS["203"], quiet])}, THREE)
    at = open_page("regional")
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    checked = 0
    for table in tables:
        if "Authority" not in table.columns:
            continue
        for column in ("Repeat plans started", "Plans started", "Repeat plans with a gap", "Repeat within 24 months"):
            if column in table.columns:
                cell = table.loc[table["Authority"] == "Darlington", column].iloc[0]
                assert str(cell) in ("", "nan", "None"), (column, cell)
                checked += 1
        camden = table.loc[table["Authority"] == "Camden"]
        if "Plans started" in table.columns:
            assert str(camden["Plans started"].iloc[0]) == "40"
    assert checked >= 4


def test_a_team_the_data_does_not_hold_is_named_in_a_link(asked_filters):
    """A link from another store (or a slip) with a team this data lacks: said, where it was dropped silently."""
    seen = asked_filters()
    at = open_page("regional", {"team": ["Nobody", "North"]})
    warning = next(w.value for w in at.warning if "Team Nobody" in w.value)
    assert "is not in this data" in warning and "North" in warning
    assert seen[-1].teams == ("North",)
    assert not any("Team North" in w.value for w in at.warning)


def test_a_comparator_dfe_does_not_publish_reads_not_published_in_the_table_and_its_csv(fake_metrics, csvs):
    """LA 999 (an Annex A return under a number DfE does not publish): its published cells were blank or a dash,
    which a reader could take for zero or for data missing.  They read "not published" (reference/benchmarks.py,
    NOT_PUBLISHED) on screen and in the CSV; England, which DfE publishes, stays a number."""
    from paqa_dash.reference.benchmarks import NOT_PUBLISHED

    unknown = {**row("999", "LA 999", 30, 6), "region": None}
    fake_metrics({"by_authority": lambda f, t, own_dates=(): pd.DataFrame([ROWS["202"], unknown])},
                 {**THREE, "authorities": ["202", "999"]})
    at = open_page("regional")
    assert not at.exception
    table = at.dataframe[0].value.set_index("Authority")
    published = [c for c in table.columns if "published" in c]
    england = next(c for c in published if "England" in c)
    assert len(published) == 4
    for column in published:
        if column != england:
            assert table.loc["LA 999", column] == NOT_PUBLISHED, (column, table.loc["LA 999", column])
    assert float(table.loc["LA 999", england]) == 24.5
    assert float(table.loc["Camden", next(c for c in published if "(published" in c)]) == 21.9
    csv = next(c for c in csvs if c.startswith("Authority,LA number,Repeat plans started"))
    line = next(x for x in csv.splitlines() if x.startswith("LA 999,"))
    assert line.count(NOT_PUBLISHED) == 3 and ",24.5" in line, line


def test_an_authority_with_no_plan_in_the_period_reads_a_dash_on_every_chart_listing_it(fake_metrics):
    """The page says such an authority is "shown as – where a chart lists every authority"; the gap and duration
    band charts listed it with a blank row (a newcomer's screenshot of the regional store, South Tyneside and LA 999
    in 2025-26), which read as a chart not drawn."""
    idle = {**row("841", "Darlington", 0, 0, region="North East"), "plans_ended": 0, "le_3m": 0, "3_6m": 0,
            "6_12m": 0, "1_2y": 0, "ge_2y": 0, "gaps": 0, "median_gap_days": None}
    fake_metrics({"by_authority": pd.DataFrame([ROWS["202"], ROWS["203"], idle])}, THREE)
    at = open_page("regional")
    assert any("Darlington: shown as –" in c.value or ("Darlington" in c.value and "shown as –" in c.value)
               for c in at.caption)
    figs = {c["layout"]["xaxis"]["title"]["text"].replace("<br>", " "): c for c in charts(at)}
    gaps = next(f for t, f in figs.items() if t.startswith("Median gap"))
    bar = gaps["data"][0]
    assert dict(zip(bar["y"], bar["text"]))["Darlington"] == "–"
    bands = next(f for t, f in figs.items() if t.startswith("Plans ended, %"))
    said = {y: t for trace in bands["data"] if trace.get("mode") == "text" for y, t in zip(trace["y"], trace["text"])}
    assert said == {"Darlington": "–"}


def test_a_link_to_a_team_name_two_authorities_use_chooses_it(asked_filters):
    """The Team box shows a shared name with its authorities' names, and a link's ?team=North still chooses it (a
    widget bound to the URL matched the link against the words shown and dropped it: every team was read)."""
    seen = asked_filters({**THREE, "team_authorities": {"202": ["North"], "203": ["North", "South"], "841": ["East"]}})
    at = open_page("regional", {"team": "North"})
    assert at.sidebar.multiselect(key="team").value == ["North"]
    assert seen[-1].teams == ("North",)
    assert at.query_params.get("team") in ("North", ["North"])


def test_more_authorities_than_a_region_holds_are_drawn_as_marks_and_the_page_says_how(fake_metrics):
    """A national store with no region chosen: every chart is a line of marks per measure, not a bar per authority,
    and the page says so once and how to see them side by side; a region chosen draws bars again."""
    from paqa_dash.reference import authorities as la
    codes = sorted(la.table())[:40]
    rows = {c: {**row(c, la.name(c), 40, 10, region=la.region_of(c)), "gaps": 9} for c in codes}   # one undated

    def by_authority(filters, thresholds, own_dates=()):
        return pd.DataFrame([rows[c] for c in (filters.authorities or codes)])
    fake_metrics({"by_authority": by_authority},
                 {"authorities": codes, "team_authorities": {c: ["North"] for c in codes}, "teams": ["North"]})
    at = open_page("regional")
    said = [i.value for i in at.info if "authorities are in view, more than any region holds" in i.value]
    assert len(said) == 1 and said[0].startswith("40 authorities")
    kinds = {t["type"] for spec in charts(at) for t in spec["data"]}
    assert kinds == {"scatter"} and max(spec["layout"]["height"] for spec in charts(at)) < 700
    assert len(at.dataframe[0].value) == 40       # the table lists every authority
    floors = [c.value for c in at.caption if "the true share is at least it" in c.value]
    assert floors == [floor_for(["all 40 authorities in view"], "Repeat plans within 24 months")]   # not 40 names
    which = [e for e in at.expander if e.label == "Which 40 authorities"]
    assert len(which) == 1 and la.name(codes[0]) in which[0].caption[0].value    # named where a lead can find theirs
    region = la.region_of(codes[0])
    at = open_page("regional", {"region": region})
    assert not [i for i in at.info if "more than any region holds" in i.value]
    assert charts(at)[0]["data"][0]["type"] == "bar"
