"""A briefing chart is marked and retitled for suppression only where it lost what it draws (exports.md: the
finding as the title)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import trends
from paqa_dash.report import rules
from paqa_dash.report.briefing.charts import Card


def quarterly() -> pd.DataFrame:
    quarters = pd.to_datetime(["2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"])
    return pd.DataFrame({"quarter": quarters, "label": ["Apr-Jun 2025", "Jul-Sep 2025", "Oct-Dec 2025", "Jan-Mar 2026"],
                         "plans_started": [60, 55, 70, 50], "repeat_plans_started": [12, 10, 15, 9],
                         "repeat_rate": [0.2, 10 / 55, 15 / 70, 0.18], "plans_ended": [40, 45, 50, 42],
                         "ended_le_3m": [2, 6, 7, 8]})


def test_the_repeat_share_keeps_its_finding_when_only_plans_ended_are_withheld():
    table = quarterly()
    card = Card(threshold=5)
    shown = card.hidden(table, rules.QUARTERLY_RULE)
    card.add("overview_repeat_trend", "Overview", lambda: trends.repeat_share_trend(shown, 46 / 235, 235), "notes",
             table, rules.QUARTERLY_RULE, drawn=rules.REPEAT_TREND_DRAWS)
    card.add("overview_starts_endings", "Overview", lambda: trends.starts_endings_trend(shown), "notes",
             table, rules.QUARTERLY_RULE)
    repeat, endings = card.charts
    assert repeat.title.startswith("19.6% of plans started in the period were repeat plans")
    assert not repeat.figure.layout.annotations
    assert "c" in repeat.table["ended_le_3m"].tolist()            # the table still reads c where it withholds
    assert "some values suppressed" in endings.title              # the chart that draws the 2 is marked


def test_the_starts_and_endings_slide_keeps_its_finding_from_the_headline_with_the_note_under_it():
    # the finding is the headline's figures (235 started, 177 ended, 23 within 3 months), not sums over the quarters
    # left: a quarter's withheld 2 marks the chart, and the finding stays with the note on the line under it
    table = quarterly()
    head = {"plans_started": 235, "repeat_plans_started": 46, "plans_ended": 177, "ended_le_3m": 23}
    card = Card(threshold=5)
    shown = card.hidden(table, rules.QUARTERLY_RULE)
    card.add("overview_starts_endings", "Overview",
             lambda: trends.starts_endings_trend(shown, rules.starts_endings_totals(head)), "notes",
             table, rules.QUARTERLY_RULE, finding_rests_on=rules.starts_endings_rests_on(head))
    endings, = card.charts
    assert endings.title == ("235 plans started and 177 ended; 13.0% of endings came within 3 months (some values "
                             "suppressed: c, suppressed: fewer than 5)")
    assert any(a.text.endswith(" c") for a in endings.figure.layout.annotations)   # the withheld quarter is marked
    card = Card(threshold=5)                                  # the 23 itself small: the finding goes, as before
    small = {**head, "ended_le_3m": 2}
    card.add("overview_starts_endings", "Overview",
             lambda: trends.starts_endings_trend(shown, rules.starts_endings_totals(small)), "notes",
             table, rules.QUARTERLY_RULE, finding_rests_on=rules.starts_endings_rests_on(small))
    assert card.charts[0].title.startswith("Plans (count): some values suppressed")


def test_the_warning_signs_slide_keeps_its_finding_unless_one_sign_holds_every_plan_with_one():
    # the finding is the 90 of 200 ended plans with any sign: a plan can show several, so no bar adds up to it and
    # the withheld 3 stays withheld; where every plan with a sign was short, the short bar is the 90 and it goes
    from paqa_dash.figures import endings

    def slide(short: list[int], others: list[int]) -> str:
        counts = pd.DataFrame({"reason": ["Short plan"] * 3 + ["Actions not done"] * 3,
                               "outcome": list(endings.OUTCOME_ORDER) * 2, "plans": short + others})
        card = Card(threshold=5)
        card.add("endings_reasons", "Plan endings",
                 lambda: endings.reasons_bars(card.hidden(counts, rules.REASONS_RULE), 200, 90), "notes",
                 counts, rules.REASONS_RULE, finding_rests_on=rules.reasons_finding_rests_on(counts, 90, 200))
        return card.charts[0].title

    assert slide([3, 20, 30], [12, 30, 25]) == ("45% of ended plans (90 of 200) ended with at least one warning "
                                                "sign (some values suppressed: c, suppressed: fewer than 5)")
    assert slide([3, 40, 47], [0, 0, 0]).startswith("Ended plans (count): some values suppressed")
