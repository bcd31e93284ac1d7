"""The scenario compiled to one sparse linear programme, with a named block of rows per rule.

Columns: one per (measure, source population, step, unit), laid out measure by measure, population by
population, step by step, unit by unit, so the columns of one (measure, population, step) are a contiguous run
over the units. A measure without `from` has one source (no named population). A rule type adds a block of rows (and,
rarely, auxiliary columns); blocks are what make shadow prices per rule, ranging and infeasibility
diagnosis generic. Money inside the programme is scaled by a power of two chosen from the unit costs, so the
solver sees numbers near 1 whatever money unit the scenario is written in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .groups import group_masks, unit_weights
from .measures import capacity_per_unit, effectiveness_per_unit, full_time_equivalent_per_unit, unit_cost_per_unit
from .money import YUAN_PER_UNIT
from .scenario import ALL, Scenario


@dataclass
class RowBlock:
    """Rows of one rule: ``lower ≤ matrix @ x ≤ upper``.

    ``quantity`` is what a row's right-hand side counts (``money`` in internal units, or ``persons``);
    ``units`` gives the unit index of each row for per-unit rules; ``labels`` names each row (``min``/``max``);
    ``internal`` rows are modelling devices, not policy: they get no shadow price and never give way.
    """

    name: str
    kind: str
    matrix: sp.csr_matrix
    lower: np.ndarray
    upper: np.ndarray
    quantity: str = "money"
    units: np.ndarray | None = None
    labels: list[str] | None = None
    internal: bool = False


@dataclass
class Program:
    """A linear programme ``optimise cost @ x  s.t.  row_lower ≤ A x ≤ row_upper, col_lower ≤ x ≤ col_upper``."""

    scenario: Scenario
    sense: str  # "max" or "min"
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    blocks: dict[str, slice]
    block_info: dict[str, RowBlock]
    n_units: int
    measures: list[str]
    col_unit: np.ndarray      # unit index of each allocation column (-1 for auxiliary columns)
    col_measure: np.ndarray   # measure index of each allocation column (-1 for auxiliary columns)
    col_step: np.ndarray
    col_money: np.ndarray     # internal money per beneficiary (0 for auxiliary columns)
    col_effect: np.ndarray    # persons employed per beneficiary (0 for auxiliary columns)
    weights: np.ndarray       # per unit
    masks: dict[str, np.ndarray]
    money_scale: float        # user money per internal money unit
    integer: bool = False
    n_alloc: int = 0                                    # allocation columns come first; the rest are auxiliary
    aux: dict[str, int] = field(default_factory=dict)  # auxiliary column name → its (first) index
    populations: list[str] = field(default_factory=list)
    col_population: np.ndarray | None = None  # population index of each allocation column (-1: none)
    col_fte: np.ndarray | None = None         # full-time equivalent of one person employed (0 for auxiliary)

    def outcome_value(self) -> np.ndarray:
        """The ``max_outcome`` objective per allocation column: unit weight × effectiveness × full-time
        equivalent."""
        alloc = slice(0, self.n_alloc)
        fte = self.col_fte[alloc] if self.col_fte is not None else 1.0
        return self.weights[self.col_unit[alloc]] * self.col_effect[alloc] * fte

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    def rule_blocks(self) -> list[str]:
        """Names of the policy blocks (budget and rules), in order."""
        return [n for n, b in self.block_info.items() if not b.internal]

    def row_scale(self, name: str) -> float:
        """User units per internal unit of a block's right-hand side."""
        return self.money_scale if self.block_info[name].quantity == "money" else 1.0


class Context:
    """What a rule function needs: the units, the columns and ready-made per-unit expressions."""

    def __init__(self, sc: Scenario, masks, col_unit, col_measure, col_money, col_effect, measures, money_scale,
                 col_population=None):
        self.sc, self.masks, self.measures = sc, masks, measures
        self.n = len(sc.units)
        self.col_unit, self.col_measure = col_unit, col_measure
        self.populations = list(sc.populations)
        self.col_population = col_population if col_population is not None else np.full(len(col_unit), -1)
        self.col_money, self.col_effect = col_money, col_effect
        self.money_scale = money_scale
        self.n_alloc = len(col_unit)
        self.aux: dict[str, int] = {}                 # name → first column
        self.aux_lower: list[np.ndarray] = []
        self.aux_upper: list[np.ndarray] = []

    # columns of the units table
    def column(self, name: str) -> np.ndarray:
        return self.sc.units[name].to_numpy(dtype=float)

    def user_money(self, values) -> np.ndarray:
        """Money in the scenario's unit → internal money (via 元 and a power of two, so the same amount written
        in 元, 万元 or 亿元 becomes the same internal number)."""
        return to_internal(np.asarray(values, dtype=float), self.sc.money_unit, self.money_scale)

    def where(self, rule) -> np.ndarray:
        return self.masks[rule.where] if rule.where else np.ones(self.n, bool)

    def measure_mask(self, measures) -> np.ndarray:
        if measures == ALL:
            return np.ones(self.n_alloc, bool)
        chosen = np.isin(np.arange(len(self.measures)), [self.measures.index(m) for m in measures])
        return chosen[self.col_measure]

    def population_mask(self, population: str | None) -> np.ndarray:
        """Allocation columns whose beneficiaries are drawn from ``population`` or a population within it
        (every column for None)."""
        if population is None:
            return np.ones(self.n_alloc, bool)
        members = [self.populations.index(p) for p in self.sc.population_members(population)]
        return np.isin(self.col_population, members)

    def per_unit(self, values: np.ndarray, measures=ALL, population: str | None = None) -> sp.csr_matrix:
        """Units × columns: row u sums ``values`` over unit u's columns of ``measures`` (drawn from
        ``population`` when given)."""
        keep = self.measure_mask(measures) & self.population_mask(population)
        cols = np.flatnonzero(keep)
        return sp.csr_matrix((values[cols], (self.col_unit[cols], cols)), shape=(self.n, self.n_cols))

    def money(self, measures=ALL) -> sp.csr_matrix:
        return self.per_unit(self.col_money, measures)

    def persons(self, measures=ALL, population: str | None = None) -> sp.csr_matrix:
        return self.per_unit(np.ones(self.n_alloc), measures, population)

    def outcome(self, measures=ALL, population: str | None = None) -> sp.csr_matrix:
        return self.per_unit(self.col_effect, measures, population)

    def add_column(self, name: str, lower: float = 0.0, upper: float = np.inf, count: int = 1) -> int:
        """``count`` auxiliary columns (an average, a per-unit total); returns the index of the first."""
        start = self.n_cols
        self.aux[name] = start
        self.aux_lower.append(np.full(count, lower, dtype=float))
        self.aux_upper.append(np.full(count, upper, dtype=float))
        return start

    @property
    def n_cols(self) -> int:
        return self.n_alloc + sum(len(a) for a in self.aux_lower)


def to_internal(values, money_unit: str, money_scale: float):
    """Money in ``money_unit`` → internal units (``money_scale`` is user money per internal unit)."""
    yuan = YUAN_PER_UNIT[money_unit]
    return values * yuan / (money_scale * yuan)


def _money_scale(sc: Scenario, costs: np.ndarray) -> float:
    """User money per internal unit: the power of two nearest the median unit cost (exact to divide by)."""
    positive = costs[np.isfinite(costs) & (costs > 0)]
    median_yuan = float(np.median(positive)) * YUAN_PER_UNIT[sc.money_unit] if positive.size else 1.0
    return 2.0 ** round(np.log2(median_yuan)) / YUAN_PER_UNIT[sc.money_unit]


def build(sc: Scenario) -> Program:
    """Compile a scenario into a :class:`Program` (vectorised: no Python object per unit or variable).

    Raises :class:`~fundalloc.errors.ScenarioError` when the scenario's table was edited after validation, or
    when its numbers combine into coefficients the solvers cannot work with (:func:`check_numbers`).
    """
    sc.check_units()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # overflow is caught by check_numbers
        program = _build(sc)
    check_numbers(program)
    return program


#: the largest coefficient (objective, matrix) and finite bound a programme may hold: HiGHS refuses matrix
#: values from 1e15 and reads costs and bounds from 1e20 as infinite
MAX_COEFFICIENT, MAX_BOUND = 1e15, 1e20


def check_numbers(program: Program) -> None:
    """Raise :class:`~fundalloc.errors.ScenarioError` naming the measure, unit or rule whose numbers (each
    fine alone, e.g. a weight and an effectiveness) make a coefficient or bound that is not finite or too
    large for the solvers."""
    from .errors import ScenarioError

    sc, units = program.scenario, program.scenario.units

    def first_bad(values: np.ndarray, limit: float, *, infinite_ok: bool = False) -> int | None:
        worse = np.isnan(values) | (np.isfinite(values) & (np.abs(values) >= limit))
        if not infinite_ok:
            worse |= np.isinf(values)
        return int(np.flatnonzero(worse)[0]) if worse.any() else None

    def column(j: int) -> tuple[tuple, str]:
        if j >= program.n_alloc:
            return (), f"fundalloc's column `{max((v, k) for k, v in program.aux.items() if v <= j)[1]}`"
        m, u = program.measures[program.col_measure[j]], program.col_unit[j]
        return ("measures", m), f"measure `{m}` in unit {units['id'].iat[u]} {units['name'].iat[u]}"

    def block_of(row: int) -> tuple[tuple, str]:
        name = next(b for b, rows in program.blocks.items() if rows.start <= row < rows.stop)
        head = name.split(".")[0]
        loc = ("budget",) if name == "budget" else ("objective",) if head in ("target", "coverage_rate") \
            else ("rules", head)
        return loc, name

    def shown(value: float) -> str:
        return f"{value:.3g}" if np.isfinite(value) else f"{value} (an overflow)"

    problems = []
    j = first_bad(program.cost, MAX_COEFFICIENT)
    if j is not None:
        loc, what = column(j)
        problems.append((loc, f"the objective's coefficient for {what} is {shown(program.cost[j])}; the solvers need "
                              f"coefficients below {MAX_COEFFICIENT:g}: check the weights, effectiveness and costs"))
    k = first_bad(program.matrix.data, MAX_COEFFICIENT)
    if k is not None:
        loc, name = block_of(int(np.searchsorted(program.matrix.indptr, k, side="right") - 1))
        _, what = column(int(program.matrix.indices[k]))
        problems.append((loc, f"`{name}` has a coefficient of {shown(program.matrix.data[k])} for {what}; the solvers "
                              f"need coefficients below {MAX_COEFFICIENT:g}: check the costs, populations and "
                              "factors it uses"))
    j = first_bad(program.col_upper, MAX_BOUND, infinite_ok=True)
    if j is not None:
        loc, what = column(j)
        problems.append((loc, f"the capacity of {what} is {shown(program.col_upper[j])}; it must stay below "
                              f"{MAX_BOUND:g}"))
    for bounds in (program.row_lower, program.row_upper):
        i = first_bad(bounds, MAX_BOUND, infinite_ok=True)
        if i is not None:
            loc, name = block_of(i)
            problems.append((loc, f"`{name}` has a limit of {shown(bounds[i])} (in the programme's units), too large "
                                  "for the solvers: check the numbers it uses"))
    if problems:
        raise ScenarioError(problems, source=sc.source)


def _build(sc: Scenario) -> Program:
    from .rules import RULES, budget_block, measure_blocks, objective_blocks, population_blocks

    n = len(sc.units)
    measures = list(sc.measures)
    populations = list(sc.populations)
    masks = group_masks(sc)
    weights = unit_weights(sc, masks)
    costs = np.vstack([unit_cost_per_unit(sc, m) for m in measures])       # measures × units, user money
    caps = np.vstack([capacity_per_unit(sc, m) for m in measures])
    money_scale = _money_scale(sc, costs)

    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("unit", "measure", "population", "step", "money",
                                                          "effect", "fte", "upper")}
    for j, m in enumerate(measures):
        effect = effectiveness_per_unit(sc, m)
        fte = full_time_equivalent_per_unit(sc, m)
        for source in sc.measures[m].sources():
            for s, step in enumerate(sc.measures[m].steps()):
                parts["unit"].append(np.arange(n))
                parts["measure"].append(np.full(n, j))
                parts["population"].append(np.full(n, -1 if source is None else populations.index(source)))
                parts["step"].append(np.full(n, s))
                parts["money"].append(to_internal(costs[j], sc.money_unit, money_scale))
                parts["effect"].append(effect[s])
                parts["fte"].append(fte)
                parts["upper"].append(caps[j] * step.share)  # shared by the sources: a row keeps the sum in
    col = {k: np.concatenate(v) for k, v in parts.items()}
    col_unit, col_measure, col_step = col["unit"], col["measure"], col["step"]
    col_money, col_effect, col_upper = col["money"], col["effect"], col["upper"]

    ctx = Context(sc, masks, col_unit, col_measure, col_money, col_effect, measures, money_scale,
                  col_population=col["population"])
    ctx.col_step = col_step
    blocks: list[RowBlock] = []
    if sc.budget is not None and sc.objective.type != "min_cost":
        blocks.append(budget_block(ctx))
    blocks.extend(measure_blocks(ctx, caps))
    blocks.extend(population_blocks(ctx))
    for rule in sc.rules:
        blocks.extend(RULES[rule.type](rule, ctx))
    obj_blocks, cost, sense = objective_blocks(ctx, weights * 1.0, col["fte"])
    blocks.extend(obj_blocks)

    n_cols, n_aux = ctx.n_cols, ctx.n_cols - ctx.n_alloc
    for b in blocks:
        b.matrix = sp.csr_matrix(b.matrix)
        b.matrix.resize((b.matrix.shape[0], n_cols))
    offsets = np.cumsum([0] + [b.matrix.shape[0] for b in blocks])
    matrix = sp.vstack([b.matrix for b in blocks], format="csr") if blocks else sp.csr_matrix((0, n_cols))
    matrix.sum_duplicates()  # canonical, so a warm re-solve can compare two programmes entry by entry
    matrix.sort_indices()
    cost = np.concatenate([cost, np.zeros(n_cols - len(cost))])
    return Program(
        scenario=sc, sense=sense, cost=cost,
        col_lower=np.concatenate([np.zeros(ctx.n_alloc), *ctx.aux_lower]),
        col_upper=np.concatenate([col_upper, *ctx.aux_upper]),
        matrix=matrix,
        row_lower=np.concatenate([b.lower for b in blocks]) if blocks else np.zeros(0),
        row_upper=np.concatenate([b.upper for b in blocks]) if blocks else np.zeros(0),
        blocks={b.name: slice(offsets[i], offsets[i + 1]) for i, b in enumerate(blocks)},
        block_info={b.name: b for b in blocks},
        n_units=n, measures=measures,
        col_unit=np.concatenate([col_unit, np.full(n_aux, -1)]),
        col_measure=np.concatenate([col_measure, np.full(n_aux, -1)]),
        col_step=np.concatenate([col_step, np.full(n_aux, -1)]),
        col_money=np.concatenate([col_money, np.zeros(n_aux)]),
        col_effect=np.concatenate([col_effect, np.zeros(n_aux)]),
        weights=weights, masks=masks, money_scale=money_scale, integer=sc.integer,
        n_alloc=ctx.n_alloc, aux=dict(ctx.aux), populations=populations,
        col_population=np.concatenate([col["population"], np.full(n_aux, -1)]),
        col_fte=np.concatenate([col["fte"], np.zeros(n_aux)]),
    )

