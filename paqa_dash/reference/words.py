"""Codes said in words for every table and CSV the app offers, with the codes kept beside them in the CSV.

Why one function: a reader should see "Adult mental health", not `ADULT_MH`, "Not done", not `NOT_DONE`,
"Drug misuse: parent/carer", not `2B`; an analyst joining a download to another system needs the codes.
Each page once did this its own way (the endings page's watch list, a label here, a raw code there); now every
table passes its coded columns and their labels (`reference.codes`) through `in_words`, and the components
show the words on screen and put the words and the codes in the CSV.  Here in the base, beside the labels,
so that figures (hover texts), pages, CSVs and the pack can all use it.
"""
from __future__ import annotations

from typing import Callable, Mapping, Union

import numpy as np
import pandas as pd

# The CSV column holding a column's codes: "agency" -> "agency_code".
CODE_SUFFIX = "_code"
# Several codes in one cell ("3B,4C", "SHORT;OPEN_ACTIONS", a list) come out as words joined by this.
JOIN = "; "

Words = Union[Mapping[str, str], Callable[[str], str]]


def code_column(column: str) -> str:
    return f"{column}{CODE_SUFFIX}"


def say(code: object, words: Words, blank: object = None) -> object:
    """One cell in words: a code, several codes (a list, or text split at "," or ";"), or a blank (kept as it
    is, or `blank` when given).  A code without a label is shown as it is: a new code in the data is never hidden."""
    if isinstance(code, (list, tuple, np.ndarray)):
        parts = [str(c) for c in code]
    elif code is None or (not isinstance(code, str) and pd.isna(code)):
        return code if blank is None else blank
    else:
        text = str(code)
        if not text.strip():
            return code if blank is None else blank
        parts = [p for p in text.replace(";", ",").split(",")]
    lookup = words if callable(words) else (lambda c: words.get(c, c))
    return JOIN.join(str(lookup(p.strip())) for p in parts if p.strip())


def in_words(frame: pd.DataFrame, words: Mapping[str, Words], keep_codes: bool = True) -> pd.DataFrame:
    """`frame` with each column of `words` in words; with `keep_codes`, the codes in a `<column>_code` column
    right after it (for the CSV).  Columns of `words` the frame lacks are ignored."""
    out = frame.copy()
    for column, labels in words.items():
        if column not in out.columns:
            continue
        codes = out[column]
        out[column] = [say(c, labels) for c in codes.astype(object)]
        if keep_codes:
            out.insert(out.columns.get_loc(column) + 1, code_column(column), codes.to_numpy())
    return out


def code_columns(frame: pd.DataFrame, words: Mapping[str, Words]) -> list[str]:
    """The code columns `in_words` added to `frame` (hidden on screen, kept in the CSV)."""
    return [code_column(c) for c in words if code_column(c) in frame.columns]
