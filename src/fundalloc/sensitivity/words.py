"""Numbers and rules in the words an official reads."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog import t
from ..scenario import ALL, Scenario


def fmt(value: float) -> str:
    """A number as an official would write it: 212, 4.5, 0.0123, 12,345."""
    if not np.isfinite(value):
        return "no limit" if value > 0 else "−no limit"
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 1000:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:,.1f}".removesuffix(".0")
    elif size >= 1:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    return text.replace("-", "−")


def objective_words(sc: Scenario) -> str:
    return sc.money_unit if sc.objective.type == "min_cost" else "weighted persons employed"


def effect(sc: Scenario, change: float) -> tuple[str, str]:
    """('add', '12 weighted persons employed') or ('save', '12 万元') for a change of the objective."""
    amount = f"{fmt(abs(change))} {objective_words(sc)}"
    if sc.objective.type == "min_cost":
        return ("save", amount) if change <= 0 else ("cost", f"{amount} more")
    return ("add", amount) if change >= 0 else ("lose", amount)


def rule_words(sc: Scenario, rule) -> str:
    """What a rule asks, in a few words (its `description` is the policy's own, often a paragraph)."""
    measures = "all measures" if getattr(rule, "measures", ALL) == ALL else ", ".join(rule.measures)
    kind = rule.type
    if kind in ("group_share", "earmark"):
        whom = f"`{rule.group}`" if kind == "group_share" else measures
        parts = ([f"at least {rule.min:.0%}"] if rule.min is not None else []) + \
                ([f"at most {rule.max:.0%}"] if rule.max is not None else [])
        return f"{' and '.join(parts)} of the money to {whom}"
    return {
        "hold_harmless": lambda: f"every unit gets at least {rule.min_ratio:.0%} of `{rule.column}`",
        "per_capita_tilt": lambda: f"money per head in `{rule.group}` at least {rule.ratio:g} × the others'",
        "coverage": lambda: f"persons employed by {measures} at least {rule.factor:g} × `{rule.column}`",
        "pool": lambda: f"beneficiaries of {measures} at most {rule.factor:g} × `{rule.column}`",
        "min_coverage_rate": lambda: f"beneficiaries at least {rule.rate:.0%} of `{rule.column}`",
        "unit_bounds": lambda: "each unit's money within its floor and ceiling",
    }[kind]()


def clipped_sentence(clipped: pd.Series, key: str, language: str) -> str:
    """How many values were clipped to their physical bounds, and where (catalog ``key``)."""
    total = int(clipped.sum())
    if total == 0:
        return t("sensitivity.clipped.none", language)
    where = ", ".join(f"{path} {int(n)}" for path, n in clipped[clipped > 0].sort_values(ascending=False).items())
    return t(key, language, n=total, where=where)
