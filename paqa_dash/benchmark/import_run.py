"""Time the real import: CIN census files of many authorities through `run_import`, in a child process.

Why source files: the store-building benchmark (`build.py`) feeds the generator's frames straight to the
loader, and above 200,000 plans copies a store in SQL; neither times what an authority or a region does,
which is to import census XML files.  Here the seeded generator (`paqa_dash.synth`) draws each authority's
children apart (its own seed), and each authority-year is written as the CIN census file DfE collects: its
header carries the authority's LA number (data/benchmarks/statistical_neighbours_2021.csv) and the year's
reference date, and it holds every child with a child protection plan open during that year (1 April to 31
March), with that plan's referral, section 47, initial conference, assessment factors and reviews held by
the reference date.  A plan open across two years is in both files, as in real returns, so the import's
cross-year merging and newest-return rule are timed too.

Then, in a child process (its own peak memory): the import of every file but one authority's latest year,
and the incremental import of that one file into the built store.  Each reports wall seconds, CPU seconds
(user + system, the census reader's second process included) and peak RSS (the writer's, and the reader's).  LAchildID is prefixed with the LA number so two authorities' children never
share an id, whatever the pseudonyms are keyed on.

    python -m paqa_dash.benchmark.import_run --plans 100000 [--json] [--dir .bench]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent.parent
NEIGHBOURS = ROOT / "data" / "benchmarks" / "statistical_neighbours_2021.csv"
DEFAULT_DIR = Path(".bench")
END = date(2026, 3, 31)
YEARS = 10
PLANS_PER_AUTHORITY = 6_600   # England: about 62,000 plans a year over 152 authorities, ten years
DISABILITY = {"Y": "MOB", "N": "NONE"}


def authorities(count: int) -> list[str]:
    """The first `count` LA numbers of the statistical neighbours table (in its order)."""
    with open(NEIGHBOURS, newline="", encoding="utf-8") as fh:
        numbers = [row["la_number"] for row in csv.DictReader(fh)]
    if count > len(numbers):
        raise ValueError(f"at most {len(numbers)} authorities")
    return numbers[:count]


def authorities_for(plans: int) -> int:
    return max(2, min(152, round(plans / PLANS_PER_AUTHORITY)))


def write_sources(folder: Path, plans: int, seed: int = 42) -> list[Path]:
    """One census file per authority-year for about `plans` plans; returns them (reused when written before)."""
    stamp = folder / "sources.json"
    if stamp.exists() and json.loads(stamp.read_text()).get("plans") == plans:
        return [folder / name for name in json.loads(stamp.read_text())["files"]]
    from ..synth.generate import children_for_plans, generate

    folder.mkdir(parents=True, exist_ok=True)
    las = authorities(authorities_for(plans))
    per = children_for_plans(plans) // len(las)
    files: list[Path] = []
    for number, la in enumerate(las):
        extract = generate(children=per, seed=seed * 1000 + number, end_date=END, years=YEARS)
        files.extend(_write_authority(folder, la, extract.tables))
        print(f"  sources: authority {la} ({number + 1} of {len(las)})", file=sys.stderr, flush=True)
    stamp.write_text(json.dumps({"plans": plans, "files": [f.name for f in files]}))
    return files


def _first_dates(events: pd.DataFrame, kind: str) -> pd.Series:
    of_kind = events[events["event_type"].astype(str) == kind]
    return of_kind["event_date"].astype(str).groupby(of_kind["plan_id"].astype(str)).min()


def _write_authority(folder: Path, la: str, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """The authority's census files, one per year ending 31 March."""
    plans = tables["plans"].astype(object).where(tables["plans"].notna(), None)
    events = tables["events"]
    events = events[events["plan_id"].notna()]
    dated = {k: _first_dates(events, k) for k in ("REFERRAL", "S47_START", "ICPC", "ASSESSMENT")}
    reviews = events[events["event_type"].astype(str) == "REVIEW_CONFERENCE"]
    review_dates = reviews["event_date"].astype(str).groupby(reviews["plan_id"].astype(str)).agg(sorted)
    needs = tables["needs"][tables["needs"]["plan_id"].notna()]
    factors = needs["factor"].astype(str).groupby(needs["plan_id"].astype(str)).agg(list)
    children = tables["children"].astype(object).set_index("child_id")
    out = []
    for year in range(END.year - YEARS + 1, END.year + 1):
        ref, first = f"{year}-03-31", f"{year - 1}-04-01"
        open_ = plans[(plans["start_date"] <= ref) & (plans["end_date"].isna() | (plans["end_date"] >= first))]
        blocks: dict[str, list[str]] = {}
        for p in open_.itertuples(index=False):
            blocks.setdefault(p.child_id, []).append(_cin_details(p, ref, dated, review_dates, factors))
        path = folder / f"cin_{la}_{year}.xml"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
                     f"<Collection>CIN</Collection><Year>{year}</Year><ReferenceDate>{ref}</ReferenceDate>"
                     f"</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>{la}</LEA></Source></Header>\n"
                     "<Children>\n")
            for child_id, details in blocks.items():
                fh.write(_child(la, child_id, children.loc[child_id], details))
            fh.write("</Children>\n</Message>\n")
        out.append(path)
    return out


def _child(la: str, child_id: str, c: pd.Series, details: list[str]) -> str:
    birth = f"{c['birth_month']}-01" if c["birth_month"] else ""
    return ("<Child><ChildIdentifiers>"
            f"<LAchildID>{la}{escape(str(child_id))}</LAchildID><UPNunknown>UN1</UPNunknown>"
            f"<PersonBirthDate>{birth}</PersonBirthDate><Sex>{c['sex'] or 'U'}</Sex></ChildIdentifiers>"
            f"<ChildCharacteristics><Ethnicity>{c['ethnicity'] or 'NOBT'}</Ethnicity><Disabilities>"
            f"<Disability>{DISABILITY.get(c['disability'], 'NONE')}</Disability></Disabilities>"
            "</ChildCharacteristics>" + "".join(details) + "</Child>\n")


def _cin_details(p: Any, ref: str, dated: dict[str, pd.Series], reviews: pd.Series, factors: pd.Series) -> str:
    """One CINdetails block for one plan as the census year saw it (what happened by `ref`)."""
    plan = str(p.plan_id)
    start = str(p.start_date)
    referral = dated["REFERRAL"].get(plan, start)
    parts = [f"<CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>1A</ReferralSource>"
             "<PrimaryNeedCode>N1</PrimaryNeedCode>"]
    assessment = dated["ASSESSMENT"].get(plan)
    if assessment and assessment <= ref:
        parts.append(f"<Assessments><AssessmentActualStartDate>{assessment}</AssessmentActualStartDate>"
                     f"<AssessmentAuthorisationDate>{assessment}</AssessmentAuthorisationDate>"
                     "<FactorsIdentifiedAtAssessment>"
                     + "".join(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in factors.get(plan, []))
                     + "</FactorsIdentifiedAtAssessment></Assessments>")
    s47 = dated["S47_START"].get(plan)
    if s47 and s47 <= ref:
        parts.append(f"<Section47><S47ActualStartDate>{s47}</S47ActualStartDate>"
                     f"<DateOfInitialCPC>{dated['ICPC'].get(plan, start)}</DateOfInitialCPC>"
                     "<ICPCnotRequired>false</ICPCnotRequired></Section47>")
    parts.append("<ReferralNFA>false</ReferralNFA>")
    end = str(p.end_date) if p.end_date is not None and str(p.end_date) <= ref else None
    parts.append(f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>"
                 + (f"<CPPendDate>{end}</CPPendDate>" if end else "")
                 + f"<InitialCategoryOfAbuse>{p.initial_category}</InitialCategoryOfAbuse>"
                 f"<LatestCategoryOfAbuse>{p.latest_category or p.initial_category}</LatestCategoryOfAbuse>"
                 f"<NumberOfPreviousCPP>{p.previous_plans or 0}</NumberOfPreviousCPP>")
    held = [d for d in reviews.get(plan, []) if d <= ref]
    if held:
        parts.append("<Reviews>" + "".join(f"<CPPreviewDate>{d}</CPPreviewDate>" for d in held) + "</Reviews>")
    parts.append("</ChildProtectionPlans></CINdetails>")
    return "".join(parts)


def import_in_child(files: list[Path], db: Path, profile: Path | None = None) -> dict[str, Any]:
    """`run_import` of `files` into `db` in a child process; its wall, CPU and peak RSS, and the counts."""
    listing = db.with_name(db.name + ".files")
    listing.write_text("\n".join(str(f) for f in files))
    cmd = [sys.executable]
    if profile is not None:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "paqa_dash.benchmark.import_run", "--child", "--db", str(db), "--files", str(listing)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.setdefault("PAQA_PSEUDO_KEY", "paqa-bench-synthetic-import")
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"the import failed (exit {done.returncode})")
    record = json.loads(done.stdout.strip().splitlines()[-1])
    record["wall_seconds_with_start"] = round(time.perf_counter() - start, 2)
    return record


def _child_import(db: Path, listing: Path) -> dict[str, Any]:
    """In the child: the import itself, timed, with the machine's load."""
    from ..pipeline import run_import

    files = [Path(line) for line in listing.read_text().splitlines() if line]
    start, cpu0 = time.perf_counter(), time.process_time()

    def progress(fraction: float, message: str) -> None:  # to stderr: how far a long run has come, and its RSS
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{time.perf_counter() - start:8.1f}s {fraction:4.0%} peak {rss:,.0f} MB {message}", file=sys.stderr,
              flush=True)

    summary = run_import(files, db, progress=progress)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # A large census is parsed in a second process (ingest/read_ahead.py), joined by now: its CPU counts too.
    reader = resource.getrusage(resource.RUSAGE_CHILDREN)
    writer_cpu, reader_cpu = time.process_time() - cpu0, reader.ru_utime + reader.ru_stime
    return {"files": len(files), "seconds": round(time.perf_counter() - start, 2),
            "cpu_seconds": round(writer_cpu + reader_cpu, 2), "writer_cpu_seconds": round(writer_cpu, 2),
            "reader_cpu_seconds": round(reader_cpu, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "reader_peak_rss_mb": round(reader.ru_maxrss / 1024, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "counts": summary.tables, "rejects": len(summary.rejects), "warnings": len(summary.warnings)}


def run(plans: int, folder: Path, seed: int = 42) -> dict[str, Any]:
    """Sources for `plans` plans, then the full import and the incremental one; one record."""
    sources = folder / f"import_{plans}"
    t = time.perf_counter()
    files = write_sources(sources, plans, seed)
    written = round(time.perf_counter() - t, 1)
    later = max((f for f in files if f.name.startswith(f"cin_{files[0].name.split('_')[1]}_")), key=lambda f: f.name)
    db = folder / f"import_{plans}.duckdb"
    for old in (db, db.with_name(db.name + ".wal"), db.with_name(db.name + ".key")):
        old.unlink(missing_ok=True)
    full = import_in_child([f for f in files if f != later], db)
    incremental = import_in_child([later], db)
    con_rows = _plans_stored(db)
    return {"plans_asked": plans, "plans_stored": con_rows, "authorities": authorities_for(plans),
            "files": len(files), "source_mb": round(sum(f.stat().st_size for f in files) / 2**20, 1),
            "sources_seconds": written, "import": full, "incremental": {**incremental, "file": later.name}}


def _plans_stored(db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM plans").fetchone()[0])
    finally:
        con.close()


def describe(record: dict[str, Any]) -> str:
    full, inc = record["import"], record["incremental"]
    return (f"{record['plans_stored']:,} plans from {record['files'] - 1} files ({record['authorities']} authorities, "
            f"{record['source_mb']:,} MB): import {full['seconds']:,} s wall, {full['cpu_seconds']:,} s CPU "
            f"({full['reader_cpu_seconds']:,} s of it reading in a second process), peak {full['peak_rss_mb']:,} MB "
            f"(reader {full['reader_peak_rss_mb']:,} MB); one authority-year ({inc['file']}) {inc['seconds']} s wall, "
            f"{inc['cpu_seconds']} s CPU, peak {inc['peak_rss_mb']:,} MB; load {full['load_average']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="time the real import of CIN census files (docs/benchmark.md)")
    p.add_argument("--plans", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    p.add_argument("--json", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(_child_import(a.db, a.files)))
        return 0
    record = run(a.plans, a.dir, a.seed)
    print(json.dumps(record) if a.json else describe(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
