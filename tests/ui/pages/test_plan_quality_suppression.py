"""Plan quality for a reader with a small-number threshold (fast tier): the relevance table's withheld cells cannot be
worked out from the tile's "N of M plans" less the other teams, and the chart keeps the tile's finding."""
from __future__ import annotations

import json

import pandas as pd

from paqa_dash.metrics import wording
from paqa_dash.metrics.plan_quality import PlanQuality
from paqa_dash.reference.codes import RELEVANCE_VERDICTS as VERDICTS

from support.overview_data import HELD
from support.pages import open_page

TEAMS = ("Central", "East", "North", "South", "West")
# the reviewer's figures: 90 of 160 plans with no action; Central 3 and 5, the other teams 87 and 65
RELEVANCE = pd.DataFrame({"team": [t for t in TEAMS for _ in (0, 1)], "verdict": [VERDICTS[0], VERDICTS[1]] * 5,
                          "plans": [3, 5, 11, 20, 29, 20, 38, 15, 9, 10]})


def review() -> PlanQuality:
    empty = pd.DataFrame()
    return PlanQuality(actions=400, plans=160, smart_actions=200, deficit_findings=30,
                       smart_by_team_period=pd.DataFrame(columns=["team", "period_start", "period", "actions",
                                                                  "smart_actions", "smart_share"]),
                       failed_criteria=pd.DataFrame(columns=["criterion", "actions_failing", "share"]),
                       language=pd.DataFrame(columns=["phrase", "kind", "suggestion", "why", "source", "findings",
                                                      "actions"]),
                       reading_bands=pd.DataFrame(columns=["band", "plans"]),
                       reading={"plans": 0, "median_ease": None, "share_below": None}, plan_language=empty,
                       relevance_counts=RELEVANCE, relevance=empty,
                       themes=pd.DataFrame(columns=["team", "theme", "actions", "share"]), failing=empty)


def test_a_teams_withheld_relevance_counts_cannot_be_worked_out_from_the_tile(fake_metrics, threshold) -> None:
    threshold(5)
    fake_metrics({"coverage": HELD, "review": review(), "by_team": pd.DataFrame(columns=wording.COLUMNS)})
    at = open_page("plan_quality")
    tile = next(m for m in at.metric if m.label == "Plans: adult need, no action")
    assert "90 of 160 plans" in tile.help                       # the totals the reader is given
    table = next(d.value for d in at.dataframe if "Verdict" in d.value.columns or "verdict" in d.value.columns)
    verdict = "Verdict" if "Verdict" in table.columns else "verdict"
    plans = next(c for c in table.columns if c.lower().startswith("plans"))
    withheld = table[plans].astype(str) == "c"
    assert withheld.any()
    # no addition the reader can do has exactly one withheld cell: each team's bar, each verdict's teams (the tile's
    # 90 for no action), all the rows (the tile's 160)
    for key in (table.columns[0], verdict):
        for value, rows in table.groupby(key).groups.items():
            assert withheld[rows].sum() != 1, (key, value, table)
    assert withheld.sum() != 1
    finding = next(json.loads(c.proto.spec)["layout"]["meta"]["finding"] for c in at.get("plotly_chart")
                   if "adult need" in json.loads(c.proto.spec)["layout"]["meta"]["finding"])
    assert finding.startswith("56% of plans with an adult need open had no action for one of them"), finding
    assert finding.endswith("(some values suppressed: c, suppressed: fewer than 5)"), finding
