"""Language review of plan text (issue 6, item 2).

Flags two things a family reader meets in a plan:
- deficit or not trauma-informed phrases ("non-compliant", "failed to engage", "contact" for
  family time ...), each with a suggested alternative, why, and a named source
  (`data/lexicons/language.csv`);
- jargon and acronyms (ICPC, CIN, MASH, s47 ...) that the same text does not explain
  (`data/lexicons/jargon.csv`), plus any other ALL-CAPS acronym not on the plain list.

Context rules keep false alarms down, because a flag the reader knows is wrong discredits the
rest: words inside quotation marks are the child's or parent's own voice and are never flagged;
"contact" is only flagged where it means family time (the patterns need a family member or a
contact-arrangement word, and "no contact with ..." is a safety condition); a jargon term counts
as explained when its expansion appears anywhere in the same text or it is written in brackets
after words ("initial child protection conference (ICPC)").

Reading ease is the Flesch reading-ease score (0-100, higher is easier; about 60-70 is plain
English): textstat's when NLTK's cmudict is installed, else the same formula with textstat's
fallback syllable counter (see `reading_ease`).
"""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import lexicons

FINDING_COLUMNS = ["id", "phrase", "kind", "suggestion", "why", "source", "start", "end", "term"]
PLAIN_ENGLISH_SOURCE = "Plain English Campaign: How to write in plain English"

_QUOTES = re.compile(
    r'"[^"\n]*"'                      # "straight double"
    r"|\u201c[^\u201d]*\u201d"        # “curly double”
    r"|\u2018[^\u2019]*\u2019(?!\w)"  # ‘curly single’
    r"|(?<!\w)'.+?'(?!\w)"            # 'straight single' (apostrophes inside words are not quotes)
)
_ACRONYM = re.compile(r"(?<![\w\[])([A-Z]{2,5})(s?)(?![\w\]])")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted speech: a child's or parent's own words, never flagged."""
    return [m.span() for m in _QUOTES.finditer(text)]


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def _bracket_explained(text: str, term: str) -> bool:
    """'words words (TERM)' or 'TERM (words words)': the writer explained it in place."""
    t = re.escape(term)
    return bool(re.search(rf"[A-Za-z][A-Za-z'\- ]{{4,}}\(\s*{t}s?\s*\)", text)
                or re.search(rf"\b{t}s?\s*\(\s*[A-Za-z][^)]{{5,}}\)", text))


@lru_cache(maxsize=None)
def _records(name: str) -> tuple[dict, ...]:
    """The rules of a lexicon as records, made once: converting the frame per text was most of the
    cost of a review once a whole authority's texts are reviewed at import."""
    frame = {"language": lexicons.language_rules, "jargon": lexicons.jargon,
             "strengths": lexicons.strengths_rules}[name]()
    return tuple(frame.to_dict("records"))


def _deficit_hits(text: str, quotes: list[tuple[int, int]]) -> list[dict]:
    hits = []
    for rule in _records("language"):
        for m in rule["rx"].finditer(text):
            if _inside(m.span(), quotes):
                continue
            before = text[max(0, m.start() - 40): m.start()]
            if rule["unless_rx"] is not None and rule["unless_rx"].search(before):
                continue
            hits.append({"phrase": m.group(0), "kind": "deficit", "suggestion": rule["suggestion"],
                         "why": rule["why"], "source": rule["source"], "start": m.start(), "end": m.end(),
                         "term": rule["phrase"]})
    return hits


def _jargon_hits(text: str, quotes: list[tuple[int, int]]) -> list[dict]:
    hits = []
    covered: set[str] = set()
    for rule in _records("jargon"):
        matches = [m for m in rule["rx"].finditer(text) if not _inside(m.span(), quotes)]
        for m in rule["rx"].finditer(text):
            covered.add(m.group(0).upper().rstrip("S") if len(m.group(0)) > 2 else m.group(0).upper())
        if not matches:
            continue
        if rule["explained_rx"].search(text) or _bracket_explained(text, matches[0].group(0).rstrip("s")):
            continue
        for m in matches:
            hits.append({"phrase": m.group(0), "kind": "jargon", "suggestion": rule["suggestion"],
                         "why": rule["why"], "source": rule["source"], "start": m.start(), "end": m.end(),
                         "term": rule["term"]})
    plain = lexicons.plain_acronyms()
    for m in _ACRONYM.finditer(text):
        word = m.group(1)
        if word in plain or word in covered or _inside(m.span(), quotes) or _bracket_explained(text, word):
            continue
        hits.append({"phrase": m.group(0), "kind": "jargon",
                     "suggestion": f"spell out what '{word}' stands for the first time it is used",
                     "why": "an unexplained acronym shuts the family out of their own plan",
                     "source": PLAIN_ENGLISH_SOURCE, "start": m.start(), "end": m.end(), "term": word})
    return hits


def _drop_overlaps(hits: list[dict]) -> list[dict]:
    """Keep the longest finding where two overlap ('refused to engage' beats 'refused')."""
    kept: list[dict] = []
    for h in sorted(hits, key=lambda h: (h["start"], -(h["end"] - h["start"]))):
        if all(h["start"] >= k["end"] or h["end"] <= k["start"] for k in kept):
            kept.append(h)
    return kept


def review_text(text: object) -> list[dict]:
    """Findings for one text, in reading order."""
    if not isinstance(text, str) or not text.strip():
        return []
    return [dict(h) for h in _review_cached(text)]


@lru_cache(maxsize=200_000)
def _review_cached(text: str) -> tuple[dict, ...]:
    """Cached on the text: plans repeat the same action wording many times over."""
    quotes = quoted_spans(text)
    return tuple(_drop_overlaps(_deficit_hits(text, quotes) + _jargon_hits(text, quotes)))


def review_texts(texts: pd.DataFrame) -> pd.DataFrame:
    """One row per finding: id, phrase (as written), kind ('deficit'|'jargon'), suggestion, why,
    source, start, end (character offsets into the text, for highlighting), term (lexicon entry)."""
    rows = []
    for rec in texts[["id", "text"]].astype(object).to_dict("records"):
        for hit in review_text(rec["text"]):
            rows.append({"id": rec["id"], **hit})
    out = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    out[["start", "end"]] = out[["start", "end"]].astype("int64")
    return out


def _nltk_data_dirs() -> list[Path]:
    """Where NLTK looks for its data (the documented defaults), without importing NLTK."""
    dirs = [Path(p) for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    dirs += [Path.home() / "nltk_data", Path(sys.prefix) / "nltk_data", Path(sys.prefix) / "share" / "nltk_data",
             Path(sys.prefix) / "lib" / "nltk_data", Path("/usr/share/nltk_data"), Path("/usr/local/share/nltk_data"),
             Path("/usr/lib/nltk_data"), Path("/usr/local/lib/nltk_data")]
    return dirs


@lru_cache(maxsize=1)
def has_cmudict() -> bool:
    """textstat counts syllables with NLTK's cmudict.  Without the corpus (offline installs)
    textstat tries to download it on every call and fails; and importing textstat imports NLTK,
    which takes seconds.  So look for the corpus on disk first."""
    return any((d / "corpora" / name).exists() for d in _nltk_data_dirs() for name in ("cmudict", "cmudict.zip"))


@lru_cache(maxsize=1)
def _pyphen():
    import pyphen
    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=100_000)
def _syllables(word: str) -> int:
    """textstat's own fallback for words cmudict lacks: pyphen hyphenation points + 1.  Cached: plan
    texts reuse a small vocabulary, and a national import counts millions of words."""
    return len(_pyphen().positions(word.lower())) + 1


_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def reading_ease(text: str) -> float:
    """Flesch reading ease of a text (higher = easier; 60-70 is plain English; NaN for empty text).

    With NLTK's cmudict installed this is textstat.flesch_reading_ease.  Without it, the same
    Flesch formula, 206.835 - 1.015 (words/sentences) - 84.6 (syllables/words), with syllables
    from pyphen (textstat's own fallback counter), so scores stay within a few points."""
    if not isinstance(text, str) or not text.strip():
        return float("nan")
    if has_cmudict():
        import textstat
        return float(textstat.flesch_reading_ease(text))
    words = _WORD.findall(text)
    if not words:
        return float("nan")
    sentences = max(1, len(_SENTENCE_END.findall(text.strip() if text.strip()[-1] in ".!?" else text + ".")))
    syllables = sum(_syllables(w) for w in words)
    return round(206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words)), 2)


def _as_sentences(texts: pd.Series) -> str:
    parts = [str(t).strip() for t in texts if isinstance(t, str) and t.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in parts)


def plan_language(actions: pd.DataFrame) -> pd.DataFrame:
    """Per plan: reading_ease of all its actions read together, and counts of deficit phrases and
    unexplained jargon terms across its actions."""
    rows = []
    for plan_id, group in actions.astype(object).groupby("plan_id", sort=True):
        findings = [h for t in group["action_text"] for h in review_text(t)]
        rows.append({
            "plan_id": plan_id,
            "reading_ease": reading_ease(_as_sentences(group["action_text"])),
            "deficit_phrases": sum(1 for h in findings if h["kind"] == "deficit"),
            "jargon_terms": sum(1 for h in findings if h["kind"] == "jargon"),
        })
    return pd.DataFrame(rows, columns=["plan_id", "reading_ease", "deficit_phrases", "jargon_terms"])


STRENGTH_KINDS = ("strength", "need", "trauma_informed")
BALANCE_COLUMNS = ["texts", "with_deficit", "with_strength", "with_need", "with_trauma_informed", "strength_share"]


def strengths_in(text: object) -> list[dict]:
    """The strengths-based and trauma-informed wording in one text (data/lexicons/strengths.csv): what the
    family does well, the child's behaviour read as communication of need, work at the family's pace.

    Why counted beside the deficit phrases: a plan can avoid every flagged phrase and still say nothing about
    what is going well; the audit asks for both. Quoted speech counts too: the child's own words are the best
    evidence of their voice.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for rule in _records("strengths"):
        for m in rule["rx"].finditer(text):
            out.append({"phrase": m.group(0), "kind": rule["kind"], "why": rule["why"], "term": rule["phrase"],
                        "start": m.start(), "end": m.end()})
    return sorted(out, key=lambda h: h["start"])


WORDING_KINDS = ("deficit", *STRENGTH_KINDS)


@lru_cache(maxsize=100_000)
def wording_kinds(text: object) -> frozenset[str]:
    """Which of WORDING_KINDS one text uses: deficit wording (a flagged phrase of language.csv) and the
    strengths-based, need-as-communication and trauma-informed wording of strengths.csv.

    Why one function: the plan quality page, the pack, `metrics --json` and `language_balance` all weigh the
    same two sides of a text; cached because plans repeat the same wording many times."""
    if not isinstance(text, str) or not text.strip():
        return frozenset()
    kinds = {h["kind"] for h in strengths_in(text)}
    if any(h["kind"] == "deficit" for h in review_text(text)):
        kinds.add("deficit")
    return frozenset(kinds)


def language_balance(texts: "pd.Series | list[object]") -> dict[str, float | int]:
    """How many texts carry deficit wording and how many carry strengths-based, need-as-communication or
    trauma-informed wording; strength_share = texts with any of those three / texts with either side (None when
    neither appears: nothing to weigh, not a zero)."""
    values = [t for t in list(texts) if isinstance(t, str) and t.strip()]
    kinds = [wording_kinds(t) for t in values]
    counts = {k: sum(1 for ks in kinds if k in ks) for k in WORDING_KINDS}
    positive = sum(1 for ks in kinds if ks - {"deficit"})
    either = sum(1 for ks in kinds if ks)
    return {"texts": len(values), "with_deficit": counts["deficit"], "with_strength": counts["strength"],
            "with_need": counts["need"], "with_trauma_informed": counts["trauma_informed"],
            "strength_share": round(positive / either, 3) if either else None}
