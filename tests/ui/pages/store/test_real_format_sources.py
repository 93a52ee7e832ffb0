"""Pages on a store imported from real-format sources (CIN census + Annex A), which carry no actions,
attendance or core groups: the pages say the source lacks them instead of blaming the filters."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from paqa_dash.pipeline import run_import
from support.paths import FIXTURES, ROOT

SAMPLES = FIXTURES / "samples"


@pytest.fixture(scope="module")
def real_format_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("real") / "r.duckdb"
    run_import([SAMPLES / "annex_a" / "Annex_A.xlsx", *sorted((SAMPLES / "cin").glob("*.xml"))], db)
    return db


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_agencies_says_attendance_and_core_groups_are_not_recorded(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/agencies.py")
    infos = " ".join(i.value for i in at.info)
    assert "This store records no core group attendance" in infos
    assert "This store records no core group meetings" in infos
    assert len(at.get("plotly_chart")) == 1  # review timeliness is still shown


def test_plan_quality_says_actions_are_not_recorded(real_format_store, use_store):
    use_store(real_format_store)
    at = open_page("paqa_dash/ui/pages/plan_quality.py")
    assert any("This store records no plan actions" in i.value for i in at.info)
    assert at.get("plotly_chart") == []
