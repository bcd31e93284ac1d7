"""Solvers stop in time and say so (adversarial review F21): PuLP/CBC gets a default time limit, a stop at the
limit is a TimeLimitError (CLI exit 2) whose message names the limit and the faster backend, never 'Optimal'."""
import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc import cli
from fundalloc.backends.pulp import DEFAULT_TIME_LIMIT, PulpBackend


def hard_integer_scenario(folder=None) -> fa.Scenario:
    """400 units, two measures, whole persons, a per-head tilt: neither CBC nor HiGHS proves the optimum within
    30 seconds at the default gap."""
    rng = np.random.default_rng(1)
    n = 400
    units = pd.DataFrame({"id": [f"u{i:03d}" for i in range(n)], "name": [f"U{i}" for i in range(n)],
                          "cap": rng.integers(5, 50, n), "cost": rng.uniform(0.13, 0.97, n).round(3),
                          "deep": rng.integers(0, 2, n), "pop": rng.integers(100, 1000, n)})
    return fa.Scenario(
        units=units, budget={"total": 1234.567}, integer=True, groups={"deep": {"column": "deep"}},
        weights={"deep": 1.37},
        measures={"a": {"unit_cost": "cost", "capacity": "cap", "effectiveness": 0.71},
                  "b": {"unit_cost": {"product": ["cost", 1.7]}, "capacity": "cap", "effectiveness": 1.13,
                        "max_effectiveness": 1.2}},  # a measure that employs others too
        rules=[{"type": "pool", "column": "cap"},
               {"type": "per_capita_tilt", "group": "deep", "population": "pop", "ratio": 1.2}],
        solver={"backend": "pulp", "time_limit": 2})


def test_pulp_has_a_default_time_limit_that_reaches_the_solver():
    assert PulpBackend().time_limit == DEFAULT_TIME_LIMIT
    assert PulpBackend()._solver().timeLimit == DEFAULT_TIME_LIMIT
    assert PulpBackend(time_limit=5)._solver().timeLimit == 5


def test_a_stop_at_the_time_limit_names_the_limit_and_the_better_backend_and_never_says_optimal():
    with pytest.raises(fa.TimeLimitError) as caught:
        fa.solve(hard_integer_scenario())
    message = str(caught.value)
    assert "time limit of 2 s" in message and "HiGHS backend" in message and "solver.time_limit" in message
    assert "Optimal" not in message
    assert isinstance(caught.value, fa.SolverError)


def hard_integer_files(folder) -> str:
    """:func:`hard_integer_scenario` as a scenario file and its units table in ``folder``; the file's path."""
    sc = hard_integer_scenario()
    sc.units.drop(columns=["_row"]).to_csv(folder / "units.csv", index=False)
    (folder / "s.yaml").write_text(
        "units: {file: units.csv}\nbudget: {total: 1234.567}\ninteger: true\ngroups: {deep: {column: deep}}\n"
        "weights: {deep: 1.37}\nmeasures:\n  a: {unit_cost: cost, capacity: cap, effectiveness: 0.71}\n"
        "  b: {unit_cost: {product: [cost, 1.7]}, capacity: cap, effectiveness: 1.13, max_effectiveness: 1.2}\n"
        "rules:\n  - {type: pool, column: cap}\n  - {type: per_capita_tilt, group: deep, population: pop, ratio: 1.2}\n",
        encoding="utf-8")
    return str(folder / "s.yaml")


def test_the_command_line_exits_2_at_the_time_limit(tmp_path, capsys):
    code = cli.main([hard_integer_files(tmp_path), "--out", str(tmp_path / "out"), "--backend", "pulp",
                     "--set", "solver.time_limit=2"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "time limit of 2 s" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
