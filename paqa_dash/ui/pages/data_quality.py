"""Data quality: every import, what it loaded and rejected and why, warnings, and what the store holds.
Nothing from a source is silently dropped (docs/data_contract.md, "What is rejected and why"), so every
reject can be found and downloaded here."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import quality as figs
from paqa_dash.metrics import data_quality
from paqa_dash.reference import authorities as la
from paqa_dash.reference.codes import REPEATS_LABEL, REPEATS_MEANING, STORE_TABLE_LABELS
from paqa_dash.reference.words import counted
from paqa_dash.settings import PLAUSIBILITY
from paqa_dash.ui import components, data

TITLE = "Data quality"
ICON = ":material/fact_check:"
ORDER = 80
URL_PATH = "data_quality"
NEEDS = scope.ADMIN

SHOW_ROWS = 5000
DOWNLOAD_ROWS = 1_000_000
# The store's tables in words on screen; the CSVs keep the table names beside them (reference/words.py).
WORDS = {"table_name": STORE_TABLE_LABELS}


# The rejects table on screen: what was wrong first (an 800 px window showed run, table, file and row, and left the
# field and reason off its right edge), headings in words; the CSV keeps the store's column names and order.
REJECT_ORDER = ("field", "reason", "table_name", "source", "row_number", "run_id")
# Every table of the page, headed in words on screen (the CSVs keep the store's column names).
HEADINGS = {"field": "Field", "reason": "Reason", "table_name": "Table", "source": "Source file",
            "row_number": "Row", "run_id": "Import run", "message": "Warning", "n": "Rows", "rows": "Rows",
            "started_at": "Started", "finished_at": "Finished", "kind": "Source kind", "authorities": "Authorities",
            "file_hash": "File fingerprint (SHA-256)", "rows_read": "Rows read", "rows_loaded": "Loaded",
            "rows_rejected": "Rejected", "rows_duplicate": REPEATS_LABEL, "plan_id": "Plan", "child_id": "Child",
            "start_date": "Start date", "end_date": "End date", "authority": "Authority",
            "first_date": "First plan starts", "last_date": "Last plan starts or ends",
            "data_date": "Data to (latest record)"}
# Said under the title: the sidebar's filters are offered on every page, and would be read as applying here.
WHOLE_STORE = ("This page describes the whole store, every authority and year: the sidebar's filters do not "
               "apply to it.")


def rejects_on_screen(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` (data_quality.rejects, worded) with the field and reason first."""
    first = [c for c in REJECT_ORDER if c in rows.columns]
    return rows[first + [c for c in rows.columns if c not in first]]


STALE = ("{n} of the store's summary tables were written by an earlier version of paqa_dash, or not at all, so "
         "the pages work them out on every visit and open more slowly. To write them again (the data is not "
         "changed), run `python -m paqa_dash derive` where the store is kept (pages say the store is busy while "
         "it runs); the next import also writes them.")


def _stale() -> None:
    """After an upgrade: the summary tables to write again, and the command that does it."""
    stale = data.cached(data_quality.stale_summaries)
    if stale:
        st.warning(STALE.format(n=len(stale)) + "  \nTables: " + ", ".join(f"`{name}`" for name in stale),
                   icon=":material/update:")


def _history() -> None:
    runs = data.cached(data_quality.import_runs)
    if runs.empty:
        st.info("No import has been recorded in this store yet.", icon=":material/info:")
        return
    components.chart_card(figs.import_history_bars(runs),
                          f"Each import run: source rows read = loaded + rejected + {REPEATS_LABEL.lower()} "
                          f"({REPEATS_MEANING}). Source: the store's record of imports.",
                          runs.drop(columns=["counts_json"]), key="quality_runs", column_config=HEADINGS)


def _pick(label: str, options, key: str, labels: dict[str, str] | None = None):
    return st.selectbox(label, list(options), index=None, key=key, placeholder="All",
                        format_func=lambda v: (labels or {}).get(v, v))


def _rejects() -> None:
    options = data.cached(data_quality.reject_options)
    if options.empty:
        st.success("No source row was rejected.", icon=":material/check_circle:")
        return
    c1, c2, c3 = st.columns(3)
    with c1:
        table = _pick("Table", options.loc[options["kind"] == "table", "value"], "quality_table", STORE_TABLE_LABELS)
    with c2:
        reason = _pick("Reason", options.loc[options["kind"] == "reason", "value"], "quality_reason")
    with c3:
        source = _pick("Source file", options.loc[options["kind"] == "source", "value"], "quality_source")
    params = dict(table=table, reason=reason, source=source)
    reasons = data.cached(data_quality.reject_reasons, **params)
    if reasons.empty:
        st.info("No rejects match these choices.", icon=":material/filter_alt_off:")
        return
    components.chart_card(figs.reject_reasons_bars(reasons),
                          "Rows not loaded, by table and reason (top 15). Source: the store's rejected rows.",
                          reasons, key="quality_reasons", words=WORDS, column_config=HEADINGS)
    screen, rows = components.worded(data.cached(data_quality.rejects, DOWNLOAD_ROWS, **params), WORDS)
    components.data_table(rejects_on_screen(screen.head(SHOW_ROWS)), "quality_rejects_df", column_config=HEADINGS)
    if len(rows) > SHOW_ROWS:
        st.caption(f"Showing the first {SHOW_ROWS:,} of {len(rows):,} rejects; the CSV has them all.")
    components.csv_download("Download rejects CSV", lambda: components.table_csv(rows, HEADINGS), "rejects.csv",
                            "quality_rejects_csv")


def _warnings() -> None:
    messages = data.cached(data_quality.warning_messages)
    if messages.empty:
        st.success("No warnings.", icon=":material/check_circle:")
        return
    rows = data.cached(data_quality.warnings, DOWNLOAD_ROWS)
    components.data_table(components.worded(messages, WORDS)[0], "quality_warning_messages", column_config=HEADINGS)
    components.table_expander(rows, key="quality_warnings", label=f"Show all {counted(len(rows), 'warning')}", words=WORDS,
                              column_config=HEADINGS)
    st.caption("Rows that were loaded with a caveat, e.g. the DfE validator's cross-item rules (a plan that starts "
               "before its referral): the record still happened. Source: the store's warnings.")


def _implausible() -> None:
    plans = data.cached(data_quality.implausible_plans)
    if plans.empty:
        st.success("No plan has implausible dates.", icon=":material/check_circle:")
        return
    components.table_with_csv(plans, "quality_implausible", "implausible plans", column_config=HEADINGS)
    st.caption(f"{counted(len(plans), 'plan')} whose dates cannot be right: starting before "
               f"{PLAUSIBILITY.earliest_start.year}, the child aged {PLAUSIBILITY.adult_years} or over at the start, or "
               f"lasting over {counted(PLAUSIBILITY.longest_plan_years, 'year')} (dates after the import are rejected). They are "
               "stored and count toward the child's plan number, but every measure leaves them out: no start, "
               "ending, gap or re-plan is measured from their dates. Correct the source and import it again. "
               "Source: the store's plans and children tables.")


def _authorities() -> None:
    """A store of several authorities: each one's years and the date its data runs to, which its pages are read
    as of (an authority whose returns end earlier is not quiet after that date, only not recorded)."""
    info = data.store_info()
    spans = info.get("authority_spans") or {}
    if len(spans) < 2:
        return
    dates = info.get("authority_data_dates") or {}
    table = pd.DataFrame([{"authority": la.label(code), "first_date": first, "last_date": last,
                           "data_date": dates.get(code)} for code, (first, last) in spans.items()])
    st.subheader("Authorities in the store")
    components.table_with_csv(table, "quality_authorities", "authorities", column_config=HEADINGS)
    st.caption("Each authority's plans in the store (those with dates the measures can use), and the date its data "
               "runs to: its latest record of any kind. With no as-of date chosen, a view of that authority alone, "
               "and a child's timeline and audit pack, are read as of that date (a view of several, as of the latest "
               "of theirs). Source: the store's plans, events and children.")


def render() -> None:
    st.title("Data quality")
    st.caption(WHOLE_STORE)
    counts = data.cached(data_quality.table_counts)
    st.subheader("What the store holds")
    _stale()
    _authorities()
    components.chart_card(figs.table_counts_bars(counts),
                          "Rows per table of the store. Source: the store.", counts, key="quality_counts", words=WORDS,
                          column_config=HEADINGS)
    st.subheader("Import history")
    _history()
    st.subheader("Rejected rows")
    _rejects()
    st.subheader("Implausible plans (left out of every measure)")
    _implausible()
    st.subheader("Warnings")
    _warnings()


if __name__ == "__main__":
    render()
