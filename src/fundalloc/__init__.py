"""fundalloc: divide an employment-subsidy budget across counties and measures with a linear programme
an analyst can read, rerun, stress and explain.

>>> import fundalloc as fa
>>> sc = fa.load_scenario("examples/minimal/scenario.yaml")   # doctest: +SKIP
>>> fa.solve(sc).summary()                                    # doctest: +SKIP
"""
from importlib import import_module

from .errors import (ArgumentError, Conflict, FundallocError, InfeasibleError, OutputError, ScenarioError, SolverError,
                     TimeLimitError)
from .program import Program, build
from .result import Result
from .scenario import Scenario
from .solve import solve

__version__ = "0.1.0"

# the heavier parts load on first use
_LAZY = {
    "load_scenario": "loader",
    "sweep": "sensitivity", "tornado": "sensitivity", "monte_carlo": "sensitivity",
    "rule_prices": "sensitivity", "Sweep": "sensitivity", "MonteCarlo": "sensitivity",
    "factor_allocation": "baseline", "compare": "baseline",
    "allocation_table": "notice_table",
}


#: subpackages reached as attributes (``fa.examples.path("hebei")``), imported on first use
_SUBPACKAGES = ("examples",)


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _SUBPACKAGES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'fundalloc' has no attribute {name!r}")


__all__ = ["ArgumentError", "Conflict", "FundallocError", "InfeasibleError", "OutputError", "Program", "Result",
           "Scenario", "ScenarioError", "SolverError", "TimeLimitError", "build", "solve", *_LAZY, *_SUBPACKAGES]
