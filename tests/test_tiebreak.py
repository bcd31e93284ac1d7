"""The tie-break among optimal allocations and the optimum ranges: hand-worked cases, equal treatment of equal
units, the objective kept, and both backends giving the same money."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.program import build
from fundalloc.solve import make_backend, solve_program
from fundalloc.tiebreak import OBJECTIVE_TOLERANCE, optimal_face, optimum_ranges, reference_for, second_stage

ROOT = Path(__file__).resolve().parents[1]
HEBEI = ROOT / "examples" / "hebei" / "scenario.yaml"


def three_tied(**tie_break):
    """Three counties whose workshop places all employ one person per 1000 元: every way to spend 20 万元 within
    the capacities (A, B ≤ 10 万元, C ≤ 4 万元) is optimal. Last year: 10, 20, 70."""
    units = pd.DataFrame({"id": ["A", "B", "C"], "name": ["甲县", "乙县", "丙县"], "jobs": [100, 100, 40],
                          "last": [10.0, 20.0, 70.0]})
    return fa.Scenario(units=units, budget={"total": 20},
                       measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                       objective={"tie_break": tie_break})


def test_hand_worked_tie_break_toward_last_year():
    # last year scaled to the budget: 2, 4, 14. The closest point of {A + B + C = 20, A, B ≤ 10, C ≤ 4} is
    # found by shifting all three by the same λ and clipping: C = 4, then (2 + λ) + (4 + λ) = 16 gives λ = 5.
    res = fa.solve(three_tied(toward="last"))
    assert res.objective == pytest.approx(200)
    assert res.units["amount"].to_dict() == pytest.approx({"A": 7, "B": 9, "C": 4}, abs=1e-7)
    # each county's range over the optimal allocations: A and B need ≥ 6 (the others at most 10 + 4)
    assert res.units["amount_min_at_optimum"].to_dict() == pytest.approx({"A": 6, "B": 6, "C": 0}, abs=1e-7)
    assert res.units["amount_max_at_optimum"].to_dict() == pytest.approx({"A": 10, "B": 10, "C": 4}, abs=1e-7)
    assert res.units["tie_decided"].tolist() == [True, True, True]
    info = res.summary_dict()["tie_break"]
    assert info["toward"] == "last" and info["ran"] and info["objective_tolerance"] == OBJECTIVE_TOLERANCE
    assert info["units_tied"] == 3 and info["units_fixed_by_optimum"] == 0


def test_hand_worked_tie_break_toward_an_equal_split():
    # 20/3 each would put C above its 4: C = 4 and A = B = 8
    res = fa.solve(three_tied(toward="equal"))
    assert res.units["amount"].to_dict() == pytest.approx({"A": 8, "B": 8, "C": 4}, abs=1e-7)


def test_the_default_reference_is_the_hold_harmless_column_then_an_equal_split():
    sc = three_tied()
    assert fa.solve(sc).summary_dict()["tie_break"]["toward"] == "equal"
    with_floor = sc.with_changes({"rules": [{"type": "hold_harmless", "column": "last", "min_ratio": 0}]})
    res = fa.solve(with_floor)
    assert res.summary_dict()["tie_break"]["toward"] == "last"
    assert res.units["amount"].to_dict() == pytest.approx({"A": 7, "B": 9, "C": 4}, abs=1e-7)


def test_no_tie_break_keeps_the_solvers_choice_and_says_so():
    res = fa.solve(three_tied(toward="none"))
    assert res.objective == pytest.approx(200)
    assert not res.summary_dict()["tie_break"]["ran"]
    assert res.units["tie_decided"].all()                      # the ranges are still measured
    assert "no tie-break" in res.summary()


def test_a_unique_optimum_is_left_alone_and_said_to_be_unique():
    # the workshops fill first (15 万元); the other 5 万元 can only buy posts, and only A has posts
    units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50], "posts": [100, 0]})
    sc = fa.Scenario(units=units, budget={"total": 20}, measures={
        "workshop": {"unit_cost": "1000 元", "capacity": "jobs"},
        "post": {"unit_cost": "2000 元", "effectiveness": 0.5, "capacity": "posts"}})
    res = fa.solve(sc)
    assert res.units["amount"].tolist() == pytest.approx([15, 5])
    assert not res.units["tie_decided"].any()
    assert (res.units["amount_min_at_optimum"] == res.units["amount_max_at_optimum"]).all()
    assert "fixes the money of every one of the 2 counties" in res.summary()


def test_chinese_summary_line():
    res = fa.solve(three_tied(toward="last").model_copy(update={"language": "zh"}))
    assert "同优方案取舍" in res.summary() and "其余3个县" in res.summary()


def test_a_mip_is_not_tie_broken_and_the_note_says_why():
    sc = three_tied(toward="last").model_copy(update={"integer": True})
    res = fa.solve(sc)
    assert not res.summary_dict()["tie_break"]["ran"]
    assert any("mixed-integer quadratic" in n for n in res.notes)
    assert res.units["amount_min_at_optimum"].isna().all()


def test_twins_get_the_same_money_and_the_same_split():
    """Two counties identical in every column, one of them listed first: the LP's vertex gives one of them
    all the contested money; the tie-break splits it equally, per measure too."""
    units = pd.DataFrame({"id": ["t1", "x", "t2"], "name": ["孪1", "别", "孪2"], "jobs": [60, 40, 60],
                          "slots": [30, 10, 30], "last": [5, 9, 5]})
    sc = fa.Scenario(units=units, budget={"total": 11}, measures={
        "workshop": {"unit_cost": "1000 元", "capacity": "jobs"},
        "training": {"unit_cost": "1000 元", "capacity": "slots"}},
        rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 0.5}])
    for backend in ("highs", "pulp"):
        res = fa.solve(sc, backend=backend)
        money = res.units["amount"]
        assert money["t1"] == pytest.approx(money["t2"], rel=1e-9)
        split = res.allocation.pivot(index="unit_id", columns="measure", values="amount")
        assert split.loc["t1"].to_numpy() == pytest.approx(split.loc["t2"].to_numpy(), rel=1e-9, abs=1e-9)
        # two measures of equal worth in one county: the money is spread evenly over them
        assert split.loc["t1", "workshop"] == pytest.approx(split.loc["t1", "training"], rel=1e-9)


def test_the_objective_is_kept_and_the_duals_are_the_policy_lps():
    sc = fa.load_scenario(HEBEI)
    program = build(sc)
    engine = make_backend(sc)
    first = solve_program(engine, program, tie_break=False)
    broken = second_stage(engine, program, first, reference_for(program, first))
    assert broken.extra["tie_break"].ran
    assert program.cost @ broken.x >= (program.cost @ first.x) * (1 - OBJECTIVE_TOLERANCE)
    assert broken.row_dual is first.row_dual and broken.col_dual is first.col_dual
    assert not np.allclose(broken.x, first.x)  # Hebei has ties: the allocation did move


def test_hebei_highs_and_pulp_give_the_same_county_money():
    sc = fa.load_scenario(HEBEI)
    h, p = fa.solve(sc, backend="highs"), fa.solve(sc, backend="pulp")
    assert p.objective == pytest.approx(h.objective, rel=1e-9)
    np.testing.assert_allclose(p.units["amount"], h.units["amount"], rtol=1e-6)
    np.testing.assert_allclose(p.allocation["amount"], h.allocation["amount"], rtol=1e-6, atol=1e-6)
    # 怀安县 can get 693.786 – 850.336 万元 at the optimum (docs/model.md); 54 of the 63 counties are tied
    ranges = h.units.loc["130728", ["amount_min_at_optimum", "amount_max_at_optimum"]]
    assert ranges.tolist() == pytest.approx([693.786, 850.336], abs=1e-6)
    assert int(h.units["tie_decided"].sum()) == 54
    np.testing.assert_allclose(p.units["amount_min_at_optimum"], h.units["amount_min_at_optimum"], rtol=1e-6)
    np.testing.assert_allclose(p.units["amount_max_at_optimum"], h.units["amount_max_at_optimum"], rtol=1e-6)


def test_the_face_from_either_backends_duals_is_the_same():
    """Different optimal duals (the backends disagree on the pool's price) describe the same optimal face."""
    sc = fa.load_scenario(HEBEI)
    program = build(sc)
    faces = [optimal_face(program, solve_program(make_backend(sc, b), program, tie_break=False))
             for b in ("highs", "pulp")]
    (low_h, high_h), (low_p, high_p) = (optimum_ranges(f) for f in faces)
    np.testing.assert_allclose(low_p, low_h, rtol=1e-6)
    np.testing.assert_allclose(high_p, high_h, rtol=1e-6)
    assert (high_h - low_h > 1e-6 * high_h).sum() == 54


def test_max_min_coverage_with_pulp_is_not_called_infeasible():
    """Adversarial review F5: a feasible three-county max_min_coverage scenario. The best rate is
    290 / (20 + 24 + 38) = 353.66 %; every 万元 is needed to reach it, so the allocation is that rate × need."""
    units = pd.DataFrame({"id": ["A", "B", "C"], "name": ["甲县", "乙县", "丙县"], "deep": [0, 1, 0],
                          "zero": [20, 24, 38]})
    sc = fa.Scenario(name="mmc", units=units, groups={"deep": {"column": "deep"}}, weights={"deep": 1.5},
                     budget={"total": 290}, measures={"m": {"unit_cost": 1}},
                     objective={"type": "max_min_coverage", "need": "zero"})
    rate = 290 / 82
    for backend in ("highs", "pulp"):
        res = fa.solve(sc, backend=backend)
        assert res.coverage_rate == pytest.approx(rate, rel=1e-6)
        assert res.units["amount"].tolist() == pytest.approx([20 * rate, 24 * rate, 38 * rate], rel=1e-6)
        assert res.objective == pytest.approx(rate * (20 + 1.5 * 24 + 38), rel=1e-6)


def test_summary_json_says_what_the_tie_break_did(tmp_path):
    res = fa.solve(three_tied(toward="last"))
    res.to_dir(tmp_path, report=True)
    info = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["tie_break"]
    assert info["route"].startswith("the policy LP by HiGHS") and "quadratic" in info["route"]
    units = pd.read_csv(tmp_path / "units.csv", encoding="utf-8-sig")
    assert {"amount_min_at_optimum", "amount_max_at_optimum", "tie_decided"} <= set(units.columns)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "◆ 甲县" in html and "closest to `last` scaled to the budget" in html


def test_a_tie_break_toward_a_missing_column_is_a_scenario_error():
    with pytest.raises(fa.ScenarioError, match="tie_break.*no column `lst`"):
        three_tied(toward="lst")
    with pytest.raises(fa.ScenarioError, match="needs the scenario's `baseline:` section"):
        three_tied(toward="baseline")


# ------------------------------------------------------------------------------------- properties
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_properties import scenarios  # noqa: E402

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_twins(spec: dict, rows: list[int]) -> dict:
    """The scenario with a copy of each of ``rows`` appended (new id and name, every column the same)."""
    units = spec["units"]
    copies = units.iloc[rows].copy()
    copies["id"] = [f"{i}_twin" for i in copies["id"]]
    copies["name"] = [f"{n}孪" for n in copies["name"]]
    return {**spec, "units": pd.concat([units, copies], ignore_index=True)}


def solved_or_skip(spec: dict, **kw):
    try:
        return fa.solve(fa.Scenario(**spec), **kw)
    except fa.InfeasibleError:
        assume(False)


@PROPERTY
@given(scenarios(), st.data())
def test_twins_get_the_same_money(spec, data):
    n = len(spec["units"])
    rows = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
    spec = with_twins(spec, rows)
    res = solved_or_skip(spec)
    assert res.summary_dict()["tie_break"]["ran"]
    money = res.units["amount"]
    split = res.allocation.pivot(index="unit_id", columns="measure", values="amount")
    scale = 1e-6 * max(1.0, float(money.abs().max()))
    for i in spec["units"]["id"].iloc[rows]:
        assert money[f"{i}_twin"] == pytest.approx(money[i], abs=scale)
        assert split.loc[f"{i}_twin"].to_numpy() == pytest.approx(split.loc[i].to_numpy(), abs=scale)


@PROPERTY
@given(scenarios())
def test_the_tie_break_never_lowers_the_objective(spec):
    sc = fa.Scenario(**spec)
    try:
        broken = fa.solve(sc)
    except fa.InfeasibleError:
        assume(False)
    program = broken.program
    first = solve_program(make_backend(sc), program, tie_break=False)
    assert broken.solution.objective >= first.objective - OBJECTIVE_TOLERANCE * max(1.0, abs(first.objective))
    assert broken.objective == pytest.approx(first.objective, rel=2 * OBJECTIVE_TOLERANCE, abs=1e-9)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_highs_and_pulp_give_the_same_money_per_county(spec):
    h = solved_or_skip(spec)
    p = fa.solve(fa.Scenario(**spec), backend="pulp")
    scale = max(1.0, float(h.units["amount"].abs().max()))
    np.testing.assert_allclose(p.units["amount"], h.units["amount"], rtol=1e-6, atol=1e-6 * scale)


def test_sweeps_tornado_and_monte_carlo_use_the_tie_broken_allocation():
    sc = three_tied(toward="last")
    sw = fa.sweep(sc, "budget.total", values=[14, 20])
    # at 14 万元: reference 1.4, 2.8, 9.8; C = 4, then (1.4 + λ) + (2.8 + λ) = 10 gives λ = 2.9
    assert sw.amounts.loc[14].tolist() == pytest.approx([4.3, 5.7, 4.0], abs=1e-7)
    assert sw.amounts.loc[20].tolist() == pytest.approx([7.0, 9.0, 4.0], abs=1e-7)
    assert sw.breakpoints is not None
    mc = fa.monte_carlo(sc, draws=10, seed=3, workers=1,
                        parameters={"budget.total": {"dist": "uniform", "low": 0.8, "high": 1.0}})
    draws = mc.draws
    # every draw is the closest point to last year scaled to its budget T (0.1 T, 0.2 T, 0.7 T): C at its 4,
    # A and B shifted equally from 0.1 T and 0.2 T, so B − A = 0.1 T
    total = draws[["A", "B", "C"]].sum(axis=1)
    assert (draws["C"] - 4).abs().max() < 1e-7
    assert ((draws["B"] - draws["A"]) - 0.1 * total).abs().max() < 1e-7
    assert mc.units.loc["A", "base_amount"] == pytest.approx(7)


def test_monte_carlo_twins_stay_equal_in_every_draw():
    units = pd.DataFrame({"id": ["t1", "x", "t2"], "name": ["孪1", "别", "孪2"], "jobs": [60, 40, 60],
                          "zero": [5, 3, 5]})
    sc = fa.Scenario(units=units, budget={"total": 9}, measures={
        "workshop": {"unit_cost": "1000 元", "capacity": "jobs"},
        "export": {"unit_cost": "2000 元", "effectiveness": 0.8, "capacity": "jobs"}},
        rules=[{"type": "coverage", "column": "zero"}])
    mc = fa.monte_carlo(sc, draws=12, seed=5, workers=1, parameters={
        "measures.*.effectiveness": {"dist": "uniform", "low": 0.7, "high": 1.0}})
    ok = mc.draws[mc.draws["status"] == "optimal"]
    assert len(ok) > 0
    np.testing.assert_allclose(ok["t1"], ok["t2"], rtol=1e-9)


def test_references_remember_the_last_scenario_and_budget_only():
    """A sensitivity run's solver keeps the last reference (the factor formula costs more than a Hebei draw's
    LP): the same scenario at the same budget reuses it; another budget or scenario computes it again."""
    from fundalloc.sensitivity.warm import with_budget
    from fundalloc.tiebreak import References

    sc = fa.load_scenario(HEBEI)
    program = build(sc)
    first = solve_program(make_backend(sc, "highs"), program, ranging=False, tie_break=False)
    references = References()
    once = references(program, first)
    assert references(program, first) is once
    np.testing.assert_array_equal(once.amounts, reference_for(program, first).amounts)
    more = with_budget(program, sc.money(sc.budget.total) * 1.2)
    moved = references(more, first)
    assert moved is not once and moved.amounts.sum() == pytest.approx(once.amounts.sum() * 1.2, rel=1e-9)
    np.testing.assert_array_equal(moved.amounts, reference_for(more, first).amounts)
    households = sc.units["zero_employment_households"].to_numpy(dtype=float)
    households[0] *= 2
    other = build(sc.with_changes({"units.zero_employment_households": households}))
    again = references(other, first)  # the same budget, another scenario: the first county's households doubled
    assert not np.allclose(again.amounts, once.amounts)
    np.testing.assert_array_equal(again.amounts, reference_for(other, first).amounts)
