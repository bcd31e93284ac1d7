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
