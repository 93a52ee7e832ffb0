"""Each authority's own data date in a regional store (issue 15).

Why: the default "as of" date is the last day the data records anything, so that an extract is not read months
later as months of missed meetings.  A store pooling several authorities' returns has one such day per
authority; one authority's newer return must not move another's: read as of the later date, the earlier
authority's open plans would look overdue for reviews that are only missing from its return, and its last
months would count as months with no plans started.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ..reference import authorities as la

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
    named = "; ".join(f"{la.label(c)} on {d:%-d %b %Y}" for c, d in late)
    return (f"Data for some authorities ends before {as_of:%-d %b %Y}, the date this view is read as of: {named}. "
            f"{reading} {how}").strip()


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
