"""Optional dependencies (the extras): import them where needed, with a message that says how to install."""
from __future__ import annotations

import importlib
from types import ModuleType

from .catalog import Text, msg
from .errors import FundallocError


class MissingDependency(FundallocError):
    """Something asked for needs a package this installation lacks."""


def require(module: str, extra: str, purpose: Text | str) -> ModuleType:
    """Import ``module`` or explain which extra brings it (``purpose``: what needs it, e.g. an option).

    >>> require("json", "test", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise MissingDependency(msg("errors.missing_package", purpose=purpose, package=package, extra=extra)) from None
