"""Which pages a user's navigation holds: every page their role may open, and a refusal at the path of
each other page.

Why a module of its own (not app.py): the rule is the part of sign-in a test must pin down for every role,
so it is plain Python (`plan`) that a test calls without a running app; `navigation_pages` only turns the
plan into `st.Page`s.  Pages are discovered from `paqa_dash/ui/pages/` (see `paqa_dash.ui` for the
convention), so adding a page never edits this file or app.py.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable, Literal

import streamlit as st

from ..scope import EVERYTHING, Scope
from . import access_trail
from . import pages as pages_pkg

ROOT = Path(__file__).resolve().parents[2]   # where app.py is: page files are registered relative to it
DEFAULT_RESERVED_PATH = "start"  # the default page must reserve a path of its own; it is served at "/"

Kind = Literal["default", "shown", "refused"]


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


def allowed(module: ModuleType, scope: Scope) -> bool:
    """A page opens when it needs no capability (Definitions) or the user's role has the one it `NEEDS`."""
    needs = getattr(module, "NEEDS", None)
    return needs is None or scope.can(needs)


@dataclass(frozen=True)
class Entry:
    module: ModuleType
    kind: Kind


def plan(modules: list[ModuleType], scope: Scope = EVERYTHING) -> list[Entry]:
    """The pages `scope` may open (the first of them, lowest ORDER, is the default at "/") and a refusal
    for every other page, at that page's own path: a pasted link or a typed path gets a reason, never
    Streamlit's "Page not found" and never the page."""
    opens = [m for m in modules if allowed(m, scope)]
    return ([Entry(m, "default" if i == 0 else "shown") for i, m in enumerate(opens)]
            + [Entry(m, "refused") for m in modules if not allowed(m, scope)])


def says_data_dates(modules: list[ModuleType], url_path: str) -> bool:
    """True when the page at `url_path` says itself how it reads authorities whose data ends early
    (`SAYS_DATA_DATES`), so the shared sidebar leaves that warning out."""
    return any(getattr(m, "SAYS_DATA_DATES", False) for m in modules if m.URL_PATH == url_path)


def followed_up_views(modules: list[ModuleType], url_path: str) -> str:
    """The views of the page at `url_path` that follow plans up (`FOLLOWED_UP_VIEWS`), whose years the shared
    sidebar's period note names beside the latest year's; "" for a page of none."""
    return next((getattr(m, "FOLLOWED_UP_VIEWS", "") for m in modules if m.URL_PATH == url_path), "")


def refusal_view(module: ModuleType, scope: Scope) -> Callable[[], None]:
    """What a user sees at the path of a page their role may not open; the refusal is logged."""
    def refused() -> None:
        access_trail.log_refused(f"page not open to the role {scope.role}", page=module.URL_PATH)
        st.title(module.TITLE)
        st.error(f"This page is not open to your role: you are signed in as {scope.label}. "
                 "Ask your administrator if you need it.", icon=":material/lock:")

    refused.__name__ = f"refused_{module.URL_PATH}"
    return refused


def refusal(module: ModuleType, scope: Scope) -> st.Page:
    """A hidden page at `module`'s path that says why this user may not open it."""
    return st.Page(refusal_view(module, scope), title=module.TITLE, icon=module.ICON, url_path=module.URL_PATH,
                   visibility="hidden")


def navigation_pages(modules: list[ModuleType], scope: Scope = EVERYTHING) -> list[st.Page]:
    """The plan as `st.Page`s.  The default page has two entries: Streamlit serves it at "/" only, so
    `/overview?team=North` would open "Page not found"; the default entry (visible, at "/") and a hidden
    entry at the page's own path run the same file, so both addresses open the same view."""
    pages = []
    for entry in plan(modules, scope):
        m = entry.module
        if entry.kind == "refused":
            pages.append(refusal(m, scope))
            continue
        file = Path(m.__file__).relative_to(ROOT).as_posix()
        if entry.kind == "default":
            pages.append(st.Page(file, title=m.TITLE, icon=m.ICON, url_path=DEFAULT_RESERVED_PATH, default=True))
            pages.append(st.Page(file, title=m.TITLE, icon=m.ICON, url_path=m.URL_PATH, visibility="hidden"))
        else:
            pages.append(st.Page(file, title=m.TITLE, icon=m.ICON, url_path=m.URL_PATH))
    return pages
