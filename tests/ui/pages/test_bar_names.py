"""Long names beside horizontal bars are broken into lines, so the plot keeps its width at 800 px: on one line
"Statistical neighbours of Camden (2020-21)" took half the chart, and the axis title centred under the narrow plot
ran past the chart's right edge ("Repeat plans, % of plans startec"; a newcomer's screenshots of the Overview of an
Annex A return and of Challenge & written agreements)."""
from __future__ import annotations

from paqa_dash.figures.style import BAR_NAME_CHARS

from support.overview_data import HEADLINE, HELD, QUARTERLY
from support.pages import charts, open_page


def test_the_overview_s_comparators_are_named_on_short_lines(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview", {"region": "London", "la": "Camden"})
    bars = charts(at)[0]
    names = [n for t in bars["data"] if t.get("orientation") == "h" for n in t["y"]]
    assert any("Statistical neighbours of Camden" in n for n in names)      # the bars keep their names
    shown = bars["layout"]["yaxis"].get("ticktext") or names
    assert [t.replace("<br>", " ") for t in shown] == names
    assert max(len(line) for t in shown for line in t.split("<br>")) <= BAR_NAME_CHARS, shown
