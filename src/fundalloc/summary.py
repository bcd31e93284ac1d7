"""The words about one result, for people: its headline figures, money by group, the binding rules with their
shadow prices as rates, the tie-break, the runs side by side, and the notes, in the scenario's language.

The terminal summary (``Result.summary``), the notebook view, report.html and the workbook all take their
sentences from here, so that they say the same thing in the same words.

>>> import pandas as pd, fundalloc as fa
>>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "阜平县"], "jobs": [100, 50]})
>>> sc = fa.Scenario(units=units, budget={"total": 12},
...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
>>> price_sentences(fa.solve(sc))
[('budget', 'one more 万元 of budget: +10 weighted jobs')]
>>> price_sentences(fa.solve(sc, lang="zh"))
[('budget', '预算增加1万元：+10加权就业人数')]
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pandas as pd

from . import labels
from .labels import run_label
from .catalog import t
from .numbers import signed
from .result import Result
from .rulestate import change_words, count_words, identity_sentence, is_identity, priced_nowhere
from .tables import pad, text_width

#: the width of the label column of the terminal summary (display columns: a Chinese character is two)
LABEL_WIDTH = 18


# ----------------------------------------------------------------------------------------------- words


def objective_words(result: Result) -> str:
    """What the objective counts: ``weighted jobs`` (加权就业人数), the scenario's ``objective.label``, or for
    ``min_cost`` the money needed."""
    return labels.objective_words(result.scenario)


def price_sentence(result: Result, name: str) -> str:
    """One binding rule and its shadow price in words, as a rate:
    ``raising every floor of `hold_harmless` by 1 万元: −12.3 weighted jobs (at its floor in 12 of 62 counties)``;
    for a pool that is an accounting identity, what one more eligible person is worth, where."""
    if is_identity(result, name):
        return identity_sentence(result, name, objective_words(result))
    lang = result.scenario.language
    prices = result.shadow_prices
    effect = (t("explain.amount", lang, value=signed(float(prices[name])), words=objective_words(result))
              if name in prices else t("explain.rate.none", lang))
    count, tied = count_words(result, name)
    return (t("explain.rate.sentence", lang, change=change_words(result, name), effect=effect)
            + (t("explain.paren", lang, text=count) if count else "") + tied)


def price_sentences(result: Result) -> list[tuple[str, str]]:
    """``(rule, sentence)`` for every binding rule, the budget first: at its limit, with a price somewhere (one
    at its limit with a price nowhere is among :func:`~fundalloc.rulestate.slack_sentences`)."""
    return [(name, price_sentence(result, name)) for name in result.binding_rules if not priced_nowhere(result, name)]


def status_words(status: str, lang: str) -> str:
    """A solver status in words (``optimal`` → 最优)."""
    from .catalog import words
    key = f"common.status.{status}"
    return t(key, lang) if key in words() else status


def objectives_or_statuses(tornado: pd.DataFrame, side: str, lang: str) -> list:
    """A tornado side's objectives (``objective_low`` …), a status in words where that side did not solve
    (无可行解: the rules cannot all hold at that value), so that a blank cell never hides it."""
    return [float(value) if status == "optimal" else status_words(status, lang)
            for value, status in zip(tornado[f"objective_{side}"], tornado[f"status_{side}"])]


def summary_rows(result: Result) -> list[tuple[str, str]]:
    """The headline figures as ``(label, text)``: status, objective, budget, money allocated, persons, and how the
    tie-break chose among equally good allocations."""
    sc, unit = result.scenario, result.scenario.money_unit
    lang = sc.language
    rows = [(t("summary.status", lang), status_words(result.status, lang)),
            (t("summary.objective", lang), f"{result.objective:,.2f} {objective_words(result)}")]
    if hasattr(result, "coverage_rate"):
        rows.append((t("summary.coverage_rate", lang), t("summary.coverage_rate.value", lang,
                                                           rate=f"{result.coverage_rate:.2%}")))
    if sc.budget is not None:
        rows.append((t("summary.budget", lang), f"{sc.money(sc.budget.total):,.2f} {unit}"))
    rows += [(t("summary.allocated", lang), f"{result.total_allocated:,.2f} {unit}"),
             (t("summary.persons", lang), t("summary.persons.value", lang, n=f"{result.total_outcome:,.1f}"))]
    sentence = tie_break_sentence(result)
    if sentence:
        rows.append((t("tiebreak.label", lang), sentence))
    return rows


def reference_words(result: Result) -> str:
    """What the tie-break moved toward, in words."""
    sc, name = result.scenario, result.tie_break.toward
    if name in ("baseline", "equal"):
        return t(f"tiebreak.reference.{name}", sc.language)
    return t("tiebreak.reference.column", sc.language, column=labels.said(sc, "column", name))


def tie_break_sentence(result: Result) -> str | None:
    """How many counties' money the optimum alone fixes, and what decided the others (None for a MIP, whose
    note says why there is no tie-break)."""
    info, lang = result.tie_break, result.scenario.language
    if info is None or result.program.integer:
        return None
    tied = result.units["tie_decided"]
    n, known = len(tied), bool(tied.notna().all())
    fixed, moving = int((tied == False).sum()), int((tied == True).sum())  # noqa: E712 (nullable booleans)
    if known and moving == 0:
        return t("tiebreak.unique", lang, n=n)
    if not info.ran:
        return (t("tiebreak.undecided", lang, tied=moving, n=n) if known
                else t("tiebreak.undecided_unmeasured", lang))
    reference = reference_words(result)
    return (t("tiebreak.decided", lang, fixed=fixed, n=n, tied=moving, reference=reference) if known
            else t("tiebreak.decided_unmeasured", lang, fixed=fixed, n=n, reference=reference))


def group_table(result: Result) -> pd.DataFrame:
    """Money by group: amount (in ``money_unit``) and share of all money, one row per group under its label (its
    name without one), the last row all units."""
    sc = result.scenario
    money = pd.Series(result.money_by_group, name="amount")
    total = money.get("all", 0.0) or 1.0
    names = [t("summary.all_groups", sc.language) if g == "all" else labels.shown(sc, "group", g)
             for g in money.index]
    return pd.DataFrame({"amount": money.to_numpy(), "share": (money / total).to_numpy()},
                        index=pd.Index(names, name="group"))


def group_headers(result: Result) -> tuple[str, str, str]:
    """The headers of :func:`group_table` for people: group, money (its unit), share."""
    lang = result.scenario.language
    return t("summary.by_group", lang), result.scenario.money_unit, t("summary.share", lang)


def summary_text(result: Result) -> str:
    """A plain-text report to paste into a memo: the headline figures, money by group, and each binding rule
    with its shadow price in words (``Result.summary``). Labels line up in a terminal whether they are Chinese
    or English."""
    from .rulestate import slack_sentences

    sc = result.scenario
    lang = sc.language
    rows = summary_rows(result)
    width = max([LABEL_WIDTH] + [text_width(label) + 2 for label, _ in rows])
    lines = [result_title(result)]
    lines += [f"  {pad(label, width)}{text}" for label, text in rows]
    head, unit, share = group_headers(result)
    groups = group_table(result)
    name_width = max([width] + [text_width(g) + 2 for g in groups.index])
    lines += ["", f"  {pad(head, name_width)}{pad(unit, 16, right=True)}{pad(share, 9, right=True)}"]
    lines += [f"  {pad(g, name_width)}{row.amount:>16,.2f}{row.share:>9.1%}" for g, row in groups.iterrows()]
    lines += ["", f"  {t('summary.binding', lang)}"]
    lines += [f"  - {text}" for _, text in price_sentences(result)] or [f"  {t('summary.none_binding', lang)}"]
    slack = slack_sentences(result)
    if slack:
        lines += ["", f"  {t('explain.summary.not_binding', lang)}"]
        lines += [f"  - {text}" for _, text in slack]
    lines += [f"  {t('summary.note', lang, text=n)}" for n in result.notes]
    return "\n".join(lines)


def result_title(result: Result) -> str:
    """The scenario's name, with the variant's in brackets."""
    return result.scenario.name + (f" [{result.variant}]" if result.variant else "")


# ------------------------------------------------------------------------------------------------ runs


def run_table(results: dict[str, Result]) -> pd.DataFrame:
    """One row per run (base, variants, factor baseline): objective, money allocated, persons, money by group
    (machine column names: ``objective``, ``allocated``, ``persons``, ``money.<group>``)."""
    rows = {}
    for run, r in results.items():
        row = {"objective": r.objective, "allocated": r.total_allocated, "persons": r.total_outcome}
        row.update({f"money.{g}": v for g, v in r.money_by_group.items() if g != "all"})
        rows[run] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("run")


def run_table_for_people(results: dict[str, Result], base: Result, *, units: bool = True) -> pd.DataFrame:
    """:func:`run_table` with headers and run names in the base scenario's language, groups under their
    labels; ``units``: the money unit in the money headers."""
    sc = base.scenario
    lang = sc.language
    unit = t("summary.in_unit", lang, unit=sc.money_unit) if units else ""
    table = run_table(results)
    columns = {"objective": t("summary.objective", lang), "allocated": t("summary.allocated", lang) + unit,
               "persons": t("summary.persons", lang)}
    columns.update({c: labels.shown(sc, "group", c.removeprefix("money.")) + unit
                    for c in table.columns if c.startswith("money.")})
    table = table.rename(columns=columns)
    table.index = [run_label(name, lang) for name in table.index]
    return table


def runs_text(results: dict[str, Result], base: Result, heading: str) -> list[str]:
    """The runs compared, for the terminal: the heading, then the table (money to one decimal, CJK aligned)."""
    table = run_table_for_people(results, base, units=False)
    with pd.option_context("display.unicode.east_asian_width", True):
        text = table.to_string(float_format=lambda v: f"{v:,.1f}")
    return [f"  {heading}"] + [f"  {line}" for line in text.splitlines()]


# ----------------------------------------------------------------------------------------------- notes


def solve_note(result: Result) -> str:
    """'Money is in 万元. Solved with HiGHS in 0.21 s by fundalloc 0.3 on 2024-05-01.'"""
    from . import __version__
    return t("summary.solved", result.scenario.language, unit=result.scenario.money_unit,
             solver=result.solution.solver or result.backend,
             seconds=f"{result.timings.get('total', float('nan')):.2f}", version=__version__,
             date=_dt.date.today().isoformat())


def input_notes(sc) -> list[str]:
    """Where the scenario came from: its file and the sha256 of every input."""
    lang = sc.language
    notes = [t("summary.scenario_file", lang, path=sc.source)] if sc.source else []
    if sc.inputs:
        notes.append(t("summary.inputs", lang, files=t("explain.sep", lang).join(
            f"{Path(f).name} {h[:12]}" for f, h in sc.inputs.items())))
    return notes


__all__ = ["group_table", "input_notes", "objective_words", "price_sentence", "price_sentences",
           "reference_words", "run_label", "run_table", "run_table_for_people", "solve_note", "summary_rows",
           "summary_text", "tie_break_sentence"]
