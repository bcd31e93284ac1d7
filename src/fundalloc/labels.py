"""What people read in place of a name: the scenario's labels for rules, groups, units-table columns, measures and
populations, the names of the programme's own rows (the budget, targets, entitlements) and the words for what the
objective counts, in the scenario's language.

Tables and charts show the label, or the name when there is none (:func:`shown`); sentences show the label, or
the name in backticks, so that a reader tells a name from a word (:func:`said`). Files for machines
(``allocation.csv``, ``units.csv``, dotted paths) keep the names.

>>> import pandas as pd, fundalloc as fa
>>> units = pd.DataFrame({"id": ["a"], "name": ["甲县"], "jobs": [10], "last": [1]})
>>> sc = fa.Scenario(units=units, budget={"total": 5}, language="zh", columns={"last": {"label": "上年分配"}},
...                  measures={"w": {"unit_cost": 1, "capacity": "jobs"}},
...                  rules=[{"type": "hold_harmless", "column": "last", "label": "不低于上年"}])
>>> shown(sc, "rule", "hold_harmless"), said(sc, "column", "last"), said(sc, "column", "jobs")
('不低于上年', '上年分配', '`jobs`')
>>> block_shown(sc, "budget"), objective_words(sc)
('预算', '加权就业人数')
"""
from __future__ import annotations

from .catalog import t
from .scenario import Scenario


def label(sc: Scenario, kind: str, name: str) -> str | None:
    """The label the scenario gives ``name``, a ``rule``, ``group``, ``column``, ``measure`` or ``population``;
    None when it gives none."""
    if kind == "rule":
        return next((r.label for r in sc.rules if r.name == name), None)
    if kind == "population":
        return sc.population(name).label if name in sc.populations else None
    entries = {"group": sc.groups, "column": sc.columns, "measure": sc.measures}[kind]
    entry = entries.get(name)
    return entry.label if entry is not None else None


def shown(sc: Scenario, kind: str, name: str) -> str:
    """The label of ``name``, else the name itself (for tables and charts)."""
    return label(sc, kind, name) or name


def said(sc: Scenario, kind: str, name: str) -> str:
    """The label of ``name``, else the name in backticks (for sentences)."""
    return label(sc, kind, name) or f"`{name}`"


def said_measures(sc: Scenario, measures) -> str:
    """The measures a rule names, in words: 'all measures', or their labels joined."""
    if measures == "all":
        return t("explain.what.all_measures", sc.language)
    return t("explain.list_sep", sc.language).join(said(sc, "measure", m) for m in measures)


def block_shown(sc: Scenario, name: str, *, quote: bool = False) -> str:
    """A row block of the programme as people call it: the budget, a rule (its label), a target, the entitlement
    of a measure, the size of a population. ``quote``: a name without a label in backticks (for sentences)."""
    lang = sc.language
    name_of = said if quote else shown
    if name == "budget":
        return t("labels.budget", lang)
    if name == "coverage_rate":
        return t("labels.coverage_rate", lang)
    kind, _, rest = name.partition(".")
    if kind == "target" and rest:
        return t("labels.target_total", lang) if rest == "total" else \
            t("labels.target_group", lang, group=name_of(sc, "group", rest))
    if kind == "entitlement" and rest in sc.measures:
        return t("labels.entitlement", lang, measure=name_of(sc, "measure", rest))
    if kind == "population" and rest in sc.populations:
        return t("labels.population", lang, population=name_of(sc, "population", rest))
    return name_of(sc, "rule", name)


def objective_words(sc: Scenario) -> str:
    """What the objective counts, as a column heading or after a number: the scenario's ``objective.label``, else
    weighted jobs (加权就业人数), or for ``min_cost`` the money needed."""
    if sc.objective.label:
        return sc.objective.label
    if sc.objective.type == "min_cost":
        return t("explain.words.money_needed", sc.language, unit=sc.money_unit)
    return t("explain.words.outcome_short", sc.language)


def objective_quantity(sc: Scenario) -> str:
    """What one unit of the objective is, after an amount ('add 12 weighted persons employed', 'save 12 万元'):
    ``objective.label``, else weighted persons employed (加权就业人数), or for ``min_cost`` the money unit."""
    if sc.objective.label:
        return sc.objective.label
    return sc.money_unit if sc.objective.type == "min_cost" else t("explain.words.outcome", sc.language)
