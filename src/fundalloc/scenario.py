"""The scenario: validated, immutable data describing one allocation problem.

Every field's docstring is its reference documentation (``docs/scenario-reference.md`` is generated from them).
Nothing here solves anything; :mod:`fundalloc.program` turns a scenario into a linear programme.
"""
from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, Literal, Union

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import paths
from .errors import ScenarioError
from .money import YUAN_PER_UNIT, is_money_string, parse_money

MoneyUnit = Literal["元", "万元", "亿元"]
ALL = "all"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True)


# ---------------------------------------------------------------------------------------------- groups


class Group(_Model):
    """A named subset of units. Give exactly one of `column` (optionally with one comparison), `any`, `all`,
    `not` or `ids`."""

    column: str | None = None
    """A units-table column: the unit is in the group when the value is truthy, or passes the comparison."""
    ge: float | None = Field(None, alias=">=")
    """With `column`: in the group when the column is at least this."""
    gt: float | None = Field(None, alias=">")
    """With `column`: in the group when the column is greater than this."""
    le: float | None = Field(None, alias="<=")
    """With `column`: in the group when the column is at most this."""
    lt: float | None = Field(None, alias="<")
    """With `column`: in the group when the column is less than this."""
    eq: float | str | None = Field(None, alias="==")
    """With `column`: in the group when the column equals this."""
    any_: list[str] | None = Field(None, alias="any")
    """In the group when in any of these groups."""
    all_: list[str] | None = Field(None, alias="all")
    """In the group when in all of these groups."""
    not_: str | None = Field(None, alias="not")
    """In the group when not in this group."""
    ids: list[str] | None = None
    """Exactly these unit ids."""

    @field_validator("ids", mode="before")
    @classmethod
    def _ids_as_text(cls, v):
        return [str(x) for x in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("column", "any_", "all_", "not_", "ids") if getattr(self, k) is not None]
        comparisons = [k for k in ("ge", "gt", "le", "lt", "eq") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a group needs exactly one of `column`, `any`, `all`, `not`, `ids`")
        if comparisons and kinds != ["column"]:
            raise ValueError("comparisons (`>=`, `>`, `<=`, `<`, `==`) go with `column`")
        if len(comparisons) > 1:
            raise ValueError("give one comparison per group; combine groups with `all` for a range")
        return self

    def references(self) -> list[str]:
        """The other groups this one is defined from."""
        return list(self.any_ or []) + list(self.all_ or []) + ([self.not_] if self.not_ else [])


# --------------------------------------------------------------------------------------------- measures

Money = Union[float, str]


class Product(_Model):
    """A unit cost that is a product of columns and numbers, e.g. hourly wage × hours × months."""

    product: list[float | str]
    """Factors: units-table columns, numbers, or money (\"1000 元\")."""
    unit: MoneyUnit | None = None
    """The money unit of the product (e.g. `元` when the wage column is in 元); default: the scenario's."""

    @field_validator("product")
    @classmethod
    def _not_empty(cls, v):
        if not v:
            raise ValueError("`product` needs at least one factor")
        return v


class ColumnTimes(_Model):
    """A units-table column times a factor."""

    column: str
    """The units-table column."""
    factor: float = Field(1.0, ge=0)
    """What each value is multiplied by."""


class Step(_Model):
    """One step of a diminishing response: the first `share` of capacity works at `value`."""

    share: float = Field(gt=0, le=1)
    """Share of the measure's capacity on this step (the shares add up to 1)."""
    value: float = Field(ge=0)
    """Persons employed per beneficiary on this step."""


class Measure(_Model):
    """One way of spending money (渠道/政策)."""

    label: str | None = None
    """A display name, e.g. `扶贫车间吸纳`."""
    unit_cost: float | str | Product
    """Money per beneficiary: a number (in `money_unit`), money with its unit (`\"1000 元\"`), a units-table
    column (in `money_unit`), or `{product: [...], unit: 元}`."""
    effectiveness: float | list[Step] = 1.0
    """Persons employed (or kept employed) per beneficiary; a list of `{share, value}` steps with
    non-increasing values for diminishing returns."""
    capacity: float | str | ColumnTimes | None = None
    """Most beneficiaries per unit: a number, a column, or `{column, factor}`; none means no limit but the
    rules and the budget."""
    hours: float | None = Field(None, gt=0)
    """Working hours one beneficiary is paid for (public-welfare posts); with `hourly_wage`, the loader checks
    that the unit cost per hour matches the local wage."""
    hourly_wage: str | None = None
    """A units-table column with the local hourly (minimum) wage, in 元."""
    wage_tolerance: float = Field(0.2, ge=0)
    """How far (as a share) the cost per hour may stray from `hourly_wage` before a warning."""

    @field_validator("effectiveness")
    @classmethod
    def _steps(cls, v):
        if isinstance(v, list):
            if not v:
                raise ValueError("give at least one step")
            total = sum(s.share for s in v)
            if abs(total - 1) > 1e-9:
                raise ValueError(f"step shares must add up to 1, they add up to {total:g}")
            values = [s.value for s in v]
            if any(b > a for a, b in zip(values, values[1:])):
                raise ValueError(f"step values must not increase (diminishing returns): {values}")
        elif v < 0:
            raise ValueError(f"effectiveness must be at least 0, not {v}")
        return v

    @field_validator("unit_cost")
    @classmethod
    def _cost(cls, v):
        if isinstance(v, (int, float)) and not v > 0:
            raise ValueError(f"unit cost must be more than 0, not {v}")
        if isinstance(v, str) and is_money_string(v) and not parse_money(v, "元") > 0:
            raise ValueError(f"unit cost must be more than 0, not {v}")
        return v

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, v):
        if isinstance(v, (int, float)) and v < 0:
            raise ValueError(f"capacity must be at least 0, not {v}")
        return v

    def steps(self) -> list[Step]:
        """The response steps (one step of share 1 for a constant effectiveness)."""
        if isinstance(self.effectiveness, list):
            return list(self.effectiveness)
        return [Step(share=1.0, value=float(self.effectiveness))]


# ------------------------------------------------------------------------------------------------ rules

Measures = Union[Literal["all"], list[str]]


class _Rule(_Model):
    name: str = ""
    """The rule's name; its shadow price is reported under it. Defaults to the rule's type."""
    where: str | None = None
    """A group: the rule applies only to the units in it."""
    description: str | None = None
    """What the rule stands for, in the policy's words."""

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data):
        if isinstance(data, dict) and not data.get("name"):
            data = {**data, "name": data.get("type")}
        return data


class Pool(_Rule):
    """Measures that draw on the same people: Σ beneficiaries of `measures` ≤ factor × column, per unit."""

    type: Literal["pool"]
    measures: Measures = ALL
    """The measures sharing the pool (`all` for every measure)."""
    column: str
    """The units-table column holding the pool's size (persons)."""
    factor: float = Field(1.0, ge=0)
    """The pool is this times the column."""


class Coverage(_Rule):
    """Persons employed by `measures` ≥ factor × column, per unit (e.g. one job per zero-employment household)."""

    type: Literal["coverage"]
    measures: Measures = ALL
    """The measures whose outcome counts."""
    column: str
    """The units-table column to cover (e.g. zero-employment households)."""
    factor: float = Field(1.0, ge=0)
    """Persons required per unit of the column."""


class GroupShare(_Rule):
    """Money to `group` ≥ min (and/or ≤ max) share of all money."""

    type: Literal["group_share"]
    group: str
    """The group that gets the share."""
    min: float | None = Field(None, ge=0, le=1)
    """Smallest share of the money (0–1)."""
    max: float | None = Field(None, ge=0, le=1)
    """Largest share of the money (0–1)."""

    @model_validator(mode="after")
    def _bounds(self):
        return _share_bounds(self)


def _share_bounds(rule):
    if rule.min is None and rule.max is None:
        raise ValueError("give `min`, `max` or both")
    if rule.min is not None and rule.max is not None and rule.min > rule.max:
        raise ValueError(f"`min` ({rule.min}) is above `max` ({rule.max})")
    return rule


class PerCapitaTilt(_Rule):
    """Every unit of `group` gets money per head at least `ratio` × the per-head average of the other units."""

    type: Literal["per_capita_tilt"]
    group: str
    """The favoured group."""
    population: str
    """The units-table column that money is counted per head of."""
    ratio: float = Field(1.0, gt=0)
    """How many times the others' per-head money each favoured unit gets at least."""


class HoldHarmless(_Rule):
    """No unit falls below `min_ratio` × its `column` (last year's money); `max_ratio` caps the rise."""

    type: Literal["hold_harmless"]
    column: str
    """The units-table column with last year's money, in `money_unit`."""
    min_ratio: float = Field(1.0, ge=0)
    """Each unit gets at least this share of its column."""
    max_ratio: float | None = Field(None, ge=0)
    """Each unit gets at most this multiple of its column."""

    @model_validator(mode="after")
    def _ratios(self):
        if self.max_ratio is not None and self.max_ratio < self.min_ratio:
            raise ValueError(f"`max_ratio` ({self.max_ratio}) is below `min_ratio` ({self.min_ratio})")
        return self


Bound = Union[float, str, ColumnTimes, None]


class UnitBounds(_Rule):
    """Each unit's money between `min` and `max`: numbers, money strings, columns or `{column, factor}`."""

    type: Literal["unit_bounds"]
    min: Bound = None
    """Floor of each unit's money."""
    max: Bound = None
    """Ceiling of each unit's money."""

    @model_validator(mode="after")
    def _some(self):
        if self.min is None and self.max is None:
            raise ValueError("give `min`, `max` or both")
        return self


class Earmark(_Rule):
    """Money on `measures` across all units ≥ min (and/or ≤ max) share of all money."""

    type: Literal["earmark"]
    measures: Measures
    """The earmarked measures."""
    min: float | None = Field(None, ge=0, le=1)
    """Smallest share of the money (0–1)."""
    max: float | None = Field(None, ge=0, le=1)
    """Largest share of the money (0–1)."""

    @model_validator(mode="after")
    def _bounds(self):
        return _share_bounds(self)


class MinCoverageRate(_Rule):
    """Beneficiaries of `measures` ≥ rate × need, in every unit (a fairness floor)."""

    type: Literal["min_coverage_rate"]
    column: str
    """The units-table column with the need (e.g. unemployed poor labour)."""
    rate: float = Field(ge=0)
    """Smallest share of the need to fund."""
    measures: Measures = ALL
    """The measures whose beneficiaries count."""


Rule = Annotated[
    Union[Pool, Coverage, GroupShare, PerCapitaTilt, HoldHarmless, UnitBounds, Earmark, MinCoverageRate],
    Field(discriminator="type"),
]

# --------------------------------------------------------------------------------------------- the rest


class Budget(_Model):
    """The money to divide."""

    total: float | str
    """The budget, in `money_unit` or with its own unit (\"6 亿元\")."""
    spend_all: bool = False
    """Spend exactly the budget (otherwise at most the budget)."""


class Targets(_Model):
    """Outcome targets for `min_cost` (persons employed, unweighted)."""

    total: float | None = Field(None, ge=0)
    """Persons employed across all units at least."""
    groups: dict[str, float] = {}
    """Persons employed in each group at least."""


class Objective(_Model):
    """What the allocation optimises."""

    type: Literal["max_outcome", "min_cost", "max_min_coverage"] = "max_outcome"
    """`max_outcome`: most weighted persons employed; `min_cost`: the least money meeting `targets` and the
    rules; `max_min_coverage`: the highest coverage rate every unit reaches, then the most weighted outcome."""
    targets: Targets | None = None
    """For `min_cost`: the outcome to reach."""
    need: str | None = None
    """For `max_min_coverage`: the units-table column coverage is measured against."""
    measures: Measures = ALL
    """For `max_min_coverage`: the measures whose outcome counts as coverage."""


class Solver(_Model):
    """How the programme is solved."""

    backend: Literal["highs", "pulp"] = "highs"
    """`highs` (fast, with shadow prices and ranging) or `pulp` (any solver PuLP drives)."""
    pulp_solver: str | None = None
    """With `pulp`: the PuLP solver's name (`PULP_CBC_CMD` by default, `HiGHS`, `GLPK_CMD`, …)."""
    method: Literal["auto", "simplex", "ipm"] = "auto"
    """HiGHS algorithm; `auto` picks by size (simplex for small, interior point with crossover for large)."""
    time_limit: float | None = Field(None, gt=0)
    """Seconds before the solver gives up (an error, never a half answer)."""
    mip_gap: float = Field(1e-6, ge=0)
    """Relative optimality gap for `integer: true`."""


class Sweep(_Model):
    """One parameter swept over values."""

    parameter: str
    """A dotted path, e.g. `budget.total`."""
    values: list[float | str] | None = None
    """The values to try; or give `from`, `to`, `steps`."""
    from_: float | None = Field(None, alias="from")
    """First value."""
    to: float | None = None
    """Last value."""
    steps: int | None = Field(None, ge=2)
    """How many values from `from` to `to`, evenly spaced."""

    @model_validator(mode="after")
    def _values(self):
        ranged = [self.from_, self.to, self.steps]
        if self.values is None and any(v is None for v in ranged):
            raise ValueError("give `values`, or `from`, `to` and `steps`")
        if self.values is not None and any(v is not None for v in ranged):
            raise ValueError("give either `values` or `from`/`to`/`steps`, not both")
        return self

    def points(self) -> list[Any]:
        """The values of the sweep."""
        if self.values is not None:
            return list(self.values)
        return [float(v) for v in np.linspace(self.from_, self.to, self.steps)]


class Tornado(_Model):
    """Each parameter moved down and up by `change`, one at a time."""

    parameters: list[str]
    """Dotted paths (`*` allowed)."""
    change: float = Field(0.2, gt=0, lt=1)
    """Relative change, e.g. 0.2 for ±20 %."""


class Distribution(_Model):
    """The uncertainty of one parameter."""

    dist: Literal["uniform", "triangular", "normal", "lognormal"]
    """The distribution's family."""
    low: float | None = None
    """uniform/triangular: lowest value."""
    high: float | None = None
    """uniform/triangular: highest value."""
    mode: float | None = None
    """triangular: most likely value."""
    mean: float | None = None
    """normal/lognormal: mean (default 1 when relative, else the base value)."""
    sd: float | None = Field(None, ge=0)
    """normal/lognormal: standard deviation."""
    relative: bool = True
    """Values are multipliers of the base value (otherwise absolute values)."""


class MonteCarlo(_Model):
    """Random draws of uncertain parameters."""

    draws: int = Field(1000, ge=1)
    """How many draws."""
    seed: int = 0
    """Random seed; the same seed gives the same numbers on any executor and worker count."""
    method: Literal["sample", "sobol"] = "sample"
    """`sample`: independent draws; `sobol`: a Saltelli design and Sobol indices (needs SALib)."""
    parameters: dict[str, Distribution]
    """Dotted path (`*` allowed) → distribution."""


class Sensitivity(_Model):
    """What to run around the base solve."""

    sweeps: list[Sweep] = []
    """Parameters swept over values."""
    tornado: Tornado | None = None
    """One-at-a-time changes."""
    monte_carlo: MonteCarlo | None = None
    """Random draws."""
    rule_prices: bool = True
    """Re-solve without each rule to show what it costs."""


class Factor(_Model):
    """A factor with a direction."""

    weight: float = Field(gt=0)
    """The factor's weight (weights are normalised to sum 1)."""
    direction: Literal["more", "less"] = "more"
    """`less`: less is more (e.g. fiscal capacity): shares follow 1/value."""


class BaselineHoldHarmless(_Model):
    """The factor formula's floor."""

    column: str
    """Last year's money, in `money_unit`."""
    min_ratio: float = Field(0.9, ge=0)
    """Each unit gets at least this share of its column."""


class Baseline(_Model):
    """The factor formula (因素法) the optimised allocation is compared with."""

    factors: dict[str, float | Factor]
    """Units-table column → weight (or `{weight, direction}`)."""
    hold_harmless: BaselineHoldHarmless | None = None
    """A floor, with ratable reduction of the other units."""


class Scenario(_Model):
    """One allocation problem: units, groups, measures, rules, objective.

    Build it in code (``fa.Scenario(units=df, measures=..., ...)``, the units table with columns `id`
    and `name`) or read it with ``fa.load_scenario(path)``. It is immutable; ``with_changes`` returns a new,
    re-validated scenario. Anything invalid raises :class:`~fundalloc.errors.ScenarioError`.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> sc.with_changes({"budget.total": 12}).budget.total
    12.0
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = "scenario"
    """A short name; the output folder is named after it."""
    description: str = ""
    """What the scenario is about."""
    money_unit: MoneyUnit = "万元"
    """The unit of every money figure (元, 万元 or 亿元); results are reported in it."""
    units: pd.DataFrame
    """The units table: `id`, `name` and numeric or boolean columns. In a file: `{file, id, name, sheet}`."""
    groups: dict[str, Group] = {}
    """Named subsets of units."""
    weights: dict[str, float | str] = {}
    """Group → how much one person employed there counts; `combine: max` (default) or `product` for units
    in several weighted groups. Units in no weighted group weigh 1."""
    budget: Budget | None = None
    """The money to divide (optional for `min_cost`)."""
    measures: dict[str, Measure]
    """The ways of spending, by name."""
    rules: list[Rule] = []
    """Policy constraints, each with a unique name."""
    objective: Objective = Objective()
    """What to optimise."""
    solver: Solver = Solver()
    """How to solve."""
    integer: bool = False
    """Whole persons (a MIP: no shadow prices or ranging)."""
    variants: dict[str, dict[str, Any]] = {}
    """Named changes to this scenario: variant → {dotted path: value}."""
    sensitivity: Sensitivity | None = None
    """Sweeps, tornado and Monte Carlo to run with the scenario."""
    baseline: Baseline | None = None
    """The factor formula to compare with."""
    source: str | None = None
    """The file the scenario was read from (set by the loader)."""
    inputs: dict[str, str] = {}
    """Every file the scenario was read from (scenario files, tables) → its sha256 (set by the loader)."""

    def __init__(self, **data: Any):
        units = data.get("units")
        if isinstance(units, pd.DataFrame):
            data["units"] = _normalise_units(units)
        elif "units" in data:
            raise ScenarioError([(("units",), f"must be a table (pandas DataFrame), not {type(units).__name__}")])
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise ScenarioError(pydantic_problems(err)) from None
        problems = _cross_check(self)
        if problems:
            raise ScenarioError(problems)

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> "Scenario":  # route through __init__'s checks
        return cls(**obj)

    # ------------------------------------------------------------------------------------------ helpers
    @property
    def unit_ids(self) -> np.ndarray:
        """Unit ids in the scenario's order (sorted by id)."""
        return self.units["id"].to_numpy()

    def money(self, value: float | str) -> float:
        """A money figure of this scenario in its `money_unit`."""
        return parse_money(value, self.money_unit)

    @property
    def yuan_per_unit(self) -> float:
        """How many 元 one `money_unit` is."""
        return YUAN_PER_UNIT[self.money_unit]

    def rule(self, name: str):
        """The rule with this name."""
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(name)

    def to_dict(self) -> dict:
        """The scenario as plain data (the units table left out), as written in a scenario file."""
        return self.model_dump(mode="python", by_alias=True, exclude={"units"}, exclude_none=True)

    def with_changes(self, changes: dict[str, Any]) -> "Scenario":
        """A new scenario with values replaced by dotted path; ``*`` applies a value to every name.

        ``units.COLUMN`` takes a scalar or a sequence of one value per unit (in the scenario's unit order).
        """
        data = self.to_dict()
        units = self.units
        problems = []
        for path, value in changes.items():
            try:
                for concrete in paths.expand(data, path, units):
                    if concrete.startswith("units."):
                        units = units.copy()
                        units[concrete.split(".", 1)[1]] = value
                    else:
                        data = paths.set_value(data, concrete, value)
            except (paths.PathError, ValueError) as err:
                problems.append((tuple(path.split(".")), str(err) if isinstance(err, ValueError) else err.reason))
        if problems:
            raise ScenarioError(problems)
        return Scenario(**data, units=units)


# ------------------------------------------------------------------------------------- validation help


_NORMALISED = "fundalloc.normalised"  # a DataFrame attrs flag: ids checked and sorted already


def _normalise_units(units: pd.DataFrame) -> pd.DataFrame:
    if units.attrs.get(_NORMALISED) and units["id"].is_monotonic_increasing and units["id"].is_unique:
        return units  # a scenario's own table (from with_changes): checking it again would change nothing
    missing = [c for c in ("id", "name") if c not in units.columns]
    if missing:
        raise ScenarioError([(("units",), f"the units table needs columns `id` and `name`; missing {missing} "
                              f"(columns: {list(units.columns)[:20]})")])
    units = units.reset_index(drop=True).copy()
    problems = []
    if len(units) == 0:
        problems.append((("units",), "the units table has no rows"))
    ids = units["id"]
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    for row in np.flatnonzero(blank.to_numpy())[:5]:
        problems.append((("units", "id"), f"row {row + 1}: empty unit id"))
    ids = ids.map(_id_text)
    dupes = ids[ids.duplicated(keep=False) & ~blank]
    for uid in dict.fromkeys(dupes):
        rows = [int(r) + 1 for r in np.flatnonzero((ids == uid).to_numpy())]
        problems.append((("units", "id"), f"unit id {uid!r} appears more than once (rows {rows})"))
    if problems:
        raise ScenarioError(problems)
    units["id"] = ids
    units["name"] = units["name"].fillna("").astype(str)
    if "_row" not in units.columns:  # the row in the table as given, for messages
        units["_row"] = np.arange(1, len(units) + 1)
    units = units.sort_values("id", kind="stable").reset_index(drop=True)
    units.attrs[_NORMALISED] = True
    return units


def _id_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def pydantic_problems(err: ValidationError) -> list[tuple[tuple, str]]:
    errors = err.errors(include_url=False)
    # a value that fits no branch of a union (`float | str | Product`) fails once per branch: say it once, and
    # not at all when one branch matched its shape and failed deeper inside (a mapping with a wrong key)
    def mismatch(e):
        return _is_branch(tuple(map(str, e["loc"]))) and (e["type"] in _WANTED or e["type"] == "literal_error")

    deeper = {clean[:n] for e in errors if not mismatch(e)
              for clean in [_clean_loc(tuple(map(str, e["loc"])))] for n in range(len(clean))}
    out, mismatches = [], {}
    for e in errors:
        loc = tuple(str(p) for p in e["loc"])
        clean, msg = _clean_loc(loc), e["msg"].removeprefix("Value error, ")
        if mismatch(e):
            if clean not in deeper:
                mismatches.setdefault(clean, (e["input"], []))[1].append(_WANTED.get(e["type"], msg))
            continue
        if e["type"] == "extra_forbidden":
            msg = f"unknown key `{loc[-1]}`"
        elif e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            tags = sorted(_RULE_TAGS) if clean[:1] == ("rules",) else []
            tag = e.get("ctx", {}).get("tag")
            known = f" (the types are {', '.join(tags)})" if tags else ""
            msg = (f"unknown type `{tag}`{closest(str(tag), tags)}{known}" if tag is not None
                   else f"give a `type`{known}")
        elif "input" in e and e["type"] not in ("missing", "value_error") and not isinstance(e["input"], (dict, list)):
            msg = f"{msg} (got {e['input']!r})"
        out.append((clean, msg))
    for clean, (value, wanted) in mismatches.items():
        words = list(dict.fromkeys(w.removeprefix("Input should be ") for w in wanted))
        either = ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else words[0]
        out.append((clean, f"should be {either} (got {value!r})"))
    return out


_WANTED = {"float_type": "a number", "float_parsing": "a number", "int_type": "a whole number",
           "int_parsing": "a whole number", "string_type": "text", "bool_type": "true or false",
           "bool_parsing": "true or false", "list_type": "a list", "dict_type": "a mapping",
           "model_type": "a mapping", "model_attributes_type": "a mapping"}

_RULE_TAGS = {"pool", "coverage", "group_share", "per_capita_tilt", "hold_harmless", "unit_bounds", "earmark",
              "min_coverage_rate"}


def _is_branch_name(part: str) -> bool:
    """Whether a location part is pydantic's name for a union branch (`float`, `list[Step]`, `Product`)."""
    return part in ("float", "int", "str", "bool") or "[" in part or "(" in part or part in _model_names()


def _is_branch(loc: tuple) -> bool:
    return bool(loc) and _is_branch_name(loc[-1])


def _model_names() -> set[str]:
    todo, names = [_Model], set()
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-branch names from a location (`measures.x.unit_cost.Product.product` → ...)."""
    out = []
    for i, part in enumerate(loc):
        if _is_branch_name(part):
            continue
        if part in _RULE_TAGS and i >= 2 and loc[0] == "rules":
            continue
        out.append(part)
    return tuple(out)


def closest(word: str, options) -> str:
    """ '; did you mean `x`?' when an option is close to ``word``."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean `{match[0]}`?" if match else ""


def truthy(values: pd.Series) -> np.ndarray:
    """A boolean flag column read leniently: numbers ≠ 0, booleans, and true/yes/是/y/1 as text."""
    if values.dtype == bool:
        return values.to_numpy()
    if pd.api.types.is_numeric_dtype(values):
        return values.fillna(0).to_numpy() != 0
    text = values.fillna("").astype(str).str.strip().str.lower()
    return text.isin(["true", "yes", "y", "1", "是", "t", "x", "✓"]).to_numpy()


def numeric_column(units: pd.DataFrame, column: str, loc: tuple, problems: list, *, non_negative: bool = True,
                   positive: bool = False) -> np.ndarray | None:
    """The column as floats, or None with problems naming the unit, row and bad value."""
    if column not in units.columns:
        others = [c for c in units.columns if not str(c).startswith("_")]
        if re.match(r"\s*[-+]?\.?\d", column):  # meant as money, but not written as money
            problems.append((loc, f"{column!r} is neither money (write e.g. \"1000 元\", \"5 万元\", \"2 亿元\") nor "
                                  f"a column of the units table"))
        else:
            problems.append((loc, f"the units table has no column `{column}`{closest(column, others)}"))
        return None
    raw = units[column]
    if raw.dtype == bool:
        return raw.to_numpy(dtype=float)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if non_negative:
        bad |= values < 0
    if positive:
        bad |= values <= 0
    if bad.any():
        need = "a positive number" if positive else ("a number at least 0" if non_negative else "a number")
        for i in np.flatnonzero(bad)[:5]:
            where = f"row {units['_row'].iat[i]}"
            if "_location" in units.columns:  # set by the loader: the file and line the row came from
                where += f", {units['_location'].iat[i]}"
            value = f"empty cell; need {need}" if pd.isna(raw.iat[i]) else f"{_plain(raw.iat[i])!r} is not {need}"
            problems.append((loc, f"column `{column}`, {where} (unit {units['id'].iat[i]} "
                                  f"{units['name'].iat[i]}): {value}"))
        if bad.sum() > 5:
            problems.append((loc, f"column `{column}`: {int(bad.sum()) - 5} more bad values"))
        return None
    return values


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for (so messages read `-3`, not `np.int64(-3)`)."""
    return value.item() if isinstance(value, np.generic) else value


def _cross_check(sc: Scenario) -> list[tuple[tuple, str]]:
    """Checks across fields: names and columns that must exist, numbers the table must hold."""
    problems: list[tuple[tuple, str]] = []
    units = sc.units
    group_names = set(sc.groups)
    measure_names = list(sc.measures)

    def need_group(name, loc):
        if name not in group_names:
            problems.append((loc, f"no group named `{name}`{closest(name, group_names)}"))

    def need_measures(ms, loc):
        if ms == ALL:
            return
        if not ms:
            problems.append((loc, "name at least one measure (or `all`)"))
        for m in ms:
            if m not in sc.measures:
                problems.append((loc, f"no measure named `{m}`{closest(m, measure_names)}"))

    checked: set = set()

    def need_column(col, loc, **kw):
        key = (col, tuple(sorted(kw.items())))
        if key not in checked:  # a column used by several rules is checked (and reported) once
            checked.add(key)
            numeric_column(units, col, loc, problems, **kw)

    for gname, g in sc.groups.items():
        loc = ("groups", gname)
        for ref in g.references():
            need_group(ref, loc)
        if g.column is not None:
            if g.column not in units.columns:
                need_column(g.column, loc + ("column",))
            elif any(v is not None for v in (g.ge, g.gt, g.le, g.lt)) or isinstance(g.eq, (int, float)):
                need_column(g.column, loc + ("column",), non_negative=False)
        if g.ids is not None:
            unknown = sorted(set(g.ids) - set(units["id"]))
            if unknown:
                problems.append((loc + ("ids",), f"unit ids not in the units table: {unknown[:10]}"))
    problems += [(("groups",), msg) for msg in _group_cycles(sc.groups)]

    for key, w in sc.weights.items():
        loc = ("weights", key)
        if key == "combine":
            if w not in ("max", "product"):
                problems.append((loc, f"`combine` is `max` or `product`, not {w!r}"))
        elif key not in group_names:
            problems.append((loc, f"no group named `{key}`{closest(key, group_names)}"))
        elif isinstance(w, str) or not w > 0:
            problems.append((loc, f"a weight is a number above 0, not {w!r}"))

    if sc.budget is None:
        if sc.objective.type != "min_cost":
            problems.append((("budget",), "a budget is needed (only `min_cost` works without one)"))
    else:
        try:
            total = sc.money(sc.budget.total)
            if not total > 0 or not np.isfinite(total):
                problems.append((("budget", "total"), f"the budget must be more than 0, not {sc.budget.total!r}"))
        except ValueError as err:
            problems.append((("budget", "total"), str(err)))

    for mname, m in sc.measures.items():
        loc = ("measures", mname)
        cost = m.unit_cost
        if isinstance(cost, str) and not is_money_string(cost):
            need_column(cost, loc + ("unit_cost",), positive=True)
        elif isinstance(cost, Product):
            for item in cost.product:
                if isinstance(item, str) and not is_money_string(item):
                    need_column(item, loc + ("unit_cost", "product"), positive=True)
                elif isinstance(item, (int, float)) and not item > 0:
                    problems.append((loc + ("unit_cost", "product"), f"factors must be above 0, not {item}"))
        cap = m.capacity
        if isinstance(cap, str):
            need_column(cap, loc + ("capacity",))
        elif isinstance(cap, ColumnTimes):
            need_column(cap.column, loc + ("capacity", "column"))
        if cap is None and len(m.steps()) > 1:
            problems.append((loc + ("effectiveness",), "steps split the capacity, so give the measure a `capacity`"))
        if m.hourly_wage is not None:
            need_column(m.hourly_wage, loc + ("hourly_wage",), positive=True)
        if (m.hourly_wage is None) != (m.hours is None):
            problems.append((loc, "`hours` and `hourly_wage` go together"))

    seen: dict[str, int] = {}
    for i, rule in enumerate(sc.rules):
        loc = ("rules", rule.name)
        if rule.name in seen or rule.name == "budget":
            why = "is reserved for the budget" if rule.name == "budget" else f"is used by rule {seen[rule.name] + 1} too"
            problems.append((("rules", str(i)), f"rule name `{rule.name}` {why}; give each rule its own `name`"))
        seen.setdefault(rule.name, i)
        if rule.where is not None:
            need_group(rule.where, loc + ("where",))
        for field in ("measures",):
            if hasattr(rule, field):
                need_measures(getattr(rule, field), loc + (field,))
        for field in ("group",):
            if hasattr(rule, field):
                need_group(getattr(rule, field), loc + (field,))
        for field in ("column", "population"):
            if isinstance(getattr(rule, field, None), str):
                need_column(getattr(rule, field), loc + (field,))
        if isinstance(rule, UnitBounds):
            for field in ("min", "max"):
                b = getattr(rule, field)
                if isinstance(b, str) and not is_money_string(b):
                    need_column(b, loc + (field,))
                elif isinstance(b, ColumnTimes):
                    need_column(b.column, loc + (field, "column"))
                elif isinstance(b, (int, float)) and b < 0:
                    problems.append((loc + (field,), f"must be at least 0, not {b}"))

    obj = sc.objective
    if obj.type == "max_min_coverage":
        if obj.need is None:
            problems.append((("objective", "need"), "`max_min_coverage` needs `need`: the column coverage is measured against"))
        else:
            need_column(obj.need, ("objective", "need"))
    need_measures(obj.measures, ("objective", "measures"))
    if obj.targets is not None:
        for g in obj.targets.groups:
            need_group(g, ("objective", "targets", "groups", g))
    if obj.type == "min_cost" and obj.targets is None:
        problems.append((("objective", "targets"), "`min_cost` needs `targets` (the outcome to reach)"))

    if sc.baseline is not None:
        for col in sc.baseline.factors:
            need_column(col, ("baseline", "factors", col))
        if sc.baseline.hold_harmless is not None:
            need_column(sc.baseline.hold_harmless.column, ("baseline", "hold_harmless", "column"))

    data = None
    def check_path(path, loc):
        nonlocal data
        data = sc.to_dict() if data is None else data
        try:
            paths.expand(data, path, units)
        except paths.PathError as err:
            problems.append((loc, err.reason if path in loc else str(err)))

    for vname, changes in sc.variants.items():
        if not isinstance(changes, dict):
            problems.append((("variants", vname), "a variant is a mapping of dotted paths to values"))
            continue
        for path in changes:
            check_path(str(path), ("variants", vname, str(path)))
    if sc.sensitivity is not None:
        for i, sw in enumerate(sc.sensitivity.sweeps):
            check_path(sw.parameter, ("sensitivity", "sweeps", str(i), "parameter"))
        if sc.sensitivity.tornado is not None:
            for p in sc.sensitivity.tornado.parameters:
                check_path(p, ("sensitivity", "tornado", "parameters", p))
        if sc.sensitivity.monte_carlo is not None:
            for p in sc.sensitivity.monte_carlo.parameters:
                check_path(p, ("sensitivity", "monte_carlo", "parameters", p))
    return problems


def _group_cycles(groups: dict[str, Group]) -> list[str]:
    problems, state = [], {}

    def visit(name, trail):
        if state.get(name) == "done" or name not in groups:
            return
        if state.get(name) == "open":
            problems.append(f"groups are defined in a circle: {' → '.join(trail + [name])}")
            return
        state[name] = "open"
        for ref in groups[name].references():
            visit(ref, trail + [name])
        state[name] = "done"

    for name in groups:
        visit(name, [])
    return problems
