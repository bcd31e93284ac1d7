"""The scenario compiled to one sparse linear programme, with a named block of rows per rule.

Columns: one per (measure, source population, step, unit), laid out measure by measure, population by
population, step by step, unit by unit, so the columns of one (measure, population, step) are a contiguous run
over the units. A measure without `from` has one source (no named population). A rule type adds a block of rows (and,
rarely, auxiliary columns); blocks are what make shadow prices per rule, ranging and infeasibility
diagnosis generic. Money inside the programme is scaled by a power of two chosen from the unit costs, so the
solver sees numbers near 1 whatever money unit the scenario is written in.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from .groups import group_masks, unit_weights
from .measures import capacity_per_unit, effectiveness_per_unit, full_time_equivalent_per_unit, unit_cost_per_unit
from .money import YUAN_PER_UNIT
from .scenario import ALL, Scenario


#: what a rule type's rows touch (the registry in :mod:`fundalloc.rules` states one per rule type)
PER_UNIT, COUPLING, LINKING = "per_unit", "coupling", "linking"


@dataclass
class RowBlock:
    """Rows of one rule: ``lower ≤ rows · x ≤ upper``, stated in the block form.

    A unit's columns are its *slots*, one per (measure, step), in column order. A per-unit block (``units``
    given) has row i on unit ``units[i]``'s own slots: ``coef[i, s]``. A coupling block (``units`` is None)
    sums over every unit: ``coef[i, u, s]``. ``aux`` maps an auxiliary column to each row's coefficient on it
    (a per-unit row with one is a *linking* row). The sparse rows of the full programme are derived from this
    form (:meth:`csr`), so the two views cannot disagree.

    ``quantity`` is what a row's right-hand side counts (``money`` in internal units, or ``persons``);
    ``labels`` names each row (``min``/``max``); ``regions`` the region each row is stated in (a rule stated
    per region); ``internal`` rows are modelling devices, not policy: they get no shadow price and never give
    way.
    """

    name: str
    kind: str
    coef: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    quantity: str = "money"
    units: np.ndarray | None = None
    labels: list[str] | None = None
    internal: bool = False
    aux: dict[int, np.ndarray] = field(default_factory=dict)
    regions: list[str] | None = None

    def row_names(self) -> list[str]:
        """Each row's name: the block's, with its label (``tilt.min``) and region (``tilt.min.张家口市``)."""
        if self.labels is None:
            return [self.name] * self.n_rows
        regions = self.regions or [None] * self.n_rows
        return [".".join([self.name, label] + ([region] if region else [])) for label, region in zip(self.labels, regions)]

    @property
    def n_rows(self) -> int:
        return len(self.lower)

    def in_every_unit(self, n_units: int) -> bool:
        """Whether the block has one row per unit, in unit order (most per-unit rules)."""
        return self.units is not None and len(self.units) == n_units and bool((self.units == np.arange(n_units)).all())

    def times(self, by_unit: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The block's rows times the programme's columns ``x`` (``by_unit``: its allocation columns as units ×
        slots, the layout of the block's coefficients): each row's activity. ``x`` may hold several vectors as
        its columns (then ``by_unit`` is units × slots × vectors)."""
        if self.units is None:
            out = np.tensordot(self.coef, by_unit, axes=2)
        elif self.in_every_unit(len(by_unit)):
            out = np.einsum("rs,rs...->r...", self.coef, by_unit)
        else:
            out = np.einsum("rs,rs...->r...", self.coef, by_unit[self.units])
        for column, per_row in self.aux.items():
            out += np.multiply.outer(per_row, x[column])
        return out

    def add_transposed(self, y: np.ndarray, by_unit: np.ndarray, out: np.ndarray, *, absolute: bool = False) -> None:
        """Add the block's rows, transposed, times ``y`` (one value per row): into ``by_unit`` (the allocation
        columns as units × slots) and ``out`` (the auxiliary columns, at their index); with ``absolute``, the rows'
        absolute values (the magnitudes a duality gap is measured against). Rows where ``y`` is 0 are skipped
        (most of a block's duals are: a unit's rule rarely binds)."""
        rows = np.flatnonzero(y)
        if len(rows) == self.n_rows:
            rows = slice(None)
        elif not len(rows):
            return
        coef, y = self.coef[rows], y[rows]
        if absolute:
            coef = np.abs(coef)
        if self.units is None:
            by_unit += np.tensordot(y, coef, axes=1)
        elif isinstance(rows, slice) and self.in_every_unit(len(by_unit)):
            by_unit += coef * y[:, None]
        else:
            units = self.units[rows]
            if len(units) < 2 or (units[1:] > units[:-1]).all():  # one row per unit at most
                by_unit[units] += coef * y[:, None]
            else:
                np.add.at(by_unit, units, coef * y[:, None])
        for column, per_row in self.aux.items():
            out[column] += (np.abs(per_row[rows]) if absolute else per_row[rows]) @ y

    def row_sizes(self) -> np.ndarray:
        """The largest absolute coefficient of each row (two reductions, no copy of the coefficients)."""
        axes = tuple(range(1, self.coef.ndim))
        sizes = np.maximum(self.coef.max(axis=axes, initial=0.0), -self.coef.min(axis=axes, initial=0.0))
        for per_row in self.aux.values():
            sizes = np.maximum(sizes, np.abs(per_row))
        return sizes

    def csr(self, n_units: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The block's rows in the full programme's column layout, in CSR order: (entries per row, column
        indices, values). Built row by row in column order, so no sorting pass is needed."""
        C = self.coef.shape[-1]
        if self.units is None:       # slot by slot, unit by unit: a row's column index is the position
            flat = np.ascontiguousarray(self.coef.transpose(0, 2, 1)).reshape(self.n_rows, C * n_units)
            nz = [np.flatnonzero(r) for r in flat]
            counts = np.array([len(i) for i in nz], np.int64)
            col = np.concatenate(nz) if nz else np.zeros(0, np.int64)
            value = np.concatenate([r[i] for r, i in zip(flat, nz)]) if nz else np.zeros(0)
        else:
            used = self.coef != 0
            if len(used) and (used == used[0]).all():   # the usual case: the same slots in every row
                slots = np.flatnonzero(used[0])
                col = (slots[None, :] * n_units + self.units[:, None]).ravel()
                value = self.coef[:, slots].ravel()
                counts = np.full(self.n_rows, len(slots), np.int64)
            else:
                nz = np.flatnonzero(used)
                row, slot = np.divmod(nz, C)
                col = slot * n_units + self.units[row]
                value = self.coef.ravel()[nz]
                counts = np.bincount(row, minlength=self.n_rows)
        if not self.aux:
            return counts, col, value
        row = np.repeat(np.arange(self.n_rows), counts)
        # auxiliary columns come after every allocation column: each row's entries go after its own
        aux = sorted(self.aux.items())
        extra = np.vstack([per_row != 0 for _, per_row in aux])             # aux columns × rows
        total = counts + extra.sum(axis=0)
        start = np.concatenate([[0], np.cumsum(total)[:-1]])
        cols = np.empty(int(total.sum()), col.dtype)
        values = np.empty(len(cols))
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        at = start[row] + (np.arange(len(row)) - first[row])
        cols[at], values[at] = col, value
        placed = counts.copy()
        for (aux_col, per_row), has in zip(aux, extra):
            rows = np.flatnonzero(has)
            cols[start[rows] + placed[rows]], values[start[rows] + placed[rows]] = aux_col, per_row[rows]
            placed[rows] += 1
        return total, cols, values


@dataclass
class Program:
    """A linear programme ``optimise cost @ x  s.t.  row_lower ≤ A x ≤ row_upper, col_lower ≤ x ≤ col_upper``."""

    scenario: Scenario
    sense: str  # "max" or "min"
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
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
    #: the sparse rows of the whole programme (:attr:`matrix`); None until first read
    _csr: sp.csr_matrix | None = field(default=None, repr=False, compare=False)
    #: :meth:`row_sizes` of the blocks, once computed (a changed programme is a new Program without them)
    _sizes: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def matrix(self) -> sp.csr_matrix:
        """The programme's rows as one sparse matrix, derived from the blocks when first read: a solver on the
        whole programme needs it, the decomposition does not (at a million units it holds 60 million entries and
        took seconds to make), so products with it go through :meth:`times` and :meth:`transposed_times`."""
        if self._csr is None:
            self._csr = _matrix(list(self.block_info.values()), self.n_units, self.n_cols)
        return self._csr

    def times(self, x: np.ndarray) -> np.ndarray:
        """``matrix @ x``, block by block while the matrix has not been made (``x`` a vector, or several as
        columns: the blocks' coefficients are read once for all of them)."""
        if self._csr is not None:
            return self._csr @ x
        by_unit = self._by_unit(x)
        parts = [b.times(by_unit, x) for b in self.block_info.values()]
        return np.concatenate(parts) if parts else np.zeros(0)

    def _by_unit(self, x: np.ndarray) -> np.ndarray:
        """The allocation columns of ``x`` as units × slots (unit u's slot s is column ``s * n_units + u``)."""
        by_slot = x[:self.n_alloc].reshape((self.n_slots, self.n_units) + x.shape[1:])
        return np.ascontiguousarray(np.swapaxes(by_slot, 0, 1))

    def transposed_times(self, y: np.ndarray, *, absolute: bool = False) -> np.ndarray:
        """``matrix.T @ y`` (``abs(matrix).T @ y`` with ``absolute``), block by block while the matrix has not
        been made."""
        if self._csr is not None:
            A = self._csr
            if absolute:
                A = sp.csr_matrix((np.abs(A.data), A.indices, A.indptr), shape=A.shape)
            return A.T @ y
        out = np.zeros(self.n_cols)
        by_unit = np.zeros((self.n_units, self.n_slots))
        for name, block in self.block_info.items():
            block.add_transposed(y[self.blocks[name]], by_unit, out, absolute=absolute)
        out[:self.n_alloc] = by_unit.T.ravel()
        return out

    def row_sizes(self) -> np.ndarray:
        """The largest absolute coefficient of each row (0 for an empty row)."""
        if self._csr is not None:
            matrix = self._csr
            sizes = np.zeros(matrix.shape[0])
            filled = np.diff(matrix.indptr) > 0
            if filled.any():
                sizes[filled] = np.maximum.reduceat(np.abs(matrix.data), matrix.indptr[:-1][filled])
            return sizes
        if self._sizes is None:  # the feasibility checks of the policy LP and of the tie-break both ask
            parts = [b.row_sizes() for b in self.block_info.values()]
            self._sizes = np.concatenate(parts) if parts else np.zeros(0)
        return self._sizes

    def aux_columns(self) -> sp.csc_matrix:
        """The matrix's auxiliary columns (rows × auxiliary columns), from the blocks while it has not been made."""
        if self._csr is not None:
            return self._csr[:, self.n_alloc:].tocsc()
        rows, columns, values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
        for name, block in self.block_info.items():
            for column, per_row in block.aux.items():
                has = np.flatnonzero(per_row)
                rows.append(self.blocks[name].start + has)
                columns.append(np.full(len(has), column - self.n_alloc))
                values.append(per_row[has])
        return sp.csc_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
                             shape=(len(self.row_lower), self.n_cols - self.n_alloc))

    def with_matrix(self, matrix: sp.csr_matrix, **changes) -> "Program":
        """The programme with other rows (an in-place edit of the coefficients, added columns) and ``changes``."""
        return replace(self, _csr=matrix, **changes)

    def outcome_value(self) -> np.ndarray:
        """The ``max_outcome`` objective per allocation column: unit weight × effectiveness × full-time
        equivalent."""
        alloc = slice(0, self.n_alloc)
        fte = self.col_fte[alloc] if self.col_fte is not None else 1.0
        return self.weights[self.col_unit[alloc]] * self.col_effect[alloc] * fte

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def n_slots(self) -> int:
        """Columns per unit (one per measure, source and step): unit u's slot s is column ``s * n_units + u``."""
        return self.n_alloc // max(self.n_units, 1)

    def with_rows(self, row_lower: np.ndarray, row_upper: np.ndarray) -> Program:
        """The programme with other row bounds, each rule block's own bounds following (the decomposition and
        the tie-break read the blocks: a programme's blocks always state its rows).

        >>> import pandas as pd, fundalloc as fa
        >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
        >>> p = fa.build(fa.Scenario(units=units, budget={"total": 10},
        ...                          measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
        ...                          rules=[{"type": "unit_bounds", "name": "ceiling", "max": 6}]))
        >>> upper = p.row_upper.copy()
        >>> upper[p.blocks["ceiling"]] = [50, 40]
        >>> p.with_rows(p.row_lower, upper).block_info["ceiling"].upper.tolist()
        [50.0, 40.0]
        """
        info = dict(self.block_info)
        for name, rows in self.blocks.items():
            b = info[name]
            if not (np.array_equal(b.lower, row_lower[rows]) and np.array_equal(b.upper, row_upper[rows])):
                info[name] = replace(b, lower=row_lower[rows].copy(), upper=row_upper[rows].copy())
        return replace(self, row_lower=row_lower, row_upper=row_upper, block_info=info)

    def rule_blocks(self) -> list[str]:
        """Names of the policy blocks (budget and rules), in order."""
        return [n for n, b in self.block_info.items() if not b.internal]

    def row_scale(self, name: str) -> float:
        """User units per internal unit of a block's right-hand side."""
        return self.money_scale if self.block_info[name].quantity == "money" else 1.0


class Context:
    """What a rule function needs: the units, the columns and ready-made per-unit expressions.

    A per-unit expression is a (units × slots) array: its value on each of a unit's own columns (a slot is one
    (measure, source, step))."""

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
        self.n_slots = self.n_alloc // max(self.n, 1)
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

    def _slots(self, values: np.ndarray) -> np.ndarray:
        """One value per allocation column → (units × slots)."""
        return values.reshape(self.n_slots, self.n).T

    def slot_mask(self, measures=ALL, population: str | None = None) -> np.ndarray:
        """Which slots belong to ``measures`` (and draw from ``population`` or a population within it)."""
        keep = np.ones(self.n_slots, bool)
        if measures != ALL:
            keep &= np.isin(self.col_measure[::max(self.n, 1)], [self.measures.index(m) for m in measures])
        if population is not None:
            members = [self.populations.index(p) for p in self.sc.population_members(population)]
            keep &= np.isin(self.col_population[::max(self.n, 1)], members)
        return keep

    def per_unit(self, values: np.ndarray, measures=ALL, population: str | None = None) -> np.ndarray:
        """Units × slots: ``values`` (one per allocation column) on the slots of ``measures`` (drawn from
        ``population`` when given), 0 elsewhere."""
        return self._slots(values) * self.slot_mask(measures, population)

    def money(self, measures=ALL) -> np.ndarray:
        return self.per_unit(self.col_money, measures)

    def persons(self, measures=ALL, population: str | None = None) -> np.ndarray:
        return self.per_unit(np.ones(self.n_alloc), measures, population)

    def outcome(self, measures=ALL, population: str | None = None) -> np.ndarray:
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


def _matrix(blocks: list[RowBlock], n_units: int, n_cols: int) -> sp.csr_matrix:
    """The full programme's sparse rows, derived from the blocks' own form (canonical: sorted, no duplicates,
    so a warm re-solve can compare two programmes entry by entry)."""
    parts = [b.csr(n_units) for b in blocks]
    counts = np.concatenate([np.zeros(1, np.int64)] + [p[0] for p in parts])
    indptr = np.cumsum(counts)
    index_type = np.int32 if max(indptr[-1], n_cols) < 2**31 else np.int64
    indices = np.concatenate([p[1].astype(index_type, copy=False) for p in parts]) if parts else np.zeros(0, index_type)
    values = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    matrix = sp.csr_matrix((values, indices, indptr.astype(index_type)), shape=(len(indptr) - 1, n_cols))
    matrix.has_sorted_indices = True
    return matrix


def build(sc: Scenario, *, money_scale: float | None = None) -> Program:
    """Compile a scenario into a :class:`Program` (vectorised: no Python object per unit or variable).

    ``money_scale``: the internal money unit to use instead of the one chosen from the unit costs (so that two
    programmes of changed scenarios can be compared entry by entry). Raises
    :class:`~fundalloc.errors.ScenarioError` when the scenario's table was edited after validation, or
    when its numbers combine into coefficients the solvers cannot work with (:func:`check_numbers`).
    """
    sc.check_units()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # overflow is caught by check_numbers
        program = _build(sc, money_scale)
    check_numbers(program)
    return program


#: the largest coefficient (objective, matrix) and finite bound a programme may hold: HiGHS refuses matrix
#: values from 1e15 and reads costs and bounds from 1e20 as infinite
MAX_COEFFICIENT, MAX_BOUND = 1e15, 1e20


def check_numbers(program: Program) -> None:
    """Raise :class:`~fundalloc.errors.ScenarioError` naming the measure, unit or rule whose numbers (each
    fine alone, e.g. a weight and an effectiveness) make a coefficient or bound that is not finite or too
    large for the solvers."""
    from .catalog import Msg, msg
    from .errors import ScenarioError

    sc, units = program.scenario, program.scenario.units

    def first_bad(values: np.ndarray, limit: float, *, infinite_ok: bool = False) -> int | None:
        if not len(values) or np.abs(values).max() < limit:  # the usual case, in one pass (NaN fails the test)
            return None
        worse = np.isnan(values) | (np.isfinite(values) & (np.abs(values) >= limit))
        if not infinite_ok:
            worse |= np.isinf(values)
        return int(np.flatnonzero(worse)[0]) if worse.any() else None

    def column(j: int) -> tuple[tuple, Msg]:
        if j >= program.n_alloc:
            return (), msg("errors.numbers.own_column", name=max((v, k) for k, v in program.aux.items() if v <= j)[1])
        m, u = program.measures[program.col_measure[j]], program.col_unit[j]
        return ("measures", m), msg("errors.numbers.column", measure=m, id=units["id"].iat[u],
                                    name=units["name"].iat[u])

    def block_of(row: int) -> tuple[tuple, str]:
        name = next(b for b, rows in program.blocks.items() if rows.start <= row < rows.stop)
        head = name.split(".")[0]
        loc = ("budget",) if name == "budget" else ("objective",) if head in ("target", "coverage_rate") \
            else ("rules", head)
        return loc, name

    def shown(value: float) -> Msg | str:
        return f"{value:.3g}" if np.isfinite(value) else msg("errors.numbers.overflow", value=value)

    problems = []
    j = first_bad(program.cost, MAX_COEFFICIENT)
    if j is not None:
        loc, what = column(j)
        problems.append((loc, msg("errors.numbers.objective", what=what, value=shown(program.cost[j]),
                                  limit=f"{MAX_COEFFICIENT:g}")))
    bad = _first_bad_coefficient(program, lambda values: first_bad(values, MAX_COEFFICIENT))
    if bad is not None:
        row, j, value = bad
        loc, name = block_of(row)
        _, what = column(j)
        problems.append((loc, msg("errors.numbers.coefficient", name=name, value=shown(value),
                                  what=what, limit=f"{MAX_COEFFICIENT:g}")))
    j = first_bad(program.col_upper, MAX_BOUND, infinite_ok=True)
    if j is not None:
        loc, what = column(j)
        problems.append((loc, msg("errors.numbers.capacity", what=what, value=shown(program.col_upper[j]),
                                  limit=f"{MAX_BOUND:g}")))
    for bounds in (program.row_lower, program.row_upper):
        i = first_bad(bounds, MAX_BOUND, infinite_ok=True)
        if i is not None:
            loc, name = block_of(i)
            problems.append((loc, msg("errors.numbers.limit", name=name, value=shown(bounds[i]))))
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)


def _first_bad_coefficient(program: Program, first_bad) -> tuple[int, int, float] | None:
    """The first entry of the programme's matrix (in row order) that ``first_bad`` finds among an array's values,
    as (row, column, value): block by block, making a block's sparse rows only when it holds one."""
    if program._csr is not None:
        data = program._csr.data
        k = first_bad(data)
        if k is None:
            return None
        return int(np.searchsorted(program._csr.indptr, k, side="right") - 1), int(program._csr.indices[k]), data[k]
    for name, block in program.block_info.items():
        if first_bad(block.coef.ravel()) is None and all(first_bad(v) is None for v in block.aux.values()):
            continue
        counts, columns, values = block.csr(program.n_units)
        k = first_bad(values)
        if k is not None:
            row = int(np.searchsorted(np.cumsum(counts), k, side="right"))
            return program.blocks[name].start + row, int(columns[k]), values[k]
    return None


def _build(sc: Scenario, money_scale: float | None = None) -> Program:
    from .rules import RULES, budget_block, measure_blocks, objective_blocks, population_blocks

    n = len(sc.units)
    measures = list(sc.measures)
    populations = list(sc.populations)
    masks = group_masks(sc)
    weights = unit_weights(sc, masks)
    costs = np.vstack([unit_cost_per_unit(sc, m) for m in measures])       # measures × units, user money
    caps = np.vstack([capacity_per_unit(sc, m) for m in measures])
    money_scale = money_scale or _money_scale(sc, costs)

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
        blocks.extend(RULES[rule.type].build(rule, ctx))
    obj_blocks, cost, sense = objective_blocks(ctx, weights * 1.0, col["fte"])
    blocks.extend(obj_blocks)

    n_cols, n_aux = ctx.n_cols, ctx.n_cols - ctx.n_alloc
    offsets = np.cumsum([0] + [b.n_rows for b in blocks])
    cost = np.concatenate([cost, np.zeros(n_cols - len(cost))])
    return Program(
        scenario=sc, sense=sense, cost=cost,
        col_lower=np.concatenate([np.zeros(ctx.n_alloc), *ctx.aux_lower]),
        col_upper=np.concatenate([col_upper, *ctx.aux_upper]),
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

