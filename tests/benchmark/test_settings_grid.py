"""The settings grid (benchmark/settings_grid.py): every setting users change, each with and without a team."""
from __future__ import annotations

from datetime import date

from paqa_dash.benchmark import settings_grid


def test_last_quarter_end_before_a_day():
    assert settings_grid.last_quarter_end_before(date(2026, 3, 31)) == date(2025, 12, 31)
    assert settings_grid.last_quarter_end_before(date(2026, 4, 1)) == date(2026, 3, 31)


def test_settings_cover_thresholds_and_two_quarter_ends():
    labels = [label for label, _f, _t in settings_grid.settings(date(2026, 3, 31))]
    assert labels == ["default", "short_plan_months=4", "core_group_interval_weeks=8", "as_of=2025-12-31",
                      "as_of=2023-12-31"]
    by_label = {label: (f, t) for label, f, t in settings_grid.settings(date(2026, 3, 31))}
    assert by_label["short_plan_months=4"][1].short_plan_months == 4
    assert by_label["core_group_interval_weeks=8"][1].core_group_interval_weeks == 8
    assert by_label["as_of=2023-12-31"][0].as_of == date(2023, 12, 31)


def test_grid_times_each_setting_with_and_without_a_team_and_in_the_default_year(demo_store):
    rows = settings_grid.grid(str(demo_store), items=("audit_sample",), runs=1)
    assert len(rows) == 15 and len({r["setting"] for r in rows}) == 5
    filters = {r["filter"] for r in rows}
    assert len(filters) == 3 and {"all", "year"} <= filters
    assert all(r["cold_s"] > 0 and r["median_s"] > 0 and r["cpu_s"] > 0 and r["item"] == "audit_sample" for r in rows)


def test_every_page_that_reads_the_store_is_timed():
    """Each page under paqa_dash/ui/pages/ that asks the store for data has its calls mirrored in
    benchmark/pages.py, so the grid and `bench` time it: four pages went untimed at a million plans for weeks, and
    three of them took 10 to 50 s there (docs/benchmark_history.md, *Four pages never timed at scale*)."""
    from pathlib import Path

    from paqa_dash.benchmark import pages

    folder = Path(pages.__file__).parents[1] / "ui" / "pages"
    reading = {p.stem for p in folder.glob("*.py") if "data.cached" in p.read_text(encoding="utf-8")}
    named = {"challenge": "challenge", "regional": "regional"}   # page file -> item, where the two differ
    assert reading, "no page found"
    missing = {stem for stem in reading if named.get(stem, stem) not in pages.ITEMS}
    assert not missing, f"pages whose data calls the benchmark does not time: {sorted(missing)}"


def test_a_store_of_several_authorities_is_timed_for_one_of_them(demo_store, tmp_path):
    from support.authorities import demo_of_three

    rows = settings_grid.grid(str(demo_of_three(demo_store, tmp_path)), items=("overview",), runs=1)
    filters = {r["filter"] for r in rows}
    assert any(f.startswith("authority=") for f in filters), filters
    assert len(rows) == 20



def test_the_grid_times_the_13_pages_by_default(monkeypatch):
    """The 260 figures of docs/benchmark.md (13 pages x 5 settings x 4 filters) come from the command as documented:
    the default items were 9 pages, and between plans, plan refresh, What works and the Regional view had to be named."""
    from paqa_dash.benchmark import pages

    assert len(settings_grid.ITEMS) == 13
    assert {"between_plans", "plan_refresh", "what_works", "regional"} <= set(settings_grid.ITEMS)
    assert set(settings_grid.ITEMS) | set(settings_grid.NOT_TIMED) == set(pages.ITEMS)
    asked: list[tuple[str, ...]] = []
    monkeypatch.setattr(settings_grid, "grid", lambda db, items, *args, **kwargs: asked.append(items) or [])
    assert settings_grid.main(["--db", "unused.duckdb"]) == 0
    assert asked == [settings_grid.ITEMS]
