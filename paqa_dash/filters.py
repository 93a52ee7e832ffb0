"""The filter every metric, page, CLI call and audit pack shares (docs/definitions.md,
"Filters, periods and the as-of date").

One frozen dataclass so a Streamlit cache can key on it and the CLI and the app ask the same
question the same way.  `params()` turns it into DuckDB named parameters: values never travel
inside SQL text (house rule), and the `queries/metrics/sequence.sql` blocks test each parameter for
"no filter" themselves (`$date_from IS NULL OR ...`, `len($teams) = 0 OR ...`).

The period selects plans that *started* in it for starts, repeats, duplicates, timeliness and
engagement, and plans that *ended* in it for endings, duration bands and ending reasons; the
SQL picks which by the block it uses, the filter object is the same.

`scope` is what the signed-in user may read: the filter CTE applies it on top of the chosen teams, so
no choice of filters (a pasted URL with another team) reads outside it.  It is not part of `describe()`.

`as_of` is the date the store is looked at: plans starting after it are ignored, a plan ending
after it counts as open, events after it have not happened yet.  None means today.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from .reference.authorities import label as authority_label
from .reference.benchmarks import latest_complete_year
from .reference.codes import AGE_BANDS, PLAN_NUMBERS
from .reference.words import counted
from .scope import EVERYTHING, Scope


def _as_date(value: Any) -> date | None:
    """Accept a date, a datetime, an ISO string or None, so CLI and UI can pass what they hold."""
    if value is None or value == "":
        return None
    if hasattr(value, "date") and callable(value.date):  # datetime / pandas Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Filters:
    """Which plans a metric looks at.  Empty tuples mean "all"."""

    date_from: date | None = None
    date_to: date | None = None
    teams: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    plan_number: str = "all"          # 'all' | 'first' | 'repeat' (DfE repeat: plan_number >= 2)
    age_bands: tuple[str, ...] = ()   # subset of AGE_BANDS, by age at plan start
    as_of: date | None = None         # None = today
    child_ids: tuple[str, ...] = ()   # only these children's plans (audit pack, deep dives); () = all
    scope: Scope = EVERYTHING         # what the user may read (paqa_dash/scope.py); ANDed with the rest
    authorities: tuple[str, ...] = () # DfE LA numbers ("202"); a region is expanded before it gets here

    def __post_init__(self) -> None:
        unknown = set(self.age_bands or ()) - set(AGE_BANDS)
        if unknown:
            raise ValueError(f"unknown age band(s) {sorted(unknown)}; use {AGE_BANDS}")
        # Normalise so equal questions hash equally (cache keys) and lists from widgets are accepted.
        object.__setattr__(self, "date_from", _as_date(self.date_from))
        object.__setattr__(self, "date_to", _as_date(self.date_to))
        object.__setattr__(self, "as_of", _as_date(self.as_of))
        object.__setattr__(self, "teams", tuple(sorted({str(t) for t in self.teams or ()})))
        object.__setattr__(self, "authorities", tuple(sorted({str(a) for a in self.authorities or ()})))
        object.__setattr__(self, "categories", tuple(sorted({str(c).upper() for c in self.categories or ()})))
        object.__setattr__(self, "age_bands", tuple(b for b in AGE_BANDS if b in set(self.age_bands or ())))
        object.__setattr__(self, "child_ids", tuple(sorted({str(c) for c in self.child_ids or ()})))
        if self.plan_number not in PLAN_NUMBERS:
            raise ValueError(f"plan_number must be one of {PLAN_NUMBERS}, not {self.plan_number!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"period starts ({self.date_from}) after it ends ({self.date_to})")

    @property
    def effective_as_of(self) -> date:
        """The as-of date actually used: today when none was given."""
        return self.as_of or date.today()

    @property
    def whole_histories(self) -> bool:
        """True when the filter keeps every plan (started by the as-of date) of each child it chooses: no period,
        team, authority, category, plan number or age band, and a scope that reads every team and authority.  Why:
        a derived table of facts of each child over all its plans (derive/registry.py, `whole_history`) gives the
        inline rows only for such a question (the audit's concerns over the whole history of the children in scope)."""
        scope = self.scope.params()
        return (self.date_from is None and self.date_to is None and not self.teams and not self.categories
                and self.plan_number == "all" and not self.age_bands and not self.authorities
                and bool(scope["scope_all_teams"]) and bool(scope["scope_all_authorities"])
                and not scope["scope_repeat_only"])

    def with_(self, **changes: Any) -> "Filters":
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known})

    def params(self) -> dict[str, Any]:
        """DuckDB named parameters for the query blocks (lists may be empty = all)."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "teams": list(self.teams),
            "authorities": list(self.authorities),
            "categories": list(self.categories),
            "plan_number": self.plan_number,
            "age_bands": list(self.age_bands),
            "as_of": self.effective_as_of,
            "child_ids": list(self.child_ids),
            **self.scope.params(),
        }

    def describe(self) -> str:
        """A one-line human description, for page captions and the audit pack."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.authorities:
            parts.append("authorities: " + ", ".join(authority_label(a) for a in self.authorities))
        if self.teams:
            parts.append("teams: " + ", ".join(self.teams))
        if self.categories:
            parts.append("categories: " + ", ".join(self.categories))
        if self.plan_number != "all":
            parts.append(f"{self.plan_number} plans")
        if self.age_bands:
            parts.append("ages: " + ", ".join(self.age_bands))
        if self.child_ids:
            parts.append(f"{counted(len(self.child_ids), 'selected child')}")
        parts.append(f"as of {self.effective_as_of.isoformat()}")
        return "; ".join(parts)


FOLLOW_UP_YEARS = 5   # reporting years a view that follows plans up shows with no period chosen


def default_period(filters: Filters) -> Filters:
    """`filters` with the latest complete reporting year (1 April to 31 March) ending on or before its as-of date
    as the period, when it has none: the period the dashboard shows with no period chosen, so a briefing
    written from the command line answers what the app answers (ten years pooled would be set beside one
    England year)."""
    if filters.date_from is not None or filters.date_to is not None:
        return filters
    start, end = latest_complete_year(filters.effective_as_of)
    return filters.with_(date_from=start, date_to=end)


def followed_up_period(filters: Filters, months: int) -> Filters:
    """The filter of a view that follows first plans for `months` after they end (the cohort curve, the pathways,
    household change after a first plan), from the default period's: the FOLLOW_UP_YEARS complete reporting
    years whose plans could have been followed up that long.  The latest year's plans cannot yet have been, so
    these views would draw flat zeros."""
    start, end = latest_complete_year(filters.effective_as_of - relativedelta(months=months))
    return filters.with_(date_from=start.replace(year=start.year - (FOLLOW_UP_YEARS - 1)), date_to=end)


def span_words(filters: Filters) -> str:
    """A period of whole reporting years in words: "1 April 2019 to 31 March 2024" (the sidebar's captions and the
    briefing's title slide name the years the follow-up views show in these words)."""
    start, end = filters.date_from, filters.date_to
    assert start is not None and end is not None
    return f"{start.day} April {start.year} to {end.day} March {end.year}"


def followed_up_span(months: int) -> str:
    """What the years `followed_up_period` gives are, in words: "the 5 reporting years whose plans could have been
    followed up for 24 months"."""
    return f"the {FOLLOW_UP_YEARS} reporting years whose plans could have been followed up for {counted(months, 'month')}"
