"""Sizes of the synthetic stores the slow tier builds once per session (see tests/conftest.py)."""
from __future__ import annotations

DEMO_CHILDREN = 300
AUTHORITY_PLANS = 10_000  # about ten years of a large authority (England: ~62,000 plans a year in ~150 LAs)
