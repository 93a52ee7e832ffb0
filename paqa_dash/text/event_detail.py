"""What a challenge or escalation was about and how it was resolved, read from its detail text.

Why a small rule set, in one place: the events carry no coded topic or outcome, only a practitioner's note
("School challenged the step down: attendance has only improved for a few weeks"; "... resolved: the chair
agreed to keep the plan").  A few ordered phrase rules read that note the same way on every page, in the
JSON and in the audit pack; what no rule matches is "not stated" / "not recorded", never guessed.  The first
rule that matches wins, so the narrower topic (a step-down is also an ending) comes first.  The codes and
their labels are in reference/codes.py; docs/definitions.md lists the phrases in words.
"""
from __future__ import annotations

import re

# (topic code, pattern): first match wins.
TOPIC_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("STEP_DOWN", re.compile(r"step(?:ped|ping)?[\s-]*down|early help|child in need|\bcin\b", re.I)),
    ("ENDING", re.compile(r"\bend(?:ing|ed)?\b.{0,20}\bplan\b|\bplan\b.{0,20}\bend(?:ing|ed)?\b|the ending|"
                          r"clos(?:e|ing|ure)\b.{0,20}\bplan|de-?register|remov(?:e|al|ing) (?:from|of) the plan",
                          re.I)),
    ("CATEGORY", re.compile(r"\bcategor(?:y|ies)\b", re.I)),
    ("PLAN_CONTENT", re.compile(r"\bplan'?s?\b|\bactions?\b|not (?:been )?addressed|progress|contingency|"
                                r"core group|focus", re.I)),
)
NOT_STATED = "NOT_STATED"

# (resolution code, pattern) read after the word "resolved", "outcome" or "agreed" when the note has one,
# else over the whole note; first match wins.
RESOLUTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CHANGED", re.compile(r"revers|overturn|(?:plan|ending|step[\s-]*down)\b.{0,30}\b(?:continue|kept|retain|stay)|"
                           r"not (?:to )?(?:end|step)|decision changed|re-?instat", re.I)),
    ("EARLY_REVIEW", re.compile(r"early review (?:held|convened|brought forward)|review (?:brought forward|convened)|"
                                r"reconvened", re.I)),
    ("PLAN_AMENDED", re.compile(r"(?:plan|actions?) (?:amended|updated|changed)|actions? added|added to the plan", re.I)),
    ("UPHELD", re.compile(r"upheld|went ahead|stands|no change|decision (?:kept|confirmed)|agreed (?:with|to) the "
                          r"(?:ending|step)", re.I)),
)
NOT_RECORDED = "NOT_RECORDED"
_OUTCOME_MARK = re.compile(r"\b(?:resolved|resolution|outcome)\b", re.I)


def topic(detail: object) -> str:
    """The topic code of a challenge's note (reference.codes.CHALLENGE_TOPICS); NOT_STATED when none matches."""
    text = "" if detail is None or not isinstance(detail, str) else detail
    # the part before a recorded resolution: "...; resolved: plan kept" is not a challenge of the plan's content
    text = _OUTCOME_MARK.split(text, maxsplit=1)[0]
    return next((code for code, rule in TOPIC_RULES if rule.search(text)), NOT_STATED)


def resolution(detail: object) -> str:
    """The resolution code of a note (reference.codes.CHALLENGE_RESOLUTIONS); NOT_RECORDED unless the note
    says how the challenge was resolved, after "resolved", "resolution" or "outcome"."""
    text = "" if detail is None or not isinstance(detail, str) else detail
    parts = _OUTCOME_MARK.split(text, maxsplit=1)
    if len(parts) < 2:
        return NOT_RECORDED
    return next((code for code, rule in RESOLUTION_RULES if rule.search(parts[1])), NOT_RECORDED)
