"""An exact decomposition solver for programmes with many units (see :mod:`.method`), behind the backend
interface: ``solver.method: decomposition`` (or ``auto`` where it wins)."""
from __future__ import annotations

from ..backends.base import Solution
from ..backends.highs import HighsBackend
from .method import solve_decomposed


class DecompositionBackend:
    """Solves by decomposition, with HiGHS for the restricted LPs and, when no certificate comes, the full LP.

    A MIP (``integer: true``) goes to HiGHS's branch and bound on the full programme. ``resolve`` starts from
    the last run's multipliers.
    """

    name = "highs"

    def __init__(self, time_limit: float | None = None, mip_gap: float = 1e-6, **_):
        self.full = HighsBackend(method="auto", time_limit=time_limit, mip_gap=mip_gap)
        self._start = None

    def solve(self, program, *, ranging: bool = True, start=None) -> Solution:
        if program.integer:
            return self.full.solve(program, ranging=ranging)
        solution = solve_decomposed(program, fallback=lambda p: self.full.solve(p, ranging=ranging), start=start)
        return solution

    def resolve(self, program, *, ranging: bool = False) -> Solution:
        return self.solve(program, ranging=ranging)

    def export(self, program, path: str) -> None:
        self.full.export(program, path)
