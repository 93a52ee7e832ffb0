"""What counts as a concern in a child's chronology, and as evidence of impact on the child: the one
mapping from event types (and, for a few, the agency) to the groups the "Between plans" and "Plan refresh"
measures count (docs/definitions.md, "Between plans" and "Plan refresh").

Why a mapping, not a list in SQL: event types grow (CIN census referrals, assessments and section 47s,
Annex A lists arriving as events), and each new type must land in one named group.  A type the mapping
does not name is counted as "other recorded event" (a concern), never dropped, so a new list shows up
on the page before anyone maps it.  SQL joins these rows as the registered table `ref_concern_groups`
(`reference.tables`).
"""
from __future__ import annotations

# Groups of concern, in the order pages show them.
CONCERN_GROUP_LABELS: dict[str, str] = {
    "contact": "Contact",
    "referral": "Referral",
    "incident": "Incident",
    "police_callout": "Police call-out",
    "missed_health": "Missed health appointment",
    "missed_school": "Missed school or education appointment",
    "missed_other": "Missed appointment (other agency)",
    "escalation": "Challenge or escalation by an agency",
    "other": "Other recorded event",
}
# A group's label in the plural where reference/words.py `plural` would not make it from the last word
# ("agency)s", "an agencies"): for a count of them ("2 missed appointments (other agency)").
CONCERN_GROUP_PLURALS: dict[str, str] = {
    "missed_other": "Missed appointments (other agency)",
    "escalation": "Challenges or escalations by an agency",
}
CONCERN_GROUPS: tuple[str, ...] = tuple(CONCERN_GROUP_LABELS)
OTHER_GROUP = "other"

# Event type -> group, whatever the agency.  Types of the plan's own work and of the decision itself are
# not concerns (WORK_TYPES, DECISION_TYPES).  "CONTACT" is the Annex A contacts list as an event type.
EVENT_GROUPS: dict[str, str] = {
    "CONTACT": "contact", "REFERRAL": "referral",
    "INCIDENT": "incident", "MISSED_APPOINTMENT": "missed_other", "CHALLENGE": "escalation",
    "ESCALATION": "escalation", "OTHER": "other",
}
# (event type, agency) -> group, where the agency says more than the type.
AGENCY_GROUPS: dict[tuple[str, str], str] = {
    ("INCIDENT", "POLICE"): "police_callout",
    ("MISSED_APPOINTMENT", "HEALTH"): "missed_health",
    ("MISSED_APPOINTMENT", "EDUCATION"): "missed_school",
}
# The steps of the response and the decision to re-plan: measured from the first renewed concern, never
# counted as concerns (an assessment or a section 47 enquiry is the service answering a concern).
DECISION_TYPES: dict[str, str] = {"ASSESSMENT": "assessment", "STRATEGY_DISCUSSION": "strategy",
                                  "S47_START": "s47", "ICPC": "icpc"}
# The plan's own work: never a concern.
WORK_TYPES: tuple[str, ...] = ("REVIEW_CONFERENCE", "CORE_GROUP", "VISIT", "PLAN_UPDATE", "WRITTEN_AGREEMENT",
                               "INTERVENTION_START", "INTERVENTION_END")
# The service's own involvement with the child, opened or closed (Annex A lists 1, 6, 8, 9 and 10: early help, a child
# in need episode, care, leaving care, adoption): what children's services did, as the plan's own work is, never a
# concern (a census counted its CIN plans and closures as "other recorded event" concerns between plans).
SERVICE_TYPES: tuple[str, ...] = ("EARLY_HELP_START", "EARLY_HELP_END", "CIN_START", "CIN_END", "LOOKED_AFTER_START",
                                  "LOOKED_AFTER_END", "CARE_LEAVER", "ADOPTION")
SERVICE = "service"   # their kind in `ref_concern_groups`
# Import kind (import_runs.kind) -> event types that in its data are the service's own steps, never a concern.  A CIN
# census has no event type of its own for a CIN plan's start and end, a case's closure or a pre-proceedings step and
# writes them as OTHER (ingest/cin_xml.py): none of them is a concern, while an OTHER event of a bundle is an event
# of no named kind (a concern, group "other").  SQL joins these rows as the registered table
# `ref_source_not_concerns` (reference/tables.py).
SOURCE_NOT_CONCERNS: dict[str, tuple[str, ...]] = {"cin_xml": ("OTHER",)}

# Evidence of impact on the child: concerns whose record is about something that happened to the child or
# that the child missed (incidents, police call-outs, missed health, school and other appointments).  A
# referral or an assessment says someone was worried; it is not itself evidence of harm.
IMPACT_GROUPS: tuple[str, ...] = ("incident", "police_callout", "missed_health", "missed_school", "missed_other")
# The concerns short of a referral: contacts, incidents, police call-outs, missed appointments, agencies' challenges.
# A CIN census records referrals (and its CIN plans, closures and pre-proceedings, SOURCE_NOT_CONCERNS) but none
# of these, so how much concern came before a repeat plan, and when, is read only where a source records some of them
# (reference/recorded.py, the kind `other_concerns`).
SHORT_OF_REFERRAL_GROUPS: tuple[str, ...] = tuple(g for g in CONCERN_GROUP_LABELS if g not in ("referral", OTHER_GROUP))
# A new concern during a plan that should lead to a plan update (Plan refresh): incidents and police call-outs
# (household changes and new needs are read from their own tables).
NEW_CONCERN_GROUPS: tuple[str, ...] = ("incident", "police_callout")

# How much concern preceded a repeat plan (recorded concerns between the plans), fewest first.
CONCERN_BAND_LABELS: dict[str, str] = {"none": "No concern recorded", "one": "One concern",
                                       "few": "2 to 4 concerns", "many": "5 or more concerns"}
CONCERN_BANDS: tuple[str, ...] = tuple(CONCERN_BAND_LABELS)

# What may prompt a plan update, and its words (Plan refresh).
TRIGGER_LABELS: dict[str, str] = {"review": "Review conference", "core_group": "Core group meeting",
                                  "incident": "Incident or police call-out", "household_change": "Household change",
                                  "new_need": "New need identified"}
TRIGGERS: tuple[str, ...] = tuple(TRIGGER_LABELS)
MEETING_TRIGGERS: tuple[str, ...] = ("review", "core_group")
CONCERN_TRIGGERS: tuple[str, ...] = ("incident", "household_change", "new_need")


def concern_band(concerns: int) -> str:
    """0 -> 'none', 1 -> 'one', 2-4 -> 'few', 5+ -> 'many' (the SQL's CASE says the same)."""
    return "none" if concerns <= 0 else "one" if concerns == 1 else "few" if concerns <= 4 else "many"


def group_of(event_type: str, agency: str | None = None, import_kind: str | None = None) -> str | None:
    """The group of one event (None: not a concern) written by an import of `import_kind`, as the SQL joins
    `ref_concern_groups` and `ref_source_not_concerns`."""
    if event_type in DECISION_TYPES or event_type in WORK_TYPES or event_type in SERVICE_TYPES:
        return None
    if import_kind is not None and any(event_type in SOURCE_NOT_CONCERNS.get(k, ())
                                       for k in import_kind.split("+")):
        return None
    return AGENCY_GROUPS.get((event_type, agency or "")) or EVENT_GROUPS.get(event_type, OTHER_GROUP)


def rows() -> list[tuple[str, str, str, str, bool, bool, bool]]:
    """(event_type, agency or '*', grp, kind, impact, new_concern, short_of_referral) rows of `ref_concern_groups`;
    kind is 'concern', 'decision' (grp = strategy | icpc), 'work' or 'service' (SERVICE_TYPES)."""
    def concern(t: str, a: str, g: str) -> tuple[str, str, str, str, bool, bool, bool]:
        return (t, a, g, "concern", g in IMPACT_GROUPS, g in NEW_CONCERN_GROUPS, g in SHORT_OF_REFERRAL_GROUPS)

    out = [concern(t, "*", g) for t, g in EVENT_GROUPS.items()]
    out += [concern(t, a, g) for (t, a), g in AGENCY_GROUPS.items()]
    out += [(t, "*", g, "decision", False, False, False) for t, g in DECISION_TYPES.items()]
    out += [(t, "*", "work", "work", False, False, False) for t in WORK_TYPES]
    out += [(t, "*", SERVICE, SERVICE, False, False, False) for t in SERVICE_TYPES]
    return out


def source_rows() -> list[tuple[str, str]]:
    """(import_kind, event_type) rows of `ref_source_not_concerns` (SOURCE_NOT_CONCERNS)."""
    return [(kind, t) for kind, types in SOURCE_NOT_CONCERNS.items() for t in types]
