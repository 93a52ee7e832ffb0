"""A caption's filter words are shown as typed: team names come from the data."""
from __future__ import annotations

from paqa_dash.filters import Filters
from paqa_dash.ui import state


def test_a_team_name_with_markdown_is_shown_as_typed():
    words = state.described(Filters(teams=("North ![x](http://example.org/p.png)",)))
    assert "\\!\\[x\\]" in words and "![x](" not in words
    assert state.described(Filters(teams=("North",))).replace("\\", "").startswith("teams: North")
