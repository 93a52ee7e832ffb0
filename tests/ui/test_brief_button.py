"""The sidebar's briefing button: offered on every page to a role that sees aggregates, named for the page's
sections and the format chosen; the file itself is built by report/briefing (tests/report/briefing)."""
from __future__ import annotations

from paqa_dash.ui import brief_button
from tests.support.pages import open_page


def _briefing_buttons(at) -> list:
    return [b for b in at.get("download_button") if b.proto.label.startswith("Download briefing_")]


def test_the_sidebar_offers_this_pages_briefing_in_the_format_chosen(demo_store, use_store):
    use_store(demo_store)
    at = open_page("repeat_plans")
    assert _briefing_buttons(at) == []            # nothing is built until asked
    radios = {r.key: r for r in at.sidebar.radio}
    assert radios["brief_format"].value == "pptx" and radios["brief_scope"].value == "page"
    radios["brief_format"].set_value("xlsx").run()
    at.sidebar.button(key="brief_prepare").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    button = _briefing_buttons(at)[0].proto
    assert button.label.startswith("Download briefing_repeat_plans_") and button.label.endswith(".xlsx")
    assert button.deferred_file_id and button.ignore_rerun   # the file is logged when taken (access_trail.logged)
    radios = {r.key: r for r in at.sidebar.radio}
    radios["brief_format"].set_value("pdf").run()
    assert _briefing_buttons(at) == []            # an xlsx is never offered as the pdf asked for


def test_page_sections_and_the_partnership_preset_are_listed_once():
    from paqa_dash.report.briefing import presets
    assert presets.for_page("endings") == ("endings",)
    assert presets.for_page("child_timeline") == ("overview",)
    assert "what_works" in presets.PRESETS["partnership"]
    assert set(brief_button.SCOPE_LABELS) == {"page", "partnership"}


def test_a_page_without_a_briefing_of_its_own_says_the_overview_is_what_it_gives(demo_store, use_store):
    """On the Regional view "This page" downloaded the Overview's briefing without a word."""
    use_store(demo_store)
    options = {page: [r for r in open_page(page).sidebar.radio if r.key == "brief_scope"][0].options
               for page in ("endings", "regional")}
    assert "This page" in options["endings"]
    assert brief_button.NOT_OWN_LABEL in options["regional"] and "This page" not in options["regional"]


def test_a_briefing_prepared_as_of_a_date_after_the_data_says_so_as_the_page_does(demo_store, use_store):
    """The page brings an as-of date after the data date back to it and says so (state.past_data_note); the file its
    button prepared showed only the date used.  Its front now carries the page's note, read back from the workbook."""
    import io

    import openpyxl

    use_store(demo_store)
    at = open_page("repeat_plans", {"as_of": "2030-12-31"})
    page_note = next(w.value for w in at.warning if "is after the last date" in w.value)
    {r.key: r for r in at.sidebar.radio}["brief_format"].set_value("xlsx").run()
    at.sidebar.button(key="brief_prepare").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    content = at.session_state[brief_button.READY_KEY][2]
    about = {r[0]: r[1] for r in openpyxl.load_workbook(io.BytesIO(content))["About"].iter_rows(values_only=True)
             if r[0] and r[1]}
    assert about["Note"] == page_note, (about.get("Note"), page_note)
