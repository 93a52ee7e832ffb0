"""The native bundle's rules (docs/data_contract.md), applied to every source alike.

Each check is vectorised over a whole column and marks the rows it fails with the first reason
found, so a million-row synthetic store passes through the same code as a ten-row bundle.
Reasons name the field and the rule broken, and of an offending value at most its shape ("text of 5
characters"): a sex code column may hold a surname, and the rejects table is stored, shown and exported
(docs/data_contract.md, "De-identification").  The one exception is an unknown code with a code's shape
(one or two capital letters, or up to four capitals and digits with a digit: 'RB', '4B'), quoted so the sender can
find it (scrub.code_shown); three or four letters alone may be a surname in capitals and are not.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import codes as cells, dates, vocab
from .la_number import LA_NUMBER_RULE, is_code
from .deidentify import pseudonym, pseudonymise, row_fingerprint
from ..reference.codes import CATEGORY_LABELS
from .frames import COLUMNS, KEYS, LATER_COLUMNS, SCHEDULED_BY, Extract, Issue, conform, place_word
from .scrub import Known, code_shown, file_name, scrub, scrub_text, value_shape
from .teams import Spellings, team_warnings

DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("birth_date",),
    "plans": ("start_date", "end_date"),
    "events": ("event_date", "due_date"),
    "family_changes": ("change_date",),
    "needs": ("identified_date", "resolved_date"),
    "actions": ("set_date", "due_date", "completed_date"),
}
# Optional dates a row is loaded without when they are wrong, with a warning: a child's birth date (or month)
# is optional, and rejecting the child for it would lose every plan of the child (as an unknown ethnicity would).
DROPPED_WHEN_WRONG: dict[str, tuple[str, ...]] = {"children": ("birth_date", "birth_month")}
# Dates that cannot lie after the day of import (a due date may; a birth date may, for an unborn child).
NOT_FUTURE = {"start_date", "end_date", "event_date", "change_date", "identified_date", "resolved_date",
              "set_date", "completed_date"}
CODE_COLUMNS: dict[str, dict[str, dict[str, str]]] = {
    "children": {"sex": vocab.lookup(vocab.SEX)},
    "plans": {"initial_category": vocab.lookup(vocab.CATEGORY), "latest_category": vocab.lookup(vocab.CATEGORY),
              "end_reason": vocab.lookup(vocab.END_REASON)},
    "events": {"event_type": vocab.lookup(vocab.EVENT_TYPE), "agency": vocab.lookup(vocab.AGENCY)},
    "attendance": {"agency": vocab.lookup(vocab.AGENCY)},
    "family_changes": {"change_type": vocab.lookup(vocab.CHANGE_TYPE)},
    "actions": {"owner_agency": vocab.lookup(vocab.AGENCY), "status": vocab.lookup(vocab.STATUS)},
}
BOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("disability",),
    "attendance": ("invited", "attended", "contributed"),
}
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("child_id", "family_id"),
    "plans": ("plan_id", "child_id"),
    "events": ("event_id", "child_id", "plan_id"),
    "attendance": ("event_id",),
    "family_changes": ("change_id", "family_id", "child_id"),
    "needs": ("need_id", "child_id", "plan_id"),
    "actions": ("action_id", "plan_id"),
}
# An id Excel wrote as it shows a long number, `1.23457E+11` (a CSV opened in Excel and saved again): its last
# digits are gone, so two children's ids may be one, and none links to the record it names in another file.  An id
# is checked as the import has scoped it by its authority (`202:1.23457E+11`: ingest/authority.py).
_SHORTENED_NUMBER = r"(?:\d{3}:)?\d(?:\.\d+)?[eE]\+\d{1,3}"
SHORTENED_ID = ("is a number Excel shortened to scientific notation: its last digits are lost, so the row cannot be "
                "linked to its record. Format the column as Text in Excel before saving, or export the file again")
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("detail",),
    "family_changes": ("detail",),
    "actions": ("action_text",),
}
# Columns of the store table, in order, per canonical table (birth_date -> birth_month).
STORE_COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("child_id", "family_id", "birth_month", "sex", "ethnicity", "disability", "authority"),
    **{t: COLUMNS[t] for t in COLUMNS if t != "children"},
}
_YES_NO = vocab.lookup(vocab.YES_NO)


@dataclass
class Checked:
    """One table of one extract after value checks: typed rows to go on, and the rejects."""

    table: str
    frame: pd.DataFrame
    rejects: list[Issue]
    read: int
    rejected_keys: pd.Series  # raw first-key values of rejected rows, to explain references to them
    warnings: list[Issue]


class _Marks:
    """First failing field and reason per row."""

    def __init__(self, index: pd.Index) -> None:
        self.field = pd.Series(None, index=index, dtype=object)
        self.reason = pd.Series(None, index=index, dtype=object)
        # rows with no reason yet, kept as a mask: testing the reason column for blanks at every rule was most
        # of a table's checks when few rows fail (a scan of an object column per rule)
        self._open = np.ones(len(index), dtype=bool)

    def fail(self, mask: pd.Series, field: str, reason: str | pd.Series) -> None:
        rows = mask.fillna(False).astype(bool).to_numpy() & self._open
        if not rows.any():
            return
        self.field[rows] = field
        if isinstance(reason, pd.Series):  # may cover only the failing rows (built for them alone)
            given = reason.reindex(self.reason.index[rows]).to_numpy(dtype=object)
            self.reason[rows] = given
            self._open[np.flatnonzero(rows)] = pd.isna(given)  # a row its reason does not cover stays open
        else:
            self.reason[rows] = reason
            self._open[rows] = False

    @property
    def ok(self) -> pd.Series:
        return pd.Series(self._open.copy(), index=self.reason.index)


def per_value(series: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """`fn` applied once per distinct non-blank value (object Series; blanks stay None).

    Why: source columns repeat few values (codes, dates, template texts), so a Python function per
    distinct value instead of per row keeps a million-plan import at C speed; results are the same."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [fn(u) for u in uniques]
    results[-1] = None
    return pd.Series(results[codes], index=series.index, dtype=object)


BLANKS = frozenset({"", "NULL", "NAN", "NAT", "NONE"})
# What Python's str.strip() removes from an ASCII text (str.isspace of the first 128 characters).
_ASCII_SPACE = "".join(c for c in map(chr, range(128)) if c.isspace())


def clean_value(value: Any) -> str | None:
    text = str(value).strip()
    return None if text.upper() in BLANKS else text


def clean_values(series: pd.Series) -> pd.Series:
    """Trimmed strings with blanks as None (object dtype, whatever the reader produced)."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        # Mostly-unique text (ids) as Arrow strings: trim and test in Arrow, no Python call per row.
        trimmed = series.str.strip()
        blank = trimmed.isna() | trimmed.str.upper().isin(BLANKS)
        return trimmed.astype(object).where(~blank.to_numpy(dtype=bool), None)
    return per_value(series, clean_value)


def clean_ascii(series: pd.Series) -> pa.Array | None:
    """`clean_values` as an Arrow string array (blanks null) when every value is an ASCII `str` or blank, else None.

    Why: the authority scoping (ingest/authority.py) joins ids in Arrow; cleaning a reader's object column of
    100,000 event ids by `per_value` and converting the result to Arrow took 8 times as long.  For ASCII text
    Arrow's trim and upper are exactly str.strip and str.upper, so the values are the same (anything else, such
    as numbers, bytes or accented text, gives None: the caller keeps `clean_values`).  Not used for object
    results: building a Python string per row from Arrow costs more than `per_value` saves."""
    if series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
        return None
    values = pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    if pc.all(pc.string_is_ascii(values)).as_py() is False:
        return None
    trimmed = pc.utf8_trim(values, characters=_ASCII_SPACE)
    blank = pc.fill_null(pc.is_in(pc.ascii_upper(trimmed), value_set=pa.array(sorted(BLANKS))), True)
    return pc.if_else(blank, pa.scalar(None, pa.string()), trimmed)


_YEAR_FIRST_OR_LAST = r"^\s*\d{1,2}-\d{1,2}-\d{2}(?!\d)"


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO `YYYY-MM-DD`, or UK `DD/MM/YYYY` (also with `-` or `.`, or a two-digit year after a slash or a dot), a
    time part ignored; NaT where impossible.  The UK forms are read by `codes.iso_date`, as the Annex A and SSD readers read them: a bundle
    saved from Excel writes `01/04/2023 00:00`, and was rejected row by row where a workbook was read.  Each
    distinct text is parsed once (a decade of events holds a few thousand distinct days)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    parsed = _parse_date_texts(pd.Series(uniques, dtype=object)).to_numpy()
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[s]")
    present = codes >= 0
    out[present] = parsed[codes[present]]
    return pd.Series(out, index=values.index)


def _parse_date_texts(s: pd.Series) -> pd.Series:
    out = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    retry = out.isna() & s.notna()
    if retry.any():
        text = s[retry].astype(str)
        # a two-digit year written with dashes may be a year first (23-04-01: 2023-04-01 or 23 April 2001?): refused
        # as not a valid date, not guessed; with slashes or dots (01/04/23, as Excel's short date) it is read
        guess = text.str.match(_YEAR_FIRST_OR_LAST)
        out[retry] = pd.to_datetime(text.where(~guess).map(cells.iso_date, na_action="ignore"), format="%Y-%m-%d",
                                    errors="coerce")
    return out.astype("datetime64[s]")


def _month(values: pd.Series) -> pd.Series:
    """`YYYY-MM` birth months as the first day of the month."""
    s = values.astype(object)
    text = s.where(s.isna(), s.astype(str).str.slice(0, 7) + "-01")
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")


def check_values(extract: Extract, table: str, today: date, key: bytes | None = None,
                 teams: Spellings | None = None) -> Checked:
    """Required values, dates, codes, flags and row rules for one table of one extract.

    With the import's `key`, each issue carries its row's fingerprint (only rows with an issue are hashed:
    a million clean rows cost nothing).  `teams`: the import's team spellings so far (ingest/teams.py), so
    that every batch stores a team under one name."""
    raw = conform(table, extract.tables[table]).reset_index(drop=True)
    parse_rejects = [i for i in extract.rejects if i.table == table]
    f = pd.DataFrame({c: clean_values(raw[c]) for c in COLUMNS[table]})
    f["_source"] = raw["_source"].astype(object).fillna(extract.kind)
    f["_row"] = pd.to_numeric(raw["_row"], errors="coerce").astype("Int64")
    f["_pos"] = np.arange(len(f), dtype=np.int64)
    marks = _Marks(f.index)

    held, due = SCHEDULED_BY.get(table, (None, None))
    for col in extract.required_columns(table):
        blank = f[col].isna() & (f[due].isna() if col == held else True)  # a scheduled event has no date yet
        marks.fail(blank, col, f"required value {col} is blank")
    if table == "family_changes":
        marks.fail(f["family_id"].isna() & f["child_id"].isna(), "family_id",
                   "neither family_id nor child_id is given")
    for col in ID_COLUMNS.get(table, ()):
        shortened = f[col].astype("string").str.fullmatch(_SHORTENED_NUMBER).fillna(False).astype(bool)
        marks.fail(shortened, col, f"{col} {SHORTENED_ID}")

    today_ts = pd.Timestamp(today)
    expected = extract.date_formats or dates.TEXT_DATES
    dropped = _Marks(f.index)  # DROPPED_WHEN_WRONG values that are wrong: the row loads without them
    for col in DATE_COLUMNS.get(table, ()):
        parsed = parse_dates(f[col])
        mark = dropped if col in DROPPED_WHEN_WRONG.get(table, ()) else marks
        mark.fail(f[col].notna() & parsed.isna(), col, f"{col} is not a valid date (expected {expected})")
        mark.fail(parsed < pd.Timestamp("1900-01-01"), col, f"{col} is before 1900")
        if col in NOT_FUTURE:
            mark.fail(parsed > today_ts, col, f"{col} is after today, the day of the import")
        elif col == "birth_date":
            mark.fail(parsed > today_ts + pd.Timedelta(days=300), col, "birth_date is more than 10 months ahead")
        f[col] = parsed if mark is marks else parsed.where(dropped.field != col)
    if table == "children":
        marks.fail(f["authority"].notna() & ~per_value(f["authority"], is_code).fillna(False).astype(bool),
                   "authority", f"authority is not a DfE LA number ({LA_NUMBER_RULE})")
        month = _month(f["birth_month"])
        dropped.fail(f["birth_month"].notna() & month.isna(), "birth_month", "birth_month is not YYYY-MM")
        birth = f["birth_date"].fillna(month)
        f["birth_month"] = birth.dt.to_period("M").dt.start_time.astype("datetime64[s]")

    warnings: list[Issue] = []
    unknown_ethnicity = pd.Series(False, index=f.index)
    ethnicity_shown = pd.Series(None, index=f.index, dtype=object)
    if table == "children":
        # An unknown ethnicity code should not cost the child (and every plan of it) its place in the
        # store: the value is dropped and the row loads with a warning naming the code (given below, once
        # every check has run: a row rejected for another reason is said by its reject alone).
        eth = f["ethnicity"].map(lambda v: v.upper() if isinstance(v, str) else None)
        unknown_ethnicity = eth.notna() & ~eth.isin(vocab.ETHNICITY)
        ethnicity_shown = per_value(f["ethnicity"].where(unknown_ethnicity), code_shown)
        f["ethnicity"] = eth.where(~unknown_ethnicity)
    several: dict[str, pd.Series] = {}
    if table == "plans":   # a category in words, as Annex A and SSD read it; several categories named: MUL
        for col in CATEGORY_COLUMNS:
            read = per_value(f[col], cells.read_category)
            several[col] = read.map(lambda r: r[1] if isinstance(r, tuple) else ())
            code = read.map(lambda r: r[0] if isinstance(r, tuple) else None)
            f[col] = code.where(code.notna(), f[col])   # '#N/A' reads as no category: kept, to be rejected below
    for col, table_map in CODE_COLUMNS.get(table, {}).items():
        mapped = per_value(f[col], lambda v, m=table_map: m.get(vocab.normalise_key(v)) if isinstance(v, str) else None)
        bad = f[col].notna() & mapped.isna()
        marks.fail(bad, col, _unknown(f"unknown {col} code", f.loc[bad, col]) + _written_as(col, table_map))
        f[col] = mapped
    if table == "needs":
        codes = per_value(f["factor"], lambda v: vocab.factor_code(v) if isinstance(v, str) else None)
        bad = f["factor"].notna() & codes.isna()
        marks.fail(bad, "factor", _unknown("unknown factor code", f.loc[bad, "factor"]) + FACTOR_HINT)
        f["factor"] = codes
    if table == "actions":
        refs = per_value(f["addresses_factor"], lambda v: vocab.factor_ref(v) if isinstance(v, str) else None)
        bad = f["addresses_factor"].notna() & refs.isna()
        marks.fail(bad, "addresses_factor", _unknown("unknown addresses_factor", f.loc[bad, "addresses_factor"]))
        f["addresses_factor"] = refs
    for col in BOOL_COLUMNS.get(table, ()):
        mapped = per_value(f[col], lambda v: _YES_NO.get(vocab.normalise_key(v)) if isinstance(v, str) else None)
        marks.fail(f[col].notna() & mapped.isna(), col, f"{col} must be Y or N")
        f[col] = mapped.map({"Y": True, "N": False}).astype("boolean")
    if table == "attendance":
        f["invited"] = f["invited"].fillna(True)
    if table == "plans":
        # A count of earlier plans (Annex A's column) is optional, and rejecting the plan for it would lose the
        # plan and its events ("1+", "two"): the plan loads without it, with a warning, as a wrong birth date does.
        prev = pd.to_numeric(f["previous_plans"], errors="coerce")
        wrong = f["previous_plans"].notna() & (prev.isna() | (prev < 0) | (prev % 1 != 0))
        dropped.fail(wrong, "previous_plans", "previous_plans is not a whole number of 0 or more")
        f["previous_plans"] = prev.where(~wrong).astype("Int64")
        marks.fail(f["end_date"] < f["start_date"], "end_date", "end_date is before start_date")
        marks.fail(f["end_date"] == f["start_date"], "end_date",
                   "plan starts and ends on the same day (CIN rule 8840)")
    if table == "needs":
        marks.fail(f["resolved_date"] < f["identified_date"], "resolved_date", "resolved_date is before identified_date")
    if table == "actions":
        marks.fail(f["due_date"] < f["set_date"], "due_date", "due_date is before set_date")

    if table == "plans":  # one spelling per team among the plans that load (ingest/teams.py): a rejected row's
        # spelling is no plan's, and a warning about it would name a row the store does not hold
        loads = marks.ok
        settled, notes = (teams or Spellings()).settle(f[loads])
        f["team"] = settled.reindex(f.index).where(loads, f["team"])
        labels = pd.Index([label for label, _ in notes])
        warnings += team_warnings(f, notes, _fingerprints(table, raw, labels, key))
    marks.field = source_named(extract.source_fields.get(table, {}), marks.field, f)
    key_column = KEYS[table][0] if len(KEYS[table]) == 1 else None   # the record a reject is about
    rejects = parse_rejects + _row_issues(table, f, raw, ~marks.ok, marks.field, marks.reason, key,
                                          f[key_column] if key_column else None)
    # the warnings of rows that load (a rejected row is said by its reject alone)
    unknown = unknown_ethnicity & marks.ok
    warnings += _row_issues(table, f, raw, unknown, "ethnicity",
                            "unknown ethnicity code " + ethnicity_shown[unknown].astype(str) + " not stored", key)
    for col, named in several.items():
        said = named.map(bool) & marks.ok
        reasons = named[said].map(lambda codes, col=col: cells.several_categories(col, codes))
        warnings += _row_issues(table, f, raw, said, col, reasons, key)
    lost = ~dropped.ok & marks.ok
    warnings += _row_issues(table, f, raw, lost, source_named(extract.source_fields.get(table, {}), dropped.field, f),
                            dropped.reason[lost] + ": not stored; the row is loaded without it", key)
    keep = f[marks.ok].copy()
    keep["_merge"] = table in extract.merge_duplicates
    rejected_keys = f.loc[~marks.ok, KEYS[table][0]].dropna()
    return Checked(table, keep, rejects, read=len(f) + len(parse_rejects), rejected_keys=rejected_keys,
                   warnings=warnings)


CATEGORY_COLUMNS = ("initial_category", "latest_category")
# A factor in words is not read: "Domestic abuse" is the child's, a parent's or another person's (3A, 3B, 3C).
FACTOR_HINT = (": write an assessment factor code of the CIN census (such as 2B, 4A or 21: see the code lists in "
               "docs/data_contract.md)")


def _written_as(col: str, table_map: dict[str, str]) -> str:
    """What a reject of an unknown code says to write instead: a category in words (its code, EMO, reads as a
    given name to the scrubber every reason passes through), other codes where they are few enough to list."""
    if col in CATEGORY_COLUMNS:
        return (": write the category in words (" + ", ".join(w.lower() for w in CATEGORY_LABELS.values())
                + ") or its code")
    codes = sorted(set(table_map.values()))
    return f": write one of {', '.join(codes)}" if len(codes) <= 12 else ": see the code lists in docs/data_contract.md"


def _unknown(prefix: str, values: pd.Series) -> pd.Series:
    """Reasons quoting a code-shaped offending value, else giving only its shape (scrub.code_shown), built for
    the failing rows only."""
    return prefix + " " + per_value(values, code_shown).astype(str)


def source_named(names: dict[str, str], fields: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """Each failing field with the source's own name of it in front ("CPPendDate (end_date)") where the source
    gives one (Extract.source_fields): a user looks for the census item or the column in their file, the data
    dictionary documents the stored field.  An event's date is named by the event's type; a name keyed
    "SOURCE|field" is that source's only (an Annex A list's own column heading)."""
    if not names or fields.isna().all():
        return fields
    keys = fields
    if "event_type" in frame:
        keys = fields.where(fields != "event_date", "event_date:" + frame["event_type"].astype(str))
    source = keys.map(names)
    if "_source" in frame:
        source = (frame["_source"].astype(str) + "|" + keys).map(names).fillna(source)
    return fields.where(source.isna(), source + " (" + fields + ")")


def named_in_source(issues: list[Issue], extracts: list[Extract]) -> list[Issue]:
    """`issues` with the source's own name of each field in front, as the value checks' rejects have it
    (`source_named`: "CPPstartDate (start_date)"), for those found after them (a plan overlapping another, a reference
    to no plan, a conflicting duplicate), which name the stored field alone: a census reject said "start_date", which
    the user cannot find in their XML.  Each is named from its row (its origin: the extract and the row's place in
    it); an issue already named, or of a row not known, is kept as it is."""
    out: list[Issue] = []
    for issue in issues:
        names = {} if issue.origin is None else extracts[issue.origin[0]].source_fields.get(issue.table, {})
        if not names or not issue.field or " (" in issue.field:
            out.append(issue)
            continue
        row = extracts[issue.origin[0]].tables[issue.table].iloc[[issue.origin[1]]]
        field = source_named(names, pd.Series([issue.field], index=row.index, dtype=object), row).iloc[0]
        out.append(replace(issue, field=field))
    return out


def _row_issues(table: str, f: pd.DataFrame, raw: pd.DataFrame, rows: pd.Series, field: str | pd.Series,
                reasons: pd.Series, key: bytes | None, records: pd.Series | None = None) -> list[Issue]:
    """An issue for each row of `f` marked in `rows`, naming its file and row, with its field (one name, or per
    row), its reason and fingerprint, and (a reject's) the record it is about; `field`, `reasons` and
    `records` are indexed like `f`, over the marked rows at least."""
    if not rows.any():
        return []
    at = f.index[rows]
    fields = field.reindex(at) if isinstance(field, pd.Series) else pd.Series(field, index=at)
    ids = records.reindex(at) if records is not None else pd.Series(None, index=at, dtype=object)
    return [Issue(table, str(src), _int(r), fld, rsn, fp, record=rec if isinstance(rec, str) and rec else None)
            for src, r, fld, rsn, fp, rec in zip(f.loc[at, "_source"], f.loc[at, "_row"], fields, reasons.reindex(at),
                                                 _fingerprints(table, raw, at, key), ids)]


def _fingerprints(table: str, raw: pd.DataFrame, rows: pd.Index, key: bytes | None) -> pd.Series:
    """deidentify.row_fingerprint of the given rows of the raw frame, from their trimmed values as read
    (None without a key)."""
    if key is None or rows.empty:
        return pd.Series(None, index=rows, dtype=object)
    return pd.Series([source_row_fingerprint(key, table, raw, int(pos)) for pos in rows], index=rows, dtype=object)


def source_row_fingerprint(key: bytes, table: str, raw: pd.DataFrame, pos: int) -> str:
    """deidentify.row_fingerprint of the row at position `pos` of an extract's raw frame (as read, before
    conform: a missing column counts as blank, as conform makes it)."""
    values = {c: _raw_text(raw[c].iloc[pos]) if c in raw.columns else None for c in COLUMNS[table]}
    later = [c for c in LATER_COLUMNS.get(table, ()) if values[c] is None]
    return row_fingerprint(key, table, [v for c, v in values.items() if c not in later])


def _raw_text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else clean_value(value)


def deidentify(table: str, frame: pd.DataFrame, key: bytes, known: Known,
               memo: dict[str, str] | None = None, scrubbed: dict[str, str] | None = None,
               ahead: pd.Series | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """Pseudonymise identifiers and scrub free text and team names (de-identification) before any
    comparison with the store.  Returns the rows and a warning per team name that had to be replaced.
    `memo`: pseudonyms already worked out in this batch and `ahead` by the census reader (deidentify.pseudonymise);
    `scrubbed`: free texts already scrubbed with this `known` (scrub.scrub_text)."""
    out = frame.copy()
    for col in ID_COLUMNS.get(table, ()):
        out[col] = pseudonymise(out[col], key, memo, ahead)
    for col in TEXT_COLUMNS.get(table, ()):
        out[col] = scrub_text(out[col], known, scrubbed)
    warnings: list[Issue] = []
    if table == "plans":
        out["team"], warnings = _teams(out, key, known)
    if table == "children":
        out = out.drop(columns=["birth_date"])
    return out, warnings


def _teams(plans: pd.DataFrame, key: bytes, known: Known) -> tuple[pd.Series, list[Issue]]:
    """A team name that scrubbing would change ("North - Jane Worker 07700 900123") is stored as a stable
    pseudonym ("Team 3f9a2c"), reported once, and the name itself nowhere."""
    teams = plans["team"]
    warnings: list[Issue] = []
    replace: dict[str, str] = {}
    for team in teams.dropna().unique():
        text = str(team)
        if scrub(text, known) != text:
            replace[text] = team_pseudonym(key, text)
            first = plans.loc[teams == team].iloc[0]
            # Own words: it quotes the name's shape and the keyed pseudonym only.  Scrubbed as a quoted value, a
            # pseudonym with five digits read as a record id ('Team [record id]'), and the filter's team was lost.
            warnings.append(Issue("plans", str(first["_source"]), _int(first["_row"]), "team",
                                  f"team name held identifying text ({value_shape(text)}); stored as "
                                  f"'{replace[text]}'", origin=origin(first), own_words=True))
    return (teams.map(lambda t: replace.get(t, t)) if replace else teams), warnings


def team_pseudonym(key: bytes, team: str) -> str:
    """The same team name always gives the same pseudonym under one key, so its plans stay together."""
    return "Team " + pseudonym(key, "team:" + team)[:6]


def dedupe(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, int, list[Issue], list[Issue]]:
    """Exact duplicates are counted; a repeated key with other content is rejected, except in
    tables an importer marked for merging, where later rows win and blanks are filled.
    Returns (rows kept, duplicates counted, rejects, warnings): a merge that overrode a value gets a warning
    (`merge_conflicts`)."""
    cols = list(STORE_COLUMNS[table])
    key = list(KEYS[table])
    if frame.empty:
        return frame, 0, [], []
    # Rows of an exact duplicate share their key, so whole rows are compared only where a key repeats:
    # hashing every column of 40 million attendance rows to find none costs more than the check itself.
    repeated = frame.duplicated(subset=key, keep=False)
    if not repeated.any():
        return frame, 0, [], []
    exact = np.zeros(len(frame), dtype=bool)
    exact[repeated.to_numpy()] = frame[repeated].duplicated(subset=cols, keep="first").to_numpy()
    n_dup = int(exact.sum())
    frame = frame[~exact]
    repeated = frame.duplicated(subset=key, keep=False)
    if not repeated.any():
        return frame, n_dup, [], []
    merge = frame["_merge"].astype(bool)
    merging = frame[repeated & merge]
    rejects: list[Issue] = []
    warnings: list[Issue] = []
    if not merging.empty:
        warnings = merge_conflicts(table, merging) + return_conflicts(table, merging)
        merged = merging.groupby(key, sort=False, dropna=False).last().reset_index()
        n_dup += len(merging) - len(merged)
        frame = pd.concat([frame[~(repeated & merge)], merged[frame.columns]], ignore_index=True)
    conflict = frame.duplicated(subset=key, keep="first")
    if conflict.any():
        first_rows = frame.drop_duplicates(subset=key, keep="first").set_index(key)["_row"]
        for _, r in frame[conflict].iterrows():
            k = tuple(r[c] for c in key)
            first = first_rows.get(k if len(k) > 1 else k[0])
            rejects.append(Issue(table, str(r["_source"]), _int(r["_row"]), key[0],
                                 f"duplicate {'/'.join(key)} with different content (first seen at row {first})",
                                 origin=origin(r)))
        frame = frame[~conflict]
    return frame, n_dup, rejects, warnings


# The tables whose merged rows are compared: a child or a plan given twice with different values is a
# doubt about the record; two events of one type on one day are one event by definition (their ids are
# child|type|date), so their details are merged without a word.
COMPARED_ON_MERGE = ("children", "plans")


def merge_conflicts(table: str, merging: pd.DataFrame) -> list[Issue]:
    """A warning for each record given more than once in one file (one sheet of a workbook) with values that
    differ, where `dedupe` merges them (the later row's values win, its blanks filled from the earlier):
    naming the file, the rows and the fields that differ, never the values (an id or a birth month).
    A row that only fills what another left blank adds to the record and is merged without a warning.
    Rows from different files (census years) or different Annex A lists are not compared: one child
    legitimately appears on several lists and in several returns."""
    key = list(KEYS[table])
    by = [*key, "_source"]
    if table not in COMPARED_ON_MERGE:
        return []
    rows = merging[merging.duplicated(subset=by, keep=False)]
    if rows.empty:
        return []
    values = [c for c in STORE_COLUMNS[table] if c not in key]
    differ, at = _differing(rows, by, values)
    if differ.empty:
        return []
    warnings: list[Issue] = []
    for group, flags in differ.iterrows():
        group_rows = rows.iloc[at[group]]
        last = group_rows.iloc[-1]
        earlier = [_int(r) for r in group_rows["_row"].iloc[:-1]]
        source = str(last["_source"])
        fields = [c for c in values if flags[c]]
        warnings.append(Issue(table, source, _int(last["_row"]), ", ".join(fields),
                              f"the same {_RECORD[table]} is given again in this file (also at "
                              f"{_places(source, earlier)}) with a different {listed(fields)}: the rows are "
                              "merged, the later row's values kept and its blanks filled from the earlier",
                              origin=origin(last)))
    return warnings


def _differing(rows: pd.DataFrame, by: list[str], values: list[str]) -> tuple[pd.DataFrame, dict]:
    """(for each group of `rows` by `by` whose `values` differ: which of them do, the group's row positions)."""
    differ = rows.groupby(by, sort=False, dropna=False)[values].nunique(dropna=True) > 1
    return differ[differ.any(axis=1)], rows.groupby(by, sort=False, dropna=False).indices


def return_conflicts(table: str, merging: pd.DataFrame) -> list[Issue]:
    """A warning for each record that census returns of the same reference date (a return sent twice, a corrected
    copy) give with values that differ, where `dedupe` merges them: naming the files, their lines and the fields
    that differ, never the values, and which file's values are kept (the last read: cin_xml.CensusHeader.sort_key,
    so the same whatever order the files were given in).  Returns of different dates are not compared: a later
    year legitimately ends a plan or changes its category.  Each file's own rows are merged first (a record given
    twice in one file is `merge_conflicts`'s)."""
    if table not in COMPARED_ON_MERGE or "_as_of" not in merging.columns:
        return []
    key = list(KEYS[table])
    dated = merging[merging["_as_of"].notna()]
    if dated.empty:
        return []
    per_file = dated.groupby([*key, "_source"], sort=False, dropna=False).last().reset_index()
    by = [*key, "_as_of"]
    rows = per_file[per_file.duplicated(subset=by, keep=False)]
    if rows.empty:
        return []
    values = [c for c in STORE_COLUMNS[table] if c not in key]
    differ, at = _differing(rows, by, values)
    return [_return_conflict(table, rows.iloc[at[group]], [c for c in values if flags[c]])
            for group, flags in differ.iterrows()]


def _return_conflict(table: str, group: pd.DataFrame, fields: list[str]) -> Issue:
    """The warning for one record that `group` (its rows, one a file, in reading order) gives differently.

    In the product's own words (`Issue.own_words`): it quotes no value, only the files, named as the store keeps
    file names (`scrub.file_name`), its lines, the fields and the header's reference date.  Scrubbed as free text, a
    census file's name ("cin_209_2023.xml") has the shape of a record id, and the warning named neither return."""
    last = group.iloc[-1]
    kept = str(last["_source"])
    places = [f"{file_name(s)} {place_word(s)} {_int(r)}" if _int(r) is not None else file_name(s)
              for s, r in zip(group["_source"].astype(str), group["_row"])]
    n = len(group)
    return Issue(table, kept, _int(last["_row"]), ", ".join(fields),
                 f"the same {_RECORD[table]} is given in {'two' if n == 2 else n} census returns of the same "
                 f"reference date ({last['_as_of']}), {listed(places)}, with a different {listed(fields)}: the "
                 f"rows are merged, {file_name(kept)}'s values kept (the return produced last by its "
                 "Header/Source/DateTime, else the file name last in order) and its blanks filled from the "
                 f"other{'s' if n > 2 else ''}",
                 origin=origin(last), own_words=True)


_RECORD = {"children": "child", "plans": "plan"}


def _places(source: str, rows: list[int | None]) -> str:
    """"row 4", "rows 4 and 9" ("line" for an XML file, as Issue.where says it)."""
    word = place_word(source)
    known = [str(r) for r in rows if r is not None]
    if not known:
        return f"another {word}"
    return f"{word} {known[0]}" if len(known) == 1 else f"{word}s {listed(known)}"


def listed(items: list[str]) -> str:
    """"a", "a and b", "a, b and c": a list in words (file names, fields, places in a warning)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def origin(row: pd.Series) -> tuple[int, int] | None:
    """Issue.origin of a checked row: `_ext` (the extract's number in the import, set by write_extracts) and
    `_pos` (the row's position in its raw frame, set by check_values); None for a row without them."""
    if "_ext" not in row.index or "_pos" not in row.index or pd.isna(row["_ext"]) or pd.isna(row["_pos"]):
        return None
    return int(row["_ext"]), int(row["_pos"])


def _int(v: object) -> int | None:
    return None if v is None or pd.isna(v) else int(v)  # type: ignore[arg-type]


def reference_rejects(table: str, frame: pd.DataFrame, col: str, known: set[str], rejected: set[str],
                      what: str, optional: bool) -> pd.Series:
    """Rows whose reference is unknown, naming whether the target was itself rejected."""
    values = frame[col]
    missing = ~values.isin(known)
    if optional:
        missing &= values.notna()
    reason = pd.Series(f"{col} refers to no {what} in this import or the store", index=frame.index, dtype=object)
    reason[values.isin(rejected)] = f"{col} refers to {'an' if what[0] in 'aeiou' else 'a'} {what} whose row was rejected"
    return reason.where(missing)


def overlapping_plans(plans: pd.DataFrame) -> pd.Series:
    """For each row (index of `plans`) that starts inside another plan of the same child that started earlier
    (CIN rule 8940: the later plan is rejected), the index of that plan; None for the others.  Plans already in
    the store carry `_stored` = True and are never rejected here."""
    p = plans.sort_values(["child_id", "start_date", "_stored"], ascending=[True, True, False], kind="stable")
    end = p["end_date"].fillna(pd.Timestamp.max.floor("D")).astype("datetime64[s]")
    prev_max = end.groupby(p["child_id"]).cummax().groupby(p["child_id"]).shift(1)
    candidate = (p["start_date"] <= prev_max).fillna(False)
    result = pd.Series(None, index=plans.index, dtype=object)
    if not candidate.any():
        return result
    # Few children have overlaps: resolve them exactly (a rejected plan must not block a later one).
    for _, g in p[p["child_id"].isin(p.loc[candidate, "child_id"])].groupby("child_id", sort=False):
        latest_end, holder = None, None
        for idx, row in g.iterrows():
            e = row["end_date"] if pd.notna(row["end_date"]) else pd.Timestamp.max
            if latest_end is not None and row["start_date"] <= latest_end and not row["_stored"]:
                result[idx] = holder
                continue
            if latest_end is None or e > latest_end:
                latest_end, holder = e, idx
    return result
