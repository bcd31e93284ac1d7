"""The HiGHS backend (highspy): arrays in, arrays out; dual simplex or interior point with crossover."""
from __future__ import annotations

import time

import highspy
import numpy as np

from .base import ERROR, INFEASIBLE, OPTIMAL, TIME_LIMIT, UNBOUNDED, Solution

#: above this many columns interior point (with crossover, so a basis and ranging remain) may beat dual simplex.
#: Measured on the synthetic allocation programmes of benchmarks/ (all rule types): dual simplex 0.33 s vs IPM
#: 3.2 s at 2,850 × 8 (23k columns), 3.7 s vs 15 s at 20,000 × 5 (120k), 153 s vs 146 s at 100,000 × 6 (700k).
IPM_ABOVE_COLUMNS = 500_000
#: a warm re-solve that changes more matrix coefficients than this passes the whole model again (keeping the
#: basis) instead of one ``changeCoeff`` call each: on Hebei, 504 calls took 0.88 ms and ``passModel`` 0.26 ms
PASS_ABOVE_CHANGES = 100

_STATUS = {
    highspy.HighsModelStatus.kOptimal: OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: UNBOUNDED,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: INFEASIBLE,
    highspy.HighsModelStatus.kTimeLimit: TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: TIME_LIMIT,
}


_quiet = False


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance (the first one in a process prints a banner on stdout unless muted)."""
    global _quiet
    if _quiet:
        h = highspy.Highs()
    else:
        import os
        import sys
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _quiet = True
    h.setOptionValue("output_flag", False)
    return h


def _inf(a: np.ndarray) -> np.ndarray:
    return np.clip(a, -highspy.kHighsInf, highspy.kHighsInf)


def pass_arrays(cost, col_lower, col_upper, matrix, row_lower, row_upper, *, maximise: bool,
                integrality=None) -> highspy.Highs:
    """A silent HiGHS instance holding the LP ``row_lower ≤ matrix @ x ≤ row_upper`` (arrays, CSR or CSC)."""
    h = new_highs()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = _inf(col_lower), _inf(col_upper)
    lp.row_lower_, lp.row_upper_ = _inf(row_lower), _inf(row_upper)
    csc = matrix.tocsc()
    csc.sort_indices()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = csc.indptr, csc.indices, csc.data
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    if integrality is not None:
        lp.integrality_ = integrality
    h.passModel(lp)
    return h


def status_of(h: highspy.Highs) -> str:
    """Our status word for the model status of a HiGHS run."""
    return _STATUS.get(h.getModelStatus(), ERROR)


class HighsBackend:
    """Solves a :class:`~fundalloc.program.Program` with HiGHS; keeps the model for warm re-solves."""

    name = "highs"

    def __init__(self, method: str = "auto", time_limit: float | None = None, mip_gap: float = 1e-6, **_):
        self.method, self.time_limit, self.mip_gap = method, time_limit, mip_gap
        self._highs: highspy.Highs | None = None
        self._last = None  # the programme the model holds
        self._columns: _Columnwise | None = None
        self._set = None  # (model, method) the options were last set for

    # ------------------------------------------------------------------------------------------------
    def _options(self, h: highspy.Highs, n_cols: int, integer: bool, warm: bool) -> str:
        method = "mip" if integer else self.method
        if method == "auto":
            method = "ipm" if n_cols > IPM_ABOVE_COLUMNS and not warm else "simplex"
        if self._set == (h, method):  # a warm re-solve on the same model: the options are in place
            return method
        self._set = (h, method)
        h.setOptionValue("output_flag", False)
        if self.time_limit:
            h.setOptionValue("time_limit", float(self.time_limit))
        if integer:
            h.setOptionValue("mip_rel_gap", float(self.mip_gap))
            return method
        h.setOptionValue("solver", method)
        if method == "ipm":
            h.setOptionValue("run_crossover", "on")
        return method

    def _pass(self, program) -> highspy.Highs:
        h = new_highs()
        _pass_into(h, program, self._columnwise(program.matrix))
        return h

    def _columnwise(self, matrix) -> _Columnwise:
        if self._columns is None or not self._columns.fits(matrix):
            self._columns = _Columnwise(matrix)
        return self._columns

    def solve(self, program, *, ranging: bool = True) -> Solution:
        self._highs = self._pass(program)
        self._last = program
        return self._run(program, ranging, warm=False)

    def basis(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The model's current basis as arrays of status codes (they pickle, unlike highspy's), or None."""
        if self._highs is None:
            return None
        basis = self._highs.getBasis()
        if not basis.valid:
            return None
        return (np.array([int(s) for s in basis.col_status], dtype=np.int8),
                np.array([int(s) for s in basis.row_status], dtype=np.int8))

    def load(self, program, basis: tuple[np.ndarray, np.ndarray]) -> None:
        """Hold ``program`` at ``basis`` (from :meth:`basis`) without solving: the next ``resolve`` starts there."""
        self._highs, self._last = self._pass(program), program
        self._highs.setBasis(_basis(*basis))

    def resolve(self, program, *, ranging: bool = False) -> Solution:
        """Change only what differs from the last programme and re-solve from the last basis."""
        last, h = self._last, self._highs
        if h is None or last is None or program.n_cols != last.n_cols or \
                program.matrix.shape != last.matrix.shape or program.integer != last.integer:
            return self.solve(program, ranging=ranging)
        same = _same_pattern(program.matrix, last.matrix)
        changed = np.flatnonzero(program.matrix.data != last.matrix.data) if same else None
        if not same or changed.size > PASS_ABOVE_CHANGES:
            basis = h.getBasis()
            _pass_into(h, program, self._columnwise(program.matrix))
            if basis.valid:
                h.setBasis(basis)
            self._last = program
            return self._run(program, ranging, warm=True)
        if changed.size:
            coo_rows = np.repeat(np.arange(program.matrix.shape[0]), np.diff(program.matrix.indptr))
            for k in changed:
                h.changeCoeff(int(coo_rows[k]), int(program.matrix.indices[k]), float(program.matrix.data[k]))
        diff = np.flatnonzero(program.cost != last.cost)
        if diff.size:
            h.changeColsCost(diff.size, diff.astype(np.int32), program.cost[diff])
        diff = np.flatnonzero((program.col_lower != last.col_lower) | (program.col_upper != last.col_upper))
        if diff.size:
            h.changeColsBounds(diff.size, diff.astype(np.int32), _inf(program.col_lower[diff]),
                               _inf(program.col_upper[diff]))
        diff = np.flatnonzero((program.row_lower != last.row_lower) | (program.row_upper != last.row_upper))
        if diff.size:
            h.changeRowsBounds(diff.size, diff.astype(np.int32), _inf(program.row_lower[diff]),
                               _inf(program.row_upper[diff]))
        if program.sense != last.sense:
            h.changeObjectiveSense(highspy.ObjSense.kMaximize if program.sense == "max"
                                   else highspy.ObjSense.kMinimize)
        self._last = program
        return self._run(program, ranging, warm=True)

    def _run(self, program, ranging: bool, warm: bool) -> Solution:
        h = self._highs
        method = self._options(h, program.n_cols, program.integer, warm)
        start = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - start
        model_status = h.getModelStatus()
        status = status_of(h)
        info = h.getInfo()
        common = dict(solver=f"HiGHS {h.version()}", method=method, seconds=seconds,
                      iterations=int(info.simplex_iteration_count + max(info.ipm_iteration_count, 0)),
                      message=h.modelStatusToString(model_status), extra={"time_limit": self.time_limit})
        if status != OPTIMAL:
            return Solution(status=status, **common)
        sol = h.getSolution()
        out = Solution(status=OPTIMAL, objective=float(info.objective_function_value),
                       x=np.asarray(sol.col_value), row_activity=np.asarray(sol.row_value), **common)
        if not program.integer and sol.dual_valid:
            out.row_dual, out.col_dual = np.asarray(sol.row_dual), np.asarray(sol.col_dual)
            if ranging and h.getBasis().valid:
                start = time.perf_counter()
                out.ranging = _ranging(h, program)
                out.extra["ranging_seconds"] = time.perf_counter() - start
        return out

    def export(self, program, path: str) -> None:
        h = self._pass(program)
        h.writeModel(str(path))


class _Columnwise:
    """A CSR pattern's column-wise (CSC) form for HiGHS, and where each CSR entry goes in it: computed once per
    pattern, so passing a programme whose coefficients changed costs one gather."""

    def __init__(self, matrix):
        self.indptr, self.indices = matrix.indptr, matrix.indices
        rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr))
        self.order = np.lexsort((rows, matrix.indices))
        self.start = np.concatenate([[0], np.cumsum(np.bincount(matrix.indices, minlength=matrix.shape[1]))])
        self.start, self.index = self.start.astype(np.int32), rows[self.order]

    def fits(self, matrix) -> bool:
        return _same_pattern(matrix, self)


def _pass_into(h: highspy.Highs, program, columnwise: _Columnwise) -> None:
    """Give ``h`` the programme as arrays (highspy's array ``passModel``: no Python object per entry)."""
    integrality = np.zeros(program.n_cols, dtype=np.int32)  # continuous (HiGHS reads it even when empty)
    if program.integer:
        integrality[:program.n_alloc] = int(highspy.HighsVarType.kInteger)
    sense = highspy.ObjSense.kMaximize if program.sense == "max" else highspy.ObjSense.kMinimize
    h.passModel(program.n_cols, len(program.row_lower), len(columnwise.index), int(highspy.MatrixFormat.kColwise),
                int(sense), 0.0, np.ascontiguousarray(program.cost, dtype=float), _inf(program.col_lower),
                _inf(program.col_upper), _inf(program.row_lower), _inf(program.row_upper), columnwise.start,
                columnwise.index, np.ascontiguousarray(program.matrix.data[columnwise.order], dtype=float),
                integrality)


_STATUSES = {int(s): s for s in (highspy.HighsBasisStatus.kLower, highspy.HighsBasisStatus.kBasic,
                                 highspy.HighsBasisStatus.kUpper, highspy.HighsBasisStatus.kZero,
                                 highspy.HighsBasisStatus.kNonbasic)}


def _basis(col_status: np.ndarray, row_status: np.ndarray) -> highspy.HighsBasis:
    basis = highspy.HighsBasis()
    basis.col_status = [_STATUSES[v] for v in col_status.tolist()]
    basis.row_status = [_STATUSES[v] for v in row_status.tolist()]
    basis.valid = True
    return basis


def _same_pattern(a, b) -> bool:
    return np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)


def _ranging(h: highspy.Highs, program) -> dict[str, np.ndarray] | None:
    status, r = h.getRanging()
    if status != highspy.HighsStatus.kOk:
        return None
    n, m = program.n_cols, len(program.row_lower)
    return {
        "cost_low": np.asarray(r.col_cost_dn.value_)[:n], "cost_high": np.asarray(r.col_cost_up.value_)[:n],
        "rhs_low": np.asarray(r.row_bound_dn.value_)[:m], "rhs_high": np.asarray(r.row_bound_up.value_)[:m],
        "rhs_low_objective": np.asarray(r.row_bound_dn.objective_)[:m],
        "rhs_high_objective": np.asarray(r.row_bound_up.objective_)[:m],
    }
