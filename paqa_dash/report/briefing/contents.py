"""What one briefing holds, as the reader may see it: gathered once by build.gather, written by each format's
writer (a module of its own so the writers and the builder do not import each other)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ...filters import Filters
from ...settings import Thresholds
from . import headline, presets
from .charts import Chart


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

    def front(self) -> list[tuple[str, str]]:
        """The title slide's and front sheet's facts."""
        rows = [("Filters", self.filter_text), ("Looked at as of", self.filters.effective_as_of.isoformat()),
                ("Data date (latest record in the store)", self.data_date.isoformat() if self.data_date else "–"),
                ("Sections", ", ".join(presets.SECTIONS[s][0] for s in self.sections)),
                ("Small numbers", f"counts of 1 to {self.threshold - 1} and rates resting on them are shown as "
                                  "\"c\"" if self.threshold > 1 else "not suppressed (administrator)"),
                ("Handling", "OFFICIAL-SENSITIVE; pseudonymised aggregates")]
        if self.missing:
            rows.append(("Not included (not yet available, or not open to this role)",
                         ", ".join(m.replace("_", " ") for m in self.missing)))
        if self.compared_with:
            rows.append(("Compared with", self.compared_with))
        if self.synthetic:
            rows.insert(0, ("SYNTHETIC DATA", "every child, plan and record was generated for a demonstration; "
                                              "none is real"))
        return rows
