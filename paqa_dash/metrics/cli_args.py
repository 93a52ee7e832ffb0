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
from ..reference.codes import AGE_BANDS, CATEGORIES, PLAN_NUMBERS

# flag -> Thresholds field
THRESHOLD_FLAGS = {
    "--short-plan-months": ("short_plan_months", int),
    "--replan-window-months": ("replan_window_months", int),
    "--first-core-group-working-days": ("first_core_group_working_days", int),
    "--core-group-interval-weeks": ("core_group_interval_weeks", int),
    "--first-review-months": ("first_review_months", int),
    "--later-review-months": ("later_review_months", int),
    "--similarity-threshold": ("similarity_threshold", float),
}


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=_iso_date, help="period start (inclusive), YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_iso_date, help="period end (inclusive), YYYY-MM-DD")
    parser.add_argument("--team", dest="teams", action="append", default=[], help="team (repeatable)")
    parser.add_argument("--category", dest="categories", action="append", default=[],
                        help=f"initial category {'|'.join(CATEGORIES)} (repeatable)")
    parser.add_argument("--plan-number", dest="plan_number", choices=PLAN_NUMBERS, default="all")
    parser.add_argument("--age-band", dest="age_bands", action="append", default=[], choices=AGE_BANDS)
    parser.add_argument("--as-of", dest="as_of", type=_iso_date, help="look at the store as of this date (default: the latest date in the store)")
    defaults = Thresholds()
    for flag, (field, kind) in THRESHOLD_FLAGS.items():
        parser.add_argument(flag, dest=field, type=kind, default=None,
                            help=f"default {getattr(defaults, field)}")


def from_args(args: argparse.Namespace) -> tuple[Filters, Thresholds]:
    """Filters and Thresholds from parsed flags; absent flags keep the defaults of `settings.Thresholds`."""
    filters = Filters(
        date_from=getattr(args, "date_from", None), date_to=getattr(args, "date_to", None),
        teams=tuple(getattr(args, "teams", None) or ()), categories=tuple(getattr(args, "categories", None) or ()),
        plan_number=getattr(args, "plan_number", None) or "all", age_bands=tuple(getattr(args, "age_bands", None) or ()),
        as_of=getattr(args, "as_of", None))
    changes = {field: getattr(args, field, None) for field, _ in THRESHOLD_FLAGS.values()}
    return filters, Thresholds().with_(**changes)
