"""The scenario: validated, immutable data describing one allocation problem.

Every field's docstring is its reference documentation (``docs/scenario-reference.md`` is generated from them).
Nothing here solves anything; :mod:`fundalloc.program` turns a scenario into a linear programme.
"""
from __future__ import annotations

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
    method: Literal["auto", "simplex", "ipm", "decomposition"] = "auto"
    """How HiGHS is used: `simplex` (dual simplex), `ipm` (interior point with crossover) or `decomposition`
    (per-unit blocks priced by the coupling rows, exact and certified, for tens of thousands of units and
    more; see docs/model.md); `auto` picks by measured size and rule types."""
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
    language: Literal["zh", "en"] = "en"
    """The language of every text written for people (report, summary, explanations, headers of the
    human-facing tables): `zh` (中文) or `en`. The command line's `--lang` overrides it."""
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
        from .validation import cross_check, normalise_units, pydantic_problems  # they read these classes

        units = data.get("units")
        if isinstance(units, pd.DataFrame):
            data["units"] = normalise_units(units)
        elif "units" in data:
            raise ScenarioError([(("units",), f"must be a table (pandas DataFrame), not {type(units).__name__}")])
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise ScenarioError(pydantic_problems(err)) from None
        problems = cross_check(self)
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
