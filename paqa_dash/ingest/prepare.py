"""De-identification worked out ahead, in the census reader's second process, for the writer to look up.

Why: at a million plans the writer is the bottleneck (one core busy checking, de-identifying and writing) while
the reader beside it, parsing XML, idles for part of the time.  Three pure steps of a batch need nothing from
the store, only the batch and the run's earlier batches, which the reader has read too: the identifiers no free
text may repeat (`known_identifiers`), the scrubbed notes, and the keyed pseudonyms of the ids.  The reader works
them out for each batch (`prepared_batches`) and the batch carries them (`Extract.prepared`); the writer still
runs every step, looking these answers up instead of working them out, and only where they are exactly its own:

- the ids scoped by their authority (`authority.scoped_by_files`): when every row's authority is its file's, the
  scoping needs nothing from the store or the user, so the reader sends the batch scoped and `settle` takes it
  as it is (it still checks the user's authority against the files' and says its warnings);

- a pseudonym is looked up by the very text the writer would hash (its id scoped by its authority), and is the
  HMAC of that text under the same key, so a miss (an id scoped otherwise, say by `--authority`) is hashed as
  before and a hit is the same value;
- the scrubbed notes were scrubbed with the identifiers of the reader's batches so far; the writer's identifiers
  are those and any of other sources of the same import (a superset), so they are the same exactly when they
  are as many (`Prepared.seen`), and otherwise the writer scrubs every note itself.

The key travels to the reader over its stdin pipe (`read_ahead.ahead`), as the batches come back: never in a
file, a command line or the environment of the reader beyond what the writer's already holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import authority
from .deidentify import pseudonyms
from .frames import Extract
from .scrub import Known, scrub_all
from .validate import ID_COLUMNS, TEXT_COLUMNS, clean_values, parse_dates

# Record ids scrubbed from free text when quoted: those of children, families and plans, and of the rows
# of the smaller text tables (a decade's events run to tens of millions: their ids are left to the id shape).
QUOTABLE_IDS = {"children": ("child_id", "family_id"), "plans": ("plan_id",), "family_changes": ("change_id",),
                "actions": ("action_id",), "needs": ("need_id",)}


@dataclass
class Prepared:
    """What the reader worked out for one batch: its identifiers, and answers for the writer to look up."""

    known: Known                                    # known_identifiers of this batch alone
    seen: tuple[int, int, int]                      # (names, record ids, birth dates) of the run so far
    scrubbed: dict[str, str] = field(default_factory=dict)    # a note as checked -> scrubbed
    pseudonyms: dict[str, str] = field(default_factory=dict)  # an id as the writer hashes it -> pseudonym
    scoped: bool = False  # the batch's ids are scoped by their files' authorities, as `settle` would scope them


def known_identifiers(extracts: list[Extract]) -> Known:
    """The names, record ids and dates of birth these extracts carry, so that no free text repeats them."""
    ids: set[str] = set()
    births: set = set()
    for extract in extracts:
        for table, cols in QUOTABLE_IDS.items():
            frame = extract.tables.get(table)
            for col in cols:
                if frame is not None and col in frame:
                    ids.update(str(v) for v in pd.unique(frame[col].dropna()))
        children = extract.tables.get("children")
        if children is not None and "birth_date" in children:
            births.update(d.date() for d in parse_dates(children["birth_date"].dropna()).dropna())
    names = set().union(*(e.names for e in extracts))
    return Known.of(names, ids, births)


class Identifiers:
    """The identifiers of a run's batches so far, as the writer keeps them (`ImportWriter._known`)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.ids: set[str] = set()
        self.births: set = set()
        self.batches = 0

    def add(self, extracts: list[Extract], batch: Known, single_source: bool) -> Known:
        """Take in a batch's identifiers; the Known its free text is scrubbed with (this batch's and every
        earlier one's)."""
        self.batches += 1
        self.names |= set().union(*(e.names for e in extracts))
        self.ids |= batch.record_ids
        self.births |= batch.birth_dates
        if single_source and self.batches == 1:
            return batch
        return replace(Known.of(self.names), record_ids=self.ids, birth_dates=self.births)  # type: ignore[arg-type]

    @property
    def seen(self) -> tuple[int, int, int]:
        return len(self.names), len(self.ids), len(self.births)


def prepared_batches(batches: Iterator[Extract], key: bytes) -> Iterator[Extract]:
    """Each batch with its `Prepared` answers (in the reader's process)."""
    run = Identifiers()
    for extract in batches:
        batch = known_identifiers([extract])
        known = run.add([extract], batch, single_source=True)
        scrubbed = _scrubbed(extract, known)
        ids, whole = authority.scoped_by_files(extract)   # scoped once: the ids hashed, and the batch when whole
        extract = ids if whole else extract
        extract.prepared = Prepared(batch, run.seen, scrubbed, _pseudonyms(ids, key), scoped=whole)
        yield extract


def _scrubbed(extract: Extract, known: Known) -> dict[str, str]:
    """Every distinct note of the batch, trimmed as the value checks trim it, and its scrubbed text."""
    texts: set[str] = set()
    for table, cols in TEXT_COLUMNS.items():
        frame = extract.tables.get(table)
        for col in cols if frame is not None else ():
            if col in frame:
                texts.update(str(v) for v in pd.unique(clean_values(frame[col]).dropna()))
    ordered = sorted(texts)
    return dict(zip(ordered, scrub_all(ordered, known)))


def _pseudonyms(scoped: Extract, key: bytes) -> dict[str, str]:
    """The pseudonym of every id of the batch scoped by its files' own authorities (as `authority.settle` scopes
    it with nothing else to go on), by the text hashed.

    The ids are gathered and trimmed in Arrow, without a Python string per row: what is hashed here need only be
    a good guess at the writer's texts, since the writer looks each of its own texts up and hashes any it does
    not find (a text guessed wrongly is simply never asked for)."""
    arrays: list[pa.Array] = []
    for table, cols in ID_COLUMNS.items():
        frame = scoped.tables.get(table)
        for col in cols if frame is not None else ():
            if col in frame and len(frame):
                column = _arrow_text(frame[col])
                if column is not None:
                    arrays.append(pc.unique(pc.utf8_trim_whitespace(column)))
    if not arrays:
        return {}
    ids = pc.unique(pa.chunked_array(arrays, type=pa.string())).drop_null()
    if not len(ids):
        return {}
    texts = ids.to_pylist()
    return dict(zip(texts, pseudonyms(texts, key)))


def _arrow_text(values: pd.Series) -> pa.Array | None:
    """A column of text as an Arrow string array (None when it holds anything but text and blanks)."""
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
