"""The multi-agency chronology of each plan (events) and who came to core groups (attendance).

Every kind of event is generated for all plans at once: a count or a schedule per plan, expanded
with np.repeat.  Schedules (core groups, reviews, visits) are over-generated to the most that can
fit and cut at the plan's last day, so no loop runs over plans.  Timeliness is built in the way
the timeliness measure reads it: most first core groups within 10 working days, some late; later core groups
4-8 weeks apart with some gaps over 6 weeks; first review within 3 months, then 6-monthly, some late.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calibration as cal
from .cohort import Cohort, _choice
from .dates import DAY, add_working_days
from .facts import GROUPS, Facts
from ..reference.codes import AGENCIES, END_REASONS
from .texts import GROUP_AGENCY, GROUP_NOTES, event_bank

EVENT_TYPES = ("REFERRAL", "STRATEGY_DISCUSSION", "S47_START", "ICPC", "REVIEW_CONFERENCE", "CORE_GROUP", "VISIT",
               "ASSESSMENT", "PLAN_UPDATE", "WRITTEN_AGREEMENT", "CHALLENGE", "ESCALATION", "INTERVENTION_START",
               "INTERVENTION_END", "INCIDENT", "MISSED_APPOINTMENT", "OTHER")
T = {t: i for i, t in enumerate(EVENT_TYPES)}
A = {a: i for i, a in enumerate(AGENCIES)}


@dataclass
class Events:
    plan: np.ndarray
    date: np.ndarray
    type: np.ndarray
    agency: np.ndarray
    detail: np.ndarray        # index into event_bank().texts, -1 = none


@dataclass
class Attendance:
    event: np.ndarray         # row in Events
    agency: np.ndarray
    invited: np.ndarray       # bool
    attended: np.ndarray
    contributed: np.ndarray   # bool
    contributed_blank: np.ndarray


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row -> owner index and position within the owner, for `counts` rows per owner."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    return owner, np.arange(owner.size) - first[owner]


def schedule(rng: np.random.Generator, first: np.ndarray, last: np.ndarray, min_step: int,
             steps: tuple[tuple[float, int, int], ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Meetings per plan: the first on `first`, then steps drawn from (weight, lo, hi) day ranges,
    kept while on or before `last`.  Returns (plan, date, position)."""
    span = (last - first) // DAY
    cap = np.where(span >= 0, span // min_step + 1, 0)
    plan, pos = expand(cap)
    weights = np.array([s[0] for s in steps])
    pick = _choice(rng.random(plan.size), weights)
    lo = np.array([s[1] for s in steps])[pick]
    hi = np.array([s[2] for s in steps])[pick]
    step = lo + (rng.random(plan.size) * (hi - lo + 1)).astype(np.int64)
    step[pos == 0] = 0
    total = np.cumsum(step)
    offset = total - total[(np.arange(plan.size) - pos)]
    date = first[plan] + offset * DAY
    keep = date <= last[plan]
    return plan[keep], date[keep], pos[keep]


def _between(rng: np.random.Generator, plan: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniform day in [lo, hi] of each plan row (hi < lo gives lo)."""
    span = np.maximum((hi[plan] - lo[plan]) // DAY, 0)
    return lo[plan] + (rng.random(plan.size) * (span + 1)).astype(np.int64) * DAY


class _Parts:
    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, plan: np.ndarray, date: np.ndarray, etype: np.ndarray | int, agency: np.ndarray | int,
            detail: np.ndarray | int) -> None:
        n = len(plan)
        self.parts.append((plan.astype(np.int32), date.astype("datetime64[D]"),
                           np.broadcast_to(np.asarray(etype, np.int8), n), np.broadcast_to(np.asarray(agency, np.int8), n),
                           np.broadcast_to(np.asarray(detail, np.int16), n)))

    def build(self) -> Events:
        """All parts in the order added (by kind; not sorted: the store orders chronologies by date,
        and sorting tens of millions of rows would cost more than the rest of this step)."""
        return Events(*(np.concatenate([p[i] for p in self.parts]) for i in range(5)))


def generate(rng: np.random.Generator, c: Cohort, f: Facts, end_date: np.datetime64) -> Events:
    bank = event_bank()
    n = c.n_plans
    every = np.arange(n)
    out = _Parts()

    # Before the plan: referral, strategy discussion, section 47, assessment; the ICPC starts it.
    referrers = ("POLICE", "EDUCATION", "HEALTH", "CSC", "FAMILY", "OTHER", "HOUSING", "ADULT_MH")
    who = _choice(rng.random(n), np.array([0.30, 0.20, 0.22, 0.05, 0.04, 0.10, 0.04, 0.05]))
    note = np.zeros(n, np.int64)
    u = rng.random(n)
    for i, name in enumerate(referrers):
        note[who == i] = bank.pick(f"REFERRAL:{name}", u[who == i])
    out.add(every, c.start - rng.integers(25, 90, n) * DAY, T["REFERRAL"], np.array([A[a] for a in referrers])[who],
            note)
    strategy = c.start - rng.integers(14, 25, n) * DAY
    out.add(every, strategy, T["STRATEGY_DISCUSSION"], A["CSC"], bank.pick("STRATEGY_DISCUSSION", rng.random(n)))
    out.add(every, strategy + rng.integers(0, 3, n) * DAY, T["S47_START"], A["CSC"], bank.pick("S47_START", rng.random(n)))
    out.add(every, f.assessed, T["ASSESSMENT"], A["CSC"], bank.pick("ASSESSMENT", rng.random(n)))
    out.add(every, c.start, T["ICPC"], A["CSC"], bank.pick("ICPC", rng.random(n)))

    # Core groups: the last meeting is before the plan ends (or on the extract's end date).
    before_end = np.where(f.ended, f.last_day - DAY, f.last_day)
    late_first = rng.random(n) < 0.15
    first_cg = add_working_days(c.start, np.where(late_first, rng.integers(11, 23, n), rng.integers(2, 11, n)))
    cg_plan, cg_date, _ = schedule(rng, first_cg, before_end, 21, ((0.80, 21, 42), (0.20, 43, 75)))
    cg_detail = np.where(rng.random(cg_plan.size) < 0.7, bank.pick("CORE_GROUP", rng.random(cg_plan.size)), -1)
    out.add(cg_plan, cg_date, T["CORE_GROUP"], A["CSC"], cg_detail)

    # Review conferences: first by 3 months (89 days is the shortest 3 months), then 6-monthly.
    first_rv = c.start + np.where(rng.random(n) < 0.85, rng.integers(60, 89, n), rng.integers(93, 126, n)) * DAY
    rv_last = np.where(f.ended, f.last_day - 14 * DAY, f.last_day)
    rv_plan, rv_date, _ = schedule(rng, first_rv, rv_last, 140, ((0.88, 140, 180), (0.12, 190, 240)))
    out.add(rv_plan, rv_date, T["REVIEW_CONFERENCE"], A["CSC"], bank.pick("REVIEW_CONFERENCE", rng.random(rv_plan.size)))
    closing = f.ended & ~np.isin(c.reason, [END_REASONS.index(r) for r in ("LOOKED_AFTER", "TRANSFERRED_OUT",
                                                                                  "AGE_18", "DIED")])
    cp = np.flatnonzero(closing)
    out.add(cp, c.end[cp], T["REVIEW_CONFERENCE"], A["CSC"], bank.pick("REVIEW_END", rng.random(cp.size)))

    # Recorded home visits about every three to six weeks, some longer gaps; half carry a note.
    vi_plan, vi_date, _ = schedule(rng, c.start + rng.integers(3, 11, n) * DAY, before_end, 21,
                                   ((0.85, 21, 42), (0.15, 43, 70)))
    vi_detail = np.where(rng.random(vi_plan.size) < 0.5, bank.pick("VISIT", rng.random(vi_plan.size)), -1)
    out.add(vi_plan, vi_date, T["VISIT"], A["CSC"], vi_detail)

    # Adult-facing interventions (decided in facts).
    for g, name in enumerate(GROUPS):
        has = np.flatnonzero(f.int_has[:, g])
        if not has.size:
            continue
        agency = A[GROUP_AGENCY[name]]
        notes = GROUP_NOTES[name]
        out.add(has, f.int_start[has, g], T["INTERVENTION_START"], agency,
                bank.pick(f"INTERVENTION_START:{notes}", rng.random(has.size)))
        done = has[~np.isnat(f.int_end[has, g])]
        ok = f.int_ok[done, g]
        detail = np.where(ok, bank.pick(f"INTERVENTION_END:{notes}", rng.random(done.size)),
                          bank.pick("INTERVENTION_DROPOUT", rng.random(done.size)))
        out.add(done, f.int_end[done, g], T["INTERVENTION_END"], agency, detail)

    # Challenge by partner agencies, more often when a short plan ends; some escalate.
    challengers = np.array([A[a] for a in ("HEALTH", "EDUCATION", "POLICE", "ADULT_MH", "ADULT_DA",
                                           "ADULT_SUBSTANCE", "PROBATION", "HOUSING")])
    challenge_w = np.array([0.35, 0.25, 0.15, 0.08, 0.07, 0.05, 0.03, 0.02])
    ch = np.flatnonzero(rng.random(n) < np.where(f.short, 0.25, 0.12))
    at_end = f.ended[ch] & (rng.random(ch.size) < 0.55)
    ch_date = np.where(at_end, np.maximum(c.end[ch] - rng.integers(0, 22, ch.size) * DAY, c.start[ch]),
                       _between(rng, ch, c.start, before_end))
    ch_agency = challengers[_choice(rng.random(ch.size), challenge_w)]
    out.add(ch, ch_date, T["CHALLENGE"], ch_agency,
            np.where(at_end, bank.pick("CHALLENGE_END", rng.random(ch.size)), bank.pick("CHALLENGE", rng.random(ch.size))))
    esc = rng.random(ch.size) < 0.3
    esc_date = ch_date[esc] + rng.integers(5, 31, int(esc.sum())) * DAY
    keep = esc_date <= end_date
    out.add(ch[esc][keep], esc_date[keep], T["ESCALATION"], ch_agency[esc][keep],
            bank.pick("ESCALATION", rng.random(int(keep.sum()))))

    # Missed appointments, incidents, written agreements.
    missed = ("HEALTH", "EDUCATION", "ADULT_MH", "ADULT_SUBSTANCE", "ADULT_DA")
    mp, _ = expand(rng.poisson(1.3, n))
    which = _choice(rng.random(mp.size), np.array([0.55, 0.12, 0.14, 0.12, 0.07]))
    detail = np.full(mp.size, -1)
    for i, a in enumerate(missed):
        sel = which == i
        detail[sel] = bank.pick(f"MISSED_APPOINTMENT:{a}", rng.random(int(sel.sum())))
    out.add(mp, _between(rng, mp, c.start, before_end), T["MISSED_APPOINTMENT"],
            np.array([A[a] for a in missed])[which], detail)
    da = f.groups[:, GROUPS.index("DA")]
    ip, _ = expand(rng.poisson(np.where(da, 0.6, 0.08)))
    out.add(ip, _between(rng, ip, c.start, before_end), T["INCIDENT"], A["POLICE"], bank.pick("INCIDENT", rng.random(ip.size)))
    wa = np.flatnonzero(rng.random(n) < 0.08)
    out.add(wa, np.minimum(c.start[wa] + rng.integers(0, 31, wa.size) * DAY, before_end[wa]), T["WRITTEN_AGREEMENT"],
            A["CSC"], bank.pick("WRITTEN_AGREEMENT", rng.random(wa.size)))
    return out.build()


# Core group membership: agencies in the order of the invitation matrix.
MEMBERS = ("CSC", "FAMILY", "HEALTH", "EDUCATION", "POLICE", "ADULT_MH", "ADULT_DA", "ADULT_SUBSTANCE", "HOUSING",
           "PROBATION")


def attendance(rng: np.random.Generator, c: Cohort, f: Facts, ev: Events, n_teams: int) -> Attendance:
    """Invited agencies per plan, and per core group whether each attended and contributed."""
    n = c.n_plans
    m = {a: i for i, a in enumerate(MEMBERS)}
    g = {name: f.groups[:, i] for i, name in enumerate(GROUPS)}
    u = rng.random((n, len(MEMBERS)))
    boost = np.where(f.repeat, 0.2, 0.0)
    invited = np.zeros((n, len(MEMBERS)), bool)
    invited[:, [m["CSC"], m["FAMILY"], m["HEALTH"]]] = True
    invited[:, m["EDUCATION"]] = (f.age_days >= 730) | (u[:, m["EDUCATION"]] < 0.25)
    invited[:, m["POLICE"]] = u[:, m["POLICE"]] < np.where(g["DA"], 0.8, 0.12)
    invited[:, m["ADULT_MH"]] = g["MH"] & (u[:, m["ADULT_MH"]] < 0.6 + boost)
    invited[:, m["ADULT_DA"]] = g["DA"] & (u[:, m["ADULT_DA"]] < 0.55 + boost)
    invited[:, m["ADULT_SUBSTANCE"]] = (g["ALC"] | g["DRUG"]) & (u[:, m["ADULT_SUBSTANCE"]] < 0.6 + boost)
    invited[:, m["HOUSING"]] = u[:, m["HOUSING"]] < 0.1
    invited[:, m["PROBATION"]] = u[:, m["PROBATION"]] < np.where(g["DA"], 0.15, 0.03)

    # Each plan's agencies have their own propensity around the agency's rate; teams differ a little.
    base = np.array([cal.ATTENDANCE_RATE[a] for a in MEMBERS])
    team_shift = rng.normal(0.0, 0.06, (n_teams, len(MEMBERS)))
    team_shift[:, m["CSC"]] = 0.0
    adult = np.isin(np.arange(len(MEMBERS)), [m["ADULT_MH"], m["ADULT_DA"], m["ADULT_SUBSTANCE"]])
    spread = np.where(np.arange(len(MEMBERS)) == m["CSC"], 0.01, 0.15)
    rate = base + team_shift[c.team] + rng.normal(0.0, 1.0, (n, len(MEMBERS))) * spread + adult * boost[:, None] * 0.5
    rate = np.clip(rate, 0.02, 0.995)

    cg = np.flatnonzero(ev.type == T["CORE_GROUP"])
    plan_of = ev.plan[cg]
    pair_plan, pair_member = np.nonzero(invited)               # sorted by plan
    pair_first = np.searchsorted(pair_plan, np.arange(n))
    per_cg = invited.sum(axis=1)[plan_of]
    row_cg, pos = expand(per_cg)
    pair = pair_first[plan_of[row_cg]] + pos
    member = pair_member[pair]
    plan = plan_of[row_cg]
    attended = rng.random(row_cg.size) < rate[plan, member]
    contributed = np.where(attended, rng.random(row_cg.size) < 0.85, rng.random(row_cg.size) < 0.2)
    contributed |= attended & (member == m["CSC"])
    not_invited = (member != m["CSC"]) & (rng.random(row_cg.size) < 0.02)
    attended &= ~not_invited
    agency = np.array([A[a] for a in MEMBERS])[member]
    return Attendance(event=cg[row_cg], agency=agency, invited=~not_invited, attended=attended,
                      contributed=contributed & ~not_invited,
                      contributed_blank=not_invited | (rng.random(row_cg.size) < 0.05))
