"""The Definitions page renders docs/definitions.md with every section the captions link to, and the
anchors the captions use are the ones Streamlit makes from those headings."""
from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from paqa_dash.ui import anchors, components

from support.paths import ROOT
PAGE = "paqa_dash/ui/pages/definitions.py"

# The sections of docs/definitions.md (heading -> anchor), as the brief of the redesign fixes them.
SECTIONS = {
    "Which page answers which audit question": "which-page-answers-which-audit-question",
    "Glossary": "glossary",
    "Plans, repeat plans and gaps": "plans-repeat-plans-and-gaps",
    "Duration bands": "duration-bands",
    "Ending reasons, premature endings and endings at risk": "ending-reasons-premature-endings-and-endings-at-risk",
    "Duplicated actions": "duplicated-actions",
    "Timeliness of core groups and reviews": "timeliness-of-core-groups-and-reviews",
    "Agency engagement and challenge": "agency-engagement-and-challenge",
    "Re-planned within N months: two figures": "re-planned-within-n-months-two-figures",
    "Household change": "household-change",
    "Household change after a first plan": "household-change-after-a-first-plan",
    "Plan quality": "plan-quality",
    "The audit sample": "the-audit-sample",
    "Filters, periods and the as-of date": "filters-periods-and-the-as-of-date",
    "Adult factors": "adult-factors",
    "Data not recorded": "data-not-recorded",
    "Small numbers": "small-numbers",
    "Small bases": "small-bases",
    "Between plans": "between-plans",
    "Plan refresh": "plan-refresh",
    "Challenge and escalation: what and what followed": "challenge-and-escalation-what-and-what-followed",
    "Impact of duplication": "impact-of-duplication",
    "Written agreements": "written-agreements",
    "Restorative practice": "restorative-practice",
    "First-order and underlying change": "first-order-and-underlying-change",
    "What works: sustained endings": "what-works-sustained-endings",
    "Audit judgements": "audit-judgements",
    "Strengths-based and trauma-informed wording": "strengths-based-and-trauma-informed-wording",
    "Regional view": "regional-view",
}


def heading_anchor(heading: str) -> str:
    """The anchor Streamlit gives a markdown heading: lower case, runs of other characters -> one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def test_definitions_page_renders_every_section(empty_store, use_store):
    use_store(empty_store)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    lines = {line.strip() for m in at.markdown for line in m.value.splitlines()}
    missing = [h for h in SECTIONS if f"## {h}" not in lines]
    assert not missing, missing


def test_caption_anchors_are_the_headings_anchors():
    assert {heading_anchor(h) for h in SECTIONS} == set(SECTIONS.values())
    constants = {v for k, v in vars(anchors).items() if k.isupper() and k != "URL_PATH"}
    assert constants == set(SECTIONS.values())


def test_definition_link_points_at_the_page_section():
    assert components.definition_link(anchors.DURATION_BANDS) == "[definition](/definitions#duration-bands)"
    assert components.definition_link(anchors.ADULT_FACTORS, "adult factors") == \
        "[adult factors](/definitions#adult-factors)"


def test_links_to_other_documents_name_the_file_instead() -> None:
    from paqa_dash.ui.pages.definitions import for_the_app

    text = "See the [data contract](data_contract.md#assessment-factors) and [here](https://example.org/a.md)."
    assert for_the_app(text) == ("See the data contract (`docs/data_contract.md`) and "
                                 "[here](https://example.org/a.md).")
