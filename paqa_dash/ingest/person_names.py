"""Person names in free text, recognised without a name column (docs/data_contract.md, "De-identification").

Why name lists and not a named-entity model: the machines that import reach a package registry only at
install time, so a model fetched from a hub at run time would fail, and spaCy's English models are not
served by PyPI.  Faker (maintained, MIT) ships first names and surnames for many locales as plain Python
data; the locales below cover the names most common in England's children and families.  textstat, already
a dependency, ships the Dale-Chall list of about 3,000 easy English words.

A list name is removed on its own only when it is not also an ordinary word ("Kayleigh", "Smithson").
A name that is also a word ("Will", "Hope", "Grace", "Mark", "Green") is removed only where it reads as a
name: after a family or professional word (Mum, Dad, Mr, nan, worker ...), beside another name, or
before a surname.  So "Mum Hope Jones" loses the name while "we hope mum will" keeps every word.
The recogniser walks the words of a text once (linear time, whatever the input).
"""
from __future__ import annotations

import importlib
import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

NAME_TAG = "[name]"

# Faker locales whose names are written in the Latin alphabet and are common in England.
LOCALES = ("en_GB", "en_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE", "pl_PL", "ro_RO", "lt_LT",
           "pt_PT", "it_IT", "es_ES", "tr_TR", "fr_FR", "sk_SK", "cs_CZ", "hu_HU", "tw_GH", "yo_NG", "ig_NG",
           "ha_NG", "sw")

# Names among the most common in England (ONS baby names; the most frequent surnames of British Bangladeshi and
# Pakistani families; Poland's two most common surnames) that no locale above lists in the Latin alphabet.
MORE_NAMES = frozenset("""
muhammad mohammad mohamed mohammed ahmad ahmed uddin miah akhtar bibi begum hussain hossain rahman chowdhury
nowak wozniak
""".split())

# Words after which a capitalised (or list) word is a person's name: "Mum Sarah", "Mr Patel", "worker Jo".
CONTEXT = frozenset("""
mr mrs ms miss mx dr mum mummy mam mom mother dad daddy father nan nana nanny gran granny grandma grandad
grandpa grandmother grandfather aunt auntie aunty uncle brother sister stepdad stepmum stepfather stepmother
step-dad step-mum partner boyfriend girlfriend husband wife ex-partner son daughter cousin niece nephew
sibling carer worker sw hv teacher head headteacher nurse midwife officer pc dc gp called named aka
""".split())

# Ordinary words of plans and case notes that name lists also hold, beyond textstat's easy words.
PRACTICE_WORDS = frozenset("""
will hope grace faith sky joy dawn rose mark bill may june april august summer autumn winter spring amber
holly ivy lily daisy poppy hazel pearl ruby crystal iris heather jasmine violet chance hunter chase guy ray
rich frank grant page hall bell young green brown white black wood hill king ward price church parent
worker health visitor social school nursery housing police family mum dad baby child children adult
core group plan review conference team north south east west central early help start home aid court
section neglect care carer kinship foster virtual advocate support drug alcohol mental domestic abuse
monday tuesday wednesday thursday friday saturday sunday january february march september october
november december christmas easter eid diwali english maths reading time new day week month year
""".split())

_WORD = re.compile(r"[^\W\d_]++(?:['\u2019-][^\W\d_]++)*+")
_GAP = re.compile(r"[ \t]{1,3}")


def _faker_names() -> tuple[set[str], set[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # a locale dropped by a newer Faker: the others still count
            continue
        # every list the locale has: pl_PL's surnames are `male_last_names` and `unisex_last_names` (its
        # `last_names` is Faker's placeholder), tw_GH's `last_names_male` and `last_names_female`
        for attr, values in vars(provider).items():
            if isinstance(values, (list, tuple, dict)) and "first_name" in attr:
                first.update(_words(values))
            elif isinstance(values, (list, tuple, dict)) and "last_name" in attr:
                last.update(_words(values))
    return first, last | _feminine(last) | MORE_NAMES


def _words(values: Iterable[object]) -> set[str]:
    """Lower-case single words (a name list may be a tuple or a weighted dict), each also without its accents:
    case notes typed on an English keyboard write "Wisniewski" for Wiśniewski."""
    words = {str(v).casefold() for v in values if str(v).replace("-", "").replace("'", "").isalpha()}
    return words | {_plain(w) for w in words}


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _feminine(surnames: set[str]) -> set[str]:
    """The feminine forms of Polish surnames, which Faker makes when it writes a name but does not list:
    Kowalski -> Kowalska, Wójcik stays."""
    return {w[:-1] + "a" for w in surnames if w.endswith(("ski", "cki", "dzki"))}


def _easy_words() -> set[str]:
    """textstat's Dale-Chall easy words, read as a file so NLTK (which textstat imports) is not loaded."""
    spec = importlib.util.find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:
        return set()
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    return {w.strip().casefold() for w in path.read_text(encoding="utf-8").split()} if path.exists() else set()


def _lorem_words() -> set[str]:
    from faker.providers.lorem.en_US import Provider

    return {str(w).casefold() for w in Provider.word_list}


@lru_cache(maxsize=1)
def lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(names, ordinary words): every list name, and the words that are ordinary English even if a name."""
    first, last = _faker_names()
    ordinary = _easy_words() | _lorem_words() | PRACTICE_WORDS | CONTEXT
    return frozenset(first | last), frozenset(ordinary)


def name_parts(names: Iterable[str]) -> frozenset[str]:
    """Words of the names an import carried in name columns, lower-cased (`Smithson, Kayleigh` -> both)."""
    parts: set[str] = set()
    for name in names:
        for word in _WORD.findall(str(name)):
            if len(word) >= 2:
                parts.add(word.casefold())
    return frozenset(parts)


def full_names(names: Iterable[str]) -> dict[str, frozenset[tuple[str, ...]]]:
    """Names of two words or more from name columns, by first word: written out in full ("Jane Worker"),
    every word of one goes, even a word that elsewhere is ordinary ("the worker")."""
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(w.casefold() for w in _WORD.findall(str(name)))
        if len(words) >= 2:
            by_first.setdefault(words[0], set()).add(words)
    return {k: frozenset(v) for k, v in by_first.items()}


def scrub_names(text: str, extra: frozenset[str] = frozenset(),
                whole: dict[str, frozenset[tuple[str, ...]]] | None = None,
                memo: dict[str, tuple[tuple[int, int], ...]] | None = None) -> str:
    """`text` with every recognised person name replaced by `[name]` (a name of several words by one tag).

    `memo` (for one `extra` and `whole` only): where the names were in texts seen before, by the text with each
    digit 1-9 written as 0.  Why that is exact: words are runs of letters and gaps runs of spaces, so a digit's
    value never changes which words there are, where they are or whether they touch; census notes differ
    mostly in their dates and codes ("authorised 2016-07-24; factors 16A 3A"), so a batch's thousands of
    distinct notes have a few dozen shapes."""
    if memo is None:
        return _replaced(text, _name_spans(text, extra, whole))
    shape = text.translate(_DIGITS_AS_ZERO)
    spans = memo.get(shape)
    if spans is None:
        spans = memo[shape] = _name_spans(shape, extra, whole)
    return _replaced(text, spans)


_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def _replaced(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` with each (start, end) span written as one NAME_TAG."""
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(NAME_TAG)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _name_spans(text: str, extra: frozenset[str],
                whole: dict[str, frozenset[tuple[str, ...]]] | None) -> tuple[tuple[int, int], ...]:
    """Where the recognised person names of `text` are: (start, end) of each run replaced by one tag."""
    names, ordinary = lexicon()
    words = list(_WORD.finditer(text))
    if not words:
        return ()
    n = len(words)
    is_name = [False] * n
    known = [False] * n      # a list name (or an import's name part)
    adjacent = [False] * n   # only a short run of spaces separates word i from word i-1
    for i, m in enumerate(words):
        w = m.group()
        stem = _stem(w).casefold()
        parts = stem.split("-")
        known[i] = all(p in names or p in extra for p in parts) or stem in names or stem in extra
        adjacent[i] = i > 0 and _GAP.fullmatch(text, words[i - 1].end(), m.start()) is not None
        capital = w[0].isupper() and not (len(w) > 1 and w.isupper())
        strong = known[i] and not any(p in ordinary for p in parts) and (capital or w.isupper())
        after_context = adjacent[i] and words[i - 1].group().casefold().rstrip(".") in CONTEXT
        after_name = adjacent[i] and is_name[i - 1]
        if stem in CONTEXT or stem in {"and", "or", "to", "the", "a", "an", "of", "in", "on", "at", "is", "was"}:
            continue
        if strong:
            is_name[i] = True
        elif (after_context or after_name) and (known[i] or stem not in ordinary) \
                and (capital or (known[i] and stem not in ordinary)):
            is_name[i] = True  # "Mum Sarah", "Sarah Okafor", "mum sarah jones", not "Mum clear"
    for i in range(n):  # a name column's full name, written out
        for full in (whole or {}).get(_stem(words[i].group()).casefold(), ()):
            span = range(i, i + len(full))
            if span.stop <= n and all(_stem(words[j].group()).casefold() == full[j - i] for j in span) \
                    and all(adjacent[j] for j in span[1:]):
                for j in span:
                    is_name[j] = True
    for i in range(n - 2, -1, -1):  # "Will Smith": an ordinary-word first name before a name
        w = words[i].group()
        if not is_name[i] and is_name[i + 1] and adjacent[i + 1] and known[i] and w[0].isupper() \
                and _stem(w).casefold() not in CONTEXT:
            is_name[i] = True
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(words):
        if not is_name[i]:
            continue
        stem_end = m.start() + len(_stem(m.group()))
        if i > 0 and is_name[i - 1] and adjacent[i]:
            spans[-1] = (spans[-1][0], stem_end)  # one name, one tag: "Sarah Jones" -> "[name]"
            continue
        spans.append((m.start(), stem_end))
    return tuple(spans)


def _stem(word: str) -> str:
    """The word without a possessive 's ("Sarah's" -> "Sarah"), which stays in the text."""
    if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
        return word[:-2]
    return word
