"""Sensitivity analysis an analyst can act on: what each rule costs, what one more 万元 buys, which counties
are on the edge, how sure the numbers are.

- :func:`explain`, :func:`ranging_table`, :func:`entry_thresholds`: from one solve (shadow prices, reduced costs,
  ranging) in plain words;
- :func:`rule_prices`: the objective with each rule removed or loosened, beside its shadow price;
- :func:`sweep` → :class:`Sweep`: one parameter over values, re-solved warm (budget breakpoints exact);
- :func:`tornado`: each parameter ± a change, one at a time, sorted by swing;
- :func:`monte_carlo` → :class:`MonteCarlo`: random draws on any ``concurrent.futures`` executor, the same
  numbers for a seed whatever the executor; Sobol indices through SALib;
- :func:`run_sensitivity` → :class:`SensitivityReport`: whatever the scenario's ``sensitivity:`` asks, with
  CSV files, SVG charts and an HTML fragment.
"""
from .local import entry_thresholds, explain, ranging_table
from .montecarlo import MonteCarlo, monte_carlo
from .oneway import tornado, tornado_chart
from .params import scaled
from .prices import rule_prices, rule_prices_chart
from .runner import SensitivityReport, run_sensitivity
from .sweeps import Sweep, sweep

__all__ = ["MonteCarlo", "SensitivityReport", "Sweep", "entry_thresholds", "explain", "monte_carlo", "ranging_table",
           "rule_prices", "rule_prices_chart", "run_sensitivity", "scaled", "sweep", "tornado", "tornado_chart"]
