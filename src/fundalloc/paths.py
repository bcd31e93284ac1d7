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

from .catalog import Msg, listing, msg
from .errors import ScenarioError


class PathError(ScenarioError):
    """A dotted path that does not name anything in the scenario (a :class:`ScenarioError` located at the path).
    ``reason`` says why (a catalog message); ``located`` says it with the path."""

    def __init__(self, path: str, reason: Msg):
        self.path, self.reason = path, reason
        super().__init__([(tuple(str(path).split(".")), reason)])
        self.args = (path, reason)

    @property
    def located(self) -> Msg:
        """``reason`` with the path it is about: ```budget.totl`: nothing named `totl` here; …``."""
        return msg("check.path.at", path=self.path, reason=self.reason)


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
        raise PathError(path, msg("check.path.not_set", parent=parent, key=key))
    else:
        raise PathError(path, msg("check.path.single_value", key=key))
    names = _child_names(node)
    hint = msg("check.path.one_of", names=listing(names)) if names and len(names) <= 30 else ""
    raise PathError(path, msg("check.path.nothing", key=key, hint=hint))


def expand(data: dict, path: str, units: pd.DataFrame | None = None) -> list[str]:
    """The concrete paths a path with ``*`` stands for; raises :class:`PathError` when one does not resolve."""
    parts = path.split(".")
    if not path or any(p == "" for p in parts):
        raise PathError(path, msg("check.path.form"))
    if parts[0] == "units":
        if len(parts) != 2:
            raise PathError(path, msg("check.path.units_form"))
        if units is not None:
            columns = [c for c in units.columns if c not in ("id", "name") and not str(c).startswith("_")] if parts[1] == "*" else [parts[1]]
            if parts[1].startswith("_"):
                raise PathError(path, msg("check.path.own_column", column=parts[1]))
            for c in columns:
                if c not in units.columns:
                    raise PathError(path, msg("check.column.missing", column=c, hint=""))
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
                raise PathError(path, msg("check.path.star", parent=".".join(prefix)))
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
        raise PathError(path, msg("check.path.not_fields", parent=".".join(parents)))
    return data
