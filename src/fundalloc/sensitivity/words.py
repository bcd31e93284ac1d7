"""Numbers and rules in the words an official reads, in the scenario's language."""
from __future__ import annotations

import pandas as pd

from ..catalog import t
from ..labels import objective_quantity, said, said_measures
from ..numbers import fmt  # the sensitivity modules format numbers from here
from ..scenario import ALL, Scenario


def objective_words(sc: Scenario) -> str:
    """What the objective counts: ``weighted persons employed`` (the scenario's ``objective.label``) or, for
    ``min_cost``, the money unit."""
    return objective_quantity(sc)


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
    measures = said_measures(sc, getattr(rule, "measures", ALL))
    kind = rule.type
    if kind in ("group_share", "earmark", "region_share"):
        parts = []
        if getattr(rule, "references", None):  # relative to a reference (the formula, a column)
            parts.append(reference_words(sc, rule))
        elif rule.min is not None:
            parts.append(t("explain.what.at_least", lang, pct=f"{rule.min:.0%}"))
        if rule.max is not None:
            parts.append(t("explain.what.at_most", lang, pct=f"{rule.max:.0%}"))
        parts = t("explain.what.and", lang).join(parts)
        if kind == "region_share":
            return t("explain.what.region_share", lang, parts=parts)
        whom = said(sc, "group", rule.group) if kind == "group_share" else measures
        return t("explain.what.share", lang, parts=parts, whom=whom) + \
            (t("explain.what.per_region", lang) if rule.per_region else "")
    population = getattr(rule, "population", None)
    among = t("rules.from_population", lang, population=said(sc, "population", population)) \
        if population is not None and kind != "per_capita_tilt" else ""
    fields = {
        "hold_harmless": lambda: {"ratio": f"{rule.min_ratio:.0%}", "column": said(sc, "column", rule.column)},
        "per_capita_tilt": lambda: {"group": said(sc, "group", rule.group), "ratio": f"{rule.ratio:g}"},
        "coverage": lambda: {"measures": measures, "factor": f"{rule.factor:g}",
                             "column": said(sc, "column", rule.column)},
        "pool": lambda: {"measures": measures, "factor": f"{rule.factor:g}",
                         "column": said(sc, "column", rule.column) if rule.column
                         else said(sc, "population", rule.population)},
        "min_coverage_rate": lambda: {"rate": f"{rule.rate:.0%}", "column": said(sc, "column", rule.column)},
        "unit_bounds": lambda: {},
    }[kind]()
    return t(f"explain.what.{kind}", lang, **fields) + among


def reference_words(sc: Scenario, rule) -> str:
    """A share rule whose ``min`` names references, in words: 'at least the factor formula's share (33.0%)',
    or for a list 'at least the larger of the factor formula's share (44.1%) and the share of `last_year`
    (42.3%): 44.1%'. A rule stated per region has a share per region: its words name the references only."""
    from ..groups import group_masks
    from ..rules import by_region, share_pieces

    lang = sc.language
    plus = t("rules.share.plus", lang, points=100 * rule.plus) if rule.plus else ""
    kinds = ["number" if not isinstance(term, str) else "baseline" if term == "baseline" else "column"
             for term in rule.min_terms]
    if by_region(rule):
        terms = [t(f"rules.share.term.{k}" if k == "number" else f"rules.share.term.{k}_each", lang, share=term,
                   column=said(sc, "column", term) if k == "column" else term) for k, term in zip(kinds, rule.min_terms)]
        key = "each" if len(terms) == 1 else "larger_each" if len(terms) == 2 else "largest_each"
        return t(f"rules.share.reference.{key}", lang, terms=_joined(terms, lang), plus=plus)
    masks = group_masks(sc)
    share = share_pieces(sc, rule, masks)[0].level
    if not isinstance(rule.min, list):
        return t(f"rules.share.reference.{kinds[0]}", lang, share=share, plus=plus,
                 column=said(sc, "column", rule.min) if kinds[0] == "column" else rule.min)
    terms = [t(f"rules.share.term.{k}", lang, column=said(sc, "column", term) if k == "column" else term,
               share=share_pieces(sc, rule.model_copy(update={"min": term, "plus": 0.0, "max": None}), masks)[0].level)
             for k, term in zip(kinds, rule.min_terms)]
    return t("rules.share.reference.larger" if len(terms) <= 2 else "rules.share.reference.largest", lang,
             terms=_joined(terms, lang), plus=plus, share=share)


def _joined(terms: list[str], lang: str) -> str:
    """'A', 'A and B', 'A, B and C' (Chinese: 'A与B', 'A、B与C')."""
    if len(terms) == 1:
        return terms[0]
    return t("explain.list_sep", lang).join(terms[:-1]) + t("rules.share.term.last_sep", lang) + terms[-1]


def clipped_sentence(clipped: pd.Series, key: str, language: str) -> str:
    """How many values were clipped to their physical bounds, and where (catalog ``key``)."""
    total = int(clipped.sum())
    if total == 0:
        return t("sensitivity.clipped.none", language)
    where = ", ".join(f"{path} {int(n)}" for path, n in clipped[clipped > 0].sort_values(ascending=False).items())
    return t(key, language, n=total, where=where)
