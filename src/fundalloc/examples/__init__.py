"""The example scenarios, shipped inside the package so they are there after a plain ``pip install``.

Each example is a folder with a ``scenario.yaml`` and its units table under ``data/``. In the repository the
folders here are links to the repository's ``examples/`` (one copy of each file); building the package copies
the files in, so an installation has them whatever the platform.

>>> import fundalloc as fa
>>> fa.examples.names()
['hebei', 'minimal']
>>> sc = fa.load_scenario(fa.examples.path("minimal"))
>>> round(fa.solve(sc).objective, 2)
498.25
"""
from __future__ import annotations

from pathlib import Path

from ..catalog import listing, msg
from ..errors import ScenarioError
from ..validation import closest

#: the folder holding one folder per example
FOLDER = Path(__file__).resolve().parent
#: every example's scenario file, inside its folder
SCENARIO_FILE = "scenario.yaml"


def names() -> list[str]:
    """The examples shipped with this installation, sorted."""
    return sorted(p.parent.name for p in FOLDER.glob(f"*/{SCENARIO_FILE}"))


def path(name: str) -> Path:
    """The scenario file of the example ``name`` (one of :func:`names`), to pass to ``load_scenario`` or the
    command line.

    >>> path("hebei").relative_to(FOLDER).as_posix()
    'hebei/scenario.yaml'
    """
    known = names()
    if name not in known:
        raise ScenarioError([(("examples",), msg("errors.api.no_example", name=repr(name), known=listing(known),
                                                 hint=closest(str(name), known)))])
    return FOLDER / name / SCENARIO_FILE
