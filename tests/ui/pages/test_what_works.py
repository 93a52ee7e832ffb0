"""What works page, fast tier: the metrics layer answers with a small hand-made set of endings (see conftest.py)."""
from __future__ import annotations

import json

import pandas as pd

from paqa_dash.metrics import works
from paqa_dash.metrics.coverage import Coverage
from paqa_dash.reference.recorded import DATA_KINDS
from paqa_dash.reference.works import WORKS_SPLITS
from support.pages import findings, open_page



def endings(n_with: int = 8, n_without: int = 8) -> pd.DataFrame:
    """n_with endings with an adult-facing practitioner (one re-planned at 5 months), n_without without (four
    re-planned); every one followed 30 months or to its re-plan."""
    rows = []
    for i in range(n_with + n_without):
        adult = i < n_with
        replanned = (i == 0) if adult else (i - n_with) < 4
        rows.append({"team": "North" if i % 2 else "South", "fgc": i % 3 == 0, "family_views": adult,
                     "co_produced": i % 2 == 0, "relational": False, "ending_work": "underlying" if adult else
                     "first_order_only", "final_ending": False, "outcome_known": True, "replanned_in_window": replanned,
                     "sustained": not replanned, "adult_practitioner": adult, "intervention": adult,
                     "months_followed": 5.0 if replanned else 30.0,
                     "next_start": pd.Timestamp("2022-01-01") if replanned else pd.NaT, "next_plan": replanned,
                     "year": 2021})
    frame = pd.DataFrame(rows)
    frame["any_restorative"] = frame[["fgc", "family_views", "co_produced", "relational"]].any(axis=1)
    return frame


def result(frame: pd.DataFrame) -> works.Works:
    actions = pd.DataFrame({"team": ["North", "North", "South"], "action_class": ["first_order", "underlying", "other"],
                            "actions": [1, 1, 1], "completed": [1, 1, 0]})
    curves, at_risk = works.survival_curves(frame)
    return works.Works(restorative=works.restorative_by_team(frame),
                       action_classes=works.action_classes_by_team(actions),
                       ending_work=works.ending_work_rates(frame), curves=curves, at_risk=at_risk,
                       sustained=works.sustained_by(frame), window_months=24, plans_ended=len(frame))


def held(actions: int = 10) -> Coverage:
    frame = pd.DataFrame([{"year": 2021, "team": "North", "plans": 10, **{k: 10 for k in DATA_KINDS}}])
    frame["actions"] = actions
    return Coverage(frame, {})




def test_each_section_states_its_finding(fake_metrics) -> None:
    # 24 endings each side: enough to set the groups against each other (docs/definitions.md, "Small bases")
    fake_metrics({"review": result(endings(24, 24)), "coverage": held()})
    at = open_page("what_works")
    found = findings(at)
    assert any("family group conference" in t for t in found), found
    assert any("Re-planned within 24 months: 17% after first-order change only, 4% after work" in t
               for t in found), found
    assert "24 months after ending, no other plan: 96% with an adult-facing practitioner, 83% without" in found, found
    assert any("Association, not proof" in i.value for i in at.info)
    # the numbers at risk the curves rest on are on the page, not only in a download: a row for each of 0, 3, 6, 12, 18
    # and 24 months, a column per group (with the six times across, "24 months" scrolled out of view at 800 px)
    assert any(list(df.value.index) == ["0 months", "3 months", "6 months", "12 months", "18 months", "24 months"]
               and list(df.value.columns) == ["With", "Without"] for df in at.dataframe)


def test_no_actions_says_not_recorded(fake_metrics) -> None:
    fake_metrics({"review": result(endings()), "coverage": held(actions=0)})
    at = open_page("what_works")
    assert not at.get("plotly_chart")
    assert any("records no plan actions" in i.value for i in at.info)


def test_no_endings_shows_the_empty_state_of_the_years_the_caption_names(fake_metrics) -> None:
    # with no period chosen the page shows the five years whose endings could have been followed up (its caption
    # says which): the empty state names those years and endings, not the latest complete year, which it does not show
    fake_metrics({"review": result(endings(1, 0).iloc[0:0]), "coverage": held()})
    at = open_page("what_works")
    assert not at.get("plotly_chart")
    caption = " ".join(c.value for c in at.caption)
    assert "it shows 1 April 2018 to 31 March 2023, the 5 reporting years" in caption, caption
    message = " ".join(i.value for i in at.info)
    assert ("No plans ended from 1 April 2018 to 31 March 2023, the 5 reporting years whose plans could have been "
            "followed up for 24 months, shown because no period is chosen") in message, message
    assert "2024-25" not in message and "latest complete reporting year" not in message, message


def test_small_numbers_are_suppressed_for_a_reader_with_a_threshold(fake_metrics, threshold) -> None:
    from support.overview_data import HEADLINE, QUARTERLY

    threshold(5)
    # a strategic lead opens the Overview first
    fake_metrics({"review": result(endings(8, 3)), "coverage": held(), "headline": HEADLINE, "quarterly": QUARTERLY})
    at = open_page("what_works")
    found = findings(at)
    # three endings without an adult-facing practitioner: that curve is not drawn, and no figure is claimed for it
    assert not any(t.startswith("24 months after ending") for t in found), found
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if "no other plan" in json.loads(c.proto.spec)["layout"]["meta"]["finding"])
    assert [t.get("name") for t in spec["data"] if t.get("name")] == ["Adult-facing practitioner involved"]
    numbers = next(df.value for df in at.dataframe if "0 months" in list(df.value.index))
    assert numbers["Without"].tolist() == ["c", "c", "0", "0", "0", "0"]   # all three re-planned by 5 months


def test_the_sidebar_names_the_years_the_page_shows(fake_metrics) -> None:
    """Every view here follows endings up, so with no period chosen the page shows five earlier years: the sidebar's
    note names those, not the latest complete reporting year, which the page does not show."""
    fake_metrics({"review": result(endings()), "coverage": held()})
    at = open_page("what_works")
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert ("No period chosen: 1 April 2018 to 31 March 2023, the 5 reporting years whose plans could have been "
            "followed up for 24 months") in notes, notes
    assert "latest complete reporting year" not in notes and "2025" not in notes, notes


def test_endings_not_yet_followed_up_the_window_are_said_too_recent_not_drawn(fake_metrics) -> None:
    """A recent period (West, January to March 2025): no ending has been followed the 24 months yet, so the re-plan
    rates by the work completed and the sustained endings by team and year are not drawn over "outcome known 0" and
    an empty table, but said too recent to tell, in Household change's words."""
    recent = endings(8, 8).assign(outcome_known=False, replanned_in_window=False, sustained=False,
                                  months_followed=3.0, next_start=pd.NaT)
    fake_metrics({"review": result(recent), "coverage": held()})
    at = open_page("what_works", {"team": "West", "from": "2025-01-01", "to": "2025-03-31"})
    found = findings(at)
    assert not any("Re-planned within 24 months" in t for t in found), found
    said = [i.value for i in at.info]
    assert any(s.startswith("**No ending in the period has been followed up 24 months yet, so its re-plan rate by the "
                            "work completed") for s in said), said
    sustained = [s for s in said if s.startswith("**No ending in the period has been followed up 24 months yet, so "
                                                 "sustained endings")]
    assert len(sustained) == 2 and sustained[0] != sustained[1], sustained   # one for each comparison, each named
    assert "Sustained endings by team and year" not in found, found
    # the Kaplan-Meier curves count endings while followed (censored), so they are still drawn
    assert any(t.startswith("Endings with no other plan") for t in found), found


def test_a_withheld_step_of_a_survival_table_is_not_the_rows_beside_it(fake_metrics, threshold) -> None:
    # A reviewer at threshold 5 read "Still followed 650, Events c, Censored 0" and at risk 649 on the next row: each
    # step's events are its at risk less the next row's less its censored endings, so every "c" came back.  Here each
    # group has single re-plans at distinct months, as real curves do.
    threshold(5)
    frame = endings(40, 40)
    replanned = [i for i in range(80) if i % 4 == 0]                 # 10 each side, one a month
    frame["replanned_in_window"] = frame.index.isin(replanned)
    frame["sustained"] = ~frame["replanned_in_window"]
    frame["months_followed"] = [1.0 + i // 4 if i in replanned else 30.0 - (i % 3) for i in range(80)]
    fake_metrics({"review": result(frame), "coverage": held()})
    at = open_page("what_works")
    tables = [df.value for df in at.dataframe if "Events" in df.value.columns]
    assert len(tables) == 2
    for table in tables:
        at_risk_col = "Still followed (at risk)"
        censored = next(c for c in table.columns if c.startswith("Censored"))
        table = table.rename(columns={censored: "Censored"})
        for _, rows in table.groupby("Group", sort=False):
            rows = rows.reset_index(drop=True)
            for k in range(len(rows)):
                for col in ("Events", "Censored"):                   # no step's count is 1 to 4, shown or not
                    value = rows.at[k, col]
                    assert value == "c" or not 0 < int(value) < 5, rows
                if k + 1 < len(rows) and "c" in {rows.at[k, "Events"], rows.at[k, "Censored"]}:
                    shown = [rows.at[k, at_risk_col], rows.at[k + 1, at_risk_col],
                             rows.at[k, "Censored"], rows.at[k, "Events"]]
                    assert shown.count("c") >= 2, rows                # one unknown in the step: given back
    # the numbers at risk under each chart are read from the steps shown: a month's number is one a step starts with,
    # not the count between two steps, which said how many of a step's events came before the month
    numbers = [df.value for df in at.dataframe if "3 months" in list(df.value.index)]
    assert len(numbers) == 2
    for table, counts in zip(tables, numbers):
        for group, row in counts.items():   # a column per group, a row per month
            starts = set(table.loc[table["Group"] == group, "Still followed (at risk)"].astype(str)) | {"0", "c"}
            assert set(row.astype(str)) <= starts, (group, row.tolist(), sorted(starts))


def test_each_table_of_numbers_at_risk_has_its_csv(fake_metrics, csvs) -> None:
    """The numbers at risk under each survival curve were a grid with no CSV (a newcomer counted 9 tables and 7
    downloads on the page): each now has one, with the groups named and the same months."""
    fake_metrics({"review": result(endings(24, 24)), "coverage": held()})
    at = open_page("what_works")
    buttons = [b for b in at.get("download_button") if "numbers at risk" in b.proto.label.lower()]
    assert len(buttons) == len(WORKS_SPLITS), [b.proto.label for b in at.get("download_button")]
    at_risk = [c for c in csvs if c.startswith("Time after the ending,")]
    assert len(at_risk) == len(WORKS_SPLITS), [c.splitlines()[0] for c in csvs]
    assert at_risk[0].splitlines()[0] == "Time after the ending,With,Without"
    assert [line.split(",")[0] for line in at_risk[0].splitlines()[1:]] == ["0 months", "3 months", "6 months",
                                                                            "12 months", "18 months", "24 months"]
