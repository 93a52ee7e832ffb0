"""Definitions: every measure the dashboard shows, in words, as written in docs/definitions.md.

Why render the document rather than write the page: the definitions are written once, for the
repository and the app alike.  Streamlit turns each `##` heading into an anchor, so a caption on
any page links straight to its section (`components.definition_link`, anchors in `ui.anchors`).
"""
from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from paqa_dash.settings import ROOT
from paqa_dash.ui import anchors

TITLE = "Definitions"
ICON = ":material/menu_book:"
ORDER = 100
URL_PATH = anchors.URL_PATH
NEEDS = None

DEFINITIONS_FILE: Path = ROOT / "docs" / "definitions.md"
# A link to a sibling document (`[data contract](data_contract.md#codes)`) works on the repository's own
# pages but not in the app, which serves no docs/ folder: there it names the file to open instead.
_DOC_LINK = re.compile(r"\[([^\]]+)\]\(([A-Za-z0-9_]+\.md)(#[^)]*)?\)")


def for_the_app(markdown: str) -> str:
    """`markdown` with links to other documents turned into their names in docs/ (the app has no page for them)."""
    return _DOC_LINK.sub(lambda m: f"{m.group(1)} (`docs/{m.group(2)}`)", markdown)


def render() -> None:
    try:
        text = DEFINITIONS_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        st.title("Definitions")
        st.error(f"The definitions file is missing from this installation ({DEFINITIONS_FILE.name} in docs/).",
                 icon=":material/error:")
        return
    st.markdown(for_the_app(text))


if __name__ == "__main__":
    render()
