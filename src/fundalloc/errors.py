"""The errors fundalloc raises; every one is a :class:`FundallocError`."""
from __future__ import annotations

from dataclasses import dataclass


class FundallocError(Exception):
    """Base class of every error fundalloc raises on purpose."""


class ScenarioError(FundallocError, ValueError):
    """The scenario or its units table is invalid.

    ``details`` lists every problem found as ``(location, message)``: the location is the key path in the
    scenario (``("measures", "labour_export", "unit_cost")``), the message names the unit id, column, row
    and bad value. ``places`` gives, for each problem, where it is (``"scenario.yaml:12"`` when the loader
    knows the line, else ``source``). ``problems`` gives them as sentences (``FILE:LINE: `key.path`: message``);
    the error's text joins them. ``source`` is the scenario file when known.

    A problem is ``(location, message)`` or ``(location, message, place)``.
    """

    def __init__(self, problems, source: str | None = None):
        items = [problems] if isinstance(problems, (str, tuple)) else list(problems)
        items = [p if isinstance(p, tuple) else ((), p) for p in items]
        self.details = [(p[0], p[1]) for p in items]
        self.places = [(p[2] if len(p) > 2 and p[2] else source) for p in items]
        self.source = source
        self.problems = [_sentence(loc, msg, place) for (loc, msg), place in zip(self.details, self.places)]
        super().__init__("\n".join(self.problems))


def _sentence(loc: tuple, msg: str, place: str | None) -> str:
    where = f"{place}: " if place else ""
    key = f"`{'.'.join(str(p) for p in loc)}`: " if loc else ""
    return f"{where}{key}{msg}"


@dataclass(frozen=True)
class Conflict:
    """One rule in a set of rules that cannot all hold.

    ``shortfall`` is how far this rule alone would have to give for the scenario to become feasible, in
    ``unit`` (the scenario's money unit or persons); ``None`` when giving way on this rule alone is not enough.
    For an entitlement (``entitlement.<measure>``), ``shortfall`` is the expected claims left unfunded and
    ``money`` (in ``money_unit``) what funding them would take.
    """

    rule: str
    shortfall: float | None
    unit: str
    units_affected: int = 0
    #: for an entitlement: the money its unfunded claims would cost
    money: float | None = None
    money_unit: str | None = None
    #: the rule as people call it (its label, "budget", "entitlement of …"), and the language of the sentence
    label: str | None = None
    language: str = "en"

    def __str__(self) -> str:
        from .catalog import t
        lang, name = self.language, self.label or self.rule
        if self.money is not None and self.shortfall is not None:
            return t("rules.conflict.entitlement", lang, what=name, money=f"{self.money:,.4g}", unit=self.money_unit,
                     persons=f"{self.shortfall:,.0f}", units=self.units_affected)
        if self.shortfall is None:
            return t("conflict.alone_not_enough", lang, rule=name)
        unit = t("table.note.persons", lang) if self.unit == "persons" else self.unit
        if self.rule == "budget":  # the budget gives way by growing
            return t("conflict.budget", lang, rule=name, amount=f"{self.shortfall:,.4g}", unit=unit)
        where = t("conflict.where", lang, n=self.units_affected) if self.units_affected > 1 else ""
        return t("conflict.give", lang, rule=name, amount=f"{self.shortfall:,.4g}", unit=unit, where=where)


class InfeasibleError(FundallocError):
    """No allocation satisfies every rule. ``conflicts`` lists the rules that cannot all hold."""

    def __init__(self, message: str, conflicts: list[Conflict] | None = None):
        self.conflicts = list(conflicts or [])
        lines = [message] + [f"  - {c}" for c in self.conflicts]
        super().__init__("\n".join(lines))


class ArgumentError(FundallocError, TypeError, ValueError):
    """An API function called with an argument it cannot use: a path or a dict where a Scenario is needed, a
    Result where a Scenario is, a list where a mapping of runs is, a run name that is not there. The message says
    what to pass instead. (Also a TypeError and a ValueError, what such calls raised before.)"""


class OutputError(FundallocError):
    """An output folder that cannot take a set of results: a file, a folder holding other files (or files added
    to an earlier set), a place that cannot be written, or one another run is writing to (CLI exit 2)."""


class SolverError(FundallocError):
    """The solver failed, stopped early or returned a status we cannot trust."""


class TimeLimitError(SolverError):
    """The solver stopped at its time limit (`solver.time_limit`, or the backend's default) without a proven
    optimum: raise the limit, or use a faster backend (CLI exit 2: the scenario's settings must change)."""
