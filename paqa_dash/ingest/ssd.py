"""Standard Safeguarding Dataset (SSD) CSV extracts (docs/data_contract.md) -> the canonical Extract.

A folder (or a list of files) of `ssd_*.csv` extracts of the community-standard tables:
ssd_person -> children; ssd_family -> children.family_id; ssd_cp_plans -> plans;
ssd_cp_reviews -> REVIEW_CONFERENCE, ssd_cp_visits -> VISIT, ssd_initial_cp_conference -> ICPC
events; ssd_cin_assessments + ssd_assessment_factors -> ASSESSMENT events and needs (one per
factor, identified when the assessment was authorised, else started).  Plans are keyed by
child + start date (`frames.plan_key`) and events by child|type|date, as the CIN and Annex A
importers key them, so one real plan imported from several sources is one plan.  A review or
ICPC with a due (target) date but no meeting date is scheduled, not yet held: an event with a
`due_date` and no `event_date`.

A plan's team is the professional team whose ssd_involvements row for the child (or, where the
extract names no person on involvements, for the plan's referral) spans the plan start (the
latest-starting such involvement); failing that, the team of the plan's ICPC.  Teams given as
department ids are named from ssd_department.

D2I publishes the SSD scripts per case-management system (SystemC/Liquidlogic, Eclipse, Mosaic,
Azeus: `LAYOUTS`); their extracts differ in a few columns.  Only ssd_person and ssd_cp_plans are
needed: any other table missing a column it cannot be read without is left out with a warning,
and one missing a column that only sharpens it (a person id on reviews) is read without it.

Names, NHS numbers, UPNs, addresses and postcodes are dropped: only the columns named here
are read, and the values of any name column are collected in `Extract.names` so the loader
scrubs them from free text.  Files may carry a BOM, CRLF line ends and extra columns.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

from . import codes, csvfile, dates, partition, textfile
from .frames import Extract, FatalImportError, Issue, conform, plan_key

KIND = "ssd"
REQUIRED_FILES = ("ssd_person", "ssd_cp_plans")

# The columns each file cannot be read without.  Only REQUIRED_FILES stop the import when one is
# missing; any other file lacking one is left out with a warning (`_usable`).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "ssd_person": ("pers_person_id",),
    "ssd_family": ("fami_family_id", "fami_person_id"),
    "ssd_cp_plans": ("cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date"),
    "ssd_cp_reviews": ("cppr_cp_plan_id", "cppr_cp_review_date"),
    "ssd_cp_visits": ("cppv_cp_plan_id", "cppv_cp_visit_date"),
    "ssd_initial_cp_conference": ("icpc_icpc_date",),
    "ssd_involvements": ("invo_professional_team", "invo_involvement_start_date"),
    "ssd_cin_assessments": ("cina_assessment_id", "cina_person_id"),
    "ssd_assessment_factors": ("cinf_assessment_id", "cinf_assessment_factors_json"),
    "ssd_department": ("dept_team_id", "dept_team_name"),
    "ssd_professionals": (),  # read only for the worker names to scrub
}
# Other names the published scripts give a column (lower-cased): the Mosaic data-warehouse script
# (SQL_Involvements_DW.sql) selects the involvement's person as `PersonID`.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "ssd_involvements": {"invo_person_id": ("personid", "person_id")},
}
# Columns one layout lacks that sharpen a table without being needed: what the import does instead.
DEGRADED: dict[str, dict[str, str]] = {
    "ssd_cp_reviews": {"cppr_person_id": "each review's child is taken from its plan"},
    "ssd_cp_visits": {"cppv_person_id": "each visit's child is taken from its plan"},
    "ssd_involvements": {"invo_person_id": "involvements are matched to plans by referral "
                                           "(invo_referral_id = cppl_referral_id)"},
}
# The D2I script families (github.com/data-to-insight/ssd-data-model, deployment_extracts/): how each is
# recognised from the headers; SystemC/Liquidlogic and Eclipse share every column read here.
STANDARD = "SystemC/Liquidlogic or Eclipse"
MOSAIC = "Mosaic"
AZEUS = "Azeus"
# What only the Mosaic scripts write: involvements with the person as PersonID (SQL_Involvements_DW.sql) or
# with none (populate_ssd_data_warehouse.sql), visits naming cppv_cp_visit_id twice (the same script).
_MOSAIC_MARKS = (("ssd_involvements", "personid"), ("ssd_involvements", "person_id"))
_MOSAIC_MISSING = (("ssd_involvements", "invo_person_id"),)
_MOSAIC_TWICE = (("ssd_cp_visits", "cppv_cp_visit_id"),)
KNOWN_FILES = tuple(REQUIRED_COLUMNS)

# Columns whose values are person names: collected for scrubbing, never stored.
_NAME_COLUMN = re.compile(r"(^|_)(first_?name|last_?name|surname|forename|given_?name|family_?name|"
                          r"full_?name|name|worker_?name|preferred_?name)$")


# ...but not the names of teams (ssd_department's dept_team_name): those are the team filter's words.
_TEAM_COLUMN = re.compile(r"(^|_)(dept|department|team|org|organisation)_")


def is_name_column(column: str) -> bool:
    return bool(_NAME_COLUMN.search(column.lower())) and not _TEAM_COLUMN.search(column.lower())


# --- files --------------------------------------------------------------------------------

def table_name(path: Path) -> str | None:
    """The ssd_* table a file holds, from its name (`ssd_cp_plans.csv`, `SSD_CP_Plans_2024.csv`)."""
    stem = path.stem.lower()
    for name in sorted(KNOWN_FILES, key=len, reverse=True):
        if stem == name or stem.startswith(name + "_") or stem.startswith(name + "-"):
            return name  # longest names first, so a longer table name is never claimed by a prefix
    return None


def collect_files(paths: list[Path]) -> tuple[dict[str, Path], Path]:
    """Table name -> file, from folders and/or files; and the folder to name in messages."""
    files: dict[str, Path] = {}
    folder = None
    for p in map(Path, paths):
        candidates = sorted(p.glob("*.csv")) + sorted(p.glob("*.CSV")) if p.is_dir() else [p]
        folder = folder or (p if p.is_dir() else p.parent)
        for f in candidates:
            name = table_name(f)
            if name and name not in files:
                files[name] = f
    return files, folder or Path(".")


Rows = list[tuple[int, dict[str, str | None]]]


@dataclass
class Sheet:
    """One extract file's header: `raw` as written (lower-cased), `header` with other scripts' names given
    their SSD names (each once), `twice` the columns the header names twice (the Mosaic script's
    ssd_cp_visits names cppv_cp_visit_id twice: the first non-blank cell of such a column is kept), and the
    encoding its rows are read in (`rows`)."""

    path: Path
    raw: list[str]
    header: list[str]
    twice: list[str]
    encoding: str
    aliased: list[str]  # the header in file order, repeats kept: what each cell of a row is

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line the row starts on, values) of every row that is not blank, read as they are asked for."""
        with textfile.open_text(self.path, self.encoding) as f:
            records = csvfile.records(self.path.name, f)
            next(records, None)  # the header
            yield from records

    def named(self, values: list[str]) -> dict[str, str | None]:
        """A row's values by column; a short row's missing last values are absent (read as blank)."""
        row: dict[str, str | None] = {}
        for h, v in zip(self.aliased, values):
            if row.get(h) is None:
                row[h] = codes.cell_text(v)
        return row


def read_header(path: Path, table: str) -> Sheet:
    """One extract file's header.  Fatal when the file is empty, binary or not text."""
    found = textfile.scan(path)
    if found.blank:
        raise csvfile.EmptyFile(f"{path.name}: empty file")
    if found.nul_line is not None:   # anywhere: a NUL after the first block would otherwise reach the store
        raise FatalImportError(f"{path.name}: binary file, not a CSV extract")
    encoding = "utf-8-sig" if found.utf8 else "cp1252"  # older extracts saved from Excel
    with textfile.open_text(path, encoding) as f:
        first = next(csvfile.records(path.name, f), None)
    if first is None:
        raise csvfile.EmptyFile(f"{path.name}: empty file")
    raw_header = [h.strip().lower() for h in first[1]]
    header = _aliased(table, raw_header)
    twice = sorted({h for h in header if header.count(h) > 1})
    return Sheet(path, raw_header, list(dict.fromkeys(header)), twice, encoding, header)


def _aliased(table: str, header: list[str]) -> list[str]:
    """The header with another script's name for a column replaced by the SSD name (unless both are there)."""
    out = list(header)
    for name, others in ALIASES.get(table, {}).items():
        if name in out:
            continue
        for other in others:
            if other in out:
                out[out.index(other)] = name
                break
    return out


def layout(headers: dict[str, list[str]]) -> str:
    """Which D2I script family wrote the extract, from its raw headers (see STANDARD, MOSAIC, AZEUS)."""
    if "ssd_cp_plans" not in headers and "pers_send" in headers.get("ssd_person", ()):
        return AZEUS  # the Azeus scripts give ssd_person only, with pers_send for pers_send_flag
    if any(col in headers.get(t, ()) for t, col in _MOSAIC_MARKS) or \
            any(t in headers and col not in headers[t] for t, col in _MOSAIC_MISSING) or \
            any(list(headers.get(t, ())).count(col) > 1 for t, col in _MOSAIC_TWICE):
        return MOSAIC
    return STANDARD


def _usable(table: str, path: Path, header: list[str], variant: str, extract: Extract) -> bool:
    """Whether a file can be read: a required file missing a column stops the import; any other is left
    out with a warning.  A missing column that only sharpens the table is noted, and the table read."""
    missing = [c for c in REQUIRED_COLUMNS[table] if c not in header]
    if table == "ssd_involvements" and "invo_person_id" not in header and "invo_referral_id" not in header:
        missing.append("invo_person_id")  # no way to tie an involvement to a child
    where = f"(columns as the D2I {variant} scripts write them)"
    if missing and table in REQUIRED_FILES:
        raise FatalImportError(f"{path.name}: required column '{missing[0]}' is missing {where}")
    if missing:
        extract.warnings.append(Issue(table, path.name, None, missing[0],
                                      f"required column '{missing[0]}' is missing {where}: "
                                      f"{table} not read, the import goes on without it"))
        return False
    for col, instead in DEGRADED.get(table, {}).items():
        if col not in header:
            extract.warnings.append(Issue(table, path.name, None, col,
                                          f"no {col} column {where}: {instead}"))
    return True


# --- tables -------------------------------------------------------------------------------

def _src(files: dict[str, Path], table: str) -> str:
    return files[table].name


def _collect_names(columns: list[str], r: dict[str, str | None], names: set[str]) -> None:
    """The person names of one row's name columns (`columns`), kept to scrub from free text."""
    for c in columns:
        if (v := codes.person_name(r.get(c))):
            names.add(v)


def _factors(value: str | None) -> list[str]:
    """Factor codes from `["1A","2B"]`, `{"1A": "Yes", "2B": "No"}` or a plain `1A, 2B` list."""
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (ValueError, TypeError):
        parsed = [v for v in re.split(r"[,;|\s]+", value.strip("[]{} ")) if v]
    if isinstance(parsed, dict):
        items = [k for k, v in parsed.items() if str(v).strip().lower() in {"yes", "y", "true", "1"}]
    elif isinstance(parsed, list):
        items = parsed
    else:
        items = [parsed]
    out = []
    for item in items:
        code = str(item).strip().strip("'\"").upper()
        if code and code not in out:
            out.append(code)
    return out


def _plan_team(child: str | None, referral: str | None, start: str | None,
               involvements: list[dict]) -> str | None:
    """The professional team whose involvement with the child (or, where involvements name no person,
    with the plan's referral) spans the plan start: the latest-starting such involvement."""
    best = None
    for inv in involvements:
        mine = inv["child"] == child if inv["child"] is not None else (referral is not None and inv["referral"] == referral)
        if not mine or not start or not inv["start"] or inv["start"] > start:
            continue
        if inv["end"] and inv["end"] < start:
            continue
        if best is None or inv["start"] > best["start"]:
            best = inv
    return best["team"] if best else None


_PLAN_EVENTS = (  # table, person column, plan column, date column, due column, event type
    ("ssd_initial_cp_conference", "icpc_person_id", "icpc_cp_plan_id", "icpc_icpc_date", "icpc_icpc_target_date",
     "ICPC"),
    ("ssd_cp_reviews", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date", "cppr_cp_review_due",
     "REVIEW_CONFERENCE"),
    ("ssd_cp_visits", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date", None, "VISIT"),
)


def _plan_event(r: dict, line: int, src: str, plan_ids: dict, columns: tuple) -> dict | Issue:
    """An event of a plan, or the reject that says why it cannot be one.

    The child comes from the row, else from the plan.  An unknown SSD plan id of a row that names its
    child is kept as given (the validator rejects it as a reference to an unknown plan).  A meeting not
    yet held (a due date, no date) is scheduled: `due_date` set, `event_date` blank."""
    table, person_col, plan_col, date_col, due_col, event_type = columns
    source_plan = r.get(plan_col)
    plan_child, pid = plan_ids.get(source_plan, (None, source_plan))
    cid = r.get(person_col) or plan_child
    day = codes.iso_date(_first(r, "events", f"event_date:{event_type}"))
    due = codes.iso_date(r.get(due_col)) if due_col else None
    if cid is None:
        reason = (f"unknown plan: {plan_col} names no plan in ssd_cp_plans and {person_col} is blank" if source_plan
                  else f"{plan_col} and {person_col} are both blank: the row belongs to no child")
        return Issue("events", src, line, plan_col, reason)
    if day is None and due is None:
        reason = (f"neither {date_col} nor {due_col} is given: neither held nor scheduled" if due_col
                  else f"required value {date_col} is blank")
        return Issue("events", src, line, date_col, reason)
    key = day if day is not None else f"due:{due}"
    return {"event_id": f"{cid}|{event_type}|{key}", "child_id": cid, "event_date": day,
            "event_type": event_type, "agency": "CSC", "plan_id": pid, "detail": None, "due_date": due,
            "_source": src, "_row": line}


# How the first pass places each file's rows in batches (ingest/partition.py): the column naming the row's
# child, the ids other rows find it by, and the record it must come with or after (an involvement naming
# no person is its plan's, found by referral).  ssd_department and ssd_professionals are not placed: the
# first is a short list of teams kept whole, the second is read only for the names to scrub.
_PLACES: dict[str, tuple[str | None, dict[str, str], tuple[str, str] | None]] = {
    "ssd_person": ("pers_person_id", {}, None),
    "ssd_family": ("fami_person_id", {}, None),
    "ssd_cp_plans": ("cppl_person_id", {"plan": "cppl_cp_plan_id", "referral": "cppl_referral_id"}, None),
    **{t[0]: (t[1], {}, ("plan", t[2])) for t in _PLAN_EVENTS},
    "ssd_involvements": ("invo_person_id", {}, ("referral", "invo_referral_id")),
    "ssd_cin_assessments": ("cina_person_id", {"assessment": "cina_assessment_id"}, None),
    "ssd_assessment_factors": (None, {}, ("assessment", "cinf_assessment_id")),
}
_TEAM_COLUMNS = {"ssd_involvements": "invo_professional_team", "ssd_initial_cp_conference": "icpc_icpc_team"}


@dataclass
class _FirstPass:
    """What the first pass keeps of the whole extract: the usable files' headers and date orders, the
    department list, and the team values given (for the department-id warning)."""

    headers: dict[str, list[str]]
    month_first: dict[str, list[str]]   # table -> its date columns, for a file written month-first
    departments: Rows
    teams_given: set[str | None]


def _first_pass(files: dict[str, Path], extract: Extract, rows: partition.Partition) -> _FirstPass:
    """Every file read once: the layout and the usable files (from the headers), the names to scrub, each
    file's date order, and each row sent to the partition.  Warnings in the order one batch gives them."""
    sheets: dict[str, Sheet] = {}
    for table, path in files.items():
        try:
            sheets[table] = read_header(path, table)
        except csvfile.EmptyFile:
            if table in REQUIRED_FILES:
                raise FatalImportError(f"{path.name}: {csvfile.EMPTY}, and {table} is required: "
                                       "export it again") from None
            extract.warnings.append(Issue(table, path.name, None, None, csvfile.EMPTY_FILE, own_words=True))
    variant = layout({t: sh.raw for t, sh in sheets.items()})
    if variant != STANDARD:
        extract.warnings.append(Issue("ssd_person", files["ssd_person"].name, None, None,
                                      f"SSD extract read as written by the D2I {variant} scripts"))
    kept = _FirstPass({}, {}, [], set())
    for table, sheet in sheets.items():
        number = list(files).index(table)  # a file's rows are its by its place among the files (`_extracts`)
        path = files[table]
        for col in sheet.twice:
            extract.warnings.append(Issue(table, path.name, None, col,
                                          f"the header names {col} twice: the first non-blank value is read"))
        if not _usable(table, path, sheet.header, variant, extract):
            continue
        kept.headers[table] = sheet.header
        names = [h for h in sheet.header if is_name_column(h)]
        date_columns = [h for h in sheet.header if h.endswith(("_date", "_dob", "_due"))]
        evidence = dates.Evidence()
        places = _places(table, sheet.header)
        lines: list[int] = []
        cells: list[list[str | None]] = []
        seen = False
        for line, values in sheet.rows():
            seen = True
            r = sheet.named(values)
            _collect_names(names, r, extract.names)  # a row not read still gives its names: another row may hold them
            if (unsplit := csvfile.unsplit(values, len(sheet.aliased))):
                _not_read(table, path.name, line, unsplit, extract)
                continue
            for c in date_columns:
                evidence.see(r.get(c))
            if table in _TEAM_COLUMNS:
                kept.teams_given.add(r.get(_TEAM_COLUMNS[table]))
            if table == "ssd_department":
                kept.departments.append((line, r))
            if places is not None:  # a professional is read for names only
                lines.append(line)
                cells.append([r.get(h) for h in sheet.header])
            if len(lines) == partition.CHUNK:
                rows.add(number, places, lines, cells)  # type: ignore[arg-type]
                lines, cells = [], []
        if places is not None:
            rows.add(number, places, lines, cells)
        if not seen:
            extract.warnings.append(Issue(table, path.name, None, None, csvfile.NO_ROWS, own_words=True))
        if evidence.order(path.name) == dates.MONTH_FIRST:
            extract.warnings.append(Issue(table, path.name, None, None, dates.WARNING))
            kept.month_first[table] = date_columns
    if kept.month_first.get("ssd_department"):
        kept.departments = _day_first(kept.departments, kept.month_first["ssd_department"])
    _bare_teams(kept, files, extract)
    return kept


# The table whose rows a file's rows become: a row that cannot be read is that table's reject, counted with its
# rows.  A row of any other file only adds to rows of others (a child's family, a plan's team, names to scrub,
# a team's name): those still load, so the row is a warning.
_ROWS_OF = {"ssd_person": "children", "ssd_cp_plans": "plans", "ssd_cin_assessments": "events",
            "ssd_assessment_factors": "needs", **{t[0]: "events" for t in _PLAN_EVENTS}}


def _not_read(table: str, source: str, line: int, reason: str, extract: Extract) -> None:
    """Record a row the reader could not split (csvfile.unsplit): nothing is lost without a word."""
    if table in _ROWS_OF:
        extract.rejects.append(Issue(_ROWS_OF[table], source, line, None, reason))
    else:
        extract.warnings.append(Issue(table, source, line, None, f"{reason}: the row was not read"))


def _places(table: str, header: list[str]) -> partition.Places | None:
    """Where a file's rows go in the batches (by position in `header`); None for a file not placed."""
    if table not in _PLACES:
        return None
    child, keys, via = _PLACES[table]
    at = {h: i for i, h in enumerate(header)}
    return partition.Places(child=at.get(child) if child else None,
                            keys={name: at[c] for name, c in keys.items() if c in at},
                            via=(via[0], at[via[1]]) if via and via[1] in at else None,
                            via_without_child=table == "ssd_involvements")


def _day_first(rows: Rows, columns: list[str]) -> Rows:
    """The rows of a file written month-first with its dates (`columns`) day-first (ingest/dates.py)."""
    return [(n, {k: dates.as_day_first(v) if k in columns else v for k, v in r.items()}) for n, r in rows]


def _bare_teams(kept: _FirstPass, files: dict[str, Path], extract: Extract) -> None:
    """A store of bare department ids is no use to a service manager, so ids with no ssd_department name get
    a warning."""
    names = _team_names(kept.departments)
    bare = sorted(t for t in kept.teams_given if t and t.isdigit() and t not in names)
    if bare:
        table = "ssd_involvements" if "ssd_involvements" in kept.headers else "ssd_initial_cp_conference"
        extract.warnings.append(Issue("plans", files[table].name, None, "team",
                                      f"{len(bare)} team(s) are department ids with no name in ssd_department: "
                                      "add ssd_department.csv to show team names"))


def _team_names(departments: Rows) -> dict[str | None, str | None]:
    return {r["dept_team_id"]: r["dept_team_name"] for _, r in departments
            if r.get("dept_team_id") and r.get("dept_team_name")}


def read(paths: list[Path]) -> Extract:
    """Read a folder of SSD CSV extracts into one Extract (see the module docstring)."""
    return next(batches(paths, None))


def batches(paths: list[Path], batch_children: int | None) -> Iterator[Extract]:
    """The extract's rows in batches of `batch_children` children (None: one batch): a child's rows in one
    batch, an event, an involvement or an assessment factor with or after the plan or assessment it needs
    (ingest/partition.py).  The first pass (`_first_pass`) runs now: a file that cannot be read stops the
    import before any batch.  The first batch carries the extract's warnings and names."""
    files, folder = collect_files(paths)
    missing = [t for t in REQUIRED_FILES if t not in files]
    if missing:
        hint = ""
        if "ssd_person" in files and layout({"ssd_person": read_header(files["ssd_person"], "ssd_person").raw}) == AZEUS:
            hint = " (the D2I Azeus scripts write ssd_person only so far: child protection plans are needed)"
        raise FatalImportError(f"{folder}: SSD extract folder has no {', '.join(m + '.csv' for m in missing)}{hint}")
    extract = Extract(kind=KIND, files=sorted(files.values()))
    rows = partition.Partition(sum(f.stat().st_size for f in files.values()))
    try:
        kept = _first_pass(files, extract, rows)
    except BaseException:
        rows.close()
        raise
    return _extracts(extract, files, kept, rows.batches(batch_children))


def _extracts(first: Extract, files: dict[str, Path], kept: _FirstPass,
              batches: Iterator[partition.Batch]) -> Iterator[Extract]:
    names = _team_names(kept.departments)
    team_of = lambda team: names.get(team, team) if team else None  # noqa: E731
    numbers = {table: number for number, table in enumerate(files)}
    extract = first
    for batch in batches:
        data: dict[str, Rows] = {}
        for table, header in kept.headers.items():
            found = batch.get(numbers[table])
            rows = [(line, dict(zip(header, cells))) for line, cells in found.rows()] if found else []
            data[table] = _day_first(rows, kept.month_first[table]) if table in kept.month_first else rows
        _tables(files, data, team_of, extract)
        extract.source_fields = source_fields(kept.headers)
        yield extract
        extract = Extract(kind=KIND, files=first.files)


# The extract's columns each stored field is read from (stored table, then field -> its columns, the first non-blank
# one read): the one list the rows are built by (`_first`, `_tables`) and a reject's field is named by
# (`source_fields`: `cppl_cp_plan_start_date (start_date)`, as a census reject names its item and an Annex A reject
# its column heading), so the two cannot drift apart.  An event's date by the event's type.
_READ_FROM: dict[str, dict[str, tuple[str, ...]]] = {
    "children": {"child_id": ("pers_person_id",), "birth_date": ("pers_dob", "pers_expected_dob"),
                 "sex": ("pers_sex", "pers_gender"), "ethnicity": ("pers_ethnicity",)},
    "plans": {"child_id": ("cppl_person_id",), "start_date": ("cppl_cp_plan_start_date",),
              "end_date": ("cppl_cp_plan_end_date",), "initial_category": ("cppl_cp_plan_initial_category",),
              "latest_category": ("cppl_cp_plan_latest_category",)},
    "events": {**{f"event_date:{t[5]}": (t[3],) for t in _PLAN_EVENTS},
               "event_date:ASSESSMENT": ("cina_assessment_start_date", "cina_assessment_auth_date")},
    "needs": {"factor": ("cinf_assessment_factors_json",)},  # its date is its assessment's, in another file
}


def _first(r: dict[str, str | None], table: str, field: str) -> str | None:
    """The value a row gives a stored field: its first non-blank column of those `_READ_FROM` names."""
    for column in _READ_FROM[table][field]:
        if (value := r.get(column)):
            return value
    return None


def source_fields(headers: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """Extract.source_fields for an extract whose files have these `headers` (file -> its columns): each stored
    field named by the columns it is read from that the files have (`pers_sex/pers_gender` when both are)."""
    present = {col for header in headers.values() for col in header}
    out: dict[str, dict[str, str]] = {}
    for table, fields in _READ_FROM.items():
        for field, columns in fields.items():
            found = [c for c in columns if c in present]
            if found:
                out.setdefault(table, {})[field] = "/".join(found)
    return out


def _tables(files: dict[str, Path], data: dict[str, Rows], team_of, extract: Extract) -> None:  # type: ignore[no-untyped-def]
    """One batch's rows (`data`: file -> rows, dates day-first) as the canonical tables of `extract`."""
    out: dict[str, list[dict]] = {"children": [], "plans": [], "events": [], "needs": []}

    families = {r["fami_person_id"]: r["fami_family_id"] for _, r in data.get("ssd_family", [])
                if r.get("fami_person_id")}
    src = _src(files, "ssd_person")
    for line, r in data["ssd_person"]:
        cid = _first(r, "children", "child_id")
        out["children"].append({
            "child_id": cid, "family_id": families.get(cid),
            "birth_date": codes.iso_date(_first(r, "children", "birth_date")),
            "sex": codes.sex_code(_first(r, "children", "sex")),
            "ethnicity": codes.ethnicity_code(_first(r, "children", "ethnicity")),
            "disability": None, "_source": src, "_row": line,
        })

    involvements = [
        {"child": r.get("invo_person_id"), "referral": r.get("invo_referral_id"),
         "team": team_of(r.get("invo_professional_team")),
         "start": codes.iso_date(r.get("invo_involvement_start_date")),
         "end": codes.iso_date(r.get("invo_involvement_end_date"))}
        for _, r in data.get("ssd_involvements", []) if r.get("invo_professional_team")
    ]
    icpcs = data.get("ssd_initial_cp_conference", [])
    icpc_team = {r["icpc_cp_plan_id"]: team_of(r.get("icpc_icpc_team")) for _, r in icpcs if r.get("icpc_cp_plan_id")}

    # SSD plans have ids, but a plan is keyed by child + start date as in the CIN and Annex A
    # importers, so the same plan imported from two sources is one plan.
    plan_ids: dict[str | None, tuple[str | None, str]] = {}
    src = _src(files, "ssd_cp_plans")
    for line, r in data["ssd_cp_plans"]:
        cid = _first(r, "plans", "child_id")
        start = codes.iso_date(_first(r, "plans", "start_date"))
        pid = plan_key(cid, start or "")
        plan_ids[r.get("cppl_cp_plan_id")] = (cid, pid)
        initial, latest = codes.plan_categories(_first(r, "plans", "initial_category"),
                                                _first(r, "plans", "latest_category"), src, line, extract.warnings)
        out["plans"].append({
            "plan_id": pid, "child_id": cid, "start_date": start,
            "end_date": codes.iso_date(_first(r, "plans", "end_date")),
            "initial_category": initial, "latest_category": latest,
            "team": _plan_team(cid, r.get("cppl_referral_id"), start, involvements)
            or icpc_team.get(r.get("cppl_cp_plan_id")),
            "end_reason": None, "previous_plans": None, "_source": src, "_row": line,
        })

    for columns in _PLAN_EVENTS:
        table = columns[0]
        for line, r in data.get(table, []):
            event = _plan_event(r, line, _src(files, table), plan_ids, columns)
            if isinstance(event, Issue):
                extract.rejects.append(event)
            else:
                out["events"].append(event)

    _read_assessments(files, data, out, extract)

    for table, rows in out.items():
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
        extract.tables[table] = conform(table, frame).astype(object)
    extract.required = {"plans": ("plan_id", "child_id", "start_date", "initial_category")}
    # Two visits of one child on one day are one event (ids are child|type|date, as in the
    # other importers); a plan listed twice is one plan.
    extract.merge_duplicates = {"plans", "events"}


def _read_assessments(files: dict[str, Path], data: dict[str, Rows], out: dict[str, list[dict]],
                      extract: Extract) -> None:
    """ASSESSMENT events from ssd_cin_assessments and needs from ssd_assessment_factors.

    A factor is identified when its assessment was authorised (the factors are those
    "understood at the end of the assessment"), else when it started.  A factors row whose assessment
    is not in the extract is one reject saying so (not one per factor blaming a blank child)."""
    assessments: dict[str, tuple[str | None, str | None]] = {}
    for line, r in data.get("ssd_cin_assessments", []):
        aid, cid = r.get("cina_assessment_id"), r.get("cina_person_id")
        # the event is dated by its start, else its authorisation; its factors by their authorisation, else its start
        started, authorised = (codes.iso_date(r.get(c)) for c in _READ_FROM["events"]["event_date:ASSESSMENT"])
        assessments[aid] = (cid, authorised or started)
        out["events"].append({
            "event_id": f"{cid}|ASSESSMENT|{started or authorised or ''}", "child_id": cid, "event_date": started or authorised,
            "event_type": "ASSESSMENT", "agency": "CSC", "plan_id": None, "detail": None, "due_date": None,
            "_source": _src(files, "ssd_cin_assessments"), "_row": line,
        })
    if "ssd_assessment_factors" not in data:
        return
    src = _src(files, "ssd_assessment_factors")
    read_assessments = "ssd_cin_assessments" in data
    for line, r in data["ssd_assessment_factors"]:
        aid = r.get("cinf_assessment_id")
        if aid not in assessments:
            reason = ("unknown assessment: cinf_assessment_id names no assessment in ssd_cin_assessments"
                      if read_assessments else "unknown assessment: the extract has no usable ssd_cin_assessments")
            extract.rejects.append(Issue("needs", src, line, "cinf_assessment_id", reason))
            continue
        cid, day = assessments[aid]
        if cid is None:
            extract.rejects.append(Issue("needs", src, line, "cinf_assessment_id",
                                         "the assessment names no child (its cina_person_id is blank)"))
            continue
        for code in _factors(_first(r, "needs", "factor")):
            out["needs"].append({
                "need_id": f"{cid}|need|{code}|{day or ''}", "child_id": cid, "plan_id": None, "identified_date": day,
                "factor": code, "resolved_date": None, "_source": src, "_row": line,
            })
