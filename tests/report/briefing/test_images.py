"""report/briefing/images.pngs: a chart the browser session left undrawn (seen on a busy machine) is drawn again,
and one never drawn is an error naming it, not a missing file."""
from __future__ import annotations

import os
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from paqa_dash.report.briefing import images


@pytest.fixture(autouse=True)
def _browser_path_put_back(monkeypatch):
    """pngs() sets BROWSER_PATH (choreographer's) to the fake browser these tests give it; recorded here, it is
    put back after each test, or every later briefing in this process would be drawn with the fake (seen:
    tests/test_cli_help.py's PDF briefing failing after this module in one process)."""
    monkeypatch.setenv("BROWSER_PATH", os.environ.get("BROWSER_PATH", "unset"))
    if os.environ["BROWSER_PATH"] == "unset":
        monkeypatch.delenv("BROWSER_PATH")


@pytest.fixture
def drawer(monkeypatch, tmp_path):
    """write_images replaced: records what each session was asked to draw and skips the paths `skip` says."""
    fake_browser = tmp_path / "chromium"
    fake_browser.write_text("")
    monkeypatch.setenv(images.CHROMIUM_ENV, str(fake_browser))
    sessions: list[list[str]] = []

    def install(skip):
        def write_images(figs, paths, **_):
            sessions.append([Path(p).name for p in paths])
            for n, path in enumerate(paths):
                if not skip(len(sessions), Path(path).name):
                    Path(path).write_bytes(f"png {Path(path).name}".encode())
        monkeypatch.setattr(pio, "write_images", write_images)
        return sessions
    return install


def test_a_chart_left_undrawn_is_drawn_again_alone(drawer):
    sessions = drawer(lambda session, name: session == 1 and name == "0.png")
    out = images.pngs([go.Figure(), go.Figure(), go.Figure()])
    assert out == [b"png 0.png", b"png 1.png", b"png 2.png"]
    assert sessions == [["0.png", "1.png", "2.png"], ["0.png"]]


def test_a_chart_never_drawn_is_an_error_naming_it(drawer):
    sessions = drawer(lambda session, name: name == "1.png")
    with pytest.raises(images.NoPicture, match="no picture for chart 2 of 2 after 3 attempts"):
        images.pngs([go.Figure(), go.Figure()])
    assert len(sessions) == images.ATTEMPTS


def test_a_session_failing_as_its_page_loads_is_tried_again(monkeypatch, tmp_path):
    """kaleido raised "ReferenceError: kaleido_scopes is not defined" from a session whose page had not loaded (a
    load of 9 on two cores): the briefing failed on the first try; the next session draws the charts."""
    fake_browser = tmp_path / "chromium"
    fake_browser.write_text("")
    monkeypatch.setenv(images.CHROMIUM_ENV, str(fake_browser))
    calls = []

    def write_images(figs, paths, **_):
        calls.append(len(paths))
        if len(calls) == 1:
            raise RuntimeError("ReferenceError: kaleido_scopes is not defined")
        for path in paths:
            Path(path).write_bytes(b"png")
    monkeypatch.setattr(pio, "write_images", write_images)
    assert images.pngs([go.Figure(), go.Figure()]) == [b"png", b"png"]
    assert calls == [2, 2]


def test_a_session_failing_every_time_is_an_error_saying_why(monkeypatch, tmp_path):
    fake_browser = tmp_path / "chromium"
    fake_browser.write_text("")
    monkeypatch.setenv(images.CHROMIUM_ENV, str(fake_browser))

    def write_images(figs, paths, **_):
        raise RuntimeError("kaleido_scopes is not defined")
    monkeypatch.setattr(pio, "write_images", write_images)
    with pytest.raises(images.NoPicture, match="after 3 attempts.*kaleido_scopes is not defined"):
        images.pngs([go.Figure()])
