"""De-identification, end to end: identifiers planted in every free-text field, team name and code column of
every source kind are found in no table (rejects and warnings included), nor in the store file's bytes, nor
in the import summary that the import page shows and exports, nor in any child's audit pack, the metrics JSON
or the endings lists' CSVs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import json
from datetime import date

import duckdb
import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.ingest.scrub import scrub_text
from paqa_dash.metrics import cohorts, summary as metrics_summary
from paqa_dash.pipeline import run_import
from paqa_dash.report.pack import build_pack
from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.settings import Thresholds
from support.make_annex_a import LIST7_HEADERS, list7_row, write_workbook
from support.make_cin import write_census
from support.paths import FIXTURES

# Planted in free text: every written form the scrubber must know.  Each is (text, a word of it that must
# not survive).
PLANTED_TEXT = [
    "Mum Sarah Jones", "Kayleigh Smithson", "Mr Okonkwo", "mum rachel jones",
    "07700 900123", "07700900123", "(0113) 496 0000", "0113-496-0000", "+44 7700 900456", "0044 20 7946 0018",
    "+44 (0)20 7946 0999", "07700.900.777",
    "kayleigh.smithson@example.com", "j.o'neil+cp@mail.example.org",
    "LS1 4AB", "ls14ab", "m1  1ae",
    "943 476 5919", "9434765870",
    "A123456789123", "QQ 12 34 56 C", "qq123456c",
    "DOB 27/03/2015", "born 27th March 2015", "d.o.b. 2015-03-27", "date of birth: 27.03.15",
    "12 Acacia Avenue", "14 high street", "flat 3b",
    "LA-000123", "FAM-77", "CPP-2020-9",
]
WORDS_THAT_MUST_GO = ["Sarah", "Jones", "Kayleigh", "Smithson", "Okonkwo", "rachel", "Acacia",
                      "example.com", "example.org", "27/03/2015", "27th March", "2015-03-27", "27.03.15", "high street"]
# A team name and code values that are identifiers.
TEAM = "North - Jane Doherty 07700 900123"
CODES = {"sex": "Jones", "ethnicity": "Sarah Jones", "agency": "07700 900123"}


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def assert_nothing_identifying(db: Path, summary_json: dict, planted: list[str]) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cells: list[str] = []
        for (table,) in con.execute("SHOW TABLES").fetchall():
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                cells.extend(str(v) for v in row if v is not None)
    finally:
        con.close()
    assert_absent("a table", "\n".join(cells), planted)
    assert_absent("the import summary", str(summary_json), planted)
    raw = db.read_bytes()
    for value in planted + WORDS_THAT_MUST_GO + ["Doherty", "Jane"]:
        assert value.encode() not in raw, f"{value!r} in the store file"


def assert_absent(where: str, text: str, planted: list[str]) -> None:
    """No planted value nor a word of one in `text` (any case), nor a planted phone or NHS number's digits."""
    for value in planted + WORDS_THAT_MUST_GO + ["Doherty", "Jane"]:
        assert value.lower() not in text.lower(), f"{value!r} in {where}"
    for value in planted:  # phone and NHS digits, whatever the spacing
        digits = _digits(value)
        if len(digits) >= 10:
            assert digits not in _digits(text.replace("-", "")), f"{value!r} in {where}"


def exports(db: Path) -> dict[str, str]:
    """Everything the store can be exported as, by name: every child's audit pack, the metrics JSON, and the
    CSV of both endings lists at the data date and at an earlier date (when the first plan's ending is watched)."""
    con = store.connect(db, read_only=True)
    try:
        filters = store.with_data_date(con, Filters())
        thresholds = Thresholds()
        out = {f"pack {c}": build_pack(con, c, thresholds, as_of=filters.as_of)
               for (c,) in con.execute("SELECT child_id FROM children ORDER BY child_id").fetchall()}
        out["metrics json"] = json.dumps(metrics_summary.compute(con, filters, thresholds), default=str)
        for kind in ("premature", "at_risk"):
            for as_of in (filters.as_of, date(2020, 6, 1)):
                listed = cohorts.ending_list(con, filters.with_(as_of=as_of), thresholds, kind=kind)
                out[f"{kind} list csv {as_of}"] = csv_bytes(listed).decode("utf-8") if len(listed) else ""
    finally:
        con.close()
    return out


def write_bundle(folder: Path) -> None:
    folder.mkdir()
    free = "; ".join(PLANTED_TEXT)
    q = '"' + free.replace('"', '""') + '"'
    (folder / "children.csv").write_text(
        "child_id,family_id,birth_date,sex,ethnicity,first_name,surname\n"
        "LA-000123,FAM-77,2015-03-27,F,WBRI,Kayleigh,Smithson\n"
        f"LA-000456,FAM-77,2018-07-14,{CODES['sex']},{CODES['ethnicity']},Tyler,Smithson\n"
        "LA-000789,FAM-78,2016-01-02,M,Sarah Jones,Tom,Ward\n")
    (folder / "plans.csv").write_text(
        "plan_id,child_id,start_date,end_date,initial_category,team,allocated_worker\n"
        f"CPP-2020-9,LA-000123,2020-01-31,2020-04-30,NEG,\"{TEAM}\",Priya Worker\n"
        "CPP-2022-1,LA-000123,2022-01-10,,NEG,North,Priya Worker\n")
    (folder / "events.csv").write_text(
        "event_id,child_id,event_date,event_type,agency,plan_id,detail\n"
        f"EV-1001,LA-000123,2020-02-01,VISIT,CSC,CPP-2020-9,{q}\n"
        f"EV-1002,LA-000123,2022-01-12,VISIT,{CODES['agency']},CPP-2022-1,{q}\n")
    (folder / "actions.csv").write_text(
        f"action_id,plan_id,action_text,owner_agency\nACT-55,CPP-2020-9,{q},CSC\nACT-56,CPP-2022-1,{q},Jones\n")
    (folder / "family_changes.csv").write_text(
        f"change_id,family_id,change_date,change_type,detail\nCHG-3,FAM-77,2021-06-01,ADULT_JOINED,{q}\n")


def test_bundle_planted_identifiers_reach_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k-for-tests-only-1")
    write_bundle(tmp_path / "b")
    db = tmp_path / "s.duckdb"
    summary = run_import([tmp_path / "b"], db)
    assert summary.tables["events"]["loaded"] == 1 and summary.tables["actions"]["loaded"] == 1
    assert summary.tables["children"]["rejected"] == 1  # the sex code 'Jones'
    planted = PLANTED_TEXT + list(CODES.values()) + [TEAM]
    assert_nothing_identifying(db, summary.to_json(), planted)
    exported = exports(db)
    for where, text in exported.items():
        assert_absent(where, text, planted)
    # Not vacuous: two children's packs, the scrubbed texts reached a pack, and both lists have an ending.
    packs = [t for w, t in exported.items() if w.startswith("pack ")]
    assert len(packs) == 2 and any("[phone]" in t and "[name]" in t for t in packs)
    assert [w for w, t in exported.items() if " list csv " in w and t.count("\r\n") >= 2] == [
        "premature list csv 2022-01-10", "at_risk list csv 2020-06-01"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        detail = con.execute("SELECT detail FROM events").fetchone()[0]
        teams = {r[0] for r in con.execute("SELECT DISTINCT team FROM plans").fetchall()}
        reasons = [r[0] for r in con.execute("SELECT reason FROM rejects UNION ALL SELECT message FROM warnings")
                   .fetchall()]
    finally:
        con.close()
    for tag in ("[name]", "[phone]", "[email]", "[postcode]", "[NHS number]", "[UPN]", "[NI number]",
                "[date of birth]", "[address]", "[record id]"):
        assert tag in detail, tag
    assert "North" in teams and any(re.fullmatch(r"Team [0-9a-f]{6}", t) for t in teams)
    assert any("team name held identifying text" in r for r in reasons)
    assert "unknown sex code (text of 5 characters)" in " ".join(reasons)
    assert not [r for r in reasons if "unknown agency code (a 11-digit number)" in r]  # spaced: text, not a number
    assert any(r.startswith("unknown agency code (text of 12 characters): write one of ") for r in reasons)


def test_cin_code_columns_are_never_quoted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k-for-tests-only-1")
    path = tmp_path / "cin.xml"
    write_census(path, children=3)
    xml = path.read_text(encoding="utf-8")
    xml = re.sub(r"<Ethnicity>[^<]*</Ethnicity>", "<Ethnicity>Sarah Jones</Ethnicity>", xml, count=1)
    xml = re.sub(r"<Factors>[^<]*</Factors>", "<Factors>07700 900123</Factors>", xml, count=1)
    assert "Sarah Jones" in xml
    path.write_text(xml, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    summary = run_import([path], db)
    assert_nothing_identifying(db, summary.to_json(), ["Sarah Jones", "07700 900123"])


def test_annex_a_team_and_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k-for-tests-only-1")
    path = write_workbook(tmp_path / "annex.xlsx", {"List 7": [
        LIST7_HEADERS,
        list7_row("A1", "2022-01-10", team=TEAM, worker="Jane Doherty"),
        list7_row("A2", "2023-01-05", ethnicity="Sarah Jones", gender="Jones"),
        list7_row("A3", "2023-02-05", team="Locality 2 Unit 1"),
    ]})
    db = tmp_path / "s.duckdb"
    summary = run_import([path], db)
    assert_nothing_identifying(db, summary.to_json(), [TEAM, "Sarah Jones", "Jones"])
    con = duckdb.connect(str(db), read_only=True)
    teams = {r[0] for r in con.execute("SELECT DISTINCT team FROM plans").fetchall()}
    con.close()
    assert "Locality 2 Unit 1" in teams and len(teams) == 2


def test_ssd_team_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k-for-tests-only-1")
    folder = tmp_path / "ssd"
    shutil.copytree(FIXTURES / "ssd", folder)
    inv = folder / "ssd_involvements.csv"
    inv.write_text(inv.read_text(encoding="utf-8").replace("Locality 2 Unit 1", f'"{TEAM}"'), encoding="utf-8")
    person = folder / "ssd_person.csv"
    person.write_text(person.read_text(encoding="utf-8-sig").replace(",WBRI,2015-03-14", ",Sarah Jones,2015-03-14"),
                      encoding="utf-8")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert_nothing_identifying(db, summary.to_json(), [TEAM, "Sarah Jones", "Okafor", "Jade"])


def test_a_team_name_keeps_its_pseudonym_across_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paqa_dash.ingest.validate import team_pseudonym

    assert team_pseudonym(b"k", TEAM) == team_pseudonym(b"k", TEAM) != team_pseudonym(b"other", TEAM)


def test_the_warning_names_the_team_pseudonym_the_filter_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pseudonym of five digits or more (`Team 5006a9`) has a record id's shape, and the warning that names it was
    scrubbed like a quoted value: `stored as 'Team [record id]'`, so the user could not tell which team in the
    filter was theirs.  The warning quotes only the name's shape and the keyed pseudonym: it is kept as written."""
    from paqa_dash.ingest.validate import team_pseudonym

    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k-for-tests-only-1")
    names = [f"North - Jane Worker 07700 9001{n:02d}" for n in range(12)]
    digits = [n for n in names if sum(c.isdigit() for c in team_pseudonym(b"k-for-tests-only-1", n)) >= 5]
    assert digits  # the case that was scrubbed is among them
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id\n" + "".join(f"C{i}\n" for i in range(len(names))))
    (folder / "plans.csv").write_text("plan_id,child_id,start_date,initial_category,team\n" + "".join(
        f'P{i},C{i},2023-01-05,NEG,"{n}"\n' for i, n in enumerate(names)))
    db = tmp_path / "s.duckdb"
    run_import([folder], db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        said = {r[0] for r in con.execute("SELECT message FROM warnings WHERE field = 'team'").fetchall()}
        teams = {r[0] for r in con.execute("SELECT team FROM plans").fetchall()}
    finally:
        con.close()
    assert {re.search(r"stored as '(.*)'$", m).group(1) for m in said} == teams
    assert all(m.startswith("team name held identifying text (text of ") for m in said)


def test_scrub_keeps_ordinary_numbers_and_dates() -> None:
    out = scrub_text(pd.Series(["Meeting on 12/03/2024 at 10:30 with 3 children; 2 of 5 visits"]))
    assert out.iloc[0] == "Meeting on 12/03/2024 at 10:30 with 3 children; 2 of 5 visits"
