"""Tables as files for people: CSV that Excel opens with Chinese names intact and numbers as written, workbook
cells whose text stays text, and region subtotals with a 合计 row for any per-unit table.

Every CSV fundalloc writes goes through :func:`write_csv`, and every workbook sheet through
:func:`text_cells_stay_text` (:mod:`fundalloc.workbook`); both treat every text cell as hostile: a county,
measure or rule name such as ``=HYPERLINK("http://x","click")`` must never become a formula when an official
opens the file in Excel or WPS.
"""
from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Sequence
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


def text_width(text: str) -> int:
    """Display width in characters (a terminal's, a spreadsheet's): a wide (CJK) character counts as two.

    >>> text_width("康保县 12"), text_width("budget")
    (9, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (:func:`text_width`), so that Chinese and
    English labels line up in a terminal; on the left with ``right=True``.

    >>> pad("预算", 6) + "|", pad("12", 6, right=True)
    ('预算  |', '    12')
    """
    fill = " " * max(0, width - text_width(text))
    return fill + text if right else text + fill


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
    """``frame`` with every text cell and every column name passed through :func:`neutralise`.

    >>> safe_frame(pd.DataFrame({"name": ["=1+2", "康保县"], "code": pd.Categorical(["@x", "2"])})).values.tolist()
    [["'=1+2", "'@x"], ['康保县', '2']]
    """
    out = frame.copy(deep=False)
    out.columns = [neutralise(str(c)) if not isinstance(c, (int, float, np.number)) else c for c in frame.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):   # a long table's labels: neutralise each label once
            labels = column.cat.categories
            if labels.dtype == object or pd.api.types.is_string_dtype(labels):
                safe = _neutralised(pd.Series(labels))
                if safe is not None:
                    out.isetitem(i, column.cat.rename_categories(safe.to_numpy()) if safe.is_unique
                                 else column.astype(object).map(neutralise))
        elif column.dtype == object or pd.api.types.is_string_dtype(column):
            safe = _neutralised(column)
            if safe is not None:
                out.isetitem(i, safe)
    return out


def _neutralised(text: pd.Series) -> pd.Series | None:
    """A column of text with the cells that start like a formula neutralised, or None when none does: the cells
    are found in one pass (vectorised for a string column; an object column may hold numbers and None too), and
    only those go through :func:`neutralise` (a million county names took seconds through it)."""
    if text.dtype == object:
        starts = np.fromiter((isinstance(v, str) and v.startswith(FORMULA_START) for v in text.to_numpy()),
                             dtype=bool, count=len(text))
    else:
        starts = text.str.startswith(FORMULA_START, na=False).to_numpy(dtype=bool)
    if not starts.any():
        return None
    out = text.copy()
    out[starts] = text[starts].map(neutralise)
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
    _floats_as_text(safe_frame(frame)).to_csv(path, index=False, encoding="utf-8-sig", chunksize=100_000)
    return path


def _floats_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its float columns as the text ``%.10g`` makes of them, NaN blank, as pandas writes them
    with ``float_format=FLOAT_FORMAT`` but about five times faster (pandas tests and formats each value through
    several Python calls: a million-county 分配表 took 20 s). A column of whole numbers (a rounded 分配表's money)
    becomes integers, which pandas writes in C: below 1e10 ``%.10g`` writes a whole float as the integer's
    digits (``-0.0``, NaN and ±inf are formatted instead). Run after :func:`safe_frame`: ``-inf`` is a number,
    not a formula."""
    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        values = out.iloc[:, i].to_numpy()
        if values.dtype.kind != "f" or not len(values):
            continue
        if np.isfinite(values).all() and (np.abs(values) < 1e10).all() and (values == np.round(values)).all() \
                and not (np.signbit(values) & (values == 0)).any():
            out.isetitem(i, values.astype(np.int64))
        else:
            out.isetitem(i, np.array([FLOAT_FORMAT % v if v == v else "" for v in values.tolist()], dtype=object))
    return out


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
        safe = safe_frame(frame)
        # a dictionary for the columns of names and codes only: trying one for each column of numbers first
        # (millions of distinct values) cost a quarter of the writing at a million units
        text = [str(c) for c in safe.columns if not pd.api.types.is_numeric_dtype(safe[c])
                and not pd.api.types.is_bool_dtype(safe[c])]
        safe.to_parquet(path, index=False, use_dictionary=text)
        return path
    return write_csv(frame, folder / f"{stem}.csv")


#: what each row of a table with totals is (the table's index): a unit, a region's subtotal, the grand total
UNIT_ROW, SUBTOTAL_ROW, TOTAL_ROW = "unit", "subtotal", "total"


def with_totals(frame: pd.DataFrame, regions: str | Sequence | None = None, *, label: str,
                lang: str | None = None, ratios: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """A per-unit table with a subtotal row after each region's units and a total row (合计) at the end.

    ``regions`` is a column of ``frame`` holding each unit's region (the subtotal rows show their region there
    too), or the regions as values, or None for the total row alone. Regions come in the order they first
    appear; units keep their order within their region. ``label`` is the text column that names the added rows
    (``石家庄市小计``, ``合计``). Numeric columns are summed; each of ``ratios`` (column → (numerator,
    denominator)) is recomputed from the sums, and left blank where the denominator sums to 0. Other columns
    are blank in the added rows.

    The index of the result says what each row is: :data:`UNIT_ROW`, :data:`SUBTOTAL_ROW` or :data:`TOTAL_ROW`
    (the workbook makes the last two bold; CSV files leave the index out).

    >>> frame = pd.DataFrame({"county": ["A", "B", "C"], "city": ["x", "y", "x"], "amount": [2, 3, 4],
    ...                       "last": [1, 2, 5]})
    >>> frame["change"] = frame["amount"] - frame["last"]
    >>> frame["pct"] = frame["change"] / frame["last"]
    >>> print(with_totals(frame, "city", label="county", lang="zh", ratios={"pct": ("change", "last")})
    ...       .round(3).to_string())
             county  city  amount  last  change    pct
    row                                               
    unit          A     x       2     1       1  1.000
    unit          C     x       4     5      -1 -0.200
    subtotal    x小计     x       6     6       0  0.000
    unit          B     y       3     2       1  0.500
    subtotal    y小计     y       3     2       1  0.500
    total        合计  None       9     8       1  0.125
    """
    from .catalog import t

    ratios = dict(ratios or {})
    region_column = regions if isinstance(regions, str) else None
    keys = (frame[regions] if region_column else pd.Series(list(regions), index=frame.index)) \
        if regions is not None else None
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    summed = [c for c in numeric if c not in ratios]

    def added(rows: np.ndarray, text: str, region) -> pd.DataFrame:
        sums = frame[summed].iloc[rows].sum()
        row = {c: (sums[c] if c in summed else None) for c in frame.columns}
        for column, (part, whole) in ratios.items():  # e.g. 增减% = 增减 / 上年: a ratio of the sums
            row[column] = sums[part] / sums[whole] if sums[whole] else np.nan
        row[label] = text
        if region_column:
            row[region_column] = region
        return pd.DataFrame([row], index=[SUBTOTAL_ROW if region is not None else TOTAL_ROW])

    pieces = []
    if keys is not None:
        codes, names = pd.factorize(keys.to_numpy(), sort=False)
        for k, name in enumerate(names):
            rows = np.flatnonzero(codes == k)
            pieces += [frame.iloc[rows].set_axis([UNIT_ROW] * len(rows)),
                       added(rows, t("table.subtotal", lang, region=name), name)]
    else:
        pieces.append(frame.set_axis([UNIT_ROW] * len(frame)))
    pieces.append(added(np.arange(len(frame)), t("table.total", lang), None))
    out = pd.concat(pieces)
    for c in numeric:  # whole numbers stay whole where the added rows allow
        if pd.api.types.is_integer_dtype(frame[c]) and out[c].notna().all():
            out[c] = out[c].astype(frame[c].dtype)
    return out.rename_axis("row")


def first_units(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """A table of :func:`with_totals` cut after its ``n``-th unit row (the subtotals among them kept), with its
    total row; the whole table when it has ``n`` units or fewer.

    >>> frame = with_totals(pd.DataFrame({"county": ["A", "B", "C"], "amount": [2, 3, 4]}), label="county")
    >>> first_units(frame, 2)["county"].tolist()
    ['A', 'B', 'Total']
    """
    units = np.cumsum(frame.index == UNIT_ROW)
    keep = ((units <= n) & ~((frame.index == SUBTOTAL_ROW) & (units > n))) | (frame.index == TOTAL_ROW)
    return frame[keep]


def text_cells_stay_text(sheet) -> None:
    """Make every cell of an openpyxl worksheet that openpyxl took for a formula (text starting with ``=``) a
    string cell again: fundalloc never writes formulas, so any such cell came from a name someone wrote."""
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
