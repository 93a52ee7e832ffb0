"""Table-shaped sources for the batched-import tests: a native bundle and an SSD extract whose rows of one
child are spread over each file (shuffled, seeded), with a few rows that must be rejected."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from paqa_dash.synth.generate import generate


def _write(path: Path, header: list[str], rows: list[list[str]], seed: int) -> Path:
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_bundle(folder: Path, children: int, seed: int) -> Path:
    """A synthetic bundle (every table), each file's rows shuffled; one action's text runs over two lines
    (so a row's number in its file is not its place in the table)."""
    folder.mkdir(parents=True, exist_ok=True)
    extract = generate(children=children, seed=seed)
    for number, (table, frame) in enumerate(extract.tables.items()):
        cols = [c for c in frame.columns if not c.startswith("_")]
        rows = frame[cols].astype(object).where(frame[cols].notna(), "").astype(str).values.tolist()
        if table == "actions" and rows:
            rows[0][cols.index("action_text")] += "\nsecond line of the same action"
        _write(folder / f"{table}.csv", cols, rows, seed + number)
    return folder


def rows_of(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file, as an editor numbers lines: a row over several lines by its first."""
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        out, start = [], reader.line_num + 1
        for values in reader:
            out.append((start, dict(zip(header, values))))
            start = reader.line_num + 1
        return out


def set_value(path: Path, line: int, column: str, value: str) -> None:
    """Rewrite one cell of the row that starts on `line` (as rows_of numbers it)."""
    found = rows_of(path)
    header = list(found[0][1])
    rows = [[value if (n, c) == (line, column) else row[c] for c in header] for n, row in found]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


SSD_HEADERS = {
    "ssd_person": ["pers_person_id", "pers_forename", "pers_surname", "pers_sex", "pers_ethnicity", "pers_dob"],
    "ssd_family": ["fami_table_id", "fami_family_id", "fami_person_id"],
    "ssd_cp_plans": ["cppl_cp_plan_id", "cppl_referral_id", "cppl_person_id", "cppl_cp_plan_start_date",
                     "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category", "cppl_cp_plan_latest_category"],
    "ssd_cp_reviews": ["cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_due",
                       "cppr_cp_review_date"],
    "ssd_cp_visits": ["cppv_cp_visit_id", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date"],
    "ssd_initial_cp_conference": ["icpc_icpc_id", "icpc_person_id", "icpc_cp_plan_id", "icpc_icpc_target_date",
                                  "icpc_icpc_date", "icpc_icpc_team"],
    "ssd_involvements": ["invo_involvements_id", "invo_professional_team", "invo_involvement_start_date",
                         "invo_involvement_end_date", "invo_person_id", "invo_referral_id"],
    "ssd_cin_assessments": ["cina_assessment_id", "cina_person_id", "cina_assessment_start_date",
                            "cina_assessment_auth_date"],
    "ssd_assessment_factors": ["cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"],
    "ssd_department": ["dept_team_id", "dept_team_name"],
}
_CATEGORIES = ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse"]
_FIRST = ["Jade", "Liam", "Amara", "Tariq", "Ellie", "Noah"]


def write_ssd(folder: Path, people: int, seed: int) -> Path:
    """An SSD extract of `people` children: plans (some repeat), ICPCs, reviews and visits (some naming
    only the plan), involvements (some naming only the referral), assessments and factors, teams given as
    department ids; every file shuffled."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out: dict[str, list[list[str]]] = {name: [] for name in SSD_HEADERS}
    out["ssd_department"] = [["10", "North"], ["20", "South"], ["30", "East"]]
    for i in range(1, people + 1):
        pid, year = f"P{i:03d}", 2018 + rng.randrange(5)
        out["ssd_person"].append([pid, rng.choice(_FIRST), f"Surname{i}", rng.choice("MF"), "WBRI",
                                  f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 13):02d}/{year - 8}"])
        out["ssd_family"].append([str(i), f"F{(i + 1) // 2:03d}", pid])
        assessment = f"A{i}"
        out["ssd_cin_assessments"].append([assessment, pid, f"{year}-01-05", f"{year}-01-25" if i % 3 else ""])
        out["ssd_assessment_factors"].append([str(i), assessment, '["1B","3A"]' if i % 2 else '{"2B": "Yes"}'])
        for n in range(1 + (i % 3 == 0)):
            plan, referral = f"CP{i}_{n}", f"RF{i}_{n}"
            start = f"{year + 2 * n}-02-{rng.randrange(1, 28):02d}"
            end = f"{year + 2 * n + 1}-01-10" if n == 0 or i % 2 else ""
            category = rng.choice(_CATEGORIES)
            out["ssd_cp_plans"].append([plan, referral, pid, start, end, category, category])
            out["ssd_initial_cp_conference"].append([f"IC{i}_{n}", pid, plan, start, start, rng.choice("123") + "0"])
            by_referral = i % 4 == 0
            out["ssd_involvements"].append([f"I{i}_{n}", rng.choice(["10", "20", "30"]), f"{year + 2 * n}-01-01", "",
                                            "" if by_referral else pid, referral])
            for r in range(2):
                out["ssd_cp_reviews"].append([f"R{i}_{n}_{r}", "" if r else pid, plan, f"{year + 2 * n}-0{5 + r}-01",
                                              f"{year + 2 * n}-0{5 + r}-0{2 + r}"])
            for v in range(3):
                out["ssd_cp_visits"].append([f"V{i}_{n}_{v}", pid if v else "", plan,
                                             f"{year + 2 * n}-0{3 + v}-1{v}"])
    for number, (name, header) in enumerate(SSD_HEADERS.items()):
        _write(folder / f"{name}.csv", header, out[name], seed + number)
    return folder
