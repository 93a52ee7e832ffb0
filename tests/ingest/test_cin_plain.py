"""The census reader's two ways of reading a <Child>: the plain way (`_ChildReader._read_plain`, the shape nearly every
Child of a real return has) must give exactly what the general way (`_read_general`) gives for it, and leave every
other Child to the general way.  Why a test: the plain way was written for speed beside the general one, so a rule
changed in one and not the other would change rows, ids or warnings without any other test noticing."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash.ingest import cin_xml
from paqa_dash.ingest.frames import Extract
from support.make_cin import write_census
from support.paths import FIXTURES, cin_samples

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year>
<ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header><Children>
"""

# Plain Children (pretty-printed, so every element has its own line) with every cross-item warning, both dates
# of birth and both sex elements, events numbered '#2' (two assessments of one day) and one event given twice (the
# same id), leaves given twice (the first is read), ICPC dates under CINdetails and Section47 (one day twice), UK,
# invalid and blank dates, blank codes.
_PLAIN = """<Child>
 <ChildIdentifiers>
  <LAchildID> P1 </LAchildID>
  <ExpectedPersonBirthDate>2021-06-01</ExpectedPersonBirthDate>
  <GenderCurrent>2</GenderCurrent>
 </ChildIdentifiers>
 <ChildCharacteristics>
  <Ethnicity>WBRI</Ethnicity>
  <Disabilities><Disability>NONE</Disability><Disability> </Disability><Disability>LD</Disability></Disabilities>
 </ChildCharacteristics>
 <ChildCharacteristics><Ethnicity>WOTH</Ethnicity></ChildCharacteristics>
 <CINdetails>
  <CINreferralDate>2021-10-01</CINreferralDate>
  <ReferralSource>1A</ReferralSource>
  <PrimaryNeedCode>N1</PrimaryNeedCode>
  <ReferralNFA>Yes</ReferralNFA>
  <DateOfInitialCPC>2021-10-20</DateOfInitialCPC>
  <Assessments>
   <AssessmentActualStartDate>2021-09-01</AssessmentActualStartDate>
   <AssessmentAuthorisationDate>2021-08-01</AssessmentAuthorisationDate>
   <AssessmentAuthorisationDate>2021-10-01</AssessmentAuthorisationDate>
   <FactorsIdentifiedAtAssessment><AssessmentFactors>4B</AssessmentFactors>
    <AssessmentFactors>4B</AssessmentFactors><AssessmentFactors/><AssessmentFactors>2B</AssessmentFactors>
   </FactorsIdentifiedAtAssessment>
   <FactorsIdentifiedAtAssessment><AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment>
  </Assessments>
  <Assessments><AssessmentActualStartDate>2021-09-01</AssessmentActualStartDate></Assessments>
  <Assessments><AssessmentActualStartDate>2021-09-01</AssessmentActualStartDate></Assessments>
  <Section47>
   <S47ActualStartDate>2021-09-15</S47ActualStartDate>
   <S47ActualStartDate>2021-10-15</S47ActualStartDate>
   <InitialCPCtarget>2021-10-01</InitialCPCtarget>
   <ICPCnotRequired>true</ICPCnotRequired>
   <DateOfInitialCPC>2021-10-20</DateOfInitialCPC>
   <DateOfInitialCPC>20/11/2021</DateOfInitialCPC>
  </Section47>
  <Section47><InitialCPCtarget>2021-12-01</InitialCPCtarget></Section47>
  <CINPlanDates><CINPlanStartDate>2021-11-01</CINPlanStartDate>
   <CINPlanEndDate>2022-02-30</CINPlanEndDate></CINPlanDates>
  <CINPlanDates><CINPlanEndDate>2022-05-01</CINPlanEndDate><CINPlanEndDate>2022-05-03</CINPlanEndDate></CINPlanDates>
  <ChildProtectionPlans>
   <CPPstartDate>2021-09-20</CPPstartDate>
   <CPPendDate>2022-03-01</CPPendDate>
   <CPPendDate>2022-01-01</CPPendDate>
   <InitialCategoryOfAbuse> NEG </InitialCategoryOfAbuse>
   <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
   <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
   <Reviews><CPPreviewDate>2021-12-01</CPPreviewDate><CPPreviewDate/><CPPreviewDate>2022-04-01</CPPreviewDate>
    <CPPreviewDate>2021-12-01</CPPreviewDate></Reviews>
   <Reviews><CPPreviewDate>2021-01-01</CPPreviewDate></Reviews>
  </ChildProtectionPlans>
  <ChildProtectionPlans><CPPstartDate>20/11/2021</CPPstartDate><InitialCategoryOfAbuse>PHY</InitialCategoryOfAbuse>
  </ChildProtectionPlans>
  <CINclosureDate>2022-06-01</CINclosureDate>
  <ReasonForClosure>RC1</ReasonForClosure>
 </CINdetails>
 <CINdetails><CINreferralDate>2022-07-01</CINreferralDate><ReferralNFA>false</ReferralNFA>
  <CINclosureDate>2022-08-01</CINclosureDate></CINdetails>
</Child>
<Child><ChildIdentifiers><LAchildID>P2</LAchildID><PersonBirthDate>2019-02-01</PersonBirthDate><Sex>M</Sex><Sex>F</Sex>
</ChildIdentifiers><ChildCharacteristics><Disabilities/></ChildCharacteristics><CINdetails/></Child>
<Child><ChildIdentifiers><LAchildID>P3</LAchildID><UPN>A123</UPN></ChildIdentifiers></Child>
<Child><ChildIdentifiers><LAchildID>P4</LAchildID></ChildIdentifiers><CINdetails>
<ReferralSource>A&amp;B</ReferralSource>
<CINreferralDate>2023-01-01</CINreferralDate>
<CINreferralDate>2023-02-01</CINreferralDate>
<ChildProtectionPlans><CPPstartDate>2023-01-05</CPPstartDate><Reviews/></ChildProtectionPlans></CINdetails></Child>
"""
# Children the plain way leaves to the general way (each once): an element of no block, a misspelt one, one in a
# namespace, a pre-proceedings block, no LAchildID, a plan without CPPstartDate, <ChildIdentifiers> twice, a known
# element in another block.
_GENERAL = """<Child><ChildIdentifiers><LAchildID>G1</LAchildID><Nickname>x</Nickname></ChildIdentifiers></Child>
<Child><ChildIdentifiers><LAchildID>G2</LAchildID></ChildIdentifiers><CINdetails>
<ChildProtectionPlans><CPPstartDate>2023-01-05</CPPstartDate><CPPEndDate>2023-02-01</CPPEndDate></ChildProtectionPlans>
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G3</LAchildID><x:Sex xmlns:x="urn:x">F</x:Sex></ChildIdentifiers></Child>
<Child><ChildIdentifiers><LAchildID>G4</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2023-01-01
</CINreferralDate><PreProceedingsandFGDM><PreProceedingsStartDate>2023-02-01</PreProceedingsStartDate>
<FGDMcode>F1</FGDMcode></PreProceedingsandFGDM></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID> </LAchildID></ChildIdentifiers><CINdetails/></Child>
<Child><ChildIdentifiers><LAchildID>G6</LAchildID></ChildIdentifiers><CINdetails><ChildProtectionPlans>
<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><Reviews><CPPreviewDate>2023-03-01</CPPreviewDate></Reviews>
</ChildProtectionPlans></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G7</LAchildID><Sex>F</Sex></ChildIdentifiers>
<ChildIdentifiers><LAchildID>G7</LAchildID><PersonBirthDate>2020-01-01</PersonBirthDate></ChildIdentifiers></Child>
<Child><ChildIdentifiers><LAchildID>G8</LAchildID></ChildIdentifiers><CINdetails><CPPstartDate>2023-01-05</CPPstartDate>
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G9</LAchildID></ChildIdentifiers><CINdetails><ChildProtectionPlans>
<CPPstartDate>2023-01-05</CPPstartDate><Reviews><ReviewDate>2023-03-01</ReviewDate></Reviews></ChildProtectionPlans>
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G10</LAchildID></ChildIdentifiers><ChildCharacteristics><Disabilities>
<Disability>LD</Disability><Disabled>Y</Disabled></Disabilities></ChildCharacteristics></Child>
<Child><ChildIdentifiers><LAchildID>G11</LAchildID></ChildIdentifiers><ChildCharacteristics><Religion>x</Religion>
</ChildCharacteristics></Child>
<Child><ChildIdentifiers><LAchildID>G12</LAchildID></ChildIdentifiers><CINdetails><Assessments>
<FactorsIdentifiedAtAssessment><AssessmentFactor>4B</AssessmentFactor></FactorsIdentifiedAtAssessment></Assessments>
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G13</LAchildID></ChildIdentifiers><CINdetails><Assessments><Factors>4B</Factors>
</Assessments></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G14</LAchildID></ChildIdentifiers><CINdetails><Section47><ICPCDate>2023-01-01
</ICPCDate></Section47></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G15</LAchildID></ChildIdentifiers><CINdetails><CINPlanDates>
<CINPlanStart>2023-01-01</CINPlanStart></CINPlanDates></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>G16</LAchildID></ChildIdentifiers><Notes>x</Notes></Child>
"""


def _read_both(path: Path) -> tuple[int, int]:
    """Read every Child of `path` both ways (as `read` does, and by the general way alone) and check they agree
    in rows, warnings, rejects and unrecognised elements; (plain Children, all Children)."""
    readers = {}
    for way in ("read", "_read_general"):
        extract = Extract(kind=cin_xml.KIND, files=[path])
        readers[way] = cin_xml._ChildReader(path.name, cin_xml._Rows(), extract, cin_xml._Unrecognised(path.name))
    plain = children = 0
    for child in cin_xml.iter_children(path):
        children += 1
        probe = cin_xml._ChildReader(path.name, cin_xml._Rows(), Extract(kind=cin_xml.KIND, files=[path]),
                                     cin_xml._Unrecognised(path.name))
        plain += probe._read_plain(child)
        for way, reader in readers.items():
            getattr(reader, way)(child)
    fast, general = readers["read"], readers["_read_general"]
    assert fast.rows.rows == general.rows.rows
    assert fast.extract.warnings == general.extract.warnings
    assert fast.extract.rejects == general.extract.rejects
    assert fast.unrecognised.warnings() == general.unrecognised.warnings()
    return plain, children


def test_plain_children_read_as_the_general_way_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "plain.xml"
    path.write_text(_HEAD + _PLAIN + "</Children></Message>\n", encoding="utf-8")
    assert _read_both(path) == (4, 4)
    extract = cin_xml.read([path])  # the cases the plain way must meet are there
    reasons = " | ".join(w.reason for w in extract.warnings)
    for said in ("CP plan starts", "outside its CP plan", "empty CPPreviewDate", "section 47 starts",
                 "assessment starts", "assessment authorised", "open beside the CP plan"):
        assert said in reasons
    assert extract.tables["events"]["event_id"].str.endswith("#2").any()


def test_other_children_are_left_to_the_general_way(tmp_path: Path) -> None:
    path = tmp_path / "general.xml"
    path.write_text(_HEAD + _GENERAL + _PLAIN + "</Children></Message>\n", encoding="utf-8")
    assert _read_both(path) == (4, 20)


@pytest.mark.parametrize("path", [*sorted((FIXTURES / "cin").glob("authority_*.xml")), FIXTURES / "cin" / "messy.xml",
                                  *cin_samples()], ids=lambda p: p.name)
def test_census_fixtures_read_the_same_both_ways(path: Path) -> None:
    plain, children = _read_both(path)
    assert children


def test_a_generated_census_is_read_the_plain_way(tmp_path: Path) -> None:
    path = write_census(tmp_path / "generated.xml", 300, seed=7)
    assert _read_both(path) == (300, 300)
