"""One team, one name: team names that differ only in case or in runs of spaces are the same team.

Why: the team filter lists the stored names, and a workbook typed by several people holds `Locality 4 Unit 1`
and `locality 4 unit 1` for one team; stored as given they are two teams, each with part of its plans.  The
import trims every value (validate.clean_values); right after, in the same check (validate.check_values), each
team name's runs of spaces become one space and every spelling of a team is stored as one: the spelling already
in the store, else the one most of the import's plans use (a tie: the first seen), with a warning naming the
file and the spellings merged.  `Spellings` is kept for a whole import, so every batch of a large import
stores a team under the spelling its first batch chose.
"""
from __future__ import annotations

import pandas as pd

from ..reference.words import counted
from .frames import Issue


def team_key(name: str) -> str:
    """What makes two team names the same team: their words, whatever the case and spacing."""
    return one_space(name).casefold()


def one_space(name: str) -> str:
    """A team name with each run of spaces (tabs, non-breaking spaces) as one space."""
    return " ".join(name.split())


class Spellings:
    """Team key -> the spelling stored for it, for one import: the store's at the start, then each new team's
    as its first batch chose it."""

    def __init__(self, stored: pd.DataFrame | None = None) -> None:
        """`stored`: the store's team names with their plan counts (`team`, `plans`); a team stored under two
        spellings by an older import keeps the one most plans use."""
        self.chosen: dict[str, str] = {}
        self.stored: set[str] = set()
        if stored is not None and not stored.empty:
            for team in stored.sort_values("plans", ascending=False, kind="stable")["team"]:
                key = team_key(str(team))
                if key not in self.chosen:
                    self.chosen[key] = str(team)
                    self.stored.add(key)

    def settle(self, plans: pd.DataFrame) -> tuple[pd.Series, list[tuple[int, str]]]:
        """The plans' `team` column (trimmed) with one spelling per team, and for each team met under more
        than one spelling (label of its first row written otherwise, the warning's reason)."""
        teams = plans["team"].map(one_space, na_action="ignore")
        named = teams.dropna()
        if named.empty:
            return teams, []
        counts = named.value_counts(sort=False)
        order = pd.unique(named)  # first seen first
        keys = pd.Series([team_key(t) for t in order], index=order)
        notes: list[tuple[int, str]] = []
        replace: dict[str, str] = {}
        for key, spellings in keys.groupby(keys, sort=False):
            names = list(spellings.index)
            if key in self.stored:
                why = "the spelling already in the store"
            elif key in self.chosen:
                why = "the spelling an earlier batch of this import stored"
            else:
                self.chosen[key] = max(names, key=lambda n: counts[n])  # max keeps the first of a tie
                why = "the spelling most of its plans use" + (" (the first seen of a tie)" if sum(
                    counts[n] == counts[self.chosen[key]] for n in names) > 1 else "")
            chosen = self.chosen[key]
            others = [n for n in names if n != chosen]
            if not others:
                continue
            replace.update({n: chosen for n in others})
            first = teams.index[teams.isin(others)][0]
            notes.append((first, _reason(chosen, others, counts, why)))
        return (teams.map(lambda t: replace.get(t, t), na_action="ignore") if replace else teams), notes


def _reason(chosen: str, others: list[str], counts: pd.Series, why: str) -> str:
    merged = ", ".join(f"'{n}' ({counted(int(counts[n]), 'plan')})" for n in others)
    own = "" if chosen not in counts else f" ({counted(int(counts[chosen]), 'plan')})"
    return (f"team names that differ only in case or spacing are one team: {merged} stored as '{chosen}'"
            f"{own}, {why}")


def team_warnings(plans: pd.DataFrame, notes: list[tuple[int, str]], prints: pd.Series) -> list[Issue]:
    """The notes of `Spellings.settle` as warnings naming the file and row of the first plan written otherwise."""
    out = []
    for label, reason in notes:
        row = plans.loc[label]
        out.append(Issue("plans", str(row["_source"]), None if pd.isna(row["_row"]) else int(row["_row"]),
                         "team", reason, prints.get(label)))
    return out
