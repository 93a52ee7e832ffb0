"""Golden figures: `metrics --json` and every page's data, on the demo store and on a store from each sample
source, must stay exactly what they were when the files in `tests/golden/` were written.

Why: a move-and-merge of the code (layers, registry, pipeline) must leave every figure unchanged.  The files
were written before such a change; a difference here is a changed figure, to be explained or undone.
To rewrite them on purpose (a definition really changed): `PAQA_UPDATE_GOLDEN=1 pytest tests/test_golden.py`,
and say why in the commit.
"""
from __future__ import annotations

import json
import math
import os
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS, Thresholds

from support import golden_calls
from support.paths import SAMPLE_SOURCES

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
FIX = HERE / "fixtures"
KEY = "golden-test-key-not-secret"

# Each sample store: the files imported together, as a user would.
SOURCES: dict[str, Callable[[], list[Path]]] = {
    "cin_samples": SAMPLE_SOURCES["cin"],
    "annex_a": SAMPLE_SOURCES["annex_a"],
    "annex_a_and_cin": SAMPLE_SOURCES["annex_a_and_cin"],
    "cin_authority": lambda: sorted((FIX / "cin").glob("authority_*.xml")),
    "ssd": lambda: [FIX / "ssd"],
    "bundle_messy": lambda: [FIX / "bundle_messy"],
}

# The questions asked of the demo store: the app's default, and one change of each kind of filter.
DEMO_QUESTIONS: dict[str, tuple[Filters, Thresholds]] = {
    "default": (Filters(), DEFAULTS),
    "team_north": (Filters(teams=("North",)), DEFAULTS),
    "period_repeat_neg": (Filters(date_from=date(2022, 4, 1), date_to=date(2025, 3, 31), plan_number="repeat",
                                  categories=("NEG",)), DEFAULTS),
    "as_of_2024": (Filters(as_of=date(2024, 3, 31)), DEFAULTS),
    "thresholds": (Filters(), Thresholds(replan_window_months=12, short_plan_months=6, similarity_threshold=0.6)),
}


def canonical(value: Any) -> Any:
    """JSON-ready, with floats to 9 significant figures (DuckDB may sum in another order) and DataFrame
    rows sorted (a query without ORDER BY may return them in any order)."""
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index(drop=True)
        records = [canonical(r) for r in frame.astype(object).where(frame.notna(), None).to_dict("records")]
        return {"columns": [str(c) for c in frame.columns],
                "rows": sorted(records, key=lambda r: json.dumps(r, sort_keys=True, default=str))}
    if isinstance(value, pd.Series):
        return canonical(value.to_frame())
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return canonical({k: getattr(value, k) for k in value.__dataclass_fields__})
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if hasattr(value, "item") and not isinstance(value, (pd.Timestamp,)):   # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.9g}")
    if isinstance(value, int):
        return value
    return str(value)


def _build(tmp_path_factory: pytest.TempPathFactory, name: str, paths: list[Path] | None) -> Path:
    from paqa_dash.pipeline import run_import
    from paqa_dash.synth.generate import build_demo

    old = os.environ.get("PAQA_PSEUDO_KEY")
    os.environ["PAQA_PSEUDO_KEY"] = KEY
    try:
        db = tmp_path_factory.mktemp(f"golden_{name}") / "g.duckdb"
        if paths is None:
            build_demo(db, children=300, seed=42)
        else:
            run_import(paths, db)
        return db
    finally:
        if old is None:
            os.environ.pop("PAQA_PSEUDO_KEY", None)
        else:
            os.environ["PAQA_PSEUDO_KEY"] = old


def _compare(name: str, result: Any) -> None:
    path = GOLDEN / f"{name}.json"
    got = canonical(result)
    if os.environ.get("PAQA_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    want = json.loads(path.read_text(encoding="utf-8"))
    if got != want:
        diffs = [k for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)] if isinstance(got, dict) else []
        pytest.fail(f"{name}: figures differ from tests/golden/{name}.json; first differing keys: {diffs[:10]}")


@pytest.fixture(scope="module")
def golden_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "demo", None)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_metrics_json_of_each_sample_source(source: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    db = _build(tmp_path_factory, source, SOURCES[source]())
    con = store.connect(db, read_only=True)
    try:
        _compare(f"metrics_{source}", golden_calls.metrics_json(con, Filters(), DEFAULTS))
    finally:
        con.close()


@pytest.mark.parametrize("question", sorted(DEMO_QUESTIONS))
def test_metrics_json_of_the_demo(question: str, golden_demo: Path) -> None:
    filters, thresholds = DEMO_QUESTIONS[question]
    con = store.connect(golden_demo, read_only=True)
    try:
        _compare(f"metrics_demo_{question}", golden_calls.metrics_json(con, filters, thresholds))
    finally:
        con.close()


@pytest.mark.parametrize("question", ["default", "team_north", "as_of_2024"])
def test_page_data_of_the_demo(question: str, golden_demo: Path) -> None:
    filters, thresholds = DEMO_QUESTIONS[question]
    con = store.connect(golden_demo, read_only=True)
    try:
        result = {name: call(con, filters, thresholds) for name, call in golden_calls.PAGE_DATA.items()}
    finally:
        con.close()
    _compare(f"pages_demo_{question}", result)
