"""paqa_dash: repeat child protection plans for neglect — the Streamlit entry point.

Run with `bash scripts/run.sh` (or `streamlit run app.py --server.address 127.0.0.1`).  Checks who may
open it (`paqa_dash.ui.access`: this computer only, unless sign-in is configured), then draws the page
config, the shared sidebar filters and the synthetic-data banner, and runs the chosen page.  Pages are discovered from
`paqa_dash/ui/pages/` (see `paqa_dash.ui` for the convention), so adding a page never edits this file.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from paqa_dash.ui import access, access_trail, components, data, state  # noqa: E402
from paqa_dash.ui import pages as pages_pkg  # noqa: E402


def discover_pages() -> list[ModuleType]:
    """Every module in paqa_dash/ui/pages with the page attributes, sorted by ORDER."""
    found = []
    for info in pkgutil.iter_modules(pages_pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pages_pkg.__name__}.{info.name}")
        if all(hasattr(module, a) for a in ("TITLE", "ICON", "ORDER", "URL_PATH", "render")):
            found.append(module)
    return sorted(found, key=lambda m: (m.ORDER, m.TITLE))


DEFAULT_RESERVED_PATH = "start"  # the default page must reserve a path of its own; it is served at "/"


def navigation_pages(modules: list[ModuleType]) -> list[st.Page]:
    """One page per module at its own path, and the first (lowest ORDER) also at "/".

    Why two entries for the first page: Streamlit serves the default page at "/" only, so `/overview?team=North`
    would open "Page not found".  The default entry (visible, at "/") and a hidden entry at the page's own
    path run the same file, so both addresses open the same view."""
    pages = []
    for i, m in enumerate(modules):
        file = Path(m.__file__).relative_to(ROOT).as_posix()
        if i == 0:
            pages.append(st.Page(file, title=m.TITLE, icon=m.ICON, url_path=DEFAULT_RESERVED_PATH, default=True))
            pages.append(st.Page(file, title=m.TITLE, icon=m.ICON, url_path=m.URL_PATH, visibility="hidden"))
        else:
            pages.append(st.Page(file, title=m.TITLE, icon=m.ICON, url_path=m.URL_PATH))
    return pages


def main() -> None:
    st.set_page_config(page_title="paqa_dash: repeat child protection plans", page_icon=":material/child_care:",
                       layout="wide")
    allowed = access.guard()  # before anything else: refuse, or ask to sign in (paqa_dash/ui/access.py)
    page = st.navigation(navigation_pages(discover_pages()), position="sidebar")
    if not data.ensure_store():
        st.stop()
    info = data.store_info()
    state.draw_sidebar(info["teams"])
    access_trail.log_page(page)  # the access log: who opened which page with which filters
    access.notice(allowed)
    components.synthetic_banner(info["synthetic"])
    if info["plans"] == 0:
        st.info("The data store has no plans yet. Import your authority's data on the Import page or with "
                "`python -m paqa_dash import PATH`.", icon=":material/database:")
    page.run()


main()
