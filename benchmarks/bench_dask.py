"""Monte Carlo at national scale on a Dask cluster against one process: the same call, the same numbers.

    python benchmarks/bench_dask.py                               # 10,000 draws, 2,850 units × 8, LocalCluster of 2
    python benchmarks/bench_dask.py --draws 500 --workers 4
    python benchmarks/bench_dask.py --address tcp://scheduler:8786    # a running cluster instead of a local one

The scenario comes from ``synthetic.py`` (every rule type); the uncertain parameters are the SPEC's example
(each measure's effectiveness ×0.8–1.2, each county's zero-employment households ±10 %). Needs
``pip install "fundalloc[dask]"``. Prints a table; the numbers depend on what else the machine is doing (the
load average is printed with them). CPU time is this process's, plus the workers' on the cluster (so the
cluster's overhead shows as CPU the one process does not spend). Dask's workers run numpy's BLAS on one thread
(its nanny sets ``OMP_NUM_THREADS=1``): run this with ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1`` for the one
process to sum in the same order, and the tables are equal bit for bit (else they agree to about 1e-9).
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

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
    start, cpu = time.perf_counter(), time.process_time()
    here = fa.monte_carlo(sc, draws=args.draws, seed=42, workers=1, parameters=MC_PARAMETERS)
    rows.append(("one process (workers=1)", time.perf_counter() - start, None, time.process_time() - cpu))

    start = time.perf_counter()
    if args.address:
        client, cluster, where = Client(args.address), None, f"cluster at {args.address}"
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
        client, where = Client(cluster), f"LocalCluster, {args.workers} workers × 1 thread"
    ready = time.perf_counter() - start
    try:
        before = client.run(time.process_time)  # each worker's CPU seconds so far
        start, cpu = time.perf_counter(), time.process_time()
        there = fa.monte_carlo(sc, draws=args.draws, seed=42, parameters=MC_PARAMETERS,
                               executor=client.get_executor())
        wall, here_cpu = time.perf_counter() - start, time.process_time() - cpu
        after = client.run(time.process_time)
        rows.append((where, wall, ready, here_cpu + sum(after[w] - before[w] for w in after if w in before)))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    width = max(len(r[0]) for r in rows)
    print(f"{'where':<{width}}  {'start s':>8}  {'wall s':>8}  {'CPU s':>8}  {'ms/draw':>8}  {'CPU ms/draw':>11}  "
          f"{'draws/s':>8}  speed-up")
    for what, seconds, ready, cpu in rows:
        print(f"{what:<{width}}  {'' if ready is None else f'{ready:8.1f}':>8}  {seconds:8.1f}  {cpu:8.1f}  "
              f"{1000 * seconds / args.draws:8.1f}  {1000 * cpu / args.draws:11.1f}  {args.draws / seconds:8.1f}  "
              f"{rows[0][1] / seconds:.2f}×")
    numbers = here.draws.select_dtypes("number").columns
    a, b = here.draws[numbers].to_numpy(), there.draws[numbers].to_numpy()
    apart = float(np.nanmax(np.abs(a - b) / np.maximum(np.abs(a), 1.0), initial=0.0))
    print(f"\nin place: {here.in_place}; statuses: {here.draws['status'].value_counts().to_dict()}; "
          f"same draws on the cluster as in one process: {'yes' if there.draws.equals(here.draws) else 'NO'} "
          f"(largest relative difference {apart:.1e}; BLAS threads here: "
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'default')}); load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
