"""Run what a scenario's ``sensitivity:`` section asks for, and write it: CSV, SVG charts, an HTML fragment."""
from __future__ import annotations

import html
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..charts import Chart
from ..result import Result
from ..scenario import Scenario
from ..tables import plain_number, write_csv
from .local import entry_thresholds, explain, ranging_table
from .prices import rule_prices, rule_prices_chart
from .montecarlo import MonteCarlo, monte_carlo
from .oneway import clipped_counts, tornado, tornado_chart
from .words import clipped_sentence
from .sweeps import Sweep, sweep


#: the HTML shows at most this many rows of the ranging of rule limits
HTML_RANGING_ROWS = 40


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

    def html(self) -> str:
        """An HTML fragment (a ``<section>``): the sentences, charts as inline SVG, and the tables."""
        figures = {stem: chart.svg for stem, chart in self.charts().items()}
        parts = ['<section class="fundalloc-sensitivity">', "<h2>Sensitivity</h2>",
                 "<h3>What this allocation's prices say</h3>",
                 "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in self.explanations) + "</ul>"]
        policies = (self.rule_prices[~self.rule_prices["identity"]] if self.rule_prices is not None
                    else pd.DataFrame())
        if len(policies):  # re-solved prices only: the first-order estimate stays in rule_prices.csv
            parts += ["<h3>What each policy rule costs</h3>", _figure(figures.get("rule_prices")),
                      _table(policies[["rule", "type", "binding", "shadow_price", "price", "relaxed",
                                       "price_of_step"]])]
        for stem, sw in zip(self._sweep_stems(), self.sweeps):
            parts += [f"<h3>Sweep of <code>{html.escape(sw.parameter)}</code></h3>", _figure(figures[stem])]
            bp = sw.breakpoints
            if bp is not None and len(bp):
                rules = bp[bp["rules_change"]]
                parts.append(f"<p>The objective's slope changes at {len(bp)} budgets; the set of binding rules "
                             f"changes at {len(rules)} of them:</p>")
                if len(rules):
                    parts.append(_table(rules[["budget", "objective", "shadow_price_below", "shadow_price_above",
                                               "starts_binding", "stops_binding"]]))
            columns = [c for c in sw.table.columns if c != "binding_rules"]
            parts.append(_table(sw.table[columns]))
        if self.tornado is not None and len(self.tornado):
            said = clipped_sentence(clipped_counts(self.tornado), "sensitivity.clipped.tornado",
                                    self.scenario.language)
            parts += ["<h3>Tornado</h3>", _figure(figures.get("tornado")), f"<p>{html.escape(said)}</p>",
                      _table(self.tornado)]
        mc = self.monte_carlo
        if mc is not None:
            parts += ["<h3>Monte Carlo</h3>",
                      "".join(f"<p>{html.escape(line)}</p>" for line in mc.summary().splitlines()),
                      _figure(figures.get("monte_carlo")),
                      _table(mc.outcome.reset_index(names="quantity")),
                      "<p>The units least sure of their money:</p>",
                      _table(mc.units.sort_values("within_10pct").head(15).reset_index())]
            if mc.sobol is not None:
                parts.append(_table(mc.sobol))
        limits = self.ranging[(self.ranging["what"] == "rule limit")
                              & (self.ranging["objective_at_lowest"] != self.ranging["objective_at_highest"])]
        if len(limits):
            shown = limits.head(HTML_RANGING_ROWS)
            more = (f" The first {len(shown)} of {len(limits)} are shown; ranging_plain.csv has them all."
                    if len(limits) > len(shown) else "")
            parts += ["<h3>How far each binding limit can move with the same prices</h3>",
                      f"<p>Within these ranges the shadow prices above stay valid.{more}</p>",
                      _table(shown.drop(columns=["measure", "step"]))]
        parts.append("</section>")
        return "\n".join(p for p in parts if p)


def _figure(svg: str | None) -> str:
    return f'<figure class="fundalloc-chart">{svg}</figure>' if svg is not None else ""


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, classes="fundalloc-table", na_rep="", float_format=plain_number)


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
