"""Dotted paths: the one way to name a parameter of a scenario.

``budget.total``, ``rules.tilt.min`` (rules are addressed by name), ``measures.labour_export.unit_cost``,
``units.COLUMN`` (a column of the units table) and ``*`` over names (``measures.*.effectiveness``).
Paths work on the plain-dict form of a scenario (``Scenario.to_dict()``); the units table is addressed
separately because it is a DataFrame.
"""
from __future__ import annotations

import copy
from typing import Any

import pandas as pd

from .errors import ScenarioError


class PathError(ScenarioError):
    """A dotted path that does not name anything in the scenario (a :class:`ScenarioError` located at the path)."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__([(tuple(str(path).split(".")), reason)])


def _child_names(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [str(k) for k in node]
    if isinstance(node, list):
        return [str(item.get("name")) for item in node if isinstance(item, dict)]
    return []


def _child(node: Any, key: str, path: str) -> Any:
    if isinstance(node, dict):
        if key in node:
            return node[key]
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and item.get("name") == key:
                return item
    elif node is None:
        parent = path.split(f".{key}")[0] if f".{key}" in path else path
        raise PathError(path, f"`{parent}` is not set, so it has no `{key}` yet; set `{parent}` as a whole "
                              f"(e.g. --set '{parent}={{{key}: ...}}')")
    else:
        raise PathError(path, f"`{key}` cannot be looked up inside a single value")
    names = _child_names(node)
    hint = f"; one of: {', '.join(names)}" if names and len(names) <= 30 else ""
    raise PathError(path, f"nothing named `{key}` here{hint}")


def expand(data: dict, path: str, units: pd.DataFrame | None = None) -> list[str]:
    """The concrete paths a path with ``*`` stands for; raises :class:`PathError` when one does not resolve."""
    parts = path.split(".")
    if not path or any(p == "" for p in parts):
        raise PathError(path, "a dotted path is names joined by dots, e.g. `budget.total`")
    if parts[0] == "units":
        if len(parts) != 2:
            raise PathError(path, "a units path is `units.COLUMN`")
        if units is not None:
            columns = [c for c in units.columns if c not in ("id", "name") and not str(c).startswith("_")] if parts[1] == "*" else [parts[1]]
            if parts[1].startswith("_"):
                raise PathError(path, f"`{parts[1]}` is fundalloc's own column of the units table; it cannot be changed")
            for c in columns:
                if c not in units.columns:
                    raise PathError(path, f"the units table has no column `{c}`")
            return [f"units.{c}" for c in columns]
        return [path]
    if len(parts) == 1 and parts[0] != "*" and parts[0] not in data:
        return [path]  # a whole top-level section the scenario leaves out (e.g. `sensitivity`): the schema checks it
    found = [([], data)]
    for part in parts:
        nxt = []
        for prefix, node in found:
            keys = _child_names(node) if part == "*" else [part]
            if part == "*" and not keys:
                raise PathError(path, f"`*` stands for names, but `{'.'.join(prefix)}` has none")
            for key in keys:
                child = _child(node, key, path)
                nxt.append((prefix + [key], child))
        found = nxt
    # a wildcard may meet members that lack the last key (a measure without `capacity`): skip those
    return [".".join(p) for p, value in found if value is not None or "*" not in parts]


def get(data: dict, path: str) -> Any:
    """The value at a concrete path."""
    node = data
    for part in path.split("."):
        node = _child(node, part, path)
    return node


def set_value(data: dict, path: str, value: Any) -> dict:
    """A deep copy of ``data`` with the value at ``path`` replaced (the parent must exist)."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = _child(node, part, path)
    if isinstance(node, dict):
        node[last] = value
    else:
        raise PathError(path, f"`{'.'.join(parents)}` holds a single value, not named fields")
    return data
