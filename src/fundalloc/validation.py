"""Checking a scenario: its units table, pydantic's findings in the analyst's words, and the checks across
fields (names and columns that must exist, numbers the table must hold)."""
from __future__ import annotations

import difflib
import re
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from . import paths
from .errors import ScenarioError
from .money import is_money_string
from .scenario import ALL, ColumnTimes, Group, Product, Scenario, UnitBounds, _Model



_NORMALISED = "fundalloc.normalised"  # a DataFrame attrs flag: ids checked and sorted already


def normalise_units(units: pd.DataFrame) -> pd.DataFrame:
    if units.attrs.get(_NORMALISED) and units["id"].is_monotonic_increasing and units["id"].is_unique:
        return units  # a scenario's own table (from with_changes): checking it again would change nothing
    missing = [c for c in ("id", "name") if c not in units.columns]
    if missing:
        raise ScenarioError([(("units",), f"the units table needs columns `id` and `name`; missing {missing} "
                              f"(columns: {list(units.columns)[:20]})")])
    units = units.reset_index(drop=True).copy()
    problems = []
    if len(units) == 0:
        problems.append((("units",), "the units table has no rows"))
    ids = units["id"]
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    for row in np.flatnonzero(blank.to_numpy())[:5]:
        problems.append((("units", "id"), f"row {row + 1}: empty unit id"))
    ids = ids.map(_id_text)
    dupes = ids[ids.duplicated(keep=False) & ~blank]
    for uid in dict.fromkeys(dupes):
        rows = [int(r) + 1 for r in np.flatnonzero((ids == uid).to_numpy())]
        problems.append((("units", "id"), f"unit id {uid!r} appears more than once (rows {rows})"))
    if problems:
        raise ScenarioError(problems)
    units["id"] = ids
    units["name"] = units["name"].fillna("").astype(str)
    if "_row" not in units.columns:  # the row in the table as given, for messages
        units["_row"] = np.arange(1, len(units) + 1)
    units = units.sort_values("id", kind="stable").reset_index(drop=True)
    units.attrs[_NORMALISED] = True
    return units


def _id_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def pydantic_problems(err: ValidationError) -> list[tuple[tuple, str]]:
    errors = err.errors(include_url=False)
    # a value that fits no branch of a union (`float | str | Product`) fails once per branch: say it once, and
    # not at all when one branch matched its shape and failed deeper inside (a mapping with a wrong key)
    def mismatch(e):
        return _is_branch(tuple(map(str, e["loc"]))) and (e["type"] in _WANTED or e["type"] == "literal_error")

    deeper = {clean[:n] for e in errors if not mismatch(e)
              for clean in [_clean_loc(tuple(map(str, e["loc"])))] for n in range(len(clean))}
    out, mismatches = [], {}
    for e in errors:
        loc = tuple(str(p) for p in e["loc"])
        clean, msg = _clean_loc(loc), e["msg"].removeprefix("Value error, ")
        if mismatch(e):
            if clean not in deeper:
                mismatches.setdefault(clean, (e["input"], []))[1].append(_WANTED.get(e["type"], msg))
            continue
        if e["type"] == "extra_forbidden":
            msg = f"unknown key `{loc[-1]}`"
        elif e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            tags = sorted(_RULE_TAGS) if clean[:1] == ("rules",) else []
            tag = e.get("ctx", {}).get("tag")
            known = f" (the types are {', '.join(tags)})" if tags else ""
            msg = (f"unknown type `{tag}`{closest(str(tag), tags)}{known}" if tag is not None
                   else f"give a `type`{known}")
        elif "input" in e and e["type"] not in ("missing", "value_error") and not isinstance(e["input"], (dict, list)):
            msg = f"{msg} (got {e['input']!r})"
        out.append((clean, msg))
    for clean, (value, wanted) in mismatches.items():
        words = list(dict.fromkeys(w.removeprefix("Input should be ") for w in wanted))
        either = ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else words[0]
        out.append((clean, f"should be {either} (got {value!r})"))
    return out


_WANTED = {"float_type": "a number", "float_parsing": "a number", "int_type": "a whole number",
           "int_parsing": "a whole number", "string_type": "text", "bool_type": "true or false",
           "bool_parsing": "true or false", "list_type": "a list", "dict_type": "a mapping",
           "model_type": "a mapping", "model_attributes_type": "a mapping"}

_RULE_TAGS = {"pool", "coverage", "group_share", "per_capita_tilt", "hold_harmless", "unit_bounds", "earmark",
              "min_coverage_rate"}


def _is_branch_name(part: str) -> bool:
    """Whether a location part is pydantic's name for a union branch (`float`, `list[Step]`, `Product`)."""
    return part in ("float", "int", "str", "bool") or "[" in part or "(" in part or part in _model_names()


def _is_branch(loc: tuple) -> bool:
    return bool(loc) and _is_branch_name(loc[-1])


def _model_names() -> set[str]:
    todo, names = [_Model], set()
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-branch names from a location (`measures.x.unit_cost.Product.product` → ...)."""
    out = []
    for i, part in enumerate(loc):
        if _is_branch_name(part):
            continue
        if part in _RULE_TAGS and i >= 2 and loc[0] == "rules":
            continue
        out.append(part)
    return tuple(out)


def closest(word: str, options) -> str:
    """ '; did you mean `x`?' when an option is close to ``word``."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean `{match[0]}`?" if match else ""


def truthy(values: pd.Series) -> np.ndarray:
    """A boolean flag column read leniently: numbers ≠ 0, booleans, and true/yes/是/y/1 as text."""
    if values.dtype == bool:
        return values.to_numpy()
    if pd.api.types.is_numeric_dtype(values):
        return values.fillna(0).to_numpy() != 0
    text = values.fillna("").astype(str).str.strip().str.lower()
    return text.isin(["true", "yes", "y", "1", "是", "t", "x", "✓"]).to_numpy()


def numeric_column(units: pd.DataFrame, column: str, loc: tuple, problems: list, *, non_negative: bool = True,
                   positive: bool = False) -> np.ndarray | None:
    """The column as floats, or None with problems naming the unit, row and bad value."""
    if column not in units.columns:
        others = [c for c in units.columns if not str(c).startswith("_")]
        if re.match(r"\s*[-+]?\.?\d", column):  # meant as money, but not written as money
            problems.append((loc, f"{column!r} is neither money (write e.g. \"1000 元\", \"5 万元\", \"2 亿元\") nor "
                                  f"a column of the units table"))
        else:
            problems.append((loc, f"the units table has no column `{column}`{closest(column, others)}"))
        return None
    raw = units[column]
    if raw.dtype == bool:
        return raw.to_numpy(dtype=float)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if non_negative:
        bad |= values < 0
    if positive:
        bad |= values <= 0
    if bad.any():
        need = "a positive number" if positive else ("a number at least 0" if non_negative else "a number")
        for i in np.flatnonzero(bad)[:5]:
            where = f"row {units['_row'].iat[i]}"
            if "_location" in units.columns:  # set by the loader: the file and line the row came from
                where += f", {units['_location'].iat[i]}"
            value = f"empty cell; need {need}" if pd.isna(raw.iat[i]) else f"{_plain(raw.iat[i])!r} is not {need}"
            problems.append((loc, f"column `{column}`, {where} (unit {units['id'].iat[i]} "
                                  f"{units['name'].iat[i]}): {value}"))
        if bad.sum() > 5:
            problems.append((loc, f"column `{column}`: {int(bad.sum()) - 5} more bad values"))
        return None
    return values


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for (so messages read `-3`, not `np.int64(-3)`)."""
    return value.item() if isinstance(value, np.generic) else value


def cross_check(sc: Scenario) -> list[tuple[tuple, str]]:
    """Checks across fields: names and columns that must exist, numbers the table must hold."""
    problems: list[tuple[tuple, str]] = []
    units = sc.units
    group_names = set(sc.groups)
    measure_names = list(sc.measures)

    def need_group(name, loc):
        if name not in group_names:
            problems.append((loc, f"no group named `{name}`{closest(name, group_names)}"))

    def need_measures(ms, loc):
        if ms == ALL:
            return
        if not ms:
            problems.append((loc, "name at least one measure (or `all`)"))
        for m in ms:
            if m not in sc.measures:
                problems.append((loc, f"no measure named `{m}`{closest(m, measure_names)}"))

    checked: set = set()

    def need_column(col, loc, **kw):
        key = (col, tuple(sorted(kw.items())))
        if key not in checked:  # a column used by several rules is checked (and reported) once
            checked.add(key)
            numeric_column(units, col, loc, problems, **kw)

    for gname, g in sc.groups.items():
        loc = ("groups", gname)
        for ref in g.references():
            need_group(ref, loc)
        if g.column is not None:
            if g.column not in units.columns:
                need_column(g.column, loc + ("column",))
            elif any(v is not None for v in (g.ge, g.gt, g.le, g.lt)) or isinstance(g.eq, (int, float)):
                need_column(g.column, loc + ("column",), non_negative=False)
        if g.ids is not None:
            unknown = sorted(set(g.ids) - set(units["id"]))
            if unknown:
                problems.append((loc + ("ids",), f"unit ids not in the units table: {unknown[:10]}"))
    problems += [(("groups",), msg) for msg in _group_cycles(sc.groups)]

    for key, w in sc.weights.items():
        loc = ("weights", key)
        if key == "combine":
            if w not in ("max", "product"):
                problems.append((loc, f"`combine` is `max` or `product`, not {w!r}"))
        elif key not in group_names:
            problems.append((loc, f"no group named `{key}`{closest(key, group_names)}"))
        elif isinstance(w, str) or not w > 0:
            problems.append((loc, f"a weight is a number above 0, not {w!r}"))

    if sc.budget is None:
        if sc.objective.type != "min_cost":
            problems.append((("budget",), "a budget is needed (only `min_cost` works without one)"))
    else:
        try:
            total = sc.money(sc.budget.total)
            if not total > 0 or not np.isfinite(total):
                problems.append((("budget", "total"), f"the budget must be more than 0, not {sc.budget.total!r}"))
        except ValueError as err:
            problems.append((("budget", "total"), str(err)))

    population_names = list(sc.populations)

    def need_population(name, loc):
        if name not in sc.populations:
            problems.append((loc, f"no population named `{name}`{closest(name, population_names)}"
                                  + ("" if population_names else " (declare it under `populations:`)")))
            return False
        return True

    for pname in sc.populations:
        pop = sc.population(pname)
        loc = ("populations", pname)
        need_column(pop.column, loc + (("column",) if not isinstance(sc.populations[pname], str) else ()))
        if pop.within is not None and need_population(pop.within, loc + ("within",)):
            chain = [pname]
            while chain[-1] in sc.populations and sc.population(chain[-1]).within is not None \
                    and len(chain) <= len(sc.populations):
                chain.append(sc.population(chain[-1]).within)
            if chain.count(pname) > 1:
                problems.append((loc + ("within",), f"populations are within each other in a circle: "
                                                    f"{' → '.join(chain)}"))

    for mname, m in sc.measures.items():
        loc = ("measures", mname)
        for pname in m.from_ or []:
            need_population(pname, loc + ("from",))
        if m.from_ is not None and len(set(m.from_)) != len(m.from_):
            problems.append((loc + ("from",), "a population is named twice"))
        if m.from_ is not None and not m.from_:
            problems.append((loc + ("from",), "name at least one population (or leave `from` out)"))
        if isinstance(m.effectiveness, str):
            need_column(m.effectiveness, loc + ("effectiveness",))
        for field in ("full_time_equivalent", "demand"):
            value = getattr(m, field)
            if isinstance(value, str):
                need_column(value, loc + (field,), positive=field == "full_time_equivalent")
            elif isinstance(value, ColumnTimes):
                need_column(value.column, loc + (field, "column"))
        if isinstance(m.hours, str):
            need_column(m.hours, loc + ("hours",), positive=True)
        elif isinstance(m.hours, ColumnTimes):
            need_column(m.hours.column, loc + ("hours", "column"), positive=True)
        cost = m.unit_cost
        if isinstance(cost, str) and not is_money_string(cost):
            need_column(cost, loc + ("unit_cost",), positive=True)
        elif isinstance(cost, Product):
            for item in cost.product:
                if isinstance(item, str) and not is_money_string(item):
                    need_column(item, loc + ("unit_cost", "product"), positive=True)
                elif isinstance(item, (int, float)) and not item > 0:
                    problems.append((loc + ("unit_cost", "product"), f"factors must be above 0, not {item}"))
        cap = m.capacity
        if isinstance(cap, str):
            need_column(cap, loc + ("capacity",))
        elif isinstance(cap, ColumnTimes):
            need_column(cap.column, loc + ("capacity", "column"))
        if cap is None and len(m.steps()) > 1:
            problems.append((loc + ("effectiveness",), "steps split the capacity, so give the measure a `capacity`"))
        if m.hourly_wage is not None:
            need_column(m.hourly_wage, loc + ("hourly_wage",), positive=True)
        if (m.hourly_wage is None) != (m.hours is None):
            problems.append((loc, "`hours` and `hourly_wage` go together"))

    seen: dict[str, int] = {}
    for i, rule in enumerate(sc.rules):
        loc = ("rules", rule.name)
        if rule.name in seen or rule.name == "budget":
            why = "is reserved for the budget" if rule.name == "budget" else f"is used by rule {seen[rule.name] + 1} too"
            problems.append((("rules", str(i)), f"rule name `{rule.name}` {why}; give each rule its own `name`"))
        seen.setdefault(rule.name, i)
        if rule.where is not None:
            need_group(rule.where, loc + ("where",))
        for field in ("measures",):
            if hasattr(rule, field):
                need_measures(getattr(rule, field), loc + (field,))
        for field in ("group",):
            if hasattr(rule, field):
                need_group(getattr(rule, field), loc + (field,))
        if isinstance(getattr(rule, "column", None), str):
            need_column(rule.column, loc + ("column",))
        population = getattr(rule, "population", None)
        if population is not None:
            if rule.type == "per_capita_tilt":  # a column, or a named population's column
                if population not in sc.populations:
                    need_column(population, loc + ("population",))
            elif need_population(population, loc + ("population",)) and rule.measures != ALL:
                drawing = [m for m in rule.measures
                           if m in sc.measures and set(sc.measures[m].from_ or []) & set(sc.population_members(population))]
                if not drawing:
                    problems.append((loc + ("measures",), f"none of these measures draws from `{population}` "
                                                          f"(or a population within it): give them `from`"))
        for reference in rule.references if rule.type == "group_share" else []:
            if reference == "baseline":
                if sc.baseline is None:
                    problems.append((loc + ("min",), "`min: baseline` is the factor formula's share: give the "
                                                     "scenario a `baseline:` section"))
            else:
                need_column(reference, loc + ("min",))
        if isinstance(rule, UnitBounds):
            for field in ("min", "max"):
                b = getattr(rule, field)
                if isinstance(b, str) and not is_money_string(b):
                    need_column(b, loc + (field,))
                elif isinstance(b, ColumnTimes):
                    need_column(b.column, loc + (field, "column"))
                elif isinstance(b, (int, float)) and b < 0:
                    problems.append((loc + (field,), f"must be at least 0, not {b}"))

    obj = sc.objective
    if obj.type == "max_min_coverage":
        if obj.need is None:
            problems.append((("objective", "need"), "`max_min_coverage` needs `need`: the column coverage is measured against"))
        else:
            need_column(obj.need, ("objective", "need"))
    need_measures(obj.measures, ("objective", "measures"))
    if obj.targets is not None:
        for g in obj.targets.groups:
            need_group(g, ("objective", "targets", "groups", g))
    if obj.type == "min_cost" and obj.targets is None:
        problems.append((("objective", "targets"), "`min_cost` needs `targets` (the outcome to reach)"))
    toward, loc = obj.tie_break.toward, ("objective", "tie_break", "toward")
    if toward == "baseline" and sc.baseline is None:
        problems.append((loc, "`baseline` needs the scenario's `baseline:` section (the factor formula)"))
    elif toward not in ("auto", "baseline", "equal", "none"):
        values = numeric_column(units, toward, loc, problems)
        if values is not None and not values.sum() > 0:
            problems.append((loc, f"column `{toward}` is 0 in every unit, so it cannot be scaled to the budget"))

    if sc.baseline is not None:
        for col in sc.baseline.factors:
            need_column(col, ("baseline", "factors", col))
        for kname, k in sc.baseline.classes.items():
            for col in k.factors:
                need_column(col, ("baseline", "classes", kname, "factors", col))
        if sc.baseline.base is not None:
            need_column(sc.baseline.base, ("baseline", "base"))
        for g in sc.baseline.tilt:
            need_group(g, ("baseline", "tilt", g))
        if sc.baseline.hold_harmless is not None:
            need_column(sc.baseline.hold_harmless.column, ("baseline", "hold_harmless", "column"))

    data = None
    def check_path(path, loc):
        nonlocal data
        data = sc.to_dict() if data is None else data
        try:
            paths.expand(data, path, units)
        except paths.PathError as err:
            problems.append((loc, err.reason if path in loc else str(err)))

    for vname, changes in sc.variants.items():
        unsafe = folder_name_problem(vname)
        if vname in ("base", "factor"):
            unsafe = ("`base` and `factor` name the scenario as written and the factor formula in the outputs "
                      "and their folders; rename the variant")
        if unsafe:
            problems.append((("variants", vname), f"variant name {vname!r}: {unsafe}"))
        if not isinstance(changes, dict):
            problems.append((("variants", vname), "a variant is a mapping of dotted paths to values"))
            continue
        for path in changes:
            check_path(str(path), ("variants", vname, str(path)))
    if sc.sensitivity is not None:
        for i, sw in enumerate(sc.sensitivity.sweeps):
            check_path(sw.parameter, ("sensitivity", "sweeps", str(i), "parameter"))
        if sc.sensitivity.tornado is not None:
            for p in sc.sensitivity.tornado.parameters:
                check_path(p, ("sensitivity", "tornado", "parameters", p))
        if sc.sensitivity.monte_carlo is not None:
            for p in sc.sensitivity.monte_carlo.parameters:
                check_path(p, ("sensitivity", "monte_carlo", "parameters", p))
    return problems


#: a name that becomes a folder of the output set: letters of any script, digits, `_`, `-` and inner spaces
_FOLDER_NAME = re.compile(r"^\w[\w\- ]*$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_FOLDER_NAME = 64


def folder_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a folder of the output set (a variant's results go in ``--out/<name>/``), or None.

    >>> folder_name_problem("budget_cut") is None, folder_name_problem("削减10%")
    (True, "it names the variant's folder in the results, so use letters, digits, `_`, `-` and spaces only (no `%`)")
    >>> folder_name_problem("../../x")
    "it names the variant's folder in the results, so use letters, digits, `_`, `-` and spaces only (no `.`)"
    """
    why = "it names the variant's folder in the results, so "
    if not isinstance(name, str) or not name.strip():
        return why + "it cannot be empty"
    if len(name) > MAX_FOLDER_NAME:
        return why + f"keep it to {MAX_FOLDER_NAME} characters"
    if not _FOLDER_NAME.match(name) or name != name.strip():
        bad = next((c for c in name if not (c.isalnum() or c in "_- ")), None)
        shown = f" (no `{bad}`)" if bad is not None and bad.isprintable() else ""
        return why + f"use letters, digits, `_`, `-` and spaces only{shown}"
    if name.lower() in _RESERVED:
        return why + "pick another name (this one is reserved)"
    return None


def _group_cycles(groups: dict[str, Group]) -> list[str]:
    problems, state = [], {}

    def visit(name, trail):
        if state.get(name) == "done" or name not in groups:
            return
        if state.get(name) == "open":
            problems.append(f"groups are defined in a circle: {' → '.join(trail + [name])}")
            return
        state[name] = "open"
        for ref in groups[name].references():
            visit(ref, trail + [name])
        state[name] = "done"

    for name in groups:
        visit(name, [])
    return problems
