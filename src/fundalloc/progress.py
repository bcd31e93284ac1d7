"""Progress bars: tqdm's notebook widget where ipywidgets is installed, else tqdm's text bar.

``tqdm.auto`` picks the widget in any Jupyter kernel and, without ipywidgets, warns ("IProgress not found")
on every bar; the text bar shows the same progress in a notebook without the warning. ipywidgets is not a
dependency: install it for the widget.

The steps of a big run (build, solve rounds, tables, writing) show one bar (:class:`Steps`); runs small enough
to take under about two seconds show none, and ``progress=False`` (the command line's ``--quiet``) none at all.
"""
from __future__ import annotations

from functools import cache
from importlib.util import find_spec

#: from this many units a run's steps take seconds each (benchmarks/README.md), so they show a bar
PROGRESS_MIN_UNITS = 50_000


def progress_bar(*args, **kwargs):
    """A tqdm bar (same arguments as ``tqdm.tqdm``), the widget only when it can be drawn."""
    return _bar_class()(*args, **kwargs)


@cache
def _bar_class():
    if find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


def wanted(progress: bool | None, n_units: int) -> bool:
    """``progress`` as given, or (None) whether the run is big enough to show bars.

    >>> wanted(None, 100), wanted(None, 200_000), wanted(False, 200_000)
    (False, True, False)
    """
    return n_units >= PROGRESS_MIN_UNITS if progress is None else bool(progress)


class Steps:
    """One bar over named steps: ``with Steps(["build", "solve"], lang, show) as bar: bar.step("build")``;
    ``bar.detail(text)`` shows what the current step is doing (a decomposition round)."""

    def __init__(self, keys: list[str], lang: str | None, show: bool):
        self.lang = lang
        self.bar = progress_bar(total=len(keys), disable=not show, leave=False, unit="step",
                                bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| {elapsed}{postfix}")
        self.started = False

    def step(self, key: str) -> None:
        from .catalog import t

        if self.started:
            self.bar.update()
        self.started = True
        self.bar.set_description_str(t(f"solver.progress.{key}", self.lang))
        self.bar.set_postfix_str("")

    def detail(self, text: str) -> None:
        self.bar.set_postfix_str(text)

    def __enter__(self) -> "Steps":
        return self

    def __exit__(self, *exc) -> None:
        if self.started and exc[0] is None:
            self.bar.update()
        self.bar.close()
