"""Build and solve time, peak memory and objective of fundalloc's engine beside the same LP built with PuLP
objects and solved by HiGHS. Each case runs in a fresh process (clean peak memory).

    python benchmarks/bench_engine.py                 # the table in benchmarks/README.md
    python benchmarks/bench_engine.py --sizes 170x6 2850x8 --pulp-max-units 2850
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_case(engine: str, n: int, k: int, method: str) -> dict:
    sys.path.insert(0, str(HERE))
    from synthetic import make_scenario

    import fundalloc as fa
    from fundalloc.backends.highs import HighsBackend
    from fundalloc.solve import check_feasible

    sc = make_scenario(n, k)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    program = fa.build(sc)
    build = time.perf_counter() - start
    if engine == "fundalloc":
        backend = HighsBackend(method=method)
        sol = backend.solve(program, ranging=True)
        solve = sol.seconds
        check_feasible(program, sol)
        extra = sol.extra.get("ranging_seconds", 0.0)
        start = time.perf_counter()
        result = fa.Result(sc, program, sol, timings={}, backend="highs")
        _ = result.allocation, result.units, result.shadow_prices, result.ranging
        extra += time.perf_counter() - start  # the labelled tables are part of the answer
        objective, used = sol.objective, sol.method
    else:  # the same programme as PuLP objects (one per variable and row), solved by HiGHS through PuLP
        import warnings

        import pulp
        from fundalloc.backends.pulp import PulpBackend
        warnings.filterwarnings("ignore")
        start = time.perf_counter()
        prob, xs, _ = PulpBackend()._model(program)
        build = time.perf_counter() - start
        start = time.perf_counter()
        prob.solve(pulp.HiGHS(msg=False))
        solve, extra, used = time.perf_counter() - start, 0.0, "highs via pulp"
        objective = pulp.value(prob.objective)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"engine": engine, "units": n, "measures": k, "columns": program.n_cols, "rows": len(program.row_lower),
            "method": used, "build_s": build, "solve_s": solve, "tables_s": extra,
            "end_to_end_s": build + solve + extra, "peak_mb": peak / 1024, "rss_growth_mb": (peak - before) / 1024,
            "objective": objective}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["170x6", "2850x6", "2850x8", "20000x5", "20000x6", "100000x6"])
    parser.add_argument("--pulp-max-units", type=int, default=20000, help="skip the PuLP build above this")
    parser.add_argument("--method", default="auto", choices=["auto", "simplex", "ipm"])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        engine, n, k, method = args.case.split(":")
        print(json.dumps(run_case(engine, int(n), int(k), method)))
        return
    rows = []
    for size in args.sizes:
        n, k = map(int, size.split("x"))
        engines = ["fundalloc"] + (["pulp"] if n <= args.pulp_max_units else [])
        for engine in engines:
            out = subprocess.run([sys.executable, __file__, "--case", f"{engine}:{n}:{k}:{args.method}"],
                                 capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            r = rows[-1]
            print(f"  ran {engine} {n}x{k}: {r['end_to_end_s']:.2f} s", file=sys.stderr)
    header = ("| units × measures | columns | rows | engine | method | build s | solve s | ranging + tables s "
              "| end-to-end s | peak MB | objective | PuLP ÷ fundalloc |")
    print(header)
    print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
    ours = {}
    for r in rows:
        key = (r["units"], r["measures"])
        if r["engine"] == "fundalloc":
            ours[key] = r
        ratio = f"{r['end_to_end_s'] / ours[key]['end_to_end_s']:.1f}×" if r["engine"] == "pulp" else ""
        print(f"| {r['units']:,} × {r['measures']} | {r['columns']:,} | {r['rows']:,} | {r['engine']} | {r['method']} "
              f"| {r['build_s']:.3f} | {r['solve_s']:.3f} | {r['tables_s']:.3f} | {r['end_to_end_s']:.3f} "
              f"| {r['peak_mb']:.0f} | {r['objective']:,.1f} | {ratio} |")


if __name__ == "__main__":
    main()
