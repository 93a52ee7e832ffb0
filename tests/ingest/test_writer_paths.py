"""Issue 15: the import writer's faster paths give exactly what the paths they replace gave."""
from __future__ import annotations

import numpy as np
import pandas as pd

from paqa_dash.ingest import deidentify, validate

TRICKY = [" a ", None, "NaN", " null ", "", "x\x1c", "\x1fy\t", np.nan, "None ", "nat", "b", " b\u00a0", "12 "]


def test_ascii_text_cleaned_in_arrow_equals_the_value_by_value_path() -> None:
    ascii_only = pd.Series([v for v in TRICKY if not isinstance(v, str) or v.isascii()], dtype=object)
    cleaned = validate.clean_ascii(ascii_only)
    assert cleaned is not None
    assert cleaned.to_pylist() == validate.clean_values(ascii_only).tolist()


def test_anything_but_ascii_text_is_left_to_the_value_by_value_path() -> None:
    for values in (TRICKY, [1, "a"], [b"x", "a"], ["\u00e9 ", None]):  # str(b"x") is "b'x'", not "x"
        assert validate.clean_ascii(pd.Series(values, dtype=object)) is None


def test_pseudonyms_remembered_in_a_batch_are_those_hashed_alone() -> None:
    values = pd.Series(["C1", "C2", None, "C1", "C3"], dtype=object)
    memo: dict[str, str] = {}
    assert deidentify.pseudonymise(values, b"k", memo).tolist() == deidentify.pseudonymise(values, b"k").tolist()
    assert set(memo) == {"C1", "C2", "C3"}
    memo["C2"] = "remembered"                                    # a remembered pseudonym is not hashed again
    assert deidentify.pseudonymise(values, b"k", memo).tolist()[1] == "remembered"


def test_pseudonyms_looked_up_ahead_are_those_hashed_here() -> None:
    """Found ahead (ingest/prepare.py) or not (a value the reader did not foresee, a number), each pseudonym is
    the one hashed here; and what is looked up is what the column gets."""
    values = pd.Series(["C1", "C2", None, "C1", "C3", 7, "C4"], dtype=object)
    ahead = deidentify.ahead_lookup({t: deidentify.pseudonym(b"k", t) for t in ("C1", "C3", "X")})
    memo: dict[str, str] = {}
    assert deidentify.pseudonymise(values, b"k", memo, ahead).tolist() == deidentify.pseudonymise(values, b"k").tolist()
    assert set(memo) == {"C2", "7", "C4"}                        # only the misses were hashed
    marked = deidentify.ahead_lookup({"C1": "marked"})
    assert deidentify.pseudonymise(values, b"k", None, marked).tolist()[0] == "marked"
    assert deidentify.ahead_lookup({}) is None


def test_return_dates_parsed_once_each_are_those_parsed_row_by_row() -> None:
    """A batch's return dates (load._as_of_dates) parsed once per distinct value, as pandas parses every row."""
    from paqa_dash.ingest.load import _as_of_dates

    as_of = pd.Series(["2024-03-31", None, "2023-03-31", "2024-03-31", "not a date", None, "2025-03-31"],
                      dtype=object, index=[7, 3, 9, 1, 0, 2, 5])
    frame = pd.DataFrame({"_as_of": as_of})
    reference = pd.to_datetime(as_of.reset_index(drop=True), errors="coerce").astype("datetime64[s]")
    pd.testing.assert_series_equal(_as_of_dates(frame, 1), reference, check_index_type=False)


def test_a_row_keeps_the_first_reason_it_fails_whatever_fails_after() -> None:
    """The value checks track the rows still open as a mask (validate._Marks): a row failing two rules keeps the
    first rule's reason, a rule reaches only rows no earlier rule failed, and `ok` is exactly the rows without one."""
    marks = validate._Marks(pd.RangeIndex(5))
    marks.fail(pd.Series([True, False, True, False, None]), "a", "first")
    marks.fail(pd.Series([True, True, False, False, True]), "b",
               pd.Series(["r0", "r1", "r2", "r3", "r4"]))                 # a reason per row, row 0 already failed
    marks.fail(pd.Series([False, True, True, True, True]), "c",
               pd.Series(["s3"], index=[3]))                             # a reason for row 3 only: 4 stays open
    marks.fail(pd.Series([True, True, True, True, True]), "d", "last")
    assert marks.field.tolist() == ["a", "b", "a", "c", "b"]
    assert marks.reason.tolist() == ["first", "r1", "first", "s3", "r4"]
    assert marks.ok.tolist() == marks.reason.isna().tolist() == [False] * 5
    open_row = validate._Marks(pd.RangeIndex(2))
    open_row.fail(pd.Series([True, True]), "c", pd.Series(["s0"], index=[0]))
    assert open_row.ok.tolist() == open_row.reason.isna().tolist() == [False, True]
