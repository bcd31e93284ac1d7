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
>>> shown(sc, "rule", "hold_harmless"), said(sc, "rule", "hold_harmless"), said(sc, "column", "jobs")
('不低于上年', '“不低于上年”', '`jobs`')
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
    """The label of ``name``, else the name in backticks (for sentences); a rule's label is quoted (“…”), since
    it is a phrase that would otherwise run into the sentence around it."""
    words = label(sc, kind, name)
    if not words:
        return f"`{name}`"
    return f"“{words}”" if kind == "rule" else words


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


def objective_words(sc: Scenario, lang: str | None = None) -> str:
    """What the objective counts, as a column heading or after a number: the scenario's ``objective.label``, else
    weighted jobs (加权就业人数), or for ``min_cost`` the money needed; in ``lang`` (default the scenario's)."""
    lang = lang or sc.language
    if sc.objective.label:
        return sc.objective.label
    if sc.objective.type == "min_cost":
        return t("explain.words.money_needed", lang, unit=sc.money_unit)
    return t("explain.words.outcome_short", lang)


def objective_quantity(sc: Scenario) -> str:
    """What one unit of the objective is, after an amount ('add 12 weighted persons employed', 'save 12 万元'):
    ``objective.label``, else weighted persons employed (加权就业人数), or for ``min_cost`` the money unit."""
    if sc.objective.label:
        return sc.objective.label
    return sc.money_unit if sc.objective.type == "min_cost" else t("explain.words.outcome", sc.language)


#: the fields of a dotted path that have words of their own (``measures.M.unit_cost`` → unit cost)
_FIELDS = ("unit_cost", "effectiveness", "capacity", "full_time_equivalent", "demand", "hours", "min", "max",
           "min_ratio", "max_ratio", "ratio", "factor", "rate", "plus")


def field_words(field: str, lang: str) -> str:
    """A field of a measure or rule in words (``min_ratio`` → minimum ratio, 最低比例); else the field."""
    return t(f"param.field.{field}", lang) if field in _FIELDS else field


def parameter(sc: Scenario, path: str) -> str:
    """A dotted path in words, for charts and tables: ``budget.total`` → budget (预算总额),
    ``measures.workshop.unit_cost`` → the measure's label and 'unit cost', ``units.COLUMN`` → the column's
    label; a path without words of its own stays as it is.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a"], "name": ["甲县"], "jobs": [10]})
    >>> sc = fa.Scenario(units=units, budget={"total": 5}, language="zh",
    ...                  measures={"w": {"unit_cost": 1, "capacity": "jobs", "label": "扶贫车间"}})
    >>> parameter(sc, "measures.w.unit_cost"), parameter(sc, "budget.total"), parameter(sc, "units.jobs")
    ('扶贫车间：单位成本', '预算总额', 'jobs')
    """
    lang = sc.language
    parts = path.split(".")
    if path == "budget.total":
        return t("param.budget", lang)
    if parts[0] == "units" and len(parts) == 2:
        return shown(sc, "column", parts[1])
    if parts[0] == "weights" and len(parts) == 2 and parts[1] in sc.groups:
        return t("param.weight", lang, group=shown(sc, "group", parts[1]))
    if len(parts) == 3 and parts[2] in _FIELDS:
        if parts[0] == "measures" and parts[1] in sc.measures:
            return t("param.of", lang, thing=shown(sc, "measure", parts[1]), field=field_words(parts[2], lang))
        if parts[0] == "rules":
            return t("param.of", lang, thing=shown(sc, "rule", parts[1]), field=field_words(parts[2], lang))
    return path


def run_label(name: str, lang: str) -> str:
    """A run's name for people: ``base`` is the scenario as written, ``factor`` the factor formula (因素法);
    a variant keeps its name."""
    return t(f"summary.run.{name}", lang) if name in ("base", "factor") else name


#: per-run or per-rule columns: ``amount.<run>``, ``shadow_price.<rule>`` …
_PER_RUN = ("amount", "outcome", "weighted_outcome", "amount_diff", "outcome_diff", "weighted_outcome_diff")


def header(sc: Scenario, column: str) -> str:
    """A machine table's column name as a header for people (report.html, notebook views), in the scenario's
    language: ``shadow_price.tilt`` → 'shadow price: tilt', its label when the rule has one; a column without
    words of its own keeps its name."""
    from .catalog import words

    lang = sc.language
    column = str(column)
    if f"column.{column}" in words():
        return t(f"column.{column}", lang)
    prefix, _, rest = column.partition(".")
    if prefix == "shadow_price" and rest:
        return t("column.shadow_price.of", lang, rule=block_shown(sc, rest))
    if prefix in _PER_RUN and rest:
        return t(f"column.{prefix}.of", lang, run=run_label(rest, lang))
    return column


def for_people(frame, sc: Scenario):
    """A machine table to show people: headers in the scenario's language (:func:`header`), statuses and
    yes/no in words, groups, rules and runs under their labels in the columns and rows that name them."""
    from .catalog import words

    lang = sc.language
    out = frame.copy()
    for column in out.columns:
        kind = str(column)
        if kind.startswith("status"):
            out[column] = [t(f"common.status.{v}", lang) if f"common.status.{v}" in words() else v
                           for v in out[column]]
        elif kind == "what":  # ranging_plain.csv's English words for what a row is about
            said_in = {english: chinese if lang == "zh" else english
                       for key, (english, chinese) in words().items() if key.startswith("ranging.")}
            out[column] = [said_in.get(v, v) for v in out[column]]
        elif kind in ("binding", "rules_change") and out[column].dtype == bool:
            out[column] = [t("common.yes" if v else "common.no", lang) for v in out[column]]
        elif kind == "rule":
            out[column] = [block_shown(sc, str(v)) if v else v for v in out[column]]
        elif kind == "parameter":
            out[column] = [parameter(sc, str(v)) for v in out[column]]
    if out.index.name == "group":
        out.index = [t("row.all", lang) if g == "all" else shown(sc, "group", g) for g in out.index]
    elif out.index.name == "quantity" or "quantity" in out.columns:
        key = "quantity" if "quantity" in out.columns else None
        values = out[key] if key else out.index
        named = [t(f"row.{v}", lang) if f"row.{v}" in words() else v for v in values]
        if key:
            out[key] = named
        else:
            out.index = named
    return out.rename(columns={c: header(sc, c) for c in out.columns})
