"""First-order or underlying: the one mapping from an action's theme (the theme classifier's labels, THEMES) and
owner to the kind of change it asks for (docs/definitions.md, "First-order and underlying change").

Why here, alone: the theme classifier may change (its model is replaced from time to time); this mapping is
what the "What works" page, `metrics --json` and the audit pack mean by first-order, and it is changed here
only.  First-order: practical or compliance change (attend, keep appointments, tidy the home).  Underlying:
work on the adult difficulty that causes the neglect (mental health, domestic abuse, substance misuse), either
themed so or owned by an adult-facing practitioner, who by their role works on it.  Why in reference, the lowest
layer: What works' derived table counts the classes in SQL at import (reference/tables.py registers `class_rows`),
and the import and its derivation sit below the metrics.
"""
from __future__ import annotations

import pandas as pd

from .works import ADULT_AGENCIES

# The themes the classifier gives an action (paqa_dash/text/themes.py), and its label for an action it cannot place.
THEMES = ("practical/compliance", "adult need", "child development", "safety", "relationship/restorative")
UNCLASSIFIED = "unclassified"

FIRST_ORDER, UNDERLYING, OTHER = "first_order", "underlying", "other"
# The theme of a relational action (restorative practice, reference/works.RESTORATIVE_KINDS "relational").
RELATIONAL_THEME = "relationship/restorative"
# Theme -> class; a theme not listed (child development, safety, relationships, unclassified) is OTHER.
THEME_CLASS: dict[str, str] = {
    "practical/compliance": FIRST_ORDER,
    "adult need": UNDERLYING,
}


def action_class(theme: pd.Series, owner_agency: pd.Series) -> pd.Series:
    """first_order / underlying / other per action: underlying when owned by an adult-facing practitioner."""
    out = theme.map(THEME_CLASS).fillna(OTHER)
    return out.where(~owner_agency.isin(ADULT_AGENCIES), UNDERLYING)


def class_rows() -> pd.DataFrame:
    """theme, any_other, adult_owned, action_class, relational: this mapping as rows, one per theme and whether the
    owner is adult-facing, and one (any_other, no theme) for a theme the classifier does not name; reference/tables.py
    registers them as ref_action_classes, for SQL to join by an action's stored theme.  Why rows worked out here, by
    `action_class` itself: the derived table of What works counts the classes in SQL at import, and a second copy of
    the rule there would drift from this."""
    named = [*THEMES, UNCLASSIFIED, None]
    rows = pd.DataFrame([(t, t is None, adult) for t in named for adult in (False, True)],
                        columns=["theme", "any_other", "adult_owned"])
    owners = rows["adult_owned"].map({True: ADULT_AGENCIES[0], False: None})
    rows["action_class"] = action_class(rows["theme"], owners).to_numpy()
    rows["relational"] = rows["theme"] == RELATIONAL_THEME
    return rows
