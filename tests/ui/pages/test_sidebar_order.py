"""The sidebar's filters a service manager uses most, team and period, come first under the page list, with no
heading before them: with every page listed, a "Filters" heading and the two dates put the Team box below the fold
of a 1000 px high window (a newcomer's review; the screenshots are in the session's report).  The URL parameters
are bound as before (`?team=`, `?from=`, `?to=`)."""
from __future__ import annotations

from datetime import date

from support.overview_data import HEADLINE, HELD, QUARTERLY
from support.pages import open_page


def _sidebar_labels(at) -> list[str]:
    """The sidebar's elements in the order drawn: a widget by its label, a heading or text by its words."""
    out = []

    def walk(block) -> None:
        for child in getattr(block, "children", {}).values():
            label = getattr(child, "label", None)
            if label is not None and child.type != "expandable":
                out.append(str(label))
            elif child.type in ("heading", "markdown"):
                out.append(f"text:{child.value}")
            if child.type not in ("expandable",):
                walk(child)
    walk(at.sidebar)
    return out


def test_team_and_the_period_come_first_and_keep_their_url_parameters(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview", {"team": "North", "from": "2025-04-01", "to": "2025-06-30"})
    labels = _sidebar_labels(at)
    first = [x for x in labels if x in ("Team", "Period from", "Period to", "Initial category", "Plan number")]
    assert first == ["Team", "Period from", "Period to", "Initial category", "Plan number"], labels
    assert not any(x.startswith("text:") and "Filters" in x for x in labels[:labels.index("Team")]), labels
    assert next(w for w in at.sidebar.multiselect if w.label == "Team").value == ["North"]
    dates = {w.label: w.value for w in at.sidebar.date_input}
    assert dates["Period from"] == date(2025, 4, 1) and dates["Period to"] == date(2025, 6, 30)


# A store of several authorities (the teams each uses), as the regional page tests give it.
SEVERAL = {"authorities": ["202", "203", "841"], "teams": ["East", "North", "South"],
           "team_authorities": {"202": ["North"], "203": ["South"], "841": ["East"]}}


def test_in_a_store_of_several_authorities_team_and_the_period_still_come_first(fake_metrics) -> None:
    """Region and Authority above Team put both dates below the fold of an 800 x 1000 window (a review's
    screenshot): they come after the period, and the teams offered still follow the authority chosen."""
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD}, SEVERAL)
    at = open_page("overview", {"authority": "203", "team": "South", "from": "2025-04-01", "to": "2025-06-30"})
    labels = _sidebar_labels(at)
    first = [x for x in labels if x in ("Team", "Period from", "Period to", "Region", "Authority", "Initial category")]
    assert first == ["Team", "Period from", "Period to", "Region", "Authority", "Initial category"], labels
    team = next(w for w in at.sidebar.multiselect if w.label == "Team")
    assert team.options == ["South"] and team.value == ["South"]     # Greenwich's one team, kept from the URL
    assert next(w for w in at.sidebar.multiselect if w.label == "Authority").value == ["203"]
    dates = {w.label: w.value for w in at.sidebar.date_input}
    assert dates["Period from"] == date(2025, 4, 1) and dates["Period to"] == date(2025, 6, 30)
