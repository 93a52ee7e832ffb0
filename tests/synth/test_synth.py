"""The synthetic generator: shape, determinism, integrity and calibration.

Calibration is checked from the generated *frames* with small helpers written here from the
plan-number and duration-band definitions of docs/definitions.md (python-dateutil for calendar
months, independent of the generator's numpy month arithmetic).  Tolerances (stated in the issue):
repeat share of plans started in the last three full years 24.5% +- 4 points; initial-category mix
+- 4 points per category; duration bands of plans ended in the last three full years +- 4 points per
band.  Adult factors at assessment are held to +- 4 points too.
"""
from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from paqa_dash.ingest import vocab
from paqa_dash.ingest.frames import COLUMNS, TABLES
from paqa_dash.synth.generate import DEFAULT_TEAMS, generate, generate_with_labels

END = date(2026, 3, 31)
N_CHILDREN = 5000
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def demo():
    return generate_with_labels(children=N_CHILDREN, seed=42)


@pytest.fixture(scope="module")
def tables(demo):
    return {t: f.astype(object).where(f.notna(), None) for t, f in demo[0].tables.items()}


def _d(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def plan_numbers(plans: pd.DataFrame) -> pd.DataFrame:
    """The DfE plan number: per child in start order, plan_number = P + ordinal, P = previous_plans on the earliest."""
    p = plans.assign(start=plans["start_date"].map(_d), end=plans["end_date"].map(_d))
    p = p.sort_values(["child_id", "start"], kind="stable")
    ordinal = p.groupby("child_id").cumcount() + 1
    first_prev = p.groupby("child_id")["previous_plans"].transform("first")
    prior = pd.to_numeric(first_prev, errors="coerce").fillna(0).astype(int)
    return p.assign(plan_number=prior + ordinal)


def band(start: date, end: date) -> str:
    """DfE duration band of an ended plan."""
    if end <= start + relativedelta(months=3):
        return "le_3m"
    if end <= start + relativedelta(months=6):
        return "3_6m"
    if end < start + relativedelta(months=12):
        return "6_12m"
    if end < start + relativedelta(months=24):
        return "1_2y"
    return "ge_2y"


LAST_3Y = END - relativedelta(years=3)          # 2023-03-31: the last three full years start the next day


def test_shape_matches_the_canonical_extract(demo):
    extract, _ = demo
    assert extract.kind == "synthetic" and extract.synthetic is True
    assert set(extract.tables) == set(TABLES)
    for table, frame in extract.tables.items():
        assert list(frame.columns) == [*COLUMNS[table], "_source", "_row"], table
        assert (frame["_row"].to_numpy() == np.arange(1, len(frame) + 1)).all(), table
        assert set(frame["_source"].astype(object).unique()) == {f"synthetic:{table}"}
        assert len(frame) > 0, table


def test_values_are_strings_with_valid_codes_and_iso_dates(tables):
    def values(table, col):
        return {v for v in tables[table][col].unique() if v is not None}

    assert all(isinstance(v, str) for t in tables for c in COLUMNS[t] for v in values(t, c))
    assert values("plans", "initial_category") <= set(vocab.CATEGORY)
    assert values("plans", "end_reason") <= set(vocab.END_REASON)
    assert values("events", "event_type") <= set(vocab.EVENT_TYPE)
    assert values("events", "agency") | values("attendance", "agency") | values("actions", "owner_agency") \
        <= set(vocab.AGENCY)
    assert values("family_changes", "change_type") <= set(vocab.CHANGE_TYPE)
    assert values("actions", "status") <= set(vocab.STATUS)
    assert values("needs", "factor") <= vocab.FACTORS
    assert values("attendance", "attended") <= {"Y", "N"}
    assert values("children", "sex") <= {"M", "F", "U"}
    assert values("plans", "team") == set(DEFAULT_TEAMS)
    for table, cols in (("plans", ("start_date", "end_date")), ("events", ("event_date",)),
                        ("needs", ("identified_date", "resolved_date")),
                        ("actions", ("set_date", "due_date", "completed_date")), ("family_changes", ("change_date",))):
        for col in cols:
            assert all(ISO.match(v) for v in values(table, col)), (table, col)
    assert all(re.match(r"^\d{4}-\d{2}$", v) for v in values("children", "birth_month"))
    # Nothing recorded after the extract's end date, except due dates.
    for table, col in (("events", "event_date"), ("needs", "resolved_date"), ("actions", "completed_date"),
                       ("family_changes", "change_date"), ("plans", "start_date"), ("plans", "end_date")):
        assert max(values(table, col)) <= END.isoformat(), (table, col)


def test_same_seed_same_extract_other_seed_differs():
    a = generate(children=150, seed=3)
    b = generate(children=150, seed=3)
    c = generate(children=150, seed=4)
    for t in TABLES:
        pd.testing.assert_frame_equal(a.tables[t], b.tables[t])
    assert not a.tables["plans"]["start_date"].equals(c.tables["plans"]["start_date"])


def test_ids_are_unique_and_references_resolve(tables):
    children, plans, events = tables["children"], tables["plans"], tables["events"]
    for table, key in (("children", "child_id"), ("plans", "plan_id"), ("events", "event_id"),
                       ("needs", "need_id"), ("actions", "action_id"), ("family_changes", "change_id")):
        assert tables[table][key].is_unique, table
    assert tables["attendance"].duplicated(["event_id", "agency"]).sum() == 0
    child_ids, plan_ids = set(children["child_id"]), set(plans["plan_id"])
    assert set(plans["child_id"]) <= child_ids
    # concerns between plans (synth/between.py) belong to no plan
    assert set(events["child_id"]) <= child_ids and set(events["plan_id"].dropna()) <= plan_ids
    core_groups = set(events.loc[events["event_type"] == "CORE_GROUP", "event_id"])
    assert set(tables["attendance"]["event_id"]) <= core_groups
    assert set(tables["needs"]["child_id"]) <= child_ids and set(tables["needs"]["plan_id"]) <= plan_ids
    assert set(tables["actions"]["plan_id"]) <= plan_ids
    changes = tables["family_changes"]
    assert set(changes["family_id"]) <= set(children["family_id"])
    assert set(changes["child_id"].dropna()) <= child_ids
    # An event's child is its plan's child.
    owner = dict(zip(plans["plan_id"], plans["child_id"]))
    linked = events[events["plan_id"].notna()]
    assert (linked["plan_id"].map(owner) == linked["child_id"]).all()


def test_plans_never_overlap_nor_start_and_end_the_same_day(tables):
    p = plan_numbers(tables["plans"])
    ended = p["end"].notna()
    assert (p.loc[ended, "end"] > p.loc[ended, "start"]).all()
    nxt = p.groupby("child_id")["start"].shift(-1)
    follows = nxt.notna()
    assert p.loc[follows, "end"].notna().all()            # only a child's last plan can be open
    assert (nxt[follows] > p.loc[follows, "end"]).all()


def test_open_plans_exist_and_are_mostly_recent(tables):
    p = plan_numbers(tables["plans"])
    open_ = p[p["end"].isna()]
    assert len(open_) > 0.05 * len(p)
    assert open_["end_reason"].isna().all() and p.loc[p["end"].notna(), "end_reason"].notna().all()
    assert (open_["start"] > END - relativedelta(years=1)).mean() > 0.6


def test_repeat_share_of_recent_starts_is_calibrated(tables):
    p = plan_numbers(tables["plans"])
    recent = p[p["start"] > LAST_3Y]
    share = (recent["plan_number"] >= 2).mean()
    assert abs(share - 0.245) <= 0.04, share
    # Pre-window history: ~8-10% of children carry previous_plans >= 1 on their earliest plan.
    first = p.groupby("child_id").head(1)
    prior = pd.to_numeric(first["previous_plans"], errors="coerce").fillna(0)
    assert 0.06 <= (prior >= 1).mean() <= 0.12


def test_initial_category_mix_is_calibrated(tables):
    mix = tables["plans"]["initial_category"].value_counts(normalize=True)
    for cat, target in {"NEG": 0.50, "EMO": 0.35, "PHY": 0.07, "SAB": 0.035, "MUL": 0.035}.items():
        assert abs(mix.get(cat, 0.0) - target) <= 0.04, (cat, mix.get(cat))


def test_duration_bands_of_recently_ended_plans_are_calibrated(tables):
    p = plan_numbers(tables["plans"])
    ended = p[p["end"].notna() & (p["end"] > LAST_3Y)]
    bands = pd.Series([band(s, e) for s, e in zip(ended["start"], ended["end"])]).value_counts(normalize=True)
    for name, target in {"le_3m": 0.16, "3_6m": 0.11, "6_12m": 0.44, "1_2y": 0.25, "ge_2y": 0.04}.items():
        assert abs(bands.get(name, 0.0) - target) <= 0.04, (name, bands.get(name))


def test_adult_factors_at_assessment_are_calibrated(tables):
    needs, n_plans = tables["needs"], len(tables["plans"])
    per_plan = needs.groupby("factor")["plan_id"].nunique() / n_plans
    da = needs[needs["factor"].isin(["3A", "3B"])]["plan_id"].nunique() / n_plans
    assert abs(per_plan["4B"] - 0.34) <= 0.04
    assert abs(da - 0.32) <= 0.04
    assert abs(per_plan["1B"] - 0.14) <= 0.04 and abs(per_plan["2B"] - 0.14) <= 0.04
    # Every plan has its child factor (neglect for NEG plans).
    neg = set(tables["plans"].loc[tables["plans"]["initial_category"] == "NEG", "plan_id"])
    assert neg <= set(needs.loc[needs["factor"] == "16A", "plan_id"])


def test_short_first_plans_followed_by_another_end_with_adult_needs_open(tables):
    p = plan_numbers(tables["plans"])
    p["next_start"] = p.groupby("child_id")["start"].shift(-1)
    ended = p[p["end"].notna()].copy()
    ended["short"] = [band(s, e) in ("le_3m", "3_6m") for s, e in zip(ended["start"], ended["end"])]
    needs = tables["needs"].assign(resolved=lambda d: d["resolved_date"].map(_d))
    adult = needs[needs["factor"].isin(sorted(vocab.ADULT_FACTORS))]
    m = adult.merge(ended[["plan_id", "end", "short", "plan_number", "next_start"]], on="plan_id")
    m["open_at_end"] = m["resolved"].isna() | (m["resolved"] > m["end"])
    premature = m[m["short"] & (m["plan_number"] == 1) & m["next_start"].notna()]
    others = m[~m["short"] & m["next_start"].isna()]
    assert len(premature) > 30
    assert premature["open_at_end"].mean() > 0.85
    assert premature["open_at_end"].mean() > others["open_at_end"].mean() + 0.1
    # Their practical actions were mostly done: first-order change.
    actions = tables["actions"].merge(ended[["plan_id", "short", "plan_number", "next_start"]], on="plan_id")
    prem_actions = actions[actions["short"] & (actions["plan_number"] == 1) & actions["next_start"].notna()]
    practical = prem_actions["addresses_factor"].isna()
    assert (prem_actions.loc[practical, "status"] == "DONE").mean() > 0.6
    assert (prem_actions.loc[~practical, "status"] == "DONE").mean() < 0.3
    ends = ended[ended["short"]]["end_reason"].value_counts(normalize=True)
    assert ends.get("NO_LONGER_AT_RISK", 0) + ends.get("STEP_DOWN_CIN", 0) > 0.75


def test_repeat_plans_reuse_earlier_actions_mostly_reworded(demo, tables):
    _, labels = demo
    actions, plans = tables["actions"], plan_numbers(tables["plans"])
    assert len(labels) > 100
    plan_of = dict(zip(actions["action_id"], actions["plan_id"]))
    text_of = dict(zip(actions["action_id"], actions["action_text"]))
    info = plans.set_index("plan_id")
    later = info.loc[labels["action_id"].map(plan_of)]
    earlier = info.loc[labels["earlier_action_id"].map(plan_of)]
    assert (later["child_id"].to_numpy() == earlier["child_id"].to_numpy()).all()
    assert (later["start"].to_numpy() > earlier["start"].to_numpy()).all()
    same_text = np.array([text_of[a] == text_of[b] for a, b in zip(labels["action_id"], labels["earlier_action_id"])])
    assert (same_text == labels["exact"].to_numpy()).all()
    assert 0.05 < same_text.mean() < 0.4                  # mostly reworded, some copied word for word
    # 30-60% of an earlier plan's actions come back on the next plan (on average).
    per_plan = actions.groupby("plan_id").size()
    reused = labels["earlier_action_id"].map(plan_of).value_counts()
    followed = plans.groupby("child_id")["plan_id"].shift(-1).notna()
    earlier_plans = plans.loc[followed, "plan_id"]
    share = (reused.reindex(earlier_plans).fillna(0) / per_plan.reindex(earlier_plans)).mean()
    assert 0.3 <= share <= 0.6, share
    sizes = per_plan.reindex(plans["plan_id"]).fillna(0)
    assert sizes.between(4, 8).all()


def test_plan_language_has_strengths_based_deficit_and_jargon(tables):
    texts = pd.Series(tables["actions"]["action_text"].unique())
    assert texts.str.contains(r"\bWe will\b").any()
    assert texts.str.contains(r"failed to engage|non-compliant", case=False).any()
    assert texts.str.contains(r"\b(?:ICPC|RCPC|CGM|PLO|HV)\b").any()
    assert tables["actions"]["due_date"].isna().mean() > 0.05


def test_agency_attendance_is_uneven(tables):
    att = tables["attendance"]
    invited = att[att["invited"] == "Y"]
    rate = (invited["attended"] == "Y").groupby(invited["agency"]).mean()
    assert rate["CSC"] > 0.95
    assert abs(rate["HEALTH"] - 0.80) < 0.08 and abs(rate["EDUCATION"] - 0.75) < 0.08
    assert abs(rate["FAMILY"] - 0.85) < 0.08
    assert rate["POLICE"] < 0.5
    for agency in ("ADULT_MH", "ADULT_DA", "ADULT_SUBSTANCE"):
        assert 0.25 < rate[agency] < 0.6, agency


def test_core_groups_mostly_on_time_with_some_late(tables):
    ev = tables["events"]
    first_cg = ev[ev["event_type"] == "CORE_GROUP"].groupby("plan_id")["event_date"].min()
    starts = tables["plans"].set_index("plan_id")["start_date"]
    s = np.array(starts.reindex(first_cg.index), dtype="datetime64[D]")
    wd = np.busday_count(s, np.array(first_cg.to_numpy(), dtype="datetime64[D]"))
    on_time = (wd <= 10).mean()
    assert 0.7 < on_time < 0.97
    cg = ev[ev["event_type"] == "CORE_GROUP"].sort_values(["plan_id", "event_date"])
    gaps = pd.to_datetime(cg["event_date"]).groupby(cg["plan_id"]).diff().dt.days.dropna()
    assert (gaps > 42).any() and (gaps <= 42).mean() > 0.6
    for kind in ("ICPC", "REFERRAL", "S47_START", "REVIEW_CONFERENCE", "VISIT", "INTERVENTION_START", "CHALLENGE",
                 "ESCALATION", "MISSED_APPOINTMENT"):
        assert (ev["event_type"] == kind).any(), kind


def test_household_changes_cluster_before_repeat_plans(tables):
    p = plan_numbers(tables["plans"])
    p["prev_end"] = p.groupby("child_id")["end"].shift(1)
    ch = tables["family_changes"].assign(when=lambda d: d["change_date"].map(_d))
    fam = dict(zip(tables["children"]["child_id"], tables["children"]["family_id"]))
    repeats = p[p["prev_end"].notna()].assign(family_id=lambda d: d["child_id"].map(fam))
    m = repeats.merge(ch[["family_id", "when"]], on="family_id")
    in_gap = m[(m["when"] > m["prev_end"]) & (m["when"] < m["start"])].groupby("plan_id").size()
    assert in_gap.reindex(repeats["plan_id"]).fillna(0).mean() > 1.0
    assert ch["change_type"].isin(["ADULT_JOINED", "ADULT_LEFT", "HOUSE_MOVE", "NEW_BABY"]).mean() > 0.7


def test_siblings_share_families_and_sometimes_start_together(tables):
    children = tables["children"]
    assert children["family_id"].nunique() < len(children) * 0.8
    first = plan_numbers(tables["plans"]).groupby("child_id").head(1)
    first = first.assign(family_id=first["child_id"].map(dict(zip(children["child_id"], children["family_id"]))))
    together = first.groupby("family_id")["start"].agg(["size", "nunique"])
    assert ((together["size"] > 1) & (together["nunique"] == 1)).sum() > 50


def test_sizes_scale_with_the_argument():
    small, big = generate(children=200, seed=1), generate(children=800, seed=1)
    assert len(small.tables["children"]) == 200 and len(big.tables["children"]) == 800
    ratio = len(big.tables["plans"]) / len(small.tables["plans"])
    assert 3.2 < ratio < 4.8
    by_plans = generate(plans=3000, seed=2)
    assert abs(len(by_plans.tables["plans"]) - 3000) < 300
    one_team = generate(children=100, seed=1, teams=["Solo"])
    assert set(one_team.tables["plans"]["team"].astype(object)) == {"Solo"}


def test_arguments_are_checked():
    with pytest.raises(ValueError):
        generate()
    with pytest.raises(ValueError):
        generate(children=10, plans=10)
    with pytest.raises(ValueError):
        generate(children=10, teams=[])


def test_build_demo_loads_everything_through_the_loader(tmp_path, monkeypatch):
    from paqa_dash import sql, store
    from paqa_dash.pipeline import load_extracts
    from paqa_dash.synth.generate import build_demo

    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    db = tmp_path / "demo.duckdb"
    extract = generate(children=40, seed=9)
    summary = build_demo(db, children=40, seed=9)
    assert summary.rejects == []
    for table, frame in extract.tables.items():
        assert summary.tables[table]["loaded"] == len(frame), table
    con = store.connect(db, read_only=True)
    try:
        assert store.is_synthetic(con)
        assert int(sql.query(con, "synth_store_plans").iloc[0, 0]) == len(extract.tables["plans"])
    finally:
        con.close()
    build_demo(db, children=20, seed=10)               # a demo store is replaced, not added to
    con = store.connect(db, read_only=True)
    try:
        assert int(sql.query(con, "synth_store_plans").iloc[0, 0]) == len(generate(children=20, seed=10).tables["plans"])
    finally:
        con.close()

    real = tmp_path / "real.duckdb"
    imported = generate(children=5, seed=1)
    imported.synthetic, imported.kind = False, "bundle"
    con = store.connect(real)
    try:
        load_extracts(con, [imported], b"test-key")
    finally:
        con.close()
    with pytest.raises(FileExistsError):
        build_demo(real, children=10)


@pytest.mark.parametrize("seed", [1, 42, 2024])
def test_demo_loads_without_a_single_reject(tmp_path, seed):
    """Everything the generator writes obeys the import rules (dates in order, codes known, no overlaps)."""
    from paqa_dash.synth.generate import build_demo

    summary = build_demo(tmp_path / "d.duckdb", children=2000, seed=seed)
    assert summary.rejects == []
    assert all(c["rejected"] == 0 for c in summary.tables.values())
