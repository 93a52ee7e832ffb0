"""Shared pieces every page draws the same way: chart cards, metric tiles, empty state, banner, child links.

Why one place: every chart must state its finding, define its terms, name its source and offer its
numbers as a table and a CSV; doing that here means no page can forget.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping, Sequence
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from paqa_dash.figures.style import draws_nothing, mark_suppressed, measured, share_text
from paqa_dash.reference.recorded import DATA_KINDS, NOT_RECORDED, UNDATED_EARLIER_PLANS, sentence
from paqa_dash.reference import benchmarks, words as coded
from paqa_dash.report import suppression
from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.report.suppression import Rule
from paqa_dash.ui import access, access_trail, anchors
from paqa_dash.ui.headings import readable, readable_config


def no_match(ended: bool = False, noun: str = "plans") -> str:
    """The empty state's message when a chosen filter matched nothing (`ended`: on a page of endings, where plans
    may have started and not ended; `noun`: what a view counts, e.g. "ended first plans" for one that follows them
    up)."""
    return f"No {'ended ' if ended else ''}{noun} match these filters"


TIMELINE_URL_PATH = "child_timeline"
TIMELINE_PAGE_FILE = "paqa_dash/ui/pages/child_timeline.py"   # UI-2's page, relative to app.py


@dataclass(frozen=True)
class Tile:
    """One headline number.  `rests_on`: the counts it is or rests on (the count itself; a rate's numerator
    and denominator), so that it reads "c" when one of them is small (docs/definitions.md, "Small numbers")."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "off"
    delta_arrow: str = "auto"   # "off": the delta is words under the number, not a change up or down
    rests_on: tuple[float | int | None, ...] = ()


def suppress_below() -> int:
    """This session's small-number threshold (0: none).  The one seam: every table, tile, chart and caption
    count below asks it, through `access.current_scope()` (tests patch that)."""
    return access.current_scope().suppress_below


def suppressed(table: pd.DataFrame, rule: Rule | None) -> pd.DataFrame:
    """`table` with its small numbers missing, for a figure builder; unchanged without a rule or threshold."""
    threshold = suppress_below()
    if rule is None or threshold <= 0:
        return table
    return suppression.suppress(table, rule, threshold).frame


def _shown(table: pd.DataFrame, rule: Rule | None, drawn: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, bool]:
    """The table as this reader gets it ("c" in suppressed cells), and whether anything was suppressed (in the
    columns `drawn`, when given)."""
    threshold = suppress_below()
    if rule is None or threshold <= 0:
        return table, False
    result = suppression.suppress(table, rule, threshold)
    return suppression.displayed(result), bool(result.mask[list(drawn or table.columns)].to_numpy().any())


def _mixed(column: pd.Series) -> bool:
    """Text ("c", an empty cell) beside numbers in one column."""
    if column.dtype != object:
        return False
    kinds = {isinstance(v, str) for v in column if v is not None}
    return len(kinds) > 1


def _on_screen(table: pd.DataFrame) -> pd.DataFrame:
    """A column holding "c" or an empty cell beside numbers, as text, which is how Arrow (st.dataframe) can
    carry it."""
    mixed = [c for c in table.columns if table[c].dtype == object
             and ((table[c] == suppression.SYMBOL).any() or _mixed(table[c]))]
    return table.astype({c: str for c in mixed}) if mixed else table


def shown_table(table: pd.DataFrame, rule: Rule | None) -> pd.DataFrame:
    """An aggregate table drawn outside a chart card, as this reader may see it ("c" in small cells)."""
    return _on_screen(_shown(table, rule)[0])


def any_suppressed(table: pd.DataFrame, rule: Rule) -> bool:
    """Whether this reader loses any cell of `table` (a chart built from it then marks them)."""
    return _shown(table, rule)[1]


def aggregate_count(value: int) -> str:
    """A count in a caption or label: "c" when it is small (1 to threshold-1) for this reader."""
    return suppression.SYMBOL if suppression.suppressed_value(value, suppress_below(), value) else f"{value:,}"


_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def plain(text: object) -> str:
    """Any text from the data or the URL, escaped so Streamlit shows it as typed: no Markdown, no HTML, no
    image fetched from another host, no `:red[...]` directive (st.markdown, captions, messages, st.table cells)."""
    return _MARKUP.sub(r"\\\1", str(text))


def synthetic_banner(is_synthetic: bool) -> None:
    if is_synthetic:
        st.warning("**Synthetic data.** Every child, plan and record shown here was generated for the demo; "
                   "none is real. Import your authority's data to replace it.", icon=":material/science:")


def filter_hint(chosen: Sequence[str], period_chosen: bool) -> str:
    """The empty state's advice, naming only the sidebar's choices the user made (`chosen`: the filters set
    besides the period, in words, e.g. ("team", "age"); `period_chosen`: a period was chosen).

    Why: "clear the team, category, plan number or age filters" sends a user who set none looking for one, and
    with no period chosen "widen the period" is no advice at all: the page shows one reporting year."""
    clear = _clear(chosen)
    if period_chosen:
        return f"Widen the period{', or ' + clear if clear else ''} in the sidebar."
    return ("No period is chosen, so the page shows the latest complete reporting year: choose *Period from* and "
            f"*Period to* in the sidebar for other years{', or ' + clear if clear else ''}.")


def _clear(chosen: Sequence[str]) -> str:
    """The advice to clear the filters set ("clear the team and age filters"), or "" when none is."""
    return f"clear the {listed(chosen)} filter{'s' if len(chosen) > 1 else ''}" if chosen else ""


def listed(words: Sequence[str]) -> str:
    """Words joined as a sentence says them: team; team and age; team, category and age."""
    return " and ".join(filter(None, (", ".join(words[:-1]), words[-1] if words else "")))


def empty_state(what: str, hint: str) -> None:
    """The clear message shown instead of a blank chart or an error, and what to do about it (`hint`).  Pages
    whose filter matched nothing say so with `state.nothing_matches()`, whose hint names the filters set, or
    `state.no_plans()`, which also words it for the default period (`default_period_empty`)."""
    st.info(f"**{what}.** " + hint if hint else f"**{what}.**", icon=":material/filter_alt_off:")


def default_period_empty(start: date | None, end: date | None, first: date | None, last: date | None,
                         other_filters: Sequence[str] = (), ended: bool = False,
                         span: str | None = None, noun: str = "plans",
                         whose: str = "The store's plans") -> tuple[str, str | None]:
    """The empty state's (message, hint) when no period was chosen and the default one, `start`..`end` (the latest
    complete reporting year, or the years `span` says: "the 5 reporting years whose plans could have been followed
    up for 24 months"), holds no plans (`ended`: no plan ended in it, for a page of endings, whose year may hold
    plans that started; `noun`: what the view counts, e.g. "repeat plans"; `other_filters`: the filters set besides
    the period, in words, as `filter_hint` takes them); `first`..`last`: the earliest and latest plan dates of the
    store, or of the authorities chosen (`whose` says which: "South Tyneside's plans").  Names the period shown and
    where the plans are, and how to choose them."""
    if None in (start, end, first, last):   # no period, or a store with no plans: nothing to say about either
        return no_match(ended, noun), filter_hint(other_filters, False)
    dates = f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    what = (f"No {noun} {'ended ' if ended else ''}in {benchmarks.year_label(end.year)}, "
            f"the latest complete reporting year ({dates}), shown because no period is chosen" if span is None else
            f"No {noun} {'ended ' if ended else ''}from {dates}, {span}, shown because no period is chosen")
    # said whether or not the span covers that year: a store can hold plans either side of a year with none in it
    where = (f"{whose} start and end between {first:%b %Y} and {last:%b %Y}: choose *Period from* "
             f"and *Period to* in the sidebar to see them")
    return what, where + (f", or {_clear(other_filters)}" if other_filters else "") + "."


NOT_RECORDED_HINT = ("CIN census, Annex A and SSD extracts do not carry them; import a native bundle "
                     "with {files} to see this.")


def definition_link(anchor: str, text: str = "definition") -> str:
    """A markdown link to one section of the Definitions page, for captions and help texts.

    Why: a caption stays short by naming the measure and linking to its full definition, which is
    written once in docs/definitions.md; `anchor` is one of the constants in `ui.anchors`."""
    return f"[{text}](/{anchors.URL_PATH}#{anchor})"


def not_recorded(what: str, files: str, hint: str | None = None) -> None:
    """The store has none of these at all: say which source would bring them, not which filter to clear
    (`hint`: the kind's own words for that, where the usual hint is not true of it)."""
    st.info(f"**This store records no {what}.** " + (hint or NOT_RECORDED_HINT).format(files=files)
            + f" ({definition_link(anchors.NOT_RECORDED, 'what this means')})", icon=":material/database:")


def undated_earlier_plans(measure: str) -> None:
    """Say that `measure` (the gap between plans, a repeat within the window) needs the dates of the repeat plans'
    earlier plans, which the data does not hold (an Annex A return gives only how many there were).  Not "no plans
    match these filters": widening a filter cannot bring dates the source never supplied."""
    st.info(f"{measure}: {UNDATED_EARLIER_PLANS}.", icon=":material/database:")


def unrecorded(held, measure: str) -> bool:
    """Say "not recorded" for each kind of record `measure` needs that the data lacks (`held`: a
    metrics.coverage.Coverage); True when any, so the page draws no zero, rate or "late" in its place."""
    missing = held.absent(measure)
    for kind in missing:
        not_recorded(DATA_KINDS[kind].what, DATA_KINDS[kind].files, DATA_KINDS[kind].hint)
    return bool(missing)


NOT_SHOWN = "–"


def recorded_tile(held, measure: str, tile: Tile) -> Tile:
    """`tile`, or where the data lacks a kind of record `measure` needs (`held`: a metrics.coverage.Coverage), the
    same label reading "–" with why in its help: a count over data the source never supplied would read as a
    finding ("0 premature endings")."""
    missing = held.absent(measure)
    return Tile(tile.label, NOT_SHOWN, help=sentence(missing)) if missing else tile


def unrecorded_caption(held, named: Mapping[str, str]) -> None:
    """One caption under a row of tiles naming the tiles (`named`: measure -> the tiles' names) whose data is not
    recorded and why, so the "–" is explained on the page and not only in a tooltip."""
    notes = [f"{names}: {sentence(held.absent(m))[0].lower()}{sentence(held.absent(m))[1:]}"
             for m, names in named.items() if held.absent(m)]
    if notes:
        st.caption(" ".join(notes))


def not_recorded_help(absent: Mapping[str, str], measure: str) -> str | None:
    """A tile's help for a `measure` the data does not record (`absent`: coverage.not_recorded), the plain
    sentence beside NOT_SHOWN ("Not recorded: no household changes (family_changes.csv)"); None when it is
    recorded.  The reason's own "not recorded in this data: " is not said twice."""
    why = absent.get(measure)
    return None if why is None else f"Not recorded: {why.removeprefix(NOT_RECORDED + ': ')}"


TILE_WIDTH = 220   # px: the longest headline ("11 months", "1,234,567", "18.6%") and its delta fit whole


def metric_tiles(tiles: Sequence[Tile]) -> None:
    """Headline tiles of one width in a row that wraps: four a row on a 1400 px screen, two on an 800 px
    laptop, six on a 1920 px projector, never a number cut to "18…" (fixed columns squeezed them).

    A tile reading NOT_SHOWN (not recorded, or not known yet) keeps its "–" and its reason before any small-number
    test: "c" would say the figure is small when the data cannot give it at all."""
    threshold = suppress_below()
    with st.container(horizontal=True, wrap=True, gap="small"):
        for tile in tiles:
            if tile.value != NOT_SHOWN and suppression.suppressed_value(None, threshold, *tile.rests_on):
                # the help text may quote the small counts: it is replaced, not appended to
                st.metric(tile.label, suppression.SYMBOL, help=f"{suppression.note(threshold).capitalize()} children or plans "
                          f"({definition_link(anchors.SMALL_NUMBERS)}).", border=True,
                          width=TILE_WIDTH)
                continue
            st.metric(tile.label, tile.value, delta=tile.delta, delta_color=tile.delta_color,
                      delta_arrow=tile.delta_arrow, help=tile.help, border=True, width=TILE_WIDTH)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "table"


def worded(table: pd.DataFrame, words: Mapping[str, coded.Words] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table with codes (`words`: column -> its labels in reference.codes) as (on screen, in the CSV): words
    on screen; words and, beside each, its codes in the CSV (reference/words.py)."""
    if not words:
        return table, table
    csv = coded.in_words(table, words)
    return csv.drop(columns=coded.code_columns(csv, words)), csv


def _percent_format(screen: pd.DataFrame, config: dict | None) -> dict | None:
    """`config` with each percentage column (heading "... (%)", numbers) shown to one decimal place: 40.0 beside
    14.3, not 40 (the grid drops a trailing zero)."""
    percent = {c: st.column_config.NumberColumn(format="%.1f") for c in screen.columns
               if str(c).endswith("(%)") and pd.api.types.is_float_dtype(screen[c]) and c not in (config or {})}
    return {**(config or {}), **percent} or None


def data_table(table: pd.DataFrame, key: str, column_config: dict | None = None,
               headings: Mapping[str, str | None] | None = None, hide_index: bool = True) -> None:
    """A table drawn outside an expander, in words (`ui.headings.readable`: headings, dates, percentages,
    blanks); `headings`: this table's own headings, beside the shared ones."""
    screen = _on_screen(readable(table, headings, column_config))
    st.dataframe(screen, hide_index=hide_index,
                 column_config=_percent_format(screen, readable_config(table, column_config, headings)), key=key)


def table_csv(table: pd.DataFrame, column_config: dict | None = None,
              headings: Mapping[str, str | None] | None = None) -> bytes:
    """A table's CSV with the headings and values its screen shows (`ui.headings.readable`), safe to open in
    a spreadsheet (report/safe_csv.py)."""
    return csv_bytes(readable(table, headings, column_config))


def table_with_csv(table: pd.DataFrame, key: str, label: str, column_config: dict | None = None,
                   headings: Mapping[str, str | None] | None = None, index_heading: str | None = None) -> None:
    """A table drawn on the page (`data_table`) with its CSV under it ("Download `label` (CSV)"), the headings and
    values the screen shows, the download logged as every download is: every table a page shows has its CSV,
    where a small one (the authorities of the store, the numbers at risk under a curve) was a grid alone.
    `index_heading`: the table's index is its rows' names (shown at the left of the grid), a column of that heading
    in the CSV."""
    data_table(table, key, column_config, headings, hide_index=index_heading is None)
    csv = table if index_heading is None else table.rename_axis(index_heading).reset_index()
    csv_download(f"Download {label} (CSV)", lambda: table_csv(csv, column_config, headings), f"{_slug(key)}.csv",
                 f"{key}_csv")


def csv_download(label: str, make: Callable[[], bytes], file_name: str, key: str | None = None,
                 child: str | None = None) -> None:
    """A download button for a CSV that `make` builds when clicked, the export written to the access log then
    (`access_trail.logged`; `child`: the child it is of).  One button for every CSV a page offers, so none is
    offered unlogged or with another look."""
    st.download_button(label, access_trail.logged(make, file_name, child=child), file_name=file_name,
                       mime="text/csv", key=key, icon=":material/download:", on_click="ignore")


def table_expander(table: pd.DataFrame, key: str, file_name: str | None = None,
                   column_config: dict | None = None, label: str = "Show as table", rule: Rule | None = None,
                   words: Mapping[str, coded.Words] | None = None,
                   headings: Mapping[str, str | None] | None = None) -> None:
    """The numbers behind a chart, with a CSV download; an aggregate table declares its `rule`, so that a
    reader with a threshold gets "c" in its small cells, on screen and in the CSV; a table with codes declares
    their `words`, so that the screen shows words and the CSV words and codes.  The table and the CSV have the
    same headings in words (`ui.headings`; `headings`: this table's own, column -> heading or None to leave out)."""
    table, _ = _shown(table, rule)
    screen, csv = worded(table, words)
    csv = readable(csv, headings, column_config)
    with st.expander(label, icon=":material/table:"):
        data_table(screen, f"{key}_df", column_config, headings)
        csv_download("Download CSV", lambda: csv_bytes(csv), file_name or f"{_slug(key)}.csv", f"{key}_csv")  # in words


WITHHELD_HINT = ("Small numbers are withheld so that no child can be recognised from them: a longer period, more "
                 "teams or fewer other filters in the sidebar give counts large enough to show.")


def withheld_entirely(what: str, threshold: int) -> str:
    """Said instead of a chart whose every value is withheld (`what`: what it measures)."""
    return f"{what}: every count behind this chart is fewer than {threshold} and withheld, so there is nothing to draw"


def chart_card(fig: go.Figure, caption: str, table: pd.DataFrame, key: str,
               column_config: dict | None = None, rule: Rule | None = None, mark: bool = False,
               words: Mapping[str, coded.Words] | None = None,
               headings: Mapping[str, str | None] | None = None, drawn: tuple[str, ...] | None = None,
               finding_rests_on: tuple[float | None, ...] | None = None) -> None:
    """A chart whose figure title states the finding, its definition/source caption and its table.
    `drawn`: the table's columns the chart draws, where it draws only some: a cell withheld in another column
    neither marks the chart nor replaces its finding (report/briefing/charts.Card.add does the same).
    `finding_rests_on`: the counts the finding is worked out from, where it is worked out from those alone and they
    are already on the page (the headline tiles' totals, not the cells drawn): a withheld cell then marks the chart
    but the finding stays, with the suppression note under it, unless one of these counts is withheld itself.

    With a `rule` and a threshold, the table and CSV read "c" in suppressed cells and the chart marks the
    points it does not draw; the page builds the figure from `suppressed(table, rule)` so it never draws them.
    `mark`: the chart was built from other data than its table (a list of plans), and lost cells to suppression."""
    shown, lost = _shown(table, rule, drawn)
    if (lost or mark) and draws_nothing(fig):
        # every value withheld: no chart of bare axes and "c" marks, but why, in words (and the table of "c"s)
        with st.container(border=True):
            empty_state(withheld_entirely(title_words(measured(fig)), suppress_below()), WITHHELD_HINT)
            st.caption(caption)
            table_expander(shown, key, column_config=column_config, words=words, headings=headings)
        return
    if lost or mark:
        fig = mark_suppressed(go.Figure(fig), suppression.SYMBOL, suppression.note(suppress_below()),
                              keep_finding=suppression.finding_kept(finding_rests_on, suppress_below()))
    fig, finding = finding_apart(fig)
    with st.container(border=True):
        st.markdown(f"**{plain(finding)}**")
        st.plotly_chart(fig, key=f"{key}_chart", config={"displaylogo": False})
        st.caption(caption)
        table_expander(shown, key, column_config=column_config, words=words, headings=headings)


def unchecked_copy(fig: go.Figure) -> go.Figure:
    """A copy of a figure without validating it again: it was validated when built, and validating its template
    again took about 0.1 s a chart (docs/benchmark_history.md, "Every setting fast")."""
    return go.Figure(fig.to_dict(), _validate=False)


_SUP = re.compile(r"\s*<sup>(.*?)</sup>", re.S)
_TITLE_TAG = re.compile(r"</?(?:b|i|em|sub|span|a)\b[^>]*>")


def title_words(title: str) -> str:
    """A plotly title's words without its markup: line breaks are spaces (text wraps itself) and the smaller
    numbers under a finding (`<sup>`, figures/challenge.two_lines) go in brackets after it; shown as typed, the
    tags read "<sup>23 of 49 ...</sup>" above the chart."""
    text = _SUP.sub(lambda m: f" {_bracketed(m.group(1).strip())}", title.replace("<br>", " "))
    return re.sub(r"\s+", " ", _TITLE_TAG.sub("", text)).strip()


def _bracketed(text: str) -> str:
    """`text` in brackets, once: a note already bracketed (figures.style.mark_suppressed's) is not bracketed twice."""
    return text if text.startswith("(") and text.endswith(")") else f"({text})"


def finding_apart(fig: go.Figure) -> tuple[go.Figure, str]:
    """The figure without its title, and the title (the finding), to be shown as text above the chart.

    Why: plotly draws a title on one line and cuts it at the chart's edge, so at 800 px the finding lost its
    end ("...were repeat plans (E"); text wraps at any width and reads to a screen reader.  The finding stays in
    the figure's `meta` (what tests and exports read), and exports built from the figure builders keep it as
    the title."""
    finding = title_words(fig.layout.title.text or "")
    fig = unchecked_copy(fig)
    fig.update_layout(title_text=None, meta={**(fig.layout.meta or {}), "finding": finding},
                      margin_t=50 if fig.layout.showlegend is not False else 20)
    return fig, finding


def as_dates(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Show date columns as dates (DuckDB DATE arrives as a timestamp; a table of times reads badly)."""
    out = table.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_datetime(out[col]).dt.date
    return out


def child_timeline_url(child_id: str) -> str:
    """A relative link to UI-2's child timeline page for one pseudonym."""
    return f"{TIMELINE_URL_PATH}?child={quote(str(child_id))}"


def with_timeline_links(table: pd.DataFrame, child_col: str = "child_id", link_col: str = "timeline") -> pd.DataFrame:
    """Add a column of timeline links (render with `timeline_link_config`)."""
    out = table.copy()
    out[link_col] = [child_timeline_url(c) for c in out[child_col].astype(object)]
    return out


def child_list_config(columns: Mapping[str, str], link_col: str = "timeline") -> dict:
    """The column headings of a list naming children (column -> heading), its timeline column a link."""
    config = {c: st.column_config.Column(label=n) for c, n in columns.items() if c != link_col}
    config.update(timeline_link_config(link_col))
    return config


def timeline_link_config(link_col: str = "timeline") -> dict:
    return {link_col: st.column_config.LinkColumn("Child timeline", display_text="Open timeline",
                                                  help="The child's multi-agency chronology")}


def child_link(child_id: str, label: str | None = None) -> None:
    """A button-like link to one child's timeline inside the app (same tab)."""
    st.page_link(TIMELINE_PAGE_FILE, label=label or f"Timeline of {child_id}",
                 icon=":material/timeline:", query_params={"child": child_id})


def share(part: int | None, whole: int | None, digits: int = 0) -> str:
    """A tile's share: "24%", or on too small a base its count, "1 of 1" (figures/style.share_text, the one rule)."""
    return share_text(part, whole, digits)


def count(value: float | int | None) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{int(value):,}"
