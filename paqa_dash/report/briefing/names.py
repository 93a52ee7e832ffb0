"""What a briefing can be asked for, by name: its formats, its sections (with their headings, in briefing order) and
the standing presets.

Why apart from `presets.py` and `build.py`: the command line builds its parser (the `brief` command's choices) for
every command it runs, an import too, and the builders import the figures and plotly, about half a second of each
command's start.  The names are plain data; the builders are bound to them in `presets.SECTIONS`.
"""
from __future__ import annotations

FORMATS = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

# name -> heading; the order is the order of a full briefing
HEADINGS: dict[str, str] = {
    "overview": "Overview",
    "repeat_plans": "Repeat plans",
    "endings": "Plan endings",
    "agencies": "Core groups & agencies",
    "household": "Household change",
    "audit": "Audit sample",
}

# The standing briefing a safeguarding partnership regenerates each quarter.
PRESETS: dict[str, tuple[str, ...]] = {
    "partnership": ("overview", "repeat_plans", "endings", "agencies", "what_works"),
    "all": tuple(HEADINGS),
}


def not_built(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names among `names` the export has no section for yet (a preset may name a page before its section
    exists): said as "not yet available", apart from sections a role may not read."""
    return tuple(n for n in names if n not in HEADINGS)


def preset_words(preset: str) -> str:
    """A preset's sections in words, the ones not built yet said as such: the command's help promised "what works"
    in a partnership briefing that every run reported as not yet available."""
    names = PRESETS[preset]
    built = ", ".join(HEADINGS[n] for n in names if n not in not_built(names))
    later = ", ".join(n.replace("_", " ") for n in not_built(names))
    return built + (f"; {later} when the export has it (not yet)" if later else "")
