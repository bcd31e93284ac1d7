"""A measure's parameters per unit: unit cost (in the scenario's money unit) and capacity (persons)."""
from __future__ import annotations

import numpy as np

from .money import YUAN_PER_UNIT, is_money_string, parse_money
from .scenario import ColumnTimes, Product, Scenario


def _column(sc: Scenario, name: str) -> np.ndarray:
    return sc.units[name].to_numpy(dtype=float)


def unit_cost_per_unit(sc: Scenario, measure: str) -> np.ndarray:
    """Money per beneficiary of ``measure`` in each unit (``sc.units`` order), in ``sc.money_unit``.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "wage": [17.0, 16.0]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, measures={"post": {
    ...     "unit_cost": {"product": ["wage", 60, 12], "unit": "元"}}})
    >>> unit_cost_per_unit(sc, "post").round(4).tolist()
    [1.224, 1.152]
    """
    cost = sc.measures[measure].unit_cost
    n = len(sc.units)
    if isinstance(cost, Product):
        value = np.ones(n)
        for item in cost.product:
            if isinstance(item, str) and not is_money_string(item):
                value = value * _column(sc, item)
            else:  # numbers are plain factors; money strings are converted to the product's unit
                value = value * parse_money(item, cost.unit or sc.money_unit)
        return value * YUAN_PER_UNIT[cost.unit or sc.money_unit] / YUAN_PER_UNIT[sc.money_unit]
    if isinstance(cost, str) and not is_money_string(cost):
        return _column(sc, cost)
    return np.full(n, parse_money(cost, sc.money_unit))


def capacity_per_unit(sc: Scenario, measure: str) -> np.ndarray:
    """Most beneficiaries of ``measure`` in each unit; ``inf`` where the measure has no capacity."""
    cap = sc.measures[measure].capacity
    n = len(sc.units)
    if cap is None:
        return np.full(n, np.inf)
    if isinstance(cap, str):
        return _column(sc, cap)
    if isinstance(cap, ColumnTimes):
        return _column(sc, cap.column) * cap.factor
    return np.full(n, float(cap))


def _column_times(sc: Scenario, value, default: float) -> np.ndarray:
    """A number, a column or ``{column, factor}`` as one value per unit."""
    n = len(sc.units)
    if value is None:
        return np.full(n, default)
    if isinstance(value, ColumnTimes):
        return _column(sc, value.column) * value.factor
    if isinstance(value, str):
        return _column(sc, value)
    return np.full(n, float(value))


def effectiveness_per_unit(sc: Scenario, measure: str) -> np.ndarray:
    """Steps × units: persons employed per beneficiary on each step in each unit (a column gives one step).

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "net": [0.5, 0.8]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, measures={"m": {"unit_cost": 1, "effectiveness": "net"}})
    >>> effectiveness_per_unit(sc, "m").tolist()
    [[0.5, 0.8]]
    """
    m = sc.measures[measure]
    if isinstance(m.effectiveness, str):
        return _column(sc, m.effectiveness)[None, :]
    return np.array([[s.value] * len(sc.units) for s in m.steps()], dtype=float).reshape(len(m.steps()), -1)


def full_time_equivalent_per_unit(sc: Scenario, measure: str) -> np.ndarray:
    """How much one person employed by ``measure`` counts in the objective, per unit (1: a full-time job)."""
    return _column_times(sc, sc.measures[measure].full_time_equivalent, 1.0)


def demand_per_unit(sc: Scenario, measure: str) -> np.ndarray | None:
    """The expected eligible claims of an entitlement per unit, or None when the measure has no ``demand``."""
    demand = sc.measures[measure].demand
    return None if demand is None else _column_times(sc, demand, 0.0)


def hours_per_unit(sc: Scenario, measure: str) -> np.ndarray | None:
    """Working hours one beneficiary is paid for, per unit (None when the measure states none)."""
    hours = sc.measures[measure].hours
    return None if hours is None else _column_times(sc, hours, 0.0)
