"""The fast table writers write what the plain ones did: the same CSV bytes as pandas formatting every cell
(each text cell through ``neutralise``, floats with ``%.10g``), and Parquet with the same neutralised text."""
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fundalloc as fa
from fundalloc.tables import FLOAT_FORMAT, neutralise, safe_frame, write_csv

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import make_scenario  # noqa: E402


def plain_csv(frame: pd.DataFrame, path: Path) -> bytes:
    """The plain writer: every text cell, category and header through ``neutralise``, pandas formatting floats."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) if not isinstance(c, (int, float, np.number)) else c for c in frame.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == object \
                or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.astype(object).map(neutralise))
    out.to_csv(path, index=False, encoding="utf-8-sig", float_format=FLOAT_FORMAT)
    return path.read_bytes()


def hostile_frame() -> pd.DataFrame:
    names = ['=HYPERLINK("http://x","click")', "康保县", "-3.5", "+x", None, "@a", "\tq", "a,b", 'q"q', ""]
    return pd.DataFrame({
        "name": pd.array(names, dtype="str"),
        "mixed": pd.Series(["=a", 1, None, "-2+3", 2.5, "b", "c", "d", "e", "-1e5"], dtype=object),
        "text": pd.Series(["=a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], dtype=object),
        "category": pd.Categorical(["=x", "y", "=x", "'=x", "z", "z", "z", "z", "z", "z"]),  # '=x twice once safe
        "labels": pd.Categorical(["=x", "y", "=x", "@", "z", "z", "z", "z", "z", "z"]),
        "float": [1.5, np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-5, 1e20, 123456789012.5, 0.1 + 0.2],
        "whole": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 1e9], "int": range(10), "flag": [True, False] * 5,
        "=header": [0.1] * 10})


@pytest.mark.parametrize("rows", [slice(None), slice(0, 1), slice(4, 5), slice(0, 0)])
def test_csv_bytes_equal_the_plain_writer_on_hostile_cells(tmp_path, rows):
    frame = hostile_frame().iloc[rows]
    written = write_csv(frame, tmp_path / "new.csv").read_bytes()
    assert written == plain_csv(frame, tmp_path / "plain.csv")
    if len(frame) > 1:
        assert "'=HYPERLINK" in written.decode("utf-8-sig") and "'''=x" not in written.decode("utf-8-sig")


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=30),
       places=st.sampled_from([None, 0, 1, 2]))
def test_csv_bytes_equal_the_plain_writer_on_any_floats(values, places, tmp_path_factory):
    column = np.array(values) if places is None else np.round(np.array(values), places)
    with np.errstate(over="ignore"):  # a huge value times 3 is inf, which is written too
        frame = pd.DataFrame({"x": column, "y": column * 3})
    folder = tmp_path_factory.mktemp("floats")
    assert write_csv(frame, folder / "new.csv").read_bytes() == plain_csv(frame, folder / "plain.csv")


@pytest.mark.parametrize("units", [300, 6000])
def test_every_table_of_a_result_is_written_as_the_plain_writer_writes_it(tmp_path, units):
    result = fa.solve(make_scenario(units, 6).with_changes({"solver.method": "decomposition"}), progress=False)
    table = result.allocation_table()
    percent = table.frame.copy()
    for header in table.columns_of["share"]:
        percent[header] = (percent[header] * 100).round(1)
    frames = {"allocation_table": percent, **result.tables()}
    for stem, frame in frames.items():
        assert write_csv(frame, tmp_path / f"{stem}.csv").read_bytes() == plain_csv(frame, tmp_path / "plain.csv")
    assert table.write_csv(tmp_path / "table.csv").read_bytes() == (tmp_path / "allocation_table.csv").read_bytes()


def test_parquet_text_is_neutralised_as_in_csv(tmp_path):
    pytest.importorskip("pyarrow")
    frame = hostile_frame().drop(columns=["mixed"])
    safe_frame(frame).to_parquet(tmp_path / "t.parquet", index=False)
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back.columns[-1] == "'=header"
    assert back["name"].tolist()[:2] == ['\'=HYPERLINK("http://x","click")', "康保县"]
    assert back["text"].tolist()[:2] == ["'=a", "b"]
    assert back["category"].astype(object).tolist()[:4] == ["'=x", "y", "'=x", "'=x"]
    assert back["labels"].astype(object).tolist()[:4] == ["'=x", "y", "'=x", "'@"]
    assert frame["name"].tolist()[0].startswith("=")   # the caller's frame is left as it was


def test_big_tables_are_written_as_parquet_beside_the_rest_and_read_back_the_same(tmp_path, monkeypatch):
    """Tables of LARGE_TABLE_ROWS rows or more go to Parquet, written in a thread while the 分配表, summary and
    report are written: every file is there, and the Parquet tables read back as the result's tables."""
    pytest.importorskip("pyarrow")
    from fundalloc import result as result_module
    from fundalloc import tables

    res = fa.solve(make_scenario(300, 6), progress=False)
    monkeypatch.setattr(result_module, "LARGE_TABLE_ROWS", 1000)
    monkeypatch.setattr(tables, "LARGE_TABLE_ROWS", 1000)
    res.write_files(tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"allocation.parquet", "allocation_table.csv", "summary.json", "report.html"} <= names
    assert "allocation.csv" not in names and "units.csv" in names   # 300 units: under 1,000 rows
    back = pd.read_parquet(tmp_path / "allocation.parquet")
    expected = res.allocation
    assert list(back.columns) == list(expected.columns)
    assert back["amount"].to_numpy() == pytest.approx(expected["amount"].to_numpy())
    assert back["unit_id"].astype(str).tolist() == expected["unit_id"].astype(str).tolist()


def test_an_error_writing_a_parquet_table_is_the_callers(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    from fundalloc import result as result_module
    from fundalloc import tables

    res = fa.solve(make_scenario(300, 6), progress=False)
    monkeypatch.setattr(result_module, "LARGE_TABLE_ROWS", 1000)
    monkeypatch.setattr(tables, "LARGE_TABLE_ROWS", 1000)

    def full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    with pytest.raises(OSError, match="disk full"):
        res.write_files(tmp_path)
