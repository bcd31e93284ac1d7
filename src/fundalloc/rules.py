"""Rule types: each is one small function turning a rule and the units into a block of rows.

Adding a rule type means adding its pydantic model to :mod:`fundalloc.scenario` and one function here,
registered with ``@rule_type(name, scope)``. A function receives the rule and a
:class:`~fundalloc.program.Context` and returns the rule's :class:`~fundalloc.program.RowBlock` (a list: a
rule may need an internal helper block), written in the block form: per-unit rows as (rows × slots) arrays
over each unit's own columns, coupling rows as (rows × units × slots).

The scope says what the rule's rows touch, which is what the decomposition solver builds on:
``per_unit`` (each row one unit's columns), ``coupling`` (rows across all units) or ``linking`` (per-unit
rows that also touch an auxiliary column shared by every unit, plus the coupling row defining it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .money import is_money_string
from .program import COUPLING, LINKING, PER_UNIT, Context, RowBlock
from .scenario import ColumnTimes

INF = np.inf


@dataclass(frozen=True)
class RuleType:
    """One registered rule type: the function building its rows and what they touch."""

    build: Callable[..., list[RowBlock]]
    scope: str


RULES: dict[str, RuleType] = {}


def rule_type(name: str, scope: str):
    def register(fn):
        RULES[name] = RuleType(fn, scope)
        return fn
    return register


def _rows(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _sum_over(mask: np.ndarray, per_unit: np.ndarray) -> np.ndarray:
    """One coupling row: the sum of a per-unit expression over the units in ``mask``."""
    return (per_unit * mask[:, None])[None]


def budget_block(ctx: Context) -> RowBlock:
    """Σ money ≤ B (= B with ``spend_all``)."""
    total = ctx.user_money(ctx.sc.money(ctx.sc.budget.total))
    return RowBlock("budget", "budget", _sum_over(np.ones(ctx.n, bool), ctx.money()),
                    np.array([total if ctx.sc.budget.spend_all else -INF]), np.array([total]))


def measure_blocks(ctx: Context, caps: np.ndarray) -> list[RowBlock]:
    """Per measure: its entitlement (beneficiaries ≥ demand, a policy block ``entitlement.<measure>``) and,
    when it draws from several populations, its capacity shared by them (an internal block per step: the
    column bounds hold each source alone). Both per unit."""
    from .measures import demand_per_unit

    blocks = []
    for j, m in enumerate(ctx.measures):
        measure = ctx.sc.measures[m]
        demand = demand_per_unit(ctx.sc, m)
        if demand is not None:
            rows = np.flatnonzero(demand > 0)
            blocks.append(RowBlock(f"entitlement.{m}", "entitlement", ctx.persons([m])[rows], demand[rows],
                                   np.full(len(rows), INF), quantity="persons", units=rows))
        if len(measure.sources()) > 1:
            for s, step in enumerate(measure.steps()):
                rows = np.flatnonzero(np.isfinite(caps[j]))
                step_slots = ctx.per_unit(((ctx.col_measure == j) & (ctx.col_step == s)).astype(float))
                blocks.append(RowBlock(f"capacity.{m}.{s}", "capacity", step_slots[rows], np.full(len(rows), -INF),
                                       caps[j][rows] * step.share, quantity="persons", units=rows, internal=True))
    return blocks


def population_blocks(ctx: Context) -> list[RowBlock]:
    """Per named population that measures draw from: persons funded from it (and from the populations within
    it) ≤ its size, per unit. One person is one person: the rows are accounting identities."""
    blocks = []
    for name in ctx.populations:
        if not ctx.slot_mask(population=name).any():
            continue
        size = ctx.column(ctx.sc.population(name).column)
        rows = np.arange(ctx.n)
        blocks.append(RowBlock(f"population.{name}", "population", ctx.persons(population=name), np.full(ctx.n, -INF),
                               size, quantity="persons", units=rows))
    return blocks


def _population_column(ctx: Context, name: str) -> np.ndarray:
    """A named population's size, or a units-table column of that name."""
    return ctx.column(ctx.sc.population(name).column if name in ctx.sc.populations else name)


@rule_type("pool", PER_UNIT)
def pool(rule, ctx: Context) -> list[RowBlock]:
    """Beneficiaries of the pooled measures (drawn from ``population`` when given) ≤ factor × column, per unit."""
    rows = _rows(ctx.where(rule))
    size = ctx.column(rule.column) if rule.column is not None else _population_column(ctx, rule.population)
    limit = rule.factor * size[rows]
    return [RowBlock(rule.name, "pool", ctx.persons(rule.measures, rule.population)[rows], np.full(len(rows), -INF),
                     limit, quantity="persons", units=rows)]


@rule_type("coverage", PER_UNIT)
def coverage(rule, ctx: Context) -> list[RowBlock]:
    """Persons employed by the measures (from ``population`` when given) ≥ factor × column, per unit."""
    rows = _rows(ctx.where(rule))
    need = rule.factor * ctx.column(rule.column)[rows]
    return [RowBlock(rule.name, "coverage", ctx.outcome(rule.measures, rule.population)[rows], need,
                     np.full(len(rows), INF), quantity="persons", units=rows)]


def _share_rows(rule, part: np.ndarray, whole: np.ndarray, kind: str) -> list[RowBlock]:
    """part − min·whole ≥ 0 and/or part − max·whole ≤ 0 (money rows, right-hand side 0)."""
    rows, lower, upper, labels = [], [], [], []
    if rule.min is not None:
        rows.append(part - rule.min * whole), lower.append(0.0), upper.append(INF), labels.append("min")
    if rule.max is not None:
        rows.append(part - rule.max * whole), lower.append(-INF), upper.append(0.0), labels.append("max")
    return [RowBlock(rule.name, kind, np.concatenate(rows), np.array(lower), np.array(upper), labels=labels)]


def reference_share(sc, rule, masks) -> float:
    """The smallest share of a ``group_share`` rule as a number: its ``min``, or the group's share of the
    reference (the factor formula's amounts for ``baseline``, else a column) plus ``plus``, within ``where``.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "last": [30, 70], "deep": [1, 0]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, groups={"deep": {"column": "deep"}},
    ...                  measures={"m": {"unit_cost": 1}},
    ...                  rules=[{"type": "group_share", "group": "deep", "min": "last", "plus": 0.05}])
    >>> round(reference_share(sc, sc.rules[0], {"deep": [True, False]}), 6)
    0.35
    """
    if not isinstance(rule.min, str):
        return rule.min
    if rule.min == "baseline":
        from .baseline import formula_amounts  # the formula needs no programme
        reference = formula_amounts(sc)
    else:
        reference = sc.units[rule.min].to_numpy(dtype=float)
    where = np.asarray(masks[rule.where], bool) if rule.where else np.ones(len(reference), bool)
    inside = np.asarray(masks[rule.group], bool) & where
    total = reference[where].sum()
    share = reference[inside].sum() / total if total > 0 else 0.0
    return float(min(max(share + rule.plus, 0.0), 1.0))


def resolved(sc, rule, masks=None):
    """``rule`` with a reference ``min`` (``baseline``, a column) replaced by the share it stands for."""
    if getattr(rule, "type", None) == "group_share" and isinstance(rule.min, str):
        from .groups import group_masks
        share = reference_share(sc, rule, masks if masks is not None else group_masks(sc))
        return rule.model_copy(update={"min": share, "plus": 0.0})
    return rule


@rule_type("group_share", COUPLING)
def group_share(rule, ctx: Context) -> list[RowBlock]:
    """Money to the group ≥ min (≤ max) share of all money (within ``where``); ``min`` may be a reference's
    share (the factor formula's, or a column's such as last year's money) plus some points."""
    rule = resolved(ctx.sc, rule, ctx.masks)
    where = ctx.where(rule)
    money = ctx.money()
    return _share_rows(rule, _sum_over(where & ctx.masks[rule.group], money), _sum_over(where, money),
                       "group_share")


@rule_type("earmark", COUPLING)
def earmark(rule, ctx: Context) -> list[RowBlock]:
    """Money on the measures ≥ min (≤ max) share of all money (within ``where``)."""
    where = ctx.where(rule)
    return _share_rows(rule, _sum_over(where, ctx.money(rule.measures)), _sum_over(where, ctx.money()),
                       "earmark")


@rule_type("per_capita_tilt", LINKING)
def per_capita_tilt(rule, ctx: Context) -> list[RowBlock]:
    """Money per head in each favoured unit ≥ ratio × the others' money per head.

    The others' money per head is an auxiliary column ``q`` (so each favoured unit's row stays short):
    Σ_others A − P_others·q = 0, then A[u] − ratio·pop[u]·q ≥ 0. The column is scaled by the power of two
    nearest P_others (it holds q·2^k), so its coefficient in the defining row is about 1 instead of billions
    of persons: exact in binary, and a better conditioned programme for HiGHS.
    """
    where = ctx.where(rule)
    favoured, others = where & ctx.masks[rule.group], where & ~ctx.masks[rule.group]
    pop = _population_column(ctx, rule.population)
    heads = pop[others].sum()
    scale = 2.0 ** np.round(np.log2(heads)) if heads > 0 else 1.0
    q = ctx.add_column(f"{rule.name}.others_per_head")
    money = ctx.money()
    rows = _rows(favoured)
    return [RowBlock(f"{rule.name}.others_per_head", "per_capita_tilt", _sum_over(others, money), np.zeros(1),
                     np.zeros(1), internal=True, aux={q: np.array([-heads / scale])}),
            RowBlock(rule.name, "per_capita_tilt", money[rows], np.zeros(len(rows)), np.full(len(rows), INF),
                     units=rows, aux={q: -rule.ratio * pop[rows] / scale})]


@rule_type("hold_harmless", PER_UNIT)
def hold_harmless(rule, ctx: Context) -> list[RowBlock]:
    """Each unit's money between min_ratio and max_ratio times its column (last year's money)."""
    rows = _rows(ctx.where(rule))
    column = ctx.column(rule.column)
    last = ctx.user_money(column[rows])
    upper = last * rule.max_ratio if rule.max_ratio is not None else np.full(len(rows), INF)
    floor = last * rule.min_ratio
    if rule.if_budget_falls == "scale" and ctx.sc.budget is not None and column.sum() > 0:
        floor = floor * min(1.0, ctx.sc.money(ctx.sc.budget.total) / column.sum())
    return [RowBlock(rule.name, "hold_harmless", ctx.money()[rows], floor, upper, units=rows)]


def _bound(value, ctx: Context, default: float) -> np.ndarray:
    if value is None:
        return np.full(ctx.n, default)
    if isinstance(value, ColumnTimes):
        return ctx.user_money(ctx.column(value.column) * value.factor)
    if isinstance(value, str) and not is_money_string(value):
        return ctx.user_money(ctx.column(value))
    return np.full(ctx.n, ctx.user_money(ctx.sc.money(value)))


@rule_type("unit_bounds", PER_UNIT)
def unit_bounds(rule, ctx: Context) -> list[RowBlock]:
    """Each unit's money between a floor and a ceiling."""
    rows = _rows(ctx.where(rule))
    return [RowBlock(rule.name, "unit_bounds", ctx.money()[rows], _bound(rule.min, ctx, -INF)[rows],
                     _bound(rule.max, ctx, INF)[rows], units=rows)]


@rule_type("min_coverage_rate", PER_UNIT)
def min_coverage_rate(rule, ctx: Context) -> list[RowBlock]:
    """Beneficiaries ≥ rate × need, per unit."""
    rows = _rows(ctx.where(rule))
    need = rule.rate * ctx.column(rule.column)[rows]
    return [RowBlock(rule.name, "min_coverage_rate", ctx.persons(rule.measures, rule.population)[rows], need,
                     np.full(len(rows), INF), quantity="persons", units=rows)]


def objective_blocks(ctx: Context, weights: np.ndarray, fte: np.ndarray) -> tuple[list[RowBlock], np.ndarray, str]:
    """The objective's vector and sense, and the rows it needs (targets: coupling; the coverage floor:
    linking)."""
    obj = ctx.sc.objective
    if obj.type == "max_outcome":
        return [], weights[ctx.col_unit] * ctx.col_effect * fte, "max"
    if obj.type == "min_cost":
        blocks = []
        targets = obj.targets
        if targets.total is not None:
            blocks.append(RowBlock("target.total", "target", _sum_over(np.ones(ctx.n, bool), ctx.outcome()),
                                   np.array([targets.total]), np.array([INF]), quantity="persons"))
        for g, value in targets.groups.items():
            blocks.append(RowBlock(f"target.{g}", "target", _sum_over(ctx.masks[g], ctx.outcome()),
                                   np.array([float(value)]), np.array([INF]), quantity="persons"))
        return blocks, ctx.col_money.copy(), "min"
    # max_min_coverage: t ≤ outcome[u] / need[u] for every unit with a need; first maximise t
    need = ctx.column(obj.need)
    rows = np.flatnonzero(need > 0)
    t = ctx.add_column("coverage_rate")
    block = RowBlock("coverage_rate", "max_min_coverage", ctx.outcome(obj.measures)[rows], np.zeros(len(rows)),
                     np.full(len(rows), INF), quantity="persons", units=rows, internal=True, aux={t: -need[rows]})
    cost = np.zeros(ctx.n_cols)
    cost[t] = 1.0
    return [block], cost, "max"
