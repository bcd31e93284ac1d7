"""The 分配表 (allocation table), the table of an allocation notice: the one table an official forwards.

Per county: its code, name and 市, last year's money (上年分配), the factor formula's (因素法测算), the optimised
allocation (优化分配), the change from last year (增减, 增减%), the money per measure under its label, and the
persons funded and employed; a subtotal per region and a 合计 row. Every amount is rounded to the scenario's
``rounding`` (whole 万元 by default) so that the optimised amounts add up exactly to the budget, each county's
measures add up to its total, and every rule still holds (:mod:`fundalloc.rounding`); the notes say how, and
which rule misses if none can. Headers and notes are in the scenario's language.

上年分配 is the column of the scenario's first ``hold_harmless`` rule (last year's money, by that rule's
definition), else of the factor baseline's ``hold_harmless``; without either, the table has no 上年分配, 增减 or
增减% columns. Without a ``baseline:`` it has no 因素法测算 column.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import msg, t
from .errors import ArgumentError
from .labels import said
from .markup import Markup, fixed, join, markup, table
from .rounding import INTEGER_PROGRAMME, LARGEST_REMAINDER, LEAST_BROKEN, NOT_REPAIRED, ROW_TOLERANCE, Rounded, decimals, round_to_total
from .tables import UNIT_ROW, first_units, with_totals, write_csv

#: what a column holds, for formatting: text, a code (text that looks like a number), money, a share, persons
TEXT, CODE, MONEY, SHARE, PERSONS = "text", "code", "money", "share", "persons"


@dataclass
class AllocationTable:
    """The 分配表 of a result: ``frame`` (headers in ``lang``; its index says which rows are units, subtotals
    and the total: ``"unit"``, ``"subtotal"``, ``"total"``), ``kinds`` (header → ``text``, ``code``, ``money``,
    ``share`` or ``persons``), the rounding ``step`` in ``money_unit``, ``notes`` (sentences for the reader,
    the first of them ``rounding_notes``: how the amounts were rounded and what no rounding could keep) and
    ``rounded`` (the rounded allocation, measures × units); ``meanings``: header → what the column holds;
    ``measure_columns``: the header of each measure's money → the measure's label.

    ``write_csv(path)`` writes allocation_table.csv (增减% in percent); ``html()`` an HTML table.
    """

    frame: pd.DataFrame
    kinds: dict[str, str]
    step: float
    money_unit: str
    lang: str
    rounded: Rounded
    notes: list[str] = field(default_factory=list)
    rounding_notes: list[str] = field(default_factory=list)
    meanings: dict[str, str] = field(default_factory=dict)
    measure_columns: dict[str, str] = field(default_factory=dict)

    @property
    def columns_of(self) -> dict[str, list[str]]:
        """Headers by kind."""
        out: dict[str, list[str]] = {}
        for header, kind in self.kinds.items():
            out.setdefault(kind, []).append(header)
        return out

    def write_csv(self, path: str | os.PathLike) -> Path:
        """allocation_table.csv: UTF-8 with BOM, amounts as rounded, shares in percent (one decimal)."""
        frame = self.frame.copy()
        for header in self.columns_of.get(SHARE, []):
            frame[header] = (frame[header] * 100).round(1)
        return write_csv(frame, path)

    def html(self, *, marks: Mapping[str, str] | None = None, extra: Mapping[str, Mapping[str, str]] | None = None,
             notes: Sequence[str] = (), max_units: int | None = None) -> Markup:
        """The table as HTML, the measures' money under one heading, its notes (and ``notes``) below it.

        ``marks``: unit id → a mark written before its name (the report's ◆); ``extra``: more columns, header →
        {unit id → text}, blank in the other rows; ``max_units``: list only the first so many units (and 合计),
        saying so.
        """
        places = decimals(self.step)
        frame = self.frame.copy()
        units = int((frame.index == UNIT_ROW).sum())
        if max_units is not None and units > max_units:
            frame = first_units(frame, max_units)
            notes = [t("report.table.first_units", self.lang, shown=max_units, total=units), *notes]
        codes = frame[t("table.code", self.lang)].to_numpy()
        name = t("table.unit", self.lang)
        if marks:
            frame[name] = [f"{marks[c]} {n}" if c in marks else n for c, n in zip(codes, frame[name])]
        for header, values in (extra or {}).items():
            frame[header] = [values.get(c, "") for c in codes]
        formats = {h: _format(kind, places) for h, kind in self.kinds.items()}
        heading = t("report.table.measures", self.lang, unit=self.money_unit)
        groups = {h: (heading, label) for h, label in self.measure_columns.items()}
        numeric = [h for h, kind in self.kinds.items() if kind in (MONEY, SHARE, PERSONS)]
        classes = {h: {CODE: "code", TEXT: "name"}[kind] for h, kind in self.kinds.items() if kind in (CODE, TEXT)}
        rows = [kind if kind != UNIT_ROW else "" for kind in frame.index]
        return join([table(frame, formats=formats, numeric=numeric, groups=groups, row_classes=rows,
                           cls="allocation", cell_classes=classes),
                     markup('<ul class="table-notes">{}</ul>',
                            join(markup("<li>{}</li>", n) for n in [*self.notes, *notes]))])

    def copy(self) -> "AllocationTable":
        """A copy whose frame, notes and headers can be changed without changing this one's."""
        return replace(self, frame=self.frame.copy(), kinds=dict(self.kinds), notes=list(self.notes),
                       rounding_notes=list(self.rounding_notes), meanings=dict(self.meanings),
                       measure_columns=dict(self.measure_columns))

    def _repr_html_(self) -> str:
        return str(self.html())

    def __repr__(self) -> str:
        return f"<AllocationTable: {len(self.frame)} rows, {self.frame.shape[1]} columns, step {self.step:g} " \
               f"{self.money_unit}>"


def _format(kind: str, places: int):
    """How a cell of a column of ``kind`` is written (money with the rounding's places)."""
    if kind == SHARE:
        return lambda v: fixed(1, percent=True)(v) if np.isfinite(v) else ""
    return {MONEY: fixed(places), PERSONS: fixed(0)}.get(kind, str)


def last_year_column(sc) -> str | None:
    """The units-table column with last year's money: the first ``hold_harmless`` rule's, else the factor
    baseline's floor column; None without either."""
    for rule in sc.rules:
        if rule.type == "hold_harmless":
            return rule.column
    if sc.baseline is not None and sc.baseline.hold_harmless is not None:
        return sc.baseline.hold_harmless.column
    return None


def allocation_table(result, baseline=None, *, lang: str | None = None) -> AllocationTable:
    """The 分配表 of ``result``, rounded to the scenario's ``rounding``.

    Parameters
    ----------
    result : a :class:`~fundalloc.result.Result` (not a factor formula's: that is a column of this table).
    baseline : the factor formula's result (:func:`fundalloc.factor_allocation`) for the 因素法测算 column;
        default: the scenario's ``baseline:``, when it has one.
    lang : ``zh`` or ``en``; default the scenario's ``language``.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["1", "2", "3"], "name": ["甲县", "乙县", "丙县"], "city": ["A市", "B市", "A市"],
    ...                       "jobs": [504, 396, 1000], "last_year": [40, 36, 20]})
    >>> sc = fa.Scenario(units=units, region="city", language="zh", budget={"total": 110, "spend_all": True},
    ...                  groups={"third": {"ids": ["3"]}}, weights={"third": 0.5},
    ...                  measures={"w": {"unit_cost": "1000 元", "capacity": "jobs", "label": "车间"}},
    ...                  rules=[{"type": "hold_harmless", "column": "last_year", "min_ratio": 1}])
    >>> res = fa.solve(sc)
    >>> res.units["amount"].round(3).tolist()
    [50.4, 39.6, 20.0]
    >>> table = fa.allocation_table(res)
    >>> print(table.frame.drop(columns=["单位代码", "实现就业人数"]).round(3).to_string(index=False))
    ... # doctest: +NORMALIZE_WHITESPACE
    县(市、区) 所属市  上年分配（万元）  优化分配（万元）  增减（万元）   增减%  车间（万元）  扶持人数
        甲县   A市        40.0        50.0      10.0  0.250      50.0   500.0
        丙县   A市        20.0        20.0       0.0  0.000      20.0   200.0
     A市小计   A市        60.0        70.0      10.0  0.167      70.0   700.0
        乙县   B市        36.0        40.0       4.0  0.111      40.0   396.0
     B市小计   B市        36.0        40.0       4.0  0.111      40.0   396.0
        合计  None        96.0       110.0      14.0  0.146     110.0  1096.0
    >>> table.notes[1]
    '各项金额按最大余数法就近取整，取整后各项约束仍全部满足。'
    """
    sc = result.scenario
    if not getattr(result, "has_allocation_table", True):
        raise ArgumentError(msg("errors.api.factor_table"), language=lang or sc.language)
    lang = lang or sc.language
    unit = sc.money_unit
    rounded: Rounded = result.rounded
    places = decimals(rounded.step)
    labels = {m: spec.label or m for m, spec in sc.measures.items()}
    money = lambda what: t("table.money", lang, what=what, unit=unit)  # noqa: E731

    meaning = lambda key, **fields: t(f"book.meaning.{key}", lang, **fields)  # noqa: E731
    columns: dict[str, tuple[str, object, str]] = {
        t("table.code", lang): (CODE, sc.units["id"].to_numpy(), meaning("code")),
        t("table.unit", lang): (TEXT, sc.units["name"].to_numpy(), meaning("unit")),
    }
    if sc.region is not None:
        columns[t("table.region", lang)] = (TEXT, sc.regions, meaning("region"))
    optimised = np.round(rounded.money.sum(axis=0), places)
    rounding_notes = _rounding_notes(rounded, sc, lang)
    notes = list(rounding_notes)
    last_column = last_year_column(sc)
    last = sc.units[last_column].to_numpy(dtype=float) if last_column is not None else None
    if last is not None:
        columns[money(t("table.last_year", lang))] = (MONEY, last,
                                                      meaning("last_year", column=said(sc, "column", last_column)))
    if baseline is None and sc.baseline is not None:
        baseline = result.factor_baseline
    if baseline is not None:
        factor, missed = _rounded_factor(baseline, rounded.step)
        columns[money(t("table.factor", lang))] = (MONEY, factor, meaning("factor"))
        notes.append(t("table.note.factor", lang))
        if missed:
            notes.append(t("table.note.factor_floors", lang, missed=_amount(missed, places), unit=unit))
    columns[money(t("table.optimised", lang))] = (MONEY, optimised, meaning("optimised"))
    change_pct = None
    if last is not None:
        change = np.round(optimised - last, places)
        columns[money(t("table.change", lang))] = (MONEY, change, meaning("change"))
        change_pct = t("table.change_pct", lang)
        columns[change_pct] = (SHARE, np.divide(change, last, out=np.full(len(last), np.nan), where=last != 0),
                               meaning("change_pct"))
        notes.append(t("table.note.last_year", lang, column=said(sc, "column", last_column)))
    measure_columns = {}
    for j, m in enumerate(sc.measures):
        header = _unique(money(labels[m]), columns, m)
        columns[header] = (MONEY, rounded.money[j], meaning("measure"))
        measure_columns[header] = labels[m] if header == money(labels[m]) else f"{labels[m]} [{m}]"
    columns[t("table.persons_funded", lang)] = (PERSONS, rounded.persons.sum(axis=0).round(1),
                                                meaning("persons_funded"))
    columns[t("table.persons_employed", lang)] = (PERSONS, rounded.outcome.sum(axis=0).round(1),
                                                  meaning("persons_employed"))
    notes.append(t("table.note.persons_counted", lang))
    if sc.integer:
        notes.append(t("table.note.integer", lang))

    frame = pd.DataFrame({header: values for header, (_, values, _) in columns.items()})
    ratios = {change_pct: (money(t("table.change", lang)), money(t("table.last_year", lang)))} if change_pct else {}
    frame = with_totals(frame, t("table.region", lang) if sc.region is not None else None,
                        label=t("table.unit", lang), lang=lang, ratios=ratios)
    given = (money(t("table.last_year", lang)), money(t("table.change", lang)))  # data, not rounded amounts
    rounded_headers = [h for h, (kind, _, _) in columns.items() if kind == MONEY and h not in given]
    frame[rounded_headers] = frame[rounded_headers].round(places)  # sums of multiples, as they are written
    return AllocationTable(frame=frame, kinds={h: kind for h, (kind, _, _) in columns.items()}, step=rounded.step,
                           money_unit=unit, lang=lang, rounded=rounded, notes=notes,
                           rounding_notes=rounding_notes, meanings={h: m for h, (_, _, m) in columns.items()},
                           measure_columns=measure_columns)


def _unique(header: str, taken: dict, measure: str) -> str:
    """A measure's header, told apart by its name when another column has the same words."""
    return header if header not in taken else f"{header} [{measure}]"


def _rounded_factor(baseline, step: float) -> tuple[np.ndarray, float]:
    """The factor formula's amounts rounded to ``step``, adding up to its budget, keeping its floors when they
    allow; and how far the floors are missed."""
    sc = baseline.scenario
    floors = None
    hh = baseline.formula.hold_harmless
    if hh is not None:
        floors = hh.min_ratio * sc.units[hh.column].to_numpy(dtype=float)
    budget = sc.money(sc.budget.total)
    total = round(budget / step) * step if abs(budget / step - round(budget / step)) <= 1e-9 * max(1.0, budget / step) \
        else np.floor(budget / step) * step
    return round_to_total(baseline.amounts.to_numpy(dtype=float), step, total, floors)


def _amount(value: float, places: int) -> str:
    return f"{value:,.{places}f}"


def _rounding_notes(rounded: Rounded, sc, lang: str) -> list[str]:
    """How the amounts were rounded, and what no rounding could keep."""
    unit, places = sc.money_unit, decimals(rounded.step)
    step = _amount(rounded.step, places)
    target = "table.note.target_budget" if sc.budget is not None and sc.budget.spend_all \
        and sc.objective.type != "min_cost" else "table.note.target_allocated"
    notes = [t("table.note.unit", lang, unit=unit, step=step, total=_amount(rounded.total, places),
               target=t(target, lang))]
    broken = rounded.broken[rounded.broken["rule"] != "budget"]
    if rounded.method == LARGEST_REMAINDER:
        notes.append(t("table.note.largest_remainder", lang))
    elif rounded.method == INTEGER_PROGRAMME:
        notes.append(t("table.note.integer_programme", lang))
    elif rounded.method == NOT_REPAIRED:
        notes.append(t("table.note.not_repaired", lang, unit=unit,
                       margin=f"{rounded.margin.sum():,.{max(places, 1)}f}"))
        notes.append(t("table.note.not_repaired_breaks" if len(broken) else "table.note.not_repaired_holds", lang))
    elif len(broken):
        notes.append(t("table.note.least_broken", lang, step=step, unit=unit))
    if rounded.method in (LEAST_BROKEN, NOT_REPAIRED):
        for row in broken.itertuples():
            quantity = unit if row.quantity == "money" else t("table.note.persons", lang)
            shown = ", ".join(row.units[:5]) + (" …" if len(row.units) > 5 else "")
            notes.append("  " + t(f"table.note.broken_{row.bound}", lang, rule=row.rule, rows=row.rows,
                                  missed=f"{row.missed:,.4g}", largest=f"{row.largest:,.4g}", quantity=quantity,
                                  where=t("table.note.where", lang, units=shown) if row.units else ""))
    if (rounded.broken["rule"] == "budget").any():
        notes.append(t("table.note.not_on_step", lang, budget=_amount(sc.money(sc.budget.total), 6).rstrip("0")
                       .rstrip("."), unit=unit, step=step, total=_amount(rounded.total, places)))
    if rounded.searched is not None:
        notes.append(t("table.note.searched", lang, searched=f"{rounded.searched:,}"))
    elif not rounded.proven:
        notes.append(t("table.note.not_proven", lang))
    margin = rounded.margin
    cells = int((margin > ROW_TOLERANCE * np.maximum(1.0, rounded.money)).sum())
    if cells and rounded.method != NOT_REPAIRED:  # its note says what its margin is
        notes.append(t("table.note.margin", lang, margin=f"{margin.sum():,.{max(places, 1)}f}", unit=unit,
                       cells=cells))
    return notes
