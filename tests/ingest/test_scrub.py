"""Free-text scrubbing: every written form of an identifier is tagged, the demo's plans keep every word,
and no pattern slows down on hostile input (timings are in `python -m paqa_dash.benchmark.scrub`)."""
from __future__ import annotations

from datetime import date

import pytest

from paqa_dash.ingest import scrub as s
from paqa_dash.synth.texts import action_bank, change_bank, event_bank

KNOWN = s.Known.of(names=["Smithson, Kayleigh"], record_ids=["LA-000123", "ACT-55"], birth_dates=[date(2015, 3, 27)])


@pytest.mark.parametrize("text, tag", [
    ("07700 900123", "[phone]"), ("07700900123", "[phone]"), ("(0113) 496 0000", "[phone]"),
    ("0113-496-0000", "[phone]"), ("+44 7700 900123", "[phone]"), ("0044 7700 900123", "[phone]"),
    ("+44 (0)20 7946 0000", "[phone]"), ("020 7946 0000", "[phone]"), ("07700.900.123", "[phone]"),
    ("jo.bloggs@example.co.uk", "[email]"), ("LS1 4AB", "[postcode]"), ("ls14ab", "[postcode]"),
    ("m1  1ae", "[postcode]"), ("943 476 5919", "[NHS number]"), ("9434765870", "[NHS number]"),
    ("1234567890", "[number]"), ("A123456789123", "[UPN]"), ("QQ 12 34 56 C", "[NI number]"),
    ("DOB 01/02/2016", "DOB [date of birth]"), ("born 1st February 2016", "born [date of birth]"),
    ("d.o.b. 2016-02-01", "d.o.b. [date of birth]"), ("dob: 01022016", "dob: [date of birth]"),
    ("seen 27.03.15", "seen [date of birth]"), ("on March 27, 2015", "on [date of birth]"),
    ("12 Acacia Avenue", "[address]"), ("12 acacia avenue", "[address]"), ("lives on Acacia Avenue", "lives on [address]"),
    ("LA-000123", "[record id]"), ("ACT-55", "[record id]"), ("CPP-2020-9", "[record id]"),
    ("Mum Sarah Jones", "Mum [name]"), ("mum sarah jones", "mum [name]"), ("Kayleigh's school", "[name]'s school"),
    ("Mr Okonkwo", "Mr [name]"), ("SMITHSON", "[name]"),
    # surnames Faker keeps under other list names (pl_PL's male and unisex lists, tw_GH's), the feminine and
    # unaccented forms case notes use, and common names in England no locale lists in the Latin alphabet
    ("with Kowalski present", "with [name] present"), ("with Kowalska present", "with [name] present"),
    ("with Wisniewski present", "with [name] present"), ("with Nowak present", "with [name] present"),
    ("neighbour Muhammad called", "neighbour [name] called"), ("with Mensah and Owusu", "with [name] and [name]"),
    ("Uddin was at school", "[name] was at school"),
])
def test_every_written_form_is_tagged(text: str, tag: str) -> None:
    assert s.scrub(text, KNOWN) == tag


def test_the_demo_texts_keep_every_word() -> None:
    texts = [*action_bank().texts, *event_bank().texts, *change_bank().texts]
    assert len(texts) > 200
    changed = {t: s.scrub(t, KNOWN) for t in texts if s.scrub(t, KNOWN) != t}
    assert changed == {}


@pytest.mark.parametrize("text", [
    "Will attend weekly", "We hope Mum will keep going", "Grace and Hope from the church group",
    "The social worker will visit", "Mum has 2 very close friends and a 3 bed house", "Meeting on 12/03/2024 at 10:30",
    "Locality 4 Unit 1", "Mum to see the GP in May", "Dad will take Sky to nursery",
])
def test_practice_words_stay(text: str) -> None:
    assert s.scrub(text, s.Known.of(names=["Priya Worker", "Will Hope"])) == text


def test_a_name_columns_words_go_only_where_they_are_names() -> None:
    known = s.Known.of(names=["Priya Worker"])
    assert s.scrub("Priya Worker to visit; the worker will", known) == "[name] to visit; the worker will"


def test_shapes_never_quote() -> None:
    assert s.value_shape("Jones") == "text of 5 characters"
    assert s.value_shape("07700900123") == "a 11-digit number"


def test_unknown_codes_are_quoted_only_with_a_codes_shape() -> None:
    assert [s.code_shown(v) for v in ("RB", "X", "4B", "21Z", "9")] == ["'RB'", "'X'", "'4B'", "'21Z'", "'9'"]
    # a name or a number in a code column keeps only its shape, a surname in capitals too
    assert [s.code_shown(v) for v in ("Jones", "Lee", "LEE", "KHAN", "07700900123", "Sarah Jones")] == [
        "(text of 5 characters)", "(text of 3 characters)", "(text of 3 characters)", "(text of 4 characters)",
        "(a 11-digit number)", "(text of 11 characters)"]


def test_nhs_checksum() -> None:
    assert s.nhs_number_valid("9434765919") and not s.nhs_number_valid("9434765918")


@pytest.mark.parametrize("unit", ["a", "a.", "1", "a@", "0 ", "A1-", "x@y.", "12 ", "Sarah ", "+44", "(0",
                                  "1/", "Flat 1 ", "12 a ", "Mum "])
def test_hostile_input_finishes(unit: str) -> None:
    """200 kB of one repeated unit: a pattern with a quadratic case would take minutes here, not milliseconds."""
    text = unit * (200_000 // len(unit))
    assert isinstance(s.scrub(text, KNOWN), str)


def test_a_memo_gives_what_scrub_alone_gives() -> None:
    """scrub_all remembers the pure steps (token shapes, parsed dates, where the names are in a text with its
    digits as 0): every text comes out as `scrub` gives it, names and known ids among digits included."""
    known = s.Known.of(names=["Smithson, Kayleigh", "Priya Worker", "Will Hope"], record_ids=["LA-000123", "201C0004"],
                       birth_dates=[date(2015, 3, 27), date(2016, 7, 1)])
    texts = [*action_bank().texts[:200], *event_bank().texts[:200],
             "authorised 2016-07-01; factors 16A 3A", "authorised 2016-07-24; factors 16A 3A", "Kayleigh1 Smithson2",
             "Mum 3Sarah Jones 4", "seen 27.03.15 by Priya Worker", "seen 27.03.16 by Priya  Worker", "LA-000123 and 201c0004",
             "Will Hope 12 Acacia Avenue", "1Will 2Hope", "call 07700 900123", "Kayleigh's 9 dogs", "Mr9 Okonkwo",
             "d.o.b. 2016-07-01", "2016-07-01 10:30"]
    assert s.scrub_all(texts * 2, known) == [s.scrub(t, known) for t in texts * 2]
    assert any(s.scrub(t, known) != t for t in texts)   # the corpus has texts the scrub changes


@pytest.mark.parametrize("name, kept", [
    ("CIN Kayleigh Smithson 9434765919.xml", "CIN [name] [NHS number].xml"),
    ("CIN_Kayleigh_Smithson_LS1_4AB.xml", "CIN [name] [postcode].xml"),
    ("export 07700900123.csv", "export [phone].csv"),
    # a file's own ids and dates are how a user finds it: kept exactly, as is a number without an NHS check digit
    ("CIN_Census_2023.xml", "CIN_Census_2023.xml"), ("cin_209_2026.xml", "cin_209_2026.xml"),
    ("SSD_CP_Plans_2024.csv", "SSD_CP_Plans_2024.csv"), ("cin census 20240331.xml", "cin census 20240331.xml"),
    ("children_9434765918.csv", "children_9434765918.csv"), ("bundle.xlsx:plans", "bundle.xlsx:plans"),
    ("Annex_A_2023-24_final_v3.xlsx", "Annex_A_2023-24_final_v3.xlsx"), ("CIN_2024_Hope_House.xml", "CIN_2024_Hope_House.xml"),
])
def test_a_file_name_loses_a_person_s_identifiers_only(name: str, kept: str) -> None:
    assert s.file_name(name) == kept


def test_no_name_in_a_file_s_name_reaches_the_store_or_the_access_log(tmp_path, monkeypatch) -> None:
    """The file's name is kept with its run, its rejects and warnings, and in the access log's line."""
    import duckdb

    from paqa_dash import access_log, cli
    from support.paths import FIXTURES

    monkeypatch.delenv("PAQA_ACCESS_LOG", raising=False)
    named = tmp_path / "CIN Kayleigh Smithson 9434765919.xml"
    named.write_bytes((FIXTURES / "cin" / "messy.xml").read_bytes())   # a file with rejects and warnings
    db = tmp_path / "s.duckdb"
    assert cli.main(["import", "--db", str(db), str(named)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        kept = {t: [r[0] for r in con.execute(f"SELECT DISTINCT source FROM {t}").fetchall()]
                for t in ("import_runs", "rejects", "warnings")}
    finally:
        con.close()
    assert kept["rejects"] and kept["warnings"], kept
    assert all(v == ["CIN [name] [NHS number].xml"] for v in kept.values()), kept
    line = access_log.read(path=tmp_path / "s.duckdb.access.jsonl").records[0].detail
    assert line.startswith("CIN [name] [NHS number].xml: ") and "Kayleigh" not in line and "9434765919" not in line


@pytest.mark.parametrize("title, kept", [
    ("List 7", True), ("List 7 (2024)", True), ("List 7 - CP 2024", True), ("List 7 old copy", True),
    ("Children in Need", True), ("List 9 Care Leavers", True),
    ("List 8 - Smith family", False), ("List 7 Pemberton", False), ("List 8 Green", False),
    ("List 7 07700 900123", False), ("Kayleigh", False),
])
def test_a_sheet_title_is_kept_only_when_no_word_of_it_may_name_a_person(title, kept):
    from paqa_dash.ingest.annex_a import _SHEET_WORDS

    assert s.sheet_title(title, _SHEET_WORDS) == (title if kept else None)
