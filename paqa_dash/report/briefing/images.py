"""Charts as static PNG images: plotly's own exporter, kaleido (v1), driving the computer's Chromium.

Why kaleido: it renders with plotly.js itself, so a slide shows exactly the chart of the page; v1 no longer
bundles a browser and drives an installed Chrome or Chromium (through choreographer), which suits an offline
server: Debian's /usr/bin/chromium (the one the browser tests use), or $PAQA_CHROMIUM.  Nothing is ever
downloaded.  All the charts of one briefing are drawn in one browser session (plotly.io.write_images).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Sequence

import plotly.graph_objects as go

CHROMIUM_ENV = "PAQA_CHROMIUM"
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT, SCALE = 1200, 620, 2   # px at scale 1: a 16:9 slide's picture area; scale 2 stays sharp printed

ATTEMPTS = 3   # browser sessions per briefing before a chart still undrawn is an error
_LOCK = threading.Lock()   # one briefing's browser at a time (two sessions clicking at once queue here)


class NoPicture(RuntimeError):
    """A chart could not be drawn as a picture; the message says why and what to do, for the user."""


class NoBrowser(NoPicture):
    """No Chromium to draw charts with; the message says which path was looked for."""


def browser() -> str:
    """The Chromium to draw with: $PAQA_CHROMIUM, else $BROWSER_PATH (choreographer's own), else Debian's."""
    for path in (os.environ.get(CHROMIUM_ENV), os.environ.get("BROWSER_PATH"), CHROMIUM, shutil.which("chromium")):
        if path and Path(path).exists():
            return path
    raise NoBrowser(f"charts are drawn with Chromium: install Debian's chromium ({CHROMIUM}) or set {CHROMIUM_ENV}")


def pngs(figures: Sequence[go.Figure], width: int = WIDTH, height: int = HEIGHT, scale: int = SCALE) -> list[bytes]:
    """Each figure as PNG bytes, in order, drawn in one Chromium session."""
    if not figures:
        return []
    import plotly.io as pio

    os.environ["BROWSER_PATH"] = browser()   # choreographer reads it; never fetches a browser of its own
    printed = [_for_print(f) for f in figures]
    with _LOCK, tempfile.TemporaryDirectory(prefix="paqa_brief_") as tmp:
        paths = [Path(tmp) / f"{i}.png" for i in range(len(figures))]
        failed: Exception | None = None
        for _ in range(ATTEMPTS):
            # a browser session on a busy machine may leave a picture undrawn without an error, or fail as its page
            # loads ("kaleido_scopes is not defined", seen at a load of 9 on two cores): those are drawn again
            missing = [i for i, p in enumerate(paths) if not p.exists()]
            if not missing:
                break
            try:
                pio.write_images([printed[i] for i in missing], [paths[i] for i in missing], format="png",
                                 width=width, height=height, scale=scale)
            except Exception as e:   # kaleido's errors are its own private classes
                failed = e
        undrawn = [i + 1 for i, p in enumerate(paths) if not p.exists()]
        if undrawn:
            why = f" (the last error: {failed})" if failed else ""
            raise NoPicture(f"Chromium drew no picture for chart {', '.join(map(str, undrawn))} of {len(paths)} "
                               f"after {ATTEMPTS} attempts; try the briefing again{why}")
        return [p.read_bytes() for p in paths]


def _for_print(fig: go.Figure) -> go.Figure:
    """The page's figure with its title taken off (the slide's title states the finding, larger) and a
    fixed height (a page's figure may set its own, which would squash it into the slide), and a larger font
    (read across a room or on paper, not on a screen at arm's length)."""
    out = go.Figure(fig)
    out.update_layout(title_text="", height=None, margin={"t": 60}, font={"size": 16})
    return out
