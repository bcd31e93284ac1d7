"""The scenario: validated, immutable data describing one allocation problem.

Every field's docstring is its reference documentation (``docs/scenario-reference.md`` is generated from them).
Nothing here solves anything; :mod:`fundalloc.program` turns a scenario into a linear programme.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic.fields import FieldInfo
from pydantic import BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, Tag, ValidationError, ValidationInfo, field_validator, model_validator

from . import paths
from .catalog import LANGUAGES, Msg, msg
from .errors import ArgumentError, InvalidValue, ScenarioError, speaking
from .money import MAX_NUMBER, YUAN_PER_UNIT, is_money_string, money_parts, number_problem, parse_money

MoneyUnit = Literal["元", "万元", "亿元"]
ALL = "all"

#: a units table checked already (set by ``Scenario.with_changes`` while it builds the changed scenario)
_CHECKED_UNITS: ContextVar[pd.DataFrame | None] = ContextVar("fundalloc_checked_units", default=None)
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True,
                              allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value, info: ValidationInfo):
        """Every number field, in every model: `true` is not 1, and numbers (also money written as text) are
        finite and below :data:`~fundalloc.money.MAX_NUMBER`. Lists and mappings of numbers are checked item
        by item; models inside check their own fields."""
        kinds = _leaf_types(cls.model_fields[info.field_name].annotation)
        if Any in kinds or not kinds & {float, int}:
            return value
        items = value.items() if isinstance(value, dict) else \
            enumerate(value) if isinstance(value, (list, tuple)) else [(None, value)]
        for key, item in items:
            problem = _scalar_problem(item, allow_bool=bool in kinds, bounded=float in kinds)
            if problem:
                raise InvalidValue(problem if key is None else msg("check.item_problem", key=key, problem=problem))
        return value


@cache
def _leaf_types(annotation) -> frozenset:
    """The plain types an annotation is made of (``dict[str, float | str] | None`` → str, float, NoneType)."""
    args = get_args(annotation)
    if get_origin(annotation) is Literal:
        return frozenset(type(a) for a in args)
    if not args:
        return frozenset([annotation])
    return frozenset().union(*(_leaf_types(a) for a in args if not isinstance(a, (str, FieldInfo))))


def _non_finite_text(text: str) -> Msg | None:
    """``"NaN"``, ``"inf"``, ``"-Infinity"``: text that Python reads as a number that is not finite."""
    try:
        return number_problem(float(text))
    except ValueError:
        return None


def _scalar_problem(value, *, allow_bool: bool, bounded: bool) -> Msg | None:
    """Why a single value where a number (or money) is expected cannot be one, or None."""
    if isinstance(value, bool):
        return None if allow_bool else msg("check.number.flag", value=str(value).lower())
    if isinstance(value, int):
        return msg("check.number.too_large", value=value, limit=f"{MAX_NUMBER:g}") \
            if bounded and abs(value) >= MAX_NUMBER else None
    if isinstance(value, float):
        return number_problem(value) if bounded else None
    if isinstance(value, str) and bounded:
        parts = money_parts(value)
        problem = number_problem(parts[0]) if parts is not None else _non_finite_text(value)
        return msg("check.value_problem", value=repr(value), problem=problem) if problem else None
    return None


def scenario_argument(value: Any, function: str) -> "Scenario":
    """``value`` when it is a :class:`Scenario`; else an :class:`~fundalloc.errors.ArgumentError` saying what
    ``function`` (``"fa.solve"``) needs and how to get it from what was passed."""
    if isinstance(value, Scenario):
        return value
    if isinstance(value, (str, bytes)) or hasattr(value, "__fspath__"):
        hint = msg("errors.api.scenario.file", path=repr(str(value)), function=function)
    elif isinstance(value, dict):
        hint = msg("errors.api.scenario.dict")
    elif hasattr(value, "scenario") and isinstance(getattr(value, "scenario"), Scenario):
        hint = msg("errors.api.scenario.result", kind=type(value).__name__, function=function)
    else:
        hint = msg("errors.api.scenario.other", kind=type(value).__name__)
    raise ArgumentError(msg("errors.api.scenario", function=function, hint=hint))


# ---------------------------------------------------------------------------------------------- groups


class Group(_Model):
    """A named subset of units. Give exactly one of `column` (optionally with one comparison), `any`, `all`,
    `not` or `ids`."""

    column: str | None = None
    """A units-table column: alone, a yes/no column (the unit is in the group when its cell is 1, `true`, `yes`,
    `y`, `t`, `x`, `✓`, `√` or `是`, and not when it is 0, `false`, `no`, `n`, `f` or `否`; full-width `１` is 1;
    any other value, a blank included, is an error naming the cell); with a comparison, the unit is in the group
    when its value passes it."""
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
    label: str | None = None
    """A display name, e.g. `深度贫困县`: sentences and tables for people show it in place of the group's name."""

    @field_validator("ids", mode="before")
    @classmethod
    def _ids_as_text(cls, v):
        return [str(x) for x in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("column", "any_", "all_", "not_", "ids") if getattr(self, k) is not None]
        comparisons = [k for k in ("ge", "gt", "le", "lt", "eq") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise InvalidValue(msg("check.group.one_kind"))
        if comparisons and kinds != ["column"]:
            raise InvalidValue(msg("check.group.comparison_needs_column"))
        if len(comparisons) > 1:
            raise InvalidValue(msg("check.group.one_comparison"))
        return self

    def references(self) -> list[str]:
        """The other groups this one is defined from."""
        return list(self.any_ or []) + list(self.all_ or []) + ([self.not_] if self.not_ else [])


# ------------------------------------------------------------------------------------------ populations


class Population(_Model):
    """A named population of persons in each unit (a units-table column), whom measures draw beneficiaries
    from and rules count over. Sub-populations of one population (`within`) are taken as disjoint."""

    column: str
    """The units-table column with the population's size in each unit (persons). Measures that draw on the
    population fund at most this many of its persons, together."""
    within: str | None = None
    """A wider population these persons also belong to (e.g. members of zero-employment households within the
    unemployed poor labour): persons drawn from this one count against the wider one's size, and rules stated
    over the wider one count them too."""
    label: str | None = None
    """A display name, e.g. `零就业家庭成员`."""
    description: str | None = None
    """Who the persons are, in the policy's words."""


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
            raise InvalidValue(msg("check.product.empty"))
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
    effectiveness: float | str | list[Step] = 1.0
    """Persons employed (or kept employed) per beneficiary: a number, a units-table column (a calibration per
    county), or a list of `{share, value}` steps with non-increasing values for diminishing returns. Count net
    jobs (persons who would not have been in work without the measure), not subsidy claims."""
    full_time_equivalent: float | str | ColumnTimes = 1.0
    """How much one person employed by this measure counts in the objective, as a share of a full-time job: a
    number, a column, or `{column, factor}` (a post of 40 hours a month: `{column: post_hours_month, factor:
    0.00575}`, 1/174 of a full-time month). The objective maximises weighted full-time equivalents; coverage
    rules and targets still count persons. Default 1."""
    max_effectiveness: float = Field(1.0, gt=0)
    """The most persons employed per person funded that `effectiveness` (and Monte Carlo or tornado changes of
    it) may reach: 1 unless the measure employs others too, e.g. a returnee's business that hires."""
    capacity: float | str | ColumnTimes | None = None
    """Most beneficiaries per unit: a number, a column, or `{column, factor}`; none means no limit but the
    rules and the budget."""
    from_: list[str] | None = Field(None, alias="from")
    """The populations (`populations`) the measure draws its beneficiaries from; each person funded belongs to
    one of them and counts against its size. None: beneficiaries belong to no named population."""
    demand: str | ColumnTimes | None = None
    """An entitlement (按规定落实): the expected eligible claims per unit, a column or `{column, factor}`; at
    least this many beneficiaries are funded (rows `entitlement.<measure>`), whatever else the money could buy.
    The demand must fit the capacity."""
    hours: float | str | ColumnTimes | None = None
    """Working hours one beneficiary is paid for (public-welfare posts): a number, a units-table column, or
    `{column, factor}` (per-county hours a month from the 摸查 × 12); with `hourly_wage`, the loader checks in
    each unit that the unit cost per hour matches the local wage."""
    hourly_wage: str | None = None
    """A units-table column with the local hourly (minimum) wage, in 元."""
    wage_tolerance: float = Field(0.2, ge=0)
    """How far (as a share) the cost per hour may stray from `hourly_wage` before a warning."""

    @field_validator("effectiveness")
    @classmethod
    def _steps(cls, v):
        if isinstance(v, list):
            if not v:
                raise InvalidValue(msg("check.steps.none"))
            total = sum(s.share for s in v)
            if abs(total - 1) > 1e-9:
                raise InvalidValue(msg("check.steps.shares", total=f"{total:g}"))
            values = [s.value for s in v]
            if any(b > a for a, b in zip(values, values[1:])):
                raise InvalidValue(msg("check.steps.increasing", values=values))
        elif isinstance(v, (int, float)) and v < 0:
            raise InvalidValue(msg("check.effectiveness.negative", value=v))
        return v

    @field_validator("hours")
    @classmethod
    def _hours(cls, v):
        if isinstance(v, (int, float)) and not v > 0:
            raise InvalidValue(msg("check.hours.not_positive", value=v))
        return v

    @field_validator("full_time_equivalent")
    @classmethod
    def _fte(cls, v):
        if isinstance(v, (int, float)) and not v > 0:
            raise InvalidValue(msg("check.fte.not_positive", value=v))
        return v

    @field_validator("unit_cost")
    @classmethod
    def _cost(cls, v):
        if isinstance(v, (int, float)) and not v > 0:
            raise InvalidValue(msg("check.unit_cost.not_positive", value=v))
        if isinstance(v, str) and is_money_string(v) and not parse_money(v, "元") > 0:
            raise InvalidValue(msg("check.unit_cost.not_positive", value=v))
        return v

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, v):
        if isinstance(v, (int, float)) and v < 0:
            raise InvalidValue(msg("check.capacity.negative", value=v))
        return v

    def steps(self) -> list[Step]:
        """The response steps (one step of share 1 for a constant effectiveness or a column, whose value is
        then a placeholder 1: :func:`fundalloc.measures.effectiveness_per_unit` reads the column)."""
        if isinstance(self.effectiveness, list):
            return list(self.effectiveness)
        value = 1.0 if isinstance(self.effectiveness, str) else float(self.effectiveness)
        return [Step(share=1.0, value=value)]

    def sources(self) -> list[str | None]:
        """The populations the measure draws from (``[None]``: no named population)."""
        return list(self.from_) if self.from_ else [None]


# ------------------------------------------------------------------------------------------------ rules

Measures = Union[Literal["all"], list[str]]


class _Rule(_Model):
    name: str = ""
    """The rule's name; its shadow price is reported under it. Defaults to the rule's type."""
    where: str | None = None
    """A group: the rule applies only to the units in it."""
    label: str | None = None
    """A display name, e.g. `零就业家庭至少一人就业`: sentences and tables for people show it in place of the
    rule's name (files and dotted paths keep the name)."""
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
    population: str | None = None
    """Count only beneficiaries drawn from this population (and the populations `within` it)."""
    column: str | None = None
    """The units-table column holding the pool's size (persons); default: the `population`'s column."""

    @model_validator(mode="after")
    def _size(self):
        if self.column is None and self.population is None:
            raise InvalidValue(msg("check.pool.size"))
        return self
    factor: float = Field(1.0, ge=0)
    """The pool is this times the column."""
    identity: bool | None = None
    """The pool is an accounting identity: each person in `column` can be funded once, so loosening it would
    count someone twice, not change a policy. Its shadow price is then reported as what one more eligible person
    is worth and where, never as the price of a policy. Empty (the default): true when `factor` is 1 (the pool is
    exactly the persons in the column), false for any other factor (a share of them is a cap someone chose)."""

    @property
    def is_identity(self) -> bool:
        """`identity`, or its default when empty."""
        return self.identity if self.identity is not None else self.factor == 1


class Coverage(_Rule):
    """Persons employed by `measures` ≥ factor × column, per unit (e.g. one job per zero-employment household)."""

    type: Literal["coverage"]
    measures: Measures = ALL
    """The measures whose outcome counts."""
    population: str | None = None
    """Count only persons employed from this population (and the populations `within` it): "at least one
    member of each zero-employment household in work" counts that household's members, not anyone employed."""
    column: str
    """The units-table column to cover (e.g. zero-employment households)."""
    factor: float = Field(1.0, ge=0)
    """Persons required per unit of the column."""


BASELINE = "baseline"


class _ReferenceShare(_Rule):
    """A share rule whose `min` may name references: `group_share`, `region_share`."""

    min: float | str | list[float | str] | None = None
    """Smallest share of the money: a number (0–1); `baseline`, the share the factor formula (`baseline:`)
    gives (the group; each region, for `region_share`); a units-table column (e.g. last year's money), the
    share of it; or a list of these, the largest of them (`[baseline, last_year]`: at least the formula's share
    and at least last year's, whichever is larger)."""
    max: float | None = Field(None, ge=0, le=1)
    """Largest share of the money (0–1)."""
    plus: float = Field(0.0, ge=-1, le=1)
    """With a reference `min` (`baseline` or a column, alone or in a list): points added to each reference share
    (0.02 = 2 points more than last year's share)."""

    @field_validator("min")
    @classmethod
    def _min(cls, v):
        return _share_terms(v)

    @model_validator(mode="after")
    def _bounds(self):
        if self.plus and not self.references:
            raise InvalidValue(msg("check.share.plus"))
        return _share_bounds(self)

    @property
    def min_terms(self) -> list[float | str]:
        """`min` as a list (empty without one): the share is at least the largest of these."""
        return _terms(self.min)

    @property
    def references(self) -> list[str]:
        """The references `min` names (`baseline`, columns), whose shares the rule follows."""
        return [term for term in self.min_terms if isinstance(term, str)]


class GroupShare(_ReferenceShare):
    """Money to `group` ≥ min (and/or ≤ max) share of all money."""

    type: Literal["group_share"]
    group: str
    """The group that gets the share."""
    per_region: bool = False
    """State the rule within each region (市) separately: in every region the group gets at least (at most) the
    share of that region's money, a reference share being the group's share of the region's reference. Needs
    the units' regions (`units: {…, region: city}`)."""


class RegionShare(_ReferenceShare):
    """Each region's (市's) money ≥ min (and/or ≤ max) share of all money: one row per region. Needs the units'
    regions (`units: {…, region: city}`)."""

    type: Literal["region_share"]


def _terms(value) -> list:
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _share_terms(v):
    """A share's `min`: numbers between 0 and 1, references, or a non-empty list of them."""
    for term in _terms(v):
        if isinstance(term, (int, float)) and not 0 <= term <= 1:
            raise InvalidValue(msg("check.share.range", value=term))
    if isinstance(v, list) and not v:
        raise InvalidValue(msg("check.share.no_terms"))
    return v


def _share_bounds(rule):
    if rule.min is None and rule.max is None:
        raise InvalidValue(msg("check.bounds.none"))
    numbers = [v for v in _terms(rule.min) if isinstance(v, (int, float))]
    if numbers and rule.max is not None and max(numbers) > rule.max:
        raise InvalidValue(msg("check.bounds.min_above_max", min=max(numbers), max=rule.max))
    return rule


class PerCapitaTilt(_Rule):
    """Every unit of `group` gets money per head at least `ratio` × the per-head average of the other units."""

    type: Literal["per_capita_tilt"]
    group: str
    """The favoured group."""
    population: str
    """What money is counted per head of: a units-table column, or a named population (its column)."""
    ratio: float = Field(1.0, gt=0)
    """How many times the others' per-head money each favoured unit gets at least. "More than the others'
    average" is a ratio above 1 (1.05: at least 5 % more); 1 allows equal."""


class HoldHarmless(_Rule):
    """No unit falls below `min_ratio` × its `column` (last year's money); `max_ratio` caps the rise."""

    type: Literal["hold_harmless"]
    column: str
    """The units-table column with last year's money, in `money_unit`."""
    min_ratio: float = Field(1.0, ge=0)
    """Each unit gets at least this share of its column."""
    max_ratio: float | None = Field(None, ge=0)
    """Each unit gets at most this multiple of its column."""
    if_budget_falls: Literal["hold", "scale"] = "hold"
    """`hold`: the floor stands whatever the budget; `scale`: when the budget is below the column's total over
    all units (last year's money), every floor shrinks in that proportion, so "no cut" holds when the budget
    grows and the cut is shared when it falls."""

    @model_validator(mode="after")
    def _ratios(self):
        if self.max_ratio is not None and self.max_ratio < self.min_ratio:
            raise InvalidValue(msg("check.ratio.max_below_min", max=self.max_ratio, min=self.min_ratio))
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
            raise InvalidValue(msg("check.bounds.none"))
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
    per_region: bool = False
    """State the rule within each region (市) separately: in every region the measures get at least (at most)
    the share of that region's money. Needs the units' regions (`units: {…, region: city}`)."""

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
    population: str | None = None
    """Count only beneficiaries drawn from this population (and the populations `within` it)."""


_RULE_TYPES = (Pool, Coverage, GroupShare, RegionShare, PerCapitaTilt, HoldHarmless, UnitBounds, Earmark,
               MinCoverageRate)


def _rule_type(rule) -> str | None:
    return rule.get("type") if isinstance(rule, dict) else getattr(rule, "type", None)


# a rule's `type` picks its model (a function, not pydantic's inferred discriminator, so that the number check
# of every field, `_Model._numbers_are_numbers`, may see the `type` field too)
Rule = Annotated[
    Union[tuple(Annotated[cls, Tag(cls.model_fields["type"].annotation.__args__[0])] for cls in _RULE_TYPES)],
    Discriminator(_rule_type),
]

# --------------------------------------------------------------------------------------------- the rest


class Column(_Model):
    """Words for one units-table column."""

    label: str | None = None
    """A display name, e.g. `上年分配` for `last_year`: sentences and tables for people show it in place of the
    column's name."""


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


class TieBreak(_Model):
    """Which allocation to return when several are optimal (counties of equal marginal value can trade money at
    no loss): the one closest to a reference allocation, by least squares over the units' money."""

    toward: str = "auto"
    """The reference: `baseline` (the factor formula's amounts, from the `baseline:` section), a units-table
    column (e.g. last year's money, scaled to the budget), `equal` (the budget split equally), `none` (no
    tie-break: whichever optimal allocation the solver returns), or `auto`: `baseline` when the scenario has a
    `baseline:` section, else the column of its first `hold_harmless` rule, else `equal`. Shadow prices and
    ranging are those of the policy LP whatever this says."""
    ranges: Union[bool, Literal["auto"]] = "auto"
    """Compute each unit's least and most money over all optimal allocations (`amount_min_at_optimum`,
    `amount_max_at_optimum` in units.csv): `true`, `false`, or `auto`: up to 30,000 allocation columns (where
    they were measured to cost no more than the solve), not above."""


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
    tie_break: TieBreak = TieBreak()
    """Among several optimal allocations, which one to return (`{toward: baseline | COLUMN | equal | none}`)."""
    label: str | None = None
    """What one unit of the objective is called in sentences and tables, e.g. `加权就业人数` or `weighted
    jobs`. Default: weighted persons employed (加权就业人数), or for `min_cost` the money needed."""


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
    values: list[float | str] | None = Field(None, min_length=1)
    """The values to try (at least one); or give `from`, `to`, `steps`."""
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
            raise InvalidValue(msg("check.sweep.no_values"))
        if self.values is not None and any(v is not None for v in ranged):
            raise InvalidValue(msg("check.sweep.both"))
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
    seed: int = Field(0, ge=0)
    """Random seed (a whole number, 0 or more); the same seed gives the same numbers on any executor and worker
    count."""
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


class FactorClass(_Model):
    """One class of factors (因素类别) with its weight, e.g. 基础因素 (workload), 投入因素 (the local
    government's own spending), 绩效因素 (results) under 财社〔2017〕164号."""

    weight: float = Field(gt=0)
    """The class's weight (class weights are normalised to sum 1)."""
    factors: dict[str, float | Factor]
    """Units-table column → weight within the class (normalised to sum 1 within the class)."""
    label: str | None = None
    """A display name, e.g. `基础因素`."""


class Baseline(_Model):
    """The factor formula (因素法) the optimised allocation is compared with."""

    factors: dict[str, float | Factor] = {}
    """Units-table column → weight (or `{weight, direction}`)."""
    classes: dict[str, FactorClass] = {}
    """Factor classes, each with its weight and its own factors (give `classes` or `factors`): the class
    weight is split over its factors by their weights."""
    base: str | None = None
    """A units-table column with last year's money: the formula becomes base × coefficient (基数 × 系数):
    each unit's base times its factor index (1 for a unit at the average of every factor), scaled to the
    budget. Without it the factor shares divide the whole budget."""
    tilt: dict[str, Annotated[float, Field(gt=0)]] = {}
    """Group → 倾斜系数, the lean a province writes into its formula: each unit's share is multiplied by its
    group's coefficient (by the largest, for a unit in several groups; 1 in none), and the shares are scaled
    back to add up to 1, before the hold-harmless floor. `{deep_poverty: 1.5}`: a deep-poverty county gets
    1.5 times the share its factors alone would give it, relative to the others."""
    hold_harmless: BaselineHoldHarmless | None = None
    """A floor, with ratable reduction of the other units."""

    @model_validator(mode="after")
    def _one_kind(self):
        if bool(self.factors) == bool(self.classes):
            raise InvalidValue(msg("check.baseline.one_kind"))
        return self

    def flat_factors(self) -> dict[str, Factor]:
        """Every factor with its weight in the whole formula: a class's weight split over its factors."""
        if self.factors:
            return {c: f if isinstance(f, Factor) else Factor(weight=f) for c, f in self.factors.items()}
        total = sum(k.weight for k in self.classes.values())
        out: dict[str, Factor] = {}
        for k in self.classes.values():
            inside = sum((f.weight if isinstance(f, Factor) else f) for f in k.factors.values())
            for column, f in k.factors.items():
                f = f if isinstance(f, Factor) else Factor(weight=f)
                weight = k.weight / total * f.weight / inside
                if column in out:  # a column in two classes: its weights add up (the direction must agree)
                    weight += out[column].weight
                out[column] = Factor(weight=weight, direction=f.direction)
        return out


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
    prepared_by: str = ""
    """Who computed the allocation (a department or a person, e.g. `省人社厅就业促进处`): named in report.html's
    测算说明 and in the workbook's 说明 sheet."""
    money_unit: MoneyUnit = "万元"
    """The unit of every money figure (元, 万元 or 亿元); results are reported in it."""
    language: Literal["zh", "en"] = "en"
    """The language of every text written for people (the printed summary, report, explanations, warnings,
    chart titles, the headers of the 分配表 and the workbook): `zh` (中文) or `en`. The command line's `--lang`
    and the API's `lang=` (`fa.load_scenario`, `fa.solve`) override it. The machine tables (`allocation.csv`,
    `units.csv`, …) keep their English column names in either language."""
    units: pd.DataFrame
    """The units table: `id`, `name` and numeric or boolean columns. In a file: `{file, id, name, region, sheet}`."""
    region: str | None = None
    """The units-table column that groups units into regions (市), e.g. `city`: the 分配表 and the other tables
    for people get a subtotal per region. In a file it is written in `units:` (`units: {file: …, region: city}`);
    in code, `fa.Scenario(units=df, region="city")`."""
    columns: dict[str, Column] = {}
    """Words for units-table columns, by column name: `{last_year: {label: 上年分配}}`. Sentences and tables for
    people show a column's `label` where it has one (the machine tables keep the column names)."""
    groups: dict[str, Group] = {}
    """Named subsets of units."""
    populations: dict[str, Population | str] = {}
    """Named person populations (a units-table column each, or `{column, within, label}`) that measures draw
    beneficiaries from (`from`) and rules count over (`population`)."""
    weights: dict[str, float | str] = {}
    """Group → how much one person employed there counts; `combine: max` (default) or `product` for units
    in several weighted groups. Units in no weighted group weigh 1."""
    budget: Budget | None = None
    """The money to divide (optional for `min_cost`)."""
    measures: dict[str, Measure] = Field(min_length=1)
    """The ways of spending, by name (at least one)."""
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
    rounding: float | str | None = None
    """The precision of the 分配表 (`allocation_table.csv`, the workbook's first sheet, the report's main table):
    every amount there is a whole multiple of it, and the rounded amounts still add up exactly to the budget
    (to the money allocated, without `spend_all`) and keep every rule. A number in `money_unit` or money with
    its unit (`"100 元"`). Default: whole 万元 for 万元 scenarios, whole 元 for 元 scenarios, and 0.0001 亿元
    (1 万元) for 亿元 scenarios. The machine tables (`allocation.csv`, `units.csv`) keep the unrounded
    amounts."""
    source: str | None = None
    """The file the scenario was read from (set by the loader)."""
    inputs: dict[str, str] = {}
    """Every file the scenario was read from (scenario files, tables) → its sha256 (set by the loader)."""

    #: the units table as validated: a copy only this scenario holds, to tell when ``units`` was edited in place
    _validated_units: pd.DataFrame | None = PrivateAttr(None)

    def __init__(self, **data: Any):
        from .validation import cross_check, normalise_units, pydantic_problems  # they read these classes

        with speaking(data.get("language") if data.get("language") in LANGUAGES else None):
            units = data.get("units")
            if isinstance(units, pd.DataFrame):
                data["units"] = units if units is _CHECKED_UNITS.get() else normalise_units(units)
            elif "units" in data:
                raise ScenarioError([(("units",), msg("check.units.not_table", kind=type(units).__name__))])
            try:
                super().__init__(**data)
            except ValidationError as err:
                raise ScenarioError(pydantic_problems(err)) from None
            problems = cross_check(self)
            if problems:
                raise ScenarioError(problems)
        # with copy-on-write (pandas ≥ 3) a shallow copy shares the data and is never changed by edits of `units`
        self._validated_units = self.units.copy(deep=not _COPY_ON_WRITE)

    def check_units(self) -> None:
        """Raise :class:`ScenarioError` when ``units`` was changed in place after the scenario was validated
        (the scenario is immutable: change the table with ``with_changes`` or build a new ``Scenario``), or when
        the scenario was never validated (``model_construct``)."""
        checked = self._validated_units
        if checked is None:
            raise ScenarioError([((), msg("errors.api.not_validated"))], source=self.source, language=self.language)
        units = self.units
        if units is not checked and not (list(units.columns) == list(checked.columns) and units.equals(checked)):
            raise ScenarioError([(("units",), msg("errors.api.units_changed"))], source=self.source,
                                language=self.language)

    @field_validator("rounding")
    @classmethod
    def _rounding(cls, v):
        if isinstance(v, str):
            if not is_money_string(v):
                raise InvalidValue(msg("check.rounding.not_money", value=repr(v)))
            if not parse_money(v, "元") > 0:
                raise InvalidValue(msg("check.more_than", limit=0, value=repr(v)))
        elif v is not None and not v > 0:
            raise InvalidValue(msg("check.more_than", limit=0, value=f"{v:g}"))
        return v

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
    def regions(self) -> np.ndarray | None:
        """Each unit's region (the `region` column as text, in the scenario's unit order), or None."""
        if self.region is None:
            return None
        from .validation import as_text
        return self.units[self.region].map(as_text).to_numpy(dtype=object)

    @property
    def yuan_per_unit(self) -> float:
        """How many 元 one `money_unit` is."""
        return YUAN_PER_UNIT[self.money_unit]

    def population(self, name: str) -> Population:
        """The population of this name (a bare column written as ``{column: ...}``)."""
        p = self.populations[name]
        return Population(column=p) if isinstance(p, str) else p

    def population_members(self, name: str) -> list[str]:
        """``name`` and every population within it, directly or not."""
        out = [name]
        for other in self.populations:
            if other not in out and self.population(other).within is not None:
                chain, seen = self.population(other).within, {other}
                while chain is not None and chain not in seen:
                    if chain == name:
                        out.append(other)
                        break
                    seen.add(chain)
                    chain = self.population(chain).within if chain in self.populations else None
        return out

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
        Optional keys not set yet can be set too (``solver.time_limit``, a rule's ``max``).
        """
        from .validation import numeric_text_as_numbers

        if not isinstance(changes, Mapping):
            raise ScenarioError([((), msg("errors.api.changes.not_mapping", kind=type(changes).__name__))],
                                source=self.source, language=self.language)
        problems = [((), msg("errors.api.changes.not_path", key=repr(key)))
                    for key in changes if not isinstance(key, str)]
        if problems:
            raise ScenarioError(problems, source=self.source, language=self.language)
        self.check_units()
        data = self.dotted_data()
        units, columns = self.units, []
        for path, value in changes.items():
            try:
                for concrete in paths.expand(data, path, units):
                    if concrete.startswith("units."):
                        columns.append(concrete.split(".", 1)[1])
                        units = units.copy()
                        units[columns[-1]] = value
                    else:
                        data = paths.set_value(data, concrete, value)
            except paths.PathError as err:
                problems.append((tuple(path.split(".")), err.reason))
            except ValueError:  # a sequence of the wrong length for a column
                count = len(value) if hasattr(value, "__len__") else "?"
                problems.append((tuple(path.split(".")), msg("check.column_values", units=len(units), count=count)))
        if problems:
            raise ScenarioError(problems, language=self.language)
        if columns and {"id", "name"} & set(columns):
            return Scenario(**data, units=units)  # new ids or names: check the table again
        # the ids and names are the ones validated already: only the changed columns need reading
        units = numeric_text_as_numbers(units, columns) if columns else units
        token = _CHECKED_UNITS.set(units)
        try:
            return Scenario(**data, units=units)
        finally:
            _CHECKED_UNITS.reset(token)

    def dotted_data(self) -> dict:
        """The plain data that dotted paths address: :meth:`to_dict` with the optional keys that are not set as
        None (so that ``solver.time_limit`` names something before it is given a value)."""
        return self.model_dump(mode="python", by_alias=True, exclude={"units"})
