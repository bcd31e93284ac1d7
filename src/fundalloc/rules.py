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


@rule_type("pool", PER_UNIT)
def pool(rule, ctx: Context) -> list[RowBlock]:
    """Beneficiaries of the pooled measures ≤ factor × column, per unit."""
    rows = _rows(ctx.where(rule))
    limit = rule.factor * ctx.column(rule.column)[rows]
    return [RowBlock(rule.name, "pool", ctx.persons(rule.measures)[rows], np.full(len(rows), -INF), limit,
                     quantity="persons", units=rows)]


@rule_type("coverage", PER_UNIT)
def coverage(rule, ctx: Context) -> list[RowBlock]:
    """Persons employed by the measures ≥ factor × column, per unit."""
    rows = _rows(ctx.where(rule))
    need = rule.factor * ctx.column(rule.column)[rows]
    return [RowBlock(rule.name, "coverage", ctx.outcome(rule.measures)[rows], need, np.full(len(rows), INF),
                     quantity="persons", units=rows)]


def _share_rows(rule, part: np.ndarray, whole: np.ndarray, kind: str) -> list[RowBlock]:
    """part − min·whole ≥ 0 and/or part − max·whole ≤ 0 (money rows, right-hand side 0)."""
    rows, lower, upper, labels = [], [], [], []
    if rule.min is not None:
        rows.append(part - rule.min * whole), lower.append(0.0), upper.append(INF), labels.append("min")
    if rule.max is not None:
        rows.append(part - rule.max * whole), lower.append(-INF), upper.append(0.0), labels.append("max")
    return [RowBlock(rule.name, kind, np.concatenate(rows), np.array(lower), np.array(upper), labels=labels)]


@rule_type("group_share", COUPLING)
def group_share(rule, ctx: Context) -> list[RowBlock]:
    """Money to the group ≥ min (≤ max) share of all money (within ``where``)."""
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
    pop = ctx.column(rule.population)
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
    last = ctx.user_money(ctx.column(rule.column)[rows])
    upper = last * rule.max_ratio if rule.max_ratio is not None else np.full(len(rows), INF)
    return [RowBlock(rule.name, "hold_harmless", ctx.money()[rows], last * rule.min_ratio, upper, units=rows)]


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
    return [RowBlock(rule.name, "min_coverage_rate", ctx.persons(rule.measures)[rows], need,
                     np.full(len(rows), INF), quantity="persons", units=rows)]


def objective_blocks(ctx: Context, weights: np.ndarray) -> tuple[list[RowBlock], np.ndarray, str]:
    """The objective's vector and sense, and the rows it needs (targets: coupling; the coverage floor:
    linking)."""
    obj = ctx.sc.objective
    if obj.type == "max_outcome":
        return [], weights[ctx.col_unit] * ctx.col_effect, "max"
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
