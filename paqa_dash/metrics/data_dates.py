"""Each authority's own data date in a regional store (issue 15).

Why: the default "as of" date is the last day the data records anything, so that an extract is not read months
later as months of missed meetings.  A store pooling several authorities' returns has one such day per
authority; one authority's newer return must not move another's: read as of the later date, the earlier
authority's open plans would look overdue for reviews that are only missing from its return, and its last
months would count as months with no plans started.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..reference import authorities as la
from ..reference.words import date_text
from ..store import read_as_of

# Data dates this many days apart or more are said to differ (returns taken a few weeks apart are the same year).
UNEVEN_DAYS = 31


def behind(codes: Sequence[str], dates: Mapping[str, date], as_of: date | None) -> list[tuple[str, date]]:
    """The authorities among `codes` whose data ends at least UNEVEN_DAYS before `as_of`, oldest first."""
    if as_of is None:
        return []
    late = [(c, dates[c]) for c in codes if c in dates and (as_of - dates[c]).days >= UNEVEN_DAYS]
    return sorted(late, key=lambda pair: (pair[1], pair[0]))


CHOOSE_ONE = "Choose one authority to read it as of its own last date."
# What reading past an authority's last record does to its figures: every page but the Regional view, and the
# Regional view when the user chose an as-of date.
READ_PAST = ("For them the months after their last record are not recorded in this data: their open plans may look "
             "overdue and their later figures low.")
# The Regional view with no as-of chosen reads each authority's timeliness as of its own date (regional.own_date);
# only the period's counts still run past it.
OWN_DATES = ("Their reviews, core groups and attendance are read as of their own last date; their plans started "
             "and ended count only the part of the period their data covers, so those counts may look low.")


def behind_note(codes: Sequence[str], dates: Mapping[str, date], as_of: date | None, how: str = CHOOSE_ONE,
                reading: str = READ_PAST) -> str:
    """A sentence naming the authorities whose data ends before the view's as-of date (empty when none): for them
    the months after their data date are not recorded, not quiet; `reading` says what that does to the view."""
    late = behind(codes, dates, as_of)
    if not late:
        return ""
    named = "; ".join(f"{la.label(c)} on {date_text(d)}" for c, d in late)
    return (f"Data for some authorities ends before {date_text(as_of)}, the date this view is read as of: {named}. "
            f"{reading} {how}").strip()


def whose_data(chosen: Sequence[str]) -> str:
    """Whose data a note about the data date is about: one authority chosen ("South Tyneside (393)'s data"), several,
    or none ("this data"); one wording for the page's note and the briefing's."""
    return (f"{la.label(chosen[0])}'s data" if len(chosen) == 1 else "the data of the authorities chosen" if chosen
            else "this data")


def ended_note(chosen: Sequence[str], dates: Mapping[str, date], data_date: date | None,
               date_from: date | None) -> str:
    """A sentence saying that the data (of the authorities `chosen`, if any; `dates`: each authority's data date,
    `data_date`: the store's) ends before the period chosen starts ("South Tyneside's data ends 31 Mar 2024, before
    the period chosen."), when it does; else "".  Why: every figure of such a period is empty or zero because the
    data stops, not because nothing happened; the page and the command line say so alike."""
    ends = [dates.get(c) for c in chosen] if chosen else [data_date]
    if not ends or None in ends or date_from is None or max(ends) >= date_from:
        return ""
    whose = ("The data ends" if not chosen else f"{la.name(chosen[0])}'s data ends" if len(chosen) == 1
             else "The data of the authorities chosen ends")
    return f"{whose} {date_text(max(ends))}, before the period chosen."


def past_data_note(chosen: date | None, data_date: date | None, whose: str = "this data") -> str:
    """The sentence saying that the as-of date chosen was after the data date and was brought back to it
    (store.read_as_of), else "" (`whose`: "this data", "South Tyneside (393)'s data")."""
    if chosen is None or data_date is None or chosen <= data_date:
        return ""
    return (f"The as-of date chosen, {date_text(chosen)}, is after the last date {whose} records, {date_text(data_date)}: "
            f"the figures are read as of {date_text(data_date)}, as nothing after it is recorded (a plan open then "
            "would otherwise be drawn open and its reviews overdue for months the data says nothing about).")


def with_plans_in(codes: Sequence[str], spans: Mapping[str, tuple[date, date]], start: date | None,
                  end: date | None) -> list[str]:
    """The authorities among `codes` whose plans (`spans`: each one's first and last plan date) reach into the
    period `start`..`end`: "this data (5 authorities)" beside a year's figure counted an authority whose returns
    ended two years before it.  An authority with no span known is kept (nothing says it has none)."""
    def reaches(code: str) -> bool:
        first, last = spans.get(code, (None, None))
        return not ((end is not None and first is not None and first > end)
                    or (start is not None and last is not None and last < start))
    return [c for c in codes if reaches(c)]


@dataclass(frozen=True)
class ChildDate:
    """The date one child is read as of, and why (docs/definitions.md, "Regional view": a child's own authority).

    Why: a child of an authority whose return ends in March 2021, read as of another authority's March 2026, had its
    plan open then drawn open for five years and its pack "looked at as of" a date its data never reached."""

    authority: str | None    # the child's authority (DfE LA number); None when its source named none
    data_date: date | None   # that authority's own data date; None when not known (a store of one authority)
    as_of: date | None       # the date the child is read as of
    chosen: date | None      # the as-of date the user chose; None when none
    view_as_of: date | None  # the date the rest of the view is read as of

    @property
    def capped(self) -> bool:
        """True when the user chose an as-of date after the authority's data ends (the child is read to its end)."""
        return self.chosen is not None and self.data_date is not None and self.chosen > self.data_date

    @property
    def behind(self) -> bool:
        """True when the authority's data ends before the date the rest of the view is read as of.

        Why strict, where `behind` (the view's warning) allows UNEVEN_DAYS: this child *is* read as of its authority's
        date whenever that date is earlier, even by a day, so the sentence saying which date is used must be said
        then too; the warning is about whole figures read past some authorities' last records, where returns taken a
        few weeks apart are the same year and a warning for each would be noise."""
        return (self.data_date is not None and self.view_as_of is not None and self.data_date < self.view_as_of)

    def authority_words(self) -> str:
        """"Camden (202)", with ", data to 15 Mar 2021" when its data ends before the view's as-of date ("" when the
        child's source named no authority)."""
        if self.authority is None:
            return ""
        named = la.label(self.authority)
        return f"{named}, data to {date_text(self.data_date)}" if self.behind and self.data_date else named

    def sentence(self) -> str:
        """The child's authority, and when its data ends before the view's as-of date, in one sentence or two."""
        named = self.authority_words()
        if not named:
            return ""
        if self.capped and self.data_date and self.chosen:
            return (f"{named}. This child is read as of {date_text(self.data_date)}, not the as-of date chosen "
                    f"({date_text(self.chosen)}): this authority's data ends {date_text(self.data_date)}, so what "
                    "happened after it is not in this data, and a plan or need open then is shown open only to that date.")
        if self.behind and self.chosen is None and self.view_as_of:
            return (f"{named}: this child is read as of that date, its authority's last record, not "
                    f"{date_text(self.view_as_of)}, the dashboard's as-of date. What happened after it is not in "
                    "this data, so a plan or need open then is shown open only to that date.")
        return f"{named}."


def child_date(authority: str | None, dates: Mapping[str, date], chosen: date | None,
               view_as_of: date | None) -> ChildDate:
    """The date a child of `authority` is read as of: with no as-of date chosen, its authority's own data date
    (`dates`: store.authority_data_dates, known in a store of several authorities), else the view's (`view_as_of`);
    a chosen date applies, but never past the authority's data (`read_as_of`: there is nothing after it to read),
    nor, where the authority's own date is not known (a store of one), past the view's (itself never past the
    store's data date)."""
    code = None if authority is None or (isinstance(authority, float) and authority != authority) else str(authority)
    own = dates.get(code) if code else None
    return ChildDate(code, own, read_as_of(chosen, own or view_as_of), chosen, chosen or view_as_of)
