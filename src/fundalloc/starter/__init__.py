"""The starter that ``fundalloc init DIR`` writes: a scenario whose every key is explained in Chinese and
English, and a units template with Chinese headers (代码, 县名, 市, …) that the scenario's ``units:`` maps.
Five made-up counties make it valid and solvable as it stands, so a user can run it before changing it.

>>> import tempfile, fundalloc as fa
>>> from fundalloc.starter import write_starter
>>> folder = Path(tempfile.mkdtemp()) / "mine"
>>> [p.name for p in write_starter(folder, excel=False)]
['scenario.yaml', 'units.csv']
>>> fa.solve(fa.load_scenario(folder / "scenario.yaml")).status
'optimal'
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

#: the starter's files, shipped beside this module
FOLDER = Path(__file__).resolve().parent
FILES = ("scenario.yaml", "units.csv")
#: the units template as a workbook: its file, and the sheet (the loader reads the first one)
WORKBOOK, SHEET = "units.xlsx", "县表"


def write_starter(folder: str | os.PathLike, *, excel: bool = True) -> list[Path]:
    """Write ``scenario.yaml`` and ``units.csv`` into ``folder`` (made if missing) and, with ``excel``,
    ``units.xlsx`` (the same table, for those who keep it in Excel or WPS; needs openpyxl). Never replaces a
    file: one already there is a ``FileExistsError``. Returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        with open(folder / name, "xb") as out:
            out.write((FOLDER / name).read_bytes())
        written.append(folder / name)
    if excel:
        from ..workbook import Sheet, write_sheets

        target = folder / WORKBOOK
        if target.exists():
            raise FileExistsError(target)
        units = pd.read_csv(FOLDER / "units.csv", encoding="utf-8-sig", dtype={"代码": str})
        written.append(write_sheets(target, [Sheet.of(SHEET, units, codes=["代码"])]))
    return written
