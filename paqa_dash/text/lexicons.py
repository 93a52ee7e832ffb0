"""Loading the reviewed lexicon files in `data/lexicons/`.

The plan-quality rules are data, not code: a practice lead can read, challenge and change a
phrase, its suggestion or its source in a CSV without touching Python.  Every file is read as
strings, blank cells become "", and regex patterns are compiled once (case-insensitive) so a
broken pattern fails loudly at load time, naming the file and row.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..reference.codes import ADULT_FACTOR_LABELS

LEXICON_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "lexicons"
LABELLED_THEMES = LEXICON_DIR.parent / "action_themes_labelled.csv"


def _read_commented(path: Path) -> pd.DataFrame:
    """A CSV whose leading lines starting with '#' are notes (sources, column meanings), as str cells."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    body = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    frame = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    return frame.astype(object)


def read_csv(name: str, required: tuple[str, ...]) -> pd.DataFrame:
    """Read one lexicon CSV (comment lines start with '#'), all cells as plain str."""
    path = LEXICON_DIR / name
    frame = _read_commented(path)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
    for col in frame.columns:
        frame[col] = frame[col].map(lambda v: v.strip() if isinstance(v, str) else "")
    return frame


def compile_column(frame: pd.DataFrame, column: str, source_name: str) -> list[re.Pattern[str]]:
    """Compile a column of regexes (case-insensitive), naming the row of any bad pattern."""
    compiled = []
    for i, pattern in enumerate(frame[column]):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise ValueError(f"{source_name} row {i + 2}: bad pattern {pattern!r}: {exc}") from None
    return compiled


@lru_cache(maxsize=None)
def smart_rules() -> pd.DataFrame:
    """SMART rules: criterion, kind, pattern, label, reason, source (+ compiled `rx`)."""
    frame = read_csv("smart_rules.csv", ("criterion", "kind", "pattern", "reason", "source"))
    frame["rx"] = compile_column(frame, "pattern", "smart_rules.csv")
    return frame


@lru_cache(maxsize=None)
def language_rules() -> pd.DataFrame:
    """Deficit / not trauma-informed phrases: phrase, pattern, category, suggestion, why, source (+ `rx`)."""
    frame = read_csv("language.csv", ("phrase", "pattern", "category", "unless_before", "suggestion", "why", "source"))
    frame["rx"] = compile_column(frame, "pattern", "language.csv")
    frame["unless_rx"] = [rx if p else None for rx, p in
                          zip(compile_column(frame, "unless_before", "language.csv"), frame["unless_before"])]
    return frame


@lru_cache(maxsize=None)
def strengths_rules() -> pd.DataFrame:
    """Strengths-based and trauma-informed wording to count (data/lexicons/strengths.csv), with compiled rx."""
    frame = read_csv("strengths.csv", ("phrase", "pattern", "kind", "why"))
    frame["rx"] = compile_column(frame, "pattern", "strengths.csv")
    return frame


@lru_cache(maxsize=None)
def plain_acronyms() -> frozenset[str]:
    """Capitalised words never flagged as unexplained acronyms (GP, NHS, shouted MUST ...); read once a process:
    every text reviewed asks for them (reading the file each time was most of a cold plan-quality page)."""
    return frozenset(read_csv("plain_acronyms.csv", ("acronym",))["acronym"].str.upper())


@lru_cache(maxsize=None)
def jargon() -> pd.DataFrame:
    """Jargon and acronyms: term, pattern, explained_by (regex), suggestion, why, source (+ `rx`, `explained_rx`)."""
    frame = read_csv("jargon.csv", ("term", "pattern", "explained_by", "suggestion", "why", "source"))
    frame["rx"] = compile_column(frame, "pattern", "jargon.csv")
    frame["explained_rx"] = compile_column(frame, "explained_by", "jargon.csv")
    return frame


@lru_cache(maxsize=None)
def theme_keywords() -> pd.DataFrame:
    """Theme lexicon: keyword, pattern, weight (float), theme (+ `rx`)."""
    frame = read_csv("themes.csv", ("keyword", "pattern", "weight", "theme"))
    frame["weight"] = frame["weight"].astype(float)
    frame["rx"] = compile_column(frame, "pattern", "themes.csv")
    return frame


def factor_labels() -> dict[str, str]:
    """CIN assessment-factor code -> plain label (the adult factors).  Not a lexicon file: the codes and
    their labels are defined once in `reference.codes` (data/lexicons/adult_factors.csv was a second copy)."""
    return dict(ADULT_FACTOR_LABELS)


def labelled_themes() -> pd.DataFrame:
    """The hand-labelled action set used to test the theme classifier."""
    return _read_commented(LABELLED_THEMES)
