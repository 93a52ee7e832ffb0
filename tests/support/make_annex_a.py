"""Write small Annex A workbooks for tests (into tmp_path; nothing binary is committed).

Why: authorities' Annex A workbooks differ in sheet names, header spellings and labelled
codes; each test builds exactly the variant it checks.  Every value is invented.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

LIST7_HEADERS = [
    "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
    "Child Protection Plan Start Date", "Initial Category of Abuse", "Latest Category of Abuse",
    "Date of the Last Statutory Visit", "Was the Child Seen Alone?", "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans", "Allocated Team", "Allocated Worker",
]
LIST5_HEADERS = [
    "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months", "Number of ICPCs in the last 12 months",
    "Allocated Team", "Allocated Worker",
]
LIST3_HEADERS = [
    "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Referral", "Referral Source",
    "Referral NFA?", "Number of Referrals in Last 12 Months", "Allocated Team", "Allocated Worker",
]
LIST10_HEADERS = ["Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth"]


def d(text: str) -> datetime:
    """An xlsx date cell from an ISO string."""
    return datetime.fromisoformat(text)


def list7_row(child: object, start: str, *, gender: str = "b) Female", ethnicity: str = "a) WBRI",
              dob: str = "2015-01-01", initial: str = "Neglect", latest: str | None = None,
              visit: str | None = None, alone: str = "a) Yes", review: str | None = None,
              end: str | None = None, previous: object = 0, team: str = "Locality 1 Unit 1",
              worker: str = "Ezra\xa0Leigh") -> list[object]:
    return [child, gender, ethnicity, d(dob) if dob else None, 5.2, "b) No", d(start), initial,
            latest or initial, d(visit) if visit else None, alone, d(review) if review else None,
            d(end) if end else None, "b) No", previous, team, worker]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """One sheet per entry, rows as given (the header is just the first row you pass)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return Path(path)


def small_annex_a(path: Path, list7_title: str = "List 7") -> Path:
    """Two children: A1 with an ended neglect plan and a later open one, A2 unborn at plan start;
    List 5 has A1's section 47 and the ICPC that started the later plan; List 3 a referral."""
    return write_workbook(path, {
        "List 1": [["Child Unique ID", "Gender"], ["Z9", "a) Male"]],
        "List 3": [LIST3_HEADERS,
                   ["A1", "b) Female", "a) WBRI", d("2015-01-01"), 5, d("2022-12-01"), "q) 6: Police", "No", 1,
                    "Duty Team", "Petra\xa0Wills"]],
        "List 5": [LIST5_HEADERS,
                   ["A1", "b) Female", "a) WBRI", d("2015-01-01"), 5, "b) No", d("2022-12-05"), "No",
                    d("2023-01-05"), "Yes", 1, 1, "Locality 1 Unit 1", "Ezra Leigh"]],
        list7_title: [LIST7_HEADERS,
                      list7_row("A1", "2022-01-10", end="2022-03-20", review="2022-03-20", visit="2022-03-01"),
                      list7_row("A1", "2023-01-05", initial="b) Multiple", visit="2023-01-19",
                                previous=1, team="Locality 2 Unit 1", worker="Rose Cunningham"),
                      list7_row("A2", "2023-02-01", gender="c) Not stated/recorded", ethnicity="s) NOBT",
                                dob="2023-04-15", initial="Physical abuse")],
    })


# ---------------------------------------------------------------- every list, as the DfE template lays it out

# Each list's column headings in two template years (the later renames and reorders some columns).
TEMPLATE_HEADERS: dict[str, dict[int, list[str]]] = {
    "2020": {
        1: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Contact", "Contact Source"],
        2: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Assessment start date",
            "Assessment completion date", "Organisation completing assessment"],
        4: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
            "Continuous Assessment Start Date", "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children's social care support?", "Allocated Team",
            "Allocated Worker"],
        6: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
            "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen", "CIN Closure Date",
            "Reason for Closure", "Case Status", "Allocated Team", "Allocated Worker"],
        8: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age",
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))",
            "Does the Child have a Disability", "Date Started to be Looked After", "Child's Category of Need",
            "Start date of current legal status", "Child's Legal Status", "Date of Latest Statutory Review",
            "Date of Last Social Work Visit", "Date of Last IRO Visit / Contact to the Child",
            "Date Ceased to be Looked After", "Reason Ceased to be Looked After", "Placement Type",
            "Placement postcode", "Allocated Team", "Allocated Worker"],
        9: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability",
            "Allocated Team", "Allocated Worker", "Eligibility Category", "LA in Touch", "Type of Accommodation",
            "Suitability of Accommodation", "Activity Status"],  # no date (as the public sample)
        10: ["Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
             "Does the Child have a Disability", "Date the Child Entered Care",
             "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order",
             "Date of Matching Child and Prospective Adopters", "Date Placed for Adoption", "Date of Adoption Order ",
             "Date of Decision that Child Should No Longer be Placed for Adoption",
             "Reason Why Child No Longer Placed for Adoption",
             "Date the child was placed for fostering in FFA or concurrent planning placement"],
        11: ["Individual adopter identifier", "Family identifier", "Gender", "Date enquiry received"],
    },
    "2023": {
        1: ["Child unique identifier", "Sex", "Ethnicity", "Date of birth", "Age of child (years)", "Contact date",
            "Source of contact"],
        2: ["Child unique identifier", "Sex", "Ethnicity", "Date of birth", "Age of child (years)",
            "Date early help started", "Date early help assessment completed", "Lead organisation"],
        4: ["Child unique identifier", "Sex", "Ethnicity", "Date of birth", "Age of child (years)", "Disability",
            "Assessment start date", "Was the child seen during the assessment?", "Date assessment authorised",
            "Assessment outcome", "Allocated team", "Allocated social worker"],
        6: ["Child unique identifier", "Sex", "Ethnicity", "Date of birth", "Age of child (years)", "Disability",
            "Child in need start date", "Primary need code", "Date child was last seen", "Child in need end date",
            "Reason for closure", "Case status", "Allocated team", "Allocated social worker"],
        8: ["Child unique identifier", "Sex", "Ethnicity", "Date of birth", "Age of child (years)", "UASC (Y/N)",
            "Disability", "Date child started to be looked after", "Category of need",
            "Start date of current legal status", "Legal status", "Date of latest statutory review",
            "Date of last social worker visit", "Date of last IRO contact", "Date child ceased to be looked after",
            "Reason ceased to be looked after", "Placement type", "Placement postcode", "Allocated team",
            "Allocated social worker"],
        9: ["Child unique identifier", "Sex", "Ethnicity", "Date of birth", "Age of young person (years)",
            "Disability", "Allocated team", "Allocated personal adviser", "Eligibility category",
            "Is the LA in touch?", "Type of accommodation", "Suitability of accommodation", "Activity status",
            "Date of latest contact"],
        10: ["Child unique identifier", "Family identifier", "Sex", "Ethnicity", "Date of birth",
             "Age of child (years)", "Disability", "Date the child entered care",
             "Date of decision that the child should be placed for adoption", "Date of placement order",
             "Date of matching child and prospective adopters", "Date placed for adoption", "Date of adoption order",
             "Date of decision that the child should no longer be placed for adoption",
             "Reason why the child is no longer to be placed for adoption",
             "Date the child was placed in an FFA or concurrent planning placement"],
        11: ["Individual adopter identifier", "Family identifier", "Sex", "Date enquiry received"],
    },
}

# One child's row per list (the values, in the 2020 column order): child C1 goes from a contact through
# early help, assessment, child in need and care to adoption; child C2 is a care leaver.
TEMPLATE_ROWS: dict[int, list[list[object]]] = {
    1: [["C1", "a) Male", "a) WBRI", d("2012-03-04"), 8, d("2020-01-06"), "q) 6: Police"],
        ["C1", "a) Male", "a) WBRI", d("2012-03-04"), 8, None, "e) 2A: Schools"]],  # no date: a reject
    2: [["C1", "a) Male", "a) WBRI", d("2012-03-04"), 8, d("2020-01-20"), d("2020-02-10"), "Top Town Academy"]],
    4: [["C1", "a) Male", "a) WBRI", d("2012-03-04"), 8, "b) No", d("2020-03-02"), "Yes", d("2020-04-01"),
         "Yes", "Locality 1", "Ezra\xa0Leigh"]],
    6: [["C1", "a) Male", "a) WBRI", d("2012-03-04"), 8, "b) No", d("2020-03-02"), "N1 - Abuse or Neglect",
         d("2020-06-15"), d("2020-09-30"), "RC8", "Closed", "Locality 1", "Ezra Leigh"]],
    8: [["C1", "a) Male", "a) WBRI", d("2012-03-04"), 8, "b) No", "b) No", d("2020-10-01"), "N1 - Abuse or Neglect",
         d("2020-10-01"), "C2: FCO", d("2020-12-01"), d("2020-11-20"), d("2020-11-25"), d("2021-06-30"),
         "E11: Adopted", "U6: Foster placement", "AB1 2CD", "Children in Care Team", "Petra Wills"]],
    9: [["C2", "b) Female", "s) NOBT", d("2002-05-06"), 18, "b) No", "Care Leavers Team", "Jae Vang",
         "b) Former relevant child", "a) Yes", "U: Independent living", "a) Suitable",
         "F1: Full time in higher education", d("2021-01-15")]],
    10: [["C1", 555, "a) Male", "a) WBRI", d("2012-03-04"), 8, "b) No", d("2020-10-01"), d("2020-12-15"),
          d("2021-02-01"), d("2021-03-01"), d("2021-04-01"), d("2021-06-30"), None, None, None]],
    11: [[9001, 555, "a) Male", d("2020-06-01")]],
}
TEMPLATE_LIST7 = [list7_row("C1", "2020-05-01", end="2020-09-30", review="2020-07-15", visit="2020-06-20")]


def template_annex_a(path: Path, year: str = "2020", guidance_under_header: bool = True) -> Path:
    """Every list, each sheet as the DfE template lays it out: a title and guidance rows above the header
    (one of them a sentence naming the child's unique identifier), and, on List 1, a row of guidance under it."""
    sheets: dict[str, list[list[object]]] = {}
    for number in (1, 2, 4, 6, 8, 9, 10, 11):
        headers = TEMPLATE_HEADERS[year][number]
        rows: list[list[object]] = [
            [f"Annex A List {number}"],
            ["Please provide the child's unique identifier as held on your case management system, one row a "
             "child; dates as DD/MM/YYYY"],
            [],
            headers,
        ]
        if number == 1 and guidance_under_header:
            rows.append(["The child's unique identifier", "a) Male b) Female", "a) WBRI ...", "DD/MM/YYYY", "",
                         "DD/MM/YYYY", "a) 1A: Individual ..."])
        rows += [r[:len(headers)] for r in TEMPLATE_ROWS[number]]
        sheets[f"List {number}"] = rows
    sheets["List 7"] = [["Annex A List 7"], [], LIST7_HEADERS, *TEMPLATE_LIST7]
    return write_workbook(path, sheets)
