"""LA number -> name, region, statistical neighbours (data/benchmarks, DfE, OGL v3.0)."""
from __future__ import annotations

from paqa_dash.reference import authorities as la


def test_names_regions_and_neighbours():
    camden = la.get("202")
    assert (camden.name, camden.region, camden.subregion) == ("Camden", "London", "Inner London")
    assert len(camden.neighbours) == 10 and camden.neighbours[0] == "213"
    assert la.get("840").name == "County Durham"              # D3's name, not the groupings' "Durham"
    assert la.region_of("373") == "Yorkshire and The Humber"  # the groupings' spelling read as D3's
    assert la.get("942").neighbours == ()                      # newer than the 2021 groupings
    assert la.get("928").name == "Northamptonshire"            # an "Old SNs" row is still an authority


def test_unknown_numbers():
    assert la.get("999") is None and la.name("999") == "LA 999" and la.name(None) == "Authority not recorded"
    assert la.unknown(["202", "999"]) == ["999"]
    assert la.unknown(["202", "203"], known=["202"]) == ["203"]


def test_regions():
    assert la.regions()[-2:] == ["Inner London", "Outer London"] and "London" in la.regions()
    assert len(la.in_region("London")) == 33
    assert la.in_region("Inner London", ["202", "203", "841"]) == ("202",)
    assert la.regions_of(["202", "841"]) == ["London", "North East", "Inner London"]


def test_published_shares():
    own, region, neighbours, england = la.published_repeat_shares("202", 2025)
    assert (own.percent, region.label, region.percent, england.percent) == (21.9, "London", 19.2, 24.5)
    assert neighbours.percent == 19.1
    assert la.published_repeat_shares("942", 2025)[2].percent is None   # no neighbours grouped


def test_this_data_is_named_by_its_one_authority():
    assert la.here_label(["340"]) == "Knowsley (340), this data"
    assert la.here_label(("202", "203")) == "Camden (202), Greenwich (203), this data"
    assert la.here_label(("202", "203", "204", "205")) == "This data (4 authorities)"
    assert la.here_label([]) == "This data (filtered)"
    assert la.here_label(["999"]) == "LA 999, this data"
