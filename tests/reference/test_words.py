"""Codes in words for tables and CSVs: words on screen, the codes kept beside them for the CSV."""
from __future__ import annotations

import pandas as pd

from paqa_dash.reference import words
from paqa_dash.reference.codes import AGENCY_LABELS, REASON_LABELS, factor_label


def test_a_column_of_codes_comes_out_in_words_with_its_codes_beside_it():
    frame = pd.DataFrame({"agency": ["ADULT_MH", "CSC"], "n": [3, 4]})
    out = words.in_words(frame, {"agency": AGENCY_LABELS})
    assert list(out.columns) == ["agency", "agency_code", "n"]
    assert list(out["agency"]) == ["Adult mental health", "Children's social care"]
    assert list(out["agency_code"]) == ["ADULT_MH", "CSC"]
    assert list(frame["agency"]) == ["ADULT_MH", "CSC"]   # the caller's frame is left alone


def test_several_codes_in_a_cell_blanks_and_unknown_codes():
    frame = pd.DataFrame({"reasons": ["SHORT,OPEN_ACTIONS", None, "NEW_ONE"], "factors": ["3B,4C", "", "2B"]})
    out = words.in_words(frame, {"reasons": REASON_LABELS, "factors": factor_label}, keep_codes=False)
    assert list(out.columns) == ["reasons", "factors"]
    assert out["reasons"].iloc[0] == "Short plan; Actions not done"
    assert pd.isna(out["reasons"].iloc[1])
    assert out["reasons"].iloc[2] == "NEW_ONE"   # a code with no label is shown, never hidden
    assert out["factors"].iloc[0] == "Domestic abuse: parent/carer; Mental health: other adult in household"
    assert out["factors"].iloc[1] == ""


def test_factor_label_says_any_cin_factor():
    assert factor_label("2b") == "Drug misuse: parent/carer"
    assert factor_label("16A") == "Neglect: child"
    assert factor_label("21") == "No factors"
    assert factor_label("99Z") == "99Z"


def test_a_count_with_its_noun_is_singular_for_one_only():
    assert words.counted(1, "plan") == "1 plan" and words.counted(0, "plan") == "0 plans"
    assert words.counted(1, "child") == "1 child" and words.counted(1234, "child") == "1,234 children"
    assert words.counted(2, "authority") == "2 authorities" and words.counted(3, "match") == "3 matches"
    assert words.counted(2, "day") == "2 days" and words.counted(1, "new concern") == "1 new concern"
    assert words.counted(1.0, "row") == "1 row" and words.counted(2.5, "day") == "2.5 days"
    assert words.counted(2, "review or core group", "reviews and core groups") == "2 reviews and core groups"
    # a suppressed count ("c") may hide any number: plural; the count shown as itself follows the count
    assert words.counted(1, "plan", shown="c") == "c plans" and words.counted(1, "plan", shown="1") == "1 plan"
    assert words.plural("was", 1) == "was" and words.plural("was", 3) == "were"
