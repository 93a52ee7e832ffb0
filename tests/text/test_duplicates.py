"""Duplicated actions: scoring invariances, the issue's examples, match_actions edges, quality gate."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from paqa_dash.text import duplicates, similarity
from paqa_dash.text.evaluate_duplicates import load_pairs, prf

T = similarity.DEFAULT_THRESHOLD
REWORDED = ("Mum to keep the children's bedroom clear of clutter and safe",
            "Mother will make sure the bedroom is kept tidy, safe and free of clutter")
PROGRAMMES = ("Mum to attend the Incredible Years course", "Mum to attend the Triple P course")


def score(a: str, b: str, method: str | None = None) -> float:
    return float(similarity.score_pairs([a], [b], method=method)[0])


def actions(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=duplicates.INPUT_COLUMNS).assign(
        plan_start=lambda d: [dt.date.fromisoformat(x) for x in d["plan_start"]])


def test_issue_examples_are_separated_by_the_default_threshold() -> None:
    assert score(*REWORDED) >= T
    assert score(*PROGRAMMES) < T


def test_normalise_folds_case_punctuation_and_role_words() -> None:
    assert similarity.normalise("MUM to attend, the course!") == similarity.normalise("mum to attend the course")
    for role in ("Mother", "mam", "Dad", "father", "Stepdad", "carer", "parent", "[name]", "[Child 1]"):
        assert similarity.normalise(f"{role} to attend the core group") == "parent attend core group", role
    assert similarity.normalise("Dad mustn't have contact") == "parent not have contact"


@pytest.mark.parametrize("b", ["MUM TO ATTEND THE INCREDIBLE YEARS COURSE.", "Mother to attend the Incredible Years course",
                               "[name] to attend the incredible-years course", "carer to attend the Incredible Years course!!"])
def test_case_punctuation_and_role_words_score_as_identical(b: str) -> None:
    assert score(PROGRAMMES[0], b) == pytest.approx(1.0, abs=1e-6)


def test_negation_on_one_side_only_is_not_a_duplicate() -> None:
    assert score("Dad to not have unsupervised contact with the children",
                 "Dad to have unsupervised contact with the children") < T


def test_score_pairs_is_aligned_and_bounded() -> None:
    s = similarity.score_pairs([REWORDED[0], PROGRAMMES[0], "x"], [REWORDED[1], PROGRAMMES[1], "x"])
    assert s.shape == (3,) and np.all((s >= 0) & (s <= 1)) and s[2] == 1.0
    assert similarity.score_pairs([], []).shape == (0,)
    with pytest.raises(ValueError):
        similarity.score_pairs(["a"], [])


def test_every_method_runs() -> None:
    for method in similarity.METHODS:
        s = similarity.score_pairs(list(REWORDED[:1]), list(REWORDED[1:]), method=method)
        assert 0 <= s[0] <= 1, method


def test_empty_input_gives_empty_frame_with_columns() -> None:
    out = duplicates.match_actions(pd.DataFrame(columns=duplicates.INPUT_COLUMNS))
    assert list(out.columns) == duplicates.OUTPUT_COLUMNS and out.empty


def test_one_child_one_plan_has_no_rows() -> None:
    out = duplicates.match_actions(actions([("a1", "p1", "c1", "2020-01-01", REWORDED[0]),
                                            ("a2", "p1", "c1", "2020-01-01", REWORDED[1])]))
    assert out.empty and list(out.columns) == duplicates.OUTPUT_COLUMNS


def test_matches_only_earlier_plans_of_the_same_child() -> None:
    out = duplicates.match_actions(actions([
        ("a1", "p1", "c1", "2020-01-01", REWORDED[0]),
        ("a2", "p1", "c1", "2020-01-01", PROGRAMMES[0]),
        ("b1", "p2", "c1", "2021-06-01", REWORDED[1]),
        ("b2", "p2", "c1", "2021-06-01", PROGRAMMES[1]),
        ("x1", "q1", "c2", "2019-01-01", REWORDED[1]),   # other child: never a candidate
        ("s1", "p3", "c1", "2021-06-01", REWORDED[1]),   # same start as p2: not earlier
    ])).set_index("action_id")
    assert sorted(out.index) == ["b1", "b2", "s1"]
    assert out.loc["b1", "matches_action_id"] == "a1" and out.loc["b1", "matches_plan_id"] == "p1"
    assert out.loc["b1", "score"] >= T
    # another programme is penalised by the conflict rule, so b2's closest earlier action may be any: not a duplicate
    assert out.loc["b2", "matches_action_id"] in {"a1", "a2"} and out.loc["b2", "score"] < T
    assert out.loc["b1", "method"] == similarity.METHOD and out.loc["b1", "plan_id"] == "p2"


def test_ties_go_to_the_most_recent_earlier_plan() -> None:
    out = duplicates.match_actions(actions([
        ("a1", "p1", "c1", "2018-01-01", PROGRAMMES[0]),
        ("b1", "p2", "c1", "2019-01-01", PROGRAMMES[0]),
        ("c1", "p3", "c1", "2020-01-01", "Mother to attend the Incredible Years course"),
    ])).set_index("action_id")
    assert out.loc["c1", "matches_action_id"] == "b1" and out.loc["c1", "score"] == 1.0
    assert out.loc["b1", "matches_action_id"] == "a1"


def test_chunking_does_not_change_the_result() -> None:
    rows = [(f"a{c}{p}{k}", f"p{c}{p}", f"c{c}", f"20{10 + p}-01-01", text)
            for c in range(5) for p in range(3) for k, text in enumerate(REWORDED + PROGRAMMES)]
    df = actions(rows)
    whole = duplicates.match_actions(df)
    chunked = duplicates.match_actions(df, max_pairs_per_chunk=1)
    pd.testing.assert_frame_equal(whole.sort_values("action_id").reset_index(drop=True),
                                  chunked.sort_values("action_id").reset_index(drop=True))
    assert len(whole) == 5 * 2 * 4


def test_quality_gate_on_labelled_pairs() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 80 and abs(int(pairs["label"].sum()) * 2 - len(pairs)) <= 4
    s = similarity.score_pairs(pairs["text_a"].tolist(), pairs["text_b"].tolist())
    p, r, f1 = prf(s >= T, pairs["label"].to_numpy() == 1)
    assert f1 >= 0.9, (p, r, f1)


def test_one_rare_word_swapped_in_a_kept_template_is_not_a_duplicate() -> None:
    # neither noun is in data/action_terms.csv: the generalised swap rule has to catch it
    assert score("Mum to take [name] to the GP about his constipation",
                 "Mum to take [name] to the GP about his hearing") < T
    # a swapped common template verb is rewording, not a different act
    assert score("Dad to keep his appointments with probation", "Father to attend all probation appointments") >= T


def test_synonym_map_folds_social_care_abbreviations() -> None:
    assert similarity.normalise("HV to visit") == similarity.normalise("Health visitor to visit")
    assert similarity.normalise("Mum to see the doctor") == similarity.normalise("Mum to see the GP")
    assert similarity.normalise("DA support") == similarity.normalise("domestic abuse support")


def test_quality_gate_on_second_holdout() -> None:
    """holdout2 was written before the method changed and never used to pick a threshold; 0.685 at the time of
    writing (docs/duplicates.md), so this gate guards against regressions, not a target reached by tuning."""
    pairs = load_pairs(similarity.PAIRS_CSV.with_name("duplicate_pairs_holdout2.csv"))
    assert len(pairs) >= 60 and int(pairs["label"].sum()) * 2 == len(pairs)
    s = similarity.score_pairs(pairs["text_a"].tolist(), pairs["text_b"].tolist())
    p, r, f1 = prf(s >= T, pairs["label"].to_numpy() == 1)
    assert f1 >= 0.65, (p, r, f1)


def test_explanations_name_the_matching_words_the_meaning_and_the_rule() -> None:
    why = similarity.explain_pairs([REWORDED[0], PROGRAMMES[0], "Dad to not have contact"],
                                   [REWORDED[1], PROGRAMMES[1], "Dad to have contact"])
    assert why[0].startswith("matching words: ") and "bedroom" in why[0] and "meaning similarity 0." in why[0]
    assert "different programme" in why[1]
    assert "only one says 'not'" in why[2]
    assert similarity.explain_pairs([], []) == []


def test_pairs_sharing_no_content_word_need_strong_evidence(monkeypatch) -> None:
    """Two actions of one plan style with no word in common but the role words (the demo's false positives)
    stay under the threshold; sharing one content word ("attend") lifts the rule."""
    school = "Mum and Dad will make sure the children arrive at school on time every day"
    course = "Parents to complete a parenting course"
    norm = similarity.normalise_all([school, course, "Mum to attend school every day"])
    words = similarity.content_words(norm)
    assert similarity.no_shared_content(words, np.array([0, 0]), np.array([1, 2])).tolist() == [True, False]
    ruled = score(school, course)
    monkeypatch.setattr(similarity, "NO_SHARED_KEEP", 1.0)
    assert ruled < T <= score(school, course)          # flagged by meaning alone, not with the rule
    assert ruled == pytest.approx(score(school, course) * 0.6)
    assert similarity.explain_pairs([school], [course])[0].endswith("so only a very close meaning counts")
