"""Definitions: every measure the dashboard shows, in words, as written in docs/definitions.md.

Why render the document rather than write the page: the definitions are written once, for the
repository and the app alike.  Streamlit turns each `##` heading into an anchor, so a caption on
any page links straight to its section (`components.definition_link`, anchors in `ui.anchors`).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from paqa_dash.settings import ROOT
from paqa_dash.ui import anchors

TITLE = "Definitions"
ICON = ":material/menu_book:"
ORDER = 100
URL_PATH = anchors.URL_PATH

DEFINITIONS_FILE: Path = ROOT / "docs" / "definitions.md"


def render() -> None:
    try:
        text = DEFINITIONS_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        st.title("Definitions")
        st.error(f"The definitions file is missing from this installation ({DEFINITIONS_FILE.name} in docs/).",
                 icon=":material/error:")
        return
    st.markdown(text)


if __name__ == "__main__":
    render()
