"""Numbers as an official writes them, in every sentence fundalloc shows a person."""
from __future__ import annotations

import math

import numpy as np


def fmt(value: float, lang: str | None = None) -> str:
    """A number as an official would write it: 212, 4.5, 0.0123, 12,345; an infinite one as "no limit" (in
    ``lang``).

    >>> [fmt(v) for v in (212.0, 4.5, 0.01234, 12345.6, -3.0)]
    ['212', '4.5', '0.0123', '12,346', '−3']
    >>> fmt(float("inf"), "zh")
    '无限'
    """
    if not np.isfinite(value):
        from .catalog import t
        return ("" if value > 0 else "−") + t("common.no_limit", lang)
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 1000:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:,.1f}".removesuffix(".0")
    elif size >= 1:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    return text.replace("-", "−")


def signed(value: float) -> str:
    """A change with its sign and three significant digits: ``+0.93``, ``−12.3``, ``+1,234``.

    >>> signed(0.9312), signed(-12.34), signed(0)
    ('+0.931', '−12.3', '±0')
    """
    if value == 0 or not math.isfinite(value):
        return "±0" if value == 0 else str(value)
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{abs(value):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("+" if value > 0 else "−") + text


def percent(share: float) -> str:
    """A share as a percentage to three figures: a round limit stays round, a reference share keeps its tenth.

    >>> percent(0.45), percent(0.43641), percent(0.05)
    ('45%', '43.6%', '5%')
    """
    return f"{100 * share:.3g}%"
