"""Codes and their labels: the one home of every code list the store, the SQL, the figures and the pack share.

Why one module: a code list copied into a page, a figure, the importer and a SQL `IN (...)` drifts apart
(a code added in one place is silently missing in another).  Everything that needs a code list or a
label imports it from here; the importer's synonyms (`ingest.vocab`) are built on these codes, and SQL
joins the registered table `ref_adult_factors` (`reference.tables`) instead of listing factor codes.

The adult factors and their labels were once also kept in `data/lexicons/adult_factors.csv`; this module
is now their only definition (the CSV is gone) and `text.lexicons.factor_labels` reads them from here.
"""
from __future__ import annotations

# Category of abuse a plan is made under (initial / latest category), in the DfE order.
CATEGORY_LABELS: dict[str, str] = {"NEG": "Neglect", "EMO": "Emotional abuse", "PHY": "Physical abuse",
                                   "SAB": "Sexual abuse", "MUL": "Multiple"}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)
NEGLECT = "NEG"

# How long an ended plan lasted: the DfE duration bands (children in need table D7), shortest first.
BAND_LABELS: dict[str, str] = {"le_3m": "3 months or less", "3_6m": "Over 3 to 6 months",
                               "6_12m": "Over 6 to under 12 months", "1_2y": "1 to under 2 years",
                               "ge_2y": "2 years or more"}
DURATION_BANDS: tuple[str, ...] = tuple(BAND_LABELS)
# The same bands as the audit pack's sentences say them ("the plan lasted up to 3 months").
BAND_PHRASES: dict[str, str] = {"le_3m": "up to 3 months", "3_6m": "3-6 months", "6_12m": "6-12 months",
                                "1_2y": "1-2 years", "ge_2y": "2 years or more"}

# Why an ending may have come too soon (the warning signs of a premature ending or an ending at risk).
REASON_LABELS: dict[str, str] = {"SHORT": "Short plan", "OPEN_ACTIONS": "Actions not done",
                                 "UNADDRESSED_ADULT_NEED": "Adult need unaddressed"}
ENDING_REASONS: tuple[str, ...] = tuple(REASON_LABELS)
REASON_PHRASES: dict[str, str] = {"SHORT": "short (ended by the first review)", "OPEN_ACTIONS": "actions not done",
                                  "UNADDRESSED_ADULT_NEED": "adult need open with no action done"}

# Why a plan ended, as recorded (the store's end_reason).
END_REASON_LABELS: dict[str, str] = {"NO_LONGER_AT_RISK": "no longer at risk", "STEP_DOWN_CIN": "step down to CIN",
                                     "STEP_DOWN_EARLY_HELP": "step down to early help",
                                     "LOOKED_AFTER": "became looked after", "TRANSFERRED_OUT": "transferred out",
                                     "AGE_18": "reached 18", "DIED": "died", "OTHER": "other"}
END_REASONS: tuple[str, ...] = tuple(END_REASON_LABELS)
# Endings after which no re-plan can follow (the watch list leaves them out), and the one it flags apart: a
# child who became looked after is watched by the looked-after service, not by re-planning.
FINAL_END_REASONS: tuple[str, ...] = ("DIED", "AGE_18", "TRANSFERRED_OUT")
LOOKED_AFTER_END_REASON = "LOOKED_AFTER"

# Agencies of events, meetings and plan actions.
AGENCY_LABELS: dict[str, str] = {
    "CSC": "Children's social care", "HEALTH": "Health", "EDUCATION": "Education", "POLICE": "Police",
    "ADULT_MH": "Adult mental health", "ADULT_DA": "Adult domestic abuse", "ADULT_SUBSTANCE": "Adult substance misuse",
    "PROBATION": "Probation", "HOUSING": "Housing", "FAMILY": "Family", "OTHER": "Other",
}
AGENCIES: tuple[str, ...] = tuple(AGENCY_LABELS)

# CIN census assessment factors (DfE CIN census guide): a number (the need) and a letter (whose need:
# A child, B parent/carer, C another person in the household); 20 and 21 have no letter.
CIN_FACTORS: frozenset[str] = frozenset(
    {f"{n}{s}" for n in range(1, 7) for s in "ABC"}
    | {"7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A",
       "18B", "18C", "19B", "19C", "20", "21", "22A", "23A", "24A"}
)
# Factor number -> the need, as the timeline and the pack name it ("4B mental health (parent/carer)").
FACTOR_NAMES: dict[str, str] = {
    "1": "alcohol misuse", "2": "drug misuse", "3": "domestic abuse", "4": "mental health",
    "5": "learning disability", "6": "physical disability/illness", "7": "young carer",
    "8": "privately fostered", "9": "unaccompanied asylum seeker", "10": "going missing",
    "11": "child sexual exploitation", "12": "trafficking", "13": "gangs", "14": "socially unacceptable behaviour",
    "15": "self-harm", "16": "neglect", "17": "emotional abuse", "18": "physical abuse", "19": "sexual abuse",
    "20": "other", "21": "no factors", "22": "FGM", "23": "faith-linked abuse", "24": "criminal exploitation",
}
FACTOR_WHOSE: dict[str, str] = {"A": "child", "B": "parent/carer", "C": "other adult"}
# The adult factors: an adult's need in the child's household (B = parent/carer, C = another adult in
# the household; 3A = domestic abuse affecting the child).  What an ending's unaddressed adult need and
# the plan-quality relevance check look for.
ADULT_FACTOR_LABELS: dict[str, str] = {
    "1B": "Alcohol misuse: parent/carer", "1C": "Alcohol misuse: other adult in household",
    "2B": "Drug misuse: parent/carer", "2C": "Drug misuse: other adult in household",
    "3A": "Domestic abuse: child", "3B": "Domestic abuse: parent/carer",
    "3C": "Domestic abuse: other adult in household",
    "4B": "Mental health: parent/carer", "4C": "Mental health: other adult in household",
    "5B": "Learning disability: parent/carer", "5C": "Learning disability: other adult in household",
    "6B": "Physical disability or illness: parent/carer",
    "6C": "Physical disability or illness: other adult in household",
}
ADULT_FACTORS: tuple[str, ...] = tuple(ADULT_FACTOR_LABELS)

# The Filters' choices: age at plan start and which plans of a child.
AGE_BANDS: tuple[str, ...] = ("unborn", "0-4", "5-9", "10-15", "16+")
AGE_LABELS: dict[str, str] = {"unborn": "Unborn", "0-4": "0-4", "5-9": "5-9", "10-15": "10-15", "16+": "16+"}
PLAN_NUMBER_LABELS: dict[str, str] = {"all": "All", "first": "First", "repeat": "Repeat"}
PLAN_NUMBERS: tuple[str, ...] = tuple(PLAN_NUMBER_LABELS)

# The audit's concerns (a yes/no per child), key -> label shown in the table and the pack, in the
# order of the audit's questions.
CONCERN_LABELS: dict[str, str] = {
    "first_plan_premature": "First plan ended prematurely",
    "repeat_within_window": "Re-planned within the window",
    "adult_need_unaddressed": "Adult need open at an ending with no action",
    "duplicated_actions": "Duplicated actions",
    "core_groups_late": "Core groups late or missed",
    "low_agency_attendance": "Low agency attendance",
    "household_change_before_replan": "Household change before a re-plan",
    "non_smart_actions": "Mostly non-SMART actions",
    "deficit_language": "Deficit language in the plan",
}
CONCERNS: tuple[str, ...] = tuple(CONCERN_LABELS)

# The plan-quality relevance verdict of a plan with an adult need open, worst first (its rank is the index).
RELEVANCE_VERDICTS: tuple[str, ...] = ("No action for an adult need", "Only practical/compliance actions",
                                       "Every adult need has an action")

# Kinds of event in a child's chronology (the store's events.event_type), as a reader says them.
EVENT_TYPE_LABELS: dict[str, str] = {
    "REFERRAL": "Referral", "STRATEGY_DISCUSSION": "Strategy discussion", "S47_START": "Section 47 enquiry",
    "ICPC": "Initial child protection conference", "REVIEW_CONFERENCE": "Review child protection conference",
    "CORE_GROUP": "Core group meeting", "VISIT": "Visit", "ASSESSMENT": "Assessment", "PLAN_UPDATE": "Plan update",
    "WRITTEN_AGREEMENT": "Written agreement", "CHALLENGE": "Challenge", "ESCALATION": "Escalation",
    "INTERVENTION_START": "Intervention started", "INTERVENTION_END": "Intervention ended", "INCIDENT": "Incident",
    "MISSED_APPOINTMENT": "Missed appointment", "OTHER": "Other event",
    # Annex A lists 1, 2, 6, 8, 9 and 10 (docs/data_contract.md, "Ofsted Annex A"): what happened before
    # and between plans (contacts, early help, child in need, care).
    "CONTACT": "Contact", "EARLY_HELP_START": "Early help started", "EARLY_HELP_END": "Early help ended",
    "CIN_START": "Child in need episode started", "CIN_END": "Child in need episode closed",
    "LOOKED_AFTER_START": "Started to be looked after", "LOOKED_AFTER_END": "Ceased to be looked after",
    "CARE_LEAVER": "Care leaver", "ADOPTION": "Adoption step",
}
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_TYPE_LABELS)

# Household changes (the store's family_changes.change_type).
CHANGE_TYPE_LABELS: dict[str, str] = {
    "ADULT_JOINED": "An adult joined the household", "ADULT_LEFT": "An adult left the household",
    "NEW_BABY": "New baby", "CHILD_LEFT": "The child left the household", "CHILD_RETURNED": "The child returned",
    "HOUSE_MOVE": "House move", "CARER_CHANGE": "Change of carer", "OTHER": "Other change",
}
CHANGE_TYPES: tuple[str, ...] = tuple(CHANGE_TYPE_LABELS)

# A deadline's status: a core group or review (metrics/timeliness) and a plan update after a meeting or new concern
# (metrics/refresh).  "Not yet due" is the defined term (docs/definitions.md): the deadline falls after the plan's
# end or the as-of date, so nothing can be judged of it.  Said in a sentence, the words are lower case.
DEADLINE_STATUS_LABELS: dict[str, str] = {"on_time": "On time", "late": "Late", "not_due": "Not yet due"}
REFRESH_STATUS_LABELS: dict[str, str] = {"on_time": "Updated in time", "late": "No update in time",
                                         "not_due": DEADLINE_STATUS_LABELS["not_due"]}

# Where a plan action stands (the store's actions.status).
ACTION_STATUS_LABELS: dict[str, str] = {"OPEN": "Open", "DONE": "Done", "NOT_DONE": "Not done",
                                        "DROPPED": "No longer needed"}
ACTION_STATUSES: tuple[str, ...] = tuple(ACTION_STATUS_LABELS)

# The SMART criteria an action is read against (text.smart), as the plan quality page names them.
SMART_CRITERION_LABELS: dict[str, str] = {"specific": "Specific", "measurable": "Measurable",
                                          "achievable": "Achievable", "time_bound": "Time-bound",
                                          "owner_named": "Owner named"}

# What an import counts beside rows loaded and rejected (import_runs.rows_duplicate, the summary's "duplicates"):
# a row repeating a record already read, merged into it.  Not "exact duplicates": a child on several Annex A lists
# or in several census years is counted here too, its rows merged, and that is no fault in the file.
REPEATS_LABEL = "Repeats merged"
REPEATS_MEANING = ("rows repeating a record already read (the same row twice, or a child on several Annex A lists "
                   "or in several census years), merged into it")

# The store's tables as the data-quality page names them (rows per table, rejects, warnings).
STORE_TABLE_LABELS: dict[str, str] = {
    "children": "Children", "plans": "Child protection plans", "events": "Events",
    "attendance": "Core group attendance", "family_changes": "Household changes",
    "needs": "Needs (assessment factors)", "actions": "Plan actions",
    "action_matches": "Actions matched to earlier plans' actions", "action_reviews": "SMART readings of actions",
    "language_findings": "Jargon and deficit language found", "plan_reviews": "Plan readings (reading ease)",
    "rejects": "Rejected rows", "warnings": "Warnings", "import_runs": "Imports",
}


def factor_label(code: str) -> str:
    """A CIN census factor in words ("4B" -> "Mental health: parent/carer"); an unknown code is returned as is."""
    code = code.strip().upper()
    if code in ADULT_FACTOR_LABELS:
        return ADULT_FACTOR_LABELS[code]
    number, letter = code.rstrip("ABCDEF"), code[len(code.rstrip("ABCDEF")):]
    name = FACTOR_NAMES.get(number)
    if name is None:
        return code
    whose = FACTOR_WHOSE.get(letter)
    return name[0].upper() + name[1:] + (f": {whose}" if whose else "")

# A child's sex and ethnicity as the CIN census codes them (DfE common basic data set).
SEX_LABELS: dict[str, str] = {"M": "Male", "F": "Female", "U": "Not known"}
ETHNICITY_LABELS: dict[str, str] = {
    "WBRI": "White British", "WIRI": "White Irish", "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background", "WROM": "Gypsy/Roma", "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African", "MWAS": "White and Asian", "MOTH": "Any other mixed background",
    "AIND": "Indian", "APKN": "Pakistani", "ABAN": "Bangladeshi", "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean", "BAFR": "Black African", "BOTH": "Any other Black background", "CHNE": "Chinese",
    "OOTH": "Any other ethnic group", "REFU": "Refused", "NOBT": "Information not yet obtained",
}


def with_code(code: object, labels: dict[str, str]) -> str:
    """A code in words with the code after it ("White British (WBRI)"), where a reader may need both; a code
    without a label as it is."""
    text = "" if code is None else str(code)
    return f"{labels[text]} ({text})" if text in labels else text

# Challenge and escalation (docs/definitions.md, "Challenge and escalation: what and what followed"): what a
# challenge was about and how it was resolved, as read from its detail text (text/event_detail.py holds the
# rules), and what followed it in the plans.  NOT_STATED: the text does not say.
CHALLENGE_TOPIC_LABELS: dict[str, str] = {"STEP_DOWN": "Step-down", "ENDING": "Ending the plan",
                                          "CATEGORY": "Category of the plan", "PLAN_CONTENT": "Plan content or progress",
                                          "NOT_STATED": "Not stated"}
CHALLENGE_TOPICS: tuple[str, ...] = tuple(CHALLENGE_TOPIC_LABELS)
CHALLENGE_RESOLUTION_LABELS: dict[str, str] = {"CHANGED": "Decision changed", "EARLY_REVIEW": "Early review held",
                                               "PLAN_AMENDED": "Plan amended", "UPHELD": "Decision upheld",
                                               "NOT_RECORDED": "Resolution not recorded"}
CHALLENGE_RESOLUTIONS: tuple[str, ...] = tuple(CHALLENGE_RESOLUTION_LABELS)
CHALLENGE_FOLLOW_LABELS: dict[str, str] = {"ENDING_REVERSED": "Ending reversed (plan ran on)",
                                           "PLAN_KEPT": "Plan kept (ran on)",
                                           "REPLANNED": "Plan ended, re-planned within the window",
                                           "NO_REPLAN": "Plan ended, no re-plan within the window",
                                           # ended (so not reversed), whether re-planned not known yet
                                           "ENDED_WAITING": "Plan ended, its re-plan window still running",
                                           "TOO_SOON": "Too soon to tell"}
CHALLENGE_FOLLOWS: tuple[str, ...] = tuple(CHALLENGE_FOLLOW_LABELS)

# Written agreements (docs/definitions.md, "Written agreements"): when one was made, against the child's plans.
AGREEMENT_TIMING_LABELS: dict[str, str] = {"BEFORE_PLAN": "Before a plan", "DURING_PLAN": "During a plan",
                                           "AFTER_STEP_DOWN": "After a step-down ending",
                                           "AFTER_OTHER_ENDING": "After another ending"}
AGREEMENT_TIMINGS: tuple[str, ...] = tuple(AGREEMENT_TIMING_LABELS)
