"""Writing an import's canonical rows: extracts -> checks -> pseudonyms -> references -> store.

Every source (and the synthetic generator) comes through `write_extracts` (called by
paqa_dash/pipeline.py, which says what an import does in order), so the rules, the reject reasons,
the pseudonyms and the counts (read = loaded + rejected + duplicates) are the same whatever the file
was.  It writes inside the pipeline's transaction and works nothing out from the stored rows: that
is the derive registry's job, after it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .. import sql, store
from ..settings import PLAUSIBILITY
from . import authority
from ..reference import authorities as la
from ..reference.codes import REPEATS_LABEL
from ..reference.words import counted, date_text
from .deidentify import ahead_lookup, pseudonymise
from .prepare import Identifiers, known_identifiers
from .frames import KEYS, TABLES, Extract, FatalImportError, Issue
from .deferred_keys import DeferredKeys
from .scrub import Known, file_name, scrub_text
from .source_hash import SourceHashes
from .teams import Spellings
from .validate import (STORE_COLUMNS, Checked, check_values, dedupe, deidentify, listed, named_in_source, origin,
                       overlapping_plans, reference_rejects, source_row_fingerprint)

Progress = Callable[[float, str], None]

# (table, column, target table, target description, optional)
REFERENCES: dict[str, list[tuple[str, str, str, bool]]] = {
    "plans": [("child_id", "children", "child", False)],
    "events": [("child_id", "children", "child", False), ("plan_id", "plans", "plan", True)],
    "attendance": [("event_id", "events", "event", False)],
    "family_changes": [("child_id", "children", "child", True), ("family_id", "families", "family", True)],
    "needs": [("child_id", "children", "child", False), ("plan_id", "plans", "plan", True)],
    "actions": [("plan_id", "plans", "plan", False)],
}
# The columns that tie a row to a child (directly or through its plan, event or family): an update that changes
# a stored value of one is a relinking (ImportSummary.relinked).
RELINKING: dict[str, tuple[str, ...]] = {
    "children": ("family_id",),
    **{table: tuple(col for col, *_ in refs) for table, refs in REFERENCES.items()},
}


@dataclass
class ImportSummary:
    """What an import did, per table, and every row it did not load (with its reason)."""

    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    rejects: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    run_id: int | None = None
    unchanged: bool = False
    replaced_synthetic: bool = False
    changed_children: set[str] = field(default_factory=set)   # whose plans or actions this import wrote
    # an update moved a stored row to another child, plan, event or family (RELINKING): the children it left are
    # not in the store any more, so what is derived for them cannot be rewritten child by child (derive/registry.py)
    relinked: bool = False

    def describe(self) -> str:
        """One line for the access log: how many rows were loaded, rejected and merged into a record already read."""
        total = {k: sum(c[k] for c in self.tables.values()) for k in ("loaded", "rejected", "duplicates")}
        if self.unchanged:
            return "nothing new (these files were imported before)"
        return (f"{counted(total['loaded'], 'row')} loaded, {total['rejected']:,} rejected, {total['duplicates']:,} "
                f"{REPEATS_LABEL.lower()}" + (" (the synthetic demo was removed)" if self.replaced_synthetic else ""))

    def to_json(self) -> dict:
        return {
            "tables": self.tables,
            "rejects": [{"table": r.table, "source": r.source, "row": r.row, "field": r.field, "reason": r.reason}
                        for r in self.rejects],
            "warnings": [{"table": w.table, "source": w.source, "row": w.row, "field": w.field, "message": w.reason}
                         for w in self.warnings],
            "run_id": self.run_id,
            "unchanged": self.unchanged,
        }


class ImportWriter:
    """One import run, written batch by batch inside the caller's transaction.

    Why batches: a regional census of a million plans does not fit in memory as one set of frames, so
    readers yield it a few thousand children at a time and each batch is checked, de-identified and written
    before the next is read.  What one batch alone cannot know is kept here, small, for the whole run: the
    run's id, the counts, the issues (as few as the rows rejected), the keys of rejected rows (to explain a
    reference to them), the identifiers free text must not repeat, and the children whose plans changed.
    Rows written by an earlier batch of the run are in the store (same transaction) and carry the run's id,
    so duplicates, references and the newest census return are judged against them as against the same
    batch (`_write`).  `write_extracts` is the one-batch case."""

    def __init__(self, con: duckdb.DuckDBPyConnection, key: bytes, today: date | None = None,
                 progress: Progress | None = None) -> None:
        self.con, self.key = con, key
        self.today = today or date.today()
        self.say = progress or (lambda f, m: None)
        self.summary = ImportSummary(tables={t: {"read": 0, "loaded": 0, "rejected": 0, "duplicates": 0}
                                             for t in TABLES})
        self.rejected_ids: dict[str, set[str]] = {t: set() for t in TABLES}
        self.run_id = _next_run_id(con)
        self.started = datetime.now()   # the run's start, recorded with its finish (both the machine's clock)
        self.batches = 0
        self.synthetic = True
        self.sources: dict[tuple[str, str], Extract] = {}  # (kind, files) -> its first batch: what was read
        self._identifiers = Identifiers()  # the run's names, record ids and birth dates so far
        self._authority_said: set[tuple[str, str]] = set()  # an authority warning is said once a run, not a batch
        self.authorities: set[str] = set()     # the authorities whose children the run read (recorded with it)
        self.teams: Spellings | None = None    # the store's team spellings, then the run's (after any demo is gone)
        self.held_returns: list[Issue] = []    # census years an earlier run imported (said once the run is kept)
        self.returns = _RunReturns(con)        # the return dates the run's rows came from (row_returns)
        self.hashes = SourceHashes()           # the run's files' fingerprint, hashed as they are read
        self.keys = DeferredKeys(con)          # the keys of the tables it fills from empty, added back at the end

    def write(self, extracts: list[Extract]) -> None:
        """Check, de-identify and write one batch (its extracts' references may point at each other, at an
        earlier batch of the run or at the store)."""
        con, key, summary = self.con, self.key, self.summary
        self.batches += 1
        batch = self.batches
        step = lambda f, m: self.say(0.05 + 0.6 * (1 - 1 / (1 + (batch - 1 + f) / 8)),  # noqa: E731
                                     m if batch == 1 else f"{m} (batch {batch})")
        for extract in extracts:
            if self.sources.setdefault((extract.kind, "|".join(map(str, extract.files))), extract) is extract:
                self.hashes.start(extract)
                self.returns.flush()   # the stored return dates, read as every earlier batch left them
                self.held_returns += _returns_held_before(con, extract)   # before this run writes a row
        if not all(e.synthetic for e in extracts):
            self.synthetic = False
            if not summary.replaced_synthetic and store.is_synthetic(con):
                _clear_synthetic(con)
                summary.replaced_synthetic = True
        self.keys.drop_where_empty(TABLES)   # (after the demo's rows are cleared: its tables are filled from empty)
        if self.teams is None:
            self.teams = Spellings(sql.query(con, "load_team_spellings"))
        known = self._known(extracts)  # scrubbed from every free text of the import
        issues_from = (len(summary.rejects), len(summary.warnings))
        extracts, authority_warnings = authority.settle(con, extracts)  # ids scoped by their authority
        self.authorities |= authority.of_children(extracts)
        for warning in authority_warnings:
            if (warning.source, warning.reason) not in self._authority_said:
                self._authority_said.add((warning.source, warning.reason))
                summary.warnings.append(warning)
        frames: dict[str, pd.DataFrame] = {}
        pseudonyms: dict[str, str] = {}  # this batch's: a child id is in four tables, hashed once
        ahead = ahead_lookup(_hashed_ahead(extracts))
        scrubbed = self._scrubbed_ahead(extracts)
        for i, table in enumerate(TABLES):
            step(0.4 * i / len(TABLES), f"Checking {table}")
            parts: list[pd.DataFrame] = []
            for number, extract in enumerate(extracts):
                if table not in extract.tables and not any(r.table == table for r in extract.rejects):
                    continue
                if table not in extract.tables:
                    extract.tables[table] = pd.DataFrame()
                checked: Checked = check_values(extract, table, self.today, key, self.teams)
                summary.tables[table]["read"] += checked.read
                summary.rejects.extend(_records_pseudonymised(checked.rejects, key))
                summary.warnings.extend(checked.warnings)
                self.rejected_ids[table] |= set(pseudonymise(checked.rejected_keys, key).dropna())
                checked.frame["_ext"] = number
                checked.frame["_as_of"] = checked.frame["_source"].map(extract.returns).astype(object)
                frame, team_warnings = deidentify(table, checked.frame, key, known, pseudonyms, scrubbed, ahead)
                summary.warnings.extend(team_warnings)
                parts.append(frame)
            frames[table] = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        # A reader's warning about a row is about a row loaded with a caveat ("loaded as recorded"): a row the
        # value checks rejected is said once, by its reject, not also warned about as loaded.
        not_loaded = {(r.table, r.source, r.row) for r in summary.rejects[issues_from[0]:] if r.row is not None}
        for extract in extracts:
            summary.warnings.extend(w for w in extract.warnings if (w.table, w.source, w.row) not in not_loaded)

        step(0.5, "Checking references")
        stored = _StoredReferences(con, frames)
        for table in TABLES:
            frame = frames[table]
            if frame.empty:
                continue
            newest = _newest_returns(table, frame)
            frame, dups, conflicts, merge_warnings = dedupe(table, frame)
            if newest is not None:  # a merged or exactly repeated row keeps the newest return that supplied it
                frame["_as_of"] = frame[KEYS[table][0]].map(newest)
            summary.tables[table]["duplicates"] += dups
            summary.rejects.extend(conflicts)
            summary.warnings.extend(merge_warnings)
            frame = _check_references(stored, table, frame, frames, self.rejected_ids, summary)
            if table == "plans":
                frame = _reject_overlaps(con, frame, summary)
            frames[table] = frame

        step(0.65, "Writing to the store")
        for table in TABLES:
            frame = frames[table]
            if frame.empty:
                continue
            loaded, duplicates, conflicts, relinked = _write(con, table, frame, self.run_id, self.returns)
            summary.relinked |= relinked
            summary.tables[table]["loaded"] += loaded
            summary.tables[table]["duplicates"] += duplicates
            summary.rejects.extend(conflicts)
            if loaded and table in ("plans", "actions"):
                summary.changed_children |= _children_of(con, table, frame)
        if not frames["plans"].empty:
            summary.warnings.extend(implausible_plan_warnings(con, frames["plans"]))
        # This batch's issues get their fingerprints while its raw rows are still here, and are scrubbed.
        r, w = issues_from
        summary.rejects[r:] = _scrubbed(_fingerprinted(named_in_source(summary.rejects[r:], extracts), extracts, key),
                                        known)
        summary.warnings[w:] = _scrubbed(_fingerprinted(summary.warnings[w:], extracts, key), known)

    def _known(self, extracts: list[Extract]) -> Known:
        """The names, record ids and birth dates of this batch and every earlier one of the run (a free text
        in the actions may quote a child id read from children.csv in an earlier batch).  A batch's own were
        worked out by the census reader when it read ahead (ingest/prepare.py)."""
        ahead = _prepared(extracts)
        batch = ahead.known if ahead is not None else known_identifiers(extracts)
        return self._identifiers.add(extracts, batch, single_source=len(self.sources) == 1)

    def _scrubbed_ahead(self, extracts: list[Extract]) -> dict[str, str] | None:
        """The batch's notes as the census reader scrubbed them, when it scrubbed with exactly this run's
        identifiers: the writer's are the reader's and those of any other source of the import, so they are
        the same when they are as many."""
        ahead = _prepared(extracts)
        if ahead is None or ahead.seen != self._identifiers.seen:
            return None
        return ahead.scrubbed

    def finish(self) -> ImportSummary:
        """Count, record the run (unless the same files came again and nothing changed) and return the summary."""
        con, summary = self.con, self.summary
        self.returns.flush()
        self.keys.restore()
        for table, counts in summary.tables.items():
            counts["rejected"] = sum(1 for r in summary.rejects if r.table == table)
        extracts = list(self.sources.values())
        file_hash = self.hashes.fingerprint(extracts)
        total_loaded = sum(c["loaded"] for c in summary.tables.values())
        if total_loaded == 0 and not summary.replaced_synthetic and _seen_before(con, file_hash):
            summary.unchanged = True
            return summary
        _refuse_under_another_authority(con, file_hash, self.authorities, extracts)
        summary.warnings.extend(self.held_returns)
        _record_run(con, self.run_id, self.started, extracts, file_hash, summary, self.authorities)
        if self.synthetic and self.batches:
            store.set_meta(con, "synthetic", "true")
        summary.run_id = self.run_id
        return summary

    def close(self) -> None:
        """Let go of what the run holds outside the store (its files' hashing, when it ends before `finish`)."""
        self.hashes.close()


def write_extracts(con: duckdb.DuckDBPyConnection, extracts: list[Extract], key: bytes,
                   today: date | None = None, progress: Progress | None = None) -> ImportSummary:
    """Validate, de-identify and write the extracts' rows and the import run, inside the caller's
    transaction, as one batch.  `unchanged` in the summary: nothing new (the same files again), nothing written."""
    writer = ImportWriter(con, key, today=today, progress=progress)
    try:
        writer.write(extracts)
        return writer.finish()
    finally:
        writer.close()


def _prepared(extracts: list[Extract]):
    """The census reader's answers for a batch of one extract (ingest/prepare.py), else None."""
    return extracts[0].prepared if len(extracts) == 1 else None


def _hashed_ahead(extracts: list[Extract]) -> dict[str, str]:
    """The pseudonyms the census reader hashed ahead for this batch (ingest/prepare.py), by the text hashed."""
    out: dict[str, str] = {}
    for extract in extracts:
        if extract.prepared is not None:
            out.update(extract.prepared.pseudonyms)
    return out


def _scrubbed(issues: list[Issue], known: Known) -> list[Issue]:
    """Rejects and warnings as stored and shown: whatever a reader quoted, no identifying value survives in
    the field or the reason (each distinct text scrubbed once).  The source is the file's name, as given; an
    issue in the product's own words (Issue.own_words: it quotes nothing from the file, or only dates the store holds)
    is kept as written."""
    quoting = [i for i in issues if not i.own_words]
    if not quoting:
        return issues
    cols = {c: iter(scrub_text(pd.Series([getattr(i, c) for i in quoting], dtype=object), known).tolist())
            for c in ("field", "reason")}
    return [i if i.own_words else replace(i, field=next(cols["field"]), reason=next(cols["reason"]))
            for i in issues]


def _fingerprinted(issues: list[Issue], extracts: list[Extract], key: bytes) -> list[Issue]:
    """Issues found after de-identification (references, duplicates, overlaps, team names, implausible plans)
    know their row by its origin; here they get the fingerprint of its raw values, as the value checks give."""
    return [replace(i, origin=None, fingerprint=i.fingerprint or source_row_fingerprint(
                key, i.table, extracts[i.origin[0]].tables[i.table], i.origin[1]))
            if i.origin is not None else i for i in issues]


def _clear_synthetic(con: duckdb.DuckDBPyConnection) -> None:
    """Real data never mixes with the demo: the first real import replaces the synthetic store."""
    for table in (*TABLES, "action_matches", "action_reviews", "language_findings", "plan_reviews", "plan_sequence",
                  "core_group_attendance", "core_group_attendance_by_plan", "rejects", "warnings", "import_runs",
                  "row_returns", "census_returns",
                  "judgement_versions", "judgement_answers", "judgement_presence"):  # the demo's judgements too
        con.execute(sql.text(f"load_clear_{table}"))
    store.set_meta(con, "synthetic", "false")


class _StoredReferences:
    """What the store holds of the ids a batch refers to, asked once a batch.

    Why: the children and the plans a batch's plans, events and needs refer to were looked up table by table and
    column by column, each a scan of a store table (five of children and plans, two more for whose plan it
    is), and at a million plans those scans grow with the store.  Nothing is written while references are
    checked, so one look-up of every id the batch names (a superset of what each check asks) gives every check
    the same answer."""

    def __init__(self, con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> None:
        self.con = con
        self._wanted: dict[str, set[str]] = {}
        for table, refs in REFERENCES.items():
            frame = frames.get(table)
            for col, target, _, _ in refs if frame is not None and not frame.empty else ():
                self._wanted.setdefault(target, set()).update(frame[col].dropna())
        self._found: dict[str, set[str]] = {}
        self._owners: pd.DataFrame | None = None

    def ids(self, target: str) -> set[str]:
        """The stored keys of `target` among the ids this batch names."""
        if target not in self._found:
            if target == "plans":
                self._found[target] = set(self.owners()["plan_id"])
            elif target == "families":
                self._found[target] = set(sql.query(self.con, "load_family_ids", ids=self._sorted(target))[
                    "family_id"].dropna())
            else:
                self._found[target] = set(sql.query(self.con, f"load_{target}_ids", ids=self._sorted(target))[
                    KEYS[target][0]])
        return self._found[target]

    def owners(self) -> pd.DataFrame:
        """plan_id, child_id of the stored plans among the plan ids this batch names."""
        if self._owners is None:
            self._owners = sql.query(self.con, "load_plan_children", plan_ids=self._sorted("plans"))
        return self._owners

    def _sorted(self, target: str) -> list[str]:
        return sorted(self._wanted.get(target, ()))


def _known(stored: _StoredReferences, target: str, frames: dict[str, pd.DataFrame]) -> set[str]:
    """The ids that name a row of `target`: in this batch, or stored (by this import's earlier batches or
    before).  Only the batch's own ids are looked up, so a batch costs its own size whatever the store holds."""
    if target == "families":
        incoming = frames["children"]["family_id"].dropna() if not frames["children"].empty else []
        return stored.ids(target) | set(incoming)
    incoming = set(frames[target][KEYS[target][0]]) if not frames[target].empty else set()
    return stored.ids(target) | incoming


def _check_references(stored: _StoredReferences, table: str, frame: pd.DataFrame,
                      frames: dict[str, pd.DataFrame], rejected_ids: dict[str, set[str]],
                      summary: ImportSummary) -> pd.DataFrame:
    for col, target, what, optional in REFERENCES.get(table, []):
        known = _known(stored, target, frames)
        rejected = rejected_ids.get(target, set())
        reasons = reference_rejects(table, frame, col, known, rejected, what, optional)
        frame = _drop(table, frame, reasons, col, summary, rejected_ids)
    if table in ("events", "needs"):
        frame = _drop(table, frame, _plan_of_other_child(stored, frame, frames), "plan_id", summary, rejected_ids)
    return frame


def _plan_of_other_child(stored: _StoredReferences, frame: pd.DataFrame,
                         frames: dict[str, pd.DataFrame]) -> pd.Series:
    owners = pd.concat([stored.owners(),
                        frames["plans"][["plan_id", "child_id"]] if not frames["plans"].empty else None])
    owner = frame["plan_id"].map(owners.drop_duplicates("plan_id").set_index("plan_id")["child_id"])
    wrong = frame["plan_id"].notna() & owner.notna() & (owner != frame["child_id"])
    return pd.Series("plan_id belongs to another child", index=frame.index, dtype=object).where(wrong)


def _drop(table: str, frame: pd.DataFrame, reasons: pd.Series, col: str, summary: ImportSummary,
          rejected_ids: dict[str, set[str]], own_words: bool = False) -> pd.DataFrame:
    """`own_words`: the reasons are the product's sentences (Issue.own_words), kept as written."""
    bad = reasons.notna()
    if not bad.any():
        return frame
    for (_, row), reason in zip(frame[bad].iterrows(), reasons[bad]):
        record = row[KEYS[table][0]] if len(KEYS[table]) == 1 else None   # (a pseudonym here)
        summary.rejects.append(Issue(table, str(row["_source"]), None if pd.isna(row["_row"]) else int(row["_row"]),
                                     col, reason, origin=origin(row), own_words=own_words,
                                     record=record if isinstance(record, str) else None))
    rejected_ids[table] |= set(frame.loc[bad, KEYS[table][0]].dropna())
    return frame[~bad]


def _reject_overlaps(con: duckdb.DuckDBPyConnection, plans: pd.DataFrame, summary: ImportSummary) -> pd.DataFrame:
    stored = sql.query(con, "load_plans_of_children_in", child_ids=sorted(set(plans["child_id"])))
    stored = stored[~stored["plan_id"].isin(plans["plan_id"])]
    stored["_stored"] = True
    incoming = plans.assign(_stored=False)
    both = pd.concat([incoming[["plan_id", "child_id", "start_date", "end_date", "_stored"]],
                      stored.astype({"start_date": "datetime64[s]", "end_date": "datetime64[s]"})],
                     ignore_index=True)
    held_by = overlapping_plans(both).iloc[: len(incoming)]
    held_by.index = plans.index
    reasons = held_by.map(lambda at: None if pd.isna(at) else _overlap_reason(both.loc[at]))
    rejected: dict[str, set[str]] = {"plans": set()}
    # Own words: the reason quotes only the earlier plan's dates, which the store holds anyway; scrubbed, a plan begun
    # on the child's birthday (a pre-birth plan carried on) was named "from [date of birth]" and could not be found.
    return _drop("plans", plans, reasons, "start_date", summary, rejected, own_words=True)


def _overlap_reason(earlier: pd.Series) -> str:
    """Which plan a rejected plan overlaps, by its dates (the child's plans are found by them in the source)."""
    span = ("still open" if pd.isna(earlier["end_date"]) else f"to {pd.Timestamp(earlier['end_date']):%Y-%m-%d}")
    return (f"plan overlaps an earlier plan of the same child, from {pd.Timestamp(earlier['start_date']):%Y-%m-%d}, "
            f"{span} (CIN rule 8940)")


def _write(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
           run_id: int, returns: _RunReturns) -> tuple[int, int, list[Issue], bool]:
    """Insert new rows; update changed ones (new values win, blanks keep the stored value), except that a
    row from an older return than the one that last wrote it only fills blanks (row_returns).

    A stored row this run already wrote (an earlier batch) is the same row met twice in one import, as
    `dedupe` judges within a batch: identical, or merged in a table whose source repeats rows, it counts as a
    duplicate; with other content in any other table it is rejected.
    The batch is compared with the stored rows in SQL (`sql.against_stored`: one join of the staged batch with the
    table), so only the rows whose key is stored come back, with what to store and whether it differs; the stored
    rows' return dates are joined too only when a row of the batch may be older than its stored row
    (`_RunReturns.may_be_older`: not on a first import whose returns come in date order).
    Returns (rows loaded or updated, rows identical to the store or merged, rejects, whether an update changed
    a stored value of a RELINKING column)."""
    cols = list(STORE_COLUMNS[table])
    key = list(KEYS[table])
    as_of = _as_of_dates(frame, len(key))
    staged = _arrow(frame[cols].assign(_as_of=as_of.to_numpy(), _at=np.arange(len(frame), dtype=np.int64)))
    dated = bool(as_of.notna().any()) and returns.may_be_older(table, as_of)
    links = [c for c in RELINKING.get(table, ()) if c not in key]
    firsts = frame[key[0]].dropna().unique().tolist()
    limit = _index_limit(con, table) if len(key) == 1 else 0
    few = _by_index(key, len(firsts), limit)
    text = sql.against_stored(table, _stored_types(con, table, cols), key, STAGED, dated, links, few)
    found = _arrow_over(con, text, {"run_id": run_id, **({"table_name": table} if dated else {}),
                                    **({"keys": firsts} if few else {})}, staged)
    at = found["_at"].to_numpy()
    is_new = np.ones(len(frame), dtype=bool)
    is_new[at] = False
    same, seen = _flags(found["_same"]), _flags(found["_seen"])
    merging = "_merge" in frame.columns and bool(frame["_merge"].any())
    conflict = seen & ~_flags(found["_identical"]) & (not merging)
    rejects = _conflicts(table, frame, pd.Series(at[conflict]), key)
    _insert(con, table, staged.filter(pa.array(is_new)), cols, run_id)
    changed = ~same & ~conflict
    if changed.any():
        rows = found.select(cols).filter(pa.array(changed))
        updated = pd.unique(rows.column(key[0]).to_numpy(zero_copy_only=False)).tolist()
        few = _by_index(key, len(updated), limit)
        _over(con, sql.update_from(table, cols, key, STAGED, few), [run_id, *([updated] if few else [])], rows)
    returns.record(table, frame[key[0]].reset_index(drop=True), as_of)
    merged_again = int((changed & seen).sum())  # met in an earlier batch: merged, not loaded twice
    relinked = bool((changed & _flags(found["_relinked"])).any())
    return (int(is_new.sum()) + int(changed.sum()) - merged_again, int(same.sum()) + merged_again, rejects,
            relinked)


def _by_index(key: list[str], keys: int, limit: int) -> bool:
    """Whether a batch's `keys` stored rows are read through the list of its keys (`sql.stored_rows`), which DuckDB
    answers by an index scan of the table's primary key (`limit`: `_index_limit`), rather than by a hash join of the
    batch with the table.

    Why: at 32 million events the join scans every key, 0.97 s for 5,000 keys against 0.18 s through the index.
    DuckDB takes the index only for up to `_index_limit` rows (else it scans, testing each key against the list:
    slower than the join, 1.49 against 1.12 s for 30,000 keys at 32 million, 0.18 against 0.055 s for 5,000 at 3.2
    million), and only for a key of one column (attendance's, event and agency, is scanned): the join for the rest.
    (docs/benchmark_history.md, *One authority-year into a million plans*.)"""
    return len(key) == 1 and 0 < keys <= limit


def _index_limit(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """How many rows of `table` DuckDB fetches through an index (its settings and the table's size)."""
    return int(sql.query(con, "load_index_scan_limit", table_name=table).iloc[0, 0])


def _flags(column: pa.ChunkedArray) -> np.ndarray:
    """A boolean column of a query's answer as a numpy mask (no row is NULL: each flag is coalesced)."""
    return column.to_numpy(zero_copy_only=False).astype(bool)


def _stored_types(con: duckdb.DuckDBPyConnection, table: str, cols: list[str]) -> dict[str, str]:
    """Column -> its type in the store's `table`, for `cols`."""
    types = dict(sql.query(con, "load_column_types", table_name=table).itertuples(index=False, name=None))
    return {c: types[c] for c in cols}


def _conflicts(table: str, frame: pd.DataFrame, at: pd.Series, key: list[str]) -> list[Issue]:
    """Rejects for rows (positions `at` in `frame`) whose key an earlier batch of the import wrote with other
    content: the same reason `dedupe` gives within a batch."""
    rows = frame.iloc[at.to_numpy(dtype=np.int64)]
    return [Issue(table, str(r["_source"]), None if pd.isna(r["_row"]) else int(r["_row"]), key[0],
                  f"duplicate {'/'.join(key)} with different content (first seen earlier in this import)",
                  origin=origin(r)) for _, r in rows.iterrows()]


def _newest_returns(table: str, frame: pd.DataFrame) -> pd.Series | None:
    """Key -> the newest return date among an import's rows of that key (None when no row is dated)."""
    if "_as_of" not in frame.columns or len(KEYS[table]) != 1 or frame["_as_of"].isna().all():
        return None
    key = KEYS[table][0]
    dated = frame.loc[frame["_as_of"].notna(), [key, "_as_of"]].astype({"_as_of": object})
    # ISO dates sort as text: the last of each key after a sort is its newest (a groupby max on Arrow strings
    # falls back to Python per key, and took 40% of a census import).
    return dated.sort_values("_as_of", kind="stable").drop_duplicates(key, keep="last").set_index(key)["_as_of"]


def _as_of_dates(frame: pd.DataFrame, key_columns: int) -> pd.Series:
    """Each row's return date (NaT for undated sources; tables keyed by more than one column have none)."""
    if "_as_of" not in frame.columns or key_columns != 1:
        return pd.Series(pd.NaT, index=range(len(frame)), dtype="datetime64[s]")
    # A batch's rows come from a few returns: each distinct date parsed once, not once a row.
    codes, uniques = pd.factorize(frame["_as_of"], use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce").astype("datetime64[s]").to_numpy()
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[s]")
    out[codes >= 0] = parsed[codes[codes >= 0]]
    return pd.Series(out, index=range(len(frame)))


class _RunReturns:
    """The newest return each row of the run came from (row_returns), and whether a batch's rows can be older.

    A row of an older return than the one that last wrote its stored row only fills blanks (`_write`), so each
    batch was joined with row_returns, and its return dates upserted into it: two steps that grew with the store
    (at a million plans, with the join with the stored table, from 0.6 to 2.4 CPU s a batch: docs/benchmark_history.md,
    *Importing a million plans, another round*, *The writer on a first import*).  Both are skipped, exactly, where
    they cannot change anything:

    - the join, when row_returns held no row of the table before the run (`_fresh`) and no dated row of the batch
      is older than the newest return this run has recorded for the table: every stored return date of the
      table is then this run's, none newer than the batch's rows, so no row is older (`_older` is false for
      each, as the join would find).  A census read in date order (its batches in the order of the returns'
      reference dates, as a first import of an authority's years is) meets this for every batch; a batch out of
      order, or an import into a store that holds return dates of the table, is joined as before;
    - the upsert, on such a table: the batches' (row, date) pairs are held (`_pending`, Arrow: 24 bytes a row)
      and written in one upsert when the run finishes, or before anything reads row_returns: the join of a
      batch out of order (`may_be_older`), and the census-year look-up of a new source (ImportWriter.write).
      One upsert of all of them gives each row the newest of its dates, as one a batch did.
    A table that held return dates before the run is upserted batch by batch, as before."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._fresh: dict[str, bool] = {}              # table -> row_returns held none of its rows before the run
        self._newest: dict[str, np.datetime64] = {}    # table -> the newest return date the run recorded for it
        self._pending: dict[str, list[pa.Table]] = {}  # table -> (row_id, as_of) not yet in row_returns

    def _is_fresh(self, table: str) -> bool:
        """Asked before the run records a row of `table` (`may_be_older` and `record` are the only callers)."""
        if table not in self._fresh:
            self._fresh[table] = not bool(sql.query(self.con, "load_row_returns_held", table_name=table)
                                          ["held"].iloc[0])
        return self._fresh[table]

    def may_be_older(self, table: str, as_of: pd.Series) -> bool:
        """Whether a row dated `as_of` may be older than the return that wrote its stored row; when it may, the held
        dates are written first, so the join reads every one."""
        newest = self._newest.get(table)
        if self._is_fresh(table) and (newest is None or as_of.min() >= newest):
            return False
        self.flush(table)
        return True

    def record(self, table: str, ids: pd.Series, as_of: pd.Series) -> None:
        """Remember the newest return each written row came from (rows of undated sources are not recorded)."""
        dated = as_of.notna().to_numpy()
        if not dated.any():
            return
        days = as_of.to_numpy()[dated].astype("datetime64[D]")  # Arrow date32 without a Python date per row
        rows = pa.table({"row_id": pa.array(ids[dated].astype(object).to_numpy(), from_pandas=True),
                         "as_of": pa.array(days)})
        newest = days.max()
        self._newest[table] = max(self._newest.get(table, newest), newest)
        if self._is_fresh(table):
            self._pending.setdefault(table, []).append(rows)
        else:
            _upsert_returns(self.con, table, rows)

    def flush(self, table: str | None = None) -> None:
        """Write the held dates (of `table`, or of every table) into row_returns."""
        for name in [table] if table is not None else list(self._pending):
            held = self._pending.pop(name, [])
            if held:
                _upsert_returns(self.con, name, pa.concat_tables(held))


def _upsert_returns(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """row_returns keeps each row's newest return date (`rows`: row_id, as_of, a row id possibly repeated)."""
    _over_block(con, "load_upsert_row_returns", rows, table_name=table)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A frame as an Arrow table, for DuckDB to read (`_over`) without a Python object per value."""
    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


STAGED = "staged"  # the name under which a statement run by `_over` reads the batch's rows


def _over(con: duckdb.DuckDBPyConnection, text: str, params: list | dict, rows: pa.Table) -> duckdb.DuckDBPyConnection:
    """Run `text`, which reads `rows` under the name STAGED.

    Why not `con.register`: DuckDB keeps every object registered inside a transaction alive until the
    transaction ends (its view stays in the catalog for a rollback), and an import is one transaction, so a
    million-plan import held every batch's frames to the end.  A replacement scan of this frame's local
    variable is read by the one statement and freed with it (measured: 100 inserts of 30,000 rows in one
    transaction grew the process by 530 MB registered, by 240 MB scanned, which is DuckDB's own uncommitted
    rows and key index)."""
    staged = rows  # read by name: DuckDB's replacement scan looks in this frame
    result = con.execute(text, params)
    del staged
    return result


def _arrow_over(con: duckdb.DuckDBPyConnection, text: str, params: dict, rows: pa.Table) -> pa.Table:
    """`_over` for a query whose answer is wanted as an Arrow table (read in this frame, where `staged` lives)."""
    staged = rows  # read by name: DuckDB's replacement scan looks in this frame
    result = con.sql(text, params=params).to_arrow_table()
    del staged
    return result


def _over_block(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table, **params: object) -> duckdb.DuckDBPyConnection:
    """`_over` for a named block of queries/ (its parameters bound as `sql.bind` binds them)."""
    text = sql.text(name)
    return _over(con, text, sql.bind(text, params, block=name), rows)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, cols: list[str], run_id: int) -> None:
    """Append rows (their `cols`); values travel as an Arrow table read by the statement, never inside it."""
    if rows.num_rows:
        _over(con, sql.insert_from(table, cols, STAGED), [run_id], rows)


def implausible_plan_warnings(con: duckdb.DuckDBPyConnection, plans: pd.DataFrame) -> list[Issue]:
    """A warning for each of this import's plans (now written) whose dates cannot be right, by the one
    definition the plan sequence also reads (`store_cte_implausible_plans`): such a plan is stored, shown
    on its child's timeline and left out of every measure (docs/data_contract.md, "Implausible plans")."""
    text = sql.compose("load_implausible_plans")
    found = con.execute(text, sql.bind(text, {"plan_ids": sorted(set(plans["plan_id"]))},
                                       context=PLAUSIBILITY.params(), block="load_implausible_plans")).df()
    if found.empty:
        return []
    where = plans.drop_duplicates("plan_id").set_index("plan_id")
    issues = []
    for plan_id, reason in found[["plan_id", "reason"]].itertuples(index=False):
        src, row = where.loc[plan_id, "_source"], where.loc[plan_id, "_row"]
        issues.append(Issue("plans", str(src), None if pd.isna(row) else int(row), "start_date",
                            f"{reason}: implausible, left out of every measure", origin=origin(where.loc[plan_id])))
    return issues


def _children_of(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> set[str]:
    if table == "plans":
        return set(frame["child_id"])
    owners = sql.query(con, "load_children_of_plans", plan_ids=sorted(set(frame["plan_id"])))
    return set(owners["child_id"])


def _census_returns(extract: Extract) -> list[tuple[str, str | None, str]]:
    """(file name as kept, authority, reference date) of each dated return (census file) of `extract`; the
    authority is the file's Header/Source/LEA, else the one named for the import (None when neither)."""
    return [(file_name(name), extract.authorities.get(name) or extract.authority, day)
            for name, day in extract.returns.items()]


def _returns_held_before(con: duckdb.DuckDBPyConnection, extract: Extract) -> list[Issue]:
    """A warning for each census return of `extract` of an authority and reference date that an earlier run
    already imported, naming that run's file (or, for a store whose earlier runs were recorded before their files
    were, saying the store holds that year).

    Why: two returns of one year in one import are compared record by record (validate.return_conflicts), but a
    corrected return imported in a later run merged into the first silently; its values are kept (of returns of
    one reference date, the one imported last: ingest/load.py `_write`), and records only the first gave stay."""
    warnings = []
    returns = _census_returns(extract)
    # the rows' return dates are read only for a store with census runs from before their files were recorded:
    # a scan of row_returns, where the look-up of census_returns is of a few rows
    legacy = bool(returns) and int(sql.query(con, "load_census_runs_unrecorded")["runs"].iloc[0]) > 0
    if not legacy and not (returns and sql.query(con, "load_census_returns_any")["any_returns"].iloc[0]):
        return warnings   # (a first import: nothing to look up for each of its returns, 1,500 for a region's decade)
    for name, code, day in returns:
        held = sql.query(con, "load_census_returns_held", authority=code, reference_date=day)
        if held.empty and not (legacy and int(sql.query(con, "load_census_year_held_unrecorded", authority=code,
                                                        reference_date=day)["held"].iloc[0])):
            continue
        earlier = ("its file not recorded: imported before the store recorded census files" if held.empty
                   else listed([f"{s}, imported {date_text(pd.Timestamp(t))}"
                                for s, t in zip(held["source"], held["started_at"])]))
        whose = f"{la.label(code)}'s census return" if code else "A census return"
        warnings.append(Issue(
            "children", name, None, "ReferenceDate",
            f"{whose} of reference date {date_text(day)} is already in the store from an earlier import ({earlier}): the "
            f"records in both are merged, {name}'s values kept (of two returns of one reference date imported in "
            "different runs, the one imported last) and its blanks filled from the stored rows; records only the "
            "earlier return gave are kept as it gave them"))
    return warnings


def _record_census_returns(con: duckdb.DuckDBPyConnection, run_id: int, extracts: list[Extract]) -> None:
    """Record the run's census returns (`census_returns`), so a later run of the same authority-year is told."""
    returns = [r for extract in extracts for r in _census_returns(extract)]
    if returns:
        source, authority, day = (list(column) for column in zip(*returns))
        rows = pa.table({"source": pa.array(source, pa.string()), "authority": pa.array(authority, pa.string()),
                         "reference_date": pa.array(day, pa.string())})
        _over_block(con, "load_insert_census_returns", rows, run_id=run_id)


def _seen_before(con: duckdb.DuckDBPyConnection, file_hash: str) -> bool:
    return not sql.query(con, "load_runs_with_hash", file_hash=file_hash).empty


def _refuse_under_another_authority(con: duckdb.DuckDBPyConnection, file_hash: str, authorities: set[str],
                                    extracts: list[Extract]) -> None:
    """The same files imported before under another authority are refused: children's ids are scoped by their
    authority, so the second import would store every child again, counted once under each authority.  Why at
    the end: the run's hash covers every file of it, and a refusal rolls the whole run back."""
    if not authorities or not any(e.files for e in extracts):   # frames made in memory have no bytes to compare
        return
    before = sql.query(con, "load_runs_with_hash", file_hash=file_hash).dropna(subset=["authorities"])
    for run in before.itertuples():
        earlier = set(str(run.authorities).split(","))
        if authorities - earlier:   # a child of these files read as an authority they were not stored under
            files = "; ".join(p.name for e in extracts for p in e.files) or "these files"
            raise FatalImportError(
                f"{files}: the same files were imported on {date_text(run.started_at)} (import {run.run_id}) as "
                f"authority {', '.join(sorted(earlier))}; this import reads them as {', '.join(sorted(authorities))}. "
                "Stored again, every child in them would be counted twice, once under each authority. If the "
                "earlier authority was wrong, build a new store from your files with the right --authority. "
                "Nothing was loaded.")


def _records_pseudonymised(rejects: list[Issue], key: bytes) -> list[Issue]:
    """The value checks' rejects with the record they are about as its pseudonym (as the store names it)."""
    if not any(i.record for i in rejects):
        return rejects
    records = pseudonymise(pd.Series([i.record for i in rejects], dtype=object), key)
    return [replace(i, record=r if isinstance(r, str) else None) for i, r in zip(rejects, records)]


def _next_run_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(sql.query(con, "load_next_run_id").iloc[0, 0])


def _record_run(con: duckdb.DuckDBPyConnection, run_id: int, started: datetime, extracts: list[Extract],
                file_hash: str, summary: ImportSummary, authorities: set[str]) -> None:
    totals = {k: sum(c[k] for c in summary.tables.values()) for k in ("read", "loaded", "rejected", "duplicates")}
    sql.execute(
        con, "load_insert_run", run_id=run_id, started_at=started, finished_at=datetime.now(),
        kind="+".join(e.kind for e in extracts),
        source="; ".join(file_name(p.name) for e in extracts for p in e.files) or "+".join(e.kind for e in extracts),
        file_hash=file_hash, rows_read=totals["read"], rows_loaded=totals["loaded"],
        rows_rejected=totals["rejected"], rows_duplicate=totals["duplicates"],
        counts_json=json.dumps(summary.tables), authorities=",".join(sorted(authorities)) or None)
    sql.execute(con, "load_clear_rejects_of_loaded_records", run_id=run_id)   # corrected, and loaded now
    _record_census_returns(con, run_id, extracts)
    names: dict[str, str] = {}   # each file's name as kept, worked out once
    for name, issues in (("rejects", summary.rejects), ("warnings", summary.warnings)):
        if not issues:
            continue
        frame = pd.DataFrame({"run_id": run_id, "table_name": [i.table for i in issues],
                              "source": [names.setdefault(i.source, file_name(i.source)) for i in issues],
                              "row_number": pd.array([i.row for i in issues], dtype="Int64"),
                              "field": [i.field for i in issues], "reason": [i.reason for i in issues],
                              "fingerprint": pd.Series([i.fingerprint for i in issues], dtype=object),
                              "record_id": pd.Series([i.record for i in issues], dtype=object)})
        staged = _arrow(frame)
        _over_block(con, f"load_replace_{name}", staged)  # the same rows imported again: their issues replace the old
        _over_block(con, f"load_insert_{name}", staged)


__all__ = ["ImportSummary", "write_extracts", "FatalImportError"]
