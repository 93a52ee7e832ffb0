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
