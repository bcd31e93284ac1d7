"""The block oracle: many small LPs of one shape, one per unit, solved together by a bounded dual simplex.

    maximise r_u · x_u   s.t.  lo_u ≤ D_u x_u ≤ hi_u,   0 ≤ x_u ≤ U_u          for every unit u

``D`` is (units × rows × slots): a unit's own rows (pool, coverage, hold_harmless, …) over its own columns.
Every unit is pivoted in lockstep, vectorised over units, on a dense tableau of rows × (slots + rows). Each
unit starts from its row activities basic and every column at the bound its profit prefers: a dual-feasible
basis because every column is boxed, so the dual simplex needs no phase 1. Columns are scaled to [0, 1] and
rows to a largest coefficient of 1, which keeps every unit's numbers near 1 whatever its size.

Units are solved in chunks (the tableaux of a chunk stay in cache); the answers do not depend on the chunk.
With numba installed (the ``fast`` extra) the same pivots run compiled, unit by unit (:mod:`.kernel`);
``compiled=False`` forces this numpy version, which is always there.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec

import numpy as np

OPTIMAL, INFEASIBLE, ITERATION_LIMIT = 0, 1, 2
#: a basic variable may be this far (scaled) outside its bounds at the optimum
PRIMAL_TOLERANCE = 1e-9
CHUNK = 16384


@dataclass
class Blocks:
    """The oracle's answer for m units (arrays lead with the unit).

    ``x`` (m × slots) the optimum; ``y`` (m × rows) row duals as d(value)/d(active bound); ``dj`` (m × slots)
    reduced profits per unit of each column; ``status`` per unit. With ``basis=True`` also the final basis in
    the scaled variables z = (x / U, rows / scale): ``tableau`` (m × rows × (slots+rows), B⁻¹[D̃, −I]),
    ``basic`` (m × rows), ``at_upper``, ``is_basic``, ``d`` (reduced costs of the scaled minimisation), ``z``,
    ``lb``, ``ub`` and ``row_scale``.
    """

    x: np.ndarray
    y: np.ndarray
    dj: np.ndarray
    status: np.ndarray
    iterations: np.ndarray
    tableau: np.ndarray | None = None
    basic: np.ndarray | None = None
    is_basic: np.ndarray | None = None
    at_upper: np.ndarray | None = None
    d: np.ndarray | None = None
    z: np.ndarray | None = None
    lb: np.ndarray | None = None
    ub: np.ndarray | None = None
    row_scale: np.ndarray | None = None

    def value(self, profit: np.ndarray) -> np.ndarray:
        return np.einsum("us,us->u", profit, self.x)


@cache
def compiled_available() -> bool:
    """Whether numba (the ``fast`` extra) is installed, so the compiled kernel runs."""
    return find_spec("numba") is not None


def solve_blocks(profit, D, lo, hi, upper, *, basis: bool = False, max_iterations: int = 60,
                 compiled: bool | None = None) -> Blocks:
    """Solve every unit's block LP; see the module docstring.

    Examples
    --------
    Two units, one row each (x₀ + x₁ ≤ 1, columns up to 5), profits (2, 1) and (1, 3): each puts its one
    unit on its better column, and the row's dual is that column's profit.

    >>> import numpy as np
    >>> out = solve_blocks(np.array([[2.0, 1.0], [1.0, 3.0]]), np.ones((2, 1, 2)), np.full((2, 1), -np.inf),
    ...                    np.ones((2, 1)), np.full((2, 2), 5.0))
    >>> (out.x + 0.0).tolist(), out.y.ravel().tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [2.0, 3.0])
    """
    if compiled if compiled is not None else compiled_available():
        return _solve_compiled(profit, D, lo, hi, upper, basis, max_iterations)
    n = len(profit)
    parts = [_solve(profit[i:i + CHUNK], D[i:i + CHUNK], lo[i:i + CHUNK], hi[i:i + CHUNK], upper[i:i + CHUNK],
                    basis, max_iterations) for i in range(0, max(n, 1), CHUNK)]
    if len(parts) == 1:
        return parts[0]
    fields = {k: np.concatenate([getattr(p, k) for p in parts]) for k in Blocks.__dataclass_fields__
              if getattr(parts[0], k) is not None}
    return Blocks(**fields)


def _solve_compiled(profit, D, lo, hi, upper, basis: bool, max_iterations: int) -> Blocks:
    from .kernel import solve_units

    m, R, C = D.shape
    if not np.isfinite(upper).all():
        raise ValueError("every column of a block needs a finite upper bound")
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = Blocks(x=np.empty((m, C)), y=np.empty((m, R)), dj=np.empty((m, C)), status=np.empty(m, np.int64),
                 iterations=np.empty(m, np.int64))
    shape = (m, R, C + R) if basis else (0, 0, 0)
    T, basic = np.empty(shape), np.empty(shape[:2], np.int64)
    N2 = shape[:1] + shape[2:]
    is_basic, at_upper = np.empty(N2, np.bool_), np.empty(N2, np.bool_)
    d, z, lb, ub, rs = np.empty(N2), np.empty(N2), np.empty(N2), np.empty(N2), np.empty(shape[:2])
    solve_units(f(profit), f(D), f(lo), f(hi), f(upper), max_iterations, PRIMAL_TOLERANCE, basis,
                out.x, out.y, out.dj, out.status, out.iterations, T, basic, is_basic, at_upper, d, z, lb, ub, rs)
    if basis:
        out.tableau, out.basic, out.is_basic, out.at_upper = T, basic, is_basic, at_upper
        out.d, out.z, out.lb, out.ub, out.row_scale = d, z, lb, ub, rs
    return out


def _solve(profit, D, lo, hi, upper, basis: bool, max_iterations: int) -> Blocks:
    m, R, C = D.shape
    N = C + R
    if not np.isfinite(upper).all():
        raise ValueError("every column of a block needs a finite upper bound")
    col_scale = np.where(upper > 0, upper, 1.0)
    Ds = D * col_scale[:, None, :]
    row_scale = np.abs(Ds).max(axis=2) if C else np.zeros((m, R))
    row_scale = np.where(row_scale == 0, 1.0, row_scale)    # an empty row keeps its bounds: 0 must fit them
    Ds /= row_scale[:, :, None]
    lb = np.concatenate([np.zeros((m, C)), lo / row_scale], axis=1)
    ub = np.concatenate([np.where(upper > 0, 1.0, 0.0), hi / row_scale], axis=1)
    # T = B⁻¹ [D̃, −I] with the row activities basic (B = −I)
    T = np.concatenate([-Ds, np.broadcast_to(np.eye(R), (m, R, R))], axis=2)
    d = np.concatenate([-profit * col_scale, np.zeros((m, R))], axis=1)    # minimise −profit
    basic = np.broadcast_to(C + np.arange(R), (m, R)).copy()
    is_basic = np.zeros((m, N), bool)
    is_basic[:, C:] = True
    at_upper = np.zeros((m, N), bool)
    at_upper[:, :C] = (d[:, :C] < 0) & (ub[:, :C] > 0)
    z = np.where(at_upper, ub, 0.0)
    status = np.zeros(m, int)
    iterations = np.zeros(m, int)
    active = np.arange(m)
    for it in range(max_iterations + 1):
        if not active.size:
            break
        Ta, za, ba = T[active], z[active], basic[active]
        zB = -np.einsum("urj,uj->ur", Ta, np.where(is_basic[active], 0.0, za))
        below = np.take_along_axis(lb[active], ba, axis=1) - zB
        above = zB - np.take_along_axis(ub[active], ba, axis=1)
        worst = np.maximum(below, above)
        p = np.argmax(worst, axis=1) if R else np.zeros(len(active), int)
        k = np.arange(len(active))
        done = (worst[k, p] <= PRIMAL_TOLERANCE) if R else np.ones(len(active), bool)
        if it == max_iterations:
            status[active[~done]] = ITERATION_LIMIT
            done[:] = True
        if done.any():                               # write the basic values of the finished units
            fin = active[done]
            zf = z[fin]
            np.put_along_axis(zf, basic[fin], zB[done], axis=1)
            z[fin] = zf
        go = ~done
        active, Ta, p, k = active[go], Ta[go], p[go], np.arange(go.sum())
        if not active.size:
            break
        to_lower = below[go][k, p] > 0                 # the leaving variable goes to the bound it broke
        rho = Ta[k, p, :]                              # the pivot row
        da, up_a, nb = d[active], at_upper[active], ~is_basic[active]
        s = np.where(to_lower, 1.0, -1.0)[:, None] * rho
        eligible = nb & np.where(up_a, s > 1e-11, s < -1e-11)
        ratio = np.where(eligible, np.abs(da) / np.maximum(np.abs(rho), 1e-300), np.inf)
        best = ratio.min(axis=1)
        stuck = ~np.isfinite(best)
        if stuck.any():                              # no entering column: the unit's rows cannot all hold
            status[active[stuck]] = INFEASIBLE
            keep = ~stuck
            active, Ta, p, to_lower, rho, da, ratio, best = (a[keep] for a in
                                                            (active, Ta, p, to_lower, rho, da, ratio, best))
            k = np.arange(len(active))
            if not active.size:
                break
        # among the near-minimal ratios take the largest pivot (numerically the safest)
        near = ratio <= best[:, None] * (1 + 1e-12) + 1e-14
        q = np.argmax(np.where(near, np.abs(rho), -1.0), axis=1)
        theta = da[k, q] / rho[k, q]
        leave = basic[active, p]
        d[active] = da - theta[:, None] * rho
        d[active, q] = 0.0
        is_basic[active, leave] = False
        at_upper[active, leave] = ~to_lower
        z[active, leave] = np.where(to_lower, lb[active, leave], ub[active, leave])
        is_basic[active, q] = True
        at_upper[active, q] = False
        basic[active, p] = q
        pivot_row = rho / rho[k, q][:, None]
        Ta = Ta - Ta[k, :, q][:, :, None] * pivot_row[:, None, :]
        Ta[k, p, :] = pivot_row
        T[active] = Ta
        iterations[active] += 1
    x = z[:, :C] * col_scale
    y = -d[:, C:] / row_scale
    dj = -d[:, :C] / col_scale
    out = Blocks(x=x, y=y, dj=dj, status=status, iterations=iterations)
    if basis:
        out.tableau, out.basic, out.is_basic, out.at_upper = T, basic, is_basic, at_upper
        out.d, out.z, out.lb, out.ub, out.row_scale = d, z, lb, ub, row_scale
    return out
