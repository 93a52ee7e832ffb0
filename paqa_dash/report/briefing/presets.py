"""Which sections a briefing holds: every section the export knows, the page each comes from, and the
standing partnership briefing, in one place.

"What works" (another engineer's page) joins SECTIONS when it exists; the preset names it already, and a
name the export does not know yet is skipped (and said on the title slide), so the preset needs no change.
"""
from __future__ import annotations

from . import sections
from .sections import Section

# name -> (heading, builder); the order is the order of a full briefing
SECTIONS: dict[str, tuple[str, Section]] = {
    "overview": ("Overview", sections.overview),
    "repeat_plans": ("Repeat plans", sections.repeat_plans),
    "endings": ("Plan endings", sections.endings),
    "agencies": ("Core groups & agencies", sections.agencies),
    "household": ("Household change", sections.household_change),
}

# The standing briefing a safeguarding partnership regenerates each quarter.
PRESETS: dict[str, tuple[str, ...]] = {
    "partnership": ("overview", "repeat_plans", "endings", "agencies", "what_works"),
    "all": tuple(SECTIONS),
}

# A page's URL path -> the sections its download button exports (a page without one exports the Overview).
PAGE_SECTIONS: dict[str, tuple[str, ...]] = {name: (name,) for name in SECTIONS}
PAGE_SECTIONS[""] = ("overview",)


def resolve(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the sections that exist, the names not built yet) of a preset or a list of names."""
    return tuple(n for n in names if n in SECTIONS), tuple(n for n in names if n not in SECTIONS)


def for_page(url_path: str) -> tuple[str, ...]:
    return PAGE_SECTIONS.get(url_path, ("overview",))
