"""Progress bars: tqdm's notebook widget where ipywidgets is installed, else tqdm's text bar.

``tqdm.auto`` picks the widget in any Jupyter kernel and, without ipywidgets, warns ("IProgress not found")
on every bar; the text bar shows the same progress in a notebook without the warning. ipywidgets is not a
dependency: install it for the widget.
"""
from __future__ import annotations

from functools import cache
from importlib.util import find_spec


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
