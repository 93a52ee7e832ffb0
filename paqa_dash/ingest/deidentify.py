"""Pseudonyms at import (docs/data_contract.md, "De-identification"), applied before anything is written.
Free text is scrubbed by scrub.py.

Pseudonyms are keyed HMACs, so the same source id maps to the same pseudonym across imports and
sources (a CIN file and an Annex A workbook of one authority meet on one child) while nobody
without the key can reverse or recompute them.  The key never enters the store.  Where a row's
authority is known its ids reach here as `AUTHORITY:source_id` (ingest/authority.py scopes them before
any check), so the same local id in two authorities is two children.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

KEY_ENV = "PAQA_PSEUDO_KEY"


def key_file(db: Path) -> Path:
    """The key file beside the store (`paqa.duckdb` -> `paqa.duckdb.key`)."""
    return db.with_name(db.name + ".key")


MIN_KEY_CHARS = 16  # a key's length in characters; the key made here has 64 (32 random bytes as hex)


def load_key(db: Path) -> bytes:
    """$PAQA_PSEUDO_KEY, else a random key created once beside the store with mode 0600.

    Refused (FatalImportError, one line) when shorter than MIN_KEY_CHARS, or when the key file may be read
    or written by anyone but its owner: pseudonyms are only as private as the key, and a refusal at the
    start costs less than a store whose pseudonyms anyone can recompute."""
    from .frames import FatalImportError

    env = os.environ.get(KEY_ENV)
    if env is not None:
        if len(env.strip()) < MIN_KEY_CHARS:
            raise FatalImportError(f"{KEY_ENV} is {len(env.strip())} characters; a key needs at least "
                                   f"{MIN_KEY_CHARS} (e.g. python -c 'import secrets; print(secrets.token_hex(32))')")
        return env.encode("utf-8")
    path = key_file(db)
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise FatalImportError(f"the key file {path.name} has mode {mode:04o}: others may read it; make it "
                                   f"readable by its owner only (chmod 600 {path}) and keep it secret")
        key = path.read_bytes().strip()
        if len(key) < MIN_KEY_CHARS:
            raise FatalImportError(f"the key file {path.name} holds {len(key)} characters; a key needs at least "
                                   f"{MIN_KEY_CHARS}")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(secrets.token_hex(32).encode("ascii"))
    os.chmod(path, 0o600)
    return path.read_bytes().strip()


def pseudonym(key: bytes, source_id: str) -> str:
    # hmac.digest is the one-shot C path of hmac.new(...).digest(): same value, several times faster.
    return hmac.digest(key, source_id.encode("utf-8"), "sha256").hex()[:16]


def pseudonyms(source_ids: Sequence[str], key: bytes) -> list[str]:
    """`pseudonym(key, i)` of each id, the key's two HMAC pads hashed once (RFC 2104, as `bulk_pseudonyms`) and each
    id's hashing started from copies of them.  Why: `hmac.digest` prepares the key again for every id, which was
    half its time, and DuckDB's SQL HMAC (`bulk_pseudonyms`) takes about three times the CPU of this for a census
    batch's 100,000 ids (the census reader's process hashes each batch's ids: ingest/prepare.py)."""
    k = hashlib.sha256(key).digest() if len(key) > _BLOCK else key
    k = k.ljust(_BLOCK, b"\0")
    inner, outer = hashlib.sha256(bytes(b ^ 0x36 for b in k)), hashlib.sha256(bytes(b ^ 0x5C for b in k))
    out = []
    for source_id in source_ids:
        h = inner.copy()
        h.update(source_id.encode("utf-8"))
        o = outer.copy()
        o.update(h.digest())
        out.append(o.hexdigest()[:16])
    return out


def pseudonymise(values: pd.Series, key: bytes, memo: dict[str, str] | None = None,
                 ahead: pd.Series | None = None) -> pd.Series:
    """Pseudonyms for a column; blanks stay blank.  Hashes each distinct value once.

    `memo` (source id -> pseudonym), when given, is read and filled: an import batch passes one to every
    column, so a child id met in the children, plans, events and needs of a batch is hashed once, not four times.
    `ahead` (pseudonyms by the text hashed, worked out by the census reader's process: ingest/prepare.py) is
    looked up first, a column at a time in pandas' hash table; a value not in it is hashed as above."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) == 0:
        return values.astype(object)
    hashed = np.empty(len(uniques) + 1, dtype=object)
    if ahead is not None and len(ahead):
        pos = ahead.index.get_indexer(uniques)
        found = np.flatnonzero(pos >= 0)
        hashed[found] = ahead.to_numpy(dtype=object)[pos[found]]
        rest = np.flatnonzero(pos < 0)
        if len(rest):
            hashed[rest] = _hashed_all([uniques[i] for i in rest], key, memo)
    else:
        hashed[:-1] = _hashed_all(uniques, key, memo)
    hashed[-1] = None
    return pd.Series(hashed[codes], index=values.index, dtype=object)


def _hashed_all(uniques, key: bytes, memo: dict[str, str] | None) -> list[str] | np.ndarray:
    """The pseudonym of each distinct value, through `memo` when given."""
    return _hashed(uniques, key) if memo is None else _remembered([str(v) for v in uniques], key, memo)


def ahead_lookup(pseudonyms: dict[str, str]) -> pd.Series | None:
    """Pseudonyms worked out ahead (text hashed -> pseudonym) as `pseudonymise` looks them up."""
    if not pseudonyms:
        return None
    return pd.Series(np.array(list(pseudonyms.values()), dtype=object), index=pd.Index(list(pseudonyms), dtype=object))


def _hashed(values, key: bytes) -> list[str] | np.ndarray:
    """`pseudonym(key, str(v))` of each distinct value (in DuckDB when there are many)."""
    if len(values) >= BULK_HMAC_FROM:
        return bulk_pseudonyms(values, key)
    digest = hmac.digest
    return [digest(key, str(v).encode("utf-8"), "sha256").hex()[:16] for v in values]


def _remembered(texts: list[str], key: bytes, memo: dict[str, str]) -> list[str]:
    """The pseudonym of each text, hashing only those not in `memo` (which keeps them)."""
    missing = [t for t in texts if t not in memo]
    if missing:
        memo.update(zip(missing, _hashed(missing, key)))
    return [memo[t] for t in texts]


def row_fingerprint(key: bytes, table: str, values: Sequence[str | None]) -> str:
    """A source row named by its content: HMAC(key, table + the row's values in canonical column order).

    Why keyed and of the whole row: the fingerprint is stored beside a reject, and a bare hash of a row of
    a few short codes could be reversed by trying values; under the key it reveals nothing, yet the same
    row gives the same fingerprint in any file, at any row number, in any order."""
    text = "\x1e".join((table, *("\x00" if v is None else v for v in values)))
    return hmac.digest(key, ("row:" + text).encode("utf-8"), "sha256").hex()[:32]


# From this many distinct values, HMAC-SHA256 is computed by DuckDB (vectorised, all cores): a
# national store has tens of millions of event ids, which take minutes one by one in Python.
BULK_HMAC_FROM = 50_000
_BLOCK = 64  # SHA-256 block size (RFC 2104)


def bulk_pseudonyms(values, key: bytes) -> np.ndarray:
    """`pseudonym(key, str(v))` for every value (a sequence, not blank), computed in DuckDB as HMAC-SHA256 (RFC 2104):
    H((K ^ opad) || H((K ^ ipad) || m)), first 16 hex digits.  Equal to the Python path."""
    import duckdb

    k = hashlib.sha256(key).digest() if len(key) > _BLOCK else key
    k = k.ljust(_BLOCK, b"\0")
    ipad, opad = bytes(b ^ 0x36 for b in k), bytes(b ^ 0x5C for b in k)
    import pyarrow as pa

    if isinstance(getattr(values, "dtype", None), pd.StringDtype) and values.dtype.storage == "pyarrow":
        column = pa.array(values)  # Arrow strings travel to DuckDB without a Python object per value
    else:
        column = pa.array([str(v) for v in values], type=pa.string())
    frame = pa.table({"v": column})
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")  # a projection returns rows in input order
        con.register("source_ids", frame)
        out = con.execute("SELECT left(sha256($opad || unhex(sha256($ipad || encode(v)))), 16) AS p "
                          "FROM source_ids", {"ipad": ipad, "opad": opad}).fetchnumpy()["p"]
    finally:
        con.close()
    return np.asarray(out, dtype=object)
