"""Data quality figures on small hand-made frames."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import quality as q


def test_import_history_stacks_outcomes_per_run():
    runs = pd.DataFrame({"run_id": [2, 1], "started_at": pd.to_datetime(["2025-01-02", "2025-01-01"]),
                         "kind": ["bundle", "cin_xml"], "source": ["bundle", "cin_2024.xml"],
                         "rows_read": [100, 50], "rows_loaded": [90, 50], "rows_rejected": [8, 0],
                         "rows_duplicate": [2, 0]})
    fig = q.import_history_bars(runs)
    assert [t.name for t in fig.data] == ["Loaded", "Rejected", "Repeats merged"]
    assert list(fig.data[0].y) == ["#1 cin_2024.xml", "#2 bundle"]
    assert list(fig.data[1].x) == [0, 8]
    assert fig.layout.title.text == "2 imports: 8 of 150 rows rejected (5.3%)"


def test_reject_reasons_top_n_plus_other():
    reasons = pd.DataFrame({"table_name": ["plans", "events", "events"],
                            "reason": ["end before start", "unknown agency", "bad date"], "n": [5, 3, 2]})
    fig = q.reject_reasons_bars(reasons, top_n=2)
    bar = fig.data[0]
    assert [y.replace("<br>", " ") for y in bar.y] == ["1 other reason", "Events: unknown agency",
                                                      "Child protection plans: end before start"]
    assert list(bar.x) == [2, 3, 5]
    assert fig.layout.title.text.startswith("Most rejects (50% of 10): Child protection plans, end before start")


def test_table_counts_title():
    counts = pd.DataFrame({"table_name": ["children", "plans"], "rows": [3, 4]})
    fig = q.table_counts_bars(counts)
    assert fig.layout.title.text == "The store holds 4 plans for 3 children"
    assert list(fig.data[0].x) == [4, 3]


def test_table_counts_axis_has_room_for_the_largest_count_printed_past_its_bar():
    fig = q.table_counts_bars(pd.DataFrame({"table_name": ["children", "plans"], "rows": [93_739, 12]}))
    assert fig.layout.xaxis.range[1] >= 93_739 * 1.25   # "93,739" was cut to "93," at 800 px with no room


def test_a_long_reject_reason_is_broken_into_lines_not_cut_at_800_px():
    reasons = pd.DataFrame({"table_name": ["plans"], "n": [1],
                            "reason": ["end_date is not a valid date (expected YYYY-MM-DD)"]})
    fig = q.reject_reasons_bars(reasons)
    lines = fig.data[0].y[0].split("<br>")
    assert len(lines) > 1 and all(len(line) <= q.REASON_CHARS for line in lines)
    assert " ".join(lines).endswith("end_date is not a valid date (expected YYYY-MM-DD)")


def test_an_import_run_of_many_files_is_labelled_by_its_first_file_whole_and_how_many_more():
    """A region's census returns read in one run: its label was the source's first 28 characters, "#1
    cin_393_2021.xml; cin_390_20", a name cut in half; it names the first file whole and how many more there were."""
    many = "; ".join(f"cin_{la}_{year}.xml" for year in (2021, 2022, 2023) for la in (390, 391, 392, 393))
    long_name = "Annex_A_2024-25_return_as_submitted_to_DfE_final.xlsx"
    runs = pd.DataFrame({"run_id": [1, 2], "started_at": pd.to_datetime(["2025-01-01", "2025-01-02"]),
                         "kind": ["cin_xml", "annex_a"], "source": [many, long_name],
                         "rows_read": [17000, 154], "rows_loaded": [11000, 154], "rows_rejected": [0, 0],
                         "rows_duplicate": [6000, 0]})
    labels = list(q.import_history_bars(runs).data[0].y)
    assert labels[0] == "#1 cin_390_2021.xml<br>and 11 more files"
    assert labels[1] == "#2 Annex_A_2024-25_return_as_s…"
    assert q.run_label(3, "cin_2024.xml") == "#3 cin_2024.xml"
