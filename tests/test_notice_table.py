"""The 分配表: per county 上年, 因素法, 优化, 增减, 增减%, per measure and persons, with 市 subtotals and 合计, in
whole 万元 that add up exactly to the budget."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.notice_table import CODE, MONEY, PERSONS, SHARE, TEXT
from fundalloc.tables import SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW

HEBEI = Path(__file__).resolve().parents[1] / "examples" / "hebei" / "scenario.yaml"


@pytest.fixture(scope="module")
def hebei():
    return fa.solve(fa.load_scenario(HEBEI).with_changes({"language": "zh"}))


@pytest.fixture(scope="module")
def table(hebei):
    return hebei.allocation_table()


def test_the_columns_are_in_chinese_in_the_order_officials_read_them(table, hebei):
    labels = [m.label for m in hebei.scenario.measures.values()]
    assert list(table.frame.columns) == [
        "单位代码", "县(市、区)", "所属市", "上年分配（万元）", "因素法测算（万元）", "优化分配（万元）", "增减（万元）", "增减%",
        *[f"{label}（万元）" for label in labels], "扶持人数", "实现就业人数"]
    assert table.kinds["单位代码"] == CODE and table.kinds["所属市"] == TEXT and table.kinds["增减%"] == SHARE
    assert table.kinds["优化分配（万元）"] == MONEY and table.kinds["扶持人数"] == PERSONS


def budget(result) -> float:
    return result.scenario.money(result.scenario.budget.total)


def test_whole_wan_yuan_add_up_exactly_to_the_budget_and_each_row_to_its_measures(table, hebei):
    f = table.frame
    units = f.loc[UNIT_ROW]
    optimised = units["优化分配（万元）"].to_numpy()
    assert len(units) == 63 and np.array_equal(optimised, np.round(optimised))
    assert optimised.sum() == budget(hebei) and f.loc[TOTAL_ROW, "优化分配（万元）"] == budget(hebei)
    measures = [c for c in f.columns if c.endswith("（万元）") and c not in
                ("上年分配（万元）", "因素法测算（万元）", "优化分配（万元）", "增减（万元）")]
    assert np.array_equal(units[measures].sum(axis=1).to_numpy(), optimised)
    # every amount within one step (1 万元) of the unrounded optimum
    assert np.abs(table.rounded.money - hebei._per_unit_measure[1]).max() <= 1 + 1e-9
    # the factor formula, rounded the same way, adds up too and keeps its 90 % floors
    factor = units["因素法测算（万元）"].to_numpy()
    assert factor.sum() == budget(hebei) and np.array_equal(factor, np.round(factor))
    assert (factor >= 0.9 * units["上年分配（万元）"].to_numpy() - 1e-9).all()


def test_every_rule_still_holds_after_rounding(table, hebei):
    assert table.rounded.broken.empty and table.rounded.method == "integer_programme"
    assert table.notes[1] == "若全部就近取整会违反约束，故部分金额反向取整：由整数规划求得满足全部约束且最接近测算结果的取整方案。"
    # the floors, checked apart from the programme: every county at least 90 % of last year, every priority
    # county at least last year (the budget grows)
    units = table.frame.loc[UNIT_ROW]
    optimised, last = units["优化分配（万元）"].to_numpy(), units["上年分配（万元）"].to_numpy()
    assert (optimised >= 0.9 * last - 1e-9).all()
    priority = hebei.program.masks["priority"][hebei.scenario.units["id"].searchsorted(units["单位代码"])]
    assert (optimised[priority] >= last[priority] - 1e-9).all()


def test_each_city_has_its_subtotal_after_its_counties_and_the_total_comes_last(table, hebei):
    f = table.frame
    assert f.index[-1] == TOTAL_ROW and f["县(市、区)"].iloc[-1] == "合计"
    subtotals = f.loc[SUBTOTAL_ROW]
    assert subtotals["县(市、区)"].tolist()[0] == "石家庄市小计"
    assert len(subtotals) == f.loc[UNIT_ROW, "所属市"].nunique()
    for _, sub in subtotals.iterrows():
        mine = f[(f.index == UNIT_ROW) & (f["所属市"] == sub["所属市"])]
        for column in ("上年分配（万元）", "优化分配（万元）", "增减（万元）", "扶持人数"):
            assert sub[column] == pytest.approx(mine[column].sum())
        assert sub["增减%"] == pytest.approx(sub["增减（万元）"] / sub["上年分配（万元）"])
    # a city's counties come together, right before its subtotal
    kinds, cities = list(f.index), list(f["所属市"])
    for i, kind in enumerate(kinds):
        if kind == SUBTOTAL_ROW:
            j = i - 1
            while j >= 0 and kinds[j] == UNIT_ROW:
                assert cities[j] == cities[i]
                j -= 1
    last = hebei.scenario.units["last_year"].sum()
    assert f.loc[TOTAL_ROW, "上年分配（万元）"] == last
    assert f.loc[TOTAL_ROW, "增减%"] == pytest.approx((budget(hebei) - last) / last)


def test_the_csv_has_the_total_row_and_change_in_percent(hebei, tmp_path):
    hebei.write_files(tmp_path, report=False)
    text = (tmp_path / "allocation_table.csv").read_bytes()
    assert text.startswith("\ufeff".encode())
    csv = pd.read_csv(tmp_path / "allocation_table.csv", encoding="utf-8-sig", dtype={"单位代码": str})
    assert csv["县(市、区)"].iloc[-1] == "合计" and csv["优化分配（万元）"].iloc[-1] == budget(hebei)
    assert csv["单位代码"].iloc[0] == "130125" and pd.isna(csv["单位代码"].iloc[-1])
    row = csv[csv["单位代码"] == "130125"].iloc[0]
    assert row["增减%"] == pytest.approx(round(100 * row["增减（万元）"] / row["上年分配（万元）"], 1))


def test_in_english_and_without_last_year_or_baseline_the_columns_are_fewer():
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [504, 496]})
    sc = fa.Scenario(units=units, budget={"total": 100, "spend_all": True},
                     measures={"w": {"unit_cost": "1000 元", "capacity": "jobs", "label": "车间"}})
    table = fa.allocation_table(fa.solve(sc))
    assert list(table.frame.columns) == ["Code", "County", "Optimised (万元)", "车间 (万元)", "Persons funded",
                                         "Persons employed"]
    assert table.frame["County"].tolist() == ["甲县", "乙县", "Total"]
    assert table.frame["Optimised (万元)"].tolist() == [50, 50, 100]
    assert table.notes[0].startswith("Money in 万元, every amount rounded to 1 万元; the optimised amounts add up "
                                     "to 100 万元 (the budget)")


def test_a_rule_no_rounding_can_keep_is_named_with_its_miss():
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [504, 496], "exact": [50.4, 49.6]})
    sc = fa.Scenario(units=units, budget={"total": 100, "spend_all": True}, groups={"first": {"ids": ["a"]}},
                     measures={"w": {"unit_cost": "1000 元", "capacity": "jobs"}},
                     rules=[{"type": "unit_bounds", "name": "exact", "min": "exact", "max": "exact", "where": "first"}])
    table = fa.solve(sc).allocation_table(lang="zh")
    assert table.rounding_notes[1:] == ["取整到1万元后无法满足全部约束，本表采用违反最少的方案：",
                                        "  exact：1处低于下限，合计差0.4万元（最多0.4），涉及甲县 a",
                                        # 乙's 50 万元 fund its 496 places and leave 0.4 万元 over
                                        "有1项金额向上取整后超出所扶持人员的费用（合计0.4万元）：按各项约束该处已无更多可扶持人员，该部分为取整余量。"]
    english = fa.solve(sc).allocation_table(lang="en").rounding_notes
    assert english[2] == "  exact: 1 below its floor by 0.4 万元 in all (most 0.4), in 甲县 a"


def test_a_factor_formula_has_no_table_of_its_own(hebei, tmp_path):
    factor = hebei.factor_baseline
    with pytest.raises(ValueError) as caught:
        fa.allocation_table(factor)
    assert "请对优化结果调用 allocation_table" in str(caught.value)  # the Hebei scenario is in Chinese
    assert "因素法测算 column" in caught.value.in_language("en")
    factor.write_files(tmp_path, report=False)
    assert not (tmp_path / "allocation_table.csv").exists()


def test_the_report_shows_the_table_with_bold_totals(hebei):
    from fundalloc.report import render
    page = render(hebei)
    assert "<h2>分配表</h2>" in page and '<tr class="total"><td class="code"></td><td class="name">合计</td>' in page
    assert page.index("<h2>摘要</h2>") < page.index("<h2>分配表</h2>") < page.index("<h2>资金分布</h2>")
    assert '<tr class="subtotal"><td class="code"></td><td class="name">石家庄市小计</td><td class="name">石家庄市</td>' \
        in page
    assert f'<td class="num">{budget(hebei):,.0f}</td>' in page
