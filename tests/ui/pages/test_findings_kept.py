"""Chart findings for a reader with a small-number threshold (a strategic lead, threshold 5), fast tier: where a
drawn cell is withheld, a finding that can be said from figures not withheld stays, with the suppression note
under it; one that would give a withheld cell back goes, the chart titled by what it measures
(figures/style.mark_suppressed, report/suppression.finding_kept)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.reference.codes import BAND_LABELS, DURATION_BANDS
from paqa_dash.scope import OutOfScope

from support.overview_data import HELD
from support.pages import findings, open_page

PERIOD = {"from": "2024-04-01", "to": "2025-03-31"}
BANDS = pd.DataFrame({"band": list(DURATION_BANDS), "label": [BAND_LABELS[b] for b in DURATION_BANDS],
                      "plans": [30, 40, 60, 50, 20], "share": [p / 200 for p in (30, 40, 60, 50, 20)]})


def _outcomes(short: list[int], open_actions: list[int], unaddressed: list[int], any_reason: list[int]) -> pd.DataFrame:
    """Ended plans by what followed (premature, at risk, neither), with the plans showing each warning sign."""
    return pd.DataFrame({"premature": [True, False, False], "at_risk": [False, True, False], "plans": [20, 60, 120],
                         "short": short, "open_actions": open_actions, "unaddressed_adult_need": unaddressed,
                         "any_reason": any_reason})


def _refused(*args, **kwargs) -> pd.DataFrame:
    """A strategic lead's scope refuses the lists naming children, as metrics.cohorts.ending_list does."""
    raise OutOfScope("A list naming children is not open to your role (Strategic lead).")


def _reasons_finding(fake_metrics, outcomes: pd.DataFrame) -> str:
    fake_metrics({"ended_bands": BANDS, "ending_outcomes": outcomes, "coverage": HELD, "ending_list": _refused})
    return findings(open_page("endings", PERIOD))[1]


def test_the_warning_signs_finding_stays_when_a_sign_is_withheld_but_not_the_plans_with_one(fake_metrics,
                                                                                           threshold) -> None:
    # 3 premature short plans are withheld; the finding is the 90 of 200 ended plans with any sign, which no sign's
    # bar adds up to (a plan can show several), so it gives no withheld cell back and stays, the note under it
    threshold(5)
    said = _reasons_finding(fake_metrics, _outcomes([3, 20, 30], [12, 30, 25], [6, 10, 9], [15, 40, 35]))
    assert said == ("45% of ended plans (90 of 200) ended with at least one warning sign "
                    "(some values suppressed: c, suppressed: fewer than 5)")


def test_the_warning_signs_finding_goes_where_one_sign_holds_every_plan_with_a_sign(fake_metrics, threshold) -> None:
    # every plan with a sign was a short plan: the 90 is the short plans' bar, so with its other parts shown it
    # would give the withheld 3 back; the chart is titled by what it measures
    threshold(5)
    said = _reasons_finding(fake_metrics, _outcomes([3, 40, 47], [0, 0, 0], [0, 0, 0], [3, 40, 47]))
    assert said.startswith("Ended plans (count): some values suppressed")


def test_without_a_threshold_the_warning_signs_finding_has_no_note(fake_metrics, threshold) -> None:
    threshold(0)
    said = _reasons_finding(fake_metrics, _outcomes([3, 20, 30], [12, 30, 25], [6, 10, 9], [15, 40, 35]))
    assert said == "45% of ended plans (90 of 200) ended with at least one warning sign"
