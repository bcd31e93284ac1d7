"""Group membership and outcome weights, as boolean and float arrays over the units."""
from __future__ import annotations

import operator
from functools import cache

import numpy as np
import pandas as pd

from .scenario import Scenario
from .validation import flag_cells

_COMPARE = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt, "eq": operator.eq}


def group_masks(sc: Scenario) -> dict[str, np.ndarray]:
    """Group name → boolean array over ``sc.units`` (in the scenario's unit order)."""
    units = sc.units

    @cache
    def mask(name: str) -> np.ndarray:
        g = sc.groups[name]
        if g.column is not None:
            col = units[g.column]
            for key, op in _COMPARE.items():
                bound = getattr(g, key)
                if bound is not None:
                    if isinstance(bound, str):
                        return (col.astype(str) == bound).to_numpy()
                    return op(pd.to_numeric(col, errors="coerce").to_numpy(dtype=float), float(bound))
            return flag_cells(col)[0]
        if g.any_ is not None:
            return np.logical_or.reduce([mask(m) for m in g.any_] + [np.zeros(len(units), bool)])
        if g.all_ is not None:
            return np.logical_and.reduce([mask(m) for m in g.all_] + [np.ones(len(units), bool)])
        if g.not_ is not None:
            return ~mask(g.not_)
        return units["id"].isin(g.ids).to_numpy()

    return {name: mask(name) for name in sc.groups}


def unit_weights(sc: Scenario, masks: dict[str, np.ndarray]) -> np.ndarray:
    """How much one person employed counts in each unit: the weights of its groups combined by ``max``
    (default) or ``product``; 1 in no weighted group."""
    combine = sc.weights.get("combine", "max")
    n = len(sc.units)
    stacked = [np.where(masks[g], float(w), np.nan) for g, w in sc.weights.items() if g != "combine"]
    if not stacked:
        return np.ones(n)
    table = np.vstack(stacked)
    inside = ~np.isnan(table)
    if combine == "product":
        return np.prod(np.where(inside, table, 1.0), axis=0)
    return np.where(inside.any(axis=0), np.nanmax(np.where(inside, table, -np.inf), axis=0), 1.0)


def group_labels(masks: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Per unit, the names of the groups it is in joined by ``;`` (for tables)."""
    return membership_labels(list(masks), np.vstack(list(masks.values())) if masks else np.zeros((0, n), bool))


def membership_labels(names: list[str], table: np.ndarray) -> np.ndarray:
    """Per column of a (names × units) boolean table, the names whose row is true, joined by ``;``.

    One string per distinct pattern, not per unit:
    >>> membership_labels(["a", "b"], np.array([[True, False, True], [True, False, False]])).tolist()
    ['a;b', '', 'a']
    """
    if len(names) == 0:
        return np.full(table.shape[1], "", dtype=object)
    if len(names) < 63:  # each pattern as the bits of one integer: a 1-D unique, fast for a million units
        bits = (table.astype(np.int64) << np.arange(len(names), dtype=np.int64)[:, None]).sum(axis=0)
        codes, inverse = np.unique(bits, return_inverse=True)
        patterns = (codes[:, None] >> np.arange(len(names))) & 1
    else:
        patterns, inverse = np.unique(table.T, axis=0, return_inverse=True)
    labels = np.array([";".join(np.asarray(names)[row.astype(bool)]) for row in patterns], dtype=object)
    return labels[inverse.ravel()]
