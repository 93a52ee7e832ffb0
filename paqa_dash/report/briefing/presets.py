"""Which sections a briefing holds: every section the export knows, the page each comes from, and the
standing partnership briefing, in one place.

"What works" (another engineer's page) joins SECTIONS when it exists; the preset names it already, and a
name the export does not know yet is skipped (and said on the title slide), so the preset needs no change.
"""
from __future__ import annotations

from ...scope import AUDIT, Scope
from . import sections
from . import names
from .sections import Section

_BUILDERS: dict[str, Section] = {
    "overview": sections.overview,
    "repeat_plans": sections.repeat_plans,
    "endings": sections.endings,
    "agencies": sections.agencies,
    "household": sections.household_change,
    "audit": sections.audit_summary,
}
# name -> (heading, builder), in the order of a full briefing (names.HEADINGS: the names the command line offers)
SECTIONS: dict[str, tuple[str, Section]] = {name: (heading, _BUILDERS[name]) for name, heading in names.HEADINGS.items()}
PRESETS = names.PRESETS   # the standing briefings, as the app and the command line read them here
# A section some roles may not read: the capability it needs (scope.py); skipped, and said, for other roles.
SECTION_NEEDS: dict[str, str] = {"audit": AUDIT}

# A page's URL path -> the sections its download button exports (a page without one exports the Overview).
PAGE_SECTIONS: dict[str, tuple[str, ...]] = {name: (name,) for name in SECTIONS}
PAGE_SECTIONS[""] = ("overview",)
PAGE_SECTIONS["audit_sample"] = ("audit",)


def resolve(names: tuple[str, ...], scope: Scope | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the sections to build, the names left out: not built yet, or not open to `scope`'s role)."""
    def open_to(name: str) -> bool:
        return scope is None or name not in SECTION_NEEDS or scope.can(SECTION_NEEDS[name])

    return (tuple(n for n in names if n in SECTIONS and open_to(n)),
            tuple(n for n in names if n not in SECTIONS or not open_to(n)))


def for_page(url_path: str) -> tuple[str, ...]:
    """The sections of a page's briefing: its own, else the Overview's (`has_own` says which, for the label)."""
    return PAGE_SECTIONS.get(url_path, ("overview",))


def has_own(url_path: str) -> bool:
    """Whether the page has a briefing section of its own (the Regional view, Data quality ... have none)."""
    return url_path in PAGE_SECTIONS
