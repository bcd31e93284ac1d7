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
from .catalog import Joined, Msg, either, listing, msg
from .errors import InvalidValue, ScenarioError
from .money import MAX_NUMBER, is_money_string, number_in_text, plain_text
from .scenario import ALL, ColumnTimes, Group, Product, Scenario, UnitBounds, _Model



def normalise_units(units: pd.DataFrame) -> pd.DataFrame:
    """A copy of a units table checked and put in the scenario's form: ids as text, unique and sorted; names as
    text; numbers written as text (``"10,590"``, ``"１２０"``) as numbers; ``_row`` the row as given."""
    missing = [c for c in ("id", "name") if c not in units.columns]
    if missing:
        raise ScenarioError([(("units",), msg("check.units.needs_id_name", missing=listing(missing),
                                              columns=listing(map(str, list(units.columns)[:20]))))])
    problems = [(("units",), msg("check.units.column_twice", name=c))
                for c in dict.fromkeys(units.columns[units.columns.duplicated()])]
    if problems:
        raise ScenarioError(problems)
    units = units.reset_index(drop=True).copy()
    if len(units) == 0:
        problems.append((("units",), msg("check.units.no_rows")))
    ids = units["id"]
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    for row in np.flatnonzero(blank.to_numpy())[:5]:
        problems.append((("units", "id"), msg("check.units.empty_id", row=row + 1)))
    ids = ids.map(as_text)
    dupes = ids[ids.duplicated(keep=False) & ~blank]
    for uid in dict.fromkeys(dupes):
        rows = [int(r) + 1 for r in np.flatnonzero((ids == uid).to_numpy())]
        problems.append((("units", "id"), msg("check.units.id_twice", id=repr(uid), rows=listing(map(str, rows)))))
    if problems:
        raise ScenarioError(problems)
    units["id"] = ids
    units["name"] = units["name"].fillna("").astype(str)
    units = numeric_text_as_numbers(units, [c for c in units.columns if c not in ("id", "name", "_location")])
    if "_row" not in units.columns:  # the row in the table as given, for messages
        units["_row"] = np.arange(1, len(units) + 1)
    return units.sort_values("id", kind="stable").reset_index(drop=True)


def numeric_text_as_numbers(units: pd.DataFrame, columns: list) -> pd.DataFrame:
    """``units`` with each of ``columns`` that holds only numbers and blanks, some of them written as text
    (``"10,590"``, ``"１２０"``), as a column of floats; columns of text stay as they are."""
    for column in columns:
        values = units[column]
        if not pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
            numbers = numbers_in(values, text_means_none=True)
            if numbers is not None and not np.isnan(numbers).all():
                units[column] = numbers
    return units


def numbers_in(values: pd.Series, *, text_means_none: bool = False) -> np.ndarray | None:
    """The cells of a column as floats (NaN where a cell is blank or not a number). Text is read as a person
    writes numbers: ``"10,590"``, ``"１２０"``, ``"6e4"`` (see :func:`fundalloc.money.number_in_text`); ``true``
    and ``false`` are not numbers. ``text_means_none``: None as soon as one cell is text that is not a number
    (a column of names, not of numbers).
    """
    if values.dtype == bool:
        return None if text_means_none else np.full(len(values), np.nan)
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float, na_value=np.nan)
    if text_means_none:  # a column of names shows it in its first cell: do not read a million of them
        first = next((c for c in values.iloc[:1000] if not (c is None or (isinstance(c, float) and np.isnan(c))
                                                          or str(c).strip() == "")), None)
        if isinstance(first, (bool, np.bool_)) or (isinstance(first, str) and number_in_text(first) is None):
            return None
    cells = values.to_numpy(dtype=object)
    flags = np.fromiter((isinstance(c, (bool, np.bool_)) for c in cells), bool, len(cells))
    out = pd.to_numeric(pd.Series(np.where(flags, None, cells)), errors="coerce").to_numpy(dtype=float,
                                                                                          na_value=np.nan).copy()
    for i in np.flatnonzero(np.isnan(out) & ~flags):  # text pandas cannot read, and blanks
        cell = cells[i]
        number = number_in_text(cell) if isinstance(cell, str) else None
        if number is not None:
            out[i] = number
        elif text_means_none and not (cell is None or pd.isna(cell) or str(cell).strip() == ""):
            return None
    if text_means_none and flags.any():
        return None
    return out


def shown(value: Any) -> str:
    """A value of the scenario as a message shows it: text quoted, a whole number without ``.0``.

    >>> shown(-800.0), shown(0.45), shown("800 万")
    ('-800', '0.45', "'800 万'")
    """
    return repr(value) if isinstance(value, str) else as_text(value)


def as_text(v: Any) -> str:
    """A cell as the text it shows: ``130125.0`` (a code read as a float) → ``"130125"``."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def pydantic_problems(err: ValidationError) -> list[tuple[tuple, Msg]]:
    """pydantic's findings as problems in the analyst's words (catalog messages), located by key path."""
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
        clean = _clean_loc(loc)
        if mismatch(e):
            if clean not in deeper:
                wanted = mismatches.setdefault(clean, (e["input"], []))[1]
                want = _wanted(e)
                if want not in wanted:
                    wanted.append(want)
            continue
        out.append((clean, _pydantic_message(e, loc, clean)))
    for clean, (value, wanted) in mismatches.items():
        out.append((clean, msg("check.should_be", either=either(wanted), value=repr(value))))
    return out


def _pydantic_message(e: dict, loc: tuple, clean: tuple) -> Msg:
    """One of pydantic's findings (not a union's mismatch) as a catalog message."""
    kind, ctx, value = e["type"], e.get("ctx", {}), e.get("input")
    if kind == "value_error" and isinstance(ctx.get("error"), InvalidValue):
        return ctx["error"].message
    if kind == "missing":
        return msg("check.required")
    if kind == "extra_forbidden":
        return msg("check.unknown_key", key=loc[-1])
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return msg("check.not_mapping", value=repr(value))
    if kind == "too_short":
        least, has = ctx["min_length"], ctx.get("actual_length")
        return msg("check.empty") if least == 1 else msg("check.too_few", has=has, least=least)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = sorted(_RULE_TAGS) if clean[:1] == ("rules",) else []
        tag = ctx.get("tag")
        known = msg("check.rule_type.known", types=listing(tags)) if tags else ""
        return (msg("check.rule_type.unknown", tag=tag, hint=closest(str(tag), tags), known=known)
                if tag is not None else msg("check.rule_type.missing", known=known))
    if kind in _LIMITS:
        key, limit = _LIMITS[kind]
        return msg(key, limit=shown(ctx[limit]), value=repr(value))
    if kind == "literal_error":
        return msg("check.one_of", expected=_literals(ctx["expected"]), value=repr(value))
    if kind in _WANTED:
        return msg("check.should_be", either=_wanted(e), value=repr(value))
    text = e["msg"].removeprefix("Value error, ")  # a finding no entry words yet: pydantic's own words
    if "input" in e and kind != "value_error" and not isinstance(value, (dict, list)):
        return msg("check.got", text=msg("check.pydantic", text=text), value=repr(value))
    return msg("check.pydantic", text=text)


def _wanted(e: dict) -> Msg:
    """What a value that failed one branch of a union should have been (`a number`, `'min' or 'max'`)."""
    if e["type"] == "literal_error":
        return msg("check.want.literal", expected=_literals(e["ctx"]["expected"]))
    return msg(_WANTED[e["type"]])


def _literals(expected: str) -> Joined:
    """pydantic's ``"'a', 'b' or 'c'"`` as the alternatives of the reader's language."""
    return either(re.split(r", | or ", expected))


_WANTED = {"float_type": "check.want.number", "float_parsing": "check.want.number",
           "finite_number": "check.want.finite_number", "int_type": "check.want.whole_number",
           "int_parsing": "check.want.whole_number", "int_from_float": "check.want.whole_number",
           "string_type": "check.want.text", "bool_type": "check.want.flag", "bool_parsing": "check.want.flag",
           "list_type": "check.want.list", "dict_type": "check.want.mapping", "model_type": "check.want.mapping",
           "model_attributes_type": "check.want.mapping"}
_LIMITS = {"greater_than": ("check.more_than", "gt"), "greater_than_equal": ("check.at_least", "ge"),
           "less_than": ("check.less_than", "lt"), "less_than_equal": ("check.at_most", "le")}

_RULE_TAGS = {"pool", "coverage", "group_share", "region_share", "per_capita_tilt", "hold_harmless", "unit_bounds",
              "earmark", "min_coverage_rate"}


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


def closest(word: str, options) -> Msg | str:
    """ '; did you mean `x`?' when an option is close to ``word`` (else nothing).

    >>> closest("budgte", ["budget", "name"]).render("zh"), closest("zzz", ["budget"])
    ('；是否指 `budget`？', '')
    """
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return msg("check.did_you_mean", match=match[0]) if match else ""


#: what a flag cell may hold (compared after NFKC, so full-width `１` is `1`, and lower-cased); the numbers 1 and 0,
#: true/false and blank-free cells only: anything else, a blank included, is reported with its row
FLAG_WORDS = {True: ("1", "true", "yes", "y", "t", "x", "✓", "√", "是"),
              False: ("0", "false", "no", "n", "f", "否")}
_FLAG_TEXT = {word: value for value, words in FLAG_WORDS.items() for word in words}


def flag_cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 flag column read strictly: ``(in the group, cell not understood)`` as boolean arrays.

    Booleans, the numbers 0 and 1, and the words of :data:`FLAG_WORDS` are understood; a blank, ``2``, ``0.5``
    or ``真`` is not (an unknown value must never silently mean "not in the group").

    >>> inside, bad = flag_cells(pd.Series(["1", "１", "是", "否", "", "真", 0]))
    >>> inside.tolist(), bad.tolist()
    ([True, True, True, False, False, False, False], [False, False, False, False, True, True, False])
    """
    if values.dtype == bool:
        return values.to_numpy(), np.zeros(len(values), bool)
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        return numbers == 1, ~np.isin(numbers, (0.0, 1.0))
    inside, bad = np.zeros(len(values), bool), np.zeros(len(values), bool)
    for i, cell in enumerate(values.to_numpy(dtype=object)):
        if isinstance(cell, (bool, np.bool_)):
            inside[i] = bool(cell)
        elif isinstance(cell, (int, float, np.number)) and cell in (0, 1):
            inside[i] = cell == 1
        elif isinstance(cell, str) and plain_text(cell).strip().lower() in _FLAG_TEXT:
            inside[i] = _FLAG_TEXT[plain_text(cell).strip().lower()]
        elif isinstance(cell, str) and number_in_text(cell) in (0.0, 1.0):
            inside[i] = number_in_text(cell) == 1.0
        else:
            bad[i] = True
    return inside, bad


def row_locations(path: str, kind: str, numbers, sheet: str | None = None) -> list[str]:
    """Where each row of a table file is, for the ``_location`` column the loader adds: ``kind`` is ``line``
    (a CSV line), ``record`` (a CSV record, when lines cannot be followed), ``sheet`` (a row of an .xlsx sheet) or
    ``row`` (of a .parquet table). Kept as data, shown in the reader's language by :func:`row_place`.

    >>> row_place(row_locations("data/counties.csv", "line", [3])[0]).render("zh")
    'data/counties.csv 第 3 行'
    """
    tail = _SEP + path + (_SEP + sheet if sheet is not None else "")
    return [f"{kind}{_SEP}{n}{tail}" for n in numbers]


def row_place(location: str) -> Msg:
    """A location of :func:`row_locations` as words (``data/counties.csv line 3``)."""
    kind, n, path, *sheet = location.split(_SEP)
    return msg(f"check.row.{kind}", path=path, n=n, sheet=sheet[0] if sheet else "")


_SEP = "\x1f"  # the ASCII unit separator: no file or sheet name holds it


def _where(units: pd.DataFrame, i: int) -> Msg:
    """Row ``i`` of the table for a message: its row number, file and line, unit id and name."""
    place = msg("check.row.in_file", place=row_place(units["_location"].iat[i])) if "_location" in units.columns \
        else ""  # the loader sets `_location`: the file and line the row came from
    return msg("check.row.unit", row=units["_row"].iat[i], place=place, id=units["id"].iat[i],
               name=units["name"].iat[i])


def flag_column(units: pd.DataFrame, column: str, loc: tuple, problems: list) -> np.ndarray | None:
    """A group's 0/1 column as booleans, or None with a problem for every cell that is not a flag."""
    inside, bad = flag_cells(units[column])
    if not bad.any():
        return inside
    words = {value: "/".join(f"`{w}`" for w in FLAG_WORDS[value][:3] + FLAG_WORDS[value][-1:]) for value in FLAG_WORDS}
    write = msg("check.flag.write", yes=words[True], no=words[False])
    for i in np.flatnonzero(bad)[:5]:
        raw = units[column].iat[i]
        value = msg("check.cell.empty") if raw is None or (not isinstance(raw, str) and pd.isna(raw)) \
            or str(raw).strip() == "" else msg("check.flag.not_flag", value=repr(_plain(raw)))
        problems.append((loc, msg("check.flag.cell", column=column, where=_where(units, i), value=value, write=write)))
    if bad.sum() > 5:
        problems.append((loc, msg("check.flag.more", column=column, n=int(bad.sum()) - 5)))
    return None


def _no_column(units: pd.DataFrame, column: str, loc: tuple, problems: list, *, flags: bool) -> None:
    """The problem of a column the table does not have, with a suggestion of the same kind: a yes/no column for a
    group, a column of counts or amounts for a number (never a 0/1 flag in place of last year's money)."""
    if re.match(r"\s*[-+]?\.?\d", column):  # meant as money, but not written as money
        problems.append((loc, msg("check.column.nor_money", value=repr(column))))
        return
    def kind_fits(values: pd.Series) -> bool:  # a sample is enough to suggest
        inside, bad = flag_cells(values.iloc[:1000])
        return not bad.any() if flags else bad.any() or inside.all() or not inside.any()

    others = [c for c in units.columns if not str(c).startswith("_") and c not in ("id", "name") and kind_fits(units[c])]
    problems.append((loc, msg("check.column.missing", column=column, hint=closest(column, others))))


def numeric_column(units: pd.DataFrame, column: str, loc: tuple, problems: list, *, non_negative: bool = True,
                   positive: bool = False) -> np.ndarray | None:
    """The column as floats, or None with problems naming the unit, row and bad value."""
    if column not in units.columns:
        _no_column(units, column, loc, problems, flags=False)
        return None
    raw = units[column]
    if raw.dtype == bool:
        problems.append((loc, msg("check.column.flags", column=column)))
        return None
    values = numbers_in(raw)
    bad = ~np.isfinite(values) | (np.abs(values) >= MAX_NUMBER)
    if non_negative:
        bad |= values < 0
    if positive:
        bad |= values <= 0
    if bad.any():
        need = msg("check.need.positive" if positive else "check.need.non_negative" if non_negative
                   else "check.want.number")
        for i in np.flatnonzero(bad)[:5]:
            cell = raw.iat[i]
            if not isinstance(cell, str) and pd.isna(cell):
                value = msg("check.cell.empty_need", need=need)
            elif np.isfinite(values[i]) and abs(values[i]) >= MAX_NUMBER:
                value = msg("check.number.too_large", value=repr(_plain(cell)), limit=f"{MAX_NUMBER:g}")
            else:
                value = msg("check.cell.not", value=repr(_plain(cell)), need=need)
            problems.append((loc, msg("check.cell", column=column, where=_where(units, i), value=value)))
        if bad.sum() > 5:
            problems.append((loc, msg("check.cell.more", column=column, n=int(bad.sum()) - 5)))
        return None
    return values


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for (so messages read `-3`, not `np.int64(-3)`)."""
    return value.item() if isinstance(value, np.generic) else value


def cross_check(sc: Scenario) -> list[tuple[tuple, Msg]]:
    """Checks across fields: names and columns that must exist, numbers the table must hold."""
    problems: list[tuple[tuple, str]] = []
    units = sc.units
    group_names = set(sc.groups)
    measure_names = list(sc.measures)

    def need_group(name, loc):
        if name not in group_names:
            problems.append((loc, msg("check.no_group", name=name, hint=closest(name, group_names))))

    def need_measures(ms, loc):
        if ms == ALL:
            return
        if not ms:
            problems.append((loc, msg("check.measures.none")))
        for m in ms:
            if m not in sc.measures:
                problems.append((loc, msg("check.no_measure", name=m, hint=closest(m, measure_names))))

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
                _no_column(units, g.column, loc + ("column",), problems, flags=g.eq is None and all(
                    v is None for v in (g.ge, g.gt, g.le, g.lt)))
            elif any(v is not None for v in (g.ge, g.gt, g.le, g.lt)) or isinstance(g.eq, (int, float)):
                need_column(g.column, loc + ("column",), non_negative=False)
            elif g.eq is None:
                flag_column(units, g.column, loc + ("column",), problems)
        if g.ids is not None:
            unknown = sorted(set(g.ids) - set(units["id"]))
            if unknown:
                problems.append((loc + ("ids",), msg("check.group.unknown_ids", ids=listing(unknown[:10]))))
    problems += [(("groups",), cycle) for cycle in _group_cycles(sc.groups)]

    for key, w in sc.weights.items():
        loc = ("weights", key)
        if key == "combine":
            if w not in ("max", "product"):
                problems.append((loc, msg("check.weights.combine", value=repr(w))))
        elif key not in group_names:
            problems.append((loc, msg("check.no_group", name=key, hint=closest(key, group_names))))
        elif isinstance(w, str) or not w > 0:
            problems.append((loc, msg("check.weights.not_positive", value=repr(w))))

    if sc.budget is None:
        if sc.objective.type != "min_cost":
            problems.append((("budget",), msg("check.budget.needed")))
    else:
        try:
            total = sc.money(sc.budget.total)
            if not total > 0 or not np.isfinite(total):
                problems.append((("budget", "total"), msg("check.budget.not_positive", value=shown(sc.budget.total))))
        except InvalidValue as err:
            problems.append((("budget", "total"), err.message))

    population_names = list(sc.populations)

    def need_population(name, loc):
        if name not in sc.populations:
            problems.append((loc, msg("check.no_population", name=name, hint=closest(name, population_names),
                                      declare="" if population_names else msg("check.population.declare"))))
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
                problems.append((loc + ("within",), msg("check.population.circle", chain=" → ".join(chain))))

    for mname, m in sc.measures.items():
        loc = ("measures", mname)
        for pname in m.from_ or []:
            need_population(pname, loc + ("from",))
        if m.from_ is not None and len(set(m.from_)) != len(m.from_):
            problems.append((loc + ("from",), msg("check.from.twice")))
        if m.from_ is not None and not m.from_:
            problems.append((loc + ("from",), msg("check.from.empty")))
        if isinstance(m.effectiveness, str):
            need_column(m.effectiveness, loc + ("effectiveness",))
            values = pd.to_numeric(units[m.effectiveness], errors="coerce") if m.effectiveness in units else None
            highest = float(values.max()) if values is not None and values.notna().any() else 0.0
        else:
            highest = max(step.value for step in m.steps())
        if highest > m.max_effectiveness:  # persons employed per person funded: a physical bound
            problems.append((loc + ("effectiveness",), msg("sensitivity.bounds.effectiveness_above_max", value=highest,
                                                           most=m.max_effectiveness)))
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
                    problems.append((loc + ("unit_cost", "product"), msg("check.product.not_positive", value=item)))
        cap = m.capacity
        if isinstance(cap, str):
            need_column(cap, loc + ("capacity",))
        elif isinstance(cap, ColumnTimes):
            need_column(cap.column, loc + ("capacity", "column"))
        if cap is None and len(m.steps()) > 1:
            problems.append((loc + ("effectiveness",), msg("check.steps.need_capacity")))
        if m.hourly_wage is not None:
            need_column(m.hourly_wage, loc + ("hourly_wage",), positive=True)
        if (m.hourly_wage is None) != (m.hours is None):
            problems.append((loc, msg("check.hours_and_wage")))

    seen: dict[str, int] = {}
    for i, rule in enumerate(sc.rules):
        loc = ("rules", rule.name)
        if rule.name in seen or rule.name == "budget":
            why = msg("check.rule.name_budget") if rule.name == "budget" else \
                msg("check.rule.name_used", n=seen[rule.name] + 1)
            problems.append((("rules", str(i)), msg("check.rule.name", name=rule.name, why=why)))
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
                    problems.append((loc + ("measures",), msg("check.rule.none_draws", population=population)))
        if (getattr(rule, "per_region", False) or rule.type == "region_share") and sc.region is None:
            what = "`region_share`" if rule.type == "region_share" else "`per_region: true`"
            problems.append((loc + (("type",) if rule.type == "region_share" else ("per_region",)),
                             msg("check.rule.needs_regions", what=what)))
        for reference in getattr(rule, "references", []):
            if reference == "baseline":
                if sc.baseline is None:
                    problems.append((loc + ("min",), msg("check.rule.min_baseline")))
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
                    problems.append((loc + (field,), msg("check.at_least", limit=0, value=b)))

    obj = sc.objective
    if obj.type == "max_min_coverage":
        if obj.need is None:
            problems.append((("objective", "need"), msg("check.objective.need")))
        else:
            need = numeric_column(units, obj.need, ("objective", "need"), problems)
            if need is not None and not (need > 0).any():
                problems.append((("objective", "need"), msg("check.objective.need_zero", column=obj.need)))
    need_measures(obj.measures, ("objective", "measures"))
    if obj.targets is not None:
        for g in obj.targets.groups:
            need_group(g, ("objective", "targets", "groups", g))
    if obj.type == "min_cost" and obj.targets is None:
        problems.append((("objective", "targets"), msg("check.objective.targets")))
    toward, loc = obj.tie_break.toward, ("objective", "tie_break", "toward")
    if toward == "baseline" and sc.baseline is None:
        problems.append((loc, msg("check.tie_break.baseline")))
    elif toward not in ("auto", "baseline", "equal", "none"):
        values = numeric_column(units, toward, loc, problems)
        if values is not None and not values.sum() > 0:
            problems.append((loc, msg("check.tie_break.zero", column=toward)))

    if sc.region is not None:
        problems += _region_problems(units, sc.region)
    for column in sc.columns:  # words for a column the table does not have are a typo
        if column not in units.columns:
            _no_column(units, column, ("columns", column), problems, flags=False)

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
        data = sc.dotted_data() if data is None else data
        try:
            paths.expand(data, path, units)
        except paths.PathError as err:
            problems.append((loc, err.reason if path in loc else err.located))

    for vname, changes in sc.variants.items():
        unsafe = folder_name_problem(vname)
        if vname in ("base", "factor"):
            unsafe = msg("check.variant.reserved")
        if unsafe:
            problems.append((("variants", vname), msg("check.variant.name", name=repr(vname), why=unsafe)))
        if not isinstance(changes, dict):
            problems.append((("variants", vname), msg("check.variant.not_mapping")))
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


def _region_problems(units: pd.DataFrame, column: str) -> list[tuple[tuple, Msg]]:
    """The region column must exist and name a region for every unit."""
    loc = ("units", "region")
    if column not in units.columns or column.startswith("_"):
        others = [c for c in units.columns if not str(c).startswith("_")]
        return [(loc, msg("check.region.missing", column=column, hint=closest(column, others)))]
    values = units[column]
    blank = (values.isna() | (values.map(lambda v: as_text(v) if not pd.isna(v) else "") == "")).to_numpy()
    problems = [(loc, msg("check.cell", column=column, where=_where(units, i), value=msg("check.region.empty")))
                for i in np.flatnonzero(blank)[:5]]
    if blank.sum() > 5:
        problems.append((loc, msg("check.region.more", column=column, n=int(blank.sum()) - 5)))
    return problems


#: a name that becomes a folder of the output set: letters of any script, digits, `_`, `-` and inner spaces
_FOLDER_NAME = re.compile(r"^\w[\w\- ]*$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_FOLDER_NAME = 64


def folder_name_problem(name: str) -> Msg | None:
    """Why ``name`` cannot be a folder of the output set (a variant's results go in ``--out/<name>/``), or None.

    >>> folder_name_problem("budget_cut") is None, str(folder_name_problem("削减10%"))
    (True, "it names the variant's folder in the results, so use letters, digits, `_`, `-` and spaces only (no `%`)")
    >>> folder_name_problem("../../x").render("zh")
    '它是结果中该变体方案的文件夹名，因此只能使用字母、数字、`_`、`-` 和空格（不能有 `.`）'
    """
    if not isinstance(name, str) or not name.strip():
        return msg("check.folder.empty")
    if len(name) > MAX_FOLDER_NAME:
        return msg("check.folder.too_long", most=MAX_FOLDER_NAME)
    if not _FOLDER_NAME.match(name) or name != name.strip():
        bad = next((c for c in name if not (c.isalnum() or c in "_- ")), None)
        shown = msg("check.folder.no_char", char=bad) if bad is not None and bad.isprintable() else ""
        return msg("check.folder.letters", shown=shown)
    if name.lower() in _RESERVED:
        return msg("check.folder.reserved")
    return None


def _group_cycles(groups: dict[str, Group]) -> list[Msg]:
    problems, state = [], {}

    def visit(name, trail):
        if state.get(name) == "done" or name not in groups:
            return
        if state.get(name) == "open":
            problems.append(msg("check.group.circle", chain=" → ".join(trail + [name])))
            return
        state[name] = "open"
        for ref in groups[name].references():
            visit(ref, trail + [name])
        state[name] = "done"

    for name in groups:
        visit(name, [])
    return problems
