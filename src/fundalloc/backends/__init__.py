"""Solver backends behind one small interface: ``solve(program) -> Solution`` and warm ``resolve``."""
from __future__ import annotations

from ..catalog import msg
from ..errors import InvalidValue
from .base import Backend, Solution


def get_backend(name: str, **options) -> Backend:
    """The backend called ``name`` (``highs`` or ``pulp``)."""
    if name == "highs" and options.get("method") == "decomposition":
        from ..decomposition import DecompositionBackend
        return DecompositionBackend(**options)
    if name == "highs":
        from .highs import HighsBackend
        return HighsBackend(**options)
    if name == "pulp":
        from .pulp import PulpBackend
        return PulpBackend(**options)
    raise InvalidValue(msg("errors.solver.unknown_backend", name=repr(name)))


__all__ = ["Backend", "Solution", "get_backend"]
