"""Optional dependencies (the extras): import them where needed, with a message that says how to install."""
from __future__ import annotations

import importlib
from types import ModuleType

from .errors import FundallocError


class MissingDependency(FundallocError):
    """Something asked for needs a package this installation lacks."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or explain which extra brings it.

    >>> require("json", "test", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise MissingDependency(f"{purpose} needs the package `{package}`: pip install 'fundalloc[{extra}]'") from None
