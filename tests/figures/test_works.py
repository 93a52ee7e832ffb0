"""The What works figures: titles computed from the data, suppressed points not drawn."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import works as fig


def title(f) -> str:
    """The title as read (a long finding is drawn on two lines)."""
    return f.layout.title.text.replace("<br>", " ")


def curves(survival_without: list[float | None]) -> pd.DataFrame:
    rows = []
    for group, values in (("with", [1.0, 0.9, 0.8]), ("without", survival_without)):
        for t, s in zip([0.0, 6.0, 30.0], values):
            rows.append({"split": "adult_practitioner", "group": group, "time": t, "at_risk": 20, "events": 1,
                         "censored": 0, "survival": s, "lower": s, "upper": s})
    return pd.DataFrame(rows)


def test_survival_title_reads_the_curves_at_the_window():
    f = fig.survival_figure(curves([1.0, 0.7, 0.6]), "adult_practitioner", 24)
    assert title(f) == "24 months after ending, no other plan: 90% with an adult-facing practitioner, 70% without"


def test_a_curve_cut_by_suppression_is_not_read_past_its_end():
    f = fig.survival_figure(curves([1.0, 0.7, None]), "adult_practitioner", 24)
    assert "24 months after ending" not in title(f)      # not drawn at 24 months: no figure claimed
    drawn = [t for t in f.data if t.name == "No adult-facing practitioner recorded"][0]
    assert list(drawn.x) == [0.0, 6.0]


def test_ending_work_title():
    table = pd.DataFrame({"ending_work": ["first_order_only", "underlying", "other", "none_completed"],
                          "endings": [20, 40, 0, 0], "outcome_known": [20, 40, 0, 0], "replanned": [8, 4, 0, 0],
                          "replan_rate": [0.4, 0.1, None, None]})
    assert title(fig.ending_work_bars(table, 24)) == (
        "Re-planned within 24 months: 40% after first-order change only, 10% after work on the adult difficulty")


def test_a_long_finding_is_drawn_on_two_lines():
    f = fig.survival_figure(curves([1.0, 0.7, 0.6]), "adult_practitioner", 24)
    assert all(len(line) <= 48 for line in f.layout.title.text.split("<br>"))
    assert f.layout.title.text.count("<br>") == 2


def test_restorative_kinds_are_named_down_the_side_and_the_chart_grows_with_the_teams():
    """The kinds' long names stand beside bars drawn across (upright bars turned them into each other at 800 px)."""
    from paqa_dash.reference.works import RESTORATIVE_WORDS

    kinds = list(RESTORATIVE_WORDS)

    def table(teams: list[str]) -> pd.DataFrame:
        return pd.DataFrame([{"team": t, "kind": k, "share": 0.5, "with_evidence": 5, "plans": 10}
                             for t in teams for k in kinds])

    few, many = fig.restorative_bars(table(["All teams", "North"])), fig.restorative_bars(
        table(["All teams"] + [f"Team {i}" for i in range(12)]))
    bars = few.data[0]
    assert bars.orientation == "h" and [y.replace("<br>", " ") for y in bars.y] == [RESTORATIVE_WORDS[k] for k in kinds]
    assert all(len(line) <= fig.KIND_CHARS for y in bars.y for line in y.split("<br>"))
    assert few.layout.xaxis.tickformat == ".0%" and few.layout.xaxis.title.text and few.layout.yaxis.title.text
    assert few.layout.yaxis.autorange == "reversed"          # the first kind, and all teams, on top
    assert many.layout.height > few.layout.height
