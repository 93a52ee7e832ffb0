"""The import's per-distinct-value and bulk paths (issue 7 speed-ups) give exactly what the
row-by-row definitions give, blanks and odd values included."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from paqa_dash.ingest import deidentify, scrub, validate


@pytest.mark.parametrize("key", [b"k", b"x" * 64, b"y" * 100, "clé".encode()])
def test_bulk_pseudonyms_equal_python_hmac(key: bytes) -> None:
    values = pd.Series(["C1", "c1", " C1", "é-ü 1", "", "x" * 200])
    got = deidentify.bulk_pseudonyms(values, key)
    assert list(got) == [deidentify.pseudonym(key, v) for v in values]


@pytest.mark.parametrize("key", [b"k", b"x" * 64, b"y" * 65, b"y" * 100, "clé".encode()])
def test_pseudonyms_with_the_pads_hashed_once_equal_python_hmac(key: bytes) -> None:
    values = ["C1", "c1", " C1", "é-ü 1", "", "x" * 200]
    assert deidentify.pseudonyms(values, key) == [deidentify.pseudonym(key, v) for v in values]


def test_pseudonymise_bulk_path_keeps_blanks_and_order(monkeypatch: pytest.MonkeyPatch) -> None:
    values = pd.Series(["A", None, "B", "A", np.nan, 7], index=[10, 11, 12, 13, 14, 15], dtype=object)
    small = deidentify.pseudonymise(values, b"key")
    monkeypatch.setattr(deidentify, "BULK_HMAC_FROM", 1)
    bulk = deidentify.pseudonymise(values, b"key")
    assert bulk.tolist() == small.tolist()
    assert bulk.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert bulk[11] is None and bulk[14] is None
    assert bulk[10] == bulk[13] == deidentify.pseudonym(b"key", "A")
    assert bulk[15] == deidentify.pseudonym(b"key", "7")


def test_per_value_matches_row_by_row() -> None:
    values = pd.Series([" a ", "NULL", "b", None, " a ", "nan", "", 3, np.nan], dtype=object)
    got = validate.clean_values(values)
    assert got.tolist() == ["a", None, "b", None, "a", None, None, "3", None]
    calls: list[object] = []
    validate.per_value(pd.Series(["x", "x", "y", None, "x"]), lambda v: calls.append(v))
    assert sorted(calls) == ["x", "y"]  # once per distinct value, never for blanks


def test_per_value_on_categorical_and_arrow_strings() -> None:
    cat = pd.Series(pd.Categorical(["N", "Y", None, "N"]))
    assert validate.per_value(cat, str.lower).tolist() == ["n", "y", None, "n"]
    arrow = pd.Series(["N", None, "Y"], dtype="string[pyarrow]")
    assert validate.per_value(arrow, str.lower).tolist() == ["n", None, "y"]


def test_parse_dates_each_distinct_text_once_same_result() -> None:
    texts = pd.Series(["2024-01-31", "31/01/2024", "2024-01-31T10:00", None, "2024-02-30", "1/2/2024",
                       "2024-01-31", "junk"], index=range(5, 13), dtype=object)
    got = validate.parse_dates(texts)
    assert got.index.tolist() == list(range(5, 13))
    assert str(got.dtype) == "datetime64[s]"
    want = [pd.Timestamp("2024-01-31")] * 3 + [pd.NaT, pd.NaT, pd.Timestamp("2024-02-01"),
                                                pd.Timestamp("2024-01-31"), pd.NaT]
    assert [None if pd.isna(x) else x for x in got] == [None if pd.isna(x) else x for x in want]


def test_scrub_text_per_distinct_keeps_blanks_and_index() -> None:
    values = pd.Series(["Call 07700 900123 now", None, "Call 07700 900123 now", "Jo Bloggs visited"],
                       index=[3, 1, 2, 0], dtype=object)
    got = scrub.scrub_text(values, scrub.Known.of(names={"Jo Bloggs"}))
    assert got.tolist() == ["Call [phone] now", None, "Call [phone] now", "[name] visited"]
    assert got.index.tolist() == [3, 1, 2, 0]
