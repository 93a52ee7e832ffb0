"""The published figures the generator is calibrated to, and the knobs that reach them.

Targets (DfE "Characteristics of children in need", OGL v3; tables D3 and D7 are in data/benchmarks/):
- 24.5% of CP plans starting in 2024-25 were second or subsequent (table D3, England 2025);
- initial category of children on a plan: neglect 50.5%, emotional 35.7%, physical 7.4%, sexual 3.8%,
  multiple 2.6% (England 2020); the generator rounds to 50 / 35 / 7 / 3.5 / 3.5;
- plans that ended in 2024-25 by duration (table D7): 15.9% <= 3 months, 11.0% 3-6 months, 43.5% 6-12
  months, 25.2% 1-2 years, 4.4% 2 years or more;
- factors at the end of assessment (table C3, England 2025, 513,250 episodes): parental mental health
  171,780 (33.5%), domestic abuse (parent) 162,890 (31.7%), alcohol (parent) 73,250 (14.3%), drugs
  (parent) 72,620 (14.1%).

The knobs below the targets (repeat probabilities, gaps, pre-window history) are not published
figures: they were tuned by simulation so that the generated store reproduces the targets
(tests/synth/test_synth.py checks that it does, within stated tolerances).
"""
from __future__ import annotations

import numpy as np

from ..reference.codes import DURATION_BANDS

# Each *_SHARE / END_REASON_* array is in the order of its reference/codes.py list.
CATEGORY_SHARE = np.array([0.50, 0.35, 0.07, 0.035, 0.035])

BANDS = DURATION_BANDS
BAND_SHARE = np.array([0.16, 0.11, 0.44, 0.25, 0.04])

REPEAT_SHARE = 0.245

# Adult factors at assessment: probability a plan's assessment records each.  Domestic abuse (32%)
# is split between 3A (affecting the child) and 3B (parent): either, or both.
ADULT_FACTORS = ("4B", "3A", "3B", "1B", "2B", "5B", "6B", "1C", "4C")
DA_SHARE = 0.32
ADULT_FACTOR_SHARE = {"4B": 0.34, "1B": 0.14, "2B": 0.14, "5B": 0.06, "6B": 0.04, "1C": 0.03, "4C": 0.03}
ADULT_FACTOR_PERSISTS = 0.7      # chance an adult factor of one plan is recorded again on the next

# --- knobs (tuned by simulation, not published) --------------------------------------------------
# Chance that a plan is followed by another, by duration band of the plan: short plans more often,
# the audit's "premature ending" pattern.  Ending in care or moving away rarely leads to a new plan here.
NEXT_PLAN_BY_BAND = np.array([0.36, 0.29, 0.18, 0.15, 0.11])
NEXT_PLAN_SCALE = 1.10
NEXT_PLAN_IF_LOOKED_AFTER = 0.04
NEXT_PLAN_IF_TRANSFERRED = 0.05
# Gap from a plan's end to the next plan's start (days): three ranges, chosen with these weights.
GAP_RANGES = ((21, 365), (366, 730), (731, 2200))
GAP_WEIGHTS = np.array([0.45, 0.27, 0.28])
# Children whose earliest plan in the store is already a repeat (a plan before the store's window):
# PREVIOUS + EARLY * exp(-DECAY * position of the first plan in the window, 0..1), about 8% overall.
PRE_WINDOW_PREVIOUS = 0.06
PRE_WINDOW_EARLY = 0.14
PRE_WINDOW_DECAY = 6.0
PRE_WINDOW_COUNTS = (np.array([1, 2, 3]), np.array([0.76, 0.19, 0.05]))
# Plans per child the model yields (measured), used to turn a plans target into children.
PLANS_PER_CHILD = 1.18
MAX_PLANS = 6

# End reasons by band: short plans end on "no longer at risk" or a step down.
END_REASON_SHORT = np.array([0.46, 0.41, 0.08, 0.01, 0.03, 0.0, 0.0, 0.01])
END_REASON_LONG = np.array([0.22, 0.50, 0.07, 0.13, 0.05, 0.0, 0.002, 0.028])

# Family size (children in the family) and the chance siblings share their plans (start together).
FAMILY_SIZES = (np.array([1, 2, 3, 4, 5]), np.array([0.50, 0.27, 0.14, 0.06, 0.03]))
SIBLINGS_TOGETHER = 0.65

# Core group attendance: (agency, chance invited when relevant, base attendance rate).
ATTENDANCE_RATE = {"CSC": 0.98, "FAMILY": 0.85, "HEALTH": 0.80, "EDUCATION": 0.75, "POLICE": 0.35,
                   "ADULT_MH": 0.45, "ADULT_DA": 0.40, "ADULT_SUBSTANCE": 0.35, "HOUSING": 0.40,
                   "PROBATION": 0.50}

ETHNICITY = (np.array(["WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
                       "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"], dtype=object),
             np.array([0.68, 0.005, 0.005, 0.06, 0.01, 0.03, 0.015, 0.015, 0.03, 0.01, 0.025, 0.01, 0.01, 0.01,
                       0.03, 0.01, 0.002, 0.02, 0.008, 0.015]))
