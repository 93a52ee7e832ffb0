"""Source-specific cell cleaning shared by the Annex A and SSD readers.

Annex A cells carry list-box labels (`b) Female`, `s) NOBT`, `q) 6: Police`), SSD extracts carry
words (`Neglect`, `Multiple: Neglect, Emotional abuse`) and spreadsheets carry datetimes, floats
and `#N/A`.  These helpers turn such cells into the raw strings the native bundle uses.  They
only strip what is clearly the source's presentation: anything they do not recognise is passed
through unchanged, so the shared validator rejects it with the original value in the reason
instead of it being silently blanked here.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from ..reference.codes import CATEGORY_LABELS
from . import dates, vocab
from .frames import Issue

_LABEL = re.compile(r"^\s*([A-Za-z]{1,2})\)\s*(.*)$", re.S)
_BLANKS = {"", "#n/a", "n/a", "#value!", "#ref!", "null", "none", "nan", "nat"}
# Day 0 of Excel's day numbers: 30 Dec 1899 in the 1900 date system; a workbook saved in the 1904 system (Mac
# Excel's old default) counts from 1 Jan 1904, 1,462 days later.  openpyxl reads which a workbook uses (`wb.epoch`)
# and dates cells formatted as dates by it; a day number in a cell formatted General is read here (`iso_date`).
EXCEL_EPOCH = date(1899, 12, 30)
# A day, a month in words and a year: `3-Apr-23` (a date typed as text in a cell Excel shows as d-mmm-yy),
# `03-APR-2023` (Oracle's default), `3 April 2023`, `3rd April 2023`; a time after it is ignored.
_WORDS_DATE = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?[ /.-]{{1,3}}({dates.MONTHS})\.?,?[ /.-]{{1,3}}(\d{{2}}|\d{{4}})"
                         r"(?:[ T].*)?$", re.IGNORECASE)
# A month in words, a day and a four-digit year: `Apr 3, 2023`, `April 3rd 2023` (a date as a US-locale Excel writes
# it in a text export).  The month is a word, so the day is the number after it: no order to guess.  The year is
# written in full, as the scrubber reads such a date (`scrub.DATE`): `March 27 15` may be a date and a count.
_MONTH_FIRST_WORDS = re.compile(rf"^({dates.MONTHS})\.?[ /.-]{{1,3}}(\d{{1,2}})(?:st|nd|rd|th)?,?[ /.-]{{1,3}}(\d{{4}})"
                                r"(?:[ T].*)?$", re.IGNORECASE)


# A row of totals kept under the data by those who count their lists (`Total`, `Grand total: 12`, `Count: 153` in its
# id column, or with its id blank, `Total` under another column): no record is called that, and read as one it would
# be a child (or plan) nobody has.  One rule for the Annex A and bundle readers, which leave such a row out with this
# warning.
TOTALS_ROW = "a totals row (not a child): not read"
_TOTAL_WORD = r"^(?:grand |sub[- ]?)?(?:totals?|count)"
_TOTALS = re.compile(_TOTAL_WORD + r"\b", re.IGNORECASE)
# Under another column the cell must be the label alone, a count after it at most (`Total`, `Count: 153`): a team
# called `Total Care Team` on a row whose id was left blank is a row to reject for its blank id, not a totals row.
_TOTALS_CELL = re.compile(_TOTAL_WORD + r"\s*:?\s*[\d,]*$", re.IGNORECASE)


def totals_label(value: object) -> bool:
    """Whether an id cell holds a totals label (a label: never a number or a date)."""
    return isinstance(value, str) and _TOTALS.match(value.strip()) is not None


def totals_row(row: Sequence[object], id_col: int) -> bool:
    """Whether a row is a totals row: a totals label in its id cell, or its id blank and a cell that is a totals label
    alone (`Total` under Gender, `Count: 153` in a count column).  Why the second: a total written beside the
    column it counts was read as a row of a child with no id and rejected for it, a reject that is no record's."""
    cell = row[id_col] if id_col < len(row) else None
    if cell is not None and not isinstance(cell, str):
        return False  # a number or a date: an id
    if cell is not None and cell.strip():
        return totals_label(cell)
    return any(isinstance(v, str) and _TOTALS_CELL.match(v.strip()) is not None for v in row)


def _number_digits(value: object) -> str | None:
    """The digits of a cell Excel holds as a whole number (123, 123.0), else None: such a cell has lost any leading
    zero it was typed with."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return str(int(value)) if value >= 0 else None


class LostZeros:
    """Whether a workbook's child ids lost leading zeros between its sheets, seen one id cell at a time (`see`).

    One list holds an id as text, `00123`; another as the number 123 (typed into, or opened as, a cell formatted
    General, Excel drops the zeros): the child's rows in the two lists did not meet, without a word.  The zeros are
    restored only where that cannot join two children (`width`): every id written as text in digits has one width
    and some begin with a zero (the system writes fixed-width ids), and no number is longer than that width; then 123
    can only be 00123.  Otherwise ids written as numbers beside zero-padded text are only warned about.  Each sheet
    holding such numbers gets one warning naming its first such row and the ids' forms, never an id (`said`)."""

    def __init__(self) -> None:
        self.text_widths: set[int] = set()
        self.padded = False
        self.numbers: dict[str, tuple[int, int, int]] = {}   # source -> (first row, how many, most digits)

    def see(self, source: str, row: int, value: object) -> None:
        """One id cell of a sheet, as the sheet holds it (text, or a number)."""
        if isinstance(value, str):
            text = value.strip()
            if text.isdigit():
                self.text_widths.add(len(text))
                self.padded = self.padded or text[0] == "0"
        elif (digits := _number_digits(value)) is not None:
            first, count, most = self.numbers.get(source, (row, 0, 0))
            self.numbers[source] = (first, count + 1, max(most, len(digits)))

    @property
    def width(self) -> int | None:
        """The width ids written as numbers are read at, zeros restored; None: as written."""
        if not self.padded or not self.numbers or len(self.text_widths) != 1:
            return None
        (widest,) = self.text_widths
        return widest if all(most <= widest for _, _, most in self.numbers.values()) else None

    def said(self, restores: bool = True) -> list[tuple[str, str]]:
        """(source, warning) for each sheet holding ids as numbers beside zero-padded text, naming its first such row
        (a warning of the sheet, not of that row: a row the checks reject loses its reader's warnings); `restores`:
        whether the reader restores the zeros where `width` allows (Annex A), or reads every id as written (a
        bundle, whose rows are on their way to the store before its last sheet is read)."""
        if not self.padded:
            return []
        low, high = min(self.text_widths), max(self.text_widths)
        fix = "Format the id column as Text and write the ids in full"
        if restores and self.width is not None:
            outcome = f"; read with the zeros restored, as {self.width}-digit ids, so the child meets its rows in the " \
                      "other lists"
        elif restores:
            outcome = (", and ids of different lengths cannot be restored safely: a child written both ways is read "
                       f"as two. {fix}")
        else:
            outcome = ("; read as written, so a child written both ways is read as two (a row naming it by the number "
                       f"refers to no child). {fix}")
        return [(source, f"{count} child {'id is a number' if count == 1 else 'ids are numbers'} (of up to {most} "
                         f"digits; the first at row {first}), where ids written as text in this workbook begin with "
                         f"zeros (text of {high if low == high else f'{low} to {high}'} digits): Excel drops a "
                         f"number's leading zeros{outcome}")
                for source, (first, count, most) in self.numbers.items()]


# The heading row again under the data (two extracts pasted one under the other): its id cell holds the id column's
# heading, which no record is called.  Read as a record it was rejected for its other headings, a reject for each
# (a sex code 'Gender', a start date 'Start Date'), or loaded as a child called `child_id` where the table has no other
# column.  The Annex A and bundle readers leave it out with this warning.
HEADING_AGAIN = "the heading row again (not a child): not read"


def heading_again(row: Sequence[object], id_col: int, heading: str) -> bool:
    """Whether a row is the heading row again: its id cell is the id column's `heading` (stripped), as written."""
    cell = row[id_col] if id_col < len(row) else None
    return isinstance(cell, str) and cell.strip() == heading


def cell_text(value: object) -> str | None:
    """One cell as a clean string: datetimes as ISO dates, integral floats without `.0`,
    non-breaking spaces as spaces, blanks and spreadsheet error values as None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = " ".join(str(value).replace("\xa0", " ").split())
    return None if text.lower() in _BLANKS else text


def strip_label(value: object) -> tuple[str | None, str | None]:
    """Split an Annex A labelled code: `b) Female` -> ("b", "Female"); `Female` -> (None, "Female")."""
    text = cell_text(value)
    if text is None:
        return None, None
    m = _LABEL.match(text)
    if m and m.group(2).strip():
        return m.group(1).lower(), m.group(2).strip()
    return None, text


def unlabel(value: object) -> str | None:
    """The text of a cell without its list-box label."""
    return strip_label(value)[1]


def iso_date(value: object, epoch: date = EXCEL_EPOCH) -> str | None:
    """A date cell as `YYYY-MM-DD`; `epoch` is day 0 of the workbook's day numbers (`EXCEL_EPOCH`, or 1 Jan 1904).

    Accepts datetimes, ISO strings (with a time part), UK `dd/mm/yyyy` (or `dd-mm-yyyy`,
    `dd.mm.yyyy`, two-digit years), a day, a month in words and a year (`3-Apr-23`, `03-APR-2023`,
    `3 April 2023`), a month in words, a day and a full year (`Apr 3, 2023`) and Excel serial day numbers.  An
    unrecognised value is returned as it is, for the validator to reject with the value in its reason."""
    if isinstance(value, (datetime, date)):
        return cell_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return (epoch + timedelta(days=int(value))).isoformat()
        return cell_text(value)
    text = cell_text(value)
    if text is None:
        return None
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", text)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T].*)?$", text)
    if m:
        return _ymd(_full_year(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    m = _WORDS_DATE.match(text)
    if m:
        return _ymd(_full_year(m.group(3)), dates.MONTH_NUMBER[m.group(2)[:3].lower()], int(m.group(1)), text)
    m = _MONTH_FIRST_WORDS.match(text)
    if m:
        return _ymd(int(m.group(3)), dates.MONTH_NUMBER[m.group(1)[:3].lower()], int(m.group(2)), text)
    return text


def workbook_epoch(workbook: object) -> date:
    """Day 0 of an openpyxl workbook's day numbers (its `epoch`: 1900 or 1904 date system), as `iso_date` takes it."""
    epoch = getattr(workbook, "epoch", None)
    return epoch.date() if isinstance(epoch, datetime) else EXCEL_EPOCH


def _full_year(digits: str) -> int:
    """A year as written: two digits are 2000 to 2069 (00 to 69) or 1970 to 1999."""
    year = int(digits)
    return year + (2000 if year < 70 else 1900) if year < 100 else year


def _ymd(year: int, month: int, day: int, original: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return original


_SEX_WORDS = {
    "m": "M", "male": "M", "boy": "M", "man": "M", "1": "M", "01": "M",
    "f": "F", "female": "F", "girl": "F", "woman": "F", "2": "F", "02": "F",
    "u": "U", "unknown": "U", "not known": "U", "not stated": "U", "not stated/recorded": "U",
    "not recorded": "U", "indeterminate": "U", "unborn": "U", "0": "U", "00": "U", "9": "U", "09": "U",
}


def sex_code(value: object) -> str | None:
    """`b) Female` / `Female` / `F` / `2` -> `F`; `c) Not stated/recorded` -> `U`; else as given."""
    text = unlabel(value)
    if text is None:
        return None
    return _SEX_WORDS.get(text.lower(), text)


_ETHNICITY_WORDS = {
    "white british": "WBRI", "white irish": "WIRI", "traveller of irish heritage": "WIRT",
    "any other white background": "WOTH", "gypsy/roma": "WROM", "gypsy roma": "WROM",
    "white and black caribbean": "MWBC", "white and black african": "MWBA", "white and asian": "MWAS",
    "any other mixed background": "MOTH", "indian": "AIND", "pakistani": "APKN", "bangladeshi": "ABAN",
    "any other asian background": "AOTH", "caribbean": "BCRB", "african": "BAFR",
    "any other black background": "BOTH", "chinese": "CHNE", "any other ethnic group": "OOTH",
    "refused": "REFU", "information not yet obtained": "NOBT", "not obtained": "NOBT",
}


def ethnicity_code(value: object) -> str | None:
    """`a) WBRI` -> `WBRI`; `WBRI - White British` -> `WBRI`; `White British` -> `WBRI`; else as given."""
    text = unlabel(value)
    if text is None:
        return None
    m = re.match(r"^([A-Za-z]{4})(?:\s*[-:]\s*.*)?$", text)
    if m:
        return m.group(1).upper()
    return _ETHNICITY_WORDS.get(text.lower(), text)


def yes_no(value: object) -> str | None:
    """`a) Yes` / `Yes` / `Y` / `true` -> `Y`; `b) No` / `N` -> `N`; else as given."""
    text = unlabel(value)
    if text is None:
        return None
    low = text.lower()
    if low in {"y", "yes", "true", "1"}:
        return "Y"
    if low in {"n", "no", "false", "0"}:
        return "N"
    return text


# The words that name a category of abuse in a source's text, and the words that say a text names several.
_CATEGORY_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bneglect"), "NEG"), (re.compile(r"\bemotional"), "EMO"),
    (re.compile(r"\bphysical"), "PHY"), (re.compile(r"\bsexual"), "SAB"),
)
_MULTIPLE = re.compile(r"^(?:multiple|mixed)\b")
# A text that negates a category ("Not neglect", "non-neglect", "Neglect, not physical") says what the plan
# is not; a negation elsewhere ("Neglect (no other concerns)") does not.
_NEGATION = re.compile(r"\b(?:not|no|non|never|without|except|excluding)\b[\s\-:]*(?:\w+[\s\-]+){0,2}?"
                       r"(?:neglect|emotional|physical|sexual)")
_CATEGORY_SPELLINGS = vocab.lookup(vocab.CATEGORY)


def read_category(value: object) -> tuple[str | None, tuple[str, ...]]:
    """A category-of-abuse cell as (code, the categories it named when it was read as multiple).

    A code or a listed spelling (`NEG`, `neglect`, `N) Neglect`, `Emotional abuse`) is that code, and a
    text that says it is multiple (`Multiple: Neglect, Emotional abuse`, DfE's `Multiple/not recommended`)
    is MUL, with nothing named.  A text naming one category among other words (`Neglect - chronic`) is that
    category.  A text naming two or more (`Neglect and emotional abuse`, `Emotional abuse, Neglect`) is MUL,
    and the categories named are returned so the reader can warn: coding it as its first word would count a
    mixed plan as neglect alone, the figures this product is about.  A negated text (`Not neglect`) or one
    naming no category is returned as given, for the validator to reject as an unknown code."""
    text = unlabel(value)
    if text is None:
        return None, ()
    known = _CATEGORY_SPELLINGS.get(vocab.normalise_key(text))
    if known is not None:
        return known, ()
    low = text.lower()
    if _MULTIPLE.match(low):
        return "MUL", ()
    if _NEGATION.search(low):
        return text, ()
    named = tuple(code for pattern, code in _CATEGORY_WORDS if pattern.search(low))
    if len(named) == 1:
        return named[0], ()
    if len(named) > 1:
        return "MUL", named
    return text, ()


def category_code(value: object) -> str | None:
    """Category of abuse as a code (see `read_category`): `Neglect` -> NEG, `Emotional abuse` -> EMO,
    `Multiple: Neglect, Emotional abuse` -> MUL, `Neglect and emotional abuse` -> MUL; else as given."""
    return read_category(value)[0]


def plan_categories(initial: object, latest: object, source: str, row: int | None,
                    warnings: list[Issue]) -> tuple[str | None, str | None]:
    """A plan's initial and latest category as codes, with a warning naming the file, row and field for each
    text read as multiple because it named several categories (the analyst may have meant one of them)."""
    out: list[str | None] = []
    for field, value in (("initial_category", initial), ("latest_category", latest)):
        code, named = read_category(value)
        if named:
            warnings.append(Issue("plans", source, row, field, several_categories(field, named)))
        out.append(code)
    return out[0], out[1]


def several_categories(field: str, named: tuple[str, ...]) -> str:
    """The warning for a category text read as MUL because it named `named` (every reader's words)."""
    words = " and ".join(CATEGORY_LABELS[c].lower() for c in named)
    return f"{field} names more than one category ({words}): read as multiple (MUL)"


def referral_source_code(value: object) -> str | None:
    """The CIN referral-source code in an Annex A cell: `q) 6: Police` -> `6`, `j) 3D: Health` -> `3D`."""
    text = unlabel(value)
    if text is None:
        return None
    m = re.match(r"^(\d{1,2}[A-Fa-f]?)\b", text)
    return m.group(1).upper() if m else None


def referral_agency(value: object) -> str:
    """The agency that made a referral, from its CIN referral-source code (1x individuals,
    2x education, 3x health, 4 housing, 5x LA services, 6 police, 7-10 other)."""
    code = referral_source_code(value)
    if code is None:
        return "OTHER"
    number, letter = int(re.match(r"\d+", code).group()), code[-1] if code[-1].isalpha() else ""
    if number == 1:
        return "FAMILY" if letter in {"B", "D"} else "OTHER"
    return {2: "EDUCATION", 3: "HEALTH", 4: "HOUSING", 5: "CSC", 6: "POLICE"}.get(number, "OTHER")


# Placeholders that stand where a name is not known: never treated as names to scrub
# (scrubbing "baby" would mangle "new baby" in every action text).
_NOT_NAMES = {"unallocated", "not allocated", "none allocated", "tbc", "unknown", "not known", "baby",
              "unborn", "unborn baby", "baby of", "child", "infant", "n/k", "nk"}


def person_name(value: object) -> str | None:
    """A worker/person name cell as it may appear in free text (spaces normalised), or None
    for blanks and placeholders such as `Unallocated`."""
    text = cell_text(value)
    if text is None or len(text) < 2 or text.lower() in _NOT_NAMES:
        return None
    return text


# Words in an organisation's name -> the agency it is (Annex A List 2, "Organisation completing assessment").
_ORGANISATION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("EDUCATION", ("school", "academy", "college", "nursery", "education", "pupil")),
    ("HEALTH", ("health", "nhs", "gp", "surgery", "hospital", "nurse", "midwi", "visitor", "camhs")),
    ("POLICE", ("police",)),
    ("HOUSING", ("housing",)),
    ("CSC", ("early help", "family hub", "children's centre", "childrens centre", "council", "local authority",
             "children's services", "childrens services", "locality", "social care", "family support")),
)


def organisation_agency(value: object) -> str:
    """The agency an organisation's name says it is (`Top Town Academy` -> EDUCATION, `Early Help Locality 2`
    -> CSC, the local authority's own service); OTHER when the name says nothing recognisable."""
    text = (unlabel(value) or "").lower()
    for agency, words in _ORGANISATION_WORDS:
        if any(re.search(rf"\b{re.escape(w)}", text) for w in words):
            return agency
    return "OTHER"
