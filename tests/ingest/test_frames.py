

def test_an_issue_says_line_for_an_xml_file_and_row_for_a_table():
    from paqa_dash.ingest.frames import Issue
    assert Issue("events", "CIN_Census_2024.xml", 42, "event_date", "in the future").where() == "CIN_Census_2024.xml line 42"
    assert Issue("plans", "plans.csv", 3, "start_date", "x").where() == "plans.csv row 3"
    assert Issue("plans", "Annex_A.xlsx: sheet 'List 8'", 7, None, "x").where() == "Annex_A.xlsx: sheet 'List 8' row 7"
    assert Issue("plans", "plans.csv", None, None, "x").where() == "plans.csv"
