"""Write a synthetic CIN census XML file of N children, streaming to disk.

Why: the CIN reader must import a regional file of 100,000 children without holding the XML in
memory; this makes such a file (hundreds of MB) on demand so nothing big is committed.  Every
value is invented (ids `SYN0000001`, no names or UPNs), seeded so a run is repeatable.

    python tests/support/make_cin.py OUT.xml 100000 [--seed 1] [--reference-date 2024-03-31]
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

CATEGORIES = ("NEG", "NEG", "NEG", "NEG", "EMO", "EMO", "EMO", "PHY", "SAB", "MUL")
FACTORS = ("4B", "4B", "3A", "3B", "1B", "2B", "16A", "17A", "6B", "5B", "14A", "21")
ETHNICITIES = ("WBRI", "WOTH", "MWBC", "AIND", "BAFR", "CHNE", "OOTH", "NOBT")
REFERRAL_SOURCES = ("1A", "2A", "3A", "3B", "5D", "6", "8", "10")


def _d(day: date) -> str:
    return day.isoformat()


def _child_xml(rng: random.Random, n: int, ref: date, sex_element: str) -> str:
    """One <Child> block: a referral, an assessment with factors, sometimes a section 47 and
    a CP plan with reviews, sometimes a CIN plan; dates before the reference date."""
    birth = ref - timedelta(days=rng.randrange(200, 6500))
    sex = rng.choice(("1", "2") if sex_element == "GenderCurrent" else ("M", "F"))
    referral = ref - timedelta(days=rng.randrange(30, 900))
    assess = referral + timedelta(days=rng.randrange(0, 10))
    factors = rng.sample(FACTORS, rng.randrange(1, 4))
    out = [
        "<Child><ChildIdentifiers>",
        f"<LAchildID>SYN{n:07d}</LAchildID><UPNunknown>UN1</UPNunknown>",
        f"<PersonBirthDate>{_d(birth)}</PersonBirthDate><{sex_element}>{sex}</{sex_element}>",
        "</ChildIdentifiers><ChildCharacteristics>",
        f"<Ethnicity>{rng.choice(ETHNICITIES)}</Ethnicity>",
        f"<Disabilities><Disability>{'NONE' if rng.random() < 0.9 else 'LD'}</Disability></Disabilities>",
        "</ChildCharacteristics><CINdetails>",
        f"<CINreferralDate>{_d(referral)}</CINreferralDate>",
        f"<ReferralSource>{rng.choice(REFERRAL_SOURCES)}</ReferralSource>",
        "<PrimaryNeedCode>N1</PrimaryNeedCode>",
        f"<Assessments><AssessmentActualStartDate>{_d(assess)}</AssessmentActualStartDate>",
        f"<AssessmentAuthorisationDate>{_d(assess + timedelta(days=rng.randrange(5, 45)))}"
        "</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment>",
        *(f"<AssessmentFactors>{f}</AssessmentFactors>" for f in factors),
        "</FactorsIdentifiedAtAssessment></Assessments>",
    ]
    s47_done = rng.random() < 0.5
    if not s47_done and rng.random() < 0.5:
        out.append(f"<CINPlanDates><CINPlanStartDate>{_d(assess + timedelta(days=40))}"
                   "</CINPlanStartDate></CINPlanDates>")
    if s47_done:
        s47 = referral + timedelta(days=rng.randrange(0, 5))
        icpc = s47 + timedelta(days=rng.randrange(5, 20))
        out.append(f"<Section47><S47ActualStartDate>{_d(s47)}</S47ActualStartDate>"
                   f"<InitialCPCtarget>{_d(s47 + timedelta(days=15))}</InitialCPCtarget>"
                   f"<DateOfInitialCPC>{_d(icpc)}</DateOfInitialCPC>"
                   "<ICPCnotRequired>false</ICPCnotRequired></Section47>")
        out.append("<ReferralNFA>false</ReferralNFA>")
        if rng.random() < 0.8:
            end = icpc + timedelta(days=rng.randrange(40, 700))
            cat = rng.choice(CATEGORIES)
            out.append(f"<ChildProtectionPlans><CPPstartDate>{_d(icpc)}</CPPstartDate>")
            if end < ref:
                out.append(f"<CPPendDate>{_d(end)}</CPPendDate>")
            out.append(f"<InitialCategoryOfAbuse>{cat}</InitialCategoryOfAbuse>"
                       f"<LatestCategoryOfAbuse>{rng.choice((cat, cat, 'EMO'))}</LatestCategoryOfAbuse>"
                       f"<NumberOfPreviousCPP>{rng.choice((0, 0, 0, 1, 2))}</NumberOfPreviousCPP>")
            reviews, day = [], icpc + timedelta(days=90)
            while day < min(end, ref):
                reviews.append(f"<CPPreviewDate>{_d(day)}</CPPreviewDate>")
                day += timedelta(days=180)
            if reviews:
                out.append("<Reviews>" + "".join(reviews) + "</Reviews>")
            out.append("</ChildProtectionPlans>")
    else:
        out.append("<ReferralNFA>false</ReferralNFA>")
    out.append("</CINdetails></Child>\n")
    return "".join(out)


def write_census(path: Path, children: int, seed: int = 1, reference_date: str = "2024-03-31",
                 sex_element: str = "Sex") -> Path:
    """Write a census file of `children` synthetic children to `path`, one Child at a time."""
    rng = random.Random(seed)
    ref = date.fromisoformat(reference_date)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
                 f"<Collection>CIN</Collection><Year>{ref.year}</Year>"
                 f"<ReferenceDate>{reference_date}</ReferenceDate></CollectionDetails>"
                 "<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header>\n<Children>\n")
        for n in range(1, children + 1):
            fh.write(_child_xml(rng, n, ref, sex_element))
        fh.write("</Children>\n</Message>\n")
    return Path(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("children", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference-date", default="2024-03-31")
    args = parser.parse_args()
    write_census(args.out, args.children, args.seed, args.reference_date)


if __name__ == "__main__":
    main()
