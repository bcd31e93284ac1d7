"""Monte Carlo: the same numbers for a seed on any executor and worker count, drawn values kept valid,
failed draws recorded, quantiles per unit, and Sobol indices through SALib."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.sensitivity.montecarlo import _Job, _parameters, draw, inverse_cdf

PARAMETERS = {
    "measures.*.effectiveness": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2},
    "measures.export.unit_cost": {"dist": "lognormal", "sd": 0.15},
    "units.households": {"dist": "normal", "sd": 0.1},
    "budget.total": {"dist": "uniform", "low": 27, "high": 33, "relative": False},
}


def three_counties(parameters=PARAMETERS, draws=40, **extra) -> fa.Scenario:
    units = pd.DataFrame({"id": ["a", "b", "c"], "name": ["康保县", "阳原县", "赞皇县"], "jobs": [100, 80, 120],
                          "poor": [1, 1, 0], "households": [20, 10, 15], "last_year": [8.0, 6.0, 10.0]})
    return fa.Scenario(
        name="three-counties", units=units, groups={"poor": {"column": "poor"}}, weights={"poor": 1.5},
        budget={"total": 30},
        measures={"workshop": {"unit_cost": 0.1, "capacity": "jobs"},
                  "export": {"unit_cost": "2000 元", "effectiveness": 0.9, "capacity": "jobs"}},
        rules=[{"type": "coverage", "name": "zero_employment", "column": "households"},
               {"type": "hold_harmless", "name": "floor", "column": "last_year", "min_ratio": 0.9}],
        sensitivity={"monte_carlo": {"draws": draws, "seed": 42, "parameters": parameters}}, **extra)


def test_the_same_seed_gives_the_same_draws_and_another_seed_other_draws():
    sc = three_counties()
    first, again = fa.monte_carlo(sc, workers=1), fa.monte_carlo(sc, workers=1)
    pd.testing.assert_frame_equal(first.draws, again.draws)
    other = fa.monte_carlo(sc, seed=43, workers=1)
    assert not np.allclose(first.draws["objective"], other.draws["objective"])


def test_each_draw_takes_its_numbers_from_its_own_spawned_seed_sequence():
    sc = three_counties()
    job = _Job(sc, _parameters(sc, sc.sensitivity.monte_carlo.parameters), seed=42)
    rng = np.random.default_rng(np.random.SeedSequence(42).spawn(10)[7])
    u = rng.random(1)  # the first parameter: the workshop's effectiveness
    drawn = draw(job, 7).drawn
    assert drawn["measures.workshop.effectiveness"] == pytest.approx(
        float(inverse_cdf(job.parameters[0].dist, u)[0]))


def test_the_numbers_do_not_depend_on_the_number_of_worker_processes():
    sc = three_counties(draws=60)
    here = fa.monte_carlo(sc, workers=1)
    with ProcessPoolExecutor(1) as one, ProcessPoolExecutor(2) as two:
        pd.testing.assert_frame_equal(here.draws, fa.monte_carlo(sc, executor=one).draws)
        pd.testing.assert_frame_equal(here.draws, fa.monte_carlo(sc, executor=two).draws)
    pd.testing.assert_frame_equal(here.draws, fa.monte_carlo(sc, workers=2).draws)


def test_a_dask_cluster_gives_the_same_numbers_as_local_processes():
    distributed = pytest.importorskip("distributed")
    sc = three_counties(draws=60)
    local = fa.monte_carlo(sc, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  processes=True) as cluster, distributed.Client(cluster) as client:
        remote = fa.monte_carlo(sc, executor=client.get_executor())
    pd.testing.assert_frame_equal(local.draws, remote.draws)


def test_draws_table_units_and_outcome_say_what_the_spec_says():
    sc = three_counties()
    mc = fa.monte_carlo(sc, workers=1, progress=True)
    assert list(mc.draws.columns[:4]) == ["draw", "status", "objective", "total_outcome"]
    assert {"a", "b", "c", "budget.total", "measures.export.unit_cost"} <= set(mc.draws.columns)
    assert mc.draws["draw"].tolist() == list(range(40))
    assert mc.draws["budget.total"].between(27, 33).all()
    assert list(mc.units.columns) == ["unit_name", "base_amount", "mean", "p05", "p50", "p95", "within_10pct"]
    base = fa.solve(sc).units["amount"]
    assert mc.units["base_amount"].to_numpy() == pytest.approx(base.to_numpy())
    ok = mc.draws[mc.draws["status"] == "optimal"]
    amounts = ok[["a", "b", "c"]].to_numpy()
    assert mc.units["p50"].to_numpy() == pytest.approx(np.median(amounts, axis=0))
    within = (np.abs(amounts - base.to_numpy()) <= 0.1 * base.to_numpy() + 1e-6).mean(axis=0)
    assert mc.units["within_10pct"].to_numpy() == pytest.approx(within)
    assert mc.outcome.loc["objective", "p05"] <= mc.outcome.loc["objective", "p50"] <= mc.outcome.loc["objective", "p95"]
    assert "康保县" in mc.summary() or "units keep within" in mc.summary()
    chart = mc.plot().svg  # an SVG chart: the histogram and each unit's band, names as text
    assert chart.startswith("<svg") and all(f">{name}<" in chart for name in mc.units["unit_name"])


def test_drawn_values_are_kept_valid_and_impossible_draws_are_recorded():
    wild = {"measures.workshop.unit_cost": {"dist": "normal", "sd": 3.0},          # would go below 0
            "units.households": {"dist": "normal", "sd": 2.0},                     # counts below 0
            "budget.total": {"dist": "uniform", "low": 10, "high": 40, "relative": False}}  # floors need 21.6
    sc = three_counties(parameters=wild)
    job = _Job(sc, _parameters(sc, wild), seed=1)
    for number in range(40):
        changes = draw(job, number).changes(job)
        assert np.all(changes["units.households"] >= 0)
        assert changes["measures.workshop.unit_cost"] >= 0.1 * 0.01
    mc = fa.monte_carlo(sc, workers=1)
    statuses = set(mc.draws["status"])
    assert "infeasible" in statuses and "optimal" in statuses
    bad = mc.draws["status"] == "infeasible"
    assert bad[mc.draws["budget.total"] < 21.6].all()
    assert mc.draws.loc[bad, ["objective", "a", "b", "c"]].isna().all().all()


def test_a_distribution_missing_its_parameters_is_named():
    with pytest.raises(fa.ScenarioError, match="`triangular` needs `low` and `high`"):
        fa.monte_carlo(three_counties(), parameters={"budget.total": {"dist": "triangular", "mode": 1}})
    with pytest.raises(fa.ScenarioError, match="budget.totl"):
        fa.monte_carlo(three_counties(), parameters={"budget.totl": {"dist": "normal", "sd": 0.1}})


def test_sobol_indices_rank_the_budget_above_a_measure_nobody_uses():
    parameters = {"budget.total": {"dist": "uniform", "low": 0.9, "high": 1.1},
                  "measures.export.effectiveness": {"dist": "uniform", "low": 0.99, "high": 1.01}}
    sc = three_counties(parameters=parameters)
    mc = fa.monte_carlo(sc, draws=64, workers=1, method="sobol")
    assert len(mc.draws) == 64 * (2 + 2)
    sobol = mc.sobol.set_index("parameter")
    assert list(mc.sobol.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert sobol.loc["budget.total", "ST"] > 0.9 > sobol.loc["measures.export.effectiveness", "ST"]
