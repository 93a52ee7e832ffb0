"""The fast tier of page tests: the metrics layer is replaced by small hand-made DataFrames, so a page's own
logic (what it shows for the data it is given, its empty states, its captions) is tested with no store, no
DuckDB and no browser.  As mkuthan/example-streamlit's page tests do, the layer below the page is patched.

`fake_metrics(results)` answers every `data.cached(func, ...)` of a page with `results[func.__name__]`; a page
asking for a function the test did not give fails the test with the function's name.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable

import pytest

STORE_INFO: dict[str, Any] = {
    "synthetic": False, "teams": ["North", "South"], "plans": 120,
    "first_date": date(2020, 4, 1), "last_date": date(2025, 3, 31), "data_date": date(2025, 3, 31),
    "recorded": {"actions": 10, "attendance": 10, "core_groups": 10, "family_changes": 10, "needs": 10},
}


@pytest.fixture
def fake_metrics(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., list[str]]:
    """Patch the page's data access; returns the list of function names the page asked for."""
    from paqa_dash.ui import data

    asked: list[str] = []

    def install(results: dict[str, Any], info: dict[str, Any] | None = None) -> list[str]:
        def cached(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            name = func.__name__
            asked.append(name)
            if name not in results:
                raise AssertionError(f"the page asked for {name}, which this test does not provide")
            value = results[name]
            return value(*args, **kwargs) if callable(value) else value

        monkeypatch.setenv("PAQA_DB", str(tmp_path / "never_opened.duckdb"))
        monkeypatch.setattr(data, "ensure_store", lambda: True)
        monkeypatch.setattr(data, "store_info", lambda: {**STORE_INFO, **(info or {})})
        monkeypatch.setattr(data, "cached", cached)
        return asked

    return install


@pytest.fixture
def threshold(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the reader's small-number threshold (a strategic lead's scope with `suppress_below=value`; 0: none)."""
    def set_threshold(value: int) -> None:
        from paqa_dash.scope import Scope
        from paqa_dash.ui import access

        monkeypatch.setattr(access, "current_scope", lambda: Scope(role="strategic_lead", suppress_below=value))
    return set_threshold


@pytest.fixture
def csvs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSV text of every download the page offers.  A download's file is made only when clicked (the
    access log records it then), which AppTest cannot do: the deferred maker is called here instead."""
    from paqa_dash.ui import access_trail

    written: list[str] = []

    def keep(make, file_name: str, child: str | None = None):
        data = make()
        if file_name.endswith(".csv"):
            written.append(data.decode("utf-8"))
        return make

    monkeypatch.setattr(access_trail, "logged", keep)
    return written
