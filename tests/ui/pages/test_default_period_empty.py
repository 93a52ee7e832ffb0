"""A store whose plans all lie before the default period (the latest complete reporting year) opens on a message
that says which year is shown and where the plans are, not "clear the filters" to a user who set none."""
from __future__ import annotations

from datetime import date

import pandas as pd
from support.overview_data import HEADLINE, QUARTERLY
from support.pages import open_page

from paqa_dash.ui.components import default_period_empty, filter_hint, listed

# plans from April 2020 to March 2022, data date June 2024: the default period is 2023-24, which holds none
OLD_PLANS = {"first_date": date(2020, 4, 1), "last_date": date(2022, 3, 31), "data_date": date(2024, 6, 30)}


def infos(at) -> str:
    return " ".join(i.value for i in at.info)


def test_the_overview_names_the_year_shown_and_where_the_plans_are(fake_metrics) -> None:
    fake_metrics({"headline": {**HEADLINE, "plans_started": 0, "plans_ended": 0}, "quarterly": QUARTERLY.iloc[0:0]},
                 info=OLD_PLANS)
    text = infos(open_page("overview"))
    assert "No plans in 2023-24, the latest complete reporting year (1 April 2023 to 31 March 2024)" in text
    assert "The store's plans start and end between Apr 2020 and Mar 2022" in text
    assert "clear the team" not in text


def test_the_endings_page_says_the_same(fake_metrics) -> None:
    bands = pd.DataFrame({"band": ["le_3m"], "label": ["3 months or less"], "plans": [0], "share": [None]})
    fake_metrics({"ended_bands": bands}, info=OLD_PLANS)
    text = infos(open_page("endings"))
    assert "No plans ended in 2023-24" in text and "between Apr 2020 and Mar 2022" in text


def test_the_endings_page_with_a_chosen_period_says_no_plan_ended(fake_metrics) -> None:
    # plans may have started in the period and not ended: "no plans match" would say the filter found none
    bands = pd.DataFrame({"band": ["le_3m"], "label": ["3 months or less"], "plans": [0], "share": [None]})
    fake_metrics({"ended_bands": bands}, info=OLD_PLANS)
    text = infos(open_page("endings", {"from": "2023-04-01"}))
    assert "No ended plans match these filters" in text and "No plans match" not in text


def test_a_chosen_period_keeps_the_filter_hint(fake_metrics) -> None:
    fake_metrics({"headline": {**HEADLINE, "plans_started": 0, "plans_ended": 0}, "quarterly": QUARTERLY.iloc[0:0]},
                 info=OLD_PLANS)
    text = infos(open_page("overview", {"from": "2023-04-01"}))
    assert "No plans match these filters" in text and "No plans in 2023-24" not in text


def test_the_wording_when_the_span_covers_the_year_or_other_filters_are_set() -> None:
    year = (date(2023, 4, 1), date(2024, 3, 31))
    # plans either side of the year and none in it (or a team's filter left none): the period is still what to change,
    # and "clear the filters" is not said to a user who set none
    spans = default_period_empty(*year, date(2020, 4, 1), date(2024, 1, 1))[1]
    assert spans.startswith("The store's plans start and end between Apr 2020 and Jan 2024") and spans.endswith("see them.")
    hint = default_period_empty(*year, date(2020, 4, 1), date(2022, 3, 31), other_filters=("team", "age"))[1]
    assert hint.endswith("see them, or clear the team and age filters."), hint
    hint = default_period_empty(*year, date(2020, 4, 1), date(2022, 3, 31), other_filters=("plan number",))[1]
    assert hint.endswith("see them, or clear the plan number filter."), hint
    assert default_period_empty(None, None, None, None)[0] == "No plans match these filters"


def test_the_duplicates_page_names_the_year_shown_too(fake_metrics) -> None:
    total = {"plans": 0, "actions": 0, "duplicated": 0, "plans_with_duplicates": 0}
    fake_metrics({"dup_summary": {"total": total}}, info=OLD_PLANS)
    text = infos(open_page("duplicates"))
    assert "No repeat plans in 2023-24, the latest complete reporting year" in text, text
    assert "between Apr 2020 and Mar 2022" in text and "clear the team" not in text


def test_the_advice_names_only_the_filters_set() -> None:
    """"Clear the team, category, plan number or age filters" sent a user who set none looking for one."""
    assert filter_hint((), True) == "Widen the period in the sidebar."
    assert filter_hint(("team",), True) == "Widen the period, or clear the team filter in the sidebar."
    assert filter_hint(("team", "category", "age"), True) == ("Widen the period, or clear the team, category and age "
                                                              "filters in the sidebar.")
    # with no period chosen the page shows one reporting year: "widen the period" is no advice there
    unset = filter_hint((), False)
    assert unset.startswith("No period is chosen, so the page shows the latest complete reporting year")
    assert "Widen" not in unset and "clear" not in unset
    assert filter_hint(("age",), False).endswith("for other years, or clear the age filter.")
    assert (listed(()), listed(("a",)), listed(("a", "b")), listed(("a", "b", "c"))) == ("", "a", "a and b", "a, b and c")



# A regional store: Gateshead's returns run to March 2026, South Tyneside's ended in March 2024.
REGION = {"authorities": ["390", "393"], "team_authorities": {"390": [], "393": []},
          "first_date": date(2020, 4, 2), "last_date": date(2026, 3, 31), "data_date": date(2026, 3, 31),
          "authority_data_dates": {"390": date(2026, 3, 31), "393": date(2024, 3, 31)},
          "authority_spans": {"390": (date(2021, 4, 4), date(2026, 3, 31)), "393": (date(2020, 4, 2), date(2024, 3, 18))}}


def test_an_authority_chosen_is_sent_to_its_own_years_not_the_store_s(fake_metrics) -> None:
    """"The store also holds plans up to Mar 2026" was true of the store, not of South Tyneside."""
    fake_metrics({"headline": {**HEADLINE, "plans_started": 0, "plans_ended": 0}, "quarterly": QUARTERLY.iloc[0:0]},
                 info=REGION)
    at = open_page("overview", {"authority": "393"})
    text = infos(at)
    assert "South Tyneside's plans start and end between Apr 2020 and Mar 2024" in text, text
    assert "Mar 2026" not in text and "Mar 2026" not in " ".join(c.value for c in at.caption)


def test_a_period_after_an_authority_s_data_says_its_data_ends_before_it(fake_metrics) -> None:
    fake_metrics({"headline": {**HEADLINE, "plans_started": 0, "plans_ended": 0}, "quarterly": QUARTERLY.iloc[0:0]},
                 info=REGION)
    text = infos(open_page("overview", {"authority": "393", "from": "2024-04-01", "to": "2025-03-31"}))
    assert "South Tyneside's data ends 31 Mar 2024, before the period chosen." in text, text
    # with the other authority too, there may be plans: nothing is said of the data's end
    text = infos(open_page("overview", {"from": "2024-04-01", "to": "2025-03-31"}))
    assert "data ends" not in text, text


def test_this_data_beside_england_names_only_authorities_with_plans_in_the_year(fake_metrics) -> None:
    """2025-26: South Tyneside's returns ended in March 2024, so it is not part of "this data" that year."""
    import json

    from support.overview_data import HELD
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD}, info=REGION)
    at = open_page("overview")
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    names = {str(v) for trace in bars for v in (trace.get("y") or []) + (trace.get("x") or [])}
    assert "Gateshead (390), this data" in names, names
    assert not any("South Tyneside" in n for n in names)


def test_a_period_after_the_data_says_so_in_a_store_of_one_authority_too(fake_metrics) -> None:
    fake_metrics({"headline": {**HEADLINE, "plans_started": 0, "plans_ended": 0}, "quarterly": QUARTERLY.iloc[0:0]},
                 info=OLD_PLANS)
    text = infos(open_page("overview", {"from": "2030-01-01"}))
    assert "The data ends 30 Jun 2024, before the period chosen. Widen the period in the sidebar." in text, text


def test_the_period_note_of_two_authorities_chosen_reads_as_a_sentence(fake_metrics) -> None:
    info = {**REGION, "authority_data_dates": {"390": date(2025, 6, 30), "393": date(2025, 6, 30)},
            "authority_spans": {"390": (date(2021, 4, 4), date(2025, 6, 20)), "393": (date(2020, 4, 2), date(2024, 3, 18))}}
    from support.overview_data import HELD
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD}, info=info)
    at = open_page("overview", {"authority": ["390", "393"]})
    notes = " ".join(c.value for c in at.caption)
    assert "The authorities chosen also hold plans after it, up to Jun 2025" in notes, notes
