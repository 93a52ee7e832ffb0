"""Needs, plan actions and household changes of the generated plans.

Actions are chosen per plan *slot* (home conditions, appointments, school or early years, safety,
up to two adult needs, the child, the family network or parenting, engagement).  A repeat plan
reuses some of the previous plan's action families in other words (or, now and then, the very same
words), which is the audit's "duplicate plan" finding; the generator records those true pairs.
Slots are processed one plan *order* at a time (first plans, then second plans, ...) so each later
plan can look at its predecessor's choices; within an order everything is vectorised.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..reference.codes import CATEGORIES, END_REASONS
from . import calibration as cal
from .cohort import Cohort, _choice
from .dates import DAY
from .events import A, expand
from .facts import Facts
from .texts import ADULT_GROUPS, ADULT_SLOTS, SLOTS, action_bank, change_bank

STATUSES = ("OPEN", "DONE", "NOT_DONE", "DROPPED")
S = {s: i for i, s in enumerate(STATUSES)}
# Codes actions may give as addresses_factor (a factor code, or a number for any of nA/nB/nC).
ADDRESSES = ("1B", "2B", "3", "4B", "5B")
CHILD_FACTOR = {"NEG": ("16A",), "EMO": ("17A",), "PHY": ("18B",), "SAB": ("19B",), "MUL": ("16A", "17A")}
NEED_FACTORS = tuple(dict.fromkeys([c for cs in CHILD_FACTOR.values() for c in cs] + list(cal.ADULT_FACTORS)))
CHANGE_TYPES = ("ADULT_JOINED", "ADULT_LEFT", "NEW_BABY", "CHILD_LEFT", "CHILD_RETURNED", "HOUSE_MOVE",
                "CARER_CHANGE", "OTHER")
CHANGE_WEIGHTS = np.array([0.25, 0.22, 0.12, 0.04, 0.03, 0.25, 0.06, 0.03])


@dataclass
class Needs:
    plan: np.ndarray
    factor: np.ndarray          # index into NEED_FACTORS
    identified: np.ndarray
    resolved: np.ndarray


@dataclass
class Actions:
    plan: np.ndarray
    text: np.ndarray            # index into action_bank().texts
    owner: np.ndarray           # agency index into events.AGENCIES, -1 = blank
    set_date: np.ndarray
    due: np.ndarray
    status: np.ndarray          # index into STATUSES, -1 = blank
    completed: np.ndarray
    factor: np.ndarray          # index into ADDRESSES, -1 = not stated


@dataclass
class Changes:
    plan: np.ndarray            # the plan it was generated for (gives child and family)
    date: np.ndarray
    type: np.ndarray            # index into CHANGE_TYPES
    detail: np.ndarray          # index into change_bank().texts


def needs(rng: np.random.Generator, c: Cohort, f: Facts, end_date: np.datetime64) -> Needs:
    """Child factors from the category, adult factors from the assessment; adult needs close only
    after an adult-facing intervention was completed."""
    plans, factors, identified, resolved = [], [], [], []
    step_down = np.isin(c.reason, [END_REASONS.index(r) for r in ("NO_LONGER_AT_RISK", "STEP_DOWN_CIN",
                                                                        "STEP_DOWN_EARLY_HELP")])
    for ci, cat in enumerate(CATEGORIES):
        for code in CHILD_FACTOR[cat]:
            p = np.flatnonzero(c.category == ci)
            closed = step_down[p] & (rng.random(p.size) < 0.7)
            plans.append(p)
            factors.append(np.full(p.size, NEED_FACTORS.index(code)))
            identified.append(f.assessed[p])
            resolved.append(np.where(closed, c.end[p], np.datetime64("NaT")))
    group_of = {code: gi for gi, (_, _, codes) in enumerate(ADULT_GROUPS) for code in codes}
    for fi, code in enumerate(cal.ADULT_FACTORS):
        p = np.flatnonzero(c.factors[:, fi])
        when = np.full(p.size, np.datetime64("NaT"), "datetime64[D]")
        if code in group_of:
            g = group_of[code]
            done = f.int_ok[p, g] & ~np.isnat(f.int_end[p, g])
            when = np.where(done, f.int_end[p, g] + rng.integers(0, 46, p.size) * DAY, when)
            when = np.where((when <= end_date) & (rng.random(p.size) < 0.85), when, np.datetime64("NaT"))
        # A plan that ends for good mostly ends because the adult's difficulty eased (or left the home).
        settled = ~np.isnat(c.end[p]) & ~c.has_next[p] & np.isnat(when) & (rng.random(p.size) < 0.75)
        when = np.where(settled, np.maximum(c.end[p] - rng.integers(0, 30, p.size) * DAY, f.assessed[p]), when)
        plans.append(p)
        factors.append(np.full(p.size, NEED_FACTORS.index(code)))
        identified.append(f.assessed[p])
        resolved.append(when)
    out = Needs(np.concatenate(plans), np.concatenate(factors), np.concatenate(identified), np.concatenate(resolved))
    order = np.argsort(out.plan, kind="stable")
    return Needs(out.plan[order], out.factor[order], out.identified[order], out.resolved[order])


def _slot_pools(rng: np.random.Generator, c: Cohort, f: Facts) -> tuple[np.ndarray, np.ndarray]:
    """Pool of each (plan, slot) and whether the slot is used (4 to 8 per plan)."""
    bank = action_bank()
    n, k = c.n_plans, len(SLOTS)
    pool = np.zeros((n, k), np.int64)
    use = np.zeros((n, k), bool)
    for s, name in enumerate(SLOTS):
        if name in ("HOME", "HEALTH_APPTS", "SAFETY", "CHILD", "ENGAGE"):
            pool[:, s] = bank.pool(name)
    pool[:, SLOTS.index("SCHOOL")] = np.where(f.age_days >= 5 * 365, bank.pool("SCHOOL"), bank.pool("EARLY_YEARS"))
    pool[:, SLOTS.index("NETWORK")] = np.where(rng.random(n) < 0.5, bank.pool("NETWORK"), bank.pool("PARENTING"))
    # The plan's adult-need groups in random order: the first two present fill the adult slots.
    keys = rng.random(f.groups.shape) + (~f.groups) * 2.0
    order = np.argsort(keys, axis=1)[:, :2]
    present = np.take_along_axis(f.groups, order, axis=1)
    group_pool = np.array([bank.pool(p) for _, p, _ in ADULT_GROUPS])
    for j, s in enumerate(ADULT_SLOTS):
        pool[:, s] = group_pool[order[:, j]]
    u = rng.random((n, k))
    for s in (SLOTS.index("HOME"), SLOTS.index("HEALTH_APPTS"), SLOTS.index("SAFETY")):
        use[:, s] = True
    use[:, SLOTS.index("SCHOOL")] = u[:, SLOTS.index("SCHOOL")] < 0.8
    # Adult needs reach the plan less often on first plans (the audit's finding).
    use[:, ADULT_SLOTS[0]] = present[:, 0] & (u[:, ADULT_SLOTS[0]] < np.where(f.repeat, 0.85, 0.55))
    use[:, ADULT_SLOTS[1]] = present[:, 1] & use[:, ADULT_SLOTS[0]] & (u[:, ADULT_SLOTS[1]] < 0.6)
    for name, p in (("CHILD", 0.5), ("NETWORK", 0.45), ("ENGAGE", 0.5)):
        use[:, SLOTS.index(name)] = u[:, SLOTS.index(name)] < np.where(f.repeat & (name == "NETWORK"), p + 0.2, p)
    count = use.sum(axis=1)
    for name in ("CHILD", "ENGAGE", "NETWORK"):           # at least 4 actions
        s = SLOTS.index(name)
        add = ~use[:, s] & (count < 4)
        use[:, s] |= add
        count += add
    for name in ("ENGAGE", "NETWORK", "CHILD"):           # at most 8
        s = SLOTS.index(name)
        drop = use[:, s] & (count > 8)
        use[:, s] &= ~drop
        count -= drop
    return pool, use


def actions(rng: np.random.Generator, c: Cohort, f: Facts, end_date: np.datetime64) -> tuple[Actions, np.ndarray]:
    """4-8 actions per plan; returns them and the true reworded pairs (later row, earlier row)."""
    bank = action_bank()
    n, k = c.n_plans, len(SLOTS)
    pool, use = _slot_pools(rng, c, f)
    size = bank.pool_size[pool]
    pos = (rng.random((n, k)) * size).astype(np.int64)
    family = bank.pool_members[bank.pool_first[pool] + pos]
    para = (rng.random((n, k)) * bank.family_size[family]).astype(np.int64)
    reused = np.zeros((n, k), bool)

    # Repeat plans: reuse some of the previous plan's families (reworded); otherwise pick another.
    prev = c.prev
    rate = rng.uniform(0.45, 0.8, n)
    for order in range(1, int(c.ordinal.max(initial=0)) + 1):
        r = np.flatnonzero(c.ordinal == order)
        q = prev[r]
        same = (pool[r] == pool[q]) & use[r] & use[q]
        again = same & (rng.random((r.size, k)) < rate[r, None])
        shifted = (pos[q] + 1 + (rng.random((r.size, k)) * (size[r] - 1)).astype(np.int64)) % size[r]
        pos[r] = np.where(again, pos[q], np.where(same, shifted, pos[r]))
        family[r] = bank.pool_members[bank.pool_first[pool[r]] + pos[r]]
        fsize = bank.family_size[family[r]]
        exact = rng.random((r.size, k)) < 0.2
        reworded = (para[q] + 1 + (rng.random((r.size, k)) * (fsize - 1)).astype(np.int64)) % fsize
        fresh = (rng.random((r.size, k)) * fsize).astype(np.int64)
        para[r] = np.where(again, np.where(exact, para[q], reworded), fresh)
        reused[r] = again

    plan, slot = np.nonzero(use)                       # sorted by plan, then slot
    row_of = np.full((n, k), -1)
    row_of[plan, slot] = np.arange(plan.size)
    later_plan, later_slot = np.nonzero(reused & use)
    pairs = np.column_stack([row_of[later_plan, later_slot], row_of[prev[later_plan], later_slot]])

    fam = family[plan, slot]
    text = bank.family_first[fam] + para[plan, slot]
    owner_of_family = np.array([A[a] for a in bank.family_owner])
    owner = np.where(rng.random(plan.size) < 0.05, -1, owner_of_family[fam])
    factor_of_family = np.array([ADDRESSES.index(v) if v else -1 for v in bank.family_factor])
    factor = factor_of_family[fam]
    factor[rng.random(plan.size) < 0.1] = -1             # not every adult-need action says so

    # Dates: most actions are set at the ICPC, some later at a core group or review.
    m = plan.size
    last = f.last_day[plan]
    early = (slot < 6) | (rng.random(m) < 0.6)
    set_date = np.where(early, c.start[plan], c.start[plan] + rng.integers(20, 101, m) * DAY)
    set_date = np.minimum(set_date, last)
    due_days = np.array([14, 28, 42, 56, 84, 91, 182])[rng.integers(0, 7, m)]
    due = np.where(rng.random(m) < 0.18, np.datetime64("NaT"), set_date + due_days * DAY)

    # Status at the plan's end (or at end_date for open plans).
    adult_slot = np.isin(slot, ADULT_SLOTS)
    practical = np.isin(slot, [SLOTS.index(s) for s in ("HOME", "HEALTH_APPTS", "SCHOOL", "SAFETY", "ENGAGE")])
    ended = f.ended[plan]
    # Plans that end and stay ended mostly finish their work; plans followed by another plan end with
    # work outstanding (the audit's premature endings), so warning signs predict a re-plan.
    followed = c.has_next[plan]
    u = rng.random(m)
    at_end_practical = np.where(followed, _choice(u, np.array([0.06, 0.80, 0.08, 0.06])),
                                _choice(u, np.array([0.01, 0.94, 0.01, 0.04])))
    at_end_other = np.where(followed, _choice(u, np.array([0.15, 0.60, 0.15, 0.10])),
                            _choice(u, np.array([0.02, 0.89, 0.02, 0.07])))
    status = np.where(
        practical,
        np.where(ended, at_end_practical, _choice(u, np.array([0.47, 0.45, 0.03, 0.05]))),
        np.where(ended, at_end_other, _choice(u, np.array([0.60, 0.30, 0.05, 0.05]))))
    span = np.maximum((np.where(ended, last - DAY, last) - set_date) // DAY, 0)
    completed = set_date + (np.minimum(7 + rng.random(m) * span, span)).astype(np.int64) * DAY

    # Adult-need actions follow the adult-facing work decided for the plan.
    group_by_pool = {bank.pool(p): gi for gi, (_, p, _) in enumerate(ADULT_GROUPS)}
    g = np.array([group_by_pool.get(int(p), 0) for p in range(len(bank.pool_names))])[pool[plan, slot]]
    i_end = f.int_end[plan, g]
    i_has = f.int_has[plan, g]
    i_ok = f.int_ok[plan, g]
    finished = i_has & i_ok & ~np.isnat(i_end) & (i_end <= last)
    adult_status = np.select(
        [finished, i_has & ~i_ok & ~np.isnat(i_end), i_has],
        [S["DONE"], S["NOT_DONE"], S["OPEN"]],
        np.where(ended, np.where(followed, _choice(u2 := rng.random(m), np.array([0.45, 0.0, 0.45, 0.10])),
                                 _choice(u2, np.array([0.04, 0.78, 0.04, 0.14]))), S["OPEN"]))
    status = np.where(adult_slot, adult_status, status)
    completed = np.where(adult_slot & finished, np.maximum(i_end, set_date), completed)
    completed = np.where(status == S["DONE"], completed, np.datetime64("NaT"))
    return Actions(plan, text, owner, set_date, due, status, completed, factor), pairs


def changes(rng: np.random.Generator, c: Cohort, f: Facts) -> Changes:
    """Household changes: some during plans, more in the gap before a repeat plan."""
    lead = c.lead[c.child]
    prev = c.prev
    before_lo = np.where(c.ordinal > 0, c.end[np.maximum(prev, 0)] + DAY, c.start - 730 * DAY)
    lam_before = np.select([c.ordinal > 0, c.prior[c.child] > 0], [1.6, 0.9], 0.3)
    lam_during = 0.45 + 0.5 * c.has_next
    parts = []
    for lam, lo, hi in ((lam_before, before_lo, c.start - DAY), (lam_during, c.start, f.last_day)):
        plan, _ = expand(rng.poisson(np.where(lead, lam, 0.0)))
        span = np.maximum((hi[plan] - lo[plan]) // DAY, 0)
        parts.append((plan, lo[plan] + (rng.random(plan.size) * (span + 1)).astype(np.int64) * DAY))
    plan = np.concatenate([p for p, _ in parts])
    date = np.concatenate([d for _, d in parts])
    kind = _choice(rng.random(plan.size), CHANGE_WEIGHTS)
    bank = change_bank()
    detail = np.zeros(plan.size, np.int64)
    u = rng.random(plan.size)
    for i, t in enumerate(CHANGE_TYPES):
        sel = kind == i
        detail[sel] = bank.pick(t, u[sel])
    order = np.lexsort((date, plan))
    return Changes(plan[order], date[order], kind[order], detail[order])
