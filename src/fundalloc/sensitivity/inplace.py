"""Re-solving in place: the programme of changed parameter values computed from the base programme, not rebuilt.

Every uncertain parameter moves a few entries of the programme (objective costs, matrix coefficients, row and
column bounds, and the per-column money and effect the results are read with), and each entry moves linearly
with one component of the parameter (:class:`~.params.Quantity`: the number, an effectiveness step, one unit's
value, a factor). :meth:`ProgramMap.compile` learns which entries and how, once: it builds the programme with
each parameter moved on its own (a probe), reads the slopes, and checks a joint probe of all parameters
entry for entry against a real build. After that the programme of any values is
``base + (value − base value) × slope`` on those entries: no scenario validated, nothing rebuilt, the same
sparsity pattern, so the solver keeps its model and basis.

What the map cannot express raises :class:`NotInPlace`, and the caller rebuilds instead (the reference path):
a column that defines a group or the ``max_min_coverage`` need (group membership and rows would change), a rule
bound with a partner it must not cross (``min``/``max``, ``min_ratio``/``max_ratio``), weights of overlapping
groups, a column or product set to one number (``relative: false`` without a number as base), the population
of a ``per_capita_tilt`` (the others' head count sums several units), a parameter whose probe changes the
programme's shape or is refused by the scenario, and anything whose joint probe disagrees with a build: two
parameters that multiply each other (a weight and an effectiveness, a share and a unit cost), or a column or
budget that a share stated relative to a reference follows (``min: baseline``: the factor formula's share).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from ..errors import ScenarioError
from ..program import Program, build
from ..scenario import HoldHarmless, Scenario
from . import params
from .params import Quantity

#: the programme's arrays a parameter can move (``matrix`` means the values of its non-zero entries)
FIELDS = ("cost", "col_lower", "col_upper", "row_lower", "row_upper", "col_money", "col_effect", "col_fte", "weights",
          "matrix")
#: a joint probe must agree with a build to this (relative to each array's largest entry)
AGREEMENT = 1e-12


class NotInPlace(Exception):
    """The parameters cannot be re-solved in place; ``str(err)`` says which and why."""


@dataclass(frozen=True)
class _Move:
    """Entries of one array moved by one parameter: ``array[index] += (value − base)[component] × slope``."""

    field: str
    index: np.ndarray
    component: np.ndarray
    slope: np.ndarray


@dataclass(frozen=True)
class ProgramMap:
    """The entries each parameter moves, and how (see the module's docstring)."""

    base: Program
    quantities: tuple[Quantity, ...]
    moves: tuple[tuple[_Move, ...], ...]

    @classmethod
    def compile(cls, sc: Scenario, base: Program, quantities: Sequence[Quantity], *,
                replaced: Sequence[bool] = ()) -> ProgramMap:
        """The map of ``quantities`` around ``base`` (the programme of ``sc``); :class:`NotInPlace` when it
        cannot be had. ``replaced[k]``: quantity k is set to one number (``relative: false``)."""
        quantities = tuple(quantities)
        for k, q in enumerate(quantities):
            why = structural(sc, q, bool(replaced[k]) if k < len(replaced) else False)
            if why:
                raise NotInPlace(f"`{q.path}` {why}")
        rows_unit = _row_units(base)
        moves = tuple(_probe(sc, base, q, rows_unit) for q in quantities)
        mapped = cls(base, quantities, moves)
        mapped._block_patches  # noqa: B018  where the moved entries land in the rule blocks, or NotInPlace
        mapped._check_jointly(sc)
        return mapped

    def program(self, values: Sequence[np.ndarray]) -> Program:
        """The programme with each quantity's components at ``values`` (one array per quantity, bounded); its
        rule blocks state its rows (the decomposition and the decomposed tie-break read them)."""
        base = self.base
        delta = np.concatenate(values) - self._bases
        if not delta.any():
            return base
        changed = {}
        for field, (index, component, slope, repeated) in self._by_field.items():
            moved = delta[component] * slope
            array = (base.matrix.data if field == "matrix" else getattr(base, field)).copy()
            if repeated:  # an entry moved by several parameters: add each move
                np.add.at(array, index, moved)
            else:
                array[index] += moved
            changed[field] = array
        rows = {f: changed.pop(f) for f in ("row_lower", "row_upper") if f in changed}
        if "matrix" in changed:
            A, data = base.matrix, changed.pop("matrix")
            edited = sp.csr_matrix((data, A.indices, A.indptr), shape=A.shape)
            program = base.with_matrix(edited, **changed, block_info=self._blocks(data))
        else:
            program = replace(base, **changed)
        if rows:
            program = program.with_rows(rows.get("row_lower", base.row_lower), rows.get("row_upper", base.row_upper))
        return program

    def _blocks(self, data: np.ndarray) -> dict:
        """The rule blocks with the moved matrix entries ``data`` written where each lands in them."""
        blocks = dict(self.base.block_info)
        for name, patches in self._block_patches.items():
            b = blocks[name]
            coef, aux = b.coef, dict(b.aux)
            for target, at, entries in patches:
                array = (coef if target == "coef" else aux[target]).copy()
                array.reshape(-1)[at] = data[entries]
                if target == "coef":
                    coef = array
                else:
                    aux[target] = array
            blocks[name] = replace(b, coef=coef, aux=aux)
        return blocks

    @cached_property
    def _block_patches(self) -> dict[str, list[tuple[str | int, np.ndarray, np.ndarray]]]:
        """Block name → (``"coef"`` or an auxiliary column, flat positions in that array, the moved matrix
        entries that go there): where each moved entry of the matrix lands in the block form
        (:meth:`fundalloc.program.RowBlock.csr` in reverse)."""
        base = self.base
        if "matrix" not in self._by_field:
            return {}
        entries = np.unique(self._by_field["matrix"][0])
        A, n = base.matrix, base.n_units
        rows = np.searchsorted(A.indptr, entries, side="right") - 1
        cols = A.indices[entries]
        out = {}
        for name, span in base.blocks.items():
            inside = (rows >= span.start) & (rows < span.stop)
            if not inside.any():
                continue
            b = base.block_info[name]
            i, col, entry = rows[inside] - span.start, cols[inside], entries[inside]
            alloc = col < base.n_alloc
            slot, unit = np.divmod(col[alloc], n)
            if b.units is None:
                at = np.ravel_multi_index((i[alloc], unit, slot), b.coef.shape)
            else:
                if (b.units[i[alloc]] != unit).any():
                    raise NotInPlace(f"`{name}` has a per-unit row on another unit's columns")
                at = np.ravel_multi_index((i[alloc], slot), b.coef.shape)
            patches = [("coef", at, entry[alloc])] if alloc.any() else []
            for aux in np.unique(col[~alloc]):
                own = col == aux
                patches.append((int(aux), i[own], entry[own]))
            out[name] = patches
        return out

    @cached_property
    def _bases(self) -> np.ndarray:
        return np.concatenate([q.base for q in self.quantities])

    @cached_property
    def _by_field(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, bool]]:
        """Every move of one array at once: (index, component among all quantities', slope, repeated index)."""
        offsets = np.cumsum([0] + [len(q.base) for q in self.quantities])
        out = {}
        for field in FIELDS:
            moves = [(m, offsets[k]) for k, ms in enumerate(self.moves) for m in ms if m.field == field]
            if moves:
                index = np.concatenate([m.index for m, _ in moves])
                out[field] = (index, np.concatenate([m.component + at for m, at in moves]),
                              np.concatenate([m.slope for m, _ in moves]), len(np.unique(index)) < len(index))
        return out

    def _check_jointly(self, sc: Scenario) -> None:
        """Every quantity moved at once, to values no probe used: the map must give what a build gives."""
        rng = np.random.default_rng(0)
        values = [q.clip(_probe_values(q) * rng.uniform(1.02, 1.2, q.base.shape))[0] for q in self.quantities]
        built = _build(sc, self.base, {q.path: q.written(v) for q, v in zip(self.quantities, values)})
        mapped = self.program(values)
        pairs = [(field, _array(mapped, field), _array(built, field)) for field in FIELDS]
        for name, b in built.block_info.items():  # the blocks too: the decomposed routes read them
            m = mapped.block_info[name]
            pairs += [(f"{name}.coef", m.coef, b.coef), (f"{name}.lower", m.lower, b.lower),
                      (f"{name}.upper", m.upper, b.upper)]
            pairs += [(f"{name}.aux", m.aux.get(col), per_row) for col, per_row in b.aux.items()]
        for field, a, b in pairs:
            if b is None:
                continue
            scale = np.abs(b[np.isfinite(b)]).max(initial=1.0)
            with np.errstate(invalid="ignore"):  # inf − inf where both are infinite (and equal)
                same = a is not None and a.shape == b.shape and ((a == b) | (np.abs(a - b) <= AGREEMENT * scale)).all()
            if not same:
                raise NotInPlace(f"moving {', '.join(q.path for q in self.quantities)} together changes the "
                                 f"programme's `{field}` in a way the map cannot follow")


def compile_or_none(sc: Scenario, base: Program, quantities: Sequence[Quantity], *,
                    replaced: Sequence[bool] = ()) -> ProgramMap | None:
    """:meth:`ProgramMap.compile`, or None when the quantities must be re-solved by rebuilding."""
    try:
        return ProgramMap.compile(sc, base, quantities, replaced=replaced)
    except NotInPlace:
        return None


def structural(sc: Scenario, q: Quantity, replaced: bool = False) -> str:
    """Why ``q`` changes the programme's shape or moves entries non-linearly ('' when it does not)."""
    parts = q.path.split(".")
    if replaced and q.form == "factor":
        return "is a column or a product set to one number"
    if parts[0] == "units":
        column = parts[1]
        if any(g.column == column for g in sc.groups.values()) or sc.objective.need == column:
            return "defines a group or the coverage need (membership and rows would change)"
        if any(getattr(r, "population", None) == column for r in sc.rules):
            return "is a tilt's population (the others' head count sums several units)"
    follows = _followed_by_a_share(sc)
    if q.path in follows:
        return follows[q.path]
    if parts[0] == "rules":
        rule = sc.rule(parts[1])
        pairs = (("min_ratio", "max_ratio"),) if isinstance(rule, HoldHarmless) else (("min", "max"),)
        for low, high in pairs:
            if parts[-1] in (low, high) and getattr(rule, low, None) is not None \
                    and getattr(rule, high, None) is not None:
                return f"has a partner bound (`{low}` must stay below `{high}`)"
    if parts[0] == "weights" and sc.weights.get("combine", "max") == "max":
        from ..groups import group_masks
        masks = group_masks(sc)
        weighted = [masks[g] for g in sc.weights if g != "combine"]
        if weighted and (np.sum(weighted, axis=0) > 1).any():
            return "weighs units that are in several weighted groups (their weight is a maximum)"
    return ""


#: probes move each component to this share of its base value (near it, so that the probe stays valid: a
#: budget far below the base can fall under the factor formula's floors)
PROBE = 0.9


def _followed_by_a_share(sc: Scenario) -> dict[str, str]:
    """Paths that a rule bound or the tie-break's reference follows non-linearly → why: a ``group_share`` with
    a reference ``min`` (the factor formula's share moves with the budget and its factor columns; a column's
    share with the column), a hold-harmless floor that scales when the budget falls, the units columns of the
    allocation the tie-break moves toward (the factor formula's, or a column's; the budget it is scaled to is
    read from each programme)."""
    from ..tiebreak import toward
    out = {}
    reference = toward(sc)
    if reference == "baseline" and sc.baseline is not None:
        out.update({f"units.{c}": "feeds the factor formula the tie-break moves toward"
                    for c in _formula_columns(sc)})
    elif reference not in ("none", "equal"):
        out[f"units.{reference}"] = "is the allocation the tie-break moves toward"
    for rule in sc.rules:
        if getattr(rule, "if_budget_falls", "hold") == "scale":
            out["budget.total"] = f"moves the floors of `{rule.name}`, which scale when the budget falls"
        for reference in getattr(rule, "references", []):  # group_share, region_share: `min` naming references
            if reference == "baseline" and sc.baseline is not None:
                why = f"feeds the factor formula whose share `{rule.name}` keeps"
                out["budget.total"] = why
                out.update({f"units.{c}": why for c in _formula_columns(sc)})
            elif reference != "baseline":
                out[f"units.{reference}"] = f"is the reference whose share `{rule.name}` keeps"
    return out


def _formula_columns(sc: Scenario) -> list[str]:
    """The units columns the factor formula reads."""
    columns = list(sc.baseline.flat_factors()) + [c for c in (sc.baseline.base,) if c]
    return columns + ([sc.baseline.hold_harmless.column] if sc.baseline.hold_harmless is not None else [])


def _probe_values(q: Quantity) -> np.ndarray:
    """Components to probe at: ``PROBE`` of the base value (½ of the bound, at most 1, where the base is 0)."""
    near = np.where(q.base != 0, q.base * PROBE, 0.5 * np.minimum(q.high, 1.0))
    return q.clip(near)[0]


def _build(sc: Scenario, base: Program, changes: dict) -> Program:
    try:  # a probe the scenario refuses (e.g. a budget below the factor formula's floors) cannot be read
        program = build(params.apply(sc, changes), money_scale=base.money_scale)
    except ScenarioError as err:
        raise NotInPlace(f"a probe of {', '.join(changes)} is refused: {err}") from None
    if not _same_shape(base, program):
        raise NotInPlace(f"moving {', '.join(changes)} changes the programme's shape")
    return program


def _same_shape(a: Program, b: Program) -> bool:
    return (a.sense == b.sense and a.integer == b.integer and a.n_alloc == b.n_alloc and a.aux == b.aux
            and a.blocks == b.blocks and a.matrix.shape == b.matrix.shape
            and np.array_equal(a.matrix.indptr, b.matrix.indptr) and np.array_equal(a.matrix.indices, b.matrix.indices)
            and all(np.array_equal(getattr(a, f), getattr(b, f))
                    for f in ("col_unit", "col_measure", "col_step", "col_population"))
            and a.populations == b.populations and (a.col_fte is None) == (b.col_fte is None)
            and a.masks.keys() == b.masks.keys() and all(np.array_equal(a.masks[g], b.masks[g]) for g in a.masks))


def _array(program: Program, field: str) -> np.ndarray:
    return program.matrix.data if field == "matrix" else getattr(program, field)


def _row_units(program: Program) -> np.ndarray:
    """The unit of each row of a per-unit rule (−1 for rows over several units)."""
    out = np.full(len(program.row_lower), -1)
    for name, info in program.block_info.items():
        if info.units is not None:
            out[program.blocks[name]] = info.units
    return out


def _probe(sc: Scenario, base: Program, q: Quantity, row_unit: np.ndarray) -> tuple[_Move, ...]:
    """The entries ``q`` moves, with the component and slope of each, from one probe build."""
    probe_values = _probe_values(q)
    moved = probe_values - q.base
    probe = _build(sc, base, {q.path: q.written(probe_values)})
    matrix_rows = np.repeat(np.arange(base.matrix.shape[0]), np.diff(base.matrix.indptr))
    moves = []
    for field in FIELDS:
        before, after = _array(base, field), _array(probe, field)
        if before is None:
            continue
        index = np.flatnonzero(before != after)
        if index.size == 0:
            continue
        if not (np.isfinite(before[index]).all() and np.isfinite(after[index]).all()):
            raise NotInPlace(f"`{q.path}` moves a bound to or from infinity")
        component = _components(q, base, field, index, matrix_rows, row_unit)
        if (component < 0).any() or (moved[np.maximum(component, 0)] == 0).any():
            raise NotInPlace(f"`{q.path}` moves `{field}` entries that depend on several of its values")
        slope = (after[index] - before[index]) / moved[component]
        moves.append(_Move(field, index, component, slope))
    return tuple(moves)


def _components(q: Quantity, base: Program, field: str, index: np.ndarray, matrix_rows: np.ndarray,
                row_unit: np.ndarray) -> np.ndarray:
    """Which component of ``q`` each moved entry follows (−1: none can be named)."""
    if q.form not in ("units", "steps"):
        return np.zeros(len(index), dtype=int)
    by_column = base.col_unit if q.form == "units" else base.col_step
    if field == "weights":
        return index if q.form == "units" else np.full(len(index), -1)
    if field in ("row_lower", "row_upper"):
        return row_unit[index] if q.form == "units" else np.full(len(index), -1)
    columns = base.matrix.indices[index] if field == "matrix" else index
    out = by_column[columns].copy()
    if field == "matrix" and q.form == "units":  # an auxiliary column's entry follows its row's unit
        aux = out < 0
        out[aux] = row_unit[matrix_rows[index[aux]]]
    return out
