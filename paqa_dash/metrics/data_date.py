"""The default "as of" date: the last day the store has data for, not the day the app is opened.

An authority's extract is taken on a day; read months later with `as_of = today`, every open plan
would show months of missed core groups and reviews that are only missing from the extract.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from .. import sql
from ..filters import Filters


def data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest event, plan or household-change date in the store, capped at today; None when empty."""
    value = sql.query(con, "metrics_data_date")["data_date"].iloc[0]
    if value is None or pd.isna(value):
        return None
    return min(pd.Timestamp(value).date(), date.today())


def with_data_date(con: duckdb.DuckDBPyConnection, filters: Filters) -> Filters:
    """`filters` with `as_of` set to the store's data date when the user gave none."""
    if filters.as_of is not None:
        return filters
    return filters.with_(as_of=data_date(con))
