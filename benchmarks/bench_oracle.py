"""The block oracle alone: one pass over every unit of the synthetic programme, numpy vs compiled (numba).

    python benchmarks/bench_oracle.py --units 200000

CPU seconds (process time, so other jobs on the machine do not count), fastest of ``--repeat``; the compiled
kernel's first call in a process also loads numba (and compiles the kernel unless numba's cache has it),
reported separately. Both give the same allocations (checked here too).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--measures", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.process_time()       # first: nothing else may have loaded numba yet
    from fundalloc.decomposition.oracle import solve_blocks
    solve_blocks(np.ones((1, 2)), np.ones((1, 1, 2)), np.full((1, 1), -np.inf), np.ones((1, 1)), np.ones((1, 2)),
                 compiled=True)
    load = time.process_time() - start
    from synthetic import make_scenario

    import fundalloc as fa
    from fundalloc.decomposition.form import block_form
    from fundalloc.decomposition.method import sample_multipliers

    form = block_form(fa.build(make_scenario(args.units, args.measures)))
    lam, aux = sample_multipliers(form, np.random.default_rng(0))
    profit, (lo, hi) = form.lagrangian_profit(lam), form.unit_bounds(aux)
    best, answers = {}, {}
    for _ in range(args.repeat):
        for compiled in (False, True):
            start = time.process_time()
            out = solve_blocks(profit, form.D, lo, hi, form.upper, basis=True, compiled=compiled)
            took = time.process_time() - start
            best[compiled] = min(best.get(compiled, np.inf), took)
            answers[compiled] = out.x
    same = np.allclose(answers[False], answers[True], rtol=1e-12, atol=1e-9)
    print(f"| units | numpy CPU s | compiled CPU s | loading numba s | same answers |")
    print(f"|---|---|---|---|---|")
    print(f"| {args.units:,} | {best[False]:.2f} | {best[True]:.2f} | {load:.2f} | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
