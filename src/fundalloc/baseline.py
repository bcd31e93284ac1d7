"""The factor formula (因素法) every optimised allocation is compared with, and runs side by side.

:func:`factor_allocation` divides the budget by weighted shares of units-table columns, lifts units to a
hold-harmless floor with ratable reduction of the others, and evaluates what that money buys: each unit's
amount is fixed and its measures are chosen optimally under the unit-level rules, so the formula and the
optimiser are compared at the same budget. Rules the formula breaks are listed, not hidden.
:func:`compare` lays any results (formula, optimised, variants) side by side per unit and per group.
"""
from __future__ import annotations

import types
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from . import charts, labels
from .backends.base import OPTIMAL
from .catalog import msg, t
from .errors import ArgumentError, ScenarioError, SolverError
from .groups import group_masks
from .measures import demand_per_unit
from .markup import Markup, fixed, join, markup
from .rules import share_pieces
from .money import YUAN_PER_UNIT, is_money_string
from .program import build
from .result import Result
from .scenario import ALL, Baseline, BaselineHoldHarmless, ColumnTimes, Factor, Scenario, scenario_argument
from .solve import elastic, make_backend, solve
from .tables import write_csv
from .validation import numeric_column, pydantic_problems

#: the hidden units-table column holding each unit's formula amount in the evaluation
AMOUNT_COLUMN = "_factor_amount"
#: the rule that caps each unit's spending at its formula amount in the evaluation
FORMULA_RULE = "factor_formula"
#: rule types enforced when the formula's money is spent inside each unit (the rest are only checked)
UNIT_LEVEL_RULES = ("pool", "coverage", "min_coverage_rate")
#: a rule counts as broken when it misses by more than this, relative to its limit (at least 1 absolute)
TOLERANCE = 1e-6


# ------------------------------------------------------------------------------------------- the formula


def _formula(sc: Scenario, factors, hold_harmless) -> Baseline:
    """The factors and floor to use: the arguments, else the scenario's ``baseline:`` section."""
    if factors is None:
        if sc.baseline is None:
            raise ScenarioError([(("baseline", "factors"), msg("check.baseline.no_factors"))], source=sc.source,
                                language=sc.language)
        if hold_harmless is None or hold_harmless is False:
            return sc.baseline.model_copy(update={"hold_harmless": None}) if hold_harmless is False else sc.baseline
        spec = {"classes": sc.baseline.classes} if sc.baseline.classes else {"factors": sc.baseline.factors}
        spec.update(base=sc.baseline.base, tilt=sc.baseline.tilt)
    else:
        spec = {"factors": factors}
    if hold_harmless is None and sc.baseline is not None:
        hold_harmless = sc.baseline.hold_harmless
    try:
        formula = Baseline(**spec, hold_harmless=hold_harmless or None)
    except ValidationError as err:
        raise ScenarioError([(("baseline",) + loc, message) for loc, message in pydantic_problems(err)],
                            source=sc.source, language=sc.language) from None
    problems = []
    if not formula.factors and not formula.classes:
        problems.append((("baseline", "factors"), msg("check.baseline.one_factor")))
    for column, spec in formula.factors.items():
        weight = spec.weight if isinstance(spec, Factor) else spec
        if not weight > 0:
            problems.append((("baseline", "factors", column), msg("check.baseline.weight", value=repr(weight))))
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    return formula


def factor_shares(sc: Scenario, factors: dict[str, float | Factor | dict]) -> np.ndarray:
    """Each unit's share of the budget by the factor formula, in ``sc.units`` order (adds up to 1).

    ``share[u] = Σ_f ω_f · x[u,f] / Σ_v x[v,f]`` with the weights ``ω`` normalised to sum 1. A factor with
    ``direction: less`` ("less is more", e.g. fiscal capacity) uses ``1 / x``; its values must then be above 0
    (a zero has no inverse: the error names the unit), and any other factor's values at least 0.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "poor": [30, 10], "fiscal": [1, 3]})
    >>> sc = fa.Scenario(units=units, budget={"total": 100}, measures={"m": {"unit_cost": 1}})
    >>> factor_shares(sc, {"poor": 1, "fiscal": {"weight": 1, "direction": "less"}}).round(4).tolist()
    [0.75, 0.25]
    """
    formula = _formula(sc, factors, False)
    columns, weights = _factor_columns(sc, formula)
    return np.column_stack(columns) @ (weights / weights.sum())


def _factor_columns(sc: Scenario, formula: Baseline) -> tuple[list[np.ndarray], np.ndarray]:
    """Each factor's column as shares of its total (inverted for ``direction: less``), and its weight."""
    problems: list = []
    columns, weights = [], []
    for column, spec in formula.flat_factors().items():
        less = spec.direction == "less"
        found: list = []
        values = numeric_column(sc.units, column, ("baseline", "factors", column), found, positive=less)
        problems += [(loc, msg("check.baseline.less", message=message) if less else message)
                     for loc, message in found]
        if values is None:
            continue
        values = 1.0 / values if less else values
        if not values.sum() > 0:
            problems.append((("baseline", "factors", column), msg("check.baseline.zero_column", column=column)))
            continue
        columns.append(values / values.sum())
        weights.append(spec.weight)
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    return columns, np.asarray(weights, dtype=float)


def formula_shares(sc: Scenario, formula: Baseline) -> np.ndarray:
    """Each unit's share of the budget by ``formula``: the weighted factor shares, or, with ``base``
    (基数 × 系数), the base times the factor index ``k[u] = Σ_f ω_f · x[u,f] / mean_v x[v,f]`` (1 for a unit
    at the average of every factor), as shares.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "poor": [30, 10], "last": [50, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 100}, measures={"m": {"unit_cost": 1}})
    >>> formula_shares(sc, Baseline(factors={"poor": 1}, base="last")).round(4).tolist()  # k = 1.5, 0.5
    [0.75, 0.25]
    """
    columns, weights = _factor_columns(sc, formula)
    shares = np.column_stack(columns) @ (weights / weights.sum())
    if formula.base is None:
        return _tilted(sc, formula, shares)
    problems: list = []
    base = numeric_column(sc.units, formula.base, ("baseline", "base"), problems)
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    weighted = base * shares * len(shares)  # shares × n is the factor index
    if not weighted.sum() > 0:
        raise ScenarioError([(("baseline", "base"), msg("check.baseline.zero_base", column=formula.base))],
                            source=sc.source, language=sc.language)
    return _tilted(sc, formula, weighted / weighted.sum())


def _tilted(sc: Scenario, formula: Baseline, shares: np.ndarray) -> np.ndarray:
    """``shares`` times each unit's 倾斜系数 (the largest of its groups' in ``formula.tilt``, 1 in none), scaled
    back to add up to 1.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "poor": [20, 40, 40],
    ...                       "deep": [1, 0, 0]})
    >>> sc = fa.Scenario(units=units, budget={"total": 100}, groups={"deep": {"column": "deep"}},
    ...                  measures={"m": {"unit_cost": 1}})
    >>> _tilted(sc, Baseline(factors={"poor": 1}, tilt={"deep": 2}), np.array([0.2, 0.4, 0.4])).round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    if not formula.tilt:
        return shares
    masks = group_masks(sc)
    coefficient = np.ones(len(shares))
    chosen = np.zeros(len(shares), bool)
    for group, c in formula.tilt.items():
        inside = np.asarray(masks[group], bool)
        coefficient = np.where(inside & chosen, np.maximum(coefficient, c), np.where(inside, c, coefficient))
        chosen |= inside
    tilted = shares * coefficient
    return tilted / tilted.sum() if tilted.sum() > 0 else shares


def formula_amounts(sc: Scenario, budget: float | None = None, *, floors_must_fit: bool = True) -> np.ndarray:
    """The money the scenario's ``baseline:`` formula gives each unit of ``budget`` (default the scenario's, in
    ``money_unit``), hold-harmless floor and ratable reduction included (no programme is solved: this is
    what ``min: baseline`` of a group_share and the tie-break's ``toward: baseline`` refer to). Floors that
    add up to more than the budget are a :class:`ScenarioError`, or with ``floors_must_fit=False`` leave the
    formula's amounts unfloored (a budget sweep can go below them).

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "poor": [300, 100], "last": [10, 30]})
    >>> sc = fa.Scenario(units=units, budget={"total": 40}, measures={"m": {"unit_cost": 1}},
    ...                  baseline={"factors": {"poor": 1}, "hold_harmless": {"column": "last", "min_ratio": 0.5}})
    >>> formula_amounts(sc).tolist(), formula_amounts(sc, 16, floors_must_fit=False).tolist()  # floors: 5 + 15
    ([25.0, 15.0], [12.0, 4.0])
    """
    budget = sc.money(sc.budget.total) if budget is None else budget
    return _apply(sc, _formula(sc, None, None), budget, floors_must_fit=floors_must_fit)[2]


def _apply(sc: Scenario, formula: Baseline, budget: float, *,
           floors_must_fit: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Shares, formula amounts, amounts after the floor and ratable reduction, and the rounds taken."""
    shares = formula_shares(sc, formula)
    formula_amounts = budget * shares
    if formula.hold_harmless is None:
        return shares, formula_amounts, formula_amounts, 0
    floors = _floors(sc, formula.hold_harmless, budget, must_fit=floors_must_fit)
    if floors is None:
        return shares, formula_amounts, formula_amounts, 0
    amounts, rounds = ratable_reduction(formula_amounts, floors, budget)
    return shares, formula_amounts, amounts, rounds


def _floors(sc: Scenario, hh: BaselineHoldHarmless, budget: float, *, must_fit: bool = True) -> np.ndarray | None:
    """The hold-harmless floors; floors above the budget are an error, or None when they need not fit."""
    problems: list = []
    last = numeric_column(sc.units, hh.column, ("baseline", "hold_harmless", "column"), problems)
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    floors = hh.min_ratio * last
    if floors.sum() > budget * (1 + 1e-12):
        if not must_fit:
            return None
        unit = sc.money_unit
        raise ScenarioError([(("baseline", "hold_harmless"),
                              msg("check.baseline.floors", ratio=f"{hh.min_ratio:g}", column=hh.column,
                                  floors=f"{floors.sum():,.2f}", budget=f"{budget:,.2f}", unit=unit))],
                            source=sc.source, language=sc.language)
    return floors


def ratable_reduction(formula: np.ndarray, floors: np.ndarray, budget: float) -> tuple[np.ndarray, int]:
    """Raise the units below their floors to them and reduce the others in proportion to their formula
    amounts, round after round, until no unit is below its floor. Returns the amounts and the rounds taken.

    Each round fixes the units now below their floors; the others share what is left in proportion to
    ``formula``. The factor shrinks every round, so a unit once raised stays at its floor. The caller checks
    that the floors fit in the budget.

    >>> amounts, rounds = ratable_reduction(np.array([50., 30, 15, 5]), np.array([30., 20, 14, 20]), 100)
    >>> amounts.round(2).tolist(), rounds
    ([41.25, 24.75, 14.0, 20.0], 2)
    """
    raised = np.zeros(len(formula), bool)
    amounts = formula * (budget / formula.sum()) if formula.sum() > 0 else np.zeros(len(formula))
    rounds = 0
    while True:
        below = ~raised & (amounts < floors - TOLERANCE * np.maximum(1.0, floors))
        if not below.any():
            return amounts, rounds
        rounds += 1
        raised |= below
        rest = budget - floors[raised].sum()
        free_formula = np.where(raised, 0.0, formula)
        scale = rest / free_formula.sum() if free_formula.sum() > 0 else 0.0
        amounts = np.where(raised, floors, free_formula * scale)


def factor_allocation(sc: Scenario, factors: dict | None = None,
                      hold_harmless: dict | BaselineHoldHarmless | bool | None = None) -> "FactorResult":
    """The factor formula's allocation of ``sc``'s budget and what it buys.

    Parameters
    ----------
    sc : the scenario (its budget, measures, rules, groups and weights).
    factors : units-table column → weight, or ``{weight, direction: more|less}``; weights are normalised to
        sum 1. Default: ``sc.baseline.factors``.
    hold_harmless : ``{column, min_ratio}``: no unit below ``min_ratio × column`` (last year's money, in
        ``money_unit``); the others are reduced in proportion to their formula amounts (ratable reduction).
        Default: ``sc.baseline.hold_harmless``; ``False`` for none.

    Returns
    -------
    FactorResult
        a :class:`~fundalloc.result.Result` of the formula's money: ``units.amount`` is each unit's formula
        amount, its measures are chosen to maximise the weighted outcome under the unit-level rules
        (capacity, pool, coverage, min_coverage_rate), and ``objective`` is that weighted outcome, comparable
        with an optimised ``max_outcome`` result at the same budget. Also ``method`` (``"factor"``),
        ``shares``, ``rounds``, ``unspent`` (per unit: money its capacities and pools cannot absorb),
        ``broken_rules`` and ``broken_units`` (every rule of ``sc`` checked against the formula).

    Raises :class:`~fundalloc.errors.ScenarioError` for no factors, a bad column, a zero in a ``less`` factor,
    a scenario without a budget, or floors that add up to more than the budget.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "poor": [300, 100], "jobs": [400, 400]})
    >>> sc = fa.Scenario(units=units, budget={"total": 40},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> fb = fa.factor_allocation(sc, factors={"poor": 1})
    >>> fb.units["amount"].tolist(), round(fb.objective, 6)
    ([30.0, 10.0], 400.0)
    """
    sc = scenario_argument(sc, "fa.factor_allocation")
    formula = _formula(sc, factors, hold_harmless)
    if sc.budget is None:
        raise ScenarioError([(("budget",), msg("check.baseline.no_budget"))], source=sc.source,
                            language=sc.language)
    shares, formula_amounts, amounts, rounds = _apply(sc, formula, sc.money(sc.budget.total))
    evaluated, relaxed = _evaluate(sc, amounts)
    return FactorResult(evaluated, scenario=sc, formula=formula, shares=shares, formula_amounts=formula_amounts,
                        amounts=amounts, rounds=rounds, relaxed=relaxed)


# ------------------------------------------------------------------------------------ the evaluation


def _evaluation_scenario(sc: Scenario, amounts: np.ndarray, relaxed: dict[str, np.ndarray]) -> Scenario:
    """``sc`` with each unit's spending capped at its formula amount, only the unit-level rules, and the
    coverage requirements in ``relaxed`` (rule → persons per unit) lowered to what the money can reach."""
    data = sc.to_dict()
    for key in ("variants", "sensitivity", "baseline"):
        data.pop(key, None)
    units = sc.units.copy()
    units[AMOUNT_COLUMN] = amounts
    rules = []
    for i, rule in enumerate(r for r in data.get("rules", []) if r["type"] in UNIT_LEVEL_RULES):
        if rule["name"] in relaxed:
            column = f"_reachable_{i}"
            units[column] = relaxed[rule["name"]]
            per_person = "rate" if rule["type"] == "min_coverage_rate" else "factor"
            rule = {**rule, "column": column, per_person: 1.0}
        rules.append(rule)
    for i, (name, reachable) in enumerate(relaxed.items()):
        if name.startswith("entitlement."):  # the claims the formula's money can fund
            column = f"_reachable_claims_{i}"
            units[column] = reachable
            measure = name.split(".", 1)[1]
            data["measures"][measure] = {**data["measures"][measure], "demand": column}
    names = {r["name"] for r in data.get("rules", [])}
    fixed = FORMULA_RULE
    while fixed in names:
        fixed = "_" + fixed
    rules.append({"type": "unit_bounds", "name": fixed, "max": AMOUNT_COLUMN,
                  "description": "each unit spends at most its factor-formula amount"})
    # the caps add up to the budget; a budget row that never binds leaves each unit's shadow price on its cap
    # among equally good ways to spend it, each unit spends as much of its formula amount as it can
    data.update(rules=rules, objective={"type": "max_outcome", "tie_break": {"toward": AMOUNT_COLUMN}}, integer=False,
                budget={"total": 2 * sc.money(sc.budget.total), "spend_all": False})
    return Scenario(**data, units=units)


def _evaluate(sc: Scenario, amounts: np.ndarray) -> tuple[Result, dict[str, np.ndarray]]:
    """Solve the measures inside each unit for the formula's money.

    A coverage (or min_coverage_rate) the money cannot meet would make this infeasible, so a first solve
    finds the least total shortfall of those rules (the unit meets as much of them as its money allows);
    those rules are lowered by that shortfall, and the second solve maximises the weighted outcome.
    Returns the result and the lowered requirements (rule → persons per unit).
    """
    first = _evaluation_scenario(sc, amounts, {})
    program = build(first)
    lower_rules = [r.name for r in first.rules if r.type in ("coverage", "min_coverage_rate")] + \
        [b for b, info in program.block_info.items() if info.kind == "entitlement"]
    relaxed: dict[str, np.ndarray] = {}
    if lower_rules:
        relaxable, lo_rows, _ = elastic(program, lower_rules)
        sol = make_backend(first).solve(relaxable, ranging=False)
        if sol.status != OPTIMAL:
            raise SolverError(msg("errors.solver.factor_coverage", solver=sol.solver, status=sol.status),
                              language=first.language)
        slack = np.zeros(len(program.row_lower))
        np.add.at(slack, lo_rows, sol.x[program.n_cols:program.n_cols + len(lo_rows)])
        for name in lower_rules:
            block, info = program.blocks[name], program.block_info[name]
            need, short = program.row_lower[block], slack[block]
            if (short > TOLERANCE * np.maximum(1.0, need)).any():
                # a hair below what the first solve reached, so the second is feasible within solver tolerance
                reachable = np.maximum(need - short - 1e-7 * (1.0 + need), 0.0)
                per_unit = np.zeros(len(sc.units))
                per_unit[info.units] = np.where(short > 0, reachable, need)
                relaxed[name] = per_unit
    evaluation = _evaluation_scenario(sc, amounts, relaxed) if relaxed else first
    return solve(evaluation, ranging=False, variant="factor"), relaxed


# --------------------------------------------------------------------------------------- broken rules


def _bound(sc: Scenario, value) -> np.ndarray | None:
    """A unit_bounds limit per unit, in ``money_unit``."""
    if value is None:
        return None
    if isinstance(value, ColumnTimes):
        return sc.units[value.column].to_numpy(dtype=float) * value.factor
    if isinstance(value, str) and not is_money_string(value):
        return sc.units[value].to_numpy(dtype=float)
    return np.full(len(sc.units), sc.money(value))


def _missed(required: np.ndarray, actual: np.ndarray, floor: bool) -> np.ndarray:
    """How far ``actual`` misses ``required`` (a floor or a ceiling); 0 within the tolerance."""
    gap = required - actual if floor else actual - required
    return np.where(gap > TOLERANCE * np.maximum(1.0, np.abs(required)), gap, 0.0)


def broken_rules(sc: Scenario, amounts: np.ndarray, spending: dict[str, np.ndarray],
                 unspent: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every rule of ``sc`` checked against an allocation: the rules it breaks and by how much.

    ``amounts`` is each unit's money (``sc.units`` order); ``spending`` holds ``money``, ``persons`` and
    ``outcome`` as measures × units arrays. Money rules (group_share, per_capita_tilt, hold_harmless,
    unit_bounds) are checked on the money each unit receives; earmark on the money spent on its measures as a
    share of all money received; pool, coverage and min_coverage_rate on the persons funded; with
    ``spend_all``, money left unspent breaks the budget.

    Returns ``(rules, units)``: one row per broken rule (and bound) with ``rule, type, bound, units_affected,
    shortfall, unit, points, detail`` (``points``: percentage points, for share rules), and one row per
    (rule, unit) for the per-unit rules with ``rule, type, bound, unit_id, unit_name, required, actual,
    shortfall, unit``. ``shortfall`` is how far the rule misses: money in ``money_unit`` or persons.
    """
    masks = group_masks(sc)
    n, money_unit, lang = len(sc.units), sc.money_unit, sc.language
    ids, names = sc.units["id"].to_numpy(), sc.units["name"].to_numpy()
    measures = list(sc.measures)
    rules_rows, unit_rows = [], []

    def of(measure_names, what, population=None):
        chosen = np.ones(len(measures), bool) if measure_names == ALL else np.isin(measures, measure_names)
        table = spending[what] if population is None else spending["from"](population)[what]
        return table[chosen].sum(axis=0)

    def size(name):
        return sc.units[sc.population(name).column if name in sc.populations else name].to_numpy(dtype=float)

    def per_unit(rule, bound, required, actual, where, quantity, floor=True):
        short = np.where(where, _missed(required, actual, floor), 0.0)
        hit = np.flatnonzero(short)
        if not hit.size:
            return
        unit = money_unit if quantity == "money" else "persons"
        worst = hit[np.argmax(short[hit])]
        verb = t("factor.broken.short_of" if floor else "factor.broken.over", lang)
        said_unit = t("table.note.persons", lang) if unit == "persons" else unit
        rules_rows.append({"rule": rule.name, "type": rule.type, "bound": bound, "units_affected": int(hit.size),
                           "shortfall": float(short.sum()), "unit": unit, "points": np.nan,
                           "detail": t("factor.broken.units", lang, hit=hit.size, n=int(where.sum()), verb=verb,
                                       bound=t(f"factor.bound.{bound}", lang), short=f"{short.sum():,.4g}",
                                       unit=said_unit, name=names[worst], id=ids[worst],
                                       worst=f"{short[worst]:,.4g}")})
        unit_rows.append(pd.DataFrame({"rule": rule.name, "type": rule.type, "bound": bound, "unit_id": ids[hit],
                                       "unit_name": names[hit], "required": required[hit], "actual": actual[hit],
                                       "shortfall": short[hit], "unit": unit}))

    def share(rule, part_money: np.ndarray, what: str | None):
        """Each row of a share rule (per region, when stated so) against the money; one row per bound."""
        for bound, floor in (("min", True), ("max", False)):
            gaps = []
            for piece in (p for p in share_pieces(sc, rule, masks) if p.side == bound):
                part, whole = float(part_money[piece.part].sum()), float(amounts[piece.whole].sum())
                gap = float(_missed(np.array([piece.level * whole]), np.array([part]), floor)[0]) if whole > 0 else 0.0
                if gap:
                    gaps.append((gap, part, whole, piece))
            if not gaps:
                continue
            gap, part, whole, piece = max(gaps, key=lambda g: g[0] / g[2])
            who = (piece.region if what is None else what if piece.region is None
                   else t("factor.broken.in_region", lang, what=what, region=piece.region))
            n_regions = len({p.region for p in share_pieces(sc, rule, masks)})
            regions = (t("factor.broken.regions", lang, missed=len(gaps), n=n_regions) if piece.region is not None
                       else "")
            rules_rows.append({"rule": rule.name, "type": rule.type, "bound": bound, "units_affected": 0,
                               "shortfall": sum(g[0] for g in gaps), "unit": money_unit, "points": 100 * gap / whole,
                               "detail": t("factor.broken.share", lang, what=who, share=f"{100 * part / whole:.2f}",
                                           bound=t(f"factor.bound.{bound}", lang), limit=f"{100 * piece.level:g}",
                                           side=t("factor.broken.short" if floor else "factor.broken.over_by", lang),
                                           gap=f"{gap:,.4g}", unit=money_unit, points=f"{100 * gap / whole:.2f}")
                                         + regions})

    for rule in sc.rules:
        where = masks[rule.where] if rule.where else np.ones(n, bool)
        column = getattr(rule, "column", None)
        col = sc.units[column].to_numpy(dtype=float) if isinstance(column, str) else None
        population = getattr(rule, "population", None) if rule.type != "per_capita_tilt" else None
        if rule.type == "pool":
            col = size(rule.population) if col is None else col
            per_unit(rule, "max", rule.factor * col, of(rule.measures, "persons", population), where, "persons",
                     floor=False)
        elif rule.type == "coverage":
            per_unit(rule, "min", rule.factor * col, of(rule.measures, "outcome", population), where, "persons")
        elif rule.type == "min_coverage_rate":
            per_unit(rule, "min", rule.rate * col, of(rule.measures, "persons", population), where, "persons")
        elif rule.type == "group_share":
            share(rule, amounts, t("factor.broken.group", lang, group=labels.said(sc, "group", rule.group)))
        elif rule.type == "region_share":
            share(rule, amounts, None)
        elif rule.type == "earmark":
            share(rule, of(rule.measures, "money"), labels.said_measures(sc, rule.measures))
        elif rule.type == "per_capita_tilt":
            pop = size(rule.population)
            others = where & ~masks[rule.group]
            per_head = amounts[others].sum() / pop[others].sum() if pop[others].sum() > 0 else 0.0
            per_unit(rule, "min", rule.ratio * pop * per_head, amounts, where & masks[rule.group], "money")
        elif rule.type == "hold_harmless":
            scale = 1.0
            if rule.if_budget_falls == "scale" and sc.budget is not None and col.sum() > 0:
                scale = min(1.0, sc.money(sc.budget.total) / col.sum())
            per_unit(rule, "min", rule.min_ratio * scale * col, amounts, where, "money")
            if rule.max_ratio is not None:
                per_unit(rule, "max", rule.max_ratio * col, amounts, where, "money", floor=False)
        elif rule.type == "unit_bounds":
            for bound, floor in (("min", True), ("max", False)):
                limit = _bound(sc, getattr(rule, bound))
                if limit is not None:
                    per_unit(rule, bound, limit, amounts, where, "money", floor=floor)
    for name in measures:
        demand = demand_per_unit(sc, name)
        if demand is not None:
            entitlement = types.SimpleNamespace(name=f"entitlement.{name}", type="entitlement")
            per_unit(entitlement, "min", demand, of([name], "persons"), np.ones(n, bool), "persons")
    if sc.budget is not None and sc.budget.spend_all and unspent > TOLERANCE * max(1.0, sc.money(sc.budget.total)):
        rules_rows.append({"rule": "budget", "type": "budget", "bound": "spend_all", "units_affected": 0,
                           "shortfall": unspent, "unit": money_unit, "points": np.nan,
                           "detail": t("factor.broken.spend_all", lang, money=f"{unspent:,.4g}", unit=money_unit)})
    rule_columns = ["rule", "type", "bound", "units_affected", "shortfall", "unit", "points", "detail"]
    unit_columns = ["rule", "type", "bound", "unit_id", "unit_name", "required", "actual", "shortfall", "unit"]
    return (pd.DataFrame(rules_rows, columns=rule_columns).astype({"units_affected": int, "shortfall": float,
                                                                   "points": float}),
            pd.concat(unit_rows, ignore_index=True) if unit_rows else pd.DataFrame(columns=unit_columns))


# ------------------------------------------------------------------------------------------ the result


class FactorResult(Result):
    """The factor formula's allocation, as a :class:`~fundalloc.result.Result` with more to say.

    ``scenario`` is the scenario the formula was applied to; ``program`` is the evaluation's (each unit's
    spending capped at its formula amount, the unit-level rules, ``max_outcome``), and so are the shadow
    prices: ``factor_formula`` in a unit is what one more unit of money there would add to the objective.
    ``units``: ``amount`` is the money the formula gives each unit (after the hold-harmless floor), with
    ``share`` (the formula's share before the floor), ``formula_amount`` (budget × share), ``spent`` and
    ``unspent``. ``allocation`` is the money spent per measure. ``objective`` is the weighted outcome.
    Extra attributes: ``method`` (``"factor"``), ``formula`` (the factors and floor used), ``shares``,
    ``rounds`` (ratable-reduction rounds), ``unspent`` (per unit), ``broken_rules``, ``broken_units``,
    ``relaxed`` (coverage requirements lowered to what the money reaches, rule → persons per unit),
    ``evaluation_scenario``.
    """

    method = "factor"
    has_allocation_table = False  # its amounts are the 因素法测算 column of the optimised result's 分配表

    def __init__(self, evaluated: Result, *, scenario: Scenario, formula: Baseline, shares: np.ndarray,
                 formula_amounts: np.ndarray, amounts: np.ndarray, rounds: int, relaxed: dict[str, np.ndarray]):
        self.__dict__.update({k: v for k, v in evaluated.__dict__.items() if k != "units"})
        self.evaluation_scenario, self.scenario = evaluated.scenario, scenario
        self.formula, self.rounds, self.relaxed = formula, rounds, relaxed
        ids = pd.Index(scenario.units["id"].to_numpy())
        self.shares = pd.Series(shares, index=ids, name="share")
        self.formula_amounts = pd.Series(formula_amounts, index=ids, name="formula_amount")
        self.amounts = pd.Series(amounts, index=ids, name="amount")
        persons, money, outcome = self._per_unit_measure
        left = amounts - money.sum(axis=0)
        self.unspent = pd.Series(np.where(left > TOLERANCE * np.maximum(1.0, amounts), left, 0.0), index=ids,
                                 name="unspent")
        def drawn_from(population):
            persons, outcome = self.per_unit_measure_from(population)
            return {"persons": persons, "outcome": outcome}
        self.broken_rules, self.broken_units = broken_rules(
            scenario, amounts, {"money": money, "persons": persons, "outcome": outcome, "from": drawn_from},
            float(self.unspent.sum()))
        lang = scenario.language
        self.notes = [*self.notes, t("factor.note.evaluated", lang)]  # a list of its own, not the evaluation's
        if self.unspent.sum() > 0:
            self.notes.append(t("factor.note.unspent", lang, money=f"{self.unspent.sum():,.4g}",
                                unit=scenario.money_unit, n=int((self.unspent > 0).sum())))
        if scenario.integer:
            self.notes.append(t("factor.note.continuous", lang))

    @cached_property
    def units(self) -> pd.DataFrame:
        frame = Result.units.func(self)
        at = frame.columns.get_loc("weight") + 1
        frame.insert(at, "share", self.shares.to_numpy())
        frame.insert(at + 1, "formula_amount", self.formula_amounts.to_numpy())
        frame.insert(at + 2, "spent", frame.pop("amount").to_numpy())
        frame.insert(at + 2, "amount", self.amounts.to_numpy())
        frame.insert(at + 4, "unspent", self.unspent.to_numpy())
        # the formula fixes every unit's money: there is nothing to break a tie between
        frame["amount_min_at_optimum"] = frame["amount_max_at_optimum"] = frame["amount"]
        frame["tie_decided"] = pd.array([False] * len(frame), dtype="boolean")
        return frame

    @property
    def total_allocated(self) -> float:
        """Money the formula gives out (the budget)."""
        return float(self.amounts.sum())

    @property
    def total_spent(self) -> float:
        return float(self.total_allocated - self.unspent.sum())

    def _formula_words(self) -> str:
        """The factors and their weights, the classes, the base and the floor, in the scenario's language."""
        sc = self.scenario
        lang = sc.language
        flat = self.formula.flat_factors()
        total = sum(f.weight for f in flat.values())
        parts = [t("factor.part", lang, name=labels.shown(sc, "column", c), weight=f"{f.weight / total:.3g}")
                 + (t("factor.less", lang) if f.direction == "less" else "") for c, f in flat.items()]
        if self.formula.classes:
            weights = sum(k.weight for k in self.formula.classes.values())
            parts.insert(0, t("factor.classes", lang, classes=t("explain.list_sep", lang).join(
                t("factor.part", lang, name=k.label or name, weight=f"{k.weight / weights:.3g}")
                for name, k in self.formula.classes.items())))
        if self.formula.base is not None:
            parts.insert(0, t("factor.base_index", lang, base=labels.shown(sc, "column", self.formula.base)))
        hh = self.formula.hold_harmless
        floor = (t("factor.floor", lang, ratio=f"{hh.min_ratio:g}", column=labels.shown(sc, "column", hh.column),
                   rounds=self.rounds) if hh is not None else "")
        return t("explain.list_sep", lang).join(parts) + floor

    def summary(self) -> str:
        from .summary import LABEL_WIDTH
        from .tables import pad

        sc = self.scenario
        unit, lang = sc.money_unit, sc.language
        lines = super().summary().splitlines()
        lines[0] = t("factor.title", lang, name=sc.name)
        spent = t("factor.spent.value", lang, spent=f"{self.total_spent:,.2f}", unit=unit,
                  unspent=f"{self.unspent.sum():,.2f}")
        extra = [f"  {pad(t('factor.formula', lang), LABEL_WIDTH)}{self._formula_words()}",
                 f"  {pad(t('factor.spent', lang), LABEL_WIDTH)}{spent}"]
        rules = ["", f"  {t('factor.breaks', lang)}"]
        rules += [f"    {pad(labels.block_shown(sc, row.rule), 28)}{row.detail}"
                  for row in self.broken_rules.itertuples()] or [f"    {t('factor.breaks_none', lang)}"]
        allocated = f"  {t('summary.allocated', lang)}"
        note = f"  {t('summary.note', lang, text='')}"
        after = next((i + 1 for i, line in enumerate(lines) if line.startswith(allocated)), 3)
        notes_at = next((i for i, line in enumerate(lines) if line.startswith(note)), len(lines))
        return "\n".join(lines[:after] + extra + lines[after:notes_at] + rules + lines[notes_at:])

    def summary_dict(self) -> dict:
        out = super().summary_dict()
        broken = self.broken_rules.astype(object).where(self.broken_rules.notna(), None)
        out.update(method="factor", total_spent=self.total_spent, unspent=float(self.unspent.sum()),
                   rounds=self.rounds, formula=self.formula.model_dump(mode="json", exclude_none=True),
                   broken_rules=broken.to_dict(orient="records"))
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        return {**super().tables(), "broken_rules": self.broken_rules, "broken_units": self.broken_units}


# ------------------------------------------------------------------------------------------ comparison


def tilted_group(sc: Scenario) -> str | None:
    """The group the scenario tilts toward: that of its first ``group_share`` rule with a ``min``, else of
    its first ``per_capita_tilt``; None without either."""
    for kind in ("group_share", "per_capita_tilt"):
        for rule in sc.rules:
            if rule.type == kind and (kind != "group_share" or rule.min is not None):
                return rule.group
    return None


def weighted_outcome(res: Result) -> float:
    """Persons employed, each counted with its county's weight and as full-time equivalents: the objective of
    ``max_outcome``, computed the same way for every run (a factor formula's too)."""
    units = res.units
    return float((units["weight"] * units["outcome_fte"]).sum())


def _budget(res: Result) -> float | None:
    sc = res.scenario
    return sc.money(sc.budget.total) if sc.budget is not None else None


def _percent(value: float) -> str:
    """A signed percentage with a true minus sign, as every other sentence writes it."""
    return (f"{value:+.1f}" if abs(value) >= 1 else f"{value:+.2f}").replace("-", "−")


def _caveats(*results: Result, money_unit: str, lang: str) -> str:
    """'; the factor formula breaks tilt and leaves 441 万元 unspent' for the factor results among ``results``."""
    words = []
    for res in results:
        if isinstance(res, FactorResult):
            broken = [r for r in dict.fromkeys(res.broken_rules["rule"]) if r != "budget"]
            unspent = res.unspent.sum() * YUAN_PER_UNIT[res.scenario.money_unit] / YUAN_PER_UNIT[money_unit]
            if broken:
                words.append(t("compare.caveats.breaks", lang, rules=t("compare.rules_sep", lang).join(
                    labels.block_shown(res.scenario, r, quote=True) for r in broken)))
            if unspent > 0:
                words.append(t("compare.caveats.unspent", lang, money=f"{unspent:,.4g}", unit=money_unit))
    return t("compare.caveats", lang, what=t("compare.caveats.sep", lang).join(words)) if words else ""


def _label(name: str, res: Result, lang: str) -> str:
    return t("compare.label.factor", lang) if getattr(res, "method", None) == "factor" else labels.run_label(name, lang)


def _number(value: float) -> str:
    """A signed change with a true minus sign: ``+1,463``, ``−9,686``, ``+0.5``."""
    return (f"{value:+,.0f}" if abs(value) >= 100 else f"{value:+,.1f}").replace("-", "−")


class Comparison:
    """Runs side by side: per unit (``table``), per group (``by_group``), a ``headline()``, ``write(folder)``
    (comparison.csv, comparison_by_group.csv and comparison.svg) and ``html()`` for report.html.

    Money is in the base run's ``money_unit``; ``outcome`` is persons employed (unweighted) and
    ``weighted_outcome`` the objective's weighted persons.
    """

    def __init__(self, results: dict[str, Result], base: str):
        self.results, self.base = dict(results), base
        self.runs = list(self.results)
        self.others = [r for r in self.runs if r != base]
        base_sc = self.results[base].scenario
        self.money_unit = base_sc.money_unit
        self.table = self._table()
        self.by_group = self._by_group()

    def _scale(self, run: str) -> float:
        return YUAN_PER_UNIT[self.results[run].scenario.money_unit] / YUAN_PER_UNIT[self.money_unit]

    def _table(self) -> pd.DataFrame:
        frames = {run: res.units for run, res in self.results.items()}
        base_first = [frames[self.base]] + [frames[run] for run in self.others]
        names = [c for c in ("unit_id", "unit_name", "region", "groups") if c in frames[self.base].columns]
        table = pd.concat([f.reindex(columns=names) for f in base_first]).drop_duplicates("unit_id")
        table = table.reset_index(drop=True)
        ids = table["unit_id"]
        for run, frame in frames.items():
            frame = frame.set_index("unit_id").reindex(ids)
            table[f"amount.{run}"] = frame["amount"].to_numpy(dtype=float) * self._scale(run)
            table[f"outcome.{run}"] = frame["outcome"].to_numpy(dtype=float)
        for run in self.others:
            for what in ("amount", "outcome"):
                table[f"{what}_diff.{run}"] = table[f"{what}.{run}"] - table[f"{what}.{self.base}"]
        return table

    def _by_group(self) -> pd.DataFrame:
        columns: dict[str, dict[str, float]] = {}
        groups: list[str] = []
        for run, res in self.results.items():
            units, masks = res.units, res.program.masks
            amount = units["amount"].to_numpy(dtype=float) * self._scale(run)
            outcome = units["outcome"].to_numpy(dtype=float)
            weighted = units["outcome_fte"].to_numpy(dtype=float) * units["weight"].to_numpy(dtype=float)
            every = {**masks, "all": np.ones(len(units), bool)}
            groups += [g for g in every if g not in groups]
            for what, values in (("amount", amount), ("outcome", outcome), ("weighted_outcome", weighted)):
                columns[f"{what}.{run}"] = {g: float(values[m].sum()) for g, m in every.items()}
        frame = pd.DataFrame(columns).reindex([g for g in groups if g != "all"] + ["all"])
        for run in self.others:
            for what in ("amount", "outcome", "weighted_outcome"):
                frame[f"{what}_diff.{run}"] = frame[f"{what}.{run}"] - frame[f"{what}.{self.base}"]
        return frame.rename_axis("group")

    # ------------------------------------------------------------------------------- words
    def headline(self, run: str | None = None) -> str:
        """``"optimised vs factor formula: +N weighted jobs (+x %) at the same budget"``: each run (or ``run``)
        against the base, one line each. A factor formula is always the one compared against (whichever is
        the base), and the line says which rules it breaks and what it leaves unspent: breaking a tilt can
        employ more people than an optimiser that keeps it."""
        lines = []
        lang = self.results[self.base].scenario.language
        for name in [run] if run is not None else self.others:
            first, second = name, self.base
            if isinstance(self.results[first], FactorResult) and not isinstance(self.results[second], FactorResult):
                first, second = second, first
            one, other = self.results[first], self.results[second]
            # the CLI's `base` run is the scenario as written, solved: beside the formula it is "optimised"
            label = (t("compare.label.optimised", lang) if isinstance(other, FactorResult) and first == "base"
                     else _label(first, one, lang))
            diff = weighted_outcome(one) - weighted_outcome(other)
            base_value = weighted_outcome(other)
            pct = t("compare.pct", lang, pct=_percent(100 * diff / base_value)) if base_value else ""
            lines.append(t("compare.headline", lang, run=label, other=_label(second, other, lang), diff=_number(diff),
                           words=t("explain.words.outcome_short", lang), pct=pct,
                           budget=self._budget_words(first, second, lang), share=self._share_words(one, other, lang),
                           caveats=_caveats(one, other, money_unit=self.money_unit, lang=lang)))
        return "\n".join(lines)

    def _share_words(self, one: Result, other: Result, lang: str) -> str:
        """'; `priority` gets 47.9 % (formula 47.8 %)': the share of the group the scenario tilts toward, so a
        job gain bought by taking money from that group shows beside it."""
        group = tilted_group(one.scenario)
        if group is None or group not in one.program.masks or group not in other.program.masks:
            return ""
        key = "compare.share.factor" if isinstance(other, FactorResult) else "compare.share.runs"
        return t(key, lang, group=labels.said(one.scenario, "group", group), share=group_share(one, group),
                 reference=group_share(other, group))

    def _budget_words(self, run: str, against: str, lang: str) -> str:
        b, r = _budget(self.results[against]), _budget(self.results[run])
        if b is not None and r is not None:
            r, b = r * self._scale(run), b * self._scale(against)
            if abs(r - b) <= 1e-9 * max(1.0, abs(b)):
                return t("compare.budget.same", lang)
            return t("compare.budget.other", lang, run=f"{r:,.2f}", other=f"{b:,.2f}", unit=self.money_unit)
        spent = {k: self.results[k].total_allocated * self._scale(k) for k in (against, run)}
        return t("compare.budget.spending", lang, run=f"{spent[run]:,.2f}", other=f"{spent[against]:,.2f}",
                 unit=self.money_unit)

    @property
    def language(self) -> str:
        """The language of the comparison's words: the base run's."""
        return self.results[self.base].scenario.language

    def __repr__(self) -> str:
        lang = self.languageuage
        runs = ", ".join(labels.run_label(r, lang) for r in self.runs)
        return f"{t('compare.repr', lang, runs=runs, base=labels.run_label(self.base, lang))}\n{self.headline()}"

    # ------------------------------------------------------------------------------- for people
    def label(self, run: str) -> str:
        """A run's name for people: the factor formula and the command line's ``base`` (the scenario as written,
        optimised) by what they are, a variant by its name."""
        if isinstance(self.results[run], FactorResult):
            return t("report.runs.factor", self.language)
        return t("report.runs.base", self.language) if run == "base" else run

    def _changes(self, run: str) -> str:
        """What a run changes: a variant's dotted paths and values, in the base scenario's words."""
        lang, result = self.language, self.results[run]
        if isinstance(result, FactorResult):
            return t("report.runs.formula", lang)
        changes = self.results[self.base].scenario.variants.get(result.variant or "")
        if changes:
            return t("explain.sep", lang).join(f"{path} = {value}" for path, value in changes.items())
        return t("report.runs.as_written", lang) if run == self.base or result.variant is None else ""

    def _places(self) -> int:
        from .rounding import decimals
        base = self.results[self.base]
        return decimals(base.rounded.step) if base.has_allocation_table else 2

    def runs_table(self) -> tuple[pd.DataFrame, dict]:
        """One row per run, for people: its name, what it changes, budget, money allocated, weighted jobs (and the
        change from the base), persons employed and the share of the group the base scenario tilts toward; and
        each column's cell format."""
        lang, unit, money = self.language, self.money_unit, fixed(self._places())
        base_value = weighted_outcome(self.results[self.base])
        group = self._tilted()
        columns = {t("report.runs.run", lang): (self.label, str),
                   t("report.runs.changes", lang): (self._changes, str),
                   t("report.runs.budget", lang, unit=unit): (self._budget_of, money),
                   t("report.runs.allocated", lang, unit=unit):
                       (lambda run: self.results[run].total_allocated * self._scale(run), money),
                   t("report.runs.weighted", lang): (lambda run: weighted_outcome(self.results[run]), fixed(0)),
                   t("report.runs.weighted_diff", lang, base=self.label(self.base)):
                       (lambda run: weighted_outcome(self.results[run]) - base_value, fixed(0, sign=True)),
                   t("report.runs.persons", lang): (lambda run: self.results[run].total_outcome, fixed(0))}
        if group is not None:
            columns[t("report.runs.share", lang, group=self._group_shown(group))] = (
                lambda run: group_share(self.results[run], group), fixed(1, percent=True))
        frame = pd.DataFrame({header: [value(run) for run in self.runs] for header, (value, _) in columns.items()})
        return frame, {header: write for header, (_, write) in columns.items()}

    def _budget_of(self, run: str) -> float | None:
        """A run's budget in the base run's money unit (None without one)."""
        budget = _budget(self.results[run])
        return budget * self._scale(run) if budget is not None else None

    def _group_shown(self, group: str) -> str:
        return labels.shown(self.results[self.base].scenario, "group", group)

    def _tilted(self) -> str | None:
        """The group the base scenario tilts toward, when every run knows it."""
        group = tilted_group(self.results[self.base].scenario)
        return group if group is not None and all(group in r.program.masks for r in self.results.values()) else None

    @cached_property
    def chart(self) -> charts.Chart | None:
        """One compact chart of every run: a row per run, its weighted jobs against the base's, the money it
        allocates and the share of the tilted group, each bar with its value. ``None`` without a second run."""
        if not self.others:
            return None
        lang, (runs, _) = self.language, self.runs_table()
        base, unit = self.label(self.base), self.money_unit
        diff = runs[t("report.runs.weighted_diff", lang, base=base)].to_numpy(dtype=float)
        money = runs[t("report.runs.allocated", lang, unit=unit)].to_numpy(dtype=float)
        colours = [charts.MUTED if run == self.base else charts.PALETTE[0] for run in self.runs]
        panels = {t("report.runs.weighted_diff", lang, base=base): [
                      charts.Bars(diff, colours, values=[fixed(0, sign=True)(v) for v in diff])],
                  t("report.runs.allocated", lang, unit=unit): [
                      charts.Bars(money, colours, values=[fixed(self._places())(v) for v in money])]}
        group = self._tilted()
        if group is not None:
            share = 100 * runs[t("report.runs.share", lang, group=self._group_shown(group))].to_numpy(dtype=float)
            panels[t("report.runs.chart_share", lang, group=self._group_shown(group))] = [
                charts.Bars(share, colours, values=[f"{v:.1f}%" for v in share])]
        return charts.bar_panels(runs[t("report.runs.run", lang)], panels, panel_width=250,
                                 title=t("report.runs.chart", lang, base=base))

    def write(self, folder: str | Path) -> list[Path]:
        """Write comparison.csv (per unit), comparison_by_group.csv (UTF-8 with BOM) and comparison.svg into
        ``folder``; returns the paths written."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = [folder / "comparison.csv", folder / "comparison_by_group.csv"]
        write_csv(self.table, written[0])
        write_csv(self.by_group.reset_index(), written[1])
        if self.chart is not None:
            written.append(self.chart.save(folder / "comparison.svg"))
        return written

    def html(self) -> Markup:
        """A ``<section>`` for report.html: the runs side by side (a table and one chart; what ``headline`` says
        in words, in numbers), money and weighted jobs by group, and money by county with region subtotals, every
        run under one heading."""
        from .markup import table
        from .report import MAX_TABLE_ROWS, section
        from .tables import first_units, with_totals

        lang, unit = self.language, self.money_unit
        base, money = self.label(self.base), fixed(self._places())
        runs, formats = self.runs_table()
        parts = [markup("<h3>{}</h3>", t("report.runs.table", lang)), table(runs, formats=formats, cls="runs")]
        if self.chart is not None:
            parts.append(markup('<figure class="chart-box">{}</figure>', self.chart.svg))

        heading_money = t("report.runs.money", lang, unit=unit)
        by_group = self.by_group.rename(index={"all": t("report.groups.all", lang)})
        frame = pd.DataFrame({t("report.groups.group", lang): by_group.index})
        groups = {}
        for what, heading in (("amount", heading_money), ("weighted_outcome", t("report.runs.weighted", lang))):
            for run in self.runs:
                header = f"{heading}: {self.label(run)}"
                frame[header], groups[header] = by_group[f"{what}.{run}"].to_numpy(), (heading, self.label(run))
        formats = {h: (money if g == heading_money else fixed(0)) for h, (g, _) in groups.items()}
        parts += [markup("<h3>{}</h3>", t("report.runs.by_group", lang)),
                  table(frame, formats=formats, groups=groups, row_classes=[""] * (len(frame) - 1) + ["total"])]

        per_unit = self.table
        frame = pd.DataFrame({t("table.code", lang): per_unit["unit_id"].to_numpy(),
                              t("table.unit", lang): per_unit["unit_name"].to_numpy()})
        region = t("table.region", lang) if "region" in per_unit else None
        if region is not None:
            frame[region] = per_unit["region"].to_numpy()
        groups = {}
        heading_diff = t("report.runs.money_diff", lang, base=base, unit=unit)
        for heading, column, shown in ([(heading_money, "amount", run) for run in self.runs]
                                       + [(heading_diff, "amount_diff", run) for run in self.others]):
            header = f"{heading}: {self.label(shown)}"
            frame[header], groups[header] = per_unit[f"{column}.{shown}"].to_numpy(), (heading, self.label(shown))
        frame = with_totals(frame, region, label=t("table.unit", lang), lang=lang)
        note = ""
        if len(per_unit) > MAX_TABLE_ROWS:
            frame = first_units(frame, MAX_TABLE_ROWS)
            note = markup('<p class="notes">{}</p>', t("report.table.first_units", lang, shown=MAX_TABLE_ROWS,
                                                          total=len(per_unit)))
        change = fixed(self._places(), sign=True)
        formats = {h: (money if g == heading_money else change) for h, (g, _) in groups.items()}
        classes = {t("table.code", lang): "code", t("table.unit", lang): "name", region: "name"}
        parts += [markup("<h3>{}</h3>", t("report.runs.by_county", lang)),
                  table(frame, formats=formats, groups=groups, cell_classes=classes, cls="by-county",
                        row_classes=[k if k != "unit" else "" for k in frame.index]), note]
        return section("comparison", t("report.comparison", lang), join(parts), columns=frame.shape[1])

    def _repr_html_(self) -> str:
        return str(self.html())


def group_share(result: Result, group: str) -> float:
    """The share of a run's money that goes to the units of ``group``."""
    amounts = result.units["amount"].to_numpy(dtype=float)
    return float(amounts[result.program.masks[group]].sum() / amounts.sum()) if amounts.sum() > 0 else 0.0


def compare(results: dict[str, Result], base: str | None = None) -> Comparison:
    """Runs side by side: per unit each run's amount and outcome, with differences from ``base``.

    Parameters
    ----------
    results : run name → :class:`~fundalloc.result.Result` (a factor formula, the optimised allocation,
        variants, …), in the order the columns should appear.
    base : the run the differences are taken from; default the first.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "poor": [300, 100], "jobs": [100, 300]})
    >>> sc = fa.Scenario(units=units, budget={"total": 40},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> cmp = fa.compare({"factor": fa.factor_allocation(sc, factors={"poor": 1}), "optimised": fa.solve(sc)})
    >>> print(cmp.headline())  # doctest: +NORMALIZE_WHITESPACE
    optimised vs factor formula: +200 weighted jobs (+100.0 %) at the same budget;
    the factor formula leaves 20 万元 unspent
    >>> cmp.table[["unit_id", "amount.factor", "amount.optimised", "amount_diff.optimised"]].values.tolist()
    [['a', 30.0, 10.0, -20.0], ['b', 10.0, 30.0, 20.0]]
    """
    if not isinstance(results, Mapping):
        raise ArgumentError(msg("errors.api.compare.not_mapping", kind=type(results).__name__))
    if not results:
        raise ArgumentError(msg("errors.api.compare.empty"))
    base = next(iter(results)) if base is None else base
    if base not in results:
        raise ArgumentError(msg("errors.api.compare.no_base", base=repr(base), runs=list(results)))
    bad = [name for name, res in results.items() if not isinstance(res, Result)]
    if bad:
        raise ArgumentError(msg("errors.api.compare.not_results", names=bad))
    return Comparison(results, base)
