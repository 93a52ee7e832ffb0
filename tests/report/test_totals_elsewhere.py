"""Totals another page prints: a table whose rows add up to a figure shown elsewhere withholds a second cell, so the
figure less the cells shown never gives back a withheld one (report/rules.py)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.report.rules import AGENCY_RULE
from paqa_dash.report.suppression import suppress


def test_one_agencys_withheld_attendance_is_not_the_regional_total_less_the_others():
    # The Regional view prints the authority's agency attendance: 70 attended of 100 invited, the sums of these rows.
    # Health's 3 attended is withheld; with the others shown, 70 - 40 - 27 gave it back.
    by_agency = pd.DataFrame({"agency": ["POLICE", "EDUCATION", "HEALTH"], "invited": [50, 40, 10],
                              "attended": [40, 27, 3], "contributed": [30, 20, 2]})
    by_agency = by_agency.assign(rate=by_agency["attended"] / by_agency["invited"],
                                 contribution_rate=by_agency["contributed"] / by_agency["invited"])
    hidden = suppress(by_agency, AGENCY_RULE, 5).mask
    assert hidden.at[2, "attended"]
    assert hidden["attended"].sum() >= 2                      # another agency's attended goes with it
    assert not hidden["invited"].any()                        # nothing small there, nothing to protect
