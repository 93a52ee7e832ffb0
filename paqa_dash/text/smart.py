"""SMART review of child protection plan actions (issue 6, item 1).

Each action is checked against five criteria; the rules (vague verbs, observable outcomes,
clause breaks, deadlines, owners) live in `data/lexicons/smart_rules.csv` so practice leads can
review them.  The checks are deliberately simple and explainable: every failure carries a
plain-English reason that quotes the words that caused it, so a reader can disagree with it.

- specific:    says who does what -- fails on a vague verb ("engage", "support", "ensure") with
               no concrete act beside it, or when no act is named at all;
- measurable:  names something observable (a count, a frequency, attendance, a completed course,
               a test, a written plan) or a concrete act that can be seen to happen;
- achievable:  one owner, one act, no absolute standards -- fails on bundles of more than
               `max_acts` acts, several owners, or "at all times"/"never";
- time_bound:  a due date in the data, or a date/deadline/frequency in the text;
- owner_named: an owner agency in the data, or a person/agency named as the subject of the text
               ("Health visitor to ..."); collective owners ("all professionals") do not count.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

import pandas as pd

from . import lexicons

CRITERIA = ("specific", "measurable", "achievable", "time_bound", "owner_named")


@dataclass(frozen=True)
class Verdict:
    """The review of one action: which criteria pass, and why the others fail."""

    passed: dict[str, bool]
    reasons: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [c for c in CRITERIA if not self.passed[c]]


@lru_cache(maxsize=None)
def _rules(kind: str) -> pd.DataFrame:
    # Cached: filtering the rules frame on every check made one review ~70 ms (the audit sample and
    # plan quality pages review thousands of actions).  smart_rules() is itself cached.
    rules = lexicons.smart_rules()
    return rules[rules["kind"] == kind]


@lru_cache(maxsize=None)
def _column(kind: str, column: str) -> tuple:
    """One column of the rules of `kind` as a tuple: reading pandas columns per check was most of
    the cost of a review (~4 ms a text) once the texts of a whole authority are reviewed at import."""
    return tuple(_rules(kind)[column])


def _first_reason(kind: str) -> str:
    return _column(kind, "reason")[0]


def _matches(kind: str, text: str) -> list[tuple[str, str, str]]:
    """(matched words, label, reason template) for every rule of `kind` that matches `text`."""
    found = []
    for rx, label, reason in zip(*(_column(kind, c) for c in ("rx", "label", "reason"))):
        m = rx.search(text)
        if m:
            found.append((m.group(0).strip(), label, reason))
    return found


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return str(value).strip() == ""


def _subject(text: str) -> str:
    """The words before the first 'to'/'will' -- where a plan action names its owner."""
    (rx,) = _column("subject_end", "rx")
    m = rx.search(text)
    head = text[: m.start()] if m else text
    return " ".join(head.split()[:8])


def owners(text: str) -> list[str]:
    """Owner groups named as the subject of an action ('Mum and social worker to ...').

    Where actor words overlap, the longest wins ('school nurse' is health, not school and
    health), and a possessive is not an owner ("Mum's psychiatrist to ..." has one owner)."""
    subject = _subject(text)
    spans: list[tuple[int, int, str]] = []
    for rx, label in zip(_column("actor", "rx"), _column("actor", "label")):
        # A pattern anchored at the start ('Leo to ...') needs the 'to' that ends the subject.
        for m in rx.finditer(text if rx.pattern.startswith("^") else subject):
            if re.match(r"['\u2019]s\b", subject[m.end():]) and label != "named person":
                continue
            spans.append((m.start(), m.end(), label))
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    found = list(dict.fromkeys(label for _, _, label in sorted(kept)))
    if len(found) > 1 and "named person" in found:
        found.remove("named person")  # "Mum to ..." is both an actor word and a capitalised subject
    return found


def count_acts(text: str) -> int:
    """Clauses that carry their own action verb: 'attend X, keep Y and ensure Z' is three acts."""
    (sep,) = _column("separator", "rx")
    verbs = _column("concrete_verb", "rx") + _column("vague_verb", "rx")
    clauses = [c for c in sep.split(text) if c and c.strip()]
    return sum(1 for c in clauses if any(rx.search(c) for rx in verbs))


def _fmt(template: str, **values: object) -> str:
    return template.format(**values)


def _specific(text: str, reasons: list[str]) -> bool:
    concrete = _matches("concrete_verb", text)
    vague = _matches("vague_verb", text)
    if concrete:
        return True
    if vague:
        words, _, template = vague[0]
        reasons.append("Specific: " + _fmt(template, match=words.lower()))
    else:
        reasons.append("Specific: " + _first_reason("no_act"))
    return False


def _without_dates(text: str) -> str:
    """The text with its dates and deadlines blanked: '1 June' says when, not how much."""
    for rx, label in zip(_column("time", "rx"), _column("time", "label")):
        if label != "frequency":
            text = rx.sub(" ", text)
    return text


def _measurable(text: str, reasons: list[str]) -> bool:
    undated = _without_dates(text)
    if _matches("measure", undated) or _matches("concrete_verb", text) and not _matches("fuzzy_outcome", text):
        return True
    fuzzy = _matches("fuzzy_outcome", text)
    if fuzzy:
        reasons.append("Measurable: " + _fmt(fuzzy[0][2], match=fuzzy[0][0].lower()))
    else:
        reasons.append("Measurable: " + _first_reason("no_measure"))
    return False


def _achievable(text: str, reasons: list[str]) -> bool:
    ok = True
    max_acts = int(_column("max_acts", "pattern")[0])
    n = count_acts(text)
    if n > max_acts:
        reasons.append("Achievable: " + _fmt(_first_reason("max_acts"), n=n))
        ok = False
    named = [o for o in owners(text) if o != "named person"]
    if len(named) > 1:
        reasons.append("Achievable: " + _fmt(_first_reason("multi_owner"), n=len(named), owners=", ".join(named)))
        ok = False
    absolute = _matches("absolute", text)
    if absolute:
        reasons.append("Achievable: " + _fmt(absolute[0][2], match=absolute[0][0].lower()))
        ok = False
    return ok


def _time_bound(text: str, due_date: object, reasons: list[str]) -> bool:
    if not _blank(due_date) or _matches("time", text):
        return True
    vague = _matches("vague_time", text)
    if vague:
        reasons.append("Time-bound: " + _fmt(vague[0][2], match=vague[0][0].lower()))
    else:
        reasons.append("Time-bound: " + _first_reason("no_time"))
    return False


def _owner_named(text: str, owner_agency: object, reasons: list[str]) -> bool:
    collective = [m for m in _matches("collective", _subject(text))]
    if collective:
        reasons.append("Owner: " + _fmt(collective[0][2], match=collective[0][0].lower()))
        return False
    if not _blank(owner_agency) or owners(text):
        return True
    reasons.append("Owner: " + _first_reason("no_owner"))
    return False


def review_action(text: object, owner_agency: object = None, due_date: object = None) -> Verdict:
    """Review one action against the five SMART criteria."""
    text = "" if _blank(text) else " ".join(str(text).split())
    cached = _review(text, not _blank(owner_agency), not _blank(due_date))
    return Verdict(dict(cached.passed), list(cached.reasons))  # a copy: callers may not edit the cache


@lru_cache(maxsize=200_000)
def _review(text: str, has_owner: bool, has_due: bool) -> Verdict:
    """Cached on the text: plans repeat the same action wording many times over."""
    owner_agency, due_date = ("set" if has_owner else None), ("set" if has_due else None)
    reasons: list[str] = []
    passed = {
        "specific": _specific(text, reasons),
        "measurable": _measurable(text, reasons),
        "achievable": _achievable(text, reasons),
        "time_bound": _time_bound(text, due_date, reasons),
        "owner_named": _owner_named(text, owner_agency, reasons),
    }
    return Verdict(passed, reasons)


REVIEW_COLUMNS = ["action_id", *CRITERIA, "smart", "failed", "reasons"]


def review_actions(actions: pd.DataFrame) -> pd.DataFrame:
    """One row per action: a bool per criterion, `smart` (all pass), `failed` (comma list) and
    `reasons` ('; '-joined plain English).  Input columns: action_id, action_text, owner_agency, due_date."""
    rows = []
    for rec in actions.astype(object).to_dict("records"):
        v = review_action(rec.get("action_text"), rec.get("owner_agency"), rec.get("due_date"))
        rows.append({
            "action_id": rec.get("action_id"),
            **v.passed,
            "smart": not v.failed,
            "failed": ", ".join(v.failed),
            "reasons": "; ".join(v.reasons),
        })
    out = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    for c in [*CRITERIA, "smart"]:
        out[c] = out[c].astype(bool)
    return out


def plan_scores(reviewed: pd.DataFrame, actions_with_plan: pd.DataFrame) -> pd.DataFrame:
    """Per plan: actions, smart_actions, smart_share (0..1).  `actions_with_plan` maps action_id -> plan_id."""
    merged = actions_with_plan[["action_id", "plan_id"]].merge(reviewed[["action_id", "smart"]], on="action_id")
    out = (merged.groupby("plan_id", sort=True)
           .agg(actions=("action_id", "size"), smart_actions=("smart", "sum"))
           .reset_index())
    out["smart_actions"] = out["smart_actions"].astype(int)
    out["smart_share"] = out["smart_actions"] / out["actions"]
    return out[["plan_id", "actions", "smart_actions", "smart_share"]]


def smart_share_by(reviewed: pd.DataFrame, actions_with_plan: pd.DataFrame,
                   by: tuple[str, ...] = ("team", "period")) -> pd.DataFrame:
    """Share of SMART actions per team and period (or any columns of `actions_with_plan`).

    `period` is not computed here: callers pass it (e.g. the plan's start quarter from
    `quality_actions`), so the period filter means the same on every page."""
    cols = ["action_id", *by]
    merged = actions_with_plan[cols].merge(reviewed[["action_id", "smart"]], on="action_id")
    out = (merged.groupby(list(by), sort=True, dropna=False)
           .agg(actions=("action_id", "size"), smart_actions=("smart", "sum"))
           .reset_index())
    out["smart_actions"] = out["smart_actions"].astype(int)
    out["smart_share"] = out["smart_actions"] / out["actions"]
    return out
