"""Tornado: each parameter moved down and up by a relative change, one at a time, sorted by the swing."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog import t
from ..charts import Chart, series_bar_chart
from ..catalog import msg
from ..errors import ScenarioError
from ..labels import parameter
from ..program import build
from ..scenario import Scenario, scenario_argument
from . import arguments, params
from .inplace import ProgramMap, compile_or_none, structural
from .warm import INVALID, Point, WarmSolver

#: a swing smaller than this (relative to the objective) is reported as 0
SWING_TOLERANCE = 1e-9


def tornado(sc: Scenario, parameters: list[str] | None = None, change: float | None = None, *,
            progress: bool = False) -> pd.DataFrame:
    """Move each parameter down and up by ``change`` (0.2 = ±20 %), one at a time, and re-solve.

    ``parameters`` are dotted paths; ``*`` expands (``measures.*.unit_cost`` gives one row per measure).
    Any form scales: a number, money (``"1000 元"``), a column or a product (the factor is multiplied in),
    steps, ``units.COLUMN``; values are kept valid (a share at most 1, a cost above 0). Defaults: the
    scenario's ``sensitivity.tornado``.

    Returns a DataFrame sorted by swing, largest first: parameter, low, high (the values tried: numbers, or
    ``×0.8`` for a column or product), objective_low, objective_high, swing (``|high − low|`` of the
    objective, NaN when either has no optimum), objective_base, status_low, status_high, clipped_low,
    clipped_high (how many of the values tried were clipped to the parameter's physical bounds: effectiveness
    at most its ``max_effectiveness``, a share at most 1, a count not below 0). The sides are re-solved in
    place on one solver model when the parameters allow it (:mod:`.inplace`; ``frame.attrs["in_place"]``).

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, measures={
    ...     "workshop": {"unit_cost": "1000 元", "capacity": "jobs"},
    ...     "export": {"unit_cost": "2000 元", "effectiveness": 0.9, "capacity": "jobs"}})
    >>> fa.tornado(sc, ["measures.*.unit_cost", "budget.total"], change=0.2)[["parameter", "low", "high", "swing"]]
                         parameter   low   high      swing
    0  measures.workshop.unit_cost  0.08   0.12  41.666667
    1                 budget.total  8.00  12.00  40.000000
    2    measures.export.unit_cost  0.16   0.24   0.000000
    """
    from ..progress import progress_bar

    sc = scenario_argument(sc, "fa.tornado")
    spec = sc.sensitivity.tornado if sc.sensitivity is not None else None
    if parameters is None:
        if spec is None:
            raise ScenarioError([(("sensitivity", "tornado"), msg("check.sensitivity.parameters", section="tornado"))],
                                source=sc.source, language=sc.language)
        parameters = spec.parameters
    arguments.not_empty(sc, "sensitivity.tornado.parameters", parameters)
    change = change if change is not None else (spec.change if spec is not None else 0.2)
    if isinstance(change, bool) or not isinstance(change, (int, float)) or not 0 < change < 1:
        raise ScenarioError([(("sensitivity", "tornado", "change"), msg("check.tornado.change", value=change))],
                            source=sc.source, language=sc.language)
    concrete = list(dict.fromkeys(c for p in parameters
                                  for c in params.concrete_paths(sc, p, where=("sensitivity", "tornado", p))))
    data = sc.to_dict()
    quantities = [params.quantity(sc, path, data) for path in concrete]
    program = build(sc)
    solver = WarmSolver(sc)
    base = solver.base(sc, program)
    mapped = compile_or_none(sc, program, [q for q in quantities if not structural(sc, q)])
    factors = (1 - change, 1 + change)
    bar = progress_bar(total=2 * len(concrete), desc=t("sens.progress.tornado", sc.language), disable=not progress, leave=False)
    rows = []
    for k, q in enumerate(quantities):
        points, clipped = [], []
        for factor in factors:
            values, n = q.scaled(factor)
            clipped.append(n)
            points.append(_side(sc, solver, mapped, quantities, k, values))
            bar.update()
        low, high = (p.result.objective if p.ok else np.nan for p in points)
        swing = abs(high - low)
        if swing <= SWING_TOLERANCE * max(1.0, abs(base.objective)):  # solver noise, not an effect
            swing = 0.0
        rows.append({"parameter": q.path,
                     "low": params.describe_factor(sc, q.path, factors[0]),
                     "high": params.describe_factor(sc, q.path, factors[1]),
                     "objective_low": low, "objective_high": high, "swing": swing,
                     "objective_base": base.objective, "status_low": points[0].status, "status_high": points[1].status,
                     "clipped_low": clipped[0], "clipped_high": clipped[1]})
    bar.close()
    frame = pd.DataFrame(rows, columns=["parameter", "low", "high", "objective_low", "objective_high", "swing",
                                        "objective_base", "status_low", "status_high", "clipped_low", "clipped_high"])
    # a side with no feasible allocation is the largest swing of all: it comes first
    frame = frame.sort_values("swing", ascending=False, na_position="first", kind="stable").reset_index(drop=True)
    frame.attrs["change"] = change
    frame.attrs["in_place"] = mapped is not None and len(mapped.quantities) == len(quantities)
    return frame


def _side(sc: Scenario, solver: WarmSolver, mapped: ProgramMap | None, quantities, k: int, values) -> Point:
    """One side of one parameter, solved warm: in place when the map has it, else from the changed scenario."""
    q = quantities[k]
    if mapped is not None and any(p is q for p in mapped.quantities):
        return solver.solve(sc, mapped.program([values if p is q else p.base for p in mapped.quantities]))
    try:
        changed = params.apply(sc, {q.path: q.written(values)})
        return solver.solve(changed, build(changed, money_scale=solver_scale(mapped)))
    except ScenarioError as err:
        return Point(INVALID, message=str(err))


def solver_scale(mapped: ProgramMap | None) -> float | None:
    """The money scale rebuilt sides use: the map's base programme's, so every side is in one scale."""
    return mapped.base.money_scale if mapped is not None else None


def clipped_counts(frame: pd.DataFrame) -> pd.Series:
    """Per parameter of a tornado, how many of the values tried were clipped to their physical bounds."""
    return pd.Series((frame["clipped_low"] + frame["clipped_high"]).to_numpy(), index=frame["parameter"].to_numpy())


def tornado_chart(frame: pd.DataFrame, sc: Scenario) -> Chart:
    """The tornado as bars around the base objective, the largest swing on top."""
    from .words import objective_words
    lang = sc.language
    change = frame.attrs.get("change")
    base = float(frame["objective_base"].iloc[0]) if len(frame) else 0.0
    down = f"−{change:.0%}" if change else t("column.low", lang)
    up = f"+{change:.0%}" if change else t("column.high", lang)
    return series_bar_chart([parameter(sc, p) for p in frame["parameter"]],
                            {t("sens.chart.tornado_side", lang, change=down): frame["objective_low"] - base,
                             t("sens.chart.tornado_side", lang, change=up): frame["objective_high"] - base},
                            overlay=True, title=t("sens.chart.tornado", lang), lang=lang,
                            xlabel=t("sens.chart.tornado_axis", lang, base=f"{base:,.0f}", words=objective_words(sc)))
