"""The costs a server process pays once, paid before a user opens the page that needs them.

Why: the first time any user opens duplicated actions, plan quality or agencies after the app starts, that run
also imported scikit-learn and SciPy (2 to 6 s), read the lexicons, loaded the meaning model and built the
bank-holiday calendar: a newcomer's first open of those pages waited for work that no later open does. The
app runs `load_once` in the background after its first page is drawn (`paqa_dash/ui/warm.py`), so those
costs fall while the user reads the first page. Each step is something a page would do anyway, and each is
cached for the process by the module that owns it (`functools.lru_cache`), so this adds no second copy.
"""
from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Callable

log = logging.getLogger(__name__)


def _similarity() -> None:
    importlib.import_module("paqa_dash.text.similarity")  # the import is the cost (scikit-learn, SciPy)


def _lexicons() -> None:
    from paqa_dash.text import language, lexicons
    for load in (lexicons.smart_rules, lexicons.language_rules, lexicons.jargon, lexicons.strengths_rules,
                 lexicons.plain_acronyms, lexicons.theme_keywords):
        load()
    language.wording_kinds("warm")  # the rules as records, made once (language._records)


def _meaning_model() -> None:
    from paqa_dash.text import meaning
    meaning.model()


def _calendar() -> None:
    from paqa_dash.reference import calendar
    calendar.is_working_day(date.today())


STEPS: tuple[Callable[[], None], ...] = (_lexicons, _calendar, _meaning_model, _similarity)


def load_once() -> list[str]:
    """Run every step; a step that fails is logged and named in the result, never raised: the page that
    needs it will meet the same error and say it where the user sees it."""
    failed = []
    for step in STEPS:
        try:
            step()
        except Exception:  # noqa: BLE001 - a warm-up must never take the server down
            log.exception("warming up %s failed", step.__name__)
            failed.append(step.__name__)
    return failed
