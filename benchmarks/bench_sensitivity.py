"""Benchmark of the sensitivity machinery: a warm budget sweep against separate solves; the cost of one Monte
Carlo draw and one tornado side re-solved in place against rebuilt from the changed scenario (the reference
path); the start-up of the process pool; Monte Carlo draws per second with one and two worker processes.

    python benchmarks/bench_sensitivity.py                 # examples/hebei/scenario.yaml, 101 points, 1,000 draws
    python benchmarks/bench_sensitivity.py --draws 200 --synthetic
    python benchmarks/bench_sensitivity.py --draws 20 --size 2850x8    # only the draws, at national size

Targets: the 101-point budget sweep at least 5× faster than 101 separate ``fa.solve`` calls (issue 4); a Monte
Carlo draw on Hebei at most a quarter of a cold solve, ≤ 1 ms on one core, with the numbers of the rebuilding
path (issue 12). Timings of the two paths are interleaved, best of 3, as wall time and as this process's CPU
time (less disturbed by other work on the machine). Without the Hebei example (or with ``--synthetic``) it runs
on a generated scenario of 62 counties × 7 measures with the same rules.
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
from fundalloc.sensitivity import montecarlo, oneway
from fundalloc.sensitivity.inplace import NotInPlace, ProgramMap
from fundalloc.sensitivity.warm import WarmSolver

HEBEI = Path(__file__).resolve().parents[1] / "examples" / "hebei" / "scenario.yaml"
MC_PARAMETERS = {  # the SPEC's example, for a scenario without its own monte_carlo section
    "measures.*.effectiveness": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2, "relative": True},
    "units.zero_employment_households": {"dist": "normal", "sd": 0.1, "relative": True},
}
EFFECT_AND_COST = {  # what the in-place map takes on Hebei (its tilt follows the factor formula: not the households)
    "measures.*.effectiveness": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2, "relative": True},
    "measures.*.unit_cost": {"dist": "lognormal", "sd": 0.1, "relative": True},
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


def per_draw(sc: fa.Scenario, parameters: dict, draws: int, label: str) -> list:
    """Rows for one Monte Carlo draw in place and rebuilt (seconds per draw, wall and CPU), best of 3."""
    chosen = montecarlo._parameters(sc, parameters)
    program = fa.build(sc)
    solver = WarmSolver(sc)
    solver.base(sc, program)
    start = time.perf_counter()
    try:
        mapped = ProgramMap.compile(sc, program, [p.quantity for p in chosen],
                                    replaced=[not p.dist.relative for p in chosen])
    except NotInPlace as err:
        return [(f"Monte Carlo draw ({label}): in place not possible", "", np.nan, str(err)[-110:])]
    compiled = time.perf_counter() - start
    jobs = {"rebuilt": montecarlo._Job(sc, chosen, 42, None, program, solver.basis(), None),
            "in place": montecarlo._Job(sc, chosen, 42, None, program, solver.basis(), mapped)}
    chunks = [list(range(i, min(i + montecarlo.CHUNK, draws))) for i in range(0, draws, montecarlo.CHUNK)]
    best, parts = {k: (np.inf, np.inf) for k in jobs}, {}
    for _ in range(3):
        for name, job in jobs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            parts[name] = montecarlo.run_draws(job, chunks)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[name] = (min(best[name][0], wall / draws), min(best[name][1], cpu / draws))
    objective = {k: np.concatenate([p["objective"] for p in v]) for k, v in parts.items()}
    amounts = {k: np.vstack([p["amounts"] for p in v]) for k, v in parts.items()}
    ok = np.isfinite(objective["rebuilt"])
    same = (np.array_equal(ok, np.isfinite(objective["in place"]))
            and np.allclose(objective["in place"][ok], objective["rebuilt"][ok], rtol=1e-9, atol=0)
            # money to 1e-9 of the largest amount: a measure at zero in one path may be 1e-8 万元 in the other
            and np.allclose(amounts["in place"][ok], amounts["rebuilt"][ok], rtol=1e-9,
                            atol=1e-9 * np.abs(amounts["rebuilt"][ok]).max()))
    cold = min(_timed(lambda: fa.solve(sc, ranging=False)) for _ in range(5))
    rows = [(f"Monte Carlo draw ({label}), {name}", "1 draw", np.nan,
             f"{1000 * best[name][0]:.2f} ms wall, {1000 * best[name][1]:.2f} ms CPU") for name in jobs]
    rows += [("  speed-up in place", "", np.nan, f"{best['rebuilt'][0] / best['in place'][0]:.1f}× wall, "
                                                 f"{best['rebuilt'][1] / best['in place'][1]:.1f}× CPU"),
             ("  cold solve, for scale", "1 solve", np.nan,
              f"{1000 * cold:.2f} ms wall; a draw in place costs {best['in place'][0] / cold:.2f} of it"),
             ("  compiling the map (once)", f"{len(chosen)} parameters", compiled, ""),
             ("  same numbers both ways", f"{draws} draws", np.nan, "yes" if same else "NO")]
    return rows


def draw_parts(sc: fa.Scenario, parameters: dict, draws: int) -> list:
    """Rows for where a draw in place spends its time (wall, mean over ``draws``): the policy LP, the tie-break's
    second stage and its steps (as the solution reports them), and the rest (the draw, the programme, the
    result and its checks)."""
    chosen = montecarlo._parameters(sc, parameters)
    program = fa.build(sc)
    solver = WarmSolver(sc)
    solver.base(sc, program)
    try:
        mapped = ProgramMap.compile(sc, program, [p.quantity for p in chosen],
                                    replaced=[not p.dist.relative for p in chosen])
    except NotInPlace:
        return []
    job = montecarlo._Job(sc, chosen, 42, None, program, solver.basis(), mapped)
    parts: dict[str, float] = {"policy LP": 0.0, "second stage": 0.0}
    routes: dict[str, int] = {}
    start = time.perf_counter()
    for number in range(draws):
        point = solver.solve(sc, mapped.program(montecarlo.draw(job, number).values))
        if not point.ok:
            continue
        solution = point.result.solution
        info = solution.extra["tie_break"]
        parts["policy LP"] += solution.seconds
        parts["second stage"] += info.seconds
        routes[info.route] = routes.get(info.route, 0) + 1
        if info.decomposed is not None:
            for step, seconds in info.decomposed.seconds.items():
                if step != "total":
                    parts[f"  {step}"] = parts.get(f"  {step}", 0.0) + seconds
    total = time.perf_counter() - start
    parts["the rest"] = total - parts["policy LP"] - parts["second stage"]
    said = ", ".join(f"{k} {v}" for k, v in routes.items())
    return [(f"a draw in place, {what}", "", np.nan, f"{1000 * seconds / draws:.2f} ms"
             + (f" (second stage by route: {said})" if what == "second stage" else ""))
            for what, seconds in parts.items()]


def tornado_sides(sc: fa.Scenario, parameters: list[str]) -> list:
    """Rows for a tornado in place and rebuilt (the map compiled for its parameters, or each side built)."""
    best = {"in place": np.inf, "rebuilt": np.inf}
    compile_or_none = oneway.compile_or_none
    for _ in range(3):
        for name in best:
            oneway.compile_or_none = compile_or_none if name == "in place" else (lambda *a, **k: None)
            try:
                best[name] = min(best[name], _timed(lambda: fa.tornado(sc, parameters)))
            finally:
                oneway.compile_or_none = compile_or_none
    sides = 2 * len(fa.tornado(sc, parameters))
    return [(f"tornado, {name}", f"{sides} sides", seconds, f"{1000 * seconds / sides:.2f} ms a side")
            for name, seconds in best.items()]


def pool_start() -> float:
    """Seconds from creating the default pool (2 workers) to both having imported fundalloc."""
    start = time.perf_counter()
    pool = montecarlo._pool(2)
    try:
        list(pool.map(_import_fundalloc, range(2)))
        return time.perf_counter() - start
    finally:
        pool.shutdown()


def _import_fundalloc(_):
    import fundalloc.sensitivity.montecarlo  # noqa: F401  what a worker imports before its first draw
    return os.getpid()


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def draws_at_scale(size: str, draws: int) -> None:
    """The per-draw rows on ``benchmarks/synthetic.py``'s scenario of ``size`` (units x measures), every rule
    type, drawing the SPEC's example parameters."""
    from synthetic import make_scenario

    units, measures = (int(v) for v in size.lower().split("x"))
    sc = make_scenario(units, measures)
    print(f"scenario: synthetic {units} units × {measures} measures; {draws} draws")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    rows = per_draw(sc, MC_PARAMETERS, draws, "SPEC example") + draw_parts(sc, MC_PARAMETERS, draws)
    _print(rows)


def _print(rows: list) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'size':>12}  {'seconds':>8}  result")
    for what, size, seconds, result in rows:
        print(f"{what:<{width}}  {size:>12}  {'' if np.isnan(seconds) else f'{seconds:8.2f}':>8}  {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=101, help="budget sweep points (default 101)")
    parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws per run (default 1000)")
    parser.add_argument("--synthetic", action="store_true", help="use the generated 62 × 7 scenario")
    parser.add_argument("--size", help="only the Monte Carlo draws (in place against rebuilt, and where a draw's "
                                       "time goes) on synthetic.py's scenario of this size, e.g. 2850x8")
    args = parser.parse_args()
    if args.size:
        draws_at_scale(args.size, args.draws)
        return

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
        ("exact budget breakpoints", f"{len(breakpoints)} kinks" if breakpoints is not None else "", traced,
         "" if breakpoints is not None else "none: a rule follows the budget"),
    ]
    spec = sc.sensitivity.monte_carlo if sc.sensitivity is not None else None
    parameters = spec.parameters if spec is not None else MC_PARAMETERS
    rows += per_draw(sc, parameters, args.draws, "the scenario's parameters")
    rows += draw_parts(sc, parameters, args.draws)
    rows += per_draw(sc, EFFECT_AND_COST, args.draws, "effectiveness and costs")
    tornado_spec = sc.sensitivity.tornado if sc.sensitivity is not None and sc.sensitivity.tornado else None
    rows += tornado_sides(sc, tornado_spec.parameters if tornado_spec else ["measures.*.unit_cost",
                                                                          "measures.*.effectiveness",
                                                                          "budget.total"])
    rows.append(("process pool start-up (2 workers)", "", min(pool_start() for _ in range(3)),
                 f"default: in this process below {montecarlo.POOL_START_SECONDS:g} s of work"))
    results = {}
    for workers in (1, 2, None):
        start = time.perf_counter()
        results[workers] = fa.monte_carlo(sc, draws=args.draws, seed=42, workers=workers, parameters=parameters)
        seconds = time.perf_counter() - start
        label = "default workers" if workers is None else f"{workers} worker{'s' if workers > 1 else ''}"
        rows.append((f"fa.monte_carlo, {label}", f"{args.draws} draws", seconds,
                     f"{args.draws / seconds:,.0f} draws/s"))
    same = results[1].draws.equals(results[2].draws) and results[1].draws.equals(results[None].draws)
    rows.append(("  same draws with 1, 2 and default workers", "", np.nan, "yes" if same else "NO"))

    _print(rows)


if __name__ == "__main__":
    main()
