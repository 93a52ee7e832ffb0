"""What the "What works" page reads in the records (docs/definitions.md, "Restorative practice", "First-order
and underlying change", "What works: sustained endings"): the adult-facing agencies, and the words in event
notes and action texts that evidence restorative work, a family's own views, co-produced actions, motivational
interviewing and named interventions.

Why one place: the page, `metrics --json`, the audit pack and the tests read the same lists, and a practice
lead who finds a missed phrase ("family meeting" in their own recording) adds it here once.  Patterns are
simple alternations with word boundaries so that DuckDB (RE2, event notes) and Python (`re`, action texts)
read them the same way; both match ignoring case.
"""
from __future__ import annotations

# Adult-facing practitioners: services whose client is the parent, not the child.
ADULT_AGENCIES: tuple[str, ...] = ("ADULT_MH", "ADULT_DA", "ADULT_SUBSTANCE", "PROBATION")

# A family group conference or family network meeting (event notes and action texts).
FGC_PATTERN = (r"\b(family group conferenc\w*|fgcs?|family network meetings?|network meetings?|"
               r"lifelong links)\b")
# The family's own words or views recorded (event notes).
VIEWS_PATTERN = (r"\b(views?|wishes and feelings|own words|in (her|his|their) words|voice of|"
                 r"told (us|the social worker|the conference)|said (that|she|he|they))\b")
# An action written with the family: agreed with them, in their words ("we will"), or theirs by choice.
CO_PRODUCED_PATTERN = (r"\b(agreed? (with|together)|together|co-?produced|we will|with the family|"
                       r"(family|parents?|mum|dad|mother|father) (chose|decided|asked for|suggested|proposed)|"
                       r"(family.s|their) own plan)\b")
MI_PATTERN = r"\bmotivational (interview\w*|work|approach\w*|sessions?)\b"
# Named, structured interventions (parenting, therapy, domestic abuse, substance misuse programmes).
NAMED_INTERVENTION_PATTERN = (r"\b(triple p|incredible years|freedom programme|caring dads|family therapy|"
                              r"functional family therapy|multi-?systemic therapy|mst|safe ?care|"
                              r"parents under pressure|fdac|family drug and alcohol court|talking therapies|"
                              r"cognitive behavioural therapy|cbt|perpetrator programme|"
                              r"(domestic abuse|recovery|detox\w*|treatment) programme)\b")

# Kinds of restorative evidence on a plan, in the order the page shows them.
RESTORATIVE_KINDS: dict[str, str] = {
    "fgc": "Family group conference or network meeting",
    "family_views": "Family's own views recorded",
    "co_produced": "Action agreed with the family",
    "relational": "Relational action (theme)",
}

# Ending groups of "first-order and underlying change", in the page's order: (in words, in a few words).
_ENDING_GROUPS: dict[str, tuple[str, str]] = {
    "first_order_only": ("First-order change only: no work on the adult difficulty completed", "First-order only"),
    "underlying": ("Work on the adult difficulty completed", "Adult difficulty worked on"),
    "other": ("Other actions only (child, safety, relationships)", "Other actions only"),
    "none_completed": ("No action completed", "None completed"),
}
ENDING_WORK: dict[str, str] = {group: words for group, (words, _) in _ENDING_GROUPS.items()}
# The same groups in a few words, for a chart's axis at 800 px.
ENDING_WORK_SHORT: dict[str, str] = {group: short for group, (_, short) in _ENDING_GROUPS.items()}
# Action classes (reference/action_classes.py maps themes to them).
ACTION_CLASSES: dict[str, str] = {
    "first_order": "First-order (practical or compliance)",
    "underlying": "Underlying (adult difficulty)",
    "other": "Other (child, safety, relationships)",
}
# The two comparisons of "What works", each as (with, without) labels.
WORKS_SPLITS: dict[str, tuple[str, str]] = {
    "adult_practitioner": ("Adult-facing practitioner involved", "No adult-facing practitioner recorded"),
    "intervention": ("Motivational interviewing or named intervention", "None recorded"),
}
# Each comparison in a few words, for a chart title ("88% with <phrase>, 80% without").
SPLIT_PHRASES: dict[str, str] = {"adult_practitioner": "an adult-facing practitioner",
                                 "intervention": "MI or a named intervention"}
# Months after an ending at which the page shows the numbers still followed (at risk).
AT_RISK_MONTHS: tuple[int, ...] = (0, 3, 6, 12, 18, 24)
# The kinds in words, with the row for "any of the four" (tables, CSVs, the chart's categories).
RESTORATIVE_WORDS: dict[str, str] = {**RESTORATIVE_KINDS, "any_restorative": "Any of these four"}
GROUP_WORDS: dict[str, str] = {"with": "With", "without": "Without"}
