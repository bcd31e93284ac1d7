"""Numbers and rules in the words an official reads, in the scenario's language."""
from __future__ import annotations

import pandas as pd

from ..catalog import t
from ..numbers import fmt  # the sensitivity modules format numbers from here
from ..scenario import ALL, Scenario


def objective_words(sc: Scenario) -> str:
    """What the objective counts: ``weighted persons employed`` or, for ``min_cost``, the money unit."""
    return sc.money_unit if sc.objective.type == "min_cost" else t("explain.words.outcome", sc.language)


def effect(sc: Scenario, change: float) -> str:
    """'add 12 weighted persons employed' or 'save 12 万元' for a change of the objective."""
    amount = t("explain.amount", sc.language, value=fmt(abs(change)), words=objective_words(sc))
    if sc.objective.type == "min_cost":
        verb = "save" if change <= 0 else "cost"
    else:
        verb = "add" if change >= 0 else "lose"
    return t(f"explain.effect.{verb}", sc.language, amount=amount)


def rule_words(sc: Scenario, rule) -> str:
    """What a rule asks, in a few words (its `description` is the policy's own, often a paragraph)."""
    lang = sc.language
    measures = (t("explain.what.all_measures", lang) if getattr(rule, "measures", ALL) == ALL
                else t("explain.list_sep", lang).join(rule.measures))
    kind = rule.type
    if kind in ("group_share", "earmark"):
        whom = f"`{rule.group}`" if kind == "group_share" else measures
        parts = []
        if isinstance(rule.min, str):  # a share relative to a reference (the factor formula, a column)
            from ..rules import resolved
            plus = t("rules.share.plus", lang, points=100 * rule.plus) if rule.plus else ""
            key = "baseline" if rule.min == "baseline" else "column"
            parts.append(t(f"rules.share.reference.{key}", lang, share=resolved(sc, rule).min, plus=plus,
                           column=rule.min))
        elif rule.min is not None:
            parts.append(t("explain.what.at_least", lang, pct=f"{rule.min:.0%}"))
        if rule.max is not None:
            parts.append(t("explain.what.at_most", lang, pct=f"{rule.max:.0%}"))
        return t("explain.what.share", lang, parts=t("explain.what.and", lang).join(parts), whom=whom)
    population = getattr(rule, "population", None)
    among = t("rules.from_population", lang, population=population) \
        if population is not None and kind != "per_capita_tilt" else ""
    fields = {
        "hold_harmless": lambda: {"ratio": f"{rule.min_ratio:.0%}", "column": rule.column},
        "per_capita_tilt": lambda: {"group": rule.group, "ratio": f"{rule.ratio:g}"},
        "coverage": lambda: {"measures": measures, "factor": f"{rule.factor:g}", "column": rule.column},
        "pool": lambda: {"measures": measures, "factor": f"{rule.factor:g}",
                         "column": rule.column or sc.population(rule.population).column},
        "min_coverage_rate": lambda: {"rate": f"{rule.rate:.0%}", "column": rule.column},
        "unit_bounds": lambda: {},
    }[kind]()
    return t(f"explain.what.{kind}", lang, **fields) + among


def clipped_sentence(clipped: pd.Series, key: str, language: str) -> str:
    """How many values were clipped to their physical bounds, and where (catalog ``key``)."""
    total = int(clipped.sum())
    if total == 0:
        return t("sensitivity.clipped.none", language)
    where = ", ".join(f"{path} {int(n)}" for path, n in clipped[clipped > 0].sort_values(ascending=False).items())
    return t(key, language, n=total, where=where)
