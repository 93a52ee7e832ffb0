"""Standard Safeguarding Dataset (SSD) CSV extracts (docs/data_contract.md) -> the canonical Extract.

A folder (or a list of files) of `ssd_*.csv` extracts of the community-standard tables:
ssd_person -> children; ssd_family -> children.family_id; ssd_cp_plans -> plans;
ssd_cp_reviews -> REVIEW_CONFERENCE, ssd_cp_visits -> VISIT, ssd_initial_cp_conference -> ICPC
events; ssd_cin_assessments + ssd_assessment_factors -> ASSESSMENT events and needs (one per
factor, identified when the assessment was authorised, else started).  Plans are keyed by
child + start date (`frames.plan_key`) and events by child|type|date, as the CIN and Annex A
importers key them, so one real plan imported from several sources is one plan.

A plan's team is the professional team whose ssd_involvements row for the child spans the plan
start (the latest-starting such involvement); failing that, the team of the plan's ICPC.

Names, NHS numbers, UPNs, addresses and postcodes are dropped: only the columns named here
are read, and the values of any name column are collected in `Extract.names` so the loader
scrubs them from free text.  Files may carry a BOM, CRLF line ends and extra columns.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

from . import codes, dates
from .frames import Extract, FatalImportError, Issue, conform, plan_key

KIND = "ssd"
REQUIRED_FILES = ("ssd_person", "ssd_cp_plans")

# The columns each file cannot be read without.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "ssd_person": ("pers_person_id",),
    "ssd_family": ("fami_family_id", "fami_person_id"),
    "ssd_cp_plans": ("cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date"),
    "ssd_cp_reviews": ("cppr_cp_review_id", "cppr_cp_plan_id", "cppr_cp_review_date"),
    "ssd_cp_visits": ("cppv_cp_visit_id", "cppv_cp_plan_id", "cppv_cp_visit_date"),
    "ssd_initial_cp_conference": ("icpc_icpc_id", "icpc_icpc_date"),
    "ssd_involvements": ("invo_person_id", "invo_professional_team", "invo_involvement_start_date"),
    "ssd_cin_assessments": ("cina_assessment_id", "cina_person_id"),
    "ssd_assessment_factors": ("cinf_assessment_id", "cinf_assessment_factors_json"),
    "ssd_professionals": (),  # read only for the worker names to scrub
}
KNOWN_FILES = tuple(REQUIRED_COLUMNS)

# Columns whose values are person names: collected for scrubbing, never stored.
_NAME_COLUMN = re.compile(r"(^|_)(first_?name|last_?name|surname|forename|given_?name|family_?name|"
                          r"full_?name|name|worker_?name|preferred_?name)$")


def is_name_column(column: str) -> bool:
    return bool(_NAME_COLUMN.search(column.lower()))


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


def read_csv(path: Path, table: str) -> tuple[list[str], list[tuple[int, dict[str, str | None]]]]:
    """Header (lower-cased) and (line number, column -> cell) rows of one extract.

    Fatal when the file is empty, binary, not text, or lacks a required column."""
    raw = path.read_bytes()
    if not raw.strip():
        raise FatalImportError(f"{path.name}: empty file")
    if b"\x00" in raw:   # anywhere: a NUL after the first block would otherwise reach the store
        raise FatalImportError(f"{path.name}: binary file, not a CSV extract")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # older extracts saved from Excel
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise FatalImportError(f"{path.name}: not a readable CSV file ({exc})") from None
    for col in REQUIRED_COLUMNS[table]:
        if col not in header:
            raise FatalImportError(f"{path.name}: required column '{col}' is missing")
    rows: list[tuple[int, dict[str, str | None]]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            rows.append((line, {h: codes.cell_text(v) for h, v in zip(header, values)}))
    except csv.Error as exc:
        raise FatalImportError(f"{path.name}: line {reader.line_num}: unreadable CSV ({exc})") from None
    return header, rows


# --- tables -------------------------------------------------------------------------------

def _src(files: dict[str, Path], table: str) -> str:
    return files[table].name


def _collect_names(header: list[str], rows, names: set[str]) -> None:
    cols = [h for h in header if is_name_column(h)]
    for _, r in rows:
        for c in cols:
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


def _plan_team(child: str | None, start: str | None, involvements: list[dict]) -> str | None:
    """The professional team whose involvement with the child spans the plan start."""
    best = None
    for inv in involvements:
        if inv["child"] != child or not start or not inv["start"] or inv["start"] > start:
            continue
        if inv["end"] and inv["end"] < start:
            continue
        if best is None or inv["start"] > best["start"]:
            best = inv
    return best["team"] if best else None


_PLAN_EVENTS = (  # table, person column, plan column, date column, event type
    ("ssd_initial_cp_conference", "icpc_person_id", "icpc_cp_plan_id", "icpc_icpc_date", "ICPC"),
    ("ssd_cp_reviews", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date", "REVIEW_CONFERENCE"),
    ("ssd_cp_visits", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date", "VISIT"),
)


def _plan_event(r: dict, line: int, src: str, plan_ids: dict, person_col: str, plan_col: str,
                date_col: str, event_type: str) -> dict:
    """An event of a plan.  An unknown SSD plan id is kept as given (the validator rejects it
    as a reference to an unknown plan); the child comes from the row, else from the plan."""
    source_plan = r.get(plan_col)
    plan_child, pid = plan_ids.get(source_plan, (None, source_plan))
    cid = r.get(person_col) or plan_child
    day = codes.iso_date(r.get(date_col))
    return {"event_id": f"{cid}|{event_type}|{day or ''}", "child_id": cid, "event_date": day,
            "event_type": event_type, "agency": "CSC", "plan_id": pid, "detail": None,
            "_source": src, "_row": line}


def _day_first(header: list[str], rows: list[tuple[int, dict[str, str | None]]], table: str, source: str,
               extract: Extract) -> list[tuple[int, dict[str, str | None]]]:
    """The rows with their dates day-first: a file whose slashed dates only make sense month-first (an export
    from a system set to US English) is read month-first with a warning; one written both ways is refused
    (ingest/dates.py, as for bundles and Annex A).  Date columns are the SSD's `*_date` and `*_dob`."""
    columns = [h for h in header if h.endswith(("_date", "_dob"))]
    if dates.order_of((r.get(c) for _, r in rows for c in columns), source) != dates.MONTH_FIRST:
        return rows
    extract.warnings.append(Issue(table, source, None, None, dates.WARNING))
    return [(n, {k: dates.as_day_first(v) if k in columns else v for k, v in r.items()}) for n, r in rows]


def read(paths: list[Path]) -> Extract:
    """Read a folder of SSD CSV extracts into one Extract (see the module docstring)."""
    files, folder = collect_files(paths)
    missing = [t for t in REQUIRED_FILES if t not in files]
    if missing:
        raise FatalImportError(f"{folder}: SSD extract folder has no {', '.join(m + '.csv' for m in missing)}")
    extract = Extract(kind=KIND, files=sorted(files.values()))
    data: dict[str, list] = {}
    for table, path in files.items():
        header, rows = read_csv(path, table)
        _collect_names(header, rows, extract.names)
        data[table] = _day_first(header, rows, table, path.name, extract)

    out: dict[str, list[dict]] = {"children": [], "plans": [], "events": [], "needs": []}

    families = {r["fami_person_id"]: r["fami_family_id"] for _, r in data.get("ssd_family", [])
                if r.get("fami_person_id")}
    src = _src(files, "ssd_person")
    for line, r in data["ssd_person"]:
        cid = r.get("pers_person_id")
        sex = r.get("pers_sex") or r.get("pers_gender")
        out["children"].append({
            "child_id": cid, "family_id": families.get(cid),
            "birth_date": codes.iso_date(r.get("pers_dob") or r.get("pers_expected_dob")),
            "sex": codes.sex_code(sex), "ethnicity": codes.ethnicity_code(r.get("pers_ethnicity")),
            "disability": None, "_source": src, "_row": line,
        })

    involvements = [
        {"child": r.get("invo_person_id"), "team": r.get("invo_professional_team"),
         "start": codes.iso_date(r.get("invo_involvement_start_date")),
         "end": codes.iso_date(r.get("invo_involvement_end_date"))}
        for _, r in data.get("ssd_involvements", []) if r.get("invo_professional_team")
    ]
    icpcs = data.get("ssd_initial_cp_conference", [])
    icpc_team = {r["icpc_cp_plan_id"]: r.get("icpc_icpc_team") for _, r in icpcs if r.get("icpc_cp_plan_id")}

    # SSD plans have ids, but a plan is keyed by child + start date as in the CIN and Annex A
    # importers, so the same plan imported from two sources is one plan.
    plan_ids: dict[str | None, tuple[str | None, str]] = {}
    src = _src(files, "ssd_cp_plans")
    for line, r in data["ssd_cp_plans"]:
        cid = r.get("cppl_person_id")
        start = codes.iso_date(r.get("cppl_cp_plan_start_date"))
        pid = plan_key(cid, start or "")
        plan_ids[r.get("cppl_cp_plan_id")] = (cid, pid)
        out["plans"].append({
            "plan_id": pid, "child_id": cid, "start_date": start,
            "end_date": codes.iso_date(r.get("cppl_cp_plan_end_date")),
            "initial_category": codes.category_code(r.get("cppl_cp_plan_initial_category")),
            "latest_category": codes.category_code(r.get("cppl_cp_plan_latest_category")),
            "team": _plan_team(cid, start, involvements) or icpc_team.get(r.get("cppl_cp_plan_id")),
            "end_reason": None, "previous_plans": None, "_source": src, "_row": line,
        })

    for table, person_col, plan_col, date_col, event_type in _PLAN_EVENTS:
        for line, r in data.get(table, []):
            out["events"].append(_plan_event(r, line, _src(files, table), plan_ids,
                                             person_col, plan_col, date_col, event_type))

    _read_assessments(files, data, out)

    for table, rows in out.items():
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
        extract.tables[table] = conform(table, frame).astype(object)
    extract.required = {"plans": ("plan_id", "child_id", "start_date", "initial_category")}
    # Two visits of one child on one day are one event (ids are child|type|date, as in the
    # other importers); a plan listed twice is one plan.
    extract.merge_duplicates = {"plans", "events"}
    return extract


def _read_assessments(files: dict[str, Path], data: dict[str, list], out: dict[str, list[dict]]) -> None:
    """ASSESSMENT events from ssd_cin_assessments and needs from ssd_assessment_factors.

    A factor is identified when its assessment was authorised (the factors are those
    "understood at the end of the assessment"), else when it started."""
    assessments: dict[str, tuple[str | None, str | None]] = {}
    for line, r in data.get("ssd_cin_assessments", []):
        aid, cid = r.get("cina_assessment_id"), r.get("cina_person_id")
        started = codes.iso_date(r.get("cina_assessment_start_date"))
        authorised = codes.iso_date(r.get("cina_assessment_auth_date"))
        assessments[aid] = (cid, authorised or started)
        out["events"].append({
            "event_id": f"{cid}|ASSESSMENT|{started or authorised or ''}", "child_id": cid, "event_date": started or authorised,
            "event_type": "ASSESSMENT", "agency": "CSC", "plan_id": None, "detail": None,
            "_source": _src(files, "ssd_cin_assessments"), "_row": line,
        })
    for line, r in data.get("ssd_assessment_factors", []):
        aid = r.get("cinf_assessment_id")
        cid, day = assessments.get(aid, (None, None))
        for code in _factors(r.get("cinf_assessment_factors_json")):
            out["needs"].append({
                "need_id": f"{cid}|need|{code}|{day or ''}", "child_id": cid, "plan_id": None, "identified_date": day,
                "factor": code, "resolved_date": None,
                "_source": _src(files, "ssd_assessment_factors"), "_row": line,
            })
