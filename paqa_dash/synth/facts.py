"""What each generated plan "was like", decided once and shared by events, needs and actions.

Why a separate step: the audit's story has to hold across tables.  A short first plan that is
followed by another had little adult-facing work (few interventions), so its adult needs stay open
and its adult-need actions are not done, while its practical actions are; a repeat plan more often
brings in the adult-facing practitioners, whose interventions appear as events, close the actions
that address the need, and resolve the need.  Deciding interventions here, per plan and adult-need
group, keeps events, actions and needs consistent with each other.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calibration as cal
from .cohort import Cohort
from .dates import DAY
from .texts import ADULT_GROUPS

GROUPS = tuple(g[0] for g in ADULT_GROUPS)


@dataclass
class Facts:
    last_day: np.ndarray       # last day anything of the plan is recorded: end, or the extract's end date
    ended: np.ndarray          # bool
    repeat: np.ndarray         # plan_number >= 2 (the DfE repeat-plan definition)
    short: np.ndarray          # ended within 6 months (bands le_3m, 3_6m)
    premature: np.ndarray      # short, first plan, and another plan follows: the audit's pattern
    age_days: np.ndarray       # child's age at plan start (negative = unborn)
    assessed: np.ndarray       # date of the assessment before the plan (needs are identified then)
    groups: np.ndarray         # bool (n_plans, len(GROUPS)): adult-need groups present
    int_has: np.ndarray        # bool (n_plans, groups): adult-facing intervention started during the plan
    int_start: np.ndarray      # datetime64[D] (n_plans, groups)
    int_end: np.ndarray        # datetime64[D]: finished (or dropped out) on; NaT = still going at end_date
    int_ok: np.ndarray         # bool: completed (not a drop-out)


def decide(rng: np.random.Generator, c: Cohort, end_date: np.datetime64) -> Facts:
    n = c.n_plans
    ended = ~np.isnat(c.end)
    last_day = np.where(ended, c.end, end_date)
    repeat = (c.prior[c.child] + c.ordinal) >= 1
    short = ended & (c.band <= 1)
    first = ~repeat
    premature = short & first & c.has_next
    age_days = (c.start - c.birth[c.child]) // DAY
    assessed = c.start - rng.integers(3, 13, n) * DAY

    fi = {f: i for i, f in enumerate(cal.ADULT_FACTORS)}
    groups = np.zeros((n, len(GROUPS)), bool)
    for g, (_, _, codes) in enumerate(ADULT_GROUPS):
        for code in codes:
            groups[:, g] |= c.factors[:, fi[code]]

    # Adult-facing work: rare on the short first plans that were followed by another plan.
    p_int = np.select([premature, first & short, first], [0.10, 0.22, 0.45], 0.70)
    p_int = np.where(c.has_next, p_int * 0.8, p_int)
    shape = (n, len(GROUPS))
    u = rng.random(shape)
    start = c.start[:, None] + rng.integers(14, 100, shape) * DAY
    has = groups & (u < p_int[:, None]) & (start <= last_day[:, None])
    has[:, GROUPS.index("LD")] = False            # no adult-facing service for learning disability here
    ok = rng.random(shape) < 0.75
    length = np.where(ok, rng.integers(56, 240, shape), rng.integers(20, 60, shape))
    end = start + length * DAY
    end = np.where(has & (end <= end_date), end, np.datetime64("NaT"))
    start = np.where(has, start, np.datetime64("NaT"))
    return Facts(last_day=last_day, ended=ended, repeat=repeat, short=short, premature=premature,
                 age_days=age_days, assessed=assessed, groups=groups, int_has=has, int_start=start,
                 int_end=end, int_ok=ok & has)
