"""report.html: one self-contained page an official can open, with Chinese names as text and the shadow
prices in words."""
import re
import subprocess
import sys

import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.markup import Markup
from fundalloc.numbers import signed
from fundalloc.report import price_sentences, render, write_report


def tilted(language: str = "en", measures: int = 1) -> fa.Result:
    # 康保县 (deep poverty) buys 5 persons per 万元, 尚义县 10. The tilt sends it 60 % of the 10 万元: one more
    # 万元 of budget buys 0.6 × 5 + 0.4 × 10 = 7 persons; 1 万元 more to the deep county than the tilt asks
    # moves it from 尚义县: −10 + 5 = −5.
    units = pd.DataFrame({"id": ["130723", "130725"], "name": ["康保县", "尚义县"], "deep": [1, 0],
                          "cost": [0.2, 0.1], "last_year": [5, 3]})
    more = {f"m{k}": {"unit_cost": "cost", "effectiveness": 0.5} for k in range(1, measures)}
    sc = fa.Scenario(name="两县", description="a tilt and a floor", units=units, budget={"total": 10},
                     groups={"deep_poverty": {"column": "deep"}}, language=language,
                     measures={"workshop": {"unit_cost": "cost", "label": "扶贫车间吸纳"}, **more},
                     rules=[{"type": "group_share", "name": "tilt", "group": "deep_poverty", "min": 0.6,
                             "description": "向深度贫困县倾斜"},
                            {"type": "hold_harmless", "column": "last_year", "min_ratio": 1.0}])
    return fa.solve(sc)


@pytest.fixture(scope="module")
def page() -> str:
    return render(tilted())


def test_the_report_is_one_self_contained_page(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert re.findall(r'\ssrc\s*=', page) == []
    outside = [h for h in re.findall(r'href\s*=\s*"([^"]*)"', page) if not h.startswith("#")]
    assert outside == []
    assert "<link" not in page and "<script" not in page


def test_chinese_names_are_text_in_the_page_and_in_the_charts(page):
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) >= 2, "money by county and by measure"
    assert any("康保县" in c and "尚义县" in c for c in charts), "county names must stay text in the chart"
    assert any("扶贫车间吸纳" in c for c in charts)
    assert "Noto Sans CJK SC" in page and "Microsoft YaHei" in page  # a CJK-capable font list
    assert page.count("康保县") >= 2  # the chart and the table


def headings(page: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_the_sections_come_in_order_in_the_scenario_s_language(page):
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert headings(page) == ["Summary", "How it was computed", "Allocation table", "Money by county and by measure",
                              "Rules and shadow prices"]
    zh = render(tilted(language="zh"))
    assert zh.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert headings(zh) == ["摘要", "测算说明", "分配表", "资金分布", "约束条件与影子价格"]
    assert "<h3>分类别资金</h3>" in zh and "资金分配测算报告" in zh


def tables_naming(page: str, *names: str) -> list[str]:
    return [t for t in re.findall(r"<table.*?</table>", page, flags=re.S) if all(n in t for n in names)]


def test_one_table_per_county_the_allocation_table_with_its_totals(page):
    [table] = tables_naming(page, "康保县", "尚义县")
    assert 'class="allocation"' in table and "<thead>" in table
    assert '<tr class="total">' in table and ">Total<" in table
    # 康保县's 6 万元 (the tilt's 60 %) and 尚义县's 4, whole 万元 as rounded, last year beside them
    assert re.search(r">康保县</td>.*?<td class=\"num\">5</td>.*?<td class=\"num\">6</td>", table)


def test_the_summary_opens_with_the_budget_the_outcome_the_tilt_and_what_binds(page):
    summary = page[page.index("<h2>Summary</h2>"):page.index("<h2>How it was computed</h2>")]
    facts = dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', summary))
    # 康保县 buys 5 persons per 万元 (6 万元: 30), 尚义县 10 (4 万元: 40)
    assert facts["Budget"] == "10 万元; 10 万元 allocated to 2 counties"
    assert facts["Outcome"] == "70 weighted jobs; 70 persons employed"
    assert facts["Share of “deep_poverty”"] == "60.0% optimised; 62.5% last year"  # last year 5 of 8
    assert facts["Rules that bind"] == "`tilt`"
    assert facts["Shadow price of the budget"] == "one more 万元 of budget: +7 weighted jobs"
    assert "Against the factor formula (因素法)" not in facts  # the scenario has no baseline


def test_the_method_notes_say_who_when_with_what_and_from_which_files(tmp_path):
    (tmp_path / "units.csv").write_text("id,name,cost\n1,康保县,0.2\n2,尚义县,0.1\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("name: 两县\nprepared_by: 省人社厅就业促进处\nlanguage: zh\n"
                                     "units: {file: units.csv, id: id, name: name}\nbudget: {total: 10}\n"
                                     "measures: {m: {unit_cost: cost}}\n", encoding="utf-8")
    sc = fa.load_scenario(tmp_path / "s.yaml")
    page = render(fa.solve(sc))
    method = page[page.index("<h2>测算说明</h2>"):page.index("<h2>分配表</h2>")]
    facts = dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', method))
    assert facts["测算单位"] == "省人社厅就业促进处"
    assert facts["测算软件"] == f"fundalloc {fa.__version__}" and re.fullmatch(r"\d{4}-\d\d-\d\d", facts["测算日期"])
    assert facts["金额单位"] == "万元" and facts["分配表取整精度"] == "1 万元"
    files = re.findall(r'<th scope="row">输入文件</th><td>(.*?)</td>', method)
    assert files == [f"{name}（sha256：{digest}）" for name, digest in
                     zip(["s.yaml", "units.csv"], sc.inputs.values())]


def test_bars_carry_their_values_as_in_the_allocation_table(page):
    county = re.findall(r"<svg.*?</svg>", page, flags=re.S)[0]
    assert re.findall(r'class="value">(.*?)</text>', county) == ["6", "4"]


def test_the_page_prints_on_a4_with_wide_tables_on_landscape_pages_and_repeated_headers():
    page = render(tilted())
    assert "@page { size: A4;" in page and "@page wide { size: A4 landscape;" in page
    assert "thead { display: table-header-group; }" in page and "section { break-before: page; }" in page
    many = tilted(measures=12)  # 12 measures: a 分配表 of 20 columns
    assert '<section class="allocation wide">' in render(many) and '<section class="allocation">' in page


def test_a_table_too_wide_for_a_landscape_page_prints_smaller_not_clipped():
    assert "style=\"--print-zoom" not in render(tilted(measures=12))  # 20 columns fit a landscape page
    page = render(tilted(measures=40))  # 48 columns
    zoom = float(re.search(r'<section class="allocation wide" style="--print-zoom: ([\d.]+)">', page).group(1))
    assert 0.4 < zoom < 0.6 and "section.wide .table-box { zoom: var(--print-zoom, 1); }" in page


def test_shadow_prices_read_as_sentences():
    sentences = dict(price_sentences(tilted()))
    assert sentences["budget"] == "one more 万元 of budget: +7 weighted jobs"
    assert sentences["tilt"] == "1 万元 more to `deep_poverty` than the minimum share of `tilt`: −5 weighted jobs"


def test_the_rules_are_in_words_with_the_policy_s_own(page):
    assert "one more 万元 of budget: +7 weighted jobs" in page
    assert "1 万元 more to `deep_poverty` than the minimum share of `tilt`: −5 weighted jobs" in page
    assert "向深度贫困县倾斜" in page  # the rule's description, in the policy's words
    assert "<h1>两县</h1>" in page and "a tilt and a floor" in page


def test_a_floor_reads_as_raising_every_floor():
    # the floor (last year: 5 and 3) is above what 尚义县 would get: 6 万元 without it, and the tilt
    units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "尚义县"], "cost": [0.2, 0.1], "last_year": [6, 1]})
    sc = fa.Scenario(units=units, budget={"total": 10}, measures={"m": {"unit_cost": "cost"}},
                     rules=[{"type": "hold_harmless", "column": "last_year", "min_ratio": 1.0}])
    text = dict(price_sentences(fa.solve(sc)))["hold_harmless"]
    # 康保县 is held at 6 万元 that would buy 10 persons each at 尚义县 instead of 5: −5
    assert text == "raising every floor of `hold_harmless` by 1 万元: −5 weighted jobs (at its floor in 1 of 2 counties)"


def test_whole_persons_have_no_shadow_prices_and_the_report_says_so():
    units = pd.DataFrame({"id": ["a"], "name": ["康保县"], "jobs": [20]})
    sc = fa.Scenario(units=units, budget={"total": 1}, integer=True,
                     measures={"m": {"unit_cost": "1000 元", "capacity": "jobs"}})
    result = fa.solve(sc)
    assert "no shadow price" in dict(price_sentences(result))["budget"]
    assert "shadow prices and ranging are not defined" in render(result)


def test_sections_and_notes_are_added_and_plain_text_stays_text(tmp_path):
    path = write_report(tilted(), tmp_path / "report.html",
                        sections=[("Sensitivity", Markup("<p>sweeps here</p>")), ("More", "<p>not markup</p>")],
                        notes=["Changed on the command line: budget.total=10."])
    page = path.read_text(encoding="utf-8")
    assert page.index("<h2>How it was computed</h2>") < page.index("budget.total=10") \
        < page.index("<h2>Sensitivity</h2>")
    assert "<p>sweeps here</p>" in page and "&lt;p&gt;not markup&lt;/p&gt;" in page


def test_result_write_files_writes_the_report(tmp_path):
    tilted().write_files(tmp_path)
    assert "<svg" in (tmp_path / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("value, text", [(0.93, "+0.93"), (-12.34, "−12.3"), (1234.5, "+1,234"), (0, "±0"),
                                         (7.0, "+7"), (-0.000123, "−0.000123")])
def test_changes_are_written_with_their_sign_and_three_digits(value, text):
    assert signed(value) == text


def test_the_charts_are_svg_with_one_bar_per_county_and_per_measure(page):
    county, measure = re.findall(r"<svg.*?</svg>", page, flags=re.S)[:2]
    assert county.count('class="bar"') == 2 and measure.count('class="bar"') == 1
    assert ">deep_poverty<" in county and ">other counties<" in county  # the legend names the groups
    assert "matplotlib" not in page.lower()


def test_every_run_is_in_one_compact_chart_and_in_readable_tables():
    result = tilted()
    runs = {"base": result, "cut": fa.solve(result.scenario.with_changes({"budget.total": 8}), variant="cut"),
            "more": fa.solve(result.scenario.with_changes({"budget.total": 12}), variant="more")}
    section = fa.compare(runs, base="base").html()
    [chart] = re.findall(r"<svg.*?</svg>", section, flags=re.S)
    assert chart.count('class="label"') == 3  # a row per run, not a row per county per run
    # 8 万元 is just the floors (5 + 3): 25 + 30 persons, 15 fewer; 12 万元 splits 60/40: 36 + 48, 14 more
    assert re.findall(r'class="value">(.*?)</text>', chart)[:3] == ["0", "−15", "+14"]
    assert "amount.base" not in section and "amount_diff" not in section
    [per_county] = tables_naming(section, "康保县", "尚义县")
    assert '<th colspan="3" class="group">Money (万元)</th>' in per_county and ">Total<" in per_county


WRITE_EVERYTHING = """
import sys
import pandas as pd, fundalloc as fa
from fundalloc.report import write_report
from fundalloc.sensitivity import run_sensitivity
units = pd.DataFrame({"id": ["a", "b"], "name": ["康保县", "尚义县"], "deep": [1, 0], "jobs": [100, 50]})
sc = fa.Scenario(units=units, budget={"total": 10}, groups={"deep": {"column": "deep"}},
                 measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                 sensitivity={"sweeps": [{"parameter": "budget.total", "from": 5, "to": 20, "steps": 4}],
                              "tornado": {"parameters": ["budget.total"], "change": 0.2},
                              "monte_carlo": {"draws": 10, "seed": 1, "parameters": {
                                  "budget.total": {"dist": "uniform", "low": 0.9, "high": 1.1}}}})
result = fa.solve(sc)
result.write_files(OUT)
fa.compare({"factor": fa.factor_allocation(sc, factors={"jobs": 1}), "base": result}).write(OUT)
sens = run_sensitivity(sc, result, progress=False, workers=1)
sens.write(OUT)
write_report(result, OUT / "report.html", sections=[("", sens.html())])
print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
"""


def test_writing_the_report_and_every_chart_does_not_import_matplotlib(tmp_path):
    code = f"from pathlib import Path; OUT = Path({str(tmp_path)!r})\n" + WRITE_EVERYTHING
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert {"report.html", "comparison.svg", "sweep_budget_total.svg", "tornado.svg", "monte_carlo.svg"} <= \
        {p.name for p in tmp_path.iterdir()}


def test_the_county_chart_shows_the_largest_counties_coloured_by_the_groups_each_is_in():
    # 300 counties in two overlapping groups, many with equal money: the chart keeps the 80 largest, ties in the
    # table's order, each bar coloured by the groups its county is in (the same colours in every chart)
    from fundalloc.report import MAX_BARS, colour_categories, county_chart, group_colours, unit_amounts

    n = 300
    units = pd.DataFrame({"id": [f"{i:04d}" for i in range(n)], "name": [f"县{i}" for i in range(n)],
                          "deep": [i % 3 == 0 for i in range(n)], "old": [i % 5 == 0 for i in range(n)],
                          "jobs": [10 + i % 7 for i in range(n)]})
    sc = fa.Scenario(units=units, budget={"total": 2000}, groups={"deep": {"column": "deep", "label": "深度"},
                                                                  "old": {"column": "old"}},
                     weights={"deep": 2, "old": 1.5}, measures={"w": {"unit_cost": "1000 元", "capacity": "jobs"}})
    result = fa.solve(sc)
    expected = [" + ".join(name for name, inside in (("深度", i % 3 == 0), ("old", i % 5 == 0)) if inside)
                for i in range(n)]
    assert colour_categories(result) == expected
    colours = group_colours(result)
    assert list(colours) == ["", *[c for c in dict.fromkeys(expected) if c]]  # grey, then in order of appearance
    amounts = unit_amounts(result)
    top = sorted(range(n), key=lambda i: (-amounts[i], i))[:MAX_BARS]
    assert len(set(amounts[top])) < MAX_BARS  # ties among the bars shown
    svg = str(county_chart(result).svg)
    assert [int(x) for x in re.findall(r">县(\d+)<", svg)] == top
    assert re.findall(r'<rect class="bar"[^>]*fill="(#[0-9A-F]+)"', svg) == [colours[expected[i]] for i in top]
