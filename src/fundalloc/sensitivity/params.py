"""Parameters named by dotted path: their base value, their physical bounds, and new values written in a form
the scenario accepts.

A tornado moves a parameter by ±20 %, a Monte Carlo draw multiplies it by a random factor or sets it to a
drawn value, a sweep sets it to each of a list of values. Each sees the parameter as a :class:`Quantity`: a few
plain numbers, its *components*, each with physical bounds. A component is the one number (a count, a share, a
ratio, money in the unit it is written in), the value of each effectiveness step, one value per unit
(``units.COLUMN``), or, for a value that is not one number (a column or product unit cost, a column capacity),
the factor it is multiplied by. New values are clipped to the bounds and the clipped ones counted: effectiveness
between 0 and the measure's ``max_effectiveness``, costs, the budget and ratios above 0 (at least 1 % of their
base value), counts, capacities and factors not below 0, shares between 0 and 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import paths
from ..catalog import msg
from ..errors import ScenarioError
from ..money import is_money_string, money_parts
from ..scenario import Product, Scenario

#: a parameter that must stay above 0 (a unit cost, the budget) is kept at least this share of its base value
POSITIVE_FLOOR = 0.01

_POSITIVE_FIELDS = {"unit_cost", "total", "hours", "ratio"}
_SHARE_RULES = {"group_share", "region_share", "earmark"}


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
    if _is_steps(value):
        return float(value[0]["value"])  # steps: the first (best) step stands for them
    return None


def _is_steps(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(s, dict) and "value" in s for s in value)


def value_kind(sc: Scenario, path: str) -> str:
    """``effectiveness`` (0 to the measure's ``max_effectiveness``), ``positive``, ``nonnegative``, ``share``
    (0–1) or ``any``: the range a value at ``path`` must keep."""
    parts = path.split(".")
    if parts[0] == "units":
        if _effectiveness_measures(sc, parts[1]):
            return "effectiveness"
        return "positive" if parts[1] in _cost_columns(sc) else "nonnegative"
    if parts[0] == "weights":
        return "positive"
    last = parts[-1]
    if parts[0] == "measures" and last == "effectiveness":
        return "effectiveness"
    if parts[0] == "rules" and last in ("min", "max"):
        rule = sc.rule(parts[1])
        return "share" if rule.type in _SHARE_RULES else "nonnegative"
    if last in _POSITIVE_FIELDS:
        return "positive"
    if parts[0] in ("measures", "rules", "objective", "budget"):
        return "nonnegative"
    return "any"


def _effectiveness_measures(sc: Scenario, column: str) -> list[str]:
    """The measures whose effectiveness is the units column ``column``."""
    return [name for name, m in sc.measures.items() if m.effectiveness == column]


def _cost_columns(sc: Scenario) -> set[str]:
    """Units columns a unit cost is made of (they must stay above 0)."""
    out = set()
    for m in sc.measures.values():
        cost = m.unit_cost
        if isinstance(cost, Product):
            out |= {f for f in cost.product if isinstance(f, str) and not is_money_string(f)}
        elif isinstance(cost, str) and not is_money_string(cost):
            out.add(cost)
    return out


@dataclass(frozen=True)
class Quantity:
    """A parameter seen as components with physical bounds (see the module's docstring).

    ``form``: ``number``, ``money`` (a figure with its unit, the component in that unit), ``steps``
    (effectiveness steps, one component each), ``units`` (one component per unit) or ``factor`` (a column or a
    product: the component is the factor it is multiplied by, base 1). ``low``/``high``: each component's bounds.
    """

    path: str
    form: str
    base: np.ndarray
    low: np.ndarray
    high: np.ndarray
    raw: Any

    @property
    def per_unit(self) -> bool:
        return self.form == "units"

    def scaled(self, factor) -> tuple[np.ndarray, int]:
        """The components times ``factor`` (one number, or one per unit for ``units``), clipped; and how many
        were clipped."""
        factor = np.asarray(factor, dtype=float)
        if factor.ndim and not self.per_unit:
            raise ScenarioError([(tuple(self.path.split(".")), msg("check.sensitivity.per_unit"))])
        return self.clip(self.base * factor)

    def set_to(self, value) -> tuple[np.ndarray, int]:
        """The components when the parameter is set to ``value`` (steps keep their ratios to the first; a column
        or product is replaced by the number), clipped; and how many were clipped."""
        value = np.asarray(value, dtype=float)
        if self.form == "steps" and self.base[0] > 0:
            return self.clip(self.base * (value / self.base[0]))
        if self.form == "factor":  # one number instead of a column: bounded like one
            low = np.where(self.low > 0, POSITIVE_FLOOR * np.abs(value), self.low)
            return _clip(np.atleast_1d(value), low, self.high)
        return self.clip(np.broadcast_to(value, self.base.shape).astype(float))

    def clip(self, values: np.ndarray) -> tuple[np.ndarray, int]:
        return _clip(values, self.low, self.high)

    def written(self, values: np.ndarray, *, replaced: bool = False) -> Any:
        """Component values in the scenario's form (``replaced``: a ``factor`` quantity set to one number)."""
        raw, form = self.raw, self.form
        if form == "units":
            return values
        if form == "steps":
            return [{**s, "value": float(v)} for s, v in zip(raw, values)]
        value = float(values[0])
        if form == "money":
            unit = money_parts(raw)[1]
            return f"{value:.12g}" + (f" {unit}" if unit else "")
        if form == "number" or replaced:
            return value
        if isinstance(raw, str):  # a column
            return {"product": [raw, value]} if self.path.endswith(".unit_cost") else {"column": raw, "factor": value}
        if "product" in raw:
            return {**raw, "product": [*raw["product"], value]}
        return {**raw, "factor": raw.get("factor", 1.0) * value}


def _clip(values: np.ndarray, low, high) -> tuple[np.ndarray, int]:
    clipped = np.minimum(np.maximum(values, low), high)
    return clipped, int(np.count_nonzero(clipped != values))


def quantity(sc: Scenario, path: str, data: dict | None = None) -> Quantity:
    """The parameter at a concrete ``path`` as a :class:`Quantity`; a :class:`ScenarioError` when it is not
    made of numbers (a name, a flag)."""
    raw = base_value(sc, path, data)
    if path.endswith(".effectiveness") and isinstance(raw, str):
        raise ScenarioError([(tuple(path.split(".")), msg("sensitivity.bounds.effectiveness_column", column=raw))],
                            source=sc.source, language=sc.language)
    if isinstance(raw, np.ndarray):
        form, base = "units", raw
    elif isinstance(raw, bool) or raw is None:
        raise ScenarioError([(tuple(path.split(".")), msg("check.sensitivity.not_scalable", value=repr(raw)))],
                            source=sc.source, language=sc.language)
    elif isinstance(raw, (int, float)):
        form, base = "number", np.array([float(raw)])
    elif isinstance(raw, str) and is_money_string(raw):
        form, base = "money", np.array([money_parts(raw)[0]])
    elif _is_steps(raw):
        form, base = "steps", np.array([float(s["value"]) for s in raw])
    elif isinstance(raw, str) or (isinstance(raw, dict) and ("product" in raw or "column" in raw)):
        form, base = "factor", np.array([1.0])
    else:
        raise ScenarioError([(tuple(path.split(".")), msg("check.sensitivity.not_scalable", value=repr(raw)))],
                            source=sc.source, language=sc.language)
    low, high = _bounds(sc, path, base)
    return Quantity(path, form, base, low, high, raw)


def _bounds(sc: Scenario, path: str, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kind = value_kind(sc, path)
    low, high = np.full(base.shape, -np.inf), np.full(base.shape, np.inf)
    if kind == "effectiveness":
        parts = path.split(".")
        measures = _effectiveness_measures(sc, parts[1]) if parts[0] == "units" else [parts[1]]
        low[:], high[:] = 0.0, min(sc.measures[m].max_effectiveness for m in measures)
    elif kind == "share":
        low[:], high[:] = 0.0, 1.0
    elif kind == "nonnegative":
        low[:] = 0.0
    elif kind == "positive":
        floor = POSITIVE_FLOOR * np.abs(base)
        low[:] = np.where(floor > 0, floor, 1e-12)
    return low, high


def scaled(sc: Scenario, path: str, factor, data: dict | None = None) -> Any:
    """The value at ``path`` multiplied by ``factor`` (one number, or one per unit for ``units.COLUMN``),
    kept within its physical bounds, in a form the scenario accepts.

    A column becomes ``{product: [column, factor]}`` for a unit cost and ``{column, factor}`` elsewhere;
    a product gains the factor; money keeps its unit; steps are all scaled (so they stay non-increasing).

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a"], "name": ["A"], "wage": [17.0], "jobs": [10]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, measures={
    ...     "post": {"unit_cost": {"product": ["wage", 60], "unit": "元"}, "capacity": "jobs"},
    ...     "workshop": {"unit_cost": "1000 元", "capacity": "jobs", "effectiveness": 0.9}})
    >>> scaled(sc, "measures.workshop.unit_cost", 0.8)
    '800 元'
    >>> scaled(sc, "measures.post.unit_cost", 1.2)
    {'product': ['wage', 60.0, 1.2], 'unit': '元'}
    >>> scaled(sc, "measures.post.capacity", 0.5)
    {'column': 'jobs', 'factor': 0.5}
    >>> scaled(sc, "measures.workshop.effectiveness", 1.2)   # at most 1 person employed per person funded
    1.0
    """
    q = quantity(sc, path, data)
    return q.written(q.scaled(factor)[0])


def set_to(sc: Scenario, path: str, value, data: dict | None = None) -> Any:
    """``value`` (a number, or one per unit for ``units.COLUMN``) as the new value at ``path``, kept within its
    bounds. For effectiveness steps the first step takes the value and the others keep their ratio to it."""
    q = quantity(sc, path, data)
    return q.written(q.set_to(value)[0], replaced=True)


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
    q = quantity(sc, path)
    if q.form not in ("number", "money"):
        return f"×{factor:g}"
    value = q.written(q.scaled(factor)[0])
    return sc.money(value) if isinstance(value, str) else float(value)
