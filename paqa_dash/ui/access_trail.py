"""The session's side of the access log (paqa_dash/access_log.py): who, which page, which filters.

Why one module: app.py, the child timeline, every download and the import page each record one line;
here they take the identity (`access.identity()`), the role (`access.current_scope().role`), the page and
the URL's query string from the session the same way, so no caller can forget a field.

Downloads: every file is offered through `logged`, a deferred `data` callable that records the export
when the file is actually produced, i.e. when the user clicks.  Why not `on_click=<callable>`: that reruns
the whole page on every download (the pages use `on_click="ignore"` to avoid it), and eager bytes are built
on every render whether downloaded or not, so logging them would record files nobody took.  Streamlit runs
the deferred callable outside the script run (no session), so the record's fields and the user's scope (what
the file may hold) are read at render time.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable
from urllib.parse import urlencode

import streamlit as st

from paqa_dash import access_log
from paqa_dash.access_log import CONFIRM, EXPORT, IMPORT, REFUSED, VIEW, Record
from paqa_dash.ui import access, data

PAGE_KEY = "_access_log_page"    # session state: the url_path of the page this run draws
SEEN_KEY = "_access_log_seen"    # session state: the views recorded since the page or filters last changed


def log_path():
    """The log of the store this app serves (PAQA_ACCESS_LOG, else beside the store)."""
    return access_log.log_path(data.store_path())


def query_string() -> str:
    """The page's URL query string, every value of a repeated key kept (`team=North&team=South`)."""
    params = st.query_params
    return urlencode([(k, v) for k in sorted(params.keys()) for v in params.get_all(k)])


def _record(action: str, child: str | None = None, detail: str = "", page: str | None = None) -> Record:
    return Record(identity=access.identity(), role=access.current_scope().role, action=action,
                  page=page if page is not None else str(st.session_state.get(PAGE_KEY, "")),
                  filters=query_string(), child=child or None, detail=detail)


def _append(record: Record) -> None:
    access_log.append(record, log_path())


def log_page(page: Any) -> None:
    """Record a view of the page navigation resolved (app.py's main calls this once per run).

    Called after the sidebar is drawn, so the query string holds the filters this run applies.  A rerun
    that shows the same page with the same filters (a widget that changes nothing the log holds) is not
    recorded again; a new page or new filters is."""
    url_path = getattr(page, "url_path", "") or _default_path(page)
    st.session_state[PAGE_KEY] = url_path
    log_view()


def _default_path(page: Any) -> str:
    """The default page is served at "/" (url_path ""): record it by its title's slug instead."""
    return str(getattr(page, "title", "") or "home").strip().lower().replace(" ", "_")


def log_view(child: str | None = None) -> None:
    """Record a view (with the child's pseudonym on the child timeline), unless it repeats the last one.

    The child timeline calls this before it reads the child, so a view is recorded even when the
    reading fails."""
    record = _record(VIEW, child=child)
    where = (record.identity, record.page, record.filters)
    seen = st.session_state.get(SEEN_KEY)
    if not seen or seen[0] != where:
        seen = (where, set())
    if record.child in seen[1]:
        return
    _append(record)
    seen[1].add(record.child)
    st.session_state[SEEN_KEY] = seen


def log_import(detail: str) -> None:
    _append(_record(IMPORT, detail=detail))


def log_confirm(detail: str) -> None:
    _append(_record(CONFIRM, detail=detail))


def log_refused(detail: str, page: str | None = None) -> None:
    """Record a page or action refused to this user (for the page gating: `page` names the page)."""
    _append(_record(REFUSED, detail=detail, page=page))


def logged(make: Callable[[], bytes], file_name: str, child: str | None = None) -> Callable[[], bytes]:
    """A deferred `data` for `st.download_button` that records the export when the file is produced.

    Call at render time: the record's identity, page and filters are taken now, its time when clicked."""
    template = _record(EXPORT, child=child, detail=file_name)
    path = log_path()
    scope = access.current_scope()

    def produce() -> bytes:
        with access.scope_of_download(scope):   # no session out here: read under the drawer's scope
            content = make()
        access_log.append(replace(template, time=access_log.now()), path)
        return content

    return produce
