"""Language review: every rule family, with the false-positive traps the issue names."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from paqa_dash.text import language, lexicons


def findings(text: str) -> pd.DataFrame:
    return language.review_texts(pd.DataFrame({"id": ["t"], "text": [text]}))


def terms(text: str, kind: str | None = None) -> list[str]:
    f = findings(text)
    if kind:
        f = f[f["kind"] == kind]
    return f["term"].tolist()


@pytest.mark.parametrize("text, term", [
    ("Mum has been non-compliant with the plan.", "non-compliant"),
    ("Dad failed to engage with the service.", "failed to engage"),
    ("Mum refused the visit on Tuesday.", "refused"),
    ("The core group is worried about disguised compliance.", "disguised compliance"),
    ("Staff describe her as attention seeking.", "attention seeking"),
    ("He can be manipulative with staff.", "manipulative"),
    ("He was kicking off at school.", "kicking off"),
    ("She absconded from the unit.", "absconded"),
    ("Following the placement breakdown he moved again.", "placement breakdown"),
    ("Supervised contact with dad weekly.", "contact"),
    ("She keeps putting herself at risk.", "putting themselves at risk"),
    ("Parents show a lack of insight.", "lack of insight"),
    ("The toxic trio is present.", "toxic trio"),
])
def test_each_deficit_rule_flags_with_suggestion_why_and_source(text, term):
    f = findings(text)
    hit = f[f["term"] == term]
    assert len(hit) == 1, f.to_dict("records")
    row = hit.iloc[0]
    assert row["kind"] == "deficit"
    assert row["suggestion"] and row["why"] and row["source"]
    assert text[row["start"]:row["end"]] == row["phrase"]


def test_strengths_based_text_has_no_findings():
    assert findings("Mum and the health visitor will weigh the baby every two weeks at home.").empty


# --- "contact" only when it means family time ----------------------------------------------
@pytest.mark.parametrize("text", [
    "Social worker to contact the school about attendance.",
    "Mum to contact the GP to book an appointment.",
    "Health visitor will make contact with the nursery.",
    "Contact details for the housing officer to be shared.",
    "Mum to make sure the children have no contact with dad until the assessment is done.",
])
def test_contact_that_is_not_family_time_is_not_flagged(text):
    assert "contact" not in terms(text)


@pytest.mark.parametrize("text", [
    "Supervised contact with dad at the family centre.",
    "Contact with his brothers to continue monthly.",
    "Contact sessions to be reviewed.",
    "Weekly contact to take place at the contact centre.",
])
def test_contact_meaning_family_time_is_flagged_with_family_time(text):
    f = findings(text)
    contact = f[f["term"] == "contact"]
    assert len(contact) >= 1
    assert "family time" in contact.iloc[0]["suggestion"]


# --- quoted speech is the person's own voice -------------------------------------------------
@pytest.mark.parametrize("text", [
    'Jay said "I refused because I was scared".',
    "Jay said \u201cI refused to go, it was boring\u201d.",
    "Leo told me 'I refused to go, it's boring' and that was fine.",
])
def test_words_in_quotation_marks_are_not_flagged(text):
    assert findings(text).empty


def test_the_same_word_outside_the_quote_is_flagged():
    text = "Mum refused the visit. Jay said \"I refused too\"."
    f = findings(text)
    assert f["start"].tolist() == [4]


def test_apostrophes_do_not_start_a_quote():
    assert terms("Mum's partner refused and it's the dad's view.") == ["refused"]


def test_longest_overlapping_finding_wins():
    assert terms("Dad refused to engage.") == ["failed to engage"]


# --- jargon -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, term", [
    ("To be discussed at the ICPC.", "ICPC"),
    ("Next RCPC in June.", "RCPC"),
    ("Step down to CIN.", "CIN"),
    ("Referral came through the MASH.", "MASH"),
    ("A s47 enquiry was completed.", "s47"),
    ("A section 47 was completed.", "s47"),
])
def test_unexplained_jargon_is_flagged(text, term):
    assert term in terms(text, "jargon")


def test_jargon_explained_in_the_same_text_is_not_flagged():
    assert terms("The initial child protection conference (ICPC) agreed the plan; the ICPC met in May.",
                 "jargon") == []
    assert terms("The MASH (multi-agency safeguarding hub) took the call.", "jargon") == []
    assert terms("CIN (child in need) plan.", "jargon") == []


def test_case_sensitive_acronyms_do_not_fire_inside_words_or_lower_case():
    assert terms("Mum cin be mashed potato; a cp word.", "jargon") == []


def test_other_acronyms_are_flagged_unless_plain():
    assert terms("The GP and NHS are fine, the XYZ is not.", "jargon") == ["XYZ"]
    assert terms("The team around the family (TAF) met.", "jargon") == []


def test_scrubbing_tags_are_not_acronyms():
    assert findings("[name] to call [phone] about [postcode].").empty


def test_every_lexicon_row_names_a_source():
    for frame in (lexicons.language_rules(), lexicons.jargon()):
        assert (frame["source"].str.len() > 0).all()


# --- reading ease -----------------------------------------------------------------------------
def test_reading_ease_orders_plain_above_dense_text():
    plain = language.reading_ease("Mum will go to the group each week. The worker will help her.")
    dense = language.reading_ease(
        "Comprehensive multidisciplinary safeguarding interventions necessitate interagency collaboration.")
    assert plain > 60 > dense


def test_reading_ease_of_empty_text_is_nan():
    assert math.isnan(language.reading_ease("   "))


def test_plan_language_counts_per_plan():
    actions = pd.DataFrame({
        "plan_id": ["p1", "p1", "p2"],
        "action_text": ["Supervised contact with dad weekly", "Discuss at the RCPC",
                        "Social worker to contact the school"],
    })
    out = language.plan_language(actions)
    assert out.columns.tolist() == ["plan_id", "reading_ease", "deficit_phrases", "jargon_terms"]
    assert out[["plan_id", "deficit_phrases", "jargon_terms"]].values.tolist() == [["p1", 1, 1], ["p2", 0, 0]]
    assert out["reading_ease"].notna().all()


def test_strengths_and_need_as_communication_are_counted_not_flagged():
    text = ("Mum has shown she can keep a routine and is doing well with the nursery run. [name]'s hitting out is "
            "communicating a need for comfort; we will work at her own pace.")
    kinds = {h["kind"] for h in language.strengths_in(text)}
    assert kinds == {"strength", "need", "trauma_informed"}
    assert language.strengths_in("") == [] and language.strengths_in(None) == []
    assert language.strengths_in("Dad to attend the GP appointment.") == []


def test_language_balance_weighs_strengths_against_deficit_wording():
    out = language.language_balance(["Mum is non-compliant with the plan.",
                                     "Dad has done well keeping the flat warm; build on this.",
                                     "Attend school daily.", None])
    assert out["texts"] == 3 and out["with_deficit"] == 1 and out["with_strength"] == 1
    assert out["strength_share"] == 0.5
    assert language.language_balance(["Attend school daily."])["strength_share"] is None
