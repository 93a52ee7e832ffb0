"""Free-text scrubbing at import (docs/data_contract.md, "De-identification"): identifying values out, practice words in.

Every pattern runs in linear time on hostile input (a megabyte with no space in it): quantifiers are
bounded or possessive, no quantified group can match the same text two ways, and a pattern that scans a
run of characters may start only where such a run starts (a look-behind), so no run is scanned twice.
tests/ingest/test_scrub.py checks that structure; `python -m paqa_dash.bench scrub` times it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ..reference.words import counted
from .dates import MONTH_NUMBER as _MONTH_NUMBER
from .dates import MONTHS as _MONTHS
from .person_names import full_names, lexicon, name_parts, scrub_names

# A date as people write one: 27/03/2015, 27-3-15, 27.03.2015, 2015-03-27, 27th March 2015, 27 Mar 15,
# 27th of March, 2015, March 27th 2015, 27032015 (the last only after a date-of-birth word).
DATE = (r"(?<![\w/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]{{1,3}}(?:of[ \t]{{1,3}})?(?:{_MONTHS})\.?,?[ \t]{{1,3}}(?:\d{{4}}|\d{{2}})"
        rf"|(?:{_MONTHS})\.?[ \t]{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]{{1,3}}\d{{4}})(?![\w/])")
_DATE = re.compile(DATE, re.IGNORECASE)
_DOB = re.compile(r"\b(?:d\.?o\.?b\.?|date[ \t]of[ \t]birth|born(?:[ \t]on)?|birthday(?:[ \t]is)?)[ \t:=-]{0,3}"
                  rf"(?P<date>{DATE}|\d{{8}}(?!\d))", re.IGNORECASE)

# (tag, pattern, optional check of a match: None keeps the text).  Order matters: an e-mail holds digits,
# an NHS number must not be half-eaten by the phone pattern, a postcode ends an address.
_PHONE = (r"(?:(?<![\w+])(?:\+|00)[ \t]?44[ \t.-]?(?:\(0\)[ \t.-]?)?\(?\d\)?(?:[ \t.-]?\d){8,9}"
          r"|(?<!\w)\(0\d{2,4}\)[ \t.-]?\d(?:[ \t.-]?\d){4,7}"
          r"|(?<![\w+])0\d(?:[ \t.-]?\d){8,9})(?!\d)")
# After a house number, in any case ("12 acacia avenue"); the words that also end ordinary phrases
# ("2 very close friends", "3 bed house") only where the street name is capitalised.
_STREET = "street|st|road|rd|avenue|ave|lane|ln|drive|crescent|cres|grove|terrace|gardens|gdns|mews|parade|boulevard"
_STREET_CAPITAL = ("Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl|Grove|"
                   "Terrace|Gardens|Gdns|Walk|Row|Hill|Square|Sq|Mews|View|Green|Parade|Rise|Park|Estate|House|Flats|"
                   "Towers|Vale|Wharf|Yard|Boulevard|Approach")
_NOT_STREET_WORD = (r"(?!(?:the|a|an|to|on|in|of|and|at|for|per|with|by|or|times|days|weeks|months|visits|hours|"
                    r"minutes|children|child|people|adults|hour|minute|day|week|month|year|years|mile|miles|metres|"
                    r"bed|bedroom|bedrooms|very|more|other|new|older|younger|small|big|large)\b)")
_ADDRESS = (rf"(?<![\w-])(?:flat|apartment|apt)[ \t]{{1,3}}\d{{1,4}}[a-z]?\b"
            rf"|(?<![\w/.-])\d{{1,4}}[a-z]?,?[ \t]{{1,3}}(?:{_NOT_STREET_WORD}[a-z'-]++[ \t]{{1,3}}){{1,3}}(?:{_STREET})\b\.?"
            rf"|(?-i:(?<![\w/.-])\d{{1,4}}[a-z]?,?[ \t]{{1,3}}(?:[A-Z][a-z'-]++[ \t]{{1,3}}){{1,3}}(?:{_STREET_CAPITAL})\b\.?)"
            rf"|(?-i:\b(?:[A-Z][a-z'-]++[ \t]{{1,3}}){{1,3}}(?:Street|Road|Avenue|Lane|Close|Drive|Crescent|Grove|"
            rf"Terrace|Gardens|Mews|Parade)\b)")
_POSTCODE = r"\b(?:GIR[ \t]{0,2}0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]{0,2}\d[ABD-HJLNP-UW-Z]{2})\b"
_NHS = r"(?<![\w-])\d{3}[ \t-]?\d{3}[ \t-]?\d{4}(?![\w-])"
_TOKEN = r"(?<![\w-])(?:[A-Za-z]++[-/_]?+)*+\d[A-Za-z0-9]*+(?:[-/_][A-Za-z0-9]++)*+"
_QUOTABLE_ID = re.compile(r"[a-z0-9/_-]*\d[a-z0-9/_-]*")  # what a `_TOKEN` match can be, casefolded


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    return (0 if check == 11 else check) == int(digits[9]) and check != 10


@dataclass(frozen=True)
class Known:
    """What this import knows it must not let through: names from name columns, the source's record ids,
    the children's dates of birth."""

    names: frozenset[str] = frozenset()
    whole_names: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    record_ids: frozenset[str] = frozenset()
    birth_dates: frozenset[date] = frozenset()

    @staticmethod
    def of(names: Iterable[str] = (), record_ids: Iterable[object] = (), birth_dates: Iterable[date] = ()) -> "Known":
        ids = {str(v).strip() for v in record_ids if v is not None and not (isinstance(v, float) and np.isnan(v))}
        # A short id ("12") would erase every such number from the text: such ids are left to the patterns.
        # Only an id a `_TOKEN` match can equal is kept (a plan id "child|plan|date" never is one): a regional
        # import holds millions of ids, and the set is kept for the whole import.
        names = [str(n) for n in names]
        kept = frozenset(c for i in ids if len(i) >= 5 and _QUOTABLE_ID.fullmatch(c := i.casefold()))
        return Known(name_parts(names), full_names(names), kept, frozenset(birth_dates))


@dataclass
class _Rule:
    tag: str
    pattern: re.Pattern[str]
    keep: Callable[[re.Match[str], Known], str] | None = None  # what to put instead of a match; None: the tag


def _nhs(m: re.Match[str], known: Known) -> str:
    return "[NHS number]" if nhs_number_valid(re.sub(r"\D", "", m.group())) else "[number]"


def _token(m: re.Match[str], known: Known) -> str:
    """A word holding digits: the source's own record id, or a shape only an id has."""
    token = m.group()
    if token.casefold() in known.record_ids:
        return "[record id]"
    return _id_shape(token)


def _id_shape(token: str) -> str:
    """The tag for a token whose shape only an id has, else the token (a pure function of the token)."""
    digits = sum(c.isdigit() for c in token)
    letters = any(c.isalpha() for c in token)
    if (letters and (digits >= 5 or (digits >= 3 and any(c in "-/_" for c in token)))) or \
            (not letters and digits >= 7 and token.isdigit()):
        return "[record id]" if letters else "[number]"
    return token


def _phone(m: re.Match[str], known: Known) -> str:
    """A date and a time ("01-02-2015 10:30") can look like a phone number: they stay."""
    return m.group() if _DATE.search(m.group()) else "[phone]"


def _dob(m: re.Match[str], known: Known) -> str:
    return m.group()[: m.start("date") - m.start()] + "[date of birth]"


def _birth(m: re.Match[str], known: Known) -> str:
    return "[date of birth]" if known.birth_dates and parse_date(m.group()) in known.birth_dates else m.group()


RULES: tuple[_Rule, ...] = (
    _Rule("[email]", re.compile(r"(?<![\w.+'-])[\w.+'-]++@[\w-]++(?:\.[\w-]++)++")),
    _Rule("[NI number]", re.compile(r"\b[A-Z]{2}[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?[A-D]\b", re.IGNORECASE)),
    _Rule("[UPN]", re.compile(r"\b[A-Z]\d{11}[A-Z0-9]\b", re.IGNORECASE)),
    _Rule("[date of birth]", _DOB, _dob),
    _Rule("[date of birth]", _DATE, _birth),
    _Rule("[phone]", re.compile(_PHONE), _phone),
    _Rule("[NHS number]", re.compile(_NHS), _nhs),
    _Rule("[address]", re.compile(_ADDRESS, re.IGNORECASE)),
    _Rule("[postcode]", re.compile(_POSTCODE, re.IGNORECASE)),
    _Rule("[record id]", re.compile(_TOKEN), _token),
)


def parse_date(text: str) -> date | None:
    """A date as `DATE` finds one (day first, as in England), or None."""
    t = text.casefold().replace(",", " ").replace(".", " ").replace("/", " ").replace("-", " ")
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t).replace(" of ", " ")
    parts = t.split()
    try:
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            if len(parts[0]) == 4:
                y, mo, d = (int(p) for p in parts)
            else:
                d, mo, y = (int(p) for p in parts)
        elif len(parts) == 1 and len(parts[0]) == 8 and parts[0].isdigit():
            d, mo, y = int(parts[0][:2]), int(parts[0][2:4]), int(parts[0][4:])
        elif len(parts) == 3 and parts[0].isdigit():
            d, mo, y = int(parts[0]), _MONTH_NUMBER[parts[1][:3]], int(parts[2])
        elif len(parts) == 3:
            mo, d, y = _MONTH_NUMBER[parts[0][:3]], int(parts[1]), int(parts[2])
        else:
            return None
        if y < 100:
            y += 2000 if y <= date.today().year % 100 else 1900
        return date(y, mo, d)
    except (ValueError, KeyError):
        return None


@dataclass
class Memo:
    """What `scrub` worked out for one `Known`, kept while it scrubs many texts with it: the answer of each
    pure step by its input (a token's id shape, a date's parse, where the names are in a text's shape), so a
    batch's notes that share tokens, dates and wording pay for them once.  Only the questions about `known` are
    asked again (is this token a record id, this date a birth date), so the texts come out as `scrub` alone
    gives them.  Never keep one across two `Known`s: the name shapes depend on the names."""

    shapes: dict[str, str] = field(default_factory=dict)
    dates: dict[str, date | None] = field(default_factory=dict)
    names: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)


def _remembering(rule: _Rule, known: Known, memo: Memo) -> Callable[[re.Match[str]], str]:
    """The replacement of `rule` for `pattern.sub`, with the pure steps of `_token` and `_birth` remembered."""
    if rule.keep is _token:
        def token(m: re.Match[str]) -> str:
            text = m.group()
            if text.casefold() in known.record_ids:
                return "[record id]"
            shape = memo.shapes.get(text)
            if shape is None:
                shape = memo.shapes[text] = _id_shape(text)
            return shape
        return token
    if rule.keep is _birth:
        def birth(m: re.Match[str]) -> str:
            text = m.group()
            if not known.birth_dates:
                return text
            if text not in memo.dates:
                memo.dates[text] = parse_date(text)
            return "[date of birth]" if memo.dates[text] in known.birth_dates else text
        return birth
    keep = rule.keep
    assert keep is not None
    return lambda m: keep(m, known)


def scrub(text: str, known: Known = Known()) -> str:
    """One text with identifying values replaced by tags that say what was removed (`[phone]`, `[name]`).
    Many texts with one `known`: `scrub_all`, which gives the same texts."""
    for rule in RULES:
        if rule.keep is None:
            text = rule.pattern.sub(rule.tag, text)
        else:
            text = rule.pattern.sub(lambda m, keep=rule.keep: keep(m, known), text)
    return scrub_names(text, known.names, known.whole_names)


# What a file's name loses (`file_name`): a person's identifiers, by the rules of free text that find them.
# Not an address: "CIN_2024_Hope_House" has a street number's shape, where a year is what a file's name holds.
_IN_FILE_NAMES = frozenset({"[email]", "[NI number]", "[UPN]", "[phone]", "[NHS number]", "[postcode]"})


def file_name(name: str) -> str:
    """A source file's name as the store (import runs, rejects, warnings) and the access log keep it: without a
    person's name or identifiers ("CIN Kayleigh Smithson 9434765919.xml" -> "CIN [name] [NHS number].xml").

    Why not `scrub`: a file's name is made of ids and dates by design ("CIN_Census_2023.xml", "cin_209_2026.xml"),
    which free text's id shapes would hide, and it is how a user finds the file a reject is about.  So only a
    person's identifiers go (a 10-digit number only with an NHS number's check digit), and a name whose words are
    joined by "_" is read as words; a name that loses nothing is kept exactly as given."""
    text = name.replace("_", " ")
    for rule in RULES:
        if rule.tag not in _IN_FILE_NAMES:
            continue
        if rule.tag == "[NHS number]":
            text = rule.pattern.sub(lambda m: m.group() if _nhs(m, Known()) == "[number]" else rule.tag, text)
        elif rule.keep is None:
            text = rule.pattern.sub(rule.tag, text)
        else:
            text = rule.pattern.sub(lambda m, keep=rule.keep: keep(m, Known()), text)
    text = scrub_names(text)
    return name if text == name.replace("_", " ") else text


_TITLE_WORD = re.compile(r"[^\W\d_]+")


def sheet_title(title: str, words: frozenset[str] = frozenset()) -> str | None:
    """A workbook sheet's title as the store (rejects, warnings) and the access log may keep it, or None where it may
    name a person ("List 8 - Smith family", "List 7 Pemberton").

    Why stricter than `file_name`: a sheet is titled by hand in a few words, where a surname no list has
    ("Pemberton") or one that is also a word ("Green") cannot be told from a word by any rule of free text; and the
    reader knows the sheet by its place and its list anyway.  So a title is kept only when each of its words of two
    letters or more is one of the reader's own `words` ("List", "CP", "Looked") or an ordinary English word (its
    plural too) that no name list has, and `file_name` finds no identifier in it; the caller names the sheet
    otherwise (by its place)."""
    names, ordinary = lexicon()
    for word in _TITLE_WORD.findall(title):
        w = word.casefold()
        if len(w) < 2 or w in words:
            continue
        if w in names or not (w in ordinary or (w.endswith("s") and w[:-1] in ordinary)):
            return None
    return title if file_name(title) == title else None


def file_names_in(text: str, names: Iterable[str]) -> str:
    """`text` (a message, a line of the access log) with each of the files' `names` in it as `file_name` keeps it."""
    for name in names:
        text = text.replace(name, file_name(name))
    return text


def _replacements(known: Known, memo: Memo) -> list[str | Callable[[re.Match[str]], str]]:
    return [rule.tag if rule.keep is None else _remembering(rule, known, memo) for rule in RULES]


def scrub_text(values: pd.Series, known: Known = Known(), done: dict[str, str] | None = None) -> pd.Series:
    """Free text with identifying values replaced by bracketed tags; blanks stay blank.

    Each distinct text once: plans and events reuse wording, so this is far fewer than rows; and the pure
    steps each text shares with another (a token, a date, the shape of its words) once (`Memo`).  `done`: texts
    already scrubbed with this same `known` (ingest/prepare.py), looked up instead."""
    out = values.astype(object)
    codes, uniques = pd.factorize(out, use_na_sentinel=True)
    if len(uniques) == 0:
        return out
    texts = [str(u) for u in uniques]
    if done:
        missing = [t for t in texts if t not in done]
        done = {**done, **dict(zip(missing, scrub_all(missing, known)))} if missing else done
        result = [done[t] for t in texts]
    else:
        result = scrub_all(texts, known)
    scrubbed = np.empty(len(uniques) + 1, dtype=object)
    scrubbed[:-1] = result
    scrubbed[-1] = None
    return pd.Series(scrubbed[codes], index=values.index, dtype=object)


def scrub_all(texts: list[str], known: Known = Known()) -> list[str]:
    """`scrub` of each text, with one `Memo` for all of them."""
    memo = Memo()
    replacements = _replacements(known, memo)
    names, whole = known.names, known.whole_names
    out = []
    for text in texts:
        for rule, replacement in zip(RULES, replacements):
            text = rule.pattern.sub(replacement, text)
        out.append(scrub_names(text, names, whole, memo.names))
    return out


def value_shape(value: object) -> str:
    """What a rejected value looked like, without the value: "a 11-digit number", "text of 5 characters"."""
    text = str(value).strip()
    if text.isdigit():
        return f"a {len(text)}-digit number"
    return f"text of {counted(len(text), 'character')}"


# One or two capital letters, or up to four capitals and digits with a digit among them: codes ("RB", "4B", "21Z").
# Not three or four letters alone: surnames typed in capitals are ("LEE", "KHAN"), and a reason is stored.
_CODE_SHAPE = re.compile(r"^(?:[A-Z]{1,2}|(?=[A-Z]*\d)[A-Z0-9]{1,4})$")


def code_shown(value: object) -> str:
    """An unknown value of a closed code list (sex, category, agency, factor, ethnicity ...) as a reason shows
    it: quoted when it has a code's shape (_CODE_SHAPE: "'RB'", "'4B'", "'21Z'"), so
    the sender can find it in the file; otherwise only its shape ("(text of 5 characters)"), because a value
    in a code column may be a name or an id typed into the wrong column ("Jones", "07700 900123").  Ids and
    free text are never quoted, and every reason is scrubbed before it is stored (load._scrubbed)."""
    text = str(value).strip()
    return f"'{text}'" if _CODE_SHAPE.match(text) else f"({value_shape(text)})"
