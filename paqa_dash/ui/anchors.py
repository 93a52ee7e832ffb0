"""Where the app's definitions live: the Definitions page's URL path and the anchors of its sections.

The Definitions page renders docs/definitions.md; Streamlit turns each `##` heading into an anchor (the
heading lower-cased, words joined by hyphens).  Captions link to a section through
`components.definition_link(anchors.X)`, so a renamed heading is changed here, once.
"""
from __future__ import annotations

URL_PATH = "definitions"

AUDIT_QUESTIONS = "which-page-answers-which-audit-question"
GLOSSARY = "glossary"

PLANS = "plans-repeat-plans-and-gaps"
DURATION_BANDS = "duration-bands"
ENDINGS = "ending-reasons-premature-endings-and-endings-at-risk"
DUPLICATED_ACTIONS = "duplicated-actions"
TIMELINESS = "timeliness-of-core-groups-and-reviews"
AGENCIES = "agency-engagement-and-challenge"
HOUSEHOLD = "household-change"
HOUSEHOLD_AFTER = "household-change-after-a-first-plan"
REPLAN_FIGURES = "re-planned-within-n-months-two-figures"
PLAN_QUALITY = "plan-quality"
AUDIT_SAMPLE = "the-audit-sample"
FILTERS = "filters-periods-and-the-as-of-date"
ADULT_FACTORS = "adult-factors"
NOT_RECORDED = "data-not-recorded"
SMALL_NUMBERS = "small-numbers"
SMALL_BASES = "small-bases"
BETWEEN_PLANS = "between-plans"
PLAN_REFRESH = "plan-refresh"
CHALLENGE = "challenge-and-escalation-what-and-what-followed"
DUPLICATION_IMPACT = "impact-of-duplication"
WRITTEN_AGREEMENTS = "written-agreements"
RESTORATIVE = "restorative-practice"
FIRST_ORDER = "first-order-and-underlying-change"
WHAT_WORKS = "what-works-sustained-endings"
JUDGEMENTS = "audit-judgements"
WORDING = "strengths-based-and-trauma-informed-wording"
REGIONAL = "regional-view"
