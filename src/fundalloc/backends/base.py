"""What every backend returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

#: our statuses; only "optimal" carries a usable allocation
OPTIMAL, INFEASIBLE, UNBOUNDED, TIME_LIMIT, ERROR = "optimal", "infeasible", "unbounded", "time_limit", "error"


@dataclass
class Solution:
    """A solver's answer in the programme's own (internal) units.

    Duals are derivatives of the objective: ``row_dual[i]`` = d objective / d (active bound of row i),
    ``col_dual[j]`` = d objective / d (active bound of column j) — the same convention for maximising and
    minimising, and for every backend. They are ``None`` for a MIP or when the solver gives none.
    """

    status: str
    objective: float = float("nan")
    x: np.ndarray | None = None
    row_activity: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    ranging: dict[str, np.ndarray] | None = None
    solver: str = ""
    method: str = ""
    seconds: float = 0.0
    iterations: int = 0
    message: str = ""
    extra: dict = field(default_factory=dict)


class Backend(Protocol):
    name: str

    def solve(self, program, *, ranging: bool = True) -> Solution:
        """Solve ``program`` from scratch."""

    def resolve(self, program, *, ranging: bool = False) -> Solution:
        """Solve ``program``, a changed copy of the last one solved, starting from the last basis."""

    def export(self, program, path: str) -> None:
        """Write the programme as ``.lp`` or ``.mps``."""
