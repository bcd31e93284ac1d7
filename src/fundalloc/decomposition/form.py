"""The programme seen as unit blocks under a few coupling rows: the view the decomposition solver works on.

Built from the rule blocks' own form (:class:`~fundalloc.program.RowBlock`), not from the sparse matrix:

    maximise  Σ_u profit_u · x_u + aux_profit · a
    per unit  lo_u ≤ D_u x_u + Q_u a ≤ hi_u          (one row slot per per-unit rule block; ±∞ where absent)
    coupling  clo ≤ Σ_u G_u x_u + G_aux a ≤ chi      (budget, shares, earmarks, targets, the tilt's average)
    bounds    0 ≤ x_u ≤ U_u,  aux_lower ≤ a ≤ aux_upper

A minimisation is turned into a maximisation of −cost (``sign``). Columns without a capacity are boxed by the
bounds the rows imply (twice the implied bound, so the box itself never binds); rows no allocation in the box
can reach are dropped from a unit's block (their dual is 0 and they are not at their limit).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..program import Program

#: units per pass of a whole-form computation (keeps its temporaries in the cache, not in fresh pages)
CHUNK = 16384


@dataclass
class BlockForm:
    program: Program
    sign: float                 # +1 maximise, −1 minimise (the form always maximises sign × cost)
    profit: np.ndarray          # (n, C)
    upper: np.ndarray           # (n, C), finite where the form is usable
    D: np.ndarray               # (n, R, C)
    lo: np.ndarray              # (n, R)
    hi: np.ndarray              # (n, R)
    Q: np.ndarray               # (n, R, A)
    row: np.ndarray             # (n, R) the row of the full programme, −1 where the unit has none
    G: np.ndarray               # (K, n, C)
    G_aux: np.ndarray           # (K, A)
    clo: np.ndarray             # (K,)
    chi: np.ndarray             # (K,)
    crow: np.ndarray            # (K,) rows of the full programme
    aux_profit: np.ndarray      # (A,)
    aux_lower: np.ndarray
    aux_upper: np.ndarray
    linked: np.ndarray | None = None   # (n, R): the unit's row touches an auxiliary column

    @property
    def n(self) -> int:
        return self.profit.shape[0]

    @property
    def K(self) -> int:
        return len(self.clo)

    @property
    def n_aux(self) -> int:
        return len(self.aux_profit)

    @property
    def bounded(self) -> bool:
        return bool(np.isfinite(self.upper).all())

    def lagrangian_profit(self, lam: np.ndarray, units=slice(None)) -> np.ndarray:
        """profit − Σ_k λ_k G_k: what a unit's columns earn once the coupling rows are priced at λ."""
        r = self.profit[units].copy()
        for k in np.flatnonzero(lam):
            r -= lam[k] * self.G[k, units]
        return r

    def unit_bounds(self, aux: np.ndarray, units=slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """Each unit's row bounds with the auxiliary columns at ``aux``."""
        if not self.n_aux:
            return self.lo[units], self.hi[units]
        shift = self.Q[units] @ aux
        return self.lo[units] - shift, self.hi[units] - shift

    def coupling_activity(self, X: np.ndarray, aux: np.ndarray) -> np.ndarray:
        return np.einsum("kuc,uc->k", self.G, X) + self.G_aux @ aux

    def full_x(self, X: np.ndarray, aux: np.ndarray) -> np.ndarray:
        """(n, C) and aux values → the full programme's column vector."""
        return np.concatenate([X.T.ravel(), aux])


def block_form(program: Program) -> BlockForm:
    """The block view of ``program`` (see the module docstring)."""
    p = program
    n, C, na = p.n_units, p.n_slots, p.n_alloc
    A = p.n_cols - na
    sign = 1.0 if p.sense == "max" else -1.0
    per_unit = [b for b in p.block_info.values() if b.units is not None]
    coupling = [b for b in p.block_info.values() if b.units is None]
    R = len(per_unit)
    lo, hi = np.full((n, R), -np.inf), np.full((n, R), np.inf)
    Q = np.zeros((n, R, A))
    row = np.full((n, R), -1)
    for r, b in enumerate(per_unit):
        at = _rows_of(b, n)
        lo[at, r], hi[at, r] = b.lower, b.upper
        row[at, r] = np.arange(b.n_rows) + p.blocks[b.name].start
        for col, per_row in b.aux.items():
            Q[at, r, col - na] = per_row
    G = np.concatenate([b.coef for b in coupling]) if coupling else np.zeros((0, n, C))
    G_aux = np.zeros((len(G), A))
    k = 0
    for b in coupling:
        for col, per_row in b.aux.items():
            G_aux[k:k + b.n_rows, col - na] = per_row
        k += b.n_rows
    crow = np.concatenate([np.arange(p.blocks[b.name].start, p.blocks[b.name].stop) for b in coupling]) \
        if coupling else np.zeros(0, int)
    upper = p.col_upper[:na].reshape(C, n).T.copy()
    # the (n, R, C) tensor is made once, for the row slots that stay (the box of uncapped columns reads them all)
    boxing = not np.isfinite(upper).all()
    form = BlockForm(program=p, sign=sign, profit=sign * p.cost[:na].reshape(C, n).T, upper=upper,
                     D=_unit_rows(per_unit, n, C) if boxing else None, lo=lo, hi=hi, Q=Q, row=row, G=G,
                     G_aux=G_aux, clo=p.row_lower[crow], chi=p.row_upper[crow], crow=crow,
                     aux_profit=sign * p.cost[na:], aux_lower=p.col_lower[na:].copy(),
                     aux_upper=p.col_upper[na:].copy())
    form.linked = (Q != 0).any(axis=2)
    _box_uncapped(form)
    _drop_unreachable(form, per_unit)
    # row slots no unit can bring to a limit leave the blocks altogether
    live = (np.isfinite(form.lo) | np.isfinite(form.hi)).any(axis=0)
    form.D = _unit_rows([b for b, keep in zip(per_unit, live) if keep], n, C)
    if not live.all():
        form.lo, form.hi = form.lo[:, live], form.hi[:, live]
        form.Q, form.row, form.linked = form.Q[:, live], form.row[:, live], form.linked[:, live]
    return form


def _rows_of(block, n: int):
    """Where a per-unit block's rows go among the units (most rules hold in every unit: no scatter)."""
    return slice(None) if block.n_rows == n else block.units


def _unit_rows(blocks: list, n: int, C: int) -> np.ndarray:
    """The per-unit blocks' coefficients as one (units × row slots × slots) tensor, 0 where a unit has no row."""
    D = np.zeros((n, len(blocks), C))
    for r, b in enumerate(blocks):
        D[_rows_of(b, n), r] = b.coef
    return D


def _box_uncapped(f: BlockForm) -> None:
    """Give columns without a capacity the bound a row implies: a row ≤ h whose coefficients are all ≥ 0
    (or ≥ l with all ≤ 0) caps each of its columns at h / coefficient; doubled so the box never binds."""
    if f.bounded:
        return
    cap = np.full(f.upper.shape, np.inf)
    unlinked = ~f.linked
    with np.errstate(divide="ignore", invalid="ignore"):
        for D, lo, hi, ok in ((f.D, f.lo, f.hi, unlinked), (-f.D, -f.hi, -f.lo, unlinked)):
            usable = ok & np.isfinite(hi) & (D >= 0).all(axis=2)          # (n, R)
            bound = np.where(usable[:, :, None] & (D > 0), hi[:, :, None] / D, np.inf).min(axis=1, initial=np.inf)
            cap = np.minimum(cap, bound)
        for G, lo_k, hi_k in ((f.G, f.clo, f.chi), (-f.G, -f.chi, -f.clo)):
            for k in range(f.K):
                if np.isfinite(hi_k[k]) and not f.G_aux[k].any() and (G[k] >= 0).all():
                    cap = np.minimum(cap, np.where(G[k] > 0, hi_k[k] / G[k], np.inf))
    f.upper = np.where(np.isfinite(f.upper), f.upper, 2 * np.maximum(cap, 0))


def _drop_unreachable(f: BlockForm, blocks: list) -> None:
    """Rows no allocation in the box can bring to a limit become free in the unit's block (block by block, in
    chunks of rows: no (units × rows × slots) temporaries)."""
    if not np.isfinite(f.upper).all():
        return
    for r, b in enumerate(blocks):
        units = np.arange(f.n)[_rows_of(b, f.n)]
        for start in range(0, b.n_rows, CHUNK):
            at, rows = units[start:start + CHUNK], slice(start, start + CHUNK)
            reach = b.coef[rows] * f.upper[at]
            total = reach.sum(axis=1)
            np.maximum(reach, 0, out=reach)
            top = reach.sum(axis=1)
            bottom = total - top
            margin = 1e-9 * (1 + np.maximum(np.abs(top), np.abs(bottom)))
            slack = (bottom > f.lo[at, r] + margin) & (top < f.hi[at, r] - margin) & ~f.linked[at, r]
            f.lo[at[slack], r], f.hi[at[slack], r] = -np.inf, np.inf
