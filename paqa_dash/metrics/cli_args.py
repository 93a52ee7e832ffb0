"""Command-line flags for the metrics filter and thresholds (the `metrics` command; also usable by
`pack` and `bench`), so the CLI asks exactly what the app's sidebar asks.

    add_arguments(parser)            # --from --to --team... --category... --as-of + threshold flags
    filters, thresholds = from_args(args)
"""
from __future__ import annotations

import argparse
from datetime import date

from ..settings import Thresholds
from ..filters import Filters
from ..reference.codes import AGE_BANDS, CATEGORIES, CATEGORY_LABELS, PLAN_NUMBERS

# flag -> Thresholds field
THRESHOLD_FLAGS = {
    "--short-plan-months": ("short_plan_months", int),
    "--replan-window-months": ("replan_window_months", int),
    "--first-core-group-working-days": ("first_core_group_working_days", int),
    "--core-group-interval-weeks": ("core_group_interval_weeks", int),
    "--first-review-months": ("first_review_months", int),
    "--later-review-months": ("later_review_months", int),
    "--similarity-threshold": ("similarity_threshold", float),
    "--plan-update-days": ("plan_update_days", int),
}


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


THRESHOLD_HELP = {
    "short_plan_months": "an ended plan that lasted at most this many months is a short plan",
    "replan_window_months": "a repeat within this many months counts; a premature ending is followed by a plan within it",
    "first_core_group_working_days": "the first core group is on time within this many working days of the plan's start",
    "core_group_interval_weeks": "later core groups are on time at most this many weeks apart",
    "first_review_months": "the first review is on time within this many months of the plan's start",
    "later_review_months": "later reviews are on time at most this many months apart",
    "plan_update_days": "a plan update within this many days of a review, core group or new concern is timely",
    "similarity_threshold": "an action of a repeat plan scoring at least this (0 to 1) against an earlier plan's action is a duplicate",
}


NO_LIMIT = "no limit"


def add_arguments(parser: argparse.ArgumentParser, no_period: str = NO_LIMIT) -> None:
    """The filter and threshold flags.  `no_period`: what the command does with neither --from nor --to (`metrics`:
    no limit; `brief`: the dashboard's default year), as the help says it."""
    filters = parser.add_argument_group("filters (as the dashboard's sidebar)")
    filters.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD",
                         help="count plans that started (or, for endings, ended) on or after this date "
                              f"(default: {no_period})")
    filters.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD",
                         help="... and on or before this date (default: "
                              + (f"{NO_LIMIT})" if no_period == NO_LIMIT else "with neither --from nor --to, as --from "
                                 "says; with --from alone, no limit)"))
    filters.add_argument("--team", dest="teams", action="append", default=[], metavar="TEAM",
                         help="only this team; repeat the flag for several (default: all teams)")
    filters.add_argument("--authority", dest="authorities", action="append", default=[], metavar="CODE",
                         help="only this local authority, by its DfE LA number (202 is Camden); repeat the flag "
                              "for several (default: every authority in the store)")
    filters.add_argument("--category", dest="categories", action="append", default=[], metavar="CODE",
                         help="only this initial category: " + ", ".join(f"{c} {CATEGORY_LABELS[c].lower()}" for c in CATEGORIES)
                              + "; repeat for several (default: all)")
    filters.add_argument("--plan-number", dest="plan_number", choices=PLAN_NUMBERS, default="all",
                         help="first: children's first plans; repeat: second or subsequent plans (DfE); all: both "
                              "(default: all)")
    filters.add_argument("--age-band", dest="age_bands", action="append", default=[], choices=AGE_BANDS,
                         metavar="BAND", help="only this age at plan start: " + ", ".join(AGE_BANDS)
                                              + "; repeat for several (default: all ages)")
    filters.add_argument("--as-of", dest="as_of", type=_iso_date, metavar="YYYY-MM-DD",
                         help="look at the store as of this date: later plans are ignored, later endings count as open "
                              "(default: the latest date in the store; a later date is read as that date)")
    defaults = Thresholds()
    limits = parser.add_argument_group("thresholds (as 'Definitions & thresholds' in the dashboard)")
    for flag, (field, kind) in THRESHOLD_FLAGS.items():
        limits.add_argument(flag, dest=field, type=kind, default=None, metavar="N",
                            help=f"{THRESHOLD_HELP[field]} (default: {getattr(defaults, field)})")


def from_args(args: argparse.Namespace) -> tuple[Filters, Thresholds]:
    """Filters and Thresholds from parsed flags; absent flags keep the defaults of `settings.Thresholds`."""
    filters = Filters(
        date_from=getattr(args, "date_from", None), date_to=getattr(args, "date_to", None),
        teams=tuple(getattr(args, "teams", None) or ()), authorities=tuple(getattr(args, "authorities", None) or ()),
        categories=tuple(getattr(args, "categories", None) or ()),
        plan_number=getattr(args, "plan_number", None) or "all", age_bands=tuple(getattr(args, "age_bands", None) or ()),
        as_of=getattr(args, "as_of", None))
    changes = {field: getattr(args, field, None) for field, _ in THRESHOLD_FLAGS.values()}
    return filters, Thresholds().with_(**changes)
