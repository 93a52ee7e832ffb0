"""Typed confirmation of a dangerous action: the user types a given word, and must be an administrator.

Why typed, not a checkbox: replacing the demo, importing into a store that holds an authority's real data
and changing the pseudonym key cannot be undone from the app (a new key makes every earlier pseudonym,
audit note and shared link point at nobody), so the user has to read what will happen and type the word
it names; a habitual click is not enough.  Each confirmation is written to the access log.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from paqa_dash.scope import ADMIN
from paqa_dash.ui import access, access_trail


@dataclass(frozen=True)
class Danger:
    """What an action would do that cannot be undone (`reasons`, in words), and the word that confirms it."""

    reasons: tuple[str, ...]
    word: str

    @property
    def summary(self) -> str:
        return "; ".join(self.reasons)


def typed_word(danger: Danger | None, key: str) -> bool:
    """Draw the box for `danger`'s word (nothing when there is no danger); True when the action may go ahead:
    no danger, or the word typed exactly."""
    if danger is None:
        return True
    st.warning("**This cannot be undone.** " + " ".join(danger.reasons), icon=":material/warning:")
    typed = st.text_input(f"Type {danger.word} to confirm", key=key, placeholder=danger.word,
                          help="Exactly as shown, capitals included.")
    return typed.strip() == danger.word


def is_administrator() -> bool:
    return access.current_scope().can(ADMIN)


def refuse_unless_confirmed(danger: Danger | None, confirmed: bool, action: str) -> bool:
    """At the moment of acting: True when `action` may go ahead (an administrator, and the word typed if
    there is a danger); otherwise show why, log the refusal, and return False.  A confirmed danger is logged."""
    if not is_administrator():
        access_trail.log_refused(f"{action}: not an administrator")
        st.error(f"{action[:1].upper()}{action[1:]} needs an administrator.", icon=":material/lock:")
        return False
    if danger is None:
        return True
    if not confirmed:
        access_trail.log_refused(f"{action}: confirmation word not typed ({danger.summary})")
        st.error(f"Type {danger.word} in the box above to confirm; nothing was changed.", icon=":material/lock:")
        return False
    access_trail.log_confirm(f"{action}: {danger.summary}")
    return True
