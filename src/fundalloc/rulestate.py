"""Each rule's state at the optimum, in words: at its limit, with a price, slack everywhere, an accounting identity.

One set of definitions for the summary, ``report.html``, ``explanations.txt`` and ``units.csv``:

- A row is **at its limit** when the allocation meets one of its bounds exactly (within
  :data:`~fundalloc.result.BINDING_TOLERANCE`). A zero limit met by nothing (a county without zero-employment
  households) is not counted. ``units.csv``'s ``binding_rules`` lists the rules at their limit in each county,
  and "at its floor in 17 of 63 counties" counts the same rows.
- A row **has a price** when its shadow price is not zero (above :data:`DUAL_TOLERANCE`). A row with a price is
  always at its limit, but not the other way round: the allocation can meet a limit exactly while moving it a
  little changes nothing (a tie: an equally good allocation exists off the limit). So "at its floor in 17 of 63
  counties, with a price in 13" is not a contradiction, and the sentences say so.
- A rule **does not bind** when none of its rows is at its limit; its sentence says by how much it misses.
- A rule at its limit with a price **nowhere** is met exactly, but moving it a little changes nothing anywhere:
  the summary and the report list it with the rules that do not bind, saying so, not among the binding rules.
- A pool marked ``identity`` (by default, a pool with factor 1) and every ``population.<P>`` row (persons drawn
  from a population at most its size) are accounting identities: the shadow price is what one more eligible
  person is worth, and where, never the cost of a policy.

>>> import pandas as pd, fundalloc as fa
>>> units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 100], "people": [50, 500],
...                       "households": [2, 3]})
>>> sc = fa.Scenario(units=units, budget={"total": 20},
...     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
...     rules=[{"type": "pool", "name": "once", "column": "people"},
...            {"type": "coverage", "name": "households", "column": "households"}])
>>> res = fa.solve(sc)
>>> print(identity_sentence(res, "once", "weighted jobs"))
`once` is an accounting identity (each person in `people` is funded once), not a policy with a price: where the pool is full, one more eligible person is worth +1 weighted jobs; at its ceiling in 1 of 2 counties
>>> print(slack_sentence(res, sc.rule("households")))
`households` does not bind anywhere: in every county the persons employed are at least 25 times what it requires
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalog import t
from .labels import block_shown, objective_words, said
from .numbers import fmt, percent, signed
from .result import Result

#: a row has a price when the absolute value of its dual (in the programme's units) is above this
DUAL_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Limits:
    """How many rows of a rule sit at their floor, at their ceiling (an equality row counts as a ceiling), and
    how many of those have a price (None without shadow prices, e.g. whole persons)."""

    rows: int
    floors: int
    ceilings: int
    priced: int | None

    @property
    def at_limit(self) -> int:
        return self.floors + self.ceilings


def limits(result: Result, name: str) -> Limits:
    """The counts of rule ``name`` (see the module's definitions).

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 50], "last": [3, 5]})
    >>> res = fa.solve(fa.Scenario(units=units, budget={"total": 12},  # 乙县's 50 places cost its floor of 5
    ...     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
    ...     rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}]))
    >>> limits(res, "hold_harmless")  # a person is worth as much in 甲县: 乙县's floor has no price
    Limits(rows=2, floors=1, ceilings=0, priced=0)
    """
    at = result.rows_at_limit(name)
    floor, ceiling = result.at_limit(name)
    priced = _priced(result, name)
    return Limits(len(at), int((at & floor & ~ceiling).sum()), int((at & ceiling).sum()),
                  None if priced is None else int(priced.sum()))


def _priced(result: Result, name: str) -> np.ndarray | None:
    """Per row of rule ``name``: at its limit with a non-zero shadow price (None without shadow prices)."""
    dual = result.solution.row_dual
    if dual is None:
        return None
    return result.rows_at_limit(name) & (np.abs(dual[result.program.blocks[name]]) > DUAL_TOLERANCE)


def count_words(result: Result, name: str) -> tuple[str, str]:
    """('at its floor in 17 of 63 counties', ', with a price in 13; in the other 4 it is met exactly but …'):
    where a per-unit rule is at its limit and, when fewer of those have a price, why; ('', '') for a one-row rule.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 50], "last": [3, 5]})
    >>> res = fa.solve(fa.Scenario(units=units, budget={"total": 12},  # 乙县's 50 places cost its floor of 5
    ...     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
    ...     rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}]))
    >>> count_words(res, "hold_harmless")[0]
    'at its floor in 1 of 2 counties'
    """
    lang = result.scenario.language
    info = result.program.block_info[name]
    regional = info.units is None and info.regions is not None
    if (info.units is None and not regional) or info.n_rows <= 1:
        return "", ""
    c = limits(result, name)
    side = "floor" if not c.ceilings else "ceiling" if not c.floors else "limit"
    where = ".regions" if regional else ""
    n = len(set(info.regions)) if regional else c.rows
    tied = (t(f"explain.count.tied{where}", lang, priced=c.priced, tied=c.at_limit - c.priced)
            if c.priced is not None and c.priced < c.at_limit else "")
    return t(f"explain.count.{side}{where}", lang, at=c.at_limit, n=n), tied


def change_words(result: Result, name: str) -> str:
    """The one-unit change a rule's shadow price is about, in the analyst's words.

    >>> import pandas as pd, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 50], "last": [3, 5]})
    >>> res = fa.solve(fa.Scenario(units=units, budget={"total": 12},  # 乙县's 50 places cost its floor of 5
    ...     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
    ...     rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}]))
    >>> change_words(res, "hold_harmless"), change_words(res, "budget")
    ('raising every floor of `hold_harmless` by 1 万元', 'one more 万元 of budget')
    """
    sc = result.scenario
    lang = sc.language
    info = result.program.block_info[name]
    q = sc.money_unit if info.quantity == "money" else t("explain.q.person", lang)
    kind = info.kind
    rule = said(sc, "rule", name)
    if kind == "budget":
        return t("explain.change.budget", lang, q=q)
    if kind in ("pool", "coverage", "min_coverage_rate", "per_capita_tilt"):
        return t(f"explain.change.{kind}", lang, name=rule, q=q)
    if kind == "target":
        return t("explain.change.target", lang, target=block_shown(sc, name, quote=True))
    if kind in ("population", "entitlement"):
        what = name.split(".", 1)[1]
        label = said(sc, "measure" if kind == "entitlement" else "population", what)
        return t(f"rules.{kind}.change", lang, name=label, measure=label)
    c = limits(result, name)
    if kind in ("group_share", "earmark", "region_share"):
        to = (t("explain.to.group", lang, group=said(sc, "group", sc.rule(name).group)) if kind == "group_share"
              else t("explain.to.earmark", lang))
        side = "min" if not c.ceilings else "max" if not c.floors else "both"
        key = f"region_share_{side}" if kind == "region_share" else f"share_{side}{'.regions' if info.regions else ''}"
        return t(f"explain.change.{key}", lang, q=q, to=to, name=rule)
    bound = t(f"explain.bound.{'both' if c.floors and c.ceilings else 'ceiling' if c.ceilings else 'floor'}", lang)
    return t("explain.change.bound_one" if info.units is None else "explain.change.bound_every", lang,
             bound=bound, name=rule, q=q)


# ----------------------------------------------------------------------------------------- identities
def is_identity(result: Result, name: str) -> bool:
    """Whether block ``name`` is an accounting identity: a pool marked ``identity`` (by default, a pool with
    factor 1) or a ``population.<P>`` row (persons drawn from a population ≤ its size)."""
    info = result.program.block_info.get(name)
    if info is not None and info.kind == "population":
        return True
    rule = next((r for r in result.scenario.rules if r.name == name), None)
    return rule is not None and rule.type == "pool" and rule.is_identity


def identity_sentence(result: Result, name: str, words: str) -> str:
    """An accounting identity at its limit: not a policy price, but what one more eligible person is worth,
    where. ``words`` names the objective (``weighted jobs`` …)."""
    sc = result.scenario
    lang = sc.language
    if result.program.block_info[name].kind == "population":
        text = t("explain.identity.population", lang, what=block_shown(sc, name, quote=True))
    else:
        rule = sc.rule(name)
        column = rule.column or sc.population(rule.population).column
        text = t("explain.identity.head", lang, rule=said(sc, "rule", name), column=said(sc, "column", column))
    priced = _priced(result, name)
    if priced is None:
        text += t("explain.rate.none", lang)
    else:
        values = result.rule_duals(name)[priced]
        if not values.size:
            text += t("explain.identity.nothing", lang)
        elif np.ptp(values) <= 1e-9 * max(1.0, np.abs(values).max()):
            text += t("explain.identity.same", lang, value=signed(float(values[0])), words=words)
        else:
            text += t("explain.identity.range", lang, low=signed(float(values.min())), high=signed(float(values.max())),
                      words=words, most=most_costly(result, name, with_values=True))
    count, tied = count_words(result, name)
    if priced is not None and not priced.any():
        tied = ""  # "would add nothing" says it already
    return text + (t("explain.sep", lang) + count + tied if count else "")


def priced_nowhere(result: Result, name: str) -> bool:
    """At its limit somewhere, with a price nowhere: the allocation meets it exactly, but moving it a little
    changes nothing anywhere (False without shadow prices, where nothing can be said of prices)."""
    priced = _priced(result, name)
    return priced is not None and bool(result.rows_at_limit(name).any()) and not priced.any()


def unpriced_sentence(result: Result, name: str, words: str) -> str:
    """A block at its limit with a price nowhere: 'zero_employment is met exactly (at its floor in 4 of 63
    counties) but has a price nowhere: moving it a little changes nothing'; an identity says it in its own
    words."""
    if is_identity(result, name):
        return identity_sentence(result, name, words)
    count, _ = count_words(result, name)
    sc = result.scenario
    lang = sc.language
    return t("explain.unpriced", lang, what=block_shown(sc, name, quote=True),
             count=t("explain.paren", lang, text=count) if count else "")


def most_costly(result: Result, name: str, top: int = 3, *, with_values: bool = False) -> str:
    """The ``top`` units where rule ``name``'s price is largest in absolute value, largest first ('康保县, 蔚县' or,
    ``with_values``, '康保县 (+0.753), 蔚县 (+0.75)'); '' when it has no price anywhere."""
    lang = result.scenario.language
    priced = _priced(result, name)
    info = result.program.block_info[name]
    if priced is None or not priced.any() or (info.units is None and info.regions is None):
        return ""
    dual = result.rule_duals(name)
    rows = np.flatnonzero(priced)
    rows = rows[np.argsort(-np.abs(dual[rows]), kind="stable")][:top]
    names = (result.scenario.units["name"].to_numpy()[info.units[rows]] if info.units is not None
             else np.asarray(info.regions, dtype=object)[rows])
    parts = ([t("explain.named_value", lang, name=n, value=signed(float(dual[r]))) for n, r in zip(names, rows)]
             if with_values else [str(n) for n in names])
    return t("explain.list_sep", lang).join(parts)


# ---------------------------------------------------------------------------------------------- slack
_WHAT = {"pool": "persons_funded", "min_coverage_rate": "persons_funded", "coverage": "persons_employed",
         "hold_harmless": "money", "unit_bounds": "money"}


def slack_sentence(result: Result, rule) -> str:
    """A rule none of whose rows is at its limit, and by how much it misses: 'zero_employment does not bind
    anywhere: in every county the persons employed are at least 13.3 times what it requires'."""
    lang = result.scenario.language
    p = result.program
    rows = p.blocks[rule.name]
    act = (result.solution.row_activity[rows] if result.solution.row_activity is not None
           else p.matrix[rows] @ result.solution.x)
    if rule.type in ("group_share", "earmark", "region_share"):
        clauses = _share_slack(result, rule, act)
    elif rule.type == "per_capita_tilt":
        clauses = _per_capita_slack(result, rule)
    else:
        clauses = _ratio_slack(result, rule, act, p.row_lower[rows], p.row_upper[rows])
    one_row = p.block_info[rule.name].units is None
    return t("explain.slack.sentence_one" if one_row else "explain.slack.sentence", lang,
             rule=said(result.scenario, "rule", rule.name),
             clauses=t("explain.sep", lang).join(clauses))


def slack_sentences(result: Result) -> list[tuple[str, str]]:
    """``(rule, sentence)`` for every rule of the programme that does not bind anywhere (the factor formula's
    evaluation keeps only the unit-level rules), and every rule or automatic row that is at its limit with a
    price nowhere (met exactly, but moving it changes nothing), in the programme's order."""
    words = objective_words(result.scenario)
    binding = set(result.binding_rules)
    rules = {r.name: r for r in result.scenario.rules}
    out = []
    for name in result.program.rule_blocks():
        if name in binding:
            if priced_nowhere(result, name):
                out.append((name, unpriced_sentence(result, name, words)))
        elif name in rules:
            out.append((name, slack_sentence(result, rules[name])))
    return out


def _scope(sc, rule) -> str:
    return t("explain.slack.scope", sc.language, group=said(sc, "group", rule.where)) if rule.where is not None else ""


def _ratio_slack(result: Result, rule, act, lower, upper) -> list[str]:
    """Per-unit rows with non-zero limits: the least ratio of use to floor, the largest of use to ceiling."""
    lang = result.scenario.language
    what = t(f"explain.what.{_WHAT[rule.type]}", lang)
    clauses = []
    floors = np.isfinite(lower) & (lower > 0)
    if floors.any():
        ratio = float(np.min(act[floors] / lower[floors]))
        clauses.append(t("explain.slack.floor", lang, scope=_scope(result.scenario, rule), what=what,
                         ratio=fmt(ratio, lang)))
    ceilings = np.isfinite(upper) & (upper > 0)
    if ceilings.any():
        share = float(np.max(act[ceilings] / upper[ceilings]))
        clauses.append(t("explain.slack.ceiling", lang, scope=_scope(result.scenario, rule), what=what,
                         share=f"{share:.0%}"))
    return clauses or [t("explain.slack.zero", lang)]


def _share_slack(result: Result, rule, act) -> list[str]:
    """A share rule's row is ``part − level·whole``: the share is ``level + row / whole``. Stated per region,
    the region closest to its limit on each side."""
    from .rules import share_pieces

    lang = result.scenario.language
    p = result.program
    amount = result.units["amount"].to_numpy()
    whom = (t("explain.whom.group", lang, group=said(result.scenario, "group", rule.group))
            if rule.type == "group_share" else t("explain.whom.earmark", lang))
    closest: dict[str, tuple] = {}
    for piece, a in zip(share_pieces(result.scenario, rule, p.masks), act):
        whole = float(amount[piece.whole].sum())
        share = piece.level + float(a) * p.row_scale(rule.name) / whole if whole > 0 else 0.0
        margin = share - piece.level if piece.side == "min" else piece.level - share
        if piece.side not in closest or margin < closest[piece.side][0]:
            closest[piece.side] = (margin, share, piece)
    clauses = []
    for side, (_, share, piece) in closest.items():
        key = (f"region_share_{side}" if rule.type == "region_share"
               else f"share_{side}{'' if piece.region is None else '.region'}")
        clauses.append(t(f"explain.slack.{key}", lang, whom=whom, share=f"{share:.1%}", limit=percent(piece.level),
                         region=piece.region))
    return clauses


def _per_capita_slack(result: Result, rule) -> list[str]:
    """The least ratio, over the favoured units, of their money per head to the others'."""
    lang = result.scenario.language
    p, sc = result.program, result.scenario
    where = np.ones(p.n_units, bool) if rule.where is None else p.masks[rule.where]
    favoured, others = where & p.masks[rule.group], where & ~p.masks[rule.group]
    amount = result.units["amount"].to_numpy()
    pop = sc.units[rule.population].to_numpy(dtype=float)
    counted = favoured & (pop > 0)
    others_per_head = amount[others].sum() / pop[others].sum() if pop[others].sum() > 0 else 0.0
    if not counted.any() or others_per_head <= 0:
        return [t("explain.slack.zero", lang)]
    ratio = float(np.min(amount[counted] / pop[counted]) / others_per_head)
    return [t("explain.slack.per_capita", lang, group=said(sc, "group", rule.group), ratio=fmt(ratio, lang),
              asked=f"{rule.ratio:g}")]
