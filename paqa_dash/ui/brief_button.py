"""The sidebar's "Download briefing" button: this page's charts (or the standing partnership briefing) as a
PowerPoint deck, an A4 PDF or an Excel workbook, for the sidebar's filters and this user's role.

Why here and thin: the briefing is built by paqa_dash/report/briefing (the same metrics and figure builders as
the pages, suppression as on screen); this module only asks which format and scope, reads it through
`data.cached` (so the user's scope goes into every filter) and offers it as a logged, deferred download.
"""
from __future__ import annotations

import streamlit as st

from ..report.briefing import build, images, presets
from ..scope import AGGREGATES
from . import access, access_trail, data, state

FORMAT_LABELS = {"pptx": "PowerPoint", "pdf": "PDF (A4)", "xlsx": "Excel"}
SCOPE_LABELS = {"page": "This page", "partnership": "Partnership briefing"}
# On a page with no briefing of its own, "This page" would download the Overview's without a word.
NOT_OWN_LABEL = "The overview (this page has no briefing)"


def briefing_bytes(fmt: str, sections: tuple[str, ...]) -> bytes:
    filters, thresholds = state.current_filters(), state.current_thresholds()
    cohort = state.followed_up(filters, thresholds)[0]
    return data.cached(build.build_briefing, filters, thresholds, fmt, sections, cohort=cohort,
                       asked_as_of=state.asked_as_of())


READY_KEY = "_briefing_ready"   # session state: (what was asked, the file's name, its bytes)


def briefing_sidebar(url_path: str) -> None:
    """Draw the contents and format choice, a "Prepare briefing" button and, once prepared, the download
    (nothing for a role without aggregates).

    Why two steps: drawing the charts takes up to a minute, which a spinner should say; a deferred download
    would leave the browser waiting with no word, and would be built by every test that opens a page."""
    if not access.current_scope().can(AGGREGATES):
        return
    with st.sidebar.expander("Briefing for a board", icon=":material/slideshow:"):
        labels = SCOPE_LABELS if presets.has_own(url_path) else {**SCOPE_LABELS, "page": NOT_OWN_LABEL}
        which = st.radio("Contents", list(labels), format_func=labels.get, key="brief_scope", horizontal=True)
        fmt = st.radio("Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, key="brief_format",
                       horizontal=True)
        sections = presets.for_page(url_path) if which == "page" else presets.PRESETS["partnership"]
        filters, thresholds = state.current_filters(), state.current_thresholds()
        asked = (fmt, sections, filters, thresholds, access.current_scope(), state.asked_as_of())
        if st.button("Prepare briefing", key="brief_prepare", icon=":material/slideshow:",
                     help="The charts with their findings, definitions and sources, and the headline figures, for "
                          "the sidebar's filters; small numbers as on screen. Takes up to a minute (the charts are "
                          "drawn as pictures)."):
            try:
                with st.spinner("Drawing the charts..."):
                    content = briefing_bytes(fmt, sections)
            except images.NoPicture as exc:   # no browser, or a chart left undrawn: said, not a traceback
                st.error(f"The briefing could not be prepared: {exc}.", icon=":material/error:")
                return
            st.session_state[READY_KEY] = (asked, build.file_name(fmt, presets.resolve(sections)[0], filters.as_of),
                                           content)
        ready = st.session_state.get(READY_KEY)
        if not ready or ready[0] != asked:   # prepared for other choices or filters: never offered as this one
            return
        _, name, content = ready
        # logged with the period and as-of date it was made for, written out (blank in the address, they follow
        # the data), as the command line's line says them
        st.download_button(f"Download {name}", access_trail.logged(lambda: content, name,
                                                                   filters=access_trail.query_of(filters)),
                           file_name=name,
                           mime=build.FORMATS[fmt], icon=":material/download:", key="brief_download",
                           on_click="ignore")
