"""Money units: 元, 万元, 亿元, and figures written with their own unit ("1000 元")."""
from __future__ import annotations

import re

#: how many 元 one of each unit is
YUAN_PER_UNIT = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_MONEY = re.compile(r"^\s*([-+]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(元|万元|亿元)\s*$")


def is_money_string(text: str) -> bool:
    """True when ``text`` is a figure with a money unit, e.g. ``"1000 元"`` or ``"5 亿元"``."""
    return bool(_MONEY.match(text))


def parse_money(value: float | int | str, money_unit: str) -> float:
    """The value in ``money_unit``; a string must carry its own unit.

    >>> parse_money("1000 元", "万元")
    0.1
    >>> parse_money(2.5, "亿元")
    2.5
    """
    if isinstance(value, str):
        match = _MONEY.match(value)
        if not match:
            raise ValueError(f"{value!r} is not an amount of money; write a number or e.g. \"1000 元\", \"5 万元\", \"2 亿元\"")
        number, unit = match.groups()
        return float(number.replace(",", "").replace("_", "")) * YUAN_PER_UNIT[unit] / YUAN_PER_UNIT[money_unit]
    return float(value)
