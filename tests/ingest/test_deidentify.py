"""De-identification: after an import full of identifying values, no cell of any table holds one."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from paqa_dash.ingest.deidentify import scrub_text
from paqa_dash.pipeline import run_import

SOURCE_IDS = ["LA-000123", "LA-000456", "FAM-77", "CPP-2020-9", "CPP-2022-1", "EV-1001", "EV-1002", "ACT-55",
              "ACT-56", "NEED-8", "CHG-3"]
NAMES = ["Kayleigh Smithson", "Darren Smithson", "Priya Worker"]
SECRETS = ["07700 900123", "+44 113 496 0000", "0161 496 0000", "kayleigh@example.com", "LS1 4AB", "M1 1AE",
           "943 476 5919", "9434765870", "A123456789123", "QQ 12 34 56 C", "12 Acacia Avenue"]


def write_bundle(folder: Path) -> None:
    folder.mkdir()
    (folder / "children.csv").write_text(
        "child_id,family_id,birth_date,sex,first_name,surname,nhs_number,upn,address,postcode\n"
        "LA-000123,FAM-77,2015-03-27,F,Kayleigh,Smithson,9434765919,A123456789123,12 Acacia Avenue,LS1 4AB\n"
        "LA-000456,FAM-77,2018-07-14,M,Tyler,Smithson,9434765870,B123456789123,12 Acacia Avenue,LS1 4AB\n")
    (folder / "plans.csv").write_text(
        "plan_id,child_id,start_date,end_date,initial_category,team,allocated_worker\n"
        "CPP-2020-9,LA-000123,2020-01-31,2020-04-30,NEG,North,Priya Worker\n"
        "CPP-2022-1,LA-000123,2022-01-10,,NEG,North,Priya Worker\n")
    (folder / "events.csv").write_text(
        "event_id,child_id,event_date,event_type,agency,plan_id,detail\n"
        "EV-1001,LA-000123,2020-02-01,VISIT,CSC,CPP-2020-9,\"Seen Kayleigh at 12 Acacia Avenue, LS1 4AB; "
        "mum on 07700 900123\"\n"
        "EV-1002,LA-000123,2022-01-12,CORE_GROUP,HEALTH,CPP-2022-1,\"HV emailed kayleigh@example.com, "
        "NHS no 943 476 5919, Darren Smithson's NI QQ 12 34 56 C; office +44 113 496 0000\"\n")
    (folder / "actions.csv").write_text(
        "action_id,plan_id,action_text,owner_agency\n"
        "ACT-55,CPP-2020-9,\"Priya Worker to visit weekly; call 0161 496 0000\",CSC\n"
        "ACT-56,CPP-2022-1,\"Mum to register Kayleigh (UPN A123456789123, NHS 9434765870) at the GP in M1 1AE\",FAMILY\n")
    (folder / "needs.csv").write_text(
        "need_id,child_id,plan_id,identified_date,factor\nNEED-8,LA-000123,CPP-2022-1,2022-01-05,4B\n")
    (folder / "family_changes.csv").write_text(
        "change_id,family_id,change_date,change_type,detail,partner_name\n"
        "CHG-3,FAM-77,2021-06-01,ADULT_JOINED,Darren Smithson moved in,Darren Smithson\n")


def all_cells(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    cells: list[str] = []
    for (table,) in con.execute("SHOW TABLES").fetchall():
        for row in con.execute(f"SELECT * FROM {table}").fetchall():
            cells.extend(str(v) for v in row if v is not None)
    con.close()
    return cells


def test_store_holds_no_identifying_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "k-for-tests-only-1")
    write_bundle(tmp_path / "b")
    db = tmp_path / "s.duckdb"
    summary = run_import([tmp_path / "b"], db)
    assert sum(c["loaded"] for c in summary.tables.values()) == 10
    cells = all_cells(db)
    text = "\n".join(cells)
    for value in SOURCE_IDS + SECRETS:
        assert value.lower() not in text.lower(), value
    for name in NAMES:
        for part in name.split():
            assert not re.search(rf"\b{part}\b", text, re.IGNORECASE), part
    assert "2015-03-27" not in text and "2015-03-01" in text
    assert "[phone]" in text and "[email]" in text and "[postcode]" in text and "[NHS number]" in text
    assert "[UPN]" in text and "[NI number]" in text and "[name]" in text and "[address]" in text


def test_scrub_keeps_ordinary_numbers_and_dates() -> None:
    out = scrub_text(pd.Series(["Meeting on 12/03/2024 at 10:30 with 3 children; 2 of 5 visits"]))
    assert out.iloc[0] == "Meeting on 12/03/2024 at 10:30 with 3 children; 2 of 5 visits"
