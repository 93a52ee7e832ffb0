"""Sentence meaning of plan text: one vector per text, so that "Dad to go to the drug service every week and
give clean tests" lands near "Father will attend weekly appointments with substance misuse services and
provide negative samples" although they share almost no words.

Why a static model, read with numpy: the shipped model (data/models/meaning_minilm_m2v/, 3.9 MB) is
all-MiniLM-L6-v2 distilled once with model2vec (scripts/distill_meaning_model.py): one 256-number vector per
word piece, a sentence is the mean of its pieces' vectors; stored at 4 bits a number with row and dimension
scales (scripts/reduce_meaning_model.py) to keep the file under the repository's 5 MB limit. It runs offline on CPU with no torch (only the
`tokenizers` and `safetensors` wheels), embeds tens of thousands of texts a second, and gives the same
answers on every machine. The transformer itself scored higher on paraphrase pairs but needs torch and is
~100x slower (docs/duplicates.md, docs/benchmark_history.md).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models" / "meaning_minilm_m2v"
MODEL_NAME = "all-MiniLM-L6-v2 distilled with model2vec (256 dims, 4-bit)"
MAX_TOKENS = 512
_BATCH = 4096


class MeaningModel:
    """A static sentence-embedding model: tokenizer + one vector per token, mean-pooled, unit length."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.vectors = token_vectors(load_file(str(model_dir / "model.safetensors")))
        self.config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.unk = self.tokenizer.token_to_id("[UNK]")
        self.dims = int(self.vectors.shape[1])

    def embed(self, texts: Sequence[object]) -> np.ndarray:
        """Unit-length meaning vectors (len(texts), dims), float32; an empty or missing text gives zeros."""
        clean = [t if isinstance(t, str) else "" for t in texts]
        out = np.zeros((len(clean), self.dims), dtype=np.float32)
        for s in range(0, len(clean), _BATCH):
            batch = clean[s:s + _BATCH]
            ids = [np.asarray(e.ids, dtype=np.int64) for e in
                   self.tokenizer.encode_batch_fast(batch, add_special_tokens=False)]
            if self.unk is not None:
                ids = [i[i != self.unk] for i in ids]
            lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
            if lengths.sum() == 0:
                continue
            flat = np.concatenate(ids)
            owner = np.repeat(np.arange(len(ids)), lengths)
            counts = sp.csr_matrix((np.ones(len(flat), dtype=np.float32), (owner, flat)),
                                   shape=(len(ids), len(self.vectors)))
            sums = np.asarray(counts @ self.vectors, dtype=np.float32)
            has = lengths > 0
            sums[has] /= lengths[has, None]
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            out[s:s + len(batch)] = sums / norms
        return out

    def tokens(self, text: str) -> list[str]:
        """The word pieces the model reads, for explanations."""
        return self.tokenizer.encode(text, add_special_tokens=False).tokens


def token_vectors(tensors: dict[str, np.ndarray]) -> np.ndarray:
    """The float32 token vectors of a model file: plain ``embeddings`` (as model2vec saves them), or the
    quantised ``codes`` x ``row_scale`` x ``dim_scale`` of scripts/reduce_meaning_model.py (4-bit codes are
    packed two to a byte, high nibble first, offset by 8)."""
    if "embeddings" in tensors:
        return tensors["embeddings"].astype(np.float32)
    codes = tensors["codes"]
    if codes.dtype == np.uint8:
        unpacked = np.empty((codes.shape[0], codes.shape[1] * 2), dtype=np.int8)
        unpacked[:, 0::2] = (codes >> 4).astype(np.int8) - 8
        unpacked[:, 1::2] = (codes & 0x0F).astype(np.int8) - 8
        codes = unpacked
    return (codes.astype(np.float32) * tensors["row_scale"][:, None].astype(np.float32)
            * tensors["dim_scale"][None, :].astype(np.float32))


@lru_cache(maxsize=1)
def model() -> MeaningModel:
    """The shipped model, loaded once per process (~0.2 s)."""
    return MeaningModel()


def embed(texts: Sequence[object]) -> np.ndarray:
    return model().embed(texts)


def row_cosines(x: np.ndarray, ia: np.ndarray, ib: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    """Cosine of row ia[k] with row ib[k] of unit-length rows, clipped to 0..1, in chunks to bound memory."""
    out = np.empty(len(ia), dtype=np.float64)
    for s in range(0, len(ia), chunk):
        out[s:s + chunk] = np.einsum("ij,ij->i", x[ia[s:s + chunk]], x[ib[s:s + chunk]])
    return np.clip(out, 0.0, 1.0)
