"""A run with no allocation, written in place of its result: the diagnosis (the rules that cannot all hold, and
how far each alone would have to give) as text, as data in ``summary.json``, and as a report page. So one
infeasible variant never costs the runs that solve.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .backends.base import INFEASIBLE
from .catalog import t
from .errors import Conflict, InfeasibleError
from .markup import Markup, join, markup
from .result import versions
from .scenario import Scenario

#: the file that holds the diagnosis in an infeasible run's folder
DIAGNOSIS_FILE = "infeasible.txt"


class InfeasibleRun:
    """A scenario (or one of its variants) that no allocation satisfies.

    ``scenario``, ``variant``, ``error`` (the :class:`~fundalloc.errors.InfeasibleError`) and its
    ``conflicts``. ``write_files(folder)`` writes ``infeasible.txt`` (the diagnosis in words),
    ``summary.json`` (``status: "infeasible"``, the keys of a solved run's summary with ``null`` where there
    is no allocation, and ``conflicts`` as data) and ``report.html``.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50], "last": [10, 10]})
    >>> sc = fa.Scenario(units=units, budget={"total": 12},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
    ...                  rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1}])
    >>> try:
    ...     fa.solve(sc)
    ... except fa.InfeasibleError as err:
    ...     run = InfeasibleRun(sc, err)
    >>> summary = run.summary_dict()
    >>> summary["status"], summary["objective"], sorted(c["rule"] for c in summary["conflicts"])
    ('infeasible', None, ['budget', 'hold_harmless'])
    """

    status = INFEASIBLE

    def __init__(self, scenario: Scenario, error: InfeasibleError, *, variant: str | None = None):
        self.scenario, self.error, self.variant = scenario, error, variant

    @property
    def conflicts(self) -> list[Conflict]:
        return self.error.conflicts

    @property
    def title(self) -> str:
        """The scenario's name, with the variant's in brackets (as a result's summary starts)."""
        return self.scenario.name + (f" [{self.variant}]" if self.variant else "")

    def diagnosis(self) -> list[str]:
        """The diagnosis in words: the headline, then one line per conflicting rule."""
        lang = self.scenario.language
        lines = [t("runs.infeasible.head", lang, run=self.title)]
        if self.conflicts:
            lines += [t("runs.infeasible.conflicts", lang)] + [f"  - {c}" for c in self.conflicts]
        else:
            lines.append(t("runs.infeasible.none_found", lang))
        return lines

    def summary(self) -> str:
        return "\n".join(self.diagnosis())

    def html(self) -> Markup:
        """The diagnosis as an HTML fragment."""
        head, *rest = self.diagnosis()
        if not self.conflicts:
            return join(markup("<p>{}</p>", line) for line in (head, *rest))
        items = join(markup("<li>{}</li>", c) for c in self.conflicts)
        return markup("<p><strong>{}</strong></p><p>{}</p><ul>{}</ul>", head, rest[0], items)

    def _repr_html_(self) -> str:
        return str(self.html())

    def __repr__(self) -> str:
        return self.summary()

    def summary_dict(self) -> dict:
        """The content of ``summary.json``: a solved run's keys, ``null`` where there is no allocation."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "variant": self.variant,
            "status": self.status,
            "objective": None,
            "objective_type": sc.objective.type,
            "money_unit": sc.money_unit,
            "budget": sc.money(sc.budget.total) if sc.budget is not None else None,
            "total_allocated": None,
            "total_outcome": None,
            "money_by_group": None,
            "shadow_prices": None,
            "binding_rules": None,
            "solver": None,
            "timings": None,
            "versions": versions(),
            "input_sha256": dict(sc.inputs),
            "message": str(self.error).splitlines()[0],
            "conflicts": [dataclasses.asdict(c) for c in self.conflicts],
        }

    def write_files(self, folder: Path, *, report: bool = True) -> None:
        """Write ``infeasible.txt``, ``summary.json`` and (unless ``report=False``) ``report.html`` into an
        existing folder."""
        folder = Path(folder)
        (folder / DIAGNOSIS_FILE).write_text(self.summary() + "\n", encoding="utf-8")
        (folder / "summary.json").write_text(json.dumps(self.summary_dict(), ensure_ascii=False, indent=2),
                                             encoding="utf-8")
        if report:
            from .report import write_report
            write_report(self, folder / "report.html")
