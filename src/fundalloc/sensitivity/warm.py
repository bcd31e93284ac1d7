"""One solver model re-solved along a path of changed programmes, each solve starting from the last basis.

Sensitivity never rebuilds what it can change: a budget sweep edits the budget row's bound of one
:class:`~fundalloc.program.Program`; other changes are computed from the base programme by a map compiled once
(:mod:`.inplace`), or, where the map cannot express them, built from the changed scenario. Either way the
backend's ``resolve`` sends only the vectors and coefficients that differ and keeps the basis.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backends.base import OPTIMAL
from ..errors import SolverError
from ..program import Program, to_internal
from ..result import Result
from ..scenario import Scenario
from ..solve import check_feasible, make_backend, raise_for_status, row_sizes, solve_program
from ..tiebreak import References

#: the status of a point whose changed scenario is not valid (e.g. a share above 1)
INVALID = "invalid"


@dataclass
class Point:
    """One solve of a sensitivity run: its status and, when optimal, its result."""

    status: str
    result: Result | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None

    def row(self, rules: list[str]) -> dict:
        """status, objective, total_allocated, total_outcome, binding_rules, shadow_price.<rule> (NaN when not
        optimal)."""
        res = self.result
        if res is None:
            return {"status": self.status, "objective": np.nan, "total_allocated": np.nan, "total_outcome": np.nan,
                    "binding_rules": "", **{f"shadow_price.{r}": np.nan for r in rules}}
        return {"status": self.status, "objective": res.objective, "total_allocated": res.total_allocated,
                "total_outcome": res.total_outcome, "binding_rules": ";".join(res.binding_rules),
                **{f"shadow_price.{r}": shadow_price(res, r) for r in rules}}

    def amounts(self, n_units: int) -> np.ndarray:
        """Money per unit (NaN when not optimal)."""
        if self.result is None:
            return np.full(n_units, np.nan)
        return unit_money(self.result.program, self.result.solution.x)


def shadow_price(res: Result, rule: str) -> float:
    """``res.shadow_prices[rule]`` without building the Series (a sweep asks for it at every point)."""
    dual = res.rule_duals(rule) if rule in res.program.blocks else None  # Result owns the scaling of duals
    return float(dual.sum()) if dual is not None else np.nan


class WarmSolver:
    """Solves a sequence of programmes on one backend model, each from the previous basis."""

    def __init__(self, sc: Scenario):
        self.engine = make_backend(sc)
        self._references = References()
        self._sizes = (None, None)  # (matrix, its row sizes): the feasibility check's scale, kept per matrix

    def _check(self, program: Program, solution) -> None:
        matrix, sizes = self._sizes
        if matrix is not program.matrix:
            sizes = row_sizes(program)
            self._sizes = (program.matrix, sizes)
        check_feasible(program, solution, sizes=sizes)

    def solve(self, sc: Scenario, program: Program, *, ranging: bool = False, tie_break: bool = True) -> Point:
        """Re-solve warm; the tie-break picks among optimal allocations as :func:`fundalloc.solve` does
        (``tie_break=False`` when only the objective and the duals are wanted)."""
        solution = solve_program(self.engine, program, ranging=ranging, warm=True, tie_break=tie_break,
                                 references=self._references)
        if solution.status != OPTIMAL:
            return Point(solution.status, message=solution.message)
        try:
            self._check(program, solution)
        except SolverError as err:
            return Point("error", message=str(err))
        return Point(OPTIMAL, Result(sc, program, solution, timings={"solve": solution.seconds},
                                     backend=self.engine.name))

    def basis(self):
        """The current basis, to :meth:`start` another solver from (None when the backend has none)."""
        basis = getattr(self.engine, "basis", None)
        return basis() if basis is not None else None

    def start(self, program: Program, basis) -> None:
        """Take ``program``, solved before with ``basis`` (from :meth:`basis`), as the last programme without
        solving it again; a backend that cannot take a basis solves it."""
        load = getattr(self.engine, "load", None)
        if load is not None and basis is not None:
            load(program, basis)
        else:
            solve_program(self.engine, program, ranging=False)

    def base(self, sc: Scenario, program: Program) -> Result:
        """Solve the programme a run starts from; raise as :func:`fundalloc.solve` does when it has no optimum."""
        solution = solve_program(self.engine, program, ranging=True, warm=True, references=self._references)
        if solution.status != OPTIMAL:
            raise_for_status(program, solution, self.engine)
        self._check(program, solution)
        return Result(sc, program, solution, timings={"solve": solution.seconds}, backend=self.engine.name)


def with_budget(program: Program, total: float) -> Program:
    """The programme with the budget row's bound (both bounds with ``spend_all``) at ``total`` user money."""
    rows = program.blocks["budget"]
    lower, upper = program.row_lower.copy(), program.row_upper.copy()
    internal = to_internal(total, program.scenario.money_unit, program.money_scale)
    if np.isfinite(lower[rows]).all():
        lower[rows] = internal
    upper[rows] = internal
    return program.with_rows(lower, upper)


def unit_money(program: Program, x: np.ndarray) -> np.ndarray:
    """Money each unit gets under the solution ``x``, in the scenario's money unit."""
    alloc = slice(0, program.n_alloc)
    return np.bincount(program.col_unit[alloc], weights=x[alloc] * program.col_money[alloc],
                       minlength=program.n_units) * program.money_scale
