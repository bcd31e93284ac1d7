"""How long the 分配表's rounding takes on synthetic scenarios of growing size, and how it rounds.

    python benchmarks/bench_rounding.py                    # 170 × 6, 2,850 × 6, 20,000 × 6
    python benchmarks/bench_rounding.py --sizes 2850x8

Prints one row per size: the solve, the rounding (largest remainder checked against every rule, else the
integer programme), which method was needed, how many amounts were rounded, and the rules no rounding kept.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import fundalloc as fa  # noqa: E402
from fundalloc.rounding import round_allocation  # noqa: E402
from synthetic import make_scenario  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="170x6,2850x6,20000x6")
    args = parser.parse_args(argv)
    print("| units × measures | cells | solve s | rounding s | method | amounts rounded up | rounded total "
          "| largest county change | rules broken |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n, k = (int(v) for v in size.split("x"))
        sc = make_scenario(n, k)
        start = time.perf_counter()
        try:  # spend the whole budget when the rules allow, so the total is the budget
            sc = sc.with_changes({"budget.spend_all": True})
            res = fa.solve(sc, ranging=False)
        except fa.InfeasibleError:
            sc = sc.with_changes({"budget.spend_all": False})
            res = fa.solve(sc, ranging=False)
        solved = time.perf_counter() - start
        start = time.perf_counter()
        r = round_allocation(res)
        seconds = time.perf_counter() - start
        unrounded = res._per_unit_measure[1]
        up = int((r.money > unrounded + 1e-9).sum())
        change = np.abs(r.money.sum(axis=0) - unrounded.sum(axis=0)).max()
        broken = ", ".join(sorted(set(r.broken["rule"]))) or "none"
        target = "budget" if sc.budget.spend_all else "allocated"
        print(f"| {n:,} × {k} | {unrounded.size:,} | {solved:.2f} | {seconds:.2f} | {r.method} | {up:,} "
              f"| {r.total:,.0f} = {target} {r.target:,.2f} | {change:.2f} | {broken} |", flush=True)


if __name__ == "__main__":
    main()
