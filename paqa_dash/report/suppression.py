"""Small-number suppression: the rule published statistics follow, applied to every aggregate a
non-administrator sees or downloads (docs/definitions.md, "Small numbers").

Why here, below ui and beside `safe_csv`: the pages' tables, charts and CSVs, and any later export, share
one definition, and it is plain pandas, so it is tested on hand-worked tables without Streamlit.

The rule, for a threshold `t` (the user's `Scope.suppress_below`; 0 means no suppression):

- **Primary**: a count of 1 to t-1 is suppressed.  A zero is shown as 0, as DfE publications do: "none" is
  not identifying, and hiding zeros would make every sparse table unreadable.
- **Secondary**: where cells add up to a total the reader can see (a total column, the rest of a row, the
  other rows of a column whose total is shown), one suppressed cell could be recovered by subtraction.  So
  while an addition has exactly one unknown cell and that cell needs protecting, the smallest non-zero cell
  still shown in it is suppressed too (the total itself if no part is left).  A part of a total that is not
  shown (the complement: total minus the parts shown) counts as a cell: if it is 1 to t-1, one shown part is
  suppressed so that it cannot be worked out.
- **Rates** (shares, percentages, and medians or means over a count) resting on a suppressed numerator or
  denominator, or on a denominator of 1 to t-1, are withheld.  A share of a part of its group (a share of the
  deadlines that fell due, beside a row of deadlines not yet due that has no share) tells the reader that part's
  total (count / share): while a count in that part is suppressed, every share of the part is withheld, or the
  suppressed count would follow from the total.

A suppressed cell becomes missing in the returned frame (charts draw nothing there and mark it, see
`figures.style.mark_suppressed`) and `displayed` writes it as "c", the symbol published statistics use.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Mapping

import numpy as np
import pandas as pd

SYMBOL = "c"   # what a reader sees instead of a suppressed number, on screen and in every CSV


def note(threshold: int) -> str:
    """The words shown wherever a suppressed value would be (hover, tile help)."""
    return f"suppressed: fewer than {threshold}"


@dataclass(frozen=True)
class Rule:
    """Which columns of one table are counts, which are rates on which counts, and what adds up.

    `counts`: columns of counts of children or plans (primary suppression applies).
    `rates`: rate column -> (numerator column or None, denominator column or None); withheld when either is
        suppressed or the denominator is 1 to t-1.
    `columns_add_up`: (total column, part columns) within each row, e.g. ("plans", ("repeat_plans",)): the
        parts and the complement (total minus the parts) may not be recoverable.
    `rows_add_up`: count columns whose total over the rows is shown to the reader (in `total_row` or
        elsewhere on the page, e.g. a headline tile); `within`: key columns inside which the rows add up
        (e.g. the teams of each quarter).  Rows are taken to cover the whole total.
    `totals_for`: with one `within` column, the groups (its values) whose total the reader sees; None: every
        group's.  A group whose total is shown nowhere needs no second cell hidden: hiding one would withhold a
        large count for nothing.
    `also_within`: further (key columns, totals_for) inside which the same `rows_add_up` columns add up to a total
        the reader sees elsewhere, for a table whose rows add up two ways: a team's verdicts add up to its plans,
        and each verdict's teams to a headline tile (key columns () for the whole table).  Without it a cell
        protected in its team was given back by the tile less the other teams.
    `total_row`: (column, value) of the row that holds the totals, if the table shows one."""

    counts: tuple[str, ...] = ()
    rates: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    columns_add_up: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rows_add_up: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    total_row: tuple[str, Hashable] | None = None
    totals_for: tuple[Hashable, ...] | None = None
    also_within: tuple[tuple[tuple[str, ...], tuple[Hashable, ...] | None], ...] = ()

    def __hash__(self) -> int:   # a Mapping field: hash by its items so a Rule can key a cache
        return hash((self.counts, tuple(sorted(self.rates.items())), self.columns_add_up, self.rows_add_up,
                     self.within, self.total_row, self.totals_for, self.also_within))


@dataclass
class Suppressed:
    """The table with suppressed cells missing, and the mask of those cells (True = suppressed).
    `integers`: the columns that held whole numbers before a missing cell made them floats."""

    frame: pd.DataFrame
    mask: pd.DataFrame
    integers: tuple[str, ...] = ()


def _small(value: float, threshold: int) -> bool:
    return bool(pd.notna(value) and 0 < value < threshold)


Cell = tuple[int, str]   # (row position, column)


@dataclass(frozen=True)
class _Addition:
    """total = parts (+ complement): `total` None when the total is shown elsewhere (a tile); `complement`
    the part not shown (None when the parts cover the total)."""

    total: Cell | None
    parts: tuple[Cell, ...]
    complement: float | None = None


def _additions(values: pd.DataFrame, rule: Rule) -> list[_Addition]:
    """Every addition the reader can see in the table (or with a total shown elsewhere on the page)."""
    out: list[_Addition] = []
    rows = range(len(values))
    for total, parts in rule.columns_add_up:
        shown = tuple(p for p in parts if p in values.columns)
        if total not in values.columns:
            continue
        for i in rows:
            complement = values[total].iloc[i] - sum(values[p].iloc[i] for p in shown)
            out.append(_Addition((i, total), tuple((i, p) for p in shown),
                                 complement if pd.notna(complement) and complement != 0 else None))
    if rule.rows_add_up:
        is_total = ((values[rule.total_row[0]] == rule.total_row[1]).to_numpy() if rule.total_row
                    else np.zeros(len(values), dtype=bool))
        keyed = values.assign(_pos=list(rows))[~is_total]
        for within, totals_for in ((rule.within, rule.totals_for),) + rule.also_within:
            groups = ([list(keyed["_pos"])] if not within else
                      [list(g["_pos"]) for key, g in keyed.groupby(list(within), dropna=False, sort=False)
                       if totals_for is None or _key(key) in totals_for])
            total_at = int(np.flatnonzero(is_total)[0]) if is_total.any() and not within else None
            for positions in groups:
                for col in rule.rows_add_up:
                    if col in values.columns:
                        out.append(_Addition(None if total_at is None else (total_at, col),
                                             tuple((i, col) for i in positions)))
    return out


def _key(key: object) -> object:
    """A groupby key of one column as its value (pandas gives a 1-tuple for a list of one column)."""
    return key[0] if isinstance(key, tuple) and len(key) == 1 else key


def _groups(values: pd.DataFrame, rule: Rule) -> list[np.ndarray]:
    """The row positions of each group of `rule.within` (all rows in one group without it)."""
    if not rule.within:
        return [np.arange(len(values))]
    return [np.asarray(ix) for ix in values.groupby(list(rule.within), dropna=False, sort=False).indices.values()]


def _shares_of_a_part(values: pd.DataFrame, hide: np.ndarray, col_at: dict[str, int], rule: Rule) -> None:
    """Withhold a group's shares of a part of it (`rates` with no denominator column, where some rows of the
    group have no share) while a count in that part is suppressed: count / share is the part's total."""
    for rate, (num, den) in rule.rates.items():
        if den is not None or num is None or rate not in col_at or num not in col_at:
            continue
        has_share = values[rate].notna().to_numpy()
        for rows in _groups(values, rule):
            part = rows[has_share[rows]]
            if len(part) == len(rows) or len(part) == 0:
                continue   # a share of the whole group: its total is one the rule already protects
            if hide[part, col_at[num]].any():
                hide[part, col_at[rate]] = True


def _secondary(values: pd.DataFrame, hide: np.ndarray, col_at: dict[str, int], additions: list[_Addition],
               threshold: int) -> None:
    """Suppress more cells until no addition has exactly one unknown cell that needs protecting.

    A cell with nothing recorded (a blank: e.g. a team's repeat plans within the window where the earlier plans
    have no dates) is never picked to hide: it would read "c" (withheld) where the truth is "not recorded".  It
    is not counted as unknown either: in the sums a reader can check (the teams adding up to the headline) such a
    team adds nothing, so a blank is a known nothing, and counting it unknown let a withheld cell be worked out
    from the total."""
    def hidden(cell: Cell) -> bool:
        return bool(hide[cell[0], col_at[cell[1]]])

    def blank(cell: Cell) -> bool:
        return bool(pd.isna(values[cell[1]].iloc[cell[0]]))

    changed = True
    while changed:
        changed = False
        for add in additions:
            cells = ([add.total] if add.total else []) + list(add.parts)
            unknown = [c for c in cells if hidden(c)]
            if add.complement is not None:
                if len(unknown) == 0 and _small(add.complement, threshold):
                    pass   # the complement alone is unknown and small: protect it
                else:
                    continue   # the complement is a second unknown, or not small
            elif len(unknown) != 1:
                continue
            parts = sorted((values[c].iloc[i], n, (i, c)) for n, (i, c) in enumerate(add.parts)
                           if not hidden((i, c)) and pd.notna(values[c].iloc[i]) and values[c].iloc[i] > 0)
            if parts:
                pick = parts[0][2]
            elif add.total and not hidden(add.total) and not blank(add.total):
                pick = add.total
            else:
                rest = [c for c in add.parts if not hidden(c) and not blank(c)]
                if not rest:
                    continue
                pick = rest[0]
            hide[pick[0], col_at[pick[1]]] = True
            changed = True


def suppress(frame: pd.DataFrame, rule: Rule, threshold: int) -> Suppressed:
    """Apply primary, secondary and rate suppression at `threshold` (0 or 1: nothing is suppressed)."""
    if threshold <= 1 or frame.empty:
        return Suppressed(frame.copy(), pd.DataFrame(False, index=frame.index, columns=frame.columns))
    values = frame.reset_index(drop=True)
    col_at = {c: j for j, c in enumerate(frame.columns)}
    hide = np.zeros(frame.shape, dtype=bool)
    for c in rule.counts:
        if c in col_at:
            hide[:, col_at[c]] = [_small(v, threshold) for v in values[c]]
    _secondary(values, hide, col_at, _additions(values, rule), threshold)
    for rate, (num, den) in rule.rates.items():
        if rate not in col_at:
            continue
        for c in (num, den):
            if c is not None and c in col_at:
                hide[:, col_at[rate]] |= hide[:, col_at[c]]
        base = den if den is not None else num
        if base is not None and base in col_at:
            hide[:, col_at[rate]] |= np.array([_small(v, threshold) for v in values[base]], dtype=bool)
    _shares_of_a_part(values, hide, col_at, rule)
    mask = pd.DataFrame(hide, index=frame.index, columns=frame.columns)
    out = frame.copy()
    integers = []
    for c in frame.columns:
        if mask[c].any():
            column = out[c]
            if pd.api.types.is_integer_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
                integers.append(c)
                column = column.astype("float64")
            out[c] = column.mask(mask[c])
    return Suppressed(out, mask, tuple(integers))


def displayed(result: Suppressed) -> pd.DataFrame:
    """The table as a reader gets it, on screen and in a CSV: each suppressed cell reads "c" (never blank,
    never 0, which would say something false)."""
    out = result.frame.copy()
    for c in out.columns:
        if result.mask[c].any():
            column = out[c].astype(object)
            if c in result.integers:
                column = pd.Series([int(v) if pd.notna(v) else v for v in column], index=column.index, dtype=object)
            out[c] = column.where(~result.mask[c], SYMBOL)
    return out


def suppressed_value(value: float | None, threshold: int, *rests_on: float | None) -> bool:
    """True when one headline number (a count, or a rate on the counts `rests_on`) must be withheld:
    the value itself (when it is a count, pass it in `rests_on`) or a count it rests on is 1 to t-1."""
    return threshold > 1 and any(_small(v, threshold) for v in rests_on if v is not None)


def finding_kept(rests_on: tuple[float | None, ...] | None, threshold: int) -> bool:
    """Whether a chart that lost cells to suppression keeps its finding (`figures.style.mark_suppressed`'s
    `keep_finding`): only where the finding declares the counts it rests on, counts the reader already sees
    elsewhere (a headline tile), and none of them is withheld.  Without that declaration the finding goes: it may
    be a total over the cells drawn, which would give a withheld cell back."""
    return rests_on is not None and not suppressed_value(None, threshold, *rests_on)


def none_withheld(table: pd.DataFrame, rule: Rule, threshold: int, columns: tuple[str, ...]) -> bool:
    """Whether a reader with `threshold` sees every cell of `columns`: a finding worked out from those columns
    alone (a total over them, the lowest of them) is then neither short nor a way back to a withheld cell
    elsewhere in the table, and keeps (finding_kept) where the chart is marked for another column it draws."""
    return not bool(suppress(table, rule, threshold).mask[list(columns)].to_numpy().any())


def leader_rests_on(table: pd.DataFrame, rule: Rule, threshold: int, by: str, count: str) -> tuple[int, ...] | None:
    """For a finding that names the group of `by` with most `count` (the kind of concern most recorded, the topic
    most often challenged) and says no count: its least, where no withheld cell could change which group that
    is; None (the finding goes) where one could.  A withheld count is 1 to threshold-1 only where `rule` adds
    nothing up in `count` (else a count withheld beside a small one can be any size: None); a group's total then
    lies between its cells shown and threshold-1 more for each withheld, and the group first on its cells shown
    leads whatever they are while every other group's most is below its least."""
    if count in rule.rows_add_up or any(count == total or count in parts for total, parts in rule.columns_add_up):
        return None
    withheld = pd.Series(suppress(table, rule, threshold).mask[count].to_numpy(), index=table.index)
    least = table[count].where(~withheld, 0).groupby(table[by]).sum()
    most = least + withheld.groupby(table[by]).sum() * (threshold - 1)
    if least.empty or not least.max():
        return None
    top = least.idxmax()
    return None if (most.drop(top) >= least[top]).any() else (int(least[top]),)


def split_gives_back(table: pd.DataFrame, rule: Rule, threshold: int, column: str, part: pd.Series) -> bool:
    """Whether the sum of `column` over the rows in `part` (the gaps within the re-plan window, the plans below
    plain English), said in a finding beside the table, would give a withheld cell back.  The table's total is
    protected (`rows_add_up`: at least two cells go, so the total less the cells shown is only their sum); the
    part's sum is too while the withheld cells all lie in it or all out of it (it says that same sum, or none of
    it), but not where they lie on both sides: less the cells shown in it, it is the withheld cells inside alone,
    one of them where one lies inside.  Without `rows_add_up` any withheld cell in the part gives it back."""
    withheld = suppress(table, rule, threshold).mask[column].to_numpy()
    inside = np.asarray(part, dtype=bool)
    if column not in rule.rows_add_up:
        return bool((withheld & inside).any())
    return bool((withheld & inside).any() and (withheld & ~inside).any())


def survival_steps(curves: pd.DataFrame, threshold: int, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """A Kaplan-Meier table (`metrics.survival.kaplan_meier`: time, at_risk, events, censored, survival, lower,
    upper; one curve for each group of `by`) as a reader with a `threshold` may see it: steps pooled so that no
    step's events or censored endings are 1 to t-1.

    Why pooling, not "c": in a survival table each row's number at risk less the next row's is its events plus its
    censored endings, and the curve's drop (1 - events / at risk) says the events again, so a withheld count in
    one step is given back by the step beside it or by the curve drawn on the chart.  Published survival tables
    give estimates at coarser steps for the same reason.  Here a step joins the next until its events and its
    censored endings are each 0 or at least t; the pooled step is drawn at the last time it covers, with the number
    at risk at its start and the estimate (and interval) at its end, which is the curve's true value there (a first
    row at time 0 and 100% keeps the curve's start where the first step is pooled).  The steps left at the end that
    never reach t make one last step: its small counts and its estimate are for the table's rule to withhold (an
    estimate resting on a withheld count of events, and the censored endings beside it, whose sum with the events
    is its number at risk), so the curve stops before it.  Without a threshold (or at 1) the table is unchanged."""
    if threshold <= 1 or curves.empty:
        return curves
    out = []
    groups = curves.groupby(list(by), sort=False, dropna=False) if by else [((), curves)]
    for _, curve in groups:
        curve = curve.sort_values("time")
        first = curve.iloc[0]
        if first["events"] or first["censored"]:   # the curve starts at 100%, before any step is pooled
            out.append({**first.to_dict(), "time": 0.0, "events": 0, "censored": 0,
                        "survival": 1.0, "lower": 1.0, "upper": 1.0})
        start, events, censored = None, 0, 0
        for row in curve.to_dict("records"):
            if start is None:
                start = row
            events += int(row["events"])
            censored += int(row["censored"])
            if _small(events, threshold) or _small(censored, threshold):
                continue
            out.append({**row, "at_risk": start["at_risk"], "events": events, "censored": censored})
            start, events, censored = None, 0, 0
        if start is not None:   # the tail never reached t: one last step, whose small counts the rule withholds
            out.append({**row, "at_risk": start["at_risk"], "events": events, "censored": censored})
    return (pd.DataFrame(out, columns=curves.columns).astype(curves.dtypes.to_dict()) if out
            else curves.iloc[0:0])
