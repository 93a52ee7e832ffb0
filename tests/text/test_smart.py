"""SMART review: each criterion on hand-written actions, with passing twins so no test can pass
by flagging everything."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.text import smart


def review(text: str, owner: str | None = None, due: str | None = None) -> smart.Verdict:
    return smart.review_action(text, owner, due)


GOOD = "Mum to attend the Freedom Programme every Tuesday until it ends in March."


def test_a_well_written_action_passes_every_criterion():
    v = review(GOOD)
    assert v.failed == [] and v.reasons == []


# --- Specific -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, word", [
    ("Mum to engage with services weekly.", "engage"),
    ("Social worker to support mum with the home weekly.", "support"),
    ("Parents to ensure the home is maintained weekly.", "ensure"),
    ("Dad to work on his anger weekly.", "work on"),
])
def test_vague_verb_with_no_concrete_act_is_not_specific(text, word):
    v = review(text)
    assert "specific" in v.failed
    assert any(r.startswith("Specific:") and f"'{word}'" in r for r in v.reasons)


def test_vague_verb_beside_a_concrete_act_is_specific():
    assert review("Social worker to support mum to complete a cleaning rota weekly.").passed["specific"]
    assert review("Mum to ensure the children attend school every day.").passed["specific"]


def test_make_sure_is_a_wish_not_an_act():
    v = review("Parents to make sure things are better by 1 June.")
    assert "specific" in v.failed


def test_no_verb_at_all_is_not_specific():
    v = review("Home conditions.", owner="CSC", due="2025-01-01")
    assert "specific" in v.failed and "does not say what will be done" in v.reasons[0]


# --- Measurable -----------------------------------------------------------------------------
def test_fuzzy_outcome_is_not_measurable_and_quotes_the_word():
    v = review("Mum to improve her understanding of the children's needs by 1 June.")
    assert "measurable" in v.failed
    assert any("'improve'" in r and r.startswith("Measurable:") for r in v.reasons)


def test_observable_outcome_is_measurable():
    assert review("Dad to complete the six-week parenting course by 1 June.").passed["measurable"]
    assert review("Health visitor to weigh the baby fortnightly.").passed["measurable"]


def test_keep_the_home_clean_has_no_observable_standard():
    assert "measurable" in review("Parents to keep the home clean and tidy by 1 June.").failed


# --- Achievable -----------------------------------------------------------------------------
def test_bundled_action_is_not_achievable_and_counts_the_acts():
    text = ("Mum to engage with DA services, attend all appointments, keep the home clean and ensure the "
            "children attend school by 1 June.")
    v = review(text)
    assert "achievable" in v.failed
    assert smart.count_acts(text) == 4
    assert any("bundles 4 separate acts" in r for r in v.reasons)


def test_two_verbs_for_one_act_is_not_a_bundle():
    v = review("Dad to attend and complete the Caring Dads programme by 1 June.")
    assert v.passed["achievable"]


def test_clean_and_tidy_is_one_act_not_two():
    assert smart.count_acts("Parents to keep the home clean and tidy") == 1


def test_two_owners_is_not_achievable_but_mum_and_dad_are_one_owner_group():
    v = review("Mum and social worker to complete a cleaning rota by 12 March.")
    assert "achievable" in v.failed and any("2 owners (parents, social worker)" in r for r in v.reasons)
    assert review("Mum and dad to attend video interaction guidance weekly.").passed["achievable"]


@pytest.mark.parametrize("text", [
    "Perinatal mental health team to assess mum before the baby is born.",
    "Mum's psychiatrist to be invited to the next core group meeting.",
    "School nurse to see the child about bedwetting by 1 May.",
    "Educational psychologist to assess learning needs by 1 May.",
])
def test_compound_role_names_and_possessives_are_one_owner(text):
    assert len(smart.owners(text)) == 1
    assert not any("owners" in r for r in review(text).reasons)


def test_scrubbed_name_tag_is_a_named_owner():
    assert smart.owners("[name] to attend the physiotherapy appointments") == ["named person"]


def test_absolute_standard_is_not_realistic():
    v = review("Parents to supervise the children at all times.", due="2025-06-01")
    assert "achievable" in v.failed and any("'at all times'" in r for r in v.reasons)


# --- Time-bound -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Mum to attend the GP by 12 March.",
    "Mum to attend the GP within 4 weeks.",
    "Mum to attend the group weekly.",
    "Leo to attend nursery three mornings a week.",
    "Mum to attend the GP before the next core group.",
    "Mum to attend the GP on 2025-03-12 or 12/03/2025.",
])
def test_dates_deadlines_and_frequencies_are_time_bound(text):
    assert review(text).passed["time_bound"]


def test_due_date_column_makes_an_action_time_bound():
    assert review("Mum to attend the GP.", due="2025-03-12").passed["time_bound"]
    assert not review("Mum to attend the GP.", due=None).passed["time_bound"]


def test_ongoing_is_not_a_date_and_says_so():
    v = review("Mum to attend the GP - ongoing.")
    assert "time_bound" in v.failed and any("'ongoing'" in r for r in v.reasons)


def test_regularly_is_not_a_frequency():
    assert "time_bound" in review("Social worker to visit regularly.").failed


# --- Owner named ----------------------------------------------------------------------------
def test_owner_in_text_or_column_counts():
    assert review("Health visitor to weigh the baby fortnightly.").passed["owner_named"]
    assert review("Weigh the baby fortnightly.", owner="HEALTH").passed["owner_named"]
    assert review("Leo to attend nursery three mornings a week.").passed["owner_named"]


def test_no_owner_anywhere_fails():
    v = review("Referral to be made to the food bank by Friday.")
    assert "owner_named" in v.failed and any(r.startswith("Owner:") for r in v.reasons)


def test_passive_capitalised_subject_is_not_an_owner():
    assert "owner_named" in review("Rubbish to be cleared from the garden by Friday.").failed


def test_collective_owner_fails_even_with_an_agency_column():
    v = review("All professionals to share information weekly.", owner="CSC")
    assert "owner_named" in v.failed and any("'all professionals'" in r for r in v.reasons)


# --- Frames ---------------------------------------------------------------------------------
def _actions() -> pd.DataFrame:
    return pd.DataFrame({
        "action_id": ["a1", "a2", "a3"],
        "plan_id": ["p1", "p1", "p2"],
        "action_text": [GOOD, "Mum to engage with services.", "Health visitor to weigh the baby fortnightly."],
        "owner_agency": [None, "FAMILY", "HEALTH"],
        "due_date": [pd.NaT, pd.NaT, pd.Timestamp("2025-01-01")],
        "team": ["North", "North", "South"],
        "period": ["2024-Q1", "2024-Q1", "2024-Q2"],
    })


def test_review_actions_columns_and_values():
    out = smart.review_actions(_actions())
    assert list(out.columns) == ["action_id", "specific", "measurable", "achievable", "time_bound",
                                 "owner_named", "smart", "failed", "reasons"]
    assert out["smart"].tolist() == [True, False, True]
    assert out.loc[1, "failed"] == "specific, measurable, time_bound"
    assert out.loc[1, "reasons"].count("; ") == 2
    assert out["specific"].dtype == bool


def test_plan_scores_and_team_period_share():
    acts = _actions()
    reviewed = smart.review_actions(acts)
    scores = smart.plan_scores(reviewed, acts)
    assert scores.to_dict("records") == [
        {"plan_id": "p1", "actions": 2, "smart_actions": 1, "smart_share": 0.5},
        {"plan_id": "p2", "actions": 1, "smart_actions": 1, "smart_share": 1.0},
    ]
    share = smart.smart_share_by(reviewed, acts)
    assert share[["team", "period", "smart_share"]].values.tolist() == [["North", "2024-Q1", 0.5],
                                                                         ["South", "2024-Q2", 1.0]]


def test_empty_input_gives_empty_frame_with_columns():
    out = smart.review_actions(pd.DataFrame(columns=["action_id", "action_text", "owner_agency", "due_date"]))
    assert out.empty and "smart" in out.columns
