"""Benchmark of the sensitivity machinery: a warm budget sweep against separate solves, and Monte Carlo draws
per second with one and two worker processes.

    python benchmarks/bench_sensitivity.py                 # examples/hebei/scenario.yaml, 101 points, 1,000 draws
    python benchmarks/bench_sensitivity.py --draws 200 --synthetic

Targets (issue 4): the 101-point budget sweep at least 5× faster than 101 separate ``fa.solve`` calls;
1,000 Monte Carlo draws on the Hebei example in under 30 s on a 2-core machine. Without the Hebei example (or
with ``--synthetic``) it runs on a generated scenario of 62 counties × 7 measures with the same rules.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

import fundalloc as fa

HEBEI = Path(__file__).resolve().parents[1] / "examples" / "hebei" / "scenario.yaml"
MC_PARAMETERS = {  # the SPEC's example, for a scenario without its own monte_carlo section
    "measures.*.effectiveness": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2, "relative": True},
    "units.zero_employment_households": {"dist": "normal", "sd": 0.1, "relative": True},
}


def synthetic(n: int = 62, seed: int = 7) -> fa.Scenario:
    """62 counties × 7 measures with pools, a coverage rule, a 45 % tilt and a 90 % hold-harmless floor."""
    rng = np.random.default_rng(seed)
    labour = rng.integers(5000, 40000, n)
    units = pd.DataFrame({
        "id": [f"13{i:04d}" for i in range(n)], "name": [f"县{i}" for i in range(n)],
        "deep_poverty": rng.random(n) < 0.2,
        "relocation_pop": np.where(rng.random(n) < 0.3, rng.integers(1000, 20000, n), 0),
        "poor_labour": labour,
        "unemployed_poor_labour": (labour * rng.uniform(0.2, 0.35, n)).round(),
        "workshop_jobs": (labour * rng.uniform(0.02, 0.06, n)).round(),
        "post_slots": (labour * rng.uniform(0.03, 0.08, n)).round(),
        "startup_slots": (labour * rng.uniform(0.005, 0.02, n)).round(),
        "training_places": (labour * rng.uniform(0.03, 0.06, n)).round(),
        "zero_employment_households": rng.integers(10, 120, n),
        "hourly_min_wage": rng.choice([16, 17, 18, 19], n),
        "poor_graduates": rng.integers(20, 200, n),
    })
    units["last_year"] = (units["poor_labour"] / units["poor_labour"].sum() * 42000 * rng.uniform(0.8, 1.2, n)).round(1)
    measures = {
        "workshop_absorption": {"unit_cost": "1000 元", "effectiveness": 1.0, "capacity": "workshop_jobs"},
        "workshop_training": {"unit_cost": "1800 元", "effectiveness": 0.9, "capacity": "workshop_jobs"},
        "labour_export": {"unit_cost": "2000 元", "capacity": {"column": "poor_labour", "factor": 0.3},
                          "effectiveness": [{"share": 0.5, "value": 0.9}, {"share": 0.5, "value": 0.6}]},
        "public_welfare_post": {"unit_cost": {"product": ["hourly_min_wage", 60, 12], "unit": "元"},
                                "effectiveness": 1.0, "capacity": "post_slots"},
        # a returnee's business hires others: 2.5 persons employed per business funded
        "startup": {"unit_cost": "5000 元", "effectiveness": 2.5, "max_effectiveness": 3,
                    "capacity": "startup_slots"},
        "skills_training": {"unit_cost": "1500 元", "effectiveness": 0.5, "capacity": "training_places"},
        "graduate_help": {"unit_cost": "3000 元", "effectiveness": 0.95, "capacity": "poor_graduates"},
    }
    rules = [
        {"type": "pool", "name": "no_double_claim", "measures": ["workshop_absorption", "workshop_training"],
         "column": "workshop_jobs"},
        {"type": "pool", "name": "one_person_one_measure", "measures": "all", "column": "unemployed_poor_labour"},
        {"type": "coverage", "name": "zero_employment", "measures": "all", "column": "zero_employment_households"},
        {"type": "group_share", "name": "tilt", "group": "priority", "min": 0.45},
        {"type": "hold_harmless", "column": "last_year", "min_ratio": 0.9},
    ]
    return fa.Scenario(
        name="synthetic-62x7", units=units,
        groups={"deep_poverty": {"column": "deep_poverty"}, "relocation": {"column": "relocation_pop", ">=": 10000},
                "priority": {"any": ["deep_poverty", "relocation"]}},
        weights={"deep_poverty": 1.5, "relocation": 1.3}, budget={"total": 60000, "spend_all": True},
        measures=measures, rules=rules,
        sensitivity={"monte_carlo": {"draws": 1000, "seed": 42, "parameters": MC_PARAMETERS}})


def separate_solves(sc: fa.Scenario, budgets) -> tuple[float, list[float]]:
    """What an analyst without sweep would do: one ``fa.solve`` per budget."""
    start, objectives = time.perf_counter(), []
    for b in budgets:
        try:
            objectives.append(fa.solve(sc.with_changes({"budget.total": float(b)})).objective)
        except fa.InfeasibleError:
            objectives.append(np.nan)
    return time.perf_counter() - start, objectives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=101, help="budget sweep points (default 101)")
    parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws per run (default 1000)")
    parser.add_argument("--synthetic", action="store_true", help="use the generated 62 × 7 scenario")
    args = parser.parse_args()

    if HEBEI.exists() and not args.synthetic:
        sc, label = fa.load_scenario(HEBEI), "examples/hebei/scenario.yaml"
    else:
        sc, label = synthetic(), "synthetic 62 counties × 7 measures"
    program = fa.build(sc)
    base = sc.money(sc.budget.total)
    budgets = np.linspace(0.85 * base, 1.35 * base, args.points)
    print(f"scenario: {label}: {program.n_units} units, {len(program.measures)} measures, "
          f"{program.n_cols} columns, {len(program.row_lower)} rows")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}\n")

    fa.sweep(sc, "budget.total", values=budgets[:3])  # imports and first-use costs out of the timings
    start = time.perf_counter()
    sw = fa.sweep(sc, "budget.total", values=budgets)
    warm = time.perf_counter() - start
    cold, objectives = separate_solves(sc, budgets)
    gap = np.nanmax(np.abs(sw.table["objective"].to_numpy() - np.asarray(objectives)))
    start = time.perf_counter()
    breakpoints = sw.breakpoints
    traced = time.perf_counter() - start

    rows = [
        ("budget sweep, warm (fa.sweep)", f"{args.points} points", warm, f"{args.points / warm:,.0f} points/s"),
        ("separate fa.solve calls", f"{args.points} points", cold, f"{args.points / cold:,.0f} points/s"),
        ("  speed-up of the sweep", "", np.nan, f"{cold / warm:.1f}× (target ≥ 5×)"),
        ("  largest objective difference", "", np.nan, f"{gap:.2g}"),
        ("exact budget breakpoints", f"{len(breakpoints)} kinks", traced, ""),
    ]
    spec = sc.sensitivity.monte_carlo if sc.sensitivity is not None else None
    parameters = spec.parameters if spec is not None else MC_PARAMETERS
    results = {}
    for workers in (1, 2):
        start = time.perf_counter()
        results[workers] = fa.monte_carlo(sc, draws=args.draws, seed=42, workers=workers, parameters=parameters)
        seconds = time.perf_counter() - start
        rows.append((f"Monte Carlo, {workers} worker{'s' if workers > 1 else ''}", f"{args.draws} draws", seconds,
                     f"{args.draws / seconds:,.0f} draws/s" + (" (target < 30 s)" if args.draws == 1000 else "")))
    same = results[1].draws.equals(results[2].draws)
    rows.append(("  same draws with 1 and 2 workers", "", np.nan, "yes" if same else "NO"))

    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'size':>12}  {'seconds':>8}  result")
    for what, size, seconds, result in rows:
        print(f"{what:<{width}}  {size:>12}  {'' if np.isnan(seconds) else f'{seconds:8.2f}':>8}  {result}")


if __name__ == "__main__":
    main()
