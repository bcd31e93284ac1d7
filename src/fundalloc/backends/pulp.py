"""The PuLP backend: any solver PuLP drives (CBC ships with it), and LP/MPS export.

PuLP builds one Python object per variable and per row; that is the price of reaching every solver, and
why HiGHS is the default.
"""
from __future__ import annotations

import time
import warnings

import numpy as np
import pulp

from ..catalog import listing, msg
from ..errors import InvalidValue
from .base import ERROR, INFEASIBLE, OPTIMAL, TIME_LIMIT, UNBOUNDED, Solution

#: seconds a PuLP solver may run when the scenario sets no `solver.time_limit`. CBC can run for hours on an
#: integer programme HiGHS solves in seconds (Hebei with `integer: true`: HiGHS 25 s, CBC more than 18 minutes,
#: adversarial review F21); the largest linear programme of benchmarks/ takes 193 s through PuLP.
DEFAULT_TIME_LIMIT = 600.0


class PulpBackend:
    """Solves a :class:`~fundalloc.program.Program` through PuLP; ``solver`` is a PuLP solver name. Without a
    ``time_limit`` the solver stops after :data:`DEFAULT_TIME_LIMIT` seconds."""

    name = "pulp"

    def __init__(self, pulp_solver: str | None = None, time_limit: float | None = None, mip_gap: float = 1e-6, **_):
        self.solver_name = pulp_solver or "PULP_CBC_CMD"
        self.time_limit = time_limit if time_limit is not None else DEFAULT_TIME_LIMIT
        self.mip_gap = mip_gap
        available = pulp.listSolvers(onlyAvailable=True)
        if self.solver_name not in available:
            raise InvalidValue(msg("errors.solver.pulp_unavailable", name=repr(self.solver_name),
                                   available=listing(available)))

    def _model(self, program):
        sense = pulp.LpMaximize if program.sense == "max" else pulp.LpMinimize
        prob = pulp.LpProblem("fundalloc", sense)
        cat = pulp.LpInteger if program.integer else pulp.LpContinuous
        xs = [prob.add_variable(f"x{j}", lowBound=_num(program.col_lower[j]), upBound=_num(program.col_upper[j]),
                                cat=cat if j < program.n_alloc else pulp.LpContinuous)
              for j in range(program.n_cols)]
        nz = np.flatnonzero(program.cost)
        prob += pulp.LpAffineExpression(zip([xs[j] for j in nz], program.cost[nz].tolist()))
        a = program.matrix.tocsr()
        pairs = []  # (row, lower-constraint name, upper-constraint name)
        for i in range(a.shape[0]):
            cols = a.indices[a.indptr[i]:a.indptr[i + 1]]
            expr = pulp.LpAffineExpression(zip([xs[j] for j in cols], a.data[a.indptr[i]:a.indptr[i + 1]].tolist()))
            lo, up = program.row_lower[i], program.row_upper[i]
            names = [None, None]
            if np.isfinite(lo) and np.isfinite(up) and lo == up:
                prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", float(lo))
                names[0] = f"r{i}"
            else:
                if np.isfinite(lo):
                    prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{i}_lo", float(lo))
                    names[0] = f"r{i}_lo"
                if np.isfinite(up):
                    prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}_up", float(up))
                    names[1] = f"r{i}_up"
            pairs.append(names)
        return prob, xs, pairs

    def _solver(self):
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="pulp")
        kwargs = {"msg": False, "timeLimit": self.time_limit}
        if self.solver_name == "PULP_CBC_CMD":
            kwargs["gapRel"] = self.mip_gap
        return pulp.getSolver(self.solver_name, **kwargs)

    def solve(self, program, *, ranging: bool = True) -> Solution:
        prob, xs, pairs = self._model(program)
        start = time.perf_counter()
        common = dict(solver=f"PuLP {pulp.__version__} / {self.solver_name}", method="mip" if program.integer else "lp",
                      extra={"time_limit": self.time_limit})
        try:
            with warnings.catch_warnings():  # PuLP 3.3 announces its 4.0 renames on every call
                warnings.simplefilter("ignore", DeprecationWarning)
                prob.solve(self._solver())
        except pulp.PulpSolverError as err:
            return Solution(status=ERROR, seconds=time.perf_counter() - start, message=" ".join(str(err).split()),
                            **common)
        common["seconds"] = seconds = time.perf_counter() - start
        if prob.status == pulp.LpStatusInfeasible:
            return Solution(status=INFEASIBLE, message="infeasible", **common)
        if prob.status == pulp.LpStatusUnbounded:
            return Solution(status=UNBOUNDED, message="unbounded", **common)
        if prob.status != pulp.LpStatusOptimal or prob.sol_status != pulp.LpSolutionOptimal:
            # a stop at the time limit reads "Optimal" in PuLP's status when CBC has an integer solution
            found = prob.sol_status == pulp.LpSolutionIntegerFeasible
            if found or seconds >= 0.9 * self.time_limit:
                return Solution(status=TIME_LIMIT, message="an allocation found, but not proven optimal" if found
                                else "no allocation found yet", **common)
            return Solution(status=ERROR, message=f"status {pulp.LpStatus[prob.status]!r}, solution "
                                                  f"{pulp.LpSolution[prob.sol_status]!r}", **common)
        x = np.array([v.varValue or 0.0 for v in xs])
        out = Solution(status=OPTIMAL, objective=float(program.cost @ x), x=x, row_activity=program.matrix @ x,
                       message="optimal", **common)
        if not program.integer:
            duals = np.zeros(len(pairs))
            for i, names in enumerate(pairs):
                duals[i] = sum((prob.get_constraint_by_name(n).pi or 0.0) for n in names if n is not None)
            out.row_dual = duals
            out.col_dual = np.array([v.dj or 0.0 for v in xs])
        return out

    def resolve(self, program, *, ranging: bool = False) -> Solution:
        return self.solve(program, ranging=ranging)

    def export(self, program, path: str) -> None:
        prob, _, _ = self._model(program)
        if str(path).lower().endswith(".mps"):
            prob.writeMPS(str(path))
        else:
            prob.writeLP(str(path))


def _num(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None
