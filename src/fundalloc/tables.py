"""Tables as files for people: CSV that Excel opens with Chinese names intact and numbers as written, and
workbooks whose text cells stay text.

Every table fundalloc writes goes through :func:`write_csv` or :func:`write_workbook`, and both treat every
text cell as hostile: a county, measure or rule name such as ``=HYPERLINK("http://x","click")`` must never
become a formula when an official opens the file in Excel or WPS.
"""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: ten significant digits: 795.772, not the 795.7719999999999 that floating point would print
FLOAT_FORMAT = "%.10g"

#: what a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def neutralise(value):
    """A text cell a spreadsheet will show as text: one that starts like a formula gets a leading ``'``.

    Numbers, and text that is a plain number (``-3.5``), are left as they are.

    >>> print(neutralise('=HYPERLINK("http://x","click")'))
    '=HYPERLINK("http://x","click")
    >>> neutralise("@SUM(1)"), neutralise("-2+3"), neutralise("-3.5"), neutralise("康保县"), neutralise(-2)
    ("'@SUM(1)", "'-2+3", '-3.5', '康保县', -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def plain_number(value: float) -> str:
    """A number for a table people read (HTML views): thousands separators and never scientific notation; two
    decimals from 1 up, up to three significant digits below 1 (at most eight decimals), blank for NaN.

    >>> [plain_number(v) for v in (50000.0, 169912.3456, 0.0876, 0.9, 1e-12, -2.5, float("nan"), float("inf"))]
    ['50,000.00', '169,912.35', '0.0876', '0.9', '0', '-2.50', '', '∞']
    """
    if value != value:
        return ""
    if not np.isfinite(value):
        return "∞" if value > 0 else "−∞"
    size = abs(value)
    if size >= 1 or size == 0:
        text = f"{value:,.2f}"
    else:
        text = f"{value:.{min(8, 2 - math.floor(math.log10(size)))}f}".rstrip("0").removesuffix(".")
    return "0" if float(text.replace(",", "")) == 0 else text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and every column name passed through :func:`neutralise`."""
    out = frame.copy(deep=False)
    out.columns = [neutralise(str(c)) if not isinstance(c, (int, float, np.number)) else c for c in frame.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):   # a long table's labels: neutralise each label once
            labels = [neutralise(c) for c in column.cat.categories]
            safe = column.cat.rename_categories(labels) if len(set(labels)) == len(labels) else \
                column.astype(object).map(neutralise)
            out.isetitem(i, safe)
        elif column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.map(neutralise))
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` as CSV: UTF-8 with BOM (so Excel reads 康保县), no index, ten significant digits.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = write_csv(pd.DataFrame({"unit_name": ["康保县"], "amount": [795.7719999999999]}), path)
    >>> path.read_bytes().decode("utf-8")
    '\\ufeffunit_name,amount\\n康保县,795.772\\n'
    """
    path = Path(path)
    safe_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", float_format=FLOAT_FORMAT, chunksize=100_000)
    return path


#: a table with at least this many rows is written as Parquet (when pyarrow is installed) instead of CSV:
#: CSV of 6 million allocation rows takes about 24 s and 360 MB, Parquet about 1 s (docs/model.md)
LARGE_TABLE_ROWS = 1_000_000


def parquet_available() -> bool:
    """Whether pyarrow (the ``parquet`` extra) is installed."""
    from importlib.util import find_spec
    return find_spec("pyarrow") is not None


def write_table(frame: pd.DataFrame, folder: str | os.PathLike, stem: str) -> Path:
    """``stem.parquet`` for a table of :data:`LARGE_TABLE_ROWS` rows or more (when pyarrow is installed),
    else ``stem.csv`` (:func:`write_csv`, written in chunks so a big table never exists twice as text).

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> write_table(pd.DataFrame({"amount": [1.5]}), tempfile.mkdtemp(), "units").name
    'units.csv'
    """
    folder = Path(folder)
    if len(frame) >= LARGE_TABLE_ROWS and parquet_available():
        path = folder / f"{stem}.parquet"
        safe_frame(frame).to_parquet(path, index=False)
        return path
    return write_csv(frame, folder / f"{stem}.csv")


#: Excel's limits: a table bigger than this is left out of the workbook (its CSV has it all)
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


def write_workbook(path: str | os.PathLike, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write tables as the sheets of one .xlsx (sheet names made valid and unique; too-big tables skipped).

    Text stays text: a cell whose text starts like a formula is stored as a string cell, never a formula.
    """
    from .optional import require

    require("openpyxl", "excel", "writing allocation.xlsx")
    path, used = Path(path), set()
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        for stem, frame in sheets.items():
            if len(frame) >= EXCEL_ROWS or frame.shape[1] > EXCEL_COLUMNS:
                continue
            frame.to_excel(book, sheet_name=_sheet_name(stem, used), index=False)
        for sheet in book.book.worksheets:
            text_cells_stay_text(sheet)
    return path


def text_cells_stay_text(sheet) -> None:
    """Make every cell of an openpyxl worksheet that openpyxl took for a formula (text starting with ``=``) a
    string cell again: fundalloc never writes formulas, so any such cell came from a name someone wrote."""
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"


def _sheet_name(stem: str, used: set[str]) -> str:
    first = re.sub(r"[\[\]:*?/\\]", "_", stem)[:31]
    name, k = first, 1
    while name in used:  # two long stems that start alike
        k += 1
        name = f"{first[:28]}~{k}"
    used.add(name)
    return name
