"""Access log (administrators): who opened which page, filters and child, and what was exported or imported.

Read from the append-only log beside the store (paqa_dash/access_log.py); this page only reads it, filters
it and offers it as a CSV (through safe_csv, like every download, and itself logged as an export).
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from paqa_dash import access_log
from paqa_dash.scope import ADMIN
from paqa_dash.ui import access, access_trail, components
from paqa_dash.reference.words import counted

TITLE = "Access log"
ICON = ":material/manage_search:"
ORDER = 95
URL_PATH = "access_log"
NEEDS = ADMIN   # the page gating reads this: administrators only

SHOW_ROWS = 5000
COLUMN_CONFIG = {
    "time": st.column_config.TextColumn("When (UTC)"), "identity": "Who", "role": "Role", "action": "Action",
    "page": "Page", "filters": st.column_config.TextColumn("Filters (URL query)", width="medium"),
    "child": "Child (pseudonym)", "detail": st.column_config.TextColumn("Detail", width="large"),
}


def _query(pages: list[str]) -> access_log.Query:
    """The filter row: who, page, child, action and a date range (all optional)."""
    c1, c2, c3, c4, c5 = st.columns([2, 1.5, 1.5, 1, 2], vertical_alignment="bottom")
    who = c1.text_input("Who", key="log_identity", placeholder="e-mail or part of it")
    page = c2.selectbox("Page", pages, index=None, key="log_page", placeholder="All")
    child = c3.text_input("Child pseudonym", key="log_child", placeholder="16 characters")
    action = c4.selectbox("Action", access_log.ACTIONS, index=None, key="log_action", placeholder="All")
    dates = c5.date_input("Between (UTC)", value=(), key="log_dates", format="YYYY-MM-DD")
    since = dates[0] if len(dates) > 0 else None
    until = dates[1] if len(dates) > 1 else since
    return access_log.Query(identity=who or None, page=page, child=child or None, action=action,
                            since=since, until=until)


def render() -> None:
    st.title("Access log")
    scope = access.current_scope()
    if not scope.can(ADMIN):
        access_trail.log_refused("the access log")
        st.error(f"The access log is open to administrators only, not to your role ({scope.label}).",
                 icon=":material/lock:")
        return
    path = access_trail.log_path()
    st.caption(f"Every page view (with its filters), child opened, download, import and confirmation, appended "
               f"to `{path.name}` beside the store; nothing here changes or deletes it. Times are UTC.")
    every = access_log.read(path=path)
    pages = sorted({r.page for r in every.records if r.page})
    reading = access_log.read(_query(pages), path)
    if every.damaged:
        st.warning(f"{every.damaged:,} line(s) of the log could not be read (cut short, e.g. by a full disk); "
                   "they are left in the file as they are.", icon=":material/warning:")
    table = access_log.as_frame(reading.records)
    st.markdown(f"**{len(table):,} of {counted(len(every.records), 'record')}**")
    if table.empty:
        st.info("No record matches these filters.", icon=":material/filter_alt_off:")
        return
    components.data_table(table.head(SHOW_ROWS), "log_table", column_config=COLUMN_CONFIG)
    if len(table) > SHOW_ROWS:
        st.caption(f"Showing the newest {SHOW_ROWS:,}; the CSV has all {len(table):,}.")
    file_name = f"access_log_{date.today().isoformat()}.csv"
    components.csv_download("Download as CSV", lambda: components.table_csv(table, COLUMN_CONFIG), file_name, "log_csv")


if __name__ == "__main__":
    render()
