"""Sweeps: one parameter moved over values and re-solved warm; for the budget, the exact breakpoints."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd

from ..catalog import t
from ..charts import INK, MUTED, PALETTE, Chart, column, line_chart, row
from ..catalog import msg
from ..errors import InvalidValue, ScenarioError
from ..groups import group_masks
from ..labels import for_people, parameter, shown
from ..markup import markup, table
from ..program import Program, build
from ..money import is_money_string
from ..scenario import Scenario, scenario_argument
from ..tables import plain_number
from ..validation import shown as shown_value
from . import arguments, params
from .inplace import ProgramMap, compile_or_none, structural
from .warm import INVALID, Point, WarmSolver, shadow_price, with_budget

class Sweep:
    """A parameter swept over values.

    ``table``: one row per value: value, status, objective, total_allocated, total_outcome, binding_rules,
    shadow_price.<rule> (the budget included). ``amounts``: value × unit_id money (NaN where a value has no
    optimum). ``breakpoints`` (budget sweeps): the budgets where the slope of the objective, or the set of
    binding rules, changes. ``plot()``: the objective and the money by group along the sweep (SVG).
    """

    def __init__(self, scenario: Scenario, parameter: str, table: pd.DataFrame, amounts: pd.DataFrame,
                 program: Program | None = None):
        self.scenario, self.parameter = scenario, parameter
        self.table, self.amounts = table, amounts
        self._program = program

    @property
    def is_budget(self) -> bool:
        return self._program is not None

    def __repr__(self) -> str:
        ok = int((self.table["status"] == "optimal").sum())
        return f"<{t('sens.sweep.repr', self.scenario.language, parameter=self.parameter, n=len(self.table), ok=ok)}>"

    def _repr_html_(self) -> str:
        frame = for_people(self.table, self.scenario)
        numbers = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
        return str(markup("<p>{}</p>{}", repr(self)[1:-1], table(frame, formats=dict.fromkeys(numbers, plain_number))))

    @cached_property
    def breakpoints(self) -> pd.DataFrame | None:
        """Budget sweeps only (else None): one row per budget where the objective's slope (the budget's shadow
        price) or the set of binding rules changes, between the lowest and highest feasible budget swept.

        Columns: budget, objective, shadow_price_below, shadow_price_above, rules_change (the set of binding
        rules changes here), starts_binding, stops_binding, changes (capacities filled or freed, measures
        starting or stopping in a unit). Found exactly by warm re-solves (see ``_budget_segments``); only
        for ``max_outcome`` linear programmes (else None), where the objective is concave in the budget.
        """
        if not self.is_budget or self.scenario.objective.type != "max_outcome" or self.scenario.integer:
            return None
        ok = self.table["status"] == "optimal"
        columns = ["budget", "objective", "shadow_price_below", "shadow_price_above", "rules_change",
                   "starts_binding", "stops_binding", "changes"]
        if not ok.any():
            return pd.DataFrame(columns=columns)
        low, high = float(self.table.loc[ok, "value"].min()), float(self.table.loc[ok, "value"].max())
        segments = _budget_segments(self.scenario, self._program, low, high)
        rows = []
        for before, after in zip(segments, segments[1:]):
            changed = before.rules != after.rules
            rows.append({
                "budget": before.end,
                "objective": before.objective + before.price * (before.end - before.start),
                "shadow_price_below": before.price, "shadow_price_above": after.price,
                "rules_change": changed,
                "starts_binding": ";".join(sorted(after.rules - before.rules)),
                "stops_binding": ";".join(sorted(before.rules - after.rules)),
                "changes": _column_changes(self.scenario, self._program, before, after),
            })
        return pd.DataFrame(rows, columns=columns)

    def plot(self) -> Chart:
        """The objective (for the budget, with its shadow price and the breakpoints where the binding rules
        change) and the money by group along the sweep, as an SVG :class:`~fundalloc.charts.Chart`."""
        from ..summary import status_words
        from .words import objective_words
        sc, table = self.scenario, self.table
        lang, name = sc.language, parameter(sc, self.parameter)
        numeric = pd.api.types.is_numeric_dtype(table["value"])
        x = table["value"].to_numpy(dtype=float) if numeric else np.arange(len(table), dtype=float)
        axis = {"xlabel": name, "x_labels": None if numeric else [str(v) for v in table["value"]]}
        bad = (table["status"] != "optimal").to_numpy()
        bp = self.breakpoints
        statuses = t("explain.list_sep", lang).join(status_words(s, lang) for s in sorted(set(table.loc[bad, "status"])))
        left = [line_chart(x, {t("sens.chart.objective", lang): table["objective"]},
                           title=t("sens.chart.objective_along", lang, parameter=name),
                           ylabel=objective_words(sc), missing=x[bad],
                           missing_name=t("sens.chart.no_optimum", lang, statuses=statuses),
                           rules=bp.loc[bp["rules_change"], "budget"].to_numpy() if bp is not None else (),
                           rules_name=t("sens.chart.rules_change", lang), lang=lang, **axis)]
        if self.is_budget and "shadow_price.budget" in table:
            left.append(line_chart(x, {t("sens.chart.budget_price", lang): table["shadow_price.budget"]},
                                   steps=True, title=t("sens.chart.budget_buys", lang), ylabel=objective_words(sc),
                                   colours=[MUTED], lang=lang, **axis))
        amounts = self.amounts.to_numpy()
        lines = {shown(sc, "group", g): amounts[:, mask].sum(axis=1) for g, mask in group_masks(sc).items()}
        money = line_chart(x, {**lines, t("sens.chart.all_units", lang): amounts.sum(axis=1)},
                           title=t("sens.chart.money_by_group", lang), ylabel=sc.money_unit,
                           colours=PALETTE[:len(lines)] + [INK], lang=lang, **axis)
        return row(column(*left), money, title=t("sens.chart.sweep", lang, parameter=name))


def sweep(sc: Scenario, path: str, values: list | None = None, *, from_: float | None = None,
          to: float | None = None, steps: int | None = None, progress: bool = False) -> Sweep:
    """Solve ``sc`` with the parameter at ``path`` set to each value, re-solving warm from the last basis.

    Give ``values``, or ``from_``, ``to`` and ``steps`` (evenly spaced). ``budget.total`` edits the budget
    row of one programme (unless a rule follows the budget); other values' programmes are computed in place
    from the base programme where the map can (:mod:`.inplace`), else built; only what changed goes to the
    solver. A value with no feasible allocation gets status ``infeasible`` in the table, one whose programme
    cannot be made (a budget below the factor formula's floors that a share follows) ``invalid``; a value the
    scenario does not accept (a share above 1) is a :class:`~fundalloc.errors.ScenarioError` before anything
    is solved.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> sw = fa.sweep(sc, "budget.total", from_=5, to=20, steps=4)
    >>> sw.table[["value", "status", "objective", "shadow_price.budget"]]
       value   status  objective  shadow_price.budget
    0    5.0  optimal       50.0                 10.0
    1   10.0  optimal      100.0                 10.0
    2   15.0  optimal      150.0                 10.0
    3   20.0  optimal      150.0                  0.0
    """
    from ..progress import progress_bar

    sc = scenario_argument(sc, "fa.sweep")
    values = _values(sc, path, values, from_, to, steps)
    program = build(sc)
    concrete = params.concrete_paths(sc, path, where=("sweep", path))
    # the budget row alone moves, unless a rule follows the budget (a share of the factor formula, floors that
    # scale when it falls): then the programme of each budget is computed like any other parameter's
    budget = concrete == ["budget.total"] and "budget" in program.blocks \
        and not structural(sc, params.quantity(sc, "budget.total"))
    if budget:
        values = _budgets(sc, values)
        variants = [(sc, partial(with_budget, program, v)) for v in values]
    else:
        variants = _changed(sc, path, values, program)
    solver = WarmSolver(sc)
    rules = program.rule_blocks()
    rows, amounts = [], []
    bar = progress_bar(variants, desc=t("sens.progress.sweep", sc.language, parameter=path), disable=not progress, leave=False)
    for value, (changed_sc, make_program) in zip(values, bar):
        try:
            point = solver.solve(changed_sc, make_program())
        except ScenarioError as err:  # e.g. a budget below the factor formula's floors that a share follows
            point = Point(INVALID, message=str(err))
        rows.append({"value": value, **point.row(rules)})
        amounts.append(point.amounts(program.n_units))
    table = pd.DataFrame(rows)
    labels = values if all(np.ndim(v) == 0 for v in values) else [str(v) for v in values]
    frame = pd.DataFrame(np.vstack(amounts), index=pd.Index(labels, name=path),
                         columns=pd.Index(sc.unit_ids, name="unit_id"))
    return Sweep(sc, path, table, frame, program if budget else None)


def _values(sc: Scenario, path: str, values, from_, to, steps) -> list[Any]:
    ranged = (from_, to, steps)
    if values is None:
        if any(v is None for v in ranged):
            raise ScenarioError([(("sweep", path), msg("check.sweep.no_values_api"))], source=sc.source,
                                language=sc.language)
        steps = arguments.whole(sc, "sweep.steps", steps, 2)
        return [float(v) for v in np.linspace(float(from_), float(to), steps)]
    if any(v is not None for v in ranged):
        raise ScenarioError([(("sweep", path), msg("check.sweep.both_api"))], source=sc.source, language=sc.language)
    values = list(values)
    if not values:
        raise ScenarioError([(("sweep", path, "values"), msg("check.sweep.empty"))], source=sc.source,
                            language=sc.language)
    return values


def _budgets(sc: Scenario, values: list) -> list[float]:
    out, problems = [], []
    for v in values:
        try:
            total = sc.money(v)
        except InvalidValue as err:
            problems.append((("sweep", "budget.total"), err.message))
            continue
        except (TypeError, ValueError):  # not a number nor text
            problems.append((("sweep", "budget.total"), msg("check.money.not_money", value=repr(v))))
            continue
        if not (np.isfinite(total) and total > 0):
            problems.append((("sweep", "budget.total"), msg("check.budget.not_positive", value=shown_value(v))))
        out.append(total)
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    return out


def _changed(sc: Scenario, path: str, values: list, program: Program) -> list[tuple[Scenario, Any]]:
    """Each value's scenario (all validated first, so a bad value stops the sweep before any solve) and what
    makes its programme when its turn comes: computed in place from ``program`` when the map can (numbers in
    the parameter's own form), else built."""
    out, problems = [], []
    for v in values:
        try:
            changed = sc.with_changes({path: v})
        except ScenarioError as err:
            problems += [(loc, msg("check.sweep.at", value=repr(v), message=message)) for loc, message in err.details]
            continue
        out.append((changed, partial(build, changed)))
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    mapped = _map(sc, path, values, program)
    if mapped is None:
        return out
    in_place = []
    for changed, make in out:
        components = [_components(q, params.quantity(changed, q.path)) for q in mapped.quantities]
        in_place.append((changed, make if any(c is None for c in components)
                         else partial(mapped.program, components)))
    return in_place


def _map(sc: Scenario, path: str, values: list, program: Program) -> ProgramMap | None:
    """The in-place map of the paths ``path`` stands for, when the values are numbers (or money)."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, str) and is_money_string(v)
               for v in values):
        return None
    data = sc.to_dict()
    try:
        quantities = [params.quantity(sc, c, data) for c in params.concrete_paths(sc, path)]
    except ScenarioError:
        return None
    return compile_or_none(sc, program, quantities, replaced=[True] * len(quantities))


def _components(base: params.Quantity, changed: params.Quantity) -> np.ndarray | None:
    """The changed parameter's components when it is written in the base's form (else None: rebuild)."""
    if changed.form != base.form or changed.base.shape != base.base.shape or base.form == "factor":
        return None
    if base.form == "money" and changed.raw.split()[-1] != base.raw.split()[-1]:
        return None
    return changed.base


# --------------------------------------------------------------------------------------- breakpoints
@dataclass
class _Segment:
    """A stretch of budgets on which the objective is linear (the budget's shadow price is constant)."""

    start: float
    end: float
    price: float
    objective: float       # at ``start``
    rules: frozenset
    full: frozenset        # allocation columns at their capacity
    funded: frozenset      # allocation columns above 0


def _budget_segments(sc: Scenario, program: Program, low: float, high: float) -> list[_Segment]:
    """The linear pieces of the objective over budgets ``low``–``high``.

    Under ``max_outcome`` the objective is a concave, piecewise-linear function of the budget. The tangents
    (value and shadow price) at two budgets meet at a budget between them: if the objective there lies on
    the tangents, that is the only kink between them; else the interval is split there (Eisner–Severance).
    About two warm re-solves per kink, and one more per piece to read its binding rules.
    """
    solver = WarmSolver(sc)
    span = max(high - low, 1e-12)
    tol_budget = 1e-9 * max(span, abs(high))
    solves = 0

    def at(budget: float, tie_break: bool = False) -> tuple[float, float, float, Point]:
        nonlocal solves
        solves += 1
        # tracing needs only the objective and the budget's price; a piece's own allocation is tie-broken
        point = solver.solve(sc, with_budget(program, budget), tie_break=tie_break)
        if not point.ok:
            raise _NoOptimum(budget)
        res = point.result
        return budget, res.objective, shadow_price(res, "budget"), point

    def same(a: float, b: float, scale: float) -> bool:
        return abs(a - b) <= 1e-9 * max(1.0, abs(scale))

    try:
        first, last = at(low), at(high)
        kinks, todo = [], [(first, last)]
        while todo and solves < MAX_SOLVES:
            (b1, f1, s1, _), (b2, f2, s2, _) = todo.pop()
            if same(s1, s2, max(abs(s1), abs(s2))) or b2 - b1 <= 2 * tol_budget:
                continue
            cross = (f2 - f1 + s1 * b1 - s2 * b2) / (s1 - s2)
            if cross <= b1 + tol_budget or cross >= b2 - tol_budget:  # the kink is the end itself
                kinks.append(b1 if cross <= b1 + tol_budget else b2)
                continue
            mid = at(cross)
            if abs(mid[1] - (f1 + s1 * (cross - b1))) <= 1e-7 * max(1.0, abs(mid[1])):
                kinks.append(cross)
            else:
                todo += [((b1, f1, s1, None), mid), (mid, (b2, f2, s2, None))]
        inner = sorted(k for k in kinks if low + tol_budget < k < high - tol_budget)
        bounds = [low] + [k for i, k in enumerate(inner) if i == 0 or k - inner[i - 1] > tol_budget] + [high]
        segments = []
        for start, end in zip(bounds, bounds[1:]):
            budget, _, price, point = at((start + end) / 2, tie_break=True)
            res = point.result
            segments.append(_segment(point, start, end, price, res.objective - price * (budget - start)))
        return segments
    except _NoOptimum:  # only from numerical trouble: budgets between two feasible ones are feasible
        return []


class _NoOptimum(Exception):
    pass


#: at most this many re-solves trace the budget breakpoints
MAX_SOLVES = 50_000


def _segment(point: Point, start: float, end: float, price: float, objective: float) -> _Segment:
    res = point.result
    p, x = res.program, res.solution.x
    alloc = np.arange(p.n_alloc)
    upper = p.col_upper[alloc]
    tol = 1e-7 * np.maximum(1.0, np.where(np.isfinite(upper), upper, 0.0))
    full = alloc[np.isfinite(upper) & (upper > 0) & (x[alloc] >= upper - tol)]
    funded = alloc[x[alloc] > tol]
    return _Segment(start, end, price, objective, frozenset(res.binding_rules), frozenset(full.tolist()),
                    frozenset(funded.tolist()))


def _column_changes(sc: Scenario, program: Program, before: _Segment, after: _Segment, most: int = 4) -> str:
    """What changes at a breakpoint, in the scenario's language: capacities filled or freed, measures starting or
    stopping in a unit (the first ``most`` of each)."""
    names, lang = sc.units["name"].to_numpy(), sc.language

    def label(j):
        m = program.measures[program.col_measure[j]]
        step = t("sens.change.step", lang, n=program.col_step[j] + 1) if len(sc.measures[m].steps()) > 1 else ""
        return t("sens.change.column", lang, measure=shown(sc, "measure", m), step=step,
                 unit=names[program.col_unit[j]])

    parts = []
    for key, cols in (("filled", after.full - before.full), ("freed", before.full - after.full),
                      ("starts", after.funded - before.funded), ("stops", before.funded - after.funded)):
        if cols:
            listed = t("explain.list_sep", lang).join(label(j) for j in sorted(cols)[:most])
            if len(cols) > most:
                listed = t("sens.change.more", lang, listed=listed, n=len(cols) - most)
            parts.append(t(f"sens.change.{key}", lang, what=listed))
    return t("explain.sep", lang).join(parts)
