"""CLI flags become the same Filters / Thresholds the app uses."""
from __future__ import annotations

import argparse
from datetime import date

import pytest

from paqa_dash.metrics import cli_args
from paqa_dash.filters import Filters
from paqa_dash.settings import Thresholds


def parse(*argv):
    p = argparse.ArgumentParser()
    cli_args.add_arguments(p)
    return cli_args.from_args(p.parse_args(list(argv)))


def test_defaults():
    assert parse() == (Filters(), Thresholds())


def test_flags():
    f, t = parse("--from", "2024-01-01", "--to", "2024-12-31", "--team", "B", "--team", "A", "--category", "neg",
                 "--as-of", "2025-01-31", "--short-plan-months", "4", "--similarity-threshold", "0.8")
    assert f == Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), teams=("A", "B"),
                        categories=("NEG",), as_of=date(2025, 1, 31))
    assert t == Thresholds(short_plan_months=4, similarity_threshold=0.8)


def test_bad_date_and_bad_period():
    with pytest.raises(SystemExit):
        parse("--from", "31/01/2024")
    with pytest.raises(ValueError):
        parse("--from", "2024-02-01", "--to", "2024-01-01")
