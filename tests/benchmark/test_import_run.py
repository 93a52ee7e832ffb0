"""The import benchmark's sources (issue 15): one CIN census file per authority-year, each header naming its
own LA number, drawn from the seeded generator, readable by the census reader; and its report.  No timings
are asserted (docs/benchmark.md holds them)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from paqa_dash.benchmark import import_run
from paqa_dash.ingest import cin_xml


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return import_run.write_sources(tmp_path_factory.mktemp("sources"), plans=240, seed=7)


def test_one_file_per_authority_year_each_naming_its_authority(sources: list[Path]) -> None:
    las = import_run.authorities(2)
    assert las == ["201", "202"]                       # the first LA numbers of statistical_neighbours_2021.csv
    assert sorted(p.name for p in sources) == sorted(
        f"cin_{la}_{year}.xml" for la in las for year in range(2017, 2027))
    for path in sources:
        la, year = re.fullmatch(r"cin_(\d+)_(\d{4})\.xml", path.name).groups()
        head = path.read_text()[:400]
        assert f"<LEA>{la}</LEA>" in head and f"<ReferenceDate>{year}-03-31</ReferenceDate>" in head
        assert cin_xml.read_header(path).order_key == f"{year}-03-31"


def test_the_files_read_as_a_census_whose_plans_repeat_across_years(sources: list[Path]) -> None:
    extract = cin_xml.read(sources)
    plans = extract.tables["plans"]
    assert not extract.rejects
    assert plans["plan_id"].nunique() < len(plans)      # a plan open across 31 March is in two years' files
    assert 150 < plans["plan_id"].nunique() < 330       # about the plans asked for
    by_la = plans["child_id"].str[:3].value_counts()
    assert set(by_la.index) == {"201", "202"}           # child ids carry their authority: never shared


def test_the_same_seed_writes_the_same_files(sources: list[Path], tmp_path: Path) -> None:
    again = import_run.write_sources(tmp_path, plans=240, seed=7)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in sources]


def test_the_report_line_names_what_was_measured() -> None:
    record = {"plans_stored": 1000, "files": 20, "authorities": 2, "source_mb": 3.5,
              "import": {"seconds": 12.5, "cpu_seconds": 10.0, "reader_cpu_seconds": 3.0, "peak_rss_mb": 300.0,
                         "reader_peak_rss_mb": 120.0, "load_average": [1.0, 1.0, 1.0]},
              "incremental": {"file": "cin_201_2026.xml", "seconds": 2.0, "cpu_seconds": 1.5, "peak_rss_mb": 250.0}}
    line = import_run.describe(record)
    assert line.startswith("1,000 plans from 19 files (2 authorities, 3.5 MB): import 12.5 s wall, 10.0 s CPU")
    assert "(3.0 s of it reading in a second process), peak 300.0 MB (reader 120.0 MB)" in line
    assert "one authority-year (cin_201_2026.xml) 2.0 s wall" in line
