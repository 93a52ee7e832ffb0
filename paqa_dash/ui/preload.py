"""Start the browser fetching and compiling the chart and table code while the server still runs the page.

Why: Streamlit's frontend loads the code of a plotly chart (plotly.js, 4.7 MB) and of a table only when the first
chart or table of the page arrives, which is after that chart's queries and figure; in a new tab the browser then
fetches and compiles it (1 to 3 s on two busy cores: docs/benchmark_history.md, "Every setting fast") after the script run
instead of during it.  A small script sent first imports the same modules by the same URLs, so the frontend finds
them loaded when the charts arrive.  The module names are read from the installed Streamlit's own static folder;
with another build (no such file) nothing is sent and the page loads as before.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

CHUNKS = ("PlotlyChart", "DataFrame")   # the frontend's lazily loaded modules of st.plotly_chart and st.dataframe
_JS = Path(st.__file__).parent / "static" / "static" / "js"
# Resolved against the frontend's own entry script, as its lazy imports are (so under any base URL path); an
# import that fails changes nothing (the frontend loads the module itself later).
_SCRIPT = ("<script>(() => {{ const entry = document.querySelector('script[type=\"module\"][src*=\"/static/js/index.\"]');"
           " if (!entry) return; for (const name of {names}) import(new URL(name, entry.src).href).catch(() => {{}}); }})();"
           "</script>")


@cache
def chunk_names(folder: Path = _JS) -> tuple[str, ...]:
    """The file of each module in CHUNKS in this Streamlit build (one per name, else that name is left out)."""
    found = (sorted(folder.glob(f"{stem}.*.js")) for stem in CHUNKS)
    return tuple(files[0].name for files in found if len(files) == 1)


def chart_code() -> None:
    """Send the script that starts loading the chart and table code (an element with nothing to see), on
    every run at the same place so that the page's later elements keep theirs."""
    names = chunk_names()
    if names:
        st.html(_SCRIPT.format(names=json.dumps(list(names))), unsafe_allow_javascript=True)
