"""Rule types: each is one small function turning a rule and the units into a block of rows.

Adding a rule type means adding its pydantic model to :mod:`fundalloc.scenario` and one function here,
registered with ``@rule_type(name, scope)``. A function receives the rule and a
:class:`~fundalloc.program.Context` and returns the rule's :class:`~fundalloc.program.RowBlock` (a list: a
rule may need an internal helper block), written in the block form: per-unit rows as (rows × slots) arrays
over each unit's own columns, coupling rows as (rows × units × slots).

The scope says what the rule's rows touch, which is what the decomposition solver builds on:
``per_unit`` (each row one unit's columns), ``coupling`` (rows across all units) or ``linking`` (per-unit
rows that also touch an auxiliary column shared by every unit, plus the coupling row defining it). A rule
stated per region (``region_share``, ``per_region: true``) is coupling: one row per region, over its units.
The rows fundalloc adds by itself are stated in the same form: the budget (coupling), and per unit the
entitlements, the capacity a measure's populations share and the populations' sizes (``measure_blocks``,
``population_blocks``).
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


def by_region(rule) -> bool:
    """Whether a rule is stated region by region (``region_share``, or ``per_region: true``)."""
    return rule.type == "region_share" or bool(getattr(rule, "per_region", False))


@dataclass(frozen=True)
class SharePiece:
    """One row of a share rule: the money of the units in ``part`` (on the rule's measures, for an earmark) is
    at least (``side`` ``min``) or at most (``max``) ``level`` × the money of the units in ``whole``; ``region``
    is the region the row is stated in (None: the rule's whole scope)."""

    side: str
    level: float
    part: np.ndarray
    whole: np.ndarray
    region: str | None = None


def share_pieces(sc, rule, masks) -> list[SharePiece]:
    """The rows of a share rule (``group_share``, ``region_share``, ``earmark``), in order: scope by scope (the
    rule's ``where``; each region within it with ``per_region``; for ``region_share``, each region's part of
    it), ``min`` then ``max``. A ``min`` naming references is the largest of its terms' shares in the scope.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": list("abc"), "name": ["A", "B", "C"], "city": ["x", "x", "y"],
    ...                       "last": [10, 30, 60]})
    >>> sc = fa.Scenario(units=units, region="city", budget={"total": 10}, measures={"m": {"unit_cost": 1}},
    ...                  rules=[{"type": "region_share", "min": "last"}])
    >>> [(p.region, p.side, p.level, p.part.tolist()) for p in share_pieces(sc, sc.rules[0], {})]
    [('x', 'min', 0.4, [True, True, False]), ('y', 'min', 0.6, [False, False, True])]
    """
    n = len(sc.units)
    where = np.asarray(masks[rule.where], bool) if rule.where else np.ones(n, bool)
    regions = sc.regions
    names = list(dict.fromkeys(regions)) if regions is not None else []
    if rule.type == "region_share":
        scopes = [(r, where & (regions == r), where) for r in names]
    else:
        inside = np.asarray(masks[rule.group], bool) if rule.type == "group_share" else np.ones(n, bool)
        wholes = [(r, where & (regions == r)) for r in names] if rule.per_region else [(None, where)]
        scopes = [(r, whole & inside, whole) for r, whole in wholes]
    references: dict[str, np.ndarray] = {}
    pieces = []
    for region, part, whole in scopes:
        if rule.min is not None:
            pieces.append(SharePiece("min", _largest_share(sc, rule, part, whole, references), part, whole, region))
        if rule.max is not None:
            pieces.append(SharePiece("max", float(rule.max), part, whole, region))
    return pieces


def _largest_share(sc, rule, part: np.ndarray, whole: np.ndarray, references: dict) -> float:
    """The largest of ``rule.min``'s terms: a number, or the share of ``part`` in ``whole`` of a reference (the
    factor formula's amounts for ``baseline``, else a column) plus ``plus``, kept between 0 and 1."""
    shares = []
    for term in getattr(rule, "min_terms", [rule.min]):
        if not isinstance(term, str):
            shares.append(float(term))
            continue
        if term not in references:
            if term == "baseline":
                from .baseline import formula_amounts  # the formula needs no programme
                references[term] = formula_amounts(sc)
            else:
                references[term] = sc.units[term].to_numpy(dtype=float)
        reference = references[term]
        total = reference[whole].sum()
        share = reference[part].sum() / total if total > 0 else 0.0
        shares.append(min(max(share + rule.plus, 0.0), 1.0))
    return float(max(shares))


def _share_block(rule, ctx: Context, part_money: np.ndarray) -> list[RowBlock]:
    """A share rule's rows: part − level·whole ≥ 0 (``min``), ≤ 0 (``max``), one per piece (money rows,
    right-hand side 0)."""
    money = ctx.money()
    pieces = share_pieces(ctx.sc, rule, ctx.masks)
    coef = np.concatenate([_sum_over(p.part, part_money) - p.level * _sum_over(p.whole, money) for p in pieces])
    lower = np.array([0.0 if p.side == "min" else -INF for p in pieces])
    upper = np.array([INF if p.side == "min" else 0.0 for p in pieces])
    regional = any(p.region is not None for p in pieces)
    return [RowBlock(rule.name, rule.type, coef, lower, upper, labels=[p.side for p in pieces],
                     regions=[p.region for p in pieces] if regional else None)]


@rule_type("group_share", COUPLING)
def group_share(rule, ctx: Context) -> list[RowBlock]:
    """Money to the group ≥ min (≤ max) share of all money (within ``where``, or within each region); ``min``
    may be a reference's share (the factor formula's, or a column's such as last year's money) plus some points,
    or the largest of several."""
    return _share_block(rule, ctx, ctx.money())


@rule_type("region_share", COUPLING)
def region_share(rule, ctx: Context) -> list[RowBlock]:
    """Each region's money ≥ min (≤ max) share of all money (within ``where``), one row per region."""
    return _share_block(rule, ctx, ctx.money())


@rule_type("earmark", COUPLING)
def earmark(rule, ctx: Context) -> list[RowBlock]:
    """Money on the measures ≥ min (≤ max) share of all money (within ``where``, or within each region)."""
    return _share_block(rule, ctx, ctx.money(rule.measures))


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
