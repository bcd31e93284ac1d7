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
