"""The administrators' access log page, fast tier: the log is read, filtered and refused to other roles."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pathlib import Path

from paqa_dash import access_log
from paqa_dash.scope import Scope
from support.pages import open_page

ROWS = [access_log.Record(identity="ana@council.gov.uk", role="auditor", action="export", page="audit_sample",
                          detail="audit_sample.csv", time="2025-03-01T10:00:00+00:00"),
        access_log.Record(identity="bo@council.gov.uk", role="service_manager", action="view",
                          page="child_timeline", child="0123456789abcdef", time="2025-03-02T10:00:00+00:00")]


def _seed(tmp_path: Path) -> Path:
    path = tmp_path / "never_opened.duckdb.access.jsonl"
    for r in ROWS:
        access_log.append(r, path)
    return path


def test_an_administrator_reads_and_filters_the_log(fake_metrics, tmp_path) -> None:
    fake_metrics({})
    _seed(tmp_path)
    at = open_page("access_log")
    shown = at.dataframe[0].value
    assert {"ana@council.gov.uk", "bo@council.gov.uk", "local analyst"} <= set(shown["Who"])
    assert list(shown["When (UTC)"]) == sorted(shown["When (UTC)"], reverse=True)     # newest first
    at.selectbox(key="log_action").set_value("export").run()
    assert list(at.dataframe[0].value["Detail"]) == ["audit_sample.csv"]
    at.selectbox(key="log_action").set_value(None).run()
    at.text_input(key="log_child").set_value("0123456789ABCDEF").run()
    assert list(at.dataframe[0].value["Who"]) == ["bo@council.gov.uk"]
    assert [b.proto.label for b in at.get("download_button")] == ["Download as CSV"]


def _refused_access_log() -> None:
    from paqa_dash.ui import access, navigation
    from paqa_dash.ui.pages import access_log as page

    navigation.refusal_view(page, access.current_scope())()


def test_other_roles_are_refused_and_the_refusal_is_logged(fake_metrics, tmp_path, monkeypatch) -> None:
    from paqa_dash.ui import access, navigation

    fake_metrics({})
    path = _seed(tmp_path)
    monkeypatch.setattr(access, "current_scope", lambda: Scope(role="service_manager", teams=("North",)))
    # the navigation holds a refusal at the page's path, not the page (AppTest cannot open a path: run it)
    assert {e.module.URL_PATH: e.kind for e in navigation.plan(navigation.discover_pages(), access.current_scope())
            }["access_log"] == "refused"
    at = AppTest.from_function(_refused_access_log, default_timeout=30).run()
    assert not at.exception
    assert "not open to your role" in at.error[0].value
    refused = [r for r in access_log.read(path=path).records if r.action == "refused"]
    assert len(refused) == 1 and refused[0].page == "access_log" and refused[0].role == "service_manager"
