"""Run what a scenario's ``sensitivity:`` section asks for, and write it: CSV, SVG charts, an HTML fragment."""
from __future__ import annotations

import re
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..catalog import t
from ..charts import Chart
from ..labels import block_shown, parameter, shown
from ..markup import Format, Markup, fixed, join, markup, table
from ..result import Result
from ..scenario import Scenario
from ..summary import objectives_or_statuses
from ..tables import write_csv
from .local import RULE_LIMIT, entry_thresholds, explain, ranging_table
from .prices import rule_prices, rule_prices_chart
from .montecarlo import MonteCarlo, monte_carlo
from .oneway import clipped_counts, tornado, tornado_chart
from .words import clipped_sentence
from .sweeps import Sweep, sweep


#: the HTML shows at most this many rows of the ranging of rule limits
HTML_RANGING_ROWS = 20
#: and this many of the units least sure of their money in the Monte Carlo draws
MC_UNITS = 15


@dataclass(repr=False)
class SensitivityReport:
    """Everything the sensitivity run found. ``write(folder)`` writes the files, ``html()`` an HTML fragment.

    Files: ``explanations.txt``, ``ranging_plain.csv``, ``entry_thresholds.csv``, ``rule_prices.csv``,
    ``sweep_<parameter>.csv`` (dots and ``*`` → ``_``/``all``) with ``_amounts`` and, for the budget,
    ``_breakpoints``, ``tornado.csv``, ``monte_carlo.csv`` (the draws), ``monte_carlo_units.csv``,
    ``monte_carlo_sobol.csv``; charts as ``.svg`` (Chinese names kept as text).
    CSV files are UTF-8 with BOM.
    """

    scenario: Scenario
    result: Result
    explanations: list[str]
    ranging: pd.DataFrame
    entry_thresholds: pd.DataFrame
    rule_prices: pd.DataFrame | None = None
    sweeps: list[Sweep] = field(default_factory=list)
    tornado: pd.DataFrame | None = None
    monte_carlo: MonteCarlo | None = None

    def __repr__(self) -> str:
        parts = [f"{len(self.explanations)} sentences"]
        parts += [f"rule prices ({len(self.rule_prices)} rules)"] if self.rule_prices is not None else []
        parts += [f"sweep {sw.parameter}" for sw in self.sweeps]
        parts += [f"tornado ({len(self.tornado)} parameters)"] if self.tornado is not None else []
        parts += [f"Monte Carlo ({len(self.monte_carlo.draws)} draws)"] if self.monte_carlo is not None else []
        return f"<SensitivityReport {self.scenario.name}: {', '.join(parts)}>"

    def _sweep_stems(self) -> list[str]:
        stems, seen = [], {}
        for sw in self.sweeps:
            stem = "sweep_" + re.sub(r"[^0-9A-Za-z_\u4e00-\u9fff-]+", "_", sw.parameter.replace("*", "all"))
            seen[stem] = seen.get(stem, 0) + 1
            stems.append(stem if seen[stem] == 1 else f"{stem}_{seen[stem]}")
        return stems

    def tables(self) -> dict[str, pd.DataFrame]:
        """File stem → table."""
        out = {"ranging_plain": self.ranging, "entry_thresholds": self.entry_thresholds}
        if self.rule_prices is not None:
            out["rule_prices"] = self.rule_prices
        for stem, sw in zip(self._sweep_stems(), self.sweeps):
            out[stem] = sw.table
            out[f"{stem}_amounts"] = sw.amounts.reset_index()
            if sw.breakpoints is not None:
                out[f"{stem}_breakpoints"] = sw.breakpoints
        if self.tornado is not None:
            out["tornado"] = self.tornado
        if self.monte_carlo is not None:
            out["monte_carlo"] = self.monte_carlo.draws
            out["monte_carlo_units"] = self.monte_carlo.units.reset_index()
            if self.monte_carlo.sobol is not None:
                out["monte_carlo_sobol"] = self.monte_carlo.sobol
        return out

    def charts(self) -> dict[str, Chart]:
        """File stem → chart (drawn once; ``write`` and ``html`` share them)."""
        return self._charts

    @cached_property
    def _charts(self) -> dict[str, Chart]:
        out = {}
        if self.rule_prices is not None and (~self.rule_prices["identity"]).any():
            out["rule_prices"] = rule_prices_chart(self.rule_prices, self.scenario)
        for stem, sw in zip(self._sweep_stems(), self.sweeps):
            out[stem] = sw.plot()
        if self.tornado is not None and len(self.tornado):
            out["tornado"] = tornado_chart(self.tornado, self.scenario)
        if self.monte_carlo is not None:
            out["monte_carlo"] = self.monte_carlo.plot()
        return out

    def write(self, folder) -> list[Path]:
        """Write every table (CSV, UTF-8 with BOM), chart (SVG) and the explanations into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        text = folder / "explanations.txt"
        text.write_text("\n".join(self.explanations) + "\n", encoding="utf-8")
        return ([text] + [write_csv(frame, folder / f"{stem}.csv") for stem, frame in self.tables().items()]
                + [chart.save(folder / f"{stem}.svg") for stem, chart in self.charts().items()])

    def html(self) -> Markup:
        """A ``<section>`` for report.html: the sentences, charts as inline SVG, and readable tables (headers in
        the scenario's language, numbers rounded; every row of every table is in the CSV files)."""
        from ..report import section

        lang = self.scenario.language
        figures = {stem: chart.svg for stem, chart in self.charts().items()}
        parts = [_h3(t("report.sens.prices", lang)),
                 markup("<ul>{}</ul>", join(markup("<li>{}</li>", s) for s in self.explanations))]
        policies = (self.rule_prices[~self.rule_prices["identity"]] if self.rule_prices is not None
                    else pd.DataFrame())
        if len(policies):  # re-solved prices only: the first-order estimate stays in rule_prices.csv
            parts += [_h3(t("report.sens.rule_costs", lang)), _figure(figures.get("rule_prices")),
                      self._rule_costs(policies)]
        for stem, sw in zip(self._sweep_stems(), self.sweeps):
            parts += [_h3(t("report.sens.sweep", lang, parameter=parameter(self.scenario, sw.parameter))), _figure(figures[stem])]
            bp = sw.breakpoints
            if bp is not None and len(bp):
                rules = bp[bp["rules_change"]]
                parts.append(markup("<p>{}</p>", t("report.sens.breakpoints", lang, n=len(bp), m=len(rules))))
                if len(rules):
                    parts.append(self._breakpoints(rules))
            parts.append(self._sweep_table(sw))
        if self.tornado is not None and len(self.tornado):
            said = clipped_sentence(clipped_counts(self.tornado), "sensitivity.clipped.tornado", lang)
            parts += [_h3(t("report.sens.tornado", lang)), _figure(figures.get("tornado")),
                      markup("<p>{}</p>", said), self._tornado()]
        mc = self.monte_carlo
        if mc is not None:
            least = mc.units.sort_values("within_10pct").head(MC_UNITS)
            parts += [_h3(t("report.sens.monte_carlo", lang)),
                      join(markup("<p>{}</p>", line) for line in mc.summary().splitlines()),
                      _figure(figures.get("monte_carlo")), self._mc_outcome(mc),
                      markup("<p>{}</p>", t("report.sens.mc_units", lang, n=len(least))),
                      self._mc_units(least)]
            if mc.sobol is not None:
                parts += [markup("<p>{}</p>", t("report.sens.sobol", lang)), _table(mc.sobol)]
        policy = {"budget", *(r.name for r in self.scenario.rules)}  # not the capacities of populations
        limits = self.ranging[(self.ranging["what"] == RULE_LIMIT)
                              & self.ranging["rule"].map(lambda r: r.split(".")[0] in policy)
                              & (self.ranging["objective_at_lowest"] != self.ranging["objective_at_highest"])]
        if len(limits):
            shown = limits.head(HTML_RANGING_ROWS)
            more = (t("report.sens.ranging_more", lang, shown=len(shown), n=len(limits))
                    if len(limits) > len(shown) else "")
            parts += [_h3(t("report.sens.ranging", lang)),
                      markup("<p>{}{}</p>", t("report.sens.ranging_lead", lang), more),
                      self._limits(shown)]
        return section("sensitivity", t("report.sensitivity", lang), join(parts))

    # --------------------------------------------------------------------- the tables, for people
    def _objective(self) -> str:
        from .words import objective_words
        return objective_words(self.scenario)

    def _rule_costs(self, policies: pd.DataFrame) -> Markup:
        lang = self.scenario.language
        yes_no = {True: t("book.yes", lang), False: t("book.no", lang)}
        return _table({
            t("book.rule", lang): [shown(self.scenario, "rule", r) for r in policies["rule"]],
            t("book.binding", lang): policies["binding"].map(yes_no).to_numpy(),
            t("book.shadow_price", lang, objective=self._objective()): _rounded(policies["shadow_price"], 3),
            t("book.price", lang): _rounded(policies["price"], 1),
            t("book.relaxed", lang): policies["relaxed"].to_numpy(),
            t("book.price_of_step", lang): _rounded(policies["price_of_step"], 1)})

    def _sweep_table(self, sw: Sweep) -> Markup:
        lang, unit = self.scenario.language, self.scenario.money_unit
        points = sw.table
        numbers = pd.to_numeric(points["value"], errors="coerce")
        value = t("book.value_of", lang, parameter=parameter(self.scenario, sw.parameter))
        columns = {value: (numbers.reset_index(drop=True), _value) if numbers.notna().all()
                   else points["value"].to_numpy()}
        if (points["status"] != "optimal").any():
            columns[t("report.sens.status", lang)] = [
                t(f"common.status.{s}", lang) if s in ("optimal", "infeasible") else s for s in points["status"]]
        columns[t("book.objective", lang)] = _rounded(points["objective"], 0)
        columns[t("book.allocated", lang, unit=unit)] = _rounded(points["total_allocated"], 0)
        columns[t("table.persons_employed", lang)] = _rounded(points["total_outcome"], 0)
        if "shadow_price.budget" in points:
            columns[t("report.sens.budget_price", lang)] = _rounded(points["shadow_price.budget"], 3)
        return _table(columns)

    def _breakpoints(self, rules: pd.DataFrame) -> Markup:
        lang, unit = self.scenario.language, self.scenario.money_unit
        words = lambda names: t("explain.list_sep", lang).join(  # noqa: E731
            block_shown(self.scenario, n) for n in names.split(";") if n)
        return _table({
            t("report.runs.budget", lang, unit=unit): _rounded(rules["budget"], 0),
            t("book.objective", lang): _rounded(rules["objective"], 0),
            t("report.sens.price_below", lang): _rounded(rules["shadow_price_below"], 3),
            t("report.sens.price_above", lang): _rounded(rules["shadow_price_above"], 3),
            t("report.sens.starts", lang): rules["starts_binding"].map(words).to_numpy(),
            t("report.sens.stops", lang): rules["stops_binding"].map(words).to_numpy()})

    def _tornado(self) -> Markup:
        lang, tornado = self.scenario.language, self.tornado
        return _table({
            t("book.parameter", lang): [parameter(self.scenario, p) for p in tornado["parameter"]],
            t("book.low", lang): [_value(v) for v in tornado["low"]],
            t("book.high", lang): [_value(v) for v in tornado["high"]],
            **{t(f"book.objective_{side}", lang): [v if isinstance(v, str) else f"{v:,.0f}"
                                                   for v in objectives_or_statuses(tornado, side, lang)]
               for side in ("low", "high")},
            t("book.swing", lang): _rounded(tornado["swing"], 0)})

    def _mc_outcome(self, mc: MonteCarlo) -> Markup:
        lang = self.scenario.language
        outcome = mc.outcome
        names = {"objective": self._objective(), "total_outcome": t("table.persons_employed", lang)}
        return _table({
            t("report.sens.quantity", lang): [names.get(q, q) for q in outcome.index],
            t("report.sens.base", lang): _rounded(outcome["base"], 0),
            t("report.sens.mean", lang): _rounded(outcome["mean"], 0),
            t("report.sens.p05", lang): _rounded(outcome["p05"], 0),
            t("report.sens.p50", lang): _rounded(outcome["p50"], 0),
            t("report.sens.p95", lang): _rounded(outcome["p95"], 0)})

    def _mc_units(self, units: pd.DataFrame) -> Markup:
        lang, unit = self.scenario.language, self.scenario.money_unit
        money = lambda key: t("table.money", lang, what=t(key, lang), unit=unit)  # noqa: E731
        return _table({
            t("table.unit", lang): units["unit_name"].to_numpy(),
            money("report.sens.base"): _rounded(units["base_amount"], 1),
            money("report.sens.mean"): _rounded(units["mean"], 1),
            money("report.sens.p05"): _rounded(units["p05"], 1),
            money("report.sens.p95"): _rounded(units["p95"], 1),
            t("report.sens.within", lang): (units["within_10pct"].reset_index(drop=True), fixed(0, percent=True))})

    def _limits(self, limits: pd.DataFrame) -> Markup:
        lang = self.scenario.language
        return _table({
            t("book.rule", lang): [block_shown(self.scenario, r.split(".")[0]) for r in limits["rule"]],
            t("table.unit", lang): limits["unit_name"].to_numpy(),
            t("report.sens.current", lang): _rounded(limits["current"], 2),
            t("report.sens.lowest", lang): _rounded(limits["lowest"], 2),
            t("report.sens.highest", lang): _rounded(limits["highest"], 2),
            t("report.sens.objective_lowest", lang): _rounded(limits["objective_at_lowest"], 0),
            t("report.sens.objective_highest", lang): _rounded(limits["objective_at_highest"], 0)})


def _rounded(values, places: int) -> tuple[pd.Series, Format]:
    """A column of numbers with ``places`` decimals."""
    return pd.to_numeric(pd.Series(values), errors="coerce").reset_index(drop=True), fixed(places)


def _value(value) -> str:
    """A parameter's value as an official writes it (``0.36``, ``32,000``), or its text (``×0.8``)."""
    from ..numbers import fmt
    return fmt(float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _h3(heading: str) -> Markup:
    return markup("<h3>{}</h3>", heading)


def _figure(svg: Markup | None) -> Markup | str:
    return markup('<figure class="chart-box">{}</figure>', svg) if svg is not None else ""


def _table(columns: dict | pd.DataFrame) -> Markup:
    """A table for people: header → values, or ``(numbers, format)`` (:func:`_rounded`)."""
    if isinstance(columns, pd.DataFrame):
        return table(columns)
    formats = {h: c[1] for h, c in columns.items() if isinstance(c, tuple)}
    frame = pd.DataFrame({h: (c[0] if isinstance(c, tuple) else pd.Series(list(c))) for h, c in columns.items()})
    return table(frame, formats=formats)


def run_sensitivity(sc: Scenario, result: Result, progress: bool = True, *, executor: Executor | None = None,
                    workers: int | None = None) -> SensitivityReport:
    """Run what ``sc.sensitivity`` asks (rule prices, sweeps, tornado, Monte Carlo) around ``result`` (the
    solve of ``sc``), plus the sentences and ranging of ``result`` itself.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
    ...                  sensitivity={"sweeps": [{"parameter": "budget.total", "from": 5, "to": 20, "steps": 4}]})
    >>> report = run_sensitivity(sc, fa.solve(sc), progress=False)
    >>> sorted(report.tables())
    ['entry_thresholds', 'ranging_plain', 'sweep_budget_total', 'sweep_budget_total_amounts', 'sweep_budget_total_breakpoints']
    """
    report = SensitivityReport(sc, result, explain(result), ranging_table(result), entry_thresholds(result))
    spec = sc.sensitivity
    if spec is None:
        return report
    if spec.rule_prices and sc.rules:
        report.rule_prices = rule_prices(sc, result=result, progress=progress)
    for s in spec.sweeps:
        report.sweeps.append(sweep(sc, s.parameter, values=s.values, from_=s.from_, to=s.to, steps=s.steps,
                                   progress=progress))
    if spec.tornado is not None:
        report.tornado = tornado(sc, spec.tornado.parameters, spec.tornado.change, progress=progress)
    if spec.monte_carlo is not None:
        report.monte_carlo = monte_carlo(sc, progress=progress, executor=executor, workers=workers)
    return report
