"""Reading an Annex A workbook at an authority's scale: openpyxl's full mode against read-only mode.

`python -m paqa_dash.benchmark.annex_a --children 20000` writes a seeded workbook holding every list of
a child (Lists 1-10, the List 7 of every child) to a temporary folder, then reads it with the Annex A
reader twice, each in a fresh child process so the peak memory of one does not hide the other's:

- **full**: `openpyxl.load_workbook(read_only=False)`, as the reader did before it streamed sheets (every
  cell held as an object);
- **read-only**: the reader as it is, `read_only=True` after `ws.reset_dimensions()`.

It prints, for each, CPU seconds (user + system of the child) and peak resident memory (ru_maxrss).  Why
in the benchmark and not a test: timings depend on the machine (docs/benchmark_history.md, "Annex A reading").
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

LISTS: dict[str, list[str]] = {
    "List 1": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Contact", "Contact Source"],
    "List 2": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Assessment start date",
               "Assessment completion date", "Organisation completing assessment"],
    "List 3": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Referral", "Referral Source",
               "Referral NFA?", "Number of Referrals in Last 12 Months", "Allocated Team", "Allocated Worker"],
    "List 4": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
               "Continuous Assessment Start Date", "Child Seen During Continuous Assessment",
               "Continuous Assessment Date of Authorisation", "Allocated Team", "Allocated Worker"],
    "List 5": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
               "Strategy discussion initiating Section 47 Enquiry Start Date",
               "Was an Initial Child Protection Conference deemed unnecessary?",
               "Date of Initial Child Protection Conference", "Allocated Team", "Allocated Worker"],
    "List 6": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
               "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen", "CIN Closure Date",
               "Reason for Closure", "Allocated Team", "Allocated Worker"],
    "List 7": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
               "Child Protection Plan Start Date", "Initial Category of Abuse", "Latest Category of Abuse",
               "Date of the Last Statutory Visit", "Was the Child Seen Alone?", "Date of latest review conference",
               "Child Protection Plan End Date", "Number of Previous Child Protection Plans", "Allocated Team",
               "Allocated Worker"],
    "List 8": ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
               "Date Started to be Looked After", "Child's Category of Need", "Child's Legal Status",
               "Date of Last Social Work Visit", "Date Ceased to be Looked After", "Reason Ceased to be Looked After",
               "Allocated Team", "Allocated Worker"],
    "List 10": ["Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                "Does the Child have a Disability", "Date the Child Entered Care",
                "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order"],
}
# The share of children on each list (List 7: all of them).
SHARE = {"List 1": 1.0, "List 2": 0.3, "List 3": 1.0, "List 4": 0.8, "List 5": 0.8, "List 6": 0.5, "List 7": 1.0,
         "List 8": 0.15, "List 10": 0.03}


# List 7's categories of abuse, as an authority writes them
CATEGORIES = {"Initial Category of Abuse": "Neglect", "Latest Category of Abuse": "Neglect"}


def row_value(header: str, k: int, day: date, known: dict[str, object]) -> object:
    """One cell of a child's row, by its column's header (`known`: the child's identity and categories): a date
    column's a real date, a week later column by column (so a plan ends after it starts), anything else blank.
    Why by header, not by place: List 10 puts its Family identifier before Gender, and a row laid out by place
    put each value under the wrong header there; and List 7's categories, set by place, overwrote the plan's
    start date, so an import rejected every plan ("start_date is not a valid date")."""
    if header in known:
        return known[header]
    return day + timedelta(days=7 * k) if "date" in header.lower() else None


def write_workbook(path: Path, children: int, seed: int = 7, streamed: bool = False) -> Path:
    """A seeded workbook, a title row above each header.  As Excel saves it (each sheet's size recorded at its
    top), unless `streamed`: openpyxl's write-only mode records no size, and opening such a sheet read-only
    costs one more pass over it (openpyxl looks for the size until the sheet's end)."""
    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=streamed)
    if not streamed:
        wb.remove(wb.active)
    start = date(2021, 4, 1)
    for title, headers in LISTS.items():
        ws = wb.create_sheet(title)
        ws.append([f"Annex A {title}"])
        ws.append(headers)
        for i in range(children):
            if rng.random() >= SHARE[title]:
                continue
            day = start + timedelta(days=rng.randrange(360))
            known = {"Child Unique ID": f"C{i:06d}", "Family identifier": f"F{i:06d}",
                     "Gender": rng.choice(["a) Male", "b) Female"]), "Ethnicity": "a) WBRI",
                     "Date of Birth": date(2010 + rng.randrange(10), 1 + rng.randrange(12), 1), "Age": 7,
                     "Age of Child (Years)": 7, **CATEGORIES}
            ws.append([row_value(h, k, day, known) for k, h in enumerate(headers)])
    wb.save(path)
    return path


def _read_once(path: Path, mode: str) -> dict[str, float]:
    """Read the workbook with the Annex A reader in `mode` ("full" or "read-only"); CPU and peak memory."""
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    from paqa_dash.ingest import annex_a

    if mode == "full":  # the reader before it streamed: every cell of every sheet held in memory
        load = openpyxl.load_workbook
        openpyxl.load_workbook = lambda p, read_only=True, data_only=True: load(p, read_only=False, data_only=True)
        Worksheet.reset_dimensions = lambda self: None  # a full worksheet knows its size
    t = time.process_time()
    extract = annex_a.read([path])
    cpu = time.process_time() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cpu_s": round(cpu, 2), "peak_mb": round(peak_mb), "events": len(extract.tables["events"]),
            "plans": len(extract.tables["plans"])}


def measure(children: int, streamed: bool = False) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "annex_a.xlsx", children, streamed=streamed)
        out = {"workbook_mb": {"size": round(path.stat().st_size / 1e6, 1)}}
        for mode in ("full", "read-only"):
            run = subprocess.run([sys.executable, "-m", "paqa_dash.benchmark.annex_a", "--read", str(path),
                                  "--mode", mode], capture_output=True, text=True, check=True)
            out[mode] = json.loads(run.stdout)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Annex A reading: openpyxl full mode against read-only mode "
                                                 "on a generated workbook (CPU seconds, peak memory).")
    parser.add_argument("--children", type=int, default=20_000, help="children in the workbook (default 20,000)")
    parser.add_argument("--streamed", action="store_true",
                        help="write the workbook without its sheets' sizes (as openpyxl's write-only mode does)")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("full", "read-only"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps(_read_once(args.read, args.mode)))
        return
    print(json.dumps(measure(args.children, args.streamed), indent=1))


if __name__ == "__main__":
    main()
