"""Arguments of the sensitivity functions, checked where they come in: a mistake is a
:class:`~fundalloc.errors.ScenarioError` naming the argument, in the scenario's language, before anything runs."""
from __future__ import annotations

from numbers import Integral
from typing import Any

from ..catalog import listing, msg
from ..errors import ScenarioError
from ..scenario import Scenario


def whole(sc: Scenario, name: str, value: Any, least: int) -> int:
    """``value`` when it is a whole number at least ``least`` (not a fraction, a flag or text)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < least:
        raise ScenarioError([(tuple(name.split(".")), msg("sensitivity.argument.whole_at_least",
                                                           name=name.split(".")[-1], least=least, value=value))],
                            source=sc.source, language=sc.language)
    return int(value)


def one_of(sc: Scenario, name: str, value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ScenarioError([(tuple(name.split(".")), msg("sensitivity.argument.one_of", name=name.split(".")[-1],
                                                           options=listing(options), value=value))],
                            source=sc.source, language=sc.language)
    return value


def not_empty(sc: Scenario, name: str, value: Any) -> Any:
    if not value:
        raise ScenarioError([(tuple(name.split(".")), msg("sensitivity.argument.not_empty", name=name.split(".")[-1]))],
                            source=sc.source, language=sc.language)
    return value
