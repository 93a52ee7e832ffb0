"""Kaplan-Meier with Greenwood log(-log) intervals, against a table worked by hand.

Five endings: re-planned at 1, 2 and 3 months; followed 2 and 4 months without a re-plan (censored).
  t=1: 5 at risk, 1 event  -> S = 4/5 = 0.8;  Greenwood sum 1/(5*4) = 0.05
  t=2: 4 at risk, 1 event, 1 censored -> S = 0.8 * 3/4 = 0.6;  sum 0.05 + 1/(4*3) = 0.13333
  t=3: 2 at risk, 1 event  -> S = 0.6 * 1/2 = 0.3;  sum + 1/(2*1) = 0.63333
  t=4: 1 at risk, censored -> S stays 0.3
The 95% interval at t=2: S ** exp(+-1.96 * sqrt(0.13333) / |ln 0.6|) = 0.6 ** 4.0598, 0.6 ** (1/4.0598)
  = 0.1257 and 0.8818.
"""
from __future__ import annotations

import pytest

from paqa_dash.metrics import survival


@pytest.fixture
def curve():
    return survival.kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False]).set_index("time")


def test_steps_and_numbers_at_risk(curve):
    assert curve["survival"].round(6).tolist() == [1.0, 0.8, 0.6, 0.3, 0.3]
    assert curve["at_risk"].tolist() == [5, 5, 4, 2, 1]
    assert curve["events"].tolist() == [0, 1, 1, 1, 0]
    assert curve["censored"].tolist() == [0, 0, 1, 0, 1]


def test_greenwood_log_log_interval(curve):
    assert curve.loc[2.0, "lower"] == pytest.approx(0.1257, abs=5e-4)
    assert curve.loc[2.0, "upper"] == pytest.approx(0.8818, abs=5e-4)
    assert curve.loc[0.0, ["lower", "upper"]].tolist() == [1.0, 1.0]
    assert (curve["lower"] <= curve["survival"]).all() and (curve["survival"] <= curve["upper"]).all()


def test_every_ending_re_planned_reaches_zero():
    curve = survival.kaplan_meier([1, 2], [True, True])
    assert curve["survival"].iloc[-1] == 0.0
    assert curve[["lower", "upper"]].iloc[-1].tolist() == [0.0, 0.0]


def test_none_re_planned_stays_at_one_and_no_endings_is_one_row():
    curve = survival.kaplan_meier([3, 5], [False, False])
    assert curve["survival"].tolist() == [1.0, 1.0, 1.0]
    empty = survival.kaplan_meier([], [])
    assert len(empty) == 1 and empty["at_risk"].iloc[0] == 0


def test_a_re_plan_on_the_day_of_the_ending_counts_at_time_zero():
    curve = survival.kaplan_meier([0, 2, 2, 2], [True, False, False, False])
    assert curve["survival"].iloc[0] == 0.75 and curve["events"].iloc[0] == 1


def test_value_and_numbers_at_risk_at_a_month(curve):
    assert survival.at(curve.reset_index(), 2.5) == pytest.approx(
        {"survival": 0.6, "lower": curve.loc[2.0, "lower"], "upper": curve.loc[2.0, "upper"], "at_risk": 2})
    assert survival.at(curve.reset_index(), 9)["at_risk"] == 0


def test_negative_durations_refused():
    with pytest.raises(ValueError):
        survival.kaplan_meier([-1], [True])
