"""The first run sends a script that loads the chart and table code early (paqa_dash/ui/preload.py): the module
files it names are the installed Streamlit's own, and with another build (none, or two candidates) it sends
nothing rather than a wrong name."""
from __future__ import annotations

from pathlib import Path

from paqa_dash.ui import preload


def test_the_installed_streamlit_has_each_module_once():
    names = preload.chunk_names()
    assert [n.split(".")[0] for n in names] == list(preload.CHUNKS)
    assert all((preload._JS / n).is_file() for n in names)


def test_a_module_missing_or_found_twice_is_left_out(tmp_path: Path):
    (tmp_path / "PlotlyChart.abc.js").write_text("")
    (tmp_path / "DataFrame.one.js").write_text("")
    (tmp_path / "DataFrame.two.js").write_text("")
    assert preload.chunk_names.__wrapped__(tmp_path) == ("PlotlyChart.abc.js",)
    assert preload.chunk_names.__wrapped__(tmp_path / "absent") == ()


def test_the_app_sends_the_script_in_the_sidebar_before_the_filters(demo_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PAQA_DB", str(demo_store))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=60).run()
    assert not at.exception
    bodies = [h.proto.body for h in at.sidebar.get("html")]
    assert any(all(name in body for name in preload.chunk_names()) and "import(" in body for body in bodies)
    assert not any("import(" in h.proto.body for h in at.main.get("html"))
