"""Monte Carlo at national scale on a Dask cluster against one process: the same call, the same numbers.

    python benchmarks/bench_dask.py                               # 10,000 draws, 2,850 units × 8, LocalCluster of 2
    python benchmarks/bench_dask.py --draws 500 --workers 4
    python benchmarks/bench_dask.py --address tcp://scheduler:8786    # a running cluster instead of a local one

The scenario comes from ``synthetic.py`` (every rule type); the uncertain parameters are the SPEC's example
(each measure's effectiveness ×0.8–1.2, each county's zero-employment households ±10 %). Needs
``pip install "fundalloc[dask]"``. Prints a table; the numbers depend on what else the machine is doing (the
load average is printed with them).
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import fundalloc as fa
from bench_sensitivity import MC_PARAMETERS
from synthetic import make_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=2850)
    parser.add_argument("--measures", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers (one thread each)")
    parser.add_argument("--address", help="the scheduler of a running cluster, e.g. tcp://10.0.0.5:8786")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    sc = make_scenario(args.units, args.measures)
    print(f"scenario: synthetic {args.units} units × {args.measures} measures; {args.draws:,} draws, seed 42")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    rows = []
    start = time.perf_counter()
    here = fa.monte_carlo(sc, draws=args.draws, seed=42, workers=1, parameters=MC_PARAMETERS)
    rows.append(("one process (workers=1)", time.perf_counter() - start, None))

    start = time.perf_counter()
    if args.address:
        client, cluster, where = Client(args.address), None, f"cluster at {args.address}"
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
        client, where = Client(cluster), f"LocalCluster, {args.workers} workers × 1 thread"
    ready = time.perf_counter() - start
    try:
        start = time.perf_counter()
        there = fa.monte_carlo(sc, draws=args.draws, seed=42, parameters=MC_PARAMETERS,
                               executor=client.get_executor())
        rows.append((where, time.perf_counter() - start, ready))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    width = max(len(r[0]) for r in rows)
    print(f"{'where':<{width}}  {'start s':>8}  {'draws s':>8}  {'ms/draw':>8}  {'draws/s':>8}  speed-up")
    for what, seconds, ready in rows:
        print(f"{what:<{width}}  {'' if ready is None else f'{ready:8.1f}':>8}  {seconds:8.1f}  "
              f"{1000 * seconds / args.draws:8.1f}  {args.draws / seconds:8.1f}  {rows[0][1] / seconds:.2f}×")
    print(f"\nin place: {here.in_place}; statuses: {here.draws['status'].value_counts().to_dict()}; "
          f"same draws on the cluster as in one process: {'yes' if there.draws.equals(here.draws) else 'NO'}; "
          f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
