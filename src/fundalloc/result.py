"""The result of a solve: arrays mapped back to units, measures and rules, once, in one place."""
from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .backends.base import Solution
from .catalog import t
from .groups import group_labels, membership_labels
from .program import Program
from .scenario import Scenario
from .tables import LARGE_TABLE_ROWS, parquet_available, plain_number, write_table

#: a row is binding when its activity is this close (relative) to a finite bound
BINDING_TOLERANCE = 1e-7


class Result:
    """An optimal allocation with its shadow prices and ranging.

    Attributes: ``status``, ``objective`` (weighted persons employed for ``max_outcome`` and
    ``max_min_coverage``; money for ``min_cost``), ``allocation``, ``units``, ``shadow_prices``, ``ranging``,
    ``timings`` (seconds), ``notes`` (what is not available and why); ``allocation_table()`` is the 分配表.
    """

    #: the 分配表 presents this allocation (a factor formula's is a column of the optimised one's)
    has_allocation_table = True

    def __init__(self, scenario: Scenario, program: Program, solution: Solution, *, timings: dict,
                 backend: str, variant: str | None = None, progress: bool = False):
        self.scenario, self.program, self.solution = scenario, program, solution
        self.progress = progress  # show progress bars while writing the files
        self.timings, self.backend, self.variant = dict(timings), backend, variant
        self.status = solution.status
        self.objective_type = scenario.objective.type
        from .catalog import t
        lang = scenario.language
        self.notes: list[str] = []
        decomposition = solution.extra.get("decomposition")
        if program.integer:
            self.notes.append(t("result.note.integer", lang))
        elif decomposition is not None and decomposition.fallback:
            self.notes.append(t("solver.note.fallback", lang, reason=decomposition.reason))
        elif decomposition is not None:
            self.notes.append(t("solver.note.no_ranging", lang))
        elif solution.ranging is None:
            self.notes.append(t("result.note.no_ranging", lang, backend=backend) if backend != "highs"
                              else t("result.note.ranging_skipped", lang))
        big = [f"{stem}.csv" for stem, rows in self._table_rows().items() if rows >= LARGE_TABLE_ROWS]
        if big:
            key = "solver.note.parquet" if parquet_available() else "solver.note.no_parquet"
            self.notes.append(t(key, lang, files=", ".join(big), rows=LARGE_TABLE_ROWS))
        #: what the tie-break did (a :class:`~fundalloc.tiebreak.TieBreakInfo`), None when it was not asked
        self.tie_break = solution.extra.get("tie_break")
        if self.tie_break is not None and self.tie_break.note:
            key, fields = self.tie_break.reason
            why = t(key, lang, **fields) if key else self.tie_break.note
            self.notes.append(t("tiebreak.skipped_integer", lang) if program.integer
                              else t("tiebreak.failed", lang, why=why))
        self.objective = float(solution.objective) * self._objective_scale
        if "coverage_rate" in solution.extra:
            self.coverage_rate = solution.extra["coverage_rate"]
            self.objective = float(program.outcome_value() @ solution.x[:program.n_alloc])

    @property
    def _objective_scale(self) -> float:
        return self.program.money_scale if self.program.sense == "min" else 1.0

    # ----------------------------------------------------------------------------------- raw sums
    @cached_property
    def _per_unit_measure(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Beneficiaries, money and outcome as (measures × units) arrays, summed over steps and populations."""
        p, x = self.program, self.solution.x[:self.program.n_alloc]
        k, n = len(p.measures), p.n_units
        key = p.col_measure[:p.n_alloc] * n + p.col_unit[:p.n_alloc]
        persons = np.bincount(key, weights=x, minlength=k * n).reshape(k, n)
        money = np.bincount(key, weights=x * p.col_money[:p.n_alloc], minlength=k * n).reshape(k, n)
        outcome = np.bincount(key, weights=x * p.col_effect[:p.n_alloc], minlength=k * n).reshape(k, n)
        return persons, money * p.money_scale, outcome

    def per_unit_measure_from(self, population: str) -> tuple[np.ndarray, np.ndarray]:
        """Beneficiaries and persons employed drawn from ``population`` (and the populations within it), as
        (measures × units) arrays."""
        p, x = self.program, self.solution.x[:self.program.n_alloc]
        members = [p.populations.index(m) for m in self.scenario.population_members(population)]
        x = np.where(np.isin(p.col_population[:p.n_alloc], members), x, 0.0)
        k, n = len(p.measures), p.n_units
        key = p.col_measure[:p.n_alloc] * n + p.col_unit[:p.n_alloc]
        persons = np.bincount(key, weights=x, minlength=k * n).reshape(k, n)
        outcome = np.bincount(key, weights=x * p.col_effect[:p.n_alloc], minlength=k * n).reshape(k, n)
        return persons, outcome

    @cached_property
    def _fte_outcome(self) -> np.ndarray:
        """Persons employed counted in full-time equivalents, (measures × units)."""
        p, x = self.program, self.solution.x[:self.program.n_alloc]
        k, n = len(p.measures), p.n_units
        key = p.col_measure[:p.n_alloc] * n + p.col_unit[:p.n_alloc]
        value = x * p.col_effect[:p.n_alloc] * p.col_fte[:p.n_alloc]
        return np.bincount(key, weights=value, minlength=k * n).reshape(k, n)

    @cached_property
    def by_population(self) -> pd.DataFrame:
        """One row per (unit, measure, population the beneficiaries are drawn from): unit_id, unit_name,
        measure, population (empty for a measure without `from`), amount, beneficiaries, outcome. Summed over
        populations it is ``allocation``."""
        p, x = self.program, self.solution.x[:self.program.n_alloc]
        names = np.asarray([""] + p.populations, dtype=object)
        k, n, q = len(p.measures), p.n_units, len(p.populations) + 1
        source = p.col_population[:p.n_alloc] + 1
        key = (p.col_measure[:p.n_alloc] * q + source) * n + p.col_unit[:p.n_alloc]
        used = np.unique(p.col_measure[:p.n_alloc] * q + source)  # (measure, population) pairs that exist
        sums = {what: np.bincount(key, weights=w, minlength=k * q * n).reshape(k * q, n)[used]
                for what, w in (("amount", x * p.col_money[:p.n_alloc] * p.money_scale), ("beneficiaries", x),
                                ("outcome", x * p.col_effect[:p.n_alloc]))}
        units = self.scenario.units
        frame = pd.DataFrame({
            "unit_id": np.tile(units["id"].to_numpy(), len(used)),
            "unit_name": np.tile(units["name"].to_numpy(), len(used)),
            "measure": np.repeat(np.asarray(p.measures)[used // q], n),
            "population": np.repeat(names[used % q], n),
            **{what: v.ravel() for what, v in sums.items()},
        })
        order = np.lexsort((np.repeat(np.arange(len(used)), n), np.tile(np.arange(n), len(used))))
        return frame.iloc[order].reset_index(drop=True)

    @property
    def per_unit_measure_money(self) -> np.ndarray:
        """Money per (measure, unit), in the scenario's money unit: measures × units."""
        return self._per_unit_measure[1]

    @property
    def total_allocated(self) -> float:
        return float(self._per_unit_measure[1].sum())

    @property
    def total_outcome(self) -> float:
        """Persons employed (unweighted)."""
        return float(self._per_unit_measure[2].sum())

    @cached_property
    def _row_sides(self) -> tuple[np.ndarray, np.ndarray]:
        """Per row: at its lower bound (a floor), at its upper bound (a ceiling)."""
        p = self.program
        act = self.solution.row_activity if self.solution.row_activity is not None else p.matrix @ self.solution.x
        near = BINDING_TOLERANCE * (1.0 + np.abs(act))
        return (np.isfinite(p.row_lower) & (np.abs(act - p.row_lower) <= near),
                np.isfinite(p.row_upper) & (np.abs(act - p.row_upper) <= near))

    def at_limit(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """For each row of rule ``name``: at its floor, at its ceiling (an equality row is at both)."""
        floor, ceiling = self._row_sides
        rows = self.program.blocks[name]
        return floor[rows], ceiling[rows]

    def rows_at_limit(self, name: str) -> np.ndarray:
        """For each row of rule ``name``: at its limit, as ``binding_rules`` and the summary count it (a zero
        limit met by nothing is not counted; see :mod:`fundalloc.rulestate`)."""
        return self._binding_rows[self.program.blocks[name]]

    @cached_property
    def _binding_rows(self) -> np.ndarray:
        p = self.program
        floor, ceiling = self._row_sides
        act = self.solution.row_activity if self.solution.row_activity is not None else p.matrix @ self.solution.x
        # a per-unit floor of 0 met by nothing (no zero-employment households, nothing funded) binds nobody
        trivial = (np.abs(act) <= BINDING_TOLERANCE) & (np.where(np.isfinite(p.row_lower), p.row_lower, 0) == 0) \
            & (np.where(np.isfinite(p.row_upper), p.row_upper, 0) == 0) & self._per_unit_rows
        if self.solution.row_dual is not None:
            trivial &= np.abs(self.solution.row_dual) <= 1e-12
        return (floor | ceiling) & ~trivial

    @cached_property
    def _per_unit_rows(self) -> np.ndarray:
        out = np.zeros(len(self.program.row_lower), bool)
        for name, info in self.program.block_info.items():
            out[self.program.blocks[name]] = info.units is not None
        return out

    def rule_duals(self, name: str) -> np.ndarray | None:
        """The shadow price of each row of rule ``name``, in the user's units (None for a MIP)."""
        if self.solution.row_dual is None:
            return None
        return self.solution.row_dual[self.program.blocks[name]] * self._objective_scale / self.program.row_scale(name)

    # ----------------------------------------------------------------------------------- tables
    @cached_property
    def allocation(self) -> pd.DataFrame:
        """One row per (unit, measure), summed over the populations it draws from: unit_id, unit_name, measure,
        amount, beneficiaries, outcome (persons employed), outcome_fte (the same in full-time equivalents),
        unit_cost, reduced_cost (objective change per beneficiary forced in, on the measure's first step).
        ``by_population`` splits it by population. From a million rows the label columns are categoricals."""
        p, units = self.program, self.scenario.units
        persons, money, outcome = self._per_unit_measure
        k, n = persons.shape
        cost = p.col_money[:p.n_alloc] * p.money_scale
        first_step = p.col_step[:p.n_alloc] == 0
        unit_cost = np.zeros((k, n))
        unit_cost[p.col_measure[:p.n_alloc][first_step], p.col_unit[:p.n_alloc][first_step]] = cost[first_step]
        # unit by unit, measure by measure
        frame = pd.DataFrame({
            "unit_id": _repeated(units["id"], k),
            "unit_name": _repeated(units["name"], k),
            "measure": _repeated(pd.Series(p.measures), n, tile=True),
            "amount": money.T.ravel(),
            "beneficiaries": persons.T.ravel(),
            "outcome": outcome.T.ravel(),
            "outcome_fte": self._fte_outcome.T.ravel(),
            "unit_cost": unit_cost.T.ravel(),
        })
        if self.solution.col_dual is not None:
            rc = np.zeros((k, n))
            cols = np.flatnonzero(first_step)
            rc[p.col_measure[cols], p.col_unit[cols]] = self.solution.col_dual[cols] * self._objective_scale
            frame["reduced_cost"] = rc.T.ravel()
        return frame

    @cached_property
    def units(self) -> pd.DataFrame:
        """Per unit: unit_name, region (when the scenario has one), groups, weight, amount, beneficiaries,
        outcome, binding_rules (the rules at their limit there, counted as in the summary: see
        :mod:`fundalloc.rulestate`), and for every per-unit rule its shadow price there (``shadow.<rule>``)."""
        p, sc = self.program, self.scenario
        persons, money, outcome = self._per_unit_measure
        per_unit = [n for n in p.rule_blocks() if p.block_info[n].units is not None]
        binding = np.zeros((len(per_unit), p.n_units), bool)
        extra = {}
        for i, name in enumerate(per_unit):
            units = p.block_info[name].units
            binding[i, units[self._binding_rows[p.blocks[name]]]] = True
            dual = self.rule_duals(name)
            if dual is not None:
                column = np.zeros(p.n_units)
                column[units] = dual
                extra[f"shadow.{name}"] = column
        frame = pd.DataFrame({
            "unit_id": sc.units["id"].to_numpy(),
            "unit_name": sc.units["name"].to_numpy(),
            **({"region": sc.regions} if sc.region is not None else {}),
            "groups": group_labels(p.masks, p.n_units),
            "weight": p.weights,
            "amount": money.sum(axis=0),
            "beneficiaries": persons.sum(axis=0),
            "outcome": outcome.sum(axis=0),
            "binding_rules": membership_labels(per_unit, binding),
            "outcome_fte": self._fte_outcome.sum(axis=0),
            **extra,
        })
        low, high, tied = self._at_optimum(frame["amount"].to_numpy())
        frame["amount_min_at_optimum"], frame["amount_max_at_optimum"], frame["tie_decided"] = low, high, tied
        return frame.set_index("unit_id", drop=False).rename_axis(None)

    def _at_optimum(self, amount: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.arrays.BooleanArray]:
        """Each unit's least and most money over the optimal allocations, and whether the optimum leaves it
        open (the tie-break, or without one the solver, decided it); NaN/<NA> where not known. Without the
        ranges, the units complementary slackness alone fixes are known."""
        n = len(amount)
        low, high = np.full(n, np.nan), np.full(n, np.nan)
        tied = pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))  # all <NA>
        info = self.tie_break
        if info is None:
            return low, high, tied
        if info.amount_min is not None:
            return np.minimum(info.amount_min, amount), np.maximum(info.amount_max, amount), \
                pd.array(info.tied, dtype="boolean")
        if info.fixed is not None:
            low[info.fixed], high[info.fixed] = amount[info.fixed], amount[info.fixed]
            tied[info.fixed] = False
        return low, high, tied

    @cached_property
    def shadow_prices(self) -> pd.Series:
        """Rule name → objective change per unit of the rule's right-hand side (money in ``money_unit`` or
        persons); per-unit rules give the sum over their units (every unit's limit raised by one)."""
        p = self.program
        if self.solution.row_dual is None:
            return pd.Series(dtype=float, name="shadow_price")
        values = {name: float(self.rule_duals(name).sum()) for name in p.rule_blocks()}
        return pd.Series(values, name="shadow_price", dtype=float)

    @cached_property
    def binding_rules(self) -> list[str]:
        """Rules with at least one row at its limit."""
        p = self.program
        return [n for n in p.rule_blocks() if self._binding_rows[p.blocks[n]].any()]

    @cached_property
    def ranging(self) -> pd.DataFrame:
        """Intervals over which the optimal basis holds: for each (unit, measure, step) the effectiveness
        (or, for ``min_cost``, the unit cost), and for each rule row its right-hand side."""
        columns = ["kind", "rule", "unit_id", "unit_name", "measure", "step", "value", "low", "high",
                   "objective_at_low", "objective_at_high"]
        r = self.solution.ranging
        if r is None:
            return pd.DataFrame(columns=columns)
        p, units = self.program, self.scenario.units
        alloc = slice(0, p.n_alloc)
        cu, cm = p.col_unit[alloc], p.col_measure[alloc]
        if p.sense == "min":  # cost ranging is on money per beneficiary
            kind, per = "unit_cost", p.money_scale
            value = p.col_money[alloc] * per
        else:
            kind, per = "effectiveness", 1.0 / p.weights[cu]
            value = p.col_effect[alloc]
        cols = pd.DataFrame({
            "kind": kind, "rule": "", "unit_id": units["id"].to_numpy()[cu], "unit_name": units["name"].to_numpy()[cu],
            "measure": np.asarray(p.measures)[cm], "step": p.col_step[alloc], "value": value,
            "low": r["cost_low"][alloc] * per, "high": r["cost_high"][alloc] * per,
            "objective_at_low": np.nan, "objective_at_high": np.nan,
        })
        frames = [cols]
        for name in p.rule_blocks():
            info, sl = p.block_info[name], p.blocks[name]
            scale = p.row_scale(name)
            lower, upper = p.row_lower[sl], p.row_upper[sl]
            act = self.solution.row_activity[sl]
            use_lower = np.isfinite(lower) & (~np.isfinite(upper) | (np.abs(act - lower) <= np.abs(act - upper)))
            rhs = np.where(use_lower, lower, upper)
            low, high = r["rhs_low"][sl].copy(), r["rhs_high"][sl].copy()
            obj_low = r["rhs_low_objective"][sl] * self._objective_scale
            obj_high = r["rhs_high_objective"][sl] * self._objective_scale
            # a limit the allocation does not reach can move freely up to what is used, changing nothing;
            # HiGHS ranges such (basic) rows differently, so state that interval here
            floor, ceiling = self.at_limit(name)
            slack = ~(floor | ceiling)
            low = np.where(slack, np.where(use_lower, -np.inf, act), low)
            high = np.where(slack, np.where(use_lower, act, np.inf), high)
            obj_low = np.where(slack, self.objective, obj_low)
            obj_high = np.where(slack, self.objective, obj_high)
            ids = units["id"].to_numpy()[info.units] if info.units is not None else np.full(len(rhs), "")
            names = units["name"].to_numpy()[info.units] if info.units is not None else np.full(len(rhs), "")
            frames.append(pd.DataFrame({
                "kind": "rhs", "rule": name if info.labels is None else info.row_names(),
                "unit_id": ids, "unit_name": names, "measure": "", "step": -1,
                "value": rhs * scale, "low": low * scale, "high": high * scale,
                "objective_at_low": obj_low, "objective_at_high": obj_high,
            }))
        return pd.concat(frames, ignore_index=True)[columns]

    @cached_property
    def rounded(self):
        """The allocation rounded for the 分配表 (:func:`fundalloc.rounding.round_allocation`)."""
        from .rounding import round_allocation
        return round_allocation(self)

    @cached_property
    def factor_baseline(self):
        """The factor formula's allocation of this scenario's budget (its ``baseline:``), or None."""
        if self.scenario.baseline is None:
            return None
        from .baseline import factor_allocation  # the baseline builds on results
        return factor_allocation(self.scenario)

    def allocation_table(self, baseline=None, *, lang: str | None = None):
        """The 分配表: per county 上年, factor formula, optimised, 增减, 增减%, per measure, persons, with region
        subtotals and 合计, rounded to the scenario's ``rounding`` (see :func:`fundalloc.allocation_table`)."""
        from .notice_table import allocation_table
        if baseline is None and lang in (None, self.scenario.language):  # the files' and the report's table
            return self._allocation_table.copy()
        return allocation_table(self, baseline, lang=lang)

    @cached_property
    def _allocation_table(self):
        """The 分配表 in the scenario's language, made once (allocation_table.csv and the report both show it;
        a million counties took a second each time)."""
        from .notice_table import allocation_table
        return allocation_table(self)

    @property
    def money_by_group(self) -> dict[str, float]:
        amounts = self.units["amount"].to_numpy()
        out = {g: float(amounts[m].sum()) for g, m in self.program.masks.items()}
        out["all"] = float(amounts.sum())
        return out

    # ----------------------------------------------------------------------------------- reports
    def summary_dict(self) -> dict:
        """The content of ``summary.json``."""
        sc = self.scenario
        prices = self.shadow_prices
        return {
            "scenario": sc.name,
            "variant": self.variant,
            "status": self.status,
            "objective": self.objective,
            "objective_type": self.objective_type,
            "money_unit": sc.money_unit,
            "budget": sc.money(sc.budget.total) if sc.budget is not None else None,
            "total_allocated": self.total_allocated,
            "total_outcome": self.total_outcome,
            "money_by_group": self.money_by_group,
            "shadow_prices": {k: float(v) for k, v in prices.items()},
            "binding_rules": self.binding_rules,
            "solver": self._solver_summary(),
            "timings": {k: round(float(v), 6) for k, v in self.timings.items()},
            "versions": versions(),
            "input_sha256": dict(sc.inputs),
            "notes": self.notes,
            "tie_break": self._tie_break_dict(),
            **({"coverage_rate": self.coverage_rate} if hasattr(self, "coverage_rate") else {}),
        }

    def _solver_summary(self) -> dict:
        s = self.solution
        out = {"backend": self.backend, "name": s.solver, "method": s.method, "iterations": s.iterations,
               "message": s.message}
        if "decomposition" in s.extra:  # rounds, free units, fallback, certified gap
            out["decomposition"] = s.extra["decomposition"].as_dict()
        return out

    def _tie_break_dict(self) -> dict:
        """summary.json's account of the tie-break: the reference, whether it ran, the tolerance, the route."""
        from .tiebreak import toward
        info = self.tie_break
        if info is None:
            return {"toward": toward(self.scenario), "ran": False}
        tied = self.units["tie_decided"]
        return {
            "toward": info.toward, "ran": info.ran, "objective_tolerance": info.tolerance,
            "objective_change": info.objective_change, "stages": list(info.stages),
            "route": f"the policy LP by {self.solution.solver or self.backend}; the tie-break by {info.solver}",
            "units_fixed_by_optimum": int((tied == False).sum()),  # noqa: E712 (a nullable boolean column)
            "units_tied": int((tied == True).sum()) if tied.notna().all() else None,  # noqa: E712
            "ranges_computed": info.amount_min is not None, "seconds": round(info.seconds, 6),
            "second_stage": self._second_stage_dict(info),
            **({"note": info.note} if info.note else {}),
        }

    @staticmethod
    def _second_stage_dict(info) -> dict:
        """Which route answered the tie-break's quadratic programmes: ``decomposed`` (with its certificate,
        Newton iterations and timings) or ``highs`` (with why the decomposed route did not answer, if tried)."""
        out = {"method": info.route}
        if info.fallback:
            out["fallback"] = info.fallback
        if info.decomposed is not None:
            out.update(info.decomposed.as_dict())
        return out

    def summary(self) -> str:
        """A plain-text report to paste into a memo, in the scenario's language: the headline figures, money by
        group, and each binding rule with its shadow price in words."""
        from .summary import summary_text  # the words about a result read the result
        return summary_text(self)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """The summary as HTML tables (CJK names stay aligned, unlike the text), under one title, and the
        units with the most money; every name escaped, no number in scientific notation."""
        from .markup import fixed, join, markup, table
        from .report import facts_table
        from .summary import group_headers, group_table, price_sentences, result_title, summary_rows

        lang, unit = self.scenario.language, self.scenario.money_unit
        heading, money, share = group_headers(self)
        groups = group_table(self).rename(columns={"amount": money, "share": share}).rename_axis(heading)
        rules = join(markup("<li>{}</li>", text) for _, text in price_sentences(self)) or \
            markup("<li>{}</li>", t("summary.none_binding", lang))
        notes = markup("<ul>{}</ul>", join(markup("<li>{}</li>", n) for n in self.notes)) if self.notes else ""
        numbers = {c: plain_number for c in (t("result.column.amount", lang), t("table.persons_funded", lang),
                                             t("table.persons_employed", lang))}
        return str(markup("<h4>{}</h4>{}{}<p>{}</p><ul>{}</ul>{}<p>{}</p>{}",
                          result_title(self), facts_table(summary_rows(self)),
                          table(groups.reset_index(), formats={money: plain_number, share: fixed(1, percent=True)}),
                          t("summary.binding", lang), rules, notes, t("summary.top_units", lang, unit=unit),
                          table(self._top_units(), formats=numbers)))

    def _top_units(self, top: int = 20) -> pd.DataFrame:
        """The units with the most money, under headers in the scenario's language."""
        lang = self.scenario.language
        headers = {"unit_id": t("table.code", lang), "unit_name": t("table.unit", lang),
                   "groups": t("result.column.groups", lang), "weight": t("result.column.weight", lang),
                   "amount": t("result.column.amount", lang), "beneficiaries": t("table.persons_funded", lang),
                   "outcome": t("table.persons_employed", lang),
                   "binding_rules": t("result.column.binding_rules", lang)}
        shown = [c for c in headers if c in self.units]
        return self.units[shown].sort_values("amount", ascending=False).head(top).rename(columns=headers)

    def to_dir(self, path: str | os.PathLike, *, excel: bool = False, report: bool = True) -> Path:
        """Write the output files (SPEC §7) into the folder ``path``, as a whole set: the folder ends up holding
        this set and nothing else, or, on failure, what it held before (the command line's writer,
        :func:`fundalloc.outputs.publish`: it refuses a folder of other files or of files added to an earlier set).

        allocation.csv, units.csv, shadow_prices.csv, ranging.csv, allocation_table.csv (UTF-8 with BOM),
        summary.json, and report.html (``report=False`` to skip); ``excel=True`` adds allocation.xlsx (not for
        a factor formula: its amounts are a column of the optimised result's 分配表).
        """
        from .errors import speaking
        from .outputs import publish

        with speaking(self.scenario.language):
            return publish(path, lambda folder: self.write_files(folder, excel=excel, report=report))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written as CSV (file stem → DataFrame)."""
        prices = self.shadow_prices.rename_axis("rule").reset_index()
        return {"allocation": self.allocation, "units": self.units.reset_index(drop=True),
                "shadow_prices": prices, "ranging": self.ranging}

    def _table_rows(self) -> dict[str, int]:
        """How many rows each table of :meth:`tables` has, without making it."""
        p = self.program
        ranging = 0 if self.solution.ranging is None else p.n_alloc + sum(
            p.blocks[b].stop - p.blocks[b].start for b in p.rule_blocks())
        return {"allocation": p.n_units * len(p.measures), "units": p.n_units,
                "shadow_prices": len(p.rule_blocks()), "ranging": ranging}

    def write_files(self, folder: Path, *, excel: bool = False, report: bool = True) -> None:
        """Write every output file into an existing folder (no atomicity: see ``to_dir``). Tables of
        :data:`~fundalloc.tables.LARGE_TABLE_ROWS` rows or more are written as Parquet when pyarrow is
        installed (the notes say so)."""
        from concurrent.futures import ThreadPoolExecutor

        from .progress import Steps

        with Steps(["tables", "write"], self.scenario.language, self.progress) as bar, \
                ThreadPoolExecutor(max_workers=1) as beside:
            bar.step("tables")
            tables = self.tables()
            bar.step("write")
            parquet = []   # pyarrow writes a big table beside the rest, mostly without the GIL (about 2 s at 1M)
            for stem, frame in tables.items():
                bar.detail(stem)
                if len(frame) >= LARGE_TABLE_ROWS and parquet_available():
                    parquet.append(beside.submit(write_table, frame, folder, stem))
                else:
                    write_table(frame, folder, stem)
            if self.has_allocation_table:
                bar.detail("allocation_table.csv")
                self.allocation_table().write_csv(folder / "allocation_table.csv")
            (folder / "summary.json").write_text(json.dumps(self.summary_dict(), ensure_ascii=False, indent=2,
                                                            default=_json_default), encoding="utf-8")
            if report:
                from .report import write_report  # the report needs the result, not the other way round
                bar.detail("report.html")
                write_report(self, folder / "report.html")
            if excel and self.has_allocation_table:  # a factor formula's amounts are a column of the optimised one's
                from .workbook import write_workbook  # the workbook reads the result
                write_workbook(folder / "allocation.xlsx", self)
            for written in parquet:
                written.result()                # its error, if any, is this call's


def versions() -> dict[str, str]:
    """The versions of fundalloc and the libraries that computed a result (for ``summary.json``)."""
    from . import __version__
    import pulp
    import scipy
    return {"fundalloc": __version__, "numpy": np.__version__, "pandas": pd.__version__,
            "scipy": scipy.__version__, "highspy": _version("highspy"), "pulp": pulp.__version__}


def _repeated(labels: pd.Series, times: int, *, tile: bool = False):
    """Labels repeated (each ``times`` in a row, or the whole run ``times`` over with ``tile``) for a long
    table: plain strings, or from :data:`~fundalloc.tables.LARGE_TABLE_ROWS` rows a categorical (codes into
    the labels, not millions of strings; it prints, compares and writes the same)."""
    if len(labels) * times < LARGE_TABLE_ROWS:
        values = labels.to_numpy()
        return np.tile(values, times) if tile else np.repeat(values, times)
    codes, uniques = pd.factorize(labels)
    return pd.Categorical.from_codes(np.tile(codes, times) if tile else np.repeat(codes, times), uniques)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _json_default(value):
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")

