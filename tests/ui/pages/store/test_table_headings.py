"""Every table on every page, on the demo store, reads in words: no heading with an underscore (a Python column
name such as "repeat_rate") and no date shown as a timestamp ("2025-04-01 00:00:00"), no "None"/"nan" cell.

What a reader sees as a heading is the column's label in the table's column config where the page gave one,
else the column's name; hidden columns are not seen."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from paqa_dash.reference.codes import BAND_LABELS, CATEGORY_LABELS, END_REASON_LABELS, REASON_LABELS
from support.pages import PAGES, open_page

URL_PATHS = sorted(m.group(1) for p in PAGES.glob("*.py")
                   for m in [re.search(r'^URL_PATH = "([a-z_]+)"', p.read_text(encoding="utf-8"), re.M)] if m)
RAW = ("00:00:00", "NaT")
BLANKS = ("None", "nan", "NaN", "NaT")
# codes that have words in reference/codes.py (and read differently from them): never shown as they are
CODES = {c for labels in (BAND_LABELS, CATEGORY_LABELS, END_REASON_LABELS, REASON_LABELS)
         for c, w in labels.items() if c != w}
# pages again with a choice that changes a table's rows (a split by length or category: codes in the data)
VARIANTS = [("repeat_plans", {"split": "band"}), ("repeat_plans", {"split": "category"})]


def seen(element) -> list[str]:
    """The columns a reader sees on one st.dataframe (hidden ones left out)."""
    config = json.loads(element.proto.columns or "{}")
    return [c for c in element.value.columns
            if not (config.get(f"col:{c}") or config.get(str(c)) or {}).get("hidden")]


def seen_headings(element) -> list[str]:
    """The headings a reader sees on one st.dataframe (its column config's labels where it has them)."""
    config = json.loads(element.proto.columns or "{}")
    shown = []
    for column in element.value.columns:
        conf = config.get(f"col:{column}") or config.get(str(column)) or {}
        if conf.get("hidden"):
            continue
        shown.append(str(conf.get("label") or column))
    return shown


def test_every_page_is_covered():
    assert {"overview", "repeat_plans", "endings", "between_plans", "what_works", "regional"} <= set(URL_PATHS)


@pytest.mark.parametrize("url_path, query", [(p, None) for p in URL_PATHS] + VARIANTS)
def test_tables_read_in_words(use_store, demo_store, url_path, query):
    use_store(demo_store)
    at = open_page(url_path, query, timeout=120)
    problems = []
    for element in at.dataframe:
        frame: pd.DataFrame = element.value
        for name in seen_headings(element):
            if "_" in name:
                problems.append(f"heading {name!r}")
        for column in seen(element):
            values = frame[column]
            textual = values.dtype == object or pd.api.types.is_string_dtype(values)
            if textual and values.isin(CODES).any():
                problems.append(f"{column!r} shows a code: {values[values.isin(CODES)].iloc[0]!r}")
            if pd.api.types.is_datetime64_any_dtype(values):
                problems.append(f"{column!r} holds timestamps")
                continue
            if pd.api.types.is_numeric_dtype(values) and values.isna().any():
                problems.append(f"{column!r} shows 'None' for nothing recorded (a missing number)")
            text = values.astype(str)
            if textual and text.str.contains("|".join(RAW)).any():
                problems.append(f"{column!r} shows a raw timestamp: {text[text.str.contains('|'.join(RAW))].iloc[0]}")
            if textual and text.isin(BLANKS).any():
                problems.append(f"{column!r} shows {text[text.isin(BLANKS)].iloc[0]!r} for nothing recorded")
    assert not problems, f"{url_path}: " + "; ".join(problems)
