"""Allocations worked out by hand: each test states the policy, the arithmetic and the answer."""
import numpy as np
import pandas as pd
import pytest

import fundalloc as fa


def units(**columns):
    n = len(next(iter(columns.values())))
    ids = [chr(ord("a") + i) for i in range(n)]
    return pd.DataFrame({"id": ids, "name": [f"县{i}" for i in ids], **columns})


def test_fractional_knapsack_fills_the_cheapest_jobs_first():
    # one county; 10, 5 and 2 persons per 万元. Budget 20: m1 full (5 万元, 50 persons), then m2 takes
    # the other 15 万元 (75 persons); the last 万元 buys 5 persons, so the budget's shadow price is 5.
    sc = fa.Scenario(units=units(cap=[100]), budget={"total": 20}, measures={
        "m1": {"unit_cost": "1000 元", "capacity": 50},
        "m2": {"unit_cost": "2000 元", "capacity": "cap"},
        "m3": {"unit_cost": "5000 元", "capacity": "cap"},
    })
    res = fa.solve(sc)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(125)
    got = res.allocation.set_index("measure")["beneficiaries"]
    assert got.to_dict() == pytest.approx({"m1": 50, "m2": 75, "m3": 0})
    assert res.shadow_prices["budget"] == pytest.approx(5)
    assert res.allocation.set_index("measure")["amount"]["m2"] == pytest.approx(15)


def test_tilt_forces_sixty_percent_to_the_deep_poverty_county():
    # a (deep poverty) buys 5 persons per 万元, b buys 10. Without the tilt all 10 万元 go to b (100).
    # With priority ≥ 60 %: a gets 6 (30 persons), b 4 (40): 70. Shadow prices: one more 万元 of budget goes
    # 0.6 to a and 0.4 to b (+3 +4 = 7); raising the tilt row's right-hand side by 1 万元 moves 1 万元
    # from b to a (−10 +5 = −5).
    sc = fa.Scenario(units=units(deep=[1, 0], cost=[0.2, 0.1]), budget={"total": 10},
                     groups={"deep": {"column": "deep"}}, measures={"m": {"unit_cost": "cost"}},
                     rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": 0.6}])
    res = fa.solve(sc)
    assert res.units["amount"].to_dict() == pytest.approx({"a": 6, "b": 4})
    assert res.objective == pytest.approx(70)
    assert res.shadow_prices["tilt"] == pytest.approx(-5)
    assert res.shadow_prices["budget"] == pytest.approx(7)
    assert "tilt" in res.binding_rules
    assert res.money_by_group["deep"] == pytest.approx(6)


def test_no_county_falls_below_its_hold_harmless_floor():
    # m1: 10 persons per 万元 (50 places per county), m2: first 50 % of its capacity at 5, the rest at 2.5.
    # Unconstrained, m1 takes all 10 万元 in both counties. B's floor is 6: it gets 5 from m1 and 1 from
    # m2 (5 persons), A the remaining 4 (40): 95. Raising B's floor by 1 万元 moves 1 万元 from A's m1 to
    # B's m2: −10 + 5 = −5.
    sc = fa.Scenario(units=units(cap=[50, 100], last=[3, 6]), budget={"total": 10}, measures={
        "m1": {"unit_cost": "1000 元", "capacity": 50},
        "m2": {"unit_cost": "2000 元", "capacity": "cap",
               "effectiveness": [{"share": 0.5, "value": 1.0}, {"share": 0.5, "value": 0.5}]},
    }, rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}])
    res = fa.solve(sc)
    assert res.objective == pytest.approx(95)
    assert res.units["amount"].to_dict() == pytest.approx({"a": 4, "b": 6})
    assert res.shadow_prices["hold_harmless"] == pytest.approx(-5)
    assert res.units.loc["b", "binding_rules"] == "hold_harmless"
    assert res.units.loc["b", "shadow.hold_harmless"] == pytest.approx(-5)
    assert res.units.loc["a", "binding_rules"] == ""
    # A's floor (3) has slack: it can rise to the 4 A gets, or fall without end, and nothing changes
    r = res.ranging
    a = r[(r.kind == "rhs") & (r.rule == "hold_harmless") & (r.unit_id == "a")].iloc[0]
    assert (a.low, a.value, a.high) == (-np.inf, pytest.approx(3), pytest.approx(4))
    assert a.objective_at_low == a.objective_at_high == pytest.approx(95)


def test_pool_stops_double_claiming_absorption_and_training():
    # 100 workshop workers. Absorption (1000 元, 1 job) and 以工代训 (1800 元, 0.9 job) each fit 100, but
    # one worker may claim only one: with the pool only the 100 absorption subsidies are paid (10 万元).
    measures = {"absorption": {"unit_cost": "1000 元", "capacity": "jobs"},
                "training": {"unit_cost": "1800 元", "effectiveness": 0.9, "capacity": "jobs"}}
    free = fa.Scenario(units=units(jobs=[100]), budget={"total": 50}, measures=measures)
    assert fa.solve(free).objective == pytest.approx(190)
    pooled = free.with_changes({"rules": [{"type": "pool", "name": "no_double_claim",
                                           "measures": ["absorption", "training"], "column": "jobs"}]})
    res = fa.solve(pooled)
    assert res.objective == pytest.approx(100)
    assert res.allocation.set_index("measure")["beneficiaries"].to_dict() == pytest.approx(
        {"absorption": 100, "training": 0})
    assert res.total_allocated == pytest.approx(10)
    # one more pooled worker can only be a trainee (absorption is at its own capacity): +0.9
    assert res.shadow_prices["no_double_claim"] == pytest.approx(0.9)


def test_coverage_puts_money_where_the_objective_would_not():
    # a buys 10 persons per 万元, b only 2; b has 10 zero-employment households, so b needs 10 persons
    # (5 万元). a gets the other 5 万元: 50 + 10 = 60. One more household in b costs 0.5 万元 = 5 persons in
    # a and adds 1 in b: −4.
    sc = fa.Scenario(units=units(cost=[0.1, 0.5], zero=[0, 10]), budget={"total": 10},
                     measures={"m": {"unit_cost": "cost"}},
                     rules=[{"type": "coverage", "name": "zero_employment", "column": "zero"}])
    res = fa.solve(sc)
    assert res.units["amount"].to_dict() == pytest.approx({"a": 5, "b": 5})
    assert res.objective == pytest.approx(60)
    assert res.shadow_prices["zero_employment"] == pytest.approx(-4)
    assert res.units.loc["b", "binding_rules"] == "zero_employment"


def test_min_cost_returns_the_cheapest_budget_for_the_targets():
    # 120 persons in all, 80 of them in the deep-poverty county a; both buy 10 persons per 万元: 12 万元.
    sc = fa.Scenario(units=units(deep=[1, 0], cap=[100, 100]), groups={"deep": {"column": "deep"}},
                     measures={"m": {"unit_cost": "1000 元", "capacity": "cap"}},
                     objective={"type": "min_cost", "targets": {"total": 120, "groups": {"deep": 80}}})
    res = fa.solve(sc)
    assert res.objective == pytest.approx(12)
    assert res.units.loc["a", "amount"] >= 8 - 1e-9
    assert res.shadow_prices["target.total"] == pytest.approx(0.1)
    # a dearer deep-poverty county makes its target the binding one
    dear = fa.Scenario(units=units(deep=[1, 0], cap=[100, 100], cost=[0.2, 0.1]),
                       groups={"deep": {"column": "deep"}}, measures={"m": {"unit_cost": "cost", "capacity": "cap"}},
                       objective={"type": "min_cost", "targets": {"total": 120, "groups": {"deep": 80}}})
    res = fa.solve(dear)
    assert res.objective == pytest.approx(80 * 0.2 + 40 * 0.1)
    assert res.shadow_prices["target.deep"] == pytest.approx(0.1)


def test_max_min_coverage_lifts_the_worst_county_then_the_weighted_outcome():
    # needs 1000, 1000, 2000; c can take at most 75 persons, so the best common rate is 75/2000 = 3.75 %.
    # a and b need 37.5 persons (3.75 万元 each), c 75 (7.5 万元); the other 5 万元 go to a (weight 2):
    # a 87.5 persons. Weighted outcome 2·87.5 + 37.5 + 75 = 287.5.
    sc = fa.Scenario(units=units(need=[1000, 1000, 2000], cap=[1000, 1000, 75], deep=[1, 0, 0]),
                     groups={"deep": {"column": "deep"}}, weights={"deep": 2},
                     budget={"total": 20}, measures={"m": {"unit_cost": "1000 元", "capacity": "cap"}},
                     objective={"type": "max_min_coverage", "need": "need"})
    res = fa.solve(sc)
    assert res.coverage_rate == pytest.approx(0.0375)
    assert res.units["amount"].to_dict() == pytest.approx({"a": 8.75, "b": 3.75, "c": 7.5}, rel=1e-6)
    assert res.objective == pytest.approx(287.5, rel=1e-6)


def test_per_capita_tilt_gives_favoured_counties_more_per_head():
    # b and c buy more per 万元, but a (deep) must get at least 1.5 × the others' money per head.
    # Others' per head = (B − A)/3000, a's = A/1000: A ≥ 1.5·(10 − A)/3 → A ≥ 10/3.
    sc = fa.Scenario(units=units(deep=[1, 0, 0], pop=[1000, 1000, 2000], cost=[0.2, 0.1, 0.1]),
                     groups={"deep": {"column": "deep"}}, budget={"total": 10},
                     measures={"m": {"unit_cost": "cost"}},
                     rules=[{"type": "per_capita_tilt", "group": "deep", "population": "pop", "ratio": 1.5}])
    res = fa.solve(sc)
    assert res.units.loc["a", "amount"] == pytest.approx(10 / 3)
    a, others = res.units.loc["a", "amount"] / 1000, res.units.loc[["b", "c"], "amount"].sum() / 3000
    assert a == pytest.approx(1.5 * others)


def test_earmark_and_unit_bounds_and_min_coverage_rate_hold():
    sc = fa.Scenario(units=units(need=[100, 100], cap=[1000, 1000]), budget={"total": 20, "spend_all": True},
                     measures={"cheap": {"unit_cost": "1000 元", "capacity": 50},
                               "training": {"unit_cost": "2000 元", "effectiveness": 0.5, "capacity": "cap"}},
                     rules=[{"type": "earmark", "name": "training_share", "measures": ["training"], "min": 0.25},
                            {"type": "unit_bounds", "name": "cap_b", "max": 8, "where": "b_only"},
                            {"type": "min_coverage_rate", "column": "need", "rate": 0.3}],
                     groups={"b_only": {"ids": ["b"]}})
    res = fa.solve(sc)
    alloc = res.allocation
    training = alloc.loc[alloc.measure == "training", "amount"].sum()
    assert training >= 0.25 * res.total_allocated - 1e-9
    assert res.units.loc["b", "amount"] <= 8 + 1e-9
    assert (res.units["beneficiaries"] >= 30 - 1e-9).all()
    assert res.total_allocated == pytest.approx(20)


def test_full_hold_harmless_above_the_budget_names_both_rules():
    sc = fa.Scenario(units=units(last=[5, 5, 5]), budget={"total": 12}, measures={"m": {"unit_cost": 0.1}},
                     rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}])
    with pytest.raises(fa.InfeasibleError) as err:
        fa.solve(sc)
    conflicts = {c.rule: c for c in err.value.conflicts}
    assert set(conflicts) == {"budget", "hold_harmless"}
    assert conflicts["budget"].shortfall == pytest.approx(3)
    assert conflicts["hold_harmless"].shortfall == pytest.approx(3)
    assert "budget" in str(err.value) and "hold_harmless" in str(err.value)


def test_unreachable_coverage_is_named_with_its_shortfall():
    # b has 10 zero-employment households but room for only 4 persons: coverage must give 6 persons.
    sc = fa.Scenario(units=units(cap=[100, 4], zero=[0, 10]), budget={"total": 10},
                     measures={"m": {"unit_cost": 0.1, "capacity": "cap"}},
                     rules=[{"type": "coverage", "column": "zero"}])
    with pytest.raises(fa.InfeasibleError) as err:
        fa.solve(sc)
    [conflict] = err.value.conflicts
    assert conflict.rule == "coverage" and conflict.shortfall == pytest.approx(6) and conflict.unit == "persons"


def test_integer_solves_whole_persons_and_says_duals_are_undefined():
    sc = fa.Scenario(units=units(cap=[1000]), budget={"total": "15.55 万元"}, integer=True,
                     measures={"m": {"unit_cost": "1000 元", "capacity": "cap"}})
    res = fa.solve(sc)
    assert res.allocation["beneficiaries"].tolist() == [155]
    assert res.shadow_prices.empty and res.ranging.empty
    assert any("shadow prices" in n for n in res.notes)


def test_ranging_matches_the_hand_worked_knapsack():
    sc = fa.Scenario(units=units(cap=[100]), budget={"total": 20}, measures={
        "m1": {"unit_cost": "1000 元", "capacity": 50},
        "m2": {"unit_cost": "2000 元", "capacity": "cap"}})
    r = fa.solve(sc).ranging
    budget = r[(r.kind == "rhs") & (r.rule == "budget")].iloc[0]
    # the basis (m1 full, m2 partly) holds while the budget covers m1 (5) and not all of m2 (5 + 20 = 25)
    assert (budget.low, budget.value, budget.high) == pytest.approx((5, 20, 25))
    m2 = r[(r.kind == "effectiveness") & (r.measure == "m2")].iloc[0]
    # m2 stays the marginal measure while its effectiveness lies in [0, 2] (m1 buys 10 per 万元, m2 5·e)
    assert (m2.low, m2.high) == pytest.approx((0, 2))


def test_money_written_in_yuan_gives_the_same_allocation():
    base = dict(units=units(cap=[50, 80, 30], last=[2, 3, 1]),
                rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 0.9}])
    wan = fa.Scenario(**base, budget={"total": 9}, measures={"m": {"unit_cost": "1234 元", "capacity": "cap"}})
    yuan = fa.Scenario(**{**base, "units": units(cap=[50, 80, 30], last=[20000, 30000, 10000])}, money_unit="元",
                       budget={"total": 90000}, measures={"m": {"unit_cost": 1234, "capacity": "cap"}})
    a, b = fa.solve(wan), fa.solve(yuan)
    np.testing.assert_allclose(a.units["amount"] * 1e4, b.units["amount"], rtol=1e-9)
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    assert a.shadow_prices["budget"] == pytest.approx(b.shadow_prices["budget"] * 1e4, rel=1e-9)


def test_row_order_of_the_units_table_changes_nothing():
    table = units(cap=[50, 80, 30], last=[2, 3, 1], cost=[0.1, 0.12, 0.09])
    spec = dict(budget={"total": 9}, measures={"m": {"unit_cost": "cost", "capacity": "cap"}},
                rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 0.9}])
    a = fa.solve(fa.Scenario(units=table, **spec))
    b = fa.solve(fa.Scenario(units=table.iloc[::-1], **spec))
    pd.testing.assert_frame_equal(a.allocation, b.allocation)


def test_both_backends_agree_and_export_the_programme(tmp_path):
    sc = fa.Scenario(units=units(cap=[50, 100], last=[3, 6]), budget={"total": 10}, measures={
        "m1": {"unit_cost": "1000 元", "capacity": 50},
        "m2": {"unit_cost": "2000 元", "capacity": "cap"}},
        rules=[{"type": "hold_harmless", "column": "last"}])
    h, p = fa.solve(sc), fa.solve(sc, backend="pulp")
    assert p.objective == pytest.approx(h.objective, rel=1e-6)
    assert p.shadow_prices.to_dict() == pytest.approx(h.shadow_prices.to_dict(), abs=1e-6)
    assert p.ranging.empty and any("ranging" in n for n in p.notes)
    from fundalloc.backends import get_backend
    for suffix in ("lp", "mps"):
        get_backend("pulp").export(fa.build(sc), tmp_path / f"model.{suffix}")
        assert (tmp_path / f"model.{suffix}").stat().st_size > 0


def test_to_dir_writes_the_output_set_with_bom(tmp_path):
    sc = fa.Scenario(units=units(cap=[50, 100]), budget={"total": 10},
                     measures={"m": {"unit_cost": "1000 元", "capacity": "cap"}})
    out = fa.solve(sc).to_dir(tmp_path / "out", report=False)
    for name in ("allocation.csv", "units.csv", "shadow_prices.csv", "ranging.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(out / "allocation.csv", encoding="utf-8-sig").columns[:6].tolist() == [
        "unit_id", "unit_name", "measure", "amount", "beneficiaries", "outcome"]
    import json
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal" and summary["total_allocated"] == pytest.approx(10)


def test_scenario_errors_name_the_culprit():
    with pytest.raises(fa.ScenarioError, match=r"no column `cpa`; did you mean `cap`"):
        fa.Scenario(units=units(cap=[1]), budget={"total": 1}, measures={"m": {"unit_cost": 1, "capacity": "cpa"}})
    with pytest.raises(fa.ScenarioError, match=r"row 2 \(unit b .*\): -3"):
        fa.Scenario(units=units(cap=[1, -3]), budget={"total": 1}, measures={"m": {"unit_cost": 1, "capacity": "cap"}})
    with pytest.raises(fa.ScenarioError, match="appears more than once"):
        fa.Scenario(units=pd.DataFrame({"id": ["a", "a"], "name": ["x", "y"]}), budget={"total": 1},
                    measures={"m": {"unit_cost": 1}})
    sc = fa.Scenario(units=units(cap=[1]), budget={"total": 1}, measures={"m": {"unit_cost": 1}})
    with pytest.raises(fa.ScenarioError, match="`budget.totl`"):
        sc.with_changes({"budget.totl": 3})
