"""Money units (元, 万元, 亿元), figures written with their own unit ("1000 元"), and numbers written as text.

Text is read the way a Chinese keyboard and Excel write it: full-width digits and punctuation are the ASCII ones
(``"１０００ 元"`` is 1000 元), thousands separators are allowed where they are unambiguous (``"60,000"``,
``"1,000 元"``: groups of exactly three digits; ``"1,5"`` is refused), and ``6e4`` is a number.
"""
from __future__ import annotations

import math
import re
import unicodedata

from .catalog import Msg, msg
from .errors import InvalidValue

#: how many 元 one of each unit is
YUAN_PER_UNIT = {"元": 1.0, "万元": 1e4, "亿元": 1e8}

#: the largest number a scenario or units table may hold. Larger ones are typing mistakes or overflow, and
#: the solvers treat numbers this size as infinite (HiGHS: coefficients ≥ 1e15 are refused, bounds ≥ 1e20 are
#: infinite), so they are refused where they are written instead of failing, or silently changing meaning,
#: in the solver.
MAX_NUMBER = 1e15

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER_TEXT = re.compile(rf"^\s*({_NUMBER})\s*$", re.ASCII)
_MONEY = re.compile(rf"^\s*({_NUMBER})\s*(元|万元|亿元)?\s*$", re.ASCII)


def plain_text(text: str) -> str:
    """``text`` with full-width letters, digits, punctuation and spaces as their ASCII forms (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", text)


def number_in_text(text: str) -> float | None:
    """The number a cell of text stands for, or None: ``"10,590"``, ``"１２０"``, ``" 6e4 "``, ``"-3.5"``.

    >>> number_in_text("10,590"), number_in_text("１２０"), number_in_text("6e4"), number_in_text("1,5")
    (10590.0, 120.0, 60000.0, None)
    """
    match = _NUMBER_TEXT.match(plain_text(text))
    return float(match.group(1).replace(",", "")) if match else None


def money_parts(text: str) -> tuple[float, str | None] | None:
    """``(number, unit)`` of a money figure written as text (``unit`` None when it has none), or None.

    >>> money_parts("1,000 元"), money_parts("60,000"), money_parts("５ 万元"), money_parts("1000 yuan")
    ((1000.0, '元'), (60000.0, None), (5.0, '万元'), None)
    """
    match = _MONEY.match(plain_text(text))
    if not match:
        return None
    return float(match.group(1).replace(",", "")), match.group(2)


def is_money_string(text: str) -> bool:
    """True when ``text`` is a figure, with or without a money unit: ``"1000 元"``, ``"5 亿元"``, ``"60,000"``."""
    return money_parts(text) is not None


def number_problem(value: float) -> Msg | None:
    """Why ``value`` cannot be a number of a scenario (not finite, or too large), or None."""
    if not math.isfinite(value):
        return msg("check.number.not_finite", value=repr(value))
    if abs(value) >= MAX_NUMBER:
        return msg("check.number.too_large", value=f"{value:g}", limit=f"{MAX_NUMBER:g}")
    return None


def parse_money(value: float | int | str, money_unit: str) -> float:
    """The value in ``money_unit``; text without a unit is in ``money_unit`` already. Text that is not money
    raises :class:`~fundalloc.errors.InvalidValue` (a ValueError) saying how to write it.

    >>> parse_money("1000 元", "万元")
    0.1
    >>> parse_money(2.5, "亿元"), parse_money("60,000", "万元")
    (2.5, 60000.0)
    """
    if isinstance(value, str):
        parts = money_parts(value)
        if parts is None:
            raise InvalidValue(msg("check.money.not_money", value=repr(value)))
        number, unit = parts
        problem = number_problem(number)
        if problem:
            raise InvalidValue(msg("check.value_problem", value=repr(value), problem=problem))
        return number * YUAN_PER_UNIT[unit or money_unit] / YUAN_PER_UNIT[money_unit]
    return float(value)
