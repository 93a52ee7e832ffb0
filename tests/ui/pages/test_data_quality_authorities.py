"""Data quality in a store of several authorities: it says the sidebar's filters do not apply to it (a reviewer
chose South Tyneside and still read the store's totals), and lists each authority's years and data date."""
from __future__ import annotations

from datetime import date

import pandas as pd
from support.pages import open_page

from paqa_dash.ui.pages.data_quality import WHOLE_STORE

EMPTY = {"table_counts": pd.DataFrame({"table_name": ["plans"], "rows": [10]}), "stale_summaries": (),
         "import_runs": pd.DataFrame(), "reject_options": pd.DataFrame(), "implausible_plans": pd.DataFrame(),
         "warning_messages": pd.DataFrame()}
REGION = {"authorities": ["390", "393"], "team_authorities": {"390": [], "393": []},
          "authority_data_dates": {"390": date(2026, 3, 31), "393": date(2024, 3, 31)},
          "authority_spans": {"390": (date(2021, 4, 4), date(2026, 3, 31)), "393": (date(2020, 4, 2), date(2024, 3, 18))}}


def test_each_authority_s_years_and_data_date_are_listed(fake_metrics) -> None:
    fake_metrics(EMPTY, info=REGION)
    at = open_page("data_quality", {"authority": "393"})
    assert WHOLE_STORE in [c.value for c in at.caption]
    shown = next(d.value for d in at.dataframe if "Authority" in d.value.columns)
    assert shown["Authority"].tolist() == ["Gateshead (390)", "South Tyneside (393)"]
    assert shown["Data to (latest record)"].tolist() == [date(2026, 3, 31), date(2024, 3, 31)]


def test_a_store_of_one_authority_lists_none(fake_metrics) -> None:
    fake_metrics(EMPTY)
    at = open_page("data_quality")
    assert not [d for d in at.dataframe if "Authority" in d.value.columns]


def test_the_authorities_table_has_its_csv(fake_metrics, csvs) -> None:
    """The table of authorities was a grid alone (the regional store's page: 5 tables, 3 downloads); its CSV has
    the headings and dates the screen shows."""
    fake_metrics(EMPTY, info=REGION)
    at = open_page("data_quality")
    assert any(b.proto.label == "Download authorities (CSV)" for b in at.get("download_button"))
    table = next(c for c in csvs if c.startswith("Authority,"))
    assert table.splitlines()[1:] == ["Gateshead (390),2021-04-04,2026-03-31,2026-03-31",
                                      "South Tyneside (393),2020-04-02,2024-03-18,2024-03-31"], table
