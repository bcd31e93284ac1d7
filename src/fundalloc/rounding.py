"""Rounding an allocation for people: whole 万元 (or the scenario's ``rounding``) that still add up exactly to the
budget and still keep every rule.

Each (unit, measure) amount goes down or up to a multiple of the step; a unit's total is the sum of its rounded
measures, so the two always agree. The rounding nearest the optimum (least Σ |rounded − unrounded|) that adds
up to a given total is the largest-remainder one: round every amount down, then round up the amounts with the
largest remainders until the total is reached. When that rounding keeps every rule — checked on the
programme's own rows, with the persons each rounded amount funds (its money over the unit cost, the first
steps of a diminishing response filled first) — it is the answer: no rounding that keeps the rules can be
nearer. Otherwise a small integer programme (HiGHS) chooses down or up for each amount, nearest first,
subject to the total and every rule's rows. If no rounding keeps them all, it takes the one that breaks them
least and :attr:`Rounded.broken` says which rule misses, where and by how much.

An amount the optimum leaves at 0 stays 0. Rounding up an amount whose measure is at its capacity funds
nobody more: those persons are counted at most to the capacity, and the money above what they cost is margin.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

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

LARGEST_REMAINDER, INTEGER_PROGRAMME, LEAST_BROKEN = "largest_remainder", "integer_programme", "least_broken"


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
    (:data:`LARGEST_REMAINDER`, :data:`INTEGER_PROGRAMME`, or :data:`LEAST_BROKEN` when no rounding keeps every
    rule); ``broken`` lists the rules the rounded allocation breaks (``rule, bound, rows, missed, largest,
    quantity, units``; ``missed`` in ``money_unit`` or persons); ``proven`` is False when the integer
    programme stopped at its time limit; ``margin`` (measures × units) is money rounded up above what the
    measure's capacity can use.
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
    import time

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

    rows = _Rows(p, step)
    model = _Model(rows, down, rest, can_go_up, ups)
    first = largest_remainder(rest, ups, can_go_up)
    method, proven, choice = LARGEST_REMAINDER, True, first
    aux = model.solve(fixed=first[model.candidates])
    if aux is None:
        limit = sc.solver.time_limit or TIME_LIMIT
        found = model.solve_mip(limit)
        method = INTEGER_PROGRAMME if found is not None else LEAST_BROKEN
        found = found if found is not None else model.solve_mip(limit, elastic=True)
        # nothing found in time: the nearest rounding, with what it breaks
        choice, aux, proven = found if found is not None else (first, np.zeros(p.n_cols - p.n_alloc), False)
    whole = down + choice
    x = rows.fill(whole)
    persons = np.bincount(rows.cell, weights=x, minlength=k * n).reshape(k, n)
    outcome = np.bincount(rows.cell, weights=x * p.col_effect[:p.n_alloc], minlength=k * n).reshape(k, n)
    rounded = np.round(whole * step, decimals(step)).reshape(k, n)
    return Rounded(step=step, money=rounded, persons=persons, outcome=outcome,
                   total=round(float(whole.sum()) * step, decimals(step)), target=target, method=method,
                   broken=_broken(result, rows.activity(whole, aux)),
                   margin=np.clip(rounded - persons * rows.unit_cost.reshape(k, n), 0.0, None), proven=proven,
                   seconds=time.perf_counter() - start)


def _target(result) -> float:
    """What the rounded money should add up to: the budget with ``spend_all``, else the money allocated."""
    sc = result.scenario
    if sc.budget is not None and sc.budget.spend_all and sc.objective.type != "min_cost":
        return sc.money(sc.budget.total)
    return result.total_allocated


class _Rows:
    """The programme's rows evaluated on a rounded allocation.

    A cell is one (measure, unit), numbered measure × n_units + unit. Rows that count money (the budget, shares,
    floors, the tilt) see each cell's rounded money; rows that count persons (pools, coverage) see the persons
    it funds: its money over the unit cost, the first steps filled first, never more than the capacity (money
    rounded up above what the capacity can use funds nobody). A money row is built from each unit's money, so
    its coefficient on a cell's columns is the cell's weight in the row times the column's money per person.
    """

    def __init__(self, p: Program, step: float):
        alloc = slice(0, p.n_alloc)
        self.p, self.step = p, step
        size = len(p.measures) * p.n_units
        self.cell = p.col_measure[alloc] * p.n_units + p.col_unit[alloc]
        upper = p.col_upper[alloc]
        finite = np.where(np.isfinite(upper), upper, 0.0)   # an unlimited column is its cell's only step
        order = np.lexsort((p.col_step[alloc], self.cell))
        running = np.cumsum(finite[order])
        starts = np.r_[0, np.flatnonzero(np.diff(self.cell[order])) + 1]
        first = np.repeat(running[starts] - finite[order][starts], np.diff(np.r_[starts, len(order)]))
        self.before = np.empty(p.n_alloc)                   # persons on the cell's earlier steps
        self.before[order] = running - finite[order] - first
        self.unit_cost = np.zeros(size)                     # user money per person (the same on every step)
        self.unit_cost[self.cell] = p.col_money[alloc] * p.money_scale
        money_rows = np.zeros(len(p.row_lower), bool)
        for name, info in p.block_info.items():
            money_rows[p.blocks[name]] = info.quantity == "money"
        step0 = np.flatnonzero(p.col_step[alloc] == 0)
        by_cell = sp.csr_matrix((np.ones(len(step0)), (step0, self.cell[step0])), shape=(p.n_alloc, size))
        on_money = sp.diags(money_rows.astype(float))
        # per internal money unit of each cell, for money rows; per person, for the others
        self.money_matrix = on_money @ p.matrix[:, alloc] @ sp.diags(1.0 / p.col_money[alloc]) @ by_cell
        self.person_matrix = sp.diags((~money_rows).astype(float)) @ p.matrix[:, alloc]
        self.aux_matrix = p.matrix[:, p.n_alloc:]
        self.internal_step = step / p.money_scale

    def fill(self, whole: np.ndarray) -> np.ndarray:
        """Persons per column for ``whole`` steps of money per cell."""
        persons = np.divide(whole * self.step, self.unit_cost, out=np.zeros(len(whole)), where=self.unit_cost > 0)
        return np.clip(persons[self.cell] - self.before, 0.0, self.p.col_upper[:self.p.n_alloc])

    def activity(self, whole: np.ndarray, aux: np.ndarray) -> np.ndarray:
        """Every row's activity for ``whole`` steps of money per cell and the auxiliary columns ``aux``."""
        return (self.money_matrix @ (whole * self.internal_step) + self.person_matrix @ self.fill(whole)
                + self.aux_matrix @ aux)


class _Model:
    """The choice down (0) or up (1) per candidate cell as a HiGHS model: the programme's rows evaluated on the
    rounded allocation (the budget row replaced by the count of cells rounded up), auxiliary columns free."""

    def __init__(self, rows: _Rows, down, rest, can_go_up, ups: int):
        p = rows.p
        self.p = p
        self.candidates = np.flatnonzero(can_go_up)
        n_z, n_aux = len(self.candidates), p.n_cols - p.n_alloc
        x_down, x_up = rows.fill(down), rows.fill(down + can_go_up)
        delta = x_up - x_down
        position = np.full(len(down), -1)
        position[self.candidates] = np.arange(n_z)
        cols = np.flatnonzero((position[rows.cell] >= 0) & (delta != 0))
        persons_up = sp.csc_matrix((delta[cols], (cols, position[rows.cell[cols]])), shape=(p.n_alloc, n_z))
        per_z = rows.money_matrix[:, self.candidates] * rows.internal_step + rows.person_matrix @ persons_up
        keep = np.ones(len(p.row_lower), bool)
        if "budget" in p.blocks:
            keep[p.blocks["budget"]] = False
        keep = np.flatnonzero(keep)
        offset = rows.activity(down, np.zeros(n_aux))[keep]
        count = sp.csr_matrix(np.r_[np.ones(n_z), np.zeros(n_aux)][None, :])
        self.matrix = sp.vstack([sp.hstack([per_z[keep], rows.aux_matrix[keep]]), count], format="csc")
        self.row_lower = np.r_[p.row_lower[keep] - offset, ups]
        self.row_upper = np.r_[p.row_upper[keep] - offset, ups]
        self.cost = np.r_[rows.step * (1 - 2 * rest[self.candidates]), np.zeros(n_aux)]
        self.col_lower = np.r_[np.zeros(n_z), p.col_lower[p.n_alloc:]]
        self.col_upper = np.r_[np.ones(n_z), p.col_upper[p.n_alloc:]]
        self.n_z, self.size = n_z, len(down)
        policy, scale = np.zeros(len(p.row_lower), bool), np.ones(len(p.row_lower))
        for name in p.rule_blocks():
            policy[p.blocks[name]] = True
            scale[p.blocks[name]] = p.row_scale(name)
        self.policy, self.scale = np.r_[policy[keep], False], np.r_[scale[keep], 1.0]

    def _highs(self, cost, col_lower, col_upper, matrix, row_lower, row_upper, integer: int, time_limit=None):
        h = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, _inf(col_lower), _inf(col_upper)
        lp.row_lower_, lp.row_upper_ = _inf(row_lower), _inf(row_upper)
        matrix = sp.csc_matrix(matrix)
        matrix.sort_indices()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * integer + \
                [highspy.HighsVarType.kContinuous] * (len(cost) - integer)
        h.passModel(lp)
        if time_limit:
            h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.run()
        status = h.getModelStatus()
        has_solution = h.getInfo().primal_solution_status == 2
        if status == highspy.HighsModelStatus.kOptimal:
            return np.asarray(h.getSolution().col_value), True
        if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt) and has_solution:
            return np.asarray(h.getSolution().col_value), False
        return None, False

    def solve(self, fixed: np.ndarray) -> np.ndarray | None:
        """The auxiliary columns (averages, rates) for a fixed choice, or None when a row cannot hold."""
        lower, upper = self.col_lower.copy(), self.col_upper.copy()
        lower[:self.n_z] = upper[:self.n_z] = fixed
        values, _ = self._highs(np.zeros(len(lower)), lower, upper, self.matrix, self.row_lower, self.row_upper, 0)
        return None if values is None else values[self.n_z:]

    def solve_mip(self, time_limit: float, elastic: bool = False):
        """(choice per cell, auxiliary columns, proven) of the nearest rounding that keeps every rule, or with
        ``elastic`` the one that breaks them least (then nearest); None when none is found."""
        cost, lower, upper, matrix = self.cost, self.col_lower, self.col_upper, self.matrix
        row_lower, row_upper = self.row_lower, self.row_upper
        if elastic:  # a slack below and above each policy row, paid for in the rule's own units
            rows = np.flatnonzero(self.policy)
            n_rows = matrix.shape[0]
            slack = sp.csc_matrix((np.r_[np.ones(len(rows)), -np.ones(len(rows))],
                                   (np.r_[rows, rows], np.arange(2 * len(rows)))), shape=(n_rows, 2 * len(rows)))
            matrix = sp.hstack([matrix, slack], format="csc")
            weights = np.r_[self.scale[rows], self.scale[rows]]
            lower, upper = np.r_[lower, np.zeros(2 * len(rows))], np.r_[upper, np.full(2 * len(rows), np.inf)]
            first, _ = self._highs(np.r_[np.zeros(len(cost)), weights], lower, upper, matrix, row_lower, row_upper,
                                   self.n_z, time_limit)
            if first is None:
                return None
            least = float(weights @ first[len(cost):])
            # then the nearest rounding that breaks the rules no more than that
            matrix = sp.vstack([matrix, sp.csr_matrix(np.r_[np.zeros(len(cost)), weights][None, :])], format="csc")
            row_lower = np.r_[row_lower, -np.inf]
            row_upper = np.r_[row_upper, least + ROW_TOLERANCE * max(1.0, least)]
            cost = np.r_[cost, np.zeros(2 * len(rows))]
        values, proven = self._highs(cost, lower, upper, matrix, row_lower, row_upper, self.n_z, time_limit)
        if values is None:
            return None
        choice = np.zeros(self.size, bool)
        choice[self.candidates] = values[:self.n_z] > 0.5
        return choice, values[self.n_z:self.n_z + self.p.n_cols - self.p.n_alloc], proven


def _broken(result, activity: np.ndarray) -> pd.DataFrame:
    """The rules whose rows ``activity`` breaks, and by how much (in ``money_unit`` or persons)."""
    p = result.program
    ids, names = result.scenario.units["id"].to_numpy(), result.scenario.units["name"].to_numpy()
    found = []
    for name in p.rule_blocks():
        block, info = p.blocks[name], p.block_info[name]
        act = activity[block]
        for bound, limit, miss in (("min", p.row_lower[block], p.row_lower[block] - act),
                                   ("max", p.row_upper[block], act - p.row_upper[block])):
            tolerance = ROW_TOLERANCE * np.maximum(1.0, np.abs(np.where(np.isfinite(limit), limit, 0.0)))
            hit = np.flatnonzero(np.isfinite(limit) & (miss > tolerance))
            if not hit.size:
                continue
            scale = p.row_scale(name)
            units = [f"{names[u]} {ids[u]}" for u in info.units[hit]] if info.units is not None else []
            found.append({"rule": name, "bound": bound, "rows": int(hit.size), "missed": float(miss[hit].sum() * scale),
                          "largest": float(miss[hit].max() * scale), "quantity": info.quantity, "units": units})
    return pd.DataFrame(found, columns=["rule", "bound", "rows", "missed", "largest", "quantity", "units"])
