"""Issue 15: the import writer's faster paths give exactly what the paths they replace gave."""
from __future__ import annotations

import numpy as np
import pandas as pd

from paqa_dash.ingest import deidentify, validate

TRICKY = [" a ", None, "NaN", " null ", "", "x\x1c", "\x1fy\t", np.nan, "None ", "nat", "b", " b\u00a0", "12 "]


def test_clean_values_of_ascii_text_equals_the_value_by_value_path() -> None:
    ascii_only = pd.Series([v for v in TRICKY if not isinstance(v, str) or v.isascii()], dtype=object)
    assert validate.clean_ascii(ascii_only) is not None          # the Arrow path is taken
    assert validate.clean_values(ascii_only).tolist() == validate.per_value(ascii_only, validate._clean_value).tolist()


def test_clean_values_keeps_the_value_by_value_path_for_anything_else() -> None:
    for values in (TRICKY, [1, "a"], [b"x", "a"], ["\u00e9 ", None]):
        series = pd.Series(values, dtype=object)
        assert validate.clean_values(series).tolist() == validate.per_value(series, validate._clean_value).tolist()
    assert validate.clean_ascii(pd.Series([b"x", "a"], dtype=object)) is None   # str(b"x") is "b'x'", not "x"


def test_pseudonyms_remembered_in_a_batch_are_those_hashed_alone() -> None:
    values = pd.Series(["C1", "C2", None, "C1", "C3"], dtype=object)
    memo: dict[str, str] = {}
    assert deidentify.pseudonymise(values, b"k", memo).tolist() == deidentify.pseudonymise(values, b"k").tolist()
    assert set(memo) == {"C1", "C2", "C3"}
    memo["C2"] = "remembered"                                    # a remembered pseudonym is not hashed again
    assert deidentify.pseudonymise(values, b"k", memo).tolist()[1] == "remembered"
