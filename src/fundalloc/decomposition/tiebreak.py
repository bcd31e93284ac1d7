"""The tie-break's quadratic programmes decomposed like the policy LP: unit by unit under a few coupling rows,
exact, with a certificate (the HiGHS QP of :mod:`fundalloc.tiebreak` answers when the certificate fails).

The optimal face F is written in the block form of :mod:`.form` (:func:`block_face`): every slot priced by the
first stage's duals is fixed at its bound, every priced row held at its bound. Stage 2 minimises
½ Σ_u (A_u − r_u)² over F. Its objective sees only each unit's money A_u, so when every coupling row and every
row on a shared auxiliary column sees a unit only through A_u (true of every unit with one free slot, and of
budget, group shares and the per-capita tilt for any unit), F projects onto

    minimise ½ Σ_u (a_u − r_u)²  s.t.  lo_u ≤ a_u ≤ hi_u,   l ≤ G a + Γ t ≤ h,   l_i ≤ d_i a_{u_i} + q_i t ≤ h_i,

the *totals programme*: ``[lo_u, hi_u]`` the least and most money of the unit's own face (the block oracle, or
closed form for one free slot), G the coupling rows' coefficient on each unit's money, t the auxiliary columns
left free (the tilt's others' money per head), rows i the per-unit rows on them. A coupling row that sees the
split of a unit with several free slots (an earmark) is left out here and held in stage 3 (a relaxation: when
stage 3 can hold it, the relaxed optimum is the optimum); when it cannot, and its units have two free slots,
it is put back as a row that each unit's money bends (:func:`hold_split_row`).

The totals programme is solved in its dual: for multipliers μ on the coupling rows each unit's money is
``clip(r_u − g_u·μ, lo_u, hi_u)``; the dual is concave and piecewise quadratic in the few μ, maximised by a
Newton method with an exact line search. Rows on an auxiliary column enter by an active set (a row held makes
its unit's money an affine function of t, and t then has a closed form too). The answer is certified by weak
duality: with the rows feasible, the gap between the primal objective and the dual bound, summed from
non-negative per-unit terms, bounds the distance to the exact answer: ‖A − A*‖₂ ≤ √(2·gap).

Stage 3 (the split over measures and steps) is fixed by the money in a unit with one free slot, and in a unit
of a row put back by its end of the row; two free slots are split in closed form; the other units get a HiGHS
QP of their own (no coupling but the rows left out of stage 2).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from ..program import Program
from .form import BlockForm
from .method import solve_blocks
from .oracle import OPTIMAL as BLOCK_OPTIMAL

#: the totals programme's answer is accepted when its rows hold to this (relative to each row's size) and
#: √(2·gap) ≤ this × (1 + the largest unit's money): its money is then the exact optimum's to about that
CERTIFICATE_TOLERANCE = 1e-9
#: Newton iterations on the multipliers, and rounds of the active set of rows on auxiliary columns
MAX_NEWTON, MAX_ACTIVE_SET = 200, 50
#: two coefficient ratios (a row's coefficient ÷ the slot's money) count as equal within this (relative)
PROPORTIONAL = 1e-9
CHUNK = 65536


class Unsupported(Exception):
    """The face has a structure the decomposed second stage does not handle, or its certificate failed: the
    HiGHS QP answers instead (the message says why)."""


# ------------------------------------------------------------------------------------------- the face


@dataclass
class BlockFace:
    """The optimal face in block form: the form's rows and slots with what complementary slackness fixes."""

    form: BlockForm
    X: np.ndarray           # (n, C) the first stage's values, priced slots at their bound
    lower: np.ndarray       # (n, C) slot bounds on the face (equal where fixed)
    upper: np.ndarray
    lo: np.ndarray          # (n, R) per-unit rows' bounds on the face (equal where held)
    hi: np.ndarray
    clo: np.ndarray         # (K,) coupling rows' bounds on the face
    chi: np.ndarray
    aux: np.ndarray         # (A,) auxiliary columns' values and bounds on the face
    aux_lower: np.ndarray
    aux_upper: np.ndarray
    money: np.ndarray       # (n, C) internal money per beneficiary of each slot


def block_face(program: Program, first, form: BlockForm) -> BlockFace:
    """The optimal face of ``program`` around ``first`` (which must carry duals), as
    :func:`fundalloc.tiebreak.optimal_face` states it, in the block form ``form``."""
    from ..tiebreak import DUAL_TOLERANCE, _near

    f = form
    n, C = f.upper.shape
    na = program.n_alloc
    tol = DUAL_TOLERANCE * max(1.0, float(np.abs(program.cost).max(initial=0.0)))
    X = first.x[:na].reshape(C, n).T.copy()
    cap = program.col_upper[:na].reshape(C, n).T
    priced = np.abs(first.col_dual[:na].reshape(C, n).T) > tol
    at_lower, at_upper = priced & _near(X, 0.0), priced & _near(X, cap)
    fixed = (cap == 0) | at_lower | at_upper
    X = np.clip(np.where(at_lower, 0.0, np.where(at_upper, cap, X)), 0.0, cap)
    lower, upper = np.where(fixed, X, 0.0), np.where(fixed, X, f.upper)

    aux = first.x[na:].copy()
    a_lo, a_up = program.col_lower[na:], program.col_upper[na:]
    priced_a = np.abs(first.col_dual[na:]) > tol
    a_at_lo, a_at_up = priced_a & _near(aux, a_lo), priced_a & _near(aux, a_up)
    aux = np.where(a_at_lo, a_lo, np.where(a_at_up, a_up, aux))
    a_fixed = (a_lo == a_up) | a_at_lo | a_at_up
    aux_lower, aux_upper = np.where(a_fixed, aux, a_lo), np.where(a_fixed, aux, a_up)

    y = first.row_dual
    lo, hi = f.lo.copy(), f.hi.copy()
    for start in range(0, n, CHUNK):
        sl = slice(start, min(n, start + CHUNK))
        D, Q, Xs = f.D[sl], f.Q[sl], X[sl]
        act = np.einsum("urc,uc->ur", D, Xs) + Q @ aux
        size_D, size_Q = np.abs(D), np.abs(Q)
        terms = np.einsum("urc,uc->ur", size_D, np.abs(Xs)) + size_Q @ np.abs(aux)
        size = np.maximum(size_D.max(axis=2, initial=0.0), size_Q.max(axis=2, initial=0.0))
        rows = f.row[sl]
        held = (rows >= 0) & (np.abs(y[np.maximum(rows, 0)]) * size > tol)
        lo[sl], hi[sl] = _hold(lo[sl], hi[sl], act, terms, held, _near)
    cact = f.coupling_activity(X, aux)
    size_G = np.abs(f.G)
    cterms = np.einsum("kuc,uc->k", size_G, np.abs(X)) + np.abs(f.G_aux) @ np.abs(aux)
    csize = np.maximum(size_G.max(axis=(1, 2), initial=0.0), np.abs(f.G_aux).max(axis=1, initial=0.0))
    del size_G
    clo, chi = _hold(f.clo, f.chi, cact, cterms, np.abs(y[f.crow]) * csize > tol, _near)
    money = program.col_money[:na].reshape(C, n).T
    face = BlockFace(f, X, lower, upper, lo, hi, clo, chi, aux, aux_lower, aux_upper, money)
    _pin(face)
    return face


def _pin(face: BlockFace) -> None:
    """A unit's row left with one free slot bounds that slot (an equality row fixes it), until no row is: what
    the rows decide is taken out, as :func:`fundalloc.tiebreak.optimal_face` does on the sparse matrix."""
    f = face.form
    aux_free = face.aux_upper > face.aux_lower
    on_free_aux = (f.Q[:, :, aux_free] != 0).any(axis=2) if aux_free.any() else np.zeros(f.lo.shape, bool)
    live = (np.isfinite(face.lo) | np.isfinite(face.hi)) & ~on_free_aux
    done = ~live
    uses = f.D != 0
    free = face.upper > face.lower
    count = np.einsum("urc,uc->ur", uses, free, dtype=np.int64)
    while True:
        single = ~done & (count == 1)
        if not single.any():
            return
        done |= single
        u, r = np.nonzero(single)
        j = np.argmax(uses[u, r] & free[u], axis=1)
        coef = f.D[u, r, j]
        const = np.einsum("ec,ec->e", f.D[u, r], np.where(free[u], 0.0, face.X[u])) + f.Q[u, r] @ face.aux
        b1, b2 = (face.lo[u, r] - const) / coef, (face.hi[u, r] - const) / coef
        np.maximum.at(face.lower, (u, j), np.where(coef > 0, b1, b2))
        np.minimum.at(face.upper, (u, j), np.where(coef > 0, b2, b1))
        pinned = face.lower[u, j] >= face.upper[u, j]
        pu, pj = u[pinned], j[pinned]
        value = (face.lower[pu, pj] + face.upper[pu, pj]) / 2    # equal, or crossed by a rounding error
        face.X[pu, pj] = face.lower[pu, pj] = face.upper[pu, pj] = value
        moved = np.unique(pu)  # only these units' slots changed: count their rows' free slots again
        free[moved] = face.upper[moved] > face.lower[moved]
        count[moved] = np.einsum("urc,uc->ur", uses[moved], free[moved], dtype=np.int64)


def _hold(lo, hi, act, terms, held, near):
    """Rows with a price held at the bound they sit at (complementary slackness)."""
    at_lo, at_hi = near(act, lo, terms), near(act, hi, terms)
    to_lower, to_upper = held & at_lo & ~at_hi, held & at_hi & ~at_lo
    return np.where(to_upper, hi, lo), np.where(to_lower, lo, hi)


# ------------------------------------------------------------------------------- the totals programme


@dataclass
class Totals:
    """The totals programme (module docstring) over the units with a free slot ("model units")."""

    units: np.ndarray       # (m,) model units
    ref: np.ndarray         # (m,) reference money
    lo: np.ndarray          # (m,) least and most money of each unit's own face
    hi: np.ndarray
    G: np.ndarray           # (K, m) coupling rows' coefficients on a unit's money
    Gt: np.ndarray          # (K, A) … on the free auxiliary columns
    l: np.ndarray           # (K,) bounds net of everything fixed
    h: np.ndarray
    rows: np.ndarray        # (K,) the coupling rows of the form
    relaxed: np.ndarray     # coupling rows of the form left to stage 3 (they see a split)
    aux: np.ndarray         # (A,) the free auxiliary columns (indices into the form's)
    t_lo: np.ndarray        # (A,) their bounds, with the bounds the rows imply
    t_hi: np.ndarray
    link_unit: np.ndarray   # (L,) rows on a free auxiliary column: model unit (index into units)
    link_aux: np.ndarray    # (L,) which free auxiliary column
    link_d: np.ndarray      # (L,) coefficient on the unit's money
    link_q: np.ndarray      # (L,) coefficient on the auxiliary column
    link_l: np.ndarray
    link_h: np.ndarray
    free: np.ndarray        # (n, C) the face's free slots
    fixed_money: np.ndarray  # (n,) money in fixed slots
    row_scale: np.ndarray   # (K,) the size of each row's terms (for tolerances)
    # a relaxed row held as a convex function of each unit's money (:func:`hold_split_row`): its position in
    # the rows (−1: none); per unit the money where its slope bends (P ascending points; the unit's most money
    # where it bends no more) and its slope there less its slope in ``G`` (0 for a unit it sees by its money)
    bent_row: int = -1
    bend_at: np.ndarray | None = None
    bend: np.ndarray | None = None
    bend_step: np.ndarray | None = None     # how much the slope bends at each point (``bend``'s steps)
    held_split: tuple | None = None  # its units (model index), their two free slots, y's end (lines, max or min)

    def bent(self, a: np.ndarray) -> float:
        """The bent row's activity beyond ``G @ a`` (0 without one)."""
        if self.bent_row < 0:
            return 0.0
        return float((self.bend_step * np.maximum(a[:, None] - self.bend_at, 0.0)).sum())

    def slope_beyond(self, a: np.ndarray) -> np.ndarray:
        """Each unit's slope in the bent row at ``a`` less its slope in ``G``."""
        return (self.bend_step * (a[:, None] > self.bend_at)).sum(axis=1)

    def lagrangian_minimum(self, z: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each unit's money minimising ½(a − z)² + μ_b·(the bent row beyond G·a) over its interval (``z``: r
        less the terms linear in the multipliers; μ_b the bent row's), and whether it lies strictly inside a
        linear piece. The row's side makes μ_b times each unit's piece of it convex, so the minimum is the clip
        to each piece of z less that piece's extra slope, added up, less the points between the pieces."""
        if self.bent_row < 0:
            return np.clip(z, self.lo, self.hi), (z > self.lo) & (z < self.hi)
        at = self.bend_at
        a = np.clip(z, self.lo, at[:, 0])
        ends = np.concatenate([at[:, 1:], self.hi[:, None]], axis=1)
        a = a + (np.clip(z[:, None] - mu[self.bent_row] * self.bend, at, ends) - at).sum(axis=1)
        interior = (a > self.lo) & (a < self.hi) & ~(a[:, None] == at).any(axis=1)
        return a, interior


def totals_model(face: BlockFace, reference: np.ndarray) -> Totals:
    """The totals programme of ``face`` toward ``reference`` (internal money per unit); raises
    :class:`Unsupported` where the face does not project onto unit totals."""
    f = face.form
    n, C = f.upper.shape
    free = face.upper > face.lower
    nfree = free.sum(axis=1)
    m_all = face.money
    if (m_all[free] <= 0).any():
        raise Unsupported("a free slot without money")
    fixed_money = np.einsum("uc,uc->u", m_all, np.where(free, 0.0, face.X))
    aux_free = face.aux_upper > face.aux_lower
    A = int(aux_free.sum())
    aux_index = np.flatnonzero(aux_free)
    t_fixed = np.where(aux_free, 0.0, face.aux)
    X_fixed = np.where(free, 0.0, face.X)

    # per-unit rows: on a free auxiliary column ("linking") or the unit's own
    Qf = f.Q[:, :, aux_free] if A else np.zeros(f.Q.shape[:2] + (0,))
    on_aux = (Qf != 0).sum(axis=2)
    if (on_aux > 1).any():
        raise Unsupported("a row on two free auxiliary columns")
    live = np.isfinite(face.lo) | np.isfinite(face.hi)
    linking = live & (on_aux == 1)
    row_const = np.einsum("urc,uc->ur", f.D, X_fixed) + f.Q @ t_fixed

    units = np.flatnonzero(nfree > 0)
    lo_u, hi_u = np.empty(len(units)), np.empty(len(units))
    single = nfree[units] == 1
    one = units[single]
    if len(one):
        j = np.argmax(free[one], axis=1)
        coef = f.D[one, :, j]                                           # (u, R)
        own = live[one] & ~linking[one] & (coef != 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            b1 = (face.lo[one] - row_const[one]) / coef
            b2 = (face.hi[one] - row_const[one]) / coef
        low = np.where(own, np.where(coef > 0, b1, b2), -np.inf).max(axis=1, initial=-np.inf)
        high = np.where(own, np.where(coef > 0, b2, b1), np.inf).min(axis=1, initial=np.inf)
        xl, xu = np.maximum(face.lower[one, j], low), np.minimum(face.upper[one, j], high)
        if (xl > xu + 1e-9 * (1 + np.abs(xu))).any():
            raise Unsupported("a unit's own rows leave it no allocation")
        xu = np.maximum(xl, xu)
        money = m_all[one, j]
        lo_u[single], hi_u[single] = fixed_money[one] + money * xl, fixed_money[one] + money * xu
    several = units[~single]
    if len(several):
        blo = np.where(linking[several], -np.inf, face.lo[several] - row_const[several])
        bhi = np.where(linking[several], np.inf, face.hi[several] - row_const[several])
        room = np.where(free[several], face.upper[several], 0.0)
        profit = np.where(free[several], m_all[several], 0.0)
        D = f.D[several]
        most, least = np.empty(len(several)), np.empty(len(several))
        for start in range(0, len(several), CHUNK):  # most and least money in one call: half the oracle's steps
            part = slice(start, start + CHUNK)
            twice = lambda a: np.concatenate([a[part], a[part]])  # noqa: E731
            out = solve_blocks(np.concatenate([profit[part], -profit[part]]), twice(D), twice(blo), twice(bhi),
                               twice(room), form=f)
            if (out.status != BLOCK_OPTIMAL).any():
                raise Unsupported("the block oracle did not solve a unit's own face")
            value = out.value(twice(profit))
            most[part], least[part] = np.split(value, 2)
        hi_u[~single] = fixed_money[several] + most
        lo_u[~single] = fixed_money[several] + np.minimum(least, most)

    # coupling rows: each unit's coefficient on its money (a row that sees a split is left to stage 3)
    G = np.zeros((f.K, len(units)))
    split = np.zeros(f.K, bool)
    money_of, free_of = m_all[units], free[units]
    for k in range(f.K):
        g, proportional = _per_money(f.G[k, units][None], money_of, free_of)
        G[k], split[k] = g[0], not proportional.all()
    const = np.einsum("kuc,uc->k", f.G, X_fixed) + f.G_aux @ t_fixed - G @ fixed_money[units]
    Gt = f.G_aux[:, aux_free]
    l, h = face.clo - const, face.chi - const

    # rows on a free auxiliary column
    model = np.full(n, -1)
    model[units] = np.arange(len(units))
    lu, lr = np.nonzero(linking)
    alpha = np.argmax(Qf[lu, lr] != 0, axis=1) if len(lu) else np.zeros(0, int)
    q = Qf[lu, lr, alpha]
    d = np.zeros(len(lu))
    inside = model[lu] >= 0
    if inside.any():
        dd, ok = _per_money(f.D[lu[inside], lr[inside]][None], m_all[lu[inside]], free[lu[inside]])
        if not ok.all():
            raise Unsupported("a row on an auxiliary column sees how a unit splits its money")
        d[inside] = dd[0]
    lconst = row_const[lu, lr] - d * fixed_money[lu]
    ll, lh = face.lo[lu, lr] - lconst, face.hi[lu, lr] - lconst
    t_lo, t_hi = face.aux_lower[aux_free].copy(), face.aux_upper[aux_free].copy()
    # a row whose unit's money cannot move (or that does not see it) only bounds the auxiliary column
    moving = inside & (d != 0)
    for i in np.flatnonzero(~moving):
        a = float(fixed_money[lu[i]] if model[lu[i]] < 0 else 0.0) * d[i]
        lo_t, hi_t = sorted(((ll[i] - a) / q[i], (lh[i] - a) / q[i]))
        t_lo[alpha[i]], t_hi[alpha[i]] = max(t_lo[alpha[i]], lo_t), min(t_hi[alpha[i]], hi_t)
    link = dict(link_unit=model[lu[moving]], link_aux=alpha[moving], link_d=d[moving], link_q=q[moving],
                link_l=ll[moving], link_h=lh[moving])

    ref = reference[units]
    scale = np.abs(G) @ np.maximum(np.abs(lo_u), np.abs(hi_u))
    model_ = Totals(units=units, ref=ref, lo=lo_u, hi=hi_u, G=G, Gt=Gt, l=l, h=h, rows=np.arange(f.K),
                    relaxed=np.flatnonzero(split), aux=aux_index, t_lo=t_lo, t_hi=t_hi, free=free,
                    fixed_money=fixed_money, row_scale=scale, **link)
    _imply_aux_bounds(model_, ~split)
    return _drop_rows(model_, keep=~split)


def _per_money(coef: np.ndarray, money: np.ndarray, free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows' coefficients (rows × units × slots) per unit of each unit's money, over its free slots, and
    whether they are the same on every free slot (the row then sees the unit only through its money)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = coef / money[None]
    big = np.where(free[None], ratio, -np.inf).max(axis=2)
    small = np.where(free[None], ratio, np.inf).min(axis=2)
    none = ~free.any(axis=1)[None]
    big, small = np.where(none, 0.0, big), np.where(none, 0.0, small)
    same = big - small <= PROPORTIONAL * np.maximum(1.0, np.maximum(np.abs(big), np.abs(small)))
    return np.where(same, (big + small) / 2, 0.0), same


def _span(coef: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and most of ``coef @ v`` over ``lo ≤ v ≤ hi`` (rows of ``coef``; a zero coefficient on an
    unbounded variable adds nothing)."""
    with np.errstate(invalid="ignore"):
        a, b = coef * lo, coef * hi
    a, b = np.where(coef == 0, 0.0, a), np.where(coef == 0, 0.0, b)
    return np.minimum(a, b).sum(axis=1), np.maximum(a, b).sum(axis=1)


def _imply_aux_bounds(T: Totals, usable: np.ndarray) -> None:
    """Bound each free auxiliary column by what its coupling rows imply over the units' intervals (it makes the
    dual bound of the certificate finite; no feasible point is cut off)."""
    lo_a, hi_a = _span(T.G, T.lo, T.hi)
    for alpha in range(len(T.aux)):
        for k in np.flatnonzero((T.Gt[:, alpha] != 0) & usable):
            others = np.delete(T.Gt[k], alpha)
            if others.any():
                continue
            g = T.Gt[k, alpha]
            ends = sorted(((T.l[k] - hi_a[k]) / g, (T.h[k] - lo_a[k]) / g))
            if np.isfinite(ends[0]):
                T.t_lo[alpha] = max(T.t_lo[alpha], ends[0])
            if np.isfinite(ends[1]):
                T.t_hi[alpha] = min(T.t_hi[alpha], ends[1])


def _drop_rows(T: Totals, keep: np.ndarray) -> Totals:
    """Leave out the relaxed rows, the rows on nothing that moves and the rows no point of the box breaks."""
    lo_a, hi_a = _span(T.G, T.lo, T.hi)
    lo_t, hi_t = _span(T.Gt, T.t_lo, T.t_hi)
    lo_a, hi_a = lo_a + lo_t, hi_a + hi_t
    with np.errstate(invalid="ignore"):
        slack = 1e-9 * (1 + T.row_scale)
        redundant = (lo_a >= T.l - slack) & (hi_a <= T.h + slack)
    empty = ~(T.G != 0).any(axis=1) & ~(T.Gt != 0).any(axis=1)
    if (empty & keep & ((T.l > slack) | (T.h < -slack))).any():
        raise Unsupported("a coupling row the fixed part alone breaks")
    keep = keep & ~redundant & ~empty
    T.G, T.Gt, T.l, T.h, T.rows, T.row_scale = T.G[keep], T.Gt[keep], T.l[keep], T.h[keep], T.rows[keep], \
        T.row_scale[keep]
    return T


def hold_split_row(face: BlockFace, T: Totals, a: np.ndarray) -> Totals | None:
    """The totals programme with its one relaxed row (a row that sees how units with two free slots split their
    money: an earmark) put back, when the relaxed optimum ``a`` leaves stage 3 no split that holds it; None
    when it does (the relaxed optimum is then the optimum), or when the row is outside the structure below
    (several relaxed rows, a unit with three free slots it sees split or with a row on a free auxiliary
    column, a free auxiliary column on the row): stage 3 then tries the relaxed optimum, and when it cannot
    hold the row HiGHS's QP over the face answers.

    With its money S held, such a unit puts y in its first free slot and S − y in the other; the slots' bounds
    and the unit's own rows bound y between the largest and the least of a few affine functions of S, and the
    row sees ρ_k·S + (ρ_j − ρ_k)·y. When the relaxed optimum breaks the row's upper bound even with every
    unit's y at the end the row likes least, the optimum over the face has the row at that bound, which takes
    the same: the row is then held as the least it can be at each unit's money, a convex piecewise linear
    function of it, and the dual takes it as a row whose slope bends (:meth:`Totals.lagrangian_minimum`). The
    lower bound likewise with the most."""
    if len(T.relaxed) != 1:
        return None     # several coupling rows see how units split their money
    f = face.form
    k = int(T.relaxed[0])
    units = T.units
    free = T.free[units]
    money = face.money[units]
    g, proportional = _per_money(f.G[k, units][None], money, free)
    g, pairs = g[0], np.flatnonzero(~proportional[0])
    if (free[pairs].sum(axis=1) != 2).any():
        return None     # a row sees how a unit with three or more free slots splits its money
    aux_free = face.aux_upper > face.aux_lower
    if (f.G_aux[k, aux_free] != 0).any():
        return None     # a row that sees a split is on a free auxiliary column
    pu = units[pairs]
    live = np.isfinite(face.lo[pu]) | np.isfinite(face.hi[pu])
    if (live & (f.Q[pu][:, :, aux_free] != 0).any(axis=2)).any():
        return None     # a unit whose split a row sees has a row on a free auxiliary column
    order = np.argsort(~free[pairs], axis=1, kind="stable")[:, :2]
    j, kk = order[:, 0], order[:, 1]
    r = np.arange(len(pairs))
    mj, mk = money[pairs][r, j], money[pairs][r, kk]
    rho_j, rho_k = f.G[k, pu][r, j] / mj, f.G[k, pu][r, kk] / mk
    e = rho_j - rho_k
    fm = T.fixed_money[pu]
    lines = _split_lines(face, pu, j, kk, mj, mk)
    S = a[pairs] - fm
    X_fixed = np.where(T.free, 0.0, face.X)
    t_fixed = np.where(aux_free, 0.0, face.aux)
    const = float(np.einsum("uc,uc->", f.G[k], X_fixed) + f.G_aux[k] @ t_fixed - g @ T.fixed_money[units])
    rest = const + float(g @ a)
    y_low, y_high = _y_end(lines, S, True), _y_end(lines, S, False)
    least = rest + float((rho_k * S + np.minimum(e * y_low, e * y_high)).sum())
    most = rest + float((rho_k * S + np.maximum(e * y_low, e * y_high)).sum())
    slack = 1e-9 * (1 + abs(rest) + float(np.abs(rho_k * S).sum() + np.abs(e * S).sum()))
    if least <= face.chi[k] + slack and most >= face.clo[k] - slack:
        return None
    upper = least > face.chi[k]                 # held at its upper bound: the least at each unit's money
    low_end = (e > 0) == upper                  # which end of y that is
    # the end's pieces: the affine functions of S that are the largest (least) between consecutive crossings
    S_lo, S_hi = T.lo[pairs] - fm, T.hi[pairs] - fm
    alpha, beta = lines
    sign = np.where(low_end, 1.0, -1.0)[:, None]       # the least of the upper lines is minus the largest of −them
    al = np.where(low_end[:, None], alpha[:, 0], -alpha[:, 1])
    be = np.where(low_end[:, None], beta[:, 0], -beta[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        cross = (al[:, None, :] - al[:, :, None]) / (be[:, :, None] - be[:, None, :])
    cross = cross.reshape(len(pairs), -1)
    inside = np.isfinite(cross) & (cross > S_lo[:, None]) & (cross < S_hi[:, None])
    points = np.sort(np.where(inside, cross, S_hi[:, None]), axis=1)
    points = points[:, :max(1, int(inside.sum(axis=1).max(initial=0)))]   # the rest are S's most
    bounds = np.concatenate([S_lo[:, None], points, S_hi[:, None]], axis=1)
    middle = (bounds[:, :-1] + bounds[:, 1:]) / 2
    with np.errstate(invalid="ignore"):
        value = al[:, None, :] + be[:, None, :] * middle[:, :, None]
    value = np.where(np.isfinite(al)[:, None, :], value, -np.inf)
    piece_beta = sign * np.take_along_axis(be[:, None, :], np.argmax(value, axis=2)[:, :, None], axis=2)[:, :, 0]
    sigma = rho_k[:, None] + e[:, None] * piece_beta  # the row's slope in S on each piece (rising for the side)
    y0 = _y_end(lines, S_lo, low_end)
    c0 = rho_k * S_lo + e * y0                      # the row's value at the unit's least money
    row = g.copy()
    row[pairs] = sigma[:, 0]
    offset = const + float((c0 - sigma[:, 0] * S_lo - sigma[:, 0] * fm).sum())
    P = points.shape[1]
    bend_at = np.repeat(T.hi[:, None], P, axis=1)
    bend = np.zeros((len(units), P))
    bend_at[pairs] = points + fm[:, None]
    bend[pairs] = sigma[:, 1:] - sigma[:, :1]
    l, h = (-np.inf, face.chi[k] - offset) if upper else (face.clo[k] - offset, np.inf)
    scale = float(np.abs(row) @ np.maximum(np.abs(T.lo), np.abs(T.hi)) + np.abs(bend).max(axis=1) @ (T.hi - T.lo))
    return replace(T, G=np.vstack([T.G, row]), Gt=np.vstack([T.Gt, np.zeros(len(T.aux))]),
                   l=np.append(T.l, l), h=np.append(T.h, h), rows=np.append(T.rows, k),
                   row_scale=np.append(T.row_scale, scale), relaxed=np.zeros(0, int), bent_row=len(T.l),
                   bend_at=bend_at, bend=bend, bend_step=np.diff(bend, axis=1, prepend=0.0),
                   held_split=(pairs, j, kk, lines, low_end))


def _split_lines(face: BlockFace, units, j, k, mj, mk) -> tuple[np.ndarray, np.ndarray]:
    """For units with two free slots j, k: y (the money in j) as bounded by the slots' bounds and the unit's
    own rows, given its money S in the two: y ≥ α + β·S for the lines ``[..., 0]`` and y ≤ α + β·S for the
    lines ``[..., 1]`` (each of shape (units, 2, rows + 2); an absent line has α = ∓inf)."""
    f = face.form
    r = np.arange(len(units))
    D = f.D[units]
    Dj, Dk = D[r, :, j] / mj[:, None], D[r, :, k] / mk[:, None]     # per money
    X0 = face.X[units].copy()
    X0[r, j] = X0[r, k] = 0.0
    const = np.einsum("urc,uc->ur", D, X0) + f.Q[units] @ face.aux
    ey = Dj - Dk                                    # the row: const + Dk·S + ey·y
    moves = np.abs(ey) > 1e-12 * (np.abs(Dj) + np.abs(Dk))
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_a, hi_a = (face.lo[units] - const) / ey, (face.hi[units] - const) / ey
        slope = -Dk / ey
    below = np.where(ey > 0, lo_a, hi_a)            # y ≥ below + slope·S
    above = np.where(ey > 0, hi_a, lo_a)            # y ≤ above + slope·S
    below = np.where(moves & np.isfinite(below), below, -np.inf)
    above = np.where(moves & np.isfinite(above), above, np.inf)
    slope = np.where(moves, slope, 0.0)
    zero, one = np.zeros(len(units)), np.ones(len(units))
    A1, B1 = mj * face.lower[units, j], mk * face.upper[units, k]   # y ≥ A₁, y ≥ S − B₁
    A2, B2 = mj * face.upper[units, j], mk * face.lower[units, k]   # y ≤ A₂, y ≤ S − B₂
    alpha = np.stack([np.column_stack([A1, -B1, below]), np.column_stack([A2, -B2, above])], axis=1)
    beta = np.stack([np.column_stack([zero, one, np.where(np.isfinite(below), slope, 0.0)]),
                     np.column_stack([zero, one, np.where(np.isfinite(above), slope, 0.0)])], axis=1)
    return alpha, beta


def _y_end(lines, S: np.ndarray, low) -> np.ndarray:
    """y at its least (``low``) or most for money S: the largest lower line or the least upper line."""
    alpha, beta = lines
    with np.errstate(invalid="ignore"):
        least = np.where(np.isfinite(alpha[:, 0]), alpha[:, 0] + beta[:, 0] * S[:, None], -np.inf).max(axis=1)
        most = np.where(np.isfinite(alpha[:, 1]), alpha[:, 1] + beta[:, 1] * S[:, None], np.inf).min(axis=1)
    return np.where(low, least, np.maximum(least, most))


# ------------------------------------------------------------------------------ solving it in the dual


@dataclass
class _Point:
    """The totals programme's minimiser of the Lagrangian at some multipliers μ."""

    a: np.ndarray           # (m,) money
    t: np.ndarray           # (A,) auxiliary columns (those with a held row; the others NaN)
    act: np.ndarray         # (K,) row activities (eliminated columns left out)
    interior: np.ndarray    # (m,) units strictly inside their interval (and not pinned)
    t_interior: np.ndarray  # (A,)


class _Dual:
    """The dual of the totals programme with a set of rows on auxiliary columns held at a bound.

    A held row pins its unit's money to an affine function of its auxiliary column, a_u = β − κ t; a column
    with held rows then minimises its own small quadratic in closed form. A free column without a held row
    appears in at most one coupling row, which it makes a range over the units' money (the column is read off
    that row afterwards)."""

    def __init__(self, T: Totals, held: np.ndarray, side: np.ndarray):
        self.T = T
        self.G, self.l, self.h = T.G, T.l.copy(), T.h.copy()
        self.Gt = T.Gt.copy()
        self.held, self.side = held, side
        m, A = len(T.units), len(T.aux)
        units = T.link_unit[held]
        if len(np.unique(units)) < len(units):
            raise Unsupported("a unit with two held rows on auxiliary columns")
        if T.bent_row >= 0 and (T.bend[units] != 0).any():
            raise Unsupported("a held row on an auxiliary column whose unit's money bends the earmark row")
        self.pinned = np.zeros(m, bool)
        self.pinned[units] = True
        self.pin_unit, self.pin_aux = units, T.link_aux[held]
        d, q = T.link_d[held], T.link_q[held]
        bound = np.where(side, T.link_h[held], T.link_l[held])
        self.beta, self.kappa = bound / d, q / d
        self.active = np.bincount(self.pin_aux, minlength=A) > 0
        self.den = np.bincount(self.pin_aux, weights=self.kappa ** 2, minlength=A)
        # the column's range: its bounds and every pinned unit's interval
        lo, hi = T.t_lo.copy(), T.t_hi.copy()
        with np.errstate(divide="ignore", invalid="ignore"):
            e1 = (self.beta - T.hi[units]) / self.kappa
            e2 = (self.beta - T.lo[units]) / self.kappa
        floor, ceiling = np.minimum(e1, e2), np.maximum(e1, e2)
        np.maximum.at(lo, self.pin_aux, floor)
        np.minimum.at(hi, self.pin_aux, ceiling)
        # the held row (position in ``held``) whose unit's interval sets each end of the column's range, or -1
        self.lo_by, self.hi_by = np.full(A, -1), np.full(A, -1)
        for i in range(len(units)):
            alpha = self.pin_aux[i]
            if floor[i] >= lo[alpha] and floor[i] > T.t_lo[alpha]:
                self.lo_by[alpha] = i
            if ceiling[i] <= hi[alpha] and ceiling[i] < T.t_hi[alpha]:
                self.hi_by[alpha] = i
        if (lo > hi + 1e-12 * (1 + np.abs(hi))).any():
            raise Unsupported("held rows on an auxiliary column that no value of it satisfies")
        self.t_lo, self.t_hi = lo, np.maximum(lo, hi)
        self.eliminated = {}
        for alpha in np.flatnonzero(~self.active):
            rows = np.flatnonzero(self.Gt[:, alpha])
            if len(rows) > 1:
                raise Unsupported("an auxiliary column in two coupling rows")
            if len(rows):
                k, g = rows[0], self.Gt[rows[0], alpha]
                ends = (g * T.t_lo[alpha], g * T.t_hi[alpha])
                self.l[k] -= max(ends)
                self.h[k] -= min(ends)
                self.Gt[k, alpha] = 0.0
                self.eliminated[alpha] = k
        # v_α: how a column with held rows moves the rows through itself and its pinned units
        self.v = self.Gt.copy()
        np.subtract.at(self.v.T, self.pin_aux, (self.kappa[:, None] * self.G[:, units].T))

    def evaluate(self, mu: np.ndarray) -> _Point:
        T = self.T
        s = mu @ self.G
        a, interior = T.lagrangian_minimum(T.ref - s, mu)
        interior &= ~self.pinned
        A = len(T.aux)
        t, t_interior = np.full(A, np.nan), np.zeros(A, bool)
        if self.active.any():
            u, al = self.pin_unit, self.pin_aux
            num = np.bincount(al, weights=self.kappa * (self.beta - T.ref[u] + s[u]), minlength=A) - self.Gt.T @ mu
            with np.errstate(divide="ignore", invalid="ignore"):
                best = num / self.den
            t = np.where(self.active, np.clip(best, self.t_lo, self.t_hi), np.nan)
            t_interior = self.active & (best > self.t_lo) & (best < self.t_hi)
            a[u] = self.beta - self.kappa * t[al]
        act = self.G @ a + self.Gt @ np.where(self.active, t, 0.0)
        if T.bent_row >= 0:
            act[T.bent_row] += T.bent(a)
        return _Point(a, t, act, interior, t_interior)

    def curvature(self, p: _Point) -> np.ndarray:
        """−∇²θ: how the rows' activities fall as μ rises (K × K, positive semidefinite)."""
        Gi = self.G[:, p.interior]
        if self.T.bent_row >= 0:   # above its bend a unit's slope in the bent row is the bent one
            T = self.T
            Gi = Gi.copy()
            Gi[T.bent_row] += T.slope_beyond(p.a)[p.interior]
        H = Gi @ Gi.T
        for alpha in np.flatnonzero(p.t_interior):
            H += np.outer(self.v[:, alpha], self.v[:, alpha]) / self.den[alpha]
        return H


def _gradient(mu, act, l, h):
    """The dual's ascent direction per row, and which rows are free to move (μ ≠ 0, or a row outside its
    bounds at μ = 0)."""
    pos, neg = mu > 0, mu < 0
    zero = ~pos & ~neg
    eq = l == h
    up, down = zero & (act > h), zero & (act < l)
    grad = np.where(pos | up, act - h, np.where(neg | down, act - l, 0.0))
    grad = np.where(eq, act - l, grad)
    return grad, ~zero | up | down | eq


def maximise_dual(dual: _Dual, mu: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, _Point, int]:
    """Newton's method on the concave, piecewise quadratic dual: each step solves the rows' linear system at
    the current pieces, then the exact maximum along it (the directional derivative is piecewise linear and
    falls). Once the rows hold to ``tol`` it steps on while that makes them hold better (the pieces are then
    settled and a step is exact but for rounding: the money comes out as exact as the data, 116 and not
    115.99999999998). Returns μ, the point there and the iterations (−1: not converged)."""
    l, h = dual.l, dual.h
    converged = None    # (largest gradient, μ, point) once within ``tol``: polishing steps follow while it falls
    for it in range(MAX_NEWTON):
        p = dual.evaluate(mu)
        grad, moving = _gradient(mu, p.act, l, h)
        if (np.abs(grad) <= tol).all():
            size = float(np.abs(grad).max(initial=0.0))
            if converged is not None and size >= converged[0]:
                return converged[1], converged[2], it
            converged = (size, mu, p)
            if size == 0.0:
                return mu, p, it
        H = dual.curvature(p)
        delta = np.zeros_like(mu)
        for _ in range(len(mu) + 1):
            F = np.flatnonzero(moving)
            sub = H[np.ix_(F, F)]
            # a row no moving unit sees is flat: its step is the gradient's, sized by the line search
            size = np.trace(sub) / max(len(F), 1)
            reg = 1e-12 * size if size > 0 else 1.0
            delta[:] = 0.0
            delta[F] = np.linalg.solve(sub + reg * np.eye(len(F)), grad[F])
            # a row at μ = 0 must leave 0 on the side its gradient points to; else it stays at 0
            wrong = (mu == 0) & (l < h) & (delta * grad < 0)
            if not wrong.any():
                break
            moving &= ~wrong
        if not (delta @ grad > 0):
            delta = grad * moving
        cross = (mu != 0) & (mu * delta < 0) & (l < h)
        cap = float(np.min(-mu[cross] / delta[cross])) if cross.any() else np.inf
        bound = np.where((mu > 0) | ((mu == 0) & (delta > 0)), h, l)
        bound = np.where(delta == 0, 0.0, bound)
        s = _line_search(dual, mu, delta, bound, cap, float(delta @ grad))
        new = mu + s * delta
        if s >= cap:
            new[cross & (-mu / np.where(delta == 0, 1, delta) <= s * (1 + 1e-12))] = 0.0
        if np.array_equal(new, mu):
            break
        mu = new
    if converged is not None:
        return converged[1], converged[2], MAX_NEWTON
    p = dual.evaluate(mu)
    grad, _ = _gradient(mu, p.act, l, h)
    return mu, p, (MAX_NEWTON if (np.abs(grad) <= tol).all() else -1)


def _line_search(dual: _Dual, mu, delta, bound, cap, d0) -> float:
    """The step s ∈ (0, cap] maximising the dual along μ + s·δ: the root of its derivative, which is piecewise
    linear and decreasing (Newton on it, kept inside a bracket)."""
    def derivative(s):
        p = dual.evaluate(mu + s * delta)
        slope = -float(delta @ dual.curvature(p) @ delta)
        return float(delta @ (p.act - bound)), slope

    low, high = 0.0, np.inf
    s = min(1.0, cap)
    for _ in range(60):
        d, slope = derivative(s)
        if abs(d) <= 1e-12 * abs(d0):
            return s
        if d > 0:
            low = s
            if s >= cap:
                return cap
            step = s - d / slope if slope < 0 else 2 * s
        else:
            high = s
            step = s - d / slope if slope < 0 else (low + high) / 2
        if not (low < step < high) or step == s:
            step = (low + high) / 2 if np.isfinite(high) else 2 * max(s, low)
        s = min(step, cap)
        if np.isfinite(high) and high - low <= 1e-15 * high:
            return low if low > 0 else high
    return low if low > 0 else s


@dataclass
class TotalsAnswer:
    a: np.ndarray           # (m,) each model unit's money
    t: np.ndarray           # (A,) the free auxiliary columns
    mu: np.ndarray          # (K,) the coupling rows' multipliers
    pi: np.ndarray          # (L,) the auxiliary rows' multipliers (0 where not held)
    gap: float              # the certified duality gap
    distance: float         # √(2·gap): a bound on ‖a − a*‖₂
    infeasibility: float    # the largest breach of a row, relative to its size
    newton: int = 0
    rounds: int = 0


def solve_totals(T: Totals) -> TotalsAnswer:
    """The totals programme's optimum (see the module docstring), certified; raises :class:`Unsupported`
    when the method does not converge or its certificate fails."""
    L = len(T.link_unit)
    held = T.link_l == T.link_h                     # equality rows are always held
    side = np.zeros(L, bool)                        # held at the upper bound (else the lower)
    mu = np.zeros(len(T.l))
    tol = 1e-12 * (1.0 + T.row_scale)
    newton = 0
    for rnd in range(MAX_ACTIVE_SET):
        dual = _Dual(T, np.flatnonzero(held), side[held])
        mu, p, its = maximise_dual(dual, mu, tol)
        if its < 0:
            raise Unsupported("Newton's method on the stage-2 multipliers did not converge")
        newton += its
        a, t = p.a, _read_eliminated(T, dual, p)
        lact = T.link_d * a[T.link_unit] + T.link_q * t[T.link_aux]
        ltol = 1e-10 * (1 + np.abs(T.link_d * a[T.link_unit]) + np.abs(T.link_q * t[T.link_aux]))
        below, above = lact < T.link_l - ltol, lact > T.link_h + ltol
        pi, box_wrong = _held_multipliers(T, dual, a, t, mu, held)
        ptol = 1e-12 * (1 + np.abs(a[T.link_unit]) + np.abs(T.ref[T.link_unit])) / np.abs(T.link_d)
        wrong = held & (T.link_l < T.link_h) & ((side & (pi < -ptol)) | (~side & (pi > ptol)) | box_wrong)
        add = ~held & (below | above)
        if not add.any() and not wrong.any():
            return _certify(T, a, t, mu, pi, newton, rnd + 1)
        held = (held & ~wrong) | add
        side = np.where(add, above, side)
    raise Unsupported("the rows on auxiliary columns did not settle")


def _read_eliminated(T: Totals, dual: _Dual, p: _Point) -> np.ndarray:
    """The free auxiliary columns without a held row, read off their coupling row and the rows on them (the
    value nearest 0 that keeps them: what stage 3's Σ t² chooses; a coupling equality fixes it)."""
    t = p.t.copy()
    for alpha in np.flatnonzero(~dual.active):
        lo, hi = T.t_lo[alpha], T.t_hi[alpha]
        k = dual.eliminated.get(alpha)
        if k is not None:
            others = np.where(dual.active, np.nan_to_num(p.t), 0.0)
            g, rest = T.Gt[k, alpha], float(T.G[k] @ p.a + T.Gt[k] @ others)
            ends = sorted(((T.l[k] - rest) / g, (T.h[k] - rest) / g))
            lo, hi = max(lo, ends[0]), min(hi, ends[1])
        mine = T.link_aux == alpha
        if mine.any():
            base = T.link_d[mine] * p.a[T.link_unit[mine]]
            q = T.link_q[mine]
            e1, e2 = (T.link_l[mine] - base) / q, (T.link_h[mine] - base) / q
            # a row that no value keeps is left broken here: the active set then holds it
            lo_r, hi_r = np.minimum(e1, e2), np.maximum(e1, e2)
            if lo_r.max(initial=-np.inf) <= min(hi, hi_r.min(initial=np.inf)):
                lo, hi = max(lo, lo_r.max(initial=-np.inf)), min(hi, hi_r.min(initial=np.inf))
        t[alpha] = float(np.clip(0.0, lo, max(lo, hi)))
    return t


def _held_multipliers(T: Totals, dual: _Dual, a, t, mu, held) -> tuple[np.ndarray, np.ndarray]:
    """The multiplier of each held row from its unit's stationarity, a − r + g·μ + π·d = 0; and whether a
    unit's interval multiplier has the wrong sign. Where the column sits at an end of its range that a pinned
    unit's interval sets, that unit is at its interval's end too: its row's multiplier comes from the column's
    stationarity, Γ·μ + Σ π·q = 0, and the rest is the interval's multiplier (which must push inward)."""
    pi = np.zeros(len(T.link_unit))
    i = np.flatnonzero(held)
    u = T.link_unit[i]
    s = mu @ T.G[:, u]
    pi[i] = -(a[u] - T.ref[u] + s) / T.link_d[i]
    wrong = np.zeros(len(T.link_unit), bool)
    for alpha in np.flatnonzero(dual.active):
        width = 1e-12 * (1 + abs(t[alpha]))
        for end, by in ((dual.t_lo[alpha], dual.lo_by[alpha]), (dual.t_hi[alpha], dual.hi_by[alpha])):
            if by < 0 or abs(t[alpha] - end) > width:
                continue
            k = i[by]
            mine = i[(T.link_aux[i] == alpha) & (i != k)]
            pi[k] = -(T.Gt[:, alpha] @ mu + pi[mine] @ T.link_q[mine]) / T.link_q[k]
            unit = T.link_unit[k]
            # the interval's multiplier: β_hi − β_lo = −(a − r + g·μ + π·d), β_hi ≥ 0 at the top, β_lo ≥ 0 at the bottom
            box = -(a[unit] - T.ref[unit] + s[by] + pi[k] * T.link_d[k])
            at_top = a[unit] >= T.hi[unit] - 1e-12 * (1 + abs(T.hi[unit]))
            wrong[k] = box < -1e-12 * (1 + abs(a[unit])) if at_top else box > 1e-12 * (1 + abs(a[unit]))
    return pi, wrong


def _certify(T: Totals, a, t, mu, pi, newton: int, rounds: int) -> TotalsAnswer:
    """Weak duality on the totals programme with every row, as a sum of non-negative terms (so that no
    cancellation between large sums hides a gap): each unit's distance from its own Lagrangian minimum, each
    auxiliary column's, and each row's complementary slackness.

    Rounding leaves the rows' activities a hair off their bounds (about 1e-16 of the sums) and the auxiliary
    columns' stationarity a hair off 0. The certificate is stated for the programme whose priced rows' bounds are
    moved to the activities and whose auxiliary columns' costs are moved by that residual, where these are of the
    order of the rounding (1e-12 relative); how far, relative, is reported with the breaches as
    ``infeasibility``."""
    e = T.Gt.T @ mu + np.bincount(T.link_aux, weights=pi * T.link_q, minlength=len(T.aux))
    e_size = np.abs(T.Gt).T @ np.abs(mu) + np.bincount(T.link_aux, weights=np.abs(pi * T.link_q),
                                                         minlength=len(T.aux))
    stationary = np.abs(e) <= 1e-12 * e_size          # 0 but for rounding: a perturbation of that size
    e_moved = np.where(stationary, np.abs(e) / np.maximum(e_size, 1e-300), 0.0)
    e = np.where(stationary, 0.0, e)
    c = mu @ T.G
    np.add.at(c, T.link_unit, pi * T.link_d)
    b, _ = T.lagrangian_minimum(T.ref - c, mu)
    unit_terms = 0.5 * (a - b) ** 2 + (a - b) * (b - T.ref + c)
    if T.bent_row >= 0:
        unit_terms += mu[T.bent_row] * (T.bend_step * (np.maximum(a[:, None] - T.bend_at, 0)
                                                - np.maximum(b[:, None] - T.bend_at, 0))).sum(axis=1)
    with np.errstate(invalid="ignore"):
        t_off = np.where(e > 0, t - T.t_lo, np.where(e < 0, t - T.t_hi, 0.0))
    t_at = np.abs(t_off) <= 1e-12 * (1 + np.abs(t))
    aux_terms = np.where(t_at, 0.0, e * t_off)
    e_moved = np.maximum(e_moved, np.where(t_at, np.abs(t_off) / (1 + np.abs(t)), 0.0))
    act = T.G @ a + T.Gt @ t
    if T.bent_row >= 0:
        act[T.bent_row] += T.bent(a)
    lact = T.link_d * a[T.link_unit] + T.link_q * t[T.link_aux]

    size = 1.0 + T.row_scale
    lsize = 1.0 + np.abs(T.link_d * a[T.link_unit]) + np.abs(T.link_q * t[T.link_aux])

    def slackness(y, activity, lo, hi, size):
        """Complementary slackness per row, and how far a bound was moved to the activity (relative): a
        priced row within 1e-12 of its bound counts as at it."""
        bound = np.where(y > 0, hi, np.where(y < 0, lo, activity))
        with np.errstate(invalid="ignore"):
            off = np.where(y != 0, bound - activity, 0.0)
        at = np.abs(off) <= 1e-12 * size
        return np.where(at, 0.0, np.maximum(y * off, 0.0)), np.where(at, np.abs(off) / size, 0.0)

    row_terms, row_moved = slackness(mu, act, T.l, T.h, size)
    link_terms, link_moved = slackness(pi, lact, T.link_l, T.link_h, lsize)
    gap = float(np.maximum(unit_terms, 0.0).sum() + np.maximum(aux_terms, 0.0).sum() + row_terms.sum()
                + link_terms.sum())
    breach = np.concatenate([np.maximum(T.l - act, act - T.h) / size, row_moved,
                             np.maximum(T.link_l - lact, lact - T.link_h) / lsize, link_moved,
                             np.maximum(T.t_lo - t, t - T.t_hi) / (1 + np.abs(t)), e_moved,
                             -np.minimum(unit_terms, 0.0) / (1 + a ** 2)])
    infeasibility = float(np.maximum(breach, 0.0).max(initial=0.0))
    distance = float(np.sqrt(2 * gap))
    answer = TotalsAnswer(a, t, mu, pi, gap, distance, infeasibility, newton, rounds)
    worst = 1.0 + float(np.abs(a).max(initial=0.0))
    if not (infeasibility <= CERTIFICATE_TOLERANCE and distance <= CERTIFICATE_TOLERANCE * worst):
        raise Unsupported(f"the stage-2 certificate failed (rows broken by {infeasibility:.1e}, "
                          f"distance bound {distance:.1e})")
    return answer


# ------------------------------------------------------------------------------------------ the answer


@dataclass
class Report:
    """What the decomposed second stage did (``TieBreakInfo.decomposed``)."""

    units: int = 0              # units with a free slot on the face
    coupling_rows: int = 0      # coupling rows in the totals programme
    aux_rows: int = 0           # rows on free auxiliary columns, and how many ended held
    held: int = 0
    newton: int = 0             # Newton iterations on the multipliers, over every active-set round
    rounds: int = 0
    gap: float = float("nan")   # the certified duality gap of stage 2, and the distance bound √(2·gap)
    distance: float = float("nan")
    split_units: int = 0        # units with several free slots (stage 3 decides their split) …
    split_by_highs: int = 0     # … and of those, how many a HiGHS QP split (the others: in closed form)
    relaxed_rows: int = 0       # coupling rows left from stage 2 to stage 3
    seconds: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"units": self.units, "coupling_rows": self.coupling_rows, "aux_rows": self.aux_rows,
                "held": self.held, "newton_iterations": self.newton, "active_set_rounds": self.rounds,
                "certified_gap": self.gap, "distance_bound": self.distance, "split_units": self.split_units,
                "split_by_highs": self.split_by_highs,
                "relaxed_rows": self.relaxed_rows, "seconds": {k: round(v, 4) for k, v in self.seconds.items()}}


def second_stage_decomposed(program: Program, first, reference: np.ndarray, *, form: BlockForm | None = None,
                            time_limit: float | None = None) -> tuple[np.ndarray, np.ndarray, Report]:
    """Stages 2 and 3 of the tie-break on ``program``'s optimal face around ``first`` (see the module
    docstring), toward ``reference`` (internal money per unit). Returns the full solution vector, the units
    whose money the face fixes, and a :class:`Report`; raises :class:`Unsupported` when the HiGHS QP must
    answer instead."""
    from .form import block_form

    t0 = time.perf_counter()
    report = Report()
    form = form if form is not None else block_form(program)
    if not form.bounded:
        raise Unsupported("a measure without a capacity that no row bounds")
    face = block_face(program, first, form)
    report.seconds["face"] = time.perf_counter() - t0
    t = time.perf_counter()
    T = totals_model(face, reference)
    report.seconds["intervals"] = time.perf_counter() - t
    report.units, report.coupling_rows, report.aux_rows = len(T.units), len(T.l), len(T.link_unit)
    report.relaxed_rows = len(T.relaxed)
    t = time.perf_counter()
    answer = solve_totals(T)
    if len(T.relaxed):
        held = hold_split_row(face, T, answer.a)
        if held is not None:
            T = held
            answer = solve_totals(T)
            if answer.mu[T.bent_row] == 0:
                raise Unsupported("the row that sees how units split their money was not held")
            report.coupling_rows, report.relaxed_rows = len(T.l), 0
    report.seconds["closest"] = time.perf_counter() - t
    report.newton, report.rounds, report.gap, report.distance = answer.newton, answer.rounds, answer.gap, \
        answer.distance
    report.held = int((answer.pi != 0).sum())
    t = time.perf_counter()
    X = face.X.copy()
    aux = face.aux.copy()
    aux[T.aux] = answer.t
    one = T.units[T.free[T.units].sum(axis=1) == 1]
    j = np.argmax(T.free[one], axis=1)
    money = np.zeros(face.form.n)
    money[T.units] = answer.a
    X[one, j] = np.clip((money[one] - T.fixed_money[one]) / face.money[one, j], face.lower[one, j],
                        face.upper[one, j])
    several = T.units[T.free[T.units].sum(axis=1) >= 2]
    report.split_units = len(several)
    if T.held_split is not None:                # the held row leaves these units' split no choice
        X[T.units[T.held_split[0]]] = _split_at_end(face, T, X, money)
        several = np.setdiff1d(several, T.units[T.held_split[0]])
    if len(several) and not len(T.relaxed):     # without a relaxed row the units' splits are independent
        pair = several[T.free[several].sum(axis=1) == 2]
        X[pair], done = _split_pairs(face, T, pair, X, aux, money)
        several = np.concatenate([pair[~done], several[T.free[several].sum(axis=1) > 2]])
    report.split_by_highs = len(several)
    if len(several):
        X[several] = _split(face, T, several, X, aux, money, time_limit)
    report.seconds["split"] = time.perf_counter() - t
    breach = face_breach(face, X, aux)
    if breach > 1e-7:
        raise Unsupported(f"the decomposed answer leaves the optimal face by {breach:.1e}")
    x = form.full_x(X, aux)
    _check_on_the_programme(program, first, x)
    fixed = np.ones(form.n, bool)
    fixed[T.units] = T.hi - T.lo <= 1e-9 * (1 + np.abs(T.hi))
    report.seconds["total"] = time.perf_counter() - t0
    return x, fixed, report


def _check_on_the_programme(program: Program, first, x: np.ndarray) -> None:
    """The answer against the programme's own matrix, bounds and objective, not the block form's copy of them
    (a programme edited in place, a Monte Carlo draw's, keeps its rules' blocks from the base): every row and
    bound to 1e-7 relative, the first stage's objective to the tie-break's tolerance."""
    from ..solve import row_sizes
    from ..tiebreak import OBJECTIVE_TOLERANCE

    act = program.times(x)  # the edited matrix of a programme edited in place
    scale = 1.0 + row_sizes(program) * (1.0 + np.abs(x).max(initial=0.0))
    rows = np.maximum(program.row_lower - act, act - program.row_upper) / scale
    cols = np.maximum(program.col_lower - x, x - program.col_upper) / (1.0 + np.abs(x))
    breach = max(float(rows.max(initial=0.0)), float(cols.max(initial=0.0)))
    if breach > 1e-7:
        raise Unsupported(f"the decomposed answer breaks the programme's rows by {breach:.1e} (the block form "
                          "does not describe this programme)")
    z1 = float(program.cost @ first.x)
    lost = (z1 - float(program.cost @ x)) * (1.0 if program.sense == "max" else -1.0)
    if lost > OBJECTIVE_TOLERANCE * max(1.0, abs(z1)):
        raise Unsupported(f"the decomposed answer loses {lost / max(1.0, abs(z1)):.1e} of the objective")


def _split_pairs(face: BlockFace, T: Totals, units, X, aux, money) -> tuple[np.ndarray, np.ndarray]:
    """Stage 3 in closed form for units with two free slots j, k: with the unit's money held, the money y in
    slot j decides everything (slot k has S − y), so the least y² + (S − y)² is S/2 clipped to the interval
    the slots' bounds and the unit's rows allow. Returns the units' rows of X and which units it solved (an
    empty interval, which rounding can make, is left to the HiGHS QP)."""
    f = face.form
    Xs = X[units].copy()
    if not len(units):
        return Xs, np.zeros(0, bool)
    free = T.free[units]
    order = np.argsort(~free, axis=1, kind="stable")[:, :2]     # the two free slots, in slot order
    j, k = order[:, 0], order[:, 1]
    r = np.arange(len(units))
    m = face.money[units]
    mj, mk = m[r, j], m[r, k]
    S = money[units] - T.fixed_money[units]
    low = np.maximum(mj * face.lower[units, j], S - mk * face.upper[units, k])
    high = np.minimum(mj * face.upper[units, j], S - mk * face.lower[units, k])
    D = f.D[units]
    Dj, Dk = D[r, :, j], D[r, :, k]                                     # (u, R)
    const = np.einsum("urc,uc->ur", D, np.where(free, 0.0, Xs)) + f.Q[units] @ aux + Dk * (S / mk)[:, None]
    e = Dj / mj[:, None] - Dk / mk[:, None]                             # the row's coefficient on y
    moves = np.abs(e) > 1e-12 * (np.abs(Dj) / mj[:, None] + np.abs(Dk) / mk[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        b1, b2 = (face.lo[units] - const) / e, (face.hi[units] - const) / e
    low = np.maximum(low, np.where(moves, np.where(e > 0, b1, b2), -np.inf).max(axis=1, initial=-np.inf))
    high = np.minimum(high, np.where(moves, np.where(e > 0, b2, b1), np.inf).min(axis=1, initial=np.inf))
    done = low <= high + 1e-12 * (1 + np.abs(S))
    y = np.clip(S / 2, low, np.maximum(low, high))
    Xs[r, j], Xs[r, k] = np.where(done, y / mj, Xs[r, j]), np.where(done, (S - y) / mk, Xs[r, k])
    return Xs, done


def _split_at_end(face: BlockFace, T: Totals, X, money) -> np.ndarray:
    """Stage 3 for the units of a row held by :func:`hold_split_row`: with the row at its bound every such unit
    has y (the money in its first free slot) at the end the row was held at. Returns their rows of X."""
    pairs, j, k, lines, low_end = T.held_split
    units = T.units[pairs]
    r = np.arange(len(units))
    mj, mk = face.money[units, j], face.money[units, k]
    S = money[units] - T.fixed_money[units]
    y = _y_end(lines, S, low_end)
    Xs = X[units].copy()
    Xs[r, j], Xs[r, k] = y / mj, (S - y) / mk
    return Xs


def _split(face: BlockFace, T: Totals, several, X, aux, money, time_limit) -> np.ndarray:
    """Stage 3 for the units with several free slots: least Σ (money per slot)² with each unit's money held,
    over their own rows and the coupling rows left out of stage 2 (one HiGHS QP; the other units are fixed)."""
    from ..tiebreak import quadratic_programme, run_quadratic

    f = face.form
    free = T.free[several]
    uu, cc = np.nonzero(free)
    col = np.full(free.shape, -1)
    col[uu, cc] = np.arange(len(uu))
    Xs = X[several]
    X0 = np.where(free, 0.0, Xs)
    Dfree = f.D[several] * free[:, None, :]
    const = np.einsum("urc,uc->ur", f.D[several], X0) + f.Q[several] @ aux
    lo, hi = face.lo[several] - const, face.hi[several] - const
    use = (np.isfinite(lo) | np.isfinite(hi)) & (Dfree != 0).any(axis=2)
    row_id = np.full(use.shape, -1)
    row_id[use] = np.arange(int(use.sum()))
    eu, er, ec = np.nonzero(Dfree * use[:, :, None])
    rows, cols, vals = [row_id[eu, er]], [col[eu, ec]], [Dfree[eu, er, ec]]
    row_lo, row_hi = [lo[use]], [hi[use]]
    start = int(use.sum())
    m = face.money[several]
    rows.append(start + uu), cols.append(col[uu, cc]), vals.append(m[uu, cc])
    target = money[several] - T.fixed_money[several]
    row_lo.append(target), row_hi.append(target)
    start += len(several)
    if len(T.relaxed):
        rest = X.copy()
        rest[several] = X0
        for i, k in enumerate(T.relaxed):
            g = f.G[k, several][uu, cc]
            nz = np.flatnonzero(g)
            rows.append(np.full(len(nz), start + i)), cols.append(col[uu, cc][nz]), vals.append(g[nz])
            other = float(np.einsum("uc,uc->", f.G[k], rest) + f.G_aux[k] @ aux)
            row_lo.append([face.clo[k] - other]), row_hi.append([face.chi[k] - other])
        start += len(T.relaxed)
    matrix = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                           shape=(start, len(uu)))
    h = quadratic_programme(np.zeros(len(uu)), face.lower[several][uu, cc], face.upper[several][uu, cc], matrix,
                            np.concatenate([np.asarray(v, float) for v in row_lo]),
                            np.concatenate([np.asarray(v, float) for v in row_hi]),
                            sp.diags(m[uu, cc] ** 2).tocsc(), time_limit=time_limit)
    status, x = run_quadratic(h)
    if x is None:
        raise Unsupported(f"HiGHS did not split the money of the units with several free slots ({status})")
    Xs = Xs.copy()
    Xs[uu, cc] = x
    return Xs


def face_breach(face: BlockFace, X: np.ndarray, aux: np.ndarray) -> float:
    """How far (X, aux) leaves the face: the largest breach of a bound or row, relative to its size."""
    f = face.form
    worst = float(np.maximum(np.maximum(face.lower - X, X - face.upper), 0.0).max(initial=0.0)
                  / (1 + np.abs(X).max(initial=0.0)))
    worst = max(worst, float(np.maximum(np.maximum(face.aux_lower - aux, aux - face.aux_upper), 0.0).max(initial=0.0)
                             / (1 + np.abs(aux).max(initial=0.0))))
    for start in range(0, f.n, CHUNK):
        sl = slice(start, min(f.n, start + CHUNK))
        D, Q = f.D[sl], f.Q[sl]
        act = np.einsum("urc,uc->ur", D, X[sl]) + Q @ aux
        size = 1 + np.einsum("urc,uc->ur", np.abs(D), np.abs(X[sl])) + np.abs(Q) @ np.abs(aux)
        with np.errstate(invalid="ignore"):
            over = np.maximum(face.lo[sl] - act, act - face.hi[sl]) / size
        worst = max(worst, float(np.nan_to_num(over, nan=0.0, neginf=0.0).max(initial=0.0)))
    act = f.coupling_activity(X, aux)
    size = 1 + np.einsum("kuc,uc->k", np.abs(f.G), np.abs(X)) + np.abs(f.G_aux) @ np.abs(aux)
    with np.errstate(invalid="ignore"):
        over = np.maximum(face.clo - act, act - face.chi) / size
    return max(worst, float(np.nan_to_num(over, nan=0.0, neginf=0.0).max(initial=0.0)))
