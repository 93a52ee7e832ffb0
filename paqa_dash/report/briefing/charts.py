"""One chart of a briefing, as the page's chart card draws it: the figure built from the suppressed table
(small numbers missing and marked), its finding title, its definition and source, and its table as the
reader may see it ("c" in suppressed cells).

Why a copy of the card's logic and not the card: ui/components.py draws with Streamlit, which the report
layer may not import; the suppression itself (report/suppression.py) and the marking (figures/style.py)
are the same functions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from ...figures.style import mark_suppressed
from ...reference import words as coded
from .. import suppression
from ..suppression import Rule

_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Chart:
    """One slide: `figure` (already suppressed and marked), `notes` (definition and source, in words),
    `table` (the numbers as the reader may see them), `words` (coded columns -> their labels)."""

    key: str
    section: str
    figure: go.Figure | None
    notes: str
    table: pd.DataFrame
    words: Mapping[str, coded.Words] | None = None
    lost: bool = False                      # some cells were suppressed
    message: str = ""                       # instead of a figure: "not recorded in this data", no plans...
    covers: str = ""                        # the years it covers, when not the briefing's period (follow-up views)

    @property
    def title(self) -> str:
        """The finding (the figure's title, computed from the data), in plain text."""
        if self.figure is None:
            return self.message
        text = self.figure.layout.title.text or self.key
        return _TAGS.sub(" ", text).replace("  ", " ").strip()

    def worded_table(self) -> pd.DataFrame:
        """Words in the coded columns and, beside each, its code (reference/words.py), as the CSVs do."""
        return coded.in_words(self.table, self.words) if self.words else self.table


@dataclass
class Card:
    """The reader's threshold, applied to one chart the way ui/components.chart_card does."""

    threshold: int = 0
    charts: list[Chart] = field(default_factory=list)

    def hidden(self, table: pd.DataFrame, rule: Rule | None) -> pd.DataFrame:
        """`table` with small numbers missing, for a figure builder (components.suppressed)."""
        if rule is None or self.threshold <= 0:
            return table
        return suppression.suppress(table, rule, self.threshold).frame

    def add(self, key: str, section: str, build: Callable[[], go.Figure], notes: str, table: pd.DataFrame,
            rule: Rule | None, words: Mapping[str, coded.Words] | None = None,
            drawn: tuple[str, ...] | None = None, finding_rests_on: tuple[float | None, ...] | None = None) -> None:
        """Build the figure and keep it with its shown table (components.chart_card's `_shown` and marking).
        A chart without axes (a Sankey) names itself in its layout's meta, which mark_suppressed reads, on the page
        as here.  `drawn`: the table's columns the chart
        draws and finds from, where it draws only some (the repeat share beside plans ended within 3 months): a
        cell withheld elsewhere in the table neither marks the chart nor takes its finding.  `finding_rests_on`: the
        headline counts the finding is worked out from alone (components.chart_card's): it stays, with the note."""
        shown, lost, marked = table, False, False
        if rule is not None and self.threshold > 0:
            result = suppression.suppress(table, rule, self.threshold)
            shown, lost = suppression.displayed(result), bool(result.mask.to_numpy().any())
            marked = bool(result.mask[list(drawn or table.columns)].to_numpy().any())
        fig = build()
        if marked:
            fig = mark_suppressed(go.Figure(fig), suppression.SYMBOL, suppression.note(self.threshold),
                                  keep_finding=suppression.finding_kept(finding_rests_on, self.threshold))
        self.charts.append(Chart(key, section, fig, notes, shown.reset_index(drop=True), words, lost))

    def say(self, key: str, section: str, message: str, notes: str = "") -> None:
        """A slide with no chart: the measure is not recorded in this data, or no plans match."""
        self.charts.append(Chart(key, section, None, notes or message, pd.DataFrame(), message=message))
