"""Parameters named by dotted path: their base value, their valid range, and the value scaled by a factor.

A tornado moves a parameter by ±20 %, a Monte Carlo draw multiplies it by a random factor; both must scale
whatever form the parameter is written in (a number, money with its unit ``"1000 元"``, a units-table column,
``{product: [...]}``, ``{column, factor}``, effectiveness steps) and keep the result valid: costs above 0,
counts and capacities not below 0, shares between 0 and 1.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import paths
from ..catalog import msg
from ..errors import ScenarioError
from ..money import is_money_string, money_parts
from ..scenario import Scenario

#: a parameter that must stay above 0 (a unit cost, the budget) is kept at least this share of its base value
POSITIVE_FLOOR = 0.01

_POSITIVE_FIELDS = {"unit_cost", "total", "hours", "ratio"}
_SHARE_RULES = {"group_share", "earmark"}


def concrete_paths(sc: Scenario, path: str, *, where: tuple = ()) -> list[str]:
    """The paths ``path`` stands for (``*`` expanded); a :class:`ScenarioError` naming it when it names nothing."""
    try:
        found = paths.expand(sc.to_dict(), path, sc.units)
    except paths.PathError as err:
        raise ScenarioError([(where or tuple(path.split(".")), err.reason)], source=sc.source,
                            language=sc.language) from None
    if path == "units.*":  # only the counts and amounts can be scaled, not names, codes or flags
        found = [p for p in found if _is_number_column(sc.units[p.split(".", 1)[1]])]
    return found


def _is_number_column(values) -> bool:
    """A count or amount, not a flag (booleans, or nothing but 0 and 1)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    return not values.dropna().isin([0, 1]).all()


def is_units_path(path: str) -> bool:
    return path.startswith("units.")


def base_value(sc: Scenario, path: str, data: dict | None = None) -> Any:
    """The value at a concrete path as written (plain data), or a units column as floats. ``data``:
    ``sc.to_dict()`` when the caller has it (it is rebuilt on every call otherwise)."""
    if is_units_path(path):
        return sc.units[path.split(".", 1)[1]].to_numpy(dtype=float)
    return paths.get(data if data is not None else sc.to_dict(), path)


def base_number(sc: Scenario, path: str, data: dict | None = None) -> float | np.ndarray | None:
    """The value as a number (money in the scenario's ``money_unit``), per unit for a units column, or None
    when it is not one number (a column, a product, steps)."""
    value = base_value(sc, path, data)
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and is_money_string(value):
        return sc.money(value)
    if isinstance(value, list) and value and all(isinstance(s, dict) and "value" in s for s in value):
        return float(value[0]["value"])  # steps: the first (best) step stands for them
    return None


def value_kind(sc: Scenario, path: str) -> str:
    """``positive``, ``nonnegative``, ``share`` (0–1) or ``any``: the range a value at ``path`` must keep."""
    parts = path.split(".")
    if parts[0] == "units":
        return "nonnegative"
    if parts[0] == "weights":
        return "positive"
    last = parts[-1]
    if parts[0] == "rules" and last in ("min", "max"):
        rule = sc.rule(parts[1])
        return "share" if rule.type in _SHARE_RULES else "nonnegative"
    if last in _POSITIVE_FIELDS:
        return "positive"
    if parts[0] in ("measures", "rules", "objective", "budget"):
        return "nonnegative"
    return "any"


def clamp(kind: str, value, reference=None):
    """``value`` kept inside the range of ``kind``; ``reference`` (the base value) sets the positive floor."""
    value = np.asarray(value, dtype=float)
    if kind == "share":
        value = np.clip(value, 0.0, 1.0)
    elif kind == "nonnegative":
        value = np.maximum(value, 0.0)
    elif kind == "positive":
        floor = POSITIVE_FLOOR * np.abs(np.asarray(reference if reference is not None else 1.0, dtype=float))
        value = np.maximum(value, np.where(floor > 0, floor, 1e-12))
    return value if value.ndim else float(value)


def scaled(sc: Scenario, path: str, factor, data: dict | None = None) -> Any:
    """The value at ``path`` multiplied by ``factor`` (one number, or one per unit for ``units.COLUMN``),
    kept valid, in a form the scenario accepts.

    A column becomes ``{product: [column, factor]}`` for a unit cost and ``{column, factor}`` elsewhere;
    a product gains the factor; money keeps its unit; steps are all scaled (so they stay non-increasing).

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a"], "name": ["A"], "wage": [17.0], "jobs": [10]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, measures={
    ...     "post": {"unit_cost": {"product": ["wage", 60], "unit": "元"}, "capacity": "jobs"},
    ...     "workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> scaled(sc, "measures.workshop.unit_cost", 0.8)
    '800 元'
    >>> scaled(sc, "measures.post.unit_cost", 1.2)
    {'product': ['wage', 60.0, 1.2], 'unit': '元'}
    >>> scaled(sc, "measures.post.capacity", 0.5)
    {'column': 'jobs', 'factor': 0.5}
    """
    kind = value_kind(sc, path)
    value = base_value(sc, path, data)
    if kind in ("positive", "nonnegative"):
        factor = clamp(kind, factor, 1.0)
    if isinstance(value, np.ndarray):
        return clamp(kind, value * factor, value)
    if np.ndim(factor):
        raise ScenarioError([(tuple(path.split(".")), msg("check.sensitivity.per_unit"))], source=sc.source,
                            language=sc.language)
    factor = float(factor)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return clamp(kind, value * factor, value) if kind == "share" else value * factor
    if isinstance(value, str):
        parts = money_parts(value)
        if parts is not None:
            number, unit = parts
            return f"{number * factor:.12g}" + (f" {unit}" if unit else "")
        if path.split(".")[-1] == "unit_cost":
            return {"product": [value, factor]}
        return {"column": value, "factor": factor}
    if isinstance(value, dict) and "product" in value:
        return {**value, "product": [*value["product"], factor]}
    if isinstance(value, dict) and "column" in value:
        return {**value, "factor": value.get("factor", 1.0) * factor}
    if isinstance(value, list) and all(isinstance(s, dict) and "value" in s for s in value):
        return [{**s, "value": s["value"] * factor} for s in value]
    raise ScenarioError([(tuple(path.split(".")), msg("check.sensitivity.not_scalable", value=repr(value)))],
                        source=sc.source, language=sc.language)


def absolute(sc: Scenario, path: str, value, data: dict | None = None) -> Any:
    """``value`` (a number, or one per unit for ``units.COLUMN``) as the new value at ``path``, kept valid.
    For effectiveness steps the first step takes the value and the others keep their ratio to it."""
    kind, base = value_kind(sc, path), base_number(sc, path, data)
    value = clamp(kind, value, base if base is not None else value)
    raw = base_value(sc, path, data)
    if isinstance(raw, list) and raw and base:
        return [{**s, "value": s["value"] * float(value) / base} for s in raw]
    return value


def apply(sc: Scenario, changes: dict[str, Any]) -> Scenario:
    """``sc.with_changes(changes)`` for concrete paths (no ``*``), copying the scenario's data once however
    many paths change (a Monte Carlo draw changes dozens). The new scenario is validated as always."""
    data, units = sc.to_dict(), sc.units
    for path, value in changes.items():
        if is_units_path(path):
            units = units.copy() if units is sc.units else units
            units[path.split(".", 1)[1]] = value
            continue
        parent, _, last = path.rpartition(".")
        node = paths.get(data, parent) if parent else data
        if not isinstance(node, dict):
            raise ScenarioError([(tuple(path.split(".")), msg("check.path.not_fields", parent=parent))],
                                source=sc.source, language=sc.language)
        node[last] = value
    return Scenario(**data, units=units)


def describe_factor(sc: Scenario, path: str, factor: float) -> Any:
    """A scaled parameter for tables: its number when the base is one number (money in ``money_unit``),
    else ``×0.8``."""
    base = base_number(sc, path)
    if base is None or np.ndim(base) or isinstance(base_value(sc, path), list):
        return f"×{factor:g}"
    value = scaled(sc, path, factor)
    return sc.money(value) if isinstance(value, str) else float(value)
