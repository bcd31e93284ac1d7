"""What one solve says about its neighbourhood, in plain words: what more budget buys, what each binding rule
costs, which rules do not bind, which measures are on the edge of being funded, and the ranging table.

A shadow price is quoted only as a rate, with the interval over which it holds; a finite change (1 % more
budget, a rule loosened by a step) is quoted from a re-solve, never multiplied out from the rate."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..catalog import t
from ..labels import block_shown, said
from ..rulestate import (change_words, count_words, identity_sentence, is_identity, limits, most_costly,
                         slack_sentence)
from ..result import Result
from .params import scaled
from .prices import PRICE_TOLERANCE, gain, improvement, relaxation
from .warm import WarmSolver
from .words import effect, fmt, objective_words, rule_words


# ------------------------------------------------------------------------------------- entry thresholds
def entry_thresholds(result: Result) -> pd.DataFrame:
    """Measures a unit gets nothing of, and what would bring each into the allocation: a unit cost so much
    lower, or an effectiveness so much higher.

    Exact while the optimal basis holds: a column out of the basis leaves the duals unchanged, its money
    coefficients (budget, shares, floors) scale with its unit cost and its outcome coefficients (objective,
    coverage) with its effectiveness, so its reduced cost reaches zero at the change given. Only the first
    step of a stepped measure is considered; a measure drawing from several populations counts once per unit,
    at its closest population's threshold. Columns: unit_id, unit_name, measure, unit_cost,
    cost_cut_to_enter (share of the cost, NaN when no cut is enough), entry_unit_cost, effectiveness,
    effectiveness_rise_to_enter (share, NaN when no rise is enough), entry_effectiveness. Closest first.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "B县"], "jobs": [100, 100], "cost": [0.2, 0.1]})
    >>> sc = fa.Scenario(units=units, budget={"total": 8}, measures={
    ...     "workshop": {"unit_cost": "cost", "capacity": "jobs"},
    ...     "export": {"unit_cost": "2500 元", "effectiveness": 1.5, "max_effectiveness": 1.5,  # each also
    ...                "capacity": "jobs"}})                                                  # places a relative
    >>> entry_thresholds(fa.solve(sc))[["unit_name", "measure", "cost_cut_to_enter", "entry_unit_cost"]]
      unit_name   measure  cost_cut_to_enter  entry_unit_cost
    0       康保县    export                0.4             0.15
    1        B县    export                0.4             0.15
    2       康保县  workshop                0.5             0.10
    """
    columns = ["unit_id", "unit_name", "measure", "unit_cost", "cost_cut_to_enter", "entry_unit_cost",
               "effectiveness", "effectiveness_rise_to_enter", "entry_effectiveness"]
    p, s = result.program, result.solution
    if s.col_dual is None or s.row_dual is None:
        return pd.DataFrame(columns=columns)
    money_rows = np.zeros(len(p.row_lower), bool)
    outcome_rows = np.zeros(len(p.row_lower), bool)
    for name, info in p.block_info.items():
        money_rows[p.blocks[name]] = info.quantity == "money"
        outcome_rows[p.blocks[name]] = info.kind in _OUTCOME_KINDS
    kind = result.scenario.objective.type
    money_cost = p.cost if kind == "min_cost" else np.zeros(p.n_cols)
    outcome_cost = np.zeros(p.n_cols)
    if kind != "min_cost":  # the objective (of the last stage) is weight × effectiveness
        outcome_cost[:p.n_alloc] = p.outcome_value()
    # how the reduced cost moves per unit of relative change: −(cost cut), +(effectiveness rise)
    money_slope = money_cost - p.matrix.T @ np.where(money_rows, s.row_dual, 0.0)
    outcome_slope = outcome_cost - p.matrix.T @ np.where(outcome_rows, s.row_dual, 0.0)
    alloc = np.arange(p.n_alloc)
    cols = alloc[(p.col_step[alloc] == 0) & (p.col_upper[alloc] > 0)]
    d = s.col_dual[cols]
    # a measure drawing from several populations has a column per population: it enters when any of them does,
    # and a unit that funds it from one population already has it
    funded = np.zeros((p.n_units, len(p.measures)), bool)
    np.logical_or.at(funded, (p.col_unit[alloc], p.col_measure[alloc]),
                     s.x[alloc] > 1e-9 * np.maximum(1.0, p.col_upper[alloc]))
    out = ~funded[p.col_unit[cols], p.col_measure[cols]] & (np.abs(d) > 1e-9)
    cols, d = cols[out], d[out]
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = d / money_slope[cols]
        rise = -d / outcome_slope[cols]
    cut = np.where(np.isfinite(cut) & (cut > 1e-9) & (cut < 1), cut, np.nan)
    rise = np.where(np.isfinite(rise) & (rise > 1e-9), rise, np.nan)
    keep = ~(np.isnan(cut) & np.isnan(rise))
    cols, cut, rise = cols[keep], cut[keep], rise[keep]
    units = result.scenario.units
    cost = p.col_money[cols] * p.money_scale
    persons = p.col_effect[cols]
    frame = pd.DataFrame({
        "unit_id": units["id"].to_numpy()[p.col_unit[cols]], "unit_name": units["name"].to_numpy()[p.col_unit[cols]],
        "measure": np.asarray(p.measures)[p.col_measure[cols]], "unit_cost": cost,
        "cost_cut_to_enter": cut, "entry_unit_cost": cost * (1 - cut),
        "effectiveness": persons, "effectiveness_rise_to_enter": rise, "entry_effectiveness": persons * (1 + rise),
    }, columns=columns)
    frame["_closest"] = np.fmin(frame["cost_cut_to_enter"], frame["effectiveness_rise_to_enter"])
    frame = frame.sort_values(["_closest", "unit_id"], kind="stable").drop_duplicates(["unit_id", "measure"])
    return frame.drop(columns="_closest").reset_index(drop=True)


_OUTCOME_KINDS = {"coverage", "target", "max_min_coverage"}


# ---------------------------------------------------------------------------------------- ranging
#: what a row of the ranging is about (ranging_plain.csv keeps these English words; tables for people translate)
RULE_LIMIT = "rule limit"
_RANGING_WHAT = {"effectiveness": "persons employed per beneficiary", "unit_cost": "unit cost", "rhs": RULE_LIMIT}


def ranging_table(result: Result) -> pd.DataFrame:
    """The ranging of ``result`` with plain column names.

    Each row is one number of the model (a measure's effectiveness in a unit, or a rule's limit) with the
    interval over which the same measures and rules stay active, so the shadow prices stay valid:
    what, rule, unit_id, unit_name, measure, step (1 = first), current, lowest, highest,
    objective_at_lowest, objective_at_highest (the objective when a rule's limit is moved to that end).

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "jobs": [100, 50]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10},
    ...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> ranging_table(fa.solve(sc)).query("rule == 'budget'")[["what", "current", "lowest", "highest"]]
             what  current  lowest  highest
    2  rule limit     10.0     5.0     15.0
    """
    r = result.ranging
    frame = pd.DataFrame({
        "what": r["kind"].map(_RANGING_WHAT).fillna(r["kind"]),
        "rule": r["rule"], "unit_id": r["unit_id"], "unit_name": r["unit_name"], "measure": r["measure"],
        "step": np.where(r["step"].to_numpy(dtype=float) >= 0, r["step"].to_numpy(dtype=float) + 1, np.nan),
        "current": r["value"], "lowest": r["low"], "highest": r["high"],
        "objective_at_lowest": r["objective_at_low"], "objective_at_highest": r["objective_at_high"],
    })
    return frame


# ---------------------------------------------------------------------------------------- sentences
class Quote(NamedTuple):
    """A finite change a sentence quotes: the scenario's ``changes`` and what the objective gains, re-solved
    (an improvement: more persons for ``max_outcome``, less money for ``min_cost``)."""

    changes: dict
    gain: float


class Sentence(str):
    """A sentence of :func:`explain`: a ``str``, with ``quotes``, the finite changes it quotes (each re-solved)."""

    quotes: tuple[Quote, ...]

    def __new__(cls, text: str, quotes=()):
        sentence = super().__new__(cls, text)
        sentence.quotes = tuple(quotes)
        return sentence


def explain(result: Result, *, top: int = 5, step: float = 0.1) -> list[Sentence]:
    """Sentences an official understands, from one solve and a few warm re-solves: what more budget buys, what
    each binding rule costs, what an accounting identity's next eligible person is worth (an identity pool, a
    population at its size), which rules do not bind
    and by how much, and which measures are on the edge of being funded. In the scenario's ``language``.

    Shadow prices appear only as rates with the interval over which they hold; every finite change (1 % more
    budget, a rule loosened by ``step``) is re-solved, and the sentence's ``quotes`` carry the exact figures.

    Examples
    --------
    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "B县"], "jobs": [100, 100],
    ...                       "cost": [0.2, 0.1], "poor": [1, 0]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, groups={"poor": {"column": "poor"}},
    ...     measures={"workshop": {"unit_cost": "cost", "capacity": "jobs"},
    ...               "export": {"unit_cost": "2500 元", "effectiveness": 1.5, "max_effectiveness": 1.5,
    ...                          "capacity": "jobs"}},  # each placed worker also places a relative
    ...     rules=[{"type": "group_share", "name": "tilt", "group": "poor", "min": 0.5}])
    >>> for sentence in explain(fa.solve(sc)):
    ...     print(sentence)
    One more 万元 of budget would add 8 weighted persons employed, a rate that holds at least for budgets from 0 to 20 万元. Re-solved, 1 % more budget (0.1 万元) would add 0.8 weighted persons employed.
    The rule `tilt` (at least 50% of the money to `poor`) costs 4 weighted persons employed per 10 points (min 50% → 40%, re-solved). At the margin, 1 万元 more to `poor` than the minimum share of `tilt` would lose 4 weighted persons employed, a rate that holds at least for shares from 0.0% to 100.0%.
    康保县's `workshop` would enter the allocation if it cost 17% less (at most 0.167 万元 per beneficiary instead of 0.2).
    B县's `export` would enter the allocation if it cost 40% less (at most 0.15 万元 per beneficiary instead of 0.25).
    """
    sc, p, s = result.scenario, result.program, result.solution
    lang = sc.language
    if s.row_dual is None:
        return ([Sentence(t("explain.no_prices", lang, note=note)) for note in result.notes]
                or [Sentence(t("explain.no_prices_at_all", lang))])
    solver = WarmSolver(sc)
    lines = []
    prices = result.shadow_prices
    if "budget" in prices.index and sc.budget is not None:
        lines.append(_budget_sentence(result, solver))
    for name in p.rule_blocks():
        kind = p.block_info[name].kind
        if kind == "target" and abs(float(prices[name])) > 1e-9:
            lines.append(Sentence(t("explain.target.rate", lang, name=block_shown(sc, name, quote=True),
                                    effect=effect(sc, float(prices[name])),
                                    interval=_target_range(result, name))))
        elif kind == "population" and name in result.binding_rules:  # one person is one person: no policy
            lines.append(Sentence(t("explain.full_stop", lang,
                                    text=identity_sentence(result, name, objective_words(sc)))))
    for rule in sc.rules:
        if rule.name not in p.blocks:  # not in this programme (the factor formula's evaluation)
            continue
        if rule.name not in result.binding_rules:
            lines.append(Sentence(t("explain.full_stop", lang, text=slack_sentence(result, rule))))
        elif is_identity(result, rule.name):
            lines.append(Sentence(t("explain.full_stop", lang,
                                    text=identity_sentence(result, rule.name, objective_words(sc)))))
        else:
            lines.append(_rule_sentence(result, rule, step, solver))
    unit = sc.money_unit
    for row in entry_thresholds(result).head(top).itertuples():
        label = said(sc, "measure", row.measure)
        if np.isfinite(row.cost_cut_to_enter):
            lines.append(Sentence(t("explain.entry.cost", lang, unit_name=row.unit_name, label=label,
                                    cut=f"{row.cost_cut_to_enter:.0%}", entry=fmt(row.entry_unit_cost), money=unit,
                                    cost=fmt(row.unit_cost))))
        else:
            lines.append(Sentence(t("explain.entry.effect", lang, unit_name=row.unit_name, label=label,
                                    rise=f"{row.effectiveness_rise_to_enter:.0%}", entry=fmt(row.entry_effectiveness),
                                    eff=fmt(row.effectiveness))))
    return lines


def _budget_sentence(result: Result, solver: WarmSolver) -> Sentence:
    """The budget's rate with its interval, and 1 % more budget re-solved."""
    sc = result.scenario
    lang, unit = sc.language, sc.money_unit
    price, total = float(result.shadow_prices["budget"]), sc.money(sc.budget.total)
    if abs(price) <= 1e-9:
        return Sentence(t("explain.budget.free", lang, total=fmt(total), unit=unit))
    text = t("explain.budget.rate", lang, unit=unit, effect=effect(sc, price), interval=_budget_range(result))
    changes = {"budget.total": scaled(sc, "budget.total", 1.01)}
    gained = gain(solver, sc, changes, result)
    if not np.isfinite(gained):  # e.g. a budget that must all be spent and cannot be
        return Sentence(text)
    text += t("explain.budget.step", lang, step=fmt(total / 100), unit=unit,
              effect=effect(sc, improvement(result.program, gained)))  # an improvement back to a change
    return Sentence(text, [Quote(changes, gained)])


def _rule_sentence(result: Result, rule, step: float, solver: WarmSolver) -> Sentence:
    """A rule at its limit: what loosening it by ``step`` gains (re-solved), then its rate at the margin."""
    sc = result.scenario
    lang = sc.language
    what = rule_words(sc, rule)
    name = said(sc, "rule", rule.name)
    changes, loosened = relaxation(sc, rule, step)
    gained = gain(solver, sc, changes, result)
    quotes = [Quote(changes, gained)] if np.isfinite(gained) else []
    if not quotes:  # the loosened scenario is not valid, or has no optimum
        head = t("explain.rule.at_limit", lang, rule=name, what=what)
    elif abs(gained) <= PRICE_TOLERANCE * max(1.0, abs(result.objective)):
        head = t("explain.rule.free", lang, rule=name, what=what, said=loosened)
    else:
        shares = rule.type in ("group_share", "earmark", "region_share")
        per = (t("explain.per.points", lang, n=f"{step * 100:g}") if shares
               else t("explain.per.loosening", lang, pct=f"{step:.0%}"))
        amount = t("explain.amount", lang, value=fmt(abs(gained)), words=objective_words(sc))
        head = t("explain.rule.costs", lang, rule=name, what=what, amount=amount, per=per, said=loosened)
    return Sentence(head + _margin(result, rule), quotes)


def _margin(result: Result, rule) -> str:
    """' At the margin, <one unit more> would <effect>, a rate that holds … (or, per county, most in …); it is at
    its floor in …'."""
    sc, name = result.scenario, rule.name
    lang = sc.language
    count, tied = count_words(result, name)
    counts = t("explain.rule.counts", lang, count=count) + tied if count else ""
    if not limits(result, name).priced:
        return t("explain.rule.margin_zero", lang, counts=counts)
    most = most_costly(result, name)
    return t("explain.rule.margin", lang, change=change_words(result, name),
             effect=effect(sc, float(result.shadow_prices[name])), interval=_share_range(result, rule),
             most=t("explain.rule.most", lang, names=most) if most else "", counts=counts)


def _share_range(result: Result, rule) -> str:
    """', a rate that holds at least for shares from 44.2% to 46.1%' for a binding share rule (from its row's
    ranging); '' for a rule stated per region, whose rate sums its regions' rows."""
    from ..rules import share_pieces

    if rule.type not in ("group_share", "earmark", "region_share"):
        return ""
    p = result.program
    info = p.block_info[rule.name]
    if info.regions is not None:
        return ""
    act = result.solution.row_activity[p.blocks[rule.name]]
    at = next((i for i, a in enumerate(act) if abs(a) <= 1e-7 * max(1.0, np.abs(act).max())), None)
    r = result.ranging
    row = r[(r["kind"] == "rhs") & (r["rule"] == info.row_names()[at])] if at is not None else r.iloc[:0]
    if row.empty:
        return ""
    piece = share_pieces(result.scenario, rule, p.masks)[at]
    whole = float(result.units["amount"].to_numpy()[piece.whole].sum())
    if whole <= 0:
        return ""
    # moving the row's bound by r is moving the share by r / whole (`part − share·whole ≥ r`)
    low, high = (piece.level + float(row[end].iloc[0]) / whole for end in ("low", "high"))
    low, high = max(low, 0.0), min(high, 1.0)
    return t("explain.share.interval", result.scenario.language, low=f"{low:.1%}", high=f"{high:.1%}")


def _budget_range(result: Result) -> str:
    r = result.ranging
    row = r[(r["kind"] == "rhs") & (r["rule"] == "budget")]
    if row.empty:
        return ""
    low, high = float(row["low"].iloc[0]), float(row["high"].iloc[0])
    lang, unit = result.scenario.language, result.scenario.money_unit
    if not np.isfinite(high):
        return t("explain.budget.interval_open", lang, low=fmt(low, lang), unit=unit)
    return t("explain.budget.interval", lang, low=fmt(low, lang), high=fmt(high, lang), unit=unit)


def _target_range(result: Result, name: str) -> str:
    r = result.ranging
    row = r[(r["kind"] == "rhs") & (r["rule"] == name)]
    if row.empty or not np.isfinite(row[["low", "high"]].to_numpy(dtype=float)).all():
        return ""
    return t("explain.target.interval", result.scenario.language, low=fmt(float(row["low"].iloc[0])),
             high=fmt(float(row["high"].iloc[0])))
