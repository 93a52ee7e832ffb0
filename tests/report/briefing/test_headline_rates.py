"""The briefing's headline rates (slides, workbook) follow the dashboard's rule (docs/definitions.md, "Small
bases"): 1 repeat plan of 3,000 started is "under 0.1%", never "0.0%"; 2,999 of 3,000 "over 99.9%"."""
from __future__ import annotations

from paqa_dash.report.briefing import headline


def test_a_headline_rate_never_reads_0_or_100_percent_unless_none_or_all() -> None:
    assert headline.text(headline.RATE, 1 / 3000) == "under 0.1%"
    assert headline.text(headline.RATE, 2999 / 3000) == "over 99.9%"
    assert headline.text(headline.RATE, 0.0) == "0.0%" and headline.text(headline.RATE, 1.0) == "100.0%"
    assert headline.text(headline.RATE, 0.159) == "15.9%"
