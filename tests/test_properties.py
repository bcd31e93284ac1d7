"""Invariants on random feasible scenarios (hypothesis): rules hold, money adds up, more budget never hurts,
row order and money unit change nothing, both backends agree, shadow prices match re-solves."""
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import fundalloc as fa
from fundalloc.backends.highs import HighsBackend
from fundalloc.solve import solve_program

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def scenarios(draw):
    """Small scenarios with every kind of rule; money amounts are exact in binary so that the same
    scenario in 元 is the same programme."""
    n = draw(st.integers(2, 6))
    k = draw(st.integers(1, 3))
    ints = lambda lo, hi: draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n))  # noqa: E731
    table = {"id": [f"u{i:02d}" for i in range(n)], "name": [f"县{i}" for i in range(n)],
             "flag": ints(0, 1), "pool": ints(40, 300), "zero": ints(0, 5), "pop": ints(100, 5000)}
    measures = {}
    for j in range(k):
        table[f"cap{j}"] = ints(20, 200)
        cost = draw(st.integers(1, 20)) * 250                       # 元 per person
        steps = draw(st.sampled_from([1.0, [{"share": 0.5, "value": 1.0}, {"share": 0.5, "value": 0.5}]]))
        measures[f"m{j}"] = {"unit_cost": f"{cost} 元", "capacity": f"cap{j}", "effectiveness": steps}
    units = pd.DataFrame(table)
    # floors well inside what each unit can spend
    cap_money = sum(units[f"cap{j}"] * float(measures[f"m{j}"]["unit_cost"].split()[0]) / 1e4 for j in range(k))
    units["last"] = np.floor(cap_money * draw(st.floats(0, 0.4)) * 4) / 4
    budget = float(np.ceil(units["last"].sum() + cap_money.sum() * draw(st.floats(0.1, 0.6)))) + 1
    rules = [{"type": "hold_harmless", "column": "last", "min_ratio": 0.9},
             {"type": "pool", "name": "one_person_one_measure", "column": "pool"},
             {"type": "coverage", "name": "zero_employment", "column": "zero"}]
    if draw(st.booleans()):
        rules.append({"type": "group_share", "name": "tilt", "group": "flagged", "min": draw(st.sampled_from([0.1, 0.3]))})
    if draw(st.booleans()):
        rules.append({"type": "per_capita_tilt", "group": "flagged", "population": "pop", "ratio": 1.1})
    if k > 1 and draw(st.booleans()):
        rules.append({"type": "earmark", "measures": ["m1"], "max": 0.6})
    if draw(st.booleans()):
        rules.append({"type": "unit_bounds", "max": float(budget)})
    return dict(units=units, budget={"total": budget}, measures=measures, rules=rules,
                groups={"flagged": {"column": "flag"}}, weights={"flagged": 1.5})


def solved(spec, **kw):
    try:
        return fa.solve(fa.Scenario(**spec), **kw)
    except fa.InfeasibleError:
        assume(False)


def check_rules(spec, res):
    sc = fa.Scenario(**spec)
    u = sc.units.set_index("id")
    alloc, units = res.allocation, res.units
    total = alloc["amount"].sum()
    tol = 1e-6 * (1 + total)
    # money adds up: per measure amount = beneficiaries × cost; per unit and in total
    np.testing.assert_allclose(alloc["amount"], alloc["beneficiaries"] * alloc["unit_cost"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(units["amount"], alloc.groupby("unit_id")["amount"].sum().loc[units.index], atol=tol)
    assert res.total_allocated == pytest.approx(total, abs=tol)
    assert total <= sc.budget.total + tol
    for m, spec_m in spec["measures"].items():
        b = alloc[alloc.measure == m].set_index("unit_id")["beneficiaries"]
        assert (b <= u.loc[b.index, spec_m["capacity"]] + 1e-6).all()
    persons = alloc.groupby("unit_id")["beneficiaries"].sum()
    assert (persons <= u.loc[persons.index, "pool"] + 1e-6).all()
    assert (units["outcome"] >= u.loc[units.index, "zero"] - 1e-6).all()
    assert (units["amount"] >= 0.9 * u.loc[units.index, "last"] - tol).all()
    flagged = u.loc[units.index, "flag"].to_numpy() == 1
    for rule in spec["rules"]:
        if rule["type"] == "group_share":
            assert units["amount"][flagged].sum() >= rule["min"] * total - tol
        if rule["type"] == "per_capita_tilt" and flagged.any() and (~flagged).any():
            pop = u.loc[units.index, "pop"].to_numpy()
            others = units["amount"][~flagged].sum() / pop[~flagged].sum()
            assert (units["amount"][flagged] / pop[flagged] >= 1.1 * others - 1e-6).all()
        if rule["type"] == "earmark":
            assert alloc.loc[alloc.measure == "m1", "amount"].sum() <= 0.6 * total + tol


@SETTINGS
@given(scenarios())
def test_every_rule_holds_and_money_adds_up(spec):
    check_rules(spec, solved(spec))


@SETTINGS
@given(scenarios(), st.floats(1.05, 2.0))
def test_more_budget_never_lowers_the_outcome(spec, factor):
    base = solved(spec)
    more = fa.solve(fa.Scenario(**{**spec, "budget": {"total": spec["budget"]["total"] * factor}}))
    assert more.objective >= base.objective - 1e-7 * (1 + abs(base.objective))


@SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_permuting_units_changes_nothing(spec, rnd):
    base = solved(spec)
    order = list(range(len(spec["units"])))
    rnd.shuffle(order)
    shuffled = fa.solve(fa.Scenario(**{**spec, "units": spec["units"].iloc[order]}))
    pd.testing.assert_frame_equal(base.allocation, shuffled.allocation)
    assert shuffled.objective == base.objective


@SETTINGS
@given(scenarios(), st.sampled_from(["元", "亿元"]))
def test_money_unit_changes_nothing(spec, unit):
    base = solved(spec)
    factor = {"元": 1e4, "亿元": 1e-4}[unit]
    units = spec["units"].assign(last=spec["units"]["last"] * factor)
    rules = [r if r["type"] != "unit_bounds" else {**r, "max": r["max"] * factor} for r in spec["rules"]]
    other = fa.solve(fa.Scenario(**{**spec, "units": units, "rules": rules, "money_unit": unit,
                                    "budget": {"total": spec["budget"]["total"] * factor}}))
    assert other.objective == pytest.approx(base.objective, rel=1e-9)
    np.testing.assert_allclose(other.units["amount"] / factor, base.units["amount"],
                               rtol=1e-9, atol=1e-9 * spec["budget"]["total"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_highs_and_pulp_agree_on_the_objective(spec):
    h = solved(spec)
    p = fa.solve(fa.Scenario(**spec), backend="pulp")
    assert p.objective == pytest.approx(h.objective, rel=1e-6, abs=1e-9)


@SETTINGS
@given(scenarios())
def test_shadow_prices_match_finite_difference_re_solves(spec):
    """Move every row of one rule by ±δ (its right-hand side, in the rule's own units) and re-solve: where
    the left and right slopes agree (the basis is stable), the shadow price equals them."""
    res = solved(spec)
    program = res.program
    checked = 0
    for name in program.rule_blocks():
        sl = program.blocks[name]
        delta = 1e-4 * (1 + np.abs(np.nan_to_num(program.row_upper[sl], posinf=0, neginf=0)).max(initial=0))
        slopes = []
        for sign in (+1, -1):
            lower, upper = program.row_lower.copy(), program.row_upper.copy()
            lower[sl] += sign * delta
            upper[sl] += sign * delta
            moved = solve_program(HighsBackend(), replace(program, row_lower=lower, row_upper=upper), ranging=False)
            if moved.status != "optimal":
                break
            slopes.append(sign * (moved.objective - res.solution.objective) / delta)
        if len(slopes) == 2 and abs(slopes[0] - slopes[1]) <= 1e-6 * (1 + abs(slopes[0])):
            expected = slopes[0] / program.row_scale(name)
            assert res.shadow_prices[name] == pytest.approx(expected, rel=1e-5, abs=1e-6), name
            checked += 1
    assert checked >= 1  # the budget at least
