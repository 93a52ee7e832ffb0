"""The theme of each action of a plan, for the first-order or underlying mapping (reference/action_classes.py):
the theme stored at import, else the classifier's now.

Why in metrics: it may run the theme classifier (paqa_dash/text/themes.py) over actions a store has no stored theme
for; the mapping itself is reference data, which the import's derived tables read too.
"""
from __future__ import annotations

from typing import Sequence

from ..text import themes


def action_themes(texts: Sequence[object], stored: Sequence[object]) -> list[str]:
    """The theme of each action: the one stored at import, else the classifier's now (distinct texts once)."""
    stored = list(stored)
    missing = sorted({str(t) if isinstance(t, str) else "" for t, s in zip(texts, stored)
                      if not isinstance(s, str)})
    found: dict[str, str] = {}
    if missing:
        found = dict(zip(missing, themes.classify(missing)["theme"]))
    return [s if isinstance(s, str) else found[str(t) if isinstance(t, str) else ""] for t, s in zip(texts, stored)]
