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
from paqa_dash.filters import Filters
from paqa_dash.access_log import CONFIRM, EXPORT, IMPORT, REFUSED, VIEW, Record
from paqa_dash.ui import access, data

PAGE_KEY = "_access_log_page"    # session state: the url_path of the page this run draws
SEEN_KEY = "_access_log_seen"    # session state: the views recorded since the page or filters last changed
REFUSED_KEY = "_access_log_refused"   # session state: a refusal of filters met before the page is known
DEFAULT_CHILD_KEY = "_access_log_default_child"   # session state: the child the timeline opened by itself

# The detail of a child's view the user did not choose: the timeline opens the first child of the filtered cohort
# when none is asked for, so a reviewer must be able to tell that view from one of a child the user looked up.
OPENED_BY_DEFAULT = "opened by default: the first child of the filtered cohort, not chosen by the user"
# The sidebar's keys whose value, left blank, is worked out from the data (the period and the as-of date).
_PERIOD_KEYS = ("from", "to", "as_of")


def log_path():
    """The log of the store this app serves (PAQA_ACCESS_LOG, else beside the store)."""
    return access_log.log_path(data.store_path())


def query_string() -> str:
    """The page's URL query string, every value of a repeated key kept (`team=North&team=South`)."""
    params = st.query_params
    return urlencode([(k, v) for k in sorted(params.keys()) for v in params.get_all(k)])


def query_of(filters: Filters) -> str:
    """The page's query string with the period and as-of date `filters` used written out, for a file whose
    contents they decide (a briefing): blank in the address, they are worked out from the data, and an empty
    string in the log would not say which year a board was sent, nor reopen it once newer data is imported."""
    params = st.query_params
    pairs = [(k, v) for k in params.keys() if k not in _PERIOD_KEYS for v in params.get_all(k)]
    pairs += [(k, v.isoformat()) for k, v in (("from", filters.date_from), ("to", filters.date_to),
                                              ("as_of", filters.effective_as_of)) if v is not None]
    return urlencode(sorted(pairs, key=lambda kv: kv[0]))


def _record(action: str, child: str | None = None, detail: str = "", page: str | None = None,
            filters: str | None = None) -> Record:
    return Record(identity=access.identity(), role=access.current_scope().role, action=action,
                  page=page if page is not None else str(st.session_state.get(PAGE_KEY, "")),
                  filters=query_string() if filters is None else filters, child=child or None, detail=detail)


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
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:   # filters outside the scope, asked for by the address: logged with what was asked
        _append(_record(REFUSED, detail=refused[1], filters=refused[0]))


def refuse_filters(detail: str) -> None:
    """Note filters outside the user's scope (a team or authority the address asked for), to be logged as
    refused with this page once it is known (`log_page`).  Called by the sidebar before its widgets are drawn:
    they drop a value they do not offer from the address, so the query string is taken now, as asked."""
    st.session_state[REFUSED_KEY] = (query_string(), detail)


def _default_path(page: Any) -> str:
    """The default page is served at "/" (url_path ""): record it by its title's slug instead."""
    return str(getattr(page, "title", "") or "home").strip().lower().replace(" ", "_")


def log_view(child: str | None = None, by_default: bool = False) -> None:
    """Record a view (with the child's pseudonym on the child timeline), unless it repeats the last one.

    The child timeline calls this before it reads the child, so a view is recorded even when the
    reading fails; `by_default`: the page opened this child by itself (OPENED_BY_DEFAULT says so in the
    record), the user did not choose it."""
    record = _record(VIEW, child=child, detail=OPENED_BY_DEFAULT if by_default else "")
    where = (record.identity, record.page, record.filters)
    seen = st.session_state.get(SEEN_KEY)
    if not seen or seen[0] != where:
        seen = (where, set())
    if (record.child, record.detail) in seen[1]:   # (a child opened by default, then chosen: both logged)
        return
    _append(record)
    seen[1].add((record.child, record.detail))
    st.session_state[SEEN_KEY] = seen


def log_import(detail: str) -> None:
    _append(_record(IMPORT, detail=detail))


def log_confirm(detail: str) -> None:
    _append(_record(CONFIRM, detail=detail))


def log_refused(detail: str, page: str | None = None) -> None:
    """Record a page or action refused to this user (for the page gating: `page` names the page)."""
    _append(_record(REFUSED, detail=detail, page=page))


def logged(make: Callable[[], bytes], file_name: str, child: str | None = None,
           filters: str | None = None) -> Callable[[], bytes]:
    """A deferred `data` for `st.download_button` that records the export when the file is produced.

    Call at render time: the record's identity, page and filters are taken now, its time when clicked.
    `filters`: what the record says the file was made for, where the address alone does not say it
    (`query_of`); else the page's query string."""
    template = _record(EXPORT, child=child, detail=file_name, filters=filters)
    path = log_path()
    scope = access.current_scope()

    def produce() -> bytes:
        with access.scope_of_download(scope):   # no session out here: read under the drawer's scope
            content = make()
        access_log.append(replace(template, time=access_log.now()), path)
        return content

    return produce
