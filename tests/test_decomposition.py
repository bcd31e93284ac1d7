"""The decomposition solver gives the full LP's optimum: objective, duals and a certified gap."""
import sys
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

import fundalloc as fa
from fundalloc.backends.highs import HighsBackend, pass_arrays
from fundalloc.decomposition.form import block_form
from fundalloc.decomposition.method import duality_gap, solve_decomposed
from fundalloc.decomposition.oracle import INFEASIBLE, OPTIMAL, solve_blocks
from fundalloc.solve import check_feasible

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import make_scenario  # noqa: E402


def highs_block(r, D, lo, hi, U):
    h = pass_arrays(r, np.zeros(len(r)), U, sp.csr_matrix(D), lo, hi, maximise=True)
    h.run()
    return h


def test_block_oracle_matches_highs_on_random_blocks():
    rng = np.random.default_rng(1)
    n, R, C = 300, 4, 7
    D = rng.normal(size=(n, R, C)) * (rng.random((n, R, C)) < 0.7)
    U = rng.uniform(1, 10, (n, C))
    U[rng.random((n, C)) < 0.05] = 0
    act = np.einsum("urc,uc->ur", D, rng.random((n, C)) * U)
    lo = np.where(rng.random((n, R)) < 0.5, act - rng.uniform(0, 5, (n, R)), -np.inf)
    hi = np.where(rng.random((n, R)) < 0.7, act + rng.uniform(0, 5, (n, R)), np.inf)
    lo[:20, 0] = hi[:20, 0] = act[:20, 0]                      # equality rows
    lo[20:30, 1] = 1e6                                         # rows no allocation reaches
    r = rng.normal(size=(n, C))
    r[30:60] = np.round(r[30:60])                              # ties
    out = solve_blocks(r, D, lo, hi, U)
    for u in range(n):
        h = highs_block(r[u], D[u], lo[u], hi[u], U[u])
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            assert out.status[u] == INFEASIBLE
            continue
        assert out.status[u] == OPTIMAL
        best = h.getInfo().objective_function_value
        assert r[u] @ out.x[u] == pytest.approx(best, rel=1e-9, abs=1e-9)
        # the duals prove it: the bound they give equals the value
        y, dj = out.y[u], out.dj[u]
        np.testing.assert_allclose(dj, r[u] - D[u].T @ y, atol=1e-8)
        with np.errstate(invalid="ignore"):  # 0 × ∞ on a side no dual prices
            bound = np.where(y > 0, y * hi[u], np.where(y < 0, y * lo[u], 0)).sum() + np.where(dj > 0, dj * U[u], 0).sum()
        assert bound == pytest.approx(best, rel=1e-9, abs=1e-9)


def full_and_decomposed(sc, **kw):
    program = fa.build(sc)
    full = HighsBackend(method="simplex").solve(program, ranging=False)
    decomposed = solve_decomposed(program, fallback=lambda p: HighsBackend().solve(p, ranging=False), **kw)
    return program, full, decomposed


@pytest.mark.parametrize("budget_share", [0.1, 0.35])
def test_decomposition_equals_the_full_lp_with_every_rule_type(budget_share):
    program, full, dec = full_and_decomposed(make_scenario(1500, 6, seed=2, budget_share=budget_share))
    report = dec.extra["decomposition"]
    assert not report.fallback
    assert dec.objective == pytest.approx(full.objective, rel=1e-9)
    check_feasible(program, dec)
    assert report.duality_gap <= 1e-9
    assert duality_gap(program, dec.x, dec.row_dual) <= 1e-9
    np.testing.assert_allclose(dec.row_dual, full.row_dual, atol=1e-7 * np.abs(full.row_dual).max())


def test_wrong_starting_multipliers_still_reach_the_optimum():
    sc = make_scenario(800, 5, seed=4)
    program = fa.build(sc)
    form = block_form(program)
    wrong = (np.full(form.K, 3.0), np.zeros(form.n_aux))
    program, full, dec = full_and_decomposed(sc, start=wrong)
    assert dec.objective == pytest.approx(full.objective, rel=1e-9)
    assert dec.extra["decomposition"].duality_gap <= 1e-9


def test_without_a_certificate_the_full_lp_answers():
    program, full, dec = full_and_decomposed(make_scenario(600, 5, seed=5), max_rounds=0)
    report = dec.extra["decomposition"]
    assert report.fallback and "no certificate" in report.reason
    assert dec.objective == pytest.approx(full.objective, rel=1e-12)


# ---------------------------------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import pandas as pd  # noqa: E402

PROPERTY = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def big_scenarios(draw):
    """50–3,000 units with every rule type, a two-step measure, sometimes an uncapped one (boxed by a unit
    ceiling), max_outcome or min_cost; the tables from a drawn seed."""
    n = draw(st.integers(50, 3000))
    k = draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    costs = rng.choice([500.0, 1000.0, 1500.0, 2000.0, 3000.0], size=k)      # repeated costs: ties
    table = {"id": [f"u{i:05d}" for i in range(n)], "name": [f"县{i}" for i in range(n)],
             "flag": (rng.random(n) < 0.2).astype(int), "zero": rng.integers(0, 6, n),
             "pop": rng.integers(1000, 50_000, n)}
    measures = {}
    uncapped = draw(st.booleans())
    for j in range(k):
        table[f"cap{j}"] = rng.integers(20, 200, n)
        steps = [{"share": 0.5, "value": 1.0}, {"share": 0.5, "value": 0.6}] if j == 0 else \
            float(rng.choice([0.5, 0.8, 1.0]))
        measures[f"m{j}"] = {"unit_cost": f"{costs[j]:g} 元", "effectiveness": steps,
                             "capacity": None if (uncapped and j == k - 1) else f"cap{j}"}
    units = pd.DataFrame(table)
    # one pool over m0 and m1, sometimes binding; last year's money reachable under it
    units["pool"] = np.ceil((units["cap0"] + units["cap1"]) * rng.uniform(0.5, 1.1, n)).astype(int)
    cap_money = sum(units[f"cap{j}"] * costs[j] / 1e4 for j in range(k))
    dearer = int(costs[1] > costs[0])
    reachable = sum(units[f"cap{j}"] * costs[j] / 1e4 for j in range(2, k)) \
        + np.minimum(units["pool"], units[f"cap{dearer}"]) * costs[dearer] / 1e4
    units["last"] = np.floor(reachable * rng.uniform(0, 0.3, n) * 4) / 4
    budget = float(np.ceil(units["last"].sum() + cap_money.sum() * draw(st.floats(0.1, 0.6)))) + 1
    rules = [{"type": "hold_harmless", "column": "last", "min_ratio": 0.9},
             {"type": "pool", "name": "one_person_one_measure", "measures": ["m0", "m1"], "column": "pool"},
             {"type": "coverage", "name": "zero_employment", "column": "zero"},
             {"type": "min_coverage_rate", "name": "fairness", "column": "zero", "rate": 0.5},
             {"type": "unit_bounds", "name": "ceiling", "max": float(cap_money.max() * 1.5)}]
    if draw(st.booleans()):
        rules.append({"type": "group_share", "name": "tilt", "group": "flagged",
                      "min": draw(st.sampled_from([0.1, 0.25]))})
    if draw(st.booleans()):
        rules.append({"type": "per_capita_tilt", "name": "per_head", "group": "flagged", "population": "pop",
                      "ratio": draw(st.sampled_from([0.5, 1.0]))})
    if draw(st.booleans()):
        rules.append({"type": "earmark", "measures": ["m1"], "max": 0.5})
    objective = {"type": "max_outcome"}
    if draw(st.booleans()):
        objective = {"type": "min_cost", "targets": {"total": float(units["zero"].sum() + n * 5)}}
    return dict(units=units, budget={"total": budget}, measures=measures, rules=rules, objective=objective,
                groups={"flagged": {"column": "flag"}}, weights={"flagged": 1.5})


def _solved(spec, **kw):
    sc = fa.Scenario(**spec)
    program = fa.build(sc)
    full = HighsBackend(method="simplex").solve(program, ranging=False)
    if full.status != "optimal":
        return program, full, None
    dec = solve_decomposed(program, fallback=lambda p: HighsBackend().solve(p, ranging=False), **kw)
    return program, full, dec


def _same_optimum(program, full, dec):
    assert dec.status == "optimal"
    assert dec.objective == pytest.approx(full.objective, rel=1e-9, abs=1e-9)
    check_feasible(program, dec)
    # the assembled duals prove the optimum on the full matrix: they are optimal duals too
    assert duality_gap(program, dec.x, dec.row_dual) <= 1e-9


@PROPERTY
@given(big_scenarios())
def test_decomposition_equals_the_full_lp_on_random_scenarios(spec):
    program, full, dec = _solved(spec)
    if dec is not None:
        _same_optimum(program, full, dec)


@PROPERTY
@given(big_scenarios(), st.floats(-3, 3), st.floats(0, 2))
def test_decomposition_recovers_from_wrong_multipliers(spec, offset, aux_value):
    form = block_form(fa.build(fa.Scenario(**spec)))
    start = (np.full(form.K, offset), np.full(form.n_aux, aux_value))
    program, full, dec = _solved(spec, start=start)
    if dec is not None:
        _same_optimum(program, full, dec)


def test_solver_method_decomposition_through_solve_and_summary():
    sc = make_scenario(3000, 5, seed=7).with_changes({"solver.method": "decomposition"})
    res = fa.solve(sc)
    full = fa.solve(sc.with_changes({"solver.method": "simplex"}))
    assert res.objective == pytest.approx(full.objective, rel=1e-9)
    assert res.total_allocated == pytest.approx(full.total_allocated, rel=1e-6)
    solver = res.summary_dict()["solver"]
    assert solver["method"] == "decomposition"
    report = solver["decomposition"]
    assert report["certified_gap"] <= 1e-9 and not report["fallback"] and report["rounds"] >= 1
    assert any("ranging is not available" in n for n in res.notes)
    assert res.ranging.empty
    # the shadow prices are the full LP's where they are unique (the budget here)
    assert res.shadow_prices["budget"] == pytest.approx(full.shadow_prices["budget"], rel=1e-7)


def test_the_compiled_block_oracle_gives_the_numpy_oracles_answers():
    pytest.importorskip("numba")
    rng = np.random.default_rng(3)
    n, R, C = 500, 4, 6
    D = rng.normal(size=(n, R, C)) * (rng.random((n, R, C)) < 0.7)
    U = rng.uniform(1, 10, (n, C))
    act = np.einsum("urc,uc->ur", D, rng.random((n, C)) * U)
    lo = np.where(rng.random((n, R)) < 0.5, act - rng.uniform(0, 5, (n, R)), -np.inf)
    hi = np.where(rng.random((n, R)) < 0.7, act + rng.uniform(0, 5, (n, R)), np.inf)
    lo[:10, 1] = 1e6                                           # infeasible units
    r = np.round(rng.normal(size=(n, C)), 1)                   # many ties
    a = solve_blocks(r, D, lo, hi, U, basis=True, compiled=False)
    b = solve_blocks(r, D, lo, hi, U, basis=True, compiled=True)
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.iterations, b.iterations)
    ok = a.status == OPTIMAL
    for name in ("x", "y", "dj", "tableau", "d"):
        np.testing.assert_allclose(getattr(b, name)[ok], getattr(a, name)[ok], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(a.basic[ok], b.basic[ok])


def test_decomposition_with_the_compiled_oracle_equals_the_full_lp(monkeypatch):
    pytest.importorskip("numba")
    from fundalloc.decomposition import method
    monkeypatch.setattr(method, "COMPILED_MIN_UNITS", 0)
    program, full, dec = full_and_decomposed(make_scenario(1500, 6, seed=8, budget_share=0.1))
    assert not dec.extra["decomposition"].fallback
    assert dec.objective == pytest.approx(full.objective, rel=1e-9)
    assert duality_gap(program, dec.x, dec.row_dual) <= 1e-9


def test_a_resolve_starts_from_the_last_multipliers_and_stays_exact():
    from fundalloc.decomposition import DecompositionBackend

    sc = make_scenario(2000, 5, seed=9)
    engine = DecompositionBackend()
    first = engine.solve(fa.build(sc))
    changed = fa.build(sc.with_changes({"budget.total": sc.budget.total * 0.9}))
    again = engine.resolve(changed)
    full = HighsBackend(method="simplex").solve(changed, ranging=False)
    assert again.objective == pytest.approx(full.objective, rel=1e-9)
    assert first.extra["decomposition"].started_from == "sample"
    assert again.extra["decomposition"].started_from == "given"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(big_scenarios())
def test_after_the_tie_break_every_unit_gets_the_full_lps_money(spec):
    units = spec["units"].head(400)                           # the tie-break's QP is the slow part here
    spec = {**spec, "units": units, "budget": {"total": float(units["last"].sum() + 50)}}
    if spec["objective"]["type"] == "min_cost":
        spec["objective"] = {"type": "min_cost", "targets": {"total": float(units["zero"].sum() + 5 * len(units))}}
    try:
        full = fa.solve(fa.Scenario(**spec, solver={"method": "simplex"}), ranging=False)
    except fa.InfeasibleError:
        return
    dec = fa.solve(fa.Scenario(**spec, solver={"method": "decomposition"}), ranging=False)
    assert dec.tie_break.ran == full.tie_break.ran
    assert dec.objective == pytest.approx(full.objective, rel=1e-9, abs=1e-9)
    a, b = full.units["amount"].to_numpy(), dec.units["amount"].to_numpy()
    np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(a).max()))


# ------------------------------------------------------------------- the matrix, block by block


def _random_point(program, rng):
    upper = np.where(np.isfinite(program.col_upper), program.col_upper, program.col_lower + 10.0)
    return program.col_lower + rng.random(program.n_cols) * (upper - program.col_lower)


@PROPERTY
@given(big_scenarios(), st.integers(0, 2**31))
def test_block_by_block_products_equal_the_sparse_matrix_s(spec, seed):
    rng = np.random.default_rng(seed)
    sc = fa.Scenario(**spec)
    blockwise, sparse = fa.build(sc), fa.build(sc)
    A = sparse.matrix
    assert blockwise._csr is None  # nothing made the sparse matrix of this one
    x = _random_point(blockwise, rng)
    y = rng.normal(size=len(blockwise.row_lower)) * (rng.random(len(blockwise.row_lower)) < 0.5)
    magnitude = abs(A)

    def close(got, want, scale):
        assert np.all(np.abs(got - want) <= 1e-12 * (1.0 + scale))

    close(blockwise.times(x), A @ x, magnitude @ np.abs(x))
    other = _random_point(blockwise, rng)
    both = blockwise.times(np.column_stack([x, other]))  # several vectors at once
    close(both[:, 0], A @ x, magnitude @ np.abs(x))
    close(both[:, 1], A @ other, magnitude @ np.abs(other))
    close(blockwise.transposed_times(y), A.T @ y, magnitude.T @ np.abs(y))
    close(blockwise.transposed_times(np.abs(y), absolute=True), magnitude.T @ np.abs(y), magnitude.T @ np.abs(y))
    np.testing.assert_array_equal(blockwise.row_sizes(), sparse.row_sizes())
    assert (blockwise.aux_columns() != A[:, blockwise.n_alloc:].tocsc()).nnz == 0
    assert blockwise._csr is None
    assert (blockwise.matrix != A).nnz == 0  # made when asked for


def test_the_certified_gap_block_by_block_is_the_gap_on_the_sparse_matrix():
    # the decomposition proves its answer without making the full matrix; the same duals on the sparse matrix
    # give the same gap
    program = fa.build(make_scenario(2000, 6, seed=3))
    dec = solve_decomposed(program, fallback=lambda p: pytest.fail("fell back"))
    assert program._csr is None
    blockwise = dec.extra["decomposition"].duality_gap
    A = program.matrix
    on_matrix = duality_gap(program, dec.x, dec.row_dual, activity=A @ dec.x, col_dual=program.cost - A.T @ dec.row_dual)
    assert program._csr is not None
    assert blockwise <= 1e-9 and abs(blockwise - on_matrix) <= 1e-12
    assert np.all(np.abs(dec.row_activity - A @ dec.x) <= 1e-12 * (1 + abs(A) @ np.abs(dec.x)))


def test_a_coefficient_too_large_is_named_as_before_without_the_matrix():
    from fundalloc.errors import ScenarioError
    from fundalloc.program import MAX_COEFFICIENT

    sc = make_scenario(300, 4, seed=1)
    program = fa.build(sc)
    block = next(b for b in program.block_info.values() if b.units is not None and b.coef.any())
    row = int(np.flatnonzero(block.coef.any(axis=1))[7])
    slot = int(np.flatnonzero(block.coef[row])[-1])
    block.coef[row, slot] = 2 * MAX_COEFFICIENT
    from fundalloc.program import check_numbers
    with pytest.raises(ScenarioError) as lazy:
        check_numbers(program)
    assert program._csr is None
    _ = program.matrix
    with pytest.raises(ScenarioError) as made:
        check_numbers(program)
    assert str(lazy.value) == str(made.value)
    unit = int(block.units[row])
    assert sc.units["id"].iat[unit] in str(lazy.value) and block.name in str(lazy.value)


def test_a_block_with_several_rows_in_one_unit_multiplies_as_its_sparse_rows():
    from fundalloc.program import RowBlock

    rng = np.random.default_rng(5)
    n, slots = 6, 3
    block = RowBlock("b", "test", rng.normal(size=(4, slots)), np.zeros(4), np.ones(4), units=np.array([4, 1, 4, 0]),
                     aux={n * slots + 1: np.array([0.0, 2.0, -1.0, 0.5])})
    counts, columns, values = block.csr(n)
    A = sp.csr_matrix((values, columns, np.r_[0, np.cumsum(counts)]), shape=(4, n * slots + 2))
    x, y = rng.normal(size=n * slots + 2), rng.normal(size=4)
    by_unit = x[:n * slots].reshape(slots, n).T.copy()
    np.testing.assert_allclose(block.times(by_unit, x), A @ x, rtol=1e-12)
    for absolute in (False, True):
        into, out = np.zeros((n, slots)), np.zeros(n * slots + 2)
        block.add_transposed(y, into, out, absolute=absolute)
        out[:n * slots] = into.T.ravel()
        want = (abs(A) if absolute else A).T @ y
        np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(block.row_sizes(), abs(A).max(axis=1).toarray().ravel())
