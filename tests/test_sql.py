"""Named SQL: parameters are bound strictly by one function, and blocks compose by their declared needs."""
from __future__ import annotations

import pytest

from paqa_dash import sql


def test_bind_missing_parameter_names_the_block() -> None:
    with pytest.raises(ValueError, match=r"my_block.*not given.*\['team'\]"):
        sql.bind("SELECT * FROM plans WHERE team = $team", {}, block="my_block")


def test_bind_unknown_explicit_parameter_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"my_block.*not used.*\['limit'\]"):
        sql.bind("SELECT $team", {"team": "North", "limit": 3}, block="my_block")


def test_bind_context_binds_only_what_the_text_uses() -> None:
    context = {"team": "North", "as_of": "2026-01-01", "replan_months": 24}
    assert sql.bind("SELECT $team, $limit", {"limit": 3}, context=context) == {"team": "North", "limit": 3}
    assert sql.bind("SELECT 1", context=context) == {}


def test_bind_explicit_wins_and_comments_are_not_parameters() -> None:
    text = "-- up to $as_of\nSELECT $team"
    assert sql.bind(text, {"team": "South"}, context={"team": "North"}) == {"team": "South"}
    with pytest.raises(ValueError, match="not used"):
        sql.bind(text, {"team": "South", "as_of": None})


def test_parameter_prefix_is_not_a_use() -> None:
    assert sql.parameters("SELECT $as_of_x") == {"as_of_x"}
    with pytest.raises(ValueError, match="not given"):
        sql.bind("SELECT $as_of_x", context={"as_of": 1})


def test_expand_puts_needs_first_once(monkeypatch) -> None:
    needs = {"c": ("a", "b"), "b": ("a",), "a": ()}
    monkeypatch.setattr(sql, "needs", lambda name: needs.get(name, ()))
    assert sql.expand(["c"]) == ["a", "b", "c"]
    assert sql.expand(["b", "c", "a"]) == ["a", "b", "c"]
    # a stand-in's own needs are expanded, not the replaced block's
    assert sql.expand(["c"], lambda n: ("s",) if n == "b" else (n,)) == ["a", "s", "c"]


def test_expand_refuses_a_cycle(monkeypatch) -> None:
    needs = {"a": ("b",), "b": ("a",)}
    monkeypatch.setattr(sql, "needs", lambda name: needs.get(name, ()))
    with pytest.raises(ValueError, match="needs itself"):
        sql.expand(["a"])


def test_every_declared_need_is_a_known_block() -> None:
    queries, needs = sql._library()
    assert all(n in queries for wanted in needs.values() for n in wanted)


def test_every_block_name_starts_with_its_file() -> None:
    """A block's prefix says where it lives: its file's stem, with the part in front where two parts have a
    file of that stem (docs/architecture.md), so a newcomer finds `cohorts_curve` in queries/metrics/cohorts.sql."""
    files = sorted(sql.QUERIES_DIR.rglob("*.sql"))
    stems = [path.stem for path in files]
    wrong = []
    for path in files:
        prefix = path.stem if stems.count(path.stem) == 1 else f"{path.parent.name}_{path.stem}"
        names = sql._NAME.findall(path.read_text(encoding="utf-8")) or [path.stem]
        where = path.relative_to(sql.QUERIES_DIR)
        wrong += [f"{where}: {n}" for n in names if n != prefix and not n.startswith(prefix + "_")]
    assert not wrong, wrong
