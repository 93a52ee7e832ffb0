"""The store's code lists and the synonyms real sources use for them.

Categories, end reasons, agencies and CIN factors are defined once in `reference.codes`; the tables here
add the spellings sources use, keyed on those codes (a code missing here has no synonyms, never no entry).

Codes are matched case-insensitively after trimming, with spaces, hyphens and underscores treated
alike, so "Step down - CIN", "step_down_cin" and "STEP DOWN CIN" are one code.
"""
from __future__ import annotations

import re

from ..reference import codes

CATEGORY: dict[str, tuple[str, ...]] = {c: () for c in codes.CATEGORIES}
CATEGORY["NEG"] = ("NEGLECT", "N")
CATEGORY["EMO"] = ("EMOTIONAL", "EMOTIONAL ABUSE", "E")
CATEGORY["PHY"] = ("PHYSICAL", "PHYSICAL ABUSE", "P")
CATEGORY["SAB"] = ("SEXUAL", "SEXUAL ABUSE", "SA", "S")
CATEGORY["MUL"] = ("MULTIPLE", "MIXED", "M")
END_REASON: dict[str, tuple[str, ...]] = {c: () for c in codes.END_REASONS}
END_REASON["NO_LONGER_AT_RISK"] = ("NO LONGER AT RISK", "NOT AT RISK")
END_REASON["LOOKED_AFTER"] = ("CHILD LOOKED AFTER", "CLA", "LAC")
END_REASON["TRANSFERRED_OUT"] = ("TRANSFERRED", "TRANSFER OUT", "MOVED OUT")
END_REASON["AGE_18"] = ("18", "REACHED 18")
EVENT_TYPE: dict[str, tuple[str, ...]] = {c: () for c in codes.EVENT_TYPES}
EVENT_TYPE["REVIEW_CONFERENCE"] = ("RCPC", "REVIEW", "REVIEW CP CONFERENCE")
EVENT_TYPE["CORE_GROUP"] = ("CORE GROUP MEETING", "CGM")
EVENT_TYPE["S47_START"] = ("S47", "SECTION 47")
EVENT_TYPE["STRATEGY_DISCUSSION"] = ("STRATEGY", "STRATEGY MEETING")
AGENCY: dict[str, tuple[str, ...]] = {c: () for c in codes.AGENCIES}
AGENCY["CSC"] = ("CHILDREN'S SOCIAL CARE", "CHILDRENS SOCIAL CARE", "SOCIAL CARE", "LA", "SOCIAL WORK")
AGENCY["EDUCATION"] = ("SCHOOL", "NURSERY")
AGENCY["ADULT_MH"] = ("ADULT MENTAL HEALTH", "MENTAL HEALTH")
AGENCY["ADULT_DA"] = ("DOMESTIC ABUSE", "DA SERVICE")
AGENCY["ADULT_SUBSTANCE"] = ("SUBSTANCE MISUSE", "DRUG AND ALCOHOL", "DRUGS AND ALCOHOL")
CHANGE_TYPE: dict[str, tuple[str, ...]] = {c: () for c in codes.CHANGE_TYPES}
STATUS = {"OPEN": ("IN PROGRESS", "ONGOING"), "DONE": ("COMPLETE", "COMPLETED", "ACHIEVED"),
          "NOT_DONE": ("NOT DONE", "NOT ACHIEVED", "INCOMPLETE"), "DROPPED": ("NO LONGER NEEDED", "CANCELLED")}
SEX = {"M": ("MALE", "1", "B"), "F": ("FEMALE", "2", "G"), "U": ("UNKNOWN", "0", "9", "NOT KNOWN",
                                                                 "NOT STATED", "INDETERMINATE")}
YES_NO = {"Y": ("YES", "TRUE", "1", "T"), "N": ("NO", "FALSE", "0", "F")}

# CIN census ethnicity codes (DfE common basic data set).
ETHNICITY = frozenset(codes.ETHNICITY_LABELS)

ADULT_FACTORS = frozenset(codes.ADULT_FACTORS)
FACTORS = codes.CIN_FACTORS

_SEP = re.compile(r"[\s_\-]+")


def _key(value: str) -> str:
    return _SEP.sub(" ", value.strip().upper())


def lookup(codes: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every accepted spelling (normalised by `_key`) -> its canonical code."""
    table: dict[str, str] = {}
    for code, synonyms in codes.items():
        table[_key(code)] = code
        for s in synonyms:
            table[_key(s)] = code
    return table


def normalise_key(value: str) -> str:
    return _key(value)


def factor_code(value: str) -> str | None:
    """'4b' -> '4B'; a bare number stays a number ('20', '21'); None if not a CIN factor."""
    v = value.strip().upper().replace(" ", "")
    return v if v in FACTORS else None


def factor_ref(value: str) -> str | None:
    """An action's `addresses_factor`: a factor code (4B) or a factor number (4 = any of 4A/4B/4C)."""
    v = value.strip().upper().replace(" ", "")
    if v in FACTORS:
        return v
    if v.isdigit() and 1 <= int(v) <= 24:
        return str(int(v))
    return None
