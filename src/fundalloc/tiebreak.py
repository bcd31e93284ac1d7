"""The tie-break: among the optimal allocations of the policy LP, the one closest to a reference allocation.

A linear programme often has many optimal allocations (counties of equal marginal value can trade money at
no loss). The first stage (the policy LP) gives the optimum ``z*`` and an optimal dual ``(y, d)``; the set of
optimal allocations is its *optimal face*: the feasible ``x`` complementary-slack with ``(y, d)``. This
module

1. writes that face down (:func:`optimal_face`): every column with a non-zero reduced cost is fixed at the
   bound it sits on, and every row with a non-zero dual is held at its active bound (complementary
   slackness: exactly what optimality requires, whichever optimal dual the solver returned);
2. finds each unit's least and most money over the face (:func:`optimum_ranges`), an LP each way only for
   the units the fixing leaves free;
3. returns, by two strictly convex quadratic programmes on the face solved by HiGHS, the allocation whose
   unit amounts are closest (least squares) to the reference, and among those the one whose money is most
   evenly spread over each unit's measures (:func:`second_stage`). Both are unique, so units identical in
   every respect get identical money.

docs/model.md gives the mathematics. Shadow prices and ranging stay those of the first stage.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from .backends.base import OPTIMAL, Solution
from .catalog import msg
from .errors import ArgumentError
from .program import Program

#: the second stage keeps the first stage's objective to this, relative to ``max(1, |z*|)``
OBJECTIVE_TOLERANCE = 1e-9
#: a second stage that loses more than this (relative) has left the optimum: its answer is refused. (Beyond
#: OBJECTIVE_TOLERANCE only a first stage's own rounding can show: CBC's allocation is read to about 8 digits.)
FACE_CHECK = 1e-6
#: a reduced cost or dual counts as non-zero above this, relative to the largest objective coefficient
DUAL_TOLERANCE = 1e-9
#: a value within this of a bound (relative to ``1 + |bound|``) is at the bound
BOUND_TOLERANCE = 1e-7
#: optimum ranges are computed by default up to this many allocation columns: the sizes measured to cost no
#: more than ``fa.solve`` itself (benchmarks/bench_tiebreak.py: Hebei 0.8×, national 2,850 × 8 0.4×); above,
#: where nothing was measured, only when asked
RANGES_UP_TO_COLUMNS = 30_000
#: the QP solver may take this many iterations per column and row of the face before it is stopped
QP_ITERATIONS_PER_ENTRY = 20
#: what the QP solver adds to the Hessian's diagonal (to step along flat directions)
QP_REGULARIZATION = 1e-10
#: when the active-set solver cycles at that value (it does on some faces: a Hebei Monte Carlo draw ran 26,840
#: iterations at 1e-10 and at 1e-9, and finished in 107 at 1e-11), the values tried next, the exact ones first
QP_RETRY_REGULARIZATIONS = (1e-11, 1e-12, 1e-8, 1e-7)
#: a unit whose money varies over the face by more than this (internal money, relative to ``1 + |amount|``) is tied
RANGE_TOLERANCE = 1e-6


@dataclass
class Face:
    """The optimal face of a solved programme, with what complementary slackness fixes taken out.

    ``free``: the columns left free; ``values``: every column's value (fixed ones at their bound, free ones
    at the first stage's value); ``matrix``, ``row_lower``, ``row_upper``: the rows over the free columns,
    their bounds net of the fixed columns (rows with no free column are dropped); ``money``: units × free
    columns, internal money; ``fixed_money``: each unit's money in fixed columns; ``moving``: the units the
    fixing leaves free (a free allocation column and no fixed money row).
    """

    program: Program
    free: np.ndarray
    values: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    money: sp.csr_matrix
    fixed_money: np.ndarray
    moving: np.ndarray

    def full(self, x_free: np.ndarray) -> np.ndarray:
        """A full solution vector from values of the free columns."""
        x = self.values.copy()
        x[self.free] = x_free
        return x


def _near(value: np.ndarray, bound: np.ndarray, size: np.ndarray | float = 0.0) -> np.ndarray:
    """At the bound, relative to the bound and to ``size`` (a row's sum of absolute terms: a row that is a
    difference of large sums, like a share rule, carries their rounding)."""
    return np.isfinite(bound) & (np.abs(value - bound) <= BOUND_TOLERANCE * (1.0 + np.abs(bound) + size))


def optimal_face(program: Program, first: Solution, *, fix: str = "auto") -> Face:
    """The optimal face of ``program`` around the first stage's solution ``first``.

    ``fix``: ``"duals"`` holds what complementary slackness with the first stage's duals requires;
    ``"objective"`` adds the row ``c·x ≥ z* − 1e-9·max(1, |z*|)`` instead; ``"both"`` does both; ``"auto"``
    (the default) is ``"duals"``, or ``"objective"`` when the solver gave no duals. The choice was measured
    (benchmarks/bench_tiebreak.py --robustness): the objective row lets the QP drift along its tolerance, and
    it is infeasible when the first stage's own allocation overstates ``z*`` by rounding (CBC prints about
    eight digits), while complementary slackness fixes exactly what the optimum fixes.
    """
    if fix == "auto":
        fix = "duals" if first.col_dual is not None and first.row_dual is not None else "objective"
    x = first.x.copy()
    n, m = program.n_cols, len(program.row_lower)
    lower, upper = program.col_lower.copy(), program.col_upper.copy()
    row_lower, row_upper = program.row_lower.copy(), program.row_upper.copy()
    activity = program.matrix @ x
    fixed = lower == upper
    if fix in ("duals", "both") and first.col_dual is not None and first.row_dual is not None:
        scale = max(1.0, float(np.abs(program.cost).max(initial=0.0)))
        priced = np.abs(first.col_dual) > DUAL_TOLERANCE * scale
        at_lower, at_upper = _near(x, lower), _near(x, upper)
        fixed |= priced & (at_lower | at_upper)
        x = np.where(priced & at_lower, lower, np.where(priced & at_upper, upper, x))
        sizes = np.abs(program.matrix).max(axis=1).toarray().ravel() if m else np.zeros(0)
        held = np.abs(first.row_dual) * sizes > DUAL_TOLERANCE * scale
        terms = abs(program.matrix) @ np.abs(x)
        row_at_lower, row_at_upper = _near(activity, row_lower, terms), _near(activity, row_upper, terms)
        to_lower = held & row_at_lower & ~row_at_upper
        to_upper = held & row_at_upper & ~row_at_lower
        row_upper = np.where(to_lower, row_lower, row_upper)
        row_lower = np.where(to_upper, row_upper, row_lower)
    x = np.where(fixed, np.clip(x, lower, upper), x)
    fixed, x, lower, upper, keep = _reduce(program.matrix, fixed, x, lower, upper, row_lower, row_upper)
    free = np.flatnonzero(~fixed)
    fixed_part = program.matrix @ np.where(fixed, x, 0.0)
    sub = program.matrix[np.flatnonzero(keep)][:, free]
    rows_lo, rows_up = (row_lower - fixed_part)[keep], (row_upper - fixed_part)[keep]
    if fix in ("objective", "both"):
        z = float(program.cost @ first.x)
        slack = OBJECTIVE_TOLERANCE * max(1.0, abs(z))
        target = z - float(program.cost[fixed] @ x[fixed])
        sub = sp.vstack([sub, sp.csr_matrix(program.cost[free][None, :])], format="csr")
        lo, up = (target - slack, np.inf) if program.sense == "max" else (-np.inf, target + slack)
        rows_lo, rows_up = np.append(rows_lo, lo), np.append(rows_up, up)
    alloc = np.arange(program.n_alloc)
    money = sp.csr_matrix((program.col_money[alloc], (program.col_unit[alloc], alloc)), shape=(program.n_units, n))
    fixed_money = money @ np.where(fixed, x, 0.0)
    money_free = money[:, free].tocsr()
    moving = np.diff(money_free.indptr) > 0
    moving &= ~_money_held(program, row_lower, row_upper)
    return Face(program, free, x, lower[free], upper[free], sub, rows_lo, rows_up, money_free, fixed_money,
                moving)


def _reduce(matrix: sp.csr_matrix, fixed: np.ndarray, x: np.ndarray, lower: np.ndarray, upper: np.ndarray,
            row_lower: np.ndarray, row_upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    """Take out of the face what its rows decide, so the second stage's programmes are small: a row left with
    one free column becomes bounds on it (an equality row fixes it), and a row that no values within the
    free columns' bounds can break is dropped. Returns the fixed columns, the values, the columns' bounds and
    the rows to keep. (Matrix-vector products over the whole matrix, no slicing, so it costs little.)"""
    fixed, x, lower, upper = fixed.copy(), x.copy(), lower.copy(), upper.copy()
    pattern = matrix.copy()
    pattern.data = np.ones_like(pattern.data)
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    done = np.zeros(len(row_lower), bool)
    while True:
        free = ~fixed
        count = pattern @ free.astype(float)
        taken = matrix @ np.where(fixed, x, 0.0)
        single = ~done & (count == 1)
        if not single.any():
            break
        done |= single
        entry = single[row_of] & free[matrix.indices]        # the one free entry of each such row
        rows, cols, a = row_of[entry], matrix.indices[entry], matrix.data[entry]
        lo, up = (row_lower[rows] - taken[rows]) / a, (row_upper[rows] - taken[rows]) / a
        lo, up = np.where(a > 0, lo, up), np.where(a > 0, up, lo)
        np.maximum.at(lower, cols, lo)
        np.minimum.at(upper, cols, up)
        pinned = cols[lower[cols] >= upper[cols]]
        x[pinned] = (lower[pinned] + upper[pinned]) / 2  # equal, or crossed by a rounding error
        upper[pinned] = lower[pinned] = x[pinned]
        fixed[pinned] = True
    free = ~fixed
    lo_b, up_b = np.where(free, lower, 0.0), np.where(free, upper, 0.0)
    pos, neg = matrix.maximum(0), matrix.minimum(0)
    finite_lo, finite_up = np.where(np.isfinite(lo_b), lo_b, 0.0), np.where(np.isfinite(up_b), up_b, 0.0)
    least = pos @ finite_lo + neg @ finite_up
    most = pos @ finite_up + neg @ finite_lo
    least[(pos @ ~np.isfinite(lo_b) + (-neg) @ ~np.isfinite(up_b)) > 0] = -np.inf
    most[(pos @ ~np.isfinite(up_b) + (-neg) @ ~np.isfinite(lo_b)) > 0] = np.inf
    net_lo, net_up = row_lower - taken, row_upper - taken
    slack = BOUND_TOLERANCE * (1.0 + np.abs(taken))
    redundant = done | ((least >= net_lo - slack) & (most <= net_up + slack))
    return fixed, x, lower, upper, (count > 0) & ~redundant


def _money_held(program: Program, row_lower: np.ndarray, row_upper: np.ndarray) -> np.ndarray:
    """Units whose money an equality row fixes (a hold-harmless or unit_bounds row held at its bound)."""
    held = np.zeros(program.n_units, bool)
    for name, info in program.block_info.items():
        if info.kind in ("hold_harmless", "unit_bounds") and info.units is not None:
            rows = program.blocks[name]
            held[info.units[row_lower[rows] == row_upper[rows]]] = True
    return held


# ------------------------------------------------------------------------------------------- HiGHS


def _face_model(face: Face, cost: np.ndarray, hessian: sp.spmatrix | None = None,
                extra: tuple[sp.csr_matrix, np.ndarray] | None = None):
    """A HiGHS model of the face: minimise ``cost·x (+ ½ x'Hx)`` over the free columns; ``extra`` adds rows
    ``E x = e``."""
    matrix, lo, up = face.matrix, face.row_lower, face.row_upper
    if extra is not None:
        rows, rhs = extra
        matrix = sp.vstack([matrix, rows], format="csr")
        lo, up = np.concatenate([lo, rhs]), np.concatenate([up, rhs])
    return quadratic_programme(cost, face.col_lower, face.col_upper, matrix, lo, up, hessian)


def quadratic_programme(cost, col_lower, col_upper, matrix, row_lower, row_upper, hessian=None, *,
                        time_limit: float | None = None):
    """A HiGHS model: minimise ``cost·x + ½ x'Hx`` s.t. ``row_lower ≤ matrix x ≤ row_upper`` and the column
    bounds (an LP without ``hessian``)."""
    import highspy

    from .backends.highs import pass_arrays

    h = pass_arrays(np.asarray(cost, dtype=float), col_lower, col_upper, matrix, row_lower, row_upper,
                    maximise=False)
    if time_limit:
        h.setOptionValue("time_limit", float(time_limit))
    if hessian is not None:
        # the active-set QP solver can cycle on a Hessian that is flat over the face; bound its work
        h.setOptionValue("qp_iteration_limit", int(QP_ITERATIONS_PER_ENTRY * sum(matrix.shape) + 1000))
        # HiGHS adds 1e-7 × I to the Hessian by default, which moves the answer by about 1e-8 relative; less
        # keeps the tie-broken amounts exact to about 1e-12 (a hand-worked test checks 7 and 9 to 1e-9)
        h.setOptionValue("qp_regularization_value", QP_REGULARIZATION)
        tri = sp.tril(hessian, format="csc")
        tri.sort_indices()
        h.passHessian(tri.shape[0], tri.nnz, highspy.HessianFormat.kTriangular,
                      tri.indptr.astype(np.int32), tri.indices.astype(np.int32), tri.data.astype(float))
    return h


def run_quadratic(h) -> tuple[str, np.ndarray | None]:
    """Run a model of :func:`quadratic_programme`: (status, x), x None unless optimal."""
    import highspy

    if h.getNumCol() == 0:  # nothing left free (HiGHS's QP solver does not stop on an empty model)
        return OPTIMAL, np.zeros(0)
    h.run()
    status = h.getModelStatus()
    cycled = status == highspy.HighsModelStatus.kIterationLimit
    retries = iter(QP_RETRY_REGULARIZATIONS if cycled and h.getModel().hessian_.dim_ else ())  # a QP only
    while status == highspy.HighsModelStatus.kIterationLimit and (value := next(retries, None)) is not None:
        h.clearSolver()
        h.setOptionValue("qp_regularization_value", value)
        h.run()
        status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return h.modelStatusToString(status), None
    return OPTIMAL, np.asarray(h.getSolution().col_value)


# ----------------------------------------------------------------------------------------- reference


@dataclass
class Reference:
    """The allocation the tie-break moves toward: ``amounts`` per unit in the scenario's money unit, and what
    they are (``toward``: ``baseline``, a column's name, or ``equal``)."""

    toward: str
    amounts: np.ndarray


def toward(sc) -> str:
    """The scenario's tie-break reference by name, its default resolved: ``baseline`` when the scenario has a
    ``baseline:`` section, else the column of its first ``hold_harmless`` rule, else ``equal``."""
    chosen = sc.objective.tie_break.toward
    if chosen != "auto":
        return chosen
    if sc.baseline is not None:
        return "baseline"
    return next((r.column for r in sc.rules if r.type == "hold_harmless"), "equal")


def reference_for(program: Program, first: Solution) -> Reference | None:
    """The reference allocation of ``program`` (None for ``toward: none``), for the budget the programme has
    (a budget sweep edits it) or, without a budget row (``min_cost``), for the money the optimum spends."""
    return _reference(program.scenario, _total(program, first))


def _total(program: Program, first: Solution) -> float:
    """The money the reference shares out (user money)."""
    if "budget" in program.blocks:
        return float(program.row_upper[program.blocks["budget"]][0]) * program.money_scale
    alloc = slice(0, program.n_alloc)
    return float(program.col_money[alloc] @ first.x[alloc]) * program.money_scale


def _reference(sc, total: float) -> Reference | None:
    name = toward(sc)
    if name == "none":
        return None
    n = len(sc.units)
    if name == "baseline":
        from .baseline import formula_amounts
        amounts = formula_amounts(sc, total, floors_must_fit=False)
    elif name == "equal":
        amounts = np.full(n, total / n)
    else:
        values = sc.units[name].to_numpy(dtype=float)
        amounts = values * (total / values.sum()) if values.sum() > 0 else np.full(n, total / n)
    return Reference(name, np.asarray(amounts, dtype=float))


class References:
    """:func:`reference_for` remembering its last answer: the re-solves of a sensitivity run share their
    scenario (an edit in place keeps it), and the factor formula behind a ``baseline`` reference costs more than
    a Hebei draw's whole LP."""

    def __init__(self):
        self._last = None  # (scenario, total, reference)

    def __call__(self, program: Program, first: Solution) -> Reference | None:
        sc, total = program.scenario, _total(program, first)
        if self._last is None or self._last[0] is not sc or self._last[1] != total:
            self._last = (sc, total, _reference(sc, total))
        return self._last[2]


# ------------------------------------------------------------------------------------- optimum ranges


def _unit_money(face: Face, x_free: np.ndarray) -> np.ndarray:
    """Internal money per unit at a point of the face."""
    return face.money @ x_free + face.fixed_money


def optimum_ranges(face: Face, points: list[np.ndarray] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's least and most money (internal) over the optimal face.

    Units the fixing leaves fixed need nothing. For the others, random positive combinations of their money
    are minimised and maximised first: when the two agree, none of the units in the combination can move
    (with probability 1), and when they differ, the two allocations show which units do. Only the units seen
    moving get an LP each way. All LPs run on one HiGHS model of the face, each from the last basis.
    ``points``: free-column values already known to lie on the face (they narrow nothing, but show movers).
    """
    known = [_unit_money(face, p) for p in points] or [_unit_money(face, face.values[face.free])]
    low, high = np.min(known, axis=0), np.max(known, axis=0)
    if not face.moving.any():
        return low, high
    tol = RANGE_TOLERANCE * (1.0 + np.abs(high))
    h = _face_model(face, np.zeros(len(face.free)))
    h.setOptionValue("simplex_strategy", 4)  # a new objective keeps the basis feasible: primal simplex goes on
    columns = np.arange(len(face.free), dtype=np.int32)
    # what each unit's free columns' bounds allow: a unit seen there needs no LP on that side
    floor = face.money @ np.where(np.isfinite(face.col_lower), face.col_lower, -np.inf) + face.fixed_money
    ceiling = face.money @ np.where(np.isfinite(face.col_upper), face.col_upper, np.inf) + face.fixed_money

    def extreme(weights: np.ndarray, sign: float) -> np.ndarray | None:
        cost = sign * (weights @ face.money)
        h.changeColsCost(len(columns), columns, np.asarray(cost, dtype=float).ravel())
        status, x = run_quadratic(h)
        if status != OPTIMAL:
            return None
        money = _unit_money(face, x)
        np.minimum(low, money, out=low)
        np.maximum(high, money, out=high)
        return money

    rng = np.random.default_rng(0)
    suspects = face.moving & (high - low <= tol)
    while suspects.any():
        weights = np.where(suspects, rng.uniform(1.0, 2.0, face.money.shape[0]), 0.0)
        least, most = extreme(weights, 1.0), extreme(weights, -1.0)
        if least is None or most is None:
            break
        spread = weights @ (most - least)
        movers = suspects & (high - low > tol)
        if spread <= RANGE_TOLERANCE * (1.0 + weights @ np.abs(most)) or not movers.any():
            break
        suspects &= ~movers
    movers = np.flatnonzero(face.moving & (high - low > tol))
    for sign, seen, limit in ((-1.0, high, ceiling), (1.0, low, floor)):  # all the maxima, then all the minima
        for u in movers:
            if abs(seen[u] - limit[u]) > tol[u]:
                weights = np.zeros(face.money.shape[0])
                weights[u] = 1.0
                extreme(weights, sign)
    return low, high


# -------------------------------------------------------------------------------------- second stage


@dataclass
class TieBreakInfo:
    """What the second stage did, for the result and summary.json.

    ``toward``: the reference's name (``none``: no tie-break); ``ran``: the tie-broken allocation is the one
    returned; ``note``: why not, when it did not (for summary.json; ``reason`` says it to people: a catalog key
    and its fields); ``tolerance``: how much of the objective (relative) the
    second stage may give up; ``objective_change``: how much it did (relative); ``reference``,
    ``amount_min``, ``amount_max``: per unit in the scenario's money unit (``amount_min``/``amount_max`` NaN
    where not computed); ``fixed``: units whose money complementary slackness alone fixes; ``tied``: units
    whose money varies over the optimal allocations (None when the ranges were not computed).
    """

    toward: str
    ran: bool = False
    note: str = ""
    reason: tuple[str, dict] = ("", {})
    tolerance: float = OBJECTIVE_TOLERANCE
    objective_change: float = 0.0
    reference: np.ndarray | None = None
    amount_min: np.ndarray | None = None
    amount_max: np.ndarray | None = None
    fixed: np.ndarray | None = None
    tied: np.ndarray | None = None
    seconds: float = 0.0
    solver: str = ""
    stages: list[str] = field(default_factory=list)
    route: str = "highs"           # "decomposed" when the decomposed second stage answered, else "highs"
    decomposed: object = None      # its report (:class:`fundalloc.decomposition.tiebreak.Report`)
    fallback: str = ""             # why it did not answer, when it was tried


def second_stage(engine, program: Program, first: Solution, reference: Reference | None, *,
                 ranges: bool = False, fix: str = "auto", method: str = "auto") -> Solution:
    """Among the optimal allocations of ``program`` (solved by ``first``), the one whose unit amounts are
    closest to ``reference`` (least squares), and among those the one with each unit's money most evenly
    spread over its measures (least sum of squared money per measure and step).

    Both are strictly convex quadratic programmes on the optimal face (:func:`optimal_face`), solved by HiGHS
    whatever backend solved the first stage (``engine``: that backend; its time limit applies). The returned
    :class:`~fundalloc.backends.base.Solution` has the tie-broken ``x`` and the first stage's duals and
    ranging (they describe the policy LP); ``extra["tie_break"]`` is a :class:`TieBreakInfo`.
    ``reference=None`` keeps the first stage's allocation. ``ranges``: also each unit's least and most money
    at the optimum (:func:`optimum_ranges`). A MIP is returned as it is (HiGHS solves no mixed-integer QP).

    Examples
    --------
    Two identical counties share 10 万元 of workshop places that both fill equally well; the first stage
    may give it all to one of them, the second stage splits it evenly (the reference is ``equal``):

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 100]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> fa.solve(sc).units["amount"].round(9).tolist()
    [5.0, 5.0]
    """
    start = time.perf_counter()
    name = reference.toward if reference is not None else "none"
    info = TieBreakInfo(name, solver=_highs_name())
    form = release_form(first)
    done = replace(first, extra={**first.extra, "tie_break": info})
    if first.status != OPTIMAL:
        return first
    if program.integer:
        info.note = "integer"
        return done
    if reference is None and not ranges:
        return done
    scale = program.money_scale
    face, x = None, None
    if reference is not None:
        info.reference = reference.amounts
        if _decomposes(method, first, fix):
            x = _decomposed(program, first, reference.amounts / scale, engine, info, form)
    if x is None:
        face = optimal_face(program, first, fix=fix)
        info.fixed = ~face.moving
        x_free = face.values[face.free]
        if reference is not None:
            stage2 = _closest(face, reference.amounts / scale, engine)
            if stage2 is None:
                info.note = "HiGHS did not solve its quadratic programme"
                info.reason = ("tiebreak.why.no_qp", {})
            else:
                info.stages.append("closest to the reference")
                x_free = stage2
                if _split_can_move(face):
                    stage3 = _spread(face, stage2, engine)
                    if stage3 is not None:
                        x_free = stage3
                        info.stages.append("money spread over measures")
        x = face.full(x_free)
    z1, z2 = float(program.cost @ first.x), float(program.cost @ x)
    change = (z1 - z2) / max(1.0, abs(z1)) * (1.0 if program.sense == "max" else -1.0)
    if reference is not None and info.stages:
        if change > FACE_CHECK:  # the face lost the optimum: keep the policy LP's allocation
            info.note = f"it would lose {change:.2g} of the objective"
            info.reason = ("tiebreak.why.loses", {"change": f"{change:.2g}"})
            info.stages.clear()
            x = first.x
        else:
            info.ran, info.objective_change = True, max(change, 0.0)
    if ranges:
        face = face if face is not None else optimal_face(program, first, fix=fix)
        low, high = optimum_ranges(face, [x[face.free]] if info.ran else [])
        info.amount_min, info.amount_max = low * scale, high * scale
        info.tied = high - low > RANGE_TOLERANCE * (1.0 + np.abs(high))
    info.seconds = time.perf_counter() - start
    if not info.ran:
        return done
    return replace(done, x=x, row_activity=program.times(x), objective=z2)


def _decomposes(method: str, first: Solution, fix: str) -> bool:
    """Whether to try the decomposed second stage (:mod:`fundalloc.decomposition.tiebreak`): ``method``
    ``"decomposed"`` or ``"auto"``, on a face stated by duals. ``"highs"`` keeps the HiGHS QP over the face."""
    if method not in ("auto", "decomposed", "highs"):
        raise ArgumentError(msg("errors.solver.tie_break_method", method=repr(method)))
    has_duals = first.col_dual is not None and first.row_dual is not None
    return method != "highs" and has_duals and fix in ("auto", "duals")


def release_form(first: Solution):
    """The block form a decomposition solve kept for the tie-break (None without one), no longer held by the
    solution: at a million units it is hundreds of megabytes."""
    report = first.extra.get("decomposition")
    form = getattr(report, "form", None)
    if form is not None:
        report.form = None
    return form


def _decomposed(program: Program, first: Solution, reference: np.ndarray, engine, info: TieBreakInfo, form):
    """The decomposed second stage's solution vector, or None (the reason in ``info.fallback``) when the
    HiGHS QP must answer."""
    from .decomposition.tiebreak import Unsupported, second_stage_decomposed

    try:
        x, fixed, steps = second_stage_decomposed(program, first, reference, form=form,
                                                  time_limit=getattr(engine, "time_limit", None))
    except Unsupported as why:
        info.fallback = str(why)
        return None
    info.route, info.fixed, info.decomposed = "decomposed", fixed, steps
    info.solver = _DECOMPOSED + (f"; the split of {steps.split_by_highs} units by {_highs_name()}"
                                 if steps.split_by_highs else "")
    info.stages += ["closest to the reference"] + (["money spread over measures"] if steps.split_units else [])
    return x


def _time_limit(h, engine) -> None:
    limit = getattr(engine, "time_limit", None)
    if limit:
        h.setOptionValue("time_limit", float(limit))


def _closest(face: Face, reference: np.ndarray, engine) -> np.ndarray | None:
    """Stage 2: minimise ½·Σ_u (money_u − reference_u)² over the face (internal money)."""
    if not face.moving.any():
        return face.values[face.free]
    m = sp.diags(face.moving.astype(float)) @ face.money  # units whose money a row holds add a constant
    hessian = (m.T @ m).tocsc()
    linear = m.T @ (face.fixed_money - reference)
    h = _face_model(face, linear, hessian)
    _time_limit(h, engine)
    return run_quadratic(h)[1]


def _spread(face: Face, x_free: np.ndarray, engine) -> np.ndarray | None:
    """Stage 3: each unit's money held where stage 2 put it, minimise Σ_j (money in column j)²: the split over
    measures and steps is then unique too."""
    m = face.money
    per_unit = np.diff(m.indptr)
    p = face.program
    weights = np.ones(len(face.free))  # auxiliary columns (an average, a rate) too, so no direction is flat
    alloc = face.free < p.n_alloc
    weights[alloc] = p.col_money[face.free[alloc]] ** 2
    rows = np.flatnonzero(per_unit > 0)
    held = (m[rows], (m @ x_free)[rows])
    h = _face_model(face, np.zeros(len(face.free)), sp.diags(weights).tocsc(), extra=held)
    _time_limit(h, engine)
    return run_quadratic(h)[1]


def _split_can_move(face: Face) -> bool:
    """Whether some unit has two free columns (else its money, fixed by stage 2, fixes its split)."""
    return bool((np.diff(face.money.indptr) >= 2).any())


_DECOMPOSED = "fundalloc's decomposed quadratic programme (dual Newton over the coupling rows, certified)"


@functools.cache
def _highs_name() -> str:
    from importlib.metadata import version
    return f"HiGHS {version('highspy')} (quadratic programme, active set)"
