"""Regions (市): the `units.region` column reaches the scenario, units.csv and the comparison, and one helper
adds region subtotals and a 合计 row to any per-unit table."""
import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from bad_inputs import Case
from fundalloc.loader import load_scenario
from fundalloc.tables import SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW, with_totals

CITY_CSV = (("last_year\n", "last_year,city\n"), ("200\n", "200,张家口市\n"), ("150\n", "150,承德市\n"),
            ("120\n", "120,张家口市\n"))


def with_region(folder):
    return Case("regions", (), edits=(("name: name}", "name: name, region: city}"),), csv_edits=CITY_CSV).write(folder)


def test_the_region_column_reaches_the_scenario_and_units_csv(tmp_path):
    sc = load_scenario(with_region(tmp_path))
    assert sc.region == "city"
    assert sc.regions.tolist() == ["张家口市", "承德市", "张家口市"]  # in unit order (by id)
    res = fa.solve(sc)
    assert list(res.units.columns[:4]) == ["unit_id", "unit_name", "region", "groups"]
    res.to_dir(tmp_path / "out", report=False)
    units = pd.read_csv(tmp_path / "out" / "units.csv", encoding="utf-8-sig", dtype={"unit_id": str})
    assert units["region"].tolist() == ["张家口市", "承德市", "张家口市"]


def test_without_a_region_units_csv_has_no_region_column(tmp_path):
    sc = load_scenario(Case("plain", ()).write(tmp_path))
    assert sc.region is None and sc.regions is None
    assert "region" not in fa.solve(sc).units.columns


def test_the_api_takes_the_region_column_and_checks_it():
    units = pd.DataFrame({"id": [1, 2], "name": ["A", "B"], "jobs": [10, 10], "city": [130100, 130100.0]})
    measures = {"w": {"unit_cost": 1, "capacity": "jobs"}}
    sc = fa.Scenario(units=units, region="city", budget={"total": 5}, measures=measures)
    assert sc.regions.tolist() == ["130100", "130100"]  # codes read as numbers read back as text
    assert sc.with_changes({"budget.total": 6}).region == "city"
    with pytest.raises(fa.ScenarioError, match="no column `ctiy` for the regions; did you mean `city`"):
        fa.Scenario(units=units, region="ctiy", budget={"total": 5}, measures=measures)
    with pytest.raises(fa.ScenarioError, match=r"row 2 \(unit 2 B\): empty; every unit needs its region"):
        fa.Scenario(units=units.assign(city=["石家庄市", " "]), region="city", budget={"total": 5}, measures=measures)


def test_the_comparison_carries_the_region(tmp_path):
    sc = load_scenario(with_region(tmp_path))
    cmp = fa.compare({"a": fa.solve(sc), "b": fa.solve(sc.with_changes({"rules.tilt.min": 0}))})
    assert cmp.table["region"].tolist() == ["张家口市", "承德市", "张家口市"]


# ----------------------------------------------------------------------------------------- the helper


def frame():
    return pd.DataFrame({"code": ["1", "2", "3", "4"], "county": ["A", "B", "C", "D"],
                         "city": ["甲市", "乙市", "甲市", "丙市"], "amount": [10, 20, 30, 40],
                         "last": [10.0, 10.0, 0.0, 50.0], "flag": [True, False, True, False]})


def test_subtotals_follow_each_region_in_the_order_regions_first_appear():
    f = frame().assign(change=lambda d: d["amount"] - d["last"])
    f["pct"] = f["change"] / f["last"].replace(0, np.nan)
    out = with_totals(f, "city", label="county", lang="zh", ratios={"pct": ("change", "last")})
    assert out.index.tolist() == [UNIT_ROW, UNIT_ROW, SUBTOTAL_ROW, UNIT_ROW, SUBTOTAL_ROW, UNIT_ROW, SUBTOTAL_ROW,
                                  TOTAL_ROW]
    assert out["county"].tolist() == ["A", "C", "甲市小计", "B", "乙市小计", "D", "丙市小计", "合计"]
    assert out["city"].tolist()[:3] == ["甲市", "甲市", "甲市"] and pd.isna(out["city"].iloc[-1])
    assert out["amount"].tolist() == [10, 30, 40, 20, 20, 40, 40, 100]
    assert out["amount"].dtype == np.int64  # whole numbers stay whole
    # a ratio is the ratio of the sums, not a sum of ratios: 甲市 (40 − 10) / 10; the total (100 − 70) / 70
    assert out["pct"].iloc[2] == pytest.approx(3.0) and out["pct"].iloc[-1] == pytest.approx(30 / 70)
    assert out["code"].iloc[2] is None and out["flag"].iloc[-1] is None  # text and flags are not summed
    assert with_totals(f, "city", label="county", lang="en")["county"].iloc[2] == "甲市 subtotal"


def test_without_regions_only_the_total_is_added():
    out = with_totals(frame(), None, label="county", lang="en")
    assert out.index.tolist() == [UNIT_ROW] * 4 + [TOTAL_ROW]
    assert out["county"].iloc[-1] == "Total" and out["amount"].iloc[-1] == 100


def test_regions_can_be_given_as_values():
    out = with_totals(frame().drop(columns="city"), ["x", "x", "y", "y"], label="county", lang="zh")
    assert out["county"].tolist() == ["A", "B", "x小计", "C", "D", "y小计", "合计"]
