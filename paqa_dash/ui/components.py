"""Shared pieces every page draws the same way: chart cards, metric tiles, empty state, banner, child links.

Why one place: every chart must state its finding, define its terms, name its source and offer its
numbers as a table and a CSV; doing that here means no page can forget.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.ui import anchors

NO_PLANS = "No plans match these filters"
TIMELINE_URL_PATH = "child_timeline"
TIMELINE_PAGE_FILE = "paqa_dash/ui/pages/child_timeline.py"   # UI-2's page, relative to app.py


@dataclass(frozen=True)
class Tile:
    """One headline number."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "off"


_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def plain(text: object) -> str:
    """Any text from the data or the URL, escaped so Streamlit shows it as typed: no Markdown, no HTML, no
    image fetched from another host, no `:red[...]` directive (st.markdown, captions, messages, st.table cells)."""
    return _MARKUP.sub(r"\\\1", str(text))


def synthetic_banner(is_synthetic: bool) -> None:
    if is_synthetic:
        st.warning("**Synthetic data.** Every child, plan and record shown here was generated for the demo; "
                   "none is real. Import your authority's data to replace it.", icon=":material/science:")


def empty_state(what: str = NO_PLANS, hint: str | None = None) -> None:
    """The clear message shown instead of a blank chart or an error."""
    st.info(f"**{what}.** " + (hint or "Widen the period, or clear the team, category, plan number or age filters "
                                       "in the sidebar."), icon=":material/filter_alt_off:")


NOT_RECORDED_HINT = ("CIN census, Annex A and SSD extracts do not carry them; import a native bundle "
                     "with {files} to see this.")


def definition_link(anchor: str, text: str = "definition") -> str:
    """A markdown link to one section of the Definitions page, for captions and help texts.

    Why: a caption stays short by naming the measure and linking to its full definition, which is
    written once in docs/definitions.md; `anchor` is one of the constants in `ui.anchors`."""
    return f"[{text}](/{anchors.URL_PATH}#{anchor})"


def not_recorded(what: str, files: str) -> None:
    """The store has none of these at all: say which source would bring them, not which filter to clear."""
    st.info(f"**This store records no {what}.** " + NOT_RECORDED_HINT.format(files=files),
            icon=":material/database:")


TILE_WIDTH = 220   # px: the longest headline ("11 months", "1,234,567", "18.6%") and its delta fit whole


def metric_tiles(tiles: Sequence[Tile]) -> None:
    """Headline tiles of one width in a row that wraps: four a row on a 1400 px screen, two on an 800 px
    laptop, six on a 1920 px projector, never a number cut to "18…" (fixed columns squeezed them)."""
    with st.container(horizontal=True, wrap=True, gap="small"):
        for tile in tiles:
            st.metric(tile.label, tile.value, delta=tile.delta, delta_color=tile.delta_color,
                      help=tile.help, border=True, width=TILE_WIDTH)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "table"


def table_expander(table: pd.DataFrame, key: str, file_name: str | None = None,
                   column_config: dict | None = None, label: str = "Show as table") -> None:
    """The numbers behind a chart, with a CSV download."""
    with st.expander(label, icon=":material/table:"):
        st.dataframe(table, hide_index=True, column_config=column_config, key=f"{key}_df")
        st.download_button("Download CSV", csv_bytes(table),
                           file_name=file_name or f"{_slug(key)}.csv", mime="text/csv",
                           key=f"{key}_csv", icon=":material/download:", on_click="ignore")


def chart_card(fig: go.Figure, caption: str, table: pd.DataFrame, key: str,
               column_config: dict | None = None) -> None:
    """A chart whose figure title states the finding, its definition/source caption and its table."""
    with st.container(border=True):
        st.plotly_chart(fig, key=f"{key}_chart", config={"displaylogo": False})
        st.caption(caption)
        table_expander(table, key, column_config=column_config)


def as_dates(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Show date columns as dates (DuckDB DATE arrives as a timestamp; a table of times reads badly)."""
    out = table.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_datetime(out[col]).dt.date
    return out


def child_timeline_url(child_id: str) -> str:
    """A relative link to UI-2's child timeline page for one pseudonym."""
    return f"{TIMELINE_URL_PATH}?child={quote(str(child_id))}"


def with_timeline_links(table: pd.DataFrame, child_col: str = "child_id", link_col: str = "timeline") -> pd.DataFrame:
    """Add a column of timeline links (render with `timeline_link_config`)."""
    out = table.copy()
    out[link_col] = [child_timeline_url(c) for c in out[child_col].astype(object)]
    return out


def timeline_link_config(link_col: str = "timeline") -> dict:
    return {link_col: st.column_config.LinkColumn("Child timeline", display_text="Open timeline",
                                                  help="The child's multi-agency chronology")}


def child_link(child_id: str, label: str | None = None) -> None:
    """A button-like link to one child's timeline inside the app (same tab)."""
    st.page_link(TIMELINE_PAGE_FILE, label=label or f"Timeline of {child_id}",
                 icon=":material/timeline:", query_params={"child": child_id})


def pct(value: float | None, digits: int = 0) -> str:
    """0.243 -> '24%'; None -> '–'."""
    if value is None or pd.isna(value):
        return "–"
    return f"{100 * value:.{digits}f}%"


def count(value: float | int | None) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{int(value):,}"
