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
