"""The mapping of event types to groups of concern (reference/concerns.py)."""
from __future__ import annotations

from paqa_dash.reference import concerns
from paqa_dash.reference.codes import EVENT_TYPES


def test_every_event_type_is_a_concern_a_decision_work_or_the_services_involvement():
    for event_type in EVENT_TYPES:
        group = concerns.group_of(event_type)
        assert (group in concerns.CONCERN_GROUPS) != (event_type in (*concerns.DECISION_TYPES, *concerns.WORK_TYPES,
                                                                     *concerns.SERVICE_TYPES))


def test_a_census_other_event_is_the_services_step_and_a_bundles_is_a_concern():
    """A CIN census writes its CIN plans, closures and pre-proceedings as OTHER events: not concerns."""
    assert concerns.group_of("OTHER", "CSC", "cin_xml") is None
    assert concerns.group_of("OTHER", "CSC", "bundle") == concerns.OTHER_GROUP
    assert concerns.group_of("CIN_END") is None and concerns.group_of("EARLY_HELP_START") is None


def test_the_agency_refines_the_group_and_an_unmapped_type_is_other():
    assert concerns.group_of("INCIDENT", "POLICE") == "police_callout"
    assert concerns.group_of("INCIDENT", "FAMILY") == "incident"
    assert concerns.group_of("MISSED_APPOINTMENT", "EDUCATION") == "missed_school"
    assert concerns.group_of("CONTACT") == "contact"
    assert concerns.group_of("SOME_NEW_ANNEX_A_LIST") == concerns.OTHER_GROUP
    assert concerns.group_of("PLAN_UPDATE") is None and concerns.group_of("ICPC") is None


def test_bands_and_rows():
    assert [concerns.concern_band(n) for n in (0, 1, 2, 4, 5, 9)] == ["none", "one", "few", "few", "many", "many"]
    kinds = {(t, a): (g, k) for t, a, g, k, _i, _n, _s in concerns.rows()}
    assert kinds[("INCIDENT", "POLICE")] == ("police_callout", "concern")
    assert kinds[("ICPC", "*")] == ("icpc", "decision")
    assert all(i for _t, _a, g, _k, i, _n, _s in concerns.rows() if g in concerns.IMPACT_GROUPS)
    # short of a referral: contacts, incidents, missed appointments, challenges; never a referral or an unnamed event
    short = {t for t, _a, _g, _k, _i, _n, s in concerns.rows() if s}
    assert {"CONTACT", "INCIDENT", "MISSED_APPOINTMENT", "CHALLENGE"} <= short
    assert not short & {"REFERRAL", "OTHER", "ICPC", "CORE_GROUP"}
