"""report.html: one self-contained page an official can receive, in the scenario's language.

The page opens with the 摘要 (summary: the budget, the outcome, the gain over the factor formula, the share of
the group the scenario tilts toward against last year's and the formula's, the rules that bind, how many
counties the tie-break decided; money by group) and the 测算说明 (who computed it, when, with which software,
from which files with their sha256, in which unit and rounding; the notes). Then the 分配表 — the one per-county
table, with the tie-break's ◆ marks —, the money by county and by measure as bar charts with value labels, and
the rules with their shadow prices in words. Callers append their sections (the runs compared, the sensitivity
work, the runs with no allocation).

Every fragment is built with :mod:`fundalloc.markup`, so every name a user wrote is text. Charts are inline SVG
(:mod:`fundalloc.charts`); nothing on the page points outside it. On screen the page fits a 1280 px window (a
table wider than the page scrolls in its own box); printed, it is A4 with each section on a new page, the wide
tables on landscape pages, and table headers repeated on every page.

Its sentences come from :mod:`fundalloc.summary`, in the scenario's language.

>>> import pandas as pd, fundalloc as fa
>>> units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "阜平县"], "jobs": [100, 50]})
>>> sc = fa.Scenario(units=units, budget={"total": 12},
...                  measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
>>> "康保县" in render(fa.solve(sc))
True
"""
from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import labels
from .catalog import t
from .charts import CSS_FONT_FAMILY, Chart, bar_chart, category_colours
from .markup import Markup, join, markup, table
from .numbers import signed
from .result import Result
from .rulestate import count_words, is_identity, priced_nowhere, slack_sentences
from .summary import objective_words, price_sentence, price_sentences, reference_words, tie_break_sentence

#: how many counties the money chart shows before it keeps only the largest
MAX_BARS = 80
#: a table with more columns than this prints on a landscape page (12 columns of numbers fit A4 portrait)
WIDE_TABLE = 12
#: printed, a landscape page is about this many px wide (CSS px, 96 to the inch), and a table needs about this many
#: for its two columns of names and for each column of numbers: a wider table is printed smaller, never clipped
LANDSCAPE_WIDTH, NAMES_WIDTH, NUMBER_WIDTH = 1030.0, 170.0, 42.0
#: how many counties the page's per-county tables list (allocation_table.csv and units.csv have them all)
MAX_TABLE_ROWS = 2000


# ------------------------------------------------------------------------------------------- the 摘要


def summary_facts(result: Result) -> list[tuple[str, str]]:
    """The 摘要 as ``(label, text)``: the budget and what was allocated, the outcome, the gain over the factor
    formula (when the scenario has a ``baseline:``), the share of the group the scenario tilts toward against
    last year's and the formula's, the rules that bind, the budget's shadow price and the tie-break.

    >>> import pandas as pd, fundalloc as fa
    >>> # 甲县 (deep poverty) buys 5 persons per 万元, 乙县 10; the tilt sends 甲县 60 %, the formula 25 %
    >>> units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "cost": [0.2, 0.1], "poor": [1, 3],
    ...                       "deep": [1, 0], "last": [5, 3]})
    >>> sc = fa.Scenario(units=units, budget={"total": 10}, language="zh", groups={"deep": {"column": "deep"}},
    ...                  measures={"workshop": {"unit_cost": "cost"}},
    ...                  rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": 0.6},
    ...                         {"type": "hold_harmless", "column": "last", "min_ratio": 0.5}],
    ...                  baseline={"factors": {"poor": 1}})
    >>> for label, text in summary_facts(fa.solve(sc)):
    ...     print(f"{label}: {text}")
    预算总额: 10万元；分配10万元，涉及2个县
    测算结果: 加权就业人数70；实现就业70人
    与因素法相比: 在预算相同的情况下，加权就业人数−17.5（−20.0%）；因素法分配不满足：tilt
    “deep”资金占比: 优化分配60.0%；上年62.5%；因素法25.0%
    起约束作用的规则: `tilt`
    预算的影子价格: 预算增加1万元：+7加权就业人数
    同优方案取舍: 最优解唯一确定了全部2个县的资金
    """
    from .baseline import FactorResult, tilted_group, weighted_outcome  # the baseline reads the report

    sc, lang, unit = result.scenario, result.scenario.language, result.scenario.money_unit
    amounts = unit_amounts(result)
    allocated, n = _money(float(amounts.sum()), result), len(amounts)
    if sc.budget is not None:
        facts = [(t("report.fact.budget", lang), t("report.fact.budget_value", lang, unit=unit, n=n,
                                                   budget=_money(sc.money(sc.budget.total), result),
                                                   allocated=allocated))]
    else:
        facts = [(t("report.fact.allocated", lang), t("report.fact.allocated_value", lang, allocated=allocated,
                                                      unit=unit, n=n))]
    outcome = t("report.fact.outcome_value", lang, objective=f"{result.objective:,.0f}",
                words=objective_words(result), persons=f"{result.total_outcome:,.0f}")
    if hasattr(result, "coverage_rate"):
        outcome += t("report.fact.coverage", lang, rate=f"{result.coverage_rate:.1%}")
    facts.append((t("report.fact.outcome", lang), outcome))
    factor = None if isinstance(result, FactorResult) else result.factor_baseline
    if factor is not None:
        ours, theirs = weighted_outcome(result), weighted_outcome(factor)
        pct = f"{100 * (ours - theirs) / theirs:+.1f}%".replace("-", "−") if theirs else "–"
        text = t("report.fact.vs_factor_value", lang, diff=signed(ours - theirs), pct=pct,
                 words=t("explain.words.outcome_short", lang))
        broken = [r for r in dict.fromkeys(factor.broken_rules["rule"]) if r != "budget"]
        more = ([t("report.fact.factor_breaks", lang, rules=t("explain.list_sep", lang).join(broken))]
                if broken else [])
        if factor.unspent.sum() > 0:
            more.append(t("report.fact.factor_unspent", lang, amount=_money(float(factor.unspent.sum()), result),
                          unit=unit))
        facts.append((t("report.fact.vs_factor", lang), t("explain.sep", lang).join([text, *more])))
    group = tilted_group(sc)
    if group is not None and group in result.program.masks:
        shares = group_shares(result)
        row = shares.loc[group]
        parts = [t("report.fact.tilt_optimised", lang, share=f"{row['share']:.1%}")]
        if "last_year" in shares:
            parts.append(t("report.fact.tilt_last_year", lang, share=f"{row['last_year']:.1%}"))
        if "factor" in shares:
            parts.append(t("report.fact.tilt_factor", lang, share=f"{row['factor']:.1%}"))
        facts.append((t("report.fact.tilt", lang, group=labels.shown(sc, "group", group)), t("explain.sep", lang).join(parts)))
    binding = []
    for rule in sc.rules:
        name = rule.name
        if name in result.binding_rules and not is_identity(result, name) and not priced_nowhere(result, name):
            count = count_words(result, name)[0]
            binding.append(labels.said(sc, "rule", name) + (t("explain.paren", lang, text=count) if count else ""))
    facts.append((t("report.fact.binding", lang),
                  t("explain.list_sep", lang).join(binding) or t("report.fact.binding_none", lang)))
    if "budget" in result.binding_rules:
        facts.append((t("report.fact.budget_price", lang), price_sentence(result, "budget")))
    sentence = tie_break_sentence(result)
    if sentence:
        facts.append((t("tiebreak.label", lang), sentence))
    return facts


def unit_amounts(result: Result) -> np.ndarray:
    """Each unit's money as the report shows it: as rounded in the 分配表 (so that charts, shares and the table
    agree), or unrounded for a run without one (a factor formula)."""
    if result.has_allocation_table:
        return result.rounded.money.sum(axis=0)
    return result.units["amount"].to_numpy(dtype=float)


def _money(value: float, result: Result) -> str:
    """Money with the 分配表's precision (whole 万元 by default)."""
    from .rounding import decimals
    places = decimals(result.rounded.step) if result.has_allocation_table else 2
    return f"{value:,.{places}f}"


def group_shares(result: Result) -> pd.DataFrame:
    """Per group (and ``all``): counties, money, its share of all money, and — when known — the group's share of
    last year's money and of the factor formula's (columns ``last_year``, ``factor``)."""
    from .baseline import FactorResult
    from .notice_table import last_year_column

    sc, masks = result.scenario, result.program.masks
    every = {**masks, "all": np.ones(result.program.n_units, bool)}
    amounts = unit_amounts(result)
    frame = pd.DataFrame({"counties": [int(m.sum()) for m in every.values()],
                          "amount": [float(amounts[m].sum()) for m in every.values()]}, index=list(every))
    frame["share"] = frame["amount"] / (amounts.sum() or 1.0)
    column = last_year_column(sc)
    if column is not None:
        last = sc.units[column].to_numpy(dtype=float)
        frame["last_year"] = [last[m].sum() / (last.sum() or 1.0) for m in every.values()]
    factor = None if isinstance(result, FactorResult) else result.factor_baseline
    if factor is not None:
        formula = factor.amounts.to_numpy(dtype=float)
        frame["factor"] = [formula[m].sum() / (formula.sum() or 1.0) for m in every.values()]
    return frame


def _summary_html(result: Result) -> Markup:
    lang, unit = result.scenario.language, result.scenario.money_unit
    shares = group_shares(result)
    headers = {"counties": t("report.groups.counties", lang),
               "amount": t("table.money", lang, what=t("table.optimised", lang), unit=unit),
               "share": t("report.groups.share", lang), "last_year": t("report.groups.share_last_year", lang),
               "factor": t("report.groups.share_factor", lang)}
    names = {g: t("report.groups.all", lang) if g == "all" else labels.shown(result.scenario, "group", g)
             for g in shares.index}
    frame = shares.rename(index=names).rename(columns=headers)
    frame = frame.rename_axis(t("report.groups.group", lang)).reset_index()
    percent = lambda v: f"{v:.1%}"  # noqa: E731
    formats = {headers[c]: percent for c in ("share", "last_year", "factor")}
    formats[headers["amount"]] = lambda v: _money(v, result)
    groups = table(frame, formats=formats, cls="groups",
                   row_classes=["total" if i == len(frame) - 1 else "" for i in range(len(frame))])
    note = markup('<p class="notes">{}</p>', t("report.groups.note", lang)) if len(shares) > 2 else ""
    return join([facts_table(summary_facts(result)),
                 markup("<h3>{}</h3>", t("report.groups.title", lang)), groups, note])


def facts_table(facts: Sequence[tuple[str, str]]) -> Markup:
    """``(label, text)`` rows as a two-column table."""
    rows = join(markup('<tr><th scope="row">{}</th><td>{}</td></tr>', label, value) for label, value in facts)
    return markup('<table class="facts"><tbody>{}</tbody></table>', rows)


# ------------------------------------------------------------------------------------------ 测算说明


def method_facts(run, step: float | None = None, *, lang: str | None = None) -> list[tuple[str, str]]:
    """What was computed, by whom, when and how, as ``(label, text)`` rows (report.html's 测算说明, the
    workbook's 说明): the scenario, its description and variant, ``prepared_by``, the date, fundalloc's version,
    the solver, the money unit, the 分配表's rounding ``step``, the budget, the objective, and every input file
    (relative to the scenario file) with its sha256. ``run``: a Result, or a run with no allocation; ``lang``:
    default the scenario's."""
    from . import __version__

    sc = run.scenario
    lang = lang or sc.language
    rows = [(t("book.scenario", lang), sc.name)]
    if sc.description:
        rows.append((t("book.about", lang), sc.description))
    if run.variant:
        rows.append((t("book.variant", lang), run.variant))
    if sc.prepared_by:
        rows.append((t("report.prepared_by", lang), sc.prepared_by))
    rows += [(t("book.date", lang), _dt.date.today().isoformat()),
             (t("book.software", lang), f"fundalloc {__version__}")]
    if isinstance(run, Result):
        rows.append((t("book.solver", lang), run.solution.solver or run.backend))
    rows.append((t("book.money_unit", lang), sc.money_unit))
    if step is not None:
        from .rounding import decimals
        rows.append((t("book.rounding", lang), f"{step:,.{decimals(step)}f} {sc.money_unit}"))
    if sc.budget is not None:
        budget = sc.money(sc.budget.total)
        rows.append((t("book.budget", lang), f"{budget:,.{2 if budget % 1 else 0}f} {sc.money_unit}"))
    if isinstance(run, Result):
        words = (t("explain.words.money_needed", lang, unit=sc.money_unit) if run.objective_type == "min_cost"
                 else t("explain.words.outcome_short", lang))
        rows.append((t("book.objective_value", lang), f"{run.objective:,.2f} {words}"))
    rows += [(t("book.input", lang), t("book.sha256", lang, path=shown_path(path, sc), digest=digest))
             for path, digest in sc.inputs.items()]
    return rows


def shown_path(path: str, sc) -> str:
    """An input file's path relative to the scenario file's folder when it is inside it (``data/counties.csv``),
    else as given: the reader learns which file, not the analyst's folders."""
    if sc.source is None:
        return str(path)
    try:
        return Path(path).resolve().relative_to(Path(sc.source).resolve().parent).as_posix()
    except ValueError:
        return str(path)


def _method_html(run, notes: Sequence[str]) -> Markup:
    lang = run.scenario.language
    step = run.rounded.step if isinstance(run, Result) and run.has_allocation_table else None
    facts = [row for row in method_facts(run, step) if row[0] != t("book.about", lang)]  # the page's lead
    parts = [markup("<p>{}</p>", t("report.method.lead", lang)), facts_table(facts)]
    notes = [*getattr(run, "notes", []), *notes]
    if notes:
        parts += [markup("<h3>{}</h3>", t("report.notes", lang)),
                  markup('<ul class="notes">{}</ul>', join(markup("<li>{}</li>", n) for n in notes))]
    return join(parts)


# --------------------------------------------------------------------------------------------- 分配表


def _allocation_html(result: Result) -> tuple[Markup, int]:
    """The 分配表 with the ◆ marks and ranges of the counties the tie-break decided; and its number of columns."""
    from .rounding import decimals

    sc, lang = result.scenario, result.scenario.language
    allocation = result.allocation_table()
    units = result.units
    tied = units["tie_decided"].fillna(False).to_numpy(dtype=bool)
    marks, extra, notes = {}, {}, []
    if tied.any():
        places = decimals(allocation.step)
        ids = units["unit_id"].to_numpy()[tied]
        marks = dict.fromkeys(ids, "◆")
        extra = {t("tiebreak.report.range", lang): {
            u: f"{lo:,.{places}f} – {hi:,.{places}f}" for u, lo, hi in
            zip(ids, units["amount_min_at_optimum"].to_numpy()[tied], units["amount_max_at_optimum"].to_numpy()[tied])}}
        how = t("tiebreak.report.how", lang, reference=reference_words(result)) if result.tie_break.ran else None
        notes.append(t("tiebreak.report.mark", lang, how=how) if how else t("tiebreak.report.mark_none", lang))
    lead = t("report.table.lead" if sc.region is not None else "report.table.lead_plain", lang, unit=sc.money_unit)
    html = join([markup("<p>{}</p>", lead), allocation.html(marks=marks, extra=extra, notes=notes,
                                                             max_units=MAX_TABLE_ROWS)])
    return html, allocation.frame.shape[1] + len(extra)


# ------------------------------------------------------------------------------------------------ charts


def colour_categories(result: Result) -> list[str]:
    """Per unit, the groups it is coloured by: the weighted groups (or, without weights, the groups defined
    from the table rather than from other groups), under their labels, joined by `` + ``."""
    names, of_unit = _colour_codes(result)
    return np.array(names, dtype=object)[of_unit].tolist()


def _colour_codes(result: Result) -> tuple[list[str], np.ndarray]:
    """The colour categories (see :func:`colour_categories`) in the order they first appear among the units, and
    each unit's category as an index into them: one hash pass per group, not a million strings sorted."""
    sc, masks = result.scenario, result.program.masks
    weighted = [g for g in sc.weights if g != "combine" and g in masks]
    base = weighted or [g for g, spec in sc.groups.items() if spec.column is not None or spec.ids is not None]
    code = np.zeros(result.program.n_units, dtype=np.int64)
    for g in base:  # the groups a unit is in, one bit each, renumbered after each so that none overflows
        code = pd.factorize(code * 2 + masks[g])[0]
    first = np.unique(code, return_index=True)[1]  # factorize numbers in order of appearance
    shown = [labels.shown(sc, "group", g) for g in base]
    names = [" + ".join(name for g, name in zip(base, shown) if masks[g][unit]) for unit in first]
    return names, code


def group_colours(result: Result) -> dict[str, str]:
    """Colour category (see :func:`colour_categories`) → colour, the same in every chart of a run."""
    return category_colours(_colour_codes(result)[0])


def county_chart(result: Result) -> Chart:
    """Money by county (as in the 分配表), largest first, bars coloured by group, each with its amount."""
    lang, unit = result.scenario.language, result.scenario.money_unit
    amounts = unit_amounts(result)
    order = np.argsort(-amounts, kind="stable")  # largest first, ties in the table's order
    title = t("report.chart.by_county", lang, unit=unit)
    if len(order) > MAX_BARS:
        title = t("report.chart.by_county_top", lang, unit=unit, shown=MAX_BARS, n=len(order))
        order = order[:MAX_BARS]
    categories, of_unit = _colour_codes(result)
    units = result.units
    names = [n or i for n, i in zip(units["unit_name"].to_numpy()[order], units["unit_id"].to_numpy()[order])]
    return bar_chart(names, amounts[order], colour_by=[categories[c] for c in of_unit[order]],
                     colours=category_colours(categories), title=title,
                     value_labels=[_money(v, result) for v in amounts[order]],
                     names={"": t("report.chart.no_group", lang)}, lang=lang)


def measure_labels(result: Result) -> dict[str, str]:
    """Measure name → its display label (the name when it has none)."""
    return {m: spec.label or m for m, spec in result.scenario.measures.items()}


def measure_chart(result: Result) -> Chart:
    """Money by measure (as in the 分配表), in the scenario's order, each bar with its amount and share."""
    lang, unit = result.scenario.language, result.scenario.money_unit
    money = result.rounded.money if result.has_allocation_table else result.per_unit_measure_money
    money = pd.Series(money.sum(axis=1), index=list(result.program.measures))
    names = measure_labels(result)
    total = money.sum() or 1.0
    return bar_chart([names[m] for m in money.index], money.to_numpy(), title=t("report.chart.by_measure", lang,
                     unit=unit), value_labels=[f"{_money(v, result)} ({v / total:.1%})" for v in money], lang=lang)


def _chart_html(chart: Chart) -> Markup:
    return markup('<figure class="chart-box">{}</figure>', chart.svg)


# ------------------------------------------------------------------------------------------------- rules


def _rules_html(result: Result) -> Markup:
    lang = result.scenario.language
    sentences = price_sentences(result)
    if not sentences:
        parts = [markup("<p>{}</p>", t("explain.report.none_binding", lang))]
    else:
        colon = t("report.colon", lang)
        items = join(markup("<li><b>{}</b>{}{}{}</li>", labels.block_shown(result.scenario, rule), colon, s,
                            _policy(result, rule)) for rule, s in sentences)
        parts = [markup("<p>{}</p><ul>{}</ul>", t("explain.report.intro", lang), items)]
    slack = slack_sentences(result)
    if slack:
        items = join(markup("<li>{}{}</li>", s, _policy(result, rule)) for rule, s in slack)
        parts.append(markup("<h3>{}</h3><ul>{}</ul>", t("explain.report.not_binding", lang), items))
    return join(parts)


def _policy(result: Result, name: str) -> Markup | str:
    """The rule's description (the policy's words), when the scenario gives one."""
    try:
        text = result.scenario.rule(name).description
    except KeyError:  # the budget, a target
        return ""
    return markup('<br><span class="policy">{}</span>', text) if text else ""


# -------------------------------------------------------------------------------------------------- page


def write_report(result: Result, path: str | os.PathLike, sections: Sequence[tuple[str, Markup]] = (),
                 notes: Sequence[str] = ()) -> Path:
    """Write ``report.html`` for a result (or a run with no allocation); ``sections`` are ``(title, html)``
    appended after the report's own (with an empty title, the html is a whole ``<section>`` of its own; html
    that is not :class:`~markupsafe.Markup` is shown as text), ``notes`` more notes for the reader (e.g. what was
    changed on the command line)."""
    from .infeasible import InfeasibleRun  # a run with no allocation has a page of its own

    path = Path(path)
    page = render_infeasible if isinstance(result, InfeasibleRun) else render
    path.write_text(page(result, sections, notes), encoding="utf-8")
    return path


def render(result: Result, sections: Sequence[tuple[str, Markup]] = (), notes: Sequence[str] = ()) -> Markup:
    """The report as one self-contained HTML page."""
    lang = result.scenario.language
    body = [_header(result),
            section("summary", t("report.summary", lang), _summary_html(result)),
            section("method", t("report.method", lang), _method_html(result, notes))]
    if result.has_allocation_table:
        html, columns = _allocation_html(result)
        body.append(section("allocation", t("table.title", lang), html, columns=columns))
    body += [section("charts", t("report.charts", lang),
                     join([_chart_html(county_chart(result)), _chart_html(measure_chart(result))])),
             section("rules", t("report.rules", lang), _rules_html(result))]
    body += [section("", heading, content) if heading else content for heading, content in sections]
    return page(result, body)


def render_infeasible(run, sections: Sequence[tuple[str, Markup]] = (), notes: Sequence[str] = ()) -> Markup:
    """The page of a run with no allocation (an :class:`~fundalloc.infeasible.InfeasibleRun`): its diagnosis,
    how it was computed, then the callers' sections (e.g. the variants that solved)."""
    lang = run.scenario.language
    body = [_header(run), section("infeasible", t("runs.infeasible.title", lang), run.html()),
            section("method", t("report.method", lang), _method_html(run, notes))]
    body += [section("", heading, content) if heading else content for heading, content in sections]
    return page(run, body)


def section(name: str, heading: str, content: Markup, *, columns: int = 0) -> Markup:
    """A ``<section>`` of the page: a heading and its content. ``columns``, the most columns of its tables: more
    than :data:`WIDE_TABLE` print on landscape pages, and so many that they would not fit one print smaller."""
    wide = columns > WIDE_TABLE
    classes = " ".join(c for c in (name, "wide" if wide else "") if c)
    needed = NAMES_WIDTH + NUMBER_WIDTH * max(columns - 2, 0)
    zoom = markup(' style="--print-zoom: {:.2f}"', LANDSCAPE_WIDTH / needed) if wide and needed > LANDSCAPE_WIDTH \
        else ""
    return markup('<section{}{}>\n<h2>{}</h2>\n{}\n</section>', markup(' class="{}"', classes) if classes else "",
                  zoom, heading, content)


def _header(run) -> Markup:
    sc = run.scenario
    lead = markup('<p class="lead">{}</p>', sc.description) if sc.description else ""
    return markup('<header><p class="kind">{}</p><h1>{}</h1>{}</header>', t("report.kind", sc.language),
                  _title(run), lead)


def _title(run) -> str:
    return run.scenario.name + (f" — {run.variant}" if run.variant else "")


def page(run, body: Sequence[Markup]) -> Markup:
    """The whole page around ``body``, in the run's language."""
    lang = run.scenario.language
    return markup("""<!DOCTYPE html>
<html lang="{lang}">
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
""", lang="zh-CN" if lang == "zh" else "en", title=_title(run), css=Markup(_CSS.replace("FONTS", CSS_FONT_FAMILY)),
                  body=join(body, "\n"))


def table_html(frame: pd.DataFrame, *, index: bool = True) -> Markup:
    """A DataFrame as an HTML table in the report's style (for callers' sections); the index becomes the first
    column."""
    return table(frame.reset_index() if index else frame)


#: the page's style: the screen (at most 1,180 px wide; tables wider than that scroll in their own box) and
#: print (A4; each section from a new page; wide sections on landscape pages; page numbers)
_CSS = """
body { font-family: FONTS; color: #222; line-height: 1.5; font-size: 15px; margin: 0 auto; max-width: 1180px;
       padding: 20px 24px 48px; }
header .kind { color: #555; margin: 0; letter-spacing: .08em; }
h1 { font-size: 1.7em; margin: .1em 0 .3em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; padding-bottom: .2em; margin: 1.8em 0 .6em; }
h3 { font-size: 1.05em; margin: 1.4em 0 .4em; }
p, ul { max-width: 62em; }
.lead { color: #444; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
thead th { background: #f1f4f8; border-bottom: 1px solid #aab; vertical-align: bottom; font-weight: 600; }
thead th.group { text-align: center; }
thead th { overflow-wrap: anywhere; }
.num { text-align: right; }
td.num { white-space: nowrap; }
td.name, td.code { white-space: nowrap; }
tr.subtotal td { background: #f5f5f5; font-weight: 600; }
tr.total td { background: #e9eef3; font-weight: 700; border-top: 1px solid #889; }
.table-box { overflow-x: auto; max-width: 100%; margin: .4em 0 .8em; }
table.facts { font-size: 14px; }
table.facts th { font-weight: normal; color: #555; white-space: nowrap; background: none; padding-right: 1.5em; }
table.allocation th { min-width: 3.2em; padding: 3px 5px; }
table.allocation td { padding: 3px 5px; white-space: nowrap; }
figure { margin: .6em 0 1.2em; }
.chart-box { overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; }
.notes, .table-notes { color: #555; font-size: .9em; }
.policy { color: #666; font-size: .9em; }
code { background: #f4f4f4; padding: 0 .25em; overflow-wrap: anywhere; }
@page { size: A4; margin: 14mm 13mm 16mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #666; } }
@page wide { size: A4 landscape; margin: 11mm 11mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section { break-before: page; }
  section.summary, section.method, section.rules { break-before: auto; }  /* short: they follow on */
  section.wide { page: wide; }
  section.wide table.allocation, section.wide table.by-county { width: 100%; }
  h2 { margin-top: 0; }
  table { font-size: 8.5pt; line-height: 1.3; }
  table.facts { font-size: 9.5pt; }
  th, td, table.allocation th, table.allocation td { padding: 1px 4px; }
  .table-box, .chart-box { overflow: visible; }
  section.wide .table-box { zoom: var(--print-zoom, 1); }
  thead { display: table-header-group; }
  tr, figure, li, .table-box.keep { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  svg.chart { width: auto; max-height: 240mm; }
}
"""
