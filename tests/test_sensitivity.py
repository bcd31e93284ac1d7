"""Sensitivity from one solve, rule prices, sweeps and the tornado, on scenarios small enough to check by hand.

The two counties: 甲县 (poor, weight 1.5) and 乙县, each with 100 workshop places (0.1 万元, one job each) and
100 labour-export places (0.2 万元, 0.9 jobs each). Weighted jobs per 万元: 甲 workshop 15, 乙 workshop 10,
甲 export 6.75, 乙 export 4.5. 乙县 keeps at least 80 % of last year's 2.5 万元, i.e. 2 万元. So the objective
climbs at 15 per 万元 up to a budget of 12 (甲's workshops full, the floor binding), 10 up to 20, 6.75 up to 40,
4.5 up to 60 and then stays at 475.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.sensitivity import (entry_thresholds, explain, ranging_table, rule_prices, run_sensitivity,
                                   scaled, sweep, tornado)

KINKS = [12.0, 20.0, 40.0, 60.0]
SLOPES = [15.0, 10.0, 6.75, 4.5, 0.0]


def objective_by_hand(budget: float) -> float:
    points = [(2.0, 20.0), (12.0, 170.0), (20.0, 250.0), (40.0, 385.0), (60.0, 475.0)]
    xs, ys = zip(*points)
    return float(np.interp(budget, xs, ys))


def two_counties(budget: float = 15.0, rules: list | None = None, **extra) -> fa.Scenario:
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 100], "poor": [1, 0],
                          "last_year": [0.0, 2.5], "people": [1000, 1000]})
    return fa.Scenario(
        name="two-counties", units=units, groups={"poor": {"column": "poor"}}, weights={"poor": 1.5},
        budget={"total": budget},
        measures={"workshop": {"unit_cost": 0.1, "capacity": "jobs"},
                  "export": {"unit_cost": "2000 元", "effectiveness": 0.9, "capacity": "jobs"}},
        rules=[{"type": "hold_harmless", "name": "floor", "column": "last_year", "min_ratio": 0.8},
               {"type": "pool", "name": "everyone", "column": "people"},   # 1,000 people: never binding
               *(rules or [])],
        **extra)


# ------------------------------------------------------------------------------------------ sweeps
def test_more_budget_never_lowers_the_objective_and_each_万元_buys_less_than_the_last():
    sw = sweep(two_counties(), "budget.total", from_=4, to=70, steps=67)
    objective = sw.table["objective"].to_numpy()
    assert (sw.table["status"] == "optimal").all()
    assert np.all(np.diff(objective) >= -1e-9)
    assert np.all(np.diff(objective, 2) <= 1e-9)  # concave
    assert objective == pytest.approx([objective_by_hand(b) for b in sw.table["value"]], abs=1e-7)


@pytest.mark.parametrize("budget", [7.0, 12.0, 16.0, 20.0, 33.0, 40.0, 50.0, 65.0])
def test_the_budget_shadow_price_lies_between_the_left_and_right_slopes(budget):
    h = 0.5
    sw = sweep(two_counties(), "budget.total", values=[budget - h, budget, budget + h])
    f = sw.table["objective"].to_numpy()
    price = sw.table["shadow_price.budget"].iloc[1]
    left, right = (f[1] - f[0]) / h, (f[2] - f[1]) / h
    assert right - 1e-7 <= price <= left + 1e-7


def test_breakpoints_are_where_the_slope_and_the_binding_rules_change():
    sw = sweep(two_counties(), "budget.total", from_=4, to=70, steps=12)
    bp = sw.breakpoints
    assert bp["budget"].to_numpy() == pytest.approx(KINKS, abs=1e-6)
    assert bp["shadow_price_below"].to_numpy() == pytest.approx(SLOPES[:-1], abs=1e-7)
    assert bp["shadow_price_above"].to_numpy() == pytest.approx(SLOPES[1:], abs=1e-7)
    assert bp["objective"].to_numpy() == pytest.approx([objective_by_hand(k) for k in KINKS], abs=1e-6)
    at_12, at_60 = bp.iloc[0], bp.iloc[-1]
    assert at_12["rules_change"] and at_12["stops_binding"] == "floor"
    assert at_60["rules_change"] and at_60["stops_binding"] == "budget"
    assert "capacity filled: workshop (甲县)" in at_12["changes"]


def test_between_two_breakpoints_the_slope_is_the_shadow_price_there():
    sc = two_counties()
    bp = sweep(sc, "budget.total", from_=4, to=70, steps=5).breakpoints["budget"].to_numpy()
    for low, high in zip(bp, bp[1:]):
        ends = [fa.solve(sc.with_changes({"budget.total": float(b)})).objective for b in (low, high)]
        middle = fa.solve(sc.with_changes({"budget.total": float((low + high) / 2)}))
        assert (ends[1] - ends[0]) / (high - low) == pytest.approx(middle.shadow_prices["budget"], abs=1e-7)


def test_a_warm_sweep_gives_what_separate_solves_give():
    sc = two_counties()
    for path, values in [("budget.total", [5.0, 11.0, 18.0, 30.0, 55.0, 64.0]),
                         ("rules.floor.min_ratio", [0.0, 0.4, 0.8, 1.2, 2.0]),
                         ("measures.export.unit_cost", ["1500 元", "2000 元", 0.3]),
                         ("units.jobs", [50, 120])]:
        sw = sweep(sc, path, values=values)
        for value, row, (_, amounts) in zip(values, sw.table.itertuples(), sw.amounts.iterrows()):
            cold = fa.solve(sc.with_changes({path: value}))
            assert row.objective == pytest.approx(cold.objective, abs=1e-7)
            assert amounts.to_numpy() == pytest.approx(cold.units["amount"].to_numpy(), abs=1e-7)


def test_a_budget_that_cannot_keep_the_floor_is_reported_infeasible_not_raised():
    sw = sweep(two_counties(), "budget.total", values=[1.0, 10.0])
    assert list(sw.table["status"]) == ["infeasible", "optimal"]
    assert np.isnan(sw.table["objective"].iloc[0]) and sw.amounts.iloc[0].isna().all()
    assert sw.breakpoints["budget"].tolist() == pytest.approx([])  # only 10 is feasible


def test_a_value_the_scenario_cannot_take_stops_the_sweep_with_its_name():
    with pytest.raises(fa.ScenarioError, match="at -1"):
        sweep(two_counties(), "rules.floor.min_ratio", values=[0.5, -1])
    with pytest.raises(fa.ScenarioError, match="budget must be more than 0"):
        sweep(two_counties(), "budget.total", values=[0, 10])
    with pytest.raises(fa.ScenarioError, match="nothing named `floo`"):
        sweep(two_counties(), "rules.floo.min_ratio", values=[0.5])


def test_a_sweep_table_has_the_documented_columns_and_plots():
    sw = fa.sweep(two_counties(), "budget.total", values=[10, 20])
    assert list(sw.table.columns)[:6] == ["value", "status", "objective", "total_allocated", "total_outcome",
                                          "binding_rules"]
    assert {"shadow_price.budget", "shadow_price.floor", "shadow_price.everyone"} <= set(sw.table.columns)
    assert list(sw.amounts.columns) == ["a", "b"] and sw.amounts.index.name == "budget.total"
    chart = sw.plot().svg  # objective, shadow price of the budget, money by group
    assert chart.startswith("<svg") and ">What one more unit of budget buys<" in chart


# -------------------------------------------------------------------------------------- one solve
def test_explain_says_what_more_budget_buys_and_what_the_floor_costs():
    res = fa.solve(two_counties(budget=8.0))
    lines = explain(res)
    assert lines[0].startswith("One more 万元 of budget would add 15 weighted persons employed")
    # the floor gives 乙县 2 万元 at 10 jobs per 万元 instead of 15: 5 per 万元; 10 % looser frees 0.2 万元
    floor = next(line for line in lines if "`floor`" in line)
    assert "costs 1 weighted persons employed per 10% loosening" in floor and "乙县" in floor


def test_a_measure_that_gets_nothing_enters_when_its_cost_falls_below_the_threshold():
    sc = two_counties(budget=15.0)
    table = entry_thresholds(fa.solve(sc))
    export = table[(table["unit_id"] == "a") & (table["measure"] == "export")].iloc[0]
    # 甲's export enters when 0.9 × 1.5 / cost reaches 乙's workshop rate of 10 per 万元: cost 0.135
    assert export["entry_unit_cost"] == pytest.approx(0.135)
    assert export["cost_cut_to_enter"] == pytest.approx(0.325)
    assert export["entry_effectiveness"] == pytest.approx(0.9 * 0.2 / 0.135)
    amount = {}
    for cost in (0.134, 0.136):
        res = fa.solve(sc.with_changes({"measures.export.unit_cost": cost}))
        amount[cost] = res.allocation.query("unit_id == 'a' and measure == 'export'")["amount"].iloc[0]
    assert amount[0.134] > 1 and amount[0.136] == pytest.approx(0, abs=1e-9)
    assert any("甲县's `export` would enter the allocation if it cost 32% less" in s for s in explain(fa.solve(sc)))


def test_the_ranging_table_has_plain_column_names():
    table = ranging_table(fa.solve(two_counties()))
    assert list(table.columns) == ["what", "rule", "unit_id", "unit_name", "measure", "step", "current", "lowest",
                                   "highest", "objective_at_lowest", "objective_at_highest"]
    budget = table[table["rule"] == "budget"].iloc[0]
    assert budget["what"] == "rule limit" and (budget["lowest"], budget["highest"]) == pytest.approx((12, 20))


# ------------------------------------------------------------------------------------ rule prices
def test_a_rule_that_does_not_bind_costs_nothing_and_a_binding_one_costs_what_removing_it_gains():
    # a ceiling of 100 万元 per county, far above the 8 万元 there is: it never binds
    sc = two_counties(budget=8.0, rules=[{"type": "unit_bounds", "name": "cap", "max": 100}])
    prices = rule_prices(sc).set_index("rule")
    assert not prices.loc["cap", "binding"]
    assert prices.loc["cap", ["shadow_price", "price", "price_of_step"]].tolist() == [0.0, 0.0, 0.0]
    # `everyone` is a head count (factor 1): an accounting identity, with a shadow price but no policy price
    everyone = prices.loc["everyone"]
    assert everyone["identity"] and everyone["shadow_price"] == 0.0 and everyone["status_relaxed"] == "identity"
    assert np.isnan(everyone[["price", "price_of_step", "estimate_of_step"]].to_numpy(dtype=float)).all()
    floor = prices.loc["floor"]
    assert floor["binding"] and floor["shadow_price"] == pytest.approx(-5)
    assert floor["price"] == pytest.approx(120 - 110)             # without it all 8 万元 go to 甲's workshops
    assert floor["price_of_step"] == pytest.approx(1.0)           # floor 2 → 1.8 万元 at 5 per 万元
    assert floor["estimate_of_step"] == pytest.approx(1.0)
    assert floor["relaxed"] == "min_ratio 0.8 → 0.72"


def test_the_tilt_price_per_ten_points_follows_from_its_shadow_price():
    sc = two_counties(budget=30.0, rules=[{"type": "group_share", "name": "tilt", "group": "poor", "max": 0.4}])
    prices = rule_prices(sc).set_index("rule")
    # 甲 may get 12 万元: 10 in workshops, 2 in exports; 10 more points move 3 万元 from 乙's exports (4.5) to
    # 甲's (6.75)
    assert prices.loc["tilt", "price_of_step"] == pytest.approx(3 * (6.75 - 4.5))
    assert prices.loc["tilt", "estimate_of_step"] == pytest.approx(3 * (6.75 - 4.5))
    assert prices.loc["tilt", "relaxed"] == "max 40% → 50%"
    line = next(s for s in explain(fa.solve(sc)) if "`tilt`" in s)
    assert "costs 6.75 weighted persons employed per 10 points" in line


# ---------------------------------------------------------------------------------------- tornado
def test_tornado_rows_are_sorted_by_swing_and_agree_with_solving_by_hand():
    sc = two_counties(budget=30.0)
    table = tornado(sc, ["measures.*.unit_cost", "measures.*.effectiveness", "budget.total"], change=0.2)
    assert len(table) == 5 and table["swing"].is_monotonic_decreasing
    row = table.set_index("parameter").loc["budget.total"]
    assert (row["low"], row["high"]) == (24.0, 36.0)
    assert row["objective_low"] == pytest.approx(objective_by_hand(24))
    assert row["objective_high"] == pytest.approx(objective_by_hand(36))
    export = table.set_index("parameter").loc["measures.export.unit_cost"]
    assert export["objective_low"] == pytest.approx(
        fa.solve(sc.with_changes({"measures.export.unit_cost": "1600 元"})).objective)


def test_any_form_of_a_unit_cost_scales_by_a_factor():
    units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "wage": [17.0, 18.0], "cost": [0.2, 0.3],
                          "jobs": [10, 10], "need": [4, 6]})
    sc = fa.Scenario(units=units, budget={"total": 5}, measures={
        "post": {"unit_cost": {"product": ["wage", 40, 12], "unit": "元"}, "capacity": {"column": "jobs", "factor": 2}},
        "export": {"unit_cost": "cost", "capacity": "jobs",
                   "effectiveness": [{"share": 0.5, "value": 0.9}, {"share": 0.5, "value": 0.6}]},
        "workshop": {"unit_cost": "1000 元", "capacity": 5}},
        rules=[{"type": "group_share", "name": "share", "group": "all", "min": 0.9}],
        groups={"all": {"column": "jobs", ">": 0}})
    assert scaled(sc, "measures.post.unit_cost", 0.8) == {"product": ["wage", 40.0, 12.0, 0.8], "unit": "元"}
    assert scaled(sc, "measures.export.unit_cost", 1.2) == {"product": ["cost", 1.2]}
    assert scaled(sc, "measures.workshop.unit_cost", 1.2) == "1200 元"
    assert scaled(sc, "measures.post.capacity", 0.5) == {"column": "jobs", "factor": 1.0}
    assert scaled(sc, "measures.export.capacity", 0.5) == {"column": "jobs", "factor": 0.5}
    assert scaled(sc, "measures.workshop.capacity", 1.5) == 7.5
    assert scaled(sc, "measures.export.effectiveness", 0.5) == [{"share": 0.5, "value": 0.45},
                                                                {"share": 0.5, "value": 0.3}]
    assert scaled(sc, "rules.share.min", 1.2) == 1.0                       # a share stays at most 1
    assert scaled(sc, "measures.workshop.unit_cost", -3) == "10 元"         # a cost stays above 0
    assert scaled(sc, "units.need", np.array([0.5, -1.0])).tolist() == [2.0, 0.0]   # counts stay ≥ 0
    table = tornado(sc, ["measures.*.unit_cost"], change=0.2).set_index("parameter")
    assert table.loc["measures.post.unit_cost", "low"] == "×0.8"
    post = sc.with_changes({"measures.post.unit_cost": {"product": ["wage", 40, 12, 1.2], "unit": "元"}})
    assert table.loc["measures.post.unit_cost", "objective_high"] == pytest.approx(fa.solve(post).objective)


# ------------------------------------------------------------------------------------------ report
def test_run_sensitivity_writes_every_file_and_an_html_fragment(tmp_path):
    sc = two_counties(budget=15.0, sensitivity={
        "sweeps": [{"parameter": "budget.total", "from": 4, "to": 70, "steps": 5},
                   {"parameter": "measures.*.unit_cost", "values": [0.1, 0.2]}],
        "tornado": {"parameters": ["budget.total", "measures.*.effectiveness"], "change": 0.1},
        "monte_carlo": {"draws": 30, "seed": 3, "parameters": {
            "measures.*.effectiveness": {"dist": "uniform", "low": 0.9, "high": 1.1}}}})
    report = run_sensitivity(sc, fa.solve(sc), progress=False, workers=1)
    written = {p.name for p in report.write(tmp_path)}
    for name in ["rule_prices.csv", "sweep_budget_total.csv", "sweep_budget_total_breakpoints.csv",
                 "sweep_measures_all_unit_cost.csv", "tornado.csv", "monte_carlo.csv", "monte_carlo_units.csv",
                 "explanations.txt", "rule_prices.svg", "sweep_budget_total.svg", "tornado.svg", "monte_carlo.svg"]:
        assert name in written
    assert (tmp_path / "monte_carlo.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(tmp_path / "sweep_budget_total.csv", encoding="utf-8-sig")["objective"].notna().all()
    assert "乙县" in (tmp_path / "monte_carlo.svg").read_text(encoding="utf-8")   # names stay text
    fragment = report.html()
    assert fragment.startswith('<section class="sensitivity">') and fragment.count("<svg") == 5
    assert "One more 万元 of budget" in fragment
