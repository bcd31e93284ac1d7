"""report.html and the words around a result: one self-contained page an official can read.

The page has the summary, the 分配表 (:mod:`fundalloc.notice_table`), money by county (a bar chart coloured by
group) and by measure, the binding rules with their shadow prices in words, the per-county table and notes;
callers append their own sections (sensitivity, factor baseline, variants). Charts are inline SVG written by
:mod:`fundalloc.charts`; nothing on the page points outside it.

>>> import pandas as pd, fundalloc as fa
>>> from fundalloc.report import price_sentences
>>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "阜平县"], "jobs": [100, 50]})
>>> sc = fa.Scenario(units=units, budget={"total": 12},
...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
>>> price_sentences(fa.solve(sc))
[('budget', 'one more 万元 of budget: +10 weighted jobs')]
"""
from __future__ import annotations

import datetime as _dt
import html
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import t
from .charts import CSS_FONT_FAMILY, Chart, bar_chart, category_colours
from .rulestate import change_words, count_words, identity_pool, identity_sentence, slack_sentences
from .numbers import signed
from .result import Result

#: how many counties the money chart shows before it keeps only the largest
MAX_BARS = 80
#: how many counties the page's table lists before it keeps only the largest (units.csv has them all)
MAX_TABLE_ROWS = 2000


# ----------------------------------------------------------------------------------------------- words


def objective_words(result: Result) -> str:
    """What the objective counts: ``weighted jobs`` or, for ``min_cost``, the money needed."""
    lang = result.scenario.language
    if result.objective_type == "min_cost":
        return t("explain.words.money_needed", lang, unit=result.scenario.money_unit)
    return t("explain.words.outcome_short", lang)


def price_sentence(result: Result, name: str) -> str:
    """One binding rule and its shadow price in words, as a rate:
    ``raising every floor of hold_harmless by 1 万元: −12.3 weighted jobs (at its floor in 12 of 62 counties)``;
    for a pool that is an accounting identity, what one more eligible person is worth, where."""
    if identity_pool(result, name) is not None:
        return identity_sentence(result, name, objective_words(result))
    lang = result.scenario.language
    prices = result.shadow_prices
    effect = (t("explain.amount", lang, value=signed(float(prices[name])), words=objective_words(result))
              if name in prices else t("explain.rate.none", lang))
    count, tied = count_words(result, name)
    return (t("explain.rate.sentence", lang, change=change_words(result, name), effect=effect)
            + (t("explain.paren", lang, text=count) if count else "") + tied)


def price_sentences(result: Result) -> list[tuple[str, str]]:
    """``(rule, sentence)`` for every binding rule, the budget first."""
    return [(name, price_sentence(result, name)) for name in result.binding_rules]


def summary_rows(result: Result) -> list[tuple[str, str]]:
    """The headline figures as ``(label, text)``: status, objective, budget, money allocated, persons."""
    sc, unit = result.scenario, result.scenario.money_unit
    rows = [("status", result.status),
            ("objective", f"{result.objective:,.2f} {objective_words(result)}")]
    if hasattr(result, "coverage_rate"):
        rows.append(("coverage rate", f"{result.coverage_rate:.2%} of the need in every county"))
    if sc.budget is not None:
        rows.append(("budget", f"{sc.money(sc.budget.total):,.2f} {unit}"))
    rows += [("allocated", f"{result.total_allocated:,.2f} {unit}"),
             ("persons employed", f"{result.total_outcome:,.1f} (unweighted)")]
    sentence = tie_break_sentence(result)
    if sentence:
        rows.append((t("tiebreak.label", sc.language), sentence))
    return rows


def reference_words(result: Result) -> str:
    """What the tie-break moved toward, in words."""
    lang, name = result.scenario.language, result.tie_break.toward
    if name in ("baseline", "equal"):
        return t(f"tiebreak.reference.{name}", lang)
    return t("tiebreak.reference.column", lang, column=name)


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
    """Money by group: amount (in ``money_unit``) and share of all money."""
    money = pd.Series(result.money_by_group, name="amount")
    total = money.get("all", 0.0) or 1.0
    return pd.DataFrame({"amount": money, "share": money / total}).rename_axis("group")


def run_table(results: dict[str, Result]) -> pd.DataFrame:
    """One row per run (base, variants, factor baseline): objective, money allocated, persons, money by group."""
    rows = {}
    for run, r in results.items():
        row = {"objective": r.objective, "allocated": r.total_allocated, "persons": r.total_outcome}
        row.update({f"money.{g}": v for g, v in r.money_by_group.items() if g != "all"})
        rows[run] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("run")


# ------------------------------------------------------------------------------------------------ page


def write_report(result: Result, path: str | os.PathLike, sections: Sequence[tuple[str, str]] = (),
                 notes: Sequence[str] = ()) -> Path:
    """Write ``report.html`` for a result; ``sections`` are ``(title, html)`` appended after the notes (with
    an empty title, the html is a whole section of its own),
    ``notes`` more notes for the reader (e.g. what was changed on the command line)."""
    from .infeasible import InfeasibleRun  # a run with no allocation has a page of its own

    path = Path(path)
    page = render_infeasible if isinstance(result, InfeasibleRun) else render
    path.write_text(page(result, sections, notes), encoding="utf-8")
    return path


def render(result: Result, sections: Sequence[tuple[str, str]] = (), notes: Sequence[str] = ()) -> str:
    """The report as one self-contained HTML page."""
    sc = result.scenario
    title = sc.name + (f" — {result.variant}" if result.variant else "")
    body = [f"<h1>{_e(title)}</h1>"]
    if sc.description:
        body.append(f'<p class="lead">{_e(sc.description)}</p>')
    body += [_section("Summary", _summary_html(result))]
    if result.has_allocation_table:
        table = result.allocation_table()
        body.append(_section(t("table.title", table.lang), table.html()))
    body += [_section("Money by county", _chart_html(county_chart(result))),
             _section("Money by measure", _chart_html(measure_chart(result))),
             _section("Binding rules", _rules_html(result)),
             _section("Per county", _units_html(result)),
             _section("Notes", _notes_html(result, notes))]
    body += [_section(t, content) if t else content for t, content in sections]
    return _PAGE.format(title=_e(title), css=_css(), body="\n".join(body))


def render_infeasible(run, sections: Sequence[tuple[str, str]] = (), notes: Sequence[str] = ()) -> str:
    """The page of a run with no allocation (an :class:`~fundalloc.infeasible.InfeasibleRun`): its diagnosis,
    the notes, then the callers' sections (e.g. the variants that solved)."""
    from .catalog import t

    sc = run.scenario
    title = sc.name + (f" — {run.variant}" if run.variant else "")
    body = [f"<h1>{_e(title)}</h1>"]
    if sc.description:
        body.append(f'<p class="lead">{_e(sc.description)}</p>')
    body += [_section(t("runs.infeasible.title", sc.language), run.html()),
             _section("Notes", "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in [*notes, *_input_notes(sc)]) + "</ul>")]
    body += [_section(heading, content) if heading else content for heading, content in sections]
    return _PAGE.format(title=_e(title), css=_css(), body="\n".join(body))


def _section(title: str, content: str) -> str:
    return f"<section>\n<h2>{_e(title)}</h2>\n{content}\n</section>"


def _summary_html(result: Result) -> str:
    head = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in summary_rows(result))
    unit = result.scenario.money_unit
    groups = "".join(f"<tr><th>{_e(g)}</th><td class=num>{r.amount:,.2f}</td><td class=num>{r.share:.1%}</td></tr>"
                     for g, r in group_table(result).iterrows())
    return (f'<table class="facts">{head}</table>\n'
            f'<h3>Money by group</h3><table><tr><th>group</th><th>{_e(unit)}</th><th>share</th></tr>{groups}</table>')


def _chart_html(chart: Chart) -> str:
    return f'<div class="chart-box">{chart.svg}</div>'


def colour_categories(result: Result) -> list[str]:
    """Per unit, the groups it is coloured by: the weighted groups (or, without weights, the groups defined
    from the table rather than from other groups), joined by `` + ``."""
    sc, masks = result.scenario, result.program.masks
    weighted = [g for g in sc.weights if g != "combine" and g in masks]
    base = weighted or [g for g, spec in sc.groups.items() if spec.column is not None or spec.ids is not None]
    n = result.program.n_units
    if not base:
        return [""] * n
    patterns, inverse = np.unique(np.vstack([masks[g] for g in base]).T, axis=0, return_inverse=True)
    labels = np.array([" + ".join(g for g, inside in zip(base, row) if inside) for row in patterns], dtype=object)
    return labels[inverse.ravel()].tolist()


def group_colours(result: Result) -> dict[str, str]:
    """Colour category (see :func:`colour_categories`) → colour, the same in every chart of a run."""
    return category_colours(colour_categories(result))


def county_chart(result: Result) -> Chart:
    """Money by county, largest first, bars coloured by group."""
    units = result.units.assign(category=colour_categories(result)).sort_values("amount", ascending=False)
    title = "Money by county"
    if len(units) > MAX_BARS:
        title = f"Money by county: the {MAX_BARS} largest of {len(units)}"
        units = units.head(MAX_BARS)
    labels = [n or i for n, i in zip(units["unit_name"], units["unit_id"])]
    return bar_chart(labels, units["amount"], colour_by=units["category"], colours=group_colours(result),
                     title=title, xlabel=result.scenario.money_unit)


def measure_labels(result: Result) -> dict[str, str]:
    """Measure name → its display label (the name when it has none)."""
    return {m: spec.label or m for m, spec in result.scenario.measures.items()}


def measure_chart(result: Result) -> Chart:
    """Money by measure, in the scenario's order."""
    money = result.allocation.groupby("measure", sort=False)["amount"].sum()
    labels = measure_labels(result)
    return bar_chart([labels[m] for m in money.index], money.to_numpy(), title="Money by measure",
                     xlabel=result.scenario.money_unit)


def _rules_html(result: Result) -> str:
    lang = result.scenario.language
    sentences = price_sentences(result)
    if not sentences:
        text = f"<p>{_e(t('explain.report.none_binding', lang))}</p>"
    else:
        items = "".join(f"<li><b>{_e(rule)}</b>: {_e(s)}{_policy(result, rule)}</li>" for rule, s in sentences)
        text = f"<p>{_e(t('explain.report.intro', lang))}</p><ul>{items}</ul>"
    slack = slack_sentences(result)
    if slack:
        items = "".join(f"<li>{_e(s)}{_policy(result, rule)}</li>" for rule, s in slack)
        text += f"<h3>{_e(t('explain.report.not_binding', lang))}</h3><ul>{items}</ul>"
    return text


def _policy(result: Result, name: str) -> str:
    """The rule's description (the policy's words), when the scenario gives one."""
    try:
        text = result.scenario.rule(name).description
    except KeyError:  # the budget, a target
        return ""
    return f'<br><span class="policy">{_e(text)}</span>' if text else ""


def units_frame(result: Result) -> pd.DataFrame:
    """Per county: name, groups, weight, money per measure, total money, persons, binding rules."""
    units = result.units
    labels = measure_labels(result)
    money = result.per_unit_measure_money   # measures × units, in the scenario's order
    per_measure = pd.DataFrame({labels[m]: money[i] for i, m in enumerate(result.program.measures)},
                               index=units.index)
    frame = pd.concat([units[["unit_id", "unit_name", "groups", "weight"]], per_measure,
                       units[["amount", "beneficiaries", "outcome", "binding_rules"]]], axis=1)
    return frame.sort_values("amount", ascending=False)


def _units_html(result: Result) -> str:
    frame = units_frame(result)
    unit, lang = result.scenario.money_unit, result.scenario.language
    note = f"<p>Money in {_e(unit)}, by measure and in total; largest allocation first.</p>"
    if len(frame) > MAX_TABLE_ROWS:
        note += f"<p>{_e(t('solver.report.largest_units', lang, shown=MAX_TABLE_ROWS, total=len(frame)))}</p>"
        frame = frame.head(MAX_TABLE_ROWS)
    tied = result.units["tie_decided"].reindex(frame.index).fillna(False).to_numpy(dtype=bool)
    if tied.any():  # mark the counties whose money the optimum leaves open, and give their range
        units = result.units.reindex(frame.index)
        frame["unit_name"] = np.where(tied, "◆ " + frame["unit_name"].astype(str), frame["unit_name"])
        frame[t("tiebreak.report.range", lang)] = [
            f"{lo:,.2f} – {hi:,.2f}" if is_tied else ""
            for lo, hi, is_tied in zip(units["amount_min_at_optimum"], units["amount_max_at_optimum"], tied)]
        how = t("tiebreak.report.how", lang, reference=reference_words(result)) if result.tie_break.ran else None
        note += (f"<p>{_e(t('tiebreak.report.mark', lang, how=how))}</p>" if how
                 else f"<p>{_e(t('tiebreak.report.mark_none', lang))}</p>")
    frame = frame.rename(columns={"unit_id": "code", "unit_name": "county", "amount": "total",
                                  "beneficiaries": "persons funded", "outcome": "persons employed",
                                  "binding_rules": "rules at their limit"})
    return note + frame.to_html(index=False, border=0, classes="units", na_rep="",
                                float_format=lambda v: f"{v:,.2f}")


def _notes_html(result: Result, extra: Sequence[str]) -> str:
    sc = result.scenario
    from . import __version__
    notes = list(result.notes) + list(extra)
    notes.append(f"Money is in {sc.money_unit}. Solved with {result.solution.solver or result.backend} "
                 f"in {result.timings.get('total', float('nan')):.2f} s by fundalloc {__version__} on "
                 f"{_dt.date.today().isoformat()}.")
    notes += _input_notes(sc)
    return "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"


def _input_notes(sc) -> list[str]:
    """Where the scenario came from: its file and the sha256 of every input."""
    notes = [f"Scenario file: {sc.source}."] if sc.source else []
    if sc.inputs:
        notes.append("Inputs (sha256): " + "; ".join(f"{Path(f).name} {h[:12]}" for f, h in sc.inputs.items()))
    return notes


def table_html(frame: pd.DataFrame, *, index: bool = True, digits: int = 2) -> str:
    """A DataFrame as an HTML table in the report's style (for callers' sections)."""
    return frame.to_html(index=index, border=0, na_rep="", float_format=lambda v: f"{v:,.{digits}f}")


def _e(text) -> str:
    return html.escape(str(text))


def _css() -> str:
    return _CSS.replace("FONTS", CSS_FONT_FAMILY)


_CSS = """
body { font-family: FONTS; margin: 2em auto; max-width: 72em; padding: 0 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
h3 { font-size: 1.05em; } .lead { color: #555; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
th, td { padding: .25em .7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num, table.units td, table.dataframe td { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { font-weight: normal; color: #555; }
table.units td:nth-child(-n+3) { text-align: left; }
.chart-box, .table-box { overflow-x: auto; }
table.allocation td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.allocation tr.subtotal, table.allocation tr.total { font-weight: bold; background: #f6f6f6; }
.table-notes { color: #555; font-size: .9em; }
svg.chart, .chart svg { max-width: 100%; height: auto; }
svg.chart text { font-family: FONTS !important; }
.policy { color: #666; font-size: .9em; }
code { background: #f4f4f4; padding: 0 .25em; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
</body>
</html>
"""
