"""The Regional view's figures: findings computed from the data, published figures named, axes with units."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import regional as fig
from paqa_dash.reference import benchmarks

RATES = pd.DataFrame({"authority": ["202", "841"], "name": ["Camden", "Darlington"], "numerator": [12, 3],
                      "denominator": [40, 30], "percent": [30.0, 10.0], "measure": "Repeat plans"})
PUBLISHED = pd.DataFrame({"authority": ["202", "202"], "name": ["Camden", "Camden"], "comparator": ["region", "england"],
                          "label": ["London", "England"], "year": [2025, 2025], "percent": [19.2, 24.5],
                          "source": ["D3", "D3"]})


def test_repeat_title_states_the_range_and_england():
    f = fig.repeat_vs_published(RATES, PUBLISHED)
    assert f.layout.title.text == ("Repeat plans ranged from 10.0% (Darlington) to 30.0% (Camden) of plans started; "
                                   "England 24.5% (DfE 2024-25)")
    assert [t.name for t in f.data] == ["This data", "Its region (published)", "England (published)"]
    region = list(f.data[1].x)
    assert region[0] == 0.192 and pd.isna(region[1])   # Darlington's region not given: no bar, not 0
    assert f.layout.xaxis.title.text == "Repeat plans, % of plans started"


def test_one_authority_title():
    f = fig.repeat_vs_published(RATES.iloc[:1], PUBLISHED)
    assert f.layout.title.text == "30.0% of plans started in Camden were repeat plans, against England 24.5% (DfE 2024-25)"


def test_rate_bars_name_the_lowest_and_skip_missing():
    table = pd.concat([RATES.assign(measure="First review on time"),
                       RATES.assign(measure="Agency attendance at core groups", percent=[70.0, float("nan")])])
    f = fig.rate_bars(table, "On time or attended, %")
    assert f.layout.title.text == "Lowest: first review on time, 10.0% (Darlington)"   # the view's one precision
    darlington = next(t for t in f.data if t.name == "Darlington")
    assert list(darlington.y) == ["First review on time"]


def test_bands_beside_england():
    bands = pd.DataFrame({"name": ["Camden"] * 5, "band": ["le_3m", "3_6m", "6_12m", "1_2y", "ge_2y"],
                          "plans": [4, 2, 8, 4, 2], "share": [0.2, 0.1, 0.4, 0.2, 0.1]})
    f = fig.bands_by_authority(bands, benchmarks.duration_shares(2025))
    assert f.layout.title.text == "20.0% of plans ended in Camden lasted 3 months or less, against 15.9% in England"
    assert list(f.data[0].y) == ["Camden", "England (published, DfE 2024-25)"]


def test_gap_bars():
    gaps = pd.DataFrame({"name": ["Camden", "Darlington"], "gaps": [12, 0], "median_gap_days": [300.0, float("nan")]})
    f = fig.gap_bars(gaps)
    assert f.layout.title.text == "The median gap before a repeat plan was 300 days in Camden"
    assert f.layout.xaxis.title.text == "Median gap between plans, days"


def test_one_measure_puts_the_authorities_on_the_axis():
    f = fig.rate_bars(RATES.assign(measure="Repeat within 24 months"), "Repeat plans within 24 months, %")
    assert list(f.data[0].y) == ["Camden", "Darlington"]
    assert f.layout.title.text == "Repeat within 24 months ranged from 10.0% (Darlington) to 30.0% (Camden)"


def test_this_datas_bars_read_to_the_precision_of_the_published_beside_them_and_the_title():
    """'17%' for this data beside its region's '20.2%' and a title saying '17.2%' read as three precisions of one
    kind of figure (seen on the Regional view at 800 px)."""
    rates = RATES.assign(percent=[30.0, 17.24])
    f = fig.repeat_vs_published(rates, PUBLISHED)
    assert list(f.data[0].text) == ["30.0%", "17.2%"] and list(f.data[0].hovertext) == ["30.0%", "17.2%"]
    assert "17.2% (Darlington)" in f.layout.title.text
    table = rates.assign(measure="First review on time")
    assert list(fig.rate_bars(table, "On time, %").data[0].text) == ["30.0%", "17.2%"]
    two = pd.concat([table, table.assign(measure="Later reviews on time")])
    assert [t.text for t in fig.rate_bars(two, "On time, %").data][1] == ("17.2%", "17.2%")


def test_the_overview_comparators_table_says_not_published_where_dfe_published_no_figure():
    """Hampshire's 2024 share is suppressed in DfE's table D3: the Overview's comparison table (and the briefing's
    sheet of it) gave a blank cell a reader could take for missing data; it reads "not published", as the Regional
    view's table does (reference/benchmarks.NOT_PUBLISHED).  This data's own row is left as it is."""
    from paqa_dash.figures import trends

    comps = benchmarks.comparators(2024, authority="Hampshire")
    assert comps["percent"].isna().any()
    table = trends.benchmark_table("This data", 0, 0, comps).set_index("label")
    assert table.loc[comps.loc[comps["percent"].isna(), "label"].iloc[0], "repeat_percent"] == "not published"
    assert float(table.loc["England", "repeat_percent"]) > 0
    assert pd.isna(table.loc["This data", "repeat_percent"])


def test_a_comparator_dfe_does_not_publish_is_labelled_not_published_on_the_chart():
    """LA 999 beside Gateshead: its published bars (itself, its neighbours) were labelled "–", which a reader could take
    for zero or data missing; the label and the hover say "not published" (benchmarks.NOT_PUBLISHED), as the table."""
    from paqa_dash.metrics import regional as metrics

    frame = pd.DataFrame({"authority": ["390", "999"], "name": ["Gateshead", "LA 999"]})
    rates = pd.DataFrame({"name": ["Gateshead", "LA 999"], "numerator": [17, 6], "denominator": [65, 30],
                          "percent": [26.2, 20.0]})
    figure = fig.repeat_vs_published(rates, metrics.published_comparators(frame, 2025))
    own = next(t for t in figure.data if t.name == "The authority (published)")
    labels = dict(zip(own.y, own.text))
    assert labels["LA 999"] == benchmarks.NOT_PUBLISHED and labels["Gateshead"].endswith("%"), labels
    assert "–" not in labels.values()
    hover = dict(zip(own.y, [c[-1] for c in own.customdata]))
    assert hover["LA 999"] == f"repeat plans {benchmarks.NOT_PUBLISHED}" and hover["Gateshead"] == "21.1% repeat plans"


def _many_rates(n: int) -> pd.DataFrame:
    """`n` authorities of England (more than its largest region holds when n > 33), with rates 10% to 40%."""
    from paqa_dash.reference import authorities as la
    codes = sorted(la.table())[:n]
    return pd.DataFrame({"authority": codes, "name": [la.name(c) for c in codes], "numerator": range(10, 10 + n),
                         "denominator": 100, "percent": [float(v) for v in range(10, 10 + n)],
                         "measure": "Repeat plans"})


def test_more_authorities_than_a_region_holds_are_marks_on_a_line_not_a_bar_each():
    """152 authorities drew the first chart about 17,000 px tall (a bar for each and for each published comparator)
    and the practice chart a legend of 152 colours; past the largest region's authorities each is a mark on the line
    of its measure, the finding unchanged."""
    assert fig.side_by_side_at_most() == 33          # London's authorities
    rates = _many_rates(40)
    rates.loc[3, ["numerator", "percent"]] = float("nan")    # withheld: no mark, never a zero
    published = pd.DataFrame({"name": list(rates["name"]), "comparator": "authority",
                              "label": "it", "year": 2025, "percent": 20.0})
    published = pd.concat([published, PUBLISHED[PUBLISHED["comparator"] == "england"].assign(name=rates["name"][0])])
    f = fig.repeat_vs_published(rates, published)
    assert f.layout.height < 500
    assert [t.name for t in f.data] == ["This data", "Each authority (DfE published)", "England (published)"]
    assert len(f.data[0].x) == 39 and 0.13 not in list(f.data[0].x)
    assert list(f.data[2].x) == [0.245, 0.245] and f.layout.showlegend
    assert f.layout.title.text.startswith("Repeat plans ranged from 10.0% (")
    assert f.layout.xaxis.title.text and f.layout.yaxis.title.text == "Source"
    side = fig.repeat_vs_published(_many_rates(33), published)     # a region's worth: side by side as before
    assert side.data[0].type == "bar" and len(side.data[0].y) == 33

    practice = pd.concat([rates.assign(measure="First review on time"), rates.assign(measure="Agency attendance")])
    f = fig.rate_bars(practice, "On time or attended, %")
    assert len(f.data) == 2 and f.layout.height < 500 and list(f.data[0].y) == ["First review on time"] * 39
    assert f.layout.title.text.startswith("Lowest: first review on time, 10.0% (")
    f = fig.rate_bars(rates.assign(measure="Repeat within 24 months"), "Repeat plans within 24 months, %")
    assert len(f.data) == 1 and f.layout.height < 400 and f.layout.title.text.startswith("Repeat within 24 months ranged")

    bands = pd.concat([pd.DataFrame({"name": rates["name"], "band": b, "plans": 2, "share": 0.2})
                       for b in ("le_3m", "3_6m", "6_12m", "1_2y", "ge_2y")])
    f = fig.bands_by_authority(bands, benchmarks.duration_shares(2025))
    assert f.layout.height < 700 and len(f.data) == 6 and f.data[-1].name.startswith("England (published")
    assert f.layout.title.text.startswith("Plans ended within 3 months")
    gaps = pd.DataFrame({"name": rates["name"], "gaps": 12, "median_gap_days": 300.0})
    f = fig.gap_bars(gaps)
    assert f.layout.height < 400 and len(f.data[0].x) == 40 and f.layout.xaxis.title.text


def test_marks_with_values_withheld_keep_the_value_in_the_title_and_none_left_is_said_as_such():
    """The page's chart card retitles a chart with withheld values by its value axis (style.measured) and says in
    words when every value is withheld (style.draws_nothing): with marks on lines it read "Measure: some values
    suppressed" and drew bare axes."""
    from paqa_dash.figures.style import draws_nothing, measured
    rates = _many_rates(40)
    practice = pd.concat([rates.assign(measure="First review on time"), rates.assign(measure="Agency attendance")])
    some = fig.rate_bars(practice.assign(percent=practice["percent"].where(practice.index != 3)), "On time, %")
    assert measured(some) == "On time, %" and not draws_nothing(some)
    none = fig.rate_bars(practice.assign(percent=float("nan"), numerator=float("nan")), "On time, %")
    assert draws_nothing(none)
    gaps = fig.gap_bars(pd.DataFrame({"name": rates["name"], "gaps": 12, "median_gap_days": float("nan")}))
    assert draws_nothing(gaps)
