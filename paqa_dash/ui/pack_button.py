"""The "Download audit pack" button, shared by the child timeline and the audit sample pages.

Why a callable: `st.download_button` accepts a function that builds the file only when the button
is clicked, so a page listing many children does not build every pack on each rerun.  The pack
uses the sidebar's thresholds and the as-of date chosen, so it matches what the pages show; with none chosen it is
read as of the child's own authority's data date, as the child timeline is (metrics/data_dates.py `child_date`).
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from ..metrics import chronology
from ..report.pack import build_pack, pack_file_name
from ..scope import AUDIT
from ..settings import Thresholds
from . import access, access_trail, data, state


def pack_html(child_id: str, thresholds: Thresholds, as_of: date | None) -> bytes:
    """The pack's bytes, cached per store version, child, thresholds and as-of date chosen (None: none)."""
    return data.cached(build_pack, child_id, thresholds, as_of).encode("utf-8")


def pack_download_button(child_id: str, label: str | None = None, key: str | None = None,
                         as_of: date | None = None) -> None:
    """A button that downloads the child's printable audit pack (self-contained HTML); none for a role that
    may not have packs (the pack's reader refuses them too).  `as_of`: the date the child is read as of, where the
    page knows it (the file is named by it), else read here."""
    if not access.current_scope().can(AUDIT):
        return
    thresholds = state.current_thresholds()
    chosen = state.chosen_as_of()
    if as_of is None:
        as_of = data.cached(chronology.child_as_of, child_id, chosen,
                            data.store_info().get("authority_data_dates") or {}).as_of
    file_name = pack_file_name(child_id, as_of)
    st.download_button(
        label or "Download audit pack",
        data=access_trail.logged(lambda: pack_html(child_id, thresholds, chosen), file_name, child=child_id),
        file_name=file_name, mime="text/html", icon=":material/print:",
        key=key or f"pack_{child_id}", on_click="ignore",
        help="One printable HTML document with the child's multi-agency chronology, plans, actions, needs, "
             "attendance, household changes, challenge, SMART and language review and the findings form (the "
             "audit group's recorded judgements, else blank). "
             "Opens offline; print it to PDF from the browser (A4).")
