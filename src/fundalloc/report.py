"""report.html and the words around a result: one self-contained page an official can read.

The page has the summary, the 分配表 (:mod:`fundalloc.notice_table`), money by county (a bar chart coloured by
group) and by measure, the binding rules with their shadow prices in words, the per-county table and notes;
callers append their own sections (sensitivity, factor baseline, variants). Charts are inline SVG written by
:mod:`fundalloc.charts`; nothing on the page points outside it.

Its sentences come from :mod:`fundalloc.summary`, in the scenario's language.

>>> import pandas as pd, fundalloc as fa
>>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "阜平县"], "jobs": [100, 50]})
>>> sc = fa.Scenario(units=units, budget={"total": 12},
...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
>>> "康保县" in render(fa.solve(sc))
True
"""
from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import labels
from .catalog import t
from .charts import CSS_FONT_FAMILY, Chart, bar_chart, category_colours
from .rulestate import slack_sentences
from .result import Result
from .summary import (group_headers, group_table, input_notes, price_sentences, reference_words, run_table,
                      solve_note, summary_rows)

#: how many counties the money chart shows before it keeps only the largest
MAX_BARS = 80
#: how many counties the page's table lists before it keeps only the largest (units.csv has them all)
MAX_TABLE_ROWS = 2000


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
             _section("Notes", "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in [*notes, *input_notes(sc)]) + "</ul>")]
    body += [_section(heading, content) if heading else content for heading, content in sections]
    return _PAGE.format(title=_e(title), css=_css(), body="\n".join(body))


def _section(title: str, content: str) -> str:
    return f"<section>\n<h2>{_e(title)}</h2>\n{content}\n</section>"


def _summary_html(result: Result) -> str:
    head = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in summary_rows(result))
    heading, unit, share = group_headers(result)
    groups = "".join(f"<tr><th>{_e(g)}</th><td class=num>{r.amount:,.2f}</td><td class=num>{r.share:.1%}</td></tr>"
                     for g, r in group_table(result).iterrows())
    return (f'<table class="facts">{head}</table>\n'
            f'<h3>{_e(heading)}</h3><table><tr><th></th><th>{_e(unit)}</th><th>{_e(share)}</th></tr>{groups}</table>')


def _chart_html(chart: Chart) -> str:
    return f'<div class="chart-box">{chart.svg}</div>'


def colour_categories(result: Result) -> list[str]:
    """Per unit, the groups it is coloured by: the weighted groups (or, without weights, the groups defined
    from the table rather than from other groups), under their labels, joined by `` + ``."""
    sc, masks = result.scenario, result.program.masks
    weighted = [g for g in sc.weights if g != "combine" and g in masks]
    base = weighted or [g for g, spec in sc.groups.items() if spec.column is not None or spec.ids is not None]
    n = result.program.n_units
    if not base:
        return [""] * n
    names = [labels.shown(sc, "group", g) for g in base]
    patterns, inverse = np.unique(np.vstack([masks[g] for g in base]).T, axis=0, return_inverse=True)
    joined = np.array([" + ".join(g for g, inside in zip(names, row) if inside) for row in patterns], dtype=object)
    return joined[inverse.ravel()].tolist()


def group_colours(result: Result) -> dict[str, str]:
    """Colour category (see :func:`colour_categories`) → colour, the same in every chart of a run."""
    return category_colours(colour_categories(result))


def county_chart(result: Result) -> Chart:
    """Money by county, largest first, bars coloured by group."""
    lang = result.scenario.language
    units = result.units.assign(category=colour_categories(result)).sort_values("amount", ascending=False)
    title = t("summary.chart.by_county", lang)
    if len(units) > MAX_BARS:
        title = t("summary.chart.by_county_largest", lang, most=MAX_BARS, n=len(units))
        units = units.head(MAX_BARS)
    names = [n or i for n, i in zip(units["unit_name"], units["unit_id"])]
    return bar_chart(names, units["amount"], colour_by=units["category"], colours=group_colours(result),
                     title=title, xlabel=result.scenario.money_unit, lang=lang)


def measure_labels(result: Result) -> dict[str, str]:
    """Measure name → its display label (the name when it has none)."""
    return {m: spec.label or m for m, spec in result.scenario.measures.items()}


def measure_chart(result: Result) -> Chart:
    """Money by measure, in the scenario's order."""
    lang = result.scenario.language
    money = result.allocation.groupby("measure", sort=False)["amount"].sum()
    names = measure_labels(result)
    return bar_chart([names[m] for m in money.index], money.to_numpy(), title=t("summary.chart.by_measure", lang),
                     xlabel=result.scenario.money_unit, lang=lang)


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
    names = measure_labels(result)
    money = result.per_unit_measure_money   # measures × units, in the scenario's order
    per_measure = pd.DataFrame({names[m]: money[i] for i, m in enumerate(result.program.measures)},
                               index=units.index)
    frame = pd.concat([units[["unit_id", "unit_name", "groups", "weight"]], per_measure,
                       units[["amount", "beneficiaries", "outcome", "binding_rules"]]], axis=1)
    return frame.sort_values("amount", ascending=False)


def _units_html(result: Result) -> str:
    frame = units_frame(result)
    unit, lang = result.scenario.money_unit, result.scenario.language
    note = f"<p>{_e(t('summary.units.note', lang, unit=unit))}</p>"
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
    sc = result.scenario
    frame["binding_rules"] = [t("explain.list_sep", lang).join(labels.block_shown(sc, r) for r in rules.split(";"))
                              if rules else "" for rules in frame["binding_rules"]]
    frame = frame.rename(columns={c: labels.header(sc, "total" if c == "amount" else c)
                                  for c in ("unit_id", "unit_name", "groups", "weight", "amount", "beneficiaries",
                                            "outcome", "binding_rules")})
    return note + frame.to_html(index=False, border=0, classes="units", na_rep="",
                                float_format=lambda v: f"{v:,.2f}")


def _notes_html(result: Result, extra: Sequence[str]) -> str:
    sc = result.scenario
    notes = list(result.notes) + list(extra)
    notes.append(solve_note(result))
    notes += input_notes(sc)
    return "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"


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
