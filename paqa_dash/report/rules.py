"""What each aggregate table of the pages counts and what adds up in it: the suppression rules
(report/suppression.py) of the Overview, Repeat plans, Plan endings, Core groups & agencies, Household
change and Regional view tables.

Why here, below ui: the page draws a table and the briefing export (report/briefing) hands the same table
to a board; both must withhold the same cells, so the rule is written once and both import it
(docs/definitions.md, "Small numbers").
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from ..figures.agencies import MEASURES as DEADLINE_KINDS, count_key, timeliness_frame
from ..metrics.regional import PRACTICE
from ..metrics.regional_audit import RATES as AUDIT_RATES
from ..reference.benchmarks import comparable
from ..reference.codes import DEADLINE_STATUS_LABELS
from .suppression import Rule, Suppressed, split_gives_back, suppress

# ---- Overview.  The quarters add up to the headline tiles' totals; each quarter's repeat plans and short
# endings are parts of its starts and endings.
QUARTERLY_RULE = Rule(counts=("plans_started", "repeat_plans_started", "plans_ended", "ended_le_3m"),
                      rates={"repeat_rate": ("repeat_plans_started", "plans_started")},
                      columns_add_up=(("plans_started", ("repeat_plans_started",)), ("plans_ended", ("ended_le_3m",))),
                      rows_add_up=("plans_started", "repeat_plans_started", "plans_ended", "ended_le_3m"))
# What the repeat share chart draws of the quarterly table (the rest is plans ended, drawn by the next chart).
REPEAT_TREND_DRAWS = ("plans_started", "repeat_plans_started", "repeat_rate")


def repeat_finding_rests_on(head: Mapping[str, Any]) -> tuple[float | None, ...]:
    """The headline counts the repeat share's findings (the bars beside England, the share by quarter) are worked out
    from: the share of plans started that were repeat plans, the "Repeat plans (DfE)" tile's.  A quarter withheld
    leaves them true, so those charts keep their finding while these counts are shown (suppression.finding_kept)."""
    return (head["repeat_plans_started"], head["plans_started"], head["plans_started"] - head["repeat_plans_started"])


def starts_endings_totals(head: Mapping[str, Any]) -> tuple[int, int, int]:
    """The period's plans started, ended and ended within 3 months: the starts-and-endings chart's finding, the
    "Plans started", "Plans ended" and "Ended within 3 months" tiles' figures."""
    return int(head["plans_started"]), int(head["plans_ended"]), int(head["ended_le_3m"])


def starts_endings_rests_on(head: Mapping[str, Any]) -> tuple[float | None, ...]:
    """What that finding rests on, as those tiles do: withheld with any of them."""
    started, ended, short = starts_endings_totals(head)
    return started, ended, short, ended - short


BENCHMARK_RULE = Rule(counts=("subsequent", "starts"), rates={"repeat_percent": ("subsequent", "starts")},
                      columns_add_up=(("starts", ("subsequent",)),))

# ---- Repeat plans.  The teams add up to the Overview's headline totals; a team's repeat plans are part of
# its starts.
MARKS = (6, 12, 24)   # cohorts.cohort_table's default marks
COHORT_RULE = Rule(counts=("first_plans_ended",) + tuple(c for m in MARKS
                                                         for c in (f"followed_up_{m}m", f"replanned_{m}m")),
                   rates={f"within_{m}m": (f"replanned_{m}m", f"followed_up_{m}m") for m in MARKS},
                   rows_add_up=("first_plans_ended",))
CURVE_RULE = Rule(counts=("followed_up", "replanned"), rates={"share": ("replanned", "followed_up"),
                                                             "cumulative": (None, "followed_up")})


def cohort_finding_rests_on(curve: pd.DataFrame, window_months: int) -> tuple[int, ...]:
    """What the cohort chart's finding (the share of first plans re-planned within the window, pooled over the
    groups) is worked out from, for suppression.finding_kept: each group's first plans followed up that long and
    those re-planned within it, all in the table's window columns.  A cell withheld at another month (6 or 12)
    takes no part in it and cannot be had back from it, so the finding stays; one withheld at the window goes in
    the pooled share, which would then give it back (CURVE_RULE withholds a count only where it is small)."""
    at = curve[curve["months"] == window_months]
    return tuple(int(v) for v in (*at["followed_up"], *at["replanned"]))


# the bars add up to the repeat plans with a gap, and those within the re-plan window to the Overview's "Repeat within
# N months" tile: without the second, the tile less the bars shown within gave a withheld bar back
GAPS_RULE = Rule(counts=("plans",), rows_add_up=("plans",), also_within=((("within_window",), (True,)),))


def gap_totals(gaps: pd.DataFrame, window_months: int, threshold: int) -> tuple[int | None, int]:
    """The gap chart's finding's counts, from the whole table (gap_month, plans): repeat plans within the window and
    all.  All is the table's total, against which GAPS_RULE protects the withheld bars.  Within is None where bars
    are withheld on both sides of the window: less the bars shown within, it would give a withheld one back; with
    them all on one side it says only their sum, which the total less the bars shown says already."""
    within = gaps["within_window"]
    gives_back = split_gives_back(gaps, GAPS_RULE, threshold, "plans", within)
    return (None if gives_back else int(gaps.loc[within, "plans"].sum())), int(gaps["plans"].sum())


def gaps_finding_rests_on(totals: tuple[int | None, int], repeat_plans: int) -> tuple[int, ...]:
    """What that finding rests on, for suppression.finding_kept: the repeat plans the median gap is of (the
    Overview's "Median gap between plans" tile rests on them), the gaps' total and, where said, within and beyond
    the window."""
    within, total = totals
    return (repeat_plans, total) + (() if within is None else (within, total - within))


PATHS_RULE = Rule(counts=("plans",))
TEAM_RULE = Rule(counts=("plans_started", "repeat_plans", "repeat_within_window"),
                 rates={"repeat_share": ("repeat_plans", "plans_started")},
                 columns_add_up=(("plans_started", ("repeat_plans",)), ("repeat_plans", ("repeat_within_window",))),
                 rows_add_up=("plans_started", "repeat_plans", "repeat_within_window"))

# ---- Plan endings.  The bands add up to plans ended (the Overview's headline); a reason's plans by what
# followed do not add up to anything shown (a plan can have several reasons).
BANDS_RULE = Rule(counts=("plans",), rates={"share": ("plans", None)}, rows_add_up=("plans",))
REASONS_RULE = Rule(counts=("plans",))


def reasons_finding_rests_on(counts: pd.DataFrame, with_reason: int, plans_ended: int) -> tuple[int, ...] | None:
    """What the warning-signs chart's finding ("N of M ended plans ended with at least one warning sign") rests on,
    for suppression.finding_kept: the plans ended (the duration bands' total) and those with any sign.  A plan can
    show several signs, so no bar adds up to the plans with one and a withheld bar's part stays withheld: the
    finding keeps.  Not where one sign's bar holds every plan with a sign (only short plans checked, an Annex A
    return; or every plan with a sign was short): that bar's total is then the finding's N, and its parts shown
    give its withheld part back, so the finding goes (None)."""
    by_sign = counts.groupby("reason")["plans"].sum()
    if with_reason and (by_sign == with_reason).any():
        return None
    return with_reason, plans_ended, plans_ended - with_reason

# ---- Core groups & agencies.  An agency's quarters add up to its row of the totals; attended and
# contributed are parts of invited.  The agencies' invitations and attendances add up to the authority's, which the
# Regional view prints ("Agency attendance at core groups"): one agency's withheld count was that total less the others.
_ATTENDANCE = dict(counts=("invited", "attended", "contributed"),
                   rates={"rate": ("attended", "invited"), "contribution_rate": ("contributed", "invited")},
                   columns_add_up=(("invited", ("attended",)), ("invited", ("contributed",))))
QUARTER_RULE = Rule(**_ATTENDANCE, rows_add_up=("invited", "attended", "contributed"), within=("agency",))
AGENCY_RULE = Rule(**_ATTENDANCE, rows_add_up=("invited", "attended"))


def heatmap_finding_rests_on(by_agency: pd.DataFrame, measure: str, threshold: int) -> tuple[int, ...] | None:
    """What the attendance heatmap's finding (the agencies attending, or contributing to, the lowest and highest
    share of the core groups they were invited to over the period) rests on, for suppression.finding_kept: the
    agencies' totals (`by_agency`, the next chart's table), not the quarters drawn.  Kept only where every agency
    invited often enough to be ranked (benchmarks.comparable) has its share shown: a lowest among those left would
    not be the lowest, and an agency's withheld share is not to be said.  `measure`: "rate" or "contribution_rate"."""
    count = "attended" if measure == "rate" else "contributed"
    withheld = suppress(by_agency, AGENCY_RULE, threshold).mask
    ranked = by_agency["invited"].map(comparable).astype(bool).to_numpy()
    if (ranked & (withheld[measure] | withheld["invited"]).to_numpy()).any():
        return None
    return tuple(int(v) for v in (*by_agency.loc[ranked, "invited"], *by_agency.loc[ranked, count]))


# A kind's deadlines (on time, late, not yet due) add up to a total the reader sees only for the first core group and
# the first review: there is one of each per plan started, a headline figure.  Later deadlines' totals are shown
# nowhere, so a small count there needs no second count hidden.  The shares of the deadlines that fell due go with
# any count of them that is withheld (suppression.py, "a share of a part").
TIMELINESS_RULE = Rule(counts=("n",), rates={"share_of_due": ("n", None)}, rows_add_up=("n",), within=("measure",),
                       totals_for=tuple(label for _, kind, label in DEADLINE_KINDS if kind == "first"))
CHALLENGES_RULE = Rule(counts=("events", "plans"))
def timeliness_finding_rests_on(frame: pd.DataFrame, threshold: int) -> tuple[int, ...] | None:
    """What the deadlines chart's finding rests on, for suppression.finding_kept: the kind said (the highest share
    of deadlines missed among the kinds with enough due, figures/agencies.timeliness_bars, from the counts shown) and
    its late and due counts, all shown.  A kind whose late count is withheld is 1 to threshold-1 beside its on-time
    count: kept only where even its most (threshold-1 late) could not be both enough to rank and as high as the
    share said, so the kind said is the highest whatever the withheld count is, and says nothing of it.  None (the
    finding goes) where that is not so, where a withheld kind's on-time count is withheld too, or where no kind has
    enough due (the finding is then the most missed count, which a withheld count could be)."""
    shown = suppress(frame, TIMELINESS_RULE, threshold).frame
    counts = shown.pivot_table(index="measure", columns="status", values="n", aggfunc="first", dropna=False)
    on_time, late = counts[DEADLINE_STATUS_LABELS["on_time"]], counts[DEADLINE_STATUS_LABELS["late"]]
    due = on_time + late
    ranked = (late / due)[due.map(comparable).astype(bool)]
    if ranked.empty:
        return None
    worst = ranked.idxmax()
    most = threshold - 1
    for kind in late.index[late.isna()]:
        if pd.isna(on_time[kind]) or (comparable(on_time[kind] + most) and most / (on_time[kind] + most) >= ranked[worst]):
            return None
    return int(late[worst]), int(due[worst]), int(on_time[worst])


BY_TEAM_RULE = Rule(counts=("Plans started", "Plans with a challenge", "Plans with an escalation", "Challenges",
                            "Escalations"),
                    rates={"Share with a challenge (%)": ("Plans with a challenge", "Plans started"),
                           "Share with an escalation (%)": ("Plans with an escalation", "Plans started")},
                    columns_add_up=(("Plans started", ("Plans with a challenge",)),
                                    ("Plans started", ("Plans with an escalation",))),
                    rows_add_up=("Plans started",))

# ---- Household change.  Within a bucket, children with and without a repeat plan add up to the bucket (the 3+ tile);
# across the buckets, the children with a repeat plan add up to the repeat plans started printed on the Overview and
# Repeat plans pages, and all the rows to the tile's "of N children": a bucket's withheld cell was that total less
# the other buckets.  A bucket's re-planned children are part of its children.
BUCKETS_RULE = Rule(counts=("children",), rows_add_up=("children",), within=("bucket",),
                    also_within=((("has_repeat_plan",), None), ((), None)))
SHARE_RULE = Rule(counts=("children", "replanned_children"),
                  rates={"replanned_share": ("replanned_children", "children")},
                  columns_add_up=(("children", ("replanned_children",)),),
                  rows_add_up=("children", "replanned_children"))

# ---- Audit sample (in a briefing).  A child can have several concerns: the rows do not add up.
CONCERNS_RULE = Rule(counts=("children",), rates={"share": ("children", None)})


# ---- Regional view.  A rate rests on its two counts; the rest of the denominator (not repeat, late, not attended) is
# a part the reader does not see.
REGIONAL_RATE_RULE = Rule(counts=("numerator", "denominator"), rates={"percent": ("numerator", "denominator")},
                          columns_add_up=(("denominator", ("numerator",)),))
# The audit's measures by authority (metrics/regional_audit.rates_by_authority, on ui/pages/regional.py): a count
# rests in its denominator; and each measure's authorities add up to the figure its own page prints for the
# authorities in view (regional_audit.AuditRate.pooled_elsewhere: the Overview's 21 endings at risk, less Gateshead's
# 7 and Newcastle's 10 shown here, gave back North Tyneside's withheld 4), so a withheld count takes a second with it.
AUDIT_RATES_RULE = Rule(counts=("numerator", "denominator"), rates={"percent": ("numerator", "denominator")},
                        columns_add_up=(("denominator", ("numerator",)),), rows_add_up=("numerator", "denominator"),
                        within=("measure",), totals_for=tuple(r.label for r in AUDIT_RATES if r.pooled_elsewhere))
_DEADLINE_OF = {m.key: next(label for which, kind, label in DEADLINE_KINDS if (which, kind) == m.deadline)
                for m in PRACTICE if m.deadline}


def practice_suppressed(practice: pd.DataFrame, threshold: int) -> Suppressed:
    """The Regional view's timeliness and attendance table (metrics/regional.practice_table) with the cells this
    reader may not see withheld.

    Why not REGIONAL_RATE_RULE alone: an authority's deadlines on time and due are the Core groups & agencies page's
    timeliness table for that authority, and its on time count is shown there.  The view's due total beside it gave
    the late count back (due - on time) where that page withheld it, as the share of those due did before; and where
    REGIONAL_RATE_RULE hid the on time count instead, that page showed it.  So a deadline's row follows the
    timeliness rule (TIMELINESS_RULE, one rule for both): on time is withheld where that table withholds it, and
    due and the share where it withholds on time, late or their share.  Attendance rows follow REGIONAL_RATE_RULE."""
    result = suppress(practice, REGIONAL_RATE_RULE, threshold)
    if threshold <= 1 or practice.empty:
        return result
    mask = result.mask.copy()
    for at, row in zip(practice.index, practice.to_dict("records")):
        label = _DEADLINE_OF.get(row["key"])
        if label is None:
            continue
        mask.loc[at, ["numerator", "denominator", "percent"]] = False
        if not row["recorded"] or pd.isna(row["numerator"]) or pd.isna(row["denominator"]):
            continue
        which, kind = next(m.deadline for m in PRACTICE if m.key == row["key"])
        on_time, due = int(row["numerator"]), int(row["denominator"])
        counts = {count_key(which, kind, "on_time"): on_time, count_key(which, kind, "late"): due - on_time,
                  count_key(which, kind, "not_due"): 0 if pd.isna(row["not_due"]) else int(row["not_due"])}
        table = timeliness_frame(counts if which == "core" else {}, counts if which == "review" else {})
        hidden = suppress(table, TIMELINESS_RULE, threshold).mask
        status = table["status"].where(table["measure"] == label)
        mask.loc[at, "numerator"] = bool(hidden.loc[status == DEADLINE_STATUS_LABELS["on_time"], "n"].any())
        fell_due = status.isin([DEADLINE_STATUS_LABELS["on_time"], DEADLINE_STATUS_LABELS["late"]])
        mask.loc[at, ["denominator", "percent"]] = bool(hidden.loc[fell_due, ["n", "share_of_due"]].to_numpy().any())
    frame = practice.copy()
    for c in ("numerator", "denominator", "percent"):
        frame[c] = frame[c].astype("float64").mask(mask[c])
    # the counts are whole numbers (held as floats for the rows not recorded): beside a "c" they read "93", not "93.0"
    return Suppressed(frame, mask, tuple(c for c in ("numerator", "denominator") if mask[c].any()))
