"""The block oracle's dual simplex compiled with numba (the ``fast`` extra): one unit at a time, in scalar
loops, the same pivoting rules as the vectorised numpy version in :mod:`.oracle` (which stays the fallback and
gives the same answers). Measured in benchmarks/README.md: the numpy version costs about 3 s per pass over a
million units (several passes per solve), this one a few tenths.
"""
from __future__ import annotations

import numpy as np
from numba import njit

OPTIMAL, INFEASIBLE, ITERATION_LIMIT = 0, 1, 2


@njit(cache=True, nogil=True)
def solve_units(profit, D, lo, hi, upper, max_iterations, tolerance, basis,
                x, y, dj, status, iterations, T_out, basic_out, is_basic_out, at_upper_out, d_out, z_out, lb_out,
                ub_out, row_scale_out):  # pragma: no cover - compiled; tests compare it with the numpy version
    m, R, C = D.shape
    N = C + R
    T = np.empty((R, N))
    d = np.empty(N)
    z = np.empty(N)
    lb = np.empty(N)
    ub = np.empty(N)
    zB = np.empty(R)
    cs = np.empty(C)
    rs = np.empty(R)
    basic = np.empty(R, np.int64)
    is_basic = np.empty(N, np.bool_)
    at_upper = np.empty(N, np.bool_)
    for u in range(m):
        for c in range(C):
            cs[c] = upper[u, c] if upper[u, c] > 0 else 1.0
        for r in range(R):
            big = 0.0
            for c in range(C):
                v = abs(D[u, r, c] * cs[c])
                if v > big:
                    big = v
            rs[r] = big if big > 0 else 1.0
            for c in range(C):
                T[r, c] = -(D[u, r, c] * cs[c]) / rs[r]
            for k in range(R):
                T[r, C + k] = 1.0 if k == r else 0.0
            lb[C + r] = lo[u, r] / rs[r]
            ub[C + r] = hi[u, r] / rs[r]
            d[C + r] = 0.0
            basic[r] = C + r
            is_basic[C + r] = True
            at_upper[C + r] = False
            z[C + r] = 0.0
        for c in range(C):
            lb[c] = 0.0
            ub[c] = 1.0 if upper[u, c] > 0 else 0.0
            d[c] = -profit[u, c] * cs[c]
            is_basic[c] = False
            at_upper[c] = d[c] < 0 and ub[c] > 0
            z[c] = ub[c] if at_upper[c] else 0.0
        state = OPTIMAL
        count = 0
        for it in range(max_iterations + 1):
            worst = -np.inf
            p = 0
            to_lower = False
            for r in range(R):
                value = 0.0
                for j in range(N):
                    if not is_basic[j]:
                        value -= T[r, j] * z[j]
                zB[r] = value
                b = basic[r]
                below = lb[b] - value
                above = value - ub[b]
                v = below if below > above else above
                if v > worst:
                    worst = v
                    p = r
                    to_lower = below > above
            if R == 0 or worst <= tolerance:
                break
            if it == max_iterations:
                state = ITERATION_LIMIT
                break
            sign = 1.0 if to_lower else -1.0
            best = np.inf
            for j in range(N):
                if is_basic[j]:
                    continue
                s = sign * T[p, j]
                if (at_upper[j] and s > 1e-11) or (not at_upper[j] and s < -1e-11):
                    ratio = abs(d[j]) / max(abs(T[p, j]), 1e-300)
                    if ratio < best:
                        best = ratio
            if best == np.inf:
                state = INFEASIBLE
                break
            q = -1
            largest = -1.0
            for j in range(N):
                if is_basic[j]:
                    continue
                s = sign * T[p, j]
                if (at_upper[j] and s > 1e-11) or (not at_upper[j] and s < -1e-11):
                    ratio = abs(d[j]) / max(abs(T[p, j]), 1e-300)
                    if ratio <= best * (1 + 1e-12) + 1e-14 and abs(T[p, j]) > largest:
                        largest = abs(T[p, j])
                        q = j
            theta = d[q] / T[p, q]
            leave = basic[p]
            for j in range(N):
                d[j] -= theta * T[p, j]
            d[q] = 0.0
            is_basic[leave] = False
            at_upper[leave] = not to_lower
            z[leave] = lb[leave] if to_lower else ub[leave]
            is_basic[q] = True
            at_upper[q] = False
            basic[p] = q
            pivot = T[p, q]
            for j in range(N):
                T[p, j] /= pivot
            for r in range(R):
                if r != p:
                    f = T[r, q]
                    if f != 0.0:
                        for j in range(N):
                            T[r, j] -= f * T[p, j]
            count += 1
        if state != INFEASIBLE:
            for r in range(R):
                z[basic[r]] = zB[r]
        status[u] = state
        iterations[u] = count
        for c in range(C):
            x[u, c] = z[c] * cs[c]
            dj[u, c] = -d[c] / cs[c]
        for r in range(R):
            y[u, r] = -d[C + r] / rs[r]
        if basis:
            for r in range(R):
                basic_out[u, r] = basic[r]
                row_scale_out[u, r] = rs[r]
                for j in range(N):
                    T_out[u, r, j] = T[r, j]
            for j in range(N):
                is_basic_out[u, j] = is_basic[j]
                at_upper_out[u, j] = at_upper[j]
                d_out[u, j] = d[j]
                z_out[u, j] = z[j]
                lb_out[u, j] = lb[j]
                ub_out[u, j] = ub[j]
