"""The words of the synthetic store: plan actions and short event/household notes.

Why families of paraphrases: the audit found later plans repeating earlier plans' actions in
reworded form.  Each action *family* is one thing asked of someone, written several
ways, so a repeat plan can reuse a family with a different wording and the duplicate matcher has
something real to find (and the generator knows the true pairs).  Wordings deliberately mix
strengths-based, family-facing language with deficit language and unexplained jargon (ICPC,
RCPC, CGM, PLO), SMART actions with vague ones ("engage", "ongoing"), so the quality pages have
something to find (the audit's question 8).  No names of people: family members are "Mum", "Dad",
"the children"; services are named as English services commonly are.

Everything is compiled once into numpy arrays so text is chosen by integer index, never in a
Python loop over rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# (pool, family key, owner agency, addresses_factor or "", paraphrases)
ACTION_FAMILIES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    # --- home conditions: practical, first-order change ---------------------------------------
    ("HOME", "bedroom", "FAMILY", "", (
        "Mum to keep the children's bedroom clear of clutter and safe",
        "Mother will make sure the bedroom is kept tidy, safe and free of clutter",
        "Mum must ensure the children's bedroom is clean and free from hazards at all times",
        "We will help Mum clear the children's bedroom so it is a safe, tidy place to sleep; the social worker will check it at each visit",
    )),
    ("HOME", "home_clean", "FAMILY", "", (
        "Parents to keep the home clean and hygienic, with the kitchen and bathroom cleaned daily",
        "Mum and Dad will clean the kitchen and bathroom every day so the home is hygienic for the children",
        "Home conditions to improve to a good enough standard",
        "Parents have failed to maintain home conditions; the home must be cleaned immediately and kept clean",
    )),
    ("HOME", "food", "FAMILY", "", (
        "Parents to make sure there is enough food in the house for the children every day",
        "Mum and Dad will keep enough food in the home so the children have three meals a day",
        "Children to be provided with regular, nutritious meals",
        "Social worker to refer the family to the food bank by the end of the week and help Mum plan weekly meals",
    )),
    ("HOME", "beds", "FAMILY", "", (
        "Each child to have their own bed with clean bedding, changed weekly",
        "Parents will make sure every child has a bed of their own and the bedding is washed each week",
        "Suitable sleeping arrangements to be in place for all children",
        "Social worker to apply for a grant for two beds within two weeks; Mum to wash bedding weekly",
    )),
    ("HOME", "pets", "FAMILY", "", (
        "Parents to clear dog mess from the garden and the house every day",
        "Mum and Dad will make sure the dogs' mess is cleaned up daily so the children can play safely",
        "Animal waste in the property to be addressed",
    )),
    ("HOME", "clothes", "FAMILY", "", (
        "Children to have clean clothes that fit and suit the weather",
        "Mum will wash the children's clothes twice a week so they always have clean clothes for school",
        "Children's presentation to improve; Mum to ensure they are appropriately dressed",
    )),
    ("HOME", "repairs", "HOUSING", "", (
        "Housing officer to arrange repairs to the broken windows and the damp in the children's room by the end of the month",
        "Housing will fix the windows and treat the damp in the bedroom within four weeks",
        "Housing to address disrepair at the property",
    )),
    # --- health appointments: compliance ------------------------------------------------------
    ("HEALTH_APPTS", "health_appts", "FAMILY", "", (
        "Mum to take the children to all health appointments, including GP and hospital appointments",
        "Mother will make sure the children go to every health appointment they are offered",
        "Parents must attend all medical appointments; missed appointments will be raised at the RCPC",
        "We will help Mum keep a diary of the children's appointments and the health visitor will check it fortnightly",
    )),
    ("HEALTH_APPTS", "dentist", "FAMILY", "", (
        "Parents to register the children with a dentist and attend check-ups",
        "Mum and Dad will register the children at a dentist by next month and take them for a check-up",
        "Children's dental needs to be met",
    )),
    ("HEALTH_APPTS", "immunisations", "HEALTH", "", (
        "Health visitor to offer catch-up immunisations and Mum to take the children to the clinic",
        "The children's immunisations will be brought up to date at the GP surgery within six weeks",
        "Immunisations to be completed",
    )),
    ("HEALTH_APPTS", "hv_contact", "HEALTH", "", (
        "Health visitor to visit every two weeks and weigh the baby at each visit",
        "The health visitor will see the baby fortnightly at home and check weight and feeding",
        "HV to continue to monitor",
        "Mum has not engaged with the HV; Mum must allow the HV access to the home",
    )),
    ("HEALTH_APPTS", "optician", "FAMILY", "", (
        "Mum to take the children for an eye test and make sure they wear their glasses",
        "Mother will book eye tests for the children this month and make sure glasses are worn at school",
        "Children's health needs (eyesight) to be addressed",
    )),
    # --- school (age 5+) ----------------------------------------------------------------------
    ("SCHOOL", "school_attend", "FAMILY", "", (
        "Mum to ensure the children attend school every day",
        "Mother will make sure the children go to school every day",
        "Children's school attendance to be above 95% by the next review",
        "Parents are non-compliant with school attendance; attendance must improve or a legal route will be considered",
    )),
    ("SCHOOL", "school_time", "FAMILY", "", (
        "Parents to get the children to school on time, by 8.45 each morning",
        "Mum and Dad will make sure the children arrive at school on time every day",
        "Punctuality to improve",
    )),
    ("SCHOOL", "school_monitor", "EDUCATION", "", (
        "School to monitor attendance weekly and share it with the social worker",
        "The school will send the social worker the children's attendance every Friday",
        "School to continue to monitor and liaise with CSC",
    )),
    ("SCHOOL", "school_uniform", "FAMILY", "", (
        "Children to go to school in clean uniform with a packed lunch or school dinner",
        "Mum will make sure the children have clean uniform and lunch each school day",
        "School to provide uniform support and breakfast club place from next week",
    )),
    # --- early years (under 5) ----------------------------------------------------------------
    ("EARLY_YEARS", "nursery", "FAMILY", "", (
        "Mum to take up the funded nursery place and take the child three mornings a week",
        "Mother will take the child to nursery on Monday, Wednesday and Friday mornings",
        "Child to attend nursery regularly",
    )),
    ("EARLY_YEARS", "development_check", "HEALTH", "", (
        "Health visitor to complete the two-year development check within four weeks",
        "The health visitor will carry out the child's development review this month",
        "Child's development to be monitored",
    )),
    ("EARLY_YEARS", "speech", "HEALTH", "", (
        "Health visitor to refer the child to speech and language therapy and Mum to attend the appointments",
        "The child will be referred to speech and language therapy by the end of the month and Mum will go to the sessions",
        "SALT referral to be considered",
    )),
    # --- safety -------------------------------------------------------------------------------
    ("SAFETY", "supervision", "FAMILY", "", (
        "Children not to be left alone or in the care of unsuitable adults",
        "Mum and Dad will always make sure a safe adult they have agreed with the social worker looks after the children",
        "Parents must never leave the children unsupervised",
    )),
    ("SAFETY", "safe_sleep", "HEALTH", "", (
        "Health visitor to give safe sleep advice and Mum to put the baby to sleep on their back in their own cot",
        "The baby will sleep in their own cot every night; the health visitor will go through safe sleep advice with Mum",
        "Safe sleeping to be adhered to",
    )),
    ("SAFETY", "safety_plan", "CSC", "", (
        "Social worker to agree a written safety plan with the family and share it with the core group by the next CGM",
        "The social worker and the family will write a safety plan together and give everyone in the core group a copy",
        "Safety plan to be updated as and when required",
    )),
    ("SAFETY", "medicines", "FAMILY", "", (
        "Parents to keep all medicines and cleaning products locked away",
        "Mum and Dad will store medicines and chemicals in a locked cupboard the children cannot reach",
        "Hazardous substances to be stored appropriately",
    )),
    ("SAFETY", "visits_alone", "CSC", "", (
        "Social worker to visit at least every ten working days and see the children alone",
        "The social worker will visit every two weeks and spend time with each child on their own",
        "Statutory visits to continue in line with the CP plan",
    )),
    # --- adult needs: mental health (4B) --------------------------------------------------------
    ("ADULT_MH", "mh_gp", "FAMILY", "4B", (
        "Mum to see her GP about her low mood within two weeks",
        "Mother will make an appointment with the GP to talk about how she has been feeling, within two weeks",
        "Mum to address her mental health",
        "Mum has failed to engage with her GP regarding her mental health and must do so",
    )),
    ("ADULT_MH", "mh_therapy", "ADULT_MH", "4B", (
        "Mum to self-refer to NHS Talking Therapies and attend the sessions offered",
        "Mother will refer herself to Talking Therapies this month and go to each session",
        "Mum to engage with mental health services",
    )),
    ("ADULT_MH", "mh_cmht", "ADULT_MH", "4B", (
        "Community mental health team to review Dad's medication and share a summary with the core group",
        "Dad's mental health worker will check his medication each month and tell the core group how he is doing",
        "CMHT to continue to support Dad",
    )),
    # --- adult needs: domestic abuse (3) -------------------------------------------------------
    ("ADULT_DA", "da_freedom", "ADULT_DA", "3", (
        "Mum to attend the Freedom Programme",
        "Mother will complete the twelve-week Freedom Programme at the family centre",
        "Mum to undertake DA work to increase her insight",
    )),
    ("ADULT_DA", "da_perpetrator", "ADULT_DA", "3", (
        "Dad to complete a domestic abuse perpetrator programme",
        "Father will attend every session of the Caring Dads programme starting next month",
        "Dad must address his behaviour",
    )),
    ("ADULT_DA", "da_idva", "ADULT_DA", "3", (
        "Social worker to refer Mum to the IDVA service within five working days",
        "An independent domestic violence advisor will be asked to support Mum; the referral will be made this week",
        "DA referral to be considered following MARAC",
    )),
    ("ADULT_DA", "da_contact", "FAMILY", "3", (
        "Mum to call the police if Dad comes to the house",
        "Mother will ring 999 if her ex-partner comes to the home, and tell the social worker the same day",
        "Mum to demonstrate she can protect the children from DA",
    )),
    # --- adult needs: alcohol (1B) ---------------------------------------------------------------
    ("ADULT_ALC", "alc_service", "ADULT_SUBSTANCE", "1B", (
        "Dad to engage with Change Grow Live for alcohol support",
        "Father will engage with Change Grow Live regarding his alcohol use",
        "Dad to attend his weekly appointments with the alcohol service and share his progress at each core group",
        "Dad is in denial about his drinking and must engage with services",
    )),
    ("ADULT_ALC", "alc_sober", "FAMILY", "1B", (
        "A sober adult to care for the children at all times",
        "Parents will agree that one adult who has not been drinking looks after the children every evening",
        "No alcohol to be consumed while caring for the children",
    )),
    ("ADULT_ALC", "alc_testing", "ADULT_SUBSTANCE", "1B", (
        "Dad to complete hair strand alcohol testing within four weeks",
        "Father will take an alcohol test this month and the results will be shared with the core group",
        "Testing to be arranged if deemed necessary",
    )),
    # --- adult needs: drugs (2B) -----------------------------------------------------------------
    ("ADULT_DRUG", "drug_service", "ADULT_SUBSTANCE", "2B", (
        "Mum to attend her appointments with the drug and alcohol service every week",
        "Mother will go to the substance misuse service weekly and her key worker will update the core group",
        "Mum to engage with substance misuse services",
        "Mum has repeatedly failed to engage with the drug service; non-engagement will lead to PLO",
    )),
    ("ADULT_DRUG", "drug_storage", "FAMILY", "2B", (
        "Methadone to be kept in the locked box provided by the pharmacy",
        "Mum will store her methadone in a locked box out of the children's reach, checked at each visit",
        "Medication to be stored safely",
    )),
    ("ADULT_DRUG", "drug_testing", "ADULT_SUBSTANCE", "2B", (
        "Parents to complete drug testing within four weeks and share the results",
        "Mum and Dad will take a drug test this month and the results will be shared with the core group",
        "Parents to remain drug free",
    )),
    # --- adult needs: learning disability (5B) ------------------------------------------------
    ("ADULT_LD", "ld_parenting", "CSC", "5B", (
        "Social worker to arrange a parenting assessment adapted to Mum's learning needs",
        "Mum will be offered parenting support that uses pictures and short sessions, starting this month",
        "Parenting capacity to be assessed",
    )),
    ("ADULT_LD", "ld_advocate", "CSC", "5B", (
        "Social worker to refer Mum to an advocacy service so she has support at meetings",
        "An advocate will help Mum understand the plan and come with her to every meeting",
        "Advocacy to be explored",
    )),
    # --- the child -----------------------------------------------------------------------------
    ("CHILD", "direct_work", "CSC", "", (
        "Social worker to complete direct work with each child about their wishes and feelings",
        "The social worker will spend time with each child to hear what they want and how they feel, before the review",
        "Child's voice to be gathered",
    )),
    ("CHILD", "trusted_adult", "EDUCATION", "", (
        "School to name a trusted adult the child can go to each day",
        "The child will have a named member of staff at school to talk to every morning",
        "School to support the child emotionally",
    )),
    ("CHILD", "activities", "FAMILY", "", (
        "Children to take part in an activity outside the home each week",
        "Mum and Dad will take the children to a club or activity once a week that the children choose",
        "Children to have opportunities for socialisation",
    )),
    ("CHILD", "young_carer", "CSC", "", (
        "Social worker to refer the eldest child for a young carers assessment",
        "The eldest child will be offered a young carers assessment and a place at the young carers group",
        "Young carer needs to be considered",
    )),
    # --- restorative work and the family network ----------------------------------------------
    ("NETWORK", "fgc", "CSC", "", (
        "Social worker to arrange a family group conference within six weeks",
        "A family group conference will be held so the wider family can make their own plan",
        "FGC referral to be made",
    )),
    ("NETWORK", "network", "FAMILY", "", (
        "Parents to identify family and friends who can help with childcare and support",
        "Mum and Dad will tell the social worker who in their family and friends can help, by the next core group",
        "Family to utilise support network",
    )),
    ("NETWORK", "strengths", "CSC", "", (
        "Social worker to agree with the family what is going well and what they want to change, at each core group",
        "At every core group we will start with what the family is proud of and agree the next small step together",
        "Strengths to be built upon",
    )),
    ("NETWORK", "genogram", "CSC", "", (
        "Social worker to complete a genogram and ecomap with the family",
        "The social worker will draw a family tree and support map with Mum and Dad this month",
        "Family history to be explored",
    )),
    # --- parenting -----------------------------------------------------------------------------
    ("PARENTING", "triple_p", "FAMILY", "", (
        "Mum to attend the Triple P course",
        "Mother will go to every session of the Triple P parenting group at the family hub",
        "Parents to complete a parenting course",
    )),
    ("PARENTING", "incredible_years", "FAMILY", "", (
        "Mum to attend the Incredible Years course",
        "Mother will complete the Incredible Years programme, one session a week for fourteen weeks",
        "Mum to undertake parenting work",
    )),
    ("PARENTING", "routines", "FAMILY", "", (
        "Parents to keep a bedtime routine, with the children in bed by 7.30 on school nights",
        "Mum and Dad will put the children to bed at the same time each school night, using the routine chart",
        "Routines and boundaries to improve",
    )),
    # --- engagement with professionals: compliance --------------------------------------------
    ("ENGAGE", "engage_meetings", "FAMILY", "", (
        "Parents to engage with professionals and attend all meetings",
        "Mum and Dad will come to every core group meeting and review conference",
        "Parents must comply with the CP plan; failure to engage will result in escalation to PLO",
    )),
    ("ENGAGE", "engage_visits", "FAMILY", "", (
        "Parents to allow the social worker into the home and to see all rooms at each visit",
        "Mum will let the social worker see every room of the house when she visits",
        "Parents to be open and honest with professionals",
        "Mum has been obstructive and must stop cancelling visits",
    )),
    ("ENGAGE", "engage_consent", "FAMILY", "", (
        "Parents to sign consent for professionals to share information",
        "Mum and Dad will sign the consent form this week so the GP and school can share information",
        "Consent to be obtained",
    )),
)

# Action slots of one plan: which pool each draws from.  A plan uses the always-on slots and a
# random selection of the others (4 to 8 actions in all).  Slot 2 uses EARLY_YEARS under 5;
# slots 4 and 5 take the pool of the plan's first and second adult-need group.
SLOTS: tuple[str, ...] = ("HOME", "HEALTH_APPTS", "SCHOOL", "SAFETY", "ADULT1", "ADULT2", "CHILD", "NETWORK",
                          "ENGAGE")
ADULT_SLOTS = (4, 5)
# Adult-need groups: the pool that answers them, and the assessment factors that raise them.
ADULT_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("MH", "ADULT_MH", ("4B",)),
    ("DA", "ADULT_DA", ("3A", "3B")),
    ("ALC", "ADULT_ALC", ("1B",)),
    ("DRUG", "ADULT_DRUG", ("2B",)),
    ("LD", "ADULT_LD", ("5B",)),
)
# The agency whose practitioners work with each adult-need group.
GROUP_AGENCY = {"MH": "ADULT_MH", "DA": "ADULT_DA", "ALC": "ADULT_SUBSTANCE", "DRUG": "ADULT_SUBSTANCE",
                "LD": "CSC"}
# Which intervention notes each group uses.
GROUP_NOTES = {"MH": "MH", "DA": "DA", "ALC": "SUB", "DRUG": "SUB", "LD": "MH"}

EVENT_DETAILS: dict[str, tuple[str, ...]] = {
    "REFERRAL:POLICE": (
        "Police notification following a domestic incident at the home; children present",
        "Police found the children home alone in the evening",
    ),
    "REFERRAL:EDUCATION": (
        "School raised concerns: children arriving hungry and in dirty clothes",
        "School referral: attendance below 80% and the children often late and tired",
    ),
    "REFERRAL:HEALTH": (
        "Health visitor referral: baby's weight faltering and missed appointments",
        "GP referral: children repeatedly not brought to appointments",
    ),
    "REFERRAL:CSC": (
        "Re-referral: concerns about neglect have returned since the case closed",
        "Step up from early help: home conditions have not improved",
    ),
    "REFERRAL:FAMILY": (
        "Grandmother called with concerns about the home and Mum's drinking",
    ),
    "REFERRAL:OTHER": (
        "Anonymous referral regarding children left alone in the evening",
        "Neighbour reported the children playing outside late at night without an adult",
    ),
    "REFERRAL:HOUSING": (
        "Housing officer reported very poor home conditions during an inspection",
    ),
    "REFERRAL:ADULT_MH": (
        "Adult mental health team shared concerns about Mum's ability to care for the children",
    ),
    "STRATEGY_DISCUSSION": (
        "Strategy discussion held with police and health; threshold for S47 met",
        "Strategy meeting: agreed joint enquiries and a safety plan for the children",
    ),
    "S47_START": (
        "Section 47 enquiries started",
        "S47 enquiry commenced; children seen and spoken to",
    ),
    "ASSESSMENT": (
        "Child and family assessment completed; neglect and adult needs identified",
        "Single assessment: concerns about home conditions, parental mental health and drinking",
        "Assessment authorised; recommendation ICPC",
    ),
    "ICPC": (
        "ICPC: children made subject to a CP plan under the category of neglect",
        "Initial child protection conference held; parents attended and shared their views",
        "ICPC quorate; plan agreed; core group to meet within ten working days",
        "Initial conference: the family said what they want to change and the plan was written with them",
    ),
    "CORE_GROUP": (
        "Core group meeting: plan reviewed, progress on home conditions noted",
        "CGM held; Mum did not attend; actions carried forward",
        "Core group: Mum and Dad shared what is working; next steps agreed together",
        "Core group meeting; school and health gave updates; attendance improving",
        "CGM: limited progress, parents non-compliant with actions",
    ),
    "REVIEW_CONFERENCE": (
        "RCPC: plan to continue; progress noted but concerns remain",
        "Review conference: children remain subject to CP plans",
        "Review child protection conference held; the family's views were heard and the plan was updated",
        "RCPC: adult services not represented; plan continues",
    ),
    "REVIEW_END": (
        "RCPC: plan ended; parents now attending appointments and home conditions improved",
        "Review conference: CP plan ended, step down to CIN",
        "RCPC: plan ended as parents engaging and the home is clean; adult services work not yet started",
        "Review conference: plan ended; the family have made lasting changes and support continues through early help",
        "RCPC: plan discontinued, risk reduced",
    ),
    "VISIT": (
        "Home visit: children seen alone; home conditions acceptable",
        "Statutory visit: children seen; bedroom cluttered again",
        "Unannounced visit, no answer at the door",
        "Home visit: Mum proud of the work she has done on the kitchen; children happy and chatty",
        "Visit: fridge empty, Mum says money has run out this week",
        "Joint visit with the health visitor; baby weighed, weight improving",
    ),
    "INTERVENTION_START:MH": (
        "Adult mental health worker allocated; first appointment with Mum booked",
        "Talking therapies assessment completed; Mum offered weekly sessions",
        "Perinatal mental health team started visiting Mum at home",
    ),
    "INTERVENTION_START:DA": (
        "Domestic abuse worker started one-to-one sessions with Mum",
        "Dad started the perpetrator programme",
        "IDVA allocated; safety planning with Mum started",
    ),
    "INTERVENTION_START:SUB": (
        "Substance misuse key worker allocated; motivational interviewing sessions with Dad started",
        "Mum started the community drug treatment programme",
        "Alcohol service assessment completed; Dad began weekly key work sessions",
    ),
    "INTERVENTION_END:MH": (
        "Adult mental health support completed; Mum reports feeling much better",
        "Talking therapies sessions finished; discharged to GP",
    ),
    "INTERVENTION_END:DA": (
        "Domestic abuse programme completed",
        "Dad completed the perpetrator programme; the facilitator's report was shared with the core group",
    ),
    "INTERVENTION_END:SUB": (
        "Alcohol treatment completed; Dad abstinent for three months",
        "Drug treatment completed; tests negative for three months",
    ),
    "INTERVENTION_DROPOUT": (
        "Service closed the case: three appointments not attended",
        "Discharged after disengaging from the service",
    ),
    "CHALLENGE": (
        "Police raised concern that domestic abuse has not been addressed",
        "Professional disagreement raised about the plan's focus on home conditions only",
        "School challenged the lack of progress between core groups",
    ),
    "CHALLENGE_END": (
        "Health visitor challenged the decision to end the plan: the baby's weight has not been steady for long enough",
        "School challenged the step down: attendance has only improved for a few weeks",
        "Adult mental health worker challenged the ending: Mum's support has not yet started",
    ),
    "ESCALATION": (
        "Challenge escalated to the team manager under the escalation policy",
        "Escalated to the safeguarding partnership's resolution process",
        "Escalation to the conference chair: request for an early review",
    ),
    "MISSED_APPOINTMENT:HEALTH": (
        "Missed health appointment (was not brought)",
        "Child not brought to the dentist",
        "Health visitor appointment missed; no answer at the door",
    ),
    "MISSED_APPOINTMENT:EDUCATION": (
        "Missed nursery session without explanation",
        "Parent did not attend the school attendance meeting",
    ),
    "MISSED_APPOINTMENT:ADULT_MH": (
        "Mum did not attend her mental health appointment",
    ),
    "MISSED_APPOINTMENT:ADULT_SUBSTANCE": (
        "Dad did not attend the alcohol service appointment",
        "Mum missed her key work session at the drug service",
    ),
    "MISSED_APPOINTMENT:ADULT_DA": (
        "Mum did not attend the Freedom Programme session",
    ),
    "INCIDENT": (
        "Police called to the home following a domestic incident",
        "Children found home alone in the evening by police",
        "Neighbour reported shouting and a child crying late at night",
    ),
    "WRITTEN_AGREEMENT": (
        "Written agreement signed with Mum about who can care for the children",
        "Written agreement: Dad not to stay overnight while the plan is in place",
    ),
}

CHANGE_DETAILS: dict[str, tuple[str, ...]] = {
    "ADULT_JOINED": ("Mum's new partner moved into the home", "Dad returned to live at the family home",
                     "A family friend moved in to help with the children"),
    "ADULT_LEFT": ("Dad left the family home following police involvement", "Mum's partner moved out",
                   "Grandmother who helped with childcare moved away"),
    "NEW_BABY": ("Birth of a baby sibling", "Mum gave birth; new baby at home"),
    "CHILD_LEFT": ("Child went to stay with grandparents", "Child moved to live with Dad"),
    "CHILD_RETURNED": ("Child returned home from grandparents", "Child came back to live with Mum"),
    "HOUSE_MOVE": ("Family moved to temporary accommodation", "Family evicted and moved to a new area",
                   "Family moved to a larger council house"),
    "CARER_CHANGE": ("Main carer changed from Mum to Dad", "Grandparents took over day-to-day care"),
    "OTHER": ("Change in household circumstances", "Family relationship breakdown"),
}


@dataclass(frozen=True)
class ActionBank:
    """ACTION_FAMILIES as arrays: text i belongs to family family_of[i]; pools hold family ids."""

    texts: np.ndarray            # every paraphrase, object array
    family_first: np.ndarray     # index of each family's first paraphrase in `texts`
    family_size: np.ndarray      # paraphrases per family
    family_owner: np.ndarray     # owner agency per family (object)
    family_factor: np.ndarray    # addresses_factor per family (object, "" = none)
    family_key: np.ndarray       # family key (object)
    pool_names: tuple[str, ...]
    pool_first: np.ndarray       # index into pool_members of each pool's first family
    pool_size: np.ndarray
    pool_members: np.ndarray     # family ids grouped by pool

    def pool(self, name: str) -> int:
        return self.pool_names.index(name)


@lru_cache(maxsize=1)
def action_bank() -> ActionBank:
    texts: list[str] = []
    first, size, owner, factor, key, pool_of = [], [], [], [], [], []
    for pool, fkey, agency, addresses, paraphrases in ACTION_FAMILIES:
        first.append(len(texts))
        size.append(len(paraphrases))
        texts.extend(paraphrases)
        owner.append(agency)
        factor.append(addresses)
        key.append(fkey)
        pool_of.append(pool)
    names = tuple(dict.fromkeys(pool_of))
    pool_idx = np.array([names.index(p) for p in pool_of])
    members = np.argsort(pool_idx, kind="stable")
    counts = np.bincount(pool_idx, minlength=len(names))
    return ActionBank(
        texts=np.array(texts, dtype=object), family_first=np.array(first), family_size=np.array(size),
        family_owner=np.array(owner, dtype=object), family_factor=np.array(factor, dtype=object),
        family_key=np.array(key, dtype=object), pool_names=names,
        pool_first=np.concatenate([[0], np.cumsum(counts)[:-1]]), pool_size=counts, pool_members=members,
    )


@dataclass(frozen=True)
class TextBank:
    """Short notes for one kind (event type or change type), chosen by integer index."""

    texts: np.ndarray
    first: dict[str, int]
    size: dict[str, int]

    def pick(self, kind: str, u: np.ndarray) -> np.ndarray:
        """Indices into `texts` for uniforms `u` in [0, 1)."""
        return self.first[kind] + np.minimum((u * self.size[kind]).astype(np.int64), self.size[kind] - 1)


def _bank(groups: dict[str, tuple[str, ...]]) -> TextBank:
    texts: list[str] = []
    first, size = {}, {}
    for kind, options in groups.items():
        first[kind] = len(texts)
        size[kind] = len(options)
        texts.extend(options)
    return TextBank(np.array(texts, dtype=object), first, size)


@lru_cache(maxsize=1)
def event_bank() -> TextBank:
    return _bank(EVENT_DETAILS)


@lru_cache(maxsize=1)
def change_bank() -> TextBank:
    return _bank(CHANGE_DETAILS)
