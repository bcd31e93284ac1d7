"""The errors fundalloc raises; every one is a :class:`FundallocError`.

An error keeps its words as catalog messages (:class:`~fundalloc.catalog.Msg`) and shows them in its
``language``: the scenario's once it is known (the loader, the solver and the command line set it, see
:func:`speaking`), else English. ``err.in_language("zh")`` gives the text in another language::

    >>> from fundalloc.catalog import msg
    >>> err = ScenarioError([(("budget", "total"), msg("check.budget.not_positive", value=-800), "s.yaml:9")])
    >>> print(err)
    s.yaml:9: `budget.total`: the budget must be more than 0, not -800
    >>> print(err.in_language("zh"))
    s.yaml:9：`budget.total`：预算必须大于 0，而不是 -800
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from .catalog import Text, render, t


class Spoken:
    """An exception or warning whose ``message`` is a catalog message (or plain text): ``str()`` shows it in
    ``language`` (None: not known yet, shown in English), ``in_language(lang)`` in another."""

    def __init__(self, message: Text | str = "", *, language: str | None = None):
        super().__init__(message)
        self.message, self.language = message, language

    def in_language(self, lang: str | None) -> str:
        """The text in ``lang`` (``zh`` or ``en``)."""
        return render(self.message, lang)

    def __str__(self) -> str:
        return self.in_language(self.language)


class FundallocError(Spoken, Exception):
    """Base class of every error fundalloc raises on purpose."""


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Errors raised inside whose language is not known yet are shown in ``lang`` (a scenario's language)."""
    try:
        yield
    except FundallocError as err:
        if err.language is None:
            err.language = lang
        raise


class InvalidValue(ValueError):
    """A value a validator refuses, with its reason as a catalog message (pydantic passes it on; the message is
    rendered in the scenario's language when the error is shown)."""

    def __init__(self, message: Text):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return render(self.message)


def reason(err: BaseException) -> Text | str:
    """What a caught ValueError says: its catalog message when it is an :class:`InvalidValue`, else its text."""
    return err.message if isinstance(err, InvalidValue) else str(err)


class ScenarioError(FundallocError, ValueError):
    """The scenario or its units table is invalid.

    ``details`` lists every problem found as ``(location, message)``: the location is the key path in the
    scenario (``("measures", "labour_export", "unit_cost")``), the message (a catalog message) names the unit id,
    column, row and bad value. ``places`` gives, for each problem, where it is (``"scenario.yaml:12"`` when the
    loader knows the line, else ``source``). ``problems`` gives them as sentences (``FILE:LINE: `key.path`:
    message``) in the error's language; the error's text joins them. ``source`` is the scenario file when known.

    A problem is ``(location, message)`` or ``(location, message, place)``.
    """

    def __init__(self, problems, source: str | None = None, *, language: str | None = None):
        items = [problems] if isinstance(problems, (str, tuple, Text)) else list(problems)
        items = [p if isinstance(p, tuple) else ((), p) for p in items]
        super().__init__(language=language)
        self.details = [(p[0], p[1]) for p in items]
        self.places = [(p[2] if len(p) > 2 and p[2] else source) for p in items]
        self.source = source

    @property
    def problems(self) -> list[str]:
        """Each problem as a sentence, in the error's language."""
        return self.sentences(self.language)

    def sentences(self, lang: str | None) -> list[str]:
        """Each problem as a sentence in ``lang``."""
        return [sentence(loc, message, place, lang) for (loc, message), place in zip(self.details, self.places)]

    def in_language(self, lang: str | None) -> str:
        return "\n".join(self.sentences(lang))


def sentence(loc: tuple, message: Text | str, place: str | None, lang: str | None) -> str:
    """``FILE:LINE: `key.path`: message`` in ``lang`` (without the parts not known)."""
    where = t("errors.where.place", lang, place=place) if place else ""
    key = t("errors.where.key", lang, key=".".join(str(p) for p in loc)) if loc else ""
    return f"{where}{key}{render(message, lang)}"


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

    def render(self, lang: str | None = None) -> str:
        """The conflict in words, in ``lang`` (default: the conflict's language)."""
        lang, name = lang or self.language, self.label or self.rule
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

    def __str__(self) -> str:
        return self.render()


class InfeasibleError(FundallocError):
    """No allocation satisfies every rule. ``conflicts`` lists the rules that cannot all hold."""

    def __init__(self, message: Text | str, conflicts: list[Conflict] | None = None, *,
                 language: str | None = None):
        super().__init__(message, language=language)
        self.args = (message, conflicts)
        self.conflicts = list(conflicts or [])

    def in_language(self, lang: str | None) -> str:
        return "\n".join([render(self.message, lang)] + [f"  - {c.render(lang)}" for c in self.conflicts])


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


__all__ = ["ArgumentError", "Conflict", "FundallocError", "InfeasibleError", "InvalidValue", "OutputError",
           "ScenarioError", "SolverError", "TimeLimitError", "reason", "sentence", "speaking"]
