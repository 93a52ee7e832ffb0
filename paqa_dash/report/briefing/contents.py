"""What one briefing holds, as the reader may see it: gathered once by build.gather, written by each format's
writer (a module of its own so the writers and the builder do not import each other)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from ...filters import Filters
from ...reference.words import counted
from ...settings import Thresholds
from . import headline, presets
from .charts import Chart

# The child-level lists a briefing may carry (`--child-lists`, roles with child-level access): title -> what a
# reader of the file is told it is.  Only the formats in LIST_FORMATS write them (a sheet each): a deck or a PDF
# is for a board, and never holds a list of children.
ENDINGS_AT_RISK = "Endings at risk"
LIST_NOTES: dict[str, str] = {
    ENDINGS_AT_RISK: "Child-level: one row per plan ending at risk of a repeat plan (an ended plan with a warning "
                     "sign and no later plan yet), most warning signs first, naming the child and the plan by "
                     "pseudonym with exact start and end dates. Definitions page, section 'Ending reasons, "
                     "premature endings and endings at risk'.",
}
LIST_FORMATS = ("xlsx",)


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

    @property
    def filter_text(self) -> str:
        return self.filters.describe()

    def as_written(self, fmt: str) -> "Briefing":
        """The briefing as `fmt` holds it: without the child-level lists where that format does not write them,
        so its front page, and the access log's line, never say a list of children left when none did."""
        return self if fmt in LIST_FORMATS or not self.lists else replace(self, lists={})

    def listed(self) -> list[tuple[str, int, int]]:
        """Per child-level list: its title, rows and distinct children (by pseudonym)."""
        return [(title, len(frame), int(frame["child_id"].nunique()) if "child_id" in frame else len(frame))
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
        return (f"OFFICIAL-SENSITIVE; holds pseudonymised child-level rows (each child and plan by pseudonym, with "
                f"exact dates) in {'the sheet' if len(self.lists) == 1 else 'the sheets'} {sheets}; the other sheets "
                "hold pseudonymised aggregates. Share it only with those who may see these children's records.")

    def front(self) -> list[tuple[str, str]]:
        """The title slide's and front sheet's facts."""
        rows = [("Filters", self.filter_text), ("Looked at as of", self.filters.effective_as_of.isoformat()),
                ("Data date (latest record in the store)", self.data_date.isoformat() if self.data_date else "–"),
                ("Sections", ", ".join(presets.SECTIONS[s][0] for s in self.sections)),
                ("Small numbers", f"counts of 1 to {self.threshold - 1} and rates resting on them are shown as "
                                  "\"c\"" if self.threshold > 1 else "not suppressed (administrator)"),
                ("Handling", self.handling())]
        if self.missing:
            rows.append(("Not included (not yet available, or not open to this role)",
                         ", ".join(m.replace("_", " ") for m in self.missing)))
        if self.compared_with:
            rows.append(("Compared with", self.compared_with))
        if self.synthetic:
            rows.insert(0, ("SYNTHETIC DATA", "every child, plan and record was generated for a demonstration; "
                                              "none is real"))
        return rows
