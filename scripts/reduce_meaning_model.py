"""Shrink the distilled meaning model (scripts/distill_meaning_model.py, 15 MB) to the committed file (< 5 MB).

Why: the repository keeps no file over 5 MB. The distilled model is 29,525 word pieces x 256 float16 numbers.
Measured on every labelled duplicate pair (cosine of the two wordings' vectors against the full model's):
PCA to 128 dims + int8 keeps a correlation of 0.989 (3.8 MB); keeping all 256 dims at 4 bits keeps 0.9987
(3.9 MB), so the default is 256 dims, 4 bits. Quantisation: each dimension is divided by its standard
deviation (PCA dimensions differ ~6x in spread), then each row gets its own scale (model2vec's SIF weighting
makes rows differ ~100x in length), and the codes are rounded to -8..7 (4 bits, two to a byte) or
-128..127 (8 bits). The loader (paqa_dash/text/meaning.py) multiplies back: codes x row_scale x dim_scale.
The vocabulary and tokenizer are untouched (dropping tokens would change how words split).

Run (numpy and safetensors only, the app's own environment):
    python scripts/distill_meaning_model.py --out /tmp/m2v256          # or the distilled files kept aside
    python scripts/reduce_meaning_model.py --src /tmp/m2v256 [--dims 256] [--bits 4]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "data" / "models" / "meaning_minilm_m2v"
KEEP = ("tokenizer.json", "LICENSE")


def project(x: np.ndarray, dims: int) -> np.ndarray:
    """The rows on the first `dims` principal axes (uncentred SVD: the mean direction matters to a cosine)."""
    if dims >= x.shape[1]:
        return x
    _, _, vt = np.linalg.svd(x.astype(np.float64), full_matrices=False)
    axes = vt[:dims].T
    axes *= np.where(axes[np.abs(axes).argmax(axis=0), np.arange(dims)] < 0, -1.0, 1.0)  # fixed signs
    return (x.astype(np.float64) @ axes).astype(np.float32)


def quantise(x: np.ndarray, bits: int) -> dict[str, np.ndarray]:
    """Codes (int8; 4-bit codes packed two to a uint8, high nibble first) and the two scales."""
    top = 2 ** (bits - 1) - 1
    dim_scale = x.std(axis=0).astype(np.float32)
    dim_scale[dim_scale == 0] = 1.0
    y = x / dim_scale
    row_scale = (np.abs(y).max(axis=1) / top).astype(np.float32)
    row_scale[row_scale == 0] = 1.0
    codes = np.clip(np.round(y / row_scale[:, None]), -top - 1, top).astype(np.int8)
    if bits == 4:
        if codes.shape[1] % 2:
            raise ValueError("4-bit packing needs an even number of dimensions")
        u = (codes.astype(np.int16) + 8).astype(np.uint8)
        codes = (u[:, 0::2] << 4) | u[:, 1::2]
    return {"codes": codes, "row_scale": row_scale, "dim_scale": dim_scale}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, required=True, help="the distilled model's folder (256 dims, float)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--bits", type=int, choices=(4, 8), default=4)
    args = ap.parse_args()
    from safetensors.numpy import load_file, save_file

    src_file = args.src / "model.safetensors"
    x = project(load_file(str(src_file))["embeddings"].astype(np.float32), args.dims)
    tensors = quantise(x, args.bits)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"bits": str(args.bits), "dims": str(x.shape[1]), "source_sha256": sha256(src_file)}
    save_file(tensors, str(args.out / "model.safetensors"), metadata=meta)
    for name in KEEP:
        if (args.src / name).resolve() != (args.out / name).resolve() and (args.src / name).exists():
            shutil.copyfile(args.src / name, args.out / name)
    config = json.loads((args.src / "config.json").read_text(encoding="utf-8"))
    config.update({"hidden_dim": int(x.shape[1]), "embedding_dtype": f"int{args.bits} (row and dimension scales)",
                   "quantisation": {"bits": args.bits, "pca_dims": int(x.shape[1]),
                                    "script": "scripts/reduce_meaning_model.py",
                                    "source_sha256": meta["source_sha256"]}})
    (args.out / "config.json").write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    size = (args.out / "model.safetensors").stat().st_size
    print(f"saved {args.out / 'model.safetensors'}: {x.shape[0]} x {x.shape[1]} at {args.bits} bits, "
          f"{size / 1e6:.2f} MB (from {src_file.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
