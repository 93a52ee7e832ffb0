"""A child in a store of several authorities is read as of its own authority's data date (docs/definitions.md,
"Regional view"): the child timeline and the audit pack name the child's authority, say when its data ends, and
draw an open plan open only to that date; a plan numbered after earlier plans known only by a count says so.

Hand-built store: child A (aaa...1) of Camden (202), plan A1 open from 2025-01-01, an event on 2026-03-31 (Camden's
data date); child B (bbb...1) of an authority DfE does not publish (999), plan B1 (physical abuse) open from
2021-02-08 recording 1 previous plan, a core group on 2021-03-15 (999's data date)."""
from __future__ import annotations

import json
import re
from datetime import date
from html import unescape

import pytest

from paqa_dash import store
from paqa_dash.report import pack
from support.pages import open_page
from support.store_builder import build_store

CAMDEN, OTHER = "aaaaaaaaaaaaaaa1", "bbbbbbbbbbbbbbb1"


@pytest.fixture(scope="module")
def two_authorities(tmp_path_factory):
    path = tmp_path_factory.mktemp("child_authority") / "two.duckdb"
    con = build_store(path, children=[{"child_id": CAMDEN}, {"child_id": OTHER}], plans=[
        {"plan_id": "A1", "child_id": CAMDEN, "start_date": "2025-01-01", "initial_category": "NEG", "team": "North"},
        {"plan_id": "B1", "child_id": OTHER, "start_date": "2021-02-08", "initial_category": "PHY", "team": "Unit 1",
         "previous_plans": 1},
    ], events=[
        {"event_id": "a1", "child_id": CAMDEN, "event_date": "2026-03-31", "event_type": "CORE_GROUP", "agency": "CSC",
         "plan_id": "A1", "detail": "Core group"},
        {"event_id": "b1", "child_id": OTHER, "event_date": "2021-03-15", "event_type": "CORE_GROUP", "agency": "CSC",
         "plan_id": "B1", "detail": "Core group"},
    ])
    con.execute("UPDATE children SET authority = '202' WHERE child_id = ?", [CAMDEN])
    con.execute("UPDATE children SET authority = '999' WHERE child_id = ?", [OTHER])
    con.close()
    return path


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def _timeline(at) -> dict:
    return next(s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                if any(t.get("name") == "CP plan" for t in s["data"]))


def _drawn_to(spec: dict) -> tuple[str, list[str]]:
    """The as-of line's date, and each plan bar's end (its base plus its length) as a date."""
    line = next(s for s in spec["layout"]["shapes"] if s.get("type") == "line")
    bars = next(t for t in spec["data"] if t.get("name") == "CP plan")
    import pandas as pd
    ends = [(pd.Timestamp(b) + pd.Timedelta(milliseconds=x)).strftime("%Y-%m-%d") for b, x in zip(bars["base"], bars["x"])]
    return str(line["x0"])[:10], ends


def test_the_timeline_reads_a_child_as_of_its_authoritys_data_date(two_authorities, use_store):
    use_store(two_authorities)
    at = open_page("child_timeline", {"child": OTHER})
    said = _captions(at)
    assert any("LA 999, data to 15 Mar 2021" in c for c in said), said
    line, ends = _drawn_to(_timeline(at))
    assert line == "2021-03-15" and ends == ["2021-03-15"]   # open to its own date, not to 31 Mar 2026


def test_the_timeline_names_an_authority_that_is_not_behind_without_a_date(two_authorities, use_store):
    use_store(two_authorities)
    at = open_page("child_timeline", {"child": CAMDEN})
    said = _captions(at)
    assert any(c.startswith("Camden (202).") for c in said) and not any("data to" in c for c in said), said
    assert _drawn_to(_timeline(at))[0] == "2026-03-31"


def test_a_chosen_as_of_after_the_authoritys_data_is_said_not_drawn(two_authorities, use_store):
    use_store(two_authorities)
    at = open_page("child_timeline", {"child": OTHER, "as_of": "2026-01-01"})
    said = _captions(at)
    assert any("this authority's data ends 15 Mar 2021" in c for c in said), said
    assert _drawn_to(_timeline(at))[1] == ["2021-03-15"]


def test_the_timeline_explains_a_plan_numbered_after_earlier_plans_known_only_by_a_count(two_authorities, use_store):
    use_store(two_authorities)
    at = open_page("child_timeline", {"child": OTHER})
    said = " ".join(_captions(at))
    assert "Plan 2 is this child's first plan in this data" in said and "1 earlier plan" in said, said


def _cover(html: str) -> dict[str, str]:
    cover = html[:html.index('id="chronology"')]
    return {k: unescape(re.sub(r"<[^>]+>", "", v)) for k, v in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", cover, re.S)}


def test_the_pack_reads_the_child_as_of_its_authoritys_data_date(two_authorities):
    con = store.connect(two_authorities, read_only=True)
    try:
        default = pack.build_pack(con, OTHER)
        chosen = pack.build_pack(con, OTHER, as_of=date(2026, 1, 1))
        camden = pack.build_pack(con, CAMDEN)
    finally:
        con.close()
    rows = _cover(default)
    assert rows["Looked at as of"].startswith("15 Mar 2021"), rows
    assert rows["Authority"] == "LA 999, data to 15 Mar 2021", rows
    assert "Plan 2 is this child's first plan in this data" in unescape(default)
    later = _cover(chosen)
    assert later["Looked at as of"].startswith("15 Mar 2021")
    assert "this authority's data ends 15 Mar 2021" in unescape(chosen)
    assert _cover(camden)["Authority"] == "Camden (202)" and _cover(camden)["Looked at as of"].startswith("31 Mar 2026")


# Lists of children name each child's authority in a store of several (and not in a store of one).

@pytest.fixture(scope="module")
def three_authorities(demo_store, tmp_path_factory):
    """The demo store with its children given Camden, Greenwich and Darlington by team (support/authorities.py)."""
    from support.authorities import demo_of_three

    return demo_of_three(demo_store, tmp_path_factory.mktemp("lists"))


@pytest.fixture
def csvs(monkeypatch):
    """The CSV text of every download the page offers (made here: AppTest cannot click)."""
    from paqa_dash.ui import access_trail

    written: list[str] = []

    def keep(make, file_name, child=None):
        if file_name.endswith(".csv"):
            written.append(make().decode("utf-8"))
        return make

    monkeypatch.setattr(access_trail, "logged", keep)
    return written


WHOLE_STORE = {"from": "2000-01-01", "to": "2100-12-31"}
NAMES = {"Camden", "Greenwich", "Darlington"}


def _list(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _csv_heading(csvs: list[str], starts: str) -> list[str]:
    return next(c for c in csvs if c.startswith(starts)).splitlines()[0].split(",")


def test_the_audit_sample_names_each_childs_authority(three_authorities, use_store, csvs):
    use_store(three_authorities)
    at = open_page("audit_sample", WHOLE_STORE, timeout=180)
    table = _list(at, "Which concerns")
    assert list(table.columns[:2]) == ["Child (pseudonym)", "Authority"], list(table.columns)
    assert set(table["Authority"]) <= NAMES and len(set(table["Authority"])) > 1
    assert _csv_heading(csvs, "Child (pseudonym)")[:2] == ["Child (pseudonym)", "Authority"]


def test_the_watch_list_names_each_childs_authority(three_authorities, use_store, csvs):
    use_store(three_authorities)
    at = open_page("endings", WHOLE_STORE, timeout=180)
    watch = [d.value for d in at.dataframe if "Weeks since it ended" in d.value.columns][0]
    columns = list(watch.columns)
    assert "Authority" in columns and columns.index("Authority") < columns.index("Team"), columns
    assert set(watch["Authority"]) <= NAMES
    heading = next(c for c in csvs if "Weeks since it ended" in c.splitlines()[0]).splitlines()[0].split(",")
    assert heading[:2] == ["Child", "Authority"], heading


def test_a_store_of_one_authority_keeps_its_lists_unchanged(demo_store, use_store, csvs):
    use_store(demo_store)
    sample = open_page("audit_sample", WHOLE_STORE, timeout=180)
    assert "Authority" not in _list(sample, "Which concerns").columns
    endings = open_page("endings", WHOLE_STORE, timeout=180)
    assert not any("Authority" in d.value.columns for d in endings.dataframe)
    assert not any("Authority" in c.splitlines()[0] for c in csvs)


def test_the_pack_names_the_authority_in_a_store_of_several(three_authorities):
    con = store.connect(three_authorities, read_only=True)
    try:
        child = con.execute("SELECT child_id FROM children WHERE authority = '841' ORDER BY child_id LIMIT 1").fetchone()[0]
        html = pack.build_pack(con, child)
    finally:
        con.close()
    assert _cover(html)["Authority"].startswith("Darlington (841)")
