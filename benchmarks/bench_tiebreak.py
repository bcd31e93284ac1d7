"""The tie-break and the optimum ranges against the solve, and which description of the optimal face is the
most robust. Prints two tables (see benchmarks/README.md).

    python benchmarks/bench_tiebreak.py                      # timings: Hebei, 170 × 6, national 2,850 × 8
    python benchmarks/bench_tiebreak.py --sizes hebei        # one case
    python benchmarks/bench_tiebreak.py --robustness 40      # the face: duals, objective row, both
    python benchmarks/bench_tiebreak.py --routes             # decomposed vs HiGHS QP: 2,850 × 8, 20k × 6, 100k × 6
    python benchmarks/bench_tiebreak.py --routes --sizes 1000000x6 --rounds 1 --qp-up-to 0   # 1M, decomposed only

Timings: for each case, ``--rounds`` rounds (default 3), each timing every step once in turn (interleaved, so
a busy neighbour slows all of them alike); the table gives the least of the rounds. Steps: build the
programme, solve the policy LP (HiGHS, cold), compute the reference, write down the optimal face, the two
quadratic programmes, the optimum ranges, and ``fa.solve`` end to end without the ranges (build, policy LP,
ranging, tie-break, the labelled units table).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fundalloc as fa  # noqa: E402
from fundalloc.program import build  # noqa: E402
from fundalloc.solve import make_backend, solve_program  # noqa: E402
from fundalloc import tiebreak as tb  # noqa: E402
from synthetic import make_scenario  # noqa: E402


def scenario(case: str) -> fa.Scenario:
    if case == "hebei":
        return fa.load_scenario(HERE.parent / "examples" / "hebei" / "scenario.yaml")
    n, k = map(int, case.split("x"))
    return make_scenario(n, k)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def one_round(sc: fa.Scenario, ranges: bool) -> dict:
    row = {}
    program, row["build"] = timed(lambda: build(sc))
    engine = make_backend(sc, "highs")
    first, row["solve"] = timed(lambda: solve_program(engine, program, ranging=False, tie_break=False))
    reference, row["reference"] = timed(lambda: tb.reference_for(program, first))
    face, row["face"] = timed(lambda: tb.optimal_face(program, first))
    closest, row["closest QP"] = timed(lambda: tb._closest(face, reference.amounts / program.money_scale, engine))
    _, row["spread QP"] = timed(lambda: tb._spread(face, closest, engine) if tb._split_can_move(face) else None)
    row["tie-break"] = row["reference"] + row["face"] + row["closest QP"] + row["spread QP"]
    if ranges:
        (low, high), row["ranges"] = timed(lambda: tb.optimum_ranges(face, [closest]))
        row["tied"] = int((high - low > tb.RANGE_TOLERANCE * (1 + np.abs(high))).sum())
    _, row["fa.solve"] = timed(lambda: fa.solve(sc, optimum_ranges=False).units)
    row.update(columns=program.n_alloc, free=len(face.free), face_rows=face.matrix.shape[0],
               moving=int(face.moving.sum()))
    return row


def timings(cases: list[str], rounds: int, ranges_up_to: int) -> None:
    scenarios = {c: scenario(c) for c in cases}
    results: dict[str, list[dict]] = {c: [] for c in cases}
    for _ in range(rounds):
        for c in cases:  # interleaved: every case once per round
            results[c].append(one_round(scenarios[c], ranges=len(scenarios[c].units) <= ranges_up_to))
    steps = ["build", "solve", "reference", "face", "closest QP", "spread QP", "tie-break", "ranges", "fa.solve"]
    print(f"least of {rounds} interleaved rounds, seconds")
    print("| case | allocation columns | face (free columns × rows) | units the fixing leaves free | tied | "
          + " | ".join(steps) + " | tie-break ÷ solve | ranges ÷ solve | ranges ÷ fa.solve |")
    print("|" + "---|" * (len(steps) + 8))
    for c in cases:
        rows = results[c]
        best = {s: min(r[s] for r in rows) if s in rows[0] else float("nan") for s in steps}
        r0 = rows[0]
        print(f"| {c} | {r0['columns']:,} | {r0['free']:,} × {r0['face_rows']:,} | {r0['moving']:,} | "
              f"{r0.get('tied', '—')} | " + " | ".join(f"{best[s]:.4f}" for s in steps)
              + f" | {best['tie-break'] / best['solve']:.1f}× | {best['ranges'] / best['solve']:.1f}× "
              f"| {best['ranges'] / best['fa.solve']:.1f}× |")


def robustness(count: int) -> None:
    """Hebei and ``count`` random synthetic scenarios (10–80 units; costs in tiers, so many ties): for each
    description of the face, from HiGHS's and from PuLP's first stage, whether the QP ran, the objective it
    gave up, and how far apart the two backends' county amounts are."""
    rng = np.random.default_rng(7)
    cases = [("hebei", scenario("hebei"))]
    cases += [(f"random {i}", make_scenario(int(rng.integers(10, 80)), int(rng.integers(3, 8)), seed=int(i)))
              for i in range(count)]
    print(f"{len(cases)} scenarios (Hebei and {count} random)")
    print("| face | runs failed | worst objective given up (relative) | worst HiGHS–PuLP county difference "
          "(relative) | scenarios with a difference above 1e-6 |")
    print("|---|---|---|---|---|")
    firsts = []
    for name, sc in cases:
        program = build(sc)
        try:
            pair = [solve_program(make_backend(sc, b), program, ranging=False, tie_break=False)
                    for b in ("highs", "pulp")]
        except Exception as err:  # noqa: BLE001 (a benchmark reports, it does not stop)
            print(f"  {name}: {err}")
            continue
        if all(s.status == "optimal" for s in pair):
            firsts.append((program, pair))
    for fix in ("duals", "objective", "both"):
        failed, lost, worst, above = 0, 0.0, 0.0, 0
        for program, pair in firsts:
            amounts = []
            for first in pair:
                out = tb.second_stage(None, program, first, tb.reference_for(program, first), fix=fix)
                info = out.extra["tie_break"]
                failed += not info.ran
                z = float(program.cost @ first.x)
                lost = max(lost, (z - float(program.cost @ out.x)) / max(1.0, abs(z)))
                alloc = slice(0, program.n_alloc)
                amounts.append(np.bincount(program.col_unit[alloc], weights=out.x[alloc] * program.col_money[alloc],
                                           minlength=program.n_units))
            diff = float(np.max(np.abs(amounts[0] - amounts[1]) / np.maximum(1.0, np.abs(amounts[0]))))
            worst = max(worst, diff)
            above += diff > 1e-6
        print(f"| {fix} | {failed} of {2 * len(firsts)} | {lost:.1e} | {worst:.1e} | {above} of {len(firsts)} |")


class _Limit:
    """What :func:`fundalloc.tiebreak.second_stage` reads from a backend: its time limit."""

    def __init__(self, seconds: float):
        self.time_limit = seconds


def one_route_round(sc: fa.Scenario, qp_limit: float) -> dict:
    """The policy LP as ``fa.solve`` would solve it (``solver.method: auto``: the decomposition from 5,000
    units), then the second stage by each route from that one first stage, then ``fa.solve`` end to end."""
    row = {}
    program, row["build"] = timed(lambda: build(sc))
    engine = make_backend(sc)
    first, row["solve"] = timed(lambda: engine.solve(program, ranging=False))
    reference, row["reference"] = timed(lambda: tb.reference_for(program, first))
    dec, row["decomposed"] = timed(lambda: tb.second_stage(engine, program, first, reference, method="decomposed"))
    info = dec.extra["tie_break"]
    row["route"] = info.route + (f" ({info.fallback})" if info.fallback else "")
    steps = info.decomposed
    row["split"] = f"{steps.split_units - steps.split_by_highs:,} + {steps.split_by_highs:,}" if steps else "—"
    if qp_limit > 0:
        qp, row["highs QP"] = timed(lambda: tb.second_stage(_Limit(qp_limit), program, first, reference,
                                                            method="highs"))
        if qp.extra["tie_break"].ran:
            a, b = unit_money(program, dec), unit_money(program, qp)
            row["difference"] = float(np.max(np.abs(a - b)) / max(1.0, float(np.abs(b).max())))
        else:
            row["highs QP"] = float("inf")       # stopped at the limit
    z1 = float(program.cost @ first.x)
    row["objective kept"] = abs(float(program.cost @ dec.x) - z1) / max(1.0, abs(z1))
    res, row["fa.solve"] = timed(lambda: fa.solve(sc, optimum_ranges=False, progress=False))
    _, row["tables"] = timed(lambda: res.units)
    row["fa.solve"] += row["tables"]
    row["fa.solve route"] = res.summary_dict()["tie_break"]["second_stage"]["method"]
    row.update(units=program.n_units, columns=program.n_alloc, method=engine.__class__.__name__)
    return row


def unit_money(program, solution) -> np.ndarray:
    alloc = slice(0, program.n_alloc)
    return np.bincount(program.col_unit[alloc], weights=solution.x[alloc] * program.col_money[alloc],
                       minlength=program.n_units) * program.money_scale


def routes(cases: list[str], rounds: int, qp_up_to: int, qp_limit: float) -> None:
    """The decomposed second stage against HiGHS's QP over the whole face (``--routes``)."""
    results: dict[str, list[dict]] = {c: [] for c in cases}
    for _ in range(rounds):
        for c in cases:  # interleaved
            sc = scenario(c)
            results[c].append(one_route_round(sc, qp_limit if len(sc.units) <= qp_up_to else 0.0))
            del sc
    steps = ["build", "solve", "reference", "decomposed", "highs QP", "fa.solve"]
    print(f"least of {rounds} interleaved rounds, seconds (HiGHS QP stopped at {qp_limit:g} s: inf; — not run)")
    print("| case | first stage | " + " | ".join(steps) + " | HiGHS QP ÷ decomposed | decomposed ÷ solve | "
          "units split in closed form + by HiGHS | largest unit difference (relative) | objective moved | "
          "route |")
    print("|" + "---|" * (len(steps) + 8))
    for c in cases:
        rows = results[c]
        best = {s: min(r.get(s, float("nan")) for r in rows) for s in steps}
        r0 = rows[0]
        cells = " | ".join("—" if best[s] != best[s] else ("> limit" if best[s] == float("inf") else f"{best[s]:.3f}")
                           for s in steps)
        ratio = best["highs QP"] / best["decomposed"]
        print(f"| {c} | {r0['method'].replace('Backend', '')} | {cells} | "
              + ("—" if ratio != ratio else (f"> {qp_limit / best['decomposed']:.0f}×" if ratio == float("inf")
                                             else f"{ratio:.2g}×"))
              + f" | {best['decomposed'] / best['solve']:.2f}× | {r0['split']} | "
              + (f"{max(r.get('difference', 0.0) for r in rows):.1e}" if "difference" in r0 else "—")
              + f" | {max(r['objective kept'] for r in rows):.1e} | {r0['route']}; fa.solve: {r0['fa.solve route']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="*", default=["hebei", "170x6", "2850x8"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ranges-up-to", type=int, default=5000, help="time the ranges up to this many units")
    parser.add_argument("--robustness", type=int, default=0, help="compare the face descriptions on N scenarios")
    parser.add_argument("--routes", action="store_true",
                        help="the decomposed second stage against HiGHS's QP (default sizes: 2850x8 20000x6 100000x6)")
    parser.add_argument("--qp-up-to", type=int, default=100_000, help="run HiGHS's QP up to this many units")
    parser.add_argument("--qp-limit", type=float, default=120.0, help="HiGHS's QP time limit, seconds")
    args = parser.parse_args()
    if args.routes:
        sizes = args.sizes if args.sizes != parser.get_default("sizes") else ["2850x8", "20000x6", "100000x6"]
        routes(sizes, args.rounds, args.qp_up_to, args.qp_limit)
    elif args.robustness:
        robustness(args.robustness)
    else:
        timings(args.sizes, args.rounds, args.ranges_up_to)


if __name__ == "__main__":
    main()
