"""An exact decomposition solver for programmes with many units (see :mod:`.method`), behind the backend
interface: ``solver.method: decomposition`` (or ``auto`` where it wins)."""
from __future__ import annotations

from ..backends.base import Solution
from ..backends.highs import HighsBackend
from ..program import PER_UNIT
from ..rules import RULES, by_region
from .method import solve_decomposed

#: ``solver.method: auto`` uses the decomposition from this many units on, for ``max_outcome`` with at most
#: ``AUTO_MAX_COUPLING_ROWS`` coupling rows (budget, shares, earmarks, tilt averages) and no ``integer``.
#: Measured on the synthetic scenarios (benchmarks/synthetic.py, every rule type, 2 cores), solve times of
#: HiGHS's dual simplex vs the decomposition: 2,000 × 6 0.15 s vs 0.04 s; 3,000 × 6 1.8 s vs 1.9 s (a loaded
#: machine; the sample is small there and it took 4 rounds); 20,000 × 5 2.9 s vs 0.35 s; 20,000 × 6 with a
#: binding budget 4.0 s vs 0.38 s; 100,000 × 6 55–153 s vs 2.05 s of CPU (benchmarks/README.md); in CPU
#: seconds, 5,000 × 6 0.53 vs 0.30 (0.47 vs 0.11 with a binding budget) and 8,000 × 6 0.84 vs 0.17. Below
#: 5,000 units both take well under a second and the full LP also gives ranging, so it keeps them.
#: min_cost converges in more rounds (8 at 3,000 units, no faster than the full LP) and max_min_coverage
#: links every unit to one column, so `auto` keeps the full LP for them (``method: decomposition`` still
#: solves them exactly).
AUTO_MIN_UNITS = 5_000
AUTO_MAX_COUPLING_ROWS = 20


class DecompositionBackend:
    """Solves by decomposition, with HiGHS for the restricted LPs and, when no certificate comes, the full LP.

    A MIP (``integer: true``) goes to HiGHS's branch and bound on the full programme. ``resolve`` (a changed
    programme: a sweep, a draw) starts from the last certified multipliers instead of a new sample.
    """

    name = "highs"

    def __init__(self, time_limit: float | None = None, mip_gap: float = 1e-6, **_):
        self.full = HighsBackend(method="auto", time_limit=time_limit, mip_gap=mip_gap)
        self.on_step = None   # called with a short text after each step (a progress bar's detail)
        self._last = None     # (coupling rows, auxiliary columns, multipliers) of the last certified solve

    def solve(self, program, *, ranging: bool = True, start=None) -> Solution:
        if program.integer:
            return self.full.solve(program, ranging=ranging)
        solution = solve_decomposed(program, fallback=lambda p: self.full.solve(p, ranging=ranging), start=start,
                                    progress=self.on_step)
        report = solution.extra["decomposition"]
        if report.multipliers is not None:
            self._last = (len(program.row_lower), program.n_cols, report.multipliers)
        return solution

    def resolve(self, program, *, ranging: bool = False) -> Solution:
        last = self._last
        same_shape = last is not None and last[:2] == (len(program.row_lower), program.n_cols)
        return self.solve(program, ranging=ranging, start=last[2] if same_shape else None)

    def export(self, program, path: str) -> None:
        self.full.export(program, path)


def prefers_decomposition(sc) -> bool:
    """Whether ``solver.method: auto`` solves ``sc`` by decomposition (see :data:`AUTO_MIN_UNITS`).

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a"], "name": ["A"], "jobs": [10]})
    >>> prefers_decomposition(fa.Scenario(units=units, budget={"total": 1},
    ...                       measures={"m": {"unit_cost": 0.1, "capacity": "jobs"}}))
    False
    """
    if sc.integer or sc.objective.type != "max_outcome" or len(sc.units) < AUTO_MIN_UNITS:
        return False
    regions = len(set(sc.regions)) if sc.regions is not None else 1
    coupling = 1 + sum((2 if (getattr(r, "min", None) is not None and getattr(r, "max", None) is not None) else 1)
                       * (regions if by_region(r) else 1)
                       for r in sc.rules if RULES[r.type].scope != PER_UNIT)
    return coupling <= AUTO_MAX_COUPLING_ROWS
