"""In a real browser: pick the top child on the audit sample page, download its audit pack, open the
downloaded file offline and find every section; then print it to A4 PDF."""
from __future__ import annotations

import csv
import io

from support.browser import wait_for_app
from paqa_dash.report.pack import SECTIONS


def _top_child(page, base: str) -> str:
    """The first child of the ranked sample, from the page's own CSV (the grid is drawn on a canvas)."""
    page.goto(base + "/audit_sample")
    wait_for_app(page, 180000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the sample as CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert rows, "the demo store should have children in the audit's scope"
    # the CSV's headings are the table's, in words (ui/headings.py; the page names these two)
    assert int(rows[0]["Concerns"]) >= int(rows[-1]["Concerns"])
    return rows[0]["Child (pseudonym)"]


def test_download_pack_from_audit_sample_and_open_it_offline(app_server, browser, tmp_path):
    page = browser
    child = _top_child(page, app_server)

    box = page.locator("[data-testid='stMultiSelect']").filter(has_text="Children picked").locator("input")
    box.click()
    box.fill(child)
    page.get_by_role("option").filter(has_text=child).first.click()
    page.keyboard.press("Escape")
    wait_for_app(page, 180000)
    page.wait_for_function(f"() => location.search.includes('aud_pick={child}')", timeout=30000)
    button = page.get_by_role("button", name="Download audit pack")
    button.first.wait_for(timeout=60000)
    with page.expect_download(timeout=120000) as info:
        button.first.click()
    download = info.value
    assert download.suggested_filename.startswith(f"audit_pack_{child}") and download.suggested_filename.endswith(".html")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    # Open the pack with the network cut: it must not need anything from elsewhere.
    context = page.context.browser.new_context(viewport={"width": 1000, "height": 1400})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.set_offline(True)
    pack = context.new_page()
    pack.goto(saved.as_uri())
    headings = pack.locator("h2").all_inner_texts()
    assert headings == [h for _a, h, _q in SECTIONS]
    assert child in pack.locator("section#summary").inner_text()
    assert pack.locator("section#chronology svg.timeline").count() == 1
    assert pack.locator("section#findings .finding").count() == 10     # the 9 questions + sign-off
    assert [u for u in requests if not u.startswith("file:")] == []

    pdf = pack.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + \
        pdf.count(b"/Type/Page") >= len(SECTIONS)
    context.close()
