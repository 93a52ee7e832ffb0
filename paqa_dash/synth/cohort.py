"""Families, children and their chains of child protection plans, as arrays.

Why a chain per child, built slot by slot: a child's next plan can only start after the last one
ended (no overlaps, CIN rule 8940) and a plan cannot start and end on the same day (8840), so
plan k+1 depends on plan k.  The loop runs over plan *slots* (at most MAX_PLANS), each step
vectorised over every child at once, never over children.

Siblings who are "together" draw their random numbers from their family's row, so their plans
start, end and repeat together as sibling groups do in practice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..reference.codes import END_REASONS
from . import calibration as cal
from .dates import DAY, add_months


SEXES = ("M", "F", "U")


@dataclass
class Cohort:
    """Children (arrays of length n_children) and plans (length n_plans, sorted by child, then order)."""

    # children
    family: np.ndarray            # family index of each child
    birth: np.ndarray             # datetime64[D]
    sex: np.ndarray               # index into SEXES
    ethnicity: np.ndarray         # index into calibration.ETHNICITY[0] (CIN codes)
    disability: np.ndarray        # bool
    joint: np.ndarray             # bool: the child's plans are shared with siblings
    lead: np.ndarray              # bool: first child of its family, or not joint (writes family changes)
    prior: np.ndarray             # plans before the store's window (recorded on the first plan)
    # plans
    child: np.ndarray
    ordinal: np.ndarray           # 0 = the child's earliest plan in the store
    start: np.ndarray             # datetime64[D]
    end: np.ndarray               # datetime64[D], NaT = open at end_date
    band: np.ndarray              # duration band index (calibration.BANDS), -1 = open
    reason: np.ndarray            # end reason index (calibration.END_REASONS), -1 = open
    category: np.ndarray          # index into calibration.CATEGORIES
    latest: np.ndarray
    team: np.ndarray              # index into teams
    has_next: np.ndarray          # bool: another plan of the child follows in the store
    factors: np.ndarray           # bool (n_plans, len(calibration.ADULT_FACTORS))
    previous_blank: np.ndarray    # bool: previous_plans not recorded on this row

    @property
    def n_children(self) -> int:
        return len(self.family)

    @property
    def n_plans(self) -> int:
        return len(self.child)

    @property
    def prev(self) -> np.ndarray:
        """Row of the child's previous plan in the store, -1 for none."""
        return np.where(self.ordinal > 0, np.arange(self.n_plans) - 1, -1)


def _choice(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Index drawn from `weights` for each uniform in `u` (inverse CDF; vectorised)."""
    cdf = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(weights) - 1)


def team_weights(n: int) -> np.ndarray:
    """Uneven team sizes (the first team largest), the same for every seed."""
    w = 1.0 / (1.0 + 0.35 * np.arange(n))
    return w / w.sum()


def band_bounds(start: np.ndarray, band: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last possible end day of a plan in each DfE duration band (inclusive)."""
    m3, m6, m12, m24 = (add_months(start, k) for k in (3, 6, 12, 24))
    lo = np.select([band == 0, band == 1, band == 2, band == 3], [start + 14 * DAY, m3 + DAY, m6 + DAY, m12], m24)
    hi = np.select([band == 0, band == 1, band == 2, band == 3], [m3, m6, m12 - DAY, m24 - DAY], m24 + 540 * DAY)
    return lo, hi


def band_of(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """DfE duration band of ended plans; -1 where end is NaT."""
    m3, m6, m12, m24 = (add_months(start, k) for k in (3, 6, 12, 24))
    band = np.select([end <= m3, end <= m6, end < m12, end < m24], [0, 1, 2, 3], 4)
    return np.where(np.isnat(end), -1, band)


def build(rng: np.random.Generator, n_children: int, end_date: np.datetime64, years: int, n_teams: int,
          progress: Callable[[float, str], None] | None = None) -> Cohort:
    """Draw families, children and plan chains for `n_children` over `years` years to `end_date`."""
    window_start = add_months(np.array([end_date]), -12 * years)[0] + DAY
    window_days = int((end_date - window_start) / DAY) + 1

    # Families: sizes until n children, the last family trimmed.
    sizes = cal.FAMILY_SIZES[0][_choice(rng.random(n_children), cal.FAMILY_SIZES[1])]
    cum = np.cumsum(sizes)
    n_fam = int(np.searchsorted(cum, n_children)) + 1
    sizes = sizes[:n_fam].copy()
    sizes[-1] -= int(cum[n_fam - 1] - n_children)
    family = np.repeat(np.arange(n_fam), sizes)
    first_of_family = np.r_[True, family[1:] != family[:-1]]
    joint = (sizes > 1)[family] & (rng.random(n_fam) < cal.SIBLINGS_TOGETHER)[family]
    lead = first_of_family | ~joint
    fam_team = _choice(rng.random(n_fam), team_weights(n_teams))

    def stratified(n: int) -> np.ndarray:
        """Uniforms with exactly one in each of n equal strata, in random order: shares drawn with
        them land close to their targets even for a small authority (a demo of 2,000 children)."""
        return (rng.permutation(n) + rng.random(n)) / n

    def draw() -> np.ndarray:
        """One uniform per child; siblings together share their family's."""
        fam_u = stratified(n_fam)
        own_u = stratified(n_children)
        return np.where(joint, fam_u[family], own_u)

    # Children: first plan start in the window, age at that start, and who they are.
    first_start = window_start + (draw() * window_days).astype(np.int64) * DAY
    u_age = rng.random(n_children)
    u_pos = rng.random(n_children)
    age_days = np.select(
        [u_age < 0.05, u_age < 0.25, u_age < 0.50, u_age < 0.77],
        [-(1 + (u_pos * 120).astype(np.int64)), (u_pos * 365).astype(np.int64),
         365 + (u_pos * 4 * 365).astype(np.int64), 5 * 365 + (u_pos * 5 * 365).astype(np.int64)],
        10 * 365 + (u_pos * 6 * 365).astype(np.int64))
    birth = first_start - age_days * DAY
    unborn = age_days < 0
    sex = np.where(rng.random(n_children) < 0.51, 0, 1)
    sex[unborn & (rng.random(n_children) < 0.6)] = 2
    ethnicity = _choice(rng.random(n_children), cal.ETHNICITY[1])
    disability = rng.random(n_children) < 0.07
    eighteen = add_months(birth, 216)
    # A plan before the window is likelier for children first seen early in it (their history is cut off).
    position = (first_start - window_start) / DAY / window_days
    p_prior = cal.PRE_WINDOW_PREVIOUS + cal.PRE_WINDOW_EARLY * np.exp(-position * cal.PRE_WINDOW_DECAY)
    prior_u = draw()
    prior = np.where(prior_u < p_prior,
                     cal.PRE_WINDOW_COUNTS[0][_choice(prior_u / p_prior, cal.PRE_WINDOW_COUNTS[1])], 0)

    K = cal.MAX_PLANS
    n_f = len(cal.ADULT_FACTORS)
    fi = {f: i for i, f in enumerate(cal.ADULT_FACTORS)}
    alive = np.zeros((n_children, K), bool)
    start = np.full((n_children, K), np.datetime64("NaT"), "datetime64[D]")
    end = start.copy()
    reason = np.full((n_children, K), -1)
    category = np.zeros((n_children, K), np.int64)
    latest = category.copy()
    team = category.copy()
    factors = np.zeros((n_children, K, n_f), bool)
    cont = np.zeros((n_children, K), bool)

    for j in range(K):
        if j == 0:
            s = first_start
            ok = np.ones(n_children, bool)
        else:
            gap_band = _choice(draw(), cal.GAP_WEIGHTS)
            lo_gap = np.array([g[0] for g in cal.GAP_RANGES])[gap_band]
            hi_gap = np.array([g[1] for g in cal.GAP_RANGES])[gap_band]
            gap = lo_gap + (draw() * (hi_gap - lo_gap + 1)).astype(np.int64)
            prev_end = end[:, j - 1]
            s = np.where(np.isnat(prev_end), np.datetime64("NaT"), prev_end + gap * DAY)
            ok = alive[:, j - 1] & cont[:, j - 1] & (prev_end <= end_date) & (s <= end_date) & (s < eighteen)
            s = np.where(ok, s, first_start)          # keep dead rows computable
        band = _choice(draw(), cal.BAND_SHARE)
        lo, hi = band_bounds(s, band)
        u = draw()
        u = np.where(band == 0, np.sqrt(u), np.where(band == 4, u * u, u))   # short plans end near review
        e = lo + (u * ((hi - lo) / DAY + 1)).astype(np.int64) * DAY
        aged_out = e > eighteen
        e = np.where(aged_out, eighteen, e)
        short = band <= 1
        r = np.where(short, _choice(draw(), cal.END_REASON_SHORT), _choice(draw(), cal.END_REASON_LONG))
        r = np.where(aged_out, END_REASONS.index("AGE_18"), r)
        q = cal.NEXT_PLAN_BY_BAND[band] * cal.NEXT_PLAN_SCALE
        q = np.where(r == END_REASONS.index("LOOKED_AFTER"), cal.NEXT_PLAN_IF_LOOKED_AFTER, q)
        q = np.where(r == END_REASONS.index("TRANSFERRED_OUT"), cal.NEXT_PLAN_IF_TRANSFERRED, q)
        q = np.where(r == END_REASONS.index("DIED"), 0.0, q)
        cont[:, j] = draw() < q
        alive[:, j] = ok
        start[:, j] = s
        is_open = e > end_date
        end[:, j] = np.where(is_open, np.datetime64("NaT"), e)
        reason[:, j] = np.where(is_open, -1, r)

        cat_new = _choice(draw(), cal.CATEGORY_SHARE)
        category[:, j] = cat_new if j == 0 else np.where(draw() < 0.5, category[:, j - 1], cat_new)
        latest[:, j] = np.where(draw() < 0.9, category[:, j], _choice(draw(), cal.CATEGORY_SHARE))
        team_new = _choice(rng.random(n_children), team_weights(n_teams))
        team[:, j] = fam_team[family] if j == 0 else np.where(draw() < 0.12, team_new, team[:, j - 1])

        fresh = np.zeros((n_children, n_f), bool)
        for f, p in cal.ADULT_FACTOR_SHARE.items():
            fresh[:, fi[f]] = draw() < p
        da = draw() < cal.DA_SHARE
        split = draw()
        fresh[:, fi["3A"]] = da & (split < 0.65)
        fresh[:, fi["3B"]] = da & (split >= 0.35)
        if j == 0:
            factors[:, j] = fresh
        else:
            keep = (draw() < cal.ADULT_FACTOR_PERSISTS)[:, None]
            factors[:, j] = np.where(keep, factors[:, j - 1], fresh)
        if progress:
            progress(0.05 + 0.15 * (j + 1) / K, "plans")

    ci, oi = np.nonzero(alive)
    s = start[ci, oi]
    e = end[ci, oi]
    has_next = np.zeros(len(ci), bool)
    has_next[:-1] = (ci[1:] == ci[:-1])
    prev_blank = (oi == 0) & (prior[ci] == 0) & (rng.random(len(ci)) < 0.15) | (oi > 0) & (rng.random(len(ci)) < 0.3)
    return Cohort(
        family=family, birth=birth, sex=sex, ethnicity=ethnicity, disability=disability, joint=joint, lead=lead,
        prior=prior, child=ci, ordinal=oi, start=s, end=e, band=band_of(s, e), reason=reason[ci, oi],
        category=category[ci, oi], latest=latest[ci, oi], team=team[ci, oi], has_next=has_next,
        factors=factors[ci, oi], previous_blank=prev_blank,
    )
