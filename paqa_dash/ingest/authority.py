"""Which authority each source row belongs to, and its ids scoped by it (docs/data_contract.md, "Authorities").

A store may hold many local authorities, and two authorities may use the same local id for two children.
The pseudonym of an id is therefore HMAC(key, "AUTHORITY:source_id") where the row's authority is known,
and HMAC(key, source_id) where it is not.  Why the ids are prefixed here, once, on a copy of each extract
and before any check: every table, every check that compares ids (references, duplicates, rejected rows)
and every pseudonym then follows the same rule, with no second code path.

Where a row's authority comes from, first found first: the children row's own `authority` column (a native
bundle), the row's child (or plan, or event) in the same extract, what the file states (a CIN census
header's LEA, `Extract.authorities`), what the user named (`import --authority`, `Extract.authority`), and
last the one authority of the store and this import when there is exactly one: so a CIN return and the
same authority's Annex A meet on one child.  With several, an unnamed source is refused (a fatal error naming
the files): stored without an authority, its children would be counted beside every authority's and could
never be matched to one, and importing it again under the right authority would store them twice.
"""
from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import sql
from ..reference import authorities as la, benchmarks
from ..reference.words import counted, plural
from .frames import Extract, FatalImportError, Issue
from .la_number import is_code
from .validate import ID_COLUMNS, clean_ascii, clean_values


def settle(con: duckdb.DuckDBPyConnection, extracts: list[Extract]) -> tuple[list[Extract], list[Issue]]:
    """The extracts with every id scoped by its row's authority (and children's `authority` filled), and
    the warnings to show.  Raises FatalImportError when what the user named contradicts a file."""
    for extract in extracts:
        _check_conflicts(extract)
    named = set().union(*(_named(e) for e in extracts))
    stored = set(sql.query(con, "authority_stored")["authority"])
    everyone = sorted(stored | named)
    default = everyone[0] if len(everyone) == 1 else None
    warnings: list[Issue] = []
    settled: list[Extract] = []
    for extract in extracts:
        ahead = extract.prepared is not None and extract.prepared.scoped  # scoped by the reader (ingest/prepare.py)
        out, unnamed = (extract, 0) if ahead else scoped(extract, extract.authority or default)
        if unnamed and len(everyone) > 1:
            raise FatalImportError(
                f"{_sources(extract)}: {counted(unnamed, 'child')} {plural('names', unnamed, 'name')} no local "
                "authority (field: authority) and the "
                f"store holds several ({', '.join(la.label(c) for c in everyone)}), so whose they are cannot be "
                "told: give their authority's DfE LA number (the Import page's Authority box, or --authority CODE "
                "on the command line) and import again. Nothing was loaded.")
        settled.append(out)
    warnings += [w for e in extracts for w in _unknown(e)]
    if named:
        legacy = int(sql.query(con, "authority_unnamed_children").iloc[0, 0])
        if legacy:
            warnings.append(Issue("children", "; ".join(_sources(e) for e in extracts), None, "authority",
                                  f"the store holds {counted(legacy, 'child')} imported without an authority: this "
                                  f"import names {', '.join(sorted(named))}, so its children do not meet them"))
    return settled, warnings


def _unknown(extract: Extract) -> list[Issue]:
    """A warning for each authority the extract names that no published figure names, by the file naming it (a
    census file's header) or the extract's files: stored as given (a council newer than the figures may be
    right), but said, since its children then have no region, neighbours or England figures beside them."""
    unknown = _named(extract) - benchmarks.la_numbers()
    by_file = sorted((file, code) for file, code in extract.authorities.items() if code in unknown)
    elsewhere = sorted(unknown - {code for _, code in by_file})
    return [Issue("children", source, None, "authority",
                  f"{code} is not a DfE LA number that the DfE's published figures name: the children are stored "
                  "under it as given, with no region, statistical neighbours or England figures beside them; check "
                  "the code (the CIN header's LEA, the authority column, or --authority)", own_words=True)
            for source, code in [*by_file, *((_sources(extract), c) for c in elsewhere)]]


def of_children(extracts: list[Extract]) -> set[str]:
    """The authorities of the settled extracts' children (the codes their rows were scoped by)."""
    found: set[str] = set()
    for extract in extracts:
        children = extract.tables.get("children")
        if children is not None and "authority" in children.columns:
            found |= {str(a) for a in children["authority"].dropna().unique()}
    return found


def _sources(extract: Extract) -> str:
    return ", ".join(p.name for p in extract.files) or extract.kind


def _named(extract: Extract) -> set[str]:
    """The authorities an extract names: the user's, the files', valid values of the children's column (in
    this batch and, for a source read in batches, every other)."""
    names = {extract.authority, *extract.authorities.values(), *extract.authorities_named} - {None}
    column = _own_column(extract)
    if column is not None:
        names |= set(column.dropna())
    return names  # type: ignore[return-value]


def _own_column(extract: Extract) -> pd.Series | None:
    """The children's own `authority` values, trimmed; invalid ones as None (check_values rejects their rows)."""
    children = extract.tables.get("children")
    if children is None or "authority" not in children.columns:
        return None
    values = clean_values(children["authority"])
    return values.where(values.map(is_code).astype(bool), None)


def _check_conflicts(extract: Extract) -> None:
    """`--authority` overrides nothing a file states: a file that states another authority is fatal."""
    said = extract.authority
    if said is None:
        return
    for source, lea in sorted(extract.authorities.items()):
        if lea != said:
            raise FatalImportError(f"{source}: Header/Source/LEA is {lea} but --authority is {said}; "
                                   "import this file without --authority, or with its own")
    column = _own_column(extract)
    if column is not None and (column.notna() & (column != said)).any():
        children = extract.tables["children"]
        first = column[column.notna() & (column != said)].index[0]
        raise FatalImportError(f"{children.at[first, '_source']} row {children.at[first, '_row']}: authority is "
                               f"{column[first]} but --authority is {said}; import without --authority")


def scoped(extract: Extract, fallback: str | None) -> tuple[Extract, int]:
    """A copy of the extract whose ids carry their row's authority, and how many children have none.
    Needs no store: `settle` gives it the fallback it found there."""
    out, unnamed, _ = _scope(extract, fallback)
    return out, unnamed


def scoped_by_files(extract: Extract) -> tuple[Extract, bool]:
    """`scoped` with no fallback, and whether no row needed one (every row's authority is its own, its child's or
    its file's): then it is what `settle` gives whatever the store and the user name, and the census reader's
    second process works it out ahead (ingest/prepare.py)."""
    out, _, whole = _scope(extract, None)
    return out, whole


def _scope(extract: Extract, fallback: str | None) -> tuple[Extract, int, bool]:
    """`scoped`, and whether every row found its authority without `fallback`."""
    own = _own_column(extract)
    owned = own is not None and bool(own.notna().any())
    children = extract.tables.get("children")
    if not owned and not extract.authorities and fallback is None:  # nothing to scope: the extract as it is
        rows = sum(len(frame) for frame in extract.tables.values())
        return extract, 0 if children is None else len(children), rows == 0
    owners = _owners(extract, own) if owned else None
    tables: dict[str, pd.DataFrame] = {}
    unnamed = 0
    whole = True
    for table, frame in extract.tables.items():
        which = _authority_of_rows(table, frame, extract, owners, own, fallback)
        whole = whole and (fallback is None or not len(frame)) and not which.isna().any()
        if table == "children":
            unnamed = int(which.isna().sum())
        if which.isna().all():
            tables[table] = frame
            continue
        frame = frame.copy()
        for col in ID_COLUMNS.get(table, ()):
            if col in frame.columns:
                frame[col] = _prefixed(frame[col], which)
        if table == "children":  # an invalid value stays, for the value checks to reject its row
            frame["authority"] = which.where(which.notna(), frame["authority"]) if "authority" in frame else which
        tables[table] = frame
    return replace(extract, tables=tables), unnamed, whole


def _authority_of_rows(table: str, frame: pd.DataFrame, extract: Extract, owners: dict[str, pd.Series] | None,
                       own: pd.Series | None, fallback: str | None) -> pd.Series:
    which = pd.Series(None, index=frame.index, dtype=object)
    if table == "children" and own is not None:
        which = own.reindex(frame.index)
    elif owners is not None:
        for col, owner in _LINKS.get(table, ()):
            if col in frame.columns and owner in owners:
                which = which.fillna(clean_values(frame[col]).map(owners[owner]))
    if extract.authorities and "_source" in frame.columns:
        which = which.fillna(frame["_source"].astype(object).map(extract.authorities))
    if fallback is not None:
        which = which.fillna(fallback)
    return which.astype(object).where(which.notna(), None)


# How a row reaches its child in the same extract: (its column, the owner map it is looked up in).
_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "plans": (("child_id", "child"),),
    "events": (("child_id", "child"), ("plan_id", "plan")),
    "needs": (("child_id", "child"), ("plan_id", "plan")),
    "family_changes": (("child_id", "child"), ("family_id", "family")),
    "actions": (("plan_id", "plan"),),
    "attendance": (("event_id", "event"),),
}


def _owners(extract: Extract, own: pd.Series) -> dict[str, pd.Series]:
    """Raw child, family, plan and event id -> authority, from the children's own column."""
    children = extract.tables["children"]
    named = own.notna()
    child = pd.Series(own[named].to_numpy(), index=clean_values(children.loc[named, "child_id"]).to_numpy())
    child = child[~child.index.duplicated()]
    out = {"child": child}
    if "family_id" in children.columns:
        family = pd.Series(own[named].to_numpy(), index=clean_values(children.loc[named, "family_id"]).to_numpy())
        out["family"] = family[family.index.notna() & ~family.index.duplicated()]
    for table, key in (("plans", "plan"), ("events", "event")):
        frame = extract.tables.get(table)
        if frame is not None and {f"{key}_id", "child_id"} <= set(frame.columns):
            mapped = clean_values(frame["child_id"]).map(child)
            ids = clean_values(frame[f"{key}_id"])
            found = pd.Series(mapped.to_numpy(), index=ids.to_numpy()).dropna()
            out[key] = found[~found.index.duplicated()]
    return out


def _prefixed(values: pd.Series, which: pd.Series) -> pd.Series:
    """`AUTHORITY:id` where both are given, else the id as the value checks read it (trimmed; blanks None).

    Joined in Arrow (no Python call per row): a national census return holds tens of millions of event ids."""
    ids = clean_ascii(values)
    if ids is None:
        ids = pa.array(clean_values(values).to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    named = pa.array(which.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    joined = pc.binary_join_element_wise(named, ids, ":")
    return pd.Series(pd.arrays.ArrowStringArray(pc.if_else(pc.is_null(joined), ids, joined)), index=values.index)
