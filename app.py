"""paqa_dash: repeat child protection plans for neglect — the Streamlit entry point.

Run with `bash scripts/run.sh` (or `streamlit run app.py --server.address 127.0.0.1`).  Checks who may
open it (`paqa_dash.ui.access`: this computer only, unless sign-in is configured) and what their role
may read, then draws the page config, the pages their role opens (`paqa_dash.ui.navigation`), the shared
sidebar filters and the synthetic-data banner, and runs the chosen page.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from paqa_dash.ui import access, access_trail, components, data, navigation, preload, state, warm  # noqa: E402
from paqa_dash.ui.brief_button import briefing_sidebar  # noqa: E402


def main() -> None:
    st.set_page_config(page_title="paqa_dash: repeat child protection plans", page_icon=":material/child_care:",
                       layout="wide")
    mode = access.guard()  # before anything else: refuse, or ask to sign in (paqa_dash/ui/access.py)
    with st.sidebar:
        preload.chart_code()  # the browser loads the chart code while this run goes on (paqa_dash/ui/preload.py)
    scope = access.current_scope()
    modules = navigation.discover_pages()
    page = st.navigation(navigation.navigation_pages(modules, scope), position="sidebar",
                         expanded=True)   # every page a role opens listed, never "View 3 more"
    if not data.ensure_store():
        st.stop()
    with data.page_run():   # the run's reads share one store connection, closed when the page is drawn
        info = data.store_info()
        path = getattr(page, "url_path", "") or ""
        state.draw_sidebar(info["teams"], scope, dates_note=not navigation.says_data_dates(modules, path),
                           followed_up_views=navigation.followed_up_views(modules, path))
        access_trail.log_page(page)  # the access log: who opened which page with which filters
        briefing_sidebar(path)  # the board briefing of this page (report/briefing)
        access.notice(mode)
        components.synthetic_banner(info["synthetic"])
        if info["plans"] == 0:
            st.info("The data store has no plans yet. Import your authority's data on the Import page or with "
                    "`python -m paqa_dash import PATH`.", icon=":material/database:")
        page.run()
    warm.start_once()  # the costs other pages pay once a process, paid now (paqa_dash/ui/warm.py)


main()
