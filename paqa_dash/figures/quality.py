"""Data quality: what each import read, loaded and rejected, why rows were rejected, and what the
store now holds.  Nothing is silently dropped (docs/data_contract.md), so every reject is countable here.

Builders take the frames of the `data_quality_*` queries (queries/metrics/data_quality.sql) and return
plotly figures; reasons are shown top-N so a million rejects read like ten.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference import words
from ..reference.codes import REPEATS_LABEL, STORE_TABLE_LABELS
from .agencies import _layout
from .style import HUES, STORE_TABLE, axis_title, bounded_pct, counted_each, stack, value_range

# A reject reason's label in lines of this many characters: on one line ("Child protection plans: end_date is not a
# valid date (expected YYYY-MM-DD)") it pushed the chart past both edges of an 800 px window.
REASON_CHARS = 30

# Characters of a file's name an import run's label holds beside its bars at 800 px; a longer name ends in "…".
RUN_FILE_CHARS = 28

OUTCOMES = (("rows_loaded", "Loaded", HUES["green"], ""),
            ("rows_rejected", "Rejected", HUES["vermillion"], "/"),
            ("rows_duplicate", REPEATS_LABEL, HUES["grey"], "."))


def _counts_axis(fig: go.Figure, values: pd.Series) -> go.Figure:
    """Room for the counts printed past the bars (the whole-number ticks are style.count_axis', which
    apply_layout gives every "(count)" axis), and no legend for a single series."""
    counts = pd.to_numeric(values, errors="coerce")
    fig.update_xaxes(range=value_range(counts, 1.0))
    if len(fig.data) == 1:
        fig.update_layout(showlegend=False)
    return fig


def run_label(run_id: int, source: str) -> str:
    """An import run's label: its number, its first file whole (or, past RUN_FILE_CHARS, cut with "…"), and how many
    more files it read on a line of its own ("#1 cin_393_2021.xml<br>and 18 more files").

    Why: a run of a region's census returns is one source of nineteen names, and its first 28 characters,
    "cin_393_2021.xml; cin_390_20", showed a name cut in half and hid how many files the run read.  (The table
    under the chart lists every file.)"""
    files = [f.strip() for f in str(source).split(";") if f.strip()] or [str(source)]
    first = files[0] if len(files[0]) <= RUN_FILE_CHARS else files[0][:RUN_FILE_CHARS - 1] + "…"
    more = f"<br>and {words.counted(len(files) - 1, 'more file')}" if len(files) > 1 else ""
    return f"#{run_id} {first}{more}"


def import_history_bars(runs: pd.DataFrame, last_n: int = 30) -> go.Figure:
    """Rows loaded / rejected / duplicate per import run (the last N runs).

    `runs`: run_id, started_at, kind, source, rows_read, rows_loaded, rows_rejected, rows_duplicate.
    """
    frame = runs.sort_values("run_id").tail(last_n)
    labels = [run_label(r, s) for r, s in zip(frame["run_id"], frame["source"].astype(str))]
    fig = go.Figure()
    for col, name, colour, shape in OUTCOMES:
        fig.add_trace(go.Bar(
            name=name, orientation="h", y=labels, x=frame[col], marker_color=colour, marker_pattern_shape=shape,
            customdata=list(zip(frame["kind"], pd.to_datetime(frame["started_at"]).dt.strftime("%d %b %Y %H:%M"),
                                counted_each(frame["rows_read"], "row"))),
            hovertemplate="%{y} (%{customdata[0]})<br>%{customdata[1]}<br>" + name.lower()
                          + ": %{x:,} of %{customdata[2]} read<extra></extra>"))
    stack(fig)
    read = int(frame["rows_read"].sum())
    rejected = int(frame["rows_rejected"].sum())
    title = (f"{words.counted(len(frame), 'import')}: {rejected:,} of {words.counted(read, 'row')} rejected "
             f"({bounded_pct(rejected, read, 1)})" if read else "No rows imported yet")
    lines = sum(label.count("<br>") + 1 for label in labels)
    return _counts_axis(_layout(fig, title, "Source rows (count)", "Import run",
                                height=max(280, 110 + 12 * len(frame) + 18 * lines)),
                        frame["rows_read"])


def reject_reasons_bars(reasons: pd.DataFrame, top_n: int = 15) -> go.Figure:
    """The most frequent reject reasons (top N, the rest summed as 'other reasons'), by table.

    `reasons`: table_name, reason, n.
    """
    frame = reasons.copy()
    frame["label"] = (frame["table_name"].map(lambda t: str(words.say(t, STORE_TABLE_LABELS))) + ": "
                      + frame["reason"].astype(str).str.slice(0, 70)).map(lambda text: axis_title(text, REASON_CHARS))
    frame = frame.sort_values("n", ascending=False)
    top, rest = frame.head(top_n), frame.iloc[top_n:]
    if not rest.empty:
        top = pd.concat([top, pd.DataFrame([{"label": words.counted(len(rest), "other reason"), "n": rest["n"].sum(),
                                             "table_name": "", "reason": ""}])], ignore_index=True)
    top = top.iloc[::-1]
    fig = go.Figure(go.Bar(orientation="h", y=top["label"], x=top["n"], marker_color=HUES["vermillion"],
                           text=[f"{n:,}" for n in top["n"]], textposition="outside", name="Rejected rows",
                           customdata=counted_each(top["n"], "row"),
                           hovertemplate="%{y}<br>%{customdata} rejected<extra></extra>"))
    total = int(frame["n"].sum())
    if total:
        first = frame.iloc[0]
        title = f"Most rejects ({bounded_pct(first['n'], total)} of {total:,}): {words.say(first['table_name'], STORE_TABLE_LABELS)}, {first['reason'][:60]}"
    else:
        title = "No rows rejected"
    lines = sum(label.count("<br>") + 1 for label in top["label"])
    return _counts_axis(_layout(fig, title, "Rejected rows (count)", f"{STORE_TABLE}: reason for rejection", height=max(280, 110 + 10 * len(top) + 18 * lines)),
                        top["n"])


def table_counts_bars(counts: pd.DataFrame) -> go.Figure:
    """Rows held per store table, named in words.  `counts`: table_name, rows."""
    frame = counts.iloc[::-1]
    fig = go.Figure(go.Bar(orientation="h", y=frame["table_name"].map(lambda t: words.say(t, STORE_TABLE_LABELS)), x=frame["rows"], marker_color=HUES["blue"],
                           text=[f"{n:,}" for n in frame["rows"]], textposition="outside", cliponaxis=False, name="Rows",
                           customdata=counted_each(frame["rows"], "row"),
                           hovertemplate="%{y}: %{customdata}<extra></extra>"))
    plans = counts.set_index("table_name")["rows"].get("plans", 0)
    children = counts.set_index("table_name")["rows"].get("children", 0)
    title = f"The store holds {words.counted(int(plans), 'plan')} for {words.counted(int(children), 'child')}"
    return _counts_axis(_layout(fig, title, "Rows (count)", STORE_TABLE, height=max(280, 110 + 30 * len(frame))), frame["rows"])
