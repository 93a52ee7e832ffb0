"""What one briefing holds, as the reader may see it: gathered once by build.gather, written by each format's
writer (a module of its own so the writers and the builder do not import each other)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from ...filters import Filters, followed_up_span, span_words
from ...reference.ending_lists import CHILD
from ...reference.words import counted
from ...settings import Thresholds
from . import headline, names, presets
from .sections import FOLLOWED_UP_CHARTS
from .charts import Chart

# The child-level lists a briefing may carry (`--child-lists`, roles with child-level access): title -> what a
# reader of the file is told it is.  Only the formats in LIST_FORMATS write them (a sheet each): a deck or a PDF
# is for a board, and never holds a list of children.
ENDINGS_AT_RISK = "Endings at risk"
LIST_NOTES: dict[str, str] = {
    ENDINGS_AT_RISK: "Child-level: one row per plan ending at risk of a repeat plan (an ended plan with a warning "
                     "sign and no later plan yet), most warning signs first, naming the child by pseudonym, with "
                     "the plan's number and exact start and end dates; the columns of the Plan endings page's "
                     "download, codes in words with the codes beside them. Definitions page, section 'Ending reasons, "
                     "premature endings and endings at risk'.",
}
LIST_FORMATS = ("xlsx",)


AUTHORITY_ROW = "Authorities covered"
BEHIND_ROW = "Warning"   # the writers draw it in the warning colour
# The page's note that an as-of date after the data date was read as the data date (data_dates.past_data_note).
PAST_ROW = "Note"
WARN_ROWS = (BEHIND_ROW, PAST_ROW)   # drawn in the warning colour


@dataclass
class Briefing:
    """Everything a briefing shows, as the reader may see it."""

    title: str
    filters: Filters
    thresholds: Thresholds
    data_date: date | None
    synthetic: bool
    threshold: int
    sections: tuple[str, ...]
    missing: tuple[str, ...]                  # preset sections not built yet ("what works")
    charts: list[Chart]
    figures: list[headline.Figure]
    changes: pd.DataFrame | None = None       # against last quarter, when asked
    compared_with: str = ""
    lists: dict[str, pd.DataFrame] = field(default_factory=dict)   # child-level lists (role allowing)
    cohort: Filters | None = None             # the follow-up charts' years, when not the period (no period given)
    authorities: str = ""                     # the authorities covered, in words (sections.authorities_covered)
    behind: str = ""                          # the dashboard's warning: some authorities' data ends early
    past: str = ""                            # the as-of date asked for was after the data date: read as it

    @property
    def not_yet_available(self) -> tuple[str, ...]:
        """The sections asked for that the export has not built yet ("what works")."""
        return names.not_built(self.missing)

    @property
    def not_open_to_role(self) -> tuple[str, ...]:
        """The sections asked for that the reader's role may not read (the audit summary for a strategic lead)."""
        return tuple(m for m in self.missing if m not in self.not_yet_available)

    @property
    def filter_text(self) -> str:
        return self.filters.describe()

    def as_written(self, fmt: str) -> "Briefing":
        """The briefing as `fmt` holds it: without the child-level lists where that format does not write them,
        so its front page, and the access log's line, never say a list of children left when none did."""
        return self if fmt in LIST_FORMATS or not self.lists else replace(self, lists={})

    def listed(self) -> list[tuple[str, int, int]]:
        """Per child-level list: its title, rows and distinct children (by pseudonym)."""
        return [(title, len(frame), int(frame[CHILD].nunique()) if CHILD in frame else len(frame))
                for title, frame in self.lists.items()]

    def lists_words(self) -> str:
        """The child-level lists in words, for the access log: "Endings at risk (104 rows, 98 children)"; ""
        when there are none."""
        return "; ".join(f"{title} ({counted(rows, 'row')}, {counted(children, 'child')})"
                         for title, rows, children in self.listed())

    def handling(self) -> str:
        """The handling line: aggregates only, or, where the file holds lists of children, that it does and in
        which sheets, so whoever is sent the file knows it is not a table of counts."""
        if not self.lists:
            return "OFFICIAL-SENSITIVE; pseudonymised aggregates"
        sheets = ", ".join(f"'{title}' ({counted(children, 'child')})" for title, _rows, children in self.listed())
        return (f"OFFICIAL-SENSITIVE; holds pseudonymised child-level rows (each child by pseudonym, with "
                f"exact dates) in {'the sheet' if len(self.lists) == 1 else 'the sheets'} {sheets}; the other sheets "
                "hold pseudonymised aggregates. Share it only with those who may see these children's records.")
    def followed_up_row(self) -> list[tuple[str, str]]:
        """The years the charts that follow first plans up cover, when they are not the period (no period given: the
        dashboard's follow-up years), naming those charts; else none.  A board reading "Filters: 2025-04-01 to
        2026-03-31" must not take a chart of 2019-24 for that year."""
        shown = [FOLLOWED_UP_CHARTS[c.key] for c in self.charts if c.covers and c.key in FOLLOWED_UP_CHARTS]
        if not shown or self.cohort is None or self.cohort.date_from is None or self.cohort.date_to is None:
            return []
        months = self.thresholds.replan_window_months
        return [(f"Years of the charts that follow first plans up ({', '.join(shown)})",
                 f"{span_words(self.cohort)}, {followed_up_span(months)}, as the dashboard shows with no period "
                 "chosen (the latest year's plans cannot have been followed up that long yet); every other chart: the "
                 "period above")]

    def front(self) -> list[tuple[str, str]]:
        """The title slide's and front sheet's facts."""
        rows = [*([(AUTHORITY_ROW, self.authorities)] if self.authorities else []),
                *([(BEHIND_ROW, self.behind)] if self.behind else []),
                ("Filters", self.filter_text), ("Looked at as of", self.filters.effective_as_of.isoformat()),
                *([(PAST_ROW, self.past)] if self.past else []),
                ("Data date (latest record in the store)", self.data_date.isoformat() if self.data_date else "–"),
                ("Sections", ", ".join(presets.SECTIONS[s][0] for s in self.sections)),
                *self.followed_up_row(),
                ("Small numbers", f"counts of 1 to {self.threshold - 1} and rates resting on them are shown as "
                                  "\"c\"" if self.threshold > 1 else "not suppressed (administrator)"),
                ("Handling", self.handling())]
        later, refused = self.not_yet_available, self.not_open_to_role
        if later:
            rows.append(("Not included (not yet available)", ", ".join(m.replace("_", " ") for m in later)))
        if refused:
            rows.append(("Not included (not open to this role)", ", ".join(m.replace("_", " ") for m in refused)))
        if self.compared_with:
            rows.append(("Compared with", self.compared_with))
        if self.synthetic:
            rows.insert(0, ("SYNTHETIC DATA", "every child, plan and record was generated for a demonstration; "
                                              "none is real"))
        return rows
