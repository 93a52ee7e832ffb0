"""CSV downloads are safe in a spreadsheet: text that would run as a formula is quoted, numbers stay numbers."""
from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from paqa_dash.report.safe_csv import csv_bytes, neutralise, neutralised

DANGEROUS = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_cell_that_would_be_a_formula_is_prefixed_with_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["North", "a=b", "", " =x", "'=already", -3, -2.5, 0, None, True, date(2024, 1, 1)])
def test_other_values_are_unchanged(value) -> None:
    assert neutralise(value) == value


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "team": ["=1+1", "North", "-South", None],
        "change": [-3, 4, -1, 0],
        "rate": [-0.25, 0.5, float("nan"), 1.0],
        "started": pd.to_datetime(["2024-01-01", "2024-02-01", None, "2024-03-01"]),
        "kind": pd.Categorical(["@x", "ok", "ok", "+y"]),
        "flag": [True, False, True, False],
    })


def test_numbers_dates_and_booleans_keep_their_type_and_value() -> None:
    frame = _frame()
    out = neutralised(frame)
    for col in ("change", "rate", "started", "flag"):
        pd.testing.assert_series_equal(out[col], frame[col])
    assert out["team"].tolist()[:3] == ["'=1+1", "North", "'-South"] and pd.isna(out["team"].iloc[3])
    assert out["kind"].tolist() == ["'@x", "ok", "ok", "'+y"]
    assert frame["team"].iloc[0] == "=1+1"  # the caller's frame is not changed


def test_column_names_are_neutralised_too() -> None:
    assert list(neutralised(pd.DataFrame({"=team": [1], "plans": [2]})).columns) == ["'=team", "plans"]


def test_read_back_with_pandas_numbers_are_numbers_and_no_cell_starts_a_formula() -> None:
    back = pd.read_csv(io.BytesIO(csv_bytes(_frame())))
    assert back["change"].tolist() == [-3, 4, -1, 0]
    assert types_are_numeric(back, ["change", "rate"])
    assert back["rate"].iloc[0] == -0.25
    assert back["team"].iloc[0] == "'=1+1" and back["team"].iloc[2] == "'-South"
    for col in ("team", "kind"):
        assert not back[col].dropna().astype(str).str.startswith(("=", "+", "-", "@", "\t", "\r")).any()


def types_are_numeric(frame: pd.DataFrame, columns: list[str]) -> bool:
    return all(pd.api.types.is_numeric_dtype(frame[c]) for c in columns)


def test_read_back_with_the_csv_module_every_text_cell_is_safe_and_negatives_are_plain_numbers() -> None:
    frame = pd.DataFrame({"text": DANGEROUS, "n": range(-len(DANGEROUS), 0)})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"), newline="")))
    assert rows[0] == ["text", "n"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in DANGEROUS]   # tabs and carriage returns survive quoting
    assert [int(r[1]) for r in rows[1:]] == list(range(-len(DANGEROUS), 0))


def test_an_empty_frame_is_just_its_header() -> None:
    assert csv_bytes(pd.DataFrame({"a": [], "b": []})).decode("utf-8").strip() == "a,b"
