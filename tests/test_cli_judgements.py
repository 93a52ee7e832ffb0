"""`python -m paqa_dash judgements --csv FILE`: the audit group's recorded judgements as CSV."""
from __future__ import annotations

import io
import stat
from pathlib import Path

import pandas as pd

from paqa_dash import access_log
from paqa_dash.cli import main
from paqa_dash.metrics import judgements as jm
from paqa_dash.metrics import record_judgement as rec
from paqa_dash.metrics.judgements import Answer, Form
from paqa_dash.scope import EVERYTHING

from tests.metrics.test_chronology import C1, C2, build_tiny_store


def _store(tmp_path: Path) -> Path:
    db = build_tiny_store(tmp_path / "s.duckdb")
    log = access_log.log_path(db)
    for child, grade in ((C1, "GOOD"), (C1, "INADEQUATE"), (C2, "NOT_ENOUGH_INFORMATION")):
        form = Form("Run A", child, (Answer(1, grade, "Call 07700 900123 about it"),), (("CSC", "social worker"),))
        rec.save_to_store(db, form, EVERYTHING, "chair@example.org", log=log)
    rec.save_to_store(db, Form("Run B", C2, (Answer(9, "GOOD"),)), EVERYTHING, "chair@example.org", log=log)
    return db


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(path.read_bytes()), dtype=str, keep_default_na=False)


def test_the_csv_holds_the_latest_form_of_each_child_per_question(tmp_path: Path, capsys) -> None:
    db = _store(tmp_path)
    out = tmp_path / "j.csv"
    assert main(["judgements", "--db", str(db), "--csv", str(out)]) == 0
    assert "27 judgements of 2 children" in capsys.readouterr().out
    rows = _read(out)
    assert list(rows.columns) == jm.EXPORT_COLUMNS
    first = rows[(rows["audit_run"] == "Run A") & (rows["child_id"] == C1) & (rows["question"] == "1")]
    assert first[["version", "grade", "grade_code"]].values.tolist() == [["2", "Inadequate", "INADEQUATE"]]
    assert first["question_label"].iloc[0] == "Q1 First plan ended prematurely"
    assert first["present"].iloc[0] == "Children's social care: social worker"
    assert "07700 900123" not in out.read_text() and "[phone]" in first["notes"].iloc[0]
    assert set(rows.loc[rows["question"] == "2", "grade"]) == {"Not yet judged"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert access_log.read(path=access_log.log_path(db)).records[-1].action == access_log.EXPORT


def test_one_run_and_the_whole_history(tmp_path: Path) -> None:
    db = _store(tmp_path)
    out = tmp_path / "j.csv"
    assert main(["judgements", "--db", str(db), "--csv", str(out), "--run", "Run A", "--history"]) == 0
    rows = _read(out)
    assert set(rows["audit_run"]) == {"Run A"}
    assert len(rows) == 3 * 9 and rows["latest"].value_counts().to_dict() == {"True": 18, "False": 9}


def test_no_store_is_one_line(tmp_path: Path, capsys) -> None:
    assert main(["judgements", "--db", str(tmp_path / "none.duckdb"), "--csv", str(tmp_path / "j.csv")]) == 2
    assert capsys.readouterr().err.startswith("judgements failed: no store at")
