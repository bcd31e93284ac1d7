"""Tables as files for people: CSV that Excel opens with Chinese names intact and numbers as written."""
from __future__ import annotations

import os
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
    frame.to_csv(path, index=False, encoding="utf-8-sig", float_format=FLOAT_FORMAT)
    return path
