"""The price of each policy rule: the objective with the rule removed, and with it loosened by a step, beside
its shadow price and what the shadow prices predict."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog import t
from ..charts import Chart, series_bar_chart
from ..errors import ScenarioError
from ..labels import field_words, shown
from ..numbers import percent
from ..program import Program, build
from ..result import Result
from ..scenario import Scenario, scenario_argument
from . import params
from .warm import INVALID, Point, WarmSolver
from .words import objective_words

#: a rule whose removal changes the objective by less than this (relative) costs nothing
PRICE_TOLERANCE = 1e-8
#: the status of the re-solves not run for a pool that is an accounting identity
IDENTITY = "identity"


def improvement(program: Program, change: float) -> float:
    """An objective change as an improvement (positive = better) whatever the sense."""
    return change if program.sense == "max" else -change


def objective_scale(program: Program) -> float:
    return program.money_scale if program.sense == "min" else 1.0


# ------------------------------------------------------------------------------------- first order
def first_order_change(result: Result, changed: Program) -> float:
    """The objective change the duals predict when ``result``'s programme becomes ``changed`` (same rows and
    columns; changed bounds or coefficients), exact while the optimal basis holds.

    A row ``a·x ≥ b`` whose bound moves by Δb and coefficients by Δa behaves at the optimum ``x*`` like one
    whose bound moved by Δb − Δa·x*; the dual prices that move.
    """
    p, s = result.program, result.solution
    x = s.x
    act = p.matrix @ x
    moved = changed.matrix @ x - act
    at_lower = np.isfinite(p.row_lower) & (~np.isfinite(p.row_upper)
                                           | (np.abs(act - p.row_lower) <= np.abs(act - p.row_upper)))
    with np.errstate(invalid="ignore"):
        bound = np.where(at_lower, changed.row_lower - p.row_lower, changed.row_upper - p.row_upper)
    effective = np.where(np.isfinite(bound), bound, 0.0) - moved
    return float(s.row_dual @ effective) * objective_scale(p)


# ------------------------------------------------------------------------------------------ rules
def relaxation(sc: Scenario, rule, step: float) -> tuple[dict, str]:
    """(changes, what changes) loosening ``rule`` by ``step``: shares by ``step`` (0.1 = 10 points), other levels
    by ``step`` of their value. What changes is said in the scenario's language (``min 50% → 40%``)."""
    name, kind, lang = rule.name, rule.type, sc.language
    changes, said = {}, []

    def level(field, new, text):
        changes[f"rules.{name}.{field}"] = new
        said.append(t("sens.relaxed.field", lang, field=field_words(field, lang), change=text.strip()))

    if kind in ("group_share", "earmark", "region_share"):
        from ..groups import group_masks
        from ..rules import by_region, share_pieces

        if getattr(rule, "references", None) and by_region(rule):  # a share per region: lower every term
            terms = [term if isinstance(term, str) else max(term - step, 0.0) for term in rule.min_terms]
            level("min", terms if isinstance(rule.min, list) else terms[0], " −" + t("explain.per.points", lang, n=f"{100 * step:g}"))
            changes[f"rules.{name}.plus"] = rule.plus - step
            rule = rule.model_copy(update={"min": None})
        elif getattr(rule, "references", None):  # a reference share: loosen the number it is
            share = share_pieces(sc, rule, group_masks(sc))[0].level
            rule = rule.model_copy(update={"min": share})
            changes[f"rules.{name}.plus"] = 0.0
        if rule.min is not None:
            new = max(rule.min - step, 0.0)
            level("min", new, f" {percent(rule.min)} → {percent(new)}")
        if rule.max is not None:
            new = min(rule.max + step, 1.0)
            level("max", new, f" {percent(rule.max)} → {percent(new)}")
        return changes, t("explain.list_sep", lang).join(said)
    loosen, tighten = 1 + step, 1 - step
    if kind == "hold_harmless":
        level("min_ratio", rule.min_ratio * tighten, f" {rule.min_ratio:g} → {rule.min_ratio * tighten:.4g}")
        if rule.max_ratio is not None:
            level("max_ratio", rule.max_ratio * loosen, f" {rule.max_ratio:g} → {rule.max_ratio * loosen:.4g}")
    elif kind == "per_capita_tilt":
        level("ratio", rule.ratio * tighten, f" {rule.ratio:g} → {rule.ratio * tighten:.4g}")
    elif kind == "coverage":
        level("factor", rule.factor * tighten, f" {rule.factor:g} → {rule.factor * tighten:.4g}")
    elif kind == "pool":
        level("factor", rule.factor * loosen, f" {rule.factor:g} → {rule.factor * loosen:.4g}")
    elif kind == "min_coverage_rate":
        level("rate", rule.rate * tighten, f" {rule.rate:g} → {rule.rate * tighten:.4g}")
    elif kind == "unit_bounds":
        for field, factor in (("min", tighten), ("max", loosen)):
            if getattr(rule, field) is not None:
                level(field, params.scaled(sc, f"rules.{name}.{field}", factor), f" ×{factor:g}")
    return changes, t("explain.list_sep", lang).join(said)


def rule_prices(sc: Scenario, *, step: float = 0.1, result: Result | None = None,
                progress: bool = False) -> pd.DataFrame:
    """The price of each policy rule: the objective with the rule removed and with it loosened by ``step``,
    beside its shadow price.

    Shares (``group_share``, ``earmark``) move by ``step`` (0.1 = ten points); other levels (``min_ratio``,
    ``factor``, ``ratio``, ``rate``, unit bounds) by ``step`` of their value. ``price`` and ``price_of_step``
    are improvements of the objective (more persons for ``max_outcome``, less money for ``min_cost``);
    a rule that does not bind costs 0. ``estimate_of_step`` is what the shadow prices predict for the step (the
    shadow price multiplied out: quote ``price_of_step``, which is re-solved). A pool that is an accounting identity
    and each ``population.<P>`` row (``identity`` True, the populations first) keep their shadow price but get no
    price: loosening them would count a person twice, which is no policy (their statuses read ``identity``;
    nothing is re-solved).

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "B县"], "jobs": [100, 100],
    ...                       "cost": [0.2, 0.1], "poor": [1, 0]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, groups={"poor": {"column": "poor"}},
    ...                  measures={"workshop": {"unit_cost": "cost", "capacity": "jobs"}},
    ...                  rules=[{"type": "group_share", "name": "tilt", "group": "poor", "min": 0.5}])
    >>> rule_prices(sc)[["rule", "binding", "price", "relaxed", "price_of_step"]]
       rule  binding  price        relaxed  price_of_step
    0  tilt     True   25.0  min 50% → 40%            5.0
    """
    from ..progress import progress_bar

    sc = scenario_argument(sc, "fa.rule_prices")
    solver = WarmSolver(sc)
    program = build(sc)
    base = solver.base(sc, program)  # also the basis the variations start from
    result = result if result is not None else base
    prices = result.shadow_prices
    def identity(name, kind):  # loosening it would count a person twice: no policy, nothing re-solved
        return {"rule": name, "type": kind, "binding": name in result.binding_rules,
                "shadow_price": float(prices.get(name, np.nan)), "objective": result.objective,
                "objective_without": np.nan, "price": np.nan, "relaxed": "", "objective_relaxed": np.nan,
                "price_of_step": np.nan, "estimate_of_step": np.nan, "status_without": IDENTITY,
                "status_relaxed": IDENTITY, "identity": True}

    rows = [identity(name, "population") for name in program.rule_blocks()
            if program.block_info[name].kind == "population"]
    bar = progress_bar(total=2 * len(sc.rules), desc=t("sens.progress.rule_prices", sc.language), disable=not progress, leave=False)
    for rule in sc.rules:
        name = rule.name
        if rule.type == "pool" and rule.is_identity:
            bar.update(2)
            rows.append(identity(name, rule.type))
            continue
        lower, upper = program.row_lower.copy(), program.row_upper.copy()
        block = program.blocks[name]
        lower[block], upper[block] = -np.inf, np.inf
        without = solver.solve(sc, program.with_rows(lower, upper))
        bar.update()
        changes, relaxed_text = relaxation(sc, rule, step)
        try:
            relaxed_sc = sc.with_changes(changes)
        except ScenarioError as err:  # e.g. a loosened floor the rule's other limit does not allow
            relaxed, estimate = Point(INVALID, message=str(err)), np.nan
        else:
            relaxed_program = build(relaxed_sc)
            relaxed = solver.solve(relaxed_sc, relaxed_program)
            same_shape = relaxed_program.matrix.shape == program.matrix.shape
            estimate = (improvement(program, first_order_change(result, relaxed_program))
                        if result.solution.row_dual is not None and same_shape else np.nan)
        bar.update()
        rows.append({
            "rule": name, "type": rule.type, "binding": name in result.binding_rules,
            "shadow_price": float(prices.get(name, np.nan)),
            "objective": result.objective,
            "objective_without": _objective(without),
            "price": _price(program, result.objective, without),
            "relaxed": relaxed_text,
            "objective_relaxed": _objective(relaxed),
            "price_of_step": _price(program, result.objective, relaxed),
            "estimate_of_step": _snap(estimate, result.objective),
            "status_without": without.status, "status_relaxed": relaxed.status, "identity": False,
        })
    bar.close()
    return pd.DataFrame(rows, columns=["rule", "type", "binding", "shadow_price", "objective", "objective_without",
                                       "price", "relaxed", "objective_relaxed", "price_of_step", "estimate_of_step",
                                       "status_without", "status_relaxed", "identity"])


def gain(solver: WarmSolver, sc: Scenario, changes: dict, result: Result) -> float:
    """What the objective gains over ``result`` (an improvement, see :func:`improvement`) when ``sc`` changes by
    ``changes``, re-solved on ``solver``; NaN when the changed scenario is not valid or has no optimum."""
    try:
        changed = sc.with_changes(changes)
    except ScenarioError:
        return np.nan
    return _price(result.program, result.objective, solver.solve(changed, build(changed)))


def _objective(point) -> float:
    return point.result.objective if point.result is not None else np.nan


def _snap(value: float, reference: float) -> float:
    return 0.0 if abs(value) <= PRICE_TOLERANCE * max(1.0, abs(reference)) else value


def _price(program: Program, base: float, point) -> float:
    if point.result is None:
        return np.nan
    return _snap(improvement(program, point.result.objective - base), base)


def rule_prices_chart(prices: pd.DataFrame, sc: Scenario) -> Chart:
    """A bar chart: what each policy rule costs (removed, and loosened by the step); identities are left out."""
    prices = prices[~prices["identity"]]
    lang = sc.language
    return series_bar_chart([t("sens.chart.rule_step", lang, rule=shown(sc, "rule", r), relaxed=relaxed)
                             for r, relaxed in zip(prices["rule"], prices["relaxed"])],
                            {t("sens.chart.rule_removed", lang): prices["price"],
                             t("sens.chart.rule_loosened", lang): prices["price_of_step"]},
                            colours=["#C0504D", "#F2A49A"], title=t("sens.chart.rule_costs", lang), lang=lang,
                            xlabel=t("sens.chart.objective_gained", lang, words=objective_words(sc)))
