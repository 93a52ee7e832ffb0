"""The audit pack's "Restorative work and what followed each ending" (section 8) on the hand-worked chronology of
tests/metrics/test_works.py."""
from __future__ import annotations

from paqa_dash.report import pack

from metrics.test_works import AS_OF, chronology, con  # noqa: F401  (the fixtures)


def test_the_pack_says_what_each_ending_showed_and_what_followed(con):  # noqa: F811
    html = pack.build_pack(con, "c2", as_of=AS_OF)
    block = html[html.index("Restorative work and what followed each ending"):]
    assert "Work on the adult difficulty completed" in block
    assert "No other plan within 24 months" in block
    assert "absence of a record is not absence of the work" in block


def test_a_recent_ending_is_not_yet_known(con):  # noqa: F811
    html = pack.build_pack(con, "c3", as_of=AS_OF)
    block = html[html.index("Restorative work and what followed each ending"):]
    assert "Not yet known" in block and "No action completed" in block
