"""The pack's table cells give a share as the dashboard does (docs/definitions.md, "Small bases"): "0%" only
when none and "100%" only when all, so 299 SMART actions of 300 read "299 (over 99%)", never "299 (100%)"."""
from __future__ import annotations

from dataclasses import replace
from io import StringIO

import pandas as pd

from paqa_dash import store
from paqa_dash.report import pack
from support.audit_store import AS_OF, CA, build_audit_store


def test_a_plan_with_299_smart_actions_of_300_reads_over_99_percent(tmp_path) -> None:
    con = store.connect(build_audit_store(tmp_path / "pack.duckdb"), read_only=True)
    try:
        p = pack.gather(con, CA, as_of=AS_OF)
    finally:
        con.close()
    first = p.chron.actions.iloc[[0]]
    actions = pd.concat([first.assign(action_id=f"bulk{i:03d}") for i in range(300)], ignore_index=True)
    one = p.smart[p.smart["action_id"] == first["action_id"].iloc[0]]
    smart = pd.concat([one.assign(action_id=f"bulk{i:03d}", smart=i > 0) for i in range(300)], ignore_index=True)
    p = replace(p, chron=replace(p.chron, actions=actions), smart=smart)
    cells = pd.read_html(StringIO(pack.quality_section(p)))[0].astype(str)
    assert "299 (over 99%)" in set(cells.to_numpy().ravel())
