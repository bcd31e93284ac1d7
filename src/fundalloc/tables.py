"""Tables as files for people: CSV that Excel opens with Chinese names intact and numbers as written."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

#: ten significant digits: 795.772, not the 795.7719999999999 that floating point would print
FLOAT_FORMAT = "%.10g"


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
    frame.to_csv(path, index=False, encoding="utf-8-sig", float_format=FLOAT_FORMAT, chunksize=100_000)
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
        frame.to_parquet(path, index=False)
        return path
    return write_csv(frame, folder / f"{stem}.csv")


#: Excel's limits: a table bigger than this is left out of the workbook (its CSV has it all)
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


def write_workbook(path: str | os.PathLike, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write tables as the sheets of one .xlsx (sheet names made valid and unique; too-big tables skipped)."""
    from .optional import require

    require("openpyxl", "excel", "writing allocation.xlsx")
    path, used = Path(path), set()
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        for stem, frame in sheets.items():
            if len(frame) >= EXCEL_ROWS or frame.shape[1] > EXCEL_COLUMNS:
                continue
            frame.to_excel(book, sheet_name=_sheet_name(stem, used), index=False)
    return path


def _sheet_name(stem: str, used: set[str]) -> str:
    first = re.sub(r"[\[\]:*?/\\]", "_", stem)[:31]
    name, k = first, 1
    while name in used:  # two long stems that start alike
        k += 1
        name = f"{first[:28]}~{k}"
    used.add(name)
    return name
