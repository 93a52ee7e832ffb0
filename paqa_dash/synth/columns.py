"""Turning generated integer arrays into the string columns an `Extract` carries.

Why not Python strings: a million-plan store has tens of millions of event and attendance rows,
and a Python object per cell would cost minutes and gigabytes.  Identifiers are written as bytes
straight into an Arrow string buffer (pandas' own `str` dtype); low-cardinality columns (codes,
Y/N, dates, texts chosen from templates) are categoricals, whose values are still the plain strings
the validator reads (it converts every column with `.astype(object)`, which for a categorical shares
one object per category instead of creating one per row).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .dates import DAY


def ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """`prefix` + zero-padded `numbers` (e.g. C0000042) as a pandas `str` column."""
    numbers = np.asarray(numbers)
    n = len(numbers)
    head = prefix.encode("ascii")
    w = len(head) + width
    digits = np.empty((w, n), np.uint8)
    digits[: len(head)] = np.frombuffer(head, np.uint8)[:, None]
    x = numbers.astype(np.uint64 if numbers.size and numbers.max() >= 2**32 else np.uint32)
    for k in range(w - 1, len(head) - 1, -1):
        q = x // 10
        digits[k] = (x - q * 10).astype(np.uint8) + 48
        x = q
    data = np.ascontiguousarray(digits.T).reshape(-1)
    offsets = np.arange(n + 1, dtype=np.int64) * w
    if data.size < 2**31:
        arr = pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data))
    else:
        arr = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    return pd.Series(arr.to_pandas(), dtype="str").reset_index(drop=True)


def width_for(n: int) -> int:
    return max(7, len(str(max(n, 1))))


def refs(keys: pd.Series, idx: np.ndarray) -> pd.Series:
    """A foreign-key column: the ids in `keys` at rows `idx` (-1 = missing), as a categorical over
    `keys` so that tens of millions of references cost 4 bytes each."""
    index = np.asarray(idx).astype(np.int32)
    return pd.Series(pd.Categorical.from_codes(index, categories=pd.Index(keys)))


def take(column: pd.Series, idx: np.ndarray) -> pd.Series:
    """Rows `idx` of an id column (-1 = missing)."""
    idx = np.asarray(idx)
    out = column.take(np.where(idx < 0, 0, idx)).reset_index(drop=True)
    if (idx < 0).any():
        out[idx < 0] = np.nan
    return out


def codes(vocab: Sequence[str] | np.ndarray, index: np.ndarray) -> pd.Series:
    """Values of `vocab` at integer `index` (-1 = missing) as a categorical string column."""
    cats = pd.Index(list(dict.fromkeys(vocab)), dtype=object)
    vocab = np.asarray(vocab, dtype=object)
    if len(cats) != len(vocab):                       # repeated texts in a template list: map to unique
        remap = cats.get_indexer(vocab)
        index = np.where(np.asarray(index) < 0, -1, remap[np.maximum(index, 0)])
    return pd.Series(pd.Categorical.from_codes(np.asarray(index, dtype=np.int32), categories=cats))


def constant(value: str | None, n: int) -> pd.Series:
    if value is None:
        return codes(["-"], np.full(n, -1))
    return codes([value], np.zeros(n, np.int64))


def iso_dates(days: np.ndarray) -> pd.Series:
    """ISO `YYYY-MM-DD` dates (NaT = missing) as a categorical over the days spanned."""
    days = np.asarray(days, dtype="datetime64[D]")
    present = ~np.isnat(days)
    if not present.any():
        return constant(None, len(days))
    lo, hi = days[present].min(), days[present].max()
    cats = np.datetime_as_string(np.arange(lo, hi + DAY, dtype="datetime64[D]"), unit="D")
    index = np.where(present, (np.where(present, days, lo) - lo) // DAY, -1)
    return pd.Series(pd.Categorical.from_codes(index.astype(np.int32), categories=pd.Index(cats, dtype=object)))


def yes_no(flags: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    index = np.where(np.asarray(flags, bool), 0, 1)
    if missing is not None:
        index = np.where(missing, -1, index)
    return codes(["Y", "N"], index)


def frame(table: str, columns: dict[str, pd.Series], columns_order: Sequence[str]) -> pd.DataFrame:
    """The canonical frame: every canonical column (absent ones blank) plus `_source` and `_row`."""
    n = len(next(iter(columns.values())))
    data = {c: columns[c] if c in columns else constant(None, n) for c in columns_order}
    data["_source"] = constant(f"synthetic:{table}", n)
    data["_row"] = pd.Series(np.arange(1, n + 1, dtype=np.int64))
    return pd.DataFrame(data)
