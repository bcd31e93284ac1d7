"""allocation.xlsx, opened cell by cell as Excel would: the 分配表 first, numbers as numbers with their formats,
no `inf` and no number stored as text, frozen headers, filters, bold 合计 rows, sheets named in Chinese."""
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

HEBEI = Path(__file__).resolve().parents[1] / "examples" / "hebei" / "scenario.yaml"


@pytest.fixture(scope="module")
def scenario():
    import fundalloc as fa
    return fa.load_scenario(HEBEI)


@pytest.fixture(scope="module")
def budget(scenario):
    return scenario.money(scenario.budget.total)


@pytest.fixture(scope="module")
def book_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("hebei") / "out"
    run = subprocess.run([sys.executable, "-m", "fundalloc", str(HEBEI), "--excel", "--out", str(out), "--quiet",
                          "--set", "language=zh"], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    return out / "allocation.xlsx"


@pytest.fixture(scope="module")
def book(book_path):
    return openpyxl.load_workbook(book_path)


def rows_of(sheet):
    return [[c for c in row] for row in sheet.iter_rows()]


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_the_sheets_are_named_in_chinese_with_the_allocation_table_first(book):
    assert book.sheetnames == ["分配表", "分项目汇总", "约束价格", "敏感性分析", "方案比较", "说明"]


def test_every_sheet_has_a_bold_frozen_header_and_a_filter(book):
    for sheet in book.worksheets:
        assert all(c.font.b for c in sheet[1]), sheet.title
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2"), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
    assert book["分配表"].freeze_panes == "C2"  # code and county stay in view
    table = book["分配表"]  # printed on A4 landscape, one page wide, the header on every page
    assert table.page_setup.orientation == "landscape" and int(table.page_setup.paperSize) == 9  # A4
    assert table.page_setup.fitToWidth == 1 and table.page_setup.fitToHeight == 0
    assert table.print_title_rows == "$1:$1"


def test_numbers_are_numbers_and_nothing_is_inf_a_formula_or_a_number_stored_as_text(book):
    for sheet in book.worksheets:
        codes = [j for j, h in enumerate(header(sheet)) if h == "单位代码"]
        for row in rows_of(sheet)[1:]:
            for j, cell in enumerate(row):
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                value = cell.value
                if isinstance(value, str):
                    assert value.strip().lower() not in ("inf", "-inf", "nan", "none"), (sheet.title, cell.coordinate)
                    looks_numeric = re.fullmatch(r"[-+]?[\d,]*\.?\d+(e[-+]?\d+)?%?", value.strip(), re.I)
                    assert not looks_numeric or j in codes, (sheet.title, cell.coordinate, value)
                if isinstance(value, float):
                    assert value == value and abs(value) != float("inf")


def test_the_allocation_table_adds_up_to_the_budget_in_whole_wan_yuan(book, budget):
    sheet = book["分配表"]
    head = header(sheet)
    assert head[:8] == ["单位代码", "县(市、区)", "所属市", "上年分配（万元）", "因素法测算（万元）", "优化分配（万元）",
                        "增减（万元）", "增减%"]
    optimised = head.index("优化分配（万元）")
    rows = rows_of(sheet)[1:]
    units = [r for r in rows if r[0].value is not None]
    assert len(units) == 63
    amounts = [r[optimised].value for r in units]
    assert all(isinstance(a, (int, float)) and a == int(a) for a in amounts)
    assert sum(amounts) == budget
    total = rows[-1]
    assert total[1].value == "合计" and total[optimised].value == budget
    assert all(c.font.b for c in total) and total[optimised].border.top.style == "thin"
    assert total[optimised].number_format == "#,##0"
    assert units[0][head.index("增减%")].number_format == "0.0%"
    subtotals = [r for r in rows if isinstance(r[1].value, str) and r[1].value.endswith("小计")]
    assert subtotals[0][1].value == "石家庄市小计" and all(c.font.b for c in subtotals[0])
    assert sum(r[optimised].value for r in subtotals) == budget
    # the filter leaves 合计 out, so sorting keeps it last
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(head))}{len(rows)}"


def test_codes_are_text_that_excel_is_told_not_to_flag(book, book_path):
    sheet = book["分配表"]
    code = sheet["A2"]
    assert code.value == "130125" and code.data_type == "s" and code.number_format == "@"
    with zipfile.ZipFile(book_path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert re.search(r'<ignoredErrors><ignoredError sqref="A2:A\d+" numberStoredAsText="1"/></ignoredErrors>'
                     r"</worksheet>$", xml)


def test_columns_are_wide_enough_for_chinese_names(book):
    sheet = book["分配表"]
    longest = max(len(c.value) for c in sheet["B"][1:] if c.value)  # 青龙满族自治县: 7 characters, 14 wide
    assert sheet.column_dimensions["B"].width >= 2 * longest
    assert sheet.column_dimensions["A"].width >= 8


def test_the_other_sheets_hold_what_an_analyst_needs(book, scenario, budget):
    measures = book["分项目汇总"]
    assert header(measures)[:3] == ["项目", "优化分配（万元）", "占比"]
    rows = rows_of(measures)
    labels = [m.label for m in scenario.measures.values()]
    assert [r[0].value for r in rows[1:-1]] == labels and rows[-1][0].value == "合计"
    assert rows[-1][1].value == budget and rows[-1][2].value == pytest.approx(1.0)
    prices = book["约束价格"]
    assert header(prices)[:4] == ["约束", "政策依据", "是否达到限值", "影子价格（每单位限值对应的加权就业人数）"]
    budget = next(r for r in rows_of(prices) if r[0].value == "预算")
    assert budget[2].value == "是" and isinstance(budget[3].value, float)
    tornado = book["敏感性分析"]
    swings = [r[5].value for r in rows_of(tornado)[1:]]
    assert header(tornado)[0] == "参数" and all(isinstance(v, float) or v is None for v in swings)
    assert sum(isinstance(v, float) for v in swings) > len(swings) / 2  # blank where a side has no optimum
    comparison = book["方案比较"]
    assert header(comparison)[:4] == ["单位代码", "县(市、区)", "所属市", "优化分配：资金（万元）"]
    assert rows_of(comparison)[-1][1].value == "合计"
    assert any(r[1].value == "石家庄市小计" for r in rows_of(comparison))
    notes = {r[0].value: r[1].value for r in rows_of(book["说明"])[1:]}
    assert notes["测算情景"] == scenario.name and notes["金额单位"] == "万元" and notes["分配表取整精度"] == "1 万元"
    inputs = [r[1].value for r in rows_of(book["说明"]) if r[0].value == "输入文件"]
    assert len(inputs) == 2 and all(re.search(r"sha256：[0-9a-f]{64}", v) for v in inputs)
    assert "“增减%”列" in notes


def test_hostile_text_stays_text_in_every_sheet(tmp_path):
    import pandas as pd

    import fundalloc as fa
    from fundalloc.workbook import write_workbook

    units = pd.DataFrame({"id": ["=1+1", "@A1"], "name": ['=HYPERLINK("http://x","click")', "+cmd"],
                          "city": ["-2+3", "=A1"], "jobs": [504, 496]})
    sc = fa.Scenario(units=units, region="city", budget={"total": 100, "spend_all": True},
                     measures={"w": {"unit_cost": "1000 元", "capacity": "jobs", "label": "=SUM(1)"}})
    book = openpyxl.load_workbook(write_workbook(tmp_path / "a.xlsx", fa.solve(sc)))
    texts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("http://x","click")' in texts and "=SUM(1) (万元)" in texts and "=A1 subtotal" in texts
    assert all(c.data_type != "f" for s in book.worksheets for row in s.iter_rows() for c in row)
