"""Rounding an allocation for people: whole 万元 (or the scenario's ``rounding``) that still add up exactly to the
budget and still keep every rule.

Each (unit, measure) amount goes down or up to a multiple of the step; a unit's total is the sum of its rounded
measures, so the two always agree. The rounding nearest the optimum (least Σ |rounded − unrounded|) that adds
up to a given total is the largest-remainder one: round every amount down, then round up the amounts with the
largest remainders until the total is reached. When that rounding keeps every rule it is the answer: no
rounding that keeps the rules can be nearer. Otherwise a small integer programme (HiGHS) chooses down or up for
each amount, nearest first, subject to the total and every rule's rows. If no rounding keeps them all, it takes
the one that breaks them least and :attr:`Rounded.broken` says which rule misses, where and by how much.

The rules are the programme's own rows: rows that count money (the budget, shares, floors, the tilt) on the
rounded money, rows that count persons (pools, coverage) on the persons funded. Those are chosen for the
rounded money: no more than it pays for, within the capacities and the rules, the most weighted outcome first.
So rounding an amount up never funds persons a county does not have; the money above what its persons cost is
margin, which the table reports. An amount the optimum leaves at 0 stays 0.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .backends.highs import _inf, new_highs
from .program import Program

#: the step when the scenario gives no `rounding`, by money unit: whole 万元, whole 元, 0.0001 亿元 (= 1 万元)
DEFAULT_STEP = {"万元": 1.0, "元": 1.0, "亿元": 1e-4}
#: a rounded row may miss its limit by this much (relative to the limit) and still hold: solver precision
ROW_TOLERANCE = 1e-6
#: seconds the integer programme may take when the scenario sets no `solver.time_limit`
TIME_LIMIT = 60.0
#: up to this many amounts, the integer programme searches all of them at once (a Hebei-sized 441 take 0.1 s;
#: 4,800 take about 1 s, 9,000 about 40 s, growing fast); above, it repairs the nearest rounding locally
SEARCH_ALL_CELLS = 5_000
#: the first band of amounts around the cut-off a local repair may change, each side (widened ×4 each time)
BAND = 64
#: above this many amounts the nearest rounding is first repaired over the counties it troubles alone (a model of
#: those counties, the rest held): 20,000 × 6 in 0.44 s against 5.2 s with the model of the whole programme, the
#: same rounding (``python benchmarks/bench_rounding.py``); the whole programme's model is the fallback
LOCAL_FROM_CELLS = 30_000
#: above this many amounts no HiGHS model over the whole programme is built (120,000 amounts, 20,000 × 6, are
#: repaired in 5–12 s; at 1,200,000 one runs for many minutes and past 20 GB): when the local repair finds
#: nothing, the nearest rounding is kept, its persons the optimum's (fewer in proportion where an amount goes
#: down), and the rules it breaks are reported
PROGRAMME_MAX_CELLS = 150_000
#: a local repair frees at most this many amounts: the counties where the nearest rounding breaks a rule and
#: those of the amounts nearest the cut-off (the rest held as they are)
REPAIR_MAX_CELLS = 150_000
#: the band of amounts around the cut-off widens (×4) at most this many times there
REPAIR_ROUNDS = 2
#: a county whose own money rules no rounding of its amounts keeps is found by trying each of its 2 ** measures
#: choices, up to this many measures
SCREEN_MAX_MEASURES = 10

LARGEST_REMAINDER, INTEGER_PROGRAMME, LEAST_BROKEN = "largest_remainder", "integer_programme", "least_broken"
#: the nearest rounding kept without a repair (a table above :data:`LOCAL_FROM_CELLS` amounts)
NOT_REPAIRED = "not_repaired"


def rounding_step(sc) -> float:
    """The precision of the scenario's 分配表, in its ``money_unit``."""
    return DEFAULT_STEP[sc.money_unit] if sc.rounding is None else sc.money(sc.rounding)


def decimals(step: float) -> int:
    """Decimal places a multiple of ``step`` needs: ``1`` → 0, ``0.01`` → 2, ``0.0001`` → 4, ``0.5`` → 1."""
    for places in range(10):
        if abs(step * 10 ** places - round(step * 10 ** places)) <= 1e-9 * max(1.0, step * 10 ** places):
            return places
    return 10


def split(values: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Each value as whole steps rounded down and the remainder (a share of a step, in [0, 1)); a value a
    hair from a multiple of ``step`` (floating point) counts as that multiple.

    >>> k, rest = split(np.array([397.392, 12.0, 11.999999999999]), 1.0)
    >>> k.tolist(), rest.round(3).tolist()
    ([397, 12, 12], [0.392, 0.0, 0.0])
    """
    ratio = np.asarray(values, dtype=float) / step
    nearest = np.round(ratio)
    snapped = np.abs(ratio - nearest) <= 1e-9 * np.maximum(1.0, np.abs(ratio))
    down = np.where(snapped, nearest, np.floor(ratio))
    return down.astype(np.int64), np.where(snapped, 0.0, ratio - down)


def largest_remainder(rest: np.ndarray, ups: int, can_go_up: np.ndarray | None = None,
                      must_go_up: np.ndarray | None = None) -> np.ndarray:
    """Which values to round up so that ``ups`` of them go up: those that must, then the largest remainders
    among those that can (ties by position). ``ups`` must lie between the two counts.

    >>> largest_remainder(np.array([0.4, 0.9, 0.5, 0.1]), 2).tolist()
    [False, True, True, False]
    >>> largest_remainder(np.array([0.4, 0.9, 0.5, 0.1]), 2, must_go_up=np.array([0, 0, 0, 1], bool)).tolist()
    [False, True, False, True]
    """
    n = len(rest)
    can = np.ones(n, bool) if can_go_up is None else can_go_up.copy()
    must = np.zeros(n, bool) if must_go_up is None else must_go_up
    up = must.copy()
    more = ups - int(must.sum())
    if more > 0:
        free = np.flatnonzero(can & ~must)
        order = free[np.argsort(-rest[free], kind="stable")]
        up[order[:more]] = True
    return up


def round_to_total(values: np.ndarray, step: float, total: float,
                   floors: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """``values`` rounded to multiples of ``step`` adding up to ``total`` (itself a multiple), nearest first
    (largest remainder), none below its floor when the floors allow. Returns the rounded values and by how
    much the floors are missed in all (0 when they hold).

    >>> rounded, missed = round_to_total(np.array([33.3, 33.3, 33.4]), 1.0, 100.0)
    >>> rounded.tolist(), missed
    ([33.0, 33.0, 34.0], 0.0)
    >>> round_to_total(np.array([33.3, 33.3, 33.4]), 1.0, 100.0, floors=np.array([33.2, 0, 0]))[0].tolist()
    [34.0, 33.0, 33.0]
    """
    down, rest = split(values, step)
    goal = int(round(total / step))
    must = np.zeros(len(values), bool)
    if floors is not None:
        must = (down * step < floors - ROW_TOLERANCE * np.maximum(1.0, np.abs(floors))) & (down * step < values)
    ups = min(max(goal - int(down.sum()), 0), len(values))
    if must.sum() > ups:  # the floors need more than the total allows: keep the largest misses smallest
        must = largest_remainder(floors / step - down, ups, must)
    up = largest_remainder(rest, ups, must_go_up=must)
    rounded = np.round((down + up) * step, decimals(step))
    if floors is None:
        return rounded, 0.0
    missed = float(np.clip(floors - rounded, 0, None).sum())
    return rounded, (missed if missed > ROW_TOLERANCE * max(1.0, float(np.abs(floors).sum())) else 0.0)


@dataclass
class Rounded:
    """An allocation rounded to ``step``: ``money``, ``persons`` and ``outcome`` as (measures × units) arrays
    (money in ``money_unit``, every amount a whole multiple of ``step``).

    ``total`` is what the rounded money adds up to and ``target`` what it should (the budget with
    ``spend_all``, otherwise the money allocated, rounded); ``method`` is how it was found
    (:data:`LARGEST_REMAINDER`, :data:`INTEGER_PROGRAMME`, :data:`LEAST_BROKEN` when no rounding keeps every
    rule, or :data:`NOT_REPAIRED` for a table too large to search); ``broken`` lists the rules the rounded allocation breaks (``rule, bound, rows, missed, largest,
    quantity, units``; ``missed`` in ``money_unit`` or persons); ``proven`` is False when the integer
    programme stopped at its time limit or searched only ``searched`` amounts (a local repair of the nearest
    rounding, for large tables); ``margin`` (measures × units) is money above what the persons funded cost.
    """

    step: float
    money: np.ndarray
    persons: np.ndarray
    outcome: np.ndarray
    total: float
    target: float
    method: str
    broken: pd.DataFrame
    margin: np.ndarray | None = None
    proven: bool = True
    searched: int | None = None
    seconds: float = 0.0


def round_allocation(result, step: float | None = None) -> Rounded:
    """The result's allocation rounded to ``step`` (default: the scenario's ``rounding``).

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "jobs": [1001, 1002, 5000]})
    >>> sc = fa.Scenario(units=units, budget={"total": 250, "spend_all": True},
    ...                  groups={"c": {"ids": ["c"]}}, weights={"c": 0.5},
    ...                  measures={"w": {"unit_cost": "830 元", "capacity": "jobs"}})
    >>> res = fa.solve(sc)
    >>> [round(v, 3) for v in res.units["amount"]]
    [83.083, 83.166, 83.751]
    >>> r = round_allocation(res)
    >>> r.money.sum(axis=0).tolist(), r.total, r.method
    ([83.0, 83.0, 84.0], 250.0, 'largest_remainder')
    """
    start = time.perf_counter()
    p: Program = result.program
    sc = result.scenario
    step = rounding_step(sc) if step is None else float(step)
    k, n = len(p.measures), p.n_units
    money = result._per_unit_measure[1]                  # measures × units, user money
    down, rest = split(money.ravel(), step)
    can_go_up = money.ravel() > 0
    target = _target(result)
    goal = int(round(target / step))
    if sc.budget is not None:
        goal = min(goal, int(math.floor(sc.money(sc.budget.total) / step + 1e-9)))
    goal = int(np.clip(goal, down.sum(), down.sum() + can_go_up.sum()))
    ups = goal - int(down.sum())
    first = largest_remainder(rest, ups, can_go_up)
    limit = sc.solver.time_limit or TIME_LIMIT
    if k * n > LOCAL_FROM_CELLS:
        local = _large(result, step, down, rest, can_go_up, first, target, limit, start)
        if local.method != NOT_REPAIRED or local.broken.empty or k * n > PROGRAMME_MAX_CELLS:
            return local

    rows = _Rows(p, step)
    model = _Model(rows, down, rest, can_go_up, ups)
    method, choice, proven, caps, searched = LARGEST_REMAINDER, first, True, None, None
    solved = model.persons(first)
    if solved is None:
        found = model.repaired(first, limit)
        if found is not None:
            method, (choice, proven, searched) = INTEGER_PROGRAMME, found
        else:  # no rounding keeps every rule: the least broken (or, found in no time, the nearest)
            method, (choice, caps, proven) = LEAST_BROKEN, model.least_broken(limit) or (first, np.inf, False)
        solved = model.persons(choice, caps) or model.persons(choice, np.inf)
    x, aux = solved
    whole = down + choice
    persons = np.bincount(rows.cell, weights=x, minlength=k * n).reshape(k, n)
    outcome = np.bincount(rows.cell, weights=x * p.col_effect[:p.n_alloc], minlength=k * n).reshape(k, n)
    rounded = np.round(whole * step, decimals(step)).reshape(k, n)
    return Rounded(step=step, money=rounded, persons=persons, outcome=outcome,
                   total=round(float(whole.sum()) * step, decimals(step)), target=target, method=method,
                   broken=_broken(result, rows.activity(whole, x, aux)),
                   margin=np.clip(rounded - persons * rows.unit_cost.reshape(k, n), 0.0, None), proven=proven,
                   searched=searched,
                   seconds=time.perf_counter() - start)


def _large(result, step: float, down, rest, can_go_up, first, target: float, limit: float, start: float) -> Rounded:
    """The rounding of a table above :data:`LOCAL_FROM_CELLS` amounts without a model over the whole programme.

    The nearest rounding (``down + first`` steps) is kept when it keeps every rule, each amount with the optimum's
    persons, fewer in proportion where it goes down. Otherwise the rounding is repaired locally: an integer
    programme over the counties where it breaks a rule and those of the amounts nearest the cut-off between
    rounding down and up (which pay for the repair) chooses their roundings, every other county held as it is
    (its rows, with the coupling rows' share of them, as constants). The band widens while nothing is found and
    the counties freed stay within :data:`REPAIR_MAX_CELLS` amounts; the outcome is checked on the whole
    programme, and what still breaks a rule is reported.
    """
    p = result.program
    k, n = len(p.measures), p.n_units
    nearest = _Evaluated(result, step, down + first)
    broken = nearest.broken_rows()
    if not broken.any():
        return nearest.rounded(NOT_REPAIRED, target, start)
    troubled = np.zeros(n, bool)
    troubled[nearest.row_unit[broken & (nearest.row_unit >= 0)]] = True
    if k * troubled.sum() > REPAIR_MAX_CELLS:
        return nearest.rounded(NOT_REPAIRED, target, start)
    base, hopeless = _hopeless(result, step, down, rest, can_go_up, nearest, np.flatnonzero(troubled))
    troubled &= ~hopeless
    own = np.isin(nearest.row_unit, np.flatnonzero(hopeless))   # rows that no rounding can keep
    method = LEAST_BROKEN if hopeless.any() else INTEGER_PROGRAMME
    goal = int(first.sum())                                   # the total stays the nearest rounding's
    order = np.flatnonzero(can_go_up & ~np.tile(hopeless, k))
    order = order[np.argsort(-rest[order], kind="stable")]
    # a troubled county may need one amount more or fewer up: the band can pay for each of them
    cut, band = int(first[order].sum()), max(BAND, int(troubled.sum()))
    for _ in range(REPAIR_ROUNDS):
        free = troubled.copy()
        free[order[max(cut - band, 0):cut + band] % n] = True
        units = np.flatnonzero(free)
        if k * len(units) > REPAIR_MAX_CELLS:
            break
        cells = (np.arange(k)[:, None] * n + units[None, :]).ravel()      # the freed counties' amounts
        held = np.ones(k * n, bool)
        held[cells] = False
        ups = base.whole - down
        model = _Model(_Rows(_restricted(p, units, base), step), down[cells], rest[cells], can_go_up[cells],
                       goal - int(ups[held].sum()))
        found = model.nearest(limit) if model.n_z <= SEARCH_ALL_CELLS else model.repaired(ups[cells], limit)
        solved = found and model.persons(found[0])
        if solved:
            whole = base.whole.copy()
            whole[cells] = down[cells] + found[0]
            repaired = _Evaluated(result, step, whole, (units, solved))
            if not (repaired.broken_rows() & ~own).any():   # a rule no freed county is in may still be broken
                return repaired.rounded(method, target, start, proven=False, searched=model.n_z)
        if cut - band <= 0 and cut + band >= len(order):
            break
        band *= 4
    return nearest.rounded(NOT_REPAIRED, target, start)


def _hopeless(result, step: float, down, rest, can_go_up, nearest: _Evaluated, troubled: np.ndarray):
    """The counties among ``troubled`` whose own money rules (those on their own amounts alone: floors, ceilings,
    hold-harmless) no rounding of their amounts keeps, each down-or-up choice of them tried at once; and the
    rounding with each of those counties rounded the way that breaks those rules least, then nearest (the
    others as ``nearest`` has them)."""
    p = result.program
    k, n = len(p.measures), p.n_units
    hopeless = np.zeros(n, bool)
    if k > SCREEN_MAX_MEASURES or not troubled.size:
        return nearest, hopeless
    sub = _restricted(p, troubled, nearest)
    rows = _Rows(sub, step)
    own = np.zeros(len(sub.row_lower), bool)
    unit = np.full(len(sub.row_lower), -1)
    for name in sub.rule_blocks():
        info = sub.block_info[name]
        if info.units is not None and info.quantity == "money" and not info.aux:   # its own amounts alone
            own[sub.blocks[name]], unit[sub.blocks[name]] = True, info.units
    own = np.flatnonzero(own)
    if not own.size:
        return nearest, hopeless
    cells = np.arange(k)[:, None] * len(troubled) + unit[own][None, :]          # measures × rows
    on_own = rows.money_matrix[own].tocsr()
    coef = np.asarray(on_own[np.broadcast_to(np.arange(len(own)), cells.shape).ravel(), cells.ravel()]) \
        .reshape(cells.shape) * rows.internal_step
    bits = (np.arange(2 ** k)[:, None] >> np.arange(k)[None, :]) & 1          # choices × measures
    full = np.arange(k)[:, None] * n + troubled[unit[own]][None, :]
    activity = (coef * down[full]).sum(axis=0)[None, :] + bits @ coef                      # choices × rows
    lower, upper = sub.row_lower[own], sub.row_upper[own]
    slack = ROW_TOLERANCE * np.maximum(1.0, np.abs(np.where(np.isfinite(upper), upper, 0.0)))
    miss = np.clip(lower - activity - slack, 0, None) + np.clip(activity - upper - slack, 0, None)
    miss[(bits[:, :, None] > can_go_up[full][None, :, :]).any(axis=1)] = np.inf   # an amount at 0 stays 0
    per_unit = np.zeros((2 ** k, len(troubled)))
    np.add.at(per_unit.T, unit[own], miss.T)
    least = per_unit.min(axis=0)
    stuck = np.flatnonzero(least > 0)
    if not stuck.size or not np.isfinite(least[stuck]).all():
        return nearest, hopeless
    distance = bits @ (1 - 2 * rest[np.arange(k)[:, None] * n + troubled[None, stuck]])  # choices × stuck
    best = np.lexsort((distance, per_unit[:, stuck]), axis=0)[0]
    whole = nearest.whole.copy()
    whole[np.arange(k)[:, None] * n + troubled[None, stuck]] = \
        down[np.arange(k)[:, None] * n + troubled[None, stuck]] + bits[best].T
    hopeless[troubled[stuck]] = True
    return _Evaluated(result, step, whole), hopeless


class _Evaluated:
    """A rounding to ``whole`` steps per cell, checked on the whole programme.

    Each cell keeps the optimum's persons, fewer in proportion where its money goes down (so they cost no more
    than the rounded money and stay within every capacity), except the counties of ``chosen``: (the counties,
    (the persons on their columns, the auxiliary columns)) a repair over them chose. Rows that count money see
    the rounded money (a money row is built from each unit's money, so scaling a cell's columns by rounded /
    unrounded money scales its money exactly); rows that count persons see the persons.
    """

    def __init__(self, result, step: float, whole: np.ndarray, chosen=None):
        p = self.p = result.program
        self.result, self.step, self.whole = result, step, whole
        k, n = len(p.measures), p.n_units
        alloc = slice(0, p.n_alloc)
        money = result._per_unit_measure[1].ravel()
        self.money = np.round(whole * step, decimals(step))
        ratio = np.divide(self.money, money, out=np.zeros_like(money), where=money > 0)
        self.cell = cell = p.col_measure[alloc] * n + p.col_unit[alloc]
        x = result.solution.x
        self.as_money = x[alloc] * ratio[cell]                  # columns giving each cell its rounded money
        self.funded = x[alloc] * np.minimum(ratio, 1.0)[cell]
        self.money_rows, internal = np.zeros(len(p.row_lower), bool), np.zeros(len(p.row_lower), bool)
        self.row_unit = np.full(len(p.row_lower), -1)
        for name, info in p.block_info.items():
            self.money_rows[p.blocks[name]] = info.quantity == "money"
            internal[p.blocks[name]] = info.internal
            if info.units is not None:
                self.row_unit[p.blocks[name]] = info.units
        self.aux_matrix = p.aux_columns()
        if chosen is not None:
            units, (persons, self.aux) = chosen
            columns = np.flatnonzero(np.isin(p.col_unit[alloc], units))   # in the restricted programme's order
            self.funded[columns] = persons
        activity = self._rows(self.as_money, self.funded)
        if chosen is None:
            self.aux = _aux_for(self.aux_matrix, activity, internal, p, x[p.n_alloc:])
        self.activity = activity + self.aux_matrix @ self.aux

    def _rows(self, as_money: np.ndarray, persons: np.ndarray) -> np.ndarray:
        """Each row's activity from the allocation columns: money rows on ``as_money``, the others on persons
        (both products in one pass over the programme's blocks)."""
        no_aux = np.zeros(self.p.n_cols - self.p.n_alloc)
        both = self.p.times(np.column_stack([np.r_[as_money, no_aux], np.r_[persons, no_aux]]))
        return np.where(self.money_rows, both[:, 0], both[:, 1])

    def broken_rows(self) -> np.ndarray:
        """The policy rows the rounding breaks."""
        return _missing(self.p, self.activity)

    def rounded(self, method: str, target: float, start: float, proven: bool = True,
                searched: int | None = None) -> Rounded:
        p = self.p
        k, n = len(p.measures), p.n_units
        alloc = slice(0, p.n_alloc)
        persons = np.bincount(self.cell, weights=self.funded, minlength=k * n).reshape(k, n)
        outcome = np.bincount(self.cell, weights=self.funded * p.col_effect[alloc], minlength=k * n).reshape(k, n)
        cost = np.bincount(self.cell, weights=self.funded * p.col_money[alloc], minlength=k * n).reshape(k, n) \
            * p.money_scale
        money = self.money.reshape(k, n)
        return Rounded(step=self.step, money=money, persons=persons, outcome=outcome,
                       total=round(float(self.whole.sum()) * self.step, decimals(self.step)), target=target,
                       method=method, broken=_broken(self.result, self.activity),
                       margin=np.clip(money - cost, 0.0, None), proven=proven, searched=searched,
                       seconds=time.perf_counter() - start)


def _restricted(p: Program, units: np.ndarray, held: _Evaluated) -> Program:
    """The programme over ``units`` (sorted) alone, every other county held as ``held`` has it: the rows that
    touch the freed counties' columns, with the held counties' part of them moved into the limits, and the
    auxiliary columns, bounded by what the held counties' linking rows allow them. Made from the rule blocks
    (its own sparse rows are derived from them when read)."""
    n, alloc = p.n_units, p.n_alloc
    local = np.full(n, -1)
    local[units] = np.arange(len(units))
    free = local[p.col_unit[:alloc]] >= 0
    columns = np.r_[np.flatnonzero(free), np.arange(alloc, p.n_cols)]
    hold = ~free
    fixed = held._rows(held.as_money * hold, held.funded * hold)
    touches, on_aux = np.zeros(len(p.row_lower), bool), np.zeros(len(p.row_lower), np.int64)
    for name, block in p.blocks.items():     # from the blocks: the whole sparse matrix is never needed here
        b = p.block_info[name]
        if b.units is not None:
            touches[block] = (local[b.units] >= 0) & (b.coef != 0).any(axis=1)
        else:
            touches[block] = (b.coef[:, units] != 0).any(axis=(1, 2))
        for per_row in b.aux.values():
            on_aux[block] += per_row != 0
    col_lower, col_upper = p.col_lower[columns].copy(), p.col_upper[columns].copy()
    lower, upper = p.row_lower - fixed, p.row_upper - fixed
    # a held county's linking row bounds its aux column (unless it is broken already: reported, not kept)
    fold = ~touches & (on_aux == 1) & ~held.broken_rows()
    n_free = int(free.sum())
    for name, block in p.blocks.items():
        for column, per_row in p.block_info[name].aux.items():
            at = np.flatnonzero(fold[block] & (per_row != 0))
            if not at.size:
                continue
            coef, row = per_row[at], block.start + at
            low, high = lower[row] / coef, upper[row] / coef
            low, high = np.where(coef > 0, low, high), np.where(coef > 0, high, low)
            j = n_free + column - alloc
            col_lower[j] = max(col_lower[j], low.max())
            col_upper[j] = min(col_upper[j], high.min())
    rows = np.flatnonzero(touches | (~touches & (on_aux > 1)))
    blocks, info = {}, {}
    for name, block in p.blocks.items():
        kept = rows[(rows >= block.start) & (rows < block.stop)]
        first = int(np.searchsorted(rows, block.start))
        blocks[name] = slice(first, first + len(kept))
        b = p.block_info[name]
        at = kept - block.start
        aux = {n_free + (c - alloc): v[at] for c, v in b.aux.items()}
        coef = b.coef[at] if b.units is not None else b.coef[at][:, units]
        info[name] = replace(b, coef=coef, lower=lower[kept], upper=upper[kept], aux=aux,
                             units=None if b.units is None else local[b.units[at]],
                             labels=None if b.labels is None else [b.labels[i] for i in at],
                             regions=None if b.regions is None else [b.regions[i] for i in at])
    pick = columns[:n_free]
    return replace(p, _csr=None, cost=p.cost[columns], col_lower=col_lower, col_upper=col_upper,
                   row_lower=lower[rows], row_upper=upper[rows], blocks=blocks,
                   block_info=info, n_units=len(units), col_unit=np.r_[local[p.col_unit[pick]], p.col_unit[alloc:]],
                   col_measure=p.col_measure[columns], col_step=p.col_step[columns], col_money=p.col_money[columns],
                   col_effect=p.col_effect[columns], weights=p.weights[units],
                   masks={name: mask[units] for name, mask in p.masks.items()}, n_alloc=n_free,
                   aux={name: n_free + (c - alloc) for name, c in p.aux.items()},
                   col_population=None if p.col_population is None else p.col_population[columns],
                   col_fte=None if p.col_fte is None else p.col_fte[columns])


def _aux_for(aux_matrix, activity: np.ndarray, internal: np.ndarray, p: Program, optimum: np.ndarray) -> np.ndarray:
    """Auxiliary columns (a tilt's money per head of the others, a coverage rate) for rows whose other columns
    give ``activity``: each as near its optimum as the modelling rows defining it allow (an equality row fixes
    it), within its bounds."""
    aux = optimum.copy()
    for j in range(aux_matrix.shape[1]):
        col = aux_matrix[:, j]
        rows, coef = col.indices[internal[col.indices]], col.data[internal[col.indices]]
        if not len(rows):
            continue
        low = (p.row_lower[rows] - activity[rows]) / coef
        high = (p.row_upper[rows] - activity[rows]) / coef
        low, high = np.where(coef > 0, low, high), np.where(coef > 0, high, low)
        lowest = max(float(np.max(low)), p.col_lower[p.n_alloc + j])
        highest = min(float(np.min(high)), p.col_upper[p.n_alloc + j])
        aux[j] = min(max(optimum[j], lowest), max(highest, lowest))
    return aux


def _target(result) -> float:
    """What the rounded money should add up to: the budget with ``spend_all``, else the money allocated."""
    sc = result.scenario
    if sc.budget is not None and sc.budget.spend_all and sc.objective.type != "min_cost":
        return sc.money(sc.budget.total)
    return result.total_allocated


class _Rows:
    """The programme's rows evaluated on a rounded allocation.

    A cell is one (measure, unit), numbered measure × n_units + unit; it has a column per step and per
    population it draws from. Rows that count money (the budget, shares, floors, the tilt) see each cell's
    rounded money; rows that count persons (pools, coverage) see the persons funded, which the rounded money must
    pay for (money rounded up beyond them is margin). A money row is built from each unit's money, so its
    coefficient on any of a cell's columns is the cell's weight in the row times the column's money per person.
    """

    def __init__(self, p: Program, step: float):
        alloc = slice(0, p.n_alloc)
        self.p, self.step = p, step
        self.size = len(p.measures) * p.n_units
        self.cell = p.col_measure[alloc] * p.n_units + p.col_unit[alloc]
        self.unit_cost = np.zeros(self.size)                # user money per person (the same on every step)
        self.unit_cost[self.cell] = p.col_money[alloc] * p.money_scale
        money_rows = np.zeros(len(p.row_lower), bool)
        for name, info in p.block_info.items():
            money_rows[p.blocks[name]] = info.quantity == "money"
        # one column per cell stands for it (a cell has a column per step, and per population it draws from)
        _, first = np.unique(self.cell, return_index=True)
        by_cell = sp.csr_matrix((np.ones(len(first)), (first, self.cell[first])), shape=(p.n_alloc, self.size))
        # per internal money unit of each cell, for money rows; per person, for the others
        on_money = sp.diags(money_rows.astype(float)) @ p.matrix[:, alloc]
        self.money_matrix = (on_money @ sp.diags(1.0 / p.col_money[alloc]) @ by_cell).tocsc()
        rebuilt = self.money_matrix[:, self.cell] @ sp.diags(p.col_money[alloc])
        if abs(rebuilt - on_money).max() > 1e-9 * max(1.0, abs(on_money).max()):  # a rule type broke the premise
            raise RuntimeError("a money rule's row is not built from each unit's money (Context.money); "
                               "fundalloc.rounding cannot evaluate it on rounded amounts")
        self.person_matrix = (sp.diags((~money_rows).astype(float)) @ p.matrix[:, alloc]).tocsc()
        self.aux_matrix = p.aux_columns()
        self.internal_step = step / p.money_scale
        # each cell's persons cost at most its money: Σ_steps money per person × persons − money ≤ 0
        self.pays = sp.csr_matrix((p.col_money[alloc], (self.cell, np.arange(p.n_alloc))),
                                  shape=(self.size, p.n_alloc)).tocsc()

    def activity(self, whole: np.ndarray, x: np.ndarray, aux: np.ndarray) -> np.ndarray:
        """Every row's activity for ``whole`` steps of money per cell, persons ``x`` and auxiliary columns."""
        return self.money_matrix @ (whole * self.internal_step) + self.person_matrix @ x + self.aux_matrix @ aux


class _Model:
    """The rounding as a HiGHS model. Columns: one choice per candidate cell (0 down, 1 up), the persons on
    every column of the programme, its auxiliary columns. Rows: the programme's rows on the rounded allocation
    (the budget row replaced by the count of cells rounded up), and per cell, persons that cost no more than
    its rounded money."""

    def __init__(self, rows: _Rows, down, rest, can_go_up, ups: int):
        p = self.p = rows.p
        self.candidates = np.flatnonzero(can_go_up)
        n_z, n_x, n_aux = len(self.candidates), p.n_alloc, p.n_cols - p.n_alloc
        self.n_z, self.n_x, self.n_aux, self.size = n_z, n_x, n_aux, len(down)
        keep = np.ones(len(p.row_lower), bool)
        if "budget" in p.blocks:
            keep[p.blocks["budget"]] = False
        keep = np.flatnonzero(keep)
        offset = (rows.money_matrix @ (down * rows.internal_step))[keep]
        up = rows.money_matrix[:, self.candidates] * rows.internal_step
        link_z = sp.csc_matrix((np.full(n_z, -rows.internal_step), (self.candidates, np.arange(n_z))),
                               shape=(rows.size, n_z))
        count = sp.csr_matrix(np.r_[np.ones(n_z), np.zeros(n_x + n_aux)][None, :])
        self.matrix = sp.vstack([
            sp.hstack([up[keep], rows.person_matrix[keep], rows.aux_matrix[keep]]),
            sp.hstack([link_z, rows.pays, sp.csc_matrix((rows.size, n_aux))]),
            count], format="csc")
        self.row_lower = np.r_[p.row_lower[keep] - offset, np.full(rows.size, -np.inf), ups]
        self.row_upper = np.r_[p.row_upper[keep] - offset, down * rows.internal_step, ups]
        self.col_lower = np.r_[np.zeros(n_z), p.col_lower]
        self.col_upper = np.r_[np.ones(n_z), p.col_upper]
        self.distance = np.r_[rows.step * (1 - 2 * rest[self.candidates]), np.zeros(n_x + n_aux)]
        # the persons' worth: the weighted outcome, as the optimum counts it
        self.outcome = np.r_[np.zeros(n_z), p.outcome_value(), np.zeros(n_aux)]
        policy, scale = np.zeros(len(p.row_lower), bool), np.ones(len(p.row_lower))
        unit = np.full(len(p.row_lower), -1)
        for name in p.rule_blocks():
            policy[p.blocks[name]] = True
            scale[p.blocks[name]] = p.row_scale(name)
            if p.block_info[name].units is not None:
                unit[p.blocks[name]] = p.block_info[name].units
        n_other = rows.size + 1
        self.policy = np.r_[policy[keep], np.zeros(n_other, bool)]
        self.scale = np.r_[scale[keep], np.ones(n_other)]
        self.row_unit = np.r_[unit[keep], np.full(n_other, -1)]      # the unit of a per-unit rule's row
        self.cell_unit = np.arange(len(down)) % p.n_units
        self.rest = rest

    def _slacks(self, caps):
        """Columns that let each policy row give way, up to ``caps`` (one cap per slack, or one for all)."""
        rows = np.flatnonzero(self.policy)
        k = len(rows)
        matrix = sp.csc_matrix((np.r_[np.ones(k), -np.ones(k)], (np.r_[rows, rows], np.arange(2 * k))),
                               shape=(self.matrix.shape[0], 2 * k))
        weights = np.r_[self.scale[rows], self.scale[rows]]
        return matrix, weights, np.broadcast_to(caps, (2 * k,)).astype(float)

    def _run(self, cost, lower, upper, matrix, row_lower, row_upper, *, integer: bool, sense=highspy.ObjSense.kMinimize,
             time_limit=None):
        """Column values and whether optimality is proven, or None when nothing feasible was found."""
        h = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, _inf(lower), _inf(upper)
        lp.row_lower_, lp.row_upper_ = _inf(row_lower), _inf(row_upper)
        lp.sense_ = sense
        matrix = sp.csc_matrix(matrix)
        matrix.sort_indices()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n_z + \
                [highspy.HighsVarType.kContinuous] * (len(cost) - self.n_z)
        h.passModel(lp)
        if time_limit:
            h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return np.asarray(h.getSolution().col_value), True
        if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt) \
                and h.getInfo().primal_solution_status == 2:
            return np.asarray(h.getSolution().col_value), False
        return None

    def persons(self, choice: np.ndarray, caps=None):
        """For a fixed rounding: the persons (most weighted outcome) and auxiliary columns, or None when a rule
        cannot hold; with ``caps``, policy rows may give way by at most that much each."""
        lower, upper = self.col_lower.copy(), self.col_upper.copy()
        lower[:self.n_z] = upper[:self.n_z] = choice[self.candidates]
        cost, matrix = self.outcome, self.matrix
        if caps is not None:
            slack, _, bounds = self._slacks(caps)
            matrix = sp.hstack([matrix, slack], format="csc")
            cost = np.r_[cost, np.zeros(slack.shape[1])]
            lower, upper = np.r_[lower, np.zeros(slack.shape[1])], np.r_[upper, bounds]
        found = self._run(cost, lower, upper, matrix, self.row_lower, self.row_upper, integer=False,
                          sense=highspy.ObjSense.kMaximize)
        if found is None:
            return None
        values = found[0]
        return values[self.n_z:self.n_z + self.n_x], values[self.n_z + self.n_x:self.n_z + self.n_x + self.n_aux]

    def _choice(self, values: np.ndarray) -> np.ndarray:
        choice = np.zeros(self.size, bool)
        choice[self.candidates] = values[:self.n_z] > 0.5
        return choice

    def _bounds(self, choice: np.ndarray | None, free: np.ndarray | None):
        """Column bounds with the choice of every cell not ``free`` fixed to ``choice``."""
        lower, upper = self.col_lower.copy(), self.col_upper.copy()
        if free is not None:
            fixed = ~free[self.candidates]
            lower[:self.n_z][fixed] = upper[:self.n_z][fixed] = choice[self.candidates][fixed]
        return lower, upper

    def troubled(self, choice: np.ndarray) -> np.ndarray:
        """The cells of the units where ``choice`` breaks a rule (found by letting every rule give way)."""
        slack, weights, _ = self._slacks(np.inf)
        lower, upper = self._bounds(choice, np.zeros(self.size, bool))
        found = self._run(np.r_[np.zeros(len(self.distance)), weights], np.r_[lower, np.zeros(len(weights))],
                          np.r_[upper, np.full(len(weights), np.inf)], sp.hstack([self.matrix, slack], format="csc"),
                          self.row_lower, self.row_upper, integer=False)
        if found is None:
            return np.ones(self.size, bool)
        given = found[0][len(self.distance):]
        rows = np.flatnonzero(self.policy)
        broken = rows[(given[:len(rows)] + given[len(rows):]) > ROW_TOLERANCE]
        units = self.row_unit[broken]
        return np.isin(self.cell_unit, units[units >= 0])

    def nearest(self, time_limit: float, choice: np.ndarray | None = None, free: np.ndarray | None = None):
        """(choice per cell, proven) of the nearest rounding that keeps every rule — among those that change
        ``choice`` only in the ``free`` cells, when given — or None."""
        lower, upper = self._bounds(choice, free)
        found = self._run(self.distance, lower, upper, self.matrix, self.row_lower, self.row_upper, integer=True,
                          time_limit=time_limit)
        return None if found is None else (self._choice(found[0]), found[1] and free is None)

    def repaired(self, first: np.ndarray, time_limit: float):
        """(choice, proven, cells searched or None for all) of the nearest rounding that keeps every rule.

        A large model takes long to prove, so the search starts from ``first`` (the nearest rounding) and frees
        only the units where it breaks a rule and the cells nearest the cut-off between rounding up and down
        (which pay for the repair), widening the band until a rounding is found; at most
        :data:`SEARCH_ALL_CELLS` cells, or when the band would cover them all, it searches every cell.
        """
        band = BAND
        troubled = self.troubled(first) if self.n_z > SEARCH_ALL_CELLS else None
        while troubled is not None and band < self.n_z:
            order = self.candidates[np.argsort(-self.rest[self.candidates], kind="stable")]
            cut = int(first[self.candidates].sum())
            free = troubled.copy()
            free[order[max(cut - band, 0):cut + band]] = True
            found = self.nearest(time_limit, first, free)
            if found is not None:
                return found[0], False, int(free[self.candidates].sum())
            band *= 4
        found = self.nearest(time_limit)
        return None if found is None else (found[0], found[1], None)

    def least_broken(self, time_limit: float):
        """(choice, each slack's cap, proven) of the rounding that breaks the rules least (in their own units),
        then nearest; or None."""
        slack, weights, _ = self._slacks(np.inf)
        matrix = sp.hstack([self.matrix, slack], format="csc")
        lower = np.r_[self.col_lower, np.zeros(len(weights))]
        upper = np.r_[self.col_upper, np.full(len(weights), np.inf)]
        paid = np.r_[np.zeros(len(self.distance)), weights]
        first = self._run(paid, lower, upper, matrix, self.row_lower, self.row_upper, integer=True,
                          time_limit=time_limit)
        if first is None:
            return None
        least = float(paid @ first[0])
        matrix = sp.vstack([matrix, sp.csr_matrix(paid[None, :])], format="csc")
        found = self._run(np.r_[self.distance, np.zeros(len(weights))], lower, upper, matrix,
                          np.r_[self.row_lower, -np.inf],
                          np.r_[self.row_upper, least + ROW_TOLERANCE * max(1.0, least)],
                          integer=True, time_limit=time_limit) or first
        caps = found[0][len(self.distance):] * (1 + ROW_TOLERANCE) + ROW_TOLERANCE
        return self._choice(found[0]), caps, found[1] and first[1]


def _misses(p: Program, name: str, activity: np.ndarray):
    """Per bound of a rule's rows: (bound, limit, how far each row misses it, which rows miss it)."""
    block = p.blocks[name]
    act = activity[block]
    for bound, limit, miss in (("min", p.row_lower[block], p.row_lower[block] - act),
                               ("max", p.row_upper[block], act - p.row_upper[block])):
        tolerance = ROW_TOLERANCE * np.maximum(1.0, np.abs(np.where(np.isfinite(limit), limit, 0.0)))
        yield bound, miss, np.flatnonzero(np.isfinite(limit) & (miss > tolerance))


def _missing(p: Program, activity: np.ndarray) -> np.ndarray:
    """Which rows of the rules ``activity`` breaks."""
    out = np.zeros(len(p.row_lower), bool)
    for name in p.rule_blocks():
        for _, _, hit in _misses(p, name, activity):
            out[p.blocks[name].start + hit] = True
    return out


def _broken(result, activity: np.ndarray) -> pd.DataFrame:
    """The rules whose rows ``activity`` breaks, and by how much (in ``money_unit`` or persons)."""
    p = result.program
    units_table, found = result.scenario.units, []
    for name in p.rule_blocks():
        info, scale = p.block_info[name], p.row_scale(name)
        for bound, miss, hit in _misses(p, name, activity):
            if not hit.size:
                continue
            where = info.units[hit] if info.units is not None else []
            units = [f"{name} {code}" for name, code in zip(units_table["name"].iloc[where].tolist(),
                                                             units_table["id"].iloc[where].tolist())]
            found.append({"rule": name, "bound": bound, "rows": int(hit.size), "missed": float(miss[hit].sum() * scale),
                          "largest": float(miss[hit].max() * scale), "quantity": info.quantity, "units": units})
    return pd.DataFrame(found, columns=["rule", "bound", "rows", "missed", "largest", "quantity", "units"])
