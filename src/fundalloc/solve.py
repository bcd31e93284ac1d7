"""``solve``: scenario → programme → backend → result, and the diagnosis of an infeasible scenario."""
from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from .backends import get_backend
from .backends.base import INFEASIBLE, OPTIMAL, TIME_LIMIT, UNBOUNDED, Solution
from .catalog import msg
from .errors import Conflict, InfeasibleError, ScenarioError, SolverError, TimeLimitError, reason
from .program import Program, build
from .result import Result
from .scenario import Scenario, scenario_argument
from .tiebreak import RANGES_UP_TO_COLUMNS, reference_for, release_form, second_stage

#: a returned allocation may break a row by at most this (relative to the row's size) before we refuse it
FEASIBILITY_TOLERANCE = 1e-6


def solve(sc: Scenario, *, backend: str | None = None, ranging: bool = True, variant: str | None = None,
          optimum_ranges: bool | None = None, progress: bool | None = None, lang: str | None = None) -> Result:
    """Solve a scenario and return its :class:`~fundalloc.result.Result`.

    The policy LP is solved first; among its optimal allocations the one closest to the scenario's reference
    (``objective.tie_break``) is returned (see :mod:`fundalloc.tiebreak`).

    Parameters
    ----------
    sc : Scenario
    backend : ``"highs"`` or ``"pulp"``; default: the scenario's ``solver.backend``.
    ranging : also compute ranging (HiGHS, linear programmes only).
    variant : a label for the result (the CLI passes the variant's name).
    optimum_ranges : each unit's least and most money over all optimal allocations; default: the scenario's
        ``objective.tie_break.ranges``, else yes up to :data:`~fundalloc.tiebreak.RANGES_UP_TO_COLUMNS`
        allocation columns.
    progress : show progress bars (build, solve rounds, and later the tables the result writes); default:
        for programmes of :data:`~fundalloc.progress.PROGRESS_MIN_UNITS` units or more.
    lang : ``"zh"`` or ``"en"``: the language of everything the result says to people (its summary, report,
        tables' headers), in place of the scenario's ``language``; the result's ``scenario`` carries it.

    Raises :class:`InfeasibleError` (with ``.conflicts``) when no allocation satisfies every rule, and
    :class:`SolverError` when the solver cannot give a trustworthy optimum.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 12},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> res = fa.solve(sc)
    >>> res.status, round(res.objective, 6)
    ('optimal', 120.0)
    """
    from .progress import Steps, wanted

    sc = scenario_argument(sc, "fa.solve")
    if lang is not None and lang != sc.language:
        sc = sc.with_changes({"language": lang})
    timings = {}
    start = time.perf_counter()
    show = wanted(progress, len(sc.units))
    with Steps(["build", "solve"], sc.language, show) as bar:
        bar.step("build")
        program = build(sc)
        timings["build"] = time.perf_counter() - start
        bar.step("solve")
        engine = make_backend(sc, backend)
        engine.on_step = bar.detail
        solution = solve_program(engine, program, ranging=ranging, ranges=wants_ranges(program, optimum_ranges))
    timings["solve"] = solution.seconds + solution.extra.get("first_seconds", 0.0)
    if "tie_break" in solution.extra:
        timings["tie_break"] = solution.extra["tie_break"].seconds
    if solution.status != OPTIMAL:
        raise_for_status(program, solution, engine)
    check_feasible(program, solution)
    timings["total"] = time.perf_counter() - start
    return Result(sc, program, solution, timings=timings, backend=engine.name, variant=variant, progress=show)


def wants_ranges(program: Program, asked: bool | None = None) -> bool:
    """Whether to compute the optimum ranges: as asked, else as the scenario says, else by size."""
    if asked is not None:
        return asked
    said = program.scenario.objective.tie_break.ranges
    return said if said != "auto" else program.n_alloc <= RANGES_UP_TO_COLUMNS


def make_backend(sc: Scenario, backend: str | None = None):
    """The scenario's backend; ``solver.method: auto`` on HiGHS picks the decomposition where it wins."""
    from .decomposition import prefers_decomposition

    s = sc.solver
    name = backend or s.backend
    method = "decomposition" if s.method == "auto" and name == "highs" and prefers_decomposition(sc) else s.method
    try:
        return get_backend(name, method=method, time_limit=s.time_limit, mip_gap=s.mip_gap,
                           pulp_solver=s.pulp_solver)
    except ValueError as err:
        raise ScenarioError([(("solver",), reason(err))], source=sc.source, language=sc.language) from None


def solve_program(engine, program: Program, *, ranging: bool = True, warm: bool = False,
                  tie_break: bool = True, ranges: bool = False, references=reference_for) -> Solution:
    """Solve a programme: the policy LP (``max_min_coverage`` takes two solves: the best floor, then the best
    outcome at it), then the tie-break among its optimal allocations (:func:`fundalloc.tiebreak.second_stage`,
    toward the scenario's reference, which ``references(programme, solution)`` gives; ``tie_break=False``
    skips it) and, with ``ranges``, each unit's least and most money at the optimum."""
    run = engine.resolve if warm else engine.solve
    policy = program
    if "coverage_rate" not in program.aux:
        solution = run(program, ranging=ranging)
    else:
        first = run(program, ranging=False)
        if first.status != OPTIMAL:
            return first
        policy = lexicographic_second_stage(program, first)
        solution = engine.resolve(policy, ranging=ranging)
        solution.extra["coverage_rate"] = float(first.x[program.aux["coverage_rate"]])
        solution.extra["first_seconds"] = first.seconds
        if solution.status != OPTIMAL:
            solution.extra["failed_stage"] = "errors.solver.stage.coverage"  # a catalog key: the stage in words
            return solution
    if solution.status != OPTIMAL or not (tie_break or ranges):
        release_form(solution)
        return solution
    reference = references(policy, solution) if tie_break else None
    return second_stage(engine, policy, solution, reference, ranges=ranges)


def lexicographic_second_stage(program: Program, first: Solution) -> Program:
    """The programme with the coverage rate held at what the first stage's allocation reaches and the
    weighted outcome maximised.

    The floor is the coverage rate the allocation itself achieves (its least outcome ÷ need), a hair lower, not
    the solver's reported rate: a solver may report a rate its own allocation misses within its feasibility
    tolerance, and holding the rate there would make the second solve infeasible.
    """
    t = program.aux["coverage_rate"]
    rows = program.matrix[program.blocks["coverage_rate"]]  # outcome[u] − need[u]·t ≥ 0
    alloc = slice(0, program.n_alloc)
    need = -rows[:, t].toarray().ravel()
    reached = min(float(np.min((rows[:, alloc] @ first.x[alloc]) / need, initial=np.inf)), float(first.x[t]))
    lower = program.col_lower.copy()
    lower[t] = max(reached - 1e-9 * max(1.0, abs(reached)), 0.0)
    cost = np.zeros(program.n_cols)
    cost[alloc] = program.outcome_value()
    return replace(program, cost=cost, col_lower=lower)


def raise_for_status(program: Program, solution: Solution, engine) -> None:
    sc = program.scenario
    lang = sc.language
    stage = solution.extra.get("failed_stage")
    if stage is not None:  # the policy LP was solved; a later stage failing says nothing about the rules
        raise SolverError(msg("errors.solver.second_stage", solver=solution.solver, stage=msg(stage),
                              message=solution.message), language=lang)
    if solution.status == INFEASIBLE:
        conflicts = diagnose(program)
        uncovered = any(c.money is not None for c in conflicts)
        message = msg("errors.infeasible", name=sc.name,
                      why=msg("errors.infeasible.entitlements", text=msg("rules.conflict.entitlements_uncovered"))
                      if uncovered else "")
        raise InfeasibleError(message, conflicts, language=lang)
    if solution.status == UNBOUNDED:  # the scenario leaves something without a limit: the input's fault
        unlimited = [m for m in program.measures if sc.measures[m].capacity is None]
        where = [(("measures", m, "capacity"), msg("errors.unbounded.measure", measure=m)) for m in unlimited] \
            or [((), msg("errors.unbounded.nothing"))]
        raise ScenarioError([(loc, msg("errors.unbounded", what=what)) for loc, what in where], source=sc.source,
                            language=lang)
    if solution.status == TIME_LIMIT:
        limit = solution.extra.get("time_limit")
        faster = "" if engine is None or engine.name == "highs" else msg("errors.solver.use_highs")
        raise TimeLimitError(msg("errors.solver.time_limit", solver=solution.solver,
                                 limit=msg("errors.solver.limit_of", seconds=f"{limit:g}") if limit else "",
                                 message=solution.message, faster=faster), language=lang)
    raise SolverError(msg("errors.solver.not_optimal", solver=solution.solver, message=solution.message),
                      language=lang)


def row_sizes(program: Program) -> np.ndarray:
    """The largest coefficient of each row: the scale :func:`check_feasible` measures a row's breach by."""
    return program.row_sizes()


def check_feasible(program: Program, solution: Solution, *, sizes: np.ndarray | None = None) -> None:
    """Refuse an 'optimal' answer that breaks a row or a bound (what badly scaled models produce).

    ``sizes``: :func:`row_sizes` of the programme, when the caller keeps them across re-solves of one matrix.
    """
    x, act = solution.x, program.times(solution.x)
    sizes = row_sizes(program) if sizes is None else sizes
    scale = 1.0 + sizes * (1.0 + np.abs(x).max(initial=0.0))
    over = np.maximum(program.row_lower - act, act - program.row_upper) / scale
    col_over = np.maximum(program.col_lower - x, x - program.col_upper) / (1.0 + np.abs(x))
    worst = max(over.max(initial=0.0), col_over.max(initial=0.0))
    if worst > FEASIBILITY_TOLERANCE:
        raise SolverError(msg("errors.solver.breaks_rule", solver=solution.solver, worst=f"{worst:.2g}"),
                          language=program.scenario.language)


# ----------------------------------------------------------------------------------- infeasibility


def elastic(program: Program, allowed: list[str]) -> tuple[Program, np.ndarray, np.ndarray]:
    """The programme with a penalised slack on every row of the ``allowed`` blocks; minimise total slack.

    Returns the elastic programme and the rows whose lower (then upper) bound got a slack; the slack columns
    follow the programme's own columns in that order.
    """
    m = len(program.row_lower)
    rows = np.concatenate([np.arange(m)[program.blocks[b]] for b in allowed]) if allowed else np.zeros(0, int)
    lo_rows = rows[np.isfinite(program.row_lower[rows])]
    up_rows = rows[np.isfinite(program.row_upper[rows])]
    k_lo, k_up = len(lo_rows), len(up_rows)
    slack = sp.hstack([
        sp.csr_matrix((np.ones(k_lo), (lo_rows, np.arange(k_lo))), shape=(m, k_lo)),
        sp.csr_matrix((-np.ones(k_up), (up_rows, np.arange(k_up))), shape=(m, k_up)),
    ])
    n = program.n_cols
    relaxed = program.with_matrix(
        sp.hstack([program.matrix, slack], format="csr"), sense="min", integer=False,
        cost=np.concatenate([np.zeros(n), np.ones(k_lo + k_up)]),
        col_lower=np.concatenate([program.col_lower, np.zeros(k_lo + k_up)]),
        col_upper=np.concatenate([program.col_upper, np.full(k_lo + k_up, np.inf)]),
        col_unit=np.concatenate([program.col_unit, np.full(k_lo + k_up, -1)]),
        aux={**program.aux, "slack": n},
    )
    return relaxed, lo_rows, up_rows


def diagnose(program: Program) -> list[Conflict]:
    """The rules (budget included) that cannot all hold, and how far each alone would have to give.

    An elastic re-solve puts a penalised slack on every row of every rule; the rules whose rows carry a
    slack or a non-zero dual at its optimum form the conflict. Then each is relaxed alone to measure how far
    it would have to give (``None`` when relaxing it alone is not enough).
    """
    from .backends.highs import HighsBackend

    from .labels import block_shown

    sc = program.scenario
    rules = program.rule_blocks()
    relaxable, lo_rows, up_rows = elastic(program, rules)
    sol = HighsBackend().solve(relaxable, ranging=False)
    if sol.status != OPTIMAL:
        return []
    n = program.n_cols
    slack_by_row = np.zeros(len(program.row_lower))
    np.add.at(slack_by_row, np.concatenate([lo_rows, up_rows]), sol.x[n:])
    involved = [b for b in rules
                if slack_by_row[program.blocks[b]].max(initial=0) > 1e-9
                or np.abs(sol.row_dual[program.blocks[b]]).max(initial=0) > 1e-9]
    conflicts = []
    for b in involved:
        alone, lo_b, up_b = elastic(program, [b])
        res = HighsBackend().solve(alone, ranging=False)
        info = program.block_info[b]
        unit = program.scenario.money_unit if info.quantity == "money" else "persons"
        if res.status != OPTIMAL:
            conflicts.append(Conflict(b, None, unit, label=block_shown(sc, b, quote=True), language=sc.language))
            continue
        given = res.x[n:]
        extra = {}
        if info.kind == "entitlement":  # its unfunded claims, priced at the measure's unit cost
            measure = b.split(".", 1)[1]
            j = program.measures.index(measure)
            first = np.flatnonzero((program.col_measure == j) & (program.col_step == 0)
                                   & (program.col_population == program.col_population[program.col_measure == j][0]))
            cost = np.zeros(program.n_units)
            cost[program.col_unit[first]] = program.col_money[first] * program.money_scale
            short = np.zeros(program.n_units)
            short[info.units[lo_b - program.blocks[b].start]] = given[:len(lo_b)]
            extra = dict(money=float(short @ cost), money_unit=program.scenario.money_unit)
        conflicts.append(Conflict(b, float(given.sum() * program.row_scale(b)), unit,
                                  units_affected=int((given > 1e-9).sum()), label=block_shown(sc, b, quote=True),
                                  language=sc.language, **extra))
    return conflicts
