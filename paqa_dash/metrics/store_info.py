"""What the app shell needs to know about the store: teams for the sidebar, size, date span, the data
date, whether it is synthetic and which kinds of record it holds at all (queries/metrics/store_info.sql).

Why here and not in the ui: the ui opens connections and caches, but every read of the store is a
metrics function."""
from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from .. import sql, store
from ..settings import PLAUSIBILITY
from ..store import data_date


def store_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """synthetic, teams, plans, first_date, last_date (of the plans the measures count), data_date (latest date recorded, capped at
    today: the default as-of), recorded ({actions, attendance, core_groups}: rows of each; CIN
    census, Annex A and SSD sources carry none), authorities and team_authorities (see `authorities`)."""
    teams = sql.query(con, "store_info_teams")["team"].tolist()
    span = _span(con)
    return {"synthetic": store.is_synthetic(con), "teams": teams, "plans": int(span["plans"]),
            "first_date": store.as_date(span["first_date"]), "last_date": store.as_date(span["last_date"]),
            "data_date": data_date(con),
            "recorded": {k: int(v) for k, v in sql.query(con, "store_info_recorded").iloc[0].items()},
            **authorities(con)}


def _span(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """plans (all), first_date and last_date: the earliest start and latest start or end of the plausible plans."""
    return _plausible(con, "store_info_span").iloc[0]


def _plausible(con: duckdb.DuckDBPyConnection, block: str) -> pd.DataFrame:
    text = sql.compose(block)
    return con.execute(text, sql.bind(text, context=PLAUSIBILITY.params(), block=block)).df()


def authority_spans(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[date, date]]:
    """{authority: (first_date, last_date)}, as `_span` gives them for the store, of each authority's plans."""
    frame = _plausible(con, "store_info_authority_spans")
    return {str(a): (store.as_date(f), store.as_date(t))
            for a, f, t in zip(frame["authority"], frame["first_date"], frame["last_date"]) if pd.notna(f)}


def authority_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The DfE LA numbers the store's children belong to (sorted; none recorded: []), alone: `authorities` also reads
    each one's data date and span, a pass over every event (3 s at a million plans) a caller of the codes never needs."""
    return list(_team_authorities(con))


def _team_authorities(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    frame = sql.query(con, "store_info_authorities")
    return {str(a): [str(t) for t in ts] for a, ts in zip(frame["authority"], frame["teams"])}


def authorities(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """authorities: the DfE LA numbers the store's children belong to (sorted; none recorded: []) and
    team_authorities: {authority: its plans' teams}, so the sidebar's teams follow the chosen authorities, and
    authority_data_dates (`store.authority_data_dates`) and authority_spans (`authority_spans`), only when the
    store holds more than one authority."""
    teams = _team_authorities(con)
    several = len(teams) > 1
    return {"authorities": list(teams), "team_authorities": teams,
            "authority_data_dates": store.authority_data_dates(con) if several else {},
            "authority_spans": authority_spans(con) if several else {}}

