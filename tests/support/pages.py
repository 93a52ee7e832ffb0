"""Opening a page of the app in `streamlit.testing.v1.AppTest`, as both tiers of page tests do."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "paqa_dash" / "ui" / "pages"


def _asked_by_name(page_file: Path) -> bool:
    """Whether a first run can ask for the page at once, as a browser opening /<URL_PATH> does.

    Streamlit names a page by the hash of its URL path; before the app's first run AppTest can only hash the
    file's name, which is the same hash where the file is named for its URL_PATH (every page but Import).  For
    the others the app first runs once on its default page, to register the navigation, and then switches."""
    module = importlib.import_module(f"paqa_dash.ui.pages.{page_file.stem}")
    return getattr(module, "URL_PATH", None) == page_file.stem


def open_file(page_file: str, query: dict[str, str | list[str]] | None = None, timeout: float = 30) -> AppTest:
    """Run the app on the page in `page_file` (relative to the repository), with URL query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if not _asked_by_name(ROOT / page_file):
        at.run()
    at.switch_page(page_file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(url_path: str, query: dict[str, str] | None = None, timeout: float = 30) -> AppTest:
    """Run the app on the page at `url_path` (its URL_PATH), with URL query parameters."""
    page = next(p for p in PAGES.glob("*.py") if f'URL_PATH = "{url_path}"' in p.read_text(encoding="utf-8"))
    return open_file(str(page.relative_to(ROOT)), query, timeout)


def charts(at: AppTest) -> list[dict]:
    """The page's plotly figures, as their JSON specs."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def findings(at: AppTest) -> list[str]:
    """Each chart's finding (shown as text above the chart; kept in the figure's meta), read as one line."""
    return [c["layout"]["meta"]["finding"].replace("<br>", " ") for c in charts(at)]
