"""What one solve says about its neighbourhood, in plain words: what more budget buys, what each binding rule
costs at the margin, which measures are on the edge of being funded, and the ranging table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..program import build
from ..result import Result
from .prices import PRICE_TOLERANCE, first_order_change, improvement, relaxation
from .words import effect, fmt, objective_words, rule_words


def _binding_units(result: Result, name: str, top: int = 3) -> str:
    """'in 12 units, most in 康保县, 阳原县' for a per-unit rule ('' otherwise)."""
    info = result.program.block_info[name]
    if info.units is None:
        return ""
    rows = result.program.blocks[name]
    dual = np.abs(result.solution.row_dual[rows])
    binding = np.flatnonzero(dual > 1e-9)
    if not binding.size:
        return ""
    names = result.scenario.units["name"].to_numpy()[info.units[binding[np.argsort(-dual[binding])][:top]]]
    return f"; it binds in {binding.size} unit{'s' if binding.size > 1 else ''}, most in {', '.join(names)}"


# ------------------------------------------------------------------------------------- entry thresholds
def entry_thresholds(result: Result) -> pd.DataFrame:
    """Measures a unit gets nothing of, and what would bring each into the allocation: a unit cost so much
    lower, or an effectiveness so much higher.

    Exact while the optimal basis holds: a column out of the basis leaves the duals unchanged, its money
    coefficients (budget, shares, floors) scale with its unit cost and its outcome coefficients (objective,
    coverage) with its effectiveness, so its reduced cost reaches zero at the change given. Only the first
    step of a stepped measure is considered. Columns: unit_id, unit_name, measure, unit_cost,
    cost_cut_to_enter (share of the cost, NaN when no cut is enough), entry_unit_cost, effectiveness,
    effectiveness_rise_to_enter (share, NaN when no rise is enough), entry_effectiveness. Closest first.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "B县"], "jobs": [100, 100], "cost": [0.2, 0.1]})
    >>> sc = fa.Scenario(units=units, budget={"total": 8}, measures={
    ...     "workshop": {"unit_cost": "cost", "capacity": "jobs"},
    ...     "export": {"unit_cost": "2500 元", "effectiveness": 1.5, "max_effectiveness": 1.5,  # each also
    ...                "capacity": "jobs"}})                                                  # places a relative
    >>> entry_thresholds(fa.solve(sc))[["unit_name", "measure", "cost_cut_to_enter", "entry_unit_cost"]]
      unit_name   measure  cost_cut_to_enter  entry_unit_cost
    0       康保县    export                0.4             0.15
    1        B县    export                0.4             0.15
    2       康保县  workshop                0.5             0.10
    """
    columns = ["unit_id", "unit_name", "measure", "unit_cost", "cost_cut_to_enter", "entry_unit_cost",
               "effectiveness", "effectiveness_rise_to_enter", "entry_effectiveness"]
    p, s = result.program, result.solution
    if s.col_dual is None or s.row_dual is None:
        return pd.DataFrame(columns=columns)
    money_rows = np.zeros(len(p.row_lower), bool)
    outcome_rows = np.zeros(len(p.row_lower), bool)
    for name, info in p.block_info.items():
        money_rows[p.blocks[name]] = info.quantity == "money"
        outcome_rows[p.blocks[name]] = info.kind in _OUTCOME_KINDS
    kind = result.scenario.objective.type
    money_cost = p.cost if kind == "min_cost" else np.zeros(p.n_cols)
    outcome_cost = np.zeros(p.n_cols)
    if kind != "min_cost":  # the objective (of the last stage) is weight × effectiveness
        outcome_cost[:p.n_alloc] = p.weights[p.col_unit[:p.n_alloc]] * p.col_effect[:p.n_alloc]
    # how the reduced cost moves per unit of relative change: −(cost cut), +(effectiveness rise)
    money_slope = money_cost - p.matrix.T @ np.where(money_rows, s.row_dual, 0.0)
    outcome_slope = outcome_cost - p.matrix.T @ np.where(outcome_rows, s.row_dual, 0.0)
    alloc = np.arange(p.n_alloc)
    cols = alloc[(p.col_step[alloc] == 0) & (p.col_upper[alloc] > 0)]
    d = s.col_dual[cols]
    out = (s.x[cols] <= 1e-9 * np.maximum(1.0, p.col_upper[cols])) & (np.abs(d) > 1e-9)
    cols, d = cols[out], d[out]
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = d / money_slope[cols]
        rise = -d / outcome_slope[cols]
    cut = np.where(np.isfinite(cut) & (cut > 1e-9) & (cut < 1), cut, np.nan)
    rise = np.where(np.isfinite(rise) & (rise > 1e-9), rise, np.nan)
    keep = ~(np.isnan(cut) & np.isnan(rise))
    cols, cut, rise = cols[keep], cut[keep], rise[keep]
    units = result.scenario.units
    cost = p.col_money[cols] * p.money_scale
    persons = p.col_effect[cols]
    frame = pd.DataFrame({
        "unit_id": units["id"].to_numpy()[p.col_unit[cols]], "unit_name": units["name"].to_numpy()[p.col_unit[cols]],
        "measure": np.asarray(p.measures)[p.col_measure[cols]], "unit_cost": cost,
        "cost_cut_to_enter": cut, "entry_unit_cost": cost * (1 - cut),
        "effectiveness": persons, "effectiveness_rise_to_enter": rise, "entry_effectiveness": persons * (1 + rise),
    }, columns=columns)
    frame["_closest"] = np.fmin(frame["cost_cut_to_enter"], frame["effectiveness_rise_to_enter"])
    return frame.sort_values(["_closest", "unit_id"], kind="stable").drop(columns="_closest").reset_index(drop=True)


_OUTCOME_KINDS = {"coverage", "target", "max_min_coverage"}


# ---------------------------------------------------------------------------------------- ranging
_RANGING_WHAT = {"effectiveness": "persons employed per beneficiary", "unit_cost": "unit cost",
                 "rhs": "rule limit"}


def ranging_table(result: Result) -> pd.DataFrame:
    """The ranging of ``result`` with plain column names.

    Each row is one number of the model (a measure's effectiveness in a unit, or a rule's limit) with the
    interval over which the same measures and rules stay active, so the shadow prices stay valid:
    what, rule, unit_id, unit_name, measure, step (1 = first), current, lowest, highest,
    objective_at_lowest, objective_at_highest (the objective when a rule's limit is moved to that end).

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> ranging_table(fa.solve(sc)).query("rule == 'budget'")[["what", "current", "lowest", "highest"]]
             what  current  lowest  highest
    2  rule limit     10.0     5.0     15.0
    """
    r = result.ranging
    frame = pd.DataFrame({
        "what": r["kind"].map(_RANGING_WHAT).fillna(r["kind"]),
        "rule": r["rule"], "unit_id": r["unit_id"], "unit_name": r["unit_name"], "measure": r["measure"],
        "step": np.where(r["step"].to_numpy(dtype=float) >= 0, r["step"].to_numpy(dtype=float) + 1, np.nan),
        "current": r["value"], "lowest": r["low"], "highest": r["high"],
        "objective_at_lowest": r["objective_at_low"], "objective_at_highest": r["objective_at_high"],
    })
    return frame


# ---------------------------------------------------------------------------------------- sentences
def explain(result: Result, *, top: int = 5, step: float = 0.1) -> list[str]:
    """Sentences an official understands, from one solve: what more budget buys, what each binding rule
    costs, and which measures are on the edge of being funded.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "B县"], "jobs": [100, 100],
    ...                       "cost": [0.2, 0.1], "poor": [1, 0]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, groups={"poor": {"column": "poor"}},
    ...     measures={"workshop": {"unit_cost": "cost", "capacity": "jobs"},
    ...               "export": {"unit_cost": "2500 元", "effectiveness": 1.5, "max_effectiveness": 1.5,
    ...                          "capacity": "jobs"}},  # each placed worker also places a relative
    ...     rules=[{"type": "group_share", "name": "tilt", "group": "poor", "min": 0.5}])
    >>> for sentence in explain(fa.solve(sc)):
    ...     print(sentence)
    One more 万元 of budget would add 8 weighted persons employed; 1 % more budget (0.1 万元) about 0.8. This rate holds at least for budgets from 0 to 20 万元.
    The `tilt` rule (at least 50% of the money to `poor`) costs 4 weighted persons employed per 10 points at the margin (min 50% → 40%), a rate that holds at least for shares from 0.0% to 100.0%.
    康保县's workshop would enter the allocation if it cost 17% less (at most 0.167 万元 per beneficiary instead of 0.2).
    B县's export would enter the allocation if it cost 40% less (at most 0.15 万元 per beneficiary instead of 0.25).
    """
    sc, p, s = result.scenario, result.program, result.solution
    if s.row_dual is None:
        return [f"No shadow prices: {note}." for note in result.notes] or ["No shadow prices are available."]
    lines = []
    prices = result.shadow_prices
    unit = sc.money_unit
    if "budget" in prices.index and sc.budget is not None:
        price, total = float(prices["budget"]), sc.money(sc.budget.total)
        if abs(price) <= 1e-9:
            lines.append(f"More budget would not change the objective: at {fmt(total)} {unit} the budget is not "
                         "what limits the allocation (capacities and rules are).")
        else:
            verb, amount = effect(sc, price)
            lines.append(f"One more {unit} of budget would {verb} {amount}; 1 % more budget "
                         f"({fmt(total / 100)} {unit}) about {fmt(abs(price) * total / 100)}."
                         + _budget_range(result))
    for name in p.rule_blocks():
        if p.block_info[name].kind == "target" and abs(float(prices[name])) > 1e-9:
            verb, amount = effect(sc, float(prices[name]))
            lines.append(f"Raising `{name}` by one person employed would {verb} {amount}.")
    for rule in sc.rules:
        if rule.name not in result.binding_rules:
            continue
        changes, said, per = relaxation(sc, rule, step)
        try:
            change = first_order_change(result, build(sc.with_changes(changes)))
        except ValueError:  # a relaxed scenario that does not validate, or a changed shape
            continue
        if abs(change) <= PRICE_TOLERANCE * max(1.0, abs(result.objective)):
            continue
        cost = f"{fmt(abs(improvement(p, change)))} {objective_words(sc)}"
        lines.append(f"The `{rule.name}` rule ({rule_words(sc, rule)}) costs {cost} per {per} at the margin"
                     f" ({said}){_share_range(result, rule)}{_binding_units(result, rule.name)}.")
    for row in entry_thresholds(result).head(top).itertuples():
        label = sc.measures[row.measure].label or row.measure
        if np.isfinite(row.cost_cut_to_enter):
            lines.append(f"{row.unit_name}'s {label} would enter the allocation if it cost {row.cost_cut_to_enter:.0%}"
                         f" less (at most {fmt(row.entry_unit_cost)} {unit} per beneficiary instead of "
                         f"{fmt(row.unit_cost)}).")
        else:
            lines.append(f"{row.unit_name}'s {label} would enter the allocation if it worked "
                         f"{row.effectiveness_rise_to_enter:.0%} better there (at least {fmt(row.entry_effectiveness)} "
                         f"persons employed per beneficiary instead of {fmt(row.effectiveness)}); no cheaper cost "
                         "alone would do it.")
    return lines


def _share_range(result: Result, rule) -> str:
    """', a rate that holds at least for shares from 44.2% to 46.1%' for a binding share rule (from its row's ranging)."""
    if rule.type not in ("group_share", "earmark"):
        return ""
    p = result.program
    act = result.solution.row_activity[p.blocks[rule.name]]
    labels = p.block_info[rule.name].labels
    side = next((label for label, a in zip(labels, act) if abs(a) <= 1e-7 * max(1.0, np.abs(act).max())), None)
    r = result.ranging
    row = r[(r["kind"] == "rhs") & (r["rule"] == f"{rule.name}.{side}")]
    if side is None or row.empty:
        return ""
    where = np.ones(p.n_units, bool) if rule.where is None else p.masks[rule.where]
    whole = float(result.units["amount"].to_numpy()[where].sum())
    if whole <= 0:
        return ""
    level = getattr(rule, side)
    # moving the row's bound by r is moving the share by r / whole (`part − share·whole ≥ r`)
    low, high = (level + float(row[end].iloc[0]) / whole for end in ("low", "high"))
    low, high = max(low, 0.0), min(high, 1.0)
    return f", a rate that holds at least for shares from {low:.1%} to {high:.1%}"


def _budget_range(result: Result) -> str:
    r = result.ranging
    row = r[(r["kind"] == "rhs") & (r["rule"] == "budget")]
    if row.empty:
        return ""
    low, high = float(row["low"].iloc[0]), float(row["high"].iloc[0])
    unit = result.scenario.money_unit
    if not np.isfinite(high):
        return f" This rate holds for any budget above {fmt(low)} {unit}."
    return f" This rate holds at least for budgets from {fmt(low)} to {fmt(high)} {unit}."
