"""Cell cleaning shared by the Annex A and SSD readers: the category of abuse."""
from __future__ import annotations

import pytest

from paqa_dash.ingest import codes
from paqa_dash.ingest.frames import Issue

# Every spelling of one category the readers accepted before a text naming two was read as multiple.
SINGLE = [
    ("neglect", "NEG"), ("Neglect ", "NEG"), (" NEGLECT", "NEG"), ("N) Neglect", "NEG"), ("b) Neglect", "NEG"),
    ("NEG", "NEG"), ("neg", "NEG"), ("N", "NEG"), ("Neglect - chronic", "NEG"), ("Neglect (no other concerns)", "NEG"),
    ("Emotional abuse", "EMO"), ("c) Emotional Abuse", "EMO"), ("EMO", "EMO"), ("Emotional", "EMO"),
    ("Physical abuse", "PHY"), ("PHY", "PHY"), ("Sexual abuse", "SAB"), ("SAB", "SAB"), ("Sexual Abuse", "SAB"),
    ("Multiple", "MUL"), ("MUL", "MUL"), ("Mixed", "MUL"), ("e) Multiple/not recommended", "MUL"),
    ("Multiple: Neglect, Emotional abuse", "MUL"), ("Multiple categories", "MUL"),
]
# Texts naming two or more categories: multiple, and the categories named (for the warning).
SEVERAL = [
    ("Neglect and emotional abuse", ("NEG", "EMO")), ("Neglect and emotional", ("NEG", "EMO")),
    ("Physical and sexual abuse", ("PHY", "SAB")), ("Emotional abuse, Neglect", ("NEG", "EMO")),
    ("Neglect / Physical", ("NEG", "PHY")), ("neglect; emotional; physical", ("NEG", "EMO", "PHY")),
]
# Texts that negate a category or name none: returned as given, for the validator to reject as an unknown code.
UNREADABLE = ["Not neglect", "non-neglect", "No neglect", "Neglect, not physical", "Domestic abuse", "tbc"]


@pytest.mark.parametrize("text, code", SINGLE)
def test_one_category_is_its_code_without_a_warning(text, code):
    assert codes.read_category(text) == (code, ())


@pytest.mark.parametrize("text, named", SEVERAL)
def test_a_text_naming_several_categories_is_multiple(text, named):
    assert codes.read_category(text) == ("MUL", named)
    assert codes.category_code(text) == "MUL"


@pytest.mark.parametrize("text", UNREADABLE)
def test_a_negated_or_unknown_text_is_passed_on_unchanged(text):
    assert codes.read_category(text) == (text, ())


def test_blank_is_none():
    assert codes.read_category(None) == (None, ()) and codes.read_category("#N/A") == (None, ())


def test_plan_categories_warn_naming_file_row_and_field():
    warnings: list[Issue] = []
    got = codes.plan_categories("Neglect", "Physical and sexual abuse", "a.xlsx:List 7", 4, warnings)
    assert got == ("NEG", "MUL")
    assert warnings == [Issue("plans", "a.xlsx:List 7", 4, "latest_category",
                              "latest_category names more than one category (physical abuse and sexual abuse): "
                              "read as multiple (MUL)")]


@pytest.mark.parametrize("text, iso", [
    ("3-Apr-23", "2023-04-03"), ("03-APR-23", "2023-04-03"), ("03-Apr-2023", "2023-04-03"),
    ("3 April 2023", "2023-04-03"), ("3rd April 2023", "2023-04-03"), ("03 Sept 2023", "2023-09-03"),
    ("3.Apr.2023", "2023-04-03"), ("03-APR-23 00:00:00", "2023-04-03"), ("27-Mar-15", "2015-03-27"),
    ("31-Feb-23", "31-Feb-23"), ("3-Apz-23", "3-Apz-23"), ("Apr-23", "Apr-23"),
])
def test_a_date_with_its_month_in_words_is_read(text, iso):
    """Excel shows a date typed as text `3-Apr-23` (its d-mmm-yy format) and an Oracle export writes `03-APR-23`
    (its DD-MON-RR default): the month in words says which part is the day, so no file order is needed.  They were
    rejected as not dates in every reader.  A day that does not exist, or no month, is left for the validator."""
    assert codes.iso_date(text) == iso


@pytest.mark.parametrize("text, iso", [
    ("Apr 3, 2023", "2023-04-03"), ("April 3, 2023", "2023-04-03"), ("APR 03 2023", "2023-04-03"),
    ("Apr 3rd, 2023", "2023-04-03"), ("Sept 30, 2023", "2023-09-30"), ("Apr. 3, 2023", "2023-04-03"),
    ("Apr 3, 2023 12:00 AM", "2023-04-03"), ("Dec-25-2023", "2023-12-25"),
    ("Apr 31, 2023", "Apr 31, 2023"), ("Apr 3, 23", "Apr 3, 23"), ("Apr 2023", "Apr 2023"),
])
def test_a_date_with_its_month_in_words_first_is_read(text, iso):
    """A US-locale Excel writes a date cell into a text export as `Apr 3, 2023`; it was rejected as not a date while
    `3 Apr 2023` was read.  The month is a word, so the number after it is the day: read without guessing an order.
    A two-digit year is not taken (`March 27 15` may be a date and a count: the scrubber reads it so too), nor a day
    that does not exist: left for the validator to reject."""
    assert codes.iso_date(text) == iso
