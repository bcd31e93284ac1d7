"""Monte Carlo: the allocation under random draws of uncertain parameters, on any executor.

Every draw's random numbers come from ``SeedSequence(seed, spawn_key=(draw,))`` (the same stream as
``SeedSequence(seed).spawn(draws)[draw]``) and draws are solved in fixed chunks, each chunk warm-starting
from the base programme: so a seed gives the same numbers on one process, many, or a Dask cluster.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from pydantic import ValidationError
from scipy.special import ndtri

from ..catalog import t
from ..charts import Chart, histogram, range_chart, row
from ..catalog import msg
from ..errors import ScenarioError
from ..labels import for_people, parameter
from ..optional import require
from ..program import Program, build
from ..result import Result
from ..scenario import Distribution, Scenario, scenario_argument
from ..validation import pydantic_problems
from ..tables import plain_number
from . import arguments, params, words
from .inplace import ProgramMap, compile_or_none
from .warm import INVALID, Point, WarmSolver

#: draws per task: fixed (not derived from the worker count) so every draw starts from the same basis
CHUNK = 25
#: quantiles passed to the inverse distribution functions stay this far from 0 and 1
_EDGE = 1e-9


@dataclass(frozen=True)
class _Parameter:
    quantity: params.Quantity  # the concrete path's components and their bounds
    dist: Distribution
    base: object               # the base value as a number (or one per unit), None when it is not one number

    @property
    def path(self) -> str:
        return self.quantity.path

    @property
    def per_unit(self) -> bool:
        return self.quantity.per_unit


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs (pickled once per task)."""

    scenario: Scenario
    parameters: tuple[_Parameter, ...]
    seed: int
    design: np.ndarray | None = None   # Sobol: one row of quantiles per draw
    program: Program | None = None     # the base programme, and its optimal basis: where every chunk starts
    basis: object = None
    mapped: ProgramMap | None = None   # the draws' programmes in place; None: rebuilt from drawn scenarios

    @cached_property
    def families(self) -> list[tuple[Distribution, object, np.ndarray]]:
        """Parameters that share a distribution (``measures.*`` gives one per measure) and need no base value
        of their own, drawn in one call: (distribution, base, where their numbers are in a draw's)."""
        groups: dict = {}
        for k, p in enumerate(self.parameters):
            own = not p.dist.relative and p.dist.mean is None  # the mean is the parameter's own base value
            key = (id(p.dist), k if own else None)
            groups.setdefault(key, (p.dist, p.base if own else None, []))[2].append(
                np.arange(self.sizes[k], self.sizes[k + 1]))
        return [(dist, base, np.concatenate(where)) for dist, base, where in groups.values()]

    @cached_property
    def sizes(self) -> np.ndarray:
        """Where each parameter's random numbers start in a draw's (one per unit for a column), and the end."""
        n = len(self.scenario.units)
        return np.cumsum([0] + [n if p.per_unit else 1 for p in self.parameters])


# ------------------------------------------------------------------------------------- distributions
def inverse_cdf(dist: Distribution, u: np.ndarray, base=None) -> np.ndarray:
    """Values of ``dist`` at quantiles ``u`` (multipliers when ``relative``). Lognormal ``mean`` and ``sd`` are
    those of the value itself, not of its logarithm."""
    u = np.clip(np.asarray(u, dtype=float), _EDGE, 1 - _EDGE)
    if dist.dist == "uniform":
        return dist.low + u * (dist.high - dist.low)
    if dist.dist == "triangular":
        low, high = dist.low, dist.high
        mode = dist.mode if dist.mode is not None else (low + high) / 2
        width = high - low
        split = (mode - low) / width if width > 0 else 0.5
        return np.where(u < split, low + np.sqrt(u * width * (mode - low)),
                        high - np.sqrt((1 - u) * width * (high - mode)))
    mean = dist.mean if dist.mean is not None else (1.0 if dist.relative else base)
    mean = np.asarray(mean, dtype=float)
    if dist.dist == "normal":
        return mean + dist.sd * ndtri(u)
    sigma2 = np.log1p((dist.sd / mean) ** 2)
    return np.exp(np.log(mean) - sigma2 / 2 + np.sqrt(sigma2) * ndtri(u))


def _check(sc: Scenario, path: str, dist: Distribution, base) -> list[tuple[tuple, str]]:
    loc = ("sensitivity", "monte_carlo", "parameters", path)
    problems = []
    if dist.dist in ("uniform", "triangular"):
        if dist.low is None or dist.high is None:
            problems.append((loc, msg("check.mc.low_high", dist=dist.dist)))
        elif not dist.low <= dist.high:
            problems.append((loc, msg("check.mc.low_above_high", low=dist.low, high=dist.high)))
        elif dist.mode is not None and not dist.low <= dist.mode <= dist.high:
            problems.append((loc, msg("check.mc.mode", mode=dist.mode)))
    else:
        if dist.sd is None:
            problems.append((loc, msg("check.mc.sd", dist=dist.dist)))
        if dist.mean is None and not dist.relative and base is None:
            problems.append((loc, msg("check.mc.mean")))
        if dist.dist == "lognormal":
            mean = dist.mean if dist.mean is not None else (1.0 if dist.relative else base)
            if mean is not None and np.any(np.asarray(mean, dtype=float) <= 0):
                problems.append((loc, msg("check.mc.lognormal")))
    return problems


def _parameters(sc: Scenario, spec: dict[str, Distribution]) -> tuple[_Parameter, ...]:
    out, problems = [], []
    data = sc.to_dict()
    for path, dist in spec.items():
        if not isinstance(dist, Distribution):
            try:
                dist = Distribution(**dist)
            except TypeError:
                problems.append((("sensitivity", "monte_carlo", "parameters", path),
                                 msg("check.not_mapping", value=repr(dist))))
                continue
            except ValidationError as err:
                problems += [(("sensitivity", "monte_carlo", "parameters", path) + loc, message)
                             for loc, message in pydantic_problems(err)]
                continue
        for concrete in params.concrete_paths(sc, path, where=("sensitivity", "monte_carlo", "parameters", path)):
            base = params.base_number(sc, concrete, data)
            problems += _check(sc, concrete, dist, base)
            out.append(_Parameter(params.quantity(sc, concrete, data), dist, base))
    if problems:
        raise ScenarioError(problems, source=sc.source, language=sc.language)
    return tuple(out)


@dataclass
class Draw:
    """One draw: each parameter's components (within their bounds), how many of them were clipped to a bound,
    and the value drawn for each one-number parameter (a multiplier when relative; before clipping)."""

    values: list[np.ndarray]
    clipped: np.ndarray
    drawn: dict[str, float]

    def changes(self, job: _Job) -> dict:
        """The draw as scenario changes (dotted path → value in the scenario's form)."""
        return {p.path: p.quantity.written(v, replaced=not p.dist.relative)
                for p, v in zip(job.parameters, self.values)}


def draw(job: _Job, number: int) -> Draw:
    """Draw number ``number`` of a job: its random numbers come from ``SeedSequence(seed, spawn_key=(number,))``
    alone (or the Sobol design's row ``number``)."""
    sizes = job.sizes
    if job.design is None:  # one call draws what a call per parameter would, in the same order
        rng = np.random.default_rng(np.random.SeedSequence(job.seed, spawn_key=(number,)))
        quantiles = rng.random(sizes[-1])
    else:  # Sobol: one number per parameter, shared by every unit of a column
        quantiles = np.repeat(job.design[number], np.diff(sizes))
    drawn_all = np.empty_like(quantiles)
    for dist, base, where in job.families:
        drawn_all[where] = inverse_cdf(dist, quantiles[where], base)
    values, clipped, drawn = [], np.zeros(len(job.parameters), dtype=int), {}
    for k, p in enumerate(job.parameters):
        value = drawn_all[sizes[k]:sizes[k + 1]]
        value = value if p.per_unit else float(value[0])
        values_k, clipped[k] = p.quantity.scaled(value) if p.dist.relative else p.quantity.set_to(value)
        values.append(values_k)
        if not p.per_unit:
            drawn[p.path] = value
    return Draw(values, clipped, drawn)


def run_draws(job: _Job, chunks: list[list[int]]) -> list[dict]:
    """Solve chunks of draws, each chunk starting from the base programme's basis; what a worker runs."""
    return [_run_chunk(job, chunk) for chunk in chunks]


def _run_chunk(job: _Job, draws: list[int]) -> dict:
    sc = job.scenario
    solver = WarmSolver(sc)
    solver.start(job.program, job.basis)
    n = len(sc.units)
    out = {"draw": np.asarray(draws), "status": [], "objective": np.full(len(draws), np.nan),
           "total_outcome": np.full(len(draws), np.nan), "amounts": np.full((len(draws), n), np.nan),
           "drawn": np.full((len(draws), sum(not p.per_unit for p in job.parameters)), np.nan),
           "clipped": np.zeros((len(draws), len(job.parameters)), dtype=int)}
    for i, number in enumerate(draws):
        d = draw(job, number)
        out["drawn"][i], out["clipped"][i] = list(d.drawn.values()), d.clipped
        if job.mapped is not None:
            point = solver.solve(sc, job.mapped.program(d.values))
        else:
            try:
                changed = params.apply(sc, d.changes(job))  # in the base's money scale, as the map computes
                point = solver.solve(changed, build(changed, money_scale=job.program.money_scale))
            except ScenarioError as err:
                point = Point(INVALID, message=str(err))
        out["status"].append(point.status)
        if point.ok:
            out["objective"][i] = point.result.objective
            out["total_outcome"][i] = point.result.total_outcome
            out["amounts"][i] = point.amounts(n)
    return out


def in_place_map(sc: Scenario, program: Program, parameters: tuple[_Parameter, ...]) -> ProgramMap | None:
    """The map that computes each draw's programme in place, or None when the parameters need rebuilding."""
    return compile_or_none(sc, program, [p.quantity for p in parameters],
                           replaced=[not p.dist.relative for p in parameters])


# ------------------------------------------------------------------------------------------- result
class MonteCarlo:
    """The allocation under random draws.

    ``draws``: one row per draw: draw, status, objective, total_outcome, clipped (how many drawn values were
    clipped to their physical bounds), each one-number parameter's drawn value (a multiplier when relative,
    before clipping) under its path, and each unit's amount under its unit id.
    ``units``: per unit: unit_name, base_amount, mean, p05, p50, p95, within_10pct (share of the optimal
    draws in which the unit's money stays within ±10 % of its base amount). ``outcome``: the distribution
    of the objective and of persons employed. ``sobol``: first- and total-order Sobol indices of the
    objective (``method: sobol``), else None. ``clipped``: per parameter, how many drawn values were clipped
    to its bounds over all draws. ``in_place``: whether the draws' programmes were computed in place from the
    base programme (else each drawn scenario was validated and built: see :mod:`.inplace` for when).
    """

    def __init__(self, base: Result, draws: pd.DataFrame, *, seed: int, method: str = "sample",
                 sobol: pd.DataFrame | None = None, clipped: pd.Series | None = None, in_place: bool = False):
        self.base, self.draws, self.seed, self.method, self.sobol = base, draws, seed, method, sobol
        self.scenario = base.scenario
        self.clipped = clipped if clipped is not None else pd.Series(dtype=int)
        self.in_place = in_place

    @property
    def optimal(self) -> pd.DataFrame:
        return self.draws[self.draws["status"] == "optimal"]

    @cached_property
    def units(self) -> pd.DataFrame:
        sc = self.scenario
        ids = list(sc.unit_ids)
        amounts = self.optimal[ids].to_numpy(dtype=float)
        base = self.base.units["amount"].reindex(ids).to_numpy()
        tol = 1e-9 * max(1.0, float(np.abs(base).sum()))
        empty = amounts.shape[0] == 0
        q = np.full((3, len(ids)), np.nan) if empty else np.percentile(amounts, [5, 50, 95], axis=0)
        frame = pd.DataFrame({
            "unit_name": sc.units["name"].to_numpy(), "base_amount": base,
            "mean": np.full(len(ids), np.nan) if empty else amounts.mean(axis=0),
            "p05": q[0], "p50": q[1], "p95": q[2],
            "within_10pct": np.full(len(ids), np.nan) if empty else
            (np.abs(amounts - base) <= 0.1 * np.abs(base) + tol).mean(axis=0),
        }, index=pd.Index(ids, name="unit_id"))
        return frame

    @cached_property
    def outcome(self) -> pd.DataFrame:
        """The objective and persons employed: base, mean, sd, p05, p50, p95 over the optimal draws."""
        rows = {}
        for column, base in (("objective", self.base.objective), ("total_outcome", self.base.total_outcome)):
            v = self.optimal[column].to_numpy(dtype=float)
            q = np.percentile(v, [5, 50, 95]) if v.size else [np.nan] * 3
            rows[column] = {"base": base, "mean": v.mean() if v.size else np.nan,
                            "sd": v.std(ddof=1) if v.size > 1 else np.nan, "p05": q[0], "p50": q[1], "p95": q[2]}
        return pd.DataFrame(rows).T

    def summary(self) -> str:
        """A few lines for a memo, in the scenario's language."""
        from ..summary import status_words
        from .words import fmt, objective_words
        lang = self.scenario.language
        counts = self.draws["status"].value_counts()
        total = len(self.draws)
        design = t("sens.mc.sobol_design", lang) if self.method == "sobol" else ""
        listed = t("explain.list_sep", lang).join(t("sens.mc.count", lang, n=n, status=status_words(status, lang))
                                                  for status, n in counts.items())
        lines = [t("sens.mc.draws", lang, total=total, seed=self.seed, design=design, counts=listed)]
        o = self.outcome.loc["objective"]
        lines.append(t("sens.mc.objective", lang, words=objective_words(self.scenario), base=fmt(o["base"]),
                       mean=fmt(o["mean"]), low=fmt(o["p05"]), high=fmt(o["p95"])))
        u = self.units
        steady = int((u["within_10pct"] >= 0.9).sum())
        lines.append(t("sens.mc.steady", lang, steady=steady, n=len(u)))
        shaky = u[(u["base_amount"] > 0) & (u["within_10pct"] < 0.9)].sort_values("within_10pct").head(3)
        if len(shaky):
            lines.append(t("sens.mc.least_stable", lang, units=t("explain.list_sep", lang).join(
                t("sens.mc.unit_share", lang, name=r.unit_name, share=f"{r.within_10pct:.0%}")
                for r in shaky.itertuples())))
        lines.append(words.clipped_sentence(self.clipped, "sensitivity.clipped.monte_carlo", lang))
        if self.sobol is not None and "note" in self.sobol.attrs:
            lines.append(t("sens.mc.sobol_note", lang, note=self.sobol.attrs["note"]))
        elif self.sobol is not None:
            top = self.sobol.sort_values("ST", ascending=False).head(3)
            lines.append(t("sens.mc.sobol_top", lang, top=t("explain.list_sep", lang).join(
                f"{parameter(self.scenario, r.parameter)} {r.ST:.2f}" for r in top.itertuples())))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from ..markup import join, markup, table
        units = for_people(self.units.sort_values("within_10pct").head(20).reset_index(), self.scenario)
        numbers = [c for c in units.columns if pd.api.types.is_float_dtype(units[c])]
        return str(join([join(markup("<p>{}</p>", line) for line in self.summary().splitlines()),
                         table(units, formats=dict.fromkeys(numbers, plain_number))]))

    def plot(self, most: int = 30) -> Chart:
        """The objective's distribution over the draws and each unit's 5–95 % band of money (the ``most``
        largest units), as an SVG :class:`~fundalloc.charts.Chart`."""
        from .words import objective_words
        lang = self.scenario.language
        u = self.units.sort_values("base_amount", ascending=False).head(most)
        base = t("sens.chart.base", lang)
        spread = histogram(self.optimal["objective"], marks={base: self.base.objective},
                           ylabel=t("sens.chart.draws", lang), title=t("sens.chart.objective_draws", lang),
                           xlabel=objective_words(self.scenario), lang=lang)
        money = range_chart(u["unit_name"], u["p05"], u["p95"], u["base_amount"],
                            title=t("sens.chart.money_per_unit", lang), xlabel=self.scenario.money_unit,
                            range_name=t("sens.chart.band", lang), mark_name=base, lang=lang)
        return row(spread, money, title=t("sens.chart.monte_carlo", lang))


# ---------------------------------------------------------------------------------------------- run
def monte_carlo(sc: Scenario, draws: int | None = None, seed: int | None = None, executor: Executor | None = None,
                workers: int | None = None, progress: bool = False, *, parameters: dict | None = None,
                method: str | None = None) -> MonteCarlo:
    """Solve ``sc`` under random draws of the distributions in its ``sensitivity.monte_carlo`` section
    (or ``parameters``: dotted path → ``{dist, low, high, mode, mean, sd, relative}``).

    Relative distributions multiply the base value (a column or product unit cost gains a factor);
    ``units.COLUMN`` draws one value per unit. Drawn values are clipped to their physical bounds (effectiveness
    at most the measure's ``max_effectiveness``, costs at least 1 % of their base, counts not below 0, shares
    within 0–1) and counted (``MonteCarlo.clipped``); a draw with no feasible allocation is recorded, not
    raised. Each draw's programme is computed in place from the base programme when the parameters allow it
    (:mod:`~fundalloc.sensitivity.inplace`), else built from the drawn scenario.

    ``executor``: any ``concurrent.futures.Executor`` (a Dask ``Client.get_executor()`` too). Without one:
    ``workers=1`` runs in this process; ``workers=N`` on a pool of N worker processes (loky: no
    ``if __name__ == "__main__":`` guard needed, and the workers end with this process however it ends);
    by default, in this process when the run would take less than starting the pool, else on all cores.
    Results for a seed are the same whatever the executor and worker count. ``method: sobol`` (in the
    scenario or here) runs a Saltelli design of ``draws`` base samples through SALib and adds first- and
    total-order indices. Wrong arguments raise :class:`~fundalloc.errors.ScenarioError` naming them.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, measures={
    ...     "workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> mc = fa.monte_carlo(sc, draws=50, seed=1, workers=1, parameters={
    ...     "budget.total": {"dist": "uniform", "low": 0.9, "high": 1.1}})
    >>> mc.draws["objective"].between(90, 110).all()
    np.True_
    """
    from ..progress import progress_bar

    sc = scenario_argument(sc, "fa.monte_carlo")
    spec = sc.sensitivity.monte_carlo if sc.sensitivity is not None else None
    if parameters is None:
        if spec is None:
            raise ScenarioError([(("sensitivity", "monte_carlo"),
                                  msg("check.sensitivity.parameters", section="monte_carlo"))], source=sc.source,
                                language=sc.language)
        parameters = spec.parameters
    where = "sensitivity.monte_carlo."
    arguments.not_empty(sc, where + "parameters", parameters)
    draws = arguments.whole(sc, where + "draws", draws if draws is not None else
                            (spec.draws if spec is not None else 1000), 1)
    seed = arguments.whole(sc, where + "seed", seed if seed is not None else (spec.seed if spec is not None else 0), 0)
    method = arguments.one_of(sc, where + "method", method or (spec.method if spec is not None else "sample"),
                              ("sample", "sobol"))
    if workers is not None:
        arguments.whole(sc, "workers", workers, 1)
    chosen = _parameters(sc, parameters)
    program = build(sc)
    solver = WarmSolver(sc)
    base = solver.base(sc, program)
    problem = design = None
    if method == "sobol":
        saltelli = require("SALib.sample.sobol", "sensitivity", msg("errors.purpose.sobol_sample"))
        problem = {"num_vars": len(chosen), "names": [p.path for p in chosen], "bounds": [[0.0, 1.0]] * len(chosen)}
        design = saltelli.sample(problem, draws, calc_second_order=False, seed=seed)
    job = _Job(sc, chosen, seed, design, program, solver.basis(), in_place_map(sc, program, chosen))
    total = len(design) if design is not None else draws
    chunks = [list(range(i, min(i + CHUNK, total))) for i in range(0, total, CHUNK)]
    with progress_bar(total=total, desc=t("sens.progress.monte_carlo", sc.language), disable=not progress,
                      leave=False) as bar:
        parts = _execute(job, chunks, executor, workers, bar)
    frame = _table(sc, chosen, parts)
    clipped = pd.Series(np.vstack([p["clipped"] for p in parts]).sum(axis=0), index=[p.path for p in chosen],
                        name="clipped")
    sobol = _sobol(problem, frame["objective"].to_numpy(), seed) if problem is not None else None
    return MonteCarlo(base, frame, seed=seed, method=method, sobol=sobol, clipped=clipped,
                      in_place=job.mapped is not None)


#: seconds the default process pool takes to start with fundalloc imported in each worker: 1.6–2.8 s for two
#: workers on the 2-core machines this was measured on (``benchmarks/bench_sensitivity.py`` prints it). Work the
#: first chunk says will take less than this is finished in this process.
POOL_START_SECONDS = 2.0


def _execute(job: _Job, chunks: list[list[int]], executor: Executor | None, workers: int | None, bar) -> list[dict]:
    """Run the chunks: on ``executor``; in this process when ``workers`` is 1, or when it is not given and the
    whole run would take less than starting a pool (the first chunk, run here, says how long a chunk takes);
    else on a process pool of ``workers`` (default: all cores)."""
    if executor is not None:
        return _submit(executor, job, chunks, workers or os.cpu_count() or 1, bar)
    parts, todo = [], list(chunks)
    if workers is None:
        start = time.perf_counter()
        parts += _here(job, todo[:1], bar)
        todo = todo[1:]
        workers = os.cpu_count() or 1
        if (time.perf_counter() - start) * len(todo) < POOL_START_SECONDS:
            workers = 1
    workers = min(workers, len(todo))
    if workers <= 1:
        return parts + _here(job, todo, bar)
    pool = _pool(workers)
    done = False
    try:
        parts += _submit(pool, job, todo, workers, bar)
        done = True
        return parts
    finally:  # on an error, Ctrl-C or SIGTERM the workers are stopped, not left to finish
        pool.shutdown(wait=done, kill_workers=not done)


def _here(job: _Job, chunks: list[list[int]], bar) -> list[dict]:
    parts = []
    for chunk in chunks:
        parts += run_draws(job, [chunk])
        bar.update(len(chunk))
    return parts


def _submit(executor: Executor, job: _Job, chunks: list[list[int]], workers: int, bar) -> list[dict]:
    """The chunks in tasks of several (about four tasks a worker: the job is sent once per task)."""
    size = max(1, len(chunks) // (4 * workers))
    tasks = [chunks[i:i + size] for i in range(0, len(chunks), size)]
    futures = {executor.submit(run_draws, job, task): sum(map(len, task)) for task in tasks}
    parts = []
    for future in as_completed(futures):
        parts += future.result()
        bar.update(futures[future])
    return parts


def _pool(workers: int):
    """A loky process pool whose workers end when this process ends (see ``_WATCH``)."""
    from loky import ProcessPoolExecutor
    return ProcessPoolExecutor(max_workers=workers, initializer=exec, initargs=(_WATCH, {"parent": os.getpid()}))


#: Run by each pool worker as it starts: end it when the process that started it ends, so a killed run (``kill
#: -9``, ``timeout``, a scheduler) leaves no worker behind. Linux signals the worker at once
#: (``PR_SET_PDEATHSIG``); elsewhere, and as a second guard, a thread checks the parent every half second. It
#: is source code run by ``exec`` (pickled without importing anything) so that it starts before the worker
#: imports fundalloc, which takes seconds on a busy machine: a function of this module would only run after.
_WATCH = """
import ctypes, os, signal, sys, threading, time
if sys.platform.startswith("linux"):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
if os.getppid() != parent:  # the parent ended before the watch began
    os._exit(1)

def watch():
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)

threading.Thread(target=watch, daemon=True, name="fundalloc-parent-watch").start()
"""


def _table(sc: Scenario, chosen: tuple[_Parameter, ...], parts: list[dict]) -> pd.DataFrame:
    order = np.argsort(np.concatenate([p["draw"] for p in parts]), kind="stable")

    def stack(key):
        return np.concatenate([p[key] for p in parts])[order]

    drawn_names = [p.path for p in chosen if not p.per_unit]
    frame = pd.DataFrame({"draw": stack("draw"), "status": np.concatenate([p["status"] for p in parts])[order],
                          "objective": stack("objective"), "total_outcome": stack("total_outcome"),
                          "clipped": stack("clipped").sum(axis=1)})
    drawn = pd.DataFrame(np.vstack([p["drawn"] for p in parts])[order], columns=drawn_names)
    amounts = pd.DataFrame(np.vstack([p["amounts"] for p in parts])[order], columns=list(sc.unit_ids))
    return pd.concat([frame, drawn, amounts], axis=1)


def _sobol(problem: dict, y: np.ndarray, seed: int) -> pd.DataFrame:
    columns = ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
    if not np.isfinite(y).all():  # SALib cannot skip failed runs; say so rather than guess their values
        frame = pd.DataFrame({"parameter": problem["names"]}).reindex(columns=columns)
        frame.attrs["note"] = f"{int((~np.isfinite(y)).sum())} of {len(y)} runs had no optimum: no Sobol indices"
        return frame
    sobol = require("SALib.analyze.sobol", "sensitivity", msg("errors.purpose.sobol_indices"))
    result = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
    return pd.DataFrame({"parameter": problem["names"], "S1": result["S1"], "S1_conf": result["S1_conf"],
                         "ST": result["ST"], "ST_conf": result["ST_conf"]}, columns=columns)
