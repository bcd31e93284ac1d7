"""The decomposition solver: screen, aggregate, certify; exact, or the full LP when it cannot certify.

The programme is unit blocks under a few coupling rows (:mod:`.form`). At multipliers λ on the coupling rows
(and values a of the auxiliary columns) every unit's best allocation is its own small LP (:mod:`.oracle`).

1. **Start**: λ and a from the LP over a random sample of units, with the coupling rows scaled to the sample's
   share and each auxiliary column bounded by the tightest limit any unit's linking row implies.
2. **Screen**: solve every block at (λ, a), keeping its basis. A nonbasic variable whose reduced cost can change
   sign for some λ' in the box |λ' − λ| ≤ δ is a *tie*; moving it off its bound is an edge of the unit's
   polytope. Edges of different units with the same direction (profit and coupling coefficients, normalised)
   form one *class* column τ ∈ [0, 1] that moves every member proportionally. Units infeasible at a, or close
   to a linking row's limit, stay *free* (whole in the next step).
3. **Restricted LP** (HiGHS, a few hundred columns): the coupling rows with the fixed units' part moved to the
   right-hand side, the class columns, the free units, the auxiliary columns bounded by the fixed units'
   linking rows, and box-step slacks priced at λ ± δ so that it is always feasible (a slack in use means the
   multipliers want to leave the box: recentre and widen).
4. **Certify**: at the restricted LP's (λ_R, a_R) every fixed unit's allocation must be optimal for its own
   block. Units that fail become free and the loop repeats; after ``max_rounds`` the full LP is solved.

When every unit passes, the allocation is primal feasible and each block is optimal at λ_R: with λ_R on the
coupling rows, the restricted LP's duals on the free units' rows and the blocks' duals on the fixed units'
rows, the KKT conditions of the full programme hold, so the allocation is optimal. The duality gap of these
duals is recomputed on the full matrix (:func:`duality_gap`) and reported.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..backends.base import OPTIMAL, Solution
from ..backends.highs import pass_arrays, status_of
from ..program import Program
from .form import BlockForm, block_form
from .oracle import OPTIMAL as BLOCK_OPTIMAL
from .oracle import compiled_available
from .oracle import solve_blocks as _solve_blocks

#: a fixed unit passes the certificate when its allocation is within this (relative to the block's scale)
#: of its block's optimum
CERTIFICATE_TOLERANCE = 1e-9
#: a certified answer whose duality gap, recomputed on the full matrix, exceeds this is not returned (the full
#: LP answers instead): the certificate's proof and the independent check must agree
GAP_LIMIT = 1e-7
MAX_ROUNDS = 10
#: the restricted LP's first multipliers come from this many sampled units (fewer in small programmes)
SAMPLE_UNITS = 4000
#: a fixed unit whose linking row is within this share of its limit is kept free
LINKING_MARGIN = 0.02
BOX_RELATIVE, BOX_ABSOLUTE = 0.05, 1e-2
CHUNK = 16384
#: from this many units the compiled block oracle (numba, the ``fast`` extra) pays for loading numba (about 1–2
#: s): the numpy oracle costs about 0.3 s per pass over 100,000 units, the compiled one a tenth of that
COMPILED_MIN_UNITS = 200_000


def solve_blocks(*args, form: BlockForm, **kw):
    """The block oracle, compiled for programmes big enough to pay for it (:data:`COMPILED_MIN_UNITS`)."""
    return _solve_blocks(*args, compiled=compiled_available() and form.n >= COMPILED_MIN_UNITS, **kw)


@dataclass
class Report:
    """What the decomposition did, for ``summary.json``."""

    rounds: int = 0
    free_units: int = 0
    classes: int = 0
    fallback: bool = False
    reason: str = ""
    duality_gap: float = float("nan")
    seconds: dict = field(default_factory=dict)
    history: list = field(default_factory=list)
    multipliers: tuple | None = None   # the certified (λ, a): a good start for a changed programme
    started_from: str = "sample"       # or "given" (a resolve's last multipliers, a test's)
    form: BlockForm | None = None      # the block form, kept for the tie-break (which releases it)

    def as_dict(self) -> dict:
        return {"rounds": self.rounds, "free_units": self.free_units, "classes": self.classes,
                "started_from": self.started_from,
                "fallback": self.fallback, "reason": self.reason, "certified_gap": self.duality_gap,
                "seconds": {k: round(v, 4) for k, v in self.seconds.items()}}


def solve_decomposed(program: Program, *, fallback, max_rounds: int = MAX_ROUNDS, start=None, seed: int = 0,
                     progress=None) -> Solution:
    """Solve ``program`` by decomposition; ``fallback(program)`` solves the full LP when it cannot certify.

    ``start`` = (λ, a) replaces the sampled multipliers (tests use wrong ones on purpose); ``progress`` is
    called with a short text after each step.
    """
    t0 = time.perf_counter()
    report = Report()
    say = progress or (lambda text: None)
    form = block_form(program)
    report.seconds["form"] = time.perf_counter() - t0
    if not form.bounded:
        return _fall_back(program, fallback, report, "a measure without a capacity that no row bounds", t0)
    t = time.perf_counter()
    if start is None:
        lam, aux = sample_multipliers(form, np.random.default_rng(seed))
    else:
        lam, aux = (np.asarray(v, float) for v in start)
        report.started_from = "given"
    report.seconds["sample"] = time.perf_counter() - t
    say("multipliers from a sample")
    if lam is None:
        return _fall_back(program, fallback, report, "the sample LP has no optimum", t0)
    lam = _sign_feasible(form, lam)
    box_floor = BOX_ABSOLUTE * price_scale(form)
    box = BOX_RELATIVE * np.abs(lam) + box_floor
    sticky = np.zeros(form.n, bool)
    last_fail = np.zeros(form.n, bool)
    for rnd in range(max_rounds):
        report.rounds = rnd + 1
        t = time.perf_counter()
        scr = screen(form, lam, aux, box)
        free = scr.free | sticky
        classes = [(u[~free[u]], dX[~free[u]]) for u, dX in scr.classes]
        classes = [c for c in classes if len(c[0])]
        report.seconds["screen"] = report.seconds.get("screen", 0.0) + time.perf_counter() - t
        t = time.perf_counter()
        lp = restricted_lp(form, free, scr.X, classes, aux_bounds=_aux_bounds(form, free, scr, classes),
                           box=(lam, box))
        report.seconds["restricted_lp"] = report.seconds.get("restricted_lp", 0.0) + time.perf_counter() - t
        if lp.status != OPTIMAL:
            return _fall_back(program, fallback, report, f"the restricted LP is {lp.status}", t0)
        report.history.append({"free": int(free.sum()), "classes": len(classes), "lp_columns": lp.n_cols,
                               "box_slack": lp.box_slack})
        say(f"round {rnd + 1}: {int(free.sum())} free units, {len(classes)} classes")
        if lp.box_slack:
            box = np.maximum(4 * box, 2 * np.abs(lp.lam - lam))
            lam, aux = _sign_feasible(form, lp.lam), lp.aux
            continue
        X = scr.X.copy()
        X[lp.free] = lp.X_free
        for (members, dX), tau in zip(classes, lp.tau):
            np.add.at(X, members, tau * dX)      # a unit may have two edges in one class
        t = time.perf_counter()
        # a robust unit's basis stays optimal for every λ in the box: if λ_R is inside, it passes as it is,
        # its duals moved along with λ; the others' blocks are solved again
        inside = bool((np.abs(lp.lam - lam) <= box).all())
        kept = scr.robust & ~free if inside else np.zeros(form.n, bool)
        passed, block_duals = certify(form, lp.lam, lp.aux, X, ~free & ~kept)
        block_duals[kept] = scr.y[kept] + np.einsum("k,ukr->ur", lp.lam - lam, scr.dy[kept])
        fail = ~passed
        fail[lp.pinned] = True
        report.seconds["certify"] = report.seconds.get("certify", 0.0) + time.perf_counter() - t
        if not fail.any():
            report.free_units, report.classes = int(free.sum()), len(classes)
            solution = _certified(program, form, X, lp, ~free, block_duals, report, t0)
            if report.duality_gap > GAP_LIMIT:   # never expected: the certificate and the gap disagree
                return _fall_back(program, fallback, report, f"duality gap {report.duality_gap:.1e} on the full "
                                  "matrix", t0)
            return solution
        sticky |= fail if fail.sum() <= max(50, form.n // 1000) else fail & last_fail
        last_fail = fail
        box = np.maximum(np.maximum(2 * np.abs(lp.lam - lam), box / 2), box_floor)
        lam, aux = _sign_feasible(form, lp.lam), lp.aux
    return _fall_back(program, fallback, report, f"no certificate after {max_rounds} rounds", t0)


# ------------------------------------------------------------------------------------------ the steps


def _sign_feasible(form: BlockForm, lam: np.ndarray) -> np.ndarray:
    """λ with the sign each coupling row allows (a ≤ row's price is ≥ 0, a ≥ row's ≤ 0): priced otherwise, a
    box-step slack could run without end."""
    upper_only = np.isfinite(form.chi) & ~np.isfinite(form.clo)
    lower_only = np.isfinite(form.clo) & ~np.isfinite(form.chi)
    return np.where(upper_only, np.maximum(lam, 0.0), np.where(lower_only, np.minimum(lam, 0.0), lam))


def price_scale(form: BlockForm) -> np.ndarray:
    """Per coupling row, the typical price at which a column's profit equals its use of the row: the scale the
    box around the multipliers is measured in."""
    scale = np.ones(form.K)
    some = slice(0, min(form.n, 20_000))           # a median needs no more units than this
    for k in range(form.K):
        g = np.abs(form.G[k, some])
        use = g > 0
        if use.any():
            scale[k] = float(np.median(np.abs(form.profit[some][use]) / g[use])) or 1.0
    return scale


def sample_multipliers(form: BlockForm, rng) -> tuple[np.ndarray | None, np.ndarray | None]:
    """λ and a from the LP over a random sample of units (coupling rows scaled to the sample's share)."""
    n = form.n
    size = min(n, SAMPLE_UNITS, max(20, n // 10))
    sample = np.zeros(n, bool)
    sample[rng.choice(n, size=size, replace=False)] = True
    share = size / n
    lo, hi = _implied_aux_bounds(form) if size < n else (form.aux_lower, form.aux_upper)
    lp = restricted_lp(form, sample, np.zeros(form.upper.shape), [], aux_bounds=(lo, hi, np.full(form.n_aux, -1), np.full(form.n_aux, -1)),
                       share=share)
    if lp.status != OPTIMAL:
        return None, None
    return lp.lam, lp.aux


def _implied_aux_bounds(form: BlockForm) -> tuple[np.ndarray, np.ndarray]:
    """The tightest bound on each auxiliary column any unit's linking row implies, at the most (least)
    activity the unit's other rows allow."""
    lo_a, hi_a = form.aux_lower.copy(), form.aux_upper.copy()
    linked = form.linked
    for r in np.flatnonzero(linked.any(axis=0)):
        units = np.flatnonzero(linked[:, r])
        q = form.Q[units, r]
        single = (q != 0).sum(axis=1) == 1
        units, q = units[single], q[single]
        if not len(units):
            continue
        alpha = np.argmax(q != 0, axis=1)
        qa = q[np.arange(len(units)), alpha]
        others = np.array([s for s in range(form.lo.shape[1]) if s != r], int)
        lo, hi = form.lo[units][:, others], form.hi[units][:, others]
        lo, hi = np.where(form.linked[units][:, others], -np.inf, lo), np.where(form.linked[units][:, others], np.inf, hi)
        for direction in (1.0, -1.0):
            best = solve_blocks(direction * form.D[units, r], form.D[units][:, others], lo, hi, form.upper[units],
                                form=form)
            ok = best.status == BLOCK_OPTIMAL
            act = np.einsum("uc,uc->u", best.x, form.D[units, r])
            # most activity: act + qa·a ≥ lo_r gives a bound; least activity: act + qa·a ≤ hi_r does
            limit = form.lo[units, r] if direction > 0 else form.hi[units, r]
            use = ok & np.isfinite(limit)
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = (limit - act) / qa
            upper_side = (qa < 0) if direction > 0 else (qa > 0)
            for a in range(form.n_aux):
                mine = use & (alpha == a)
                if (mine & upper_side).any():
                    hi_a[a] = min(hi_a[a], bound[mine & upper_side].min())
                if (mine & ~upper_side).any():
                    lo_a[a] = max(lo_a[a], bound[mine & ~upper_side].max())
    return lo_a, hi_a


@dataclass
class Screen:
    X: np.ndarray                # (n, C) every unit's block optimum at (λ, a)
    free: np.ndarray             # (n,) kept whole in the restricted LP
    classes: list                # [(members, ΔX)]: one column each
    y: np.ndarray                # (n, R) block duals
    act_low: np.ndarray          # (n, R) least and most activity of each row over the unit's edges
    act_high: np.ndarray
    robust: np.ndarray           # (n,) no reduced cost can change sign in the box: optimal for every λ in it
    dy: np.ndarray               # (n, K, R) how the block duals move with λ (the basis held)


def screen(form: BlockForm, lam, aux, box, *, tie_tolerance: float = 1e-9) -> Screen:
    """Block optima at (λ, a), ties as edges, edges grouped into classes (see the module docstring)."""
    n, C = form.upper.shape
    X, free, Y = np.zeros((n, C)), np.zeros(n, bool), np.zeros(form.lo.shape)
    act_low, act_high = np.zeros(form.lo.shape), np.zeros(form.lo.shape)
    robust, dy = np.zeros(n, bool), np.zeros((n, form.K, form.lo.shape[1]))
    edge_units, edge_moves = [], []
    for start in range(0, n, CHUNK):
        sl = slice(start, min(n, start + CHUNK))
        part = _screen_chunk(form, sl, lam, aux, box, tie_tolerance)
        X[sl], free[sl], Y[sl] = part["X"], part["free"], part["y"]
        act_low[sl], act_high[sl] = part["act_low"], part["act_high"]
        robust[sl], dy[sl] = part["robust"], part["dy"]
        edge_units.append(part["units"] + start), edge_moves.append(part["moves"])
    units, moves = np.concatenate(edge_units), np.concatenate(edge_moves)
    keep = ~free[units]
    units, moves = units[keep], moves[keep]
    classes = []
    if len(units):
        direction = np.column_stack([np.einsum("ec,ec->e", form.profit[units], moves),
                                     np.einsum("kec,ec->ek", form.G[:, units], moves)])
        norm = np.abs(direction).max(axis=1, keepdims=True)
        key = np.round(direction / np.where(norm > 0, norm, 1.0), 10) + 0.0      # + 0.0: no −0.0
        label = _row_labels(key)
        order = np.argsort(label, kind="stable")
        for group in np.split(order, np.flatnonzero(np.diff(label[order])) + 1):
            classes.append((units[group], moves[group]))
    return Screen(X=X, free=free, classes=classes, y=Y, act_low=act_low, act_high=act_high, robust=robust, dy=dy)


def _row_labels(key: np.ndarray) -> np.ndarray:
    """Each row's rank among the distinct rows of ``key`` in lexicographic order (``np.unique(key, axis=0,
    return_inverse=True)``'s labels, by a sort of the columns instead of the rows as bytes: 4× faster)."""
    order = np.lexsort(key.T[::-1])
    ordered = key[order]
    label = np.empty(len(key), np.int64)
    label[order] = np.cumsum(np.r_[False, (ordered[1:] != ordered[:-1]).any(axis=1)])
    return label


def _screen_chunk(form: BlockForm, sl, lam, aux, box, tie_tolerance) -> dict:
    C, K = form.upper.shape[1], form.K
    profit = form.lagrangian_profit(lam, sl)
    lo, hi = form.unit_bounds(aux, sl)
    D, upper = form.D[sl], form.upper[sl]
    out = solve_blocks(profit, D, lo, hi, upper, basis=True, form=form)
    m, R = out.basic.shape
    bad = out.status != BLOCK_OPTIMAL
    T, d, z, lb, ub = out.tableau, out.d, out.z, out.lb, out.ub
    col_scale = np.where(upper > 0, upper, 1.0)
    # how each reduced cost moves with λ: d(λ') = d(λ) + (λ' − λ)·γ
    Gs = np.concatenate([form.G[:, sl].transpose(1, 0, 2) * col_scale[:, None, :], np.zeros((m, K, R))], axis=2)
    GB = np.take_along_axis(Gs, np.repeat(out.basic[:, None, :], K, axis=1), axis=2)
    gamma = Gs - np.einsum("ukr,urj->ukj", GB, T)
    reach = np.einsum("k,ukj->uj", box, np.abs(gamma))
    scale = np.abs(profit * col_scale).max(axis=1, keepdims=True) + 1e-300
    tie = ~out.is_basic & (np.abs(d) <= reach + tie_tolerance * scale) & (ub > lb) & ~bad[:, None]
    robust = ~bad & ~tie.any(axis=1)
    dy = -gamma[:, :, C:] / out.row_scale[:, None, :]          # y = −d(slack) / row scale
    eu, ej = np.nonzero(tie)
    # an edge: the nonbasic variable leaves its bound (s = +1 from below, −1 from above), the basic ones follow
    s = np.where(out.at_upper[eu, ej], -1.0, 1.0)
    dzB = -s[:, None] * T[eu, :, ej]
    zB = np.take_along_axis(z, out.basic, axis=1)
    lbB, ubB = np.take_along_axis(lb, out.basic, axis=1), np.take_along_axis(ub, out.basic, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(dzB > 1e-12, (ubB[eu] - zB[eu]) / dzB,
                        np.where(dzB < -1e-12, (zB[eu] - lbB[eu]) / -dzB, np.inf))
    length = np.minimum(np.clip(room, 0, None).min(axis=1, initial=np.inf), ub[eu, ej] - lb[eu, ej])
    usable = np.isfinite(length) & (length > 1e-12)
    # several edges of one unit: shrink them together so that any combination stays within the bounds
    move = dzB * np.where(usable, length, 0.0)[:, None]
    need_up, need_down = np.zeros((m, R)), np.zeros((m, R))
    np.add.at(need_up, eu, np.clip(move, 0, None))
    np.add.at(need_down, eu, np.clip(-move, 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = np.minimum(np.where(need_up > 1e-12, (ubB - zB) / need_up, np.inf),
                         np.where(need_down > 1e-12, (zB - lbB) / need_down, np.inf)).min(axis=1, initial=np.inf)
    length = np.where(usable, length * np.clip(fit, 0, 1)[eu], 0.0)
    usable &= length > 1e-12
    eu, ej, s, dzB, length = eu[usable], ej[usable], s[usable], dzB[usable], length[usable]
    dz = np.zeros((len(eu), C + R))
    dz[np.arange(len(eu)), ej] = s
    np.put_along_axis(dz, out.basic[eu], dzB, axis=1)
    moves = dz[:, :C] * col_scale[eu] * length[:, None]
    X = out.x
    free = bad.copy()
    act = np.einsum("urc,uc->ur", D, X)
    dact = np.einsum("erc,ec->er", D[eu], moves)
    act_low, act_high = act.copy(), act.copy()
    np.add.at(act_low, eu, np.clip(dact, None, 0))
    np.add.at(act_high, eu, np.clip(dact, 0, None))
    if form.n_aux:
        linked = form.linked[sl]
        # an edge that moves a linking row toward its limit would pin the auxiliary column: not offered
        toward = ((dact < 0) & np.isfinite(lo[eu])) | ((dact > 0) & np.isfinite(hi[eu]))
        offered = ~(toward & (np.abs(dact) > 1e-12 * (1 + np.abs(act[eu]))) & linked[eu]).any(axis=1)
        eu, moves = eu[offered], moves[offered]
        act_low, act_high = act.copy(), act.copy()
        dact = dact[offered]
        np.add.at(act_low, eu, np.clip(dact, None, 0))
        np.add.at(act_high, eu, np.clip(dact, 0, None))
        near = (np.isfinite(lo) & (act_low - lo <= LINKING_MARGIN * (np.abs(lo) + np.abs(act) + 1e-9))) | \
               (np.isfinite(hi) & (hi - act_high <= LINKING_MARGIN * (np.abs(hi) + np.abs(act) + 1e-9)))
        free |= (near & linked).any(axis=1)
        free |= ((form.Q[sl] != 0).sum(axis=2) > 1).any(axis=1)       # a row on two auxiliary columns
    return {"X": X, "free": free, "y": out.y, "units": eu, "moves": moves, "act_low": act_low,
            "act_high": act_high, "robust": robust, "dy": dy}


def _aux_bounds(form: BlockForm, free, scr: Screen, classes):
    """Bounds on the auxiliary columns that keep every fixed unit's linking rows satisfied (whatever its class
    columns do), and the unit behind each bound."""
    lo_a, hi_a = form.aux_lower.copy(), form.aux_upper.copy()
    by_lo, by_hi = np.full(form.n_aux, -1), np.full(form.n_aux, -1)
    if not form.n_aux:
        return lo_a, hi_a, by_lo, by_hi
    u, r = np.nonzero(form.linked & ~free[:, None])
    alpha = np.argmax(form.Q[u, r] != 0, axis=1)
    qa = form.Q[u, r, alpha]
    with np.errstate(divide="ignore", invalid="ignore"):
        from_lo = (form.lo[u, r] - np.where(qa > 0, scr.act_high[u, r], scr.act_low[u, r])) / qa
        from_hi = (form.hi[u, r] - np.where(qa > 0, scr.act_low[u, r], scr.act_high[u, r])) / qa
    # qa > 0: a ≥ from_lo and a ≤ from_hi; qa < 0: the other way round
    low_bound = np.where(qa > 0, from_lo, from_hi)
    high_bound = np.where(qa > 0, from_hi, from_lo)
    for a in range(form.n_aux):
        mine = alpha == a
        lows = np.where(mine & np.isfinite(low_bound), low_bound, -np.inf)
        highs = np.where(mine & np.isfinite(high_bound), high_bound, np.inf)
        if len(lows) and lows.max() > lo_a[a]:
            by_lo[a] = u[np.argmax(lows)]
            lo_a[a] = lows.max()
        if len(highs) and highs.min() < hi_a[a]:
            by_hi[a] = u[np.argmin(highs)]
            hi_a[a] = highs.min()
    return lo_a, hi_a, by_lo, by_hi


@dataclass
class Restricted:
    status: str
    n_cols: int = 0
    free: np.ndarray | None = None
    X_free: np.ndarray | None = None
    tau: np.ndarray | None = None
    aux: np.ndarray | None = None
    lam: np.ndarray | None = None
    row_dual: np.ndarray | None = None      # duals of the free units' rows, (len(free), R) (0 elsewhere)
    aux_dual: np.ndarray | None = None      # reduced profits of the auxiliary columns
    pinned: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    box_slack: bool = False
    objective: float = float("nan")


def restricted_lp(form: BlockForm, free, X, classes, *, aux_bounds, box=None, share: float = 1.0
                  ) -> Restricted:
    """The LP over the free units, the class columns and the auxiliary columns, the fixed units held at X.

    ``share`` < 1: the sample LP (the fixed units are left out and the coupling rows scaled by ``share``).
    ``box`` = (λ, δ): slack columns priced at λ ± δ on every coupling row.
    """
    K, C = form.K, form.upper.shape[1]
    F = np.flatnonzero(free)
    nf, ncls, na = len(F), len(classes), form.n_aux
    col_cls, col_aux = nf * C, nf * C + ncls
    n_cols = col_aux + na + (2 * K if box is not None else 0)
    rows, cols, vals = [], [], []
    Gf = form.G[:, F]                                             # coupling rows × free units × slots
    k, i, c = np.nonzero(Gf)
    rows.append(k), cols.append(i * C + c), vals.append(Gf[k, i, c])
    cls_profit = np.zeros(ncls)
    for j, (members, dX) in enumerate(classes):
        coef = np.einsum("kuc,uc->k", form.G[:, members], dX)
        nz = np.flatnonzero(coef)
        rows.append(nz), cols.append(np.full(len(nz), col_cls + j)), vals.append(coef[nz])
        cls_profit[j] = np.einsum("uc,uc->", form.profit[members], dX)
    k, a = np.nonzero(form.G_aux)
    rows.append(k), cols.append(col_aux + a), vals.append(form.G_aux[k, a] * share)
    clo, chi = form.clo * share, form.chi * share
    if share == 1.0:
        fixed_part = form.coupling_activity(np.where(free[:, None], 0.0, X), np.zeros(na))
        clo, chi = clo - fixed_part, chi - fixed_part
    row_lo, row_hi = [clo], [chi]
    # the free units' own rows
    lo, hi = form.lo[F], form.hi[F]
    live = np.isfinite(lo) | np.isfinite(hi)
    li, lr = np.nonzero(live)
    row_id = np.full(live.shape, -1)
    row_id[li, lr] = K + np.arange(len(li))
    Df = form.D[F] * live[:, :, None]
    i, r, c = np.nonzero(Df)
    rows.append(row_id[i, r]), cols.append(i * C + c), vals.append(Df[i, r, c])
    if na:
        Qf = form.Q[F] * live[:, :, None]
        i, r, a = np.nonzero(Qf)
        rows.append(row_id[i, r]), cols.append(col_aux + a), vals.append(Qf[i, r, a])
    row_lo.append(lo[li, lr]), row_hi.append(hi[li, lr])
    n_rows = K + len(li)
    if box is not None:
        rows.append(np.tile(np.arange(K), 2)), cols.append(col_aux + na + np.arange(2 * K))
        vals.append(np.concatenate([np.ones(K), -np.ones(K)]))
    matrix = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                           shape=(n_rows, n_cols))
    lo_a, hi_a, by_lo, by_hi = aux_bounds
    cost = [form.profit[F].ravel(), cls_profit, form.aux_profit]
    lower = [np.zeros(nf * C), np.zeros(ncls), lo_a]
    upper = [form.upper[F].ravel(), np.ones(ncls), hi_a]
    if box is not None:
        lam, delta = box
        cost += [lam - delta, -(lam + delta)]
        lower.append(np.zeros(2 * K)), upper.append(np.full(2 * K, np.inf))
    h = pass_arrays(np.concatenate(cost), np.concatenate(lower), np.concatenate(upper), matrix,
                    np.concatenate(row_lo), np.concatenate(row_hi), maximise=True)
    h.setOptionValue("solver", "simplex")
    h.run()
    status = status_of(h)
    if status != OPTIMAL:
        return Restricted(status=status)
    sol = h.getSolution()
    x, y, dj = np.asarray(sol.col_value), np.asarray(sol.row_dual), np.asarray(sol.col_dual)
    out = Restricted(status=OPTIMAL, n_cols=n_cols, free=F, X_free=x[:nf * C].reshape(nf, C),
                     tau=x[col_cls:col_aux], aux=x[col_aux:col_aux + na], lam=y[:K],
                     objective=float(h.getInfo().objective_function_value))
    out.row_dual = np.zeros(live.shape)
    out.row_dual[li, lr] = y[row_id[li, lr]]
    out.aux_dual = dj[col_aux:col_aux + na]
    if box is not None:
        size = np.abs(np.concatenate([clo[np.isfinite(clo)], chi[np.isfinite(chi)]])).max(initial=0.0)
        out.box_slack = bool(x[col_aux + na:].max(initial=0.0) > 1e-9 * (1.0 + size))
    # a fixed unit whose linking row bounds an auxiliary column that has a price: it must be free
    tol = 1e-9 * (1 + np.abs(out.aux))
    pinned = [by_lo[a] for a in range(na) if by_lo[a] >= 0 and out.aux[a] <= lo_a[a] + tol[a]
              and abs(out.aux_dual[a]) > 1e-12]
    pinned += [by_hi[a] for a in range(na) if by_hi[a] >= 0 and out.aux[a] >= hi_a[a] - tol[a]
               and abs(out.aux_dual[a]) > 1e-12]
    out.pinned = np.array(pinned, int)
    return out


def certify(form: BlockForm, lam, aux, X, check: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each unit in ``check`` has an allocation that reaches its block's optimum at (λ, a), its linking
    rows left out (they have no price: the restricted LP kept them satisfied), and those blocks' row duals
    (units not checked pass, with duals 0)."""
    passed, duals = np.ones(form.n, bool), np.zeros(form.lo.shape)
    todo = np.flatnonzero(check)
    for start in range(0, len(todo), CHUNK):
        units = todo[start:start + CHUNK]
        profit = form.lagrangian_profit(lam, units)
        lo, hi = form.unit_bounds(aux, units)
        linked = form.linked[units]
        lo, hi = np.where(linked, -np.inf, lo), np.where(linked, np.inf, hi)
        blocks = solve_blocks(profit, form.D[units], lo, hi, form.upper[units], form=form)
        best = blocks.value(profit)
        mine = np.einsum("uc,uc->u", profit, X[units])
        scale = np.abs(profit * form.upper[units]).sum(axis=1) + 1e-12
        passed[units] = (blocks.status == BLOCK_OPTIMAL) & (best - mine <= CERTIFICATE_TOLERANCE * scale)
        duals[units] = blocks.y
    return passed, duals


# ------------------------------------------------------------------------------------------ the answer


def _certified(program: Program, form: BlockForm, X, lp: Restricted, fixed: np.ndarray, block_duals: np.ndarray,
               report: Report, t0: float) -> Solution:
    """The full programme's Solution from a certified allocation: duals assembled from the restricted LP
    (coupling rows, free units' rows) and the blocks (fixed units' rows); the gap checked on the full matrix."""
    x = form.full_x(X, lp.aux)
    y = np.zeros(len(program.row_lower))
    y[form.crow] = lp.lam
    free_rows = form.row[lp.free]
    has = free_rows >= 0
    y[free_rows[has]] = lp.row_dual[has]
    own = (form.row >= 0) & fixed[:, None] & ~form.linked      # fixed units' rows: their blocks' duals
    y[form.row[own]] = block_duals[own]
    row_dual = form.sign * y                        # the form maximises sign × cost
    activity = program.times(x)
    col_dual = program.cost - program.transposed_times(row_dual)
    objective = float(program.cost @ x)
    report.duality_gap = duality_gap(program, x, row_dual, activity=activity, col_dual=col_dual)
    report.multipliers = (lp.lam, lp.aux)
    report.form = form
    report.seconds["total"] = time.perf_counter() - t0
    return Solution(status=OPTIMAL, objective=objective, x=x, row_activity=activity, row_dual=row_dual,
                    col_dual=col_dual, solver="fundalloc decomposition + HiGHS", method="decomposition",
                    seconds=report.seconds["total"], iterations=report.rounds,
                    message="optimal (certified)", extra={"decomposition": report})


def _fall_back(program: Program, fallback, report: Report, reason: str, t0: float) -> Solution:
    report.fallback, report.reason = True, reason
    t = time.perf_counter()
    solution = fallback(program)
    report.seconds["full_lp"] = time.perf_counter() - t
    report.seconds["total"] = time.perf_counter() - t0
    if solution.status == OPTIMAL and solution.row_dual is not None:
        report.duality_gap = duality_gap(program, solution.x, solution.row_dual)
    solution.extra["decomposition"] = report
    solution.seconds = report.seconds["total"]
    return solution


def duality_gap(program: Program, x, row_dual, *, activity=None, col_dual=None) -> float:
    """Relative gap between the objective of ``x`` and the bound the duals prove (weak duality, over every row
    and column of the programme; any duals give a valid bound, so a gap near 0 certifies ``x`` optimal whoever
    computed it). The products with the matrix go block by block (:meth:`Program.times`) until something has
    made the full sparse matrix: the same sums over the same rows.

    For a maximisation c·x = (c − Aᵀy)·x + y·Ax ≤ Σ_j max over [l_j, u_j] of d_j x_j + Σ_i max over
    [lo_i, hi_i] of y_i b_i; a minimisation takes the minimum instead.
    """
    activity = program.times(x) if activity is None else activity
    col_dual = program.cost - program.transposed_times(row_dual) if col_dual is None else col_dual
    sign = 1.0 if program.sense == "max" else -1.0
    # duals at roundoff level count as 0 (reduced costs relative to the terms they are made of)
    row_dual = np.where(np.abs(row_dual) <= 1e-12 * (1 + np.abs(row_dual).max(initial=0)), 0.0, row_dual)
    size = np.abs(program.cost) + program.transposed_times(np.abs(row_dual), absolute=True)
    d = np.where(np.abs(col_dual) <= 1e-9 * (1 + size), 0.0, col_dual)

    def best(v, low, high):  # Σ max over [low, high] of sign·v·b, as sign × value
        with np.errstate(invalid="ignore"):
            return np.where(sign * v > 0, v * high, np.where(sign * v < 0, v * low, 0.0)).sum()

    bound = best(row_dual, program.row_lower, program.row_upper) + best(d, program.col_lower, program.col_upper)
    primal = float(program.cost @ x)
    return float(abs(bound - primal) / max(1.0, abs(primal)))
