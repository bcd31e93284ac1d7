"""Rounding the allocation to whole 万元 (or the scenario's `rounding`): the rounded amounts add up exactly to the
budget, each unit's measures add up to its total, and every rule still holds or is reported with its miss."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import fundalloc as fa
from fundalloc.baseline import broken_rules
from fundalloc.rounding import (INTEGER_PROGRAMME, LARGEST_REMAINDER, LEAST_BROKEN, NOT_REPAIRED, decimals, largest_remainder,
                                round_allocation, round_to_total, rounding_step, split)
from test_properties import SETTINGS, scenarios, solved


def two_counties(rules=(), **extra):
    """甲 can fund 504 persons, 乙 496, at 1000 元 each: the optimum spends 50.4 and 49.6 万元 of 100."""
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [504, 496], "last": [50.2, 40.0],
                          "exact": [50.4, 49.6]})
    return fa.Scenario(units=units, budget={"total": 100, "spend_all": True}, rules=list(rules),
                       measures={"w": {"unit_cost": "1000 元", "capacity": "jobs"}}, **extra)


def test_the_nearest_rounding_is_the_largest_remainder_when_it_keeps_every_rule():
    res = fa.solve(two_counties())
    assert res.units["amount"].tolist() == pytest.approx([50.4, 49.6])
    r = round_allocation(res)
    # 50 + 49 = 99: one more 万元, to 乙 (remainder 0.6 beats 0.4)
    assert r.money.tolist() == [[50.0, 50.0]] and r.total == 100 and r.method == LARGEST_REMAINDER
    assert r.broken.empty
    # 乙's 50 万元 would fund 500 persons, but it has 496 places: the persons stop at the capacity
    assert r.persons.tolist() == [[500.0, 496.0]]


def test_a_floor_forces_a_farther_rounding():
    # 甲 must keep 50.2 万元 (last year's money): 50 is too little, so 甲 gets 51 and 乙 49
    res = fa.solve(two_counties([{"type": "hold_harmless", "column": "last", "min_ratio": 1}]))
    r = round_allocation(res)
    assert r.money.tolist() == [[51.0, 49.0]] and r.total == 100
    assert r.method == INTEGER_PROGRAMME and r.broken.empty


def test_a_rule_no_rounding_can_keep_is_reported_with_its_miss():
    # 甲 exactly 50.4 万元: 50 misses the floor by 0.4, 51 the ceiling by 0.6; the smaller miss is chosen
    res = fa.solve(two_counties([{"type": "unit_bounds", "name": "exact", "min": "exact", "max": "exact",
                                  "where": "first"}], groups={"first": {"ids": ["a"]}}))
    r = round_allocation(res)
    assert r.method == LEAST_BROKEN and r.total == 100
    assert r.money.tolist() == [[50.0, 50.0]]
    (row,) = r.broken.itertuples()
    assert (row.rule, row.bound, row.rows, row.units) == ("exact", "min", 1, ["甲县 a"])
    assert row.missed == pytest.approx(0.4) and row.quantity == "money"


def test_rounding_up_under_a_full_pool_funds_nobody_more():
    # 甲: 500 workshop places (0.1 万元 each, full: 50.0) and posts at 0.333 万元 up to a pool of 601 persons,
    # so 101 posts (33.633); 乙: 3.67 workshop places (0.367). The nearest rounding puts 甲's posts up to 34 万元:
    # that would pay for 102.1 posts, but the pool holds 101, so 101 stay funded and 0.367 万元 is margin.
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [500, 3.67], "posts": [1000, 0],
                          "pool": [601, 1000]})
    sc = fa.Scenario(units=units, budget={"total": 84, "spend_all": True},
                     measures={"w": {"unit_cost": "1000 元", "capacity": "jobs"},
                               "p": {"unit_cost": "3330 元", "capacity": "posts", "effectiveness": 0.5}},
                     rules=[{"type": "pool", "name": "one_person", "column": "pool"}])
    res = fa.solve(sc)
    assert res._per_unit_measure[1].tolist() == [pytest.approx([50, 0.367]), pytest.approx([33.633, 0])]
    r = round_allocation(res)
    assert r.money.tolist() == [[50.0, 0.0], [34.0, 0.0]] and r.method == LARGEST_REMAINDER and r.broken.empty
    assert r.persons.tolist() == [[500.0, 0.0], [pytest.approx(101), 0.0]]
    assert r.margin[1, 0] == pytest.approx(34 - 101 * 0.333)


def test_a_coverage_floor_forces_a_farther_rounding():
    # 甲 must employ 504 persons (every place, 50.4 万元): rounding it down to 50 would fund only 500, so 甲
    # rounds up to 51 and 乙 (remainder 0.6) down to 49
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [504, 496], "need": [504, 0]})
    sc = fa.Scenario(units=units, budget={"total": 100, "spend_all": True},
                     measures={"w": {"unit_cost": "1000 元", "capacity": "jobs"}},
                     rules=[{"type": "coverage", "name": "everyone", "column": "need"}])
    r = round_allocation(fa.solve(sc))
    assert r.money.tolist() == [[51.0, 49.0]] and r.method == INTEGER_PROGRAMME and r.broken.empty
    assert r.persons.tolist() == [[504.0, 490.0]] and r.outcome[0, 0] == 504


def test_money_that_is_not_a_multiple_of_the_step_is_reported_against_the_budget():
    sc = two_counties().with_changes({"budget.total": 99.5, "units.jobs": [600, 600]})
    r = round_allocation(fa.solve(sc))
    assert r.total == 99 and r.target == 99.5
    assert r.broken["rule"].tolist() == ["budget"] and r.broken["missed"].iloc[0] == pytest.approx(0.5)


def test_the_step_follows_the_scenario():
    sc = two_counties()
    assert rounding_step(sc) == 1
    assert rounding_step(sc.with_changes({"rounding": 0.1})) == 0.1
    assert rounding_step(sc.with_changes({"rounding": "1000 元"})) == pytest.approx(0.1)
    in_yi = sc.with_changes({"money_unit": "亿元", "budget.total": 0.01, "measures.w.unit_cost": "1000 元"})
    assert rounding_step(in_yi) == 1e-4
    r = round_allocation(fa.solve(sc.with_changes({"rounding": 0.1})))
    assert r.money.tolist() == [[50.4, 49.6]] and r.method == LARGEST_REMAINDER
    assert decimals(0.1) == 1 and decimals(0.0001) == 4 and decimals(1) == 0 and decimals(0.25) == 2


def test_split_and_largest_remainder_by_hand():
    down, rest = split(np.array([0.3, 2.0000000000001, 7.75]), 0.5)
    assert down.tolist() == [0, 4, 15] and rest.tolist() == pytest.approx([0.6, 0.0, 0.5])
    assert largest_remainder(np.array([0.6, 0.0, 0.5]), 1).tolist() == [True, False, False]
    assert largest_remainder(np.array([0.6, 0.0, 0.5]), 1, can_go_up=np.array([False, True, True])).tolist() == \
        [False, False, True]
    rounded, missed = round_to_total(np.array([10.5, 10.5, 9.0]), 1.0, 30.0, floors=np.array([0, 10.5, 0]))
    assert rounded.tolist() == [10.0, 11.0, 9.0] and missed == 0
    rounded, missed = round_to_total(np.array([10.5, 10.5, 9.0]), 1.0, 30.0, floors=np.array([10.5, 10.5, 0]))
    assert rounded.sum() == 30 and missed == pytest.approx(0.5)  # both floors need rounding up; one can be


def test_hebei_rounds_to_whole_wan_yuan_keeping_every_rule():
    from pathlib import Path
    sc = fa.load_scenario(Path(__file__).resolve().parents[1] / "examples" / "hebei" / "scenario.yaml")
    res = fa.solve(sc)
    r = round_allocation(res)
    budget = sc.money(sc.budget.total)
    assert r.total == budget and r.money.sum() == budget
    assert np.array_equal(r.money, np.round(r.money))
    assert r.broken.empty, r.broken
    assert np.abs(r.money.sum(axis=0) - res.units["amount"].to_numpy()).max() < 3


# ----------------------------------------------------------------------------------------------- property


@given(scenarios(), st.booleans(), st.sampled_from([1.0, 0.1, 0.25]))
@SETTINGS
def test_rounded_money_adds_up_and_every_rule_holds_or_is_reported(spec, spend_all, step):
    spec = {**spec, "budget": {**spec["budget"], "spend_all": spend_all}, "rounding": step}
    res = solved(spec)
    r = round_allocation(res)
    sc = res.scenario
    # whole steps, adding up exactly to the budget (spend_all; these budgets are whole 万元) or to the money
    # allocated, rounded
    assert np.allclose(r.money / step, np.round(r.money / step), atol=1e-9)
    expected = sc.budget.total if spend_all else round(res.total_allocated / step) * step
    assert r.total == pytest.approx(expected, abs=1e-9) and r.money.sum() == pytest.approx(r.total, abs=1e-9)
    assert r.total <= sc.budget.total + 1e-9
    # persons never above a capacity, and the money each person costs never above the money rounded
    costs = res.allocation.pivot(index="measure", columns="unit_id", values="unit_cost").loc[list(sc.measures)]
    assert (r.persons * costs.to_numpy() <= r.money + 1e-9).all()
    # every rule either holds on the rounded allocation (checked apart from the programme) or is reported
    rules, _ = broken_rules(sc, r.money.sum(axis=0), {"money": r.money, "persons": r.persons, "outcome": r.outcome})
    assert set(rules["rule"]) <= set(r.broken["rule"]), (rules, r.broken)
    if r.method != LEAST_BROKEN:
        assert r.broken.empty


@given(scenarios(), st.booleans(), st.sampled_from([1.0, 0.25]))
@SETTINGS
def test_the_integer_programme_finds_what_enumerating_every_rounding_finds(spec, spend_all, step):
    """On scenarios small enough to try every rounding: a rounding keeping every rule exists exactly when one
    is returned, and none is nearer."""
    import itertools
    from fundalloc import rounding

    res = solved({**spec, "budget": {**spec["budget"], "spend_all": spend_all}, "rounding": step})
    r = round_allocation(res)
    money = res._per_unit_measure[1].ravel()
    down, rest = split(money, step)
    candidates = np.flatnonzero(money > 0)
    ups = int(round(r.total / step)) - int(down.sum())
    assume(len(candidates) <= 9)
    rows = rounding._Rows(res.program, step)
    model = rounding._Model(rows, down, rest, money > 0, ups)
    nearest = None
    for chosen in itertools.combinations(candidates, ups):
        whole = down.copy()
        whole[list(chosen)] += 1
        if model.persons(whole - down) is not None:  # persons exist that keep every rule
            distance = np.abs(whole * step - money).sum()
            nearest = distance if nearest is None else min(nearest, distance)
    kept = set(r.broken["rule"]) <= {"budget"}
    assert kept == (nearest is not None)
    if kept:
        # the integer programme meets its rows to the solver's tolerance (a falsifying example missed by 2.2e-9)
        assert np.abs(r.money.ravel() - money).sum() == pytest.approx(nearest, rel=1e-8, abs=1e-9)


@given(scenarios(), st.booleans())
@SETTINGS
def test_the_local_repair_finds_a_rounding_whenever_the_full_search_does(spec, spend_all):
    """Large tables repair the nearest rounding locally: forced here on small ones, it keeps every rule
    whenever some rounding does, and is never nearer than the full search (which is the nearest)."""
    from fundalloc import rounding

    res = solved({**spec, "budget": {**spec["budget"], "spend_all": spend_all}})
    full = round_allocation(res)
    saved = rounding.SEARCH_ALL_CELLS
    rounding.SEARCH_ALL_CELLS = 0
    try:
        local = round_allocation(res)
    finally:
        rounding.SEARCH_ALL_CELLS = saved
    money = res._per_unit_measure[1]
    assert local.total == full.total
    assert local.broken.empty == full.broken.empty
    if full.method == INTEGER_PROGRAMME:
        assert np.abs(local.money - money).sum() >= np.abs(full.money - money).sum() - 1e-9


def _large(res, monkeypatch, step=None, repair=True):
    """The rounding of a table above ``PROGRAMME_MAX_CELLS`` amounts (so repaired locally or not at all), forced on
    a small one; ``repair=False``: also one whose counties to repair exceed ``REPAIR_MAX_CELLS`` amounts."""
    from fundalloc import rounding
    monkeypatch.setattr(rounding, "LOCAL_FROM_CELLS", 0)
    monkeypatch.setattr(rounding, "PROGRAMME_MAX_CELLS", 0)
    if not repair:
        monkeypatch.setattr(rounding, "REPAIR_MAX_CELLS", 0)
    return round_allocation(res, step)


def _unrepaired(res, monkeypatch, step=None):
    return _large(res, monkeypatch, step, repair=False)


def test_a_large_table_repairs_the_nearest_rounding_over_the_counties_it_troubles(monkeypatch):
    # the nearest rounding gives 甲 50, below its floor of 50.2: 甲 and the amounts nearest the cut-off (乙's)
    # are freed, and the integer programme over them alone gives 甲 51 and 乙 49, as the full search does
    res = fa.solve(two_counties([{"type": "hold_harmless", "column": "last", "min_ratio": 1}]))
    r = _large(res, monkeypatch)
    assert r.money.tolist() == [[51.0, 49.0]] and r.total == 100
    assert r.method == INTEGER_PROGRAMME and r.broken.empty and r.searched == 2 and not r.proven
    # 甲's 51 万元 funds its 504 persons (50.4), the rest is margin; 乙's 49 funds 490 of its 496
    assert r.persons.ravel() == pytest.approx([504.0, 490.0])
    notes = res.allocation_table().notes
    assert any("integer programme" in n for n in notes)


def test_a_mid_sized_table_the_local_repair_cannot_mend_goes_to_the_whole_programme(monkeypatch):
    # above LOCAL_FROM_CELLS the local repair comes first; when it finds nothing (here it may free no county) and
    # the table is within PROGRAMME_MAX_CELLS, the model of the whole programme repairs it as for a small table
    from fundalloc import rounding
    res = fa.solve(two_counties([{"type": "hold_harmless", "column": "last", "min_ratio": 1}]))
    monkeypatch.setattr(rounding, "LOCAL_FROM_CELLS", 0)
    monkeypatch.setattr(rounding, "REPAIR_MAX_CELLS", 0)
    r = round_allocation(res)
    assert r.money.tolist() == [[51.0, 49.0]] and r.method == INTEGER_PROGRAMME and r.broken.empty and r.proven


def test_a_large_table_rounds_a_county_no_rounding_suits_the_least_broken_way(monkeypatch):
    # 甲 exactly 50.4 万元: trying both of its roundings finds none that keeps the rule, so 甲 takes the one
    # missing least (50, by 0.4), held there while the rest is repaired; the same as the full search's
    res = fa.solve(two_counties([{"type": "unit_bounds", "name": "exact", "min": "exact", "max": "exact",
                                  "where": "first"}], groups={"first": {"ids": ["a"]}}))
    full = round_allocation(res)
    r = _large(res, monkeypatch)
    assert r.method == LEAST_BROKEN == full.method and r.money.tolist() == full.money.tolist() == [[50.0, 50.0]]
    (row,) = r.broken.itertuples()
    assert (row.rule, row.bound, row.rows, row.units) == ("exact", "min", 1, ["甲县 a"])
    assert row.missed == pytest.approx(0.4)


def test_a_table_too_large_to_search_keeps_the_nearest_rounding_and_the_optimums_persons(monkeypatch):
    r = _unrepaired(fa.solve(two_counties()), monkeypatch)
    assert r.money.tolist() == [[50.0, 50.0]] and r.total == 100 and r.method == NOT_REPAIRED and r.broken.empty
    # 甲 goes down from 50.4 to 50: 504 persons × 50 / 50.4; 乙 up from 49.6 keeps its 496, the 0.4 is margin
    assert r.persons.ravel() == pytest.approx([500.0, 496.0])
    assert r.margin.ravel() == pytest.approx([0.0, 0.4])


def test_a_table_too_large_to_search_reports_the_floor_it_breaks(monkeypatch):
    # the search would give 甲 51 (its floor is 50.2); without it 甲 keeps the nearest 50, 0.2 万元 short
    res = fa.solve(two_counties([{"type": "hold_harmless", "column": "last", "min_ratio": 1}]))
    r = _unrepaired(res, monkeypatch)
    assert r.money.tolist() == [[50.0, 50.0]] and r.method == NOT_REPAIRED
    assert len(r.broken) == 1
    row = r.broken.iloc[0]
    assert row["rule"].startswith("hold_harmless") and row["bound"] == "min" and row["rows"] == 1 and row["missed"] == pytest.approx(0.2) and row["units"] == ["甲县 a"]
    notes = res.allocation_table().notes
    assert any("no integer programme" in n for n in notes) and any("甲县 a" in n for n in notes)


@given(scenarios(), st.booleans(), st.sampled_from([1.0, 0.25]))
@SETTINGS
def test_a_table_too_large_to_search_reports_every_rule_it_breaks(spec, spend_all, step):
    """The rounding without a search: the largest remainder's money, no person beyond the optimum's or beyond
    what the rounded money pays, and every rule that misses (checked apart from the programme) reported."""
    monkeypatch = pytest.MonkeyPatch()
    res = solved({**spec, "budget": {**spec["budget"], "spend_all": spend_all}, "rounding": step})
    try:
        r = _unrepaired(res, monkeypatch)
    finally:
        monkeypatch.undo()
    sc = res.scenario
    money, persons = res._per_unit_measure[1], res._per_unit_measure[0]
    down, rest = split(money.ravel(), step)
    ups = int(round(r.total / step)) - int(down.sum())
    assert r.money.ravel() == pytest.approx((down + largest_remainder(rest, ups, money.ravel() > 0)) * step)
    assert (r.persons <= persons + 1e-9).all()
    costs = res.allocation.pivot(index="measure", columns="unit_id", values="unit_cost").loc[list(sc.measures)]
    assert (r.persons * costs.to_numpy() <= r.money + 1e-9).all()
    rules, _ = broken_rules(sc, r.money.sum(axis=0), {"money": r.money, "persons": r.persons, "outcome": r.outcome})
    assert set(rules["rule"]) <= set(r.broken["rule"]), (rules, r.broken)


@given(scenarios(), st.booleans(), st.sampled_from([1.0, 0.25]))
@SETTINGS
def test_a_large_tables_local_repair_keeps_the_total_and_reports_what_it_breaks(spec, spend_all, step):
    """The local repair of a large table (forced on small ones): money within a step of the optimum's, adding up
    to the same total as the full search's; persons no more than the rounded money pays; every rule that misses
    (checked apart from the programme) reported, none when it says it repaired; and where the full search keeps
    every rule, the repair does too or names only the rules of the counties it found no rounding for."""
    monkeypatch = pytest.MonkeyPatch()
    res = solved({**spec, "budget": {**spec["budget"], "spend_all": spend_all}, "rounding": step})
    full = round_allocation(res, step)
    try:
        r = _large(res, monkeypatch, step)
    finally:
        monkeypatch.undo()
    sc = res.scenario
    money = res._per_unit_measure[1]
    assert r.total == pytest.approx(full.total)
    assert (np.abs(r.money - money) < step + 1e-9).all()
    costs = res.allocation.pivot(index="measure", columns="unit_id", values="unit_cost").loc[list(sc.measures)]
    assert (r.persons * costs.to_numpy() <= r.money + 1e-9).all()
    rules, _ = broken_rules(sc, r.money.sum(axis=0), {"money": r.money, "persons": r.persons, "outcome": r.outcome})
    assert set(rules["rule"]) <= set(r.broken["rule"]), (rules, r.broken)
    if r.method == INTEGER_PROGRAMME:
        assert r.broken.empty and rules.empty
    if full.broken.empty:
        assert r.broken.empty or (r.method == LEAST_BROKEN and all(len(u) for u in r.broken["units"]))
