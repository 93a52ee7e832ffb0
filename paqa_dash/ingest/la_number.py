"""How an authority is named: DfE's three-digit LA number as text ("202" is Camden), as the CIN census
header's `LEA` and data/benchmarks/statistical_neighbours_2021.csv (`la_number`) give it.

Why a module of its own: the census reader, the bundle's value checks, the command line and the Import
page all check the same format, and the check sits below all of them (ingest/authority.py, which scopes
ids by authority, reads the checked values).
"""
from __future__ import annotations

import re

from .frames import FatalImportError

_FORMAT = re.compile(r"\d{3}")
LA_NUMBER_RULE = "three digits, e.g. 202"


def is_code(text: object) -> bool:
    """True for a DfE LA number: exactly three digits (no spaces, no letters)."""
    return isinstance(text, str) and _FORMAT.fullmatch(text) is not None


def check(code: str, where: str) -> str:
    """`code` trimmed, or FatalImportError naming `where` (the file and field, or the option)."""
    text = code.strip()
    if not is_code(text):
        raise FatalImportError(f"{where}: '{text[:20]}' is not a DfE LA number ({LA_NUMBER_RULE})")
    return text
