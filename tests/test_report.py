"""report.html: one self-contained page an official can open, with Chinese names as text and the shadow
prices in words."""
import re
import subprocess
import sys

import pandas as pd
import pytest

import fundalloc as fa
from fundalloc import report
from fundalloc.numbers import signed
from fundalloc.report import price_sentences, render, write_report


def tilted() -> fa.Result:
    # 康保县 (deep poverty) buys 5 persons per 万元, 尚义县 10. The tilt sends it 60 % of the 10 万元: one more
    # 万元 of budget buys 0.6 × 5 + 0.4 × 10 = 7 persons; 1 万元 more to the deep county than the tilt asks
    # moves it from 尚义县: −10 + 5 = −5.
    units = pd.DataFrame({"id": ["130723", "130725"], "name": ["康保县", "尚义县"], "deep": [1, 0],
                          "cost": [0.2, 0.1], "last_year": [5, 3]})
    sc = fa.Scenario(name="两县", description="a tilt and a floor", units=units, budget={"total": 10},
                     groups={"deep_poverty": {"column": "deep"}},
                     measures={"workshop": {"unit_cost": "cost", "label": "扶贫车间吸纳"}},
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


def test_the_report_has_the_summary_the_rules_in_words_and_the_table(page):
    for heading in ("Summary", "Money by county", "Money by measure", "Binding rules", "Allocation table", "Notes"):
        assert f"<h2>{heading}</h2>" in page
    assert "one more 万元 of budget: +7 weighted jobs" in page
    assert "1 万元 more to `deep_poverty` than the minimum share of `tilt`: −5 weighted jobs" in page
    assert "向深度贫困县倾斜" in page  # the rule's description, in the policy's words
    assert "<h1>两县</h1>" in page and "a tilt and a floor" in page


def test_shadow_prices_read_as_sentences():
    sentences = dict(price_sentences(tilted()))
    assert sentences["budget"] == "one more 万元 of budget: +7 weighted jobs"
    assert sentences["tilt"] == "1 万元 more to `deep_poverty` than the minimum share of `tilt`: −5 weighted jobs"


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


def test_sections_and_notes_are_appended(tmp_path):
    path = write_report(tilted(), tmp_path / "report.html", sections=[("Sensitivity", "<p>sweeps here</p>")],
                        notes=["Changed on the command line: budget.total=10."])
    page = path.read_text(encoding="utf-8")
    assert page.index("<h2>Notes</h2>") < page.index("<h2>Sensitivity</h2>")
    assert "<p>sweeps here</p>" in page and "budget.total=10" in page


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
    assert ">deep_poverty<" in county and ">no group<" in county  # the legend names the groups
    assert "matplotlib" not in page.lower()


def test_a_county_keeps_its_group_colour_in_the_comparison_chart():
    result = tilted()
    units = result.units.set_index("unit_id")
    colours = report.group_colours(result)
    chart = fa.compare({"base": result, "cut": fa.solve(result.scenario.with_changes({"budget.total": 8}))}).chart
    kangbao = colours[report.colour_categories(result)[list(units.index).index("130723")]]
    assert kangbao != colours[""] and f'fill="{kangbao}"' in chart.svg


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
