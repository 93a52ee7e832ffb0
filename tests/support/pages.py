"""Opening a page of the app in `streamlit.testing.v1.AppTest`, as both tiers of page tests do."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(url_path: str, query: dict[str, str] | None = None, timeout: float = 30) -> AppTest:
    """Run the app on the page at `url_path` (its URL_PATH), with URL query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    page = next(p for p in (ROOT / "paqa_dash" / "ui" / "pages").glob("*.py")
                if f'URL_PATH = "{url_path}"' in p.read_text(encoding="utf-8"))
    at.switch_page(str(page.relative_to(ROOT))).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[dict]:
    """The page's plotly figures, as their JSON specs."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def findings(at: AppTest) -> list[str]:
    """Each chart's finding (shown as text above the chart; kept in the figure's meta), read as one line."""
    return [c["layout"]["meta"]["finding"].replace("<br>", " ") for c in charts(at)]
