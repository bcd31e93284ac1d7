"""allocation.xlsx: a formatted workbook an analyst can forward, written cell by cell with openpyxl.

Sheets, named in the scenario's language: the 分配表 first, then money by measure, the rule prices, the
sensitivity summary (the tornado, or the first sweep) and the comparison of runs when they were computed, and
说明 (the scenario, date, software, inputs with their sha256, the money unit and rounding, what each column of
the 分配表 means, and the notes). Every sheet has a bold header row that stays in view, an auto-filter, columns
wide enough for their contents (a Chinese character counts twice), number formats (``#,##0`` for whole 万元,
``0.0%`` for shares) and bold subtotal and 合计 rows.

Numbers are stored as numbers; a value that is not finite (an unbounded range, a run with no optimum) is a
blank cell, never ``inf`` or text. Codes (county ids) are text, and the sheet tells Excel not to flag them as
"numbers stored as text". Text is only ever text: a name that starts like a formula stays a string cell.
"""
from __future__ import annotations

from copy import copy
import math
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import t
from .labels import block_shown, objective_words, parameter
from .notice_table import CODE, MONEY, PERSONS, SHARE, TEXT, AllocationTable
from .rounding import decimals
from .tables import SUBTOTAL_ROW, TOTAL_ROW, text_cells_stay_text, text_width, with_totals
from .summary import objectives_or_statuses

#: more kinds of column than the 分配表's: unrounded money, a count or objective, a price, a number as given
AMOUNT, NUMBER, PRICE, VALUE = "amount", "number", "price", "value"
#: Excel number formats by kind of column (money in the 分配表 follows its rounding)
FORMATS = {AMOUNT: "#,##0.00", NUMBER: "#,##0.0", PRICE: "#,##0.000", PERSONS: "#,##0", SHARE: "0.0%",
           CODE: "@", VALUE: "General"}
#: column widths in characters (a CJK character is two)
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 6, 48, 14


@dataclass
class Sheet:
    """One sheet: a table (its index gives the row kinds when it has totals), the kind of each column, and how
    many columns stay in view when scrolling right."""

    title: str
    frame: pd.DataFrame
    kinds: dict[str, str]
    money_format: str = FORMATS[AMOUNT]
    frozen_columns: int = 0
    widths: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, title: str, frame: pd.DataFrame, codes=()) -> "Sheet":
        """A plain table as a sheet: the ``codes`` columns as text codes, other text as text, numbers as given."""
        kinds = {c: CODE if c in codes else VALUE if pd.api.types.is_numeric_dtype(frame[c]) else TEXT
                 for c in frame.columns}
        return cls(title, frame, kinds)


def write_workbook(path: str | os.PathLike, result, *, table: AllocationTable | None = None, sensitivity=None,
                   comparison=None, notes=()) -> Path:
    """Write allocation.xlsx for ``result``: the 分配表 (``table``, default ``result.allocation_table()``), by
    measure, rule prices, and — when given — the sensitivity report's tornado (or first sweep) and the
    comparison of runs, then 说明 with ``notes`` added.

    >>> import pandas as pd, tempfile, pathlib, openpyxl, fundalloc as fa
    >>> units = pd.DataFrame({"id": ["130125", "130126"], "name": ["行唐县", "灵寿县"], "jobs": [504, 496]})
    >>> sc = fa.Scenario(units=units, budget={"total": 100, "spend_all": True}, language="zh",
    ...                  measures={"w": {"unit_cost": "1000 元", "capacity": "jobs", "label": "扶贫车间吸纳"}})
    >>> path = write_workbook(pathlib.Path(tempfile.mkdtemp()) / "allocation.xlsx", fa.solve(sc))
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames
    ['分配表', '分项目汇总', '约束价格', '说明']
    >>> [[c.value for c in row] for row in book["分配表"].iter_rows(max_col=3)]
    [['单位代码', '县(市、区)', '优化分配（万元）'], ['130125', '行唐县', 50], ['130126', '灵寿县', 50], [None, '合计', 100]]
    >>> book["分配表"]["C2"].number_format, book["分配表"].freeze_panes, book["分配表"].auto_filter.ref
    ('#,##0', 'C2', 'A1:F3')
    """
    table = table if table is not None else result.allocation_table()
    lang = table.lang
    sheets = [allocation_sheet(table), measure_sheet(table, result), rule_price_sheet(result, sensitivity, lang)]
    if sensitivity is not None:
        sheets.append(sensitivity_sheet(sensitivity, result, lang))
    if comparison is not None:
        sheets.append(comparison_sheet(comparison, table))
    sheets.append(notes_sheet(result, table, notes))
    return write_sheets(path, [s for s in sheets if s is not None])


#: the most rows an Excel sheet holds (its header included)
EXCEL_MAX_ROWS = 1_048_576


def check_fits(sc) -> None:
    """Raise :class:`~fundalloc.errors.OutputError` when the 分配表 of ``sc`` cannot be one Excel sheet (a header,
    a row per unit and per region, 合计): the CLI asks before solving, so ``--excel`` never fails after it.

    >>> import pandas as pd, fundalloc as fa
    >>> sc = fa.Scenario(units=pd.DataFrame({"id": ["a"], "name": ["A"], "jobs": [1]}), budget={"total": 1},
    ...                  measures={"w": {"unit_cost": "1000 元", "capacity": "jobs"}})
    >>> check_fits(sc)
    """
    from .catalog import msg
    from .errors import OutputError

    regions = len(set(sc.regions)) if sc.region is not None else 0
    rows = len(sc.units) + regions + 2
    if rows > EXCEL_MAX_ROWS:
        raise OutputError(msg("errors.excel.too_many_units", units=f"{len(sc.units):,}", rows=f"{rows:,}",
                              most=f"{EXCEL_MAX_ROWS:,}"))


# ------------------------------------------------------------------------------------------------ sheets


def allocation_sheet(table: AllocationTable) -> Sheet:
    """The 分配表, as :func:`fundalloc.allocation_table` made it."""
    places = decimals(table.step)
    text = sum(1 for kind in table.kinds.values() if kind in (CODE, TEXT))
    return Sheet(t("sheet.allocation", table.lang), table.frame, dict(table.kinds),
                 money_format=_money_format(places), frozen_columns=min(text, 2))


def measure_sheet(table: AllocationTable, result) -> Sheet:
    """Money (as rounded in the 分配表), its share, persons funded and employed, per measure, with 合计."""
    lang, sc, r = table.lang, result.scenario, table.rounded
    money = t("table.money", lang, what=t("table.optimised", lang), unit=sc.money_unit)
    total = r.money.sum()
    frame = pd.DataFrame({
        t("book.measure", lang): [spec.label or name for name, spec in sc.measures.items()],
        money: r.money.sum(axis=1),
        t("book.share", lang): r.money.sum(axis=1) / total if total else np.nan,
        t("table.persons_funded", lang): r.persons.sum(axis=1),
        t("table.persons_employed", lang): r.outcome.sum(axis=1),
    })
    frame = with_totals(frame, None, label=t("book.measure", lang), lang=lang)
    kinds = dict(zip(frame.columns, [TEXT, MONEY, SHARE, PERSONS, PERSONS]))
    return Sheet(t("sheet.by_measure", lang), frame, kinds, money_format=_money_format(decimals(table.step)))


def rule_price_sheet(result, sensitivity, lang: str) -> Sheet | None:
    """The budget and each rule: its description, whether it is at its limit, its shadow price and — when the
    sensitivity run re-solved without it — what it costs."""
    sc = result.scenario
    shadow = result.shadow_prices
    names = list(shadow.index) or [r.name for r in sc.rules]
    if not names:
        return None
    descriptions = {r.name: r.description or "" for r in sc.rules}
    frame = pd.DataFrame({
        t("book.rule", lang): [block_shown(sc, n) for n in names],
        t("book.description", lang): [descriptions.get(n, "") for n in names],
        t("book.binding", lang): [t("book.yes" if n in result.binding_rules else "book.no", lang) for n in names],
        t("book.shadow_price", lang, objective=_objective_words(result, lang)):
            shadow.reindex(names).to_numpy(dtype=float),
    })
    kinds = dict(zip(frame.columns, [TEXT, TEXT, TEXT, PRICE]))
    prices = getattr(sensitivity, "rule_prices", None)
    if prices is not None:
        prices = prices.set_index("rule").reindex(names)
        for key, column, kind in (("book.price", "price", NUMBER), ("book.relaxed", "relaxed", TEXT),
                                  ("book.price_of_step", "price_of_step", NUMBER)):
            frame[t(key, lang)] = prices[column].to_numpy()
            kinds[t(key, lang)] = kind
    return Sheet(t("sheet.rule_prices", lang), frame, kinds, frozen_columns=1,
                 widths={t("book.description", lang): MAX_WIDTH})


def sensitivity_sheet(sensitivity, result, lang: str) -> Sheet | None:
    """The tornado (each parameter down and up, largest swing first), or else the first sweep."""
    if sensitivity.tornado is not None and len(sensitivity.tornado):
        tornado = sensitivity.tornado
        frame = pd.DataFrame({
            t("book.parameter", lang): [parameter(result.scenario, p) for p in tornado["parameter"]],
            t("book.low", lang): [_number_or_text(v) for v in tornado["low"]],
            t("book.high", lang): [_number_or_text(v) for v in tornado["high"]],
            t("book.objective_low", lang): objectives_or_statuses(tornado, "low", lang),
            t("book.objective_high", lang): objectives_or_statuses(tornado, "high", lang),
            t("book.swing", lang): tornado["swing"].to_numpy(dtype=float),
        })
        kinds = dict(zip(frame.columns, [TEXT, VALUE, VALUE, NUMBER, NUMBER, NUMBER]))
    elif sensitivity.sweeps:
        sweep = sensitivity.sweeps[0].table
        unit = result.scenario.money_unit
        frame = pd.DataFrame({
            t("book.value_of", lang, parameter=parameter(result.scenario, sensitivity.sweeps[0].parameter)):
                [_number_or_text(v) for v in sweep["value"]],
            t("book.objective", lang): sweep["objective"].to_numpy(dtype=float),
            t("book.allocated", lang, unit=unit): sweep["total_allocated"].to_numpy(dtype=float),
            t("table.persons_employed", lang): sweep["total_outcome"].to_numpy(dtype=float),
        })
        kinds = dict(zip(frame.columns, [VALUE, NUMBER, AMOUNT, PERSONS]))
    else:
        return None
    return Sheet(t("sheet.sensitivity", lang), frame, kinds, frozen_columns=1)


def comparison_sheet(comparison, table: AllocationTable) -> Sheet:
    """Each run's money and persons employed per county (unrounded), and their differences from the base,
    with 市 subtotals and 合计."""
    lang, unit = table.lang, comparison.money_unit
    source = comparison.table
    label = comparison.label
    base = label(comparison.base)
    frame = pd.DataFrame({t("table.code", lang): source["unit_id"].to_numpy(),
                          t("table.unit", lang): source["unit_name"].to_numpy()})
    kinds = {t("table.code", lang): CODE, t("table.unit", lang): TEXT}
    region = None
    if "region" in source:
        region = t("table.region", lang)
        frame[region], kinds[region] = source["region"].to_numpy(), TEXT
    for run in comparison.runs:
        columns = [(t("book.run_money", lang, run=label(run), unit=unit), f"amount.{run}", AMOUNT),
                   (t("book.run_persons", lang, run=label(run)), f"outcome.{run}", NUMBER)]
        for header, column, kind in columns:
            frame[header], kinds[header] = source[column].to_numpy(dtype=float), kind
    for run in comparison.others:
        columns = [(t("book.diff_money", lang, run=label(run), base=base, unit=unit), f"amount_diff.{run}", AMOUNT),
                   (t("book.diff_persons", lang, run=label(run), base=base), f"outcome_diff.{run}", NUMBER)]
        for header, column, kind in columns:
            frame[header], kinds[header] = source[column].to_numpy(dtype=float), kind
    frame = with_totals(frame, region, label=t("table.unit", lang), lang=lang)
    return Sheet(t("sheet.comparison", lang), frame, kinds, frozen_columns=2)


def notes_sheet(result, table: AllocationTable, notes=()) -> Sheet:
    """说明: what was computed, by whom, when, from which files, in which unit (report.html's 测算说明), and what
    the 分配表's columns mean."""
    from .report import method_facts  # the words of 测算说明, the same in the report and the workbook

    lang = table.lang
    rows = method_facts(result, table.step, lang=lang)
    rows += [(t("book.column", lang, column=header), meaning) for header, meaning in table.meanings.items()]
    rows += [(t("book.note", lang), note.strip()) for note in [*table.notes, *result.notes, *notes]]
    frame = pd.DataFrame(rows, columns=[t("book.item", lang), t("book.content", lang)])
    kinds = dict(zip(frame.columns, [TEXT, TEXT]))
    return Sheet(t("sheet.notes", lang), frame, kinds, frozen_columns=1,
                 widths={t("book.content", lang): 80})


# ------------------------------------------------------------------------------------------------ writing


def _objective_words(result, lang: str) -> str:
    """What the objective counts: weighted jobs (the scenario's ``objective.label``), or the money needed for
    ``min_cost``."""
    return objective_words(result.scenario, lang)


def _money_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _number_or_text(value):
    """A tried value as a number when it is one (``0.8``), else as written (``×0.8``)."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return str(value)


def _cell_value(value):
    """What a cell holds: a Python number, text, or None for a blank (missing, not finite)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return value
    return None if pd.isna(value) else str(value)


def _shown(value, kind: str, money_format: str) -> str:
    """The text a cell shows, for its column's width."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == SHARE:
        return f"{100 * value:.1f}%"
    number_format = money_format if kind == MONEY else FORMATS.get(kind, "General")
    places = len(number_format.split(".")[1]) if "." in number_format else (0 if "#" in number_format else 4)
    return f"{value:,.{places}f}"


def write_sheets(path: str | os.PathLike, sheets: list[Sheet]) -> Path:
    """Write ``sheets`` as one formatted workbook (see the module's description); returns its path."""
    from .catalog import msg
    from .optional import require

    require("openpyxl", "excel", msg("errors.purpose.writing", file=Path(path).name))
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.styles.fonts import DEFAULT_FONT
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = copy(DEFAULT_FONT)  # the workbook's font, bold: a bare Font() would lose its face and size
    bold.b = True
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    top = Border(top=Side(style="thin"))
    for sheet in sheets:       # before anything is written
        if len(sheet.frame) + 1 > EXCEL_MAX_ROWS:
            from .errors import OutputError
            raise OutputError(msg("errors.excel.sheet_too_long", file=Path(path).name, sheet=sheet.title,
                                  rows=f"{len(sheet.frame) + 1:,}", most=f"{EXCEL_MAX_ROWS:,}"))
    codes: dict[int, list[str]] = {}
    for index, sheet in enumerate(sheets):
        ws = book.create_sheet(sheet.title)
        frame = sheet.frame
        n_rows, n_cols = len(frame), frame.shape[1]
        kinds = [sheet.kinds.get(c, VALUE) for c in frame.columns]
        formats = [sheet.money_format if k == MONEY else FORMATS.get(k, "General") for k in kinds]
        for j, header in enumerate(frame.columns, start=1):
            cell = ws.cell(row=1, column=j, value=str(header))
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        row_kinds = list(frame.index) if frame.index.name == "row" else [None] * n_rows
        widths = [0] * n_cols  # of the contents, as shown
        for i, (kind_of_row, values) in enumerate(zip(row_kinds, frame.itertuples(index=False)), start=2):
            emphasis = kind_of_row in (SUBTOTAL_ROW, TOTAL_ROW)
            for j, value in enumerate(values, start=1):
                value = _cell_value(value)
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    if kinds[j - 1] == CODE:
                        cell.number_format = "@"
                elif value is not None:
                    cell.number_format = formats[j - 1]
                if emphasis:
                    cell.font, cell.fill = bold, total_fill
                    if kind_of_row == TOTAL_ROW:
                        cell.border = top
                widths[j - 1] = max(widths[j - 1], text_width(_shown(value, kinds[j - 1], sheet.money_format)))
        header_lines = 1
        for j, header in enumerate(frame.columns, start=1):
            width = max(widths[j - 1] if n_rows else 0, min(text_width(str(header)), MAX_HEADER_WIDTH)) + 2
            width = sheet.widths.get(header, max(MIN_WIDTH, min(MAX_WIDTH, width)))
            ws.column_dimensions[get_column_letter(j)].width = width
            header_lines = max(header_lines, math.ceil(text_width(str(header)) / max(width - 1, 1)))
            if widths[j - 1] + 2 > width:  # long text (a rule's description, a note) wraps within the column
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    lines = math.ceil(text_width(_shown(cell.value, kinds[j - 1], sheet.money_format)) / (width - 1))
                    if lines > 1:  # a row height is not worked out on opening everywhere: set it
                        height = ws.row_dimensions[cell.row].height or 15
                        ws.row_dimensions[cell.row].height = max(height, 15 * lines)
        for row in range(2, n_rows + 2):  # in a row grown for wrapped text, every cell starts at the top
            if ws.row_dimensions[row].height:
                for cell in ws[row]:
                    if not cell.alignment.wrap_text:
                        cell.alignment = Alignment(vertical="top")
        if header_lines > 1:
            ws.row_dimensions[1].height = 15 * header_lines
        ws.freeze_panes = ws.cell(row=2, column=sheet.frozen_columns + 1).coordinate
        # printed: A4 landscape, as wide as the page, the header on every page
        ws.page_setup.paperSize, ws.page_setup.orientation = ws.PAPERSIZE_A4, ws.ORIENTATION_LANDSCAPE
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"
        last = n_rows + 1 - (1 if row_kinds and row_kinds[-1] == TOTAL_ROW else 0)  # sorting leaves 合计 last
        ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{max(last, 1)}"
        text_cells_stay_text(ws)  # never a formula, whatever a name starts with
        code_columns = [get_column_letter(j) for j, k in enumerate(kinds, start=1) if k == CODE]
        if code_columns and n_rows:
            codes[index] = [f"{c}2:{c}{n_rows + 1}" for c in code_columns]
    path = Path(path)
    book.save(path)
    if codes:
        _ignore_numbers_stored_as_text(path, codes)
    return path


def _ignore_numbers_stored_as_text(path: Path, ranges: dict[int, list[str]]) -> None:
    """Tell Excel that the code columns hold text on purpose (no green "number stored as text" marks).

    openpyxl does not write a sheet's ``<ignoredErrors>``, so it is added to each sheet's XML: after the page
    settings and before any drawing, as the schema orders it (these sheets have no drawings or tables).
    """
    tmp = Path(tempfile.mkstemp(suffix=".xlsx", dir=path.parent)[1])
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for item in src.infolist():
                data = src.read(item.filename)
                match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
                if match and int(match.group(1)) - 1 in ranges:
                    refs = " ".join(ranges[int(match.group(1)) - 1])
                    element = f'<ignoredErrors><ignoredError sqref="{refs}" numberStoredAsText="1"/></ignoredErrors>'
                    text = data.decode("utf-8")
                    at = min([text.find(tag) for tag in ("<drawing", "<legacyDrawing", "<tableParts", "<extLst")
                              if tag in text] or [text.rindex("</worksheet>")])
                    data = (text[:at] + element + text[at:]).encode("utf-8")
                out.writestr(item, data)
        shutil.move(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
