"""Would dropping the rows that can never bind speed up HiGHS? (issue 12, "small engine gains")

A row can never bind when every point of the columns' box keeps it within its limits: a ceiling above all the
money the unit's capacities absorb, a pool larger than the measures it pools can use, a need of zero. Interval
arithmetic on the box finds them (the positive coefficients at the upper bounds, the negative at the lower).
This script counts them on the synthetic scenarios (every rule type) and times HiGHS's dual simplex on the
programme as built and with those rows left out, interleaved, fastest of ``--repeat``.

    python benchmarks/bench_never_binding.py                       # the table in benchmarks/README.md
    python benchmarks/bench_never_binding.py --sizes 100000x6 --repeat 1   # minutes a run
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_scenario  # noqa: E402

import fundalloc as fa  # noqa: E402
from fundalloc.backends.highs import pass_arrays  # noqa: E402


def never_binding(p) -> np.ndarray:
    """Rows whose activity stays within their limits everywhere in the columns' box."""
    pos, neg = p.matrix.tocsr().maximum(0), p.matrix.tocsr().minimum(0)
    pos.eliminate_zeros()
    neg.eliminate_zeros()   # only stored coefficients meet an infinite bound: no 0 × inf
    most = pos @ p.col_upper + neg @ p.col_lower
    least = pos @ p.col_lower + neg @ p.col_upper
    slack = 1e-9 * np.maximum(1.0, np.abs(np.where(np.isfinite(p.row_upper), p.row_upper, 0.0)))
    return (least >= p.row_lower - slack) & (most <= p.row_upper + slack)


def seconds(p, rows: np.ndarray) -> tuple[float, float]:
    h = pass_arrays(p.cost, p.col_lower, p.col_upper, p.matrix.tocsr()[rows], p.row_lower[rows],
                    p.row_upper[rows], maximise=p.sense == "max")
    h.setOptionValue("solver", "simplex")
    start = time.perf_counter()
    h.run()
    return time.perf_counter() - start, h.getInfo().objective_function_value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["2850x8", "20000x5"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| units × measures | rows | never bind | solve s, as built | solve s, without them | ratio | objective gap |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        n, k = map(int, size.split("x"))
        p = fa.build(make_scenario(n, k))
        drop = never_binding(p)
        every = np.ones_like(drop)
        best = {"all": (np.inf, 0.0), "kept": (np.inf, 0.0)}
        for _ in range(args.repeat):
            for label, rows in (("all", every), ("kept", ~drop)):
                best[label] = min(best[label], seconds(p, rows))
        (full, obj), (kept, obj_kept) = best["all"], best["kept"]
        print(f"| {n:,} × {k} | {drop.size:,} | {int(drop.sum()):,} ({drop.mean():.0%}) | {full:.2f} | {kept:.2f} "
              f"| {kept / full:.2f} | {abs(obj - obj_kept) / abs(obj):.1e} |")


if __name__ == "__main__":
    main()
